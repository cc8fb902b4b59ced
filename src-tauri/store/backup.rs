//! Copies of the database: a consistent snapshot while it is in use (SQLite's online backup
//! API), checking a copy to be restored before anything is touched, and swapping it in for the
//! open database while keeping the one it replaces.

use std::path::{Path, PathBuf};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{
    check_header, schema_version, HeaderProblem, Store, StoreError, Write, APPLICATION_ID,
};

const LAST_BACKUP_AT: &str = "last_backup_at";
const LAST_BACKUP_FILE: &str = "last_backup_file";

/// What a copy of the database holds, as a backup's header describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyFacts {
    pub schema_version: u32,
    pub practice_name: String,
    pub people: u64,
}

/// The latest backup of this database: when (UTC, RFC 3339) and which file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastBackup {
    pub at: String,
    pub file: String,
}

/// Why a copy cannot be restored. The copy is a new file of its own; the database is untouched.
#[derive(Debug, thiserror::Error)]
pub enum CopyProblem {
    #[error("it does not hold a SQLite database")]
    NotSqlite,
    #[error("the database inside is not an Alongside database")]
    NotAlongside,
    #[error(
        "the database inside is from a newer version of Alongside (database version {found}; \
         this version understands up to {known})"
    )]
    Newer { found: u32, known: u32 },
    #[error("the database inside is damaged ({0})")]
    Damaged(String),
    #[error("{0}")]
    Io(String),
}

/// Why a restored copy was not swapped in. The database is as it was, and still open.
#[derive(Debug, thiserror::Error)]
pub enum SwapError {
    #[error("another Alongside window or command is using the database; close it and try again")]
    InUse,
    #[error("{0}")]
    Failed(String),
}

impl Store {
    /// Copies the database into a new file at `target` as it stands at one moment, while other
    /// connections go on reading and writing. The copy uses a rollback journal, so it is one
    /// self-contained file with nothing beside it.
    pub fn snapshot_into(&self, target: &Path) -> Result<CopyFacts, StoreError> {
        let copy = copy_database(&self.conn, target)?;
        let facts = facts_of(&copy)?;
        copy.close().map_err(|(_, e)| e)?;
        Ok(facts)
    }

    /// The latest backup made of this database, or restored into it.
    pub fn last_backup(&self) -> Result<Option<LastBackup>, StoreError> {
        let at = self.setting_text(LAST_BACKUP_AT)?;
        let file = self.setting_text(LAST_BACKUP_FILE)?;
        Ok(at.map(|at| LastBackup { at, file: file.unwrap_or_default() }))
    }

    fn setting_text(&self, key: &str) -> Result<Option<String>, StoreError> {
        super::optional_text(self.conn(), "SELECT value FROM setting WHERE key = ?1", key)
    }

    /// Swaps the checked copy at `copy` in for this database, keeps this one as `keep_as`
    /// (never removed), and goes on with the restored database. Everything in the write-ahead
    /// log is checkpointed and the connection closed first, so no `-wal` or `-shm` of the old
    /// database is left to be applied to the new one; if another connection keeps them open the
    /// swap is refused. On any failure the database is as it was, and open.
    pub fn replace_with(&mut self, copy: &Path, keep_as: &Path) -> Result<(), SwapError> {
        let path = self.path.clone();
        let failed = |what: String| SwapError::Failed(what);
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| failed(format!("cannot write the database's log into it: {e}")))?;
        let placeholder = Connection::open_in_memory()
            .map_err(|e| failed(format!("cannot close the database: {e}")))?;
        let open = std::mem::replace(&mut self.conn, placeholder);
        if let Err((open, e)) = open.close() {
            self.conn = open;
            return Err(failed(format!("cannot close the database: {e}")));
        }
        let reopened = |store: &mut Store, error: SwapError| -> SwapError {
            match Store::open(&path) {
                Ok(again) => {
                    *store = again;
                    error
                }
                Err(e) => failed(format!("{error}; and the database could not be reopened: {e}")),
            }
        };
        if sidecars(&path).iter().any(|p| p.exists()) {
            return Err(reopened(self, SwapError::InUse));
        }
        // A second name for the same file where the file system allows it, else a copy.
        if std::fs::hard_link(&path, keep_as).is_err() {
            if let Err(e) = std::fs::copy(&path, keep_as) {
                let _ = std::fs::remove_file(keep_as);
                let error =
                    failed(format!("cannot keep the database as {}: {e}", keep_as.display()));
                return Err(reopened(self, error));
            }
        }
        let synced = std::fs::File::open(copy).and_then(|f| f.sync_all());
        if let Err(e) = synced.and_then(|()| std::fs::rename(copy, &path)) {
            let _ = std::fs::remove_file(keep_as);
            let error = failed(format!("cannot put the restored database in place: {e}"));
            return Err(reopened(self, error));
        }
        sync_folder(&path);
        match Store::open(&path) {
            Ok(restored) => {
                *self = restored;
                Ok(())
            }
            Err(e) => {
                // Put the database back as it was; the restored copy goes with it.
                let back = std::fs::rename(keep_as, &path);
                let error = failed(format!(
                    "the restored database did not open ({e}); {}",
                    match back {
                        Ok(()) => "the database was put back as it was".to_string(),
                        Err(b) => format!("the database is kept as {} ({b})", keep_as.display()),
                    }
                ));
                Err(reopened(self, error))
            }
        }
    }
}

impl Write<'_> {
    /// A backup was written to `file`: remembered for the Backup screen, and audited.
    pub fn record_backup(&mut self, file: &str, summary: &str) -> Result<(), StoreError> {
        let at = self.at.clone();
        self.set(LAST_BACKUP_AT, &at)?;
        self.set(LAST_BACKUP_FILE, file)?;
        self.audit("backup.exported", None, summary)
    }

    /// This database was restored from the backup `file` made at `made_at` (RFC 3339): that
    /// backup is the latest one it has, and the restore is audited.
    pub fn record_restore(
        &mut self,
        file: &str,
        made_at: &str,
        summary: &str,
    ) -> Result<(), StoreError> {
        self.set(LAST_BACKUP_AT, made_at)?;
        self.set(LAST_BACKUP_FILE, file)?;
        self.audit("backup.restored", None, summary)
    }
}

/// Checks a database copy about to be restored: a SQLite file, whole (`PRAGMA
/// integrity_check`), an Alongside database, no newer than this build. It is left in rollback
/// journal mode with nothing beside it, ready to be renamed into place.
pub fn check_copy(path: &Path) -> Result<CopyFacts, CopyProblem> {
    check_header(path).map_err(|p| match p {
        HeaderProblem::NotSqlite => CopyProblem::NotSqlite,
        HeaderProblem::Io(e) => CopyProblem::Io(format!("cannot read {}: {e}", path.display())),
    })?;
    let damaged = |e: rusqlite::Error| CopyProblem::Damaged(e.to_string());
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(damaged)?;
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check(10)")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(damaged)?;
    if integrity != ["ok"] {
        return Err(CopyProblem::Damaged(integrity.join("; ")));
    }
    let application_id: i64 =
        conn.query_row("PRAGMA application_id", [], |r| r.get(0)).map_err(damaged)?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(damaged)?;
    if application_id != i64::from(APPLICATION_ID) || version < 1 {
        return Err(CopyProblem::NotAlongside);
    }
    if version > i64::from(schema_version()) {
        return Err(CopyProblem::Newer { found: version as u32, known: schema_version() });
    }
    let facts = facts_of(&conn).map_err(|e| CopyProblem::Damaged(e.to_string()))?;
    let _: String =
        conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)).map_err(damaged)?;
    conn.close().map_err(|(_, e)| damaged(e))?;
    for sidecar in sidecars(path) {
        let _ = std::fs::remove_file(sidecar);
    }
    Ok(facts)
}

/// Copies the database open on `conn` into a new file at `target` as it stands at one moment,
/// with a rollback journal, so it is one self-contained file with nothing beside it.
pub(super) fn copy_database(conn: &Connection, target: &Path) -> Result<Connection, StoreError> {
    let mut copy = Connection::open(target)?;
    copy.busy_timeout(std::time::Duration::from_secs(5))?;
    {
        let backup = Backup::new(conn, &mut copy)?;
        // Every page in one step: one read transaction on the database, so the copy is one
        // moment of it; in WAL mode writers carry on meanwhile.
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::More => continue,
                _ => {
                    return Err(StoreError::Refused(
                        "the database was too busy to copy; try again in a moment".into(),
                    ))
                }
            }
        }
    }
    let _: String = copy.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    Ok(copy)
}

fn facts_of(conn: &Connection) -> Result<CopyFacts, StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let practice_name: Option<String> = conn
        .query_row("SELECT value FROM setting WHERE key = 'practice_name'", [], |r| r.get(0))
        .optional()?;
    let people: i64 = conn.query_row("SELECT count(*) FROM patient", [], |r| r.get(0))?;
    Ok(CopyFacts {
        schema_version: u32::try_from(version)
            .map_err(|_| StoreError::Unreadable(format!("database version {version}")))?,
        practice_name: practice_name.unwrap_or_default(),
        people: people as u64,
    })
}

/// The files SQLite keeps beside a database: the write-ahead log and its index in WAL mode, and
/// a rollback journal otherwise. Any of them left beside a restored database would be applied
/// to it, so none ever is.
pub fn sidecars(path: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with("-wal"), with("-shm"), with("-journal")]
}

/// Puts the checked copy at `copy` in place as `database` when there is no open database to
/// swap: nothing is there (a new computer), or the file does not open as an Alongside database
/// (damaged, or another program's). What is there is kept as `keep_as`, with its `-wal`, `-shm`
/// or journal beside it under the same new name; nothing is removed.
pub fn replace_unopened(
    database: &Path,
    copy: &Path,
    keep_as: Option<&Path>,
) -> Result<(), SwapError> {
    let failed = |what: &str, e: std::io::Error| SwapError::Failed(format!("{what}: {e}"));
    let present: Vec<(PathBuf, usize)> = std::iter::once(database.to_path_buf())
        .chain(sidecars(database))
        .enumerate()
        .filter(|(_, p)| p.exists())
        .map(|(i, p)| (p, i))
        .collect();
    if !present.is_empty() {
        let Some(keep_as) = keep_as else {
            return Err(SwapError::Failed(format!(
                "files of an earlier database are beside {}",
                database.display()
            )));
        };
        let kept: Vec<PathBuf> =
            std::iter::once(keep_as.to_path_buf()).chain(sidecars(keep_as)).collect();
        for (from, i) in &present {
            std::fs::rename(from, &kept[*i]).map_err(|e| {
                failed(&format!("cannot keep {} as {}", from.display(), kept[*i].display()), e)
            })?;
        }
    }
    std::fs::File::open(copy)
        .and_then(|f| f.sync_all())
        .and_then(|()| std::fs::rename(copy, database))
        .map_err(|e| failed("cannot put the restored database in place", e))?;
    sync_folder(database);
    Ok(())
}

/// Makes a rename durable where the system allows it (not on Windows, where it already is).
fn sync_folder(path: &Path) {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Ok(dir) = std::fs::File::open(folder) {
            let _ = dir.sync_all();
        }
    }
}
