//! The contact 1 checklist: each item once over any mix of conditions with the conditions that
//! want it, the PHQ-9 only after a positive PHQ-2, a height that still counts, samples at the
//! lab outstanding, and a BMI that cannot be worked out.

use serde_json::{json, Value as Json};

use super::*;
use crate::domain::measures::Entry;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2027, 3, 10)
}

fn item(id: &str, group: &str, kind: &str, snomed: &str, extra: Json) -> Json {
    let mut item = json!({"id": id, "label": id.to_uppercase(), "plain_name": id,
        "group": group, "theme": "weight", "kind": kind, "snomed": snomed, "code_source": "test",
        "lab": group == "lab", "explanation": "test"});
    for (key, value) in extra.as_object().unwrap() {
        item[key] = value.clone();
    }
    item
}

fn questions(count: usize) -> Json {
    let answers = json!([{"label": "Not at all", "score": 0}, {"label": "Several days", "score": 1},
        {"label": "More than half the days", "score": 2}, {"label": "Nearly every day", "score": 3}]);
    (1..=count).map(|n| json!({"id": format!("q{n}"), "text": "?", "options": answers})).collect()
}

/// Items in the order of the shipped file, with the same codes.
fn items_file() -> String {
    let number = |unit: &str, min: f64, max: f64, decimals: u8| {
        json!({"unit": {"display": unit, "ucum": unit}, "range": {"min": min, "max": max},
            "decimals": decimals})
    };
    let mut height = number("cm", 100.0, 230.0, 1);
    height["valid_for_months"] = json!(60);
    let mut bmi = number("kg/m2", 10.0, 100.0, 1);
    bmi["formula"] = json!("bmi");
    bmi["from"] = json!(["weight", "height"]);
    let half = |snomed: &str| json!({"snomed": snomed, "range": {"min": 30, "max": 300}});
    json!({"about": "", "groups": [{"id": "m", "label": "Measurements"},
    {"id": "lab", "label": "Bloods"}, {"id": "q", "label": "Questionnaires"}],
    "items": [
        item("bp-clinic", "m", "blood-pressure", "75367002", json!({"decimals": 0,
            "unit": {"display": "mmHg", "ucum": "mm[Hg]"},
            "systolic": half("72313002"), "diastolic": half("1091811000000102")})),
        item("weight", "m", "number", "27113001", number("kg", 20.0, 350.0, 1)),
        item("height", "m", "number", "50373000", height),
        item("bmi", "m", "computed", "60621009", bmi),
        item("hba1c", "lab", "number", "999791000000106", number("mmol/mol", 20.0, 200.0, 0)),
        item("egfr", "lab", "number", "1011481000000105", number("mL/min", 1.0, 200.0, 0)),
        item("phq2", "q", "questionnaire", "836541000000100", json!({
            "questions": questions(2), "follow_up": {"item": "phq9", "when_score_at_least": 3},
            "bands": [{"from": 0, "to": 2, "label": "Negative"},
                      {"from": 3, "to": 6, "label": "Positive"}]})),
        item("phq9", "q", "questionnaire", "720433000", json!({"questions": questions(9),
            "bands": [{"from": 0, "to": 27, "label": "Any"}]})),
        item("chest-exacerbations", "q", "number", "723245007", number("{count}", 0.0, 50.0, 0)),
        item("inhaler-technique", "q", "yes-no", "170614009", json!({})),
        item("smoking", "q", "choice", "229819007", json!({"options": [
            {"id": "current", "label": "Current"}, {"id": "never", "label": "Never"}]})),
    ]})
    .to_string()
}

const CHECKS: &str = r#"{"about": "", "checks": [{"id": "blood-test", "text": "a blood test"}]}"#;

/// Five conditions with the items the shipped files give them (those in `items_file`).
fn condition_files() -> Vec<(String, String)> {
    [
        (
            "type-2-diabetes",
            "44054006",
            &["hba1c", "bp-clinic", "egfr", "weight", "height", "bmi", "smoking", "phq2"][..],
        ),
        ("hypertension", "38341003", &["bp-clinic", "egfr", "weight", "height", "bmi", "smoking"]),
        (
            "chronic-kidney-disease",
            "709044004",
            &["bp-clinic", "egfr", "weight", "height", "bmi", "smoking"],
        ),
        (
            "copd",
            "13645005",
            &[
                "chest-exacerbations",
                "inhaler-technique",
                "smoking",
                "weight",
                "height",
                "bmi",
                "phq2",
            ],
        ),
        ("asthma", "195967001", &["chest-exacerbations", "inhaler-technique", "smoking"]),
    ]
    .into_iter()
    .map(|(id, code, items)| {
        let file = json!({"id": id, "name": id, "short_name": id, "plain_name": id,
            "kind": "condition", "appointment_checks": ["blood-test"], "items": items,
            "codes": [{"snomed": code, "term": id, "source": "test"}]});
        (format!("{id}.json"), file.to_string())
    })
    .collect()
}

fn catalogue() -> Catalogue {
    let files = condition_files();
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    Catalogue::from_files(CHECKS, &items_file(), &files).expect("the test catalogue is valid")
}

/// Builds observations with ids in order, from values typed as the HCA would type them.
struct Record<'c> {
    catalogue: &'c Catalogue,
    observations: Vec<Observation>,
}

impl<'c> Record<'c> {
    fn new(catalogue: &'c Catalogue) -> Record<'c> {
        Record { catalogue, observations: Vec::new() }
    }

    fn push(&mut self, item: &str, taken_on: NaiveDate, recorded: Recorded, this_cycle: bool) {
        let id = self.observations.len() as i64 + 1;
        self.observations.push(Observation {
            id,
            item: item.into(),
            taken_on,
            recorded,
            this_cycle,
        });
    }

    fn value(mut self, item: &str, typed: &str, taken_on: NaiveDate, this_cycle: bool) -> Self {
        let definition = self.catalogue.measures().item(item).unwrap();
        let value =
            definition.parse_entry(Entry { value: typed, ..Entry::default() }, today()).unwrap();
        self.push(item, taken_on, Recorded::Value(value), this_cycle);
        self
    }

    fn today(self, item: &str, typed: &str) -> Self {
        self.value(item, typed, today(), true)
    }

    fn answers(mut self, item: &str, picks: &[usize], this_cycle: bool) -> Self {
        let definition = self.catalogue.measures().item(item).unwrap();
        let answers: Vec<Option<usize>> = picks.iter().map(|p| Some(*p)).collect();
        let value = definition
            .parse_entry(Entry { answers: &answers, ..Entry::default() }, today())
            .unwrap();
        self.push(item, today(), Recorded::Value(value), this_cycle);
        self
    }

    fn not_done(mut self, item: &str, reason: NotDoneReason) -> Self {
        self.push(item, today(), Recorded::NotDone(reason), true);
        self
    }

    fn checklist(&self, conditions: &[&str]) -> Checklist<'c> {
        Checklist::build(self.catalogue, conditions, &self.observations, today())
    }
}

/// `(item, conditions that want it)` for every line, in order.
fn lines(checklist: &Checklist<'_>) -> Vec<(String, Vec<String>)> {
    checklist
        .lines
        .iter()
        .map(|l| {
            (l.item.id().to_string(), l.wanted_by.iter().map(|c| c.id().to_string()).collect())
        })
        .collect()
}

fn state<'a>(checklist: &'a Checklist<'_>, item: &str) -> Option<&'a LineState> {
    checklist.lines.iter().find(|l| l.item.id() == item).map(|l| &l.state)
}

fn owned(lines: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    lines
        .iter()
        .map(|(item, wanted)| (item.to_string(), wanted.iter().map(|c| c.to_string()).collect()))
        .collect()
}

#[test]
fn each_item_appears_once_with_every_condition_that_wants_it() {
    let catalogue = catalogue();
    let record = Record::new(&catalogue);
    /// The conditions, then each line's item and the conditions that want it.
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a [&'a str])]);
    let cases: [Case<'_>; 3] = [
        (
            &["type-2-diabetes", "hypertension", "chronic-kidney-disease"],
            &[
                ("bp-clinic", &["type-2-diabetes", "hypertension", "chronic-kidney-disease"]),
                ("weight", &["type-2-diabetes", "hypertension", "chronic-kidney-disease"]),
                ("height", &["type-2-diabetes", "hypertension", "chronic-kidney-disease"]),
                ("bmi", &["type-2-diabetes", "hypertension", "chronic-kidney-disease"]),
                ("hba1c", &["type-2-diabetes"]),
                ("egfr", &["type-2-diabetes", "hypertension", "chronic-kidney-disease"]),
                ("phq2", &["type-2-diabetes"]),
                ("smoking", &["type-2-diabetes", "hypertension", "chronic-kidney-disease"]),
            ],
        ),
        (
            &["copd", "asthma"],
            &[
                ("weight", &["copd"]),
                ("height", &["copd"]),
                ("bmi", &["copd"]),
                ("phq2", &["copd"]),
                ("chest-exacerbations", &["copd", "asthma"]),
                ("inhaler-technique", &["copd", "asthma"]),
                ("smoking", &["copd", "asthma"]),
            ],
        ),
        (
            &["asthma", "asthma", "not-a-condition"],
            &[
                ("chest-exacerbations", &["asthma"]),
                ("inhaler-technique", &["asthma"]),
                ("smoking", &["asthma"]),
            ],
        ),
    ];
    for (conditions, expected) in cases {
        assert_eq!(lines(&record.checklist(conditions)), owned(expected), "{conditions:?}");
    }
    assert!(record.checklist(&[]).lines.is_empty(), "no conditions, nothing to record");
}

#[test]
fn every_mix_of_conditions_gives_each_item_once_in_file_order() {
    let catalogue = catalogue();
    let record = Record::new(&catalogue);
    let all: Vec<&str> = catalogue.conditions().iter().map(|c| c.id()).collect();
    let order: Vec<&str> = catalogue.measures().items().iter().map(|i| i.id()).collect();
    for mask in 1..(1u32 << all.len()) {
        let mix: Vec<&str> =
            all.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, c)| *c).collect();
        let checklist = record.checklist(&mix);
        let ids: Vec<&str> = checklist.lines.iter().map(|l| l.item.id()).collect();
        let mut expected: Vec<&str> = order
            .iter()
            .copied()
            .filter(|item| {
                mix.iter()
                    .any(|c| catalogue.condition(c).unwrap().items().iter().any(|i| i == item))
            })
            .collect();
        expected.dedup();
        assert_eq!(ids, expected, "{mix:?}: each wanted item once, in the order of items.json");
        for line in &checklist.lines {
            let wanting: Vec<&str> = mix
                .iter()
                .copied()
                .filter(|c| {
                    catalogue.condition(c).unwrap().items().iter().any(|i| i == line.item.id())
                })
                .collect();
            let wanted_by: Vec<&str> = line.wanted_by.iter().map(|c| c.id()).collect();
            assert_eq!(wanted_by, wanting, "{mix:?} {}", line.item.id());
        }
    }
}

#[test]
fn the_phq9_joins_only_after_a_positive_phq2_this_year() {
    let catalogue = catalogue();
    for (picks, this_cycle, phq9) in [
        ([0, 0], true, false),
        ([1, 1], true, false),
        ([2, 0], true, false),
        ([1, 2], true, true),
        ([3, 0], true, true),
        ([3, 3], true, true),
        ([3, 3], false, false),
    ] {
        let record = Record::new(&catalogue).answers("phq2", &picks, this_cycle);
        let checklist = record.checklist(&["copd", "type-2-diabetes"]);
        let ids: Vec<&str> = checklist.lines.iter().map(|l| l.item.id()).collect();
        assert_eq!(ids.contains(&"phq9"), phq9, "PHQ-2 {picks:?}, this review: {this_cycle}");
        if phq9 {
            let position = ids.iter().position(|i| *i == "phq9").unwrap();
            assert_eq!(ids[position - 1], "phq2", "the PHQ-9 follows the PHQ-2");
            let line = &checklist.lines[position];
            let wanted: Vec<&str> = line.wanted_by.iter().map(|c| c.id()).collect();
            assert_eq!(wanted, ["copd", "type-2-diabetes"], "wanted by whoever wants the PHQ-2");
            assert_eq!(line.state, LineState::Missing);
            assert_eq!(checklist.missing().last().map(|i| i.id()), Some("smoking"));
            assert!(checklist.missing().iter().any(|i| i.id() == "phq9"));
        }
    }
    let positive = Record::new(&catalogue).answers("phq2", &[2, 2], true);
    assert!(
        !positive.checklist(&["asthma"]).lines.iter().any(|l| l.item.id() == "phq9"),
        "no PHQ-9 for someone whose conditions do not ask for the PHQ-2"
    );
}

#[test]
fn a_height_from_the_last_five_years_still_counts() {
    let catalogue = catalogue();
    for (taken_on, counts) in [
        (day(2023, 3, 10), true),  // four years ago
        (day(2022, 3, 10), true),  // exactly 60 months ago
        (day(2022, 3, 9), false),  // a day more
        (day(2021, 3, 10), false), // six years ago
    ] {
        let record = Record::new(&catalogue).value("height", "171.0", taken_on, false);
        let checklist = record.checklist(&["hypertension"]);
        let expected = if counts { LineState::StillValid(1) } else { LineState::Missing };
        assert_eq!(state(&checklist, "height"), Some(&expected), "height taken {taken_on}");
        assert_eq!(checklist.missing().iter().any(|i| i.id() == "height"), !counts, "{taken_on}");
    }
    let record = Record::new(&catalogue)
        .value("weight", "80.0", day(2026, 3, 1), false)
        .value("height", "171.0", day(2024, 1, 1), false)
        .value("height", "172.0", day(2025, 1, 1), false);
    let checklist = record.checklist(&["hypertension"]);
    assert_eq!(
        state(&checklist, "weight"),
        Some(&LineState::Missing),
        "last year's weight does not count this year"
    );
    assert_eq!(state(&checklist, "height"), Some(&LineState::StillValid(3)), "the latest height");
    let record = Record::new(&catalogue)
        .value("height", "171.0", day(2024, 1, 1), false)
        .today("height", "170.5");
    assert_eq!(
        state(&record.checklist(&["hypertension"]), "height"),
        Some(&LineState::Recorded(2)),
        "a height measured this year is this year's"
    );
}

#[test]
fn a_sample_at_the_lab_is_outstanding_and_other_reasons_are_not() {
    let catalogue = catalogue();
    let done_except_lab = |lab: Recorded| {
        let mut record = Record::new(&catalogue)
            .today("bp-clinic", "138/82")
            .today("weight", "80.0")
            .today("height", "171.0")
            .answers("phq2", &[0, 1], true)
            .today("smoking", "never");
        // BMI is worked out by the store from the weight and height, never typed.
        let bmi = catalogue.measures().item("bmi").unwrap().restore("27.4", None, "").unwrap();
        record.push("bmi", today(), Recorded::Value(bmi), true);
        record.push("hba1c", today(), lab.clone(), true);
        record.push("egfr", today(), lab, true);
        record
    };
    for (lab, complete, awaiting) in [
        (Recorded::NotDone(NotDoneReason::SentToLab), false, vec!["hba1c", "egfr"]),
        (Recorded::NotDone(NotDoneReason::Declined), true, vec![]),
        (Recorded::NotDone(NotDoneReason::Unable), true, vec![]),
        (Recorded::NotDone(NotDoneReason::NotApplicable), true, vec![]),
    ] {
        let record = done_except_lab(lab.clone());
        let checklist = record.checklist(&["type-2-diabetes"]);
        assert!(checklist.missing().is_empty(), "{lab:?}: everything has a value or a reason");
        assert_eq!(checklist.is_complete(), complete, "{lab:?}");
        let at_lab: Vec<&str> = checklist.awaiting_lab().iter().map(|i| i.id()).collect();
        assert_eq!(at_lab, awaiting, "{lab:?}");
    }
    let mut record = done_except_lab(Recorded::NotDone(NotDoneReason::SentToLab));
    let hba1c = catalogue.measures().item("hba1c").unwrap();
    let result = hba1c.parse_entry(Entry { value: "53", ..Entry::default() }, today()).unwrap();
    record.push("hba1c", today(), Recorded::Value(result.clone()), true);
    record.push("egfr", today(), Recorded::Value(result), true);
    let checklist = record.checklist(&["type-2-diabetes"]);
    assert!(checklist.is_complete(), "the results arrived: nothing outstanding");
    assert_eq!(state(&checklist, "hba1c"), Some(&LineState::Recorded(9)), "the latest counts");
    assert!(LineState::Missing.is_outstanding());
    assert!(!LineState::CannotWorkOut("weight not done".into()).is_outstanding());
}

#[test]
fn bmi_cannot_be_worked_out_when_weight_or_height_was_not_done() {
    let catalogue = catalogue();
    let conditions = ["hypertension"];
    let cases: Vec<(Record<'_>, LineState)> = vec![
        (
            Record::new(&catalogue)
                .not_done("weight", NotDoneReason::Unable)
                .today("height", "171.0"),
            LineState::CannotWorkOut("weight not done".into()),
        ),
        (
            Record::new(&catalogue)
                .today("weight", "80.0")
                .not_done("height", NotDoneReason::Declined),
            LineState::CannotWorkOut("height not done".into()),
        ),
        (
            Record::new(&catalogue)
                .not_done("weight", NotDoneReason::Declined)
                .not_done("height", NotDoneReason::Unable),
            LineState::CannotWorkOut("weight and height not done".into()),
        ),
        (
            Record::new(&catalogue).not_done("weight", NotDoneReason::Unable).value(
                "height",
                "171.0",
                day(2024, 5, 1),
                false,
            ),
            LineState::CannotWorkOut("weight not done".into()),
        ),
        (Record::new(&catalogue).today("height", "171.0"), LineState::Missing),
        (Record::new(&catalogue), LineState::Missing),
    ];
    for (record, expected) in cases {
        let checklist = record.checklist(&conditions);
        assert_eq!(state(&checklist, "bmi"), Some(&expected));
        assert!(
            !checklist.missing().iter().any(|i| i.id() == "bmi"),
            "BMI follows its inputs: it is never asked for by itself"
        );
        let weight_or_height_missing =
            checklist.missing().iter().any(|i| i.id() == "weight" || i.id() == "height");
        assert_eq!(
            weight_or_height_missing,
            expected == LineState::Missing,
            "{expected:?}: a BMI still to work out leaves its inputs to record"
        );
    }
}

#[test]
fn the_latest_value_of_an_item_counts() {
    let catalogue = catalogue();
    let record = Record::new(&catalogue)
        .value("weight", "80.0", day(2027, 3, 1), true)
        .value("weight", "81.0", day(2027, 2, 1), true)
        .value("weight", "82.0", day(2027, 3, 1), true)
        .value("weight", "90.0", day(2027, 3, 9), false);
    assert_eq!(latest(&record.observations, "weight", true).map(|o| o.id), Some(3));
    assert_eq!(latest(&record.observations, "weight", false).map(|o| o.id), Some(4));
    assert_eq!(latest(&record.observations, "height", false), None);
    assert_eq!(
        state(&record.checklist(&["hypertension"]), "weight"),
        Some(&LineState::Recorded(3)),
        "the newest this year, the same day broken by the later entry"
    );
}

#[test]
fn not_done_reasons_read_back_from_their_codes() {
    for reason in NotDoneReason::ALL {
        assert_eq!(NotDoneReason::parse(reason.code()), Some(reason));
        assert!(!reason.label().is_empty());
    }
    assert_eq!(NotDoneReason::parse("lost"), None);
    assert_eq!(NotDoneReason::SentToLab.label(), "Sent to lab — awaiting result");
}
