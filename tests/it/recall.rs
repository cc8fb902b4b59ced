//! The recall list and the cycle over a real database: next steps, actions that are refused
//! and write nothing, people who die or leave, invitations recorded only when printing is
//! confirmed, the cohort, and a demonstration practice with every state.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::json;

use alongside::domain::calendar::YearMonth;
use alongside::domain::cycle::{Booking, CycleStatus};
use alongside::domain::nhs_number::NhsNumber;
use alongside::domain::practice::{Cohort, PracticeSettings};
use alongside::domain::recall::{ContactAttempt, ContactMethod, ContactOutcome, RecallStep};
use alongside::exchange::recall::{
    act_on_review, cancel_batch, confirm_batch, prepare_invitations, recall_list, record_prepared,
    ActionError, PreparedInvitations, ReviewAction,
};
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::store::{Actor, Store};

use super::support::{catalogue, fill_in_letterhead, Sandbox};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn march() -> YearMonth {
    YearMonth::new(2027, 3).unwrap()
}

/// Six people whose reviews fall in March: four registered, one who left, one who died.
const MARCH_REGISTER: &str = "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,postcode,status,communication_needs\n\
    9990000018,Adams,Amy,1950-03-02,44054006,1 Mill Lane,AM1 1AB,registered,large_print\n\
    9990000026,Brown,Bill,1951-03-12,195967001,2 Mill Lane,AM1 1AB,registered,\n\
    9990000034,Clark,Cat,1952-03-22,38341003;44054006,3 Mill Lane,AM1 1AB,registered,\n\
    9990000042,Dunn,Dev,1953-03-30,13645005,4 Mill Lane,AM1 1AB,registered,\n\
    9990000050,Ellis,Eve,1954-03-01,44054006,5 Mill Lane,AM1 1AB,left,\n\
    9990000069,Ford,Fay,1955-03-05,44054006,6 Mill Lane,AM1 1AB,deceased,\n";

fn practice(sandbox: &Sandbox) -> Store {
    let mut store = Store::open(&sandbox.db()).unwrap();
    import(&mut store, MARCH_REGISTER, day(2027, 2, 1));
    fill_in_letterhead(&mut store);
    store
}

fn import(store: &mut Store, text: &str, today: NaiveDate) {
    let file = RegisterFile::read(text.as_bytes()).unwrap();
    import_register(store, &Actor::new("test"), &catalogue(), today, &file, "register.csv", false)
        .unwrap();
}

fn nhs(text: &str) -> NhsNumber {
    NhsNumber::parse(text).unwrap()
}

fn act(
    store: &mut Store,
    who: &str,
    action: ReviewAction,
    today: NaiveDate,
) -> Result<Vec<String>, ActionError> {
    let settings = PracticeSettings::starting();
    act_on_review(store, &Actor::new("coordinator"), &settings, &nhs(who), march(), action, today)
}

fn steps(store: &Store, today: NaiveDate) -> Vec<(String, RecallStep)> {
    recall_list(store, &PracticeSettings::starting(), march(), today)
        .unwrap()
        .into_iter()
        .map(|l| (l.entry.patient.details.name.family().to_string(), l.step))
        .collect()
}

/// March's letters due on `today`, in one PDF; nothing recorded yet.
fn prepare(store: &Store, today: NaiveDate) -> PreparedInvitations {
    let texts = alongside::assets::invitation_texts().unwrap();
    let created = today.and_hms_opt(9, 0, 0).unwrap();
    prepare_invitations(store, &catalogue(), &texts, march(), today, created).unwrap()
}

/// Prepares the month's letters and confirms they printed, on `today`.
fn send_invitations(store: &mut Store, today: NaiveDate) -> usize {
    let prepared = prepare(store, today);
    let batch =
        record_prepared(store, &Actor::new("coordinator"), &prepared, "letters.pdf").unwrap();
    confirm_batch(store, &Actor::new("coordinator"), batch, today).unwrap().recorded
}

fn booking(on: NaiveDate) -> Booking {
    Booking::new(on.and_hms_opt(10, 0, 0).unwrap(), "Jo Hart (HCA)", "Riverside Surgery").unwrap()
}

#[test]
fn the_list_gives_each_person_their_next_step() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    assert_eq!(
        steps(&store, day(2027, 3, 1)),
        [
            ("Adams".into(), RecallStep::FirstInvitation),
            ("Brown".into(), RecallStep::FirstInvitation),
            ("Clark".into(), RecallStep::FirstInvitation),
            ("Dunn".into(), RecallStep::FirstInvitation),
        ],
        "people who left or died never appear as due"
    );
    assert_eq!(send_invitations(&mut store, day(2027, 3, 1)), 4);
    act(
        &mut store,
        "9990000026",
        ReviewAction::BookContact1(booking(day(2027, 3, 20))),
        day(2027, 3, 8),
    )
    .unwrap();
    let attempt = ContactAttempt::new(
        day(2027, 3, 10),
        ContactMethod::Phone,
        ContactOutcome::NoAnswer,
        "",
        day(2027, 3, 10),
    )
    .unwrap();
    act(&mut store, "9990000034", ReviewAction::LogContact(attempt), day(2027, 3, 10)).unwrap();
    act(
        &mut store,
        "9990000042",
        ReviewAction::Decline("prefers the respiratory clinic".into()),
        day(2027, 3, 10),
    )
    .unwrap();
    assert_eq!(
        steps(&store, day(2027, 3, 10)),
        [
            ("Adams".into(), RecallStep::AwaitingReply { reminder_from: day(2027, 3, 15) }),
            ("Brown".into(), RecallStep::Booked),
            ("Clark".into(), RecallStep::AwaitingReply { reminder_from: day(2027, 3, 15) }),
            ("Dunn".into(), RecallStep::Closed),
        ]
    );
    assert_eq!(
        send_invitations(&mut store, day(2027, 3, 10)),
        0,
        "no reminder before the interval"
    );
    assert_eq!(
        send_invitations(&mut store, day(2027, 3, 15)),
        2,
        "Adams and Clark get a second invitation"
    );
    let list =
        recall_list(&store, &PracticeSettings::starting(), march(), day(2027, 3, 29)).unwrap();
    let clark = list.iter().find(|l| l.entry.patient.details.name.family() == "Clark").unwrap();
    assert_eq!(clark.step, RecallStep::ThirdInvitation);
    assert!(clark.no_response_adjustment, "two invitations a week apart and no reply");
    assert_eq!(
        clark.entry.last_attempt.as_ref().unwrap().attempt.outcome,
        ContactOutcome::NoAnswer,
        "the last attempt shows"
    );
}

#[test]
fn a_refused_action_writes_nothing() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let audit = |sandbox: &Sandbox| -> i64 {
        rusqlite::Connection::open(sandbox.db())
            .unwrap()
            .query_row("SELECT count(*) FROM audit_event", [], |r| r.get(0))
            .unwrap()
    };
    let before = audit(&sandbox);
    let refused = act(
        &mut store,
        "9990000018",
        ReviewAction::BookConversation(booking(day(2027, 4, 1))),
        day(2027, 3, 2),
    );
    match refused {
        Err(ActionError::Refused(message)) => assert_eq!(
            message,
            "contact 2 (the care and support planning conversation) can be booked only after contact 1 has been attended"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(audit(&sandbox), before, "not even the opening of the review was kept");
    assert!(store.cycle_of(1, 2027).unwrap().is_none());
    let left = act(
        &mut store,
        "9990000050",
        ReviewAction::BookContact1(booking(day(2027, 3, 9))),
        day(2027, 3, 2),
    );
    assert!(matches!(left, Err(ActionError::Refused(m)) if m.contains("has left the practice")));
    let nobody =
        act(&mut store, "9434765919", ReviewAction::Decline(String::new()), day(2027, 3, 2));
    assert!(matches!(nobody, Err(ActionError::NotFound(_))));
}

#[test]
fn someone_who_dies_has_their_review_closed_and_is_never_invited() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    send_invitations(&mut store, day(2027, 3, 1));
    let died = MARCH_REGISTER.replace(
        "9990000018,Adams,Amy,1950-03-02,44054006,1 Mill Lane,AM1 1AB,registered",
        "9990000018,Adams,Amy,1950-03-02,44054006,1 Mill Lane,AM1 1AB,deceased",
    );
    import(&mut store, &died, day(2027, 3, 9));
    let cycle = store.cycle_of(1, 2027).unwrap().unwrap();
    assert_eq!(cycle.cycle.status(), CycleStatus::Died, "the open review closed with the reason");
    let prepared = prepare(&store, day(2027, 3, 20));
    assert_eq!(prepared.items.len(), 3, "Brown, Clark and Dunn get reminders; Adams gets nothing");
    assert!(prepared.items.iter().all(|i| i.patient_id != 1));
    let next_year = recall_list(
        &store,
        &PracticeSettings::starting(),
        YearMonth::new(2028, 3).unwrap(),
        day(2028, 3, 1),
    )
    .unwrap();
    assert!(
        next_year.iter().all(|l| l.entry.patient.details.name.family() != "Adams"),
        "never due again"
    );
    let history = store.cycle_history(cycle.id).unwrap();
    assert_eq!(history.last().unwrap().detail, "closed: died");
}

#[test]
fn invitations_count_as_sent_only_when_printing_is_confirmed() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let today = day(2027, 3, 1);
    let actor = Actor::new("coordinator");
    let prepared = prepare(&store, today);
    let batch = record_prepared(&mut store, &actor, &prepared, "/tmp/letters.pdf").unwrap();
    assert!(
        steps(&store, today).iter().all(|(_, s)| *s == RecallStep::FirstInvitation),
        "preparing records nothing"
    );
    cancel_batch(&mut store, &actor, batch).unwrap();
    assert!(
        steps(&store, today).iter().all(|(_, s)| *s == RecallStep::FirstInvitation),
        "cancelling records nothing"
    );
    assert!(
        confirm_batch(&mut store, &actor, batch, today).is_err(),
        "a cancelled batch cannot be confirmed"
    );

    let prepared = prepare(&store, today);
    let batch = record_prepared(&mut store, &actor, &prepared, "/tmp/letters.pdf").unwrap();
    let confirmed = confirm_batch(&mut store, &actor, batch, today).unwrap();
    assert_eq!((confirmed.recorded, confirmed.refused.len()), (4, 0));
    assert!(confirm_batch(&mut store, &actor, batch, today).is_err(), "a batch is confirmed once");
    let cycle = store.cycle_of(1, 2027).unwrap().unwrap();
    assert_eq!(cycle.cycle.invitations()[0].sent_on, today);
    let linked: i64 = rusqlite::Connection::open(sandbox.db())
        .unwrap()
        .query_row("SELECT count(*) FROM invitation WHERE batch_id = ?1", [batch], |r| r.get(0))
        .unwrap();
    assert_eq!(linked, 4, "each invitation knows the batch it was printed in");
}

#[test]
fn the_cohort_chooses_who_is_recalled() {
    let sandbox = Sandbox::new();
    let store = practice(&sandbox);
    let settings = PracticeSettings {
        cohort: Cohort::Conditions(vec!["type-2-diabetes".into()]),
        ..PracticeSettings::starting()
    };
    let names: Vec<String> = recall_list(&store, &settings, march(), day(2027, 3, 1))
        .unwrap()
        .into_iter()
        .map(|l| l.entry.patient.details.name.family().to_string())
        .collect();
    assert_eq!(
        names,
        ["Adams", "Clark"],
        "only people with diabetes while the practice starts with diabetes"
    );
}

#[test]
fn the_demonstration_practice_has_people_at_every_state() {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    let today = day(2026, 11, 22);
    alongside::exchange::demo::create_demo(
        &mut store,
        &Actor::new("t"),
        &catalogue(),
        today,
        600,
        1,
        true,
    )
    .unwrap();
    let mut statuses = BTreeSet::new();
    let mut years = BTreeSet::new();
    for person in store.all_patients().unwrap() {
        for record in store.cycles_of(person.id).unwrap() {
            statuses.insert(record.cycle.status().code());
            years.insert(record.cycle.due_month().year());
        }
    }
    let this_month = recall_list(
        &store,
        &store.practice_settings(&catalogue()).unwrap(),
        YearMonth::new(2026, 11).unwrap(),
        today,
    )
    .unwrap();
    if this_month.iter().any(|l| l.step == RecallStep::FirstInvitation) {
        statuses.insert("due");
    }
    let every: BTreeSet<&str> = CycleStatus::ALL.iter().map(|s| s.code()).collect();
    assert_eq!(statuses, every, "every state is held by someone (due: not invited yet)");
    assert_eq!(years, BTreeSet::from([2024, 2025, 2026]), "two years of history and this year");
}

#[test]
fn the_cli_lists_the_month_and_writes_the_invitations() {
    let sandbox = Sandbox::new();
    let month = YearMonth::of(chrono::Local::now().date_naive());
    let born = |day: u32| format!("1950-{:02}-{day:02}", month.month());
    let register = format!(
        "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,postcode\n\
         9990000018,Adams,Amy,{},44054006,1 Mill Lane,AM1 1AB\n\
         9990000026,Brown,Bill,{},195967001,,\n",
        born(2),
        born(3)
    );
    sandbox.import("register.csv", &register);
    let pdf = sandbox.path("letters.pdf");
    let not_ready = sandbox
        .alongside(&[
            "recall",
            "invite",
            "--month",
            &month.to_string(),
            "--out",
            pdf.to_str().unwrap(),
        ])
        .expect_code(2);
    assert!(not_ready
        .stderr
        .contains("letters cannot be printed until Settings has the practice's name"));
    assert!(!pdf.exists(), "no letters without a letterhead");
    fill_in_letterhead(&mut Store::open(&sandbox.db()).unwrap());
    let due =
        sandbox.alongside(&["recall", "due", "--month", &month.to_string()]).expect_code(0).json();
    assert_eq!(
        due[0],
        json!({"nhs_number": "9990000018", "name": "Amy Adams", "conditions": ["44054006"], "recall_month": month.month(),
               "status": "due", "invitations": [], "next_step": "first_invitation"})
    );
    let written = sandbox
        .alongside(&[
            "recall",
            "invite",
            "--month",
            &month.to_string(),
            "--out",
            pdf.to_str().unwrap(),
        ])
        .expect_code(0)
        .json();
    assert_eq!(written["letters"], 1);
    assert_eq!(
        written["skipped"],
        json!([{"nhs_number": "9990000026", "reason": "no postal address is recorded"}])
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let still_due =
        sandbox.alongside(&["recall", "due", "--month", &month.to_string()]).expect_code(0).json();
    assert_eq!(still_due[0]["invitations"], json!([]), "without --confirm nothing is recorded");
    let confirmed = sandbox
        .alongside(&[
            "recall",
            "invite",
            "--month",
            &month.to_string(),
            "--out",
            pdf.to_str().unwrap(),
            "--confirm",
        ])
        .expect_code(0)
        .json();
    assert_eq!(confirmed["recorded"], 1);
    let invited =
        sandbox.alongside(&["recall", "due", "--month", &month.to_string()]).expect_code(0).json();
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    assert_eq!(
        (invited[0]["status"].as_str(), invited[0]["invitations"].clone()),
        (Some("invited"), json!([today]))
    );
    let bad = sandbox.alongside(&["recall", "due", "--month", "March"]).expect_code(2);
    assert!(bad.stderr.contains("'March' is not a month written as YYYY-MM"), "{}", bad.stderr);
}
