//! The results import benchmark: `cargo bench --bench results`. Makes a 20,000-person
//! demonstration practice, writes a lab file of 100,000 result rows (HbA1c, cholesterol, eGFR
//! and a blood pressure as two rows, for everyone), and times its import into the database,
//! then the same file again, all unchanged. Target: under 3 s for 100,000 rows.

use std::fmt::Write as _;
use std::time::Instant;

use chrono::Days;

use alongside::exchange::demo::create_demo;
use alongside::exchange::results_import::{import_results, ResultsFile};
use alongside::store::{Actor, Store};

const PEOPLE: usize = 20_000;
const ROWS_EACH: usize = 5;

fn main() {
    let catalogue = alongside::assets::catalogue().expect("the catalogue is valid");
    let today = chrono::Local::now().date_naive();
    let dir = tempfile::tempdir().unwrap();
    let actor = Actor::new("benchmark");
    let mut store = Store::open(&dir.path().join("practice.sqlite")).unwrap();
    create_demo(&mut store, &actor, &catalogue, today, PEOPLE, 1, false).unwrap();
    let people = store.all_patients().unwrap();

    let mut csv = String::from("nhs_number,code,value,unit,taken_on,comment\n");
    for (i, person) in people.iter().enumerate() {
        let nhs = person.details.nhs_number.as_str();
        let taken_on = (today - Days::new((i % 60) as u64)).format("%Y-%m-%d");
        let systolic = 110 + i % 60;
        let diastolic = 60 + i % 30;
        let rows = [
            ("999791000000106", format!("{}", 38 + i % 50), "mmol/mol"),
            ("1005671000000105", format!("{}.{:02}", 3 + i % 4, i % 100), "mmol/L"),
            (
                "1011481000000105",
                if i % 5 == 0 { ">90".into() } else { format!("{}", 30 + i % 60) },
                "mL/min/1.73m2",
            ),
            ("163030003", systolic.to_string(), "mmHg"),
            ("163031004", diastolic.to_string(), "mmHg"),
        ];
        for (code, value, unit) in rows {
            writeln!(csv, "{nhs},{code},{value},{unit},{taken_on},").unwrap();
        }
    }
    let rows = people.len() * ROWS_EACH;
    let path = dir.path().join("results.csv");
    std::fs::write(&path, &csv).unwrap();

    let started = Instant::now();
    let file = ResultsFile::open(&path).unwrap();
    let report =
        import_results(&mut store, &actor, &catalogue, today, &file, "results.csv", false).unwrap();
    let import_time = started.elapsed();
    assert!(report.rejected.is_empty(), "every row is valid: {:?}", &report.rejected[..1]);
    assert_eq!(report.imported, people.len() * 4, "a blood pressure is two rows, one reading");

    let started = Instant::now();
    let file = ResultsFile::open(&path).unwrap();
    let again =
        import_results(&mut store, &actor, &catalogue, today, &file, "results.csv", false).unwrap();
    let reimport_time = started.elapsed();
    assert_eq!(again.unchanged, report.imported, "a second import changes nothing");

    println!(
        "results import benchmark ({} people, {rows} rows, {:.1} MB CSV)",
        people.len(),
        csv.len() as f64 / 1e6
    );
    println!(
        "  import of {rows} result rows:  {:>6.2} s  (target < 3 s)",
        import_time.as_secs_f64()
    );
    println!("  the same file again, unchanged: {:>6.2} s", reimport_time.as_secs_f64());
}
