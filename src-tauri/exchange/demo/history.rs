//! The demonstration practice's reviews: two closed years for everyone and this year's at every
//! stage, made by playing each person's year through the cycle's own transitions up to today.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::results::record_contact1;
use super::Dice;
use crate::domain::calendar::{review_month, YearMonth};
use crate::domain::catalogue::Catalogue;
use crate::domain::cycle::{
    Booking, Cycle, CycleEvent, CycleStatus, PackTiming, PcaReason, TransitionError,
};
use crate::domain::feedback::{Answer, FeedbackForm};
use crate::domain::person::RegistrationStatus;
use crate::domain::practice::PracticeSettings;
use crate::domain::recall::{ContactAttempt, ContactMethod, ContactOutcome};
use crate::domain::rules::{RedFlagsCleared, RuleSet};
use crate::domain::triage::{AckAction, TriageRole};
use crate::exchange::triage::{red_flags_cleared, review_results_in};
use crate::store::{Actor, PatientRow, Store, StoreError, TriageKind, Write};

const HCAS: &[&str] = &["Jo Hart (HCA)", "Sam Patel (HCA)"];

/// The states last month's reviews are left at, in turn.
/// Approved reviews come up most often, so that the packs screen has packs ready to print
/// and one held for each reason.
const RESTING: [CycleStatus; 12] = [
    CycleStatus::Invited,
    CycleStatus::Contact1Booked,
    CycleStatus::Contact1Attended,
    CycleStatus::ResultsComplete,
    CycleStatus::Triaged,
    CycleStatus::PackSent,
    CycleStatus::ConversationBooked,
    CycleStatus::ConversationHeld,
    CycleStatus::PlanAgreed,
    CycleStatus::Triaged,
    CycleStatus::Triaged,
    CycleStatus::Triaged,
];
const CLINICIANS: &[&str] =
    &["Nurse J Okoye", "Nurse P Gallagher", "Dr A Rahman", "Dr S Whitfield"];

/// Plays out every person's reviews for the last two years and this one, in one transaction.
pub fn write_history(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    settings: &PracticeSettings,
    today: NaiveDate,
    seed: u64,
) -> Result<(), StoreError> {
    let people = store.all_patients()?;
    let rules = crate::assets::rules(catalogue)
        .map_err(|e| StoreError::Refused(format!("the shipped triage rules are broken: {e}")))?;
    let timing = PackTiming {
        minimum_days: settings.pack_minimum_days,
        target_days: settings.pack_target_days,
    };
    let mut dice = Dice(seed ^ 0x5EED_C1C1E);
    let last_month = YearMonth::of(today.with_day(1).expect("a day") - Duration::days(1));
    let mut resting = RESTING.iter().cycle();
    store.write(actor, |w| {
        w.audit("demo.history", None, "the demonstration practice's reviews were made")?;
        for person in &people {
            let month = review_month(person.details.date_of_birth, person.details.recall_month);
            let status = person.details.status;
            for years_ago in [2, 1, 0] {
                let due = YearMonth::new(today.year() - years_ago, month).expect("a real month");
                // People who left or died did so during last year's review.
                let leaves =
                    (status != RegistrationStatus::Registered && years_ago == 1).then_some(status);
                if status != RegistrationStatus::Registered && years_ago == 0 {
                    continue;
                }
                // Last month's reviews are spread over the states a review passes through.
                let stop_at = (due == last_month && leaves.is_none())
                    .then(|| *resting.next().expect("endless"));
                let mut year = Year {
                    w: &mut *w,
                    dice: &mut dice,
                    person,
                    catalogue,
                    rules: &rules,
                    timing,
                    today,
                    cycle: None,
                    stop_at,
                };
                year.play(due, leaves)?;
            }
        }
        Ok(())
    })
}

/// One person's review for one year, as it is played.
struct Year<'w, 'a, 'd> {
    w: &'w mut Write<'a>,
    dice: &'d mut Dice,
    person: &'w PatientRow,
    catalogue: &'w Catalogue,
    rules: &'w RuleSet,
    timing: PackTiming,
    today: NaiveDate,
    cycle: Option<(i64, Cycle)>,
    /// Where this review's story is to rest, so that every state is held by someone.
    stop_at: Option<CycleStatus>,
}

/// A step that could not happen (it would be after today) ends the year's story there.
enum Stop {
    Later,
    Store(StoreError),
}

impl From<StoreError> for Stop {
    fn from(error: StoreError) -> Stop {
        Stop::Store(error)
    }
}

impl Year<'_, '_, '_> {
    fn play(
        &mut self,
        due: YearMonth,
        leaves: Option<RegistrationStatus>,
    ) -> Result<(), StoreError> {
        match self.story(due, leaves) {
            Ok(()) | Err(Stop::Later) => Ok(()),
            Err(Stop::Store(error)) => Err(error),
        }
    }

    fn story(&mut self, due: YearMonth, leaves: Option<RegistrationStatus>) -> Result<(), Stop> {
        // This year the work is under way: some of this month's people are not invited yet,
        // and some reminders are waiting to be sent.
        let this_year = due.year() == self.today.year();
        if this_year && due == YearMonth::of(self.today) && self.dice.chance(0.3) {
            return Ok(());
        }
        let start = due.first_day() + days(self.dice.below(5));
        self.on(start)?;
        let registered = RegistrationStatus::Registered;
        let (cycle, event) = Cycle::open(due, registered, start).map_err(refused)?;
        let id = self.w.save_transition(self.person.id, None, &cycle, &event)?;
        self.cycle = Some((id, cycle));

        // How many invitations it takes before the person books (None: they never do).
        let books_after = match self.dice.below(100) {
            0..=59 => Some(1),
            60..=79 => Some(2),
            80..=86 => Some(3),
            _ => None,
        };
        let declines = self.dice.chance(0.06) && self.stop_at.is_none();
        let books_after = if self.stop_at.is_some() { Some(1) } else { books_after };
        let mut sent_on = start;
        for number in 1..=3 {
            if number > 1 {
                sent_on += days(14);
                if this_year && self.dice.chance(0.35) {
                    return Ok(());
                }
            }
            self.step(sent_on, |c| c.invite(sent_on, registered))?;
            if let Some(status) = leaves.filter(|_| number == 1) {
                let left_on = sent_on + days(10 + self.dice.below(20));
                return self.step(left_on, |c| c.registration_ended(left_on, status));
            }
            if declines {
                let on = sent_on + days(3 + self.dice.below(5));
                self.attempt(
                    on,
                    ContactMethod::Phone,
                    ContactOutcome::Declined,
                    "does not want a review this year",
                )?;
                return self.step(on, |c| c.decline(on, "does not want a review this year"));
            }
            if books_after == Some(number) {
                break;
            }
            if number == 2 && books_after.is_none() {
                let on = sent_on + days(5);
                self.attempt(on, ContactMethod::Phone, ContactOutcome::NoAnswer, "")?;
                if self.dice.chance(0.6) {
                    let on = sent_on + days(14);
                    return self.step(on, |c| c.adjust(on, PcaReason::NoResponse, ""));
                }
            }
            if number == 3 && books_after.is_none() {
                let on = sent_on + days(14);
                return self.step(on, |c| {
                    c.adjust(on, PcaReason::NoResponse, "no reply to three letters")
                });
            }
        }

        let booked_on = sent_on + days(2 + self.dice.below(6));
        self.attempt(booked_on, ContactMethod::Phone, ContactOutcome::Booked, "")?;
        let mut contact1 = booked_on + days(7 + self.dice.below(8));
        // Some of the coming appointments are today's clinic.
        if contact1 > self.today && booked_on <= self.today && self.dice.chance(0.8) {
            contact1 = self.today;
        }
        let booking = self.booking(contact1, HCAS);
        self.step(booked_on, |c| c.book_contact1(booking, registered, booked_on))?;
        if contact1 >= self.today {
            return Ok(());
        }
        let results = contact1 + days(5 + self.dice.below(5));
        let at_lab = self.stop_at == Some(CycleStatus::Contact1Attended) || results > self.today;
        let (cycle_id, _) = self.cycle.as_ref().expect("the review was opened");
        let cycle_id = *cycle_id;
        self.on(contact1)?;
        record_contact1(
            self.w,
            self.catalogue,
            self.dice,
            self.person,
            cycle_id,
            (contact1, results),
            at_lab,
        )?;
        self.on(contact1)?;
        self.step(contact1, |c| c.attend_contact1(contact1))?;
        self.step(results, |c| c.complete_results(results))?;
        let triaged = results + days(1 + self.dice.below(3));
        let conversation = triaged + days(15 + self.dice.below(7));
        let booking = self.booking(conversation, CLINICIANS);
        let cleared = self.triage(triaged, (contact1, results), booking.with_whom())?;
        self.step(triaged, |c| c.triage(triaged, &cleared))?;
        let timing = self.timing;
        // The pack goes with the week's post once the clinician has approved it; now and then
        // it goes late, only days before the conversation.
        let pack = triaged + days(2 + self.dice.below(5));
        let late =
            Dice(self.person.id as u64 ^ triaged.num_days_from_ce() as u64 ^ 0x1A7E).chance(0.07);
        let late_pack = conversation - days(3 + (triaged.day() as usize % 4));
        // Most practices book the conversation when the results are triaged; some once the
        // pack has gone.
        if self.dice.chance(0.7) && self.stop_at != Some(CycleStatus::PackSent) {
            self.step(triaged, |c| {
                c.book_conversation(booking, registered, triaged, timing).map(|(e, _)| e)
            })?;
            let pack = if late { late_pack } else { pack };
            self.step(pack, |c| c.send_pack(pack, registered, &cleared))?;
        } else {
            self.step(pack, |c| c.send_pack(pack, registered, &cleared))?;
            let booked = pack + days(2 + self.dice.below(4));
            self.step(booked, |c| {
                c.book_conversation(booking, registered, booked, timing).map(|(e, _)| e)
            })?;
        }
        if self.dice.chance(0.04) {
            return self.step(conversation, |c| {
                c.adjust(conversation, PcaReason::Unsuitable, "admitted to hospital")
            });
        }
        self.step(conversation, |c| c.hold_conversation(conversation))?;
        self.feedback(conversation)?;
        // Some plans are written up and agreed a few days after the conversation.
        let agreed = if self.dice.chance(0.25) {
            conversation + days(3 + self.dice.below(5))
        } else {
            conversation
        };
        self.step(agreed, |c| c.agree_plan(agreed))
    }

    /// The clinician's triage on `on`: every red finding acknowledged (most people were
    /// phoned the same day, a few had a repeat test or were referred) and the conversation
    /// routed to the clinician it is booked with. Returns the clearance the pack needs.
    fn triage(
        &mut self,
        on: NaiveDate,
        (contact1, results): (NaiveDate, NaiveDate),
        with_whom: &str,
    ) -> Result<RedFlagsCleared, Stop> {
        self.on(on)?;
        // A red result is acted on by the end of the day it came in (at contact 1, or from the
        // lab), a few the next morning.
        let mut own = Dice(self.person.id as u64 ^ results.num_days_from_ce() as u64 ^ 0x12ED);
        let cycle_id = self.cycle.as_ref().map(|(id, _)| *id).expect("the review was opened");
        let person = self.person;
        let rows = review_results_in(self.w, self.catalogue, self.rules, person, cycle_id)?;
        let waiting: Vec<_> = rows
            .iter()
            .flat_map(|r| r.findings.iter().map(move |f| (r, f)))
            .filter(|(_, f)| f.is_waiting())
            .collect();
        for (row, finding) in waiting {
            let lab = self.catalogue.measures().item(&row.item).is_some_and(|i| i.is_lab());
            let came_in = if lab { results } else { contact1 };
            let minutes = if own.chance(0.75) { 17 * 60 } else { 33 * 60 + own.below(3) * 60 };
            let acted = at(came_in, minutes as u32 + own.below(60) as u32);
            self.w.set_demo_time(acted.min(at(on, 17 * 60)));
            let action = [
                AckAction::ContactedToday,
                AckAction::ContactedToday,
                AckAction::RepeatTest,
                AckAction::Referred,
            ][self.dice.below(4)];
            self.w.acknowledge_finding(
                finding.observation_id,
                &finding.rule,
                Some(cycle_id),
                action,
                "",
            )?;
            self.w.audit(
                "triage.acknowledge",
                Some(person.id),
                &format!(
                    "red finding acknowledged: {} {} ({}); {}",
                    finding.item_label,
                    finding.value_text,
                    finding.rule_title,
                    action.label()
                ),
            )?;
        }
        self.on(on)?;
        let role = if with_whom.starts_with("Dr") { TriageRole::Gp } else { TriageRole::Nurse };
        self.w.add_triage_entry(cycle_id, TriageKind::Route, Some(role), with_whom, None, "")?;
        let cleared = red_flags_cleared(self.w, self.catalogue, self.rules, person, cycle_id)?;
        cleared.map_err(|refusal| Stop::Store(StoreError::Refused(refusal)))
    }

    /// Applies a transition dated `on`, unless that day has not come yet.
    fn step(
        &mut self,
        on: NaiveDate,
        transition: impl FnOnce(&mut Cycle) -> Result<CycleEvent, TransitionError>,
    ) -> Result<(), Stop> {
        self.on(on)?;
        let (id, cycle) = self.cycle.as_mut().expect("the review was opened");
        let event = transition(cycle).map_err(refused)?;
        self.w.save_transition(self.person.id, Some(*id), cycle, &event)?;
        if Some(cycle.status()) == self.stop_at {
            return Err(Stop::Later);
        }
        Ok(())
    }

    fn attempt(
        &mut self,
        on: NaiveDate,
        method: ContactMethod,
        outcome: ContactOutcome,
        note: &str,
    ) -> Result<(), Stop> {
        self.on(on)?;
        let attempt = ContactAttempt { on, method, outcome, note: note.to_string() };
        let cycle_id = self.cycle.as_ref().map(|(id, _)| *id);
        self.w.log_contact_attempt(self.person.id, cycle_id, &attempt)?;
        Ok(())
    }

    fn booking(&mut self, on: NaiveDate, with: &[&str]) -> Booking {
        let time = NaiveTime::from_hms_opt(
            9 + self.dice.below(7) as u32,
            [0, 15, 30, 45][self.dice.below(4)],
            0,
        )
        .expect("a time of day");
        Booking::new(on.and_time(time), with[self.dice.below(with.len())], "Riverside Surgery")
            .expect("a booking with someone")
    }

    /// Checks that `day` has come, and stamps what is written next as done that day (in
    /// working hours, at a time that depends only on the person and the day).
    fn on(&mut self, day: NaiveDate) -> Result<(), Stop> {
        if day > self.today {
            return Err(Stop::Later);
        }
        let minutes = (self.person.id as u32 * 37 + day.ordinal() * 11) % 420;
        self.w.set_demo_time(at(day, 9 * 60 + minutes));
        Ok(())
    }

    /// Some people return their feedback form after the conversation.
    fn feedback(&mut self, held: NaiveDate) -> Result<(), Stop> {
        let (cycle_id, _) = self.cycle.as_ref().expect("the review was opened");
        let cycle_id = *cycle_id;
        let mut own = Dice(cycle_id as u64 ^ 0xFEED_BAC4);
        if !own.chance(0.55) {
            return Ok(());
        }
        let returned = held + days(1 + own.below(14));
        if returned > self.today {
            return Ok(());
        }
        let form = feedback_form(&mut own);
        self.on(returned)?;
        self.w.add_feedback_form(self.person.id, cycle_id, returned, &form, None)?;
        Ok(())
    }
}

fn days(n: usize) -> Duration {
    Duration::days(n as i64)
}

/// The time `minutes` after midnight at the start of `day` (past midnight runs into the next).
fn at(day: NaiveDate, minutes: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minutes))
}

/// A plausible paper form: most people feel listened to, some less so, a few leave answers
/// blank or tick "does not apply".
fn feedback_form(dice: &mut Dice) -> FeedbackForm {
    let warmth = dice.below(10);
    let mut collaborate = [Answer::Blank; 3];
    for answer in &mut collaborate {
        *answer = if dice.chance(0.03) {
            Answer::Blank
        } else if warmth >= 4 {
            Answer::Score(if dice.chance(0.85) { 4 } else { 3 })
        } else {
            Answer::Score((1 + warmth as u8 / 2 + dice.below(2) as u8).min(4))
        };
    }
    let many_blank = dice.chance(0.04);
    let mut care = [Answer::Blank; 10];
    for answer in &mut care {
        *answer = if many_blank && dice.chance(0.5) {
            Answer::Blank
        } else if dice.chance(0.05) {
            Answer::DoesNotApply
        } else if warmth >= 4 {
            Answer::Score(if dice.chance(0.7) { 5 } else { 4 })
        } else {
            Answer::Score((2 + warmth as u8 / 2 + dice.below(2) as u8).min(5))
        };
    }
    FeedbackForm::new(collaborate, care).expect("the demonstration's form is one staff could enter")
}

/// A transition the story should never attempt: a bug in the demo, not a user's mistake.
fn refused(error: TransitionError) -> Stop {
    Stop::Store(StoreError::Refused(format!(
        "the demonstration history made an impossible move: {error}"
    )))
}
