//! Every transition from every state: which are allowed, what they lead to, and the words of
//! the refusals people will read.

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn march() -> YearMonth {
    YearMonth::new(2027, 3).unwrap()
}

fn booking(on: NaiveDate) -> Booking {
    Booking::new(on.and_hms_opt(9, 30, 0).unwrap(), "Jo Hart (HCA)", "Riverside Surgery").unwrap()
}

const TIMING: PackTiming = PackTiming { minimum_days: 7, target_days: 14 };
const REGISTERED: RegistrationStatus = RegistrationStatus::Registered;

/// A review at `status`, with the history that status implies.
fn at(status: CycleStatus) -> Cycle {
    let booked = matches!(
        status,
        CycleStatus::Contact1Booked
            | CycleStatus::Contact1Attended
            | CycleStatus::ResultsComplete
            | CycleStatus::Triaged
            | CycleStatus::PackSent
            | CycleStatus::ConversationBooked
            | CycleStatus::ConversationHeld
            | CycleStatus::PlanAgreed
    );
    Cycle::restore(StoredCycle {
        due_month: march(),
        status,
        invitations: if status == CycleStatus::Due {
            vec![]
        } else {
            vec![Invitation { number: 1, sent_on: day(2027, 3, 1) }]
        },
        contact1: booked.then(|| booking(day(2027, 3, 10))),
        conversation: matches!(
            status,
            CycleStatus::ConversationBooked
                | CycleStatus::ConversationHeld
                | CycleStatus::PlanAgreed
        )
        .then(|| booking(day(2027, 4, 14))),
        pack_sent_on: matches!(
            status,
            CycleStatus::PackSent
                | CycleStatus::ConversationBooked
                | CycleStatus::ConversationHeld
                | CycleStatus::PlanAgreed
        )
        .then(|| day(2027, 3, 25)),
        closure: (!status.is_open()).then(|| Closure {
            on: day(2027, 4, 14),
            pca_reason: None,
            note: String::new(),
        }),
    })
}

/// Every transition, applied on 20 March 2027 with two weeks' notice for bookings.
fn apply(cycle: &mut Cycle, transition: Transition) -> Result<CycleEvent, TransitionError> {
    let on = day(2027, 3, 20);
    match transition {
        Transition::Open => unreachable!("opening is not a move from a state"),
        Transition::Invite => cycle.invite(on, REGISTERED),
        Transition::BookContact1 => cycle.book_contact1(booking(day(2027, 3, 27)), REGISTERED, on),
        Transition::AttendContact1 => cycle.attend_contact1(on),
        Transition::CompleteResults => cycle.complete_results(on),
        Transition::Triage => cycle.triage(on, &cleared()),
        Transition::SendPack => cycle.send_pack(on, REGISTERED, &cleared()),
        Transition::BookConversation => cycle
            .book_conversation(booking(day(2027, 4, 20)), REGISTERED, on, TIMING)
            .map(|(e, _)| e),
        Transition::HoldConversation => cycle.hold_conversation(on),
        Transition::AgreePlan => cycle.agree_plan(on),
        Transition::Decline => cycle.decline(on, "prefers to see the diabetes clinic"),
        Transition::Adjust => cycle.adjust(on, PcaReason::Unsuitable, ""),
        Transition::RegistrationEnded => cycle.registration_ended(on, RegistrationStatus::Left),
    }
}

use CycleStatus as S;
use Transition as T;

/// For each state, each transition and where it leads (None: refused).
fn expected(from: CycleStatus, transition: Transition) -> Option<CycleStatus> {
    if !from.is_open() {
        return None;
    }
    match (transition, from) {
        (T::Invite, S::Due | S::Invited) => Some(S::Invited),
        (T::BookContact1, S::Due | S::Invited | S::Contact1Booked) => Some(S::Contact1Booked),
        (T::AttendContact1, S::Due | S::Invited | S::Contact1Booked) => Some(S::Contact1Attended),
        (T::CompleteResults, S::Contact1Attended) => Some(S::ResultsComplete),
        (T::Triage, S::ResultsComplete) => Some(S::Triaged),
        (T::SendPack, S::Triaged) => Some(S::PackSent),
        (T::BookConversation, S::Contact1Attended | S::ResultsComplete | S::Triaged) => Some(from),
        (T::BookConversation, S::PackSent | S::ConversationBooked) => Some(S::ConversationBooked),
        (T::HoldConversation, S::ConversationBooked) => Some(S::ConversationHeld),
        (T::AgreePlan, S::ConversationHeld) => Some(S::PlanAgreed),
        (T::Decline, _) => Some(S::Declined),
        (T::Adjust, _) => Some(S::PersonalisedCareAdjustment),
        (T::RegistrationEnded, _) => Some(S::LeftPractice),
        _ => None,
    }
}

#[test]
fn every_transition_from_every_state() {
    let transitions = [
        T::Invite,
        T::BookContact1,
        T::AttendContact1,
        T::CompleteResults,
        T::Triage,
        T::SendPack,
        T::BookConversation,
        T::HoldConversation,
        T::AgreePlan,
        T::Decline,
        T::Adjust,
        T::RegistrationEnded,
    ];
    let mut allowed = 0;
    for from in CycleStatus::ALL {
        for transition in transitions {
            let mut cycle = at(from);
            let before = cycle.clone();
            let result = apply(&mut cycle, transition);
            match (expected(from, transition), result) {
                (Some(to), Ok(event)) => {
                    allowed += 1;
                    assert_eq!(cycle.status(), to, "{transition:?} from {from:?}");
                    assert_eq!(
                        (event.from, event.to, event.transition),
                        (Some(from), to, transition)
                    );
                    assert!(!event.detail.is_empty());
                }
                (None, Err(error)) => {
                    assert_eq!(
                        cycle, before,
                        "a refused {transition:?} from {from:?} changes nothing"
                    );
                    assert!(!error.0.is_empty() && !error.0.contains("Debug"));
                }
                (expected, actual) => {
                    panic!("{transition:?} from {from:?}: expected {expected:?}, got {actual:?}")
                }
            }
        }
    }
    assert_eq!(allowed, 45, "the number of allowed moves is deliberate");
}

#[test]
fn contact_2_cannot_be_booked_before_contact_1_is_attended() {
    for from in [S::Due, S::Invited, S::Contact1Booked] {
        let error = apply(&mut at(from), T::BookConversation).unwrap_err();
        assert_eq!(
            error.0,
            "contact 2 (the care and support planning conversation) can be booked only after \
             contact 1 has been attended"
        );
    }
}

#[test]
fn nobody_who_left_or_died_is_opened_invited_booked_or_sent_a_pack() {
    for (status, word) in
        [(RegistrationStatus::Left, "left the practice"), (RegistrationStatus::Deceased, "died")]
    {
        let opened = Cycle::open(march(), status, day(2027, 3, 1)).unwrap_err();
        assert!(opened.0.contains(word), "{opened}");
        let mut due = at(S::Due);
        assert!(due.invite(day(2027, 3, 2), status).unwrap_err().0.contains("never invites"));
        assert!(due.book_contact1(booking(day(2027, 3, 9)), status, day(2027, 3, 2)).is_err());
        assert!(at(S::Triaged).send_pack(day(2027, 3, 2), status, &cleared()).is_err());
        assert_eq!(due.status(), S::Due);
    }
}

#[test]
fn three_invitations_at_least_a_week_apart() {
    let (mut cycle, opened) = Cycle::open(march(), REGISTERED, day(2027, 3, 1)).unwrap();
    assert_eq!((opened.from, opened.to), (None, S::Due));
    cycle.invite(day(2027, 3, 1), REGISTERED).unwrap();
    let too_soon = cycle.invite(day(2027, 3, 5), REGISTERED).unwrap_err();
    assert_eq!(
        too_soon.0,
        "the last invitation went on 1 March 2027; a reminder can go from 8 March 2027"
    );
    assert_eq!(cycle.next_invitation_from(), Some(day(2027, 3, 8)));
    cycle.invite(day(2027, 3, 15), REGISTERED).unwrap();
    let third = cycle.invite(day(2027, 3, 29), REGISTERED).unwrap();
    assert_eq!(third.detail, "third invitation (last reminder) sent");
    let numbers: Vec<u8> = cycle.invitations().iter().map(|i| i.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert!(cycle
        .invite(day(2027, 4, 30), REGISTERED)
        .unwrap_err()
        .0
        .starts_with("three invitations"));
    assert_eq!(cycle.next_invitation_from(), None);
}

#[test]
fn no_response_needs_two_invitations_a_week_apart_and_no_booking() {
    let mut cycle = at(S::Due);
    let none = cycle.adjust(day(2027, 3, 20), PcaReason::NoResponse, "").unwrap_err();
    assert_eq!(
        none.0,
        "'no response' does not apply: that needs two invitations at least 7 days apart, and this person has had none"
    );
    cycle.invite(day(2027, 3, 1), REGISTERED).unwrap();
    assert!(cycle
        .adjust(day(2027, 3, 20), PcaReason::NoResponse, "")
        .unwrap_err()
        .0
        .contains("had one"));
    cycle.invite(day(2027, 3, 8), REGISTERED).unwrap();
    assert!(cycle.no_response_to_two_invitations());
    let event = cycle.adjust(day(2027, 3, 20), PcaReason::NoResponse, "").unwrap();
    assert_eq!(
        event.detail,
        "personalised care adjustment: No response to two invitations at least 7 days apart"
    );
    assert_eq!(cycle.closure().unwrap().pca_reason, Some(PcaReason::NoResponse));

    let booked =
        at(S::Contact1Booked).adjust(day(2027, 3, 20), PcaReason::NoResponse, "").unwrap_err();
    assert!(booked.0.contains("has responded"), "{booked}");
    let other = at(S::Due).adjust(day(2027, 3, 20), PcaReason::Other, " ").unwrap_err();
    assert_eq!(other.0, "say what the other reason is");
}

#[test]
fn a_closed_review_says_when_and_why() {
    let mut cycle = at(S::Invited);
    cycle.decline(day(2027, 3, 20), "").unwrap();
    let refused = cycle.invite(day(2027, 4, 1), REGISTERED).unwrap_err();
    assert_eq!(
        refused.0,
        "this review closed on 20 March 2027 ('Declined'), so nothing more can be recorded on it"
    );
}

#[test]
fn the_pack_needs_time_before_the_conversation() {
    let mut sent = at(S::PackSent);
    let early = |d| booking(d);
    let (_, warnings) = sent
        .book_conversation(early(day(2027, 3, 30)), REGISTERED, day(2027, 3, 26), TIMING)
        .unwrap();
    assert_eq!(
        warnings,
        ["the preparation pack went on 25 March 2027, only 5 days before this conversation; people \
          need at least 7 days (ideally 14) to read it and prepare"]
    );
    let (_, warnings) = at(S::PackSent)
        .book_conversation(early(day(2027, 4, 3)), REGISTERED, day(2027, 3, 26), TIMING)
        .unwrap();
    assert_eq!(warnings, ["the preparation pack went on 25 March 2027, 9 days before this conversation; 14 days is the target"]);
    let (_, warnings) = at(S::PackSent)
        .book_conversation(early(day(2027, 4, 8)), REGISTERED, day(2027, 3, 26), TIMING)
        .unwrap();
    assert!(warnings.is_empty());
    let (_, warnings) = at(S::Contact1Attended)
        .book_conversation(early(day(2027, 3, 24)), REGISTERED, day(2027, 3, 20), TIMING)
        .unwrap();
    assert!(warnings[0].contains("less than 7 days away"), "{warnings:?}");
    let (_, warnings) = at(S::Contact1Attended)
        .book_conversation(early(day(2027, 4, 1)), REGISTERED, day(2027, 3, 20), TIMING)
        .unwrap();
    assert_eq!(warnings, ["the preparation pack has not been sent: send it by 25 March 2027 at the latest (18 March 2027 is the target)"]);
}

#[test]
fn a_conversation_booked_early_is_kept_until_the_pack_goes() {
    let mut cycle = at(S::Triaged);
    let (event, _) = cycle
        .book_conversation(booking(day(2027, 4, 20)), REGISTERED, day(2027, 3, 20), TIMING)
        .unwrap();
    assert_eq!(event.to, S::Triaged, "booking before the pack records the booking only");
    let sent = cycle.send_pack(day(2027, 3, 21), REGISTERED, &cleared()).unwrap();
    assert_eq!(
        sent.to,
        S::ConversationBooked,
        "sending the pack moves on to the booked conversation"
    );
    assert_eq!(cycle.pack_sent_on(), Some(day(2027, 3, 21)));
}

#[test]
fn rebooking_says_so() {
    let mut cycle = at(S::Contact1Booked);
    let event =
        cycle.book_contact1(booking(day(2027, 3, 30)), REGISTERED, day(2027, 3, 20)).unwrap();
    assert_eq!(
        event.detail,
        "contact 1 rebooked for 30 March 2027 at 09:30 with Jo Hart (HCA), Riverside Surgery"
    );
    assert_eq!(
        Booking::new(day(2027, 3, 30).and_hms_opt(9, 0, 0).unwrap(), " ", "").unwrap_err(),
        "say who the appointment is with"
    );
}

#[test]
fn status_codes_round_trip() {
    for status in CycleStatus::ALL {
        assert_eq!(CycleStatus::parse(status.code()), Some(status));
    }
    for reason in PcaReason::ALL {
        assert_eq!(PcaReason::parse(reason.code()), Some(reason));
    }
}

/// Nothing red to acknowledge.
fn cleared() -> crate::domain::rules::RedFlagsCleared {
    crate::domain::rules::clearance(Vec::new()).unwrap()
}
