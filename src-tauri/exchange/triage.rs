//! Triage, the clinician's step between the results and the preparation pack: the rules of
//! `assets/rules/` (with the practice's own thresholds) evaluated against each open review's
//! results, the worklist with unacknowledged red findings first, and the clinician's actions,
//! each one transaction with its audit entry. Nothing with an unacknowledged red finding can
//! have its pack approved or sent: `red_flags_cleared` is the one gate.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::catalogue::Catalogue;
use crate::domain::checklist::Recorded;
use crate::domain::cycle::CycleStatus;
use crate::domain::measures::Value;
use crate::domain::nhs_number::NhsNumber;
use crate::domain::rules::{
    assess, clearance, Decimal, PersonFacts, PersonalTarget, Reading, RedFlagsCleared, RuleSet,
    Severity,
};
use crate::domain::triage::{AckAction, TriageRole};
use crate::store::{
    Acknowledgement, Actor, CycleRecord, PatientRow, RuleChange, Store, StoreError,
    StoredObservation, StoredTarget, TriageEntry, TriageKind, Write,
};

use super::contact1::value_text;

/// Why a triage action was not recorded. Nothing is written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum TriageError {
    #[error("no one with NHS number {0} is on the register")]
    NotFound(String),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<crate::domain::cycle::TransitionError> for TriageError {
    fn from(error: crate::domain::cycle::TransitionError) -> TriageError {
        TriageError::Refused(error.0)
    }
}

/// The shipped table with the practice's changes applied: for each rule, its latest change
/// (a restore brings back the shipped thresholds). A change that no longer fits its rule (the
/// rule left the table or changed shape in a newer version) is not applied.
pub fn practice_rules(shipped: &RuleSet, changes: &[RuleChange]) -> RuleSet {
    let mut latest: HashMap<&str, &RuleChange> = HashMap::new();
    for change in changes {
        latest.insert(change.rule_id.as_str(), change);
    }
    let mut set = shipped.clone();
    for change in latest.values() {
        let Some(thresholds) = &change.thresholds else { continue };
        let Some(parsed) = thresholds.iter().map(|t| Decimal::parse(t)).collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        if let Ok(changed) = set.with_thresholds(&[(change.rule_id.clone(), parsed)]) {
            set = changed;
        }
    }
    set
}

/// One finding, with what a clinician needs to act on it.
#[derive(Clone, Debug)]
pub struct FindingRow {
    pub observation_id: i64,
    pub item: String,
    pub item_label: String,
    pub code: String,
    /// The value as stored ("92", "184/96") and its UCUM unit.
    pub value: String,
    pub unit: Option<String>,
    /// The value as staff read it: "92 mmol/mol".
    pub value_text: String,
    pub taken_on: NaiveDate,
    pub recorded_at: String,
    pub severity: Severity,
    pub rule: String,
    pub rule_title: String,
    pub rule_words: String,
    pub source: String,
    pub rationale: String,
    pub meaning: String,
    pub acknowledgement: Option<Acknowledgement>,
}

impl FindingRow {
    /// Red and not yet acknowledged.
    pub fn is_waiting(&self) -> bool {
        self.severity == Severity::Red && self.acknowledgement.is_none()
    }
}

/// The target that applied to a result.
#[derive(Clone, Debug)]
pub struct TargetRow {
    pub personal: bool,
    /// The value is outside the target (even where a red finding is shown instead).
    pub exceeded: bool,
    pub words: Option<String>,
    pub rule: String,
    pub source: String,
    pub reason: Option<String>,
}

/// One result of the review with its history and what the rules say.
#[derive(Clone, Debug)]
pub struct ResultRow {
    pub observation_id: i64,
    pub item: String,
    pub label: String,
    pub theme: String,
    pub value_text: String,
    pub taken_on: NaiveDate,
    /// Up to three earlier values, newest first: (day, value as read).
    pub previous: Vec<(NaiveDate, String)>,
    /// "rising", "falling" or "steady" against the previous value, for numbers.
    pub trend: Option<&'static str>,
    pub findings: Vec<FindingRow>,
    pub target: Option<TargetRow>,
}

impl ResultRow {
    pub fn severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// What the rules need to know about a person, from the register.
pub fn person_facts(catalogue: &Catalogue, patient: &PatientRow) -> PersonFacts {
    PersonFacts {
        date_of_birth: patient.details.date_of_birth,
        conditions: patient.details.conditions.iter().map(|d| d.condition_id.clone()).collect(),
        frailty: patient.details.frailty(catalogue),
    }
}

/// Evaluates the rules for the results of one review. Every current value of the review is
/// returned when `every_result` is set; otherwise only those with findings.
#[allow(clippy::too_many_arguments)]
pub fn evaluate_review(
    catalogue: &Catalogue,
    rules: &RuleSet,
    patient: &PatientRow,
    cycle_id: i64,
    observations: &[StoredObservation],
    targets: &[StoredTarget],
    acknowledged: &HashMap<(i64, String), Acknowledgement>,
    every_result: bool,
) -> Vec<ResultRow> {
    let measures = catalogue.measures();
    let facts = person_facts(catalogue, patient);
    let targets: Vec<PersonalTarget> = targets
        .iter()
        .filter_map(|t| {
            let item = measures.item(&t.item)?;
            PersonalTarget::restore(item, &t.target, &t.reason, &t.set_by, t.set_on)
        })
        .collect();
    // Current values, read back through their items.
    let values: Vec<(&StoredObservation, Value)> = observations
        .iter()
        .filter(|o| o.retraction.is_none())
        .filter_map(|o| match o.recorded(measures)? {
            Recorded::Value(value) => Some((o, value)),
            Recorded::NotDone(_) => None,
        })
        .collect();
    let history: Vec<Reading<'_>> = values
        .iter()
        .filter_map(|(o, value)| {
            Some(Reading {
                observation: o.id,
                item: measures.item(&o.item)?,
                taken_on: o.taken_on,
                value,
            })
        })
        .collect();
    let mut rows = Vec::new();
    for reading in history.iter().filter(|r| {
        values.iter().any(|(o, _)| o.id == r.observation && o.cycle_id == Some(cycle_id))
    }) {
        let observation = values
            .iter()
            .map(|(o, _)| *o)
            .find(|o| o.id == reading.observation)
            .expect("the reading came from these values");
        let assessment = assess(rules, &facts, reading, &history, &targets);
        if !every_result && assessment.findings.is_empty() {
            continue;
        }
        let item = reading.item;
        let findings = assessment
            .findings
            .iter()
            .map(|f| {
                let rule = f.basis.rule();
                FindingRow {
                    observation_id: observation.id,
                    item: item.id().to_string(),
                    item_label: item.label().to_string(),
                    code: item.snomed().to_string(),
                    value: observation.value.clone().unwrap_or_default(),
                    unit: match reading.value {
                        Value::Quantity(_) | Value::BloodPressure { .. } => {
                            item.unit().map(|u| u.ucum.clone())
                        }
                        _ => None,
                    },
                    value_text: item.describe(reading.value),
                    taken_on: observation.taken_on,
                    recorded_at: observation.recorded_at.clone(),
                    severity: f.severity,
                    rule: f.rule_id().to_string(),
                    rule_title: rule.title.clone(),
                    rule_words: rule.describe(measures),
                    source: f.basis.source(),
                    rationale: rule.rationale.clone(),
                    meaning: rule.meaning.clone(),
                    acknowledgement: acknowledged
                        .get(&(observation.id, f.rule_id().to_string()))
                        .cloned(),
                }
            })
            .collect();
        let target = assessment.target.as_ref().map(|t| {
            let personal = match t.basis {
                crate::domain::rules::Basis::Personal { target, .. } => Some(target),
                crate::domain::rules::Basis::Rule(_) => None,
            };
            TargetRow {
                personal: personal.is_some(),
                exceeded: t.exceeded,
                words: t.words.clone(),
                rule: t.basis.rule().id.clone(),
                source: t.basis.source(),
                reason: personal.map(|p| p.reason.clone()),
            }
        });
        let earlier: Vec<&&StoredObservation> = values
            .iter()
            .map(|(o, _)| o)
            .filter(|o| {
                o.item == observation.item
                    && o.id != observation.id
                    && (o.taken_on, o.id) < (observation.taken_on, observation.id)
            })
            .collect();
        let previous: Vec<(NaiveDate, String)> =
            earlier.iter().take(3).map(|o| (o.taken_on, value_text(catalogue, o))).collect();
        let trend = earlier.first().and_then(|before| {
            let now = observation_number(observation)?;
            let then = observation_number(before)?;
            Some(if now > then {
                "rising"
            } else if now < then {
                "falling"
            } else {
                "steady"
            })
        });
        rows.push(ResultRow {
            observation_id: observation.id,
            item: item.id().to_string(),
            label: item.label().to_string(),
            theme: item.theme().to_string(),
            value_text: item.describe(reading.value),
            taken_on: observation.taken_on,
            previous,
            trend,
            findings,
            target,
        });
    }
    rows
}

/// The first number of a stored value, for a trend arrow only (never for a decision).
fn observation_number(observation: &StoredObservation) -> Option<Decimal> {
    let text = observation.value.as_deref()?;
    let first = text.split('/').next()?.trim_start_matches(['<', '>']);
    Decimal::parse(first)
}

fn acknowledgement_map(acks: Vec<Acknowledgement>) -> HashMap<(i64, String), Acknowledgement> {
    acks.into_iter().map(|a| ((a.observation_id, a.rule_id.clone()), a)).collect()
}

/// One person's review evaluated with the practice's rules, their results, own targets and
/// acknowledgements, as stored (`review_results_in` reads the same inside a transaction).
pub fn review_results(
    store: &Store,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    patient: &PatientRow,
    cycle_id: i64,
    every_result: bool,
) -> Result<Vec<ResultRow>, StoreError> {
    let rules = practice_rules(shipped, &store.rule_changes()?);
    let observations = store.observations_of(patient.id)?;
    let targets = store.personal_targets_of(patient.id)?;
    let acks = acknowledgement_map(store.acknowledgements_of(patient.id)?);
    Ok(evaluate_review(
        catalogue,
        &rules,
        patient,
        cycle_id,
        &observations,
        &targets,
        &acks,
        every_result,
    ))
}

/// `review_results` as the caller's transaction sees it.
pub fn review_results_in(
    w: &Write<'_>,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    patient: &PatientRow,
    cycle_id: i64,
) -> Result<Vec<ResultRow>, StoreError> {
    let rules = practice_rules(shipped, &w.rule_changes()?);
    let observations = w.observations_of(patient.id)?;
    let targets = w.personal_targets_of(patient.id)?;
    let acks = acknowledgement_map(w.acknowledgements_of(patient.id)?);
    Ok(evaluate_review(catalogue, &rules, patient, cycle_id, &observations, &targets, &acks, false))
}

/// The gate before a pack is approved or sent: every red finding of the review acknowledged.
/// Reads everything inside the caller's transaction.
pub fn red_flags_cleared(
    w: &Write<'_>,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    patient: &PatientRow,
    cycle_id: i64,
) -> Result<Result<RedFlagsCleared, String>, StoreError> {
    Ok(clear_rows(&review_results_in(w, catalogue, shipped, patient, cycle_id)?))
}

/// Where a review stands on the worklist.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum WorklistGroup {
    /// At least one red finding waits for a clinician.
    Urgent,
    /// Results complete, waiting for a clinician's review.
    AwaitingReview,
    /// Anything else with a finding (only with `all`).
    Other,
}

/// One open review on the worklist.
#[derive(Clone, Debug)]
pub struct WorklistEntry {
    pub patient: PatientRow,
    pub cycle: CycleRecord,
    pub group: WorklistGroup,
    pub findings: Vec<FindingRow>,
    pub contact1_on: Option<NaiveDate>,
}

impl WorklistEntry {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// The clinician's worklist: open reviews with unacknowledged red findings first (oldest red
/// first), then reviews whose results are complete (oldest contact 1 first). With `all`, also
/// every other open review with any finding, whatever its state, after those.
pub fn worklist(
    store: &Store,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    all: bool,
) -> Result<Vec<WorklistEntry>, StoreError> {
    let rules = practice_rules(shipped, &store.rule_changes()?);
    let open = store.open_cycles()?;
    let mut observations = store.observations_of_open_reviews()?;
    let targets = store.all_personal_targets()?;
    let acks = acknowledgement_map(store.all_acknowledgements()?);
    let mut entries = Vec::new();
    for (patient_id, (cycle_id, status, _)) in &open {
        let complete = status == CycleStatus::ResultsComplete.code();
        let mine = observations.remove(patient_id).unwrap_or_default();
        if !mine.iter().any(|o| o.cycle_id == Some(*cycle_id)) && !complete {
            continue;
        }
        let patient = store.patient_by_id(*patient_id)?;
        let rows = evaluate_review(
            catalogue,
            &rules,
            &patient,
            *cycle_id,
            &mine,
            targets.get(patient_id).map(Vec::as_slice).unwrap_or(&[]),
            &acks,
            false,
        );
        let findings: Vec<FindingRow> = rows.into_iter().flat_map(|r| r.findings).collect();
        let group = if findings.iter().any(FindingRow::is_waiting) {
            WorklistGroup::Urgent
        } else if complete {
            WorklistGroup::AwaitingReview
        } else if all && !findings.is_empty() {
            WorklistGroup::Other
        } else {
            continue;
        };
        let Some(cycle) = store.cycle_of_id(*cycle_id)? else { continue };
        let contact1_on = cycle.cycle.contact1().map(|b| b.starts_at().date());
        entries.push(WorklistEntry { patient, cycle, group, findings, contact1_on });
    }
    entries.sort_by(|a, b| {
        let oldest_red = |e: &WorklistEntry| {
            e.findings.iter().filter(|f| f.is_waiting()).map(|f| f.recorded_at.clone()).min()
        };
        a.group
            .cmp(&b.group)
            .then_with(|| match a.group {
                WorklistGroup::Urgent => oldest_red(a).cmp(&oldest_red(b)),
                _ => a
                    .contact1_on
                    .unwrap_or(NaiveDate::MAX)
                    .cmp(&b.contact1_on.unwrap_or(NaiveDate::MAX)),
            })
            .then_with(|| {
                a.patient.details.nhs_number.as_str().cmp(b.patient.details.nhs_number.as_str())
            })
    });
    Ok(entries)
}

/// Everything a clinician reviews for one person's open review.
pub struct TriageReview {
    pub patient: PatientRow,
    pub cycle: CycleRecord,
    pub results: Vec<ResultRow>,
    pub entries: Vec<TriageEntry>,
    pub targets: Vec<StoredTarget>,
    /// The answer to the medication question of contact 1, if asked.
    pub medication_answer: Option<String>,
    /// Why the pack cannot be approved yet, if it cannot.
    pub approval_blocked: Option<String>,
}

impl TriageReview {
    /// The latest route, if any.
    pub fn route(&self) -> Option<&TriageEntry> {
        self.entries.iter().rev().find(|e| e.kind == TriageKind::Route)
    }

    /// The latest medication review decision, if any.
    pub fn medication_review(&self) -> Option<&TriageEntry> {
        self.entries.iter().rev().find(|e| e.kind == TriageKind::MedicationReview)
    }

    pub fn notes(&self) -> impl Iterator<Item = &TriageEntry> {
        self.entries.iter().filter(|e| e.kind == TriageKind::Note)
    }
}

/// The item whose answer is the medication question of contact 1.
const MEDICATION_ITEM: &str = "medication-problems";

/// Reads one person's open review for triage; `None` if they have no open review.
pub fn review(
    store: &Store,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    nhs_number: &NhsNumber,
) -> Result<Option<TriageReview>, TriageError> {
    let patient =
        store.patient(nhs_number)?.ok_or_else(|| TriageError::NotFound(nhs_number.to_string()))?;
    let Some(cycle) = store.open_cycle_of(patient.id)? else { return Ok(None) };
    let results = review_results(store, catalogue, shipped, &patient, cycle.id, true)?;
    let targets = store.personal_targets_of(patient.id)?;
    let medication_answer =
        results.iter().find(|r| r.item == MEDICATION_ITEM).map(|r| r.value_text.clone());
    let entries = store.triage_entries(cycle.id)?;
    let approval_blocked = approval_refusal(&cycle, &entries, &results);
    Ok(Some(TriageReview {
        patient,
        cycle,
        results,
        entries,
        targets,
        medication_answer,
        approval_blocked,
    }))
}

/// Why the pack cannot be approved now, in words; `None` when it can.
fn approval_refusal(
    cycle: &CycleRecord,
    entries: &[TriageEntry],
    results: &[ResultRow],
) -> Option<String> {
    if let Err(refusal) = clear_rows(results) {
        return Some(refusal);
    }
    let approved = [
        CycleStatus::Triaged,
        CycleStatus::PackSent,
        CycleStatus::ConversationBooked,
        CycleStatus::ConversationHeld,
    ];
    if approved.contains(&cycle.cycle.status()) {
        return Some("the preparation pack has already been approved".into());
    }
    if cycle.cycle.status() != CycleStatus::ResultsComplete {
        return Some(format!(
            "the pack can be approved once the results are complete; this review is at \"{}\"",
            cycle.cycle.status().label()
        ));
    }
    if !entries.iter().any(|e| e.kind == TriageKind::Route) {
        return Some(
            "say who the conversation is with (nurse, GP, pharmacist or other) first".into(),
        );
    }
    None
}

/// The clearance for evaluated rows, or the sentence saying which red findings still wait.
fn clear_rows(rows: &[ResultRow]) -> Result<RedFlagsCleared, String> {
    let waiting: Vec<String> = rows
        .iter()
        .flat_map(|r| r.findings.iter())
        .filter(|f| f.is_waiting())
        .map(|f| format!("{} {} ({})", f.item_label, f.value_text, f.rule_title))
        .collect();
    clearance(waiting).map_err(|waiting| {
        format!(
            "the pack cannot be approved or sent while a red finding is unacknowledged: {}. A \
             clinician must acknowledge each one with the action taken first",
            waiting.0.join("; ")
        )
    })
}

/// The person and their open review, inside a transaction.
fn open_review(
    w: &Write<'_>,
    nhs_number: &NhsNumber,
) -> Result<(PatientRow, CycleRecord), TriageError> {
    let patient =
        w.patient(nhs_number)?.ok_or_else(|| TriageError::NotFound(nhs_number.to_string()))?;
    let cycle = w.open_cycle_of(patient.id)?.ok_or_else(|| {
        TriageError::Refused(format!(
            "{} {} has no open review to triage",
            patient.details.name.given(),
            patient.details.name.family()
        ))
    })?;
    Ok((patient, cycle))
}

/// Acknowledges one red finding with the action taken. Refuses a finding that does not exist
/// (any more), one already acknowledged, and "no action" without a reason.
#[allow(clippy::too_many_arguments)]
pub fn acknowledge(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    nhs_number: &NhsNumber,
    observation_id: i64,
    rule_id: &str,
    action: AckAction,
    note: &str,
) -> Result<(), TriageError> {
    if action == AckAction::NoAction && note.trim().is_empty() {
        return Err(TriageError::Refused("say why no action is needed".into()));
    }
    store.write(actor, |w| {
        let (patient, cycle) = open_review(w, nhs_number)?;
        let rows = review_results_in(w, catalogue, shipped, &patient, cycle.id)?;
        let finding = rows
            .iter()
            .flat_map(|r| r.findings.iter())
            .find(|f| f.observation_id == observation_id && f.rule == rule_id)
            .ok_or_else(|| {
                TriageError::Refused(
                    "that finding is no longer there: the value may have been corrected. Open \
                     the review again"
                        .into(),
                )
            })?;
        if finding.severity != Severity::Red {
            return Err(TriageError::Refused(
                "only red findings are acknowledged; talk about amber ones in the conversation"
                    .into(),
            ));
        }
        if finding.acknowledgement.is_some() {
            return Err(TriageError::Refused("that finding has already been acknowledged".into()));
        }
        w.acknowledge_finding(observation_id, rule_id, Some(cycle.id), action, note)?;
        let note = note.trim();
        w.audit(
            "triage.acknowledge",
            Some(patient.id),
            &format!(
                "red finding acknowledged: {} {} ({}); {}{}",
                finding.item_label,
                finding.value_text,
                finding.rule_title,
                action.label(),
                if note.is_empty() { String::new() } else { format!(": {note}") }
            ),
        )?;
        Ok(())
    })
}

/// Routes the conversation to a role and, optionally, a named clinician.
pub fn route(
    store: &mut Store,
    actor: &Actor,
    nhs_number: &NhsNumber,
    role: TriageRole,
    clinician: &str,
    note: &str,
) -> Result<(), TriageError> {
    store.write(actor, |w| {
        let (patient, cycle) = open_review(w, nhs_number)?;
        w.add_triage_entry(cycle.id, TriageKind::Route, Some(role), clinician, None, note)?;
        let clinician = clinician.trim();
        let with = if clinician.is_empty() {
            role.label().to_string()
        } else {
            format!("{} ({clinician})", role.label())
        };
        w.audit("triage.route", Some(patient.id), &format!("conversation routed to {with}"))?;
        Ok(())
    })
}

/// Marks whether a medication review is needed, with a note.
pub fn medication_review(
    store: &mut Store,
    actor: &Actor,
    nhs_number: &NhsNumber,
    needed: bool,
    note: &str,
) -> Result<(), TriageError> {
    if needed && note.trim().is_empty() {
        return Err(TriageError::Refused("say what the medication review should look at".into()));
    }
    store.write(actor, |w| {
        let (patient, cycle) = open_review(w, nhs_number)?;
        w.add_triage_entry(cycle.id, TriageKind::MedicationReview, None, "", Some(needed), note)?;
        let words = if needed { "medication review needed" } else { "no medication review needed" };
        let note = note.trim();
        let summary = if note.is_empty() { words.to_string() } else { format!("{words}: {note}") };
        w.audit("triage.medication_review", Some(patient.id), &summary)?;
        Ok(())
    })
}

/// Writes a note for the conversation.
pub fn add_note(
    store: &mut Store,
    actor: &Actor,
    nhs_number: &NhsNumber,
    note: &str,
) -> Result<(), TriageError> {
    if note.trim().is_empty() {
        return Err(TriageError::Refused("the note is empty".into()));
    }
    store.write(actor, |w| {
        let (patient, cycle) = open_review(w, nhs_number)?;
        w.add_triage_entry(cycle.id, TriageKind::Note, None, "", None, note)?;
        w.audit(
            "triage.note",
            Some(patient.id),
            &format!("note for the conversation: {}", note.trim()),
        )?;
        Ok(())
    })
}

/// Sets a person's own target for an item (or with `None`, goes back to the practice's),
/// with the reason. A target where a red rule would fire is refused.
#[allow(clippy::too_many_arguments)]
pub fn set_personal_target(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    nhs_number: &NhsNumber,
    item_id: &str,
    target: Option<&str>,
    reason: &str,
    today: NaiveDate,
) -> Result<(), TriageError> {
    let item = catalogue
        .measures()
        .item(item_id)
        .ok_or_else(|| TriageError::Refused(format!("the catalogue has no item '{item_id}'")))?;
    if reason.trim().is_empty() {
        return Err(TriageError::Refused("say why this person has their own target".into()));
    }
    store.write(actor, |w| {
        let patient =
            w.patient(nhs_number)?.ok_or_else(|| TriageError::NotFound(nhs_number.to_string()))?;
        let rules = practice_rules(shipped, &w.rule_changes()?);
        let summary = match target.map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => {
                let parsed = PersonalTarget::parse(&rules, item, text, reason, actor.name(), today)
                    .map_err(TriageError::Refused)?;
                w.set_personal_target(patient.id, item.id(), Some(&parsed.text), reason)?;
                format!("personal target for {}: {} ({})", item.label(), parsed.text, reason.trim())
            }
            None => {
                let current = w.personal_targets_of(patient.id)?;
                if !current.iter().any(|t| t.item == item.id()) {
                    return Err(TriageError::Refused(format!(
                        "{} has no personal target to end",
                        item.label()
                    )));
                }
                w.set_personal_target(patient.id, item.id(), None, reason)?;
                format!(
                    "personal target for {} ended: the practice's target applies ({})",
                    item.label(),
                    reason.trim()
                )
            }
        };
        w.audit("triage.personal_target", Some(patient.id), &summary)?;
        Ok(())
    })
}

/// Approves the preparation pack: the review moves to "triaged". Refused while a red finding
/// is unacknowledged, before the results are complete, and before the conversation is routed.
#[allow(clippy::too_many_arguments)]
pub fn approve_pack(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    nhs_number: &NhsNumber,
    today: NaiveDate,
) -> Result<(), TriageError> {
    store.write(actor, |w| {
        let (patient, mut cycle) = open_review(w, nhs_number)?;
        let cleared = red_flags_cleared(w, catalogue, shipped, &patient, cycle.id)?
            .map_err(TriageError::Refused)?;
        if !w.triage_entries(cycle.id)?.iter().any(|e| e.kind == TriageKind::Route) {
            return Err(TriageError::Refused(
                "say who the conversation is with (nurse, GP, pharmacist or other) before \
                 approving the pack"
                    .into(),
            ));
        }
        let event = cycle.cycle.triage(today, &cleared)?;
        w.save_transition(patient.id, Some(cycle.id), &cycle.cycle, &event)?;
        Ok(())
    })
}

/// Changes a rule's thresholds for the practice, with the reason. Each threshold is a plain
/// number; the table is checked again before anything is saved.
pub fn change_rule(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    shipped: &RuleSet,
    rule_id: &str,
    thresholds: &[String],
    reason: &str,
) -> Result<(), TriageError> {
    let rule = shipped
        .rule(rule_id)
        .ok_or_else(|| TriageError::Refused(format!("there is no rule '{rule_id}'")))?;
    if reason.trim().is_empty() {
        return Err(TriageError::Refused("say why the threshold is changing".into()));
    }
    let names = rule.thresholds();
    if thresholds.len() != names.len() {
        return Err(TriageError::Refused(format!(
            "rule {rule_id} has {} threshold(s); {} were given",
            names.len(),
            thresholds.len()
        )));
    }
    let mut parsed = Vec::new();
    for ((name, op, _), text) in names.iter().zip(thresholds) {
        let text = text.trim();
        parsed.push(Decimal::parse(text).ok_or_else(|| {
            TriageError::Refused(format!(
                "the threshold for {name} {} must be a number such as 6 or 5.5, not '{text}'",
                op.symbol()
            ))
        })?);
    }
    let texts: Vec<String> = parsed.iter().map(|d| d.to_string()).collect();
    store.write(actor, |w| {
        let before = practice_rules(shipped, &w.rule_changes()?);
        let after = before
            .with_thresholds(&[(rule_id.to_string(), parsed.clone())])
            .map_err(TriageError::Refused)?;
        let was =
            before.rule(rule_id).map(|r| r.describe(catalogue.measures())).unwrap_or_default();
        let now = after.rule(rule_id).map(|r| r.describe(catalogue.measures())).unwrap_or_default();
        w.record_rule_change(rule_id, Some(&texts), reason)?;
        w.audit(
            "rules.change",
            None,
            &format!("rule {rule_id}: {was} → {now} ({})", reason.trim()),
        )?;
        Ok(())
    })
}

/// Brings back the shipped thresholds of a rule, with the reason.
pub fn restore_rule(
    store: &mut Store,
    actor: &Actor,
    shipped: &RuleSet,
    rule_id: &str,
    reason: &str,
) -> Result<(), TriageError> {
    let rule = shipped
        .rule(rule_id)
        .ok_or_else(|| TriageError::Refused(format!("there is no rule '{rule_id}'")))?;
    if reason.trim().is_empty() {
        return Err(TriageError::Refused("say why the shipped threshold is coming back".into()));
    }
    store.write(actor, |w| {
        w.record_rule_change(rule_id, None, reason)?;
        w.audit(
            "rules.restore",
            None,
            &format!(
                "rule {rule_id}: shipped thresholds restored ({}) ({})",
                rule.thresholds()
                    .iter()
                    .map(|(n, o, t)| format!("{n} {} {t}", o.symbol()))
                    .collect::<Vec<_>>()
                    .join(", "),
                reason.trim()
            ),
        )?;
        Ok(())
    })
}
