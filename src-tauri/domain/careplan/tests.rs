//! Agreeing a plan, its versions, carrying goals into the next review, and what a plan may hold.

use super::*;
use crate::domain::cycle::{Booking, Cycle, CycleStatus, PackTiming, StoredCycle};

fn day(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    day("2026-11-23")
}

fn with_person() -> Agreement {
    Agreement { with: AgreedWith::Person, no_contingency_confirmed: false, reason: String::new() }
}

/// A plan with everything agreeing needs (also the FHIR document's tests' plan).
pub(crate) fn complete() -> PlanDocument {
    PlanDocument {
        what_matters: "Getting back to my allotment".into(),
        needs: vec![Need {
            id: 1,
            text: "Out of breath on the hill".into(),
            goals: vec![Goal {
                id: 2,
                words: "Walk up to the allotment without stopping".into(),
                own_words: true,
                importance: Some(9),
                actions: vec![Action {
                    id: 3,
                    what: "Walk to the end of the road and back".into(),
                    who: Who { kind: WhoKind::Me, ..Who::default() },
                    when: "every morning".into(),
                    confidence: Some(7),
                    status: ActionStatus::Planned,
                }],
            }],
        }],
        contingency: Contingency {
            triggers: "More breathless than usual\nGreen phlegm".into(),
            what_to_do: "Start the rescue pack".into(),
            contacts: vec![Contact {
                name: "Practice nurse".into(),
                role: String::new(),
                phone: "0113 496 0000".into(),
            }],
            rescue: "In the kitchen drawer".into(),
        },
        review: Review {
            date: "2027-11-01".into(),
            who: "Nurse J Okoye".into(),
            how: ReviewHow::Phone,
        },
        ..PlanDocument::default()
    }
}

#[test]
fn a_complete_plan_is_agreed_as_the_first_version() {
    assert_eq!(check_agreement(&complete(), &with_person(), None, today()), Ok(1));
}

#[test]
fn a_plan_needs_a_goal_in_the_persons_words_an_action_with_who_and_when_and_a_review_date() {
    let refused = |doc: &PlanDocument| {
        check_agreement(doc, &with_person(), None, today()).unwrap_err().missing
    };
    let empty = PlanDocument::default();
    let missing = refused(&PlanDocument { contingency: complete().contingency, ..empty });
    assert_eq!(missing.len(), 3, "an empty plan lacks all three: {missing:?}");

    let mut clinician_goal = complete();
    clinician_goal.needs[0].goals[0].own_words = false;
    assert_eq!(refused(&clinician_goal), ["at least one goal in the person's own words"]);

    let mut blank_goal = complete();
    blank_goal.needs[0].goals[0].words = "  ".into();
    assert_eq!(refused(&blank_goal), ["at least one goal in the person's own words"]);

    let mut no_when = complete();
    no_when.needs[0].goals[0].actions[0].when = String::new();
    assert_eq!(refused(&no_when), ["at least one action that says what, who and when"]);

    let mut nameless_professional = complete();
    nameless_professional.needs[0].goals[0].actions[0].who.kind = WhoKind::Professional;
    assert_eq!(
        refused(&nameless_professional),
        ["at least one action that says what, who and when"],
        "an action for a professional must name them"
    );

    let mut no_review = complete();
    no_review.review.date = String::new();
    assert_eq!(refused(&no_review), ["a review date"]);

    let mut past_review = complete();
    past_review.review.date = "2026-11-23".into();
    assert_eq!(refused(&past_review), ["a review date after today (it says 23 November 2026)"]);
}

#[test]
fn a_signposted_service_counts_as_an_action() {
    let mut doc = complete();
    doc.needs[0].goals[0].actions.clear();
    doc.support.push(Action {
        id: 9,
        what: "Go along to the Breathe Easy singing group".into(),
        who: Who {
            kind: WhoKind::Service,
            name: "Breathe Easy Ashby".into(),
            contact: "phone 0113 496 0123".into(),
            service: Some(4),
            ..Who::default()
        },
        when: "Thursdays from next week".into(),
        ..Action::default()
    });
    assert_eq!(check_agreement(&doc, &with_person(), None, today()), Ok(1));
    assert_eq!(doc.services(), BTreeSet::from([4]));
}

#[test]
fn a_missing_contingency_plan_must_be_confirmed() {
    let mut doc = complete();
    doc.contingency = Contingency::default();
    let not_yet = check_agreement(&doc, &with_person(), None, today()).unwrap_err();
    assert!(not_yet.missing.is_empty());
    assert_eq!(not_yet.to_confirm, [NO_CONTINGENCY]);
    assert!(not_yet.to_string().contains("confirm to go on"));
    let confirmed = Agreement { no_contingency_confirmed: true, ..with_person() };
    assert_eq!(check_agreement(&doc, &confirmed, None, today()), Ok(1));
}

#[test]
fn a_representative_is_named_with_their_relationship() {
    let half = Agreement {
        with: AgreedWith::Representative { name: "Ade Okafor".into(), relationship: " ".into() },
        ..with_person()
    };
    let not_yet = check_agreement(&complete(), &half, None, today()).unwrap_err();
    assert_eq!(not_yet.missing, ["the representative's name and their relationship to the person"]);
    let whole = Agreement {
        with: AgreedWith::Representative { name: "Ade Okafor".into(), relationship: "son".into() },
        ..with_person()
    };
    assert_eq!(check_agreement(&complete(), &whole, None, today()), Ok(1));
}

#[test]
fn a_later_version_says_why_and_follows_the_latest() {
    let not_yet = check_agreement(&complete(), &with_person(), Some(2), today()).unwrap_err();
    assert_eq!(not_yet.missing, ["why the plan is changing (this will be a new version)"]);
    let why = Agreement { reason: "Started the rescue pack plan".into(), ..with_person() };
    assert_eq!(check_agreement(&complete(), &why, Some(2), today()), Ok(3));
}

#[test]
fn scores_outside_one_to_ten_and_bad_dates_are_named() {
    let mut doc = complete();
    doc.needs[0].goals[0].importance = Some(11);
    doc.needs[0].goals[0].actions[0].confidence = Some(0);
    doc.review.date = "next year".into();
    let problems = doc.problems();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("goal 'Walk up to the allotment without stoppin…': how important must be from 1 to 10, not 11"));
    assert!(problems[1].contains("action 1: how confident must be from 1 to 10, not 0"));
    assert!(problems[2].contains("'next year' is not a date"));
    let json = doc.to_json();
    assert!(PlanDocument::from_json(&json).unwrap_err().contains("not 11"));
    let mut twins = complete();
    twins.needs[0].goals[0].actions[0].id = 2;
    assert!(twins.problems().is_empty(), "goals and actions number apart");
    twins.needs[0].goals.push(Goal { id: 2, ..Goal::default() });
    assert_eq!(twins.problems(), ["two goals have the number 2"]);
}

#[test]
fn the_document_reads_back_exactly_and_refuses_unknown_fields() {
    let doc = complete();
    assert_eq!(PlanDocument::from_json(&doc.to_json()).unwrap(), doc);
    assert!(PlanDocument::from_json(r#"{"goalz": []}"#).unwrap_err().contains("goalz"));
    let partial = PlanDocument::from_json(r#"{"what_matters": "My dog, Biscuit"}"#).unwrap();
    assert_eq!(partial.what_matters, "My dog, Biscuit");
    assert!(partial.needs.is_empty());
    let goal =
        PlanDocument::from_json(r#"{"needs": [{"id": 1, "goals": [{"id": 2, "words": "x"}]}]}"#)
            .unwrap();
    assert!(goal.needs[0].goals[0].own_words, "a goal is in the person's words unless unticked");
}

#[test]
fn next_years_review_starts_from_this_plan() {
    let mut last = complete();
    last.needs[0].goals.push(Goal { id: 5, words: "  ".into(), ..Goal::default() });
    last.agenda = vec!["My feet".into()];
    let next = last.next_review(2);
    assert_eq!(next.what_matters, last.what_matters);
    assert_eq!(next.contingency, last.contingency);
    assert!(next.needs.is_empty() && next.agenda.is_empty(), "the conversation starts afresh");
    assert_eq!(
        next.earlier_goals,
        [GoalReview {
            version: 2,
            goal: 2,
            words: "Walk up to the allotment without stopping".into(),
            outcome: None,
            note: String::new(),
        }],
        "each worded goal waits to be reviewed; a blank one is not carried"
    );
    assert!(next.review.date.is_empty(), "the new review date is agreed afresh");
}

#[test]
fn goal_outcomes_keep_their_words() {
    let json = r#"{"earlier_goals": [{"version": 1, "goal": 2, "words": "Lose a stone",
        "outcome": "partly_achieved", "note": "Half a stone so far"}]}"#;
    let doc = PlanDocument::from_json(json).unwrap();
    assert_eq!(doc.earlier_goals[0].outcome, Some(GoalOutcome::PartlyAchieved));
    assert_eq!(GoalOutcome::NoLongerRelevant.label(), "No longer relevant");
    assert!(PlanDocument::from_json(r#"{"earlier_goals": [{"outcome": "sort of"}]}"#).is_err());
}

#[test]
fn declining_the_conversation_closes_the_review_with_the_reason() {
    let stored = StoredCycle {
        due_month: crate::domain::calendar::YearMonth::new(2026, 11).unwrap(),
        status: CycleStatus::PackSent,
        invitations: Vec::new(),
        contact1: None,
        conversation: None,
        pack_sent_on: Some(day("2026-11-01")),
        closure: None,
    };
    let mut cycle = Cycle::restore(stored);
    let booking =
        Booking::new(day("2026-11-30").and_hms_opt(10, 0, 0).unwrap(), "Nurse J Okoye", "")
            .unwrap();
    let timing = PackTiming { minimum_days: 7, target_days: 14 };
    cycle
        .book_conversation(
            booking,
            crate::domain::person::RegistrationStatus::Registered,
            today(),
            timing,
        )
        .unwrap();
    let event = cycle.decline(today(), "  Feels well and would rather not ").unwrap();
    assert_eq!(cycle.status(), CycleStatus::Declined);
    assert_eq!(event.detail, "declined: Feels well and would rather not");
    assert!(cycle.agree_plan(today()).is_err(), "a declined review takes no plan");
}
