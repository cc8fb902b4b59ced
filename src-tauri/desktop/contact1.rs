//! Commands of the HCA's screens: the day's contact 1 list, a person's checklist, and each
//! value saved as it is entered.

use serde::{Deserialize, Serialize};
use tauri::State;

use super::commands::{lock, parse_nhs, today};
use super::dto::{ErrorCode, IpcError};
use super::session::{actor, record_viewed};
use super::AppState;
use crate::domain::catalogue::Catalogue;
use crate::domain::checklist::{LineState, NotDoneReason};
use crate::domain::cycle::CycleStatus;
use crate::domain::measures::{Entry, ItemKind};
use crate::domain::person::{age_on, format_date};
use crate::domain::rules::{RuleSet, Severity};
use crate::exchange::contact1::{
    correct, finish_contact1, mark_not_done, record_value, value_text, Contact1Error, Correction,
    PersonResults,
};
use crate::exchange::triage::review_results;
use crate::store::{ObservationSource, RetractionKind, Store, StoredObservation};

impl From<Contact1Error> for IpcError {
    fn from(error: Contact1Error) -> IpcError {
        match error {
            Contact1Error::NotFound(_) => IpcError::new(ErrorCode::NotFound, error.to_string()),
            Contact1Error::Entry(e) => {
                let mut ipc = IpcError::new(ErrorCode::InvalidInput, e.message);
                ipc.suggestion = e.suggestion;
                ipc
            }
            Contact1Error::Refused(message) => IpcError::new(ErrorCode::Refused, message),
            Contact1Error::Store(e) => e.into(),
        }
    }
}

#[derive(Serialize)]
pub struct ClinicDay {
    /// YYYY-MM-DD.
    date: String,
    date_label: String,
    appointments: Vec<ClinicAppointment>,
}

#[derive(Serialize)]
pub struct ClinicAppointment {
    time: String,
    with_whom: String,
    place: String,
    nhs_number: String,
    name: String,
    date_of_birth: String,
    status: &'static str,
    status_label: &'static str,
}

/// The contact 1 appointments booked for a day (today if none is given).
#[tauri::command(async)]
pub fn clinic_day(state: State<'_, AppState>, date: Option<String>) -> Result<ClinicDay, IpcError> {
    let date = match date.as_deref().filter(|d| !d.is_empty()) {
        Some(text) => crate::domain::person::parse_date(text)
            .map_err(|e| IpcError::new(ErrorCode::InvalidInput, e))?,
        None => today(),
    };
    let store = lock(&state);
    let mut appointments = Vec::new();
    for booking in store.contact1_bookings_on(date)? {
        let patient = store.patient_by_id(booking.patient_id)?;
        let status = CycleStatus::parse(&booking.status).unwrap_or(CycleStatus::Contact1Booked);
        appointments.push(ClinicAppointment {
            time: booking.starts_at.format("%H:%M").to_string(),
            with_whom: booking.with_whom,
            place: booking.place,
            nhs_number: patient.details.nhs_number.as_str().to_string(),
            name: format!("{} {}", patient.details.name.given(), patient.details.name.family()),
            date_of_birth: format_date(patient.details.date_of_birth),
            status: status.code(),
            status_label: status.label(),
        });
    }
    Ok(ClinicDay {
        date: date.format("%Y-%m-%d").to_string(),
        date_label: date.format("%A %-d %B %Y").to_string(),
        appointments,
    })
}

#[derive(Serialize)]
pub struct ChecklistView {
    nhs_number: String,
    name: String,
    date_of_birth: String,
    age: u32,
    conditions: Vec<String>,
    review: Option<ReviewState>,
    /// Contact 1 can still be finished (it has not been recorded as attended).
    can_finish: bool,
    complete: bool,
    missing: Vec<String>,
    awaiting_lab: Vec<String>,
    groups: Vec<GroupView>,
    not_done_reasons: Vec<Choice>,
    finished: Option<FinishedView>,
}

#[derive(Serialize)]
struct ReviewState {
    due: String,
    status: &'static str,
    status_label: &'static str,
}

#[derive(Serialize)]
struct GroupView {
    id: String,
    label: String,
    lines: Vec<LineView>,
}

#[derive(Serialize)]
struct Choice {
    id: String,
    label: String,
}

#[derive(Serialize)]
struct QuestionView {
    text: String,
    options: Vec<(String, i32)>,
}

#[derive(Serialize)]
struct LineView {
    item: String,
    label: String,
    kind: &'static str,
    unit: Option<String>,
    hint: Option<String>,
    lab: bool,
    wanted_by: Vec<String>,
    options: Vec<Choice>,
    questions: Vec<QuestionView>,
    state: &'static str,
    state_label: String,
    current: Option<ValueView>,
    previous: Vec<ValueView>,
    history: Vec<ValueView>,
    /// The current value is a red finding: tell a clinician today. The rules' titles.
    red_flag: Vec<String>,
}

#[derive(Serialize)]
struct ValueView {
    id: i64,
    text: String,
    taken_on: String,
    recorded_by: String,
    source: &'static str,
    note: String,
    /// For a questionnaire: the option chosen for each question.
    answers: Vec<usize>,
    /// Why it no longer counts, if it does not.
    retracted: Option<String>,
}

#[derive(Serialize)]
struct FinishedView {
    results_complete: bool,
    awaiting_lab: Vec<String>,
}

/// A person's contact 1 checklist for their open review.
#[tauri::command(async)]
pub fn get_checklist(
    state: State<'_, AppState>,
    nhs_number: String,
) -> Result<ChecklistView, IpcError> {
    record_viewed(&state, &nhs_number, "contact 1")?;
    let number = parse_nhs(&nhs_number)?;
    checklist_view(&lock(&state), &state.catalogue, &state.rules, &number)
}

#[derive(Deserialize)]
pub struct EntryRequest {
    item: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    option: Option<String>,
    #[serde(default)]
    answers: Vec<Option<usize>>,
}

impl EntryRequest {
    fn entry(&self) -> Entry<'_> {
        Entry { value: &self.value, option: self.option.as_deref(), answers: &self.answers }
    }
}

/// Saves one value the moment it is entered; returns the checklist as it now stands.
#[tauri::command(async)]
pub fn record_value_now(
    state: State<'_, AppState>,
    nhs_number: String,
    entry: EntryRequest,
) -> Result<ChecklistView, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let mut store = lock(&state);
    let actor = actor(&state);
    record_value(
        &mut store,
        &actor,
        &state.catalogue,
        &number,
        &entry.item,
        entry.entry(),
        today(),
    )?;
    checklist_view(&store, &state.catalogue, &state.rules, &number)
}

/// Marks items not done, with a reason.
#[tauri::command(async)]
pub fn mark_items_not_done(
    state: State<'_, AppState>,
    nhs_number: String,
    items: Vec<String>,
    reason: String,
    note: Option<String>,
) -> Result<ChecklistView, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let reason = NotDoneReason::parse(&reason).ok_or_else(|| {
        IpcError::new(
            ErrorCode::InvalidInput,
            format!("'{reason}' is not a reason Alongside knows"),
        )
    })?;
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    let mut store = lock(&state);
    let actor = actor(&state);
    mark_not_done(
        &mut store,
        &actor,
        &state.catalogue,
        &number,
        &items,
        reason,
        note.as_deref().unwrap_or(""),
        today(),
    )?;
    checklist_view(&store, &state.catalogue, &state.rules, &number)
}

/// Corrects a recorded value with a reason: a new value supersedes it, or it is marked
/// entered in error (when `entry` is absent).
#[tauri::command(async)]
pub fn correct_value(
    state: State<'_, AppState>,
    nhs_number: String,
    observation: i64,
    entry: Option<EntryRequest>,
    reason: String,
) -> Result<ChecklistView, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let correction = match &entry {
        Some(entry) => Correction::Replace(entry.entry()),
        None => Correction::EnteredInError,
    };
    let mut store = lock(&state);
    let actor = actor(&state);
    correct(
        &mut store,
        &actor,
        &state.catalogue,
        &number,
        observation,
        correction,
        &reason,
        today(),
    )?;
    checklist_view(&store, &state.catalogue, &state.rules, &number)
}

/// The HCA finishes the appointment.
#[tauri::command(async)]
pub fn finish_appointment(
    state: State<'_, AppState>,
    nhs_number: String,
) -> Result<ChecklistView, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let mut store = lock(&state);
    let actor = actor(&state);
    let finished = finish_contact1(&mut store, &actor, &state.catalogue, &number, today())?;
    let mut view = checklist_view(&store, &state.catalogue, &state.rules, &number)?;
    view.finished = Some(FinishedView {
        results_complete: finished.results_complete,
        awaiting_lab: finished.awaiting_lab,
    });
    Ok(view)
}

fn checklist_view(
    store: &Store,
    catalogue: &Catalogue,
    rules: &RuleSet,
    number: &crate::domain::nhs_number::NhsNumber,
) -> Result<ChecklistView, IpcError> {
    let today = today();
    let person = PersonResults::load(store, number)?.ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotFound,
            format!("no one with NHS number {number} is on the register"),
        )
    })?;
    let checklist = person.checklist(catalogue, today);
    let cycle_id = person.cycle.as_ref().map(|c| c.id);
    let details = &person.patient.details;
    let mut conditions: Vec<String> = Vec::new();
    for diagnosis in &details.conditions {
        if let Some(condition) = catalogue.condition(&diagnosis.condition_id) {
            if !conditions.iter().any(|c| c == condition.name()) {
                conditions.push(condition.name().to_string());
            }
        }
    }
    // Red findings of this review's values, so the HCA tells a clinician before the person
    // leaves: (observation, rule titles).
    let mut red: std::collections::HashMap<i64, Vec<String>> = Default::default();
    if let Some(cycle) = &person.cycle {
        let rows = review_results(store, catalogue, rules, &person.patient, cycle.id, false)?;
        for finding in rows.iter().flat_map(|r| &r.findings) {
            if finding.severity == Severity::Red {
                red.entry(finding.observation_id).or_default().push(finding.rule_title.clone());
            }
        }
    }
    let value_view = |o: &StoredObservation| ValueView {
        id: o.id,
        text: value_text(catalogue, o),
        taken_on: format_date(o.taken_on),
        recorded_by: o.recorded_by.clone(),
        source: match o.source {
            ObservationSource::Contact1 => "Recorded at contact 1",
            ObservationSource::LabImport => "From the lab",
            ObservationSource::Computed => "Worked out",
        },
        note: o.note.clone(),
        answers: o.answers.split(',').filter_map(|a| a.parse().ok()).collect(),
        retracted: o.retraction.as_ref().map(|r| {
            let what = match r.kind {
                RetractionKind::Superseded => "Superseded",
                RetractionKind::EnteredInError => "Entered in error",
            };
            format!("{what} by {}: {}", r.actor, r.reason)
        }),
    };
    let mut groups: Vec<GroupView> = catalogue
        .measures()
        .groups()
        .iter()
        .map(|(id, label)| GroupView { id: id.clone(), label: label.clone(), lines: Vec::new() })
        .collect();
    for line in &checklist.lines {
        let item = line.item;
        let history: Vec<&StoredObservation> = person.history(item.id());
        let current_id = match &line.state {
            LineState::Recorded(id) | LineState::StillValid(id) => Some(*id),
            _ => None,
        };
        let current = history.iter().find(|o| Some(o.id) == current_id).map(|o| value_view(o));
        let previous = history
            .iter()
            .filter(|o| o.retraction.is_none() && o.not_done.is_none())
            .filter(|o| o.cycle_id != cycle_id || cycle_id.is_none())
            .filter(|o| Some(o.id) != current_id)
            .take(3)
            .map(|o| value_view(o))
            .collect();
        let this_review = history
            .iter()
            .filter(|o| cycle_id.is_some() && o.cycle_id == cycle_id)
            .map(|o| value_view(o))
            .collect();
        let (state, state_label) = match &line.state {
            LineState::Missing => ("missing", "Still to do".to_string()),
            LineState::Recorded(_) => ("recorded", "Done".to_string()),
            LineState::StillValid(_) => {
                ("still_valid", "Recent enough: no need to repeat".to_string())
            }
            LineState::NotDone(NotDoneReason::SentToLab) => {
                ("awaiting_lab", NotDoneReason::SentToLab.label().to_string())
            }
            LineState::NotDone(reason) => ("not_done", format!("Not done: {}", reason.label())),
            LineState::CannotWorkOut(why) => {
                ("cannot_work_out", format!("Cannot be worked out: {why}"))
            }
        };
        let (kind, hint, questions) = match item.kind() {
            ItemKind::Number(spec) => (
                "number",
                Some(format!(
                    "{}–{}{}",
                    spec.min,
                    spec.max,
                    match spec.decimals {
                        0 => ", whole number".to_string(),
                        1 => ", up to 1 decimal place".to_string(),
                        n => format!(", up to {n} decimal places"),
                    }
                )),
                Vec::new(),
            ),
            ItemKind::BloodPressure { .. } => {
                ("blood_pressure", Some("systolic/diastolic, e.g. 132/84".into()), Vec::new())
            }
            ItemKind::Computed(_) => {
                ("computed", Some("worked out from weight and height".into()), Vec::new())
            }
            ItemKind::Choice(_) => ("choice", None, Vec::new()),
            ItemKind::YesNo => ("yes_no", None, Vec::new()),
            ItemKind::Date(_) => ("date", Some("date done, DD/MM/YYYY".into()), Vec::new()),
            ItemKind::Questionnaire(q) => (
                "questionnaire",
                None,
                q.questions
                    .iter()
                    .map(|question| QuestionView {
                        text: question.text.clone(),
                        options: question.options.clone(),
                    })
                    .collect(),
            ),
            ItemKind::Text => ("text", None, Vec::new()),
        };
        let view = LineView {
            item: item.id().to_string(),
            label: item.label().to_string(),
            kind,
            unit: item.unit().filter(|u| !u.ucum.starts_with('{')).map(|u| u.display.clone()),
            hint,
            lab: item.is_lab(),
            wanted_by: line.wanted_by.iter().map(|c| c.short_name().to_string()).collect(),
            options: item
                .options()
                .iter()
                .map(|o| Choice { id: o.id.clone(), label: o.label.clone() })
                .collect(),
            questions,
            state,
            state_label,
            current,
            previous,
            history: this_review,
            red_flag: current_id.and_then(|id| red.get(&id).cloned()).unwrap_or_default(),
        };
        if let Some(group) = groups.iter_mut().find(|g| g.id == item.group()) {
            group.lines.push(view);
        }
    }
    groups.retain(|g| !g.lines.is_empty());
    Ok(ChecklistView {
        nhs_number: details.nhs_number.as_str().to_string(),
        name: format!("{} {}", details.name.given(), details.name.family()),
        date_of_birth: format_date(details.date_of_birth),
        age: age_on(details.date_of_birth, today),
        conditions,
        review: person.cycle.as_ref().map(|c| ReviewState {
            due: c.cycle.due_month().label(),
            status: c.cycle.status().code(),
            status_label: c.cycle.status().label(),
        }),
        // Whether the cycle would take "contact 1 attended" now: tried on a copy, so the screen
        // never repeats the cycle's rules. With no review open, finishing opens one.
        can_finish: details.status.may_be_contacted()
            && person.cycle.as_ref().is_none_or(|c| c.cycle.clone().attend_contact1(today).is_ok()),
        complete: checklist.is_complete(),
        missing: checklist.missing().iter().map(|i| i.label().to_string()).collect(),
        awaiting_lab: checklist.awaiting_lab().iter().map(|i| i.label().to_string()).collect(),
        groups,
        not_done_reasons: NotDoneReason::ALL
            .iter()
            .map(|r| Choice { id: r.code().to_string(), label: r.label().to_string() })
            .collect(),
        finished: None,
    })
}
