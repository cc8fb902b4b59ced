//! The practice's SQLite database: opening it safely, migrating it, and the one way to change
//! it, a transaction that records who made the change in the audit trail.

mod accounts;
mod audit;
mod backup;
mod batches;
mod careplans;
mod cycles;
mod directory;
mod observations;
mod packs;
mod patients;
mod reports;
mod settings;
mod triage;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

pub use accounts::Account;
pub use audit::{AuditCheck, AuditFilter, AuditRow};
pub use backup::{
    check_copy, replace_unopened, sidecars, CopyFacts, CopyProblem, LastBackup, SwapError,
};
pub use batches::{BatchItem, LetterBatch};
pub use careplans::{Draft, DraftSaveError, NewPlan, StoredPlan};
pub use cycles::{CycleHistoryEntry, CycleRecord, DayBooking, RecallEntry, RecordedAttempt};
pub use directory::StoredService;
pub use observations::{
    CurrentKey, NewObservation, ObservationSource, Retraction, RetractionKind, StoredObservation,
};
pub use packs::{PackBatch, PackItem, PackPrint};
pub use patients::{PatientRow, PatientSummary, SearchPage, TimelineEntry};
pub use reports::{AcknowledgedFinding, Reading, ReportPerson, StoredFeedback};
pub use triage::{
    AckAction, Acknowledgement, RuleChange, StoredTarget, TriageEntry, TriageKind, TriageRole,
};

/// "Alon": marks a SQLite file as an Alongside database (`PRAGMA application_id`).
const APPLICATION_ID: i32 = 0x416C_6F6E;

/// Numbered migrations, applied in order and never edited once released.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_register.sql", include_str!("migrations/0001_register.sql")),
    ("0002_cycles.sql", include_str!("migrations/0002_cycles.sql")),
    ("0003_observations.sql", include_str!("migrations/0003_observations.sql")),
    ("0004_triage.sql", include_str!("migrations/0004_triage.sql")),
    ("0005_packs.sql", include_str!("migrations/0005_packs.sql")),
    ("0006_care_plans.sql", include_str!("migrations/0006_care_plans.sql")),
    ("0007_reports.sql", include_str!("migrations/0007_reports.sql")),
    ("0008_access.sql", include_str!("migrations/0008_access.sql")),
];

/// The schema version this build writes: the number of migrations it knows.
pub fn schema_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// An open practice database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Opened for reading only, because the file (or its folder) may not be written: every
    /// change is refused with a message saying so.
    read_only: bool,
    /// The demonstration practice's made-up time for what is written next (`set_demo_clock`).
    clock: Option<chrono::NaiveDateTime>,
    /// Set when opening brought the database up to this version's schema.
    upgraded: Option<Upgrade>,
}

/// A database brought up to this version's schema when it was opened, and the copy of it kept
/// from before, beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upgrade {
    pub from: u32,
    pub to: u32,
    pub kept: PathBuf,
}

/// Why a database file was not opened. In every case the file is left exactly as it was.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{path} is a folder, not a database file")]
    IsAFolder { path: String },
    #[error("{path} is not an Alongside database ({why}); it has not been changed")]
    NotAlongside { path: String, why: String },
    #[error(
        "{path} was written by a newer version of Alongside (database version {found}; this \
         version understands up to {known}). It has not been changed: open it with the newer \
         version of Alongside"
    )]
    Newer { path: String, found: u32, known: u32 },
    #[error("{path} is damaged ({detail}); it has not been changed. Restore it from a backup")]
    Damaged { path: String, detail: String },
    #[error("cannot open {path}: {detail}")]
    Unreadable { path: String, detail: String },
    #[error(
        "{path} is read-only and must first be updated for this version of Alongside (database \
         version {found}; this version uses {known}), which means writing to it. Nothing was \
         changed: let Alongside write to the file (or copy it somewhere it can) and open it again"
    )]
    ReadOnlyNeedsUpdate { path: String, found: u32, known: u32 },
    #[error(
        "{path} must be updated for this version of Alongside (database version {found}; this \
         version uses {known}), but no copy of it could be kept first ({detail}), so it has not \
         been changed. Make room on the disk, or let Alongside write to its folder, and open it \
         again"
    )]
    NoCopyBeforeUpgrade { path: String, found: u32, known: u32, detail: String },
    #[error(
        "{path} could not be updated from database version {found} to {known} ({detail}). It \
         has been left exactly as it was, and a copy from before was kept at {kept}. Go on \
         using the earlier version of Alongside, and ask for help with both files"
    )]
    UpgradeFailed { path: String, found: u32, known: u32, kept: String, detail: String },
}

/// A failure while reading or writing an open database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", plain_sqlite_message(.0))]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database holds a value Alongside cannot read: {0}")]
    Unreadable(String),
    #[error("a change was about to be saved without an audit entry, so it was not saved")]
    NotAudited,
    #[error("the catalogue has more than 63 conditions, more than the register can index")]
    TooManyConditions,
    /// The change does not fit the database as it now is; the message says why.
    #[error("{0}")]
    Refused(String),
    /// The database was opened read-only, so no change can be saved.
    #[error(
        "the database {0} is read-only (Alongside may not write to the file or its folder), so \
         nothing was changed; everything in it can still be read. To make changes, ask whoever \
         looks after this computer to let Alongside write to it"
    )]
    ReadOnly(String),
}

/// What a SQLite failure means for the person using Alongside, in words they can act on: the
/// one place the command line and the window get these messages from.
pub fn plain_sqlite_message(error: &rusqlite::Error) -> String {
    use rusqlite::{ffi, ErrorCode};
    let message = match error.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => {
            "the disk is full (or the database file cannot grow), so nothing from this change was \
             saved; everything saved before is kept. Free some space and try again"
        }
        // A write refused by the system: a quota, a limit on the file's size, or a full disk
        // that did not say so.
        Some(ErrorCode::SystemIoFailure)
            if matches!(
                error.sqlite_extended_error_code(),
                Some(
                    ffi::SQLITE_IOERR_WRITE | ffi::SQLITE_IOERR_FSYNC | ffi::SQLITE_IOERR_TRUNCATE
                )
            ) =>
        {
            "the database file could not be written: the disk may be full (or the file cannot \
             grow), so nothing from this change was saved; everything saved before is kept. Free \
             some space and try again, and if it happens again, have the disk checked"
        }
        Some(ErrorCode::SystemIoFailure) => {
            "the database file could not be read or written (the disk may be full, removed or \
             failing), so nothing from this change was saved; everything saved before is kept. \
             Free some space or check the disk, and try again"
        }
        Some(ErrorCode::ReadOnly) => {
            "the database is read-only (Alongside may not write to the file or its folder), so \
             nothing was changed. To make changes, ask whoever looks after this computer to let \
             Alongside write to it"
        }
        Some(ErrorCode::CannotOpen) => {
            "the database file cannot be opened: check that its folder exists and that Alongside \
             may read and write there"
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            "the database is busy with another Alongside window or command, so nothing was \
             changed. Try again in a moment"
        }
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            "the database is damaged, so nothing was changed. Restore it from a backup"
        }
        Some(ErrorCode::OutOfMemory) => {
            "the computer ran out of memory, so nothing from this change was saved. Close other \
             programs and try again"
        }
        _ => return format!("database error: {error}"),
    };
    message.to_string()
}

/// What went wrong in an update, in SQLite's own short words (not the statement it was running,
/// which can be pages long).
fn update_problem(error: &rusqlite::Error) -> String {
    match error {
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
        other => plain_sqlite_message(other),
    }
}

/// The person making a change, recorded on every audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    pub fn new(name: &str) -> Actor {
        let name = name.trim();
        Actor(if name.is_empty() { "unknown".to_string() } else { name.to_string() })
    }

    /// Until staff accounts exist, changes are recorded against the operating-system user.
    pub fn operating_system_user() -> Actor {
        let name = ["USER", "USERNAME", "LOGNAME"].iter().find_map(|key| std::env::var(key).ok());
        Actor::new(name.as_deref().unwrap_or("unknown"))
    }

    pub fn name(&self) -> &str {
        &self.0
    }
}

impl Store {
    /// Opens the database at `path`, creating it if there is no file there yet. Checks that it
    /// is intact and an Alongside database no newer than this build before changing anything,
    /// then applies any pending migrations. A file Alongside may not write is opened for reading
    /// only: nothing is set up or migrated, and every change is refused with a message.
    pub fn open(path: &Path) -> Result<Store, OpenError> {
        let shown = path.display().to_string();
        let unreadable = |e: &dyn std::fmt::Display| OpenError::Unreadable {
            path: shown.clone(),
            detail: e.to_string(),
        };
        let sqlite = |e: rusqlite::Error| OpenError::Unreadable {
            path: shown.clone(),
            detail: plain_sqlite_message(&e),
        };
        if path.is_dir() {
            return Err(OpenError::IsAFolder { path: shown });
        }
        if path.exists() {
            check_header(path).map_err(|why| match why {
                HeaderProblem::Io(e) => unreadable(&e),
                HeaderProblem::NotSqlite => OpenError::NotAlongside {
                    path: shown.clone(),
                    why: "it is not a SQLite database file".into(),
                },
            })?;
        } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                return Err(unreadable(&format!("the folder {} does not exist", parent.display())));
            }
        }
        let protection = if path.exists() { protection(path) } else { Protection::Writable };
        let read_only = protection != Protection::Writable;
        let reading_only = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = match protection {
            Protection::Writable => Connection::open(path),
            // Opened as unchanging, SQLite creates no journal files beside it: a read-only
            // journal left there would stop Alongside writing once the file may be written
            // again. Not when a journal is already there: it may hold the latest changes.
            Protection::NobodyWrites if cfg!(unix) && !journal_path(path).exists() => {
                Connection::open_with_flags(immutable_uri(path), reading_only)
            }
            _ => Connection::open_with_flags(path, reading_only),
        }
        .map_err(sqlite)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sqlite)?;
        let quick_check: String = conn
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                    OpenError::Damaged { path: shown.clone(), detail: e.to_string() }
                }
                _ => sqlite(e),
            })?;
        if quick_check != "ok" {
            return Err(OpenError::Damaged { path: shown, detail: quick_check });
        }
        let pragma = |name: &str| -> Result<i64, OpenError> {
            conn.query_row(&format!("PRAGMA {name}"), [], |row| row.get(0)).map_err(sqlite)
        };
        let application_id = pragma("application_id")?;
        let version = pragma("user_version")?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(sqlite)?;
        let is_new = application_id == 0 && version == 0 && tables == 0;
        if !is_new && application_id != i64::from(APPLICATION_ID) {
            return Err(OpenError::NotAlongside {
                path: shown,
                why: "it is a SQLite database that holds other data".into(),
            });
        }
        if version > i64::from(schema_version()) {
            return Err(OpenError::Newer {
                path: shown,
                found: version as u32,
                known: schema_version(),
            });
        }
        if read_only {
            // Nothing may be written: no journal mode, no migration, only this connection's
            // own settings.
            if is_new || version < i64::from(schema_version()) {
                return Err(OpenError::ReadOnlyNeedsUpdate {
                    path: shown,
                    found: version as u32,
                    known: schema_version(),
                });
            }
            conn.execute_batch(
                "PRAGMA foreign_keys = ON; PRAGMA query_only = ON; PRAGMA cache_size = -65536;
                 PRAGMA temp_store = MEMORY;",
            )
            .map_err(sqlite)?;
            return Ok(Store {
                conn,
                path: path.to_path_buf(),
                read_only,
                clock: None,
                upgraded: None,
            });
        }
        conn.execute_batch(
            "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
        )
        .map_err(sqlite)?;
        let mut store =
            Store { conn, path: path.to_path_buf(), read_only, clock: None, upgraded: None };
        let (found, known) = (version as u32, schema_version());
        if !is_new && found < known {
            // An older database is copied, whole and checked, before anything touches it; the
            // update is one transaction, so a failure leaves the file exactly as it was (the
            // journal mode too: the switch to WAL comes after).
            let kept = store.keep_before_upgrade(found).map_err(|e| {
                OpenError::NoCopyBeforeUpgrade { path: shown.clone(), found, known, detail: e }
            })?;
            store.migrate(version as usize).map_err(|e| OpenError::UpgradeFailed {
                path: shown.clone(),
                found,
                known,
                kept: kept.display().to_string(),
                detail: update_problem(&e),
            })?;
            store.upgraded = Some(Upgrade { from: found, to: known, kept });
        } else {
            store.migrate(version as usize).map_err(sqlite)?;
        }
        store.conn.execute_batch("PRAGMA journal_mode = WAL;").map_err(sqlite)?;
        Ok(store)
    }

    /// Whether opening brought the database up to this version, and where the copy from
    /// before is.
    pub fn upgraded(&self) -> Option<&Upgrade> {
        self.upgraded.as_ref()
    }

    /// Copies the database, as it is, beside itself before it is updated from version `from`:
    /// `practice-before-upgrade-2026-11-23-143005-v7-to-v8.sqlite`. The copy is checked whole
    /// and never replaces a file already there.
    fn keep_before_upgrade(&self, from: u32) -> Result<PathBuf, String> {
        let stem = self.path.file_stem().and_then(|s| s.to_str()).unwrap_or("database");
        let folder = self.path.parent().unwrap_or(Path::new("."));
        let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
        let to = schema_version();
        let name = |n: u32| {
            let again = if n == 0 { String::new() } else { format!("-{}", n + 1) };
            folder.join(format!("{stem}-before-upgrade-{stamp}-v{from}-to-v{to}{again}.sqlite"))
        };
        let kept = (0..100).map(name).find(|p| !p.exists()).ok_or("too many copies already")?;
        let copied = backup::copy_database(&self.conn, &kept).and_then(|copy| {
            let check: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            let version: u32 = copy.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            copy.close().map_err(|(_, e)| e)?;
            if check != "ok" || version != from {
                return Err(StoreError::Refused(format!(
                    "the copy did not check as whole ({check}, version {version})"
                )));
            }
            Ok(())
        });
        if let Err(e) = copied {
            for file in std::iter::once(kept.clone()).chain(backup::sidecars(&kept)) {
                let _ = std::fs::remove_file(file);
            }
            return Err(e.to_string());
        }
        Ok(kept)
    }

    /// Applies the migrations after `applied`, all in one transaction with the version bump.
    fn migrate(&mut self, applied: usize) -> Result<(), rusqlite::Error> {
        if applied == MIGRATIONS.len() {
            return Ok(());
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
        for (_, sql) in &MIGRATIONS[applied..] {
            tx.execute_batch(sql)?;
        }
        // Entries made before the audit trail was chained are sealed in order, once.
        audit::seal(&tx)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
        tx.commit()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the database was opened for reading only (the file or its folder may not be
    /// written); every change is then refused with `StoreError::ReadOnly`.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Refuses, on a read-only database, work whose result must be recorded as it is made:
    /// letters and plans printed, a file exported. Nothing may leave the database unrecorded.
    pub fn check_writable(&self) -> Result<(), StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly(self.path.display().to_string()));
        }
        Ok(())
    }

    /// Runs `change` in one immediate transaction. It commits only if `change` succeeded and
    /// appended at least one audit entry; otherwise nothing is written. `change` may fail with
    /// its own error type (a refusal, say) to roll everything back.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        actor: &Actor,
        change: impl FnOnce(&mut Write<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.check_writable()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let at = match self.clock {
            Some(at) => stamp(at),
            None => chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        };
        let mut write =
            Write { tx, actor, at, audited: 0, condition_bits: HashMap::new(), chain: None };
        let result = change(&mut write)?;
        if write.audited == 0 {
            return Err(StoreError::NotAudited.into());
        }
        write.tx.commit().map_err(StoreError::from)?;
        Ok(result)
    }

    fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Stamps every later write with `at` instead of the time now (`None` goes back to now).
    /// Only the demonstration practice uses it, so that its made-up history reads as if each
    /// step happened on its own day.
    pub fn set_demo_clock(&mut self, at: Option<chrono::NaiveDateTime>) {
        self.clock = at;
    }
}

/// A time as the store stamps it: UTC, to the millisecond, `2026-11-23T14:30:05.123Z`.
fn stamp(at: chrono::NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// An open write transaction: every change goes through one of these.
pub struct Write<'s> {
    tx: Transaction<'s>,
    actor: &'s Actor,
    at: String,
    audited: usize,
    /// Bits of `patient.condition_flags` already looked up in this transaction.
    condition_bits: HashMap<String, i64>,
    /// The last audit entry's id and hash, once this transaction has read or written it.
    chain: Option<(i64, String)>,
}

impl Write<'_> {
    /// Appends an audit entry: who, when (this transaction's time), what, whose record.
    pub fn audit(
        &mut self,
        action: &str,
        patient_id: Option<i64>,
        summary: &str,
    ) -> Result<(), StoreError> {
        let (last_id, previous) = match self.chain.take() {
            Some(chain) => chain,
            None => audit::last_link(&self.tx)?,
        };
        let entry = crate::domain::audit::AuditEntry {
            id: last_id + 1,
            at: self.at.clone(),
            actor: self.actor.name().to_string(),
            action: action.to_string(),
            patient_id,
            summary: summary.to_string(),
        };
        let hash = crate::domain::audit::link(&previous, &entry);
        self.tx
            .prepare_cached(
                "INSERT INTO audit_event (id, at, actor, action, patient_id, summary, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute((entry.id, &entry.at, &entry.actor, action, patient_id, summary, &hash))?;
        self.chain = Some((entry.id, hash));
        self.audited += 1;
        Ok(())
    }

    /// The time stamped on everything this transaction writes.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// Stamps what this transaction writes next with `at`: only for the demonstration
    /// practice's history, played in one transaction as if over two years.
    pub fn set_demo_time(&mut self, at: chrono::NaiveDateTime) {
        self.at = stamp(at);
    }
}

/// Whether Alongside may write a database file, and if not, whether anyone may.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Protection {
    Writable,
    /// The file or its folder has no write permission for anyone, or it is on a read-only file
    /// system. A file made read-only on purpose is honoured even for an administrator, who
    /// could write it anyway.
    NobodyWrites,
    /// This user may not write it; others may.
    NotThisUser,
}

fn protection(path: &Path) -> Protection {
    let Ok(metadata) = std::fs::metadata(path) else { return Protection::Writable };
    if metadata.permissions().readonly() {
        return Protection::NobodyWrites;
    }
    // SQLite keeps its journal beside the file. (Windows gives folders a read-only attribute
    // that does not stop files being written, so only Unix folders are looked at.)
    #[cfg(unix)]
    {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if std::fs::metadata(folder).is_ok_and(|m| m.permissions().readonly()) {
            return Protection::NobodyWrites;
        }
    }
    // Opening for writing, without creating or truncating, changes nothing.
    match std::fs::OpenOptions::new().write(true).open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::ReadOnlyFilesystem => Protection::NobodyWrites,
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Protection::NotThisUser,
        _ => Protection::Writable,
    }
}

/// The write-ahead journal SQLite keeps beside a database in WAL mode.
fn journal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// A `file:` URI opening `path` as unchanging (`immutable=1`): read without locks or journal.
/// Used on Unix only, whose paths need no more than percent-encoding.
fn immutable_uri(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut uri = String::from("file:");
    for &byte in absolute.as_os_str().as_encoded_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                uri.push(char::from(byte))
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    uri
}

enum HeaderProblem {
    Io(std::io::Error),
    NotSqlite,
}

/// A non-empty file must start with SQLite's magic string before SQLite is let near it.
fn check_header(path: &Path) -> Result<(), HeaderProblem> {
    let mut file = std::fs::File::open(path).map_err(HeaderProblem::Io)?;
    let mut header = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut header).map_err(HeaderProblem::Io)?;
    if header.is_empty() || header == b"SQLite format 3\0" {
        Ok(())
    } else {
        Err(HeaderProblem::NotSqlite)
    }
}

/// Reads one optional text column that may be absent from older rows.
fn optional_text(conn: &Connection, sql: &str, key: &str) -> Result<Option<String>, StoreError> {
    Ok(conn.query_row(sql, [key], |row| row.get(0)).optional()?)
}

/// Where Alongside keeps its databases: the user's local data directory (on Linux
/// `~/.local/share/alongside`, following `XDG_DATA_HOME`; on Windows under `%LOCALAPPDATA%`,
/// never the roaming profile, which would copy the database to a server at every sign-out).
pub fn data_directory() -> Result<PathBuf, String> {
    let dirs = directories::ProjectDirs::from("uk", "Alongside", "Alongside")
        .ok_or("cannot find the user's home folder, so not where to keep the database")?;
    let dir = dirs.data_local_dir().to_path_buf();
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// The practice's own database.
pub fn practice_database_path() -> Result<PathBuf, String> {
    Ok(data_directory()?.join("practice.sqlite"))
}

/// The demonstration practice: a separate file, never the practice's.
pub fn demo_database_path() -> Result<PathBuf, String> {
    Ok(data_directory()?.join("demo.sqlite"))
}

#[cfg(test)]
mod tests;
