//! The packs screen's commands: approved reviews waiting for their preparation pack and those
//! held with the reason, one PDF of the chosen packs, confirming or cancelling the batch, and
//! one person's pack printed again.

use std::path::PathBuf;

use serde::Serialize;
use tauri::State;

use super::commands::{lock, parse_nhs, today};
use super::dto::{ErrorCode, IpcError};
use super::session::actor;
use super::AppState;
use crate::domain::person::format_date;
use crate::exchange::packs::{
    cancel_pack_batch, confirm_pack_batch, pack_list, prepare_packs, record_prepared_packs,
    reprint_pack as reprint, PackError, PackLine, PacksConfirmed,
};
use crate::exchange::recall::Skipped;

impl From<PackError> for IpcError {
    fn from(error: PackError) -> IpcError {
        match error {
            PackError::NotFound(_) => IpcError::new(ErrorCode::NotFound, error.to_string()),
            PackError::Refused(_) => IpcError::new(ErrorCode::Refused, error.to_string()),
            PackError::Store(e) => e.into(),
        }
    }
}

/// One review on the packs screen.
#[derive(Serialize)]
pub struct PackRowDto {
    pub cycle_id: i64,
    pub nhs_number: String,
    pub name: String,
    /// "Triaged", "Results complete"…
    pub status: &'static str,
    /// "3 December 2026 at 10:15 with Nurse J Okoye, Riverside Surgery", if booked.
    pub conversation: Option<String>,
    pub days_until: Option<i64>,
    pub large_print: bool,
    /// "ready", or why the pack is held: left, died, not_approved, red_finding, format,
    /// no_address, too_soon.
    pub state: &'static str,
    pub reason: Option<String>,
}

#[derive(Serialize)]
pub struct PacksPageDto {
    pub today: String,
    pub minimum_days: u32,
    pub ready: usize,
    pub held: usize,
    pub rows: Vec<PackRowDto>,
}

fn row(line: &PackLine) -> PackRowDto {
    let person = &line.patient.details;
    PackRowDto {
        cycle_id: line.cycle_id,
        nhs_number: person.nhs_number.as_str().to_string(),
        name: format!("{}, {}", person.name.family(), person.name.given()),
        status: line.status.label(),
        conversation: line.conversation.as_ref().map(|b| b.describe()),
        days_until: line.days_until,
        large_print: line.large_print,
        state: line.hold.as_ref().map_or("ready", |h| h.code()),
        reason: line.hold.as_ref().map(|h| h.reason()),
    }
}

/// Every review waiting for its pack, ready ones first, each group in surname order.
#[tauri::command(async)]
pub fn packs_list(state: State<'_, AppState>) -> Result<PacksPageDto, IpcError> {
    let store = lock(&state);
    let settings = store.practice_settings(&state.catalogue)?;
    let lines = pack_list(&store, &state.catalogue, &state.rules, today())?;
    let mut rows: Vec<PackRowDto> = lines.iter().map(row).collect();
    rows.sort_by_key(|r| r.state != "ready");
    let ready = rows.iter().filter(|r| r.state == "ready").count();
    Ok(PacksPageDto {
        today: format_date(today()),
        minimum_days: settings.pack_minimum_days,
        ready,
        held: rows.len() - ready,
        rows,
    })
}

#[derive(Serialize)]
pub struct PreparedPacksDto {
    pub batch: i64,
    pub file: String,
    pub packs: usize,
    pub large_print: usize,
    pub held: Vec<Skipped>,
}

/// Writes the chosen reviews' packs into one PDF at `target` and records the batch as waiting
/// for confirmation. Nothing counts as sent yet.
#[tauri::command(async)]
pub fn print_packs(
    state: State<'_, AppState>,
    cycles: Vec<i64>,
    target: PathBuf,
) -> Result<PreparedPacksDto, IpcError> {
    if cycles.is_empty() {
        return Err(IpcError::new(ErrorCode::InvalidInput, "choose at least one pack to print"));
    }
    if target.as_os_str().is_empty() {
        return Err(IpcError::new(ErrorCode::InvalidInput, "say where to save the PDF"));
    }
    let mut store = lock(&state);
    let created = chrono::Utc::now().naive_utc();
    let prepared = prepare_packs(
        &store,
        &state.catalogue,
        &state.rules,
        &state.pack_texts,
        Some(&cycles),
        today(),
        created,
    )?;
    if prepared.items.is_empty() {
        return Err(IpcError::new(
            ErrorCode::Refused,
            "none of the chosen packs can be printed: every one is held",
        ));
    }
    std::fs::write(&target, &prepared.pdf).map_err(|e| {
        IpcError::new(ErrorCode::Failed, format!("cannot write {}: {e}", target.display()))
    })?;
    let file = target.display().to_string();
    let batch = record_prepared_packs(&mut store, &actor(&state), &prepared, &file)?;
    Ok(PreparedPacksDto {
        batch,
        file,
        packs: prepared.items.len(),
        large_print: prepared.large_print,
        held: prepared.held,
    })
}

/// The batch was printed and posted: every pack in it is recorded as sent today.
#[tauri::command(async)]
pub fn confirm_packs(state: State<'_, AppState>, batch: i64) -> Result<PacksConfirmed, IpcError> {
    let mut store = lock(&state);
    Ok(confirm_pack_batch(
        &mut store,
        &actor(&state),
        &state.catalogue,
        &state.rules,
        batch,
        today(),
    )?)
}

/// The batch did not print: nothing is recorded.
#[tauri::command(async)]
pub fn cancel_packs(state: State<'_, AppState>, batch: i64) -> Result<(), IpcError> {
    Ok(cancel_pack_batch(&mut lock(&state), &actor(&state), batch)?)
}

/// Opens a batch's PDF in the computer's own PDF viewer, to print it.
#[tauri::command(async)]
pub fn open_pack_batch(state: State<'_, AppState>, batch: i64) -> Result<(), IpcError> {
    let file = lock(&state)
        .pack_batch(batch)?
        .ok_or_else(|| {
            IpcError::new(ErrorCode::NotFound, format!("there is no pack batch {batch}"))
        })?
        .file;
    tauri_plugin_opener::open_path(&file, None::<&str>)
        .map_err(|e| IpcError::new(ErrorCode::Failed, format!("cannot open {file}: {e}")))
}

#[derive(Serialize)]
pub struct ReprintDto {
    pub batch: i64,
    pub file: String,
    pub large_print: bool,
}

/// Prints one person's pack again (it was sent before) to `target`; audited.
#[tauri::command(async)]
pub fn reprint_pack(
    state: State<'_, AppState>,
    nhs_number: String,
    target: PathBuf,
) -> Result<ReprintDto, IpcError> {
    let nhs_number = parse_nhs(&nhs_number)?;
    if target.as_os_str().is_empty() {
        return Err(IpcError::new(ErrorCode::InvalidInput, "say where to save the PDF"));
    }
    let mut store = lock(&state);
    let created = chrono::Utc::now().naive_utc();
    let (batch, prepared) = reprint(
        &mut store,
        &actor(&state),
        &state.catalogue,
        &state.rules,
        &state.pack_texts,
        &nhs_number,
        today(),
        created,
        |pdf| {
            std::fs::write(&target, pdf)
                .map(|()| target.display().to_string())
                .map_err(|e| format!("cannot write {}: {e}", target.display()))
        },
    )?;
    Ok(ReprintDto {
        batch,
        file: target.display().to_string(),
        large_print: prepared.large_print > 0,
    })
}
