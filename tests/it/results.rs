//! `alongside import results`, run as a practice would run it: good and bad rows, the JSON
//! summary, a dry run, the rejected rows saved for correcting, re-imports that change nothing,
//! and a corrected result that supersedes the first.

use chrono::{Datelike, Days, NaiveDate};
use serde_json::json;

use alongside::domain::nhs_number::NhsNumber;
use alongside::store::{ObservationSource, RetractionKind, Store, StoredObservation};

use super::support::{today, Sandbox};

const GRACE: &str = "9990000018";
const PIOTR: &str = "9990000026";

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Grace (diabetes and hypertension) and Piotr (hypertension), both due this month.
fn practice() -> Sandbox {
    let sandbox = Sandbox::new();
    let month = today().month();
    sandbox.import(
        "register.csv",
        &format!(
            "nhs_number,family_name,given_name,date_of_birth,conditions,recall_month\n\
             {GRACE},Okafor,Grace,1950-03-02,44054006;38341003,{month}\n\
             {PIOTR},Nowak,Piotr,1961-07-15,38341003,{month}\n"
        ),
    );
    sandbox
}

fn import(sandbox: &Sandbox, name: &str, csv: &str, extra: &[&str]) -> serde_json::Value {
    let file = sandbox.write(name, csv);
    let mut args = vec!["import", "results", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    sandbox.alongside(&args).expect_code(0).json()
}

fn rows(sandbox: &Sandbox, who: &str) -> Vec<StoredObservation> {
    let store = Store::open(&sandbox.db()).unwrap();
    let patient = store.patient(&NhsNumber::parse(who).unwrap()).unwrap().unwrap();
    store.observations_of(patient.id).unwrap()
}

fn current(sandbox: &Sandbox, who: &str, item: &str) -> Vec<StoredObservation> {
    rows(sandbox, who).into_iter().filter(|o| o.item == item && o.retraction.is_none()).collect()
}

fn audit_entries(sandbox: &Sandbox) -> i64 {
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    conn.query_row("SELECT count(*) FROM audit_event", [], |r| r.get(0)).unwrap()
}

/// A results file with good rows and one row for each way a row can be wrong.
fn mixed_file() -> String {
    let t = iso(today());
    let tomorrow = iso(today() + Days::new(1));
    let yesterday = iso(today() - Days::new(1));
    let uk = today().format("%d/%m/%Y");
    format!(
        "nhs_number,code,value,unit,taken_on,comment\n\
         {GRACE},999791000000106,53,mmol/mol,{t},\n\
         {GRACE},163030003,142,mmHg,{t},\n\
         {GRACE},163031004,88,mm[Hg],{t},\n\
         {GRACE},1005671000000105,200,mg/dL,{t},fasting\n\
         {GRACE},EGFR,>90,ML/MIN/1.73M2,{uk},\n\
         9991112227,999791000000106,53,mmol/mol,{t},\n\
         {GRACE},123456789,5,mmol/L,{t},\n\
         {PIOTR},1000651000000109,12.0,mmol/L,{t},\n\
         {PIOTR},999791000000106,53,mmol/mol,{tomorrow},\n\
         {PIOTR},999791000000106,7.2,%,{t},\n\
         {PIOTR},1000731000000107,1.1,mg/dL,{t},\n\
         {PIOTR},72313002,150,mmHg,{t},\n\
         9990000035,999791000000106,53,mmol/mol,{t},\n\
         {PIOTR},27113001,82.4,kg,{yesterday},\n"
    )
}

#[test]
fn a_results_file_imports_its_good_rows_and_names_every_bad_one() {
    let sandbox = practice();
    let report = import(&sandbox, "lab.csv", &mixed_file(), &[]);
    let tomorrow = (today() + Days::new(1)).format("%-d %B %Y");
    assert_eq!(
        report,
        json!({
            "imported": 5,
            "updated": 0,
            "unchanged": 0,
            "rejected": [
                {"line": 7, "nhs_number": "9991112227",
                 "reason": "no one with NHS number 999 111 2227 is on the register"},
                {"line": 8, "nhs_number": GRACE,
                 "reason": "the code '123456789' is not a SNOMED CT code or item id Alongside knows"},
                {"line": 9, "nhs_number": PIOTR,
                 "reason": "Serum potassium 12.0 mmol/L is outside the plausible range 1.5–9.5 mmol/L: probably a typing error; check the value"},
                {"line": 10, "nhs_number": PIOTR,
                 "reason": format!("taken_on {tomorrow} is in the future")},
                {"line": 11, "nhs_number": PIOTR,
                 "reason": "HbA1c in % (DCCT units) is not accepted. Ask the lab for the IFCC result in mmol/mol."},
                {"line": 12, "nhs_number": PIOTR,
                 "reason": "the unit 'mg/dL' does not match Serum creatinine, which is recorded in µmol/L; results are never converted between units"},
                {"line": 13, "nhs_number": PIOTR,
                 "reason": "a Blood pressure (clinic) systolic without its diastolic for the same person and date: a blood pressure needs both rows"},
                {"line": 14, "nhs_number": "9990000035",
                 "reason": "NHS number: '999 000 0035' is not a valid NHS number: the check digit does not match, so it was probably mistyped"}
            ],
            "warnings": [
                "1 cholesterol result(s) in mg/dL were converted to mmol/L (1 mmol/L = 38.67 mg/dL); the value as reported is kept with each"
            ]
        }),
        "five readings (the blood pressure's two rows are one), every bad row by its line"
    );

    let value = |item: &str| {
        let current = current(&sandbox, GRACE, item);
        assert_eq!(current.len(), 1, "{item}");
        current.into_iter().next().unwrap()
    };
    assert_eq!(value("hba1c").value.as_deref(), Some("53"));
    let bp = value("bp-clinic");
    assert_eq!(bp.value.as_deref(), Some("142/88"), "the two rows pair into one reading");
    assert_eq!(bp.source_detail, format!("{} lines 3 and 4", sandbox.path("lab.csv").display()));
    let cholesterol = value("total-cholesterol");
    assert_eq!(cholesterol.value.as_deref(), Some("5.17"), "200 mg/dL is 5.17 mmol/L");
    assert_eq!(
        cholesterol.reported,
        Some(("200".to_string(), "mg/dL".to_string())),
        "the value as the lab reported it is kept"
    );
    assert_eq!(cholesterol.note, "fasting", "the comment is kept");
    let egfr = value("egfr");
    assert_eq!((egfr.value.as_deref(), egfr.taken_on), (Some(">90"), today()), "DD/MM/YYYY");
    assert!(rows(&sandbox, GRACE).iter().all(|o| o.source == ObservationSource::LabImport));
    let weight = current(&sandbox, PIOTR, "weight");
    assert_eq!(weight[0].taken_on, today() - Days::new(1));
    assert_eq!(rows(&sandbox, PIOTR).len(), 1, "only Piotr's weight was good");

    let due = sandbox
        .alongside(&[
            "recall",
            "due",
            "--month",
            &format!("{}-{:02}", today().year(), today().month()),
        ])
        .expect_code(0)
        .json();
    let statuses: Vec<(&str, &str)> = due
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["nhs_number"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [(PIOTR, "due"), (GRACE, "due")],
        "results join this year's review, which they open"
    );
    let store = Store::open(&sandbox.db()).unwrap();
    let grace = store.patient(&NhsNumber::parse(GRACE).unwrap()).unwrap().unwrap();
    let review = store.cycles_of(grace.id).unwrap().remove(0);
    assert!(rows(&sandbox, GRACE).iter().all(|o| o.cycle_id == Some(review.id)));
}

#[test]
fn a_dry_run_reports_the_same_and_writes_nothing() {
    let sandbox = practice();
    let audits = audit_entries(&sandbox);
    let dry = import(&sandbox, "lab.csv", &mixed_file(), &["--dry-run"]);
    assert_eq!(dry["imported"], 5);
    assert_eq!(audit_entries(&sandbox), audits, "a dry run writes nothing, not even an audit");
    let store = Store::open(&sandbox.db()).unwrap();
    assert_eq!(store.current_observation_count().unwrap(), 0);
    for who in [GRACE, PIOTR] {
        let patient = store.patient(&NhsNumber::parse(who).unwrap()).unwrap().unwrap();
        assert!(store.cycles_of(patient.id).unwrap().is_empty(), "no review opened for {who}");
    }
    drop(store);
    let real = import(&sandbox, "lab.csv", &mixed_file(), &[]);
    assert_eq!(real, dry, "the real import does what the dry run said");
}

#[test]
fn rejected_rows_are_saved_with_line_and_reason_first() {
    let sandbox = practice();
    let out = sandbox.path("rejected.csv");
    let report = import(&sandbox, "lab.csv", &mixed_file(), &["--rejected", out.to_str().unwrap()]);
    let saved = std::fs::read_to_string(&out).unwrap();
    let mut lines = saved.lines();
    assert_eq!(lines.next(), Some("line,reason,nhs_number,code,value,unit,taken_on,comment"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), report["rejected"].as_array().unwrap().len());
    let t = iso(today());
    assert_eq!(
        rows[0],
        format!(
            "7,no one with NHS number 999 111 2227 is on the register,9991112227,999791000000106,\
             53,mmol/mol,{t},"
        )
    );
    assert_eq!(
        rows[4],
        format!(
            "11,HbA1c in % (DCCT units) is not accepted. Ask the lab for the IFCC result in \
             mmol/mol.,{PIOTR},999791000000106,7.2,%,{t},"
        ),
        "the row is given back exactly as it was"
    );
    let numbers: Vec<&str> = rows.iter().map(|r| r.split(',').next().unwrap()).collect();
    assert_eq!(numbers, ["7", "8", "9", "10", "11", "12", "13", "14"]);
}

#[test]
fn importing_the_same_file_again_changes_nothing() {
    let sandbox = practice();
    let first = import(&sandbox, "lab.csv", &mixed_file(), &[]);
    let before = (rows(&sandbox, GRACE), rows(&sandbox, PIOTR));
    let again = import(&sandbox, "lab.csv", &mixed_file(), &[]);
    assert_eq!(
        (&again["imported"], &again["updated"], &again["unchanged"]),
        (&json!(0), &json!(0), &json!(5)),
        "every reading is already held"
    );
    assert_eq!(again["rejected"], first["rejected"], "the bad rows are still bad");
    assert_eq!(
        (rows(&sandbox, GRACE), rows(&sandbox, PIOTR)),
        before,
        "not a row added or retracted"
    );
}

#[test]
fn a_corrected_result_in_a_later_file_supersedes_the_first() {
    let sandbox = practice();
    let t = iso(today());
    import(
        &sandbox,
        "monday.csv",
        &format!(
            "nhs_number,code,value,unit,taken_on\n\
             {GRACE},999791000000106,53,mmol/mol,{t}\n\
             {GRACE},1000651000000109,4.6,mmol/L,{t}\n"
        ),
        &[],
    );
    let first = current(&sandbox, GRACE, "hba1c").remove(0);
    let report = import(
        &sandbox,
        "tuesday.csv",
        &format!(
            "nhs_number,code,value,unit,taken_on\n\
             {GRACE},1049301000000100,58,mmol/mol,{t}\n\
             {GRACE},1000651000000109,4.6,mmol/L,{t}\n"
        ),
        &[],
    );
    assert_eq!(
        (&report["imported"], &report["updated"], &report["unchanged"]),
        (&json!(0), &json!(1), &json!(1))
    );
    let hba1c: Vec<StoredObservation> =
        rows(&sandbox, GRACE).into_iter().filter(|o| o.item == "hba1c").collect();
    assert_eq!(hba1c.len(), 2, "both results are kept");
    let new = hba1c.iter().find(|o| o.retraction.is_none()).unwrap();
    assert_eq!(new.value.as_deref(), Some("58"));
    let old = hba1c.iter().find(|o| o.id == first.id).unwrap();
    assert_eq!(old.value.as_deref(), Some("53"), "the first result is never overwritten");
    let retraction = old.retraction.as_ref().unwrap();
    assert_eq!(
        (retraction.kind, retraction.replaced_by),
        (RetractionKind::Superseded, Some(new.id))
    );
    let tuesday = sandbox.path("tuesday.csv");
    assert_eq!(retraction.reason, format!("corrected by {} line 2", tuesday.display()));
    assert_eq!(retraction.actor, "t-admin");
}

#[test]
fn blood_pressure_halves_pair_by_person_and_day() {
    let sandbox = practice();
    let t = iso(today());
    let y = iso(today() - Days::new(1));
    let report = import(
        &sandbox,
        "bp.csv",
        &format!(
            "nhs_number,code,value,unit,taken_on\n\
             {GRACE},271650006,84,mmHg,{t}\n\
             {PIOTR},72313002,150,mmHg,{t}\n\
             {GRACE},271649006,136,mmHg,{t}\n\
             {PIOTR},1091811000000102,92,mmHg,{y}\n\
             {GRACE},72313002,80,mmHg,{y}\n\
             {GRACE},163031004,90,mmHg,{y}\n\
             {GRACE},163030003,140,mmHg,{t}\n"
        ),
        &[],
    );
    assert_eq!(report["imported"], 1, "only Grace's reading today pairs");
    let reasons: Vec<(u64, String)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["reason"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        reasons,
        [
            (3, "a Blood pressure (clinic) systolic without its diastolic for the same person and date: a blood pressure needs both rows".to_string()),
            (5, "a Blood pressure (clinic) diastolic without its systolic for the same person and date: a blood pressure needs both rows".to_string()),
            (6, "Blood pressure (clinic): the diastolic (90) on line 7 is not lower than the systolic (80) on line 6".to_string()),
            (7, "Blood pressure (clinic): the diastolic (90) on line 7 is not lower than the systolic (80) on line 6".to_string()),
            (8, "another systolic for the same person and date is on line 4".to_string()),
        ]
    );
    assert_eq!(current(&sandbox, GRACE, "bp-clinic")[0].value.as_deref(), Some("136/84"));
    assert!(current(&sandbox, PIOTR, "bp-clinic").is_empty());
}

#[test]
fn files_that_cannot_be_read_as_results_are_refused_with_exit_code_2() {
    let sandbox = practice();
    for (name, contents, message) in [
        ("empty.csv", "", "the file is empty"),
        (
            "register.csv",
            "nhs_number,family_name,given_name,date_of_birth,conditions\n",
            "the header row is missing the required columns code, value, unit, taken_on",
        ),
    ] {
        let file = sandbox.write(name, contents);
        let run = sandbox.alongside(&["import", "results", file.to_str().unwrap()]).expect_code(2);
        assert!(run.stderr.contains(message), "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: nothing on stdout");
    }
}

#[test]
fn the_results_import_never_panics_on_hostile_files() {
    let sandbox = practice();
    let header = "nhs_number,code,value,unit,taken_on,comment\n";
    let mut seed = 0xC0FFEE_u64;
    let mut noise = |n: usize| super::support::noise(&mut seed, b",;\"\n 09<>./%-\xC2\xB5\xFFe", n);
    let mut files: Vec<Vec<u8>> = vec![
        format!("{header}{GRACE},72313002,99999999999999999999,mmHg,2020-01-01,\n").into_bytes(),
        format!("{header}{GRACE},163031004,-5,mmHg,2020-01-01,\n").into_bytes(),
        format!("{header}{GRACE},999791000000106,>,mmol/mol,29/02/2023,\n").into_bytes(),
        format!("{header}{GRACE},1005671000000105,1e308,mg/dL,2020-01-01,\n").into_bytes(),
        format!("{header}{GRACE},bp-clinic,142/88,mmHg,2020-01-01,\n").into_bytes(),
        format!("{header}{GRACE},smoking,ex-smoker,,2020-01-01,\n").into_bytes(),
    ];
    for n in [10, 100, 1000, 10_000] {
        let mut file = header.as_bytes().to_vec();
        file.extend(noise(n));
        files.push(file);
    }
    for (i, bytes) in files.into_iter().enumerate() {
        let path = sandbox.write(&format!("hostile-{i}.csv"), bytes);
        let run = sandbox.alongside(&["import", "results", path.to_str().unwrap()]);
        assert!(run.code == 0 || run.code == 2, "file {i}: exit {} {}", run.code, run.stderr);
        assert!(!run.stderr.contains("panicked"), "file {i}: {}", run.stderr);
        if run.code == 0 {
            let report = run.json();
            assert!(report["imported"].as_u64().is_some(), "file {i}: {report}");
        }
    }
}
