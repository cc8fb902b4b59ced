//! The monthly recall list: for each person whose review falls due in a month, the next thing
//! to do (first invitation, a reminder, wait for a reply, offer an adjustment) and their
//! contact attempts, so nobody is called five times or forgotten.

use chrono::{Duration, NaiveDate};

use super::cycle::{Cycle, CycleStatus, DAYS_BETWEEN_INVITATIONS};

/// What the recall coordinator does next for one person.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RecallStep {
    /// Due, and not invited yet.
    FirstInvitation,
    /// Invited; a reminder is not due until the day given.
    AwaitingReply {
        reminder_from: NaiveDate,
    },
    SecondInvitation,
    ThirdInvitation,
    /// Three invitations and no reply: record a personalised care adjustment (no response).
    NoResponse,
    /// Contact 1 is booked, or the review has gone further.
    Booked,
    /// The review is closed for this year.
    Closed,
}

impl RecallStep {
    pub fn code(self) -> &'static str {
        match self {
            RecallStep::FirstInvitation => "first_invitation",
            RecallStep::AwaitingReply { .. } => "awaiting_reply",
            RecallStep::SecondInvitation => "second_invitation",
            RecallStep::ThirdInvitation => "third_invitation",
            RecallStep::NoResponse => "no_response",
            RecallStep::Booked => "booked",
            RecallStep::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RecallStep::FirstInvitation => "Due: invite",
            RecallStep::AwaitingReply { .. } => "Waiting for a reply",
            RecallStep::SecondInvitation => "Send a second invitation",
            RecallStep::ThirdInvitation => "Send a third invitation",
            RecallStep::NoResponse => "No response to three invitations",
            RecallStep::Booked => "Booked or further on",
            RecallStep::Closed => "Closed",
        }
    }

    /// The number of the invitation to send now, if one is due.
    pub fn invitation_due(self) -> Option<u8> {
        match self {
            RecallStep::FirstInvitation => Some(1),
            RecallStep::SecondInvitation => Some(2),
            RecallStep::ThirdInvitation => Some(3),
            _ => None,
        }
    }
}

/// Where someone whose review is due this month stands today. `None` is a review not yet
/// opened (due, nothing done). Reminders follow `reinvite_after_days` (at least a week) after
/// the last invitation when nothing has been booked.
pub fn recall_step(
    cycle: Option<&Cycle>,
    today: NaiveDate,
    reinvite_after_days: u32,
) -> RecallStep {
    let Some(cycle) = cycle else { return RecallStep::FirstInvitation };
    match cycle.status() {
        CycleStatus::Due => RecallStep::FirstInvitation,
        CycleStatus::Invited => {
            let invitations = cycle.invitations();
            let Some(last) = invitations.last() else { return RecallStep::FirstInvitation };
            let wait = i64::from(reinvite_after_days).max(DAYS_BETWEEN_INVITATIONS);
            let reminder_from = last.sent_on + Duration::days(wait);
            if today < reminder_from {
                RecallStep::AwaitingReply { reminder_from }
            } else {
                match invitations.len() {
                    1 => RecallStep::SecondInvitation,
                    2 => RecallStep::ThirdInvitation,
                    _ => RecallStep::NoResponse,
                }
            }
        }
        status if status.is_open() => RecallStep::Booked,
        _ => RecallStep::Closed,
    }
}

/// How a contact attempt was made.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ContactMethod {
    Letter,
    Phone,
    Sms,
    Email,
    InPerson,
}

/// What came of it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ContactOutcome {
    Booked,
    NoAnswer,
    Declined,
    LeftMessage,
    WrongNumber,
}

impl ContactMethod {
    pub const ALL: [ContactMethod; 5] = [
        ContactMethod::Letter,
        ContactMethod::Phone,
        ContactMethod::Sms,
        ContactMethod::Email,
        ContactMethod::InPerson,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContactMethod::Letter => "letter",
            ContactMethod::Phone => "phone",
            ContactMethod::Sms => "sms",
            ContactMethod::Email => "email",
            ContactMethod::InPerson => "in_person",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactMethod::Letter => "Letter",
            ContactMethod::Phone => "Phone",
            ContactMethod::Sms => "SMS",
            ContactMethod::Email => "Email",
            ContactMethod::InPerson => "In person",
        }
    }

    pub fn parse(code: &str) -> Result<ContactMethod, String> {
        ContactMethod::ALL
            .into_iter()
            .find(|m| m.code() == code)
            .ok_or_else(|| format!("'{code}' is not a way of contacting someone (letter, phone, sms, email, in_person)"))
    }
}

impl ContactOutcome {
    pub const ALL: [ContactOutcome; 5] = [
        ContactOutcome::Booked,
        ContactOutcome::NoAnswer,
        ContactOutcome::Declined,
        ContactOutcome::LeftMessage,
        ContactOutcome::WrongNumber,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContactOutcome::Booked => "booked",
            ContactOutcome::NoAnswer => "no_answer",
            ContactOutcome::Declined => "declined",
            ContactOutcome::LeftMessage => "left_message",
            ContactOutcome::WrongNumber => "wrong_number",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContactOutcome::Booked => "Booked",
            ContactOutcome::NoAnswer => "No answer",
            ContactOutcome::Declined => "Declined",
            ContactOutcome::LeftMessage => "Left a message",
            ContactOutcome::WrongNumber => "Wrong number",
        }
    }

    pub fn parse(code: &str) -> Result<ContactOutcome, String> {
        ContactOutcome::ALL.into_iter().find(|o| o.code() == code).ok_or_else(|| {
            format!("'{code}' is not an outcome (booked, no_answer, declined, left_message, wrong_number)")
        })
    }
}

/// One attempt to reach someone about their review.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ContactAttempt {
    pub on: NaiveDate,
    pub method: ContactMethod,
    pub outcome: ContactOutcome,
    pub note: String,
}

impl ContactAttempt {
    /// An attempt as recorded; it cannot be dated in the future.
    pub fn new(
        on: NaiveDate,
        method: ContactMethod,
        outcome: ContactOutcome,
        note: &str,
        today: NaiveDate,
    ) -> Result<ContactAttempt, String> {
        if on > today {
            return Err("a contact attempt cannot be dated in the future".to_string());
        }
        Ok(ContactAttempt { on, method, outcome, note: note.trim().to_string() })
    }

    /// "Phone, 3 March 2027: no answer".
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{}, {}: {}",
            self.method.label(),
            super::person::format_date(self.on),
            self.outcome.label().to_lowercase()
        );
        if !self.note.is_empty() {
            text.push_str(&format!(" ({})", self.note));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::YearMonth;
    use crate::domain::cycle::{Cycle, PcaReason};
    use crate::domain::person::RegistrationStatus;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, m, d).unwrap()
    }

    #[test]
    fn reminders_follow_the_interval_and_stop_after_three() {
        let registered = RegistrationStatus::Registered;
        let (mut cycle, _) =
            Cycle::open(YearMonth::new(2027, 3).unwrap(), registered, day(3, 1)).unwrap();
        assert_eq!(recall_step(None, day(3, 1), 14), RecallStep::FirstInvitation);
        assert_eq!(recall_step(Some(&cycle), day(3, 1), 14), RecallStep::FirstInvitation);
        cycle.invite(day(3, 1), registered).unwrap();
        assert_eq!(
            recall_step(Some(&cycle), day(3, 14), 14),
            RecallStep::AwaitingReply { reminder_from: day(3, 15) }
        );
        assert_eq!(recall_step(Some(&cycle), day(3, 15), 14), RecallStep::SecondInvitation);
        cycle.invite(day(3, 15), registered).unwrap();
        assert_eq!(recall_step(Some(&cycle), day(3, 29), 14), RecallStep::ThirdInvitation);
        assert_eq!(recall_step(Some(&cycle), day(3, 29), 14).invitation_due(), Some(3));
        cycle.invite(day(3, 29), registered).unwrap();
        assert_eq!(recall_step(Some(&cycle), day(4, 12), 14), RecallStep::NoResponse);
        assert_eq!(
            recall_step(Some(&cycle), day(4, 12), 3),
            RecallStep::NoResponse,
            "never sooner than a week"
        );
        cycle.adjust(day(4, 12), PcaReason::NoResponse, "").unwrap();
        assert_eq!(recall_step(Some(&cycle), day(4, 12), 14), RecallStep::Closed);
    }

    #[test]
    fn contact_attempts_are_checked_and_described() {
        let attempt = ContactAttempt::new(
            day(3, 3),
            ContactMethod::Phone,
            ContactOutcome::NoAnswer,
            " tried twice ",
            day(3, 3),
        )
        .unwrap();
        assert_eq!(attempt.describe(), "Phone, 3 March 2027: no answer (tried twice)");
        assert!(ContactAttempt::new(
            day(3, 4),
            ContactMethod::Sms,
            ContactOutcome::Booked,
            "",
            day(3, 3)
        )
        .is_err());
        assert_eq!(ContactMethod::parse("in_person"), Ok(ContactMethod::InPerson));
        assert!(ContactOutcome::parse("maybe").is_err());
    }
}
