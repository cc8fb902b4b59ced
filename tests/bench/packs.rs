//! The preparation packs benchmark: `cargo bench --bench packs`. Stages 1,000 approved reviews
//! in a store through the store's own operations, each person with three long-term conditions
//! and a full set of this year's results (about 18 rows in the table, most with two earlier
//! values, some amber and a few red acknowledged by a clinician, the odd one not done, a few
//! personal targets), about 1 in 20 needing large print, and most conversations booked. Then
//! it times `prepare_packs` from the store to one PDF, and `letters_pdf` alone (layout and
//! save) on the very same 1,000 letters. Those letters are also written as one word-processor
//! document (Flat ODT) and converted to PDF by LibreOffice, start-up included, for comparison.
//! Targets: under 1 s for 1,000 packs, and at least 40 times faster than LibreOffice.

#[path = "support.rs"]
mod support;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate, NaiveTime};

use alongside::documents::letters_pdf;
use alongside::domain::calendar::YearMonth;
use alongside::domain::catalogue::Catalogue;
use alongside::domain::checklist::{NotDoneReason, Recorded};
use alongside::domain::cycle::{Booking, Cycle, PackTiming};
use alongside::domain::letters::{Block, Letter, PrintSize, Table};
use alongside::domain::measures::{ItemDef, ItemKind};
use alongside::domain::nhs_number::NhsNumber;
use alongside::domain::person::{format_date, RegistrationStatus};
use alongside::domain::practice::{Letterhead, PracticeSettings};
use alongside::domain::rules::RuleSet;
use alongside::domain::triage::{AckAction, TriageRole};
use alongside::exchange::packs::prepare_packs;
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::exchange::triage::{person_facts, red_flags_cleared, review_results_in};
use alongside::store::{Actor, NewObservation, ObservationSource, Store, StoreError, TriageKind};
use support::{result, Dice};

const PACKS: usize = 1_000;

/// Conditions by SNOMED CT code; everyone has three, so a pack has a full table.
const CONDITIONS: &[&str] = &[
    "38341003",  // hypertension
    "38341003",  // hypertension
    "44054006",  // type 2 diabetes
    "44054006",  // type 2 diabetes
    "709044004", // chronic kidney disease
    "13645005",  // COPD
    "195967001", // asthma
    "49436004",  // atrial fibrillation
    "414545008", // coronary heart disease
    "84114007",  // heart failure
    "230690007", // stroke or TIA
    "35489007",  // depression
];

const FAMILY_NAMES: &[&str] = &[
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "Khan",
    "Hussain",
    "Begum",
    "Singh",
    "O'Brien",
    "McDonald",
    "Murphy",
    "Nowak",
    "Wiśniewski",
    "Okafor",
    "Nguyen",
    "Clarke",
];
const GIVEN_NAMES: &[&str] = &[
    "Margaret", "John", "Susan", "David", "Patricia", "Peter", "Grace", "Mohammed", "Aisha",
    "Barbara", "Michael", "Jean", "Robert", "Siobhán", "Tomasz", "Amara", "Harjit", "Eileen",
];
const STREETS: &[&str] = &[
    "Mill Lane",
    "Church Street",
    "Station Road",
    "Victoria Road",
    "The Crescent",
    "Park Avenue",
    "Orchard Close",
    "Kingsway",
    "Canal Side",
    "Hawthorn Drive",
];
const TOWNS: &[(&str, &str)] =
    &[("Ashby Marsh", "AM1"), ("Ashby Marsh", "AM2"), ("Fenwick", "AM4"), ("Lowgate", "AM7")];
const CLINICIANS: &[&str] =
    &["Nurse J Okoye", "Nurse P Gallagher", "Dr A Rahman", "Dr S Whitfield"];

/// One person's register row, with a postal address; `large_print` for about 1 in 20.
fn register_row(
    dice: &mut Dice,
    number: &NhsNumber,
    large_print: bool,
    today: NaiveDate,
) -> String {
    let mut codes: Vec<&str> = Vec::new();
    while codes.len() < 3 {
        let code = dice.pick(CONDITIONS);
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let year = today.year() - 45 - dice.below(45) as i32;
    let born = NaiveDate::from_ymd_opt(year, 1 + dice.below(12) as u32, 1 + dice.below(28) as u32)
        .unwrap();
    let (town, district) = TOWNS[dice.below(TOWNS.len() as u64) as usize];
    let inward = b"ABDEFGHJLNPQRSTUWXYZ";
    let digit = dice.below(10);
    let mut letter = || inward[dice.below(inward.len() as u64) as usize] as char;
    let postcode = format!("{district} {digit}{}{}", letter(), letter());
    let needs = if large_print { "large_print" } else { "" };
    format!(
        "{},\"{}\",{},{},{},{} {},{},{},{}\n",
        number.as_str(),
        dice.pick(FAMILY_NAMES),
        dice.pick(GIVEN_NAMES),
        born.format("%Y-%m-%d"),
        codes.join(";"),
        1 + dice.below(140),
        dice.pick(STREETS),
        town,
        postcode,
        needs
    )
}

fn recorded(dice: &mut Dice, item: &ItemDef, on: NaiveDate) -> Recorded {
    let (text, option, answers) = result(dice, item, on);
    let value = item
        .restore(&text, option.as_deref(), &answers)
        .unwrap_or_else(|| panic!("{}: '{text}' {option:?} '{answers}'", item.id()));
    Recorded::Value(value)
}

/// A practice with `PACKS` reviews approved at triage and waiting for their packs, made through
/// the store's own operations: the register imported, two earlier years' results, this year's
/// review opened, attended and its results complete, every red finding acknowledged, the
/// conversation routed, the pack approved, and most conversations booked. Returns the number
/// of large-print people.
fn stage(
    store: &mut Store,
    catalogue: &Catalogue,
    rules: &RuleSet,
    settings: &PracticeSettings,
    today: NaiveDate,
) -> usize {
    let actor = Actor::new("benchmark");
    let mut dice = Dice(0x9AC5_B3E7);
    store
        .write::<_, StoreError>(&actor, |w| {
            w.save_practice_settings(&PracticeSettings::starting(), settings)?;
            w.audit("benchmark.settings", None, "the benchmark practice's letterhead")
        })
        .unwrap();

    let mut csv = String::from(
        "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,town,\
         postcode,communication_needs\n",
    );
    let (mut stem, mut made, mut large_print) = (999_100_000, 0, 0);
    while made < PACKS {
        stem += 1;
        let Some(number) = NhsNumber::from_stem(stem) else { continue };
        let large = dice.chance(5.0);
        large_print += usize::from(large);
        csv.push_str(&register_row(&mut dice, &number, large, today));
        made += 1;
    }
    let file = RegisterFile::read(csv.as_bytes()).unwrap();
    let report =
        import_register(store, &actor, catalogue, today, &file, "register.csv", false).unwrap();
    assert_eq!(report.imported, PACKS, "{:?}", report.rejected.first());

    let timing = PackTiming {
        minimum_days: settings.pack_minimum_days,
        target_days: settings.pack_target_days,
    };
    let patients = store.all_patients().unwrap();
    let registered = RegistrationStatus::Registered;
    let opened = today - Days::new(40);
    let contact1 = today - Days::new(21);
    let results = today - Days::new(12);
    let triaged = today - Days::new(5);
    store
        .write::<_, StoreError>(&actor, |w| {
            w.audit("benchmark.packs", None, "approved reviews staged for the packs benchmark")?;
            for patient in &patients {
                let facts = person_facts(catalogue, patient);
                let items: Vec<&ItemDef> = catalogue
                    .items_for(facts.conditions.iter().map(String::as_str))
                    .into_iter()
                    .map(|(item, _)| item)
                    .filter(|item| !matches!(item.kind(), ItemKind::Text))
                    .collect();
                let hba1c = items.iter().any(|item| item.id() == "hba1c");
                let (mut cycle, event) =
                    Cycle::open(YearMonth::of(opened), registered, opened).unwrap();
                let cycle_id = w.save_transition(patient.id, None, &cycle, &event)?;
                let event = cycle.attend_contact1(contact1).unwrap();
                w.save_transition(patient.id, Some(cycle_id), &cycle, &event)?;
                for item in items {
                    // The last two years' values, for the "Previous results" column.
                    let earlier = match dice.below(10) {
                        0 => 0,
                        1 => 1,
                        _ => 2,
                    };
                    for years in (1..=earlier).rev() {
                        let on = today - Days::new(365 * years + dice.below(40));
                        w.insert_observation(&NewObservation {
                            patient_id: patient.id,
                            cycle_id: None,
                            item,
                            taken_on: on,
                            recorded: &recorded(&mut dice, item, on),
                            note: "",
                            reported: None,
                            source: ObservationSource::LabImport,
                            source_detail: "benchmark",
                        })?;
                    }
                    let on = contact1 + Days::new(dice.below(8));
                    let now = if dice.chance(3.0) {
                        Recorded::NotDone(
                            [NotDoneReason::Declined, NotDoneReason::Unable]
                                [dice.below(2) as usize],
                        )
                    } else {
                        recorded(&mut dice, item, on)
                    };
                    w.insert_observation(&NewObservation {
                        patient_id: patient.id,
                        cycle_id: Some(cycle_id),
                        item,
                        taken_on: on,
                        recorded: &now,
                        note: "",
                        reported: None,
                        source: ObservationSource::Contact1,
                        source_detail: "benchmark",
                    })?;
                }
                if hba1c && dice.chance(5.0) {
                    w.set_personal_target(patient.id, "hba1c", Some("64"), "hypoglycaemia")?;
                }
                let event = cycle.complete_results(results).unwrap();
                w.save_transition(patient.id, Some(cycle_id), &cycle, &event)?;

                // Triage: every red finding acknowledged, the conversation routed, approved.
                let rows = review_results_in(w, catalogue, rules, patient, cycle_id)?;
                for finding in rows.iter().flat_map(|r| &r.findings).filter(|f| f.is_waiting()) {
                    let action = [
                        AckAction::ContactedToday,
                        AckAction::ContactedToday,
                        AckAction::RepeatTest,
                        AckAction::Referred,
                    ][dice.below(4) as usize];
                    w.acknowledge_finding(
                        finding.observation_id,
                        &finding.rule,
                        Some(cycle_id),
                        action,
                        "",
                    )?;
                }
                let with_whom = dice.pick(CLINICIANS);
                let role =
                    if with_whom.starts_with("Dr") { TriageRole::Gp } else { TriageRole::Nurse };
                w.add_triage_entry(cycle_id, TriageKind::Route, Some(role), with_whom, None, "")?;
                let cleared = red_flags_cleared(w, catalogue, rules, patient, cycle_id)?
                    .map_err(StoreError::Refused)?;
                let event = cycle.triage(triaged, &cleared).unwrap();
                w.save_transition(patient.id, Some(cycle_id), &cycle, &event)?;
                if dice.chance(70.0) {
                    let day =
                        today + Days::new(u64::from(timing.minimum_days) + 3 + dice.below(14));
                    let time = NaiveTime::from_hms_opt(9 + dice.below(7) as u32, 15, 0).unwrap();
                    let place = if dice.chance(80.0) { "" } else { "Fenwick branch surgery" };
                    let booking = Booking::new(day.and_time(time), with_whom, place).unwrap();
                    let (event, _) =
                        cycle.book_conversation(booking, registered, triaged, timing).unwrap();
                    w.save_transition(patient.id, Some(cycle_id), &cycle, &event)?;
                }
            }
            Ok(())
        })
        .unwrap();
    large_print
}

/// CPU time this process has used so far, every thread (user and system), from
/// /proc/self/stat in clock ticks of 1/100 s; `None` off Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Wall-clock and CPU time of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Option<f64>) {
    let cpu = cpu_seconds();
    let started = Instant::now();
    let value = f();
    let wall = started.elapsed();
    let cpu = cpu.zip(cpu_seconds()).map(|(before, after)| after - before);
    (value, wall, cpu)
}

/// "CPU 1.21 s, 1.0 of 2 cores".
fn cores(wall: Duration, cpu: Option<f64>, available: usize) -> String {
    match cpu {
        Some(cpu) => format!(
            "CPU {cpu:.2} s, {:.1} of {available} cores busy",
            cpu / wall.as_secs_f64().max(1e-9)
        ),
        None => "CPU time unknown".into(),
    }
}

/// The number of pages of a PDF, by `pdfinfo` (poppler-utils).
fn pdf_pages(file: &Path) -> Result<usize, String> {
    let output = Command::new("pdfinfo").arg(file).output().map_err(|e| {
        format!("pdfinfo cannot run ({e}): apt-get install --no-install-recommends poppler-utils")
    })?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("pdfinfo did not read {}", file.display()))
}

fn main() {
    let catalogue = alongside::assets::catalogue().expect("the catalogue is valid");
    let rules = alongside::assets::rules(&catalogue).expect("the rules are valid");
    let texts = alongside::assets::pack_texts(&catalogue).expect("the pack texts are valid");
    let today = chrono::Local::now().date_naive();
    let created = chrono::Utc::now().naive_utc();
    let available = std::thread::available_parallelism().map_or(1, |n| n.get());
    let dir = tempfile::tempdir().unwrap();
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("packs");
    std::fs::create_dir_all(&out).unwrap();
    let mut store = Store::open(&dir.path().join("practice.sqlite")).unwrap();
    let settings = PracticeSettings {
        letterhead: Letterhead {
            practice_name: "Riverside Surgery".into(),
            address: vec!["1 Mill Lane".into(), "Ashby Marsh".into(), "AM1 1AB".into()],
            phone: "0113 496 0000".into(),
            email: "riverside.surgery@example.com".into(),
            logo: None,
        },
        review_name: "Year of Care review".into(),
        booking_instructions: "Please phone us between 10am and 4pm to book, or ask at reception."
            .into(),
        ..PracticeSettings::starting()
    };

    let (large_print, staging, _) =
        timed(|| stage(&mut store, &catalogue, &rules, &settings, today));

    // The whole path: the store read, every review evaluated, the letters written and laid out.
    let (prepared, whole, whole_cpu) =
        timed(|| prepare_packs(&store, &catalogue, &rules, &texts, None, today, created).unwrap());
    assert_eq!(prepared.items.len(), PACKS, "every pack is ready: {:?}", prepared.held.first());
    assert_eq!(prepared.large_print, large_print);
    let letters = prepared.letters;
    let rows: Vec<usize> = letters
        .iter()
        .map(|l| {
            l.blocks
                .iter()
                .map(|b| match b {
                    Block::Table(t) => t.sections.iter().map(|s| s.rows.len()).sum(),
                    _ => 0,
                })
                .sum()
        })
        .collect();
    let mean_rows = rows.iter().sum::<usize>() as f64 / rows.len() as f64;

    // Layout and save alone, on the same letters: three runs, the median counted.
    let mut runs = Vec::new();
    let mut rendered = None;
    for _ in 0..3 {
        let (r, wall, cpu) = timed(|| letters_pdf(&letters, "Preparation packs", created));
        runs.push((wall, cpu));
        rendered = Some(r);
    }
    let rendered = rendered.unwrap();
    let mut sorted = runs.clone();
    sorted.sort_by_key(|(wall, _)| *wall);
    let (ours, ours_cpu) = sorted[1];
    let our_pdf = out.join("packs-alongside.pdf");
    std::fs::write(&our_pdf, &rendered.pdf).unwrap();
    let our_pages = pdf_pages(&our_pdf);
    if let Ok(pages) = &our_pages {
        assert_eq!(*pages, rendered.pages, "pdfinfo reads the pages we laid out");
    }

    println!(
        "preparation packs benchmark ({PACKS} approved reviews, {mean_rows:.1} results each \
         ({} to {}), {large_print} in large print, {available} cores)",
        rows.iter().min().unwrap(),
        rows.iter().max().unwrap()
    );
    println!("  (staging {PACKS} approved reviews in the store: {:.2} s)", staging.as_secs_f64());
    println!(
        "  prepare_packs, store to one PDF:        {:>6.3} s, {:.1} MB  ({})",
        whole.as_secs_f64(),
        prepared.pdf.len() as f64 / 1e6,
        cores(whole, whole_cpu, available)
    );
    println!(
        "  letters_pdf, {PACKS} packs into one PDF:  {:>6.3} s, {:.1} MB, {} pages  \
         (target < 1 s; {})",
        ours.as_secs_f64(),
        rendered.pdf.len() as f64 / 1e6,
        rendered.pages,
        cores(ours, ours_cpu, available)
    );
    println!(
        "    (runs: {}; the median counted)",
        runs.iter()
            .map(|(w, _)| format!("{:.3} s", w.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // The same letters through a word processor.
    let document = fodt(&letters);
    let fodt_file = out.join("packs.fodt");
    std::fs::write(&fodt_file, &document).unwrap();
    match libreoffice(&fodt_file, &out) {
        Err(message) => println!("  LibreOffice comparison skipped: {message}"),
        Ok((version, theirs, pdf)) => {
            let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
            let pages = pdf_pages(&pdf).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                pages >= PACKS,
                "LibreOffice's PDF has {pages} pages for {PACKS} packs: the comparison is not fair"
            );
            println!(
                "  {version}, the same packs as one Flat ODT ({:.1} MB) to PDF:  {:>6.2} s, \
                 {:.1} MB, {pages} pages",
                document.len() as f64 / 1e6,
                theirs.as_secs_f64(),
                size as f64 / 1e6
            );
            println!(
                "  LibreOffice takes {:.0}x as long as letters_pdf  (target at least 40x)",
                theirs.as_secs_f64() / ours.as_secs_f64()
            );
        }
    }
    println!("  (the PDFs and the document are in {})", out.display());
}

/// Converts `file` to PDF with LibreOffice in a profile of its own, after one untimed
/// conversion of a tiny document so the profile's creation is not counted. Returns the
/// version, the wall-clock time of the conversion (start-up included) and the PDF.
fn libreoffice(file: &Path, out: &Path) -> Result<(String, Duration, PathBuf), String> {
    let version = match Command::new("soffice").arg("--version").output() {
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" "),
        _ => {
            return Err("soffice (LibreOffice) is not installed. Install it with \
                        `sudo apt-get install --no-install-recommends libreoffice-writer`, \
                        or run .ci/bench-packs"
                .into())
        }
    };
    let profile = tempfile::Builder::new().prefix("packs-bench-lo-").tempdir_in("/tmp").unwrap();
    let convert = |input: &Path| -> Result<(Duration, PathBuf), String> {
        let pdf = out.join(input.with_extension("pdf").file_name().unwrap());
        let _ = std::fs::remove_file(&pdf);
        let started = Instant::now();
        let output = Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
            .arg("--headless")
            // Keep the blank pages that start every pack on an odd page, as our PDF does.
            .arg("--convert-to")
            .arg(r#"pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}"#)
            .arg("--outdir")
            .arg(out)
            .arg(input)
            .output()
            .map_err(|e| format!("soffice cannot run: {e}"))?;
        let took = started.elapsed();
        if !output.status.success() || !pdf.is_file() {
            return Err(format!(
                "soffice did not convert {}: {}",
                input.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok((took, pdf))
    };
    let tiny = out.join("warm-up.fodt");
    std::fs::write(&tiny, fodt(&[])).unwrap();
    convert(&tiny)?;
    let (took, pdf) = convert(file)?;
    Ok((version, took, pdf))
}

/// Type sizes in points (and distances in mm), as the PDF layout uses them.
struct Sizes {
    prefix: &'static str,
    body: f32,
    heading: f32,
    small: f32,
    practice: f32,
    letterhead: f32,
    address: f32,
    table: f32,
    writing_line_mm: f32,
    indent_mm: f32,
}

const STANDARD: Sizes = Sizes {
    prefix: "S",
    body: 11.0,
    heading: 13.0,
    small: 9.0,
    practice: 14.0,
    letterhead: 10.0,
    address: 11.0,
    table: 9.5,
    writing_line_mm: 7.5,
    indent_mm: 6.0,
};

const LARGE: Sizes = Sizes {
    prefix: "L",
    body: 16.0,
    heading: 19.0,
    small: 13.0,
    practice: 16.0,
    letterhead: 12.0,
    address: 14.0,
    table: 16.0,
    writing_line_mm: 12.0,
    indent_mm: 9.0,
};

fn sizes(print: PrintSize) -> &'static Sizes {
    match print {
        PrintSize::Standard => &STANDARD,
        PrintSize::Large => &LARGE,
    }
}

/// The width of the text on an A4 page with the letters' margins (25 mm and 20 mm).
const TEXT_WIDTH_MM: f32 = 165.0;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The letters as one Flat ODT document, as a word processor would hold them: the letterhead,
/// date, address and reference, the subject and every block, each pack's results as a real
/// table (column headings repeated on each page, no row split between pages) or, in large
/// print, reflowed as labelled lines as our layout does; questions with ruled lines to write
/// on; a page break where the letter has one; and every letter starting on an odd page (the
/// blank pages LibreOffice puts in are kept in its PDF). The footer numbers pages through the
/// whole document, where ours says "Page n of m" for each letter and repeats the person's
/// name on later pages.
fn fodt(letters: &[Letter]) -> String {
    let mut columns: BTreeSet<(u32, u32)> = BTreeSet::new();
    for letter in letters {
        for block in &letter.blocks {
            if let Block::Table(table) = block {
                let total: u32 = table.columns.iter().map(|c| u32::from(c.share)).sum();
                columns.extend(table.columns.iter().map(|c| (u32::from(c.share), total.max(1))));
            }
        }
    }
    let mut doc = Document { out: String::with_capacity(letters.len() * 24_000), tables: 0 };
    let o = &mut doc.out;
    o.push_str(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
        r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
        r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
        r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
        r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
        r#"xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" "#,
        r#"office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">"#,
        "\n",
        r#"<office:font-face-decls><style:font-face style:name="DejaVu Sans" "#,
        r#"svg:font-family="'DejaVu Sans'" style:font-family-generic="swiss" "#,
        r#"style:font-pitch="variable"/></office:font-face-decls>"#,
        "\n<office:automatic-styles>\n",
    ));
    for (kind, usage) in [("Any", "all"), ("Right", "right")] {
        writeln!(
            o,
            r#"<style:page-layout style:name="{kind}" style:page-usage="{usage}"><style:page-layout-properties fo:page-width="210mm" fo:page-height="297mm" style:print-orientation="portrait" fo:margin-top="15mm" fo:margin-bottom="8mm" fo:margin-left="25mm" fo:margin-right="20mm"/><style:footer-style><style:header-footer-properties fo:min-height="10mm" fo:margin-top="4mm"/></style:footer-style></style:page-layout>"#
        )
        .unwrap();
    }
    for (share, total) in &columns {
        writeln!(
            o,
            r#"<style:style style:name="Col{share}of{total}" style:family="table-column"><style:table-column-properties style:column-width="{:.2}mm" style:rel-column-width="{share}*"/></style:style>"#,
            TEXT_WIDTH_MM * *share as f32 / *total as f32
        )
        .unwrap();
    }
    let cell = |o: &mut String, name: &str, border: &str| {
        writeln!(
            o,
            r#"<style:style style:name="{name}" style:family="table-cell"><style:table-cell-properties fo:padding="2.5pt" fo:border-top="none" fo:border-left="none" fo:border-right="none" fo:border-bottom="{border}"/></style:style>"#
        )
        .unwrap();
    };
    cell(o, "HeadCell", "0.8pt solid #1d5c63");
    cell(o, "BodyCell", "0.4pt solid #999999");
    cell(o, "SectionCell", "none");
    writeln!(
        o,
        r#"<style:style style:name="Row" style:family="table-row"><style:table-row-properties fo:keep-together="always"/></style:style>"#
    )
    .unwrap();
    for s in [&STANDARD, &LARGE] {
        let p = s.prefix;
        writeln!(
            o,
            r#"<style:style style:name="{p}Table" style:family="table"><style:table-properties style:width="{TEXT_WIDTH_MM}mm" table:align="margins" fo:margin-top="4pt" fo:margin-bottom="{}pt"/></style:style>"#,
            s.body
        )
        .unwrap();
        let body = s.body;
        let lead = |size: f32| format!(r#"fo:line-height="{:.2}pt""#, size * 1.35);
        let keep = r#"fo:keep-with-next="always""#;
        let ruled = r#"fo:border-bottom="0.5pt solid #999999" fo:padding="0pt""#;
        let write_line = format!(r#"fo:line-height="{}mm" {ruled}"#, s.writing_line_mm);
        let styles: Vec<(&str, f32, bool, String)> = vec![
            (
                "First",
                s.practice,
                true,
                r#"fo:text-align="end" fo:border-top="0.8pt solid #1d5c63" fo:padding-top="4mm""#
                    .into(),
            ),
            ("Letterhead", s.letterhead, false, r#"fo:text-align="end""#.into()),
            ("Date", body, false, r#"fo:text-align="end" fo:margin-top="2mm""#.into()),
            ("AddressFirst", s.address, false, r#"fo:margin-top="2mm""#.into()),
            ("Address", s.address, false, String::new()),
            ("RefFirst", body, false, format!(r#"fo:margin-top="6mm" {}"#, lead(body))),
            ("Ref", body, false, lead(body)),
            (
                "Subject",
                s.heading,
                true,
                format!(r#"fo:margin-top="{}pt" fo:margin-bottom="{}pt""#, body * 0.8, body * 0.6),
            ),
            (
                "Heading",
                s.heading,
                true,
                format!(
                    r#"fo:margin-top="{}pt" fo:margin-bottom="{}pt" {keep}"#,
                    body * 0.5,
                    body * 0.25
                ),
            ),
            ("Body", body, false, format!(r#"fo:margin-bottom="{}pt" {}"#, body * 0.6, lead(body))),
            (
                "Bullet",
                body,
                false,
                format!(
                    r#"fo:margin-left="{}mm" fo:text-indent="-{}mm" fo:margin-bottom="{}pt" {}"#,
                    s.indent_mm,
                    s.indent_mm * 0.7,
                    body * 0.2,
                    lead(body)
                ),
            ),
            ("Closing", body, false, format!(r#"fo:margin-top="{}pt" {keep}"#, body * 0.4)),
            (
                "Signature",
                body,
                false,
                format!(r#"fo:margin-top="{}pt" fo:margin-bottom="{}pt""#, body * 1.2, body * 0.8),
            ),
            ("Prompt", body, true, format!(r#"fo:margin-top="{}pt" {keep}"#, body * 0.4)),
            ("Write", body, false, format!("{write_line} {keep}")),
            (
                "WriteLast",
                body,
                false,
                format!(r#"{write_line} fo:margin-bottom="{}pt""#, body * 0.6),
            ),
            ("TableHead", s.table, true, String::new()),
            ("Cell", s.table, false, String::new()),
            ("CellName", s.table, true, String::new()),
            ("Section", body, true, format!(r#"fo:margin-top="{}pt""#, body * 0.5)),
            ("ResultName", body, true, format!("{} {keep}", lead(body))),
            (
                "ResultLine",
                body,
                false,
                format!(r#"fo:margin-left="{}mm" {} {keep}"#, s.indent_mm, lead(body)),
            ),
            (
                "ResultLast",
                body,
                false,
                format!(
                    r#"fo:margin-left="{}mm" fo:margin-bottom="{}pt" {}"#,
                    s.indent_mm,
                    body * 0.6,
                    lead(body)
                ),
            ),
            ("Footer", s.small, false, r#"fo:text-align="center""#.into()),
        ];
        for (name, size, bold, paragraph) in styles {
            for broken in [false, true] {
                let master = if name == "First" {
                    format!(r#" style:master-page-name="{p}First""#)
                } else {
                    String::new()
                };
                let suffix = if broken { "_Break" } else { "" };
                let brk = if broken { r#" fo:break-before="page""# } else { "" };
                let weight = if bold { r#" fo:font-weight="bold""# } else { "" };
                writeln!(
                    o,
                    r#"<style:style style:name="{p}{name}{suffix}" style:family="paragraph"{master}><style:paragraph-properties {paragraph}{brk}/><style:text-properties style:font-name="DejaVu Sans" fo:font-size="{size}pt"{weight}/></style:style>"#
                )
                .unwrap();
            }
        }
    }
    o.push_str("</office:automatic-styles>\n<office:master-styles>\n");
    for s in [&STANDARD, &LARGE] {
        let p = s.prefix;
        for (name, layout, next) in [("First", "Right", "Later"), ("Later", "Any", "Later")] {
            writeln!(
                o,
                r#"<style:master-page style:name="{p}{name}" style:page-layout-name="{layout}" style:next-style-name="{p}{next}"><style:footer><text:p text:style-name="{p}Footer">Page <text:page-number text:select-page="current"/></text:p></style:footer></style:master-page>"#
            )
            .unwrap();
        }
    }
    o.push_str("</office:master-styles>\n<office:body><office:text>\n");
    if letters.is_empty() {
        o.push_str(r#"<text:p text:style-name="SFirst">Warm-up</text:p>"#);
    }
    for letter in letters {
        doc.letter(letter);
    }
    doc.out.push_str("</office:text></office:body></office:document>\n");
    doc.out
}

/// The body of the document as it is written.
struct Document {
    out: String,
    tables: usize,
}

impl Document {
    fn p(&mut self, style: &str, text: &str) {
        writeln!(self.out, r#"<text:p text:style-name="{style}">{}</text:p>"#, escape(text))
            .unwrap();
    }

    fn letter(&mut self, letter: &Letter) {
        let s = sizes(letter.print);
        let p = s.prefix;
        let head = &letter.letterhead;
        self.p(&format!("{p}First"), &head.practice_name);
        for line in &head.address {
            self.p(&format!("{p}Letterhead"), line);
        }
        if !head.phone.trim().is_empty() {
            self.p(&format!("{p}Letterhead"), &format!("Telephone {}", head.phone.trim()));
        }
        if !head.email.trim().is_empty() {
            self.p(&format!("{p}Letterhead"), head.email.trim());
        }
        self.p(&format!("{p}Date"), &format_date(letter.date));
        self.p(&format!("{p}AddressFirst"), &letter.recipient.name);
        for line in &letter.recipient.address {
            self.p(&format!("{p}Address"), line);
        }
        for (i, line) in letter.reference.iter().enumerate() {
            self.p(&format!("{p}{}", if i == 0 { "RefFirst" } else { "Ref" }), line);
        }
        self.p(&format!("{p}Subject"), &letter.subject);
        let mut page_break = false;
        for block in &letter.blocks {
            let brk = if std::mem::take(&mut page_break) { "_Break" } else { "" };
            let style = |name: &str| format!("{p}{name}{brk}");
            match block {
                Block::Heading(text) => self.p(&style("Heading"), text),
                Block::Paragraph(text) => self.p(&style("Body"), text),
                Block::Bullets(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let name = if i == 0 { style("Bullet") } else { format!("{p}Bullet") };
                        self.p(&name, &format!("•\u{a0}{item}"));
                    }
                }
                Block::Closing(lines) => {
                    for (i, line) in lines.iter().enumerate() {
                        let name = match i {
                            0 => style("Closing"),
                            _ => format!("{p}Signature"),
                        };
                        self.p(&name, line);
                    }
                }
                Block::Table(table) => {
                    if !brk.is_empty() {
                        self.p(&style("Body"), "");
                    }
                    match letter.print {
                        PrintSize::Standard => self.table(p, table),
                        PrintSize::Large => self.reflowed_table(p, table),
                    }
                }
                Block::Prompt { text, lines } => {
                    self.p(&style("Prompt"), text);
                    for n in 1..=*lines {
                        let name = if n == *lines { "WriteLast" } else { "Write" };
                        self.p(&format!("{p}{name}"), "");
                    }
                }
                Block::NumberedLines { text, count } => {
                    self.p(&style("Prompt"), text);
                    for n in 1..=*count {
                        let name = if n == *count { "WriteLast" } else { "Write" };
                        self.p(&format!("{p}{name}"), &format!("{n}."));
                    }
                }
                Block::NewPage => page_break = true,
            }
        }
    }

    /// A real table: the column headings as repeated header rows, a section heading as a row
    /// across every column, one paragraph per line of each entry.
    fn table(&mut self, p: &str, table: &Table) {
        self.tables += 1;
        let total: u32 = table.columns.iter().map(|c| u32::from(c.share)).sum::<u32>().max(1);
        let o = &mut self.out;
        writeln!(
            o,
            r#"<table:table table:name="Results{}" table:style-name="{p}Table">"#,
            self.tables
        )
        .unwrap();
        for column in &table.columns {
            writeln!(o, r#"<table:table-column table:style-name="Col{}of{total}"/>"#, column.share)
                .unwrap();
        }
        o.push_str(r#"<table:table-header-rows><table:table-row table:style-name="Row">"#);
        for column in &table.columns {
            write!(
                o,
                r#"<table:table-cell table:style-name="HeadCell" office:value-type="string"><text:p text:style-name="{p}TableHead">{}</text:p></table:table-cell>"#,
                escape(&column.heading)
            )
            .unwrap();
        }
        o.push_str("</table:table-row></table:table-header-rows>\n");
        for section in &table.sections {
            write!(
                o,
                r#"<table:table-row table:style-name="Row"><table:table-cell table:style-name="SectionCell" table:number-columns-spanned="{}" office:value-type="string"><text:p text:style-name="{p}Section">{}</text:p></table:table-cell>"#,
                table.columns.len(),
                escape(&section.heading)
            )
            .unwrap();
            for _ in 1..table.columns.len() {
                o.push_str("<table:covered-table-cell/>");
            }
            o.push_str("</table:table-row>\n");
            for row in &section.rows {
                o.push_str(r#"<table:table-row table:style-name="Row">"#);
                for (i, cell) in row.iter().enumerate() {
                    let style = if i == 0 { "CellName" } else { "Cell" };
                    o.push_str(
                        r#"<table:table-cell table:style-name="BodyCell" office:value-type="string">"#,
                    );
                    let mut any = false;
                    for part in cell.iter().flat_map(|entry| entry.split('\n')) {
                        write!(
                            o,
                            r#"<text:p text:style-name="{p}{style}">{}</text:p>"#,
                            escape(part)
                        )
                        .unwrap();
                        any = true;
                    }
                    if !any {
                        write!(o, r#"<text:p text:style-name="{p}{style}"/>"#).unwrap();
                    }
                    o.push_str("</table:table-cell>");
                }
                o.push_str("</table:table-row>\n");
            }
        }
        o.push_str("</table:table>\n");
    }

    /// Large print, as our layout does it: each result its name in bold and one line per
    /// column, "Heading: value", under the section's heading.
    fn reflowed_table(&mut self, p: &str, table: &Table) {
        let reflow = |cell: &Vec<String>| {
            cell.iter()
                .map(|entry| entry.split('\n').collect::<Vec<_>>().join(" "))
                .collect::<Vec<_>>()
                .join("; ")
        };
        for section in &table.sections {
            self.p(&format!("{p}Heading"), &section.heading);
            for row in &section.rows {
                let name = row.first().map(reflow).unwrap_or_default();
                let lines: Vec<String> = table
                    .columns
                    .iter()
                    .zip(row)
                    .skip(1)
                    .map(|(column, cell)| (column, reflow(cell)))
                    .filter(|(_, text)| !text.trim().is_empty())
                    .map(|(column, text)| format!("{}: {text}", column.heading))
                    .collect();
                self.p(&format!("{p}ResultName"), &name);
                for (i, line) in lines.iter().enumerate() {
                    let style = if i + 1 == lines.len() { "ResultLast" } else { "ResultLine" };
                    self.p(&format!("{p}{style}"), line);
                }
            }
        }
    }
}
