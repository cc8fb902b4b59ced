//! The invitations benchmark: `cargo bench --bench letters`. Makes a 13,000-person register,
//! then times one month's invitation letters (about 1,000) from the recall list to one PDF,
//! and the layout of exactly 1,000 letters alone. Target: under 2 s for 1,000 letters.

use std::time::Instant;

use chrono::Datelike;

use alongside::documents::letters_pdf;
use alongside::domain::calendar::YearMonth;
use alongside::domain::invitation::invitation_letter;
use alongside::exchange::demo::demo_register_csv;
use alongside::exchange::recall::prepare_invitations;
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::store::{Actor, Store};

fn main() {
    let catalogue = alongside::assets::catalogue().unwrap();
    let texts = alongside::assets::invitation_texts().unwrap();
    let today = chrono::Local::now().date_naive();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("practice.sqlite")).unwrap();
    let file = RegisterFile::read(&demo_register_csv(&catalogue, 13_000, 1, today)).unwrap();
    import_register(
        &mut store,
        &Actor::new("benchmark"),
        &catalogue,
        today,
        &file,
        "register",
        false,
    )
    .unwrap();
    let month = (1..=12)
        .map(|m| YearMonth::new(today.year(), m).unwrap())
        .max_by_key(|m| store.recall_month(*m).unwrap().len())
        .unwrap();

    let created = chrono::Utc::now().naive_utc();
    let started = Instant::now();
    let prepared = prepare_invitations(&store, &catalogue, &texts, month, today, created).unwrap();
    let whole = started.elapsed();

    let settings = store.practice_settings(&catalogue).unwrap();
    let letters: Vec<_> = store
        .all_patients()
        .unwrap()
        .iter()
        .filter_map(|p| {
            invitation_letter(&p.details, 1, None, &catalogue, &texts, &settings, today).ok()
        })
        .take(1_000)
        .collect();
    let started = Instant::now();
    let rendered = letters_pdf(&letters, "benchmark", created);
    let layout = started.elapsed();

    println!("invitation letters benchmark");
    println!(
        "  {} letters for {} ({} large print), recall list to PDF: {:.2} s, {:.1} MB",
        prepared.items.len(),
        month.label(),
        prepared.large_print,
        whole.as_secs_f64(),
        prepared.pdf.len() as f64 / 1e6
    );
    println!(
        "  1000 letters laid out into one PDF ({} pages): {:.2} s, {:.1} MB  (target < 2 s)",
        rendered.pages,
        layout.as_secs_f64(),
        rendered.pdf.len() as f64 / 1e6
    );
}
