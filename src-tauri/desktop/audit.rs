//! The Audit screen: the trail filtered by person, user, action and dates, a page at a time;
//! its CSV export (itself audited); and the check of the hash chain.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tauri::State;

use super::commands::lock;
use super::dto::{ErrorCode, IpcError};
use super::session::actor;
use super::AppState;
use crate::exchange::access::{audit_filter, export_audit};
use crate::store::{AuditFilter, AuditRow, Store};

/// Entries on one page of the screen.
pub const PAGE: u32 = 100;

/// The screen's filter; an empty field filters nothing.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditFilterDto {
    pub nhs_number: String,
    pub user: String,
    /// An action (`record.viewed`) or a family of them (`record`).
    pub action: String,
    /// YYYY-MM-DD, both days included.
    pub from: String,
    pub to: String,
}

fn day(what: &str, text: &str) -> Result<Option<NaiveDate>, IpcError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| {
        IpcError::new(ErrorCode::InvalidInput, format!("{what} '{text}' is not a date"))
    })
}

fn some(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// The store's filter; an NHS number not on the register is refused.
fn filter(store: &Store, dto: &AuditFilterDto) -> Result<AuditFilter, IpcError> {
    let from = day("the first day", &dto.from)?;
    let to = day("the last day", &dto.to)?;
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(IpcError::new(
                ErrorCode::InvalidInput,
                "the first day is after the last day",
            ));
        }
    }
    Ok(audit_filter(
        store,
        some(&dto.nhs_number).as_deref(),
        some(&dto.user).as_deref(),
        some(&dto.action).as_deref(),
        from,
        to,
    )?)
}

#[derive(Serialize)]
pub struct AuditEntryDto {
    pub id: i64,
    /// When (UTC, as stored).
    pub at: String,
    pub user: String,
    pub action: String,
    pub nhs_number: Option<String>,
    pub name: Option<String>,
    pub summary: String,
}

impl From<AuditRow> for AuditEntryDto {
    fn from(row: AuditRow) -> AuditEntryDto {
        let (nhs_number, name) = row.person.unzip();
        AuditEntryDto {
            id: row.entry.id,
            at: row.entry.at,
            user: row.entry.actor,
            action: row.entry.action,
            nhs_number,
            name,
            summary: row.entry.summary,
        }
    }
}

#[derive(Serialize)]
pub struct AuditPageDto {
    pub entries: Vec<AuditEntryDto>,
    /// Whether there are older entries after this page.
    pub more: bool,
}

/// One page of entries matching the filter, newest first, from `offset`.
#[tauri::command(async)]
pub fn audit_trail(
    state: State<'_, AppState>,
    filter: AuditFilterDto,
    offset: u32,
) -> Result<AuditPageDto, IpcError> {
    let store = lock(&state);
    let filter = self::filter(&store, &filter)?;
    let mut rows = store.audit_entries(&filter, PAGE + 1, offset)?;
    let more = rows.len() > PAGE as usize;
    rows.truncate(PAGE as usize);
    Ok(AuditPageDto { entries: rows.into_iter().map(AuditEntryDto::from).collect(), more })
}

#[derive(Serialize)]
pub struct AuditChoicesDto {
    /// Usernames of every account.
    pub users: Vec<String>,
    /// Every action in the trail, sorted.
    pub actions: Vec<String>,
}

/// What the filter's lists offer.
#[tauri::command(async)]
pub fn audit_choices(state: State<'_, AppState>) -> Result<AuditChoicesDto, IpcError> {
    let store = lock(&state);
    let users = store.accounts()?.into_iter().map(|a| a.username).collect();
    Ok(AuditChoicesDto { users, actions: store.audit_actions()? })
}

#[derive(Serialize)]
pub struct AuditExportDto {
    pub file: String,
    pub entries: usize,
}

/// Saves every entry matching the filter as CSV; the export is itself recorded.
#[tauri::command(async)]
pub fn export_audit_trail(
    state: State<'_, AppState>,
    filter: AuditFilterDto,
    path: PathBuf,
) -> Result<AuditExportDto, IpcError> {
    let actor = actor(&state);
    let mut store = lock(&state);
    let filter = self::filter(&store, &filter)?;
    let entries = export_audit(&mut store, &actor, &filter, &path)?;
    Ok(AuditExportDto { file: path.display().to_string(), entries })
}

#[derive(Serialize)]
pub struct AuditCheckDto {
    pub checked: u64,
    pub intact: bool,
    /// The first entry found changed, removed or unsealed, in words.
    pub first_break: Option<String>,
    pub last_id: i64,
    pub last_hash: String,
}

/// Checks the whole hash chain, as `alongside audit verify` does.
#[tauri::command(async)]
pub fn verify_audit_trail(state: State<'_, AppState>) -> Result<AuditCheckDto, IpcError> {
    let checked = lock(&state).check_audit_chain()?;
    Ok(AuditCheckDto {
        checked: checked.checked,
        intact: checked.first_break.is_none(),
        first_break: checked.first_break.as_ref().map(ToString::to_string),
        last_id: checked.last_id,
        last_hash: checked.last_hash,
    })
}
