//! The Backup and Restore screens' commands: when the last backup was made and whether to warn,
//! making one, checking a backup file and restoring it, after which the window goes on with the
//! restored database; and the automatic snapshot of each day's first start.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};
use serde::Serialize;
use tauri::State;

use super::commands::{lock, today};
use super::dto::{ErrorCode, IpcError};
use super::session::actor;
use super::AppState;
use crate::domain::backup::{backup_warning, suggested_backup_name, SNAPSHOTS_KEPT};
use crate::exchange::backup::{self, snapshot_list, snapshots_folder, BackupAbout, BackupError};
use crate::store::{Actor, Store};

impl From<BackupError> for IpcError {
    fn from(error: BackupError) -> IpcError {
        if error.is_bad_input() {
            IpcError::new(ErrorCode::InvalidInput, error.to_string())
        } else {
            eprintln!("alongside: {error:?}");
            IpcError::new(ErrorCode::Failed, error.to_string())
        }
    }
}

/// What the Backup screen and Settings say about backups.
#[derive(Serialize)]
pub struct BackupStatus {
    /// `never`, `recent` or `overdue` (more than 7 days).
    pub state: &'static str,
    /// When, in the computer's time: "23 November 2026 at 14:30".
    pub last_backup_at: Option<String>,
    pub last_backup_file: Option<String>,
    pub days_since: Option<i64>,
    /// Said to the practice when the state is not `recent`.
    pub warning: Option<String>,
    /// The name offered for a new backup.
    pub suggested_name: String,
    pub snapshots_folder: String,
    pub snapshots: usize,
    pub snapshots_kept: usize,
    /// The day of the latest automatic snapshot: "23 November 2026".
    pub latest_snapshot: Option<String>,
}

/// A backup file described, in the computer's time, for the Restore screen.
#[derive(Serialize)]
pub struct BackupFileDto {
    pub file: String,
    pub practice_name: String,
    pub made_at: String,
    pub app_version: String,
    pub schema_version: u32,
    pub people: u64,
    pub encrypted: bool,
    pub file_bytes: u64,
    /// Whether the database inside was unpacked and checked whole (false for an encrypted
    /// backup checked without its passphrase).
    pub checked: bool,
    /// Where the database a restore replaced was kept.
    pub replaced: Option<String>,
}

impl BackupFileDto {
    fn new(about: BackupAbout, checked: bool, replaced: Option<&Path>) -> BackupFileDto {
        BackupFileDto {
            made_at: local_time(&about.created_at).unwrap_or(about.created_at),
            file: about.file,
            practice_name: about.practice_name,
            app_version: about.app_version,
            schema_version: about.schema_version,
            people: about.people,
            encrypted: about.encrypted,
            file_bytes: about.file_bytes,
            checked,
            replaced: replaced.map(|p| p.display().to_string()),
        }
    }
}

/// "23 November 2026 at 14:30" for a UTC time in RFC 3339.
fn local_time(at: &str) -> Option<String> {
    let local = DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Local);
    Some(local.format("%-d %B %Y at %H:%M").to_string())
}

#[tauri::command(async)]
pub fn backup_status(state: State<'_, AppState>) -> Result<BackupStatus, IpcError> {
    let store = lock(&state);
    let last = store.last_backup()?;
    let database = store.path().to_path_buf();
    drop(store);
    let at = last.as_ref().and_then(|l| DateTime::parse_from_rfc3339(&l.at).ok());
    let day = at.map(|at| at.with_timezone(&Local).date_naive());
    let warning = backup_warning(day, today());
    let snapshots = snapshot_list(&database);
    Ok(BackupStatus {
        state: match (&day, &warning) {
            (None, _) => "never",
            (Some(_), Some(_)) => "overdue",
            (Some(_), None) => "recent",
        },
        last_backup_at: last.as_ref().and_then(|l| local_time(&l.at)),
        last_backup_file: last.map(|l| l.file),
        days_since: day.map(|d| (today() - d).num_days()),
        warning,
        suggested_name: suggested_backup_name(today()),
        snapshots_folder: snapshots_folder(&database).display().to_string(),
        snapshots: snapshots.len(),
        snapshots_kept: SNAPSHOTS_KEPT,
        latest_snapshot: snapshots.first().map(|(day, _)| crate::domain::person::format_date(*day)),
    })
}

/// Writes a backup to `target`, encrypted when a passphrase is given (the screen has had it
/// typed twice).
#[tauri::command(async)]
pub fn make_backup(
    state: State<'_, AppState>,
    target: PathBuf,
    passphrase: Option<String>,
) -> Result<BackupFileDto, IpcError> {
    let passphrase = passphrase.filter(|p| !p.is_empty());
    let about = backup::back_up(
        &mut lock(&state),
        &actor(&state),
        &target,
        passphrase.as_deref(),
        Utc::now(),
    )?;
    Ok(BackupFileDto::new(about, true, None))
}

/// Checks a backup file and says what it holds; changes nothing.
#[tauri::command(async)]
pub fn check_backup_file(
    state: State<'_, AppState>,
    path: PathBuf,
    passphrase: Option<String>,
) -> Result<BackupFileDto, IpcError> {
    let database = lock(&state).path().to_path_buf();
    let passphrase = passphrase.filter(|p| !p.is_empty());
    let checked = backup::check_backup(&database, &path, passphrase.as_deref())?;
    Ok(BackupFileDto::new(checked.about, checked.opened, None))
}

/// Restores the backup into the open database; the window goes on with the restored one.
#[tauri::command(async)]
pub fn restore_backup(
    state: State<'_, AppState>,
    path: PathBuf,
    passphrase: Option<String>,
) -> Result<BackupFileDto, IpcError> {
    let passphrase = passphrase.filter(|p| !p.is_empty());
    let restored =
        backup::restore(&mut lock(&state), &actor(&state), &path, passphrase.as_deref())?;
    Ok(BackupFileDto::new(restored.about, true, restored.replaced.as_deref()))
}

/// The day's first start keeps a snapshot beside the database, on its own connection so the
/// window opens at once; a failure is logged, never shown as an error.
pub fn take_daily_snapshot(database: &Path) {
    let taken = Store::open(database).map_err(|e| e.to_string()).and_then(|mut store| {
        backup::take_daily_snapshot(
            &mut store,
            // Taken as the window opens, before anyone signs in.
            &Actor::operating_system_user(),
            today(),
            Utc::now(),
        )
        .map_err(|e| e.to_string())
    });
    match taken {
        Ok(done) => {
            if let Some(file) = done.taken {
                eprintln!("alongside: today's snapshot was kept as {}", file.display());
            }
        }
        Err(e) => eprintln!("alongside: no snapshot was kept today: {e}"),
    }
}
