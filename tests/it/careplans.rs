//! Care and support plans and the "more than medicine" directory as a practice meets them, on
//! real databases: a review brought to "conversation booked" through the real contact 1, lab
//! import, triage and pack functions, the plan saved as it is typed and agreed (the conversation
//! held and the review closed), later versions with a reason, next year's plan starting from
//! the last, declining, nobody who left or died; the printed plan through `alongside careplan
//! pdf` read back with poppler; the directory through `alongside directory`; and the demo.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate};
use serde_json::{json, Value as Json};

use alongside::domain::calendar::YearMonth;
use alongside::domain::careplan::{
    check_agreement, Action, ActionStatus, AgreedWith, Agreement, Contact, Contingency, Goal,
    GoalOutcome, GoalReview, LookingAhead, Need, PlanDocument, Review, ReviewHow, Who, WhoKind,
    NO_CONTINGENCY,
};
use alongside::domain::cycle::{Booking, Cycle, CycleStatus, PackTiming};
use alongside::domain::person::{format_date, RegistrationStatus};
use alongside::domain::rules::clearance;
use alongside::exchange::careplans::{
    agree, conversation, decline, open_draft, save_draft, set_aside, Agreed, PlanError,
};
use alongside::exchange::directory::{import_directory, retire_service};
use alongside::exchange::packs::{confirm_pack_batch, record_prepared_packs};
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::store::{Actor, DraftSaveError, Store, StoreError, StoredService};

use super::letters::poppler;
use super::packs::{
    approved, audit, book_conversation, coordinator, flat, median_text_size, open_cycle,
    patient_id, prepare,
};
use super::support::{fill_in_letterhead, today, Sandbox};
use super::triage::{nhs, practice_with, Practice};

/// Everyone has hypertension and an address. Lara Lewis needs large print; Eve Ellis has left
/// the practice and Fay Ford has died.
const REGISTER: &str = "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,town,postcode,communication_needs,status\n\
    9990000018,Okafor,Grace,1950-03-02,38341003,11 Willow Road,Ashby Marsh,AM1 2BD,,registered\n\
    9990000026,Nowak,Piotr,1961-03-15,38341003,22 Heron Close,Kettleby,KE2 3EF,,registered\n\
    9990000034,Lewis,Lara,1953-06-30,38341003,44 Orchard Way,Brindle,BR4 5JL,large_print,registered\n\
    9990000042,Khan,Imran,1955-03-05,38341003,5 Mill Lane,Ashby Marsh,AM1 1AB,,registered\n\
    9990000050,Ellis,Eve,1954-03-01,38341003,6 Mill Lane,Ashby Marsh,AM1 1AB,,left\n\
    9990000069,Ford,Fay,1955-03-05,38341003,7 Mill Lane,Ashby Marsh,AM1 1AB,,deceased\n\
    9990000077,Evans,Sian,1966-01-30,38341003,8 Mill Lane,Ashby Marsh,AM1 1AB,,registered\n";

const GRACE: &str = "9990000018";
const PIOTR: &str = "9990000026";
const LARA: &str = "9990000034";
const IMRAN: &str = "9990000042";
const EVE: &str = "9990000050";
const FAY: &str = "9990000069";
const SIAN: &str = "9990000077";

/// The shipped demonstration directory: 24 fictional services.
const DIRECTORY_CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/directory.csv");

fn practice() -> Practice {
    let mut practice = practice_with(REGISTER);
    fill_in_letterhead(&mut practice.store);
    practice
}

fn clinician() -> Actor {
    Actor::new("nurse.okoye")
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn in_days(days: u64) -> String {
    iso(today() + Days::new(days))
}

/// Contact 1, the bloods, triage, the conversation booked with Nurse J Okoye and the pack
/// confirmed as posted: the review is at "conversation booked". Returns the review's id.
fn conversation_booked(practice: &mut Practice, who: &str) -> i64 {
    approved(practice, who, &[], &[]);
    book_conversation(practice, who, 21);
    let cycle = open_cycle(practice, who).id;
    let prepared = prepare(practice, Some(&[cycle])).unwrap();
    assert_eq!(prepared.items.len(), 1, "{who}'s pack is ready: {:?}", prepared.held);
    let batch =
        record_prepared_packs(&mut practice.store, &coordinator(), &prepared, "packs.pdf").unwrap();
    let confirmed = confirm_pack_batch(
        &mut practice.store,
        &coordinator(),
        &practice.catalogue,
        &practice.rules,
        batch,
        today(),
    )
    .unwrap();
    assert_eq!(confirmed.recorded, 1, "{:?}", confirmed.refused);
    assert_eq!(practice.status(who), Some(CycleStatus::ConversationBooked), "{who}");
    cycle
}

fn agreement(no_contingency_confirmed: bool, reason: &str) -> Agreement {
    Agreement { with: AgreedWith::Person, no_contingency_confirmed, reason: reason.into() }
}

/// Opens the person's plan, saves `doc` into it and agrees it on `on` with the person.
fn agree_plan(
    practice: &mut Practice,
    who: &str,
    doc: &PlanDocument,
    reason: &str,
    on: NaiveDate,
) -> Result<Agreed, PlanError> {
    let draft = open_draft(&mut practice.store, &clinician(), &nhs(who)).unwrap();
    let revision =
        save_draft(&mut practice.store, &clinician(), draft.id, draft.revision, doc).unwrap();
    let agreement = agreement(doc.contingency.is_empty(), reason);
    agree(&mut practice.store, &clinician(), draft.id, revision, &agreement, on)
}

fn me() -> Who {
    Who { kind: WhoKind::Me, ..Who::default() }
}

fn nurse() -> Who {
    Who {
        kind: WhoKind::Professional,
        name: "Nurse J Okoye".into(),
        role: "Practice nurse".into(),
        contact: "Room 3 at the surgery".into(),
        service: None,
    }
}

fn from_directory(service: &StoredService) -> Who {
    Who {
        kind: WhoKind::Service,
        name: service.service.name.clone(),
        role: String::new(),
        contact: service.service.contact_line(),
        service: Some(service.id),
    }
}

fn action(id: u32, what: &str, who: Who, when: &str) -> Action {
    Action {
        id,
        what: what.into(),
        who,
        when: when.into(),
        confidence: Some(7),
        status: ActionStatus::Planned,
    }
}

fn goal(id: u32, words: &str, actions: Vec<Action>) -> Goal {
    Goal { id, words: words.into(), own_words: true, importance: Some(8), actions }
}

const GRACES_GOAL: &str = "Walk up to the allotment without stopping";
const GRACES_LATER_GOAL: &str = "Dig the whole allotment by the spring";
const WHAT_MATTERS: &str = "Getting back to my allotment. It is where I see my friends.";
const HER_ACTION: &str = "Walk to the end of the road and back, a bit further each week";

/// Grace's plan: what matters to her, one goal in her own words with her action and the
/// nurse's, what to do if she feels worse, and a review in six months.
fn graces_plan() -> PlanDocument {
    PlanDocument {
        agenda: vec!["My breathing on hills".into()],
        what_matters: WHAT_MATTERS.into(),
        people: "My daughter Sarah helps with the shopping.".into(),
        needs: vec![Need {
            id: 1,
            text: "Out of breath going up hills".into(),
            goals: vec![goal(
                2,
                GRACES_GOAL,
                vec![
                    action(3, HER_ACTION, me(), "every morning"),
                    action(4, "Check my breathing and my inhaler", nurse(), "in January"),
                ],
            )],
        }],
        contingency: Contingency {
            triggers: "Breathless when sitting still\nLips turning blue".into(),
            what_to_do: "Use my blue inhaler and sit upright.".into(),
            contacts: vec![Contact {
                name: "NHS 111".into(),
                role: "when the surgery is closed".into(),
                phone: "111".into(),
            }],
            rescue: String::new(),
        },
        review: Review {
            date: in_days(180),
            who: "Nurse J Okoye".into(),
            how: ReviewHow::Appointment,
        },
        ..PlanDocument::default()
    }
}

/// (action, summary) of the person's audit entries starting with `prefix`, oldest first.
fn audited(practice: &Practice, who: &str, prefix: &str) -> Vec<(String, String)> {
    let id = patient_id(practice, who);
    audit(&practice.sandbox, prefix)
        .into_iter()
        .filter(|(_, patient, _)| *patient == Some(id))
        .map(|(action, _, summary)| (action, summary))
        .collect()
}

/// The transitions recorded for a review, in order.
fn transitions(practice: &Practice, cycle: i64) -> Vec<String> {
    let conn = rusqlite::Connection::open(practice.sandbox.db()).unwrap();
    let mut statement =
        conn.prepare("SELECT transition FROM cycle_event WHERE cycle_id = ?1 ORDER BY id").unwrap();
    let rows = statement.query_map([cycle], |r| r.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

/// How many rows a table holds.
fn count(practice: &Practice, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(practice.sandbox.db()).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn a_plan_is_saved_as_it_is_typed_and_agreed_only_with_a_goal_an_action_and_a_review_date() {
    let mut practice = practice();
    let cycle = conversation_booked(&mut practice, GRACE);
    let grace = patient_id(&practice, GRACE);

    // Opened at the conversation: empty, for this review.
    let draft = open_draft(&mut practice.store, &clinician(), &nhs(GRACE)).unwrap();
    assert_eq!(draft.doc, PlanDocument::default(), "a first plan starts empty");
    assert_eq!(draft.cycle_id, Some(cycle), "the plan belongs to this review");
    assert_eq!(draft.based_on, None);
    assert_eq!(draft.patient_id, grace);
    let again = open_draft(&mut practice.store, &clinician(), &nhs(GRACE)).unwrap();
    assert_eq!(again.id, draft.id, "opening again gives the same draft, not a second one");
    assert_eq!(count(&practice, "care_plan_draft"), 1);

    // Saved twice as it is typed: each save moves the revision on.
    let mut typed = PlanDocument {
        agenda: vec!["My breathing on hills".into()],
        what_matters: WHAT_MATTERS.into(),
        ..PlanDocument::default()
    };
    let first = draft.revision;
    let second = save_draft(&mut practice.store, &clinician(), draft.id, first, &typed).unwrap();
    assert_eq!(second, first + 1);
    typed.needs = vec![Need { id: 1, text: "Out of breath going up hills".into(), goals: vec![] }];
    let third = save_draft(&mut practice.store, &clinician(), draft.id, second, &typed).unwrap();
    assert_eq!(third, second + 1);
    let saved = practice.store.care_plan_draft(draft.id).unwrap().unwrap();
    assert_eq!((saved.revision, &saved.doc), (third, &typed));

    // A save from a screen opened before the last save is refused and changes nothing.
    let audit_before = audit(&practice.sandbox, "").len();
    let stale = PlanDocument { what_matters: "Something else".into(), ..typed.clone() };
    let refused = save_draft(&mut practice.store, &clinician(), draft.id, second, &stale);
    assert!(matches!(refused, Err(PlanError::Draft(DraftSaveError::Stale))), "{refused:?}");
    let kept = practice.store.care_plan_draft(draft.id).unwrap().unwrap();
    assert_eq!((kept.revision, &kept.doc), (third, &typed), "the stale save changed nothing");
    assert_eq!(audit(&practice.sandbox, "").len(), audit_before);

    // Agreeing is refused while the goal, the action and the review date are missing; nothing
    // is written, and the conversation is not recorded as held.
    let events_before = transitions(&practice, cycle);
    let refused =
        agree(&mut practice.store, &clinician(), draft.id, third, &agreement(false, ""), today());
    let Err(PlanError::NotYetAgreed(not_yet)) = refused else {
        panic!("agreeing a plan with no goal is refused: {refused:?}")
    };
    assert_eq!(
        not_yet.missing,
        [
            "at least one goal in the person's own words",
            "at least one action that says what, who and when",
            "a review date",
        ]
    );
    assert_eq!(not_yet.to_confirm, [NO_CONTINGENCY]);
    let nothing_written = |practice: &Practice, when: &str| {
        assert_eq!(count(practice, "care_plan"), 0, "no plan is recorded {when}");
        assert_eq!(practice.status(GRACE), Some(CycleStatus::ConversationBooked), "{when}");
        assert_eq!(transitions(practice, cycle), events_before, "no transition {when}");
        assert_eq!(audit(&practice.sandbox, "").len(), audit_before, "no audit entry {when}");
        let open = practice.store.open_draft_of(grace).unwrap().expect("the draft stays open");
        assert_eq!((open.id, open.revision), (draft.id, third), "{when}");
    };
    nothing_written(&practice, "after a refused agreement");

    // The whole plan, but no contingency plan: the clinician must confirm that.
    let mut whole = graces_plan();
    whole.contingency = Contingency::default();
    let fourth = save_draft(&mut practice.store, &clinician(), draft.id, third, &whole).unwrap();
    assert_eq!(fourth, third + 1);
    let audit_before = audit(&practice.sandbox, "").len();
    let unconfirmed =
        agree(&mut practice.store, &clinician(), draft.id, fourth, &agreement(false, ""), today());
    let Err(PlanError::NotYetAgreed(not_yet)) = unconfirmed else {
        panic!("a plan with no contingency plan needs confirming: {unconfirmed:?}")
    };
    assert!(not_yet.missing.is_empty(), "{not_yet:?}");
    assert_eq!(not_yet.to_confirm, [NO_CONTINGENCY]);
    assert_eq!(count(&practice, "care_plan"), 0);
    assert_eq!(practice.status(GRACE), Some(CycleStatus::ConversationBooked));
    assert_eq!(audit(&practice.sandbox, "").len(), audit_before);

    // Confirmed: agreed as version 1, the conversation held and the review closed.
    let agreed =
        agree(&mut practice.store, &clinician(), draft.id, fourth, &agreement(true, ""), today())
            .unwrap();
    assert_eq!(agreed.version, 1);
    assert_eq!(practice.status(GRACE), None, "the review is closed");
    let record = practice.store.cycle_of_id(cycle).unwrap().unwrap();
    assert_eq!(record.cycle.status(), CycleStatus::PlanAgreed);
    assert_eq!(record.cycle.closure().map(|c| c.on), Some(today()));
    let events = transitions(&practice, cycle);
    assert_eq!(events[..events_before.len()], events_before[..]);
    assert_eq!(events[events_before.len()..], ["hold_conversation", "agree_plan"]);
    let cycle_audit: Vec<String> =
        audited(&practice, GRACE, "cycle.").into_iter().map(|(a, _)| a).collect();
    assert!(cycle_audit.ends_with(&["cycle.hold_conversation".into(), "cycle.agree_plan".into()]));

    let plans = practice.store.care_plans_of(grace).unwrap();
    assert_eq!(plans.len(), 1);
    let plan = &plans[0];
    assert_eq!((plan.id, plan.version), (agreed.plan_id, 1));
    assert_eq!(plan.doc, whole, "the plan is kept exactly as agreed");
    assert_eq!(plan.cycle_id, Some(cycle));
    assert_eq!(plan.agreed_on, today());
    assert_eq!(plan.with, AgreedWith::Person);
    assert_eq!(plan.clinician, "Nurse J Okoye", "who held the conversation, from the booking");
    assert_eq!(plan.agreed_by, "nurse.okoye");
    assert!(plan.no_contingency_confirmed);
    assert_eq!(plan.change_reason, "");
    let conn = rusqlite::Connection::open(practice.sandbox.db()).unwrap();
    let (content, agreed_as): (String, Option<i64>) = conn
        .query_row(
            "SELECT p.content, d.agreed_as FROM care_plan p, care_plan_draft d WHERE d.id = ?1",
            [draft.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(PlanDocument::from_json(&content).unwrap(), whole, "stored as JSON, exactly");
    assert_eq!(agreed_as, Some(agreed.plan_id), "the draft is closed as the version it became");

    // The draft is closed: nothing more is saved into it, and the conversation has none open.
    assert_eq!(practice.store.open_draft_of(grace).unwrap(), None);
    let closed = save_draft(&mut practice.store, &clinician(), draft.id, fourth, &whole);
    assert!(matches!(closed, Err(PlanError::Draft(DraftSaveError::Closed))), "{closed:?}");
    let talk = conversation(&practice.store, &nhs(GRACE)).unwrap();
    assert!(talk.draft.is_none() && talk.cycle.is_none());
    assert_eq!(talk.latest().map(|p| p.version), Some(1));

    // The audit trail: the draft started, one entry per save, the agreement.
    assert_eq!(
        audited(&practice, GRACE, "careplan."),
        [
            ("careplan.draft_started".into(), format!("draft {}: a first plan", draft.id)),
            (
                "careplan.draft_saved".into(),
                format!("draft {}: changed agenda, what matters", draft.id)
            ),
            (
                "careplan.draft_saved".into(),
                format!("draft {}: changed needs, goals and actions", draft.id)
            ),
            (
                "careplan.draft_saved".into(),
                format!("draft {}: changed people, needs, goals and actions, review", draft.id)
            ),
            (
                "careplan.agreed".into(),
                "version 1 agreed with the person; no contingency plan, confirmed".into()
            ),
        ]
    );
}

#[test]
fn a_changed_plan_is_a_new_version_with_its_reason_and_every_version_stays_as_agreed() {
    let mut practice = practice();
    let cycle = conversation_booked(&mut practice, GRACE);
    let grace = patient_id(&practice, GRACE);
    let first = graces_plan();
    let v1 = agree_plan(&mut practice, GRACE, &first, "", today()).unwrap();
    assert_eq!(v1.version, 1);
    let events = transitions(&practice, cycle);

    // Opened again: the agreed plan, to change.
    let draft = open_draft(&mut practice.store, &clinician(), &nhs(GRACE)).unwrap();
    assert_eq!(draft.based_on, Some(v1.plan_id), "an edit of version 1");
    assert_eq!(draft.doc, first, "starting from version 1's content");
    assert_eq!(draft.cycle_id, Some(cycle));
    assert_eq!(
        audited(&practice, GRACE, "careplan.draft_started").last().unwrap().1,
        format!("draft {}: changes to version 1", draft.id)
    );
    let mut second = first.clone();
    second.needs[0].goals[0].words = GRACES_LATER_GOAL.into();
    second.needs[0].goals[0].actions.push(action(
        5,
        "Ask my grandson to help with the heavy digging",
        Who { kind: WhoKind::Someone, name: "Tom".into(), role: "grandson".into(), ..me() },
        "Saturdays",
    ));
    let revision =
        save_draft(&mut practice.store, &clinician(), draft.id, draft.revision, &second).unwrap();

    // Without a reason: refused, nothing written.
    let audit_before = audit(&practice.sandbox, "").len();
    let refused = agree(
        &mut practice.store,
        &clinician(),
        draft.id,
        revision,
        &agreement(false, " "),
        today(),
    );
    let Err(PlanError::NotYetAgreed(not_yet)) = refused else {
        panic!("a new version needs a reason: {refused:?}")
    };
    assert_eq!(not_yet.missing, ["why the plan is changing (this will be a new version)"]);
    assert!(not_yet.to_confirm.is_empty(), "{not_yet:?}");
    assert_eq!(practice.store.care_plans_of(grace).unwrap().len(), 1);
    assert_eq!(audit(&practice.sandbox, "").len(), audit_before);

    // With a reason: version 2, on the same review, which stays closed as it was.
    let reason = "Grace wants to dig the allotment as well";
    let v2 = agree(
        &mut practice.store,
        &clinician(),
        draft.id,
        revision,
        &agreement(false, reason),
        today(),
    )
    .unwrap();
    assert_eq!(v2.version, 2);
    assert_ne!(v2.plan_id, v1.plan_id);
    assert_eq!(transitions(&practice, cycle), events, "an edit moves the review nowhere");
    assert_eq!(
        practice.store.cycle_of_id(cycle).unwrap().unwrap().cycle.status(),
        CycleStatus::PlanAgreed
    );
    let plans = practice.store.care_plans_of(grace).unwrap();
    let versions: Vec<u32> = plans.iter().map(|p| p.version).collect();
    assert_eq!(versions, [1, 2]);
    assert_eq!(plans[0].doc, first, "version 1 still reads as it was agreed");
    assert_eq!(plans[1].doc, second);
    assert_eq!(plans[0].change_reason, "");
    assert_eq!(plans[1].change_reason, reason);
    assert_eq!(plans[1].cycle_id, Some(cycle));
    assert_eq!(
        audited(&practice, GRACE, "careplan.agreed").last().unwrap().1,
        format!("version 2 agreed with the person; why: {reason}")
    );

    // Changes dropped: the draft is set aside (with a reason) and no version is added.
    let dropped = open_draft(&mut practice.store, &clinician(), &nhs(GRACE)).unwrap();
    assert_eq!((dropped.based_on, &dropped.doc), (Some(v2.plan_id), &second));
    assert!(set_aside(&mut practice.store, &clinician(), dropped.id, "  ").is_err());
    set_aside(&mut practice.store, &clinician(), dropped.id, "Grace changed her mind").unwrap();
    assert_eq!(practice.store.open_draft_of(grace).unwrap(), None);
    assert_eq!(practice.store.care_plans_of(grace).unwrap().len(), 2);
    assert_eq!(
        audited(&practice, GRACE, "careplan.draft_set_aside"),
        [(
            "careplan.draft_set_aside".to_string(),
            format!("draft {}: Grace changed her mind", dropped.id)
        )]
    );

    // An agreed version is never changed or deleted, even with SQL.
    let conn = rusqlite::Connection::open(practice.sandbox.db()).unwrap();
    let update = conn.execute("UPDATE care_plan SET content = '{}' WHERE id = ?1", [v1.plan_id]);
    let message = update.expect_err("an agreed plan is never changed").to_string();
    assert!(message.contains("never changed"), "{message}");
    let delete = conn.execute("DELETE FROM care_plan WHERE id = ?1", [v1.plan_id]);
    let message = delete.expect_err("an agreed plan is never deleted").to_string();
    assert!(message.contains("never deleted"), "{message}");
    let plans = practice.store.care_plans_of(grace).unwrap();
    assert_eq!((plans.len(), &plans[0].doc), (2, &first));
}

/// Piotr's first plan, agreed last year: two goals, a contingency plan, wishes for later.
fn piotrs_plan(review: NaiveDate) -> PlanDocument {
    PlanDocument {
        what_matters: "Going to the match with my son on Saturdays.".into(),
        people: "My son lives nearby and has a key.".into(),
        communication: "Phone calls in the morning are best.".into(),
        needs: vec![
            Need {
                id: 1,
                text: "Blood pressure above target".into(),
                goals: vec![goal(
                    2,
                    "Get my blood pressure down so I can stop worrying",
                    vec![action(3, "Check my blood pressure at home", me(), "twice a week")],
                )],
            },
            Need {
                id: 4,
                text: "Still smoking about 15 a day".into(),
                goals: vec![goal(
                    5,
                    "Stop smoking before my granddaughter is born",
                    vec![action(6, "Set a quit date and tell the family", me(), "by 1 February")],
                )],
            },
        ],
        contingency: Contingency {
            triggers: "A headache that will not go\nBlurred vision".into(),
            what_to_do: "Ring the surgery the same day.".into(),
            contacts: vec![],
            rescue: String::new(),
        },
        looking_ahead: LookingAhead {
            wishes: "To stay in my own home.".into(),
            ..LookingAhead::default()
        },
        review: Review { date: iso(review), who: String::new(), how: ReviewHow::Phone },
        ..PlanDocument::default()
    }
}

/// Last year's review, opened, worked through and booked for the conversation with the
/// cycle's own transitions, then its plan agreed (version 1) and the review closed. Returns
/// last year's review, the day its plan was agreed, and the plan.
fn agreed_last_year(practice: &mut Practice, who: &str) -> (i64, NaiveDate, PlanDocument) {
    let on = NaiveDate::from_ymd_opt(today().year() - 1, today().month(), 1).unwrap();
    let patient = patient_id(practice, who);
    let registered = RegistrationStatus::Registered;
    let cleared = || clearance(Vec::new()).unwrap();
    let at = |day: NaiveDate, with: &str| {
        Booking::new(day.and_hms_opt(10, 0, 0).unwrap(), with, "Riverside Surgery").unwrap()
    };
    let last_year = practice
        .store
        .write(&coordinator(), |w| -> Result<i64, StoreError> {
            let (mut cycle, opened) = Cycle::open(YearMonth::of(on), registered, on).unwrap();
            let id = w.save_transition(patient, None, &cycle, &opened)?;
            let event = cycle.book_contact1(at(on, "Jo Hart (HCA)"), registered, on).unwrap();
            w.save_transition(patient, Some(id), &cycle, &event)?;
            let event = cycle.attend_contact1(on).unwrap();
            w.save_transition(patient, Some(id), &cycle, &event)?;
            let event = cycle.complete_results(on + Days::new(5)).unwrap();
            w.save_transition(patient, Some(id), &cycle, &event)?;
            let event = cycle.triage(on + Days::new(6), &cleared()).unwrap();
            w.save_transition(patient, Some(id), &cycle, &event)?;
            let event = cycle.send_pack(on + Days::new(7), registered, &cleared()).unwrap();
            w.save_transition(patient, Some(id), &cycle, &event)?;
            let timing = PackTiming { minimum_days: 7, target_days: 14 };
            let conversation = at(on + Days::new(28), "Dr Shah");
            let (event, _) = cycle
                .book_conversation(conversation, registered, on + Days::new(8), timing)
                .unwrap();
            w.save_transition(patient, Some(id), &cycle, &event)?;
            Ok(id)
        })
        .unwrap();
    assert_eq!(practice.status(who), Some(CycleStatus::ConversationBooked), "last year's");
    let agreed_on = on + Days::new(28);
    let doc = piotrs_plan(agreed_on + Days::new(330));
    let v1 = agree_plan(practice, who, &doc, "", agreed_on).unwrap();
    assert_eq!(v1.version, 1);
    let plans = practice.store.care_plans_of(patient).unwrap();
    assert_eq!(plans[0].cycle_id, Some(last_year), "last year's plan belongs to last year");
    assert_eq!(plans[0].clinician, "Dr Shah");
    assert_eq!(practice.status(who), None, "last year's review closed with its plan");
    (last_year, agreed_on, doc)
}

/// The draft next year's conversation starts from: what Piotr said about himself and his
/// contingency plan carried over, each of his goals waiting for how it went, nothing else.
fn next_years_draft(last: &PlanDocument) -> PlanDocument {
    PlanDocument {
        what_matters: last.what_matters.clone(),
        people: last.people.clone(),
        communication: last.communication.clone(),
        contingency: last.contingency.clone(),
        looking_ahead: last.looking_ahead.clone(),
        earlier_goals: vec![
            GoalReview {
                version: 1,
                goal: 2,
                words: "Get my blood pressure down so I can stop worrying".into(),
                outcome: None,
                note: String::new(),
            },
            GoalReview {
                version: 1,
                goal: 5,
                words: "Stop smoking before my granddaughter is born".into(),
                outcome: None,
                note: String::new(),
            },
        ],
        ..PlanDocument::default()
    }
}

/// Next year's plan as the conversation leaves it: last year's goals marked with how they
/// went, a new goal, and the next review.
fn reviewed(draft: &PlanDocument) -> PlanDocument {
    let mut doc = draft.clone();
    doc.earlier_goals[0].outcome = Some(GoalOutcome::Achieved);
    doc.earlier_goals[0].note = "Readings at home are under 135/85.".into();
    doc.earlier_goals[1].outcome = Some(GoalOutcome::PartlyAchieved);
    doc.earlier_goals[1].note = "Down to five a day.".into();
    doc.needs = vec![Need {
        id: 10,
        text: "Still smoking five a day".into(),
        goals: vec![goal(
            11,
            "Stop altogether by my birthday",
            vec![action(12, "Ring the stop smoking service", me(), "this week")],
        )],
    }];
    doc.review = Review { date: in_days(365), who: String::new(), how: ReviewHow::Appointment };
    doc
}

#[test]
fn next_years_plan_starts_from_the_last_one_and_records_how_each_goal_went() {
    let mut practice = practice();
    let (last_year, agreed_on, v1) = agreed_last_year(&mut practice, PIOTR);
    let piotr = patient_id(&practice, PIOTR);
    let this_year = conversation_booked(&mut practice, PIOTR);
    assert_ne!(this_year, last_year);

    let draft = open_draft(&mut practice.store, &clinician(), &nhs(PIOTR)).unwrap();
    assert_eq!(draft.cycle_id, Some(this_year), "the plan for this year's review");
    assert_eq!(draft.based_on, None, "a review's plan, not an edit of last year's");
    assert_eq!(draft.doc, next_years_draft(&v1));
    assert!(draft.doc.needs.is_empty() && draft.doc.support.is_empty());
    assert!(draft.doc.earlier_goals.iter().all(|g| g.outcome.is_none()));
    assert_eq!(
        audited(&practice, PIOTR, "careplan.draft_started").last().unwrap().1,
        format!("draft {}: the plan for this review, starting from version 1", draft.id)
    );

    let doc = reviewed(&draft.doc);
    let revision =
        save_draft(&mut practice.store, &clinician(), draft.id, draft.revision, &doc).unwrap();
    let agreed = agree(
        &mut practice.store,
        &clinician(),
        draft.id,
        revision,
        &agreement(false, "This year's review"),
        today(),
    )
    .unwrap();
    assert_eq!(agreed.version, 2);

    let plans = practice.store.care_plans_of(piotr).unwrap();
    assert_eq!(plans.len(), 2);
    assert_eq!(plans[0].doc, v1, "last year's plan is untouched");
    assert_eq!(plans[0].cycle_id, Some(last_year));
    assert_eq!(plans[1].doc, doc, "how each goal went is kept with this year's plan");
    assert_eq!(plans[1].cycle_id, Some(this_year));
    let outcomes: Vec<Option<GoalOutcome>> =
        plans[1].doc.earlier_goals.iter().map(|g| g.outcome).collect();
    assert_eq!(outcomes, [Some(GoalOutcome::Achieved), Some(GoalOutcome::PartlyAchieved)]);
    assert_eq!(
        practice.store.cycle_of_id(this_year).unwrap().unwrap().cycle.status(),
        CycleStatus::PlanAgreed,
        "this year's conversation held and its review closed"
    );
    let last = practice.store.cycle_of_id(last_year).unwrap().unwrap();
    assert_eq!(last.cycle.status(), CycleStatus::PlanAgreed);
    assert_eq!(last.cycle.closure().map(|c| c.on), Some(agreed_on), "as it closed last year");
    assert_eq!(practice.store.open_draft_of(piotr).unwrap(), None);
}

#[test]
fn next_years_plan_is_agreed_at_the_review_without_asking_why_the_plan_changed() {
    // A review's plan is the next version because last year's exists, but nothing is being
    // changed: `agree` records it as "agreed at the review" when no reason is given.
    let mut practice = practice();
    agreed_last_year(&mut practice, PIOTR);
    let this_year = conversation_booked(&mut practice, PIOTR);
    let draft = open_draft(&mut practice.store, &clinician(), &nhs(PIOTR)).unwrap();
    let doc = reviewed(&draft.doc);
    let revision =
        save_draft(&mut practice.store, &clinician(), draft.id, draft.revision, &doc).unwrap();
    let agreed = agree(
        &mut practice.store,
        &clinician(),
        draft.id,
        revision,
        &agreement(false, ""),
        today(),
    );
    let agreed = agreed.unwrap_or_else(|e| {
        panic!("next year's plan is agreed at its review without a reason for a change: {e}")
    });
    assert_eq!(agreed.version, 2);
    let plans = practice.store.care_plans_of(patient_id(&practice, PIOTR)).unwrap();
    assert_eq!(plans[1].change_reason, "agreed at the review");
    assert_eq!(plans[1].cycle_id, Some(this_year));
}

#[test]
fn declining_closes_the_review_with_the_reason_and_nothing_is_recorded_for_who_left_or_died() {
    let mut practice = practice();
    let cycle = conversation_booked(&mut practice, IMRAN);
    let imran = patient_id(&practice, IMRAN);
    let draft = open_draft(&mut practice.store, &clinician(), &nhs(IMRAN)).unwrap();
    let typed = PlanDocument { agenda: vec!["My knees".into()], ..PlanDocument::default() };
    save_draft(&mut practice.store, &clinician(), draft.id, draft.revision, &typed).unwrap();

    let reason = "Managing well and would rather not make a plan this year";
    decline(&mut practice.store, &clinician(), &nhs(IMRAN), reason, today()).unwrap();
    let record = practice.store.cycle_of_id(cycle).unwrap().unwrap();
    assert_eq!(record.cycle.status().code(), "declined");
    let closure = record.cycle.closure().expect("closed");
    assert_eq!((closure.on, closure.note.as_str()), (today(), reason));
    assert_eq!(transitions(&practice, cycle).last().unwrap(), "decline");
    let conn = rusqlite::Connection::open(practice.sandbox.db()).unwrap();
    let (status, note): (String, String) = conn
        .query_row("SELECT status, closing_note FROM cycle WHERE id = ?1", [cycle], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((status.as_str(), note.as_str()), ("declined", reason));

    // The plan being typed is set aside, kept, and no plan is agreed.
    assert_eq!(practice.store.open_draft_of(imran).unwrap(), None);
    let kept = practice.store.care_plan_draft(draft.id).unwrap().expect("kept");
    assert_eq!(kept.doc, typed);
    let set_aside_at: Option<String> = conn
        .query_row("SELECT set_aside_at FROM care_plan_draft WHERE id = ?1", [draft.id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(set_aside_at.is_some(), "the draft is closed as set aside");
    assert!(practice.store.care_plans_of(imran).unwrap().is_empty());
    assert_eq!(
        audited(&practice, IMRAN, "careplan.draft_set_aside"),
        [(
            "careplan.draft_set_aside".to_string(),
            format!("draft {}: the person declined the conversation", draft.id)
        )]
    );
    let again = decline(&mut practice.store, &clinician(), &nhs(IMRAN), reason, today());
    assert!(
        matches!(&again, Err(PlanError::Refused(m)) if m.contains("no open review")),
        "{again:?}"
    );

    // Nobody who left or died has a plan opened, and nothing is written.
    let before = (audit(&practice.sandbox, "").len(), count(&practice, "care_plan_draft"));
    for (who, name, words) in
        [(EVE, "Eve Ellis", "has left the practice"), (FAY, "Fay Ford", "has died")]
    {
        let refused = open_draft(&mut practice.store, &clinician(), &nhs(who));
        let Err(PlanError::Refused(message)) = refused else {
            panic!("{name}: opening a plan is refused: {refused:?}")
        };
        assert!(message.contains(name) && message.contains(words), "{message}");
        let refused = decline(&mut practice.store, &clinician(), &nhs(who), "", today());
        assert!(refused.is_err(), "{name}: nothing to decline");
    }
    let after = (audit(&practice.sandbox, "").len(), count(&practice, "care_plan_draft"));
    assert_eq!(after, before, "nothing is written for them");
    let stranger = open_draft(&mut practice.store, &clinician(), &nhs("9434765919"));
    assert!(matches!(stranger, Err(PlanError::NotFound(_))), "{stranger:?}");
}

#[test]
fn a_plan_being_written_when_the_person_dies_can_no_longer_be_saved_or_agreed() {
    let mut practice = practice();
    conversation_booked(&mut practice, SIAN);
    let draft = open_draft(&mut practice.store, &clinician(), &nhs(SIAN)).unwrap();
    let revision =
        save_draft(&mut practice.store, &clinician(), draft.id, draft.revision, &graces_plan())
            .unwrap();

    // The clinical system's next register file says she has died.
    let died = REGISTER.replace(
        "9990000077,Evans,Sian,1966-01-30,38341003,8 Mill Lane,Ashby Marsh,AM1 1AB,,registered",
        "9990000077,Evans,Sian,1966-01-30,38341003,8 Mill Lane,Ashby Marsh,AM1 1AB,,deceased",
    );
    let file = RegisterFile::read(died.as_bytes()).unwrap();
    import_register(
        &mut practice.store,
        &coordinator(),
        &practice.catalogue,
        today(),
        &file,
        "register.csv",
        false,
    )
    .unwrap();
    assert_eq!(practice.status(SIAN), None, "her review closed when the file said she died");

    let before = audit(&practice.sandbox, "").len();
    let reopened = open_draft(&mut practice.store, &clinician(), &nhs(SIAN));
    assert!(
        matches!(&reopened, Err(PlanError::Refused(m)) if m.contains("has died")),
        "a plan is not opened for someone who died, even one begun before: {reopened:?}"
    );
    let saved =
        save_draft(&mut practice.store, &clinician(), draft.id, revision, &PlanDocument::default());
    assert!(saved.is_err(), "nothing is saved for someone who died: {saved:?}");
    let agreed = agree(
        &mut practice.store,
        &clinician(),
        draft.id,
        revision,
        &agreement(false, ""),
        today(),
    );
    assert!(matches!(&agreed, Err(PlanError::Refused(m)) if m.contains("has died")), "{agreed:?}");
    assert_eq!(audit(&practice.sandbox, "").len(), before, "nothing is written");
    let kept = practice.store.care_plan_draft(draft.id).unwrap().unwrap();
    assert_eq!((kept.revision, kept.doc), (revision, graces_plan()));
    assert!(practice.store.care_plans_of(patient_id(&practice, SIAN)).unwrap().is_empty());
}

/// The demonstration directory imported into the practice's database.
fn import_demo_directory(practice: &mut Practice) -> Vec<StoredService> {
    let bytes = std::fs::read(DIRECTORY_CSV).unwrap();
    let report =
        import_directory(&mut practice.store, &coordinator(), &bytes, today(), false).unwrap();
    assert_eq!(report.added.len(), 24);
    practice.store.directory(false).unwrap()
}

/// The text of a PDF, spaces and line breaks collapsed.
fn pdf_text(path: &std::path::Path) -> String {
    flat(&poppler("pdftotext", &["-raw"], path))
}

#[test]
fn the_printed_plan_is_in_the_persons_words_with_who_helps_and_what_to_do_if_worse() {
    let mut practice = practice();
    let directory = import_demo_directory(&mut practice);
    let strollers =
        directory.iter().find(|s| s.service.name == "Ashby Marsh Strollers").expect("listed");
    assert_eq!(strollers.service.phone, "0113 496 0112");

    // Grace: version 1, then version 2 with a new goal. Lara, who needs large print: one plan.
    conversation_booked(&mut practice, GRACE);
    let mut first = graces_plan();
    first.support =
        vec![action(7, "Join the Wednesday walk", from_directory(strollers), "from next week")];
    agree_plan(&mut practice, GRACE, &first, "", today()).unwrap();
    let mut second = first.clone();
    second.needs[0].goals[0].words = GRACES_LATER_GOAL.into();
    assert_eq!(
        agree_plan(&mut practice, GRACE, &second, "A new goal", today()).unwrap().version,
        2
    );
    conversation_booked(&mut practice, LARA);
    agree_plan(&mut practice, LARA, &first, "", today()).unwrap();
    let sandbox = &practice.sandbox;

    let out = sandbox.path("grace.pdf");
    let printed = sandbox
        .alongside(&["careplan", "pdf", GRACE, "--out", out.to_str().unwrap()])
        .expect_code(0)
        .json();
    assert_eq!(
        printed,
        json!({"file": out.display().to_string(), "version": 2, "large_print": false})
    );
    let text = pdf_text(&out);
    for expected in [
        "My care and support plan".to_string(),
        "Grace Okafor".into(),
        "NHS number: 999 000 0018".into(),
        "What matters to me".into(),
        WHAT_MATTERS.into(),
        "My goals".into(),
        GRACES_LATER_GOAL.into(),
        "What I will do".into(),
        format!("{HER_ACTION}: every morning"),
        "Who will help".into(),
        "Nurse J Okoye (Practice nurse): Check my breathing and my inhaler: in January".into(),
        "Services and groups that can help me".into(),
        "Ashby Marsh Strollers: Join the Wednesday walk: from next week".into(),
        "phone 0113 496 0112".into(),
        "If I feel worse".into(),
        "Breathless when sitting still".into(),
        "Use my blue inhaler and sit upright.".into(),
        "NHS 111 (when the surgery is closed): 111".into(),
        "When we will look at this again".into(),
        format!(
            "We will look at this plan again on {}, by an appointment at the practice, with \
             Nurse J Okoye.",
            format_date(today() + Days::new(180))
        ),
        "I can contact Riverside Surgery on 0113 496 0000".into(),
        format!("Plan version 2, agreed on {}.", format_date(today())),
    ] {
        assert!(text.contains(&expected), "the printed plan has '{expected}':\n{text}");
    }
    assert!(!text.contains(GRACES_GOAL), "version 1's goal is not in version 2:\n{text}");
    assert!(!text.contains("Lara"), "nobody else is in Grace's plan");
    assert_eq!(
        audited(&practice, GRACE, "careplan.printed"),
        [("careplan.printed".to_string(), format!("version 2 written to {}", out.display()))]
    );

    // The earlier version, asked for by number, has its own words.
    let earlier = sandbox.path("grace-v1.pdf");
    let printed = sandbox
        .alongside(&[
            "careplan",
            "pdf",
            GRACE,
            "--out",
            earlier.to_str().unwrap(),
            "--version",
            "1",
        ])
        .expect_code(0)
        .json();
    assert_eq!(printed["version"], 1);
    let text = pdf_text(&earlier);
    assert!(text.contains(GRACES_GOAL), "{text}");
    assert!(!text.contains(GRACES_LATER_GOAL), "version 2's goal is not in version 1:\n{text}");
    assert!(text.contains(&format!("Plan version 1, agreed on {}.", format_date(today()))));
    let missing = sandbox
        .alongside(&[
            "careplan",
            "pdf",
            GRACE,
            "--out",
            earlier.to_str().unwrap(),
            "--version",
            "3",
        ])
        .expect_code(1);
    assert!(
        missing.stderr.contains("Grace Okafor has no care and support plan version 3"),
        "{}",
        missing.stderr
    );

    // Large print for Lara: at least 16 point, where Grace's is standard print.
    let large = sandbox.path("lara.pdf");
    let printed = sandbox
        .alongside(&["careplan", "pdf", LARA, "--out", large.to_str().unwrap()])
        .expect_code(0)
        .json();
    assert_eq!((&printed["version"], &printed["large_print"]), (&json!(1), &json!(true)));
    let size = |path: &std::path::Path| {
        let bbox = poppler("pdftotext", &["-bbox-layout"], path);
        let pages = bbox.matches("<page ").count();
        median_text_size(&bbox, 1, pages)
    };
    let (lara, grace) = (size(&large), size(&out));
    assert!(lara >= 15.9, "large print body text: {lara} pt");
    assert!(grace < 12.0, "standard print: {grace} pt");
    assert!(pdf_text(&large).contains(WHAT_MATTERS), "Lara's plan says the same");

    // No plan, a bad NHS number, nobody with that number.
    let none = sandbox.path("piotr.pdf");
    let refused = sandbox
        .alongside(&["careplan", "pdf", PIOTR, "--out", none.to_str().unwrap()])
        .expect_code(1);
    assert!(
        refused.stderr.contains("Piotr Nowak has no agreed care and support plan"),
        "{}",
        refused.stderr
    );
    assert!(!none.exists(), "no file is written when there is no plan");
    let bad = sandbox
        .alongside(&["careplan", "pdf", "123", "--out", none.to_str().unwrap()])
        .expect_code(2);
    assert!(bad.stderr.contains("10 digits"), "{}", bad.stderr);
    let stranger = sandbox
        .alongside(&["careplan", "pdf", "9434765919", "--out", none.to_str().unwrap()])
        .expect_code(2);
    assert!(stranger.stderr.contains("there is nobody with NHS number"), "{}", stranger.stderr);
    assert!(!none.exists());
}

/// The services `directory list` prints, without their ids (which differ between databases).
fn listed(sandbox: &Sandbox, args: &[&str]) -> Vec<Json> {
    let mut command = vec!["directory", "list"];
    command.extend_from_slice(args);
    let list = sandbox.alongside(&command).expect_code(0).json();
    list.as_array()
        .expect("a JSON array")
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.as_object_mut().unwrap().remove("id");
            s
        })
        .collect()
}

fn names(list: &[Json]) -> Vec<String> {
    list.iter().map(|s| s["name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_directory_file_imports_whole_or_not_at_all_exports_for_excel_and_retired_services_stay() {
    let sandbox = Sandbox::new();
    let import = |sandbox: &Sandbox, file: &str, extra: &[&str]| {
        let mut args = vec!["directory", "import", file];
        args.extend_from_slice(extra);
        sandbox.alongside(&args)
    };

    // The demonstration directory into a new database.
    let report = import(&sandbox, DIRECTORY_CSV, &[]).expect_code(0).json();
    assert_eq!(report["added"].as_array().unwrap().len(), 24, "{report}");
    assert_eq!((&report["updated"], &report["unchanged"]), (&json!([]), &json!(0)));
    let services = listed(&sandbox, &[]);
    assert_eq!(services.len(), 24);
    let mut sorted = names(&services);
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names(&services), sorted, "in name order");
    let strollers = services.iter().find(|s| s["name"] == "Ashby Marsh Strollers").unwrap();
    assert_eq!(
        strollers,
        &json!({
            "name": "Ashby Marsh Strollers",
            "category": "physical_activity",
            "offers": "Free 45-minute guided walks on flat paths along the river, with a stop for tea at the end. Walk leaders go at the pace of the slowest walker.",
            "for_whom": "Anyone who wants to get a little more active, especially people who have not exercised for a while.",
            "access": ["self_referral", "social_prescriber"],
            "phone": "0113 496 0112",
            "email": "hello@ashbymarshwalks.example",
            "website": "www.ashbymarshwalks.example",
            "address": "Meet outside Ashby Marsh Library, 3 Market Square, Ashby Marsh, AM1 2HL",
            "opening_times": "Wednesdays and Saturdays 10am",
            "cost": "Free",
            "accessibility": "Flat, surfaced paths with benches along the way; not suitable for wheelchairs in wet weather.",
            "last_checked": "2026-09-14",
            "retired": false,
        })
    );

    // The same file again changes nothing.
    let again = import(&sandbox, DIRECTORY_CSV, &[]).expect_code(0).json();
    assert_eq!(
        (&again["added"], &again["updated"], &again["unchanged"]),
        (&json!([]), &json!([]), &json!(24))
    );

    // A file with a new service, a changed one and two bad rows imports nothing at all, and
    // names both bad rows by their line.
    let original = std::fs::read_to_string(DIRECTORY_CSV).unwrap();
    let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
    assert!(lines[2].starts_with("Ashby Marsh Strollers,Physical activity,"), "{}", lines[2]);
    lines[2] = lines[2].replace("0113 496 0112", "0113 496 0999");
    assert!(lines[3].starts_with("Steady Steps"), "{}", lines[3]);
    lines[3] = lines[3].replacen(",Physical activity,", ",Gym and swim,", 1);
    assert!(lines[5].starts_with("Fresh Start") && lines[5].ends_with(",2026-09-30"));
    lines[5] = lines[5].replace(",2026-09-30", ",30/09/2026");
    lines.push(
        "Lowfold Knit and Natter,Social groups and loneliness,,,,0113 496 0300,,,,,,,".into(),
    );
    let bad = sandbox.write("bad.csv", lines.join("\n") + "\n");
    let before = listed(&sandbox, &["--retired"]);
    let refused = import(&sandbox, bad.to_str().unwrap(), &[]).expect_code(2);
    assert!(refused.stderr.contains("2 row(s) need correcting"), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("line 4: Steady Steps Strength and Balance: the category 'Gym and swim'"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("line 6: Fresh Start Weight Management Programme: last checked '30/09/2026' is not a date"),
        "{}",
        refused.stderr
    );
    assert_eq!(refused.stderr.matches("line ").count(), 2, "{}", refused.stderr);
    assert_eq!(listed(&sandbox, &["--retired"]), before, "nothing was imported");

    // A dry run of a good file says what would change and changes nothing.
    lines[3] = original.lines().nth(3).unwrap().to_string();
    lines[5] = original.lines().nth(5).unwrap().to_string();
    let good = sandbox.write("good.csv", lines.join("\n") + "\n");
    let dry = import(&sandbox, good.to_str().unwrap(), &["--dry-run"]).expect_code(0).json();
    assert_eq!(dry["added"], json!(["Lowfold Knit and Natter"]));
    assert_eq!(dry["updated"], json!(["Ashby Marsh Strollers"]));
    assert_eq!(dry["unchanged"], 23);
    assert_eq!(listed(&sandbox, &["--retired"]), before, "a dry run writes nothing");

    // Exported for Excel: UTF-8 with a byte-order mark, and it imports back unchanged.
    let out = sandbox.path("directory.csv");
    let exported = sandbox
        .alongside(&["directory", "export", "--out", out.to_str().unwrap()])
        .expect_code(0)
        .json();
    assert_eq!(exported, json!({"file": out.display().to_string(), "services": 24}));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "starts with the byte-order mark");
    assert!(
        bytes[3..].starts_with(
            b"name,category,offers,for_whom,access,phone,email,website,address,opening_times,cost,accessibility,last_checked"
        ),
        "{}",
        String::from_utf8_lossy(&bytes[..200])
    );
    let back = import(&sandbox, out.to_str().unwrap(), &[]).expect_code(0).json();
    assert_eq!(
        (&back["added"], &back["updated"], &back["unchanged"]),
        (&json!([]), &json!([]), &json!(24))
    );
    let elsewhere = Sandbox::new();
    import(&elsewhere, out.to_str().unwrap(), &[]).expect_code(0);
    assert_eq!(listed(&elsewhere, &[]), listed(&sandbox, &[]), "another practice reads the same");

    // Retired: gone from the list in use, kept with --retired, never deleted.
    let id = {
        let mut store = Store::open(&sandbox.db()).unwrap();
        let lunch = store
            .directory(false)
            .unwrap()
            .into_iter()
            .find(|s| s.service.name == "St Anne's Lunch Club")
            .unwrap();
        retire_service(&mut store, &coordinator(), lunch.id).unwrap();
        assert!(retire_service(&mut store, &coordinator(), lunch.id).is_err(), "retired once");
        lunch.id
    };
    let in_use = listed(&sandbox, &[]);
    assert_eq!(in_use.len(), 23);
    assert!(!names(&in_use).contains(&"St Anne's Lunch Club".to_string()));
    let all = listed(&sandbox, &["--retired"]);
    assert_eq!(all.len(), 24);
    let retired: Vec<&Json> = all.iter().filter(|s| s["retired"] == true).collect();
    assert_eq!(retired.len(), 1);
    assert_eq!(retired[0]["name"], "St Anne's Lunch Club");
    let exported = sandbox
        .alongside(&["directory", "export", "--out", out.to_str().unwrap()])
        .expect_code(0)
        .json();
    assert_eq!(exported["services"], 23, "only the services in use are shared");
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let delete = conn.execute("DELETE FROM directory_service WHERE id = ?1", [id]);
    let message = delete.expect_err("a service is never deleted").to_string();
    assert!(message.contains("never deleted"), "{message}");
    assert_eq!(listed(&sandbox, &["--retired"]).len(), 24);
}

#[test]
fn the_demo_practice_has_agreed_plans_later_versions_drafts_and_a_directory() {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    sandbox.alongside_plain(&["demo", "--create", db.to_str().unwrap()]).expect_code(0);
    assert_eq!(listed(&sandbox, &[]).len(), 24, "the demonstration directory");

    let conn = rusqlite::Connection::open(&db).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT p.patient_id, p.version, p.content, c.status, p.agreed_on,
                    p.representative_name, p.representative_relationship,
                    p.no_contingency_confirmed, p.change_reason
             FROM care_plan p JOIN cycle c ON c.id = p.cycle_id ORDER BY p.patient_id, p.version",
        )
        .unwrap();
    let mut agreements = Vec::new();
    let plans: Vec<(i64, u32, String, String)> = statement
        .query_map([], |r| {
            let name: String = r.get(5)?;
            let with = if name.is_empty() {
                AgreedWith::Person
            } else {
                AgreedWith::Representative { name, relationship: r.get(6)? }
            };
            let agreement =
                Agreement { with, no_contingency_confirmed: r.get(7)?, reason: r.get(8)? };
            agreements.push((r.get::<_, String>(4)?, agreement));
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let all: i64 = conn.query_row("SELECT count(*) FROM care_plan", [], |r| r.get(0)).unwrap();
    assert_eq!(all as usize, plans.len(), "every demo plan belongs to a review");
    let people: BTreeSet<i64> = plans.iter().map(|p| p.0).collect();
    assert!(people.len() >= 10, "people with agreed plans: {}", people.len());
    let services: BTreeSet<i64> = conn
        .prepare("SELECT id FROM directory_service")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut reviewed = 0;
    for ((patient, version, content, status), (agreed_on, agreement)) in
        plans.iter().zip(&agreements)
    {
        assert_eq!(status, "plan_agreed", "person {patient} version {version}");
        let doc = PlanDocument::from_json(content)
            .unwrap_or_else(|e| panic!("person {patient} version {version}: {e}"));
        assert!(doc.problems().is_empty(), "person {patient} version {version}");
        // Each demo plan is one the app itself would have let the clinician agree.
        let agreed_on = NaiveDate::parse_from_str(agreed_on, "%Y-%m-%d").unwrap();
        let earlier = (*version > 1).then(|| version - 1);
        assert_eq!(
            check_agreement(&doc, agreement, earlier, agreed_on),
            Ok(*version),
            "person {patient} version {version}"
        );
        assert!(doc.services().is_subset(&services), "the directory services it names exist");
        if *version >= 2 {
            assert!(!doc.earlier_goals.is_empty(), "person {patient} version {version}");
            assert!(doc.earlier_goals.iter().all(|g| g.outcome.is_some()), "each goal reviewed");
            reviewed += 1;
        }
    }
    assert!(reviewed > 0, "some people have a version 2 reviewing last year's goals");
    let without_plan: i64 = conn
        .query_row(
            "SELECT count(*) FROM cycle c WHERE c.status = 'plan_agreed'
             AND NOT EXISTS (SELECT 1 FROM care_plan p WHERE p.cycle_id = c.id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(without_plan, 0, "every review closed with a plan agreed has its plan");
    let drafts: Vec<String> = conn
        .prepare(
            "SELECT c.status FROM care_plan_draft d JOIN cycle c ON c.id = d.cycle_id
             WHERE d.agreed_as IS NULL AND d.set_aside_at IS NULL",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!drafts.is_empty(), "some conversations have a plan in draft");
    for status in &drafts {
        assert!(
            ["conversation_booked", "conversation_held"].contains(&status.as_str()),
            "a draft for a review at {status}"
        );
    }

    // One of them printed through the binary.
    let (patient, version) = plans.iter().map(|p| (p.0, p.1)).next_back().unwrap();
    let number: String = conn
        .query_row("SELECT nhs_number FROM patient WHERE id = ?1", [patient], |r| r.get(0))
        .unwrap();
    let out = sandbox.path("plan.pdf");
    let printed = sandbox
        .alongside(&["careplan", "pdf", &number, "--out", out.to_str().unwrap()])
        .expect_code(0)
        .json();
    assert_eq!(printed["version"], version);
    assert!(pdf_text(&out).contains("My care and support plan"));
}
