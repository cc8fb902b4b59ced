//! Commands of the clinician's screens: the triage worklist, one person's review with every
//! result and finding, the actions on it, and the practice's thresholds in Settings.

use serde::{Deserialize, Serialize};
use tauri::State;

use super::commands::{lock, parse_nhs, today};
use super::dto::{ErrorCode, IpcError};
use super::session::{actor, record_viewed};
use super::AppState;
use crate::domain::cycle::CycleStatus;
use crate::domain::person::{age_on, format_date};
use crate::domain::rules::Severity;
use crate::domain::triage::{AckAction, TriageRole};
use crate::exchange::triage::{
    self, practice_rules, FindingRow, ResultRow, TriageError, WorklistEntry, WorklistGroup,
};

impl From<TriageError> for IpcError {
    fn from(error: TriageError) -> IpcError {
        match error {
            TriageError::NotFound(_) => IpcError::new(ErrorCode::NotFound, error.to_string()),
            TriageError::Refused(message) => IpcError::new(ErrorCode::Refused, message),
            TriageError::Store(e) => e.into(),
        }
    }
}

#[derive(Serialize)]
pub struct WorklistView {
    rows: Vec<WorklistRow>,
    urgent: usize,
    awaiting: usize,
}

#[derive(Serialize)]
struct WorklistRow {
    nhs_number: String,
    name: String,
    conditions: Vec<String>,
    /// "urgent", "awaiting_review" or "other".
    group: &'static str,
    status_label: &'static str,
    red: usize,
    red_waiting: usize,
    amber: usize,
    days_since_contact1: Option<i64>,
    /// The red findings waiting, in words.
    waiting: Vec<String>,
}

fn group_code(group: WorklistGroup) -> &'static str {
    match group {
        WorklistGroup::Urgent => "urgent",
        WorklistGroup::AwaitingReview => "awaiting_review",
        WorklistGroup::Other => "other",
    }
}

fn worklist_row(entry: &WorklistEntry, state: &AppState) -> WorklistRow {
    let details = &entry.patient.details;
    let mut conditions: Vec<String> = details
        .conditions
        .iter()
        .filter_map(|d| {
            state.catalogue.condition(&d.condition_id).map(|c| c.short_name().to_string())
        })
        .collect();
    conditions.dedup();
    WorklistRow {
        nhs_number: details.nhs_number.as_str().to_string(),
        name: format!("{} {}", details.name.given(), details.name.family()),
        conditions,
        group: group_code(entry.group),
        status_label: entry.cycle.cycle.status().label(),
        red: entry.count(Severity::Red),
        red_waiting: entry.findings.iter().filter(|f| f.is_waiting()).count(),
        amber: entry.count(Severity::Amber),
        days_since_contact1: entry.contact1_on.map(|d| (today() - d).num_days()),
        waiting: entry
            .findings
            .iter()
            .filter(|f| f.is_waiting())
            .map(|f| format!("{} {}", f.item_label, f.value_text))
            .collect(),
    }
}

/// The worklist: unacknowledged red findings first, then results awaiting review.
#[tauri::command(async)]
pub fn triage_worklist(
    state: State<'_, AppState>,
    all: Option<bool>,
) -> Result<WorklistView, IpcError> {
    let store = lock(&state);
    let entries = triage::worklist(&store, &state.catalogue, &state.rules, all.unwrap_or(false))?;
    let rows: Vec<WorklistRow> = entries.iter().map(|e| worklist_row(e, &state)).collect();
    Ok(WorklistView {
        urgent: rows.iter().filter(|r| r.group == "urgent").count(),
        awaiting: rows.iter().filter(|r| r.group == "awaiting_review").count(),
        rows,
    })
}

#[derive(Serialize)]
pub struct TriageView {
    nhs_number: String,
    name: String,
    date_of_birth: String,
    age: u32,
    conditions: Vec<String>,
    frailty: Option<&'static str>,
    status: &'static str,
    status_label: &'static str,
    due: String,
    contact1: Option<String>,
    results: Vec<ResultView>,
    medication_answer: Option<String>,
    route: Option<RouteView>,
    medication_review: Option<MedicationView>,
    notes: Vec<NoteView>,
    personal_targets: Vec<TargetSetView>,
    /// Items a personal target may be set for: (id, label, example).
    target_items: Vec<TargetItem>,
    can_approve: bool,
    /// The pack has been approved (the review is triaged or later).
    approved: bool,
    approval_blocked: Option<String>,
    actions: Vec<Option2>,
    roles: Vec<Option2>,
}

#[derive(Serialize)]
struct Option2 {
    id: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct ResultView {
    observation: i64,
    item: String,
    label: String,
    value: String,
    taken_on: String,
    previous: Vec<String>,
    trend: Option<&'static str>,
    /// "red", "amber", or null when on target or without a target.
    severity: Option<&'static str>,
    findings: Vec<FindingView>,
    target: Option<String>,
    target_personal: bool,
    target_source: Option<String>,
}

#[derive(Serialize)]
struct FindingView {
    observation: i64,
    rule: String,
    severity: &'static str,
    title: String,
    rule_words: String,
    rationale: String,
    source: String,
    acknowledged: Option<String>,
}

#[derive(Serialize)]
struct RouteView {
    role: &'static str,
    role_label: &'static str,
    clinician: String,
    by: String,
}

#[derive(Serialize)]
struct MedicationView {
    needed: bool,
    note: String,
    by: String,
}

#[derive(Serialize)]
struct NoteView {
    note: String,
    by: String,
    at: String,
}

#[derive(Serialize)]
struct TargetSetView {
    item: String,
    label: String,
    target: String,
    reason: String,
    set_by: String,
    set_on: String,
}

#[derive(Serialize)]
struct TargetItem {
    id: String,
    label: String,
    example: String,
}

fn finding_view(f: &FindingRow) -> FindingView {
    FindingView {
        observation: f.observation_id,
        rule: f.rule.clone(),
        severity: f.severity.code(),
        title: f.rule_title.clone(),
        rule_words: f.rule_words.clone(),
        rationale: f.rationale.clone(),
        source: f.source.clone(),
        acknowledged: f.acknowledgement.as_ref().map(|a| {
            let note = if a.note.is_empty() { String::new() } else { format!(": {}", a.note) };
            format!("{}{note} (by {}, {})", a.action.label(), a.by, a.at.get(..10).unwrap_or(&a.at))
        }),
    }
}

fn result_view(r: &ResultRow) -> ResultView {
    ResultView {
        observation: r.observation_id,
        item: r.item.clone(),
        label: r.label.clone(),
        value: r.value_text.clone(),
        taken_on: format_date(r.taken_on),
        previous: r.previous.iter().map(|(d, v)| format!("{v} ({})", format_date(*d))).collect(),
        trend: r.trend,
        severity: r.severity().map(Severity::code),
        findings: r.findings.iter().map(finding_view).collect(),
        target: r.target.as_ref().and_then(|t| t.words.clone()),
        target_personal: r.target.as_ref().is_some_and(|t| t.personal),
        target_source: r.target.as_ref().map(|t| match &t.reason {
            Some(reason) => format!("Personal target: {reason}"),
            None => t.source.clone(),
        }),
    }
}

/// One person's open review for triage.
#[tauri::command(async)]
pub fn get_triage(state: State<'_, AppState>, nhs_number: String) -> Result<TriageView, IpcError> {
    record_viewed(&state, &nhs_number, "triage")?;
    let number = parse_nhs(&nhs_number)?;
    let store = lock(&state);
    let review =
        triage::review(&store, &state.catalogue, &state.rules, &number)?.ok_or_else(|| {
            IpcError::new(ErrorCode::NotFound, "this person has no open review to triage")
        })?;
    let rules = practice_rules(&state.rules, &store.rule_changes()?);
    let details = &review.patient.details;
    let measures = state.catalogue.measures();
    let mut results: Vec<&ResultRow> = review.results.iter().collect();
    // Red first, then amber, then the rest in catalogue order.
    let order =
        |item: &str| measures.items().iter().position(|i| i.id() == item).unwrap_or(usize::MAX);
    results.sort_by_key(|r| (std::cmp::Reverse(r.severity()), order(&r.item)));
    let target_items: Vec<TargetItem> = rules
        .personal_target_items()
        .into_iter()
        .filter_map(|(id, example)| {
            let item = measures.item(id)?;
            Some(TargetItem { id: id.to_string(), label: item.label().to_string(), example })
        })
        .collect();
    let mut conditions: Vec<String> = details
        .conditions
        .iter()
        .filter_map(|d| state.catalogue.condition(&d.condition_id).map(|c| c.name().to_string()))
        .collect();
    conditions.dedup();
    Ok(TriageView {
        nhs_number: details.nhs_number.as_str().to_string(),
        name: format!("{} {}", details.name.given(), details.name.family()),
        date_of_birth: format_date(details.date_of_birth),
        age: age_on(details.date_of_birth, today()),
        conditions,
        frailty: details.frailty(&state.catalogue).map(|g| g.code()),
        status: review.cycle.cycle.status().code(),
        status_label: review.cycle.cycle.status().label(),
        due: review.cycle.cycle.due_month().label(),
        contact1: review.cycle.cycle.contact1().map(|b| b.describe()),
        results: results.into_iter().map(result_view).collect(),
        medication_answer: review.medication_answer.clone(),
        route: review.route().and_then(|r| {
            let role = r.role?;
            Some(RouteView {
                role: role.code(),
                role_label: role.label(),
                clinician: r.clinician.clone(),
                by: r.by.clone(),
            })
        }),
        medication_review: review.medication_review().map(|m| MedicationView {
            needed: m.needed.unwrap_or(false),
            note: m.note.clone(),
            by: m.by.clone(),
        }),
        notes: review
            .notes()
            .map(|n| NoteView {
                note: n.note.clone(),
                by: n.by.clone(),
                at: n.at.get(..10).unwrap_or(&n.at).to_string(),
            })
            .collect(),
        personal_targets: review
            .targets
            .iter()
            .map(|t| TargetSetView {
                item: t.item.clone(),
                label: measures
                    .item(&t.item)
                    .map(|i| i.label().to_string())
                    .unwrap_or_else(|| t.item.clone()),
                target: match measures.item(&t.item).and_then(|i| i.unit()) {
                    Some(unit) if !unit.ucum.starts_with('{') => {
                        format!("{} {}", t.target, unit.display)
                    }
                    _ => t.target.clone(),
                },
                reason: t.reason.clone(),
                set_by: t.set_by.clone(),
                set_on: format_date(t.set_on),
            })
            .collect(),
        target_items,
        can_approve: review.approval_blocked.is_none(),
        approved: matches!(
            review.cycle.cycle.status(),
            CycleStatus::Triaged
                | CycleStatus::PackSent
                | CycleStatus::ConversationBooked
                | CycleStatus::ConversationHeld
        ),
        approval_blocked: review.approval_blocked.clone(),
        actions: AckAction::ALL
            .iter()
            .map(|a| Option2 { id: a.code(), label: a.label() })
            .collect(),
        roles: TriageRole::ALL.iter().map(|r| Option2 { id: r.code(), label: r.label() }).collect(),
    })
}

#[derive(Deserialize)]
pub struct AckRequest {
    observation: i64,
    rule: String,
    action: String,
    #[serde(default)]
    note: String,
}

/// Acknowledges a red finding with the action taken.
#[tauri::command(async)]
pub fn acknowledge_finding(
    state: State<'_, AppState>,
    nhs_number: String,
    request: AckRequest,
) -> Result<TriageView, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let action = AckAction::parse(&request.action).ok_or_else(|| {
        IpcError::new(ErrorCode::InvalidInput, "choose what was done about this finding")
    })?;
    {
        let mut store = lock(&state);
        triage::acknowledge(
            &mut store,
            &actor(&state),
            &state.catalogue,
            &state.rules,
            &number,
            request.observation,
            &request.rule,
            action,
            &request.note,
        )?;
    }
    get_triage(state, nhs_number)
}

#[derive(Deserialize)]
pub struct TriageRequest {
    /// "route", "medication_review", "note", "personal_target" or "approve".
    kind: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    clinician: String,
    #[serde(default)]
    needed: bool,
    #[serde(default)]
    note: String,
    #[serde(default)]
    item: String,
    /// A personal target; empty ends the person's own target.
    #[serde(default)]
    target: String,
}

/// Records one triage decision: a route, a medication review, a note, a personal target or
/// the approval of the pack.
#[tauri::command(async)]
pub fn record_triage(
    state: State<'_, AppState>,
    nhs_number: String,
    request: TriageRequest,
) -> Result<TriageView, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let actor = actor(&state);
    {
        let mut store = lock(&state);
        match request.kind.as_str() {
            "route" => {
                let role = TriageRole::parse(&request.role).ok_or_else(|| {
                    IpcError::new(ErrorCode::InvalidInput, "choose who the conversation is with")
                })?;
                triage::route(&mut store, &actor, &number, role, &request.clinician, &request.note)?
            }
            "medication_review" => triage::medication_review(
                &mut store,
                &actor,
                &number,
                request.needed,
                &request.note,
            )?,
            "note" => triage::add_note(&mut store, &actor, &number, &request.note)?,
            "personal_target" => {
                let target = Some(request.target.as_str()).filter(|t| !t.trim().is_empty());
                triage::set_personal_target(
                    &mut store,
                    &actor,
                    &state.catalogue,
                    &state.rules,
                    &number,
                    &request.item,
                    target,
                    &request.note,
                    today(),
                )?
            }
            "approve" => triage::approve_pack(
                &mut store,
                &actor,
                &state.catalogue,
                &state.rules,
                &number,
                today(),
            )?,
            other => {
                return Err(IpcError::new(
                    ErrorCode::InvalidInput,
                    format!("'{other}' is not a triage action"),
                ))
            }
        }
    }
    get_triage(state, nhs_number)
}

#[derive(Serialize)]
pub struct RulesView {
    files: Vec<RuleFileView>,
    rules: Vec<RuleView>,
}

#[derive(Serialize)]
struct RuleFileView {
    name: String,
    area: String,
    version: String,
}

#[derive(Serialize)]
struct RuleView {
    id: String,
    title: String,
    file: String,
    severity: &'static str,
    reads: Vec<String>,
    words: String,
    /// The rule as shipped, when the practice has changed its thresholds.
    shipped_words: Option<String>,
    source: String,
    rationale: String,
    thresholds: Vec<ThresholdView>,
    changed: Option<String>,
}

#[derive(Serialize)]
struct ThresholdView {
    label: String,
    value: String,
    shipped: String,
}

/// The rule table as the practice runs it, with what it changed and when.
#[tauri::command(async)]
pub fn list_rules(state: State<'_, AppState>) -> Result<RulesView, IpcError> {
    let store = lock(&state);
    let changes = store.rule_changes()?;
    let rules = practice_rules(&state.rules, &changes);
    let measures = state.catalogue.measures();
    Ok(RulesView {
        files: state
            .rules
            .files()
            .iter()
            .map(|f| RuleFileView {
                name: f.name.clone(),
                area: f.area.clone(),
                version: f.version.clone(),
            })
            .collect(),
        rules: rules
            .rules()
            .iter()
            .map(|rule| {
                let shipped =
                    state.rules.rule(&rule.id).map(|r| r.thresholds()).unwrap_or_default();
                let unit = rule.unit.as_ref().and_then(|_| {
                    rule.reads
                        .first()
                        .and_then(|i| measures.item(i))
                        .and_then(|i| i.unit())
                        .map(|u| u.display.clone())
                });
                let latest = changes.iter().rev().find(|c| c.rule_id == rule.id);
                RuleView {
                    id: rule.id.clone(),
                    title: rule.title.clone(),
                    file: rule.file.clone(),
                    severity: rule.severity.code(),
                    reads: rule
                        .reads
                        .iter()
                        .map(|i| {
                            measures
                                .item(i)
                                .map(|d| d.label().to_string())
                                .unwrap_or_else(|| i.clone())
                        })
                        .collect(),
                    words: rule.describe(measures),
                    shipped_words: state
                        .rules
                        .rule(&rule.id)
                        .map(|r| r.describe(measures))
                        .filter(|w| *w != rule.describe(measures)),
                    source: rule.source.clone(),
                    rationale: rule.rationale.clone(),
                    thresholds: rule
                        .thresholds()
                        .iter()
                        .zip(shipped.iter())
                        .map(|((name, op, value), (_, _, first))| ThresholdView {
                            label: format!(
                                "{} {}{}",
                                name,
                                op.symbol(),
                                match (&unit, name.as_str()) {
                                    (_, "fall-percent") => " (%)".to_string(),
                                    (Some(u), "value" | "systolic" | "diastolic") =>
                                        format!(" ({u})"),
                                    _ => String::new(),
                                }
                            ),
                            value: value.to_string(),
                            shipped: first.to_string(),
                        })
                        .collect(),
                    changed: latest.map(|c| {
                        let what = if c.thresholds.is_some() {
                            "Changed"
                        } else {
                            "Shipped thresholds restored"
                        };
                        format!(
                            "{what} by {} on {}: {}",
                            c.by,
                            c.at.get(..10).unwrap_or(&c.at),
                            c.reason
                        )
                    }),
                }
            })
            .collect(),
    })
}

/// Changes a rule's thresholds for the practice, or restores the shipped ones (`thresholds`
/// absent), with the reason.
#[tauri::command(async)]
pub fn change_rule(
    state: State<'_, AppState>,
    rule: String,
    thresholds: Option<Vec<String>>,
    reason: String,
) -> Result<RulesView, IpcError> {
    {
        let mut store = lock(&state);
        let actor = actor(&state);
        match thresholds {
            Some(values) => triage::change_rule(
                &mut store,
                &actor,
                &state.catalogue,
                &state.rules,
                &rule,
                &values,
                &reason,
            )?,
            None => triage::restore_rule(&mut store, &actor, &state.rules, &rule, &reason)?,
        }
    }
    list_rules(state)
}
