//! The conversation screen's commands (the plan being worked on, saved as typed; agreeing it;
//! the person declining; the printed plan) and the "more than medicine" directory's, for the
//! conversation screen's search and for Settings.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::State;

use super::commands::{lock, parse_nhs, today};
use super::dto::{ErrorCode, IpcError};
use super::session::{actor, record_viewed};
use super::AppState;
use crate::domain::careplan::{AgreedWith, Agreement, PlanDocument};
use crate::domain::directory::{Access, Category, ServiceFields};
use crate::domain::person::{age_on, format_date, RegistrationStatus};
use crate::exchange::careplans::{self, PlanError};
use crate::exchange::csv_table::{plain_io_error, read_file};
use crate::exchange::directory::{self, DirectoryError, DirectoryImport};
use crate::store::{Draft, DraftSaveError, StoredPlan, StoredService};

impl From<PlanError> for IpcError {
    fn from(error: PlanError) -> IpcError {
        match error {
            PlanError::NotFound(_) => IpcError::new(ErrorCode::NotFound, error.to_string()),
            PlanError::Refused(_) | PlanError::NotYetAgreed(_) => {
                IpcError::new(ErrorCode::Refused, error.to_string())
            }
            PlanError::Draft(DraftSaveError::Stale) => {
                IpcError::new(ErrorCode::FileChanged, error.to_string())
            }
            PlanError::Draft(DraftSaveError::Store(e)) | PlanError::Store(e) => e.into(),
            PlanError::Draft(e) => IpcError::new(ErrorCode::Refused, e.to_string()),
        }
    }
}

impl From<DirectoryError> for IpcError {
    fn from(error: DirectoryError) -> IpcError {
        match error {
            DirectoryError::Rows(rows) => {
                let mut message =
                    format!("nothing was imported: {} row(s) need correcting", rows.len());
                for row in rows {
                    message.push_str(&format!("\nline {}: {}", row.line, row.reason));
                }
                IpcError::new(ErrorCode::InvalidInput, message)
            }
            DirectoryError::Store(e) => e.into(),
            other => IpcError::new(ErrorCode::InvalidInput, other.to_string()),
        }
    }
}

#[derive(Serialize)]
pub struct DraftDto {
    pub id: i64,
    pub revision: i64,
    /// "review" (this year's plan, starting from the last), "change" (a new version of the
    /// last plan) or "first".
    pub kind: &'static str,
    pub based_on_version: Option<u32>,
    pub started_by: String,
    pub saved_at: String,
    pub plan: PlanDocument,
}

#[derive(Serialize)]
pub struct VersionDto {
    pub version: u32,
    pub agreed_on: String,
    pub agreed_with: String,
    pub clinician: String,
    pub reason: String,
    pub agreed_by: String,
    pub no_contingency_confirmed: bool,
    pub plan: PlanDocument,
}

#[derive(Serialize)]
pub struct ConversationDto {
    pub nhs_number: String,
    pub name: String,
    pub date_of_birth: String,
    pub age: u32,
    pub conditions: Vec<String>,
    pub communication: Vec<String>,
    pub registered: bool,
    pub review: Option<ReviewLine>,
    pub draft: Option<DraftDto>,
    /// Agreed versions, newest first.
    pub versions: Vec<VersionDto>,
    pub today: String,
}

#[derive(Serialize)]
pub struct ReviewLine {
    pub status: &'static str,
    pub status_label: &'static str,
    pub conversation: Option<String>,
    pub can_decline: bool,
}

fn draft_dto(draft: Draft, plans: &[StoredPlan]) -> DraftDto {
    let based_on = draft.based_on.and_then(|id| plans.iter().find(|p| p.id == id));
    DraftDto {
        id: draft.id,
        revision: draft.revision,
        kind: match (based_on, plans.is_empty()) {
            (Some(_), _) => "change",
            (None, false) => "review",
            (None, true) => "first",
        },
        based_on_version: based_on.map(|p| p.version),
        started_by: draft.started_by,
        saved_at: draft.saved_at,
        plan: draft.doc,
    }
}

fn with_words(with: &AgreedWith) -> String {
    match with {
        AgreedWith::Person => "the person".into(),
        AgreedWith::Representative { name, relationship } => format!("{name} ({relationship})"),
    }
}

fn conversation_dto(state: &AppState, nhs_number: &str) -> Result<ConversationDto, IpcError> {
    let number = parse_nhs(nhs_number)?;
    let store = lock(state);
    let found = careplans::conversation(&store, &number)?;
    let details = &found.patient.details;
    let conditions = details
        .conditions
        .iter()
        .filter_map(|d| state.catalogue.condition(&d.condition_id))
        .map(|c| c.name().to_string())
        .collect();
    let versions: Vec<VersionDto> = found
        .plans
        .iter()
        .rev()
        .map(|p| VersionDto {
            version: p.version,
            agreed_on: format_date(p.agreed_on),
            agreed_with: with_words(&p.with),
            clinician: p.clinician.clone(),
            reason: p.change_reason.clone(),
            agreed_by: p.agreed_by.clone(),
            no_contingency_confirmed: p.no_contingency_confirmed,
            plan: p.doc.clone(),
        })
        .collect();
    Ok(ConversationDto {
        nhs_number: details.nhs_number.as_str().to_string(),
        name: format!("{} {}", details.name.given(), details.name.family()),
        date_of_birth: format_date(details.date_of_birth),
        age: age_on(details.date_of_birth, today()),
        conditions,
        communication: details.communication_needs.iter().map(|n| n.label()).collect(),
        registered: details.status == RegistrationStatus::Registered,
        review: found.cycle.as_ref().map(|c| ReviewLine {
            status: c.cycle.status().code(),
            status_label: c.cycle.status().label(),
            conversation: c.cycle.conversation().map(|b| b.describe()),
            can_decline: c.cycle.status().is_open(),
        }),
        draft: found.draft.map(|d| draft_dto(d, &found.plans)),
        versions,
        today: today().to_string(),
    })
}

/// The person, their review, the plan being worked on (if any) and every agreed version.
#[tauri::command(async)]
pub fn get_conversation(
    state: State<'_, AppState>,
    nhs_number: String,
) -> Result<ConversationDto, IpcError> {
    record_viewed(&state, &nhs_number, "conversation")?;
    conversation_dto(&state, &nhs_number)
}

/// Starts working on the plan (or returns the one already being worked on).
#[tauri::command(async)]
pub fn start_plan(
    state: State<'_, AppState>,
    nhs_number: String,
) -> Result<ConversationDto, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    careplans::open_draft(&mut lock(&state), &actor(&state), &number)?;
    conversation_dto(&state, &nhs_number)
}

#[derive(Serialize)]
pub struct SavedDto {
    pub revision: i64,
}

/// Saves the plan as it is on the screen; called within a second of every change.
#[tauri::command(async)]
pub fn save_plan(
    state: State<'_, AppState>,
    draft: i64,
    revision: i64,
    plan: serde_json::Value,
) -> Result<SavedDto, IpcError> {
    let doc = PlanDocument::from_json(&plan.to_string())
        .map_err(|e| IpcError::new(ErrorCode::InvalidInput, format!("not saved: {e}")))?;
    let revision = careplans::save_draft(&mut lock(&state), &actor(&state), draft, revision, &doc)?;
    Ok(SavedDto { revision })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementDto {
    /// "person" or "representative".
    pub with: String,
    #[serde(default)]
    pub representative_name: String,
    #[serde(default)]
    pub relationship: String,
    #[serde(default)]
    pub no_contingency_confirmed: bool,
    #[serde(default)]
    pub reason: String,
}

/// Marks the plan agreed, as a new version; refused with everything still missing.
#[tauri::command(async)]
pub fn agree_plan(
    state: State<'_, AppState>,
    nhs_number: String,
    draft: i64,
    revision: i64,
    agreement: AgreementDto,
) -> Result<ConversationDto, IpcError> {
    let with = match agreement.with.as_str() {
        "person" => AgreedWith::Person,
        "representative" => AgreedWith::Representative {
            name: agreement.representative_name,
            relationship: agreement.relationship,
        },
        other => {
            return Err(IpcError::new(
                ErrorCode::InvalidInput,
                format!("agreed with '{other}': say the person or a representative"),
            ))
        }
    };
    careplans::agree(
        &mut lock(&state),
        &actor(&state),
        draft,
        revision,
        &Agreement {
            with,
            no_contingency_confirmed: agreement.no_contingency_confirmed,
            reason: agreement.reason,
        },
        today(),
    )?;
    conversation_dto(&state, &nhs_number)
}

/// The person declined the conversation: the review closes as declined, with the reason.
#[tauri::command(async)]
pub fn decline_conversation(
    state: State<'_, AppState>,
    nhs_number: String,
    reason: String,
) -> Result<ConversationDto, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    careplans::decline(&mut lock(&state), &actor(&state), &number, &reason, today())?;
    conversation_dto(&state, &nhs_number)
}

/// Drops the plan being worked on (kept, closed), with why.
#[tauri::command(async)]
pub fn set_aside_plan(
    state: State<'_, AppState>,
    nhs_number: String,
    draft: i64,
    why: String,
) -> Result<ConversationDto, IpcError> {
    careplans::set_aside(&mut lock(&state), &actor(&state), draft, &why)?;
    conversation_dto(&state, &nhs_number)
}

#[derive(Serialize)]
pub struct PrintedPlanDto {
    pub file: String,
    pub version: u32,
    pub large_print: bool,
}

#[derive(Serialize)]
pub struct ExportedPlanDto {
    pub version: u32,
    pub file: String,
}

/// Writes the agreed plan (the latest, or `version`) as a FHIR R4 document to the file the
/// user chose, for another health or care service, and records where it went.
#[tauri::command(async)]
pub fn export_plan_fhir(
    state: State<'_, AppState>,
    nhs_number: String,
    version: Option<u32>,
    target: String,
) -> Result<ExportedPlanDto, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let mut store = lock(&state);
    let settings = store.practice_settings(&state.catalogue)?;
    let made_at = chrono::Local::now().fixed_offset();
    let exported =
        careplans::plan_fhir(&store, &state.catalogue, &number, version, &settings, made_at)?;
    let path = PathBuf::from(&target);
    careplans::write_plan_fhir(&mut store, &actor(&state), &exported, &path)?;
    Ok(ExportedPlanDto { version: exported.version, file: target })
}

/// Writes "My care and support plan" (the latest version, or `version`) to the `printed`
/// folder beside the database, records it, and opens it in the computer's PDF viewer.
#[tauri::command(async)]
pub fn print_plan(
    state: State<'_, AppState>,
    nhs_number: String,
    version: Option<u32>,
) -> Result<PrintedPlanDto, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let mut store = lock(&state);
    let settings = store.practice_settings(&state.catalogue)?;
    let created = chrono::Utc::now().naive_utc();
    let printed = careplans::plan_pdf(
        &store,
        &number,
        version,
        &state.careplan_texts,
        &settings,
        today(),
        created,
    )?;
    let folder = store
        .path()
        .parent()
        .map(|p| p.join("printed"))
        .unwrap_or_else(|| PathBuf::from("printed"));
    std::fs::create_dir_all(&folder).map_err(|e| {
        IpcError::new(
            ErrorCode::Failed,
            format!("cannot make {}: {}", folder.display(), plain_io_error(&e)),
        )
    })?;
    let target =
        folder.join(format!("care-plan-{}-version-{}.pdf", number.as_str(), printed.version));
    std::fs::write(&target, &printed.pdf).map_err(|e| {
        IpcError::new(
            ErrorCode::Failed,
            format!("cannot write {}: {}", target.display(), plain_io_error(&e)),
        )
    })?;
    let file = target.display().to_string();
    careplans::record_plan_printed(&mut store, &actor(&state), &printed, &file)?;
    drop(store);
    tauri_plugin_opener::open_path(&file, None::<&str>)
        .map_err(|e| IpcError::new(ErrorCode::Failed, format!("cannot open {file}: {e}")))?;
    Ok(PrintedPlanDto { file, version: printed.version, large_print: printed.large_print })
}

#[derive(Serialize)]
pub struct ServiceDto {
    pub id: i64,
    pub name: String,
    pub category: &'static str,
    pub category_label: &'static str,
    pub offers: String,
    pub for_whom: String,
    pub access: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub address: String,
    pub opening_times: String,
    pub cost: String,
    pub accessibility: String,
    pub last_checked: String,
    pub retired: bool,
    /// How to get in touch, in one line, as a plan records it.
    pub contact: String,
}

impl From<&StoredService> for ServiceDto {
    fn from(stored: &StoredService) -> ServiceDto {
        let s = &stored.service;
        ServiceDto {
            id: stored.id,
            name: s.name.clone(),
            category: s.category.code(),
            category_label: s.category.label(),
            offers: s.offers.clone(),
            for_whom: s.for_whom.clone(),
            access: Access::list_label(&s.access),
            phone: s.phone.clone(),
            email: s.email.clone(),
            website: s.website.clone(),
            address: s.address.clone(),
            opening_times: s.opening_times.clone(),
            cost: s.cost.clone(),
            accessibility: s.accessibility.clone(),
            last_checked: s.last_checked.map(|d| d.to_string()).unwrap_or_default(),
            retired: stored.retired_at.is_some(),
            contact: s.contact_line(),
        }
    }
}

#[derive(Serialize)]
pub struct DirectoryDto {
    pub services: Vec<ServiceDto>,
    /// (code, label) of every category, for the form.
    pub categories: Vec<(&'static str, &'static str)>,
    pub access: Vec<&'static str>,
}

/// The services matching every typed word (all, with nothing typed); retired ones if asked.
#[tauri::command(async)]
pub fn search_directory(
    state: State<'_, AppState>,
    query: String,
    include_retired: bool,
) -> Result<DirectoryDto, IpcError> {
    let found = directory::search(&lock(&state), &query, include_retired)?;
    Ok(DirectoryDto {
        services: found.iter().map(ServiceDto::from).collect(),
        categories: Category::ALL.iter().map(|c| (c.code(), c.label())).collect(),
        access: Access::ALL.iter().map(|a| a.label()).collect(),
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceFieldsDto {
    pub name: String,
    pub category: String,
    #[serde(default)]
    pub offers: String,
    #[serde(default)]
    pub for_whom: String,
    #[serde(default)]
    pub access: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub opening_times: String,
    #[serde(default)]
    pub cost: String,
    #[serde(default)]
    pub accessibility: String,
    #[serde(default)]
    pub last_checked: String,
}

/// Adds a service (no `id`) or saves an edited one; returns its id.
#[tauri::command(async)]
pub fn save_service(
    state: State<'_, AppState>,
    id: Option<i64>,
    fields: ServiceFieldsDto,
) -> Result<i64, IpcError> {
    let f = fields;
    let fields = ServiceFields {
        name: f.name,
        category: f.category,
        offers: f.offers,
        for_whom: f.for_whom,
        access: f.access,
        phone: f.phone,
        email: f.email,
        website: f.website,
        address: f.address,
        opening_times: f.opening_times,
        cost: f.cost,
        accessibility: f.accessibility,
        last_checked: f.last_checked,
    };
    let mut store = lock(&state);
    let actor = actor(&state);
    match id {
        None => Ok(directory::add_service(&mut store, &actor, &fields, today())?),
        Some(id) => {
            directory::update_service(&mut store, &actor, id, &fields, today())?;
            Ok(id)
        }
    }
}

/// Retires a service: it is no longer offered; plans that named it keep it.
#[tauri::command(async)]
pub fn retire_service(state: State<'_, AppState>, id: i64) -> Result<(), IpcError> {
    Ok(directory::retire_service(&mut lock(&state), &actor(&state), id)?)
}

/// Imports a directory CSV file (all or nothing).
#[tauri::command(async)]
pub fn import_directory(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<DirectoryImport, IpcError> {
    let bytes =
        read_file(&path).map_err(|e| IpcError::new(ErrorCode::InvalidInput, e.to_string()))?;
    Ok(directory::import_directory(&mut lock(&state), &actor(&state), &bytes, today(), false)?)
}

/// Writes the directory in use as CSV to `target`; audited.
#[tauri::command(async)]
pub fn export_directory(state: State<'_, AppState>, target: PathBuf) -> Result<usize, IpcError> {
    if target.as_os_str().is_empty() {
        return Err(IpcError::new(ErrorCode::InvalidInput, "say where to save the file"));
    }
    Ok(directory::export_directory_to(&mut lock(&state), &actor(&state), &target)?)
}
