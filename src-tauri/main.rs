//! The `alongside` program: with no subcommand it opens the desktop window; subcommands run
//! headless (import, listing, the demonstration practice).

fn main() -> std::process::ExitCode {
    alongside::cli::main()
}
