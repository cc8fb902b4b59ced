//! Contact 1, the information-gathering appointment: the person's checklist, each value saved
//! the moment it is entered, items marked not done, corrections that supersede, BMI worked out
//! from weight and height, and the review moved on when the HCA finishes and when nothing is
//! outstanding.

use chrono::NaiveDate;

use super::recall::review_month_among;
use crate::domain::catalogue::Catalogue;
use crate::domain::checklist::{Checklist, LineState, NotDoneReason, Observation, Recorded};
use crate::domain::cycle::{Cycle, CycleStatus};
use crate::domain::measures::{Entry, EntryError, ItemDef, ItemKind, Value};
use crate::domain::nhs_number::NhsNumber;
use crate::domain::person::format_date;
use crate::store::{
    Actor, CycleRecord, NewObservation, ObservationSource, PatientRow, RetractionKind, Store,
    StoreError, StoredObservation, Write,
};

/// A person, their open review (if any) and everything recorded for them.
pub struct PersonResults {
    pub patient: PatientRow,
    pub cycle: Option<CycleRecord>,
    pub observations: Vec<StoredObservation>,
}

impl PersonResults {
    /// Reads a person's results; `None` if the NHS number is not on the register.
    pub fn load(
        store: &Store,
        nhs_number: &NhsNumber,
    ) -> Result<Option<PersonResults>, StoreError> {
        let Some(patient) = store.patient(nhs_number)? else { return Ok(None) };
        let cycle = store.cycles_of(patient.id)?.into_iter().find(|c| c.cycle.status().is_open());
        let observations = store.observations_of(patient.id)?;
        Ok(Some(PersonResults { patient, cycle, observations }))
    }

    /// The checklist for the open review.
    pub fn checklist<'c>(&self, catalogue: &'c Catalogue, today: NaiveDate) -> Checklist<'c> {
        checklist_of(
            catalogue,
            &self.patient,
            self.cycle.as_ref().map(|c| c.id),
            &self.observations,
            today,
        )
    }

    /// Current values of an item, newest first.
    pub fn history(&self, item: &str) -> Vec<&StoredObservation> {
        self.observations.iter().filter(|o| o.item == item).collect()
    }
}

/// Why something was not recorded. Nothing is written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum Contact1Error {
    #[error("no one with NHS number {0} is on the register")]
    NotFound(String),
    #[error("{0}")]
    Entry(EntryError),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<crate::domain::cycle::TransitionError> for Contact1Error {
    fn from(error: crate::domain::cycle::TransitionError) -> Contact1Error {
        Contact1Error::Refused(error.0)
    }
}

/// How a recorded value replaces an earlier one.
pub enum Correction<'a> {
    /// A new value, superseding the old.
    Replace(Entry<'a>),
    /// The old value should never have been recorded.
    EnteredInError,
}

/// Records one value typed or chosen at contact 1, in one transaction with its audit entry.
pub fn record_value(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    nhs_number: &NhsNumber,
    item_id: &str,
    entry: Entry<'_>,
    today: NaiveDate,
) -> Result<(), Contact1Error> {
    let item = catalogue_item(catalogue, item_id)?;
    let value = item.parse_entry(entry, today).map_err(Contact1Error::Entry)?;
    let taken_on = match &value {
        Value::Date { on, .. } => *on,
        _ => today,
    };
    store.write(actor, |w| {
        let (patient, cycle) = open_review(w, nhs_number, today)?;
        let observations = w.observations_of(patient.id)?;
        require_on_checklist(catalogue, &patient, cycle.id, &observations, item, today)?;
        let earlier = current_in_cycle(&observations, item.id(), cycle.id);
        if let Some(earlier) = earlier {
            if earlier.not_done.is_none() {
                return Err(Contact1Error::Refused(format!(
                    "{} already has a value recorded for this review ({}); correct it with a \
                     reason instead",
                    item.label(),
                    describe_stored(catalogue, earlier)
                )));
            }
        }
        let recorded = Recorded::Value(value);
        let id = w.insert_observation(&NewObservation {
            patient_id: patient.id,
            cycle_id: Some(cycle.id),
            item,
            taken_on,
            recorded: &recorded,
            note: "",
            reported: None,
            source: ObservationSource::Contact1,
            source_detail: "",
        })?;
        if let Some(earlier) = earlier {
            let reason = format!(
                "value recorded after it was marked '{}'",
                earlier.not_done.map(NotDoneReason::label).unwrap_or_default()
            );
            w.retract_observation(earlier.id, RetractionKind::Superseded, Some(id), &reason)?;
        }
        w.audit(
            "observation.record",
            Some(patient.id),
            &format!("{}: {} recorded", describe(item, &recorded), format_date(taken_on)),
        )?;
        after_change(w, catalogue, &patient, cycle, item, today)
    })
}

/// Marks items not done, with a reason (a sample sent to the lab is outstanding until its
/// result arrives). An item that already has a value is refused: correct it instead.
#[allow(clippy::too_many_arguments)]
pub fn mark_not_done(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    nhs_number: &NhsNumber,
    item_ids: &[&str],
    reason: NotDoneReason,
    note: &str,
    today: NaiveDate,
) -> Result<(), Contact1Error> {
    let items: Vec<&ItemDef> =
        item_ids.iter().map(|id| catalogue_item(catalogue, id)).collect::<Result<_, _>>()?;
    if items.is_empty() {
        return Err(Contact1Error::Refused("choose at least one item".into()));
    }
    for item in &items {
        if reason == NotDoneReason::SentToLab && !item.is_lab() {
            return Err(Contact1Error::Refused(format!("{} is not sent to the lab", item.label())));
        }
        if let ItemKind::Computed(_) = item.kind() {
            return Err(Contact1Error::Refused(format!(
                "{} is worked out from the weight and height: mark those instead",
                item.label()
            )));
        }
    }
    store.write(actor, |w| {
        let (patient, cycle) = open_review(w, nhs_number, today)?;
        let recorded = Recorded::NotDone(reason);
        let mut unchanged = Vec::new();
        for item in &items {
            let observations = w.observations_of(patient.id)?;
            require_on_checklist(catalogue, &patient, cycle.id, &observations, item, today)?;
            let earlier = current_in_cycle(&observations, item.id(), cycle.id);
            match earlier.map(|e| e.not_done) {
                Some(None) => {
                    return Err(Contact1Error::Refused(format!(
                        "{} already has a value recorded for this review; correct it or mark it \
                         entered in error instead",
                        item.label()
                    )))
                }
                Some(Some(same)) if same == reason => {
                    unchanged.push(item.label());
                    continue;
                }
                _ => {}
            }
            let id = w.insert_observation(&NewObservation {
                patient_id: patient.id,
                cycle_id: Some(cycle.id),
                item,
                taken_on: today,
                recorded: &recorded,
                note: note.trim(),
                reported: None,
                source: ObservationSource::Contact1,
                source_detail: "",
            })?;
            if let Some(earlier) = earlier {
                w.retract_observation(
                    earlier.id,
                    RetractionKind::Superseded,
                    Some(id),
                    &format!("now marked '{}'", reason.label()),
                )?;
            }
            let note =
                if note.trim().is_empty() { String::new() } else { format!(" ({})", note.trim()) };
            w.audit(
                "observation.not_done",
                Some(patient.id),
                &format!("{}: {}{note}", item.label(), reason.label()),
            )?;
            // Read again: an earlier item of this call may have moved the review on.
            let cycle = w.cycle_of_id(cycle.id)?.unwrap_or_else(|| cycle.clone());
            after_change(w, catalogue, &patient, cycle, item, today)?;
        }
        if unchanged.len() == items.len() {
            // Nothing to write: say so rather than fail for want of an audit entry.
            return Err(Contact1Error::Refused(format!(
                "{} {} already marked '{}'",
                unchanged.join(", "),
                if unchanged.len() == 1 { "is" } else { "are" },
                reason.label()
            )));
        }
        Ok(())
    })
}

/// Corrects a recorded value: supersedes it with a new one, or marks it entered in error.
/// Always with a reason; the old value stays in the history.
#[allow(clippy::too_many_arguments)]
pub fn correct(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    nhs_number: &NhsNumber,
    observation_id: i64,
    correction: Correction<'_>,
    reason: &str,
    today: NaiveDate,
) -> Result<(), Contact1Error> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Contact1Error::Refused("say why the value is being corrected".into()));
    }
    let patient = store
        .patient(nhs_number)?
        .ok_or_else(|| Contact1Error::NotFound(nhs_number.to_string()))?;
    let old =
        store.observation(observation_id)?.filter(|o| o.patient_id == patient.id).ok_or_else(
            || Contact1Error::Refused("that value is not on this person's record".into()),
        )?;
    if old.retraction.is_some() {
        return Err(Contact1Error::Refused(
            "that value has already been corrected or marked entered in error".into(),
        ));
    }
    let item = catalogue_item(catalogue, &old.item)?;
    if let ItemKind::Computed(_) = item.kind() {
        if old.source == ObservationSource::Computed {
            return Err(Contact1Error::Refused(format!(
                "{} is worked out from the weight and height: correct those instead",
                item.label()
            )));
        }
    }
    let before = describe_stored(catalogue, &old);
    let replacement = match correction {
        Correction::Replace(entry) => {
            Some(item.parse_entry(entry, today).map_err(Contact1Error::Entry)?)
        }
        Correction::EnteredInError => None,
    };
    store.write(actor, |w| {
        match replacement {
            Some(value) => {
                let taken_on = match &value {
                    Value::Date { on, .. } => *on,
                    _ => old.taken_on,
                };
                let recorded = Recorded::Value(value);
                let id = w.insert_observation(&NewObservation {
                    patient_id: patient.id,
                    cycle_id: old.cycle_id,
                    item,
                    taken_on,
                    recorded: &recorded,
                    note: "",
                    reported: None,
                    source: ObservationSource::Contact1,
                    source_detail: &format!("correction of {before}"),
                })?;
                w.retract_observation(old.id, RetractionKind::Superseded, Some(id), reason)?;
                w.audit(
                    "observation.correct",
                    Some(patient.id),
                    &format!(
                        "{} corrected from {before} to {}: {reason}",
                        item.label(),
                        describe(item, &recorded)
                    ),
                )?;
            }
            None => {
                w.retract_observation(old.id, RetractionKind::EnteredInError, None, reason)?;
                w.audit(
                    "observation.entered_in_error",
                    Some(patient.id),
                    &format!("{} {before} marked entered in error: {reason}", item.label()),
                )?;
            }
        }
        let cycle = match old.cycle_id {
            Some(id) => w.cycle_of_id(id)?.filter(|c| c.cycle.status().is_open()),
            None => None,
        };
        match cycle {
            Some(cycle) => after_change(w, catalogue, &patient, cycle, item, today),
            None => Ok(()),
        }
    })
}

/// What finishing the appointment did.
#[derive(Debug, PartialEq, Eq)]
pub struct Finished {
    pub results_complete: bool,
    /// Labels of the samples still at the lab.
    pub awaiting_lab: Vec<String>,
}

/// The HCA finishes contact 1: every item must have a value or a reason. The review moves to
/// "contact 1 attended", and on to "results complete" if nothing is at the lab.
pub fn finish_contact1(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    nhs_number: &NhsNumber,
    today: NaiveDate,
) -> Result<Finished, Contact1Error> {
    store.write(actor, |w| {
        let (patient, mut cycle) = open_review(w, nhs_number, today)?;
        let observations = w.observations_of(patient.id)?;
        let checklist = checklist_of(catalogue, &patient, Some(cycle.id), &observations, today);
        let missing = checklist.missing();
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|i| i.label()).collect();
            return Err(Contact1Error::Refused(format!(
                "still to record, or to mark not done with a reason: {}",
                names.join(", ")
            )));
        }
        let event = cycle.cycle.attend_contact1(today)?;
        w.save_transition(patient.id, Some(cycle.id), &cycle.cycle, &event)?;
        let awaiting_lab: Vec<String> =
            checklist.awaiting_lab().iter().map(|i| i.label().to_string()).collect();
        let results_complete = checklist.is_complete();
        if results_complete {
            let event = cycle.cycle.complete_results(today)?;
            w.save_transition(patient.id, Some(cycle.id), &cycle.cycle, &event)?;
        }
        Ok(Finished { results_complete, awaiting_lab })
    })
}

/// The checklist of a person for the review `cycle_id`, from their stored values.
pub fn checklist_of<'c>(
    catalogue: &'c Catalogue,
    patient: &PatientRow,
    cycle_id: Option<i64>,
    observations: &[StoredObservation],
    today: NaiveDate,
) -> Checklist<'c> {
    let conditions: Vec<&str> =
        patient.details.conditions.iter().map(|d| d.condition_id.as_str()).collect();
    let current: Vec<Observation> = observations
        .iter()
        .filter_map(|o| o.for_checklist(catalogue.measures(), cycle_id))
        .collect();
    Checklist::build(catalogue, &conditions, &current, today)
}

/// A stored value as staff read it: "53 mmol/mol", "not done: declined".
pub fn describe_stored(catalogue: &Catalogue, observation: &StoredObservation) -> String {
    match observation.recorded(catalogue.measures()) {
        Some(recorded) => match catalogue.measures().item(&observation.item) {
            Some(item) => describe(item, &recorded),
            None => observation.value.clone().unwrap_or_default(),
        },
        None => observation.value.clone().unwrap_or_default(),
    }
}

/// A stored value without its label: "53 mmol/mol", "Not done: Declined".
pub fn value_text(catalogue: &Catalogue, observation: &StoredObservation) -> String {
    let item = catalogue.measures().item(&observation.item);
    match (observation.recorded(catalogue.measures()), item) {
        (Some(Recorded::Value(value)), Some(item)) => item.describe(&value),
        (Some(Recorded::NotDone(reason)), _) => format!("Not done: {}", reason.label()),
        _ => observation.value.clone().unwrap_or_default(),
    }
}

fn describe(item: &ItemDef, recorded: &Recorded) -> String {
    match recorded {
        Recorded::Value(value) => format!("{} {}", item.label(), item.describe(value)),
        Recorded::NotDone(reason) => format!("{} not done: {}", item.label(), reason.label()),
    }
}

/// After a change to an item: BMI worked out again if weight or height changed, and the
/// review moved to "results complete" if it was waiting and nothing is outstanding now.
pub(crate) fn after_change(
    w: &mut Write<'_>,
    catalogue: &Catalogue,
    patient: &PatientRow,
    cycle: CycleRecord,
    item: &ItemDef,
    today: NaiveDate,
) -> Result<(), Contact1Error> {
    if matches!(item.id(), "weight" | "height") {
        refresh_bmi(w, catalogue, patient, cycle.id, today)?;
    }
    complete_if_nothing_outstanding(w, catalogue, patient, cycle, today)
}

/// Moves a review waiting for results to "results complete" once nothing is outstanding.
pub(crate) fn complete_if_nothing_outstanding(
    w: &mut Write<'_>,
    catalogue: &Catalogue,
    patient: &PatientRow,
    mut cycle: CycleRecord,
    today: NaiveDate,
) -> Result<(), Contact1Error> {
    if cycle.cycle.status() != CycleStatus::Contact1Attended {
        return Ok(());
    }
    let observations = w.observations_of(patient.id)?;
    if checklist_of(catalogue, patient, Some(cycle.id), &observations, today).is_complete() {
        let event = cycle.cycle.complete_results(today)?;
        w.save_transition(patient.id, Some(cycle.id), &cycle.cycle, &event)?;
    }
    Ok(())
}

/// Works BMI out from this review's weight and the latest height that still counts, keeping
/// the stored BMI in step: added, superseded when an input changed, withdrawn when an input
/// was withdrawn.
fn refresh_bmi(
    w: &mut Write<'_>,
    catalogue: &Catalogue,
    patient: &PatientRow,
    cycle_id: i64,
    today: NaiveDate,
) -> Result<(), Contact1Error> {
    let measures = catalogue.measures();
    let observations = w.observations_of(patient.id)?;
    let checklist = checklist_of(catalogue, patient, Some(cycle_id), &observations, today);
    let Some(bmi_item) =
        checklist.lines.iter().map(|l| l.item).find(|i| matches!(i.kind(), ItemKind::Computed(_)))
    else {
        return Ok(());
    };
    // The weight and height that count for this review, as the checklist says.
    let counted = |input: &str| -> Option<(&StoredObservation, f64)> {
        let line = checklist.lines.iter().find(|l| l.item.id() == input)?;
        let (LineState::Recorded(id) | LineState::StillValid(id)) = line.state else {
            return None;
        };
        let observation = observations.iter().find(|o| o.id == id)?;
        match observation.recorded(measures) {
            Some(Recorded::Value(Value::Quantity(q))) if q.comparator().is_none() => {
                Some((observation, q.value()))
            }
            _ => None,
        }
    };
    let wanted = match (counted("weight"), counted("height")) {
        (Some((w_obs, kg)), Some((h_obs, cm))) => {
            let value = bmi_item.work_out_bmi(kg, cm).map_err(Contact1Error::Refused)?;
            let detail = format!(
                "worked out from weight {} kg ({}) and height {} cm ({})",
                w_obs.value.as_deref().unwrap_or(""),
                format_date(w_obs.taken_on),
                h_obs.value.as_deref().unwrap_or(""),
                format_date(h_obs.taken_on)
            );
            Some((w_obs.taken_on, value, detail))
        }
        _ => None,
    };
    let existing = current_in_cycle(&observations, bmi_item.id(), cycle_id)
        .filter(|o| o.source == ObservationSource::Computed);
    match (existing, wanted) {
        (Some(old), Some((_, value, _))) if old.value == Some(value.stored_text()) => Ok(()),
        (old, Some((taken_on, value, detail))) => {
            let text = value.stored_text();
            let recorded = Recorded::Value(value);
            let id = w.insert_observation(&NewObservation {
                patient_id: patient.id,
                cycle_id: Some(cycle_id),
                item: bmi_item,
                taken_on,
                recorded: &recorded,
                note: "",
                reported: None,
                source: ObservationSource::Computed,
                source_detail: &detail,
            })?;
            if let Some(old) = old {
                w.retract_observation(
                    old.id,
                    RetractionKind::Superseded,
                    Some(id),
                    "worked out again after the weight or height changed",
                )?;
            }
            w.audit("observation.record", Some(patient.id), &format!("BMI {text} kg/m² {detail}"))?;
            Ok(())
        }
        (Some(old), None) => {
            w.retract_observation(
                old.id,
                RetractionKind::EnteredInError,
                None,
                "the weight or height it was worked out from was withdrawn",
            )?;
            w.audit(
                "observation.entered_in_error",
                Some(patient.id),
                "BMI withdrawn with its weight or height",
            )?;
            Ok(())
        }
        (None, None) => Ok(()),
    }
}

/// Refuses an item that is not on the person's checklist for this review.
fn require_on_checklist(
    catalogue: &Catalogue,
    patient: &PatientRow,
    cycle_id: i64,
    observations: &[StoredObservation],
    item: &ItemDef,
    today: NaiveDate,
) -> Result<(), Contact1Error> {
    let checklist = checklist_of(catalogue, patient, Some(cycle_id), observations, today);
    if checklist.lines.iter().any(|l| l.item.id() == item.id()) {
        return Ok(());
    }
    Err(Contact1Error::Refused(format!(
        "{} is not on {}'s checklist",
        item.label(),
        patient.details.name.given()
    )))
}

fn catalogue_item<'c>(catalogue: &'c Catalogue, id: &str) -> Result<&'c ItemDef, Contact1Error> {
    catalogue
        .measures()
        .item(id)
        .ok_or_else(|| Contact1Error::Refused(format!("'{id}' is not an item in the catalogue")))
}

fn current_in_cycle<'o>(
    observations: &'o [StoredObservation],
    item: &str,
    cycle_id: i64,
) -> Option<&'o StoredObservation> {
    observations
        .iter()
        .filter(|o| o.item == item && o.cycle_id == Some(cycle_id) && o.retraction.is_none())
        .max_by_key(|o| (o.taken_on, o.id))
}

/// The person and their open review, opening the review for `month` if none is open. Nobody
/// who left or died gets anything recorded.
pub(crate) fn open_review(
    w: &mut Write<'_>,
    nhs_number: &NhsNumber,
    today: NaiveDate,
) -> Result<(PatientRow, CycleRecord), Contact1Error> {
    let patient =
        w.patient(nhs_number)?.ok_or_else(|| Contact1Error::NotFound(nhs_number.to_string()))?;
    if let Some(open) = w.open_cycle_of(patient.id)? {
        return Ok((patient, open));
    }
    let month = review_month_among(&w.cycles_of(patient.id)?, &patient.details, today);
    let (cycle, event) = Cycle::open(month, patient.details.status, today)?;
    let id = w.save_transition(patient.id, None, &cycle, &event)?;
    Ok((patient.clone(), CycleRecord { id, patient_id: patient.id, cycle }))
}
