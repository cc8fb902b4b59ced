//! The commands the screens invoke. Each is a few lines: check the input, call the store or
//! exchange, return a DTO.

use std::path::PathBuf;
use std::sync::MutexGuard;

use tauri::State;

use super::dto::{
    AppInfo, ConditionOption, ErrorCode, ImportPreview, IpcError, PatientRecord, PersonListItem,
    SearchRequest, SearchResponse,
};
use super::session::{actor, may, record_viewed};
use super::AppState;
use crate::domain::access::Permission;
use crate::domain::nhs_number::NhsNumber;
use crate::domain::search::SearchText;
use crate::exchange::register_import::{
    fingerprint, import_register, read_file, ImportReport, RegisterFile,
};
use crate::exchange::results_import::{import_results, ResultsFile};
use crate::store::{PatientRow, Store};

const PAGE_SIZE: u32 = 25;

pub(super) fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// An NHS number typed or sent by a screen.
pub(super) fn parse_nhs(text: &str) -> Result<NhsNumber, IpcError> {
    NhsNumber::parse(text).map_err(|e| IpcError::new(ErrorCode::InvalidInput, e.to_string()))
}

/// The person with this NHS number, or an error the screen shows.
pub(super) fn registered(store: &Store, number: &NhsNumber) -> Result<PatientRow, IpcError> {
    store.patient(number)?.ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotFound,
            format!("no one with NHS number {number} is on the register"),
        )
    })
}

pub(super) fn lock(state: &AppState) -> MutexGuard<'_, Store> {
    // A panic while the lock was held leaves the store usable: every write is one transaction.
    state.store.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    let store = lock(&state);
    Ok(AppInfo {
        practice_name: store.practice_name()?,
        is_demo: store.is_demo()?,
        database_path: store.path().display().to_string(),
        version: env!("CARGO_PKG_VERSION"),
        schema_version: crate::store::schema_version(),
        documents_folder: documents_folder(),
        path_separator: std::path::MAIN_SEPARATOR.to_string(),
        upgraded: store.upgraded().map(|u| super::dto::UpgradeDto {
            from: u.from,
            to: u.to,
            kept: u.kept.display().to_string(),
        }),
    })
}

/// Everything the About screen shows: the version, where the database is, its schema version,
/// and the licences of Alongside, its fonts and the crates it is built from.
#[tauri::command(async)]
pub fn about(state: State<'_, AppState>) -> Result<serde_json::Value, IpcError> {
    let (path, upgraded) = {
        let store = lock(&state);
        (store.path().display().to_string(), store.upgraded().cloned())
    };
    let crates: serde_json::Value = serde_json::from_str(crate::assets::CRATE_LICENCES)
        .map_err(|e| IpcError::new(ErrorCode::Failed, format!("the crates' licences: {e}")))?;
    Ok(serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "licence": env!("CARGO_PKG_LICENSE"),
        "database_path": path,
        "schema_version": crate::store::schema_version(),
        "upgraded_from": upgraded.map(|u| u.from),
        "fonts": [{
            "name": "DejaVu Sans and DejaVu Sans Bold",
            "used_for": "letters, preparation packs, care plans and reports (PDF)",
            "licence": "Bitstream Vera Fonts licence (DejaVu changes in the public domain)",
            "text": crate::assets::FONT_LICENCE,
        }],
        "crates": crates["crates"],
        "texts": crates["texts"],
    }))
}

/// The user's documents folder, else their home folder, else the folder Alongside was started
/// in: never an empty string, which would put files at the top of the disk.
fn documents_folder() -> String {
    directories::UserDirs::new()
        .map(|dirs| dirs.document_dir().unwrap_or(dirs.home_dir()).to_path_buf())
        .or_else(|| std::env::current_dir().ok())
        .map(|folder| folder.display().to_string())
        .unwrap_or_else(|| ".".into())
}

#[tauri::command(async)]
pub fn list_conditions(state: State<'_, AppState>) -> Vec<ConditionOption> {
    state
        .catalogue
        .conditions()
        .iter()
        .map(|c| ConditionOption {
            id: c.id().to_string(),
            name: c.name().to_string(),
            short_name: c.short_name().to_string(),
        })
        .collect()
}

#[tauri::command(async)]
pub fn search_patients(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<SearchResponse, IpcError> {
    let text = SearchText::parse(&request.text);
    let page =
        lock(&state).search(&text, &request.filter(), request.page * PAGE_SIZE, PAGE_SIZE)?;
    let today = today();
    Ok(SearchResponse {
        total: page.total,
        page: request.page,
        page_size: PAGE_SIZE,
        people: page
            .people
            .into_iter()
            .map(|p| PersonListItem::new(p, &state.catalogue, today))
            .collect(),
    })
}

#[tauri::command(async)]
pub fn get_patient(
    state: State<'_, AppState>,
    nhs_number: String,
) -> Result<PatientRecord, IpcError> {
    record_viewed(&state, &nhs_number, "person")?;
    let number = parse_nhs(&nhs_number)?;
    let store = lock(&state);
    let row = registered(&store, &number)?;
    let sees_results = may(&state, Permission::PeopleResults);
    // Who opened the record is for the audit trail, not the person's timeline; results and
    // findings only for roles that may see them.
    let timeline = store
        .timeline(&number)?
        .into_iter()
        .filter(|e| e.action != "record.viewed")
        .filter(|e| sees_results || !bears_results(&e.action))
        .collect();
    Ok(PatientRecord::new(row, timeline, &state.catalogue, today()))
}

/// Whether a timeline entry shows a result, a recorded value or a finding.
fn bears_results(action: &str) -> bool {
    ["observation.", "results.", "triage."].iter().any(|p| action.starts_with(p))
}

/// Checks a register file and reports what importing it would do; nothing is written.
#[tauri::command(async)]
pub fn preview_register_import(
    state: State<'_, AppState>,
    path: PathBuf,
    kind: Option<String>,
) -> Result<ImportPreview, IpcError> {
    let bytes = read_file(&path)?;
    let (_, report) = import_file(&state, kind, &path, &bytes, true)?;
    Ok(ImportPreview { file: path.display().to_string(), fingerprint: fingerprint(&bytes), report })
}

/// Imports the file the person previewed, refusing if it has changed since.
#[tauri::command(async)]
pub fn confirm_register_import(
    state: State<'_, AppState>,
    path: PathBuf,
    fingerprint_seen: String,
    kind: Option<String>,
) -> Result<ImportReport, IpcError> {
    let bytes = read_file(&path)?;
    if fingerprint(&bytes) != fingerprint_seen {
        return Err(IpcError::new(
            ErrorCode::FileChanged,
            "the file has changed since it was checked: check it again before importing",
        ));
    }
    Ok(import_file(&state, kind, &path, &bytes, false)?.1)
}

/// Writes the rows of `path` that would be rejected, with line and reason, to `target`.
#[tauri::command(async)]
pub fn save_rejected_rows(
    state: State<'_, AppState>,
    path: PathBuf,
    target: PathBuf,
    kind: Option<String>,
) -> Result<usize, IpcError> {
    let (file, report) = import_file(&state, kind, &path, &read_file(&path)?, true)?;
    std::fs::write(&target, file.rejected_rows_csv(&report)).map_err(|e| {
        IpcError::new(ErrorCode::Failed, format!("cannot write {}: {e}", target.display()))
    })?;
    Ok(report.rejected.len())
}

/// A file being imported, kept to give back its rejected rows.
enum ImportedFile {
    Register(RegisterFile),
    Results(ResultsFile),
}

impl ImportedFile {
    fn rejected_rows_csv(&self, report: &ImportReport) -> Vec<u8> {
        match self {
            ImportedFile::Register(file) => file.rejected_rows_csv(report),
            ImportedFile::Results(file) => file.rejected_rows_csv(report),
        }
    }
}

/// Reads a register or results file's bytes and imports them, or only checks them when
/// `dry_run`. `kind` is "register" (the default) or "results".
fn import_file(
    state: &AppState,
    kind: Option<String>,
    path: &std::path::Path,
    bytes: &[u8],
    dry_run: bool,
) -> Result<(ImportedFile, ImportReport), IpcError> {
    let actor = actor(state);
    let name = path.display().to_string();
    let mut store = lock(state);
    match kind.as_deref().unwrap_or("register") {
        "register" => {
            let file = RegisterFile::read(bytes)?;
            let report = import_register(
                &mut store,
                &actor,
                &state.catalogue,
                today(),
                &file,
                &name,
                dry_run,
            )?;
            Ok((ImportedFile::Register(file), report))
        }
        "results" => {
            let file = ResultsFile::read(bytes)?;
            let report = import_results(
                &mut store,
                &actor,
                &state.catalogue,
                today(),
                &file,
                &name,
                dry_run,
            )?;
            Ok((ImportedFile::Results(file), report))
        }
        other => Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!("'{other}' is not a kind of file Alongside imports"),
        )),
    }
}

/// Writes everyone on the register, with where their review has got to, as a CSV file for
/// Excel where the user chose; audited. Returns how many people it holds.
#[tauri::command(async)]
pub fn export_register(state: State<'_, AppState>, target: PathBuf) -> Result<usize, IpcError> {
    if target.as_os_str().is_empty() {
        return Err(IpcError::new(ErrorCode::InvalidInput, "say where to save the file"));
    }
    let mut store = lock(&state);
    crate::exchange::register_export::export_register_to(
        &mut store,
        &actor(&state),
        &state.catalogue,
        &target,
    )
    .map_err(|e| match e {
        crate::exchange::register_export::ExportError::Store(e) => e.into(),
        other => IpcError::new(ErrorCode::Failed, other.to_string()),
    })
}
