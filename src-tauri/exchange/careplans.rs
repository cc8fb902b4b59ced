//! The care and support planning conversation over the store: opening the plan to work on
//! (next year's starts from the last agreed plan), saving it as it is typed, agreeing it as a
//! new version (recording the conversation as held and the review as closed), the person
//! declining, and the printed plan.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Months, NaiveDate, NaiveDateTime};

use crate::documents::letters_pdf;
use crate::domain::careplan::{
    check_agreement, plan_letter, AgreedPlan, Agreement, CarePlanTexts, NotYetAgreed, PlanDocument,
};
use crate::domain::catalogue::Catalogue;
use crate::domain::checklist::Recorded;
use crate::domain::cycle::CycleStatus;
use crate::domain::fhir::{care_plan_bundle, FhirCondition, FhirObservation, FhirPlan};
use crate::domain::letters::PrintSize;
use crate::domain::measures::Value;
use crate::domain::nhs_number::NhsNumber;
use crate::domain::person::RegistrationStatus;
use crate::domain::practice::PracticeSettings;
use crate::exchange::register_import::plain_io_error;
use crate::store::{
    Actor, CycleRecord, Draft, DraftSaveError, NewPlan, PatientRow, Store, StoreError, StoredPlan,
};

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("there is nobody with NHS number {0}")]
    NotFound(String),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    NotYetAgreed(NotYetAgreed),
    #[error(transparent)]
    Draft(#[from] DraftSaveError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::domain::cycle::TransitionError> for PlanError {
    fn from(error: crate::domain::cycle::TransitionError) -> PlanError {
        PlanError::Refused(error.0)
    }
}

/// Everything the conversation screen starts from.
pub struct Conversation {
    pub patient: PatientRow,
    pub cycle: Option<CycleRecord>,
    pub draft: Option<Draft>,
    /// Agreed versions, oldest first.
    pub plans: Vec<StoredPlan>,
}

impl Conversation {
    pub fn latest(&self) -> Option<&StoredPlan> {
        self.plans.last()
    }
}

fn person(store_patient: Option<PatientRow>, nhs: &NhsNumber) -> Result<PatientRow, PlanError> {
    store_patient.ok_or_else(|| PlanError::NotFound(nhs.to_string()))
}

fn refuse_unless_registered(patient: &PatientRow) -> Result<(), PlanError> {
    let name = format!("{} {}", patient.details.name.given(), patient.details.name.family());
    match patient.details.status {
        RegistrationStatus::Registered => Ok(()),
        RegistrationStatus::Left => Err(PlanError::Refused(format!(
            "{name} has left the practice: nothing can be recorded"
        ))),
        RegistrationStatus::Deceased => {
            Err(PlanError::Refused(format!("{name} has died: nothing can be recorded")))
        }
    }
}

/// The person, their open review, the plan being worked on and every agreed version.
pub fn conversation(store: &Store, nhs: &NhsNumber) -> Result<Conversation, PlanError> {
    let patient = person(store.patient(nhs)?, nhs)?;
    Ok(Conversation {
        cycle: store.open_cycle_of(patient.id)?,
        draft: store.open_draft_of(patient.id)?,
        plans: store.care_plans_of(patient.id)?,
        patient,
    })
}

/// The plan to work on: the open draft, or a new one. With an open review later than the last
/// agreed plan, the new draft starts from that plan for reviewing; otherwise it is the last
/// plan, to change as a new version; with no plan at all it starts empty.
pub fn open_draft(store: &mut Store, actor: &Actor, nhs: &NhsNumber) -> Result<Draft, PlanError> {
    let patient = person(store.patient(nhs)?, nhs)?;
    refuse_unless_registered(&patient)?;
    if let Some(draft) = store.open_draft_of(patient.id)? {
        return Ok(draft);
    }
    store.write(actor, |w| {
        let cycle = w.open_cycle_of(patient.id)?;
        let plans = w.care_plans_of(patient.id)?;
        let (doc, cycle_id, based_on, why) = match (plans.last(), &cycle) {
            (Some(latest), Some(open)) if latest.cycle_id != Some(open.id) => (
                latest.doc.next_review(latest.version),
                Some(open.id),
                None,
                format!("the plan for this review, starting from version {}", latest.version),
            ),
            (Some(latest), _) => (
                latest.doc.clone(),
                latest.cycle_id,
                Some(latest.id),
                format!("changes to version {}", latest.version),
            ),
            (None, open) => {
                (PlanDocument::default(), open.as_ref().map(|c| c.id), None, "a first plan".into())
            }
        };
        Ok(w.start_draft(patient.id, cycle_id, based_on, &doc, &why)?)
    })
}

/// Which parts of the plan a save changed, for the audit trail.
fn changed_parts(before: &PlanDocument, after: &PlanDocument) -> String {
    let mut parts = Vec::new();
    let mut part = |name: &str, changed: bool| {
        if changed {
            parts.push(name.to_string());
        }
    };
    part("agenda", before.agenda != after.agenda);
    part("what matters", before.what_matters != after.what_matters);
    part("people", before.people != after.people);
    part("communication", before.communication != after.communication);
    part("needs, goals and actions", before.needs != after.needs);
    part("support and signposting", before.support != after.support);
    part("contingency plan", before.contingency != after.contingency);
    part("looking ahead", before.looking_ahead != after.looking_ahead);
    part("review", before.review != after.review);
    part("earlier goals", before.earlier_goals != after.earlier_goals);
    if parts.is_empty() {
        "saved, unchanged".into()
    } else {
        format!("changed {}", parts.join(", "))
    }
}

/// Saves the plan as typed. Returns the new revision, which the next save must quote.
pub fn save_draft(
    store: &mut Store,
    actor: &Actor,
    draft_id: i64,
    revision: i64,
    doc: &PlanDocument,
) -> Result<i64, PlanError> {
    let problems = doc.problems();
    if !problems.is_empty() {
        return Err(PlanError::Refused(format!("not saved: {}", problems.join("; "))));
    }
    store.write(actor, |w| {
        let before = w.care_plan_draft(draft_id)?.ok_or(DraftSaveError::NotFound(draft_id))?;
        refuse_unless_registered(&w.patient_by_id(before.patient_id)?)?;
        let changed = changed_parts(&before.doc, doc);
        Ok(w.save_draft(draft_id, revision, doc, &changed)?)
    })
}

/// What agreeing produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreed {
    pub plan_id: i64,
    pub version: u32,
}

/// Agrees the draft as the person's next plan version, in one transaction: the conversation is
/// recorded as held and the review as closed with a plan agreed (for a review's plan), the
/// version is added, the draft is closed. Refused with everything still missing.
pub fn agree(
    store: &mut Store,
    actor: &Actor,
    draft_id: i64,
    revision: i64,
    agreement: &Agreement,
    today: NaiveDate,
) -> Result<Agreed, PlanError> {
    store.write(actor, |w| {
        let draft = w.care_plan_draft(draft_id)?.ok_or(DraftSaveError::NotFound(draft_id))?;
        if draft.revision != revision {
            return Err(DraftSaveError::Stale.into());
        }
        let patient = w.patient_by_id(draft.patient_id)?;
        refuse_unless_registered(&patient)?;
        let latest = w.care_plans_of(patient.id)?.last().map(|p| p.version);
        // This year's plan follows last year's as a matter of course; a change needs a reason.
        let mut agreement = agreement.clone();
        if draft.based_on.is_none() && latest.is_some() && agreement.reason.trim().is_empty() {
            agreement.reason = "agreed at the review".into();
        }
        let agreement = &agreement;
        let version = check_agreement(&draft.doc, agreement, latest, today)
            .map_err(PlanError::NotYetAgreed)?;
        let mut clinician = actor.name().to_string();
        if draft.based_on.is_none() {
            if let Some(cycle_id) = draft.cycle_id {
                let mut record = w.cycle_of_id(cycle_id)?.ok_or_else(|| {
                    PlanError::Refused("the review this plan belongs to is missing".into())
                })?;
                if let Some(booking) = record.cycle.conversation() {
                    clinician = booking.with_whom().to_string();
                }
                if record.cycle.status() == CycleStatus::ConversationBooked {
                    let held = record.cycle.hold_conversation(today)?;
                    w.save_transition(patient.id, Some(cycle_id), &record.cycle, &held)?;
                }
                let agreed = record.cycle.agree_plan(today)?;
                w.save_transition(patient.id, Some(cycle_id), &record.cycle, &agreed)?;
            }
        }
        let reason = agreement.reason.as_str();
        let plan_id = w.record_agreed_plan(
            &NewPlan {
                patient_id: patient.id,
                cycle_id: draft.cycle_id,
                version,
                doc: &draft.doc,
                agreed_on: today,
                with: &agreement.with,
                clinician: &clinician,
                no_contingency_confirmed: agreement.no_contingency_confirmed
                    && draft.doc.contingency.is_empty(),
                change_reason: reason,
            },
            Some(draft.id),
        )?;
        Ok(Agreed { plan_id, version })
    })
}

/// The person declined the care and support planning conversation: the review closes as
/// declined with the reason, and any plan being worked on for it is set aside (kept).
pub fn decline(
    store: &mut Store,
    actor: &Actor,
    nhs: &NhsNumber,
    reason: &str,
    today: NaiveDate,
) -> Result<(), PlanError> {
    store.write(actor, |w| {
        let patient = person(w.patient(nhs)?, nhs)?;
        let mut record = w.open_cycle_of(patient.id)?.ok_or_else(|| {
            PlanError::Refused(
                "there is no open review to decline: the person's review is closed or not yet due"
                    .into(),
            )
        })?;
        let event = record.cycle.decline(today, reason)?;
        w.save_transition(patient.id, Some(record.id), &record.cycle, &event)?;
        if let Some(draft) = w.open_draft_of(patient.id)? {
            if draft.based_on.is_none() && draft.cycle_id == Some(record.id) {
                w.set_aside_draft(draft.id, "the person declined the conversation")?;
            }
        }
        Ok(())
    })
}

/// Closes the draft without agreeing it (the clinician chose to drop the changes); kept.
pub fn set_aside(
    store: &mut Store,
    actor: &Actor,
    draft_id: i64,
    why: &str,
) -> Result<(), PlanError> {
    if why.trim().is_empty() {
        return Err(PlanError::Refused("say why the draft is being set aside".into()));
    }
    Ok(store.write(actor, |w| w.set_aside_draft(draft_id, why.trim()))?)
}

/// A printed plan.
pub struct PrintedPlan {
    pub pdf: Vec<u8>,
    pub version: u32,
    pub large_print: bool,
    pub patient_id: i64,
}

/// "My care and support plan" as a PDF: the latest agreed version, or the one asked for.
/// Refused on a read-only database, where printing it could not be recorded.
pub fn plan_pdf(
    store: &Store,
    nhs: &NhsNumber,
    version: Option<u32>,
    texts: &CarePlanTexts,
    settings: &PracticeSettings,
    today: NaiveDate,
    created: NaiveDateTime,
) -> Result<PrintedPlan, PlanError> {
    let (patient, plan, _) = plan_to_send(store, nhs, version)?;
    let letter = plan_letter(
        &patient.details,
        &AgreedPlan {
            version: plan.version,
            agreed_on: plan.agreed_on,
            with: &plan.with,
            clinician: &plan.clinician,
            doc: &plan.doc,
        },
        texts,
        settings,
        today,
    );
    let large_print = letter.print == PrintSize::Large;
    Ok(PrintedPlan {
        pdf: letters_pdf(&[letter], "My care and support plan", created).pdf,
        version: plan.version,
        large_print,
        patient_id: patient.id,
    })
}

/// The agreed plan to print or export (the version asked for, or the latest), its person, and
/// whether it is the latest. Refused for someone who left or died, and on a read-only database,
/// where what leaves could not be recorded.
fn plan_to_send(
    store: &Store,
    nhs: &NhsNumber,
    version: Option<u32>,
) -> Result<(PatientRow, StoredPlan, bool), PlanError> {
    store.check_writable()?;
    let patient = person(store.patient(nhs)?, nhs)?;
    refuse_unless_registered(&patient)?;
    let mut plans = store.care_plans_of(patient.id)?;
    let name = format!("{} {}", patient.details.name.given(), patient.details.name.family());
    let at = match version {
        None => plans.len().checked_sub(1).ok_or_else(|| {
            PlanError::Refused(format!("{name} has no agreed care and support plan"))
        })?,
        Some(v) => plans.iter().position(|p| p.version == v).ok_or_else(|| {
            PlanError::Refused(format!("{name} has no care and support plan version {v}"))
        })?,
    };
    let latest = at + 1 == plans.len();
    Ok((patient, plans.swap_remove(at), latest))
}

/// How far back a result counts as recent for the exported plan.
const RECENT_RESULT_MONTHS: u32 = 15;

/// An agreed plan as a FHIR R4 document, ready to write.
pub struct ExportedPlan {
    pub json: String,
    pub version: u32,
    pub patient_id: i64,
}

/// The latest agreed plan (or the version asked for) as a FHIR R4 document for another health
/// or care service: the plan, the person's conditions and their latest result of each kind in
/// the 15 months up to the day it was agreed. Refused for someone who has left or died.
pub fn plan_fhir(
    store: &Store,
    catalogue: &Catalogue,
    nhs: &NhsNumber,
    version: Option<u32>,
    settings: &PracticeSettings,
    made_at: DateTime<FixedOffset>,
) -> Result<ExportedPlan, PlanError> {
    let (patient, plan, latest) = plan_to_send(store, nhs, version)?;

    let conditions = patient
        .details
        .conditions
        .iter()
        .map(|d| FhirCondition {
            code: &d.code,
            name: catalogue
                .condition(&d.condition_id)
                .map_or(d.condition_id.as_str(), |c| c.name()),
            onset: d.diagnosed_on,
        })
        .collect();

    let measures = catalogue.measures();
    let since = plan.agreed_on - Months::new(RECENT_RESULT_MONTHS);
    let mut latest_of: BTreeMap<&str, (NaiveDate, i64, Value)> = BTreeMap::new();
    let observations = store.observations_of(patient.id)?;
    for o in &observations {
        if o.retraction.is_some() || o.taken_on <= since || o.taken_on > plan.agreed_on {
            continue;
        }
        let Some(Recorded::Value(value)) = o.recorded(measures) else { continue };
        let newer = latest_of
            .get(o.item.as_str())
            .is_none_or(|(on, id, _)| (o.taken_on, o.id) > (*on, *id));
        if newer {
            latest_of.insert(o.item.as_str(), (o.taken_on, o.id, value));
        }
    }
    let results: Vec<FhirObservation> = measures
        .items()
        .iter()
        .filter_map(|item| {
            let (taken_on, _, value) = latest_of.get(item.id())?;
            Some(FhirObservation { item, taken_on: *taken_on, value })
        })
        .collect();

    let mut services = BTreeMap::new();
    for id in plan.doc.services() {
        if let Some(stored) = store.directory_service(id)? {
            services.insert(id, stored.service);
        }
    }
    let json = care_plan_bundle(&FhirPlan {
        person: &patient.details,
        practice: &settings.letterhead,
        conditions,
        observations: results,
        plan: AgreedPlan {
            version: plan.version,
            agreed_on: plan.agreed_on,
            with: &plan.with,
            clinician: &plan.clinician,
            doc: &plan.doc,
        },
        latest,
        services: &services,
        made_at,
    });
    Ok(ExportedPlan { json, version: plan.version, patient_id: patient.id })
}

/// Writes the exported plan to a file and audits where it went, in that order: an export
/// that could not be written is not recorded as sent.
pub fn write_plan_fhir(
    store: &mut Store,
    actor: &Actor,
    exported: &ExportedPlan,
    path: &std::path::Path,
) -> Result<(), PlanError> {
    std::fs::write(path, &exported.json).map_err(|e| {
        PlanError::Refused(format!("could not write {}: {}", path.display(), plain_io_error(&e)))
    })?;
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    store.write(actor, |w| {
        w.audit(
            "careplan.exported",
            Some(exported.patient_id),
            &format!(
                "version {} as a FHIR R4 document written to {}",
                exported.version,
                path.display()
            ),
        )
    })?;
    Ok(())
}

/// Records that a printed plan left the database, and where it went.
pub fn record_plan_printed(
    store: &mut Store,
    actor: &Actor,
    printed: &PrintedPlan,
    file: &str,
) -> Result<(), StoreError> {
    store.write(actor, |w| {
        w.audit(
            "careplan.printed",
            Some(printed.patient_id),
            &format!("version {} written to {file}", printed.version),
        )
    })
}
