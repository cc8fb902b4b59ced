//! The yearly review cycle, one per person per year however many conditions they have: a state
//! machine whose named transitions refuse, in plain words, any move the process does not allow.

use std::fmt;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::calendar::YearMonth;
use super::person::{format_date, RegistrationStatus};
use super::rules::RedFlagsCleared;

/// Where a review has got to. The first ten are the process in order; the last four close it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CycleStatus {
    Due,
    Invited,
    Contact1Booked,
    Contact1Attended,
    ResultsComplete,
    Triaged,
    PackSent,
    ConversationBooked,
    ConversationHeld,
    PlanAgreed,
    Declined,
    PersonalisedCareAdjustment,
    LeftPractice,
    Died,
}

impl CycleStatus {
    pub const ALL: [CycleStatus; 14] = [
        CycleStatus::Due,
        CycleStatus::Invited,
        CycleStatus::Contact1Booked,
        CycleStatus::Contact1Attended,
        CycleStatus::ResultsComplete,
        CycleStatus::Triaged,
        CycleStatus::PackSent,
        CycleStatus::ConversationBooked,
        CycleStatus::ConversationHeld,
        CycleStatus::PlanAgreed,
        CycleStatus::Declined,
        CycleStatus::PersonalisedCareAdjustment,
        CycleStatus::LeftPractice,
        CycleStatus::Died,
    ];

    /// The stored and exported name.
    pub fn code(self) -> &'static str {
        match self {
            CycleStatus::Due => "due",
            CycleStatus::Invited => "invited",
            CycleStatus::Contact1Booked => "contact1_booked",
            CycleStatus::Contact1Attended => "contact1_attended",
            CycleStatus::ResultsComplete => "results_complete",
            CycleStatus::Triaged => "triaged",
            CycleStatus::PackSent => "pack_sent",
            CycleStatus::ConversationBooked => "conversation_booked",
            CycleStatus::ConversationHeld => "conversation_held",
            CycleStatus::PlanAgreed => "plan_agreed",
            CycleStatus::Declined => "declined",
            CycleStatus::PersonalisedCareAdjustment => "pca",
            CycleStatus::LeftPractice => "left",
            CycleStatus::Died => "died",
        }
    }

    pub fn parse(code: &str) -> Option<CycleStatus> {
        CycleStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What staff read.
    pub fn label(self) -> &'static str {
        match self {
            CycleStatus::Due => "Due",
            CycleStatus::Invited => "Invited",
            CycleStatus::Contact1Booked => "Contact 1 booked",
            CycleStatus::Contact1Attended => "Contact 1 attended",
            CycleStatus::ResultsComplete => "Results complete",
            CycleStatus::Triaged => "Triaged",
            CycleStatus::PackSent => "Preparation pack sent",
            CycleStatus::ConversationBooked => "Conversation booked",
            CycleStatus::ConversationHeld => "Conversation held",
            CycleStatus::PlanAgreed => "Plan agreed",
            CycleStatus::Declined => "Declined",
            CycleStatus::PersonalisedCareAdjustment => "Personalised care adjustment",
            CycleStatus::LeftPractice => "Left the practice",
            CycleStatus::Died => "Died",
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(
            self,
            CycleStatus::PlanAgreed
                | CycleStatus::Declined
                | CycleStatus::PersonalisedCareAdjustment
                | CycleStatus::LeftPractice
                | CycleStatus::Died
        )
    }

    /// Whether contact 1 has been attended (the point from which contact 2 may be booked).
    fn contact1_done(self) -> bool {
        matches!(
            self,
            CycleStatus::Contact1Attended
                | CycleStatus::ResultsComplete
                | CycleStatus::Triaged
                | CycleStatus::PackSent
                | CycleStatus::ConversationBooked
        )
    }
}

impl fmt::Display for CycleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The fixed reasons for a personalised care adjustment (formerly exception reporting).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum PcaReason {
    Unsuitable,
    Declined,
    /// No response to two invitations at least 7 days apart.
    NoResponse,
    /// Newly diagnosed or registered within the last 3 months.
    NewlyDiagnosedOrRegistered,
    Other,
}

impl PcaReason {
    pub const ALL: [PcaReason; 5] = [
        PcaReason::Unsuitable,
        PcaReason::Declined,
        PcaReason::NoResponse,
        PcaReason::NewlyDiagnosedOrRegistered,
        PcaReason::Other,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            PcaReason::Unsuitable => "unsuitable",
            PcaReason::Declined => "declined",
            PcaReason::NoResponse => "no_response",
            PcaReason::NewlyDiagnosedOrRegistered => "newly_diagnosed_or_registered",
            PcaReason::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<PcaReason> {
        PcaReason::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(&self) -> &'static str {
        match self {
            PcaReason::Unsuitable => "Unsuitable",
            PcaReason::Declined => "Declined",
            PcaReason::NoResponse => "No response to two invitations at least 7 days apart",
            PcaReason::NewlyDiagnosedOrRegistered => {
                "Newly diagnosed or registered within 3 months"
            }
            PcaReason::Other => "Other",
        }
    }
}

/// An appointment that was booked in the clinical system, recorded here.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Booking {
    starts_at: NaiveDateTime,
    with_whom: String,
    place: String,
}

impl Booking {
    pub fn new(starts_at: NaiveDateTime, with_whom: &str, place: &str) -> Result<Booking, String> {
        let with_whom = with_whom.trim();
        if with_whom.is_empty() {
            return Err("say who the appointment is with".to_string());
        }
        Ok(Booking { starts_at, with_whom: with_whom.to_string(), place: place.trim().to_string() })
    }

    pub fn starts_at(&self) -> NaiveDateTime {
        self.starts_at
    }

    pub fn with_whom(&self) -> &str {
        &self.with_whom
    }

    pub fn place(&self) -> &str {
        &self.place
    }

    /// "12 March 2027 at 09:30 with Jo Hart (HCA), Riverside Surgery".
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{} at {} with {}",
            format_date(self.starts_at.date()),
            self.starts_at.format("%H:%M"),
            self.with_whom
        );
        if !self.place.is_empty() {
            text.push_str(", ");
            text.push_str(&self.place);
        }
        text
    }
}

/// An invitation letter that was printed and sent.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Invitation {
    pub number: u8,
    pub sent_on: NaiveDate,
}

/// Why and when a closed review closed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Closure {
    pub on: NaiveDate,
    pub pca_reason: Option<PcaReason>,
    pub note: String,
}

/// The named moves of the cycle, stored with every event.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Transition {
    Open,
    Invite,
    BookContact1,
    AttendContact1,
    CompleteResults,
    Triage,
    SendPack,
    BookConversation,
    HoldConversation,
    AgreePlan,
    Decline,
    Adjust,
    RegistrationEnded,
}

impl Transition {
    pub fn code(self) -> &'static str {
        match self {
            Transition::Open => "open",
            Transition::Invite => "invite",
            Transition::BookContact1 => "book_contact1",
            Transition::AttendContact1 => "attend_contact1",
            Transition::CompleteResults => "complete_results",
            Transition::Triage => "triage",
            Transition::SendPack => "send_pack",
            Transition::BookConversation => "book_conversation",
            Transition::HoldConversation => "hold_conversation",
            Transition::AgreePlan => "agree_plan",
            Transition::Decline => "decline",
            Transition::Adjust => "adjust",
            Transition::RegistrationEnded => "registration_ended",
        }
    }
}

/// What one transition did, for the store to keep with who recorded it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CycleEvent {
    pub transition: Transition,
    pub from: Option<CycleStatus>,
    pub to: CycleStatus,
    pub on: NaiveDate,
    pub detail: String,
}

/// A move the process does not allow, explained.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("{0}")]
pub struct TransitionError(pub String);

/// How long a person needs with their preparation pack before the conversation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PackTiming {
    pub minimum_days: u32,
    pub target_days: u32,
}

/// The least gap between two invitations, and between the two that make "no response" a
/// valid reason for a personalised care adjustment.
pub const DAYS_BETWEEN_INVITATIONS: i64 = 7;

/// One person's review for one year.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Cycle {
    due_month: YearMonth,
    status: CycleStatus,
    invitations: Vec<Invitation>,
    contact1: Option<Booking>,
    conversation: Option<Booking>,
    pack_sent_on: Option<NaiveDate>,
    closure: Option<Closure>,
}

/// A stored cycle's parts, for `Cycle::restore`.
pub struct StoredCycle {
    pub due_month: YearMonth,
    pub status: CycleStatus,
    pub invitations: Vec<Invitation>,
    pub contact1: Option<Booking>,
    pub conversation: Option<Booking>,
    pub pack_sent_on: Option<NaiveDate>,
    pub closure: Option<Closure>,
}

impl Cycle {
    /// Opens this year's review, due in `due_month`. Nobody who left or died is opened.
    pub fn open(
        due_month: YearMonth,
        person: RegistrationStatus,
        on: NaiveDate,
    ) -> Result<(Cycle, CycleEvent), TransitionError> {
        refuse_unless_registered(person)?;
        let cycle = Cycle {
            due_month,
            status: CycleStatus::Due,
            invitations: Vec::new(),
            contact1: None,
            conversation: None,
            pack_sent_on: None,
            closure: None,
        };
        let event = CycleEvent {
            transition: Transition::Open,
            from: None,
            to: CycleStatus::Due,
            on,
            detail: format!("review for {} opened", due_month.label()),
        };
        Ok((cycle, event))
    }

    /// A cycle as the store kept it.
    pub fn restore(stored: StoredCycle) -> Cycle {
        let mut invitations = stored.invitations;
        invitations.sort_by_key(|i| i.number);
        Cycle {
            due_month: stored.due_month,
            status: stored.status,
            invitations,
            contact1: stored.contact1,
            conversation: stored.conversation,
            pack_sent_on: stored.pack_sent_on,
            closure: stored.closure,
        }
    }

    pub fn due_month(&self) -> YearMonth {
        self.due_month
    }

    pub fn status(&self) -> CycleStatus {
        self.status
    }

    pub fn invitations(&self) -> &[Invitation] {
        &self.invitations
    }

    pub fn contact1(&self) -> Option<&Booking> {
        self.contact1.as_ref()
    }

    pub fn conversation(&self) -> Option<&Booking> {
        self.conversation.as_ref()
    }

    pub fn pack_sent_on(&self) -> Option<NaiveDate> {
        self.pack_sent_on
    }

    pub fn closure(&self) -> Option<&Closure> {
        self.closure.as_ref()
    }

    /// The day from which another invitation may be sent, if one may.
    pub fn next_invitation_from(&self) -> Option<NaiveDate> {
        if !matches!(self.status, CycleStatus::Due | CycleStatus::Invited)
            || self.invitations.len() >= 3
        {
            return None;
        }
        Some(match self.invitations.last() {
            Some(last) => last.sent_on + Duration::days(DAYS_BETWEEN_INVITATIONS),
            None => NaiveDate::MIN,
        })
    }

    /// Whether "no response to two invitations at least 7 days apart" is true of this review.
    pub fn no_response_to_two_invitations(&self) -> bool {
        let not_booked = matches!(self.status, CycleStatus::Due | CycleStatus::Invited);
        let apart = self
            .invitations
            .windows(2)
            .any(|pair| (pair[1].sent_on - pair[0].sent_on).num_days() >= DAYS_BETWEEN_INVITATIONS);
        not_booked && apart
    }

    /// Records that invitation letter number n+1 was sent.
    pub fn invite(
        &mut self,
        on: NaiveDate,
        person: RegistrationStatus,
    ) -> Result<CycleEvent, TransitionError> {
        refuse_unless_registered(person)?;
        self.refuse_if_closed()?;
        if !matches!(self.status, CycleStatus::Due | CycleStatus::Invited) {
            return Err(TransitionError(format!(
                "an invitation is sent only while the review is due or waiting for a reply; \
                 this one is at '{}'",
                self.status
            )));
        }
        if self.invitations.len() >= 3 {
            return Err(TransitionError(
                "three invitations have been sent: record a personalised care adjustment or a \
                 decline instead"
                    .into(),
            ));
        }
        if let Some(from) = self.next_invitation_from().filter(|from| on < *from) {
            let last = self.invitations.last().expect("a reminder follows an invitation");
            return Err(TransitionError(format!(
                "the last invitation went on {}; a reminder can go from {}",
                format_date(last.sent_on),
                format_date(from)
            )));
        }
        let number = self.invitations.len() as u8 + 1;
        self.invitations.push(Invitation { number, sent_on: on });
        let detail = match number {
            1 => "first invitation sent".to_string(),
            2 => "second invitation (reminder) sent".to_string(),
            _ => "third invitation (last reminder) sent".to_string(),
        };
        Ok(self.move_to(CycleStatus::Invited, Transition::Invite, on, detail))
    }

    /// Records the booking of contact 1, the information-gathering appointment, or a rebooking.
    pub fn book_contact1(
        &mut self,
        booking: Booking,
        person: RegistrationStatus,
        on: NaiveDate,
    ) -> Result<CycleEvent, TransitionError> {
        refuse_unless_registered(person)?;
        self.refuse_if_closed()?;
        if !matches!(
            self.status,
            CycleStatus::Due | CycleStatus::Invited | CycleStatus::Contact1Booked
        ) {
            return Err(TransitionError(format!(
                "contact 1 has already been attended (this review is at '{}')",
                self.status
            )));
        }
        let verb = if self.contact1.is_some() { "rebooked" } else { "booked" };
        let detail = format!("contact 1 {verb} for {}", booking.describe());
        self.contact1 = Some(booking);
        Ok(self.move_to(CycleStatus::Contact1Booked, Transition::BookContact1, on, detail))
    }

    /// Records that the person came to contact 1.
    pub fn attend_contact1(&mut self, on: NaiveDate) -> Result<CycleEvent, TransitionError> {
        self.refuse_if_closed()?;
        if !matches!(
            self.status,
            CycleStatus::Due | CycleStatus::Invited | CycleStatus::Contact1Booked
        ) {
            return Err(TransitionError(format!(
                "contact 1 has already been recorded (this review is at '{}')",
                self.status
            )));
        }
        Ok(self.move_to(
            CycleStatus::Contact1Attended,
            Transition::AttendContact1,
            on,
            "contact 1 attended".into(),
        ))
    }

    /// Every result due for the person is recorded or marked not done.
    pub fn complete_results(&mut self, on: NaiveDate) -> Result<CycleEvent, TransitionError> {
        self.require(
            CycleStatus::Contact1Attended,
            "results can be complete only after contact 1 has been attended",
        )?;
        Ok(self.move_to(
            CycleStatus::ResultsComplete,
            Transition::CompleteResults,
            on,
            "results complete".into(),
        ))
    }

    /// A clinician has reviewed the results and approved the preparation pack. Only possible
    /// with every red finding acknowledged (`rules::clearance`).
    pub fn triage(
        &mut self,
        on: NaiveDate,
        _cleared: &RedFlagsCleared,
    ) -> Result<CycleEvent, TransitionError> {
        self.require(CycleStatus::ResultsComplete, "triage comes after the results are complete")?;
        Ok(self.move_to(
            CycleStatus::Triaged,
            Transition::Triage,
            on,
            "results triaged, preparation pack approved".into(),
        ))
    }

    /// The preparation pack went to the person.
    pub fn send_pack(
        &mut self,
        on: NaiveDate,
        person: RegistrationStatus,
        _cleared: &RedFlagsCleared,
    ) -> Result<CycleEvent, TransitionError> {
        refuse_unless_registered(person)?;
        self.require(
            CycleStatus::Triaged,
            "the preparation pack is sent only after a clinician has triaged the results",
        )?;
        self.pack_sent_on = Some(on);
        let to = if self.conversation.is_some() {
            CycleStatus::ConversationBooked
        } else {
            CycleStatus::PackSent
        };
        Ok(self.move_to(to, Transition::SendPack, on, "preparation pack sent".into()))
    }

    /// Records the booking of contact 2, the conversation. Allowed once contact 1 has been
    /// attended; returns warnings when the person would have the pack for too short a time.
    pub fn book_conversation(
        &mut self,
        booking: Booking,
        person: RegistrationStatus,
        on: NaiveDate,
        timing: PackTiming,
    ) -> Result<(CycleEvent, Vec<String>), TransitionError> {
        refuse_unless_registered(person)?;
        self.refuse_if_closed()?;
        if !self.status.contact1_done() {
            return Err(TransitionError(
                "contact 2 (the care and support planning conversation) can be booked only after \
                 contact 1 has been attended"
                    .into(),
            ));
        }
        let warnings = pack_timing_warnings(&booking, self.pack_sent_on, on, timing);
        let verb = if self.conversation.is_some() { "rebooked" } else { "booked" };
        let detail = format!("conversation {verb} for {}", booking.describe());
        self.conversation = Some(booking);
        let to = match self.status {
            CycleStatus::PackSent | CycleStatus::ConversationBooked => {
                CycleStatus::ConversationBooked
            }
            other => other,
        };
        Ok((self.move_to(to, Transition::BookConversation, on, detail), warnings))
    }

    pub fn hold_conversation(&mut self, on: NaiveDate) -> Result<CycleEvent, TransitionError> {
        self.require(
            CycleStatus::ConversationBooked,
            "the conversation must be booked, after the preparation pack is sent, before it can be held",
        )?;
        Ok(self.move_to(
            CycleStatus::ConversationHeld,
            Transition::HoldConversation,
            on,
            "conversation held".into(),
        ))
    }

    pub fn agree_plan(&mut self, on: NaiveDate) -> Result<CycleEvent, TransitionError> {
        self.require(
            CycleStatus::ConversationHeld,
            "a plan is agreed at the conversation: record the conversation as held first",
        )?;
        let event = self.move_to(
            CycleStatus::PlanAgreed,
            Transition::AgreePlan,
            on,
            "care and support plan agreed".into(),
        );
        self.closure = Some(Closure { on, pca_reason: None, note: String::new() });
        Ok(event)
    }

    /// The person declined the review.
    pub fn decline(&mut self, on: NaiveDate, note: &str) -> Result<CycleEvent, TransitionError> {
        self.refuse_if_closed()?;
        let note = note.trim().to_string();
        let detail =
            if note.is_empty() { "declined".to_string() } else { format!("declined: {note}") };
        let event = self.move_to(CycleStatus::Declined, Transition::Decline, on, detail);
        self.closure = Some(Closure { on, pca_reason: None, note });
        Ok(event)
    }

    /// A personalised care adjustment, with one of the fixed reasons.
    pub fn adjust(
        &mut self,
        on: NaiveDate,
        reason: PcaReason,
        note: &str,
    ) -> Result<CycleEvent, TransitionError> {
        self.refuse_if_closed()?;
        let note = note.trim().to_string();
        if reason == PcaReason::NoResponse && !self.no_response_to_two_invitations() {
            let why = if !matches!(self.status, CycleStatus::Due | CycleStatus::Invited) {
                format!("this person has responded (the review is at '{}')", self.status)
            } else {
                format!(
                    "that needs two invitations at least {DAYS_BETWEEN_INVITATIONS} days apart, and \
                     this person has had {}",
                    match self.invitations.len() {
                        0 => "none".to_string(),
                        1 => "one".to_string(),
                        _ => "them closer together".to_string(),
                    }
                )
            };
            return Err(TransitionError(format!("'no response' does not apply: {why}")));
        }
        if reason == PcaReason::Other && note.is_empty() {
            return Err(TransitionError("say what the other reason is".into()));
        }
        let mut detail = format!("personalised care adjustment: {}", reason.label());
        if !note.is_empty() {
            detail.push_str(&format!(" ({note})"));
        }
        let event =
            self.move_to(CycleStatus::PersonalisedCareAdjustment, Transition::Adjust, on, detail);
        self.closure = Some(Closure { on, pca_reason: Some(reason), note });
        Ok(event)
    }

    /// Closes an open review because the person left the practice or died.
    pub fn registration_ended(
        &mut self,
        on: NaiveDate,
        status: RegistrationStatus,
    ) -> Result<CycleEvent, TransitionError> {
        self.refuse_if_closed()?;
        let (to, detail) = match status {
            RegistrationStatus::Left => (CycleStatus::LeftPractice, "closed: left the practice"),
            RegistrationStatus::Deceased => (CycleStatus::Died, "closed: died"),
            RegistrationStatus::Registered => {
                return Err(TransitionError("the person is still registered".into()))
            }
        };
        let event = self.move_to(to, Transition::RegistrationEnded, on, detail.into());
        self.closure = Some(Closure { on, pca_reason: None, note: String::new() });
        Ok(event)
    }

    fn move_to(
        &mut self,
        to: CycleStatus,
        transition: Transition,
        on: NaiveDate,
        detail: String,
    ) -> CycleEvent {
        let from = self.status;
        self.status = to;
        CycleEvent { transition, from: Some(from), to, on, detail }
    }

    fn require(&self, status: CycleStatus, otherwise: &str) -> Result<(), TransitionError> {
        self.refuse_if_closed()?;
        if self.status == status {
            Ok(())
        } else {
            Err(TransitionError(format!("{otherwise} (this review is at '{}')", self.status)))
        }
    }

    fn refuse_if_closed(&self) -> Result<(), TransitionError> {
        if self.status.is_open() {
            return Ok(());
        }
        let when =
            self.closure.as_ref().map(|c| format!(" on {}", format_date(c.on))).unwrap_or_default();
        Err(TransitionError(format!(
            "this review closed{when} ('{}'), so nothing more can be recorded on it",
            self.status
        )))
    }
}

fn refuse_unless_registered(person: RegistrationStatus) -> Result<(), TransitionError> {
    match person {
        RegistrationStatus::Registered => Ok(()),
        RegistrationStatus::Left => Err(TransitionError(
            "this person has left the practice: Alongside never invites or writes to them".into(),
        )),
        RegistrationStatus::Deceased => Err(TransitionError(
            "this person has died: Alongside never invites or writes to them".into(),
        )),
    }
}

/// The person should have the preparation pack at least `minimum_days` (ideally `target_days`)
/// before the conversation.
fn pack_timing_warnings(
    booking: &Booking,
    pack_sent_on: Option<NaiveDate>,
    today: NaiveDate,
    timing: PackTiming,
) -> Vec<String> {
    let day = booking.starts_at().date();
    let minimum = Duration::days(i64::from(timing.minimum_days));
    let target = Duration::days(i64::from(timing.target_days));
    match pack_sent_on {
        Some(sent) if day - sent < minimum => vec![format!(
            "the preparation pack went on {}, only {} days before this conversation; people need \
             at least {} days (ideally {}) to read it and prepare",
            format_date(sent),
            (day - sent).num_days(),
            timing.minimum_days,
            timing.target_days
        )],
        Some(sent) if day - sent < target => vec![format!(
            "the preparation pack went on {}, {} days before this conversation; {} days is the target",
            format_date(sent),
            (day - sent).num_days(),
            timing.target_days
        )],
        Some(_) => Vec::new(),
        None if day - today < minimum => vec![format!(
            "the preparation pack has not been sent, and this conversation is less than {} days \
             away: the person will not have time to prepare",
            timing.minimum_days
        )],
        None if day - today < target => vec![format!(
            "the preparation pack has not been sent: send it by {} at the latest ({} is the target)",
            format_date(day - minimum),
            format_date(day - target)
        )],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
