//! Recall work over the store: the month's list with each person's next step, what the
//! coordinator records against a review (contacts, bookings, declines, adjustments), and
//! invitation letters printed in one batch and recorded as sent only when printing is confirmed.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::documents::letters_pdf;
use crate::domain::calendar::{review_month, YearMonth};
use crate::domain::catalogue::Catalogue;
use crate::domain::cycle::{Booking, Cycle, PackTiming, PcaReason, TransitionError};
use crate::domain::invitation::{invitation_letter, InvitationTexts};
use crate::domain::letters::PrintSize;
use crate::domain::nhs_number::NhsNumber;
use crate::domain::practice::PracticeSettings;
use crate::domain::recall::{recall_step, ContactAttempt, RecallStep};
use crate::domain::register::PatientDetails;
use crate::store::{Actor, BatchItem, CycleRecord, RecallEntry, Store, StoreError, Write};

/// One person on a month's recall list, with the next step for them today.
pub struct RecallLine {
    pub entry: RecallEntry,
    pub step: RecallStep,
    /// "No response to two invitations at least 7 days apart" is true, so it may be recorded.
    pub no_response_adjustment: bool,
}

impl RecallLine {
    /// Two invitations a week apart, no reply and no reminder pending: the coordinator can
    /// offer a personalised care adjustment (or send the last reminder).
    pub fn offers_adjustment(&self) -> bool {
        self.no_response_adjustment
            && matches!(self.step, RecallStep::ThirdInvitation | RecallStep::NoResponse)
    }
}

/// The month's list for the practice's cohort, in name order.
pub fn recall_list(
    store: &Store,
    settings: &PracticeSettings,
    month: YearMonth,
    today: NaiveDate,
) -> Result<Vec<RecallLine>, StoreError> {
    let mut lines: Vec<RecallLine> = store
        .recall_month(month)?
        .into_iter()
        .filter(|e| {
            e.cycle.is_some()
                || settings
                    .cohort
                    .includes(e.patient.details.conditions.iter().map(|d| d.condition_id.as_str()))
        })
        .map(|entry| {
            let cycle = entry.cycle.as_ref().map(|c| &c.cycle);
            let step = recall_step(cycle, today, settings.reinvite_after_days);
            let no_response_adjustment = cycle.is_some_and(Cycle::no_response_to_two_invitations);
            RecallLine { entry, step, no_response_adjustment }
        })
        .collect();
    lines.sort_by(|a, b| {
        let key = |l: &RecallLine| {
            let name = &l.entry.patient.details.name;
            (name.family().to_lowercase(), name.given().to_lowercase())
        };
        key(a).cmp(&key(b))
    });
    Ok(lines)
}

/// The review a person's record acts on: their open review, else the one due this year (or
/// next year, if this year's is already closed).
pub fn current_review_month(
    store: &Store,
    patient_id: i64,
    today: NaiveDate,
) -> Result<YearMonth, StoreError> {
    let cycles = store.cycles_of(patient_id)?;
    let person = store.patient_by_id(patient_id)?.details;
    Ok(review_month_among(&cycles, &person, today))
}

/// The month of the review a person's record acts on, given all their reviews.
pub fn review_month_among(
    cycles: &[CycleRecord],
    person: &PatientDetails,
    today: NaiveDate,
) -> YearMonth {
    if let Some(open) = cycles.iter().find(|c| c.cycle.status().is_open()) {
        return open.cycle.due_month();
    }
    let month = review_month(person.date_of_birth, person.recall_month);
    let this_year = cycles.iter().any(|c| c.cycle.due_month().year() == today.year());
    let year = if this_year { today.year() + 1 } else { today.year() };
    YearMonth::new(year, month).expect("a review month is 1 to 12")
}

/// Something the recall coordinator records against a person's review.
pub enum ReviewAction {
    LogContact(ContactAttempt),
    BookContact1(Booking),
    BookConversation(Booking),
    AttendContact1,
    Decline(String),
    Adjust(PcaReason, String),
}

/// Why an action was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("no one with NHS number {0} is on the register")]
    NotFound(String),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<TransitionError> for ActionError {
    fn from(error: TransitionError) -> ActionError {
        ActionError::Refused(error.0)
    }
}

/// Records one action on the person's review for `month` (opening the review if it is not
/// open yet), in one transaction; a refused action writes nothing. Returns warnings to show,
/// such as a conversation booked too soon after the preparation pack.
pub fn act_on_review(
    store: &mut Store,
    actor: &Actor,
    settings: &PracticeSettings,
    nhs_number: &NhsNumber,
    month: YearMonth,
    action: ReviewAction,
    today: NaiveDate,
) -> Result<Vec<String>, ActionError> {
    let timing = PackTiming {
        minimum_days: settings.pack_minimum_days,
        target_days: settings.pack_target_days,
    };
    store.write(actor, |w| {
        let patient =
            w.patient(nhs_number)?.ok_or_else(|| ActionError::NotFound(nhs_number.to_string()))?;
        let person = patient.details.status;
        let existing = w.cycle_of(patient.id, month.year())?;
        if let ReviewAction::LogContact(attempt) = &action {
            w.log_contact_attempt(patient.id, existing.map(|c| c.id), attempt)?;
            return Ok(Vec::new());
        }
        let (cycle_id, mut cycle) = match existing {
            Some(record) => (record.id, record.cycle),
            None => {
                let (cycle, event) = Cycle::open(month, person, today)?;
                (w.save_transition(patient.id, None, &cycle, &event)?, cycle)
            }
        };
        let (event, warnings) = match action {
            ReviewAction::LogContact(_) => unreachable!("recorded above"),
            ReviewAction::BookContact1(booking) => {
                (cycle.book_contact1(booking, person, today)?, vec![])
            }
            ReviewAction::BookConversation(booking) => {
                cycle.book_conversation(booking, person, today, timing)?
            }
            ReviewAction::AttendContact1 => (cycle.attend_contact1(today)?, vec![]),
            ReviewAction::Decline(note) => (cycle.decline(today, &note)?, vec![]),
            ReviewAction::Adjust(reason, note) => (cycle.adjust(today, reason, &note)?, vec![]),
        };
        w.save_transition(patient.id, Some(cycle_id), &cycle, &event)?;
        Ok(warnings)
    })
}

/// Why no letters were made.
#[derive(Debug, thiserror::Error)]
pub enum LettersError {
    /// The practice's settings lack what every letter needs.
    #[error("{0}")]
    NotReady(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// A person left out of a batch, and why.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Skipped {
    pub nhs_number: String,
    pub reason: String,
}

/// A batch of invitations laid out in one PDF, not yet recorded anywhere.
pub struct PreparedInvitations {
    pub month: YearMonth,
    pub items: Vec<BatchItem>,
    pub skipped: Vec<Skipped>,
    pub pdf: Vec<u8>,
    pub large_print: usize,
}

/// Everyone on the month's list who needs an invitation today (first, second or third), in
/// name order, each letter starting on an odd page. People whose letter cannot be made (no
/// address, a need no printed letter meets) are listed as skipped, with the reason. Refused on a
/// read-only database, where the batch could not be recorded.
pub fn prepare_invitations(
    store: &Store,
    catalogue: &Catalogue,
    texts: &InvitationTexts,
    month: YearMonth,
    today: NaiveDate,
    created: NaiveDateTime,
) -> Result<PreparedInvitations, LettersError> {
    store.check_writable()?;
    let settings = store.practice_settings(catalogue)?;
    settings.ready_for_letters().map_err(LettersError::NotReady)?;
    let mut letters = Vec::new();
    let mut items = Vec::new();
    let mut skipped = Vec::new();
    for line in recall_list(store, &settings, month, today)? {
        let Some(number) = line.step.invitation_due() else { continue };
        let person = &line.entry.patient.details;
        let first_sent = line
            .entry
            .cycle
            .as_ref()
            .and_then(|c| c.cycle.invitations().first())
            .map(|i| i.sent_on);
        match invitation_letter(person, number, first_sent, catalogue, texts, &settings, today) {
            Ok(letter) => {
                items.push(BatchItem {
                    patient_id: line.entry.patient.id,
                    due_month: line.entry.cycle.as_ref().map_or(month, |c| c.cycle.due_month()),
                    invitation_number: number,
                    large_print: letter.print == PrintSize::Large,
                });
                letters.push(letter);
            }
            Err(reason) => {
                skipped.push(Skipped { nhs_number: person.nhs_number.as_str().to_string(), reason })
            }
        }
    }
    let title = format!("Invitations for {}", month.label());
    let rendered = letters_pdf(&letters, &title, created);
    let large_print = items.iter().filter(|i| i.large_print).count();
    Ok(PreparedInvitations { month, items, skipped, pdf: rendered.pdf, large_print })
}

/// Records that a prepared batch was written to `file` (not yet sent). Returns the batch id.
pub fn record_prepared(
    store: &mut Store,
    actor: &Actor,
    prepared: &PreparedInvitations,
    file: &str,
) -> Result<i64, StoreError> {
    store.write(actor, |w| w.record_prepared_batch(prepared.month, file, &prepared.items))
}

/// What confirming a batch recorded.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Confirmed {
    pub recorded: usize,
    /// Letters in the batch that could no longer be recorded (someone died since, say).
    pub refused: Vec<Skipped>,
}

/// The batch printed: record each invitation as sent today, in one transaction.
pub fn confirm_batch(
    store: &mut Store,
    actor: &Actor,
    batch_id: i64,
    today: NaiveDate,
) -> Result<Confirmed, StoreError> {
    let batch = store
        .letter_batch(batch_id)?
        .ok_or_else(|| StoreError::Refused(format!("there is no batch {batch_id}")))?;
    store.write(actor, |w| {
        let mut confirmed = Confirmed { recorded: 0, refused: Vec::new() };
        for item in &batch.items {
            match record_invitation(w, item, batch_id, today)? {
                Ok(()) => confirmed.recorded += 1,
                Err(reason) => {
                    let nhs_number =
                        w.patient_by_id(item.patient_id)?.details.nhs_number.as_str().to_string();
                    confirmed.refused.push(Skipped { nhs_number, reason });
                }
            }
        }
        w.mark_batch_confirmed(batch_id, confirmed.recorded)?;
        Ok(confirmed)
    })
}

/// The batch did not print, or will not be posted: nothing is recorded as sent.
pub fn cancel_batch(store: &mut Store, actor: &Actor, batch_id: i64) -> Result<(), StoreError> {
    store.write(actor, |w| w.mark_batch_cancelled(batch_id))
}

/// Opens the review if needed and records the invitation; an `Err` inside is a refusal.
fn record_invitation(
    w: &mut Write<'_>,
    item: &BatchItem,
    batch_id: i64,
    today: NaiveDate,
) -> Result<Result<(), String>, StoreError> {
    let person = w.patient_by_id(item.patient_id)?.details.status;
    let (mut cycle_id, mut cycle) = match w.cycle_of(item.patient_id, item.due_month.year())? {
        Some(record) => (Some(record.id), record.cycle),
        None => match Cycle::open(item.due_month, person, today) {
            Ok((cycle, event)) => {
                (Some(w.save_transition(item.patient_id, None, &cycle, &event)?), cycle)
            }
            Err(refused) => return Ok(Err(refused.0)),
        },
    };
    if cycle.invitations().len() + 1 != usize::from(item.invitation_number) {
        return Ok(Err(format!(
            "invitation {} was printed, but {} have been recorded since the batch was made",
            item.invitation_number,
            cycle.invitations().len()
        )));
    }
    match cycle.invite(today, person) {
        Ok(event) => {
            cycle_id = Some(w.save_transition(item.patient_id, cycle_id, &cycle, &event)?);
            w.link_invitation_to_batch(cycle_id.expect("saved"), item.invitation_number, batch_id)?;
            Ok(Ok(()))
        }
        Err(refused) => Ok(Err(refused.0)),
    }
}

/// How many people on a list are at each step, for the counts at the top of the recall list.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct RecallCounts {
    pub everyone: usize,
    pub first_invitation: usize,
    pub awaiting_reply: usize,
    pub second_invitation: usize,
    pub third_invitation: usize,
    /// Two invitations a week apart and no reply: an adjustment may be offered.
    pub no_response_after_two: usize,
    pub booked: usize,
    pub closed: usize,
}

impl RecallCounts {
    pub fn of(lines: &[RecallLine]) -> RecallCounts {
        let mut counts = RecallCounts { everyone: lines.len(), ..RecallCounts::default() };
        for line in lines {
            match line.step {
                RecallStep::FirstInvitation => counts.first_invitation += 1,
                RecallStep::AwaitingReply { .. } => counts.awaiting_reply += 1,
                RecallStep::SecondInvitation => counts.second_invitation += 1,
                RecallStep::ThirdInvitation => counts.third_invitation += 1,
                RecallStep::NoResponse => {}
                RecallStep::Booked => counts.booked += 1,
                RecallStep::Closed => counts.closed += 1,
            }
            if line.offers_adjustment() {
                counts.no_response_after_two += 1;
            }
        }
        counts
    }
}
