//! Triage as a clinician and a practice meet it, on real databases: red values from contact 1
//! and from a lab file on the worklist at once, the pack held back until every red finding is
//! acknowledged, corrections that bring a finding back, personal targets, the practice's own
//! thresholds, `alongside triage list`, a broken rule file refused at start, and the demo.

use std::path::Path;

use chrono::{Days, NaiveDate};
use serde_json::{json, Value as Json};

use alongside::domain::calendar::YearMonth;
use alongside::domain::catalogue::Catalogue;
use alongside::domain::checklist::NotDoneReason;
use alongside::domain::cycle::{Booking, CycleStatus};
use alongside::domain::measures::{Entry, ItemDef, ItemKind};
use alongside::domain::nhs_number::NhsNumber;
use alongside::domain::rules::{RuleSet, Severity};
use alongside::domain::triage::{AckAction, TriageRole};
use alongside::exchange::contact1::{
    correct, finish_contact1, mark_not_done, record_value, Correction, PersonResults,
};
use alongside::exchange::recall::{act_on_review, ReviewAction};
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::exchange::results_import::{import_results, ResultsFile};
use alongside::exchange::triage::{
    acknowledge, add_note, approve_pack, change_rule, medication_review, restore_rule, review,
    route, set_personal_target, worklist, FindingRow, TriageError, WorklistEntry, WorklistGroup,
};
use alongside::store::{Actor, Store, StoredObservation, TimelineEntry};

use super::support::{catalogue, today, Sandbox};

/// Grace: type 2 diabetes and hypertension. Piotr, Imran: hypertension. Mary: COPD. Ravi: type
/// 2 diabetes. Sian: chronic kidney disease. Everyone is under 80.
const REGISTER: &str = "nhs_number,family_name,given_name,date_of_birth,conditions\n\
    9990000018,Okafor,Grace,1950-03-02,44054006;38341003\n\
    9990000026,Nowak,Piotr,1961-03-15,38341003\n\
    9990000042,Khan,Imran,1955-03-05,38341003\n\
    9990000050,Jones,Mary,1948-06-11,13645005\n\
    9990000069,Patel,Ravi,1958-09-20,44054006\n\
    9990000077,Evans,Sian,1966-01-30,709044004\n";

const GRACE: &str = "9990000018";
const PIOTR: &str = "9990000026";
const IMRAN: &str = "9990000042";
const MARY: &str = "9990000050";
const RAVI: &str = "9990000069";
const SIAN: &str = "9990000077";

pub(super) fn nhs(text: &str) -> NhsNumber {
    NhsNumber::parse(text).unwrap()
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn hca() -> Actor {
    Actor::new("jo.hart")
}

fn gp() -> Actor {
    Actor::new("dr.shah")
}

/// What the HCA types for an item at an ordinary contact 1 (or `given`, when the test says), a
/// screening recorded as done on `screened`; none for an item worked out by itself.
pub(super) fn ordinary_entry(
    item: &ItemDef,
    given: Option<String>,
    screened: &str,
) -> Option<Typed> {
    let id = item.id();
    Some(match item.kind() {
        ItemKind::Computed(_) => return None,
        ItemKind::Choice(options) => {
            let ordinary =
                if id == "smoking" { "never-smoked".to_string() } else { options[0].id.clone() };
            (String::new(), Some(given.unwrap_or(ordinary)), Vec::new())
        }
        ItemKind::Questionnaire(q) => {
            (String::new(), None, q.questions.iter().map(|_| Some(0)).collect())
        }
        ItemKind::Date(options) => {
            (screened.to_string(), options.first().map(|o| o.id.clone()), Vec::new())
        }
        _ => {
            let ordinary = match id {
                "bp-clinic" => "128/78",
                "bp-home" => "126/76",
                "weight" => "80.0",
                "height" => "170.0",
                "fev1-percent" => "68",
                "spo2" => "96",
                "chest-exacerbations" => "1",
                "falls" => "0",
                "medication-problems" => "none reported",
                "inhaler-technique" | "asthma-action-plan" => "yes",
                other => panic!("no ordinary value for {other}"),
            };
            (given.unwrap_or(ordinary.to_string()), None, Vec::new())
        }
    })
}

/// What the lab sends when nothing is wrong, with the unit it writes.
pub(super) fn normal_lab(item: &str) -> (&'static str, &'static str) {
    match item {
        "hba1c" => ("48", "mmol/mol"),
        "total-cholesterol" => ("4.5", "mmol/L"),
        "hdl-cholesterol" => ("1.3", "mmol/L"),
        "ldl-cholesterol" => ("2.4", "mmol/L"),
        "egfr" => ("75", "mL/min/1.73m2"),
        "creatinine" => ("85", "umol/L"),
        "potassium" => ("4.5", "mmol/L"),
        "urine-acr" => ("1.5", "mg/mmol"),
        other => panic!("no normal lab value for {other}"),
    }
}

/// What the HCA enters for one item: the value typed, the option chosen, the answers given.
pub(super) type Typed = (String, Option<String>, Vec<Option<usize>>);

pub(super) struct Practice {
    pub(super) store: Store,
    pub(super) catalogue: Catalogue,
    pub(super) rules: RuleSet,
    pub(super) sandbox: Sandbox,
}

fn practice() -> Practice {
    practice_with(REGISTER)
}

pub(super) fn practice_with(register: &str) -> Practice {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    let catalogue = catalogue();
    let rules = alongside::assets::rules(&catalogue).expect("the shipped rules are valid");
    let file = RegisterFile::read(register.as_bytes()).unwrap();
    let report =
        import_register(&mut store, &hca(), &catalogue, today(), &file, "r.csv", false).unwrap();
    assert_eq!(report.imported, register.lines().count() - 1, "{:?}", report.rejected);
    Practice { store, catalogue, rules, sandbox }
}

impl Practice {
    fn record(&mut self, who: &str, item: &str, value: &str) {
        self.record_entry(who, item, Entry { value, ..Entry::default() });
    }

    fn record_entry(&mut self, who: &str, item: &str, entry: Entry<'_>) {
        record_value(&mut self.store, &hca(), &self.catalogue, &nhs(who), item, entry, today())
            .unwrap_or_else(|e| panic!("{who} {item}: {e}"));
    }

    /// Books contact 1 for today at 10:00 (the review opens for this month).
    fn book_contact1(&mut self, who: &str, on: NaiveDate) {
        let settings = self.store.practice_settings(&self.catalogue).unwrap();
        let booking =
            Booking::new(on.and_hms_opt(10, 0, 0).unwrap(), "Jo Hart (HCA)", "Room 2").unwrap();
        act_on_review(
            &mut self.store,
            &hca(),
            &settings,
            &nhs(who),
            YearMonth::of(today()),
            ReviewAction::BookContact1(booking),
            today(),
        )
        .unwrap();
    }

    /// The HCA works through the person's checklist: every typed item with an ordinary value
    /// (or the one given in `typed`), every blood sent to the lab, and the appointment finished.
    /// Returns the items sent to the lab.
    pub(super) fn attend(&mut self, who: &str, typed: &[(&str, &str)]) -> Vec<String> {
        let results = PersonResults::load(&self.store, &nhs(who)).unwrap().unwrap();
        let checklist = results.checklist(&self.catalogue, today());
        let screened = iso(today() - Days::new(30));
        let mut lab = Vec::new();
        let mut entries: Vec<(String, Typed)> = Vec::new();
        for line in &checklist.lines {
            let item = line.item.id().to_string();
            if line.item.is_lab() {
                lab.push(item);
                continue;
            }
            let given = typed.iter().find(|(i, _)| *i == item).map(|(_, v)| v.to_string());
            let Some(entry) = ordinary_entry(line.item, given, &screened) else { continue };
            entries.push((item, entry));
        }
        drop(checklist);
        for (item, (value, option, answers)) in &entries {
            let entry = Entry { value, option: option.as_deref(), answers };
            self.record_entry(who, item, entry);
        }
        if !lab.is_empty() {
            let items: Vec<&str> = lab.iter().map(String::as_str).collect();
            mark_not_done(
                &mut self.store,
                &hca(),
                &self.catalogue,
                &nhs(who),
                &items,
                NotDoneReason::SentToLab,
                "",
                today(),
            )
            .unwrap();
        }
        finish_contact1(&mut self.store, &hca(), &self.catalogue, &nhs(who), today()).unwrap();
        lab
    }

    /// Imports a lab file with these results for the person, taken today.
    pub(super) fn lab(&mut self, who: &str, results: &[(&str, &str)]) {
        self.lab_on(who, results, today());
    }

    /// Imports a lab file with these results for the person, taken on `day`.
    fn lab_on(&mut self, who: &str, results: &[(&str, &str)], day: NaiveDate) {
        let mut csv = String::from("nhs_number,code,value,unit,taken_on\n");
        for (item, value) in results {
            let (_, unit) = normal_lab(item);
            csv.push_str(&format!("{who},{item},{value},{unit},{}\n", iso(day)));
        }
        let file = ResultsFile::read(csv.as_bytes()).unwrap();
        let report = import_results(
            &mut self.store,
            &hca(),
            &self.catalogue,
            today(),
            &file,
            "lab.csv",
            false,
        )
        .unwrap();
        assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    }

    /// Contact 1 and then every blood back from the lab: the review's results are complete.
    pub(super) fn complete(&mut self, who: &str, typed: &[(&str, &str)], lab: &[(&str, &str)]) {
        let sent = self.attend(who, typed);
        let results: Vec<(&str, &str)> = sent
            .iter()
            .map(|item| {
                let given = lab.iter().find(|(i, _)| i == item).map(|(_, v)| *v);
                (item.as_str(), given.unwrap_or(normal_lab(item).0))
            })
            .collect();
        if !results.is_empty() {
            self.lab(who, &results);
        }
        assert_eq!(self.status(who), Some(CycleStatus::ResultsComplete), "{who}");
    }

    pub(super) fn status(&self, who: &str) -> Option<CycleStatus> {
        let patient = self.store.patient(&nhs(who)).unwrap().unwrap();
        self.store.open_cycle_of(patient.id).unwrap().map(|c| c.cycle.status())
    }

    /// The current value of an item in the person's open review.
    fn current(&self, who: &str, item: &str) -> StoredObservation {
        let patient = self.store.patient(&nhs(who)).unwrap().unwrap();
        let cycle = self.store.open_cycle_of(patient.id).unwrap().map(|c| c.id);
        let mut current: Vec<StoredObservation> = self
            .store
            .observations_of(patient.id)
            .unwrap()
            .into_iter()
            .filter(|o| o.item == item && o.retraction.is_none() && o.cycle_id == cycle)
            .collect();
        assert_eq!(current.len(), 1, "{who} {item}: one current value in the review");
        current.remove(0)
    }

    fn worklist(&self, all: bool) -> Vec<WorklistEntry> {
        worklist(&self.store, &self.catalogue, &self.rules, all).unwrap()
    }

    /// Who is on the worklist, in order, with their group.
    fn listed(&self, all: bool) -> Vec<(String, WorklistGroup)> {
        self.worklist(all)
            .iter()
            .map(|e| (e.patient.details.nhs_number.as_str().to_string(), e.group))
            .collect()
    }

    fn entry(&self, who: &str, all: bool) -> Option<WorklistEntry> {
        self.worklist(all).into_iter().find(|e| e.patient.details.nhs_number.as_str() == who)
    }

    /// The findings of a person's open review: (item, value, severity, rule, acknowledged).
    fn findings(&self, who: &str) -> Vec<(String, String, &'static str, String, bool)> {
        let review =
            review(&self.store, &self.catalogue, &self.rules, &nhs(who)).unwrap().expect("open");
        review
            .results
            .iter()
            .flat_map(|r| r.findings.iter())
            .map(|f| {
                (
                    f.item.clone(),
                    f.value.clone(),
                    f.severity.code(),
                    f.rule.clone(),
                    f.acknowledgement.is_some(),
                )
            })
            .collect()
    }

    pub(super) fn finding(&self, who: &str, rule: &str) -> FindingRow {
        let review =
            review(&self.store, &self.catalogue, &self.rules, &nhs(who)).unwrap().expect("open");
        let found: Vec<FindingRow> = review
            .results
            .iter()
            .flat_map(|r| r.findings.iter())
            .filter(|f| f.rule == rule)
            .cloned()
            .collect();
        assert_eq!(found.len(), 1, "{who}: one finding of rule {rule}: {found:?}");
        found.into_iter().next().unwrap()
    }

    pub(super) fn acknowledge(
        &mut self,
        who: &str,
        observation_id: i64,
        rule: &str,
        action: AckAction,
        note: &str,
    ) -> Result<(), TriageError> {
        let (store, catalogue, rules) = (&mut self.store, &self.catalogue, &self.rules);
        acknowledge(store, &gp(), catalogue, rules, &nhs(who), observation_id, rule, action, note)
    }

    pub(super) fn approve(&mut self, who: &str) -> Result<(), TriageError> {
        approve_pack(&mut self.store, &gp(), &self.catalogue, &self.rules, &nhs(who), today())
    }

    pub(super) fn route(
        &mut self,
        who: &str,
        role: TriageRole,
        clinician: &str,
    ) -> Result<(), TriageError> {
        route(&mut self.store, &gp(), &nhs(who), role, clinician, "")
    }

    fn target(
        &mut self,
        who: &str,
        item: &str,
        target: Option<&str>,
        reason: &str,
    ) -> Result<(), TriageError> {
        let (store, catalogue, rules) = (&mut self.store, &self.catalogue, &self.rules);
        set_personal_target(
            store,
            &gp(),
            catalogue,
            rules,
            &nhs(who),
            item,
            target,
            reason,
            today(),
        )
    }

    fn change(&mut self, rule: &str, thresholds: &[&str], reason: &str) -> Result<(), TriageError> {
        let thresholds: Vec<String> = thresholds.iter().map(|t| t.to_string()).collect();
        let (store, catalogue, rules) = (&mut self.store, &self.catalogue, &self.rules);
        change_rule(store, &gp(), catalogue, rules, rule, &thresholds, reason)
    }

    fn correct(&mut self, who: &str, id: i64, correction: Correction<'_>, reason: &str) {
        correct(
            &mut self.store,
            &gp(),
            &self.catalogue,
            &nhs(who),
            id,
            correction,
            reason,
            today(),
        )
        .unwrap();
    }

    fn timeline(&self, who: &str) -> Vec<TimelineEntry> {
        self.store.timeline(&nhs(who)).unwrap()
    }

    /// The newest audit entry about the person.
    fn last_audit(&self, who: &str) -> TimelineEntry {
        self.timeline(who).remove(0)
    }

    /// How many rows the audit trail and each triage table hold.
    fn counts(&self) -> [i64; 6] {
        let conn = rusqlite::Connection::open(self.sandbox.db()).unwrap();
        [
            "audit_event",
            "finding_acknowledgement",
            "triage_entry",
            "personal_target",
            "rule_change",
            "cycle_event",
        ]
        .map(|table| {
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
        })
    }

    /// The practice-wide audit entries (no person) of an action: summaries, oldest first.
    fn practice_audit(&self, action: &str) -> Vec<String> {
        let conn = rusqlite::Connection::open(self.sandbox.db()).unwrap();
        let mut statement = conn
            .prepare(
                "SELECT summary FROM audit_event WHERE action = ?1 AND patient_id IS NULL ORDER BY id",
            )
            .unwrap();
        let rows = statement.query_map([action], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }
}

/// Runs a refused action and checks that it wrote nothing at all.
fn refused(
    practice: &mut Practice,
    action: impl FnOnce(&mut Practice) -> Result<(), TriageError>,
) -> String {
    let before = practice.counts();
    let error = action(practice).expect_err("the action is refused");
    assert!(matches!(error, TriageError::Refused(_) | TriageError::NotFound(_)), "{error:?}");
    assert_eq!(practice.counts(), before, "refused ({error}): nothing written, not even an audit");
    error.to_string()
}

#[test]
fn a_red_value_is_urgent_at_once_while_the_other_results_are_still_outstanding() {
    let mut practice = practice();
    // Piotr's results are complete and on target: he waits for a clinician's review.
    practice.complete(PIOTR, &[], &[]);
    assert_eq!(practice.listed(false), [(PIOTR.to_string(), WorklistGroup::AwaitingReview)]);
    assert!(practice.entry(PIOTR, false).unwrap().findings.is_empty(), "on target: no finding");

    // Imran's contact 1 is booked; the HCA takes a clinic blood pressure of 182/95 and has
    // recorded nothing else yet.
    practice.book_contact1(IMRAN, today());
    practice.record(IMRAN, "bp-clinic", "182/95");
    assert_eq!(practice.status(IMRAN), Some(CycleStatus::Contact1Booked));
    assert_eq!(
        practice.listed(false),
        [
            (IMRAN.to_string(), WorklistGroup::Urgent),
            (PIOTR.to_string(), WorklistGroup::AwaitingReview)
        ],
        "the red value is on the worklist at once, before a review whose results are complete"
    );
    let imran = practice.entry(IMRAN, false).unwrap();
    assert_eq!(imran.cycle.cycle.status(), CycleStatus::Contact1Booked);
    assert_eq!(imran.count(Severity::Red), 1);
    let finding = &imran.findings[0];
    assert_eq!(
        (finding.item.as_str(), finding.value.as_str(), finding.rule.as_str()),
        ("bp-clinic", "182/95", "bp-clinic-severe")
    );
    assert!(finding.is_waiting(), "not acknowledged yet");
    assert_eq!(finding.value_text, "182/95 mmHg");
    assert_eq!(finding.taken_on, today());

    // Mary's oxygen saturation of 92% at rest, with nothing else recorded.
    practice.record(MARY, "spo2", "92");
    assert_eq!(practice.status(MARY), Some(CycleStatus::Due));
    assert_eq!(practice.entry(MARY, false).unwrap().group, WorklistGroup::Urgent);
    assert_eq!(
        practice.findings(MARY),
        [("spo2".into(), "92".into(), "red", "spo2-low".into(), false)]
    );

    // Grace's bloods are at the lab; the potassium arrives first, at 6.0.
    practice.attend(GRACE, &[]);
    assert_eq!(practice.status(GRACE), Some(CycleStatus::Contact1Attended));
    assert!(practice.entry(GRACE, false).is_none(), "nothing to triage yet");
    practice.lab(GRACE, &[("potassium", "6.0")]);
    assert_eq!(practice.status(GRACE), Some(CycleStatus::Contact1Attended), "more to come");
    assert_eq!(
        practice.findings(GRACE),
        [("potassium".into(), "6.0".into(), "red", "potassium-very-high".into(), false)],
        "6.0 is at the threshold (6.0 or above): red, and the amber rule is not listed as well"
    );

    // Ravi's HbA1c of 87 arrives before the rest of his bloods.
    practice.attend(RAVI, &[]);
    practice.lab(RAVI, &[("hba1c", "87")]);
    assert_eq!(practice.status(RAVI), Some(CycleStatus::Contact1Attended));
    assert_eq!(
        practice.findings(RAVI),
        [("hba1c".into(), "87".into(), "red", "hba1c-very-high".into(), false)]
    );

    // Grace's appointment came between Mary's red value and her own: Mary's red is older,
    // though Grace's NHS number sorts first.
    let red_at = |who: &str| practice.entry(who, false).unwrap().findings[0].recorded_at.clone();
    assert!(red_at(MARY) < red_at(GRACE), "{} {}", red_at(MARY), red_at(GRACE));
    assert!(red_at(GRACE) < red_at(RAVI));
    assert_eq!(
        practice.listed(false),
        [
            (IMRAN.to_string(), WorklistGroup::Urgent),
            (MARY.to_string(), WorklistGroup::Urgent),
            (GRACE.to_string(), WorklistGroup::Urgent),
            (RAVI.to_string(), WorklistGroup::Urgent),
            (PIOTR.to_string(), WorklistGroup::AwaitingReview),
        ],
        "the oldest red first, then the reviews waiting with complete results"
    );
    let state = |who: &str| practice.entry(who, false).unwrap().cycle.cycle.status();
    assert_eq!(
        [state(IMRAN), state(MARY), state(GRACE), state(RAVI), state(PIOTR)],
        [
            CycleStatus::Contact1Booked,
            CycleStatus::Due,
            CycleStatus::Contact1Attended,
            CycleStatus::Contact1Attended,
            CycleStatus::ResultsComplete
        ]
    );
    assert!(practice.entry(SIAN, true).is_none(), "no review, nothing on the worklist");
}

#[test]
fn an_unacknowledged_red_finding_holds_the_pack_until_a_clinician_acknowledges_it() {
    let mut practice = practice();
    practice.complete(
        IMRAN,
        &[("bp-clinic", "184/96"), ("bp-home", "150/88")],
        &[("potassium", "6.1"), ("urine-acr", "300"), ("egfr", "12"), ("creatinine", "450")],
    );
    let mut reds: Vec<(String, String)> =
        practice.findings(IMRAN).into_iter().filter(|f| f.2 == "red").map(|f| (f.0, f.3)).collect();
    reds.sort();
    assert_eq!(
        reds,
        [
            ("bp-clinic".to_string(), "bp-clinic-severe".to_string()),
            ("egfr".into(), "egfr-below-15".into()),
            ("potassium".into(), "potassium-very-high".into()),
            ("urine-acr".into(), "urine-acr-very-high".into()),
        ]
    );
    let amber = practice.finding(IMRAN, "bp-home-target-under-80");
    assert_eq!(amber.severity, Severity::Amber);
    assert_eq!(practice.entry(IMRAN, false).unwrap().group, WorklistGroup::Urgent);

    // Not routed and four reds waiting: refused, naming each red finding.
    let error = refused(&mut practice, |p| p.approve(IMRAN));
    assert!(error.contains("red finding is unacknowledged"), "{error}");
    for named in [
        "Serum potassium 6.1 mmol/L (Potassium 6.0 mmol/L or above)",
        "Blood pressure (clinic) 184/96 mmHg (Severe hypertension",
        "Urine ACR",
        "eGFR",
    ] {
        assert!(error.contains(named), "names {named}: {error}");
    }
    assert!(!error.contains("Blood pressure (home"), "the amber finding holds nothing: {error}");

    // Routed: still refused while a red finding waits.
    practice.route(IMRAN, TriageRole::Gp, "Dr Shah").unwrap();
    let routed = practice.last_audit(IMRAN);
    assert_eq!(
        (routed.action.as_str(), routed.summary.as_str(), routed.actor.as_str()),
        ("triage.route", "conversation routed to GP (Dr Shah)", "dr.shah")
    );
    let patient = practice.store.patient(&nhs(IMRAN)).unwrap().unwrap();
    let cycle = practice.store.open_cycle_of(patient.id).unwrap().unwrap();
    let entries = practice.store.triage_entries(cycle.id).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].at, routed.at, "the route and its audit entry: one transaction");
    let error = refused(&mut practice, |p| p.approve(IMRAN));
    assert!(error.contains("Serum potassium 6.1 mmol/L"), "{error}");

    // Acknowledgements that are refused.
    let potassium = practice.finding(IMRAN, "potassium-very-high");
    let error = refused(&mut practice, |p| {
        p.acknowledge(
            IMRAN,
            potassium.observation_id,
            "potassium-very-high",
            AckAction::NoAction,
            "  ",
        )
    });
    assert_eq!(error, "say why no action is needed");
    let error = refused(&mut practice, |p| {
        p.acknowledge(
            IMRAN,
            amber.observation_id,
            "bp-home-target-under-80",
            AckAction::ContactedToday,
            "",
        )
    });
    assert!(error.starts_with("only red findings are acknowledged"), "{error}");
    let error = refused(&mut practice, |p| {
        p.acknowledge(
            IMRAN,
            potassium.observation_id,
            "potassium-high",
            AckAction::ContactedToday,
            "",
        )
    });
    assert!(error.starts_with("that finding is no longer there"), "not a finding: {error}");
    let error = refused(&mut practice, |p| {
        p.acknowledge(IMRAN, 999_999, "potassium-very-high", AckAction::ContactedToday, "")
    });
    assert!(error.starts_with("that finding is no longer there"), "no such result: {error}");
    let piotr_error = refused(&mut practice, |p| {
        p.acknowledge(
            PIOTR,
            potassium.observation_id,
            "potassium-very-high",
            AckAction::ContactedToday,
            "",
        )
    });
    assert!(piotr_error.contains("no open review"), "not Piotr's finding: {piotr_error}");

    // Each red finding acknowledged, with each action.
    let acks = [
        ("bp-clinic-severe", AckAction::ContactedToday, "", "Blood pressure (clinic) 184/96 mmHg (Severe hypertension: clinic blood pressure 180/120 or above); Contacted the person today"),
        ("potassium-very-high", AckAction::RepeatTest, "repeat U&E tomorrow", "Serum potassium 6.1 mmol/L (Potassium 6.0 mmol/L or above); Repeat test arranged: repeat U&E tomorrow"),
        ("urine-acr-very-high", AckAction::Referred, "renal clinic", "Urine ACR (albumin:creatinine ratio) 300 mg/mmol (Urine ACR above 250 mg/mmol); Referred: renal clinic"),
        ("egfr-below-15", AckAction::NoAction, "known stage 5, under the renal team", "eGFR 12 mL/min/1.73m² (eGFR below 15 (kidney failure range)); No action: known stage 5, under the renal team"),
    ];
    for (i, (rule, action, note, summary)) in acks.iter().enumerate() {
        let finding = practice.finding(IMRAN, rule);
        let before = practice.counts();
        practice.acknowledge(IMRAN, finding.observation_id, rule, *action, note).unwrap();
        let after = practice.counts();
        assert_eq!(
            (after[0] - before[0], after[1] - before[1]),
            (1, 1),
            "{rule}: one acknowledgement, one audit entry"
        );
        let audit = practice.last_audit(IMRAN);
        assert_eq!(audit.action, "triage.acknowledge");
        assert_eq!(audit.summary, format!("red finding acknowledged: {summary}"));
        assert_eq!(audit.actor, "dr.shah");
        let acknowledged = practice.finding(IMRAN, rule).acknowledgement.expect("acknowledged");
        assert_eq!(
            (acknowledged.action, acknowledged.note.as_str(), acknowledged.by.as_str()),
            (*action, *note, "dr.shah")
        );
        assert_eq!(acknowledged.at, audit.at, "{rule}: one transaction");
        assert_eq!(acknowledged.cycle_id, Some(cycle.id));
        let waiting = practice
            .entry(IMRAN, false)
            .unwrap()
            .findings
            .iter()
            .filter(|f| f.is_waiting())
            .count();
        assert_eq!(waiting, 3 - i, "after {rule}");
        // Acknowledging the same finding twice is refused.
        let error = refused(&mut practice, |p| {
            p.acknowledge(IMRAN, finding.observation_id, rule, AckAction::ContactedToday, "again")
        });
        assert_eq!(error, "that finding has already been acknowledged");
    }
    assert_eq!(
        practice.entry(IMRAN, false).unwrap().group,
        WorklistGroup::AwaitingReview,
        "nothing red waits: the review waits like any other"
    );

    // The clinician's other decisions, each audited.
    let error =
        refused(&mut practice, |p| medication_review(&mut p.store, &gp(), &nhs(IMRAN), true, " "));
    assert_eq!(error, "say what the medication review should look at");
    let error = refused(&mut practice, |p| add_note(&mut p.store, &gp(), &nhs(IMRAN), ""));
    assert_eq!(error, "the note is empty");
    medication_review(&mut practice.store, &gp(), &nhs(IMRAN), true, "ACE inhibitor and potassium")
        .unwrap();
    let audit = practice.last_audit(IMRAN);
    assert_eq!(
        (audit.action.as_str(), audit.summary.as_str()),
        ("triage.medication_review", "medication review needed: ACE inhibitor and potassium")
    );
    add_note(&mut practice.store, &gp(), &nhs(IMRAN), "bring the home readings").unwrap();
    let audit = practice.last_audit(IMRAN);
    assert_eq!(
        (audit.action.as_str(), audit.summary.as_str()),
        ("triage.note", "note for the conversation: bring the home readings")
    );
    let entries = practice.store.triage_entries(cycle.id).unwrap();
    assert_eq!(entries.len(), 3, "route, medication review, note");
    assert_eq!(entries[2].at, audit.at);

    let open = review(&practice.store, &practice.catalogue, &practice.rules, &nhs(IMRAN))
        .unwrap()
        .unwrap();
    assert_eq!(open.approval_blocked, None, "ready to approve");
    assert_eq!(open.route().map(|r| r.role), Some(Some(TriageRole::Gp)));
    assert_eq!(open.medication_review().and_then(|m| m.needed), Some(true));
    practice.approve(IMRAN).unwrap();
    assert_eq!(practice.status(IMRAN), Some(CycleStatus::Triaged));
    let audit = practice.last_audit(IMRAN);
    assert_eq!(audit.action, "cycle.triage");
    assert!(
        audit.summary.contains("results triaged, preparation pack approved"),
        "{}",
        audit.summary
    );
    assert!(practice.entry(IMRAN, false).is_none(), "triaged: off the worklist");
    let everything = practice.entry(IMRAN, true).expect("with --all, still shown: it has findings");
    assert_eq!(everything.group, WorklistGroup::Other);
    assert!(everything.findings.iter().all(|f| !f.is_waiting()));

    // Approving again is refused and writes nothing.
    let error = refused(&mut practice, |p| p.approve(IMRAN));
    assert!(error.contains("results are complete"), "{error}");

    // Everything the clinician did is on Imran's timeline.
    let actions: Vec<String> = practice
        .timeline(IMRAN)
        .into_iter()
        .filter(|t| t.actor == "dr.shah")
        .map(|t| t.action)
        .rev()
        .collect();
    assert_eq!(
        actions,
        [
            "triage.route",
            "triage.acknowledge",
            "triage.acknowledge",
            "triage.acknowledge",
            "triage.acknowledge",
            "triage.medication_review",
            "triage.note",
            "cycle.triage"
        ]
    );
}

#[test]
fn the_pack_is_approved_only_once_the_results_are_complete_and_the_conversation_routed() {
    let mut practice = practice();
    practice.complete(PIOTR, &[], &[]);
    let error = refused(&mut practice, |p| p.approve(PIOTR));
    assert_eq!(
        error,
        "say who the conversation is with (nurse, GP, pharmacist or other) before approving the \
         pack"
    );
    let open = review(&practice.store, &practice.catalogue, &practice.rules, &nhs(PIOTR))
        .unwrap()
        .unwrap();
    assert!(open.approval_blocked.unwrap().starts_with("say who the conversation is with"));
    practice.route(PIOTR, TriageRole::Nurse, "").unwrap();
    assert_eq!(practice.last_audit(PIOTR).summary, "conversation routed to Nurse");
    practice.approve(PIOTR).unwrap();
    assert_eq!(practice.status(PIOTR), Some(CycleStatus::Triaged));
    assert!(practice.entry(PIOTR, false).is_none());

    // Grace's bloods are still at the lab: routed, nothing red, and still refused.
    practice.attend(GRACE, &[]);
    practice.route(GRACE, TriageRole::Pharmacist, "Amir").unwrap();
    let open = review(&practice.store, &practice.catalogue, &practice.rules, &nhs(GRACE))
        .unwrap()
        .unwrap();
    assert_eq!(
        open.approval_blocked.as_deref(),
        Some(
            "the pack can be approved once the results are complete; this review is at \
             \"Contact 1 attended\""
        )
    );
    let error = refused(&mut practice, |p| p.approve(GRACE));
    assert!(error.contains("results are complete"), "{error}");
    assert_eq!(practice.status(GRACE), Some(CycleStatus::Contact1Attended));

    // Sian has no review open, and a stranger is not on the register.
    let error = refused(&mut practice, |p| p.route(SIAN, TriageRole::Gp, ""));
    assert_eq!(error, "Sian Evans has no open review to triage");
    let error = refused(&mut practice, |p| p.approve(SIAN));
    assert_eq!(error, "Sian Evans has no open review to triage");
    let error = refused(&mut practice, |p| p.approve("9991112227"));
    assert_eq!(error, "no one with NHS number 999 111 2227 is on the register");
}

#[test]
fn a_corrected_value_needs_its_own_acknowledgement_and_one_entered_in_error_has_no_finding() {
    let mut practice = practice();
    practice.complete(IMRAN, &[], &[("potassium", "6.3")]);
    let first = practice.finding(IMRAN, "potassium-very-high");
    practice
        .acknowledge(
            IMRAN,
            first.observation_id,
            "potassium-very-high",
            AckAction::ContactedToday,
            "",
        )
        .unwrap();
    assert_eq!(practice.entry(IMRAN, false).unwrap().group, WorklistGroup::AwaitingReview);

    // The lab phones a corrected result, still red: a new finding that waits again.
    practice.correct(
        IMRAN,
        first.observation_id,
        Correction::Replace(Entry { value: "6.6", ..Entry::default() }),
        "the lab phoned a corrected result",
    );
    let second = practice.finding(IMRAN, "potassium-very-high");
    assert_ne!(second.observation_id, first.observation_id);
    assert_eq!((second.value.as_str(), second.acknowledgement.is_some()), ("6.6", false));
    assert_eq!(
        practice.findings(IMRAN),
        [("potassium".into(), "6.6".into(), "red", "potassium-very-high".into(), false)],
        "the first finding went with its value"
    );
    let entry = practice.entry(IMRAN, false).unwrap();
    assert_eq!(entry.group, WorklistGroup::Urgent);
    practice.route(IMRAN, TriageRole::Gp, "").unwrap();
    let error = refused(&mut practice, |p| p.approve(IMRAN));
    assert!(error.contains("Serum potassium 6.6 mmol/L"), "{error}");
    // The old finding's acknowledgement cannot be given again to the corrected value's.
    let error = refused(&mut practice, |p| {
        p.acknowledge(
            IMRAN,
            first.observation_id,
            "potassium-very-high",
            AckAction::ContactedToday,
            "",
        )
    });
    assert!(error.starts_with("that finding is no longer there"), "{error}");
    practice
        .acknowledge(IMRAN, second.observation_id, "potassium-very-high", AckAction::RepeatTest, "")
        .unwrap();
    practice.approve(IMRAN).unwrap();

    // Piotr's red blood pressure was someone else's: entered in error, the finding goes.
    practice.complete(PIOTR, &[("bp-clinic", "186/100")], &[]);
    assert_eq!(practice.entry(PIOTR, false).unwrap().group, WorklistGroup::Urgent);
    let bp = practice.current(PIOTR, "bp-clinic");
    practice.correct(PIOTR, bp.id, Correction::EnteredInError, "another person's reading");
    assert!(practice.findings(PIOTR).is_empty(), "{:?}", practice.findings(PIOTR));
    let entry = practice.entry(PIOTR, false).unwrap();
    assert_eq!((entry.group, entry.findings.len()), (WorklistGroup::AwaitingReview, 0));
    let error = refused(&mut practice, |p| {
        p.acknowledge(PIOTR, bp.id, "bp-clinic-severe", AckAction::ContactedToday, "")
    });
    assert!(error.starts_with("that finding is no longer there"), "{error}");
    practice.route(PIOTR, TriageRole::Nurse, "").unwrap();
    practice.approve(PIOTR).unwrap();
}

#[test]
fn a_personal_target_replaces_the_practice_target_but_never_a_red_rule() {
    let mut practice = practice();
    practice.complete(RAVI, &[], &[("hba1c", "62")]);
    assert_eq!(
        practice.findings(RAVI),
        [("hba1c".into(), "62".into(), "amber", "hba1c-target".into(), false)]
    );

    // Refusals write nothing.
    let error = refused(&mut practice, |p| p.target(RAVI, "hba1c", Some("90"), "frail"));
    assert!(error.contains("never relaxes a red rule"), "{error}");
    assert!(error.contains("hba1c-very-high"), "names the red rule: {error}");
    let error = refused(&mut practice, |p| p.target(RAVI, "hba1c", Some("87"), "frail"));
    assert!(error.contains("never relaxes a red rule"), "87 is above 86: {error}");
    let error = refused(&mut practice, |p| p.target(RAVI, "hba1c", Some("sixty"), "frail"));
    assert!(error.contains("needs a number"), "{error}");
    let error = refused(&mut practice, |p| p.target(RAVI, "hba1c", Some("64"), " "));
    assert_eq!(error, "say why this person has their own target");
    let error = refused(&mut practice, |p| p.target(RAVI, "creatinine", Some("100"), "why not"));
    assert!(error.contains("no practice target to replace"), "{error}");
    let error = refused(&mut practice, |p| p.target(RAVI, "hba1c", None, "no target yet"));
    assert_eq!(error, "HbA1c has no personal target to end");

    // 64 agreed: 62 is on target.
    practice.target(RAVI, "hba1c", Some("64"), "hypoglycaemia on gliclazide").unwrap();
    let audit = practice.last_audit(RAVI);
    assert_eq!(
        (audit.action.as_str(), audit.summary.as_str(), audit.actor.as_str()),
        (
            "triage.personal_target",
            "personal target for HbA1c: 64 (hypoglycaemia on gliclazide)",
            "dr.shah"
        )
    );
    assert!(practice.findings(RAVI).is_empty(), "{:?}", practice.findings(RAVI));
    assert!(practice.entry(RAVI, false).unwrap().findings.is_empty());
    let open =
        review(&practice.store, &practice.catalogue, &practice.rules, &nhs(RAVI)).unwrap().unwrap();
    let hba1c = open.results.iter().find(|r| r.item == "hba1c").unwrap();
    let target = hba1c.target.as_ref().unwrap();
    assert!(target.personal);
    assert_eq!(target.words.as_deref(), Some("64 mmol/mol or below"));
    assert_eq!(target.reason.as_deref(), Some("hypoglycaemia on gliclazide"));

    // 66 is above the person's own target.
    let id = practice.current(RAVI, "hba1c").id;
    practice.correct(
        RAVI,
        id,
        Correction::Replace(Entry { value: "66", ..Entry::default() }),
        "transcription",
    );
    assert_eq!(
        practice.findings(RAVI),
        [("hba1c".into(), "66".into(), "amber", "personal-target".into(), false)]
    );
    let finding = practice.finding(RAVI, "personal-target");
    assert!(finding.source.starts_with("Personal target set by dr.shah on "), "{}", finding.source);
    assert!(finding.source.contains("hypoglycaemia on gliclazide"), "{}", finding.source);
    assert!(
        finding.source.ends_with("(in place of QOF DM020; NICE NG28 1.6)"),
        "{}",
        finding.source
    );
    let error = refused(&mut practice, |p| {
        p.acknowledge(
            RAVI,
            finding.observation_id,
            "personal-target",
            AckAction::ContactedToday,
            "",
        )
    });
    assert!(error.starts_with("only red findings"), "{error}");

    // Ending it brings the practice's target back.
    practice.target(RAVI, "hba1c", None, "hypos have stopped").unwrap();
    assert_eq!(
        practice.last_audit(RAVI).summary,
        "personal target for HbA1c ended: the practice's target applies (hypos have stopped)"
    );
    assert_eq!(
        practice.findings(RAVI),
        [("hba1c".into(), "66".into(), "amber", "hba1c-target".into(), false)]
    );

    // With an own target of 75, an HbA1c of 88 is still red.
    practice.target(RAVI, "hba1c", Some("75"), "frailty").unwrap();
    let id = practice.current(RAVI, "hba1c").id;
    practice.correct(
        RAVI,
        id,
        Correction::Replace(Entry { value: "88", ..Entry::default() }),
        "repeat",
    );
    assert_eq!(
        practice.findings(RAVI),
        [("hba1c".into(), "88".into(), "red", "hba1c-very-high".into(), false)]
    );
    assert_eq!(practice.entry(RAVI, false).unwrap().group, WorklistGroup::Urgent);

    let targets: Vec<String> = practice
        .timeline(RAVI)
        .into_iter()
        .filter(|t| t.action == "triage.personal_target")
        .map(|t| t.summary)
        .rev()
        .collect();
    assert_eq!(
        targets,
        [
            "personal target for HbA1c: 64 (hypoglycaemia on gliclazide)",
            "personal target for HbA1c ended: the practice's target applies (hypos have stopped)",
            "personal target for HbA1c: 75 (frailty)"
        ],
        "set, ended, set again: each on the timeline"
    );
}

#[test]
fn the_practice_changes_a_threshold_with_a_reason_and_can_restore_the_shipped_one() {
    let mut practice = practice();
    practice.complete(IMRAN, &[], &[("potassium", "6.2")]);
    assert_eq!(
        practice.findings(IMRAN),
        [("potassium".into(), "6.2".into(), "red", "potassium-very-high".into(), false)]
    );

    for (rule, thresholds, reason, message) in [
        (
            "potassium-very-high",
            &["six"][..],
            "haemolysis",
            "the threshold for value ≥ must be a number such as 6 or 5.5, not 'six'",
        ),
        (
            "bp-clinic-severe",
            &["180", "120/80"],
            "local",
            "the threshold for diastolic ≥ must be a number such as 6 or 5.5, not '120/80'",
        ),
        ("potassium-very-high", &["6.5"], "  ", "say why the threshold is changing"),
        (
            "potassium-very-high",
            &["6.5", "7"],
            "haemolysis",
            "rule potassium-very-high has 1 threshold(s); 2 were given",
        ),
        ("potassium-ultra", &["6.5"], "haemolysis", "there is no rule 'potassium-ultra'"),
        (
            "potassium-very-high",
            &[""],
            "haemolysis",
            "the threshold for value ≥ must be a number such as 6 or 5.5, not ''",
        ),
    ] {
        let error = refused(&mut practice, |p| p.change(rule, thresholds, reason));
        assert_eq!(error, message, "{rule} {thresholds:?}");
    }

    practice.change("potassium-very-high", &["6.5"], "our lab's haemolysis rate").unwrap();
    assert_eq!(
        practice.findings(IMRAN),
        [("potassium".into(), "6.2".into(), "amber", "potassium-high".into(), false)],
        "6.2 is below the practice's 6.5: amber, no longer red"
    );
    assert_eq!(practice.entry(IMRAN, false).unwrap().group, WorklistGroup::AwaitingReview);
    let changes = practice.store.rule_changes().unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].thresholds, Some(vec!["6.5".to_string()]));
    assert_eq!(
        (changes[0].reason.as_str(), changes[0].by.as_str()),
        ("our lab's haemolysis rate", "dr.shah")
    );
    assert_eq!(
        practice.practice_audit("rules.change"),
        ["rule potassium-very-high: ≥ 6.0 mmol/L → ≥ 6.5 mmol/L (our lab's haemolysis rate)"]
    );
    // The command line reads the practice's thresholds from the database too.
    let list = practice.sandbox.alongside(&["triage", "list"]).expect_code(0).json();
    assert_eq!(list[0]["findings"][0]["severity"], "amber");
    assert_eq!(list[0]["findings"][0]["rule"], "potassium-high");

    let error = refused(&mut practice, |p| {
        restore_rule(&mut p.store, &gp(), &p.rules, "potassium-very-high", "")
    });
    assert_eq!(error, "say why the shipped threshold is coming back");
    let error = refused(&mut practice, |p| {
        restore_rule(&mut p.store, &gp(), &p.rules, "potassium-ultra", "typo")
    });
    assert_eq!(error, "there is no rule 'potassium-ultra'");
    restore_rule(
        &mut practice.store,
        &gp(),
        &practice.rules,
        "potassium-very-high",
        "new analyser",
    )
    .unwrap();
    assert_eq!(
        practice.findings(IMRAN),
        [("potassium".into(), "6.2".into(), "red", "potassium-very-high".into(), false)],
        "6.0 again"
    );
    assert_eq!(
        practice.practice_audit("rules.restore"),
        ["rule potassium-very-high: shipped thresholds restored (value ≥ 6.0) (new analyser)"]
    );
    let changes = practice.store.rule_changes().unwrap();
    assert_eq!((changes.len(), changes[1].thresholds.clone()), (2, None), "kept, never replaced");

    // A blood pressure rule has two thresholds, changed together.
    practice.change("bp-clinic-severe", &["170", "115"], "local pathway").unwrap();
    assert_eq!(
        practice.practice_audit("rules.change")[1],
        "rule bp-clinic-severe: systolic ≥ 180 mmHg or diastolic ≥ 120 mmHg → systolic ≥ 170 \
         mmHg or diastolic ≥ 115 mmHg (local pathway)"
    );
}

/// `alongside triage list` and `--all` on a practice set up through the library.
#[test]
fn triage_list_prints_the_worklist_as_json_red_first() {
    let mut practice = practice();
    let t = iso(today());
    // Imran: a red clinic and an amber home blood pressure, everything else on target.
    practice.complete(IMRAN, &[("bp-clinic", "182/95"), ("bp-home", "150/88")], &[]);
    // Piotr: on target.
    practice.complete(PIOTR, &[], &[]);
    // Ravi: an amber HbA1c, already triaged.
    practice.complete(RAVI, &[], &[("hba1c", "62")]);
    practice.route(RAVI, TriageRole::Nurse, "").unwrap();
    practice.approve(RAVI).unwrap();
    // Grace smokes, and her bloods are at the lab.
    practice.attend(GRACE, &[("smoking", "current-smoker")]);

    let imran = json!({
        "nhs_number": IMRAN,
        "name": "Imran Khan",
        "state": "results_complete",
        "findings": [
            {"item": "bp-clinic", "code": "75367002", "value": "182/95", "unit": "mm[Hg]",
             "taken_on": t, "severity": "red", "rule": "bp-clinic-severe",
             "source": "NICE NG136 1.5 (severe hypertension, 180/120)", "acknowledged": false},
            {"item": "bp-home", "code": "413153004", "value": "150/88", "unit": "mm[Hg]",
             "taken_on": t, "severity": "amber", "rule": "bp-home-target-under-80",
             "source": "NICE NG136 1.4.22; QOF HYP008", "acknowledged": false}
        ]
    });
    let piotr = json!({"nhs_number": PIOTR, "name": "Piotr Nowak", "state": "results_complete", "findings": []});
    let grace = json!({
        "nhs_number": GRACE,
        "name": "Grace Okafor",
        "state": "contact1_attended",
        "findings": [
            {"item": "smoking", "code": "229819007", "value": "current-smoker", "unit": null,
             "taken_on": t, "severity": "amber", "rule": "smoking-current",
             "source": "QOF SMOK; NICE NG209", "acknowledged": false}
        ]
    });
    let ravi = json!({
        "nhs_number": RAVI,
        "name": "Ravi Patel",
        "state": "triaged",
        "findings": [
            {"item": "hba1c", "code": "999791000000106", "value": "62", "unit": "mmol/mol",
             "taken_on": t, "severity": "amber", "rule": "hba1c-target",
             "source": "QOF DM020; NICE NG28 1.6", "acknowledged": false}
        ]
    });

    let run = practice.sandbox.alongside(&["triage", "list"]).expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(
        run.json(),
        json!([imran, piotr]),
        "the red review first; on-target results are not listed; Grace (bloods outstanding, \
         nothing red) and Ravi (triaged) are not on the worklist"
    );
    let all = practice.sandbox.alongside(&["triage", "list", "--all"]).expect_code(0).json();
    let with_findings: Vec<Json> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["findings"].as_array().unwrap().is_empty())
        .cloned()
        .collect();
    assert_eq!(
        with_findings,
        [imran.clone(), grace, ravi],
        "--all adds every open review with a finding, whatever its state"
    );

    // Acknowledged, Imran's red stays listed, marked so, and he waits like Piotr.
    let id = practice.current(IMRAN, "bp-clinic").id;
    practice.acknowledge(IMRAN, id, "bp-clinic-severe", AckAction::ContactedToday, "").unwrap();
    let list = practice.sandbox.alongside(&["triage", "list"]).expect_code(0).json();
    let order: Vec<&str> =
        list.as_array().unwrap().iter().map(|e| e["nhs_number"].as_str().unwrap()).collect();
    assert_eq!(order, [PIOTR, IMRAN], "both wait for review: by contact 1, then NHS number");
    assert_eq!(list[1]["findings"][0]["acknowledged"], true);
    assert_eq!(list[1]["findings"][1]["acknowledged"], false);
}

/// `--all` shows more than the worklist, never less: a review whose results are complete waits
/// for a clinician whether or not anything in it is off target.
#[test]
fn triage_list_all_includes_every_review_the_worklist_shows() {
    let mut practice = practice();
    practice.complete(PIOTR, &[], &[]);
    practice.complete(RAVI, &[], &[("hba1c", "62")]);
    let plain = practice.listed(false);
    assert_eq!(
        plain,
        [
            (PIOTR.to_string(), WorklistGroup::AwaitingReview),
            (RAVI.to_string(), WorklistGroup::AwaitingReview)
        ]
    );
    let all = practice.listed(true);
    for listed in &plain {
        assert!(all.contains(listed), "--all leaves out {listed:?}: {all:?}");
    }
    let cli = practice.sandbox.alongside(&["triage", "list", "--all"]).expect_code(0).json();
    let numbers: Vec<&str> =
        cli.as_array().unwrap().iter().map(|e| e["nhs_number"].as_str().unwrap()).collect();
    assert_eq!(numbers, [PIOTR, RAVI]);
}

/// Runs the binary with `ALONGSIDE_RULES` set.
fn run_with_rules(sandbox: &Sandbox, rules: &Path, args: &[&str]) -> (i32, String, String) {
    let rules = rules.to_str().expect("a UTF-8 sandbox path");
    let output = sandbox.command_for(args, &[("ALONGSIDE_RULES", rules)]).output().unwrap();
    (
        output.status.code().expect("exited"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_broken_rule_file_stops_every_command_naming_the_file_and_the_rule() {
    let sandbox = Sandbox::new();
    sandbox.import("r.csv", REGISTER);
    let folder = sandbox.path("rules");
    std::fs::create_dir_all(&folder).unwrap();
    let shipped = include_str!("../../assets/rules/kidneys.json");
    let db = sandbox.db();
    let db = db.to_str().unwrap();
    let results = sandbox.write(
        "lab.csv",
        format!(
            "nhs_number,code,value,unit,taken_on\n{IMRAN},potassium,4.5,mmol/L,{}\n",
            iso(today())
        ),
    );
    let register = sandbox.write("register.csv", REGISTER);
    let demo = sandbox.path("demo.sqlite");
    let month = today().format("%Y-%m").to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["--db", db, "triage", "list"],
        vec!["--db", db, "triage", "list", "--all"],
        vec!["--db", db, "patients", "list"],
        vec!["--db", db, "recall", "due", "--month", &month],
        vec!["--db", db, "import", "results", results.to_str().unwrap()],
        vec!["--db", db, "import", "register", register.to_str().unwrap()],
        vec!["demo", "--create", demo.to_str().unwrap(), "--patients", "5", "--no-history"],
    ];

    // The practice's unchanged copy is accepted.
    std::fs::write(folder.join("kidneys.json"), shipped).unwrap();
    for args in &commands[..4] {
        let (code, _, stderr) = run_with_rules(&sandbox, &folder, args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }

    let potassium_block = shipped.find("\"id\": \"potassium-very-high\"").unwrap();
    let (head, tail) = shipped.split_at(potassium_block);
    let breaks = [
        ("an unknown item", tail.replacen("\"potassium\"", "\"potasium\"", 1)),
        (
            "a threshold that is not a number",
            tail.replacen("\"threshold\": 6.0", "\"threshold\": \"six\"", 1),
        ),
        (
            "a unit that is not the item's",
            tail.replacen("\"unit\": \"mmol/L\"", "\"unit\": \"mg/dL\"", 1),
        ),
        ("an unknown comparison", tail.replacen("\"op\": \">=\"", "\"op\": \"=>\"", 1)),
    ];
    let before = std::fs::read(sandbox.db()).unwrap();
    for (what, broken_tail) in breaks {
        assert_ne!(broken_tail, tail, "{what}: the edit changes the file");
        std::fs::write(folder.join("kidneys.json"), format!("{head}{broken_tail}")).unwrap();
        for args in &commands {
            let (code, stdout, stderr) = run_with_rules(&sandbox, &folder, args);
            assert_ne!(code, 0, "{what}: {args:?} must not run\n{stdout}");
            assert!(!stderr.contains("panicked"), "{what}: {args:?}: {stderr}");
            assert!(stdout.is_empty(), "{what}: {args:?}: nothing on stdout: {stdout}");
            assert!(
                stderr.contains("kidneys.json") && stderr.contains("potassium-very-high"),
                "{what}: {args:?}: stderr names the file and the rule: {stderr}"
            );
        }
        assert!(!demo.exists(), "{what}: no demo database made");
    }
    assert_eq!(std::fs::read(sandbox.db()).unwrap(), before, "the database was not touched");

    // Put back as shipped, everything runs again.
    std::fs::write(folder.join("kidneys.json"), shipped).unwrap();
    for args in &commands {
        let (code, _, stderr) = run_with_rules(&sandbox, &folder, args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
    }
}

#[test]
fn the_demo_practice_has_a_worklist_and_nothing_past_triage_hides_a_red_finding() {
    let sandbox = Sandbox::new();
    let demo = sandbox.path("demo.sqlite");
    let demo_path = demo.to_str().unwrap();
    sandbox.alongside_plain(&["demo", "--create", demo_path]).expect_code(0);
    let list =
        sandbox.alongside_plain(&["--db", demo_path, "triage", "list"]).expect_code(0).json();
    let list = list.as_array().unwrap();
    assert!(!list.is_empty(), "the demo practice has reviews to triage");
    let waiting = |e: &Json| {
        e["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["severity"] == "red" && f["acknowledged"] == false)
    };
    for entry in list {
        assert!(
            waiting(entry) || entry["state"] == "results_complete",
            "on the worklist without a reason: {entry}"
        );
        for finding in entry["findings"].as_array().unwrap() {
            assert!(finding["severity"] == "red" || finding["severity"] == "amber", "{finding}");
            assert!(finding["rule"].as_str().is_some_and(|r| !r.is_empty()), "{finding}");
        }
    }
    let first_calm = list.iter().position(|e| !waiting(e)).unwrap_or(list.len());
    assert!(list[first_calm..].iter().all(|e| !waiting(e)), "red reviews first");

    let all = sandbox
        .alongside_plain(&["--db", demo_path, "triage", "list", "--all"])
        .expect_code(0)
        .json();
    let all = all.as_array().unwrap();
    // Once the pack is sent nothing may wait. An approved review whose pack has not gone may
    // have a result that arrived after approval (the demo has one): its pack is held for it.
    let sent = ["pack_sent", "conversation_booked", "conversation_held"];
    let packs =
        sandbox.alongside_plain(&["--db", demo_path, "packs", "list"]).expect_code(0).json();
    let mut checked = 0;
    let mut late = 0;
    for entry in all {
        let state = entry["state"].as_str().unwrap();
        if sent.contains(&state) {
            checked += 1;
            assert!(!waiting(entry), "{state}: a red finding was never acknowledged: {entry}");
        }
        if state == "triaged" && waiting(entry) {
            late += 1;
            let pack = packs
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["nhs_number"] == entry["nhs_number"])
                .unwrap_or_else(|| panic!("approved, so on the packs list: {entry}"));
            assert_eq!(pack["state"], "red_finding", "{pack}");
        }
    }
    assert!(checked > 0, "the demo has reviews past triage with findings");
    assert_eq!(late, 1, "the demo has one late red result on an approved review");
}

#[test]
fn red_rules_read_questionnaire_answers_chosen_options_and_a_fall_since_the_last_result() {
    // Tom and Ann have kidney disease, and their review is this month; each had an eGFR of 60
    // before it: Tom nine months ago, Ann thirteen.
    let month = chrono::Datelike::month(&today());
    let register = format!(
        "nhs_number,family_name,given_name,date_of_birth,conditions,recall_month\n\
         {GRACE},Okafor,Grace,1950-03-02,44054006;38341003,{month}\n\
         {RAVI},Patel,Ravi,1958-09-20,44054006,{month}\n\
         9990000085,Brown,Tom,1960-05-05,709044004,{month}\n\
         9990000093,Green,Ann,1962-07-07,709044004,{month}\n"
    );
    const TOM: &str = "9990000085";
    const ANN: &str = "9990000093";
    let mut practice = practice_with(&register);
    let nine_months_ago = today().checked_sub_months(chrono::Months::new(9)).unwrap();
    let thirteen_months_ago = today().checked_sub_months(chrono::Months::new(13)).unwrap();
    practice.lab_on(TOM, &[("egfr", "60")], nine_months_ago);
    practice.lab_on(ANN, &[("egfr", "60")], thirteen_months_ago);
    assert_eq!(practice.status(TOM), None, "an earlier result opens no review");

    // Grace answers PHQ-2 positively, then "several days" to question 9 of the PHQ-9.
    let phq2 = [Some(1), Some(2)];
    practice.record_entry(GRACE, "phq2", Entry { answers: &phq2, ..Entry::default() });
    assert_eq!(
        practice.findings(GRACE),
        [("phq2".into(), "3".into(), "amber", "phq2-positive".into(), false)]
    );
    let mut phq9 = [Some(0); 9];
    phq9[8] = Some(1);
    practice.record_entry(GRACE, "phq9", Entry { answers: &phq9, ..Entry::default() });
    let grace = practice.findings(GRACE);
    assert!(
        grace.contains(&("phq9".into(), "1".into(), "red", "phq9-item-9".into(), false)),
        "{grace:?}"
    );
    assert_eq!(practice.entry(GRACE, false).unwrap().group, WorklistGroup::Urgent);

    // Ravi's foot check finds an active foot problem.
    practice.record_entry(
        RAVI,
        "foot-check",
        Entry { option: Some("active-foot-problem"), ..Entry::default() },
    );
    let foot = practice.finding(RAVI, "foot-active-problem");
    assert_eq!(
        (foot.severity, foot.value.as_str(), foot.unit.clone()),
        (Severity::Red, "active-foot-problem", None)
    );

    // Tom's eGFR is 45 now: a fall of exactly 25% within 12 months. Ann's 40 falls further,
    // but her last result was more than 12 months ago.
    practice.complete(TOM, &[], &[("egfr", "45")]);
    assert_eq!(
        practice.findings(TOM),
        [("egfr".into(), "45".into(), "red", "egfr-fall-25-percent".into(), false)]
    );
    let open =
        review(&practice.store, &practice.catalogue, &practice.rules, &nhs(TOM)).unwrap().unwrap();
    let egfr = open.results.iter().find(|r| r.item == "egfr").unwrap();
    assert_eq!(egfr.previous, [(nine_months_ago, "60 mL/min/1.73m²".to_string())]);
    assert_eq!(egfr.trend, Some("falling"));
    practice.complete(ANN, &[], &[("egfr", "40")]);
    assert!(practice.findings(ANN).is_empty(), "{:?}", practice.findings(ANN));

    // A result beyond the lab's range is read as the range it stands for.
    let id = practice.current(ANN, "egfr").id;
    practice.correct(
        ANN,
        id,
        Correction::Replace(Entry { value: "<10", ..Entry::default() }),
        "the lab reported below its range",
    );
    assert_eq!(
        practice.findings(ANN),
        [("egfr".into(), "<10".into(), "red", "egfr-below-15".into(), false)]
    );
}

#[test]
fn a_red_value_after_triage_puts_the_review_back_on_the_worklist() {
    let mut practice = practice();
    practice.complete(PIOTR, &[], &[]);
    practice.route(PIOTR, TriageRole::Nurse, "").unwrap();
    practice.approve(PIOTR).unwrap();
    assert!(practice.entry(PIOTR, false).is_none());
    let id = practice.current(PIOTR, "potassium").id;
    practice.correct(
        PIOTR,
        id,
        Correction::Replace(Entry { value: "6.4", ..Entry::default() }),
        "the lab amended the result",
    );
    let entry = practice.entry(PIOTR, false).expect("a red finding waits again");
    assert_eq!(
        (entry.group, entry.cycle.cycle.status()),
        (WorklistGroup::Urgent, CycleStatus::Triaged)
    );
    let finding = practice.finding(PIOTR, "potassium-very-high");
    practice
        .acknowledge(PIOTR, finding.observation_id, "potassium-very-high", AckAction::Referred, "")
        .unwrap();
    assert!(practice.entry(PIOTR, false).is_none(), "acknowledged: off the worklist again");
}

#[test]
fn personal_targets_are_checked_against_the_practices_own_red_thresholds() {
    let mut practice = practice();
    practice.complete(RAVI, &[], &[("hba1c", "69")]);
    practice.change("hba1c-very-high", &["70"], "local diabetes pathway").unwrap();
    let error = refused(&mut practice, |p| p.target(RAVI, "hba1c", Some("75"), "frailty"));
    assert!(error.contains("hba1c-very-high"), "the practice's red rule is at 70: {error}");
    practice.target(RAVI, "hba1c", Some("68"), "frailty").unwrap();
    assert_eq!(
        practice.findings(RAVI),
        [("hba1c".into(), "69".into(), "amber", "personal-target".into(), false)]
    );

    // A blood pressure target is two numbers, and never where the severe rule applies.
    practice.complete(IMRAN, &[("bp-clinic", "145/88")], &[]);
    assert_eq!(
        practice.findings(IMRAN),
        [("bp-clinic".into(), "145/88".into(), "amber", "bp-clinic-target-under-80".into(), false)]
    );
    let error = refused(&mut practice, |p| p.target(IMRAN, "bp-clinic", Some("150"), "frailty"));
    assert!(error.contains("systolic/diastolic"), "{error}");
    let error =
        refused(&mut practice, |p| p.target(IMRAN, "bp-clinic", Some("185/100"), "frailty"));
    assert!(error.contains("bp-clinic-severe"), "{error}");
    practice.target(IMRAN, "bp-clinic", Some("150/90"), "postural hypotension").unwrap();
    assert!(practice.findings(IMRAN).is_empty(), "{:?}", practice.findings(IMRAN));
    let open = review(&practice.store, &practice.catalogue, &practice.rules, &nhs(IMRAN))
        .unwrap()
        .unwrap();
    let bp = open.results.iter().find(|r| r.item == "bp-clinic").unwrap();
    assert_eq!(bp.target.as_ref().unwrap().words.as_deref(), Some("150/90 mmHg or below"));
}

#[test]
fn reviews_waiting_with_complete_results_are_listed_by_the_day_of_contact_1() {
    let mut practice = practice();
    practice.book_contact1(PIOTR, today());
    practice.book_contact1(IMRAN, today() - Days::new(3));
    practice.complete(PIOTR, &[], &[]);
    practice.complete(IMRAN, &[], &[]);
    assert_eq!(
        practice.listed(false),
        [
            (IMRAN.to_string(), WorklistGroup::AwaitingReview),
            (PIOTR.to_string(), WorklistGroup::AwaitingReview)
        ],
        "Imran's contact 1 was three days earlier"
    );
    let list = practice.sandbox.alongside(&["triage", "list"]).expect_code(0).json();
    let order: Vec<&str> =
        list.as_array().unwrap().iter().map(|e| e["nhs_number"].as_str().unwrap()).collect();
    assert_eq!(order, [IMRAN, PIOTR]);
}
