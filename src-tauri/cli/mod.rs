//! The command line: parses arguments, opens the window or runs a headless command, and turns
//! every failure into a message on stderr and an exit code (1 failed, 2 bad input or usage).

mod access;
mod output;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::domain::access::{Need, Permission};
use crate::domain::calendar::YearMonth;
use crate::domain::careplan::CarePlanTexts;
use crate::domain::catalogue::Catalogue;
use crate::domain::feedback::FeedbackForm;
use crate::domain::metrics::{Group, Range};
use crate::domain::nhs_number::NhsNumber;
use crate::domain::pack::PackTexts;
use crate::domain::person::RegistrationStatus;
use crate::domain::rules::RuleSet;
use crate::domain::snomed::SnomedCode;
use crate::exchange::backup::{
    back_up, check_backup, restore_file, BackupError, PASSPHRASE_VARIABLE,
};
use crate::exchange::careplans::{
    plan_fhir, plan_pdf, record_plan_printed, write_plan_fhir, PlanError,
};
use crate::exchange::demo::create_demo;
use crate::exchange::directory::{export_directory_to, import_directory, DirectoryError};
use crate::exchange::packs::{
    confirm_pack_batch, pack_list, prepare_packs, record_prepared_packs, reprint_pack, PackError,
};
use crate::exchange::recall::{
    confirm_batch, prepare_invitations, recall_list, record_prepared, LettersError,
};
use crate::exchange::register_export::{export_register_to, ExportError as RegisterExportError};
use crate::exchange::register_import::{
    import_register, plain_io_error, read_file, ImportError, RegisterFile,
};
use crate::exchange::reports::{
    enter_feedback, figures_csv, people_behind, people_json, practice_report, report_json,
    report_pdf, rows_csv, write_report_file, NewFeedback, ReportError, ReportFile,
};
use crate::exchange::results_import::{import_results, ResultsFile};
use crate::exchange::triage::worklist;
use crate::store::{self, Actor, OpenError, Store};

#[derive(Parser)]
#[command(
    name = "alongside",
    version,
    about = "Personalised care and support planning for people with long-term conditions",
    long_about = "Personalised care and support planning for people with long-term conditions.\n\n\
                  With no command, opens the practice's register in the desktop window."
)]
struct Cli {
    /// The database file to use instead of the practice's usual one (not used by `demo`)
    #[arg(long, global = true, env = "ALONGSIDE_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// The staff account to sign in as; the password is read from ALONGSIDE_PASSWORD, or
    /// asked for when the command is typed at a terminal
    #[arg(long, global = true, env = "ALONGSIDE_USER", value_name = "USERNAME")]
    user: Option<String>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new practice database (at --db, or the practice's usual place) with its first
    /// administrator; the password is read from ALONGSIDE_PASSWORD or asked for. Never
    /// overwrites a file
    Init {
        /// The first administrator's username
        #[arg(long, value_name = "USERNAME")]
        admin: String,
        /// The first administrator's full name (the username when not given)
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    /// Staff accounts: list, add, disable, enable, change a role or a password
    Users {
        #[command(subcommand)]
        what: UsersCommand,
    },
    /// The audit trail: list, export or verify that no entry was changed or removed
    Audit {
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// Open the demonstration practice (a fictional register), or write one to a file
    Demo {
        /// Write a demonstration database to this new file instead of opening the window
        #[arg(long, value_name = "PATH")]
        create: Option<PathBuf>,
        /// How many people the demonstration register holds
        #[arg(long, default_value_t = 250, value_name = "N")]
        patients: usize,
        /// The same seed always makes the same practice
        #[arg(long, default_value_t = 1, value_name = "S")]
        seed: u64,
        /// The register only, without two years of reviews (quicker, for large registers)
        #[arg(long)]
        no_history: bool,
    },
    /// Import a file from the clinical system
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// People on the register
    Patients {
        #[command(subcommand)]
        what: PatientsCommand,
    },
    /// The monthly recall list and invitation letters
    Recall {
        #[command(subcommand)]
        what: RecallCommand,
    },
    /// The clinician's triage worklist
    Triage {
        #[command(subcommand)]
        what: TriageCommand,
    },
    /// Preparation packs: each person's results explained, with questions to get ready
    Packs {
        #[command(subcommand)]
        what: PacksCommand,
    },
    /// A person's care and support plan
    Careplan {
        #[command(subcommand)]
        what: CareplanCommand,
    },
    /// The "more than medicine" directory of local services
    Directory {
        #[command(subcommand)]
        what: DirectoryCommand,
    },
    /// The practice's fidelity figures for a range of dates, as JSON: invitations, contact 1,
    /// triage, packs in time, conversations, plans and what they contain, goals and patient
    /// feedback, overall and by condition group, with a month-by-month trend
    Report {
        /// The first day of the range (YYYY-MM-DD)
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: String,
        /// The last day of the range (YYYY-MM-DD)
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: String,
        /// Print the people behind this figure instead (its key, such as pack_in_time)
        #[arg(long, value_name = "FIGURE")]
        people: Option<String>,
        /// The condition group for --people: all, single, multiple or frailty
        #[arg(long, default_value = "all", value_name = "GROUP")]
        group: String,
        /// Also write every figure as a CSV file for Excel (audited)
        #[arg(long, value_name = "FILE.csv")]
        csv: Option<PathBuf>,
        /// Also write the anonymised rows behind the figures as a CSV file (audited)
        #[arg(long, value_name = "FILE.csv")]
        rows: Option<PathBuf>,
        /// Also write the steering group's one-page report as a PDF for printing (audited)
        #[arg(long, value_name = "FILE.pdf")]
        pdf: Option<PathBuf>,
    },
    /// Patient feedback forms filled in after the care and support planning conversation
    Feedback {
        #[command(subcommand)]
        what: FeedbackCommand,
    },
    /// Write a backup of the database: a consistent copy taken even while the app is in use,
    /// compressed and checksummed, and optionally protected with a passphrase
    Backup {
        /// The backup file to write, such as alongside-backup-2026-11-23.alongside-backup
        file: PathBuf,
        /// Encrypt the backup with the passphrase in the environment variable
        /// ALONGSIDE_BACKUP_PASSPHRASE (at least 8 characters)
        #[arg(long)]
        encrypt: bool,
    },
    /// Restore the database from a backup. The backup is checked whole first (checksum,
    /// passphrase, integrity, version); the database it replaces is kept beside it under a
    /// dated name. An encrypted backup's passphrase is read from ALONGSIDE_BACKUP_PASSPHRASE
    Restore {
        /// The backup file
        file: PathBuf,
        /// Only check the backup and say what it holds; change nothing
        #[arg(long)]
        check: bool,
    },
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Print every staff account as JSON: username, full name, role, whether active, created
    List,
    /// Add a staff account; its password is read from ALONGSIDE_NEW_PASSWORD or asked for twice
    Add {
        /// The new account's username
        username: String,
        /// The person's full name
        #[arg(long, value_name = "NAME")]
        name: String,
        /// administrator, receptionist, hca, nurse, gp, pharmacist or practice_manager
        #[arg(long, value_name = "ROLE")]
        role: String,
    },
    /// Disable an account: it can no longer sign in, and nothing it did is changed
    Disable { username: String },
    /// Enable a disabled account again
    Enable { username: String },
    /// Change an account's role
    Role {
        username: String,
        /// administrator, receptionist, hca, nurse, gp, pharmacist or practice_manager
        role: String,
    },
    /// Set a new password for an account, read from ALONGSIDE_NEW_PASSWORD or asked for twice
    Password { username: String },
}

/// Which audit entries to read: all of them when nothing is given.
#[derive(clap::Args)]
struct AuditFilterArgs {
    /// Only entries about this person (their NHS number)
    #[arg(long, value_name = "NHS_NUMBER")]
    patient: Option<String>,
    /// Only entries made by this username (`--user` is who runs the command)
    #[arg(long, value_name = "USERNAME")]
    by: Option<String>,
    /// Only this action, or every action starting with it and a dot (such as `record`)
    #[arg(long, value_name = "ACTION")]
    action: Option<String>,
    /// Only entries on or after this day (YYYY-MM-DD)
    #[arg(long, value_name = "YYYY-MM-DD")]
    from: Option<String>,
    /// Only entries on or before this day (YYYY-MM-DD)
    #[arg(long, value_name = "YYYY-MM-DD")]
    to: Option<String>,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check every entry's hash against its content and the entry before; exits 1 naming the
    /// first entry that was changed or removed
    Verify,
    /// Print the entries as JSON, newest first
    List {
        #[command(flatten)]
        filter: AuditFilterArgs,
        /// At most this many entries
        #[arg(long, default_value_t = 100, value_name = "N")]
        limit: u32,
    },
    /// Write the entries as a CSV file for Excel; the export is itself audited
    Export {
        /// The CSV file to write
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
        #[command(flatten)]
        filter: AuditFilterArgs,
    },
}

#[derive(Subcommand)]
enum FeedbackCommand {
    /// Enter a paper form for a person's review (the latest with a conversation held, or the
    /// year given). Answers are written as on the form, one character each
    Add {
        /// The person's NHS number
        nhs_number: String,
        /// The day on the form, or the day it came back (YYYY-MM-DD)
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: String,
        /// collaboRATE's three answers, 0 (no effort) to 4 (every effort), '-' for blank:
        /// such as 443
        #[arg(long, value_name = "ANSWERS", allow_hyphen_values = true)]
        collaborate: String,
        /// The CARE measure's ten answers, 1 (poor) to 5 (excellent), 'n' for "does not
        /// apply", '-' for blank: such as 5554n45555
        #[arg(long, value_name = "ANSWERS", allow_hyphen_values = true)]
        care: String,
        /// The year of the review the conversation belonged to
        #[arg(long)]
        year: Option<i32>,
        /// The id of a form this one corrects
        #[arg(long, value_name = "ID", requires = "reason")]
        replaces: Option<i64>,
        /// Why the earlier form is corrected
        #[arg(long, requires = "replaces")]
        reason: Option<String>,
    },
}

#[derive(Subcommand)]
enum CareplanCommand {
    /// Write "My care and support plan", the latest agreed version (or the one asked for), as
    /// a PDF; large print when the person needs it. Fails when there is no agreed plan
    Pdf {
        /// The person's NHS number
        nhs_number: String,
        /// The PDF file to write
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// An earlier version instead of the latest
        #[arg(long, value_name = "N")]
        version: Option<u32>,
    },
    /// Write the latest agreed plan (or the version asked for) for another health or care
    /// service, as a FHIR R4 document: the plan, goals, actions, contingency plan, signposting,
    /// conditions and recent results. Audited with who, what and where to
    Export {
        /// The person's NHS number
        nhs_number: String,
        /// The standard to write
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The file to write
        #[arg(long, value_name = "FILE.json")]
        out: PathBuf,
        /// An earlier version instead of the latest
        #[arg(long, value_name = "N")]
        version: Option<u32>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// A FHIR R4 document Bundle (JSON)
    Fhir,
}

#[derive(Subcommand)]
enum DirectoryCommand {
    /// Print the services in use as JSON, in name order
    List {
        /// Also the retired ones
        #[arg(long)]
        retired: bool,
    },
    /// Add or update services from a CSV file (matched on name); nothing is imported if any
    /// row needs correcting, and every such row is named
    Import {
        /// The CSV file: name, category, offers, for_whom, access, phone, email, website,
        /// address, opening_times, cost, accessibility, last_checked
        file: PathBuf,
        /// Check the file and report what would happen, without changing anything
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the services in use as CSV (UTF-8 with a byte-order mark, for Excel)
    Export {
        /// The CSV file to write
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum PacksCommand {
    /// Print the reviews whose packs are ready or held (with the reason) as JSON
    List,
    /// Write every ready pack into one PDF for printing, in surname order; held packs are
    /// listed with the reason and never printed
    Print {
        /// The PDF file to write
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// The packs have been (or will be) printed and posted: record them as sent today
        #[arg(long)]
        confirm: bool,
    },
    /// Print one person's pack again (it was sent before); audited, nothing else changes
    Reprint {
        /// The person's NHS number
        nhs_number: String,
        /// The PDF file to write
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum TriageCommand {
    /// Print the open reviews on the triage worklist as JSON: unacknowledged red findings
    /// first, then reviews whose results are complete
    List {
        /// Also every other open review with any finding, whatever its state
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand)]
enum RecallCommand {
    /// Print everyone whose review falls due in a month, with where their review has got to
    Due {
        /// The month, as YYYY-MM
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
    },
    /// Write the invitation letters due today for a month into one PDF for printing
    Invite {
        /// The month, as YYYY-MM
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// The PDF file to write
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// The letters have been (or will be) printed and posted: record them as sent
        #[arg(long)]
        confirm: bool,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import the long-term conditions register exported from EMIS Web or SystmOne as CSV
    Register {
        /// The CSV file
        file: PathBuf,
        /// Check the file and report what would happen, without changing anything
        #[arg(long)]
        dry_run: bool,
        /// Also write the rejected rows, with their line and reason, to this CSV file
        #[arg(long, value_name = "FILE")]
        rejected: Option<PathBuf>,
    },
    /// Import results from the lab as CSV: nhs_number, code (SNOMED CT or item id), value,
    /// unit, taken_on, and an optional comment
    Results {
        /// The CSV file
        file: PathBuf,
        /// Check the file and report what would happen, without changing anything
        #[arg(long)]
        dry_run: bool,
        /// Also write the rejected rows, with their line and reason, to this CSV file
        #[arg(long, value_name = "FILE")]
        rejected: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum PatientsCommand {
    /// Print everyone on the register as JSON, in name order
    List {
        /// Only people with this condition (a SNOMED CT code of any of its codes)
        #[arg(long, value_name = "SNOMED_CODE")]
        condition: Option<String>,
        /// Only people with this registration status
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
    },
    /// Write everyone on the register, with where their latest review has got to and their
    /// latest agreed plan, as a CSV file for Excel (UTF-8 with a byte-order mark, ISO dates).
    /// Audited with who and where to
    Export {
        /// The CSV file to write
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum StatusArg {
    Registered,
    Left,
    Deceased,
}

impl From<StatusArg> for RegistrationStatus {
    fn from(status: StatusArg) -> RegistrationStatus {
        match status {
            StatusArg::Registered => RegistrationStatus::Registered,
            StatusArg::Left => RegistrationStatus::Left,
            StatusArg::Deceased => RegistrationStatus::Deceased,
        }
    }
}

/// A command that did not succeed, and which exit code says so.
enum Failure {
    /// Bad input or usage: exit code 2.
    BadInput(String),
    /// Something went wrong: exit code 1.
    Failed(String),
}

impl From<OpenError> for Failure {
    fn from(error: OpenError) -> Failure {
        match error {
            OpenError::NotAlongside { .. } | OpenError::IsAFolder { .. } => {
                Failure::BadInput(error.to_string())
            }
            _ => Failure::Failed(error.to_string()),
        }
    }
}

impl From<ImportError> for Failure {
    fn from(error: ImportError) -> Failure {
        match error {
            ImportError::File(e) => Failure::BadInput(e.to_string()),
            ImportError::Store(e) => Failure::Failed(e.to_string()),
        }
    }
}

impl From<LettersError> for Failure {
    fn from(error: LettersError) -> Failure {
        match error {
            LettersError::NotReady(message) => Failure::BadInput(message),
            LettersError::Store(e) => Failure::Failed(e.to_string()),
        }
    }
}

impl From<PackError> for Failure {
    fn from(error: PackError) -> Failure {
        match error {
            PackError::NotFound(_) | PackError::Refused(_) => Failure::BadInput(error.to_string()),
            PackError::Store(e) => Failure::Failed(e.to_string()),
        }
    }
}

impl From<PlanError> for Failure {
    fn from(error: PlanError) -> Failure {
        match error {
            PlanError::NotFound(_) => Failure::BadInput(error.to_string()),
            _ => Failure::Failed(error.to_string()),
        }
    }
}

impl From<DirectoryError> for Failure {
    fn from(error: DirectoryError) -> Failure {
        match error {
            DirectoryError::Store(_) | DirectoryError::Unwritable(_) => {
                Failure::Failed(error.to_string())
            }
            _ => Failure::BadInput(error.to_string()),
        }
    }
}

impl From<RegisterExportError> for Failure {
    fn from(error: RegisterExportError) -> Failure {
        Failure::Failed(error.to_string())
    }
}

impl From<BackupError> for Failure {
    fn from(error: BackupError) -> Failure {
        let message = match &error {
            BackupError::PassphraseNeeded { file } => format!(
                "{file} is protected by a passphrase: set {PASSPHRASE_VARIABLE} to it and run \
                 the command again. Nothing was changed."
            ),
            _ => error.to_string(),
        };
        if error.is_bad_input() {
            Failure::BadInput(message)
        } else {
            Failure::Failed(message)
        }
    }
}

impl From<ReportError> for Failure {
    fn from(error: ReportError) -> Failure {
        match error {
            ReportError::Invalid(_) | ReportError::NotFound(_) => {
                Failure::BadInput(error.to_string())
            }
            _ => Failure::Failed(error.to_string()),
        }
    }
}

/// A day given on the command line as YYYY-MM-DD.
fn parse_day(option: &str, text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Failure::BadInput(format!("{option} '{text}' is not a date written as YYYY-MM-DD"))
    })
}

impl From<store::StoreError> for Failure {
    fn from(error: store::StoreError) -> Failure {
        Failure::Failed(error.to_string())
    }
}

/// Runs the program with the process's arguments.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput(message)) => {
            eprintln!("alongside: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("alongside: {message}");
            ExitCode::from(1)
        }
    }
}

/// The catalogue, with the practice's edited files from `ALONGSIDE_CATALOGUE` or the
/// `catalogue` folder of the data directory.
fn practice_catalogue() -> Result<Catalogue, Failure> {
    let folder = match std::env::var_os("ALONGSIDE_CATALOGUE") {
        Some(folder) => Some(PathBuf::from(folder)),
        None => store::data_directory().ok().map(|d| d.join("catalogue")),
    };
    crate::assets::practice_catalogue(folder.as_deref()).map_err(|e| {
        Failure::Failed(format!("{e}; correct the file, or remove it to use the shipped one"))
    })
}

/// The triage rules, with the practice's edited files from `ALONGSIDE_RULES` or the `rules`
/// folder of the data directory, checked against the catalogue.
fn practice_rules(catalogue: &Catalogue) -> Result<RuleSet, Failure> {
    let folder = match std::env::var_os("ALONGSIDE_RULES") {
        Some(folder) => Some(PathBuf::from(folder)),
        None => store::data_directory().ok().map(|d| d.join("rules")),
    };
    crate::assets::practice_rules(catalogue, folder.as_deref()).map_err(|e| {
        Failure::Failed(format!(
            "the triage rules are broken: {e}; correct the file, or remove it to use the shipped one"
        ))
    })
}

/// The preparation pack wording, with the practice's own `pack.json` from `ALONGSIDE_TEXTS`
/// or the `texts` folder of the data directory, checked against the catalogue.
fn practice_pack_texts(catalogue: &Catalogue) -> Result<PackTexts, Failure> {
    let folder = match std::env::var_os("ALONGSIDE_TEXTS") {
        Some(folder) => Some(PathBuf::from(folder)),
        None => store::data_directory().ok().map(|d| d.join("texts")),
    };
    crate::assets::practice_pack_texts(catalogue, folder.as_deref()).map_err(|e| {
        Failure::Failed(format!("{e}; correct the file, or remove it to use the shipped one"))
    })
}

/// The printed plan's wording, with the practice's own `careplan.json` from the same folder.
fn practice_careplan_texts() -> Result<CarePlanTexts, Failure> {
    let folder = match std::env::var_os("ALONGSIDE_TEXTS") {
        Some(folder) => Some(PathBuf::from(folder)),
        None => store::data_directory().ok().map(|d| d.join("texts")),
    };
    crate::assets::practice_careplan_texts(folder.as_deref()).map_err(|e| {
        Failure::Failed(format!("{e}; correct the file, or remove it to use the shipped one"))
    })
}

/// What each command needs before it runs: the one place that decides it.
fn need(command: &Command) -> Need {
    use Permission as P;
    let permission = match command {
        Command::Demo { .. } | Command::Init { .. } => return Need::Nobody,
        Command::Users { .. } => P::UsersManage,
        Command::Audit { .. } => P::AuditView,
        Command::Import { what: ImportCommand::Register { .. } } => P::RegisterImport,
        Command::Import { what: ImportCommand::Results { .. } } => P::ResultsImport,
        Command::Patients { what: PatientsCommand::List { .. } } => P::PeopleFind,
        Command::Patients { what: PatientsCommand::Export { .. } } => P::RegisterExport,
        Command::Recall { what: RecallCommand::Due { .. } | RecallCommand::Invite { .. } } => {
            P::RecallWork
        }
        Command::Triage { what: TriageCommand::List { .. } } => P::TriageReview,
        Command::Packs {
            what: PacksCommand::List | PacksCommand::Print { .. } | PacksCommand::Reprint { .. },
        } => P::PacksPrint,
        Command::Careplan { what: CareplanCommand::Pdf { .. } } => P::CareplanView,
        Command::Careplan { what: CareplanCommand::Export { .. } } => P::CareplanWrite,
        Command::Directory { what: DirectoryCommand::List { .. } } => P::DirectoryView,
        Command::Directory {
            what: DirectoryCommand::Import { .. } | DirectoryCommand::Export { .. },
        } => P::DirectoryManage,
        Command::Report { people: Some(_), .. } => P::ReportsPeople,
        Command::Report { people: None, .. } => P::ReportsView,
        Command::Feedback { what: FeedbackCommand::Add { .. } } => P::FeedbackEnter,
        Command::Backup { .. } => P::BackupMake,
        Command::Restore { .. } => P::BackupRestore,
    };
    Need::Permission(permission)
}

/// What the command these arguments make needs (`args` without the program's name); for
/// checking the permission table against every command. `Need::Nobody` for the window.
pub fn cli_need(args: &[&str]) -> Result<Need, String> {
    let cli = Cli::try_parse_from(std::iter::once("alongside").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    Ok(cli.command.as_ref().map_or(Need::Nobody, need))
}

fn run(cli: Cli) -> Result<(), Failure> {
    let catalogue = practice_catalogue()?;
    let rules = practice_rules(&catalogue)?;
    let today = chrono::Local::now().date_naive();
    let command = match cli.command {
        None => {
            let path = practice_path(cli.db)?;
            return open_window(&path, catalogue, rules);
        }
        Some(command) => command,
    };
    let need = need(&command);
    let (store, actor) = match need {
        Need::Nobody => (None, Actor::operating_system_user()),
        Need::SignedIn | Need::Permission(_) => {
            let path = practice_path(cli.db.clone())?;
            let mut store = open_existing(&path)?;
            let signed = access::sign_in_as(&mut store, cli.user.as_deref())?;
            access::check_need(&signed, need)?;
            let actor = signed.actor();
            (Some(store), actor)
        }
    };
    // Every command past this point needed a permission, so the store was opened and signed in.
    let signed_store = move || store.ok_or_else(|| Failure::Failed("not signed in".into()));
    match command {
        Command::Init { admin, name } => {
            let path = practice_path(cli.db)?;
            access::init(&path, &admin, name.as_deref())
        }
        Command::Users { what } => {
            let mut store = signed_store()?;
            access::users(&mut store, &actor, what)
        }
        Command::Audit { what } => {
            let mut store = signed_store()?;
            access::audit(&mut store, &actor, what)
        }
        Command::Demo { create: Some(path), patients, seed, no_history } => {
            write_demo(&path, &actor, &catalogue, today, patients, seed, !no_history)
        }
        Command::Demo { create: None, patients, seed, no_history } => {
            let path = store::demo_database_path().map_err(Failure::Failed)?;
            if !path.exists() {
                write_demo(&path, &actor, &catalogue, today, patients, seed, !no_history)?;
            }
            // Opened once, so that the window can say when this opening brought it up to date.
            open_window_then(&path, catalogue, rules, |store| {
                // A demonstration made before staff accounts existed gets its demo accounts.
                if store.is_demo()? && !store.is_read_only() && !store.has_accounts()? {
                    crate::exchange::access::add_demo_accounts(store, &actor)?;
                }
                Ok(())
            })
        }
        Command::Import { what: ImportCommand::Register { file, dry_run, rejected } } => {
            let mut store = signed_store()?;
            let register = RegisterFile::open(&file).map_err(ImportError::from)?;
            let name = file.display().to_string();
            let report =
                import_register(&mut store, &actor, &catalogue, today, &register, &name, dry_run)?;
            if let Some(target) = rejected {
                write_rejected(&target, register.rejected_rows_csv(&report))?;
            }
            print_json(&report)
        }
        Command::Import { what: ImportCommand::Results { file, dry_run, rejected } } => {
            let mut store = signed_store()?;
            let results = ResultsFile::open(&file).map_err(ImportError::from)?;
            let name = file.display().to_string();
            let report =
                import_results(&mut store, &actor, &catalogue, today, &results, &name, dry_run)?;
            if let Some(target) = rejected {
                write_rejected(&target, results.rejected_rows_csv(&report))?;
            }
            print_json(&report)
        }
        Command::Recall { what: RecallCommand::Due { month } } => {
            let month = YearMonth::parse(&month).map_err(Failure::BadInput)?;
            let mut store = signed_store()?;
            let settings = store.practice_settings(&catalogue)?;
            let lines = recall_list(&store, &settings, month, today)?;
            record_read(
                &mut store,
                &actor,
                "recall.listed",
                format!("recall list for {month} read: {} people", lines.len()),
            )?;
            print_json(&lines.iter().map(output::RecallJson::from).collect::<Vec<_>>())
        }
        Command::Recall { what: RecallCommand::Invite { month, out, confirm } } => {
            let month = YearMonth::parse(&month).map_err(Failure::BadInput)?;
            let texts = crate::assets::invitation_texts().map_err(Failure::Failed)?;
            let mut store = signed_store()?;
            let created = chrono::Utc::now().naive_utc();
            let prepared = prepare_invitations(&store, &catalogue, &texts, month, today, created)?;
            std::fs::write(&out, &prepared.pdf).map_err(|e| {
                Failure::Failed(format!("cannot write {}: {}", out.display(), plain_io_error(&e)))
            })?;
            let file = out.display().to_string();
            let batch = record_prepared(&mut store, &actor, &prepared, &file)?;
            let confirmed =
                if confirm { Some(confirm_batch(&mut store, &actor, batch, today)?) } else { None };
            print_json(&output::InvitationsJson {
                letters: prepared.items.len(),
                large_print: prepared.large_print,
                skipped: prepared.skipped,
                batch,
                recorded: confirmed.as_ref().map_or(0, |c| c.recorded),
                refused: confirmed.map(|c| c.refused).unwrap_or_default(),
            })
        }
        Command::Triage { what: TriageCommand::List { all } } => {
            let mut store = signed_store()?;
            let entries = worklist(&store, &catalogue, &rules, all)?;
            record_read(
                &mut store,
                &actor,
                "triage.listed",
                format!("triage worklist read: {} reviews", entries.len()),
            )?;
            print_json(&entries.iter().map(output::TriageJson::from).collect::<Vec<_>>())
        }
        Command::Packs { what: PacksCommand::List } => {
            let mut store = signed_store()?;
            let lines = pack_list(&store, &catalogue, &rules, today)?;
            record_read(
                &mut store,
                &actor,
                "packs.listed",
                format!("preparation pack list read: {} reviews", lines.len()),
            )?;
            print_json(&lines.iter().map(output::PackJson::from).collect::<Vec<_>>())
        }
        Command::Packs { what: PacksCommand::Print { out, confirm } } => {
            let texts = practice_pack_texts(&catalogue)?;
            let mut store = signed_store()?;
            let created = chrono::Utc::now().naive_utc();
            let prepared = prepare_packs(&store, &catalogue, &rules, &texts, None, today, created)?;
            let mut batch = None;
            let mut confirmed = None;
            if !prepared.items.is_empty() {
                std::fs::write(&out, &prepared.pdf).map_err(|e| {
                    Failure::Failed(format!(
                        "cannot write {}: {}",
                        out.display(),
                        plain_io_error(&e)
                    ))
                })?;
                let file = out.display().to_string();
                let id = record_prepared_packs(&mut store, &actor, &prepared, &file)?;
                batch = Some(id);
                if confirm {
                    confirmed = Some(confirm_pack_batch(
                        &mut store, &actor, &catalogue, &rules, id, today,
                    )?);
                }
            }
            print_json(&output::PacksJson {
                packs: prepared.items.len(),
                large_print: prepared.large_print,
                held: prepared.held,
                batch,
                recorded: confirmed.as_ref().map_or(0, |c| c.recorded),
                refused: confirmed.map(|c| c.refused).unwrap_or_default(),
            })
        }
        Command::Packs { what: PacksCommand::Reprint { nhs_number, out } } => {
            let nhs_number =
                NhsNumber::parse(&nhs_number).map_err(|e| Failure::BadInput(e.to_string()))?;
            let texts = practice_pack_texts(&catalogue)?;
            let mut store = signed_store()?;
            let created = chrono::Utc::now().naive_utc();
            let target = out.clone();
            let (batch, prepared) = reprint_pack(
                &mut store,
                &actor,
                &catalogue,
                &rules,
                &texts,
                &nhs_number,
                today,
                created,
                |pdf| {
                    std::fs::write(&target, pdf).map(|()| target.display().to_string()).map_err(
                        |e| format!("cannot write {}: {}", target.display(), plain_io_error(&e)),
                    )
                },
            )?;
            print_json(&output::PacksJson {
                packs: prepared.items.len(),
                large_print: prepared.large_print,
                held: Vec::new(),
                batch: Some(batch),
                recorded: 0,
                refused: Vec::new(),
            })
        }
        Command::Careplan { what: CareplanCommand::Pdf { nhs_number, out, version } } => {
            let nhs_number =
                NhsNumber::parse(&nhs_number).map_err(|e| Failure::BadInput(e.to_string()))?;
            let texts = practice_careplan_texts()?;
            let mut store = signed_store()?;
            let settings = store.practice_settings(&catalogue)?;
            let created = chrono::Utc::now().naive_utc();
            let printed =
                plan_pdf(&store, &nhs_number, version, &texts, &settings, today, created)?;
            std::fs::write(&out, &printed.pdf).map_err(|e| {
                Failure::Failed(format!("cannot write {}: {}", out.display(), plain_io_error(&e)))
            })?;
            let file = out.display().to_string();
            record_plan_printed(&mut store, &actor, &printed, &file)?;
            print_json(&output::CarePlanPdfJson {
                file,
                version: printed.version,
                large_print: printed.large_print,
            })
        }
        Command::Careplan {
            what: CareplanCommand::Export { nhs_number, format: ExportFormat::Fhir, out, version },
        } => {
            let nhs_number =
                NhsNumber::parse(&nhs_number).map_err(|e| Failure::BadInput(e.to_string()))?;
            let mut store = signed_store()?;
            let settings = store.practice_settings(&catalogue)?;
            let made_at = chrono::Local::now().fixed_offset();
            let exported = plan_fhir(&store, &catalogue, &nhs_number, version, &settings, made_at)?;
            write_plan_fhir(&mut store, &actor, &exported, &out)?;
            print_json(&output::CarePlanExportJson {
                file: out.display().to_string(),
                version: exported.version,
                format: "fhir-r4",
            })
        }
        Command::Directory { what: DirectoryCommand::List { retired } } => {
            let store = signed_store()?;
            let services = store.directory(retired)?;
            print_json(&services.iter().map(output::ServiceJson::from).collect::<Vec<_>>())
        }
        Command::Directory { what: DirectoryCommand::Import { file, dry_run } } => {
            let bytes = read_file(&file).map_err(|e| Failure::BadInput(e.to_string()))?;
            let mut store = signed_store()?;
            let report = import_directory(&mut store, &actor, &bytes, today, dry_run)?;
            for warning in &report.warnings {
                eprintln!("alongside: warning: {warning}");
            }
            print_json(&report)
        }
        Command::Directory { what: DirectoryCommand::Export { out } } => {
            let mut store = signed_store()?;
            let services = export_directory_to(&mut store, &actor, &out)?;
            print_json(&output::ExportJson { file: out.display().to_string(), services })
        }
        Command::Patients { what: PatientsCommand::Export { out } } => {
            let mut store = signed_store()?;
            let people = export_register_to(&mut store, &actor, &catalogue, &out)?;
            print_json(&output::RegisterExportJson { file: out.display().to_string(), people })
        }
        Command::Backup { file, encrypt } => {
            let passphrase = backup_passphrase()?;
            let passphrase = match (encrypt, passphrase) {
                (true, None) => {
                    return Err(Failure::BadInput(format!(
                        "--encrypt needs the passphrase in the environment variable \
                         {PASSPHRASE_VARIABLE}; no backup was made"
                    )))
                }
                (true, Some(passphrase)) => Some(passphrase),
                (false, Some(_)) => {
                    eprintln!(
                        "alongside: {PASSPHRASE_VARIABLE} is set, but without --encrypt the \
                         backup is not encrypted"
                    );
                    None
                }
                (false, None) => None,
            };
            let mut store = signed_store()?;
            let about =
                back_up(&mut store, &actor, &file, passphrase.as_deref(), chrono::Utc::now())?;
            eprintln!(
                "alongside: backup of {} people written to {}{}",
                about.people,
                about.file,
                if about.encrypted { ", encrypted" } else { "" }
            );
            print_json(&about)
        }
        Command::Restore { file, check } => {
            // The signed-in connection is closed before the file it reads is replaced.
            drop(signed_store);
            let passphrase = backup_passphrase()?;
            let database = practice_path(cli.db)?;
            if check {
                let checked = check_backup(&database, &file, passphrase.as_deref())?;
                if !checked.opened {
                    return Err(BackupError::PassphraseNeeded { file: checked.about.file }.into());
                }
                eprintln!(
                    "alongside: {} is a whole backup that can be restored",
                    checked.about.file
                );
                return print_json(&output::RestoreJson {
                    about: checked.about,
                    checked: true,
                    restored: false,
                    replaced: None,
                });
            }
            let (_, restored) = restore_file(&database, &actor, &file, passphrase.as_deref())?;
            eprintln!(
                "alongside: restored {} people from {}{}",
                restored.about.people,
                restored.about.file,
                match &restored.replaced {
                    Some(kept) =>
                        format!("; the database it replaced is kept as {}", kept.display()),
                    None => String::new(),
                }
            );
            print_json(&output::RestoreJson {
                about: restored.about,
                checked: true,
                restored: true,
                replaced: restored.replaced.map(|p| p.display().to_string()),
            })
        }
        Command::Report { from, to, people, group, csv, rows, pdf } => {
            let range = Range::new(parse_day("--from", &from)?, parse_day("--to", &to)?)
                .map_err(Failure::BadInput)?;
            let group = Group::parse(&group).ok_or_else(|| {
                Failure::BadInput(format!(
                    "'{group}' is not a condition group: use all, single, multiple or frailty"
                ))
            })?;
            let mut store = signed_store()?;
            let report = practice_report(&store, &catalogue, &rules, range, today)?;
            // A figure that cannot be opened is refused before any file is written.
            let behind = match &people {
                Some(key) => Some(people_behind(&store, &report, group, key)?),
                None => None,
            };
            let files =
                [(csv, ReportFile::Figures), (rows, ReportFile::Rows), (pdf, ReportFile::Printed)];
            for (target, kind) in files {
                if let Some(target) = target {
                    let bytes = match kind {
                        ReportFile::Figures => figures_csv(&report),
                        ReportFile::Rows => rows_csv(&report),
                        ReportFile::Printed => report_pdf(&report),
                    };
                    write_report_file(&mut store, &actor, &report, kind, &bytes, &target)?;
                }
            }
            match (people, behind) {
                (Some(key), Some(behind)) => {
                    let listed = people_json(group, &key, &behind);
                    record_read(
                        &mut store,
                        &actor,
                        "report.people_listed",
                        format!(
                            "the people behind {key} from {} to {} read",
                            range.from(),
                            range.to()
                        ),
                    )?;
                    print_json(&listed)
                }
                _ => print_json(&report_json(&report)),
            }
        }
        Command::Feedback {
            what: FeedbackCommand::Add { nhs_number, on, collaborate, care, year, replaces, reason },
        } => {
            let nhs_number =
                NhsNumber::parse(&nhs_number).map_err(|e| Failure::BadInput(e.to_string()))?;
            let completed_on = parse_day("--on", &on)?;
            let form = FeedbackForm::from_codes(&collaborate, &care)
                .map_err(|e| Failure::BadInput(e.to_string()))?;
            let mut store = signed_store()?;
            let entry = NewFeedback {
                nhs_number,
                year,
                completed_on,
                form,
                replaces: replaces.zip(reason),
            };
            let id = enter_feedback(&mut store, &actor, &entry, today)?;
            print_json(&serde_json::json!({ "form": id }))
        }
        Command::Patients { what: PatientsCommand::List { condition, status } } => {
            let condition_id = condition.map(|code| condition_of(&catalogue, &code)).transpose()?;
            let mut store = signed_store()?;
            let people: Vec<output::PatientJson> = store
                .all_patients()?
                .iter()
                .filter(|p| status.is_none_or(|s| p.details.status == RegistrationStatus::from(s)))
                .filter(|p| {
                    condition_id
                        .as_ref()
                        .is_none_or(|id| p.details.conditions.iter().any(|d| &d.condition_id == id))
                })
                .map(|p| output::PatientJson::from(&p.details))
                .collect();
            record_read(
                &mut store,
                &actor,
                "record.listed",
                format!("register listed: {} people", people.len()),
            )?;
            print_json(&people)
        }
    }
}

/// Records that `actor` read identifiable data at the command line.
fn record_read(
    store: &mut Store,
    actor: &Actor,
    action: &str,
    summary: String,
) -> Result<(), Failure> {
    // A database Alongside may only read (such as a copy on a read-only share) can still be
    // read: the reading is then named on stderr instead.
    let why = match store.record_read(actor, action, None, &summary) {
        Ok(true) => return Ok(()),
        Ok(false) => store::StoreError::ReadOnly(store.path().display().to_string()).to_string(),
        Err(e) => e.to_string(),
    };
    eprintln!("alongside: warning: this reading could not be written to the audit trail: {why}");
    Ok(())
}

/// The backup passphrase from the environment, if it is set and not empty.
fn backup_passphrase() -> Result<Option<String>, Failure> {
    match std::env::var(PASSPHRASE_VARIABLE) {
        Ok(text) if text.is_empty() => Ok(None),
        Ok(text) => Ok(Some(text)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(Failure::BadInput(format!(
            "{PASSPHRASE_VARIABLE} is not readable text; nothing was changed"
        ))),
    }
}

fn open_window(path: &Path, catalogue: Catalogue, rules: RuleSet) -> Result<(), Failure> {
    open_window_then(path, catalogue, rules, |_| Ok(()))
}

/// Opens the database, runs `prepare` on it, and shows it in the window.
fn open_window_then(
    path: &Path,
    catalogue: Catalogue,
    rules: RuleSet,
    prepare: impl FnOnce(&mut Store) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let texts = crate::assets::invitation_texts().map_err(Failure::Failed)?;
    let pack_texts = practice_pack_texts(&catalogue)?;
    let careplan_texts = practice_careplan_texts()?;
    let opened = open_store(path).and_then(|mut store| prepare(&mut store).map(|()| store));
    let store = match opened {
        Ok(store) => store,
        Err(failure) => {
            // Someone who started Alongside from the desktop sees no terminal: the window says
            // why; stderr and the exit code say it too once the window is closed.
            let (Failure::BadInput(why) | Failure::Failed(why)) = &failure;
            crate::desktop::run_with_problem(why.clone(), catalogue, rules, texts)
                .map_err(Failure::Failed)?;
            return Err(failure);
        }
    };
    crate::desktop::run(store, catalogue, rules, texts, pack_texts, careplan_texts)
        .map_err(Failure::Failed)
}

/// The database named by `--db`, else the practice's usual one.
fn practice_path(db: Option<PathBuf>) -> Result<PathBuf, Failure> {
    match db {
        Some(path) => Ok(path),
        None => store::practice_database_path().map_err(Failure::Failed),
    }
}

/// Opens a practice database that is already there: only `init` and `demo` make new ones.
fn open_existing(path: &Path) -> Result<Store, Failure> {
    if !path.exists() {
        return Err(Failure::BadInput(format!(
            "no practice database at {}: create one with `alongside init --admin USERNAME`",
            path.display()
        )));
    }
    open_store(path)
}

/// Opens the database, saying on stderr when it was brought up to this version and where the
/// copy from before was kept.
fn open_store(path: &Path) -> Result<Store, Failure> {
    let store = Store::open(path)?;
    if let Some(u) = store.upgraded() {
        eprintln!(
            "alongside: {} was brought up to date for this version (database version {} to {}); \
             a copy from before was kept at {}",
            path.display(),
            u.from,
            u.to,
            u.kept.display()
        );
    }
    Ok(store)
}

/// Writes a new demonstration database; a half-made file is removed, never left behind.
fn write_demo(
    path: &Path,
    actor: &Actor,
    catalogue: &Catalogue,
    today: NaiveDate,
    patients: usize,
    seed: u64,
    history: bool,
) -> Result<(), Failure> {
    if path.exists() {
        return Err(Failure::BadInput(format!(
            "{} already exists; Alongside will not overwrite it",
            path.display()
        )));
    }
    if patients == 0 || patients > 900_000 {
        return Err(Failure::BadInput("--patients must be between 1 and 900000".into()));
    }
    let created = open_store(path).and_then(|mut store| {
        Ok(create_demo(&mut store, actor, catalogue, today, patients, seed, history)?)
    });
    if created.is_err() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    let report = created?;
    eprintln!(
        "alongside: wrote the demonstration practice to {} ({} people)",
        path.display(),
        report.imported
    );
    Ok(())
}

/// The catalogue condition a SNOMED CT code belongs to, for `--condition`.
fn condition_of(catalogue: &Catalogue, code: &str) -> Result<String, Failure> {
    let code = SnomedCode::parse(code).map_err(|e| Failure::BadInput(e.to_string()))?;
    catalogue.lookup(&code).map(|(condition, _)| condition.id().to_string()).ok_or_else(|| {
        Failure::BadInput(format!("{code} is not the code of a condition Alongside knows"))
    })
}

/// Writes the rejected rows of an import where the person asked.
fn write_rejected(target: &std::path::Path, csv: Vec<u8>) -> Result<(), Failure> {
    std::fs::write(target, csv).map_err(|e| {
        Failure::Failed(format!("cannot write {}: {}", target.display(), plain_io_error(&e)))
    })
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    let written = serde_json::to_writer_pretty(&mut stdout, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(stdout));
    match written {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) is not a failure of the command.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Failed(format!("cannot write the output: {e}"))),
    }
}
