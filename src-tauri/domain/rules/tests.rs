//! The rule table's reading and checking, on small tables written here; the shipped table is
//! tested in `tests/it/rules.rs`.

use serde_json::{json, Value as Json};

use super::*;
use crate::domain::measures::tests::{item, with};
use crate::domain::measures::Entry;

#[test]
fn decimals_compare_exactly_as_written() {
    let d = |t: &str| Decimal::parse(t).unwrap();
    assert_eq!(d("6.0"), d("6"));
    assert!(d("5.5") < d("5.50001"));
    assert_eq!(d("-1.25").to_string(), "-1.25");
    assert_eq!(d("0.05").to_string(), "0.05");
    for bad in ["", "1e3", "1.", ".5", "5,5", " 5", "five"] {
        assert!(Decimal::parse(bad).is_none(), "{bad:?} is not a plain number");
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2027, 3, 10)
}

const CONDITIONS: &[&str] = &["chronic-kidney-disease"];

fn without(mut value: Json, key: &str) -> Json {
    value.as_object_mut().unwrap().remove(key);
    value
}

/// A few items of every kind a rule can read, shaped like the shipped ones.
fn measures() -> Measures {
    let answers = json!([
        {"label": "Not at all", "score": 0},
        {"label": "Several days", "score": 1},
        {"label": "More than half the days", "score": 2},
        {"label": "Nearly every day", "score": 3}
    ]);
    let questions: Vec<Json> = (1..=9)
        .map(
            |n| json!({"id": format!("q{n}"), "text": format!("Question {n}"), "options": answers}),
        )
        .collect();
    let number = |unit: Json, min: f64, max: f64, decimals: u8| {
        let range = json!({"min": min, "max": max});
        json!({"unit": unit, "range": range, "decimals": decimals})
    };
    let file = json!({
        "about": "test items",
        "groups": [{"id": "measurements", "label": "Measurements"},
                   {"id": "lab", "label": "Bloods"},
                   {"id": "questionnaires", "label": "Questionnaires"}],
        "items": [
            with(item("bp-clinic", "Blood pressure (clinic)", "measurements", "blood-pressure",
                "blood-pressure", "75367002"),
                json!({"unit": {"display": "mmHg", "ucum": "mm[Hg]"}, "decimals": 0,
                    "systolic": {"snomed": "72313002", "range": {"min": 60, "max": 300}},
                    "diastolic": {"snomed": "1091811000000102",
                        "range": {"min": 30, "max": 200}}})),
            with(item("hba1c", "HbA1c", "lab", "blood-sugar", "number", "999791000000106"),
                number(json!({"display": "mmol/mol", "ucum": "mmol/mol"}), 20.0, 200.0, 0)),
            with(item("egfr", "eGFR", "lab", "kidneys", "number", "1011481000000105"),
                number(json!({"display": "mL/min/1.73m²", "ucum": "mL/min/{1.73_m2}"}), 1.0,
                    200.0, 0)),
            with(item("potassium", "Potassium", "lab", "kidneys", "number", "1000651000000109"),
                number(json!({"display": "mmol/L", "ucum": "mmol/L"}), 1.5, 9.5, 1)),
            with(item("urine-acr", "Urine ACR", "lab", "kidneys", "number", "1023491000000104"),
                number(json!({"display": "mg/mmol", "ucum": "mg/mmol"}), 0.0, 1000.0, 1)),
            with(item("smoking", "Smoking status", "measurements", "lifestyle", "choice",
                "229819007"), json!({"options": [
                    {"id": "current-smoker", "label": "Current smoker", "snomed": "77176002"},
                    {"id": "ex-smoker", "label": "Ex-smoker", "snomed": "8517006"},
                    {"id": "never-smoked", "label": "Never smoked", "snomed": "266919005"}]})),
            with(item("mrc-dyspnoea", "MRC dyspnoea grade", "questionnaires", "breathing",
                "choice", "267036007"), json!({"options": [
                    {"id": "grade-1", "label": "Grade 1", "snomed": "391120009", "score": 1},
                    {"id": "grade-2", "label": "Grade 2", "snomed": "391123006", "score": 2},
                    {"id": "grade-3", "label": "Grade 3", "snomed": "391124000", "score": 3},
                    {"id": "grade-4", "label": "Grade 4", "snomed": "391125004", "score": 4},
                    {"id": "grade-5", "label": "Grade 5", "snomed": "391126003", "score": 5}]})),
            with(item("retinal-screening", "Retinal screening", "measurements",
                "feet-and-eyes", "date", "134395001"), json!({"options": [
                    {"id": "no-retinopathy", "label": "No retinopathy found"},
                    {"id": "referred", "label": "Referred to eye clinic"}]})),
            with(item("phq9", "PHQ-9", "questionnaires", "mood", "questionnaire", "720433000"),
                json!({"questions": questions, "bands": [
                    {"from": 0, "to": 4, "label": "Minimal"},
                    {"from": 5, "to": 9, "label": "Mild"},
                    {"from": 10, "to": 14, "label": "Moderate"},
                    {"from": 15, "to": 19, "label": "Moderately severe"},
                    {"from": 20, "to": 27, "label": "Severe"}]})),
            item("medication-problems", "Medication problems", "questionnaires", "medicines",
                "text", "182836005"),
        ]
    });
    Measures::from_json(&file.to_string()).expect("the test items are valid")
}

/// A valid amber rule on HbA1c, for each test to change.
fn rule(id: &str) -> Json {
    json!({"id": id, "title": "HbA1c above target", "reads": ["hba1c"],
        "when": {"any": [{"of": "value", "op": ">", "threshold": 58}]},
        "unit": "mmol/mol", "severity": "amber", "rationale": "Why it matters.",
        "meaning": "What it means for you.", "source": "Test source",
        "valid_from": "2020-01-01", "valid_to": null})
}

/// A condition comparing `of`.
fn compare(of: &str, op: &str, threshold: Json) -> Json {
    json!({"of": of, "op": op, "threshold": threshold})
}

/// A condition on the option chosen.
fn option_in(options: &[&str]) -> Json {
    json!({"of": "option", "in": options})
}

/// A red rule reading `item` that matches when any of the conditions holds.
fn red(id: &str, item: &str, unit: Option<&str>, any: &[Json]) -> Json {
    let rule = with(rule(id), json!({"reads": [item], "when": {"any": any}, "severity": "red"}));
    match unit {
        Some(unit) => with(rule, json!({"unit": unit})),
        None => without(rule, "unit"),
    }
}

fn file_text(rules: &[Json]) -> String {
    json!({"area": "Test", "version": "1", "rules": rules}).to_string()
}

fn read_text(text: &str) -> Result<RuleSet, RuleError> {
    RuleSet::from_files(&[("test.json", text)], &measures(), CONDITIONS)
}

fn read(rules: &[Json]) -> Result<RuleSet, RuleError> {
    read_text(&file_text(rules))
}

fn refusal(rules: &[Json]) -> RuleError {
    match read(rules) {
        Ok(_) => panic!("{} is refused", file_text(rules)),
        Err(e) => e,
    }
}

fn value(measures: &Measures, item: &str, text: &str) -> Value {
    let item = measures.item(item).unwrap();
    item.parse_entry(Entry { value: text, ..Entry::default() }, today())
        .unwrap_or_else(|e| panic!("{} {text}: {e}", item.id()))
}

fn person() -> PersonFacts {
    PersonFacts { date_of_birth: day(1960, 6, 1), conditions: vec![], frailty: None }
}

fn findings(
    rules: &RuleSet,
    measures: &Measures,
    item: &str,
    text: &str,
) -> Vec<(Severity, String)> {
    let value = value(measures, item, text);
    let reading = Reading {
        observation: 1,
        item: measures.item(item).unwrap(),
        taken_on: today(),
        value: &value,
    };
    assess(rules, &person(), &reading, &[reading], &[])
        .findings
        .iter()
        .map(|f| (f.severity, f.rule_id().to_string()))
        .collect()
}

#[test]
fn a_valid_rule_is_read_with_everything_it_says() {
    let ckd = with(
        rule("bp-ckd"),
        json!({"title": "Blood pressure above target (CKD)", "reads": ["bp-clinic"],
            "population": {"age_from": 18, "age_below": 120,
                "conditions": ["chronic-kidney-disease"], "frailty": ["none", "mild"],
                "with_result": {"item": "urine-acr", "op": ">=", "threshold": 70,
                    "within_months": 12}},
            "when": {"any": [{"of": "systolic", "op": ">", "threshold": 130},
                             {"of": "diastolic", "op": ">", "threshold": 80}]},
            "unit": "mm[Hg]", "precedence": 1, "valid_to": "2030-12-31"}),
    );
    let rules = read(&[rule("hba1c-target"), ckd]).unwrap();
    assert_eq!(
        rules.files(),
        [RuleFile { name: "test.json".into(), area: "Test".into(), version: "1".into() }]
    );
    assert_eq!(rules.rules().len(), 2);
    let bp = rules.rule("bp-ckd").unwrap();
    assert_eq!((bp.file.as_str(), bp.severity, bp.precedence), ("test.json", Severity::Amber, 1));
    assert_eq!(bp.matching, Match::Any);
    assert_eq!(bp.unit.as_deref(), Some("mm[Hg]"));
    assert_eq!((bp.valid_from, bp.valid_to), (day(2020, 1, 1), Some(day(2030, 12, 31))));
    assert_eq!(
        bp.population,
        Population {
            age_from: Some(18),
            age_below: Some(120),
            conditions: vec!["chronic-kidney-disease".into()],
            frailty: vec![None, Some(FrailtyGrade::Mild)],
            with_result: Some(WithResult {
                item: "urine-acr".into(),
                of: Operand::Value,
                op: Op::AtLeast,
                threshold: Decimal::from_int(70),
                within_months: 12,
            }),
        }
    );
    assert_eq!(
        bp.thresholds(),
        vec![
            ("systolic".to_string(), Op::Above, Decimal::from_int(130)),
            ("diastolic".to_string(), Op::Above, Decimal::from_int(80)),
        ]
    );
    assert!(rules.rule("nothing").is_none());
    let by_item = rules_by_item(&rules);
    assert_eq!(by_item["bp-clinic"].len(), 1);
    assert_eq!(by_item["hba1c"][0].id, "hba1c-target");
}

/// A rule reading `item` with one condition, with the unit given.
fn on(id: &str, item: &str, unit: Option<&str>, condition: Json) -> Json {
    let rule = with(rule(id), json!({"reads": [item], "when": {"any": [condition]}}));
    match unit {
        Some(unit) => with(rule, json!({"unit": unit})),
        None => without(rule, "unit"),
    }
}

/// A rule on HbA1c with one condition, in mmol/mol.
fn hba1c(id: &str, condition: Json) -> Json {
    on(id, "hba1c", Some("mmol/mol"), condition)
}

/// A rule on HbA1c for this population.
fn among(id: &str, population: Json) -> Json {
    with(rule(id), json!({"population": population}))
}

#[test]
fn a_rule_that_does_not_fit_the_catalogue_is_refused_naming_the_file_and_the_rule() {
    let above_58 = json!({"of": "value", "op": ">", "threshold": 58});
    let cases: Vec<(&str, Json, &str)> = vec![
        (
            "glucose-high",
            with(rule("glucose-high"), json!({"reads": ["glucose"]})),
            "reads item 'glucose', which the catalogue does not have",
        ),
        ("no-item", with(rule("no-item"), json!({"reads": []})), "reads no item"),
        ("coloured", with(rule("coloured"), json!({"colour": "red"})), "unknown field `colour`"),
        (
            "odd-condition",
            hba1c("odd-condition", with(above_58.clone(), json!({"units": "%"}))),
            "unknown field `units`",
        ),
        ("odd-people", among("odd-people", json!({"sex": "female"})), "unknown field `sex`"),
        (
            "orange",
            with(rule("orange"), json!({"severity": "orange"})),
            "severity 'orange' is not 'red' or 'amber'",
        ),
        (
            "percent",
            with(rule("percent"), json!({"unit": "%"})),
            "the unit '%' is not the unit of hba1c ('mmol/mol')",
        ),
        (
            "egfr-display-unit",
            on("egfr-display-unit", "egfr", Some("mL/min/1.73m²"), above_58.clone()),
            "is not the unit of egfr ('mL/min/{1.73_m2}')",
        ),
        (
            "no-unit",
            without(rule("no-unit"), "unit"),
            "compares a measurement, so it needs its 'unit'",
        ),
        (
            "smoking-unit",
            on("smoking-unit", "smoking", Some("%"), json!({"of": "option", "in": ["ex-smoker"]})),
            "has a unit '%' but compares no measurement",
        ),
        (
            "mrc-unit",
            on(
                "mrc-unit",
                "mrc-dyspnoea",
                Some("%"),
                json!({"of": "score", "op": ">=", "threshold": 3}),
            ),
            "has a unit '%' but compares no measurement",
        ),
        (
            "hba1c-systolic",
            hba1c("hba1c-systolic", json!({"of": "systolic", "op": ">", "threshold": 140})),
            "hba1c has no systolic to compare",
        ),
        (
            "bp-value",
            on("bp-value", "bp-clinic", Some("mm[Hg]"), above_58.clone()),
            "bp-clinic has no value to compare",
        ),
        (
            "smoking-score",
            on("smoking-score", "smoking", None, json!({"of": "score", "op": ">", "threshold": 1})),
            "smoking has no score to compare",
        ),
        (
            "text-value",
            on("text-value", "medication-problems", None, above_58.clone()),
            "medication-problems has no value to compare",
        ),
        (
            "mean",
            hba1c("mean", json!({"of": "mean", "op": ">", "threshold": 58})),
            "'mean' is not something a rule can compare",
        ),
        (
            "vaping",
            on("vaping", "smoking", None, json!({"of": "option", "in": ["vaping"]})),
            "smoking has no option 'vaping'",
        ),
        (
            "no-options",
            on("no-options", "smoking", None, json!({"of": "option", "in": []})),
            "'in' lists no options",
        ),
        (
            "hba1c-option",
            on("hba1c-option", "hba1c", None, json!({"of": "option", "in": ["high"]})),
            "hba1c has no options",
        ),
        (
            "option-with-op",
            on("option-with-op", "smoking", None, json!({"of": "option", "in": [], "op": "="})),
            "an 'option' condition has 'in', not 'op' or 'threshold'",
        ),
        (
            "phq9-q10",
            on(
                "phq9-q10",
                "phq9",
                None,
                json!({"of": "answer", "question": "q10", "op": ">", "threshold": 0}),
            ),
            "phq9 has no question 'q10'",
        ),
        (
            "phq9-no-question",
            on(
                "phq9-no-question",
                "phq9",
                None,
                json!({"of": "answer", "op": ">", "threshold": 0}),
            ),
            "an 'answer' condition needs its 'question'",
        ),
        (
            "phq9-score-question",
            on(
                "phq9-score-question",
                "phq9",
                None,
                json!({"of": "score", "question": "q9", "op": ">", "threshold": 9}),
            ),
            "'question' belongs only to an 'answer' condition",
        ),
        (
            "hba1c-answer",
            hba1c(
                "hba1c-answer",
                json!({"of": "answer", "question": "q1", "op": ">", "threshold": 0}),
            ),
            "hba1c is not a questionnaire",
        ),
        (
            "fall-no-months",
            on(
                "fall-no-months",
                "egfr",
                None,
                json!({"of": "fall-percent", "op": ">=", "threshold": 25}),
            ),
            "a 'fall-percent' condition needs 'within_months'",
        ),
        (
            "value-months",
            hba1c("value-months", with(above_58.clone(), json!({"within_months": 12}))),
            "'within_months' belongs only to a 'fall-percent' condition",
        ),
        (
            "bad-op",
            hba1c("bad-op", json!({"of": "value", "op": "=>", "threshold": 58})),
            "'=>' is not one of >, >=, <, <=, =",
        ),
        (
            "no-op",
            hba1c("no-op", json!({"of": "value", "threshold": 58})),
            "the condition needs an 'op'",
        ),
        (
            "no-threshold",
            hba1c("no-threshold", json!({"of": "value", "op": ">"})),
            "the condition needs a 'threshold'",
        ),
        (
            "quoted-threshold",
            hba1c("quoted-threshold", json!({"of": "value", "op": ">", "threshold": "58"})),
            "must be written as a plain number",
        ),
        (
            "type-3",
            among("type-3", json!({"conditions": ["diabetes-type-3"]})),
            "population condition 'diabetes-type-3' is not in the catalogue",
        ),
        (
            "very-frail",
            among("very-frail", json!({"frailty": ["very"]})),
            "frailty 'very' is not none, mild, moderate or severe",
        ),
        (
            "no-age",
            among("no-age", json!({"age_from": 80, "age_below": 80})),
            "no age is at least 80 and below 80",
        ),
        (
            "with-glucose",
            among(
                "with-glucose",
                json!({"with_result":
                    {"item": "glucose", "op": ">", "threshold": 7, "within_months": 12}}),
            ),
            "population reads item 'glucose', which the catalogue does not have",
        ),
        (
            "with-systolic",
            among(
                "with-systolic",
                json!({"with_result": {"item": "urine-acr", "of": "systolic", "op": ">",
                    "threshold": 7, "within_months": 12}}),
            ),
            "urine-acr has no systolic to compare",
        ),
        (
            "with-bad-op",
            among(
                "with-bad-op",
                json!({"with_result":
                    {"item": "urine-acr", "op": "≥", "threshold": 70, "within_months": 12}}),
            ),
            "'≥' is not one of",
        ),
        (
            "leap",
            with(rule("leap"), json!({"valid_from": "2021-02-29"})),
            "valid_from '2021-02-29' is not a date written YYYY-MM-DD",
        ),
        (
            "british",
            with(rule("british"), json!({"valid_from": "01/04/2021"})),
            "valid_from '01/04/2021' is not a date",
        ),
        (
            "month-13",
            with(rule("month-13"), json!({"valid_to": "2021-13-01"})),
            "valid_to '2021-13-01' is not a date",
        ),
        (
            "backwards",
            with(rule("backwards"), json!({"valid_from": "2021-04-01", "valid_to": "2021-03-31"})),
            "valid_to is before valid_from",
        ),
        (
            "both",
            with(
                rule("both"),
                json!({"when": {"any": [above_58.clone()],
                    "all": [{"of": "value", "op": "<", "threshold": 90}]}}),
            ),
            "'when' needs exactly one of 'any' or 'all'",
        ),
        (
            "neither",
            with(rule("neither"), json!({"when": {}})),
            "'when' needs exactly one of 'any' or 'all'",
        ),
        ("empty-when", with(rule("empty-when"), json!({"when": {"all": []}})), "has no conditions"),
        ("untitled", with(rule("untitled"), json!({"title": "  "})), "the title is empty"),
        (
            "no-rationale",
            with(rule("no-rationale"), json!({"rationale": ""})),
            "the rationale is empty",
        ),
        ("no-meaning", with(rule("no-meaning"), json!({"meaning": ""})), "the meaning is empty"),
        ("no-source", with(rule("no-source"), json!({"source": ""})), "the source is empty"),
        (
            "HbA1c Target",
            rule("HbA1c Target"),
            "the id must be lower-case letters, digits and hyphens",
        ),
        (
            "no-valid-from",
            without(rule("no-valid-from"), "valid_from"),
            "missing field `valid_from`",
        ),
    ];
    for (id, bad, says) in cases {
        let refused = refusal(&[rule("fine"), bad]);
        assert_eq!((refused.file.as_str(), refused.rule.as_str()), ("test.json", id), "{refused}");
        assert!(
            refused.message.contains(says),
            "{id}: {:?} does not say {says:?}",
            refused.message
        );
        let shown = refused.to_string();
        assert!(shown.starts_with(&format!("test.json: rule {id}: ")), "{shown}");
    }
}

#[test]
fn a_rule_without_an_id_is_named_by_its_position() {
    let refused = refusal(&[rule("fine"), without(rule("x"), "id")]);
    assert_eq!((refused.file.as_str(), refused.rule.as_str()), ("test.json", "number 2"));
    assert!(refused.message.contains("missing field `id`"), "{}", refused.message);
}

#[test]
fn a_broken_file_is_refused_naming_the_file() {
    for (text, says) in [
        ("{", "not a valid rule file"),
        (r#"{"area": "Test", "version": "1"}"#, "missing field `rules`"),
        (r#"{"area": "Test", "version": "1", "rules": [], "notes": ""}"#, "unknown field `notes`"),
        (r#"{"area": "Test", "version": " ", "rules": []}"#, "needs an area and a version"),
        (r#"{"area": "", "version": "1", "rules": []}"#, "needs an area and a version"),
    ] {
        let refused = read_text(text).expect_err(text);
        assert_eq!((refused.file.as_str(), refused.rule.as_str()), ("test.json", "(file)"));
        assert!(refused.message.contains(says), "{text}: {}", refused.message);
    }
}

#[test]
fn an_id_is_used_once_across_all_the_files() {
    let refused =
        refusal(&[rule("hba1c-target"), with(rule("hba1c-target"), json!({"severity": "red"}))]);
    assert_eq!((refused.file.as_str(), refused.rule.as_str()), ("test.json", "hba1c-target"));
    assert!(refused.message.contains("used by another rule"), "{}", refused.message);
    let first = file_text(&[rule("hba1c-target")]);
    let second = file_text(&[with(rule("hba1c-target"), json!({"severity": "red"}))]);
    let refused =
        RuleSet::from_files(&[("a.json", &first), ("b.json", &second)], &measures(), CONDITIONS)
            .unwrap_err();
    assert_eq!((refused.file.as_str(), refused.rule.as_str()), ("b.json", "hba1c-target"));
}

#[test]
fn thresholds_are_plain_numbers_never_exponents() {
    let mut accepted = Vec::new();
    for written in ["5.8e1", "58e0", "580e-1", "1e2", "5.8E1", "1e30"] {
        let text = file_text(&[rule("hba1c-target")])
            .replace("\"threshold\":58", &format!("\"threshold\":{written}"));
        assert!(text.contains(written), "{text}");
        match read_text(&text) {
            Ok(set) => {
                accepted.push(format!("{written} read as {}", set.rules()[0].thresholds()[0].2))
            }
            Err(refused) => {
                assert_eq!(refused.rule, "hba1c-target");
                assert!(refused.message.contains("plain number"), "{written}: {}", refused.message);
            }
        }
    }
    assert!(accepted.is_empty(), "thresholds written as exponents were accepted: {accepted:?}");
    let text = file_text(&[with(
        rule("potassium-high"),
        json!({"reads": ["potassium"], "unit": "mmol/L"}),
    )])
    .replace("\"threshold\":58", "\"threshold\":5.5");
    let set = read_text(&text).unwrap();
    assert_eq!(set.rules()[0].thresholds()[0].2, Decimal::parse("5.5").unwrap());
}

#[test]
fn two_amber_targets_that_could_apply_to_the_same_result_are_refused() {
    let aged = |id: &str, population: Json| with(rule(id), json!({"population": population}));
    for (first, second) in [
        (rule("a"), rule("b")),
        (aged("a", json!({"age_below": 80})), aged("b", json!({"age_from": 70}))),
        (aged("a", json!({"age_from": 80})), rule("b")),
        (
            aged("a", json!({"frailty": ["none", "mild"]})),
            aged("b", json!({"frailty": ["mild", "severe"]})),
        ),
        (aged("a", json!({"frailty": ["none"]})), rule("b")),
        // Conditions and other results are not compared: precedence says which applies.
        (aged("a", json!({"conditions": ["chronic-kidney-disease"]})), rule("b")),
        (
            with(rule("a"), json!({"valid_to": "2021-01-01"})),
            with(rule("b"), json!({"valid_from": "2021-01-01"})),
        ),
        (with(rule("a"), json!({"precedence": 2})), with(rule("b"), json!({"precedence": 2}))),
    ] {
        let refused = refusal(&[first.clone(), second.clone()]);
        assert_eq!((refused.file.as_str(), refused.rule.as_str()), ("test.json", "b"), "{second}");
        assert!(
            refused.message.contains("could apply to the same result as rule a (test.json)"),
            "{}",
            refused.message
        );
    }
}

#[test]
fn amber_targets_with_disjoint_populations_dates_or_different_precedence_are_accepted() {
    let aged = |id: &str, population: Json| with(rule(id), json!({"population": population}));
    for (first, second) in [
        (aged("a", json!({"age_below": 80})), aged("b", json!({"age_from": 80}))),
        (
            aged("a", json!({"age_from": 18, "age_below": 65})),
            aged("b", json!({"age_from": 65, "age_below": 80})),
        ),
        (
            aged("a", json!({"frailty": ["none", "mild"]})),
            aged("b", json!({"frailty": ["moderate", "severe"]})),
        ),
        (rule("a"), with(rule("b"), json!({"precedence": 1}))),
        (
            aged("a", json!({"age_below": 80})),
            with(
                aged("b", json!({"conditions": ["chronic-kidney-disease"]})),
                json!({"precedence": -1}),
            ),
        ),
        (
            with(rule("a"), json!({"valid_to": "2020-12-31"})),
            with(rule("b"), json!({"valid_from": "2021-01-01"})),
        ),
        (rule("a"), with(rule("b"), json!({"severity": "red"}))),
        (rule("a"), with(rule("b"), json!({"reads": ["egfr"], "unit": "mL/min/{1.73_m2}"}))),
    ] {
        let set = read(&[first.clone(), second.clone()]);
        assert!(set.is_ok(), "{first} and {second}: {:?}", set.err());
    }
}

#[test]
fn a_practice_may_change_thresholds_but_not_how_many_a_rule_has() {
    let measures = measures();
    let bp = with(
        rule("bp-target"),
        json!({"reads": ["bp-clinic"], "unit": "mm[Hg]",
            "when": {"any": [{"of": "systolic", "op": ">", "threshold": 140},
                             {"of": "diastolic", "op": ">", "threshold": 90}]}}),
    );
    let shipped = read(&[rule("hba1c-target"), bp]).unwrap();
    let d = |t: &str| Decimal::parse(t).unwrap();
    let wrong = shipped.with_thresholds(&[("bp-target".into(), vec![d("150")])]).unwrap_err();
    assert!(wrong.contains("bp-target has 2 threshold(s), but 1 were given"), "{wrong}");
    let wrong = shipped.with_thresholds(&[("hba1c-target".into(), vec![])]).unwrap_err();
    assert!(wrong.contains("has 1 threshold(s), but 0 were given"), "{wrong}");
    let gone = shipped.with_thresholds(&[("hba1c-old".into(), vec![d("64")])]).unwrap_err();
    assert!(gone.contains("no rule hba1c-old"), "{gone}");

    let changed = shipped
        .with_thresholds(&[
            ("hba1c-target".into(), vec![d("64")]),
            ("bp-target".into(), vec![d("150"), d("95")]),
        ])
        .unwrap();
    assert_eq!(changed.rule("hba1c-target").unwrap().thresholds()[0].2, d("64"));
    let amber = |id: &str| vec![(Severity::Amber, id.to_string())];
    assert_eq!(findings(&shipped, &measures, "hba1c", "60"), amber("hba1c-target"));
    assert_eq!(findings(&changed, &measures, "hba1c", "60"), vec![]);
    assert_eq!(findings(&changed, &measures, "hba1c", "64"), vec![]);
    assert_eq!(findings(&changed, &measures, "hba1c", "65"), amber("hba1c-target"));
    assert_eq!(findings(&shipped, &measures, "bp-clinic", "145/92"), amber("bp-target"));
    assert_eq!(findings(&changed, &measures, "bp-clinic", "145/92"), vec![]);
    assert_eq!(findings(&changed, &measures, "bp-clinic", "150/95"), vec![]);
    assert_eq!(findings(&changed, &measures, "bp-clinic", "150/96"), amber("bp-target"));
    assert_eq!(findings(&changed, &measures, "bp-clinic", "151/80"), amber("bp-target"));
}

#[test]
fn a_rule_is_described_in_words_with_its_unit_and_options() {
    let measures = measures();
    let rules = read(&[
        red(
            "bp-severe",
            "bp-clinic",
            Some("mm[Hg]"),
            &[compare("systolic", ">=", json!(180)), compare("diastolic", ">=", json!(120))],
        ),
        rule("hba1c-target"),
        red("k-high", "potassium", Some("mmol/L"), &[compare("value", ">=", json!(6.0))]),
        red("smoker", "smoking", None, &[option_in(&["current-smoker", "ex-smoker"])]),
        red("mrc-3", "mrc-dyspnoea", None, &[compare("score", ">=", json!(3))]),
        red(
            "phq9-q9",
            "phq9",
            None,
            &[json!({"of": "answer", "question": "q9", "op": ">", "threshold": 0})],
        ),
        red(
            "egfr-fall",
            "egfr",
            None,
            &[json!({"of": "fall-percent", "op": ">=", "threshold": 25, "within_months": 12})],
        ),
        with(
            red("egfr-band", "egfr", Some("mL/min/{1.73_m2}"), &[]),
            json!({"when": {"all": [compare("value", ">=", json!(15)),
                compare("value", "<", json!(30))]}}),
        ),
        red("referred", "retinal-screening", None, &[option_in(&["referred"])]),
    ])
    .unwrap();
    for (id, words) in [
        ("bp-severe", "systolic ≥ 180 mmHg or diastolic ≥ 120 mmHg"),
        ("hba1c-target", "> 58 mmol/mol"),
        ("k-high", "≥ 6.0 mmol/L"),
        ("smoker", "Current smoker or Ex-smoker"),
        ("mrc-3", "score ≥ 3"),
        ("phq9-q9", "answer q9 > 0"),
        ("egfr-fall", "fall since a result in the previous 12 months ≥ 25 %"),
        ("egfr-band", "≥ 15 mL/min/1.73m² and < 30 mL/min/1.73m²"),
        ("referred", "Referred to eye clinic"),
    ] {
        assert_eq!(rules.rule(id).unwrap().describe(&measures), words, "{id}");
    }
}

#[test]
fn a_result_beyond_the_labs_range_matches_where_it_may_lie_inside_the_rule() {
    let d = |t: &str| Some(Decimal::parse(t).unwrap());
    let t = Decimal::parse("6.0").unwrap();
    for (op, low, high, holds) in [
        // "<2.0": somewhere below 2.0.
        (Op::AtLeast, None, d("2.0"), false),
        (Op::Above, None, d("2.0"), false),
        (Op::Below, None, d("2.0"), true),
        (Op::AtMost, None, d("2.0"), true),
        (Op::Equal, None, d("2.0"), false),
        // "<6.0" never reaches 6.0; "<6.1" may.
        (Op::AtLeast, None, d("6.0"), false),
        (Op::Equal, None, d("6.0"), false),
        (Op::AtLeast, None, d("6.1"), true),
        (Op::Above, None, d("6.1"), true),
        // ">6.0" is above 6.0, never at or below it.
        (Op::Above, d("6.0"), None, true),
        (Op::AtLeast, d("6.0"), None, true),
        (Op::AtMost, d("6.0"), None, false),
        (Op::Below, d("6.0"), None, false),
        (Op::Equal, d("6.0"), None, false),
        (Op::Below, d("5.9"), None, true),
        (Op::Equal, d("5.9"), None, true),
        (Op::Equal, None, None, true),
    ] {
        assert_eq!(op.holds_somewhere(low, high, t), holds, "{op:?} over ({low:?}, {high:?})");
    }

    let measures = measures();
    let rules = read(&[
        red("egfr-below-15", "egfr", Some("mL/min/{1.73_m2}"), &[compare("value", "<", json!(15))]),
        red("k-very-high", "potassium", Some("mmol/L"), &[compare("value", ">=", json!(6.0))]),
        red("acr-very-high", "urine-acr", Some("mg/mmol"), &[compare("value", ">", json!(250))]),
    ])
    .unwrap();
    let red = |id: &str| vec![(Severity::Red, id.to_string())];
    for (item, text, expected) in [
        ("egfr", ">90", vec![]),
        ("egfr", ">14", red("egfr-below-15")),
        ("egfr", "<15", red("egfr-below-15")),
        ("egfr", "<20", red("egfr-below-15")),
        ("egfr", "<16", red("egfr-below-15")),
        ("potassium", "<2.0", vec![]),
        ("potassium", "<6.0", vec![]),
        ("potassium", ">5.9", red("k-very-high")),
        ("potassium", ">9.5", red("k-very-high")),
        ("urine-acr", ">250.0", red("acr-very-high")),
        ("urine-acr", "<250.0", vec![]),
        ("urine-acr", "<3.0", vec![]),
    ] {
        assert_eq!(findings(&rules, &measures, item, text), expected, "{item} {text}");
    }
}

#[test]
fn a_rule_applies_only_on_the_days_it_is_valid() {
    let measures = measures();
    let rules = read(&[
        with(rule("old-target"), json!({"valid_to": "2024-12-31", "precedence": 1})),
        with(
            hba1c("new-target", compare("value", ">", json!(53))),
            json!({"valid_from": "2025-01-01"}),
        ),
    ])
    .unwrap();
    let hba1c = measures.item("hba1c").unwrap();
    let fifty_five = value(&measures, "hba1c", "55");
    let ids = |on: NaiveDate| {
        let reading = Reading { observation: 1, item: hba1c, taken_on: on, value: &fifty_five };
        let assessment = assess(&rules, &person(), &reading, &[], &[]);
        let target = assessment.target.map(|t| t.basis.rule_id().to_string());
        let found: Vec<String> =
            assessment.findings.iter().map(|f| f.rule_id().to_string()).collect();
        (target, found)
    };
    assert_eq!(ids(day(2024, 12, 31)), (Some("old-target".into()), vec![]));
    assert_eq!(ids(day(2025, 1, 1)), (Some("new-target".into()), vec!["new-target".to_string()]));
    assert_eq!(ids(day(2019, 12, 31)), (None, vec![]));
}

#[test]
fn the_amber_rule_of_highest_precedence_applies_and_a_red_finding_replaces_the_amber() {
    let measures = measures();
    let rules = read(&[
        red("hba1c-very-high", "hba1c", Some("mmol/mol"), &[compare("value", ">", json!(86))]),
        rule("hba1c-target"),
        with(
            hba1c("hba1c-under-70", compare("value", ">", json!(48))),
            json!({"precedence": 1, "population": {"age_below": 70}}),
        ),
    ])
    .unwrap();
    let found = |text: &str| findings(&rules, &measures, "hba1c", text);
    assert_eq!(found("48"), vec![]);
    assert_eq!(found("49"), vec![(Severity::Amber, "hba1c-under-70".to_string())]);
    assert_eq!(found("86"), vec![(Severity::Amber, "hba1c-under-70".to_string())]);
    assert_eq!(found("87"), vec![(Severity::Red, "hba1c-very-high".to_string())]);
    let hba1c = measures.item("hba1c").unwrap();
    let fifty = value(&measures, "hba1c", "50");
    let older = PersonFacts { date_of_birth: day(1940, 1, 1), ..person() };
    let reading = Reading { observation: 1, item: hba1c, taken_on: today(), value: &fifty };
    let assessment = assess(&rules, &older, &reading, &[], &[]);
    assert!(assessment.findings.is_empty());
    assert_eq!(assessment.target.unwrap().words.as_deref(), Some("58 mmol/mol or below"));
}

#[test]
fn an_option_rule_reads_a_choice_or_the_result_of_a_dated_item() {
    let measures = measures();
    let rules = read(&[
        red("smoker", "smoking", None, &[option_in(&["current-smoker"])]),
        red("referred", "retinal-screening", None, &[option_in(&["referred"])]),
    ])
    .unwrap();
    let smoking = measures.item("smoking").unwrap();
    let screening = measures.item("retinal-screening").unwrap();
    for (item, value, red) in [
        (smoking, smoking.restore("current-smoker", None, ""), true),
        (smoking, smoking.restore("ex-smoker", None, ""), false),
        (screening, screening.restore("2026-11-02", Some("referred"), ""), true),
        (screening, screening.restore("2026-11-02", Some("no-retinopathy"), ""), false),
        (screening, screening.restore("2026-11-02", None, ""), false),
    ] {
        let value = value.unwrap();
        let reading = Reading { observation: 1, item, taken_on: today(), value: &value };
        let assessment = assess(&rules, &person(), &reading, &[], &[]);
        assert_eq!(assessment.severity() == Some(Severity::Red), red, "{value:?}");
        assert!(assessment.target.is_none(), "red rules are not targets");
    }
}
