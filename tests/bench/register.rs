//! The register benchmark: `cargo bench --bench register`. Builds a 100,000-person register
//! file, times its import into a new database, then times 1,000 mixed searches (p50, p99).
//! Figures are recorded in ARCHITECTURE.md; targets are import under 3 s, search p99 under 10 ms.

use std::time::{Duration, Instant};

use alongside::domain::search::{ConditionCount, FrailtyFilter, RegisterFilter, SearchText};
use alongside::exchange::demo::demo_register_csv;
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::store::{Actor, Store};

const PEOPLE: usize = 100_000;
const SEARCHES: usize = 1_000;

fn main() {
    let catalogue = alongside::assets::catalogue().expect("the catalogue is valid");
    let today = chrono::Local::now().date_naive();
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("register.csv");
    std::fs::write(&csv_path, demo_register_csv(&catalogue, PEOPLE, 1, today)).unwrap();
    let size = std::fs::metadata(&csv_path).unwrap().len();
    let actor = Actor::new("benchmark");

    let mut store = Store::open(&dir.path().join("practice.sqlite")).unwrap();
    let started = Instant::now();
    let file = RegisterFile::open(&csv_path).unwrap();
    let report =
        import_register(&mut store, &actor, &catalogue, today, &file, "register.csv", false)
            .unwrap();
    let import_time = started.elapsed();
    assert_eq!(report.imported, PEOPLE, "every row imported");

    let started = Instant::now();
    let file = RegisterFile::open(&csv_path).unwrap();
    let again =
        import_register(&mut store, &actor, &catalogue, today, &file, "register.csv", false)
            .unwrap();
    let reimport_time = started.elapsed();
    assert_eq!(again.unchanged, PEOPLE, "a second import changes nothing");

    let queries = mixed_queries(&store);
    let mut times: Vec<Duration> = Vec::with_capacity(queries.len());
    let mut slowest = Vec::with_capacity(queries.len());
    let mut found = 0;
    for (text, filter) in &queries {
        let started = Instant::now();
        let page = store.search(&SearchText::parse(text), filter, 0, 25).unwrap();
        let took = started.elapsed();
        times.push(took);
        slowest.push((took, text, filter, page.total));
        found += usize::from(page.total > 0);
    }
    times.sort();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    let percentile = |p: f64| times[((times.len() as f64 * p).ceil() as usize).saturating_sub(1)];
    let csv_mb = size as f64 / 1e6;
    println!("register benchmark ({PEOPLE} people, {csv_mb:.1} MB CSV)");
    println!(
        "  import of {PEOPLE} new rows:   {:>7.2} s  (target < 3 s)",
        import_time.as_secs_f64()
    );
    println!("  re-import, all unchanged:     {:>7.2} s", reimport_time.as_secs_f64());
    println!(
        "  {SEARCHES} mixed searches:        p50 {:.2} ms, p99 {:.2} ms (target < 10 ms), max {:.2} ms",
        ms(percentile(0.50)),
        ms(percentile(0.99)),
        ms(times[times.len() - 1])
    );
    println!("  searches that found someone:  {found} of {}", queries.len());
    let first_letters = ('a'..='z').map(|letter| {
        let started = Instant::now();
        store
            .search(&SearchText::parse(&letter.to_string()), &RegisterFilter::default(), 0, 25)
            .unwrap();
        started.elapsed()
    });
    println!("  one letter typed (a to z), slowest: {:.2} ms", ms(first_letters.max().unwrap()));
    println!("  the slowest searches:");
    for (took, text, filter, total) in slowest.iter().take(6) {
        println!("    {:>6.2} ms  {text:?} {filter:?}: {total} found", ms(*took));
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// What a receptionist types: name fragments, whole names, NHS numbers with and without
/// spaces, the start of an NHS number, dates of birth; some with filters, some browsing.
fn mixed_queries(store: &Store) -> Vec<(String, RegisterFilter)> {
    let people = store.all_patients().unwrap();
    let step = people.len() / SEARCHES;
    let mut queries = Vec::with_capacity(SEARCHES);
    for (i, person) in people.iter().step_by(step).take(SEARCHES).enumerate() {
        let p = &person.details;
        let family = p.name.family();
        let prefix: String = family.chars().take(3).collect();
        let text = match i % 10 {
            0 | 1 => prefix,
            2 => format!("{} {}", p.name.given(), family.chars().take(2).collect::<String>()),
            3 => format!("{family}, {}", p.name.given()),
            4 => p.nhs_number.to_string(),
            5 => p.nhs_number.as_str().to_string(),
            6 => p.nhs_number.as_str()[..6].to_string(),
            7 => p.date_of_birth.format("%d/%m/%Y").to_string(),
            8 => p.date_of_birth.format("%Y-%m-%d").to_string(),
            _ => String::new(),
        };
        let filter = match i % 7 {
            0 => RegisterFilter {
                condition_id: Some("type-2-diabetes".into()),
                ..RegisterFilter::default()
            },
            1 => RegisterFilter {
                condition_count: ConditionCount::TwoOrMore,
                ..RegisterFilter::default()
            },
            2 => RegisterFilter {
                frailty: FrailtyFilter::ModerateOrSevere,
                ..RegisterFilter::default()
            },
            3 => RegisterFilter { status: None, ..RegisterFilter::default() },
            _ => RegisterFilter::default(),
        };
        queries.push((text, filter));
    }
    queries
}
