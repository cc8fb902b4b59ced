//! The practice's SQLite database: opening it safely, migrating it, and the one way to change
//! it, a transaction that records who made the change in the audit trail.

mod backup;
mod batches;
mod careplans;
mod cycles;
mod directory;
mod observations;
mod packs;
mod patients;
mod settings;
mod triage;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

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
];

/// The schema version this build writes: the number of migrations it knows.
pub fn schema_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// An open practice database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
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
}

/// A failure while reading or writing an open database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
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
    /// then applies any pending migrations.
    pub fn open(path: &Path) -> Result<Store, OpenError> {
        let shown = path.display().to_string();
        let unreadable = |e: &dyn std::fmt::Display| OpenError::Unreadable {
            path: shown.clone(),
            detail: e.to_string(),
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
        let conn = Connection::open(path).map_err(|e| unreadable(&e))?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(|e| unreadable(&e))?;
        let quick_check: String = conn
            .query_row("PRAGMA quick_check", [], |row| row.get(0))
            .map_err(|e| OpenError::Damaged { path: shown.clone(), detail: e.to_string() })?;
        if quick_check != "ok" {
            return Err(OpenError::Damaged { path: shown, detail: quick_check });
        }
        let pragma = |name: &str| -> Result<i64, OpenError> {
            conn.query_row(&format!("PRAGMA {name}"), [], |row| row.get(0))
                .map_err(|e| unreadable(&e))
        };
        let application_id = pragma("application_id")?;
        let version = pragma("user_version")?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(|e| unreadable(&e))?;
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
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;
             PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;",
        )
        .map_err(|e| unreadable(&e))?;
        let mut store = Store { conn, path: path.to_path_buf() };
        store.migrate(version as usize).map_err(|e| unreadable(&e))?;
        Ok(store)
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
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", MIGRATIONS.len() as i64)?;
        tx.commit()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `change` in one immediate transaction. It commits only if `change` succeeded and
    /// appended at least one audit entry; otherwise nothing is written. `change` may fail with
    /// its own error type (a refusal, say) to roll everything back.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        actor: &Actor,
        change: impl FnOnce(&mut Write<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let mut write = Write { tx, actor, at, audited: 0, condition_bits: HashMap::new() };
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
}

/// An open write transaction: every change goes through one of these.
pub struct Write<'s> {
    tx: Transaction<'s>,
    actor: &'s Actor,
    at: String,
    audited: usize,
    /// Bits of `patient.condition_flags` already looked up in this transaction.
    condition_bits: HashMap<String, i64>,
}

impl Write<'_> {
    /// Appends an audit entry: who, when (this transaction's time), what, whose record.
    pub fn audit(
        &mut self,
        action: &str,
        patient_id: Option<i64>,
        summary: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit_event (at, actor, action, patient_id, summary)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute((&self.at, self.actor.name(), action, patient_id, summary))?;
        self.audited += 1;
        Ok(())
    }

    /// The time stamped on everything this transaction writes.
    pub fn at(&self) -> &str {
        &self.at
    }
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

/// Where Alongside keeps its databases: the user's data directory (on Linux
/// `~/.local/share/alongside`, following `XDG_DATA_HOME`).
pub fn data_directory() -> Result<PathBuf, String> {
    let dirs = directories::ProjectDirs::from("uk", "Alongside", "Alongside")
        .ok_or("cannot find the user's data directory (is HOME set?)")?;
    let dir = dirs.data_dir().to_path_buf();
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
