//! Reading `items.json` and checking values against it: plausible ranges, decimals, DCCT
//! percentages, blood pressure pairs, questionnaire scores, units in results files, code
//! lookup, and broken files refused with the item named. The shipped items are checked
//! against published examples in `tests/it/surveillance.rs`.

use serde_json::{json, Value as Json};

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2027, 3, 10)
}

/// The four PHQ answers, scored 0 to 3.
fn frequency_questions(count: usize) -> Json {
    let answers = json!([
        {"label": "Not at all", "score": 0},
        {"label": "Several days", "score": 1},
        {"label": "More than half the days", "score": 2},
        {"label": "Nearly every day", "score": 3}
    ]);
    (1..=count)
        .map(
            |n| json!({"id": format!("q{n}"), "text": format!("Question {n}"), "options": answers}),
        )
        .collect()
}

/// One item of a test items file; `with` adds the fields of its kind.
pub(crate) fn item(
    id: &str,
    label: &str,
    group: &str,
    theme: &str,
    kind: &str,
    snomed: &str,
) -> Json {
    json!({"id": id, "label": label, "plain_name": label, "group": group, "theme": theme,
        "kind": kind, "snomed": snomed, "code_source": "test", "lab": group == "lab",
        "explanation": format!("What {label} is.")})
}

pub(crate) fn with(mut item: Json, extra: Json) -> Json {
    for (key, value) in extra.as_object().unwrap() {
        item[key] = value.clone();
    }
    item
}

/// A small items file shaped like the shipped one, with one item of every kind.
/// A small catalogue of items of every kind, for tests here and of the FHIR document.
pub(crate) fn items_file() -> Json {
    let mmhg = json!({"display": "mmHg", "ucum": "mm[Hg]", "also": ["mm Hg"]});
    json!({
        "about": "test items",
        "groups": [{"id": "measurements", "label": "Measurements"},
                   {"id": "lab", "label": "Bloods"},
                   {"id": "questionnaires", "label": "Questionnaires"}],
        "items": [
            with(item("bp-clinic", "Blood pressure (clinic)", "measurements", "blood-pressure",
                "blood-pressure", "75367002"), json!({"unit": mmhg, "decimals": 0,
                "systolic": {"snomed": "72313002", "import_codes": ["163030003", "271649006"],
                    "range": {"min": 60, "max": 300}},
                "diastolic": {"snomed": "1091811000000102",
                    "import_codes": ["163031004", "271650006"], "range": {"min": 30, "max": 200}}})),
            with(item("weight", "Weight", "measurements", "weight", "number", "27113001"),
                json!({"import_codes": ["162763007"], "unit": {"display": "kg", "ucum": "kg"},
                    "range": {"min": 20, "max": 350}, "decimals": 1})),
            with(item("height", "Height", "measurements", "weight", "number", "50373000"),
                json!({"unit": {"display": "cm", "ucum": "cm"}, "valid_for_months": 60,
                    "range": {"min": 100, "max": 230}, "decimals": 1})),
            with(item("bmi", "BMI", "measurements", "weight", "computed", "60621009"),
                json!({"unit": {"display": "kg/m²", "ucum": "kg/m2"}, "decimals": 1,
                    "range": {"min": 10, "max": 100}, "formula": "bmi",
                    "from": ["weight", "height"]})),
            with(item("hba1c", "HbA1c", "lab", "blood-sugar", "number", "999791000000106"),
                json!({"import_codes": ["1049301000000100", "1049321000000109"],
                    "unit": {"display": "mmol/mol", "ucum": "mmol/mol"},
                    "range": {"min": 20, "max": 200}, "decimals": 0,
                    "refused_units": [{"unit": "%",
                        "message": "HbA1c in % (DCCT units) is not accepted."}],
                    "typing_hint": {"below": 20, "means": "dcct-percent"}})),
            with(item("total-cholesterol", "Total cholesterol", "lab", "cholesterol", "number",
                "1005671000000105"), json!({"unit": {"display": "mmol/L", "ucum": "mmol/L"},
                    "range": {"min": 1, "max": 20}, "decimals": 2,
                    "other_units": [{"display": "mg/dL", "ucum": "mg/dL", "divide_by": 38.67,
                        "note": "1 mmol/L = 38.67 mg/dL"}]})),
            with(item("egfr", "eGFR", "lab", "kidneys", "number", "1011481000000105"),
                json!({"import_codes": ["1020291000000106", "80274001"],
                    "unit": {"display": "mL/min/1.73m²", "ucum": "mL/min/{1.73_m2}",
                        "also": ["ml/min/1.73m2"]},
                    "range": {"min": 1, "max": 200}, "decimals": 0})),
            with(item("creatinine", "Creatinine", "lab", "kidneys", "number", "1000731000000107"),
                json!({"unit": {"display": "µmol/L", "ucum": "umol/L", "also": ["micromol/L"]},
                    "range": {"min": 10, "max": 2000}, "decimals": 0})),
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
            item("inhaler-technique", "Inhaler technique checked", "measurements", "breathing",
                "yes-no", "170614009"),
            with(item("retinal-screening", "Retinal screening", "measurements",
                "feet-and-eyes", "date", "134395001"), json!({"options": [
                    {"id": "no-retinopathy", "label": "No retinopathy found"},
                    {"id": "referred", "label": "Referred to eye clinic"}]})),
            with(item("phq2", "PHQ-2", "questionnaires", "mood", "questionnaire",
                "836541000000100"), json!({"questions": frequency_questions(2),
                    "bands": [{"from": 0, "to": 2, "label": "Negative"},
                              {"from": 3, "to": 6, "label": "Positive"}],
                    "follow_up": {"item": "phq9", "when_score_at_least": 3}})),
            with(item("phq9", "PHQ-9", "questionnaires", "mood", "questionnaire", "720433000"),
                json!({"questions": frequency_questions(9), "bands": [
                    {"from": 0, "to": 4, "label": "Minimal"},
                    {"from": 5, "to": 9, "label": "Mild"},
                    {"from": 10, "to": 14, "label": "Moderate"},
                    {"from": 15, "to": 19, "label": "Moderately severe"},
                    {"from": 20, "to": 27, "label": "Severe"}]})),
            item("medication-problems", "Medication problems", "questionnaires", "medicines",
                "text", "182836005"),
        ]
    })
}

fn measures() -> Measures {
    Measures::from_json(&items_file().to_string()).expect("the test items are valid")
}

fn typed(measures: &Measures, item: &str, value: &str) -> Result<Value, EntryError> {
    measures.item(item).unwrap().parse_entry(Entry { value, ..Entry::default() }, today())
}

fn quantity_text(value: &Value) -> &str {
    match value {
        Value::Quantity(q) => q.text(),
        other => panic!("not a quantity: {other:?}"),
    }
}

#[test]
fn numbers_within_the_plausible_range_are_kept_exactly_as_typed() {
    let measures = measures();
    for (item, typed_text, kept, number, comparator) in [
        ("weight", "20", "20", 20.0, None),
        ("weight", "350", "350", 350.0, None),
        ("weight", " 82.4 ", "82.4", 82.4, None),
        ("weight", "82", "82", 82.0, None),
        ("height", "100.0", "100.0", 100.0, None),
        ("height", "230", "230", 230.0, None),
        ("hba1c", "20", "20", 20.0, None),
        ("hba1c", "200", "200", 200.0, None),
        ("total-cholesterol", "5.40", "5.40", 5.4, None),
        ("total-cholesterol", "1", "1", 1.0, None),
        ("total-cholesterol", "20.00", "20.00", 20.0, None),
        ("egfr", ">90", ">90", 90.0, Some(Comparator::Above)),
        ("egfr", "> 90", ">90", 90.0, Some(Comparator::Above)),
        ("creatinine", "<10", "<10", 10.0, Some(Comparator::Below)),
    ] {
        let value = typed(&measures, item, typed_text)
            .unwrap_or_else(|e| panic!("{item} {typed_text:?} should be kept: {e}"));
        let Value::Quantity(q) = &value else { panic!("{item}: {value:?}") };
        assert_eq!(
            (q.text(), q.value(), q.comparator()),
            (kept, number, comparator),
            "{item} {typed_text:?} is stored as written, not reformatted"
        );
        assert_eq!(value.stored_text(), kept);
    }
}

#[test]
fn values_just_outside_the_plausible_range_are_refused_as_typing_errors() {
    let measures = measures();
    for (item, label, typed_text) in [
        ("weight", "Weight", "19.9"),
        ("weight", "Weight", "350.1"),
        ("height", "Height", "99.9"),
        ("height", "Height", "230.1"),
        ("hba1c", "HbA1c", "201"),
        ("hba1c", "HbA1c", "3"),
        ("total-cholesterol", "Total cholesterol", "0.99"),
        ("total-cholesterol", "Total cholesterol", "20.01"),
        ("egfr", "eGFR", "0"),
        ("egfr", "eGFR", ">200.0"),
        ("egfr", "eGFR", ">201"),
        ("creatinine", "Creatinine", "2001"),
    ] {
        let error = typed(&measures, item, typed_text).expect_err(typed_text);
        assert!(
            error.message.starts_with(label),
            "the message names the item: {:?}",
            error.message
        );
        assert!(
            error.message.contains("outside the plausible range")
                || error.message.contains("decimal places"),
            "{item} {typed_text}: {}",
            error.message
        );
        assert_eq!(error.suggestion, None, "{item} {typed_text}: nothing is offered instead");
    }
    assert_eq!(
        typed(&measures, "weight", "350.1").unwrap_err().message,
        "Weight 350.1 kg is outside the plausible range 20–350 kg: probably a typing error; \
         check the value"
    );
}

#[test]
fn extra_decimal_places_are_refused_never_rounded() {
    let measures = measures();
    for (item, typed_text, places) in [
        ("weight", "82.45", "1 decimal place"),
        ("hba1c", "53.0", "whole numbers"),
        ("hba1c", "53.4", "whole numbers"),
        ("total-cholesterol", "5.123", "2 decimal places"),
        ("egfr", ">90.5", "whole numbers"),
    ] {
        let error = typed(&measures, item, typed_text).expect_err(typed_text);
        assert!(
            error.message.contains(places) && error.message.contains("it is not rounded for you"),
            "{item} {typed_text}: {}",
            error.message
        );
    }
}

#[test]
fn commas_words_and_half_written_numbers_are_refused() {
    let measures = measures();
    for (typed_text, why) in [
        ("82,4", "has a comma; use a point for decimals"),
        ("1,200", "has a comma"),
        ("", "type the Weight value"),
        ("   ", "type the Weight value"),
        ("eighty", "is not a number"),
        ("82.", "is not a number"),
        (".5", "is not a number"),
        ("8.2.4", "is not a number"),
        ("-82", "is not a number"),
        ("8e1", "is not a number"),
        ("82 kg", "is not a number"),
        ("<", "is not a number"),
        ("=82", "is not a number"),
    ] {
        let error = typed(&measures, "weight", typed_text).expect_err(typed_text);
        assert!(error.message.contains(why), "{typed_text:?}: {}", error.message);
    }
}

#[test]
fn an_hba1c_that_looks_like_a_dcct_percentage_is_refused_with_the_mmol_per_mol_offered() {
    let measures = measures();
    // IFCC = 10.929 × (DCCT − 2.15): the published equivalents are 6.5% = 48, 7% = 53,
    // 8% = 64, 10% = 86 mmol/mol.
    for (percent, offered) in
        [("6.5", "48"), ("7", "53"), ("7.2", "55"), ("8.0", "64"), ("10", "86"), ("4", "20")]
    {
        let error = typed(&measures, "hba1c", percent).expect_err(percent);
        assert_eq!(error.suggestion.as_deref(), Some(offered), "{percent}: {}", error.message);
        assert!(
            error.message.contains(&format!("{percent} % is {offered} mmol/mol")),
            "{percent}: the message says what the percentage is in mmol/mol: {}",
            error.message
        );
    }
    assert!((dcct_to_ifcc(7.0) - 53.0).abs() < 0.01);
    let below = typed(&measures, "hba1c", "<7").unwrap_err();
    assert_eq!(below.suggestion, None, "a '<' result is not a percentage typed by mistake");
    let weight = typed(&measures, "weight", "7.2").unwrap_err();
    assert_eq!(weight.suggestion, None, "only HbA1c has the DCCT hint");
}

#[test]
fn a_blood_pressure_is_systolic_over_diastolic_in_whole_mmhg() {
    let measures = measures();
    for (text, expected) in [
        ("142/88", Ok((142, 88))),
        (" 142 / 88 ", Ok((142, 88))),
        ("60/30", Ok((60, 30))),
        ("300/200", Ok((300, 200))),
        (
            "88/142",
            Err("the diastolic (142) must be lower than the systolic (88); check the order"),
        ),
        ("120/120", Err("the diastolic (120) must be lower than the systolic (120)")),
        ("142", Err("type the Blood pressure (clinic) as systolic/diastolic, for example 132/84")),
        ("142-88", Err("as systolic/diastolic")),
        ("142/88/70", Err("the diastolic '88/70' is not a whole number")),
        ("142.5/88", Err("the systolic '142.5' is not a whole number")),
        ("/88", Err("the systolic '' is not a whole number")),
        ("301/88", Err("a systolic of 301 mmHg is outside 60–300; check the reading")),
        ("59/40", Err("a systolic of 59 mmHg is outside 60–300")),
        ("142/29", Err("a diastolic of 29 mmHg is outside 30–200")),
        ("250/201", Err("a diastolic of 201 mmHg is outside 30–200")),
    ] {
        let got = typed(&measures, "bp-clinic", text);
        match (expected, got) {
            (Ok((s, d)), Ok(value)) => {
                assert_eq!(value, Value::BloodPressure { systolic: s, diastolic: d }, "{text}");
                assert_eq!(value.stored_text(), format!("{s}/{d}"));
            }
            (Err(why), Err(error)) => {
                assert!(
                    error.message.contains("Blood pressure (clinic)"),
                    "{text}: the message names the item: {}",
                    error.message
                );
                assert!(error.message.contains(why), "{text}: {}", error.message);
            }
            (expected, got) => panic!("{text}: expected {expected:?}, got {got:?}"),
        }
    }
}

#[test]
fn choices_are_found_by_id_or_label_and_carry_their_score() {
    let measures = measures();
    let smoking = measures.item("smoking").unwrap();
    for (value, option, chosen) in [
        ("ex-smoker", None, "ex-smoker"),
        ("Ex-smoker", None, "ex-smoker"),
        ("NEVER SMOKED", None, "never-smoked"),
        ("", Some("current-smoker"), "current-smoker"),
        ("ex-smoker", Some("never-smoked"), "never-smoked"),
    ] {
        let got = smoking.parse_entry(Entry { value, option, answers: &[] }, today()).unwrap();
        assert_eq!(got, Value::Choice(chosen.into()), "{value:?} {option:?}");
    }
    let error = smoking.parse_entry(Entry { value: "vapes", ..Entry::default() }, today());
    assert_eq!(error.unwrap_err().message, "'vapes' is not one of the choices for Smoking status");
    let error = smoking.parse_entry(Entry::default(), today()).unwrap_err();
    assert_eq!(error.message, "choose an answer for Smoking status");

    let mrc = measures.item("mrc-dyspnoea").unwrap();
    for grade in 1..=5 {
        let value = mrc
            .parse_entry(
                Entry { option: Some(&format!("grade-{grade}")), ..Entry::default() },
                today(),
            )
            .unwrap();
        assert_eq!(value.number(mrc), Some(f64::from(grade)), "the MRC grade is its score");
        assert_eq!(mrc.describe(&value), format!("Grade {grade}"));
    }
    assert_eq!(
        Value::Choice("ex-smoker".into()).number(smoking),
        None,
        "a choice without scores has no number"
    );
}

#[test]
fn yes_no_dates_and_free_text() {
    let measures = measures();
    for (text, answer) in
        [("yes", true), ("Y", true), ("true", true), ("no", false), ("N", false), ("FALSE", false)]
    {
        assert_eq!(typed(&measures, "inhaler-technique", text), Ok(Value::YesNo(answer)), "{text}");
    }
    assert_eq!(
        typed(&measures, "inhaler-technique", "maybe").unwrap_err().message,
        "choose yes or no for Inhaler technique checked"
    );

    let retinal = measures.item("retinal-screening").unwrap();
    let entry = |value, option| Entry { value, option, answers: &[] };
    for (text, on) in [("2026-11-04", day(2026, 11, 4)), ("4/11/2026", day(2026, 11, 4))] {
        assert_eq!(
            retinal.parse_entry(entry(text, Some("referred")), today()),
            Ok(Value::Date { on, result: Some("referred".into()) })
        );
    }
    assert_eq!(
        retinal.parse_entry(entry("2027-03-10", Some("Referred to eye clinic")), today()),
        Ok(Value::Date { on: today(), result: Some("referred".into()) }),
        "today is not the future; the result may be chosen by its label"
    );
    for (text, option, why) in [
        ("2027-03-11", Some("referred"), "Retinal screening: 11 March 2027 is in the future"),
        ("2026-11-04", None, "choose the result of the Retinal screening"),
        ("2026-11-04", Some("blurry"), "'blurry' is not one of the choices for Retinal screening"),
        ("", Some("referred"), "type the date of the Retinal screening"),
        ("31/02/2026", Some("referred"), "Retinal screening: '31/02/2026' is not a real date"),
        ("Nov 2026", Some("referred"), "is not a date written as YYYY-MM-DD or DD/MM/YYYY"),
    ] {
        let error = retinal.parse_entry(entry(text, option), today()).unwrap_err();
        assert!(error.message.contains(why), "{text:?}: {}", error.message);
    }

    assert_eq!(
        typed(&measures, "medication-problems", "  dizzy after ramipril  "),
        Ok(Value::Text("dizzy after ramipril".into()))
    );
    assert!(typed(&measures, "medication-problems", " ").is_err(), "nothing written is refused");
    assert_eq!(
        typed(&measures, "bmi", "27.1").unwrap_err().message,
        "BMI is worked out from the weight and height, not typed"
    );
}

#[test]
fn bmi_is_weight_over_height_squared_to_one_place() {
    for (kg, cm, bmi_text) in [
        (82.4, 171.0, "28.2"),
        (70.0, 175.0, "22.9"),
        (100.0, 200.0, "25.0"),
        (45.5, 160.2, "17.7"),
    ] {
        assert_eq!(bmi(kg, cm), bmi_text, "{kg} kg, {cm} cm");
    }
}

#[test]
fn a_worked_out_bmi_outside_the_plausible_range_is_refused_naming_the_inputs() {
    let measures = measures();
    let bmi_item = measures.item("bmi").unwrap();
    let quantity = |v: Value| match v {
        Value::Quantity(q) => q.text().to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(quantity(bmi_item.work_out_bmi(82.4, 171.0).unwrap()), "28.2");
    // 82.4 kg with a height typed as 71 cm instead of 171: a typing slip, not a BMI of 163.
    let refused = bmi_item.work_out_bmi(82.4, 71.0).unwrap_err();
    assert!(
        refused.contains("163.5") && refused.contains("check the weight and height"),
        "{refused}"
    );
    assert!(measures.item("weight").unwrap().work_out_bmi(82.4, 171.0).is_err(), "weight is typed");
}

fn answers(picks: &[usize]) -> Vec<Option<usize>> {
    picks.iter().map(|p| Some(*p)).collect()
}

#[test]
fn questionnaires_are_scored_and_banded_with_every_answer_kept() {
    let measures = measures();
    for (item, picks, score, band) in [
        ("phq9", vec![2; 9], 18, "Moderately severe"),
        ("phq9", vec![0; 9], 0, "Minimal"),
        ("phq9", vec![3; 9], 27, "Severe"),
        ("phq9", vec![1, 1, 1, 1, 0, 0, 0, 0, 0], 4, "Minimal"),
        ("phq9", vec![1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "Mild"),
        ("phq9", vec![1, 1, 1, 1, 1, 1, 1, 1, 1], 9, "Mild"),
        ("phq9", vec![2, 1, 1, 1, 1, 1, 1, 1, 1], 10, "Moderate"),
        ("phq9", vec![2, 2, 2, 2, 2, 1, 1, 1, 1], 14, "Moderate"),
        ("phq9", vec![2, 2, 2, 2, 2, 2, 1, 1, 1], 15, "Moderately severe"),
        ("phq9", vec![3, 2, 2, 2, 2, 2, 2, 2, 2], 19, "Moderately severe"),
        ("phq9", vec![3, 3, 2, 2, 2, 2, 2, 2, 2], 20, "Severe"),
        ("phq2", vec![1, 2], 3, "Positive"),
        ("phq2", vec![1, 1], 2, "Negative"),
        ("phq2", vec![0, 0], 0, "Negative"),
        ("phq2", vec![3, 3], 6, "Positive"),
    ] {
        let definition = measures.item(item).unwrap();
        let value = definition
            .parse_entry(Entry { answers: &answers(&picks), ..Entry::default() }, today())
            .unwrap();
        assert_eq!(value, Value::Questionnaire { answers: picks.clone(), score }, "{item}");
        let ItemKind::Questionnaire(q) = definition.kind() else { unreachable!() };
        assert_eq!(q.band(score), Some(band), "{item} {picks:?}");
        assert_eq!(definition.describe(&value), format!("{score} ({band})"));
        let stored = definition
            .restore(&value.stored_text(), value.option(), &value.answers_text())
            .unwrap();
        assert_eq!(stored, value, "the answers are kept and the score worked out again");
    }
}

#[test]
fn a_questionnaire_must_be_answered_in_full() {
    let measures = measures();
    let phq2 = measures.item("phq2").unwrap();
    for (given, why) in [
        (vec![Some(1)], "PHQ-2 has 2 questions; 1 answers were given"),
        (vec![Some(1), Some(1), Some(1)], "PHQ-2 has 2 questions; 3 answers were given"),
        (vec![Some(1), None], "PHQ-2 question 2 (Question 2) is not answered"),
        (vec![Some(4), Some(0)], "PHQ-2 question 1: that answer is not one of its options"),
    ] {
        let error =
            phq2.parse_entry(Entry { answers: &given, ..Entry::default() }, today()).unwrap_err();
        assert_eq!(error.message, why);
    }
    assert_eq!(phq2.follow_up(), Some(("phq9", 3)), "a positive PHQ-2 calls for the PHQ-9");
}

#[test]
fn every_kind_of_value_reads_back_as_it_was_stored() {
    let measures = measures();
    let none: &[Option<usize>] = &[];
    let all_twos = answers(&[2; 9]);
    for (item, value, option, answers) in [
        ("weight", "82.4", None, none),
        ("egfr", ">90", None, none),
        ("bp-clinic", "142/88", None, none),
        ("smoking", "ex-smoker", None, none),
        ("inhaler-technique", "no", None, none),
        ("retinal-screening", "2026-11-04", Some("referred"), none),
        ("phq9", "", None, &all_twos[..]),
        ("medication-problems", "dizzy", None, none),
    ] {
        let definition = measures.item(item).unwrap();
        let value = definition.parse_entry(Entry { value, option, answers }, today()).unwrap();
        let restored =
            definition.restore(&value.stored_text(), value.option(), &value.answers_text());
        assert_eq!(restored, Some(value), "{item}");
    }
}

fn reported(measures: &Measures, code: &str, value: &str, unit: &str) -> Result<Reported, String> {
    let (item, part) = measures.lookup(code).unwrap_or_else(|| panic!("{code} is known"));
    item.parse_reported(part, value, unit)
}

#[test]
fn units_in_results_files_match_in_display_ucum_or_listed_form_in_any_case() {
    let measures = measures();
    for (code, value, unit) in [
        ("hba1c", "53", "mmol/mol"),
        ("hba1c", "53", "MMOL/MOL"),
        ("hba1c", "53", " mmol/mol "),
        ("creatinine", "88", "µmol/L"),
        ("creatinine", "88", "umol/L"),
        ("creatinine", "88", "UMOL/L"),
        ("creatinine", "88", "micromol/l"),
        ("egfr", ">90", "mL/min/1.73m²"),
        ("egfr", ">90", "mL/min/{1.73_m2}"),
        ("egfr", ">90", "ML/MIN/1.73M2"),
        ("72313002", "142", "mmHg"),
        ("72313002", "142", "mm[Hg]"),
        ("1091811000000102", "88", "MM HG"),
        ("weight", "82.4", "KG"),
        ("total-cholesterol", "5.40", "mmol/l"),
    ] {
        let got = reported(&measures, code, value, unit)
            .unwrap_or_else(|e| panic!("{code} {value} {unit:?}: {e}"));
        assert_eq!(got.quantity.text(), value, "{code} {unit}");
        assert_eq!(got.converted_from, None, "{code} {unit}: not converted");
    }
}

#[test]
fn cholesterol_in_mg_per_dl_is_converted_exactly_and_says_so() {
    let measures = measures();
    for (value, unit, mmol) in [
        ("200", "mg/dL", "5.17"),
        ("200", "MG/DL", "5.17"),
        ("193.35", "mg/dl", "5.00"),
        ("38.67", "mg/dL", "1.00"),
    ] {
        let got = reported(&measures, "1005671000000105", value, unit).unwrap();
        assert_eq!(got.quantity.text(), mmol, "{value} {unit}");
        let note = got.converted_from.expect("a converted value carries a note");
        assert!(
            note.contains(&format!("{value} mg/dL converted to {mmol} mmol/L"))
                && note.contains("38.67"),
            "{note}"
        );
    }
    for (value, why) in [
        ("1000", "Total cholesterol 25.86 mmol/L is outside the plausible range 1–20 mmol/L"),
        ("<50", "Total cholesterol: a '<' or '>' result cannot be converted"),
        ("200,5", "has a comma"),
    ] {
        let error = reported(&measures, "total-cholesterol", value, "mg/dL").unwrap_err();
        assert!(error.contains(why), "{value}: {error}");
    }
}

#[test]
fn other_units_are_refused_and_never_converted() {
    let measures = measures();
    assert_eq!(
        reported(&measures, "hba1c", "7.2", "%").unwrap_err(),
        "HbA1c in % (DCCT units) is not accepted.",
        "HbA1c in % is refused with the catalogue's own words"
    );
    for (code, value, unit, why) in [
        (
            "creatinine",
            "1.1",
            "mg/dL",
            "the unit 'mg/dL' does not match Creatinine, which is recorded in µmol/L; results \
             are never converted between units",
        ),
        ("weight", "180", "lb", "the unit 'lb' does not match Weight, which is recorded in kg"),
        ("hba1c", "53", "mmol/L", "does not match HbA1c, which is recorded in mmol/mol"),
        ("egfr", "60", "mL/min", "never converted"),
        ("weight", "82.4", "", "the unit is missing: Weight is recorded in kg"),
        ("weight", "", "kg", "the Weight value is missing"),
        ("weight", "19", "kg", "Weight 19 kg is outside the plausible range 20–350 kg"),
        ("weight", "82.45", "kg", "more decimal places"),
        ("hba1c", "7", "mmol/mol", "HbA1c 7 mmol/mol is outside the plausible range"),
        ("72313002", "301", "mmHg", "Blood pressure (clinic) systolic 301 mmHg is outside"),
        ("163031004", "29", "mmHg", "Blood pressure (clinic) diastolic 29 mmHg is outside"),
        ("163030003", "142", "kPa", "does not match Blood pressure (clinic) systolic"),
        ("75367002", "142/88", "mmHg", "cannot come from a results file"),
        ("smoking", "ex-smoker", "", "Smoking status cannot come from a results file"),
    ] {
        let error = reported(&measures, code, value, unit).unwrap_err();
        assert!(error.contains(why), "{code} {value:?} {unit:?}: {error}");
    }
}

#[test]
fn every_code_and_item_id_leads_to_its_item_and_part() {
    let measures = measures();
    for (code, item, part) in [
        ("999791000000106", "hba1c", Part::Whole),
        ("1049301000000100", "hba1c", Part::Whole),
        ("1049321000000109", "hba1c", Part::Whole),
        ("1011481000000105", "egfr", Part::Whole),
        ("1020291000000106", "egfr", Part::Whole),
        ("80274001", "egfr", Part::Whole),
        ("27113001", "weight", Part::Whole),
        ("162763007", "weight", Part::Whole),
        ("75367002", "bp-clinic", Part::Whole),
        ("72313002", "bp-clinic", Part::Systolic),
        ("163030003", "bp-clinic", Part::Systolic),
        ("271649006", "bp-clinic", Part::Systolic),
        ("1091811000000102", "bp-clinic", Part::Diastolic),
        ("163031004", "bp-clinic", Part::Diastolic),
        ("271650006", "bp-clinic", Part::Diastolic),
        ("8517006", "smoking", Part::Whole),
        ("391124000", "mrc-dyspnoea", Part::Whole),
        (" 27113001 ", "weight", Part::Whole),
        ("hba1c", "hba1c", Part::Whole),
        ("HbA1c", "hba1c", Part::Whole),
        ("total-cholesterol", "total-cholesterol", Part::Whole),
    ] {
        let (found, found_part) = measures.lookup(code).unwrap_or_else(|| panic!("{code}"));
        assert_eq!((found.id(), found_part), (item, part), "{code}");
    }
    for unknown in ["bp-clinic", "44054006", "12345", "", "hba1c%"] {
        assert!(measures.lookup(unknown).is_none(), "{unknown:?} names no single item");
    }
}

/// The message for an items file changed by `edit`.
fn refusal(edit: impl FnOnce(&mut Json)) -> String {
    let mut file = items_file();
    edit(&mut file);
    Measures::from_json(&file.to_string()).unwrap_err().to_string()
}

fn item_mut<'a>(file: &'a mut Json, id: &str) -> &'a mut Json {
    file["items"].as_array_mut().unwrap().iter_mut().find(|i| i["id"] == id).unwrap()
}

#[test]
fn a_broken_items_file_is_refused_naming_the_item_and_the_problem() {
    /// A change to the test file, and what the refusal must say.
    type Case = (Box<dyn FnOnce(&mut Json)>, &'static str);
    let cases: Vec<Case> = vec![
        (
            Box::new(|f| item_mut(f, "weight")["rnage"] = json!({"min": 1, "max": 2})),
            "item 'weight': unknown field `rnage`",
        ),
        (
            Box::new(|f| {
                item_mut(f, "phq9")["bands"][1] = json!({"from": 6, "to": 9, "label": "Mild"})
            }),
            "item 'phq9': no band covers the score 5",
        ),
        (
            Box::new(|f| {
                item_mut(f, "phq9")["bands"][1] = json!({"from": 4, "to": 9, "label": "Mild"})
            }),
            "item 'phq9': more than one band covers the score 4",
        ),
        (
            Box::new(|f| item_mut(f, "height")["snomed"] = json!("162763007")),
            "item 'height': code 162763007 is used by more than one item",
        ),
        (
            Box::new(|f| item_mut(f, "creatinine")["import_codes"] = json!(["163030003"])),
            "item 'creatinine': code 163030003 is used by more than one item",
        ),
        (
            Box::new(|f| item_mut(f, "height")["id"] = json!("weight")),
            "item 'weight' is listed twice",
        ),
        (
            Box::new(|f| item_mut(f, "phq2")["follow_up"]["item"] = json!("phq-9")),
            "item 'phq2': follow-up 'phq-9' is not an item",
        ),
        (
            Box::new(|f| item_mut(f, "height")["id"] = json!("stature")),
            "item 'bmi' is worked out from 'height', which is not an item",
        ),
        (Box::new(|f| item_mut(f, "weight")["snomed"] = json!("27113002")), "item 'weight': "),
        (
            Box::new(|f| item_mut(f, "weight")["kind"] = json!("numeric")),
            "kind 'numeric' is not known",
        ),
        (
            Box::new(|f| item_mut(f, "weight")["group"] = json!("bloods")),
            "item 'weight': group 'bloods' is not one of the groups",
        ),
        (
            Box::new(|f| item_mut(f, "weight")["range"] = json!({"min": 350, "max": 20})),
            "item 'weight': the range's min is above its max",
        ),
        (
            Box::new(|f| {
                item_mut(f, "total-cholesterol")["other_units"][0]["divide_by"] = json!(0)
            }),
            "item 'total-cholesterol': the conversion from mg/dL needs a positive divide_by",
        ),
        (
            Box::new(|f| {
                item_mut(f, "smoking")["options"].as_array_mut().unwrap().truncate(1);
            }),
            "item 'smoking': a choice needs at least two options",
        ),
        (
            Box::new(|f| item_mut(f, "hba1c")["typing_hint"]["means"] = json!("mg/dL")),
            "item 'hba1c': typing_hint means 'mg/dL', which is not known",
        ),
        (
            Box::new(|f| item_mut(f, "weight")["id"] = json!("Weight")),
            "the id must be lower-case letters, digits and hyphens",
        ),
        (
            Box::new(|f| item_mut(f, "weight")["explanation"] = json!(" ")),
            "item 'weight': explanation is empty",
        ),
        (
            Box::new(|f| {
                item_mut(f, "weight").as_object_mut().unwrap().remove("unit");
            }),
            "item 'weight': needs a unit",
        ),
    ];
    for (edit, expected) in cases {
        let message = refusal(edit);
        assert!(
            message.starts_with("condition catalogue file items.json: "),
            "the file is named: {message}"
        );
        assert!(message.contains(expected), "expected {expected:?} in {message:?}");
    }
}

#[test]
fn items_keep_the_order_and_groups_of_the_file() {
    let measures = measures();
    let ids: Vec<&str> = measures.items().iter().map(|i| i.id()).collect();
    assert_eq!(ids[..4], ["bp-clinic", "weight", "height", "bmi"]);
    assert_eq!(measures.groups()[1], ("lab".to_string(), "Bloods".to_string()));
    let hba1c = measures.item("hba1c").unwrap();
    assert!(hba1c.is_lab() && !measures.item("weight").unwrap().is_lab());
    assert_eq!(measures.item("height").unwrap().valid_for_months(), Some(60));
    assert_eq!(hba1c.unit().map(|u| u.ucum.as_str()), Some("mmol/mol"));
    assert_eq!(
        hba1c.describe(&typed(&measures, "hba1c", "53").unwrap()),
        "53 mmol/mol",
        "a value reads with its unit"
    );
    assert_eq!(
        measures
            .item("bp-clinic")
            .unwrap()
            .describe(&Value::BloodPressure { systolic: 142, diastolic: 88 }),
        "142/88 mmHg"
    );
    assert_eq!(quantity_text(&typed(&measures, "egfr", ">90").unwrap()), ">90");
}
