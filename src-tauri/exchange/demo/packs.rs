//! The demonstration practice's preparation packs: approved reviews whose packs are ready to
//! print (one with the conversation booked, one in large print), and one held for each reason
//! a pack can be held: a conversation booked too soon, a red result that arrived after approval
//! and waits for a clinician, a person who died, a person who left, a format Alongside cannot
//! print. Reviews not yet approved are held already. Each change goes through the same store
//! operations the app uses.

use chrono::{Duration, NaiveDate, NaiveTime};

use crate::domain::catalogue::Catalogue;
use crate::domain::checklist::Recorded;
use crate::domain::cycle::{Booking, CycleStatus, PackTiming};
use crate::domain::measures::Entry;
use crate::domain::person::{CommunicationNeed, RegistrationStatus};
use crate::domain::practice::PracticeSettings;
use crate::store::{
    Actor, CycleRecord, NewObservation, ObservationSource, Store, StoreError, Write,
};

/// Stages the approved reviews waiting for their packs, in one transaction.
pub(super) fn stage_packs(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    settings: &PracticeSettings,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let approved: Vec<CycleRecord> = store
        .pack_candidates(today, 0)?
        .into_iter()
        .filter(|r| r.cycle.status() == CycleStatus::Triaged)
        .collect();
    let timing = PackTiming {
        minimum_days: settings.pack_minimum_days,
        target_days: settings.pack_target_days,
    };
    store.write(actor, |w| {
        w.audit("demo.packs", None, "the demonstration practice's packs were staged")?;
        let mut approved = approved.into_iter();
        let mut next = || approved.next();
        // Ready, with the conversation booked two and a half weeks ahead.
        if let Some(record) = next() {
            book(w, record, today + Duration::days(17), "Nurse J Okoye", timing, today)?;
        }
        // Ready, in large print.
        if let Some(record) = next() {
            set_needs(w, catalogue, &record, vec![CommunicationNeed::LargePrint])?;
        }
        // Held: the conversation was booked for three days' time.
        if let Some(record) = next() {
            book(w, record, today + Duration::days(3), "Dr A Rahman", timing, today)?;
        }
        // Held: a potassium result came back after approval and waits for a clinician.
        if let Some(record) = next() {
            let item = catalogue.measures().item("potassium").expect("the catalogue has potassium");
            let taken_on = today - Duration::days(1);
            let value = item
                .parse_entry(Entry { value: "6.6", ..Entry::default() }, today)
                .map_err(|e| StoreError::Refused(e.to_string()))?;
            w.insert_observation(&NewObservation {
                patient_id: record.patient_id,
                cycle_id: Some(record.id),
                item,
                taken_on,
                recorded: &Recorded::Value(value),
                note: "repeat sample",
                reported: None,
                source: ObservationSource::LabImport,
                source_detail: "demonstration lab results",
            })?;
        }
        // Held: needs easy read.
        if let Some(record) = next() {
            set_needs(w, catalogue, &record, vec![CommunicationNeed::EasyRead])?;
        }
        // Held, and never sent: one person died, one left the practice.
        for status in [RegistrationStatus::Deceased, RegistrationStatus::Left] {
            if let Some(record) = next() {
                let before = w.patient_by_id(record.patient_id)?.details;
                let after = crate::domain::register::PatientDetails { status, ..before.clone() };
                w.update_patient(record.patient_id, &before, &after, catalogue, "demo")?;
                w.close_open_cycles(record.patient_id, status, today - Duration::days(2))?;
            }
        }
        Ok(())
    })
}

fn book(
    w: &mut Write<'_>,
    mut record: CycleRecord,
    on: NaiveDate,
    with_whom: &str,
    timing: PackTiming,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let time = NaiveTime::from_hms_opt(10, 15, 0).expect("a time of day");
    let booking = Booking::new(on.and_time(time), with_whom, "Riverside Surgery")
        .map_err(StoreError::Refused)?;
    let (event, _) = record
        .cycle
        .book_conversation(booking, RegistrationStatus::Registered, today, timing)
        .map_err(|e| StoreError::Refused(e.0))?;
    w.save_transition(record.patient_id, Some(record.id), &record.cycle, &event)?;
    Ok(())
}

fn set_needs(
    w: &mut Write<'_>,
    catalogue: &Catalogue,
    record: &CycleRecord,
    needs: Vec<CommunicationNeed>,
) -> Result<(), StoreError> {
    let before = w.patient_by_id(record.patient_id)?.details;
    let after =
        crate::domain::register::PatientDetails { communication_needs: needs, ..before.clone() };
    w.update_patient(record.patient_id, &before, &after, catalogue, "demo")?;
    Ok(())
}
