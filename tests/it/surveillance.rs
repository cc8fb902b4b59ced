//! The surveillance items as shipped in `assets/catalogue/`: every code results files use
//! (reference/domain.md §10) leads to its item with its units, the questionnaires score the
//! published examples, and the checklist holds each item once over condition mixes.

use alongside::domain::checklist::Checklist;
use alongside::domain::measures::{Entry, ItemKind, Part, Value};
use chrono::NaiveDate;

use super::support::catalogue;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 10).unwrap()
}

/// reference/domain.md §10: code, item, part, the unit's display and UCUM forms, a value.
const SECTION_10: &[(&str, &str, Part, &str, &str, &str)] = &[
    ("999791000000106", "hba1c", Part::Whole, "mmol/mol", "mmol/mol", "53"),
    ("1049301000000100", "hba1c", Part::Whole, "mmol/mol", "mmol/mol", "53"),
    ("1049321000000109", "hba1c", Part::Whole, "mmol/mol", "mmol/mol", "53"),
    ("1011481000000105", "egfr", Part::Whole, "mL/min/1.73m²", "mL/min/{1.73_m2}", ">90"),
    ("1020291000000106", "egfr", Part::Whole, "mL/min/1.73m²", "mL/min/{1.73_m2}", "58"),
    ("80274001", "egfr", Part::Whole, "mL/min/1.73m²", "mL/min/{1.73_m2}", "58"),
    ("1000731000000107", "creatinine", Part::Whole, "µmol/L", "umol/L", "88"),
    ("1000651000000109", "potassium", Part::Whole, "mmol/L", "mmol/L", "4.6"),
    ("1023491000000104", "urine-acr", Part::Whole, "mg/mmol", "mg/mmol", "2.5"),
    ("1005671000000105", "total-cholesterol", Part::Whole, "mmol/L", "mmol/L", "4.85"),
    ("1005681000000107", "hdl-cholesterol", Part::Whole, "mmol/L", "mmol/L", "1.20"),
    ("1022191000000100", "ldl-cholesterol", Part::Whole, "mmol/L", "mmol/L", "2.6"),
    ("1014501000000104", "ldl-cholesterol", Part::Whole, "mmol/L", "mmol/L", "2.6"),
    ("72313002", "bp-clinic", Part::Systolic, "mmHg", "mm[Hg]", "142"),
    ("163030003", "bp-clinic", Part::Systolic, "mmHg", "mm[Hg]", "142"),
    ("271649006", "bp-clinic", Part::Systolic, "mmHg", "mm[Hg]", "142"),
    ("1091811000000102", "bp-clinic", Part::Diastolic, "mmHg", "mm[Hg]", "88"),
    ("163031004", "bp-clinic", Part::Diastolic, "mmHg", "mm[Hg]", "88"),
    ("271650006", "bp-clinic", Part::Diastolic, "mmHg", "mm[Hg]", "88"),
    ("27113001", "weight", Part::Whole, "kg", "kg", "82.4"),
    ("162763007", "weight", Part::Whole, "kg", "kg", "82.4"),
    ("50373000", "height", Part::Whole, "cm", "cm", "171.0"),
    ("60621009", "bmi", Part::Whole, "kg/m²", "kg/m2", "28.2"),
    ("431314004", "spo2", Part::Whole, "%", "%", "96"),
];

#[test]
fn every_code_results_files_use_leads_to_its_item_in_either_unit_form_and_any_case() {
    let catalogue = catalogue();
    let measures = catalogue.measures();
    for (code, item, part, display, ucum, value) in SECTION_10 {
        let (found, found_part) =
            measures.lookup(code).unwrap_or_else(|| panic!("{code} must map to an item"));
        assert_eq!((found.id(), found_part), (*item, *part), "{code}");
        let unit = found.unit().expect("a measured item has a unit");
        assert_eq!((unit.display.as_str(), unit.ucum.as_str()), (*display, *ucum), "{code}");
        for written in [
            display.to_string(),
            ucum.to_string(),
            display.to_ascii_uppercase(),
            ucum.to_lowercase(),
        ] {
            let reported = found
                .parse_reported(*part, value, &written)
                .unwrap_or_else(|e| panic!("{code} {value} {written:?}: {e}"));
            assert_eq!(reported.quantity.text(), *value, "{code} in {written:?}");
            assert_eq!(reported.converted_from, None, "{code} in {written:?} is not converted");
        }
    }
    let creatinine = measures.item("creatinine").unwrap();
    assert!(
        creatinine.parse_reported(Part::Whole, "88", "umol/l").is_ok(),
        "µmol/L is also written umol/L"
    );
}

#[test]
fn the_shipped_units_refuse_what_would_need_a_guess() {
    let catalogue = catalogue();
    let measures = catalogue.measures();
    let hba1c = measures.item("hba1c").unwrap();
    let refused = hba1c.parse_reported(Part::Whole, "7.2", "%").unwrap_err();
    assert!(refused.contains("not accepted") && refused.contains("mmol/mol"), "{refused}");
    for (cholesterol, mg, mmol) in [
        ("total-cholesterol", "200", "5.17"),
        ("hdl-cholesterol", "50", "1.29"),
        ("ldl-cholesterol", "100", "2.59"),
    ] {
        let item = measures.item(cholesterol).unwrap();
        let converted = item.parse_reported(Part::Whole, mg, "mg/dL").unwrap();
        assert_eq!(converted.quantity.text(), mmol, "{cholesterol}: {mg} / 38.67 = {mmol}");
        assert!(converted.converted_from.unwrap().contains("38.67"));
    }
    let potassium = measures.item("potassium").unwrap();
    let refused = potassium.parse_reported(Part::Whole, "18", "mg/dL").unwrap_err();
    assert!(refused.contains("never converted"), "{refused}");
    let typed = hba1c.parse_entry(Entry { value: "7.2", ..Entry::default() }, today());
    assert_eq!(
        typed.unwrap_err().suggestion.as_deref(),
        Some("55"),
        "an HbA1c of 7.2 is probably 7.2%: 55 mmol/mol is offered"
    );
}

fn score(item: &str, picks: &[usize]) -> (i32, String) {
    let catalogue = catalogue();
    let definition = catalogue.measures().item(item).unwrap();
    let answers: Vec<Option<usize>> = picks.iter().map(|p| Some(*p)).collect();
    let value =
        definition.parse_entry(Entry { answers: &answers, ..Entry::default() }, today()).unwrap();
    let Value::Questionnaire { answers: kept, score } = value else { panic!("{item}") };
    assert_eq!(kept, picks, "{item}: every answer is kept");
    let ItemKind::Questionnaire(q) = definition.kind() else { unreachable!() };
    (score, q.band(score).unwrap_or_else(|| panic!("{item} {score} has a band")).to_string())
}

#[test]
fn questionnaires_score_the_published_examples() {
    // Answers are the positions of the options chosen: for the ACT position 0 scores 1.
    for (item, picks, expected, band) in [
        ("phq9", vec![2; 9], 18, "Moderately severe"),
        ("phq9", vec![0; 9], 0, "Minimal"),
        ("phq9", vec![1; 9], 9, "Mild"),
        ("phq9", vec![3; 9], 27, "Severe"),
        ("phq9", vec![2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "Moderate"),
        ("phq9", vec![3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "Moderately severe"),
        ("phq9", vec![3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "Severe"),
        ("phq2", vec![1, 2], 3, "Positive: go on to the PHQ-9"),
        ("phq2", vec![1, 1], 2, "Negative"),
        ("phq2", vec![3, 3], 6, "Positive: go on to the PHQ-9"),
        ("act", vec![4; 5], 25, "Well controlled"),
        ("act", vec![3; 5], 20, "Well controlled"),
        ("act", vec![2, 3, 3, 3, 3], 19, "Not well controlled"),
        ("act", vec![2, 2, 2, 2, 3], 16, "Not well controlled"),
        ("act", vec![2; 5], 15, "Very poorly controlled"),
        ("act", vec![0; 5], 5, "Very poorly controlled"),
        ("cat", vec![0; 8], 0, "Low impact"),
        ("cat", vec![5; 8], 40, "Very high impact"),
        ("cat", vec![5, 4, 0, 0, 0, 0, 0, 0], 9, "Low impact"),
        ("cat", vec![5, 5, 0, 0, 0, 0, 0, 0], 10, "Medium impact"),
        ("cat", vec![5, 5, 5, 5, 0, 0, 0, 0], 20, "Medium impact"),
        ("cat", vec![5, 5, 5, 5, 1, 0, 0, 0], 21, "High impact"),
        ("cat", vec![5, 5, 5, 5, 5, 5, 0, 0], 30, "High impact"),
        ("cat", vec![5, 5, 5, 5, 5, 5, 1, 0], 31, "Very high impact"),
        ("audit-c", vec![0, 0, 0], 0, "Lower risk"),
        ("audit-c", vec![2, 1, 1], 4, "Lower risk"),
        ("audit-c", vec![2, 1, 2], 5, "Increasing risk"),
        ("audit-c", vec![3, 2, 2], 7, "Increasing risk"),
        ("audit-c", vec![4, 2, 2], 8, "Higher risk"),
        ("audit-c", vec![4; 3], 12, "Higher risk"),
    ] {
        assert_eq!(score(item, &picks), (expected, band.to_string()), "{item} {picks:?}");
    }
}

#[test]
fn each_questionnaire_scores_over_its_published_range() {
    let catalogue = catalogue();
    for (item, low, high) in [("act", 5, 25), ("cat", 0, 40), ("phq2", 0, 6), ("phq9", 0, 27)] {
        let ItemKind::Questionnaire(q) = catalogue.measures().item(item).unwrap().kind() else {
            panic!("{item} is a questionnaire")
        };
        let lowest: Vec<usize> = q.questions.iter().map(|_| 0).collect();
        let highest: Vec<usize> = q.questions.iter().map(|q| q.options.len() - 1).collect();
        assert_eq!((q.score(&lowest), q.score(&highest)), (low, high), "{item}");
    }
    let phq2 = catalogue.measures().item("phq2").unwrap();
    assert_eq!(phq2.follow_up(), Some(("phq9", 3)), "PHQ-2 of 3 or more calls for the PHQ-9");
    for (item, grades) in [("mrc-dyspnoea", 1..=5), ("clinical-frailty-scale", 1..=9)] {
        let definition = catalogue.measures().item(item).unwrap();
        let scores: Vec<f64> = definition
            .options()
            .iter()
            .map(|o| Value::Choice(o.id.clone()).number(definition).unwrap())
            .collect();
        let expected: Vec<f64> = grades.map(f64::from).collect();
        assert_eq!(scores, expected, "{item}: each grade scores its number");
    }
    let mrc = catalogue.measures().item("mrc-dyspnoea").unwrap();
    let (item, part) = catalogue.measures().lookup("391124000").unwrap();
    assert_eq!((item.id(), part), ("mrc-dyspnoea", Part::Whole), "MRC grade 3's code");
    let grade3 = mrc.parse_entry(Entry { option: Some("grade-3"), ..Entry::default() }, today());
    assert_eq!(grade3.unwrap().number(mrc), Some(3.0));
}

#[test]
fn the_catalogue_measures_everything_the_issue_lists() {
    let catalogue = catalogue();
    for id in [
        "hba1c",
        "bp-clinic",
        "bp-home",
        "total-cholesterol",
        "hdl-cholesterol",
        "ldl-cholesterol",
        "egfr",
        "creatinine",
        "potassium",
        "urine-acr",
        "weight",
        "height",
        "bmi",
        "smoking",
        "audit-c",
        "foot-check",
        "retinal-screening",
        "mrc-dyspnoea",
        "cat",
        "fev1-percent",
        "spo2",
        "chest-exacerbations",
        "inhaler-technique",
        "act",
        "asthma-action-plan",
        "pulse-rhythm",
        "phq2",
        "phq9",
        "clinical-frailty-scale",
        "falls",
        "medication-problems",
    ] {
        let item = catalogue.measures().item(id).unwrap_or_else(|| panic!("{id} is missing"));
        assert!(!item.explanation().is_empty() && !item.plain_name().is_empty(), "{id}");
    }
    assert!(matches!(catalogue.measures().item("bmi").unwrap().kind(), ItemKind::Computed(_)));
    let lab: Vec<&str> =
        catalogue.measures().items().iter().filter(|i| i.is_lab()).map(|i| i.id()).collect();
    assert_eq!(
        lab,
        [
            "hba1c",
            "total-cholesterol",
            "hdl-cholesterol",
            "ldl-cholesterol",
            "egfr",
            "creatinine",
            "potassium",
            "urine-acr"
        ],
        "the bloods and urine sent to the lab"
    );
}

#[test]
fn shipped_conditions_share_their_items_on_one_checklist() {
    let catalogue = catalogue();
    for (conditions, shared) in [
        (
            &["type-2-diabetes", "hypertension", "chronic-kidney-disease"][..],
            &["bp-clinic", "egfr", "creatinine", "urine-acr", "weight", "smoking"][..],
        ),
        (&["copd", "asthma"], &["chest-exacerbations", "inhaler-technique", "smoking"]),
        (&["type-2-diabetes", "hypertension", "copd"], &["weight", "height", "bmi", "smoking"]),
    ] {
        let checklist = Checklist::build(&catalogue, conditions, &[], today());
        let ids: Vec<&str> = checklist.lines.iter().map(|l| l.item.id()).collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{conditions:?}: no item twice: {ids:?}");
        for item in shared {
            let line = checklist.lines.iter().find(|l| l.item.id() == *item).unwrap();
            let wanted: Vec<&str> = line.wanted_by.iter().map(|c| c.id()).collect();
            assert_eq!(wanted, conditions, "{item} is wanted by all of {conditions:?}");
        }
    }
    let mix =
        Checklist::build(&catalogue, &["type-2-diabetes", "hypertension", "copd"], &[], today());
    let ids: Vec<&str> = mix.lines.iter().map(|l| l.item.id()).collect();
    assert_eq!(
        ids,
        [
            "bp-clinic",
            "bp-home",
            "pulse-rhythm",
            "weight",
            "height",
            "bmi",
            "fev1-percent",
            "spo2",
            "foot-check",
            "retinal-screening",
            "hba1c",
            "total-cholesterol",
            "hdl-cholesterol",
            "ldl-cholesterol",
            "egfr",
            "creatinine",
            "potassium",
            "urine-acr",
            "phq2",
            "cat",
            "mrc-dyspnoea",
            "audit-c",
            "smoking",
            "chest-exacerbations",
            "inhaler-technique",
            "medication-problems"
        ],
        "diabetes, hypertension and COPD: one appointment, each item once"
    );
}
