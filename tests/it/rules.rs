//! The shipped triage rules of `assets/rules/` against the issue's thresholds: each boundary
//! and one step either side, the age bands, frailty, home and clinic readings, CKD with a raised
//! ACR, falls in eGFR, lab values beyond the analyser's range, the target words shown beside a
//! result, personal targets, and the words every rule must carry.

use std::collections::BTreeSet;

use alongside::domain::catalogue::{Catalogue, FrailtyGrade};
use alongside::domain::measures::{Entry, ItemDef, ItemKind, Value};
use alongside::domain::rules::{
    assess, Assessment, PersonFacts, PersonalTarget, Reading, RuleSet, Severity,
};
use chrono::{Months, NaiveDate};

use super::support::catalogue;

use Severity::{Amber, Red};

/// What the rules should find: severity and rule id, reds first.
type Expect = &'static [(Severity, &'static str)];

/// An earlier result: item, date taken (YYYY-MM-DD), value as typed.
type Earlier = (&'static str, &'static str, &'static str);

/// Item, value as typed (an option id for a choice; a total, or answer positions separated by
/// commas, for a questionnaire), who, what is found.
type Row = (&'static str, &'static str, Who, Expect);

/// As `Row`, with the person's earlier results.
type HistoryRow = (&'static str, &'static str, Who, &'static [Earlier], Expect);

const NOTHING: Expect = &[];

/// The person, described by their age on the day the result is taken.
#[derive(Clone, Copy, Debug)]
struct Who {
    age: u32,
    frailty: Option<FrailtyGrade>,
    ckd: bool,
}

const ADULT: Who = Who { age: 60, frailty: None, ckd: false };
const AGED_79: Who = Who { age: 79, ..ADULT };
const AGED_80: Who = Who { age: 80, ..ADULT };
const OLDER: Who = Who { age: 85, ..ADULT };
const MILD: Who = Who { frailty: Some(FrailtyGrade::Mild), ..ADULT };
const MODERATE: Who = Who { frailty: Some(FrailtyGrade::Moderate), ..OLDER };
const SEVERE: Who = Who { frailty: Some(FrailtyGrade::Severe), ..OLDER };
const CKD: Who = Who { ckd: true, ..ADULT };
const OLDER_CKD: Who = Who { ckd: true, ..OLDER };

/// Every reading of the tables is taken on this day.
fn taken() -> NaiveDate {
    day(2027, 3, 10)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn shipped() -> (Catalogue, RuleSet) {
    let catalogue = catalogue();
    let rules = alongside::assets::rules(&catalogue).expect("the shipped rules are valid");
    (catalogue, rules)
}

fn facts(who: Who, on: NaiveDate) -> PersonFacts {
    // Three months past a birthday, so the age is the same whichever day is meant.
    let date_of_birth = on.checked_sub_months(Months::new(who.age * 12 + 3)).unwrap();
    PersonFacts {
        date_of_birth,
        conditions: if who.ckd { vec!["chronic-kidney-disease".to_string()] } else { vec![] },
        frailty: who.frailty,
    }
}

/// Answer positions whose scores add up to `total`, filling the first questions first.
fn answers_scoring(item: &ItemDef, total: i32) -> Vec<Option<usize>> {
    let ItemKind::Questionnaire(q) = item.kind() else {
        panic!("{} is a questionnaire", item.id())
    };
    let lowest = |o: &[(String, i32)]| o.iter().map(|(_, s)| *s).min().unwrap();
    let highest = |o: &[(String, i32)]| o.iter().map(|(_, s)| *s).max().unwrap();
    let mut left = total - q.questions.iter().map(|q| lowest(&q.options)).sum::<i32>();
    let answers: Vec<Option<usize>> = q
        .questions
        .iter()
        .map(|question| {
            let low = lowest(&question.options);
            let want = low + left.min(highest(&question.options) - low);
            left -= want - low;
            question.options.iter().position(|(_, s)| *s == want)
        })
        .collect();
    assert_eq!(left, 0, "{} cannot score {total}", item.id());
    answers
}

fn value(item: &ItemDef, text: &str) -> Value {
    let entry = match item.kind() {
        ItemKind::Questionnaire(_) if text.contains(',') => {
            let answers: Vec<Option<usize>> =
                text.split(',').map(|a| Some(a.trim().parse().unwrap())).collect();
            item.parse_entry(Entry { answers: &answers, ..Entry::default() }, taken())
        }
        ItemKind::Questionnaire(_) => {
            let answers = answers_scoring(item, text.parse().unwrap());
            item.parse_entry(Entry { answers: &answers, ..Entry::default() }, taken())
        }
        _ => item.parse_entry(Entry { value: text, ..Entry::default() }, taken()),
    };
    entry.unwrap_or_else(|e| panic!("{} {text:?} is a value of the item: {e}", item.id()))
}

/// The rules' assessment of `text` for `item`, taken on `on`, with the person's earlier
/// results; the reading is among the person's results, as it is in the app.
#[allow(clippy::too_many_arguments)]
fn assessed<'r>(
    catalogue: &Catalogue,
    rules: &'r RuleSet,
    person: &PersonFacts,
    item: &str,
    text: &str,
    on: NaiveDate,
    earlier: &[Earlier],
    targets: &'r [PersonalTarget],
) -> Assessment<'r> {
    let measures = catalogue.measures();
    let item = measures.item(item).unwrap_or_else(|| panic!("{item} is in the catalogue"));
    let now = value(item, text);
    let before: Vec<(&ItemDef, NaiveDate, Value)> = earlier
        .iter()
        .map(|(id, taken_on, text)| {
            let item = measures.item(id).unwrap();
            (item, date(taken_on), value(item, text))
        })
        .collect();
    let reading = Reading { observation: 1, item, taken_on: on, value: &now };
    let mut history = vec![reading];
    for (number, (item, taken_on, value)) in before.iter().enumerate() {
        history.push(Reading { observation: number as i64 + 2, item, taken_on: *taken_on, value });
    }
    assess(rules, person, &reading, &history, targets)
}

fn found(assessment: &Assessment<'_>) -> Vec<(Severity, String)> {
    assessment.findings.iter().map(|f| (f.severity, f.rule_id().to_string())).collect()
}

fn expected(expect: Expect) -> Vec<(Severity, String)> {
    expect.iter().map(|(s, id)| (*s, id.to_string())).collect()
}

fn check_rows(rows: &[Row]) -> BTreeSet<String> {
    let rows: Vec<HistoryRow> = rows
        .iter()
        .map(|(item, text, who, expect)| (*item, *text, *who, &[][..], *expect))
        .collect();
    check_history_rows(&rows)
}

fn check_history_rows(rows: &[HistoryRow]) -> BTreeSet<String> {
    let (catalogue, rules) = shipped();
    let mut asserted = BTreeSet::new();
    for (item, text, who, earlier, expect) in rows {
        let person = facts(*who, taken());
        let assessment = assessed(&catalogue, &rules, &person, item, text, taken(), earlier, &[]);
        assert_eq!(
            found(&assessment),
            expected(expect),
            "{item} {text} for {who:?} with earlier results {earlier:?}"
        );
        assert_eq!(assessment.severity(), expect.iter().map(|(s, _)| *s).max(), "{item} {text}");
        asserted.extend(expect.iter().map(|(_, id)| id.to_string()));
    }
    asserted
}

const BLOOD_PRESSURE: &[Row] = &[
    ("bp-clinic", "139/89", ADULT, NOTHING),
    ("bp-clinic", "140/90", ADULT, NOTHING),
    ("bp-clinic", "141/90", ADULT, &[(Amber, "bp-clinic-target-under-80")]),
    ("bp-clinic", "140/91", ADULT, &[(Amber, "bp-clinic-target-under-80")]),
    ("bp-clinic", "179/119", ADULT, &[(Amber, "bp-clinic-target-under-80")]),
    ("bp-clinic", "180/119", ADULT, &[(Red, "bp-clinic-severe")]),
    ("bp-clinic", "181/100", ADULT, &[(Red, "bp-clinic-severe")]),
    ("bp-clinic", "179/120", ADULT, &[(Red, "bp-clinic-severe")]),
    ("bp-clinic", "179/121", ADULT, &[(Red, "bp-clinic-severe")]),
    ("bp-clinic", "141/90", AGED_79, &[(Amber, "bp-clinic-target-under-80")]),
    ("bp-clinic", "150/90", AGED_79, &[(Amber, "bp-clinic-target-under-80")]),
    ("bp-clinic", "141/90", AGED_80, NOTHING),
    ("bp-clinic", "149/89", AGED_80, NOTHING),
    ("bp-clinic", "150/90", AGED_80, NOTHING),
    ("bp-clinic", "151/90", AGED_80, &[(Amber, "bp-clinic-target-80-and-over")]),
    ("bp-clinic", "150/91", AGED_80, &[(Amber, "bp-clinic-target-80-and-over")]),
    ("bp-clinic", "179/119", AGED_80, &[(Amber, "bp-clinic-target-80-and-over")]),
    ("bp-clinic", "180/100", AGED_80, &[(Red, "bp-clinic-severe")]),
    ("bp-clinic", "170/120", OLDER, &[(Red, "bp-clinic-severe")]),
    ("bp-clinic", "151/85", OLDER, &[(Amber, "bp-clinic-target-80-and-over")]),
    ("bp-home", "134/84", ADULT, NOTHING),
    ("bp-home", "135/85", ADULT, NOTHING),
    ("bp-home", "136/85", ADULT, &[(Amber, "bp-home-target-under-80")]),
    ("bp-home", "135/86", ADULT, &[(Amber, "bp-home-target-under-80")]),
    ("bp-home", "136/85", AGED_79, &[(Amber, "bp-home-target-under-80")]),
    // Severe hypertension is a clinic reading: at home it is a target not met.
    ("bp-home", "185/125", ADULT, &[(Amber, "bp-home-target-under-80")]),
    ("bp-home", "136/85", AGED_80, NOTHING),
    ("bp-home", "144/84", AGED_80, NOTHING),
    ("bp-home", "145/85", AGED_80, NOTHING),
    ("bp-home", "146/85", AGED_80, &[(Amber, "bp-home-target-80-and-over")]),
    ("bp-home", "145/86", AGED_80, &[(Amber, "bp-home-target-80-and-over")]),
    ("bp-home", "185/125", OLDER, &[(Amber, "bp-home-target-80-and-over")]),
];

#[test]
fn blood_pressure_is_red_at_180_over_120_in_clinic_and_amber_above_the_target_for_the_age() {
    check_rows(BLOOD_PRESSURE);
}

/// Date of birth, day taken, item, value, what is found.
type BirthdayRow = (&'static str, &'static str, &'static str, &'static str, Expect);

const EIGHTIETH_BIRTHDAY: &[BirthdayRow] = &[
    ("1947-03-10", "2027-03-09", "bp-clinic", "145/88", &[(Amber, "bp-clinic-target-under-80")]),
    ("1947-03-10", "2027-03-10", "bp-clinic", "145/88", NOTHING),
    ("1947-03-10", "2027-03-10", "bp-clinic", "151/88", &[(Amber, "bp-clinic-target-80-and-over")]),
    ("1947-03-10", "2027-03-11", "bp-clinic", "150/90", NOTHING),
    ("1947-03-10", "2027-03-09", "bp-home", "140/80", &[(Amber, "bp-home-target-under-80")]),
    ("1947-03-10", "2027-03-10", "bp-home", "140/80", NOTHING),
    ("1947-03-10", "2027-03-10", "bp-home", "146/80", &[(Amber, "bp-home-target-80-and-over")]),
    // Born on 29 February: 80 on the 29th in a leap year, not on the 28th.
    ("1948-02-29", "2028-02-28", "bp-clinic", "145/88", &[(Amber, "bp-clinic-target-under-80")]),
    ("1948-02-29", "2028-02-29", "bp-clinic", "145/88", NOTHING),
];

fn check_birthdays() -> BTreeSet<String> {
    let (catalogue, rules) = shipped();
    let mut asserted = BTreeSet::new();
    for (born, on, item, text, expect) in EIGHTIETH_BIRTHDAY {
        let person = PersonFacts { date_of_birth: date(born), conditions: vec![], frailty: None };
        let assessment = assessed(&catalogue, &rules, &person, item, text, date(on), &[], &[]);
        assert_eq!(found(&assessment), expected(expect), "born {born}, {item} {text} on {on}");
        asserted.extend(expect.iter().map(|(_, id)| id.to_string()));
    }
    asserted
}

#[test]
fn the_age_band_is_the_age_in_whole_years_on_the_day_the_reading_was_taken() {
    check_birthdays();
}

const CKD_WITH_RAISED_ACR: &[HistoryRow] = &[
    ("bp-clinic", "129/79", CKD, &[("urine-acr", "2027-02-10", "70.0")], NOTHING),
    ("bp-clinic", "130/80", CKD, &[("urine-acr", "2027-02-10", "70.0")], NOTHING),
    (
        "bp-clinic",
        "131/80",
        CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        &[(Amber, "bp-clinic-target-ckd-acr-70")],
    ),
    (
        "bp-clinic",
        "130/81",
        CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        &[(Amber, "bp-clinic-target-ckd-acr-70")],
    ),
    (
        "bp-clinic",
        "135/85",
        CKD,
        &[("urine-acr", "2027-02-10", "300.0")],
        &[(Amber, "bp-clinic-target-ckd-acr-70")],
    ),
    // At any age: 131/80 and 150/90 are within the target for 80 and over.
    (
        "bp-clinic",
        "131/80",
        OLDER_CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        &[(Amber, "bp-clinic-target-ckd-acr-70")],
    ),
    (
        "bp-clinic",
        "150/90",
        OLDER_CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        &[(Amber, "bp-clinic-target-ckd-acr-70")],
    ),
    ("bp-clinic", "130/80", OLDER_CKD, &[("urine-acr", "2027-02-10", "70.0")], NOTHING),
    // The ACR on the day of the reading counts, and one taken 12 months before to the day.
    (
        "bp-clinic",
        "131/81",
        CKD,
        &[("urine-acr", "2027-03-10", "70.0")],
        &[(Amber, "bp-clinic-target-ckd-acr-70")],
    ),
    (
        "bp-clinic",
        "131/81",
        CKD,
        &[("urine-acr", "2026-03-10", "70.0")],
        &[(Amber, "bp-clinic-target-ckd-acr-70")],
    ),
    // Not when the ACR is older than 12 months, later than the reading, or below 70.
    ("bp-clinic", "131/81", CKD, &[("urine-acr", "2026-03-09", "70.0")], NOTHING),
    ("bp-clinic", "131/81", CKD, &[("urine-acr", "2027-03-11", "70.0")], NOTHING),
    ("bp-clinic", "131/81", CKD, &[("urine-acr", "2027-02-10", "69.9")], NOTHING),
    (
        "bp-clinic",
        "141/90",
        CKD,
        &[("urine-acr", "2027-02-10", "69.9")],
        &[(Amber, "bp-clinic-target-under-80")],
    ),
    (
        "bp-clinic",
        "141/90",
        CKD,
        &[("urine-acr", "2026-03-09", "70.0")],
        &[(Amber, "bp-clinic-target-under-80")],
    ),
    ("bp-clinic", "151/90", OLDER_CKD, &[], &[(Amber, "bp-clinic-target-80-and-over")]),
    ("bp-clinic", "131/81", CKD, &[], NOTHING),
    ("bp-clinic", "131/81", CKD, &[("egfr", "2027-02-10", "70")], NOTHING),
    // Not without CKD, however high the ACR.
    ("bp-clinic", "131/81", ADULT, &[("urine-acr", "2027-02-10", "300.0")], NOTHING),
    (
        "bp-clinic",
        "141/81",
        ADULT,
        &[("urine-acr", "2027-02-10", "300.0")],
        &[(Amber, "bp-clinic-target-under-80")],
    ),
    // The latest ACR decides.
    (
        "bp-clinic",
        "131/81",
        CKD,
        &[("urine-acr", "2026-09-01", "120.0"), ("urine-acr", "2027-01-05", "30.0")],
        NOTHING,
    ),
    (
        "bp-clinic",
        "131/81",
        CKD,
        &[("urine-acr", "2026-09-01", "30.0"), ("urine-acr", "2027-01-05", "120.0")],
        &[(Amber, "bp-clinic-target-ckd-acr-70")],
    ),
    // Red is red whatever the target.
    (
        "bp-clinic",
        "180/100",
        CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        &[(Red, "bp-clinic-severe")],
    ),
    ("bp-home", "124/74", CKD, &[("urine-acr", "2027-02-10", "70.0")], NOTHING),
    ("bp-home", "125/75", CKD, &[("urine-acr", "2027-02-10", "70.0")], NOTHING),
    (
        "bp-home",
        "126/75",
        CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        &[(Amber, "bp-home-target-ckd-acr-70")],
    ),
    (
        "bp-home",
        "125/76",
        CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        &[(Amber, "bp-home-target-ckd-acr-70")],
    ),
    (
        "bp-home",
        "140/80",
        OLDER_CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        &[(Amber, "bp-home-target-ckd-acr-70")],
    ),
    ("bp-home", "126/76", CKD, &[("urine-acr", "2026-03-09", "70.0")], NOTHING),
    ("bp-home", "126/76", ADULT, &[("urine-acr", "2027-02-10", "70.0")], NOTHING),
];

#[test]
fn ckd_with_an_acr_of_70_in_the_last_12_months_lowers_the_blood_pressure_target_at_any_age() {
    check_history_rows(CKD_WITH_RAISED_ACR);
}

const BLOOD_SUGAR: &[Row] = &[
    ("hba1c", "57", ADULT, NOTHING),
    ("hba1c", "58", ADULT, NOTHING),
    ("hba1c", "59", ADULT, &[(Amber, "hba1c-target")]),
    ("hba1c", "85", ADULT, &[(Amber, "hba1c-target")]),
    ("hba1c", "86", ADULT, &[(Amber, "hba1c-target")]),
    ("hba1c", "87", ADULT, &[(Red, "hba1c-very-high")]),
    ("hba1c", "88", ADULT, &[(Red, "hba1c-very-high")]),
    ("hba1c", "58", MILD, NOTHING),
    ("hba1c", "59", MILD, &[(Amber, "hba1c-target")]),
    ("hba1c", "76", MILD, &[(Amber, "hba1c-target")]),
    ("hba1c", "87", MILD, &[(Red, "hba1c-very-high")]),
    ("hba1c", "59", MODERATE, NOTHING),
    ("hba1c", "74", MODERATE, NOTHING),
    ("hba1c", "75", MODERATE, NOTHING),
    ("hba1c", "76", MODERATE, &[(Amber, "hba1c-target-frailty")]),
    ("hba1c", "86", MODERATE, &[(Amber, "hba1c-target-frailty")]),
    ("hba1c", "87", MODERATE, &[(Red, "hba1c-very-high")]),
    ("hba1c", "59", SEVERE, NOTHING),
    ("hba1c", "75", SEVERE, NOTHING),
    ("hba1c", "76", SEVERE, &[(Amber, "hba1c-target-frailty")]),
    ("hba1c", "87", SEVERE, &[(Red, "hba1c-very-high")]),
];

#[test]
fn hba1c_is_red_above_86_and_amber_above_58_or_above_75_with_moderate_or_severe_frailty() {
    check_rows(BLOOD_SUGAR);
}

const KIDNEYS: &[Row] = &[
    ("egfr", "14", ADULT, &[(Red, "egfr-below-15")]),
    ("egfr", "15", ADULT, &[(Amber, "egfr-low")]),
    ("egfr", "16", ADULT, &[(Amber, "egfr-low")]),
    ("egfr", "29", ADULT, &[(Amber, "egfr-low")]),
    ("egfr", "30", ADULT, NOTHING),
    ("egfr", "31", ADULT, NOTHING),
    ("egfr", ">90", ADULT, NOTHING),
    ("egfr", "<15", ADULT, &[(Red, "egfr-below-15")]),
    ("urine-acr", "3.0", ADULT, NOTHING),
    ("urine-acr", "69.9", ADULT, NOTHING),
    ("urine-acr", "70", ADULT, &[(Amber, "urine-acr-high")]),
    ("urine-acr", "70.0", ADULT, &[(Amber, "urine-acr-high")]),
    ("urine-acr", "70.1", ADULT, &[(Amber, "urine-acr-high")]),
    ("urine-acr", "249.9", ADULT, &[(Amber, "urine-acr-high")]),
    ("urine-acr", "250.0", ADULT, &[(Amber, "urine-acr-high")]),
    ("urine-acr", "250.1", ADULT, &[(Red, "urine-acr-very-high")]),
    ("urine-acr", "<3.0", ADULT, NOTHING),
    ("potassium", "5.4", ADULT, NOTHING),
    ("potassium", "5.5", ADULT, NOTHING),
    ("potassium", "5.6", ADULT, &[(Amber, "potassium-high")]),
    ("potassium", "5.9", ADULT, &[(Amber, "potassium-high")]),
    ("potassium", "6.0", ADULT, &[(Red, "potassium-very-high")]),
    ("potassium", "6", ADULT, &[(Red, "potassium-very-high")]),
    ("potassium", "6.1", ADULT, &[(Red, "potassium-very-high")]),
    ("potassium", "<2.0", ADULT, NOTHING),
    ("potassium", ">9.5", ADULT, &[(Red, "potassium-very-high")]),
];

#[test]
fn kidney_results_are_red_and_amber_at_the_issues_thresholds_including_beyond_the_labs_range() {
    check_rows(KIDNEYS);
}

const EGFR_FALLS: &[HistoryRow] = &[
    ("egfr", "60", ADULT, &[("egfr", "2026-12-10", "80")], &[(Red, "egfr-fall-25-percent")]),
    ("egfr", "61", ADULT, &[("egfr", "2026-12-10", "80")], NOTHING),
    // 19/79 is 24.05%.
    ("egfr", "60", ADULT, &[("egfr", "2026-12-10", "79")], NOTHING),
    ("egfr", "59", ADULT, &[("egfr", "2026-12-10", "79")], &[(Red, "egfr-fall-25-percent")]),
    ("egfr", "60", ADULT, &[("egfr", "2026-03-10", "80")], &[(Red, "egfr-fall-25-percent")]),
    ("egfr", "60", ADULT, &[("egfr", "2026-03-09", "80")], NOTHING),
    // Against the most recent previous result only.
    ("egfr", "75", ADULT, &[("egfr", "2026-06-01", "100"), ("egfr", "2026-12-01", "80")], NOTHING),
    (
        "egfr",
        "75",
        ADULT,
        &[("egfr", "2026-06-01", "80"), ("egfr", "2026-12-01", "100")],
        &[(Red, "egfr-fall-25-percent")],
    ),
    // A later result is not a previous one.
    ("egfr", "60", ADULT, &[("egfr", "2027-04-01", "100")], NOTHING),
    ("egfr", "60", ADULT, &[("egfr", "2026-12-10", "40")], NOTHING),
    ("egfr", "31", ADULT, &[("egfr", "2026-12-10", "40")], NOTHING),
    ("egfr", "29", ADULT, &[("egfr", "2026-12-10", "40")], &[(Red, "egfr-fall-25-percent")]),
    (
        "egfr",
        "14",
        ADULT,
        &[("egfr", "2026-12-10", "40")],
        &[(Red, "egfr-below-15"), (Red, "egfr-fall-25-percent")],
    ),
    ("egfr", ">90", ADULT, &[("egfr", "2026-12-10", ">90")], NOTHING),
    ("egfr", "60", ADULT, &[("egfr", "2026-12-10", ">90")], &[(Red, "egfr-fall-25-percent")]),
    // Another item's fall is not this one's.
    ("egfr", "60", ADULT, &[("hba1c", "2026-12-10", "80")], NOTHING),
];

#[test]
fn an_egfr_fall_of_25_percent_against_the_previous_result_within_12_months_is_red() {
    check_history_rows(EGFR_FALLS);
}

const OXYGEN_MOOD_BREATHING_FEET_AND_SMOKING: &[Row] = &[
    ("spo2", "91", ADULT, &[(Red, "spo2-low")]),
    ("spo2", "92", ADULT, &[(Red, "spo2-low")]),
    ("spo2", "93", ADULT, NOTHING),
    ("phq9", "0,0,0,0,0,0,0,0,0", ADULT, NOTHING),
    ("phq9", "3,3,3,3,3,3,3,3,0", ADULT, NOTHING),
    ("phq9", "0,0,0,0,0,0,0,0,1", ADULT, &[(Red, "phq9-item-9")]),
    ("phq9", "0,0,0,0,0,0,0,0,3", ADULT, &[(Red, "phq9-item-9")]),
    ("phq9", "1,0,0,0,0,0,0,0,0", ADULT, NOTHING),
    ("phq2", "2", ADULT, NOTHING),
    ("phq2", "3", ADULT, &[(Amber, "phq2-positive")]),
    ("phq2", "4", ADULT, &[(Amber, "phq2-positive")]),
    ("act", "18", ADULT, &[(Amber, "act-not-controlled")]),
    ("act", "19", ADULT, &[(Amber, "act-not-controlled")]),
    ("act", "20", ADULT, NOTHING),
    ("act", "21", ADULT, NOTHING),
    ("cat", "9", ADULT, NOTHING),
    ("cat", "10", ADULT, &[(Amber, "cat-medium-impact")]),
    ("cat", "11", ADULT, &[(Amber, "cat-medium-impact")]),
    ("mrc-dyspnoea", "grade-1", ADULT, NOTHING),
    ("mrc-dyspnoea", "grade-2", ADULT, NOTHING),
    ("mrc-dyspnoea", "grade-3", ADULT, &[(Amber, "mrc-grade-3")]),
    ("mrc-dyspnoea", "grade-4", ADULT, &[(Amber, "mrc-grade-3")]),
    ("mrc-dyspnoea", "grade-5", ADULT, &[(Amber, "mrc-grade-3")]),
    ("foot-check", "low-risk", ADULT, NOTHING),
    ("foot-check", "moderate-risk", ADULT, NOTHING),
    ("foot-check", "high-risk", ADULT, NOTHING),
    ("foot-check", "active-foot-problem", ADULT, &[(Red, "foot-active-problem")]),
    ("smoking", "current-smoker", ADULT, &[(Amber, "smoking-current")]),
    ("smoking", "ex-smoker", ADULT, NOTHING),
    ("smoking", "never-smoked", ADULT, NOTHING),
];

#[test]
fn oxygen_mood_breathing_feet_and_smoking_are_flagged_at_the_issues_thresholds() {
    check_rows(OXYGEN_MOOD_BREATHING_FEET_AND_SMOKING);
}

#[test]
fn every_shipped_rule_is_exercised_by_a_row_of_these_tables() {
    let (_, rules) = shipped();
    let mut asserted = BTreeSet::new();
    for rows in [BLOOD_PRESSURE, BLOOD_SUGAR, KIDNEYS, OXYGEN_MOOD_BREATHING_FEET_AND_SMOKING] {
        asserted.extend(check_rows(rows));
    }
    for rows in [CKD_WITH_RAISED_ACR, EGFR_FALLS] {
        asserted.extend(check_history_rows(rows));
    }
    asserted.extend(check_birthdays());
    let shipped: BTreeSet<String> = rules.rules().iter().map(|r| r.id.clone()).collect();
    let untested: Vec<&String> = shipped.difference(&asserted).collect();
    assert!(untested.is_empty(), "rules no row of this file asserts: {untested:?}");
    let unknown: Vec<&String> = asserted.difference(&shipped).collect();
    assert!(unknown.is_empty(), "rows assert rules the table does not have: {unknown:?}");
}

#[test]
fn every_shipped_rule_explains_itself_and_every_red_rule_says_the_practice_has_been_in_touch() {
    let (catalogue, rules) = shipped();
    assert!(!rules.rules().is_empty());
    assert!(!rules.files().is_empty());
    for file in rules.files() {
        assert!(!file.area.trim().is_empty() && !file.version.trim().is_empty(), "{file:?}");
    }
    for rule in rules.rules() {
        for (field, text) in [
            ("title", &rule.title),
            ("rationale", &rule.rationale),
            ("meaning", &rule.meaning),
            ("source", &rule.source),
        ] {
            assert!(!text.trim().is_empty(), "{}: the {field} is empty", rule.id);
        }
        assert!(!rule.describe(catalogue.measures()).is_empty(), "{}", rule.id);
        let in_touch = rule.meaning.contains("The practice has already been in touch");
        match rule.severity {
            Red => assert!(in_touch, "{}: a red rule's meaning says so: {}", rule.id, rule.meaning),
            Amber => assert!(!in_touch, "{}: an amber rule has not been acted on", rule.id),
        }
    }
}

/// Item, value, who, earlier results, the rule whose target applies, the target in words.
type TargetRow = (
    &'static str,
    &'static str,
    Who,
    &'static [Earlier],
    Option<&'static str>,
    Option<&'static str>,
);

const TARGET_WORDS: &[TargetRow] = &[
    ("hba1c", "53", ADULT, &[], Some("hba1c-target"), Some("58 mmol/mol or below")),
    ("hba1c", "90", ADULT, &[], Some("hba1c-target"), Some("58 mmol/mol or below")),
    ("hba1c", "53", SEVERE, &[], Some("hba1c-target-frailty"), Some("75 mmol/mol or below")),
    (
        "bp-clinic",
        "120/70",
        ADULT,
        &[],
        Some("bp-clinic-target-under-80"),
        Some("140/90 mmHg or below"),
    ),
    (
        "bp-clinic",
        "120/70",
        OLDER,
        &[],
        Some("bp-clinic-target-80-and-over"),
        Some("150/90 mmHg or below"),
    ),
    (
        "bp-home",
        "120/70",
        ADULT,
        &[],
        Some("bp-home-target-under-80"),
        Some("135/85 mmHg or below"),
    ),
    (
        "bp-home",
        "120/70",
        OLDER,
        &[],
        Some("bp-home-target-80-and-over"),
        Some("145/85 mmHg or below"),
    ),
    (
        "bp-clinic",
        "120/70",
        OLDER_CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        Some("bp-clinic-target-ckd-acr-70"),
        Some("130/80 mmHg or below"),
    ),
    (
        "bp-home",
        "120/70",
        CKD,
        &[("urine-acr", "2027-02-10", "70.0")],
        Some("bp-home-target-ckd-acr-70"),
        Some("125/75 mmHg or below"),
    ),
    ("potassium", "4.2", ADULT, &[], Some("potassium-high"), Some("5.5 mmol/L or below")),
    ("egfr", ">90", ADULT, &[], Some("egfr-low"), Some("30 mL/min/1.73m² or above")),
    ("urine-acr", "2.5", ADULT, &[], Some("urine-acr-high"), Some("below 70 mg/mmol")),
    ("act", "25", ADULT, &[], Some("act-not-controlled"), Some("score 20 or above")),
    ("cat", "4", ADULT, &[], Some("cat-medium-impact"), Some("score below 10")),
    ("phq2", "0", ADULT, &[], Some("phq2-positive"), Some("score below 3")),
    ("mrc-dyspnoea", "grade-1", ADULT, &[], Some("mrc-grade-3"), Some("score below 3")),
    ("smoking", "never-smoked", ADULT, &[], Some("smoking-current"), None),
    ("spo2", "97", ADULT, &[], None, None),
    ("foot-check", "low-risk", ADULT, &[], None, None),
    ("phq9", "0,0,0,0,0,0,0,0,0", ADULT, &[], None, None),
];

#[test]
fn the_target_beside_a_result_is_the_amber_rule_that_applies_put_in_words() {
    let (catalogue, rules) = shipped();
    for (item, text, who, earlier, rule, words) in TARGET_WORDS {
        let person = facts(*who, taken());
        let assessment = assessed(&catalogue, &rules, &person, item, text, taken(), earlier, &[]);
        let target = assessment.target.as_ref();
        assert_eq!(target.map(|t| t.basis.rule_id()), *rule, "{item} {text} for {who:?}");
        assert_eq!(target.and_then(|t| t.words.as_deref()), *words, "{item} {text} for {who:?}");
    }
}

fn personal(rules: &RuleSet, catalogue: &Catalogue, item: &str, text: &str) -> PersonalTarget {
    let item = catalogue.measures().item(item).unwrap();
    PersonalTarget::parse(rules, item, text, "severe frailty", "Dr A", day(2027, 1, 5))
        .unwrap_or_else(|e| panic!("a personal target of {text} for {}: {e}", item.id()))
}

/// Item, personal target, who, value, what is found, the target in words.
type PersonalRow = (&'static str, &'static str, Who, &'static str, Expect, &'static str);

const PERSONAL_TARGETS: &[PersonalRow] = &[
    ("hba1c", "64", ADULT, "58", NOTHING, "64 mmol/mol or below"),
    ("hba1c", "64", ADULT, "64", NOTHING, "64 mmol/mol or below"),
    ("hba1c", "64", ADULT, "65", &[(Amber, "personal-target")], "64 mmol/mol or below"),
    ("hba1c", "64", ADULT, "87", &[(Red, "hba1c-very-high")], "64 mmol/mol or below"),
    // It replaces whichever practice target applies, the frailty one too.
    ("hba1c", "64", MODERATE, "65", &[(Amber, "personal-target")], "64 mmol/mol or below"),
    ("hba1c", "48", ADULT, "48", NOTHING, "48 mmol/mol or below"),
    ("hba1c", "48", ADULT, "49", &[(Amber, "personal-target")], "48 mmol/mol or below"),
    ("hba1c", "48", SEVERE, "58", &[(Amber, "personal-target")], "48 mmol/mol or below"),
    ("hba1c", "86", ADULT, "86", NOTHING, "86 mmol/mol or below"),
    ("hba1c", "86", ADULT, "87", &[(Red, "hba1c-very-high")], "86 mmol/mol or below"),
    ("bp-clinic", "150/90", ADULT, "145/85", NOTHING, "150/90 mmHg or below"),
    ("bp-clinic", "150/90", ADULT, "150/90", NOTHING, "150/90 mmHg or below"),
    ("bp-clinic", "150/90", ADULT, "151/90", &[(Amber, "personal-target")], "150/90 mmHg or below"),
    ("bp-clinic", "150/90", ADULT, "150/91", &[(Amber, "personal-target")], "150/90 mmHg or below"),
    ("bp-clinic", "150/90", ADULT, "180/100", &[(Red, "bp-clinic-severe")], "150/90 mmHg or below"),
    ("bp-clinic", "130/80", OLDER, "131/80", &[(Amber, "personal-target")], "130/80 mmHg or below"),
];

#[test]
fn a_personal_target_replaces_the_practice_target_but_never_a_red_rule() {
    let (catalogue, rules) = shipped();
    for (item, own, who, text, expect, words) in PERSONAL_TARGETS {
        let targets = [personal(&rules, &catalogue, item, own)];
        let person = facts(*who, taken());
        let assessment = assessed(&catalogue, &rules, &person, item, text, taken(), &[], &targets);
        let context = format!("{item} {text} with a personal target of {own} for {who:?}");
        assert_eq!(found(&assessment), expected(expect), "{context}");
        let target = assessment.target.as_ref().expect("a target applies");
        assert_eq!(target.basis.rule_id(), "personal-target", "{context}");
        assert_eq!(target.words.as_deref(), Some(*words), "{context}");
    }
}

#[test]
fn a_personal_target_keeps_the_words_of_the_rule_it_replaces_and_says_who_set_it() {
    let (catalogue, rules) = shipped();
    let targets = [personal(&rules, &catalogue, "hba1c", "64")];
    let person = facts(ADULT, taken());
    let assessment = assessed(&catalogue, &rules, &person, "hba1c", "70", taken(), &[], &targets);
    let finding = &assessment.findings[0];
    assert_eq!(finding.rule_id(), "personal-target");
    assert_eq!(finding.basis.rule().id, "hba1c-target");
    let source = finding.basis.source();
    assert!(source.contains("Dr A") && source.contains("severe frailty"), "{source}");
    assert!(source.contains("5 January 2027"), "{source}");
    assert!(source.contains(&rules.rule("hba1c-target").unwrap().source), "{source}");
    // Another item keeps the practice's target.
    let bp = assessed(&catalogue, &rules, &person, "bp-clinic", "141/90", taken(), &[], &targets);
    assert_eq!(found(&bp), expected(&[(Amber, "bp-clinic-target-under-80")]));
}

#[test]
fn a_personal_target_is_refused_where_a_red_rule_fires_without_a_reason_or_without_a_target() {
    let (catalogue, rules) = shipped();
    let item = |id: &str| catalogue.measures().item(id).unwrap();
    let on = day(2027, 1, 5);
    for (id, text, reason, says) in [
        ("hba1c", "90", "frailty", "hba1c-very-high"),
        ("hba1c", "87", "frailty", "hba1c-very-high"),
        ("bp-clinic", "185/90", "frailty", "bp-clinic-severe"),
        ("bp-clinic", "180/90", "frailty", "bp-clinic-severe"),
        ("bp-clinic", "150/120", "frailty", "bp-clinic-severe"),
        ("hba1c", "64", "", "say why"),
        ("hba1c", "64", "   ", "say why"),
        ("spo2", "90", "lung disease", "no practice target"),
        ("spo2", "95", "lung disease", "no practice target"),
        ("foot-check", "1", "frailty", "no practice target"),
        // Smoking has an amber rule, but on a choice with no number to personalise.
        ("smoking", "1", "trying to cut down", "no practice target"),
        ("hba1c", "sixty", "frailty", "needs a number"),
        ("hba1c", "250", "frailty", "plausible range"),
        ("bp-clinic", "150", "frailty", "systolic/diastolic"),
        ("bp-clinic", "90/150", "frailty", "must be lower"),
    ] {
        let refused = PersonalTarget::parse(&rules, item(id), text, reason, "Dr A", on)
            .expect_err(&format!("{id} {text} with reason {reason:?} is refused"));
        assert!(refused.contains(says), "{id} {text}: {refused}");
    }
    for (id, text) in [("hba1c", "86"), ("hba1c", "48"), ("bp-clinic", "179/119"), ("egfr", "25")] {
        let target = PersonalTarget::parse(&rules, item(id), text, "frailty", "Dr A", on)
            .unwrap_or_else(|e| panic!("{id} {text}: {e}"));
        assert_eq!((target.item.as_str(), target.text.as_str()), (id, text));
    }
}

#[test]
fn a_stored_personal_target_reads_back_as_it_was_set() {
    let (catalogue, rules) = shipped();
    let set = personal(&rules, &catalogue, "bp-clinic", "150/90");
    let item = catalogue.measures().item("bp-clinic").unwrap();
    let restored =
        PersonalTarget::restore(item, &set.text, &set.reason, &set.set_by, set.set_on).unwrap();
    assert_eq!(restored, set);
    assert!(PersonalTarget::restore(item, "150", "frailty", "Dr A", set.set_on).is_none());
}
