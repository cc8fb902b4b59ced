//! The steering group's report benchmark: `cargo bench --bench reports`. Makes the
//! demonstration practice with 100,000 people and three years of reviews (two closed years and
//! this one at every stage, each played through the cycle's own transitions, with contact 1
//! values, triage, packs, agreed plans and feedback forms), then times the whole report —
//! every figure for every condition group, the pack-days chart and the month-by-month trend,
//! worked out from the stored events — for a quarter, a year and all three years, and the
//! people behind one figure. The database is kept in `target/` and made again only when it is
//! missing or `ALONGSIDE_BENCH_FRESH` is set.
//! Target: the full report under 1 s.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Datelike, Months, NaiveDate};

use alongside::domain::metrics::{Group, Range};
use alongside::exchange::demo::create_demo;
use alongside::exchange::reports::{figures_csv, people_behind, practice_report, rows_csv};
use alongside::store::{Actor, Store};

const PEOPLE: usize = 100_000;
const RUNS: usize = 5;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let catalogue = alongside::assets::catalogue().expect("the shipped catalogue");
    let rules = alongside::assets::rules(&catalogue).expect("the shipped rules");
    let today = chrono::Local::now().date_naive();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-reports-{PEOPLE}-{today}.sqlite"));
    if std::env::var_os("ALONGSIDE_BENCH_FRESH").is_some() || !path.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let started = Instant::now();
        let mut store = Store::open(&path).expect("a new database");
        create_demo(&mut store, &Actor::new("bench"), &catalogue, today, PEOPLE, 7, true)
            .expect("the demonstration practice");
        println!(
            "made a {PEOPLE}-person practice with three years of reviews in {:.1} s ({})",
            started.elapsed().as_secs_f64(),
            path.display()
        );
    }
    let store = Store::open(&path).expect("the benchmark database");
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("database: {:.0} MB", size as f64 / 1e6);

    let last_month_end = today.with_day(1).expect("a day").pred_opt().expect("a day");
    let quarter_start =
        (last_month_end.with_day(1).expect("a day") - Months::new(2)).max(NaiveDate::MIN);
    let year_start = last_month_end.with_day(1).expect("a day") - Months::new(11);
    let all_start = NaiveDate::from_ymd_opt(today.year() - 2, 1, 1).expect("a day");
    let ranges = [
        ("a quarter", quarter_start, last_month_end),
        ("twelve months", year_start, last_month_end),
        ("all three years", all_start, today),
    ];
    println!("\n| report | reviews read | median of {RUNS} | slowest |");
    println!("|---|---|---|---|");
    let mut full = None;
    for (name, from, to) in ranges {
        let range = Range::new(from, to).expect("a range");
        let mut times = Vec::new();
        let mut report = None;
        for _ in 0..RUNS {
            let started = Instant::now();
            report = Some(
                practice_report(&store, &catalogue, &rules, range, today).expect("the report"),
            );
            times.push(started.elapsed());
        }
        let report = report.expect("at least one run");
        let slowest = *times.iter().max().expect("runs");
        println!(
            "| {name} ({from} to {to}) | {} | {:.3} s | {:.3} s |",
            report.facts.len(),
            median(times).as_secs_f64(),
            slowest.as_secs_f64()
        );
        let conversations =
            report.report.figure(Group::All, "conversations").map(|f| f.measure.count());
        println!("|   conversations held: {} |", conversations.unwrap_or(0));
        full = Some(report);
    }
    let full = full.expect("the three-year report");
    let started = Instant::now();
    let people = people_behind(&store, &full, Group::Multiple, "pack_in_time").expect("the people");
    println!(
        "\npeople behind \"pack in time\" for two or more conditions over three years: {} in {:.3} s",
        people.len(),
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let figures = figures_csv(&full);
    let rows = rows_csv(&full);
    println!(
        "figures CSV {} bytes and anonymised rows CSV {:.1} MB in {:.3} s",
        figures.len(),
        rows.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
}
