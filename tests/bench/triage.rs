//! The triage benchmark: `cargo bench --bench triage`. Registers 10,000 people with two to four
//! long-term conditions each (some frail), gives each a full set of results for this year's
//! review (every item their conditions ask for, with realistic values, some amber and a few
//! red, and an earlier eGFR for the kidney rules), then times the shipped rule table evaluated
//! against every reading of every person (pure, no database), and the clinician's worklist
//! read from a database holding 10,000 open reviews with complete results. Target: under 1 s
//! for the evaluation.

#[path = "support.rs"]
mod support;

use std::fmt::Write as _;
use std::time::Instant;

use chrono::{Datelike, Days, NaiveDate};

use alongside::domain::calendar::YearMonth;
use alongside::domain::checklist::Recorded;
use alongside::domain::cycle::Cycle;
use alongside::domain::measures::Value;
use alongside::domain::nhs_number::NhsNumber;
use alongside::domain::rules::{assess, PersonFacts, PersonalTarget, Reading, Severity};
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::exchange::triage::{person_facts, worklist, WorklistGroup};
use alongside::store::{Actor, NewObservation, ObservationSource, Store, StoreError};
use support::{result, Dice};

const PEOPLE: usize = 10_000;

/// Long-term conditions by SNOMED CT code, the common ones more than once so that
/// hypertension and type 2 diabetes are the usual pairings.
const CONDITIONS: &[&str] = &[
    "38341003",  // hypertension
    "38341003",  // hypertension
    "38341003",  // hypertension
    "44054006",  // type 2 diabetes
    "44054006",  // type 2 diabetes
    "709044004", // chronic kidney disease
    "709044004", // chronic kidney disease
    "13645005",  // COPD
    "195967001", // asthma
    "49436004",  // atrial fibrillation
    "414545008", // coronary heart disease
    "84114007",  // heart failure
    "230690007", // stroke or TIA
    "35489007",  // depression
];

/// Mild and moderate frailty.
const FRAILTY: &[&str] = &["925791000000100", "925831000000107"];

/// One person's register row.
fn register_row(dice: &mut Dice, number: &NhsNumber, i: usize, today: NaiveDate) -> String {
    let count = 2 + dice.below(3) as usize;
    let mut codes: Vec<&str> = Vec::new();
    while codes.len() < count {
        let code = dice.pick(CONDITIONS);
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    if dice.chance(8.0) {
        codes.push(FRAILTY[dice.below(2) as usize]);
    }
    let year = today.year() - 40 - dice.below(50) as i32;
    let born = NaiveDate::from_ymd_opt(year, 1 + dice.below(12) as u32, 1 + dice.below(28) as u32)
        .unwrap();
    format!("{},Person{i},Test,{},{}\n", number.as_str(), born.format("%Y-%m-%d"), codes.join(";"))
}

/// One person's results for the review: every item their conditions ask for, taken over the
/// last fortnight, and an earlier eGFR from about ten months ago.
struct Person {
    patient_id: i64,
    facts: PersonFacts,
    targets: Vec<PersonalTarget>,
    /// (observation id, item, day, value, this review or earlier)
    readings: Vec<(i64, usize, NaiveDate, Value, bool)>,
}

fn main() {
    let catalogue = alongside::assets::catalogue().expect("the catalogue is valid");
    let rules = alongside::assets::rules(&catalogue).expect("the rules are valid");
    let today = chrono::Local::now().date_naive();
    let dir = tempfile::tempdir().unwrap();
    let actor = Actor::new("benchmark");
    let mut store = Store::open(&dir.path().join("practice.sqlite")).unwrap();
    let mut dice = Dice(0x7121_A6E5);

    let mut csv = String::from("nhs_number,family_name,given_name,date_of_birth,conditions\n");
    let mut stem = 999_000_000;
    let mut made = 0;
    while made < PEOPLE {
        stem += 1;
        let Some(number) = NhsNumber::from_stem(stem) else { continue };
        csv.push_str(&register_row(&mut dice, &number, made, today));
        made += 1;
    }
    let file = RegisterFile::read(csv.as_bytes()).unwrap();
    let report =
        import_register(&mut store, &actor, &catalogue, today, &file, "register.csv", false)
            .unwrap();
    assert_eq!(report.imported, PEOPLE, "{:?}", report.rejected.first());
    let patients = store.all_patients().unwrap();

    let measures = catalogue.measures();
    let items = measures.items();
    let index_of = |id: &str| items.iter().position(|i| i.id() == id).unwrap();
    let mut next_id = 1_i64;
    let mut people: Vec<Person> = Vec::new();
    for patient in &patients {
        let facts = person_facts(&catalogue, patient);
        let conditions: Vec<&str> = facts.conditions.iter().map(String::as_str).collect();
        let mut readings = Vec::new();
        let mut wanted: Vec<usize> = catalogue
            .items_for(conditions.iter().copied())
            .iter()
            .map(|(i, _)| index_of(i.id()))
            .collect();
        if wanted.contains(&index_of("phq2")) && dice.chance(10.0) {
            wanted.push(index_of("phq9"));
        }
        for &index in &wanted {
            let item = &items[index];
            let (text, option, answers) = if item.id() == "phq9" {
                // A positive PHQ-2: question 9 answered above "not at all" now and then.
                let q9 = if dice.chance(15.0) { 1 } else { 0 };
                ("".to_string(), None, format!("1,1,2,1,1,0,1,0,{q9}"))
            } else {
                result(&mut dice, item, today)
            };
            let value = item
                .restore(&text, option.as_deref(), &answers)
                .unwrap_or_else(|| panic!("{}: '{text}' {option:?} '{answers}'", item.id()));
            let on = today - Days::new(dice.below(14));
            readings.push((next_id, index, on, value, true));
            next_id += 1;
        }
        if let Some((.., Value::Quantity(now), _)) =
            readings.iter().find(|(_, index, ..)| *index == index_of("egfr"))
        {
            // Last year's eGFR: much the same, and now and then a fall of a quarter or more.
            let now = if now.comparator().is_some() { 90.0 } else { now.value() };
            let factor = if dice.chance(2.0) { 1.4 } else { 0.95 + dice.below(15) as f64 / 100.0 };
            let earlier = format!("{:.0}", (now * factor).min(200.0));
            let day = today - Days::new(290 + dice.below(30));
            let value = items[index_of("egfr")].restore(&earlier, None, "").unwrap();
            readings.push((next_id, index_of("egfr"), day, value, false));
            next_id += 1;
        }
        let mut targets = Vec::new();
        if wanted.contains(&index_of("hba1c")) && dice.chance(5.0) {
            let hba1c = &items[index_of("hba1c")];
            let target =
                PersonalTarget::parse(&rules, hba1c, "64", "hypoglycaemia", "dr.shah", today)
                    .unwrap();
            targets.push(target);
        }
        people.push(Person { patient_id: patient.id, facts, targets, readings });
    }
    let reading_count: usize = people.iter().map(|p| p.readings.len()).sum();

    // The pure evaluation: every reading of every person against the whole table.
    let started = Instant::now();
    // Findings by severity, [earlier results, this review's].
    let (mut red, mut amber) = ([0usize; 2], [0usize; 2]);
    for person in &people {
        let history: Vec<Reading<'_>> = person
            .readings
            .iter()
            .map(|(id, index, on, value, _)| Reading {
                observation: *id,
                item: &items[*index],
                taken_on: *on,
                value,
            })
            .collect();
        for (reading, (.., this_review)) in history.iter().zip(&person.readings) {
            let assessment = assess(&rules, &person.facts, reading, &history, &person.targets);
            for finding in &assessment.findings {
                match finding.severity {
                    Severity::Red => red[usize::from(*this_review)] += 1,
                    Severity::Amber => amber[usize::from(*this_review)] += 1,
                }
            }
        }
    }
    let evaluation_time = started.elapsed();
    let (red_now, amber_now) = (red[1], amber[1]);
    let (red, amber) = (red[0] + red[1], amber[0] + amber[1]);
    assert!(red > 0 && amber > 0, "the practice has red ({red}) and amber ({amber}) findings");

    // The same results in the database, each review open with its results complete.
    let started = Instant::now();
    store
        .write::<_, StoreError>(&actor, |w| {
            for (person, patient) in people.iter().zip(&patients) {
                assert_eq!(person.patient_id, patient.id);
                let status = patient.details.status;
                let (mut cycle, event) = Cycle::open(YearMonth::of(today), status, today).unwrap();
                let cycle_id = w.save_transition(patient.id, None, &cycle, &event)?;
                let event = cycle.attend_contact1(today).unwrap();
                w.save_transition(patient.id, Some(cycle_id), &cycle, &event)?;
                for (_, index, on, value, this_review) in &person.readings {
                    let recorded = Recorded::Value(value.clone());
                    w.insert_observation(&NewObservation {
                        patient_id: patient.id,
                        cycle_id: this_review.then_some(cycle_id),
                        item: &items[*index],
                        taken_on: *on,
                        recorded: &recorded,
                        note: "",
                        reported: None,
                        source: ObservationSource::LabImport,
                        source_detail: "benchmark",
                    })?;
                }
                let event = cycle.complete_results(today).unwrap();
                w.save_transition(patient.id, Some(cycle_id), &cycle, &event)?;
            }
            Ok(())
        })
        .unwrap();
    let setup_time = started.elapsed();
    for person in people.iter().filter(|p| !p.targets.is_empty()) {
        store
            .write::<_, StoreError>(&actor, |w| {
                w.set_personal_target(person.patient_id, "hba1c", Some("64"), "hypoglycaemia")?;
                w.audit("triage.personal_target", Some(person.patient_id), "benchmark")
            })
            .unwrap();
    }

    let started = Instant::now();
    let list = worklist(&store, &catalogue, &rules, false).unwrap();
    let worklist_time = started.elapsed();
    let urgent = list.iter().filter(|e| e.group == WorklistGroup::Urgent).count();
    assert_eq!(list.len(), PEOPLE, "every review's results are complete");
    let started = Instant::now();
    let everything = worklist(&store, &catalogue, &rules, true).unwrap();
    let all_time = started.elapsed();
    let listed_red: usize = list.iter().map(|e| e.count(Severity::Red)).sum();
    let listed_amber: usize = list.iter().map(|e| e.count(Severity::Amber)).sum();
    assert_eq!(
        (listed_red, listed_amber),
        (red_now, amber_now),
        "the worklist finds what the pure evaluation found in this year's results"
    );

    let mut out = String::new();
    writeln!(
        out,
        "triage benchmark ({PEOPLE} people, {reading_count} readings, {red} red and {amber} amber \
         findings, {} rules)",
        rules.rules().len()
    )
    .unwrap();
    writeln!(
        out,
        "  rules evaluated for {PEOPLE} people:      {:>6.3} s  (target < 1 s)",
        evaluation_time.as_secs_f64()
    )
    .unwrap();
    writeln!(
        out,
        "  (writing {PEOPLE} reviews with their results: {:.2} s)",
        setup_time.as_secs_f64()
    )
    .unwrap();
    writeln!(
        out,
        "  worklist of {PEOPLE} open reviews:        {:>6.3} s  ({urgent} urgent)",
        worklist_time.as_secs_f64()
    )
    .unwrap();
    writeln!(
        out,
        "  worklist --all:                        {:>6.3} s  ({} reviews)",
        all_time.as_secs_f64(),
        everything.len()
    )
    .unwrap();
    print!("{out}");
}
