//! Helpers shared by the tests: a temporary folder per test, register files written as a
//! practice would export them, and running the real `alongside` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use alongside::domain::catalogue::Catalogue;
use chrono::NaiveDate;

/// A temporary folder that holds one test's database and files, removed afterwards.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

/// What the binary did: exit code and its output as text.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr)
        })
    }

    /// Fails with everything the program said unless it exited with `code`.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "the program panicked:\n{}", self.stderr);
        self
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).expect("writing a test file");
        path
    }

    /// The practice database this sandbox's commands use.
    pub fn db(&self) -> PathBuf {
        self.path("practice.sqlite")
    }

    /// Runs `alongside --db <sandbox db> ARGS` with the sandbox as home and data directory.
    pub fn alongside(&self, args: &[&str]) -> Run {
        let mut command = self.command();
        command.arg("--db").arg(self.db()).args(args);
        run(command)
    }

    /// Runs `alongside --db <sandbox db> ARGS` with these environment variables set as well.
    pub fn alongside_with(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut command = self.command();
        command.envs(env.iter().copied()).arg("--db").arg(self.db()).args(args);
        run(command)
    }

    /// Runs `alongside ARGS` with no `--db`.
    pub fn alongside_plain(&self, args: &[&str]) -> Run {
        let mut command = self.command();
        command.args(args);
        run(command)
    }

    /// `alongside` with the sandbox as home and data directory, ready for arguments.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_alongside"));
        command
            .env_remove("ALONGSIDE_DB")
            .env("HOME", self.root())
            .env("XDG_DATA_HOME", self.path("data"))
            .env("USER", "test.receptionist")
            .env_remove("ALONGSIDE_BACKUP_PASSPHRASE")
            .stdin(Stdio::null());
        command
    }

    /// Imports a register file into the sandbox database and returns the JSON report.
    pub fn import(&self, name: &str, contents: &str) -> serde_json::Value {
        let file = self.write(name, contents);
        self.alongside(&["import", "register", file.to_str().unwrap()]).expect_code(0).json()
    }

    pub fn list(&self, extra: &[&str]) -> serde_json::Value {
        let mut args = vec!["patients", "list"];
        args.extend_from_slice(extra);
        self.alongside(&args).expect_code(0).json()
    }
}

fn run(mut command: Command) -> Run {
    let Output { status, stdout, stderr } = command.output().expect("the alongside binary runs");
    Run {
        code: status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// The columns every register file must have.
pub const HEADER: &str = "nhs_number,family_name,given_name,date_of_birth,conditions";

/// A register file: the required header, then the rows given.
pub fn register(rows: &[&str]) -> String {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push('\n');
        text.push_str(row);
    }
    text.push('\n');
    text
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn catalogue() -> Catalogue {
    alongside::assets::catalogue().expect("the shipped catalogue is valid")
}

/// The NHS numbers in a `patients list` result, in order.
pub fn numbers(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|p| p["nhs_number"].as_str().unwrap().to_string())
        .collect()
}

/// Gives a practice database the letterhead every letter needs.
pub fn fill_in_letterhead(store: &mut alongside::store::Store) {
    let before = store.practice_settings(&catalogue()).unwrap();
    let mut after = before.clone();
    after.letterhead.practice_name = "Riverside Surgery".into();
    after.letterhead.address = vec!["1 Mill Lane".into(), "Ashby Marsh".into(), "AM1 1AB".into()];
    after.letterhead.phone = "0113 496 0000".into();
    store
        .write::<_, alongside::store::StoreError>(&alongside::store::Actor::new("test"), |w| {
            w.save_practice_settings(&before, &after)
        })
        .unwrap();
}

/// `n` bytes drawn from `alphabet` by a xorshift generator: the same noise for the same seed,
/// for feeding hostile files to the importers.
pub fn noise(seed: &mut u64, alphabet: &[u8], n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            alphabet[(*seed % alphabet.len() as u64) as usize]
        })
        .collect()
}

/// Every row a query returns, each value as text (integers in decimal, NULL as empty).
pub fn sql_rows(db: &Path, sql: &str) -> Vec<Vec<String>> {
    let connection = rusqlite::Connection::open(db).unwrap();
    let mut statement = connection.prepare(sql).unwrap();
    let columns = statement.column_count();
    statement
        .query_map([], |row| {
            (0..columns)
                .map(|i| {
                    Ok(match row.get::<_, rusqlite::types::Value>(i)? {
                        rusqlite::types::Value::Text(t) => t,
                        rusqlite::types::Value::Integer(n) => n.to_string(),
                        rusqlite::types::Value::Null => String::new(),
                        other => format!("{other:?}"),
                    })
                })
                .collect()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}
