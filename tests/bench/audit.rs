//! The audit trail's cost: `cargo bench --bench audit`. Uses the demonstration practice with
//! 10,000 people and three years of reviews (its trail already holds every step they took),
//! kept in `target/` and made again only when missing or `ALONGSIDE_BENCH_FRESH` is set. Times
//! an audited read (one person's record looked at: its own small transaction, the entry chained
//! to the one before), the audit entry added to a change already being written, and checking
//! the whole chain; and measures how much the database grows per 10,000 entries.
//! Target: under 1 ms per audited read and per audited write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use alongside::exchange::demo::create_demo;
use alongside::store::{Actor, Store, StoreError};

const PEOPLE: usize = 10_000;
const ACTIONS: usize = 10_000;

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    times[((times.len() as f64 - 1.0) * p).round() as usize]
}

fn file_size(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .map(|s| std::fs::metadata(format!("{}{s}", path.display())).map_or(0, |m| m.len()))
        .sum()
}

fn main() {
    let catalogue = alongside::assets::catalogue().expect("the shipped catalogue");
    let today = chrono::Local::now().date_naive();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-audit-{PEOPLE}-{today}.sqlite"));
    if std::env::var_os("ALONGSIDE_BENCH_FRESH").is_some() || !path.exists() {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let mut store = Store::open(&path).expect("a new database");
        create_demo(&mut store, &Actor::new("bench"), &catalogue, today, PEOPLE, 7, true)
            .expect("the demonstration practice");
    }
    // A copy, so each run starts from the same trail.
    let work = path.with_extension("work.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
    }
    {
        let store = Store::open(&path).expect("the benchmark database");
        store.snapshot_into(&work).expect("a working copy");
    }
    let store = Store::open(&work).expect("the working copy");
    let before = store.check_audit_chain().expect("the chain");
    println!("audit trail: {} entries", before.checked);
    drop(store);
    let size_before = file_size(&work);
    let mut store = Store::open(&work).expect("the working copy");

    let nurse = Actor::new("nurse");
    let mut reads = Vec::with_capacity(ACTIONS);
    for i in 0..ACTIONS {
        let patient = (i % PEOPLE) as i64 + 1;
        let started = Instant::now();
        store
            .write::<_, StoreError>(&nurse, |w| {
                w.audit("record.viewed", Some(patient), "the person's page")
            })
            .expect("an audited read");
        reads.push(started.elapsed());
    }
    // Closing writes the log back into the file, so the file's growth is the trail's.
    drop(store);
    let grown = file_size(&work).saturating_sub(size_before);
    let mut store = Store::open(&work).expect("the working copy");

    // The entry added to a change: the same transaction with and without it.
    let mut with = Vec::with_capacity(1000);
    let mut without = Vec::with_capacity(1000);
    for i in 0..1000 {
        let patient = (i % PEOPLE) as i64 + 1;
        let started = Instant::now();
        store
            .write::<_, StoreError>(&nurse, |w| {
                w.audit("bench.change", Some(patient), "a change with its entry")?;
                w.audit("bench.change", Some(patient), "and a second entry in the same change")
            })
            .expect("an audited change");
        with.push(started.elapsed());
        let started = Instant::now();
        store
            .write::<_, StoreError>(&nurse, |w| {
                w.audit("bench.change", Some(patient), "a change with its entry")
            })
            .expect("an audited change");
        without.push(started.elapsed());
    }
    let one = percentile(&mut without, 0.5);
    let two = percentile(&mut with, 0.5);

    let started = Instant::now();
    let after = store.check_audit_chain().expect("the chain");
    let checking = started.elapsed();
    assert!(after.first_break.is_none(), "the chain is whole");

    println!("\n| measure | figure |");
    println!("|---|---|");
    println!(
        "| audited read (own transaction), median / p95 / p99 | {:.3} ms / {:.3} ms / {:.3} ms |",
        percentile(&mut reads, 0.5).as_secs_f64() * 1e3,
        percentile(&mut reads, 0.95).as_secs_f64() * 1e3,
        percentile(&mut reads, 0.99).as_secs_f64() * 1e3
    );
    println!(
        "| one more audit entry in a change (median of two-entry minus one-entry changes) | {:.3} ms |",
        two.saturating_sub(one).as_secs_f64() * 1e3
    );
    println!("| database growth per {ACTIONS} audited reads | {:.2} MB |", grown as f64 / 1e6);
    println!(
        "| checking the whole chain ({} entries) | {:.2} s |",
        after.checked,
        checking.as_secs_f64()
    );
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
    }
}
