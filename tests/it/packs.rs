//! Preparation packs as a practice prints them: reviews brought to "triaged" through the real
//! contact 1, lab import and triage functions, printed into one PDF and read back with poppler.
//! Each pack holds its own person's values and nobody else's, starts on an odd page, is at
//! least 16 point in large print; held packs are never printed; a batch counts only when it is
//! confirmed; a reprint is audited and changes nothing; the letter's content is snapshotted;
//! and the same through `alongside packs` and the packs screen's commands.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use serde_json::{json, Value as Json};

use alongside::domain::checklist::NotDoneReason;
use alongside::domain::cycle::{Booking, CycleStatus};
use alongside::domain::letters::{Block, Letter};
use alongside::domain::pack::{pack_letter, Meaning, Outcome, PackResult, PackTarget};
use alongside::domain::practice::PracticeSettings;
use alongside::domain::triage::{AckAction, TriageRole};
use alongside::exchange::packs::{
    cancel_pack_batch, confirm_pack_batch, pack_list, prepare_packs, record_prepared_packs,
    reprint_pack, PackError, PackLine, PreparedPacks,
};
use alongside::exchange::recall::{act_on_review, ReviewAction};
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::store::{Actor, CycleRecord, Store};

use super::ipc::Window;
use super::letters::{page_count, poppler};
use super::support::{catalogue, fill_in_letterhead, today, Sandbox};
use super::triage::{nhs, practice_with, Practice};

/// Everyone has an address in a different street and town unless said otherwise. Adams,
/// Lewis (large print), Morris and Young have type 2 diabetes; the rest hypertension. Hughes
/// needs easy read and Irwin has no address. Nobody is 80 yet.
const REGISTER: &str = "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,town,postcode,communication_needs\n\
    9990000018,Young,Yasmin,1950-03-02,44054006,11 Willow Road,Ashby Marsh,AM1 2BD,\n\
    9990000026,Adams,Albert,1951-04-12,44054006,22 Heron Close,Kettleby,KE2 3EF,\n\
    9990000034,Morris,Maud,1952-05-22,44054006,33 Quarry Lane,Lowfield,LO3 4GH,\n\
    9990000042,Lewis,Lara,1953-06-30,44054006,44 Orchard Way,Brindle,BR4 5JL,large_print\n\
    9990000050,Baker,Beth,1954-07-01,38341003,5 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000069,Carter,Cal,1955-01-05,38341003,6 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000077,Dixon,Dora,1956-02-11,38341003,7 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000085,Evans,Ed,1957-03-15,38341003,8 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000093,Foster,Flo,1958-04-19,38341003,9 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000107,Grant,Gus,1959-05-23,38341003,10 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000115,Hughes,Hana,1960-06-27,38341003,12 Mill Lane,Ashby Marsh,AM1 1AB,easy_read\n\
    9990000123,Irwin,Ian,1961-07-02,38341003,,,,\n\
    9990000131,Jones,Jan,1962-01-09,38341003,14 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000158,Kerr,Kit,1963-02-14,38341003,15 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000166,Lamb,Len,1964-03-18,38341003,16 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000174,Nash,Nia,1965-04-20,195967001,17 Mill Lane,Ashby Marsh,AM1 1AB,\n";

const YOUNG: &str = "9990000018";
const ADAMS: &str = "9990000026";
const MORRIS: &str = "9990000034";
const LEWIS: &str = "9990000042";
const BAKER: &str = "9990000050";
const CARTER: &str = "9990000069";
const DIXON: &str = "9990000077";
const EVANS: &str = "9990000085";
const FOSTER: &str = "9990000093";
const GRANT: &str = "9990000107";
const HUGHES: &str = "9990000115";
const IRWIN: &str = "9990000123";
const JONES: &str = "9990000131";
const KERR: &str = "9990000158";
const LAMB: &str = "9990000166";
const NASH: &str = "9990000174";

/// The practice with its letterhead filled in, so letters may be printed.
fn practice() -> Practice {
    let mut practice = practice_with(REGISTER);
    fill_in_letterhead(&mut practice.store);
    practice
}

pub(super) fn coordinator() -> Actor {
    Actor::new("sam.coordinator")
}

/// Contact 1 with these typed values, the bloods back with these lab values, the
/// conversation routed to the nurse and the pack approved: the review is triaged.
pub(super) fn approved(
    practice: &mut Practice,
    who: &str,
    typed: &[(&str, &str)],
    lab: &[(&str, &str)],
) {
    practice.complete(who, typed, lab);
    practice.route(who, TriageRole::Nurse, "Nurse J Okoye").unwrap();
    practice.approve(who).unwrap_or_else(|e| panic!("{who}: {e}"));
    assert_eq!(practice.status(who), Some(CycleStatus::Triaged), "{who}");
}

/// Records the conversation, booked in the clinical system for `days` from today at 10:15.
pub(super) fn book_conversation(practice: &mut Practice, who: &str, days: u64) {
    let settings = practice.store.practice_settings(&practice.catalogue).unwrap();
    let month = open_cycle(practice, who).cycle.due_month();
    let on = today() + Days::new(days);
    let booking =
        Booking::new(on.and_hms_opt(10, 15, 0).unwrap(), "Nurse J Okoye", "Riverside Surgery")
            .unwrap();
    act_on_review(
        &mut practice.store,
        &coordinator(),
        &settings,
        &nhs(who),
        month,
        ReviewAction::BookConversation(booking),
        today(),
    )
    .unwrap_or_else(|e| panic!("{who}: {e}"));
}

pub(super) fn patient_id(practice: &Practice, who: &str) -> i64 {
    practice.store.patient(&nhs(who)).unwrap().unwrap().id
}

pub(super) fn open_cycle(practice: &Practice, who: &str) -> CycleRecord {
    let id = patient_id(practice, who);
    practice.store.open_cycle_of(id).unwrap().unwrap_or_else(|| panic!("{who}: a review is open"))
}

/// The person's review this year, open or closed.
fn latest_cycle(practice: &Practice, who: &str) -> CycleRecord {
    let id = patient_id(practice, who);
    practice.store.cycles_of(id).unwrap().into_iter().next().expect("a review")
}

fn texts(practice: &Practice) -> alongside::domain::pack::PackTexts {
    alongside::assets::pack_texts(&practice.catalogue).expect("the shipped pack texts are valid")
}

fn created() -> chrono::NaiveDateTime {
    today().and_hms_opt(9, 30, 0).unwrap()
}

/// The packs of the chosen reviews (every ready one when `None`), as the packs screen prints.
pub(super) fn prepare(
    practice: &Practice,
    chosen: Option<&[i64]>,
) -> Result<PreparedPacks, PackError> {
    prepare_packs(
        &practice.store,
        &practice.catalogue,
        &practice.rules,
        &texts(practice),
        chosen,
        today(),
        created(),
    )
}

fn list(practice: &Practice) -> Vec<PackLine> {
    pack_list(&practice.store, &practice.catalogue, &practice.rules, today()).unwrap()
}

/// Each listed review: NHS number to "ready" or the hold's code.
fn states(practice: &Practice) -> BTreeMap<String, &'static str> {
    list(practice)
        .iter()
        .map(|l| {
            let state = l.hold.as_ref().map_or("ready", |h| h.code());
            (l.patient.details.nhs_number.as_str().to_string(), state)
        })
        .collect()
}

/// Audit entries whose action starts with `prefix`: (action, patient id, summary), oldest first.
pub(super) fn audit(sandbox: &Sandbox, prefix: &str) -> Vec<(String, Option<i64>, String)> {
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let mut statement = conn
        .prepare(
            "SELECT action, patient_id, summary FROM audit_event WHERE action LIKE ?1 || '%'
             ORDER BY id",
        )
        .unwrap();
    let rows = statement.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

pub(super) fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// "NHS number: 999 000 0018", as the pack prints it.
fn nhs_line(who: &str) -> String {
    format!("NHS number: {}", nhs(who))
}

/// A PDF of packs read back with poppler: each page's text (split at form feeds) and the
/// first page of each pack (the pages saying "Page 1 of").
struct PacksPdf {
    path: PathBuf,
    pages: Vec<String>,
    starts: Vec<usize>,
}

impl PacksPdf {
    fn write(sandbox: &Sandbox, name: &str, pdf: &[u8]) -> PacksPdf {
        PacksPdf::read(sandbox.write(name, pdf))
    }

    fn read(path: PathBuf) -> PacksPdf {
        // Raw order is the order the layout drew the text: a table cell's lines stay together.
        let text = poppler("pdftotext", &["-raw"], &path);
        let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
        assert_eq!(pages.pop().as_deref(), Some(""), "each page ends with a form feed");
        assert_eq!(pages.len(), page_count(&path), "pdftotext and pdfinfo agree");
        let starts = (1..=pages.len()).filter(|p| pages[p - 1].contains("Page 1 of")).collect();
        PacksPdf { path, pages, starts }
    }

    /// The first and last page (from 1) of the `i`th pack: up to the next pack's first page.
    fn range(&self, i: usize) -> (usize, usize) {
        let first = self.starts[i];
        (first, self.starts.get(i + 1).map_or(self.pages.len(), |next| next - 1))
    }

    /// The text of the `i`th pack, read with `pdftotext -f first -l last`, spaces collapsed.
    fn pack(&self, i: usize) -> String {
        let (first, last) = self.range(i);
        let (first, last) = (first.to_string(), last.to_string());
        flat(&poppler("pdftotext", &["-raw", "-f", &first, "-l", &last], &self.path))
    }

    /// The pack naming `name` in its greeting.
    fn pack_of(&self, name: &str) -> String {
        let greeting = format!("Dear {name},");
        let found: Vec<String> = (0..self.starts.len())
            .map(|i| self.pack(i))
            .filter(|t| t.contains(&greeting))
            .collect();
        assert_eq!(found.len(), 1, "one pack for {name}");
        found.into_iter().next().unwrap()
    }

    fn all(&self) -> String {
        flat(&self.pages.join("\n"))
    }
}

/// "Page 3 of 4" on a page: (3, 4).
fn page_number(text: &str) -> Option<(usize, usize)> {
    text.match_indices("Page ").find_map(|(at, _)| {
        let rest = &text[at + 5..];
        let (n, rest) = rest.split_once(" of ")?;
        let total: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((n.parse().ok()?, total.parse().ok()?))
    })
}

/// Yasmin Young, Albert Adams and Maud Morris with type 2 diabetes, and Lara Lewis who needs
/// large print: each with their own HbA1c and weight, approved and ready.
fn four_ready() -> Practice {
    let mut practice = practice();
    approved(&mut practice, YOUNG, &[("weight", "93.4")], &[("hba1c", "62")]);
    approved(&mut practice, ADAMS, &[("weight", "61.2")], &[("hba1c", "71")]);
    approved(&mut practice, MORRIS, &[("weight", "77.7")], &[("hba1c", "48")]);
    approved(&mut practice, LEWIS, &[("weight", "84.6")], &[("hba1c", "66")]);
    practice
}

struct Person {
    nhs: &'static str,
    name: &'static str,
    street: &'static str,
    postcode: &'static str,
    hba1c: &'static str,
    weight: &'static str,
}

const FOUR: [Person; 4] = [
    Person {
        nhs: ADAMS,
        name: "Albert Adams",
        street: "22 Heron Close",
        postcode: "KE2 3EF",
        hba1c: "71 mmol/mol",
        weight: "61.2 kg",
    },
    Person {
        nhs: LEWIS,
        name: "Lara Lewis",
        street: "44 Orchard Way",
        postcode: "BR4 5JL",
        hba1c: "66 mmol/mol",
        weight: "84.6 kg",
    },
    Person {
        nhs: MORRIS,
        name: "Maud Morris",
        street: "33 Quarry Lane",
        postcode: "LO3 4GH",
        hba1c: "48 mmol/mol",
        weight: "77.7 kg",
    },
    Person {
        nhs: YOUNG,
        name: "Yasmin Young",
        street: "11 Willow Road",
        postcode: "AM1 2BD",
        hba1c: "62 mmol/mol",
        weight: "93.4 kg",
    },
];

#[test]
fn each_pack_in_a_batch_holds_its_own_persons_values_and_nobody_elses() {
    let practice = four_ready();
    let prepared = prepare(&practice, None).unwrap();
    let names: Vec<&str> = prepared.letters.iter().map(|l| l.recipient.name.as_str()).collect();
    assert_eq!(
        names,
        ["Albert Adams", "Lara Lewis", "Maud Morris", "Yasmin Young"],
        "in surname order, not the order they were approved"
    );
    assert!(prepared.held.is_empty(), "{:?}", prepared.held);
    let pdf = PacksPdf::write(&practice.sandbox, "packs.pdf", &prepared.pdf);
    assert_eq!(pdf.starts.len(), 4, "four packs, each with its page 1");
    for (i, person) in FOUR.iter().enumerate() {
        let text = pdf.pack(i);
        for own in [
            format!("Dear {},", person.name),
            nhs_line(person.nhs),
            person.street.to_string(),
            person.postcode.to_string(),
            person.hba1c.to_string(),
            person.weight.to_string(),
        ] {
            assert!(text.contains(&own), "{}'s pack has {own}:\n{text}", person.name);
        }
        for other in FOUR.iter().filter(|o| o.nhs != person.nhs) {
            for theirs in [
                other.name.to_string(),
                nhs(other.nhs).to_string(),
                other.street.to_string(),
                other.postcode.to_string(),
                other.hba1c.to_string(),
                other.weight.to_string(),
            ] {
                assert!(
                    !text.contains(&theirs),
                    "{}'s pack has {}'s {theirs}:\n{text}",
                    person.name,
                    other.name
                );
            }
        }
    }
    // Every later page of a pack names its person, in case the pages come apart.
    for (i, person) in FOUR.iter().enumerate() {
        let (first, last) = pdf.range(i);
        for page in first + 1..=last {
            let text = flat(&pdf.pages[page - 1]);
            if text.contains("intentionally blank") {
                continue;
            }
            assert!(
                text.contains(&format!("{}, NHS number {}", person.name, nhs(person.nhs))),
                "page {page} of {}'s pack: {text}",
                person.name
            );
        }
    }
}

#[test]
fn every_pack_starts_on_an_odd_page() {
    let mut practice = four_ready();
    // Asthma alone has few results: her pack is an odd number of pages.
    approved(&mut practice, NASH, &[], &[]);
    let prepared = prepare(&practice, None).unwrap();
    let pdf = PacksPdf::write(&practice.sandbox, "packs.pdf", &prepared.pdf);
    assert_eq!(pdf.starts.len(), prepared.items.len());
    assert_eq!(pdf.pages.len() % 2, 0, "the batch is whole sheets: {} pages", pdf.pages.len());
    let mut lengths = Vec::new();
    for (i, &start) in pdf.starts.iter().enumerate() {
        assert_eq!(
            start % 2,
            1,
            "pack {i} starts on page {start}: an even page is the back of a sheet"
        );
        let (first, last) = pdf.range(i);
        let (_, total) = page_number(&pdf.pages[first - 1]).expect("a page number");
        lengths.push(total);
        for k in 1..=total {
            let page = first + k - 1;
            assert_eq!(
                page_number(&pdf.pages[page - 1]),
                Some((k, total)),
                "page {page} is page {k} of pack {i}"
            );
        }
        // What is left before the next pack is one blank back, only when the pack is odd.
        let after: Vec<&String> = pdf.pages[first + total - 1..last].iter().collect();
        assert_eq!(after.len(), total % 2, "pack {i} of {total} pages is followed by {after:?}");
        for blank in after {
            assert_eq!(flat(blank), "This page is intentionally blank");
        }
    }
    assert!(lengths.iter().any(|n| n % 2 == 1), "a pack of an odd length is padded: {lengths:?}");
    let blanks = pdf.pages.iter().filter(|p| p.contains("intentionally blank")).count();
    assert_eq!(pdf.pages.len(), lengths.iter().sum::<usize>() + blanks);
    assert!(
        lengths.iter().all(|&n| n >= 2),
        "the questions start a new page: every pack is two pages or more: {lengths:?}"
    );
}

/// The median height of the text lines on pages `first..=last` of a `pdftotext -bbox-layout`
/// output, in points: DejaVu Sans lines are 1.164 times their point size from top to bottom.
pub(super) fn median_text_size(bbox: &str, first: usize, last: usize) -> f32 {
    let pages: Vec<&str> = bbox.split("<page ").skip(1).collect();
    let mut sizes: Vec<f32> = pages[first - 1..last]
        .iter()
        .flat_map(|page| page.split("<line ").skip(1))
        .filter_map(|line| {
            let attr = |name: &str| -> Option<f32> {
                line.split(&format!("{name}=\"")).nth(1)?.split('"').next()?.parse().ok()
            };
            Some((attr("yMax")? - attr("yMin")?) / 1.164)
        })
        .collect();
    assert!(sizes.len() > 20, "pages {first}-{last} have text");
    sizes.sort_by(f32::total_cmp);
    sizes[sizes.len() / 2]
}

#[test]
fn a_large_print_pack_is_at_least_16_point_and_says_everything_the_standard_one_does() {
    let practice = four_ready();
    let prepared = prepare(&practice, None).unwrap();
    assert_eq!(prepared.large_print, 1, "Lara Lewis needs large print");
    let large: Vec<bool> = prepared.items.iter().map(|i| i.large_print).collect();
    assert_eq!(large, [false, true, false, false]);
    let pdf = PacksPdf::write(&practice.sandbox, "packs.pdf", &prepared.pdf);
    let bbox = poppler("pdftotext", &["-bbox-layout"], &pdf.path);
    let (adams, lewis, morris) = (pdf.range(0), pdf.range(1), pdf.range(2));
    let lewis_size = median_text_size(&bbox, lewis.0, lewis.1);
    let adams_size = median_text_size(&bbox, adams.0, adams.1);
    assert!(lewis_size >= 15.9, "large print body text: {lewis_size} pt");
    assert!(adams_size < 12.0, "standard print: {adams_size} pt");
    assert!(
        lewis.1 - lewis.0 > morris.1 - morris.0,
        "large print takes more pages: {lewis:?} against {morris:?}"
    );

    // The same results as a standard pack for the same condition, each with its value.
    let rows = |name: &str| -> Vec<Vec<Vec<String>>> {
        let letter = prepared.letters.iter().find(|l| l.recipient.name == name).unwrap();
        letter
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(table) => Some(table.sections.iter().flat_map(|s| s.rows.clone())),
                _ => None,
            })
            .flatten()
            .collect()
    };
    let tests = |rows: &[Vec<Vec<String>>]| -> Vec<String> {
        rows.iter().map(|row| row[0].join(" ")).collect()
    };
    let lewis_rows = rows("Lara Lewis");
    assert!(lewis_rows.len() >= 6, "every result of her review: {lewis_rows:?}");
    assert_eq!(tests(&lewis_rows), tests(&rows("Maud Morris")), "the same tests, in one order");
    let text = pdf.pack(1);
    for row in &lewis_rows {
        let test = flat(&row[0].join(" "));
        let value = flat(row[1][0].split('\n').next().unwrap());
        assert!(text.contains(&test), "the large print pack names {test}:\n{text}");
        assert!(text.contains(&value), "the large print pack has {test}: {value}:\n{text}");
    }
    assert!(text.contains("66 mmol/mol") && text.contains("84.6 kg"), "{text}");
    assert!(text.contains("Up to three things you most want to talk about"), "{text}");
}

#[test]
fn held_packs_are_listed_with_the_reason_and_never_printed() {
    let mut practice = practice();
    // Baker's results are complete but no clinician has approved the pack; Carter's bloods are
    // still at the lab.
    practice.complete(BAKER, &[], &[]);
    practice.attend(CARTER, &[]);
    // Dixon was approved; then a potassium of 6.6 came back and waits for a clinician.
    approved(&mut practice, DIXON, &[], &[]);
    practice.lab(DIXON, &[("potassium", "6.6")]);
    // Evans died and Foster left after their packs were approved.
    approved(&mut practice, EVANS, &[], &[]);
    approved(&mut practice, FOSTER, &[], &[]);
    let ended = "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,town,postcode,status\n\
        9990000085,Evans,Ed,1957-03-15,38341003,8 Mill Lane,Ashby Marsh,AM1 1AB,deceased\n\
        9990000093,Foster,Flo,1958-04-19,38341003,9 Mill Lane,Ashby Marsh,AM1 1AB,left\n";
    let file = RegisterFile::read(ended.as_bytes()).unwrap();
    import_register(
        &mut practice.store,
        &coordinator(),
        &practice.catalogue,
        today(),
        &file,
        "ended.csv",
        false,
    )
    .unwrap();
    assert_eq!(latest_cycle(&practice, EVANS).cycle.status(), CycleStatus::Died);
    assert_eq!(latest_cycle(&practice, FOSTER).cycle.status(), CycleStatus::LeftPractice);
    // Grant's conversation is in six days; Jones's in seven, the least the practice allows.
    approved(&mut practice, GRANT, &[], &[]);
    book_conversation(&mut practice, GRANT, 6);
    approved(&mut practice, JONES, &[], &[]);
    book_conversation(&mut practice, JONES, 7);
    // Hughes needs easy read; Irwin has no address.
    approved(&mut practice, HUGHES, &[], &[]);
    approved(&mut practice, IRWIN, &[], &[]);

    let expected = BTreeMap::from([
        (BAKER.to_string(), "not_approved"),
        (CARTER.to_string(), "not_approved"),
        (DIXON.to_string(), "red_finding"),
        (EVANS.to_string(), "died"),
        (FOSTER.to_string(), "left"),
        (GRANT.to_string(), "too_soon"),
        (HUGHES.to_string(), "format"),
        (IRWIN.to_string(), "no_address"),
        (JONES.to_string(), "ready"),
    ]);
    assert_eq!(states(&practice), expected);
    let lines = list(&practice);
    let reason = |who: &str| {
        let line = lines.iter().find(|l| l.patient.details.nhs_number.as_str() == who).unwrap();
        line.hold.as_ref().map(|h| h.reason()).unwrap_or_default()
    };
    assert!(reason(BAKER).contains("'Results complete'"), "{}", reason(BAKER));
    assert!(reason(CARTER).contains("'Contact 1 attended'"), "{}", reason(CARTER));
    assert!(reason(DIXON).contains("6.6 mmol/L"), "names the waiting finding: {}", reason(DIXON));
    assert_eq!(reason(EVANS), "the person has died: nothing is ever sent");
    assert_eq!(reason(FOSTER), "the person has left the practice: nothing is sent");
    assert!(reason(GRANT).contains("only 6 days away"), "{}", reason(GRANT));
    assert!(reason(HUGHES).contains("easy read"), "{}", reason(HUGHES));
    assert_eq!(reason(IRWIN), "no postal address is recorded");
    let lines_in_order: Vec<&str> = lines.iter().map(|l| l.patient.details.name.family()).collect();
    assert_eq!(
        lines_in_order,
        ["Baker", "Carter", "Dixon", "Evans", "Foster", "Grant", "Hughes", "Irwin", "Jones"]
    );

    // Printing everything prints Jones alone; the rest are held with the list's reasons.
    let prepared = prepare(&practice, None).unwrap();
    assert_eq!(prepared.items.len(), 1);
    assert_eq!(prepared.letters[0].recipient.name, "Jan Jones");
    let held: BTreeMap<String, String> =
        prepared.held.iter().map(|h| (h.nhs_number.clone(), h.reason.clone())).collect();
    let listed_held: BTreeMap<String, String> = expected
        .iter()
        .filter(|(_, state)| **state != "ready")
        .map(|(who, _)| (who.clone(), reason(who)))
        .collect();
    assert_eq!(held, listed_held);
    let pdf = PacksPdf::write(&practice.sandbox, "packs.pdf", &prepared.pdf);
    let text = pdf.all();
    assert!(text.contains("Dear Jan Jones,"), "{text}");
    for (who, name) in [
        (BAKER, "Beth Baker"),
        (CARTER, "Cal Carter"),
        (DIXON, "Dora Dixon"),
        (EVANS, "Ed Evans"),
        (FOSTER, "Flo Foster"),
        (GRANT, "Gus Grant"),
        (HUGHES, "Hana Hughes"),
        (IRWIN, "Ian Irwin"),
    ] {
        assert!(!text.contains(name), "{name} is held, yet in the PDF");
        assert!(!text.contains(&nhs(who).to_string()), "{name}'s NHS number is in the PDF");
    }

    // Choosing a held review prints nothing and says why; a review not on the list is refused.
    let grant = open_cycle(&practice, GRANT).id;
    let chosen = prepare(&practice, Some(&[grant])).unwrap();
    assert!(chosen.items.is_empty());
    assert_eq!(chosen.held.len(), 1);
    assert_eq!(chosen.held[0].nhs_number, GRANT);
    let error = prepare(&practice, Some(&[grant + 1000])).err().expect("refused");
    assert!(matches!(error, PackError::Refused(_)), "{error:?}");
    assert!(error.to_string().contains("has no pack waiting"), "{error}");
}

#[test]
fn a_batch_counts_as_sent_only_when_it_is_confirmed() {
    let mut practice = practice();
    approved(&mut practice, BAKER, &[], &[]);
    approved(&mut practice, JONES, &[], &[]);
    book_conversation(&mut practice, JONES, 21);
    approved(&mut practice, KERR, &[], &[]);
    let sandbox_audit = |p: &Practice| audit(&p.sandbox, "packs.");
    let untouched = |p: &Practice, when: &str| {
        for who in [BAKER, JONES, KERR] {
            let cycle = open_cycle(p, who).cycle;
            assert_eq!(cycle.status(), CycleStatus::Triaged, "{who} {when}");
            assert_eq!(cycle.pack_sent_on(), None, "{who} {when}");
        }
        assert_eq!(list(p).iter().filter(|l| l.hold.is_none()).count(), 3, "{when}");
    };

    // Printed, not confirmed: nothing is sent, though the printing itself is audited.
    let prepared = prepare(&practice, None).unwrap();
    assert_eq!(prepared.items.len(), 3);
    let file = practice.sandbox.path("first.pdf").display().to_string();
    let first =
        record_prepared_packs(&mut practice.store, &coordinator(), &prepared, &file).unwrap();
    untouched(&practice, "after printing");
    assert_eq!(
        sandbox_audit(&practice),
        [(
            "packs.prepared".to_string(),
            None,
            format!("3 preparation packs written to {file} (batch {first})")
        )]
    );

    // Cancelled: still nothing, and a cancelled batch cannot be confirmed.
    cancel_pack_batch(&mut practice.store, &coordinator(), first).unwrap();
    untouched(&practice, "after cancelling");
    let refused = confirm_pack_batch(
        &mut practice.store,
        &coordinator(),
        &practice.catalogue,
        &practice.rules,
        first,
        today(),
    );
    assert!(refused.is_err(), "a cancelled batch is never confirmed");
    untouched(&practice, "after confirming a cancelled batch");
    assert_eq!(sandbox_audit(&practice).len(), 2, "prepared, cancelled");

    // A new batch; before it is confirmed a red potassium comes back for Kit Kerr.
    let prepared = prepare(&practice, None).unwrap();
    let second =
        record_prepared_packs(&mut practice.store, &coordinator(), &prepared, "second.pdf")
            .unwrap();
    practice.lab(KERR, &[("potassium", "6.6")]);
    let confirmed = confirm_pack_batch(
        &mut practice.store,
        &coordinator(),
        &practice.catalogue,
        &practice.rules,
        second,
        today(),
    )
    .unwrap();
    assert_eq!(confirmed.recorded, 2);
    assert_eq!(confirmed.refused.len(), 1);
    assert_eq!(confirmed.refused[0].nhs_number, KERR);
    assert!(confirmed.refused[0].reason.contains("6.6"), "{:?}", confirmed.refused);
    let baker = open_cycle(&practice, BAKER).cycle;
    assert_eq!((baker.status(), baker.pack_sent_on()), (CycleStatus::PackSent, Some(today())));
    let jones = open_cycle(&practice, JONES).cycle;
    assert_eq!(
        (jones.status(), jones.pack_sent_on()),
        (CycleStatus::ConversationBooked, Some(today())),
        "the booked conversation now stands"
    );
    let kerr = open_cycle(&practice, KERR).cycle;
    assert_eq!((kerr.status(), kerr.pack_sent_on()), (CycleStatus::Triaged, None));
    let entries = sandbox_audit(&practice);
    assert_eq!(
        entries.last().unwrap(),
        &(
            "packs.confirmed".to_string(),
            None,
            format!("pack batch {second} confirmed printed and posted: 2 packs recorded as sent")
        )
    );
    let sent = audit(&practice.sandbox, "cycle.send_pack");
    let sent_to: BTreeSet<i64> = sent.iter().filter_map(|(_, p, _)| *p).collect();
    assert_eq!(
        sent_to,
        BTreeSet::from([patient_id(&practice, BAKER), patient_id(&practice, JONES)]),
        "each pack sent is on its person's record: {sent:?}"
    );
    assert_eq!(states(&practice), BTreeMap::from([(KERR.to_string(), "red_finding")]));

    // Confirming twice is refused and writes nothing.
    let before = audit(&practice.sandbox, "").len();
    let again = confirm_pack_batch(
        &mut practice.store,
        &coordinator(),
        &practice.catalogue,
        &practice.rules,
        second,
        today(),
    )
    .expect_err("a batch is confirmed once");
    assert!(again.to_string().contains("not waiting to be confirmed"), "{again}");
    assert_eq!(audit(&practice.sandbox, "").len(), before);
    assert!(
        cancel_pack_batch(&mut practice.store, &coordinator(), second).is_err(),
        "a confirmed batch is not cancelled"
    );
}

#[test]
fn a_pack_is_printed_again_only_once_sent_and_the_reprint_is_audited() {
    let mut practice = practice();
    approved(&mut practice, BAKER, &[], &[]);
    approved(&mut practice, JONES, &[], &[]);
    let reprint = |practice: &mut Practice, who: &str, name: &str| {
        let target = practice.sandbox.path(name);
        let texts = texts(practice);
        reprint_pack(
            &mut practice.store,
            &coordinator(),
            &practice.catalogue,
            &practice.rules,
            &texts,
            &nhs(who),
            today(),
            created(),
            |pdf| {
                std::fs::write(&target, pdf).map_err(|e| e.to_string())?;
                Ok(target.display().to_string())
            },
        )
    };

    // Never sent: refused, nothing written.
    let before = audit(&practice.sandbox, "").len();
    let error = reprint(&mut practice, BAKER, "too-early.pdf").err().expect("refused");
    assert!(matches!(error, PackError::Refused(_)), "{error:?}");
    assert!(error.to_string().contains("no pack has been sent"), "{error}");
    assert!(!practice.sandbox.path("too-early.pdf").exists());
    assert_eq!(audit(&practice.sandbox, "").len(), before);
    let stranger = reprint(&mut practice, "9434765919", "stranger.pdf").err().unwrap();
    assert!(matches!(stranger, PackError::NotFound(_)), "{stranger:?}");

    // Sent: printed again, audited on her record, and nothing else changes.
    let prepared = prepare(&practice, None).unwrap();
    let batch =
        record_prepared_packs(&mut practice.store, &coordinator(), &prepared, "p.pdf").unwrap();
    confirm_pack_batch(
        &mut practice.store,
        &coordinator(),
        &practice.catalogue,
        &practice.rules,
        batch,
        today(),
    )
    .unwrap();
    let cycle_before = open_cycle(&practice, BAKER);
    let events_before = practice.store.cycle_history(cycle_before.id).unwrap().len();
    let (reprinted, packs) = reprint(&mut practice, BAKER, "again.pdf").unwrap();
    assert_eq!(packs.items.len(), 1);
    let pdf = PacksPdf::read(practice.sandbox.path("again.pdf"));
    assert_eq!(pdf.starts.len(), 1);
    let text = pdf.pack(0);
    assert!(text.contains("Dear Beth Baker,") && text.contains(&nhs_line(BAKER)), "{text}");
    assert!(!text.contains("Jan Jones"), "only hers");
    let file = practice.sandbox.path("again.pdf").display().to_string();
    assert_eq!(
        audit(&practice.sandbox, "packs.reprinted"),
        [(
            "packs.reprinted".to_string(),
            Some(patient_id(&practice, BAKER)),
            format!("preparation pack printed again to {file} (batch {reprinted})")
        )]
    );
    let cycle_after = open_cycle(&practice, BAKER);
    assert_eq!(cycle_after.cycle, cycle_before.cycle, "the review is as it was");
    assert_eq!(practice.store.cycle_history(cycle_after.id).unwrap().len(), events_before);
    let refused = confirm_pack_batch(
        &mut practice.store,
        &coordinator(),
        &practice.catalogue,
        &practice.rules,
        reprinted,
        today(),
    );
    assert!(refused.is_err(), "a reprint is never confirmed as a batch");
    assert_eq!(open_cycle(&practice, BAKER).cycle, cycle_before.cycle);
}

/// The letter as plain text: every field and block in order, a table as its sections and
/// rows with the cells joined. Content only, no layout.
fn plain(letter: &Letter) -> String {
    let head = &letter.letterhead;
    let mut out = vec![
        format!("from: {}", head.practice_name),
        format!("      {}", head.address.join(", ")),
        format!("      {} {}", head.phone, head.email).trim_end().to_string(),
        format!("date: {}", letter.date),
        format!("to: {}", letter.recipient.name),
    ];
    out.extend(letter.recipient.address.iter().map(|l| format!("    {l}")));
    out.extend(letter.reference.iter().map(|r| format!("reference: {r}")));
    out.push(format!("print: {:?}", letter.print));
    out.push(format!("continuation: {}", letter.continuation));
    out.push(format!("subject: {}", letter.subject));
    out.push(String::new());
    let cell = |entries: &Vec<String>| -> String {
        entries.iter().map(|e| e.replace('\n', " ")).collect::<Vec<_>>().join(" / ")
    };
    for block in &letter.blocks {
        match block {
            Block::Heading(text) => out.push(format!("## {text}")),
            Block::Paragraph(text) => out.push(text.clone()),
            Block::Bullets(items) => out.extend(items.iter().map(|i| format!("- {i}"))),
            Block::Closing(lines) => out.extend(lines.iter().map(|l| format!("  {l}"))),
            Block::Table(table) => {
                let headings: Vec<String> =
                    table.columns.iter().map(|c| format!("{} ({})", c.heading, c.share)).collect();
                out.push(format!("[table] {}", headings.join(" | ")));
                for section in &table.sections {
                    out.push(format!("### {}", section.heading));
                    for row in &section.rows {
                        out.push(format!(
                            "| {} |",
                            row.iter().map(cell).collect::<Vec<_>>().join(" | ")
                        ));
                    }
                }
            }
            Block::Prompt { text, lines } => out.push(format!("? {text} [{lines} lines]")),
            Block::NumberedLines { text, count } => {
                out.push(format!(
                    "{text}: {}",
                    (1..=*count).map(|n| format!("{n}.")).collect::<Vec<_>>().join(" ")
                ));
            }
            Block::NewPage => out.push("--- new page ---".into()),
        }
    }
    out.join("\n") + "\n"
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The pack letter from fixed inputs, as text; `UPDATE_SNAPSHOTS=1` rewrites the snapshot.
#[test]
fn the_pack_letter_says_what_its_snapshot_says() {
    let on = day(2026, 11, 2);
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    let row = "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,address_line_2,town,postcode\n\
        9990000018,Okafor,Grace,1950-03-02,44054006;38341003,Flat 2,1 Mill Lane,Ashby Marsh,AM1 1AB\n";
    let file = RegisterFile::read(row.as_bytes()).unwrap();
    import_register(&mut store, &coordinator(), &catalogue(), on, &file, "r.csv", false).unwrap();
    let person = store.patient(&nhs(YOUNG)).unwrap().unwrap().details;
    let mut settings = PracticeSettings::starting();
    settings.letterhead.practice_name = "Riverside Surgery".into();
    settings.letterhead.address =
        vec!["1 Mill Lane".into(), "Ashby Marsh".into(), "AM1 1AB".into()];
    settings.letterhead.phone = "0113 496 0000".into();
    settings.review_name = "Year of Care review".into();
    let conversation =
        Booking::new(day(2026, 11, 20).and_hms_opt(10, 15, 0).unwrap(), "Nurse J Okoye", "")
            .unwrap();
    let value = |text: &str, taken_on: NaiveDate| Outcome::Value {
        text: text.into(),
        taken_on,
        elsewhere: false,
    };
    let results = [
        // Given out of the letter's order: the letter groups them by theme.
        PackResult {
            theme: "blood-sugar".into(),
            name: "Average blood sugar (HbA1c)".into(),
            outcome: value("62 mmol/mol", day(2026, 10, 14)),
            previous: vec![
                (day(2025, 10, 9), "66 mmol/mol".into()),
                (day(2024, 10, 3), "70 mmol/mol".into()),
                (day(2023, 10, 5), "74 mmol/mol".into()),
            ],
            target: Some(PackTarget { words: "64 mmol/mol or below".into(), personal: true }),
            meaning: Meaning::Said("Your average blood sugar is within the target for you.".into()),
        },
        PackResult {
            theme: "blood-pressure".into(),
            name: "Blood pressure (at the surgery)".into(),
            outcome: value("146/88 mmHg", day(2026, 10, 12)),
            previous: vec![(day(2025, 10, 9), "138/84 mmHg".into())],
            target: Some(PackTarget { words: "140/90 mmHg or below".into(), personal: false }),
            meaning: Meaning::Said("Your blood pressure is higher than the target for you.".into()),
        },
        PackResult {
            theme: "feet-and-eyes".into(),
            name: "Eye screening".into(),
            outcome: Outcome::Value {
                text: "No changes found".into(),
                taken_on: day(2026, 6, 30),
                elsewhere: true,
            },
            previous: vec![],
            target: None,
            meaning: Meaning::Explanation("A photograph of the back of your eyes.".into()),
        },
        PackResult {
            theme: "kidneys".into(),
            name: "Urine test for protein (ACR)".into(),
            outcome: Outcome::NotDone(NotDoneReason::Declined),
            previous: vec![(day(2025, 10, 9), "2.1 mg/mmol".into())],
            target: None,
            meaning: Meaning::Explanation(String::new()),
        },
        PackResult {
            theme: "cholesterol".into(),
            name: "Cholesterol".into(),
            outcome: Outcome::NotDone(NotDoneReason::SentToLab),
            previous: vec![],
            target: None,
            meaning: Meaning::Explanation(String::new()),
        },
        PackResult {
            theme: "practice-own".into(),
            name: "Walking test".into(),
            outcome: value("Walked 400 metres", day(2026, 10, 12)),
            previous: vec![],
            target: None,
            meaning: Meaning::Explanation("How far you walked in six minutes.".into()),
        },
    ];
    let texts = alongside::assets::pack_texts(&catalogue()).unwrap();
    let letter =
        pack_letter(&person, Some(&conversation), &results, &texts, &settings, on).unwrap();
    let actual = plain(&letter);
    let snapshot = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/pack-standard.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(Path::new(snapshot).parent().unwrap()).unwrap();
        std::fs::write(snapshot, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(snapshot).unwrap_or_default();
    assert!(
        actual == expected,
        "the pack letter differs from tests/snapshots/pack-standard.txt. If the change is \
         intended, run the tests with UPDATE_SNAPSHOTS=1 and review the diff.\n--- actual ---\n\
         {actual}"
    );

    // What the snapshot must say, whatever else changes in it.
    for said in [
        "to: Grace Okafor",
        "subject: Your Year of Care review: your results, and getting ready to talk",
        "Your conversation is on 20 November 2026 at 10:15am, with Nurse J Okoye, at Riverside \
         Surgery.",
        "| Average blood sugar (HbA1c) | 62 mmol/mol (14 Oct 2026) | 66 mmol/mol (9 Oct 2025) / \
         70 mmol/mol (3 Oct 2024) | 64 mmol/mol or below (agreed with you) |",
        "| 140/90 mmHg or below | Your blood pressure is higher",
        "No changes found (done on 30 Jun 2026)",
        "| Urine test for protein (ACR) | Not done | 2.1 mg/mmol (9 Oct 2025) |  | Not done this \
         time, as you preferred.",
        "| Cholesterol | Not done | None |  | We are still waiting for this result.",
        "### practice-own\n| Walking test |",
    ] {
        assert!(actual.contains(said), "the letter says {said:?}:\n{actual}");
    }
    assert!(!actual.contains("74 mmol/mol"), "two earlier results at most");
    let not_booked = plain(&pack_letter(&person, None, &results, &texts, &settings, on).unwrap());
    assert!(
        not_booked.contains(
            "Your conversation is not booked yet. Please phone us on 0113 496 0000, or ask at \
             reception"
        ),
        "{not_booked}"
    );
    assert!(!not_booked.contains("Nurse J Okoye"), "{not_booked}");
    let sections: Vec<&str> = actual.lines().filter_map(|l| l.strip_prefix("### ")).collect();
    assert_eq!(
        sections,
        [
            "Blood pressure",
            "Blood sugar",
            "Cholesterol",
            "Your kidneys",
            "Feet and eyes",
            "practice-own"
        ],
        "in the texts' order of themes, a theme they do not name last"
    );
}

#[test]
fn a_red_finding_acted_on_says_the_practice_has_been_in_touch_and_one_left_alone_does_not() {
    let mut practice = practice();
    for (who, action, note) in [
        (KERR, AckAction::ContactedToday, ""),
        (LAMB, AckAction::NoAction, "known, stable under the renal team"),
    ] {
        practice.complete(who, &[], &[("potassium", "6.6")]);
        let finding = practice.finding(who, "potassium-very-high");
        practice
            .acknowledge(who, finding.observation_id, "potassium-very-high", action, note)
            .unwrap();
        approved_after_acknowledging(&mut practice, who);
    }
    let prepared = prepare(&practice, None).unwrap();
    assert_eq!(prepared.items.len(), 2);
    let pdf = PacksPdf::write(&practice.sandbox, "packs.pdf", &prepared.pdf);
    let kerr = pdf.pack_of("Kit Kerr");
    let lamb = pdf.pack_of("Len Lamb");
    for text in [&kerr, &lamb] {
        assert!(text.contains("6.6 mmol/L"), "{text}");
    }
    assert!(
        kerr.contains(
            "One of your blood salts (potassium) was too high. The practice has already been in \
             touch with you about it."
        ),
        "contacted today: the rule's words say so:\n{kerr}"
    );
    assert!(!lamb.contains("in touch"), "nobody was in touch with Len:\n{lamb}");
    // 6.6 is above the target of 5.5: the target's words for a value above it, never the
    // words for one within it.
    let potassium = |name: &str| -> String {
        let letter = prepared.letters.iter().find(|l| l.recipient.name == name).unwrap();
        let row = letter
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(table) => Some(table.sections.iter().flat_map(|s| s.rows.iter())),
                _ => None,
            })
            .flatten()
            .find(|row| row[0][0].starts_with("Potassium"))
            .expect("a potassium row");
        row[4].join(" ")
    };
    assert_eq!(
        potassium("Len Lamb"),
        "One of your blood salts (potassium) was a little high. We may check it again; this is \
         something we can talk about together.",
        "a potassium of 6.6 acknowledged with no action is above the target: the pack must not \
         say it was not raised"
    );
    assert!(!lamb.contains("Your potassium level was not raised."), "{lamb}");
}

fn approved_after_acknowledging(practice: &mut Practice, who: &str) {
    practice.route(who, TriageRole::Gp, "Dr Shah").unwrap();
    practice.approve(who).unwrap_or_else(|e| panic!("{who}: {e}"));
}

/// The rows of `packs list` with this state.
fn with_state<'a>(rows: &'a [Json], state: &str) -> Vec<&'a Json> {
    rows.iter().filter(|r| r["state"] == state).collect()
}

#[test]
fn the_packs_command_lists_prints_and_records_only_when_told() {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    sandbox.alongside_plain(&["demo", "--create", db.to_str().unwrap()]).expect_code(0);
    let listed = sandbox.alongside(&["packs", "list"]).expect_code(0).json();
    let rows = listed.as_array().expect("a JSON array").clone();
    let codes: BTreeSet<&str> = rows.iter().map(|r| r["state"].as_str().unwrap()).collect();
    for code in ["ready", "not_approved", "red_finding", "too_soon", "format", "died", "left"] {
        assert!(codes.contains(code), "the demo has a pack {code}: {codes:?}");
    }
    for row in &rows {
        assert_eq!(row["nhs_number"].as_str().unwrap().len(), 10, "{row}");
        assert_eq!(row["reason"].is_null(), row["state"] == "ready", "{row}");
    }
    let ready = with_state(&rows, "ready");
    assert!(ready.len() >= 2, "the demo has packs ready: {}", ready.len());
    assert!(ready.iter().any(|r| r["large_print"] == true), "one of them in large print");
    assert!(ready.iter().any(|r| r["conversation"].is_string()), "one with the conversation");
    let too_soon = with_state(&rows, "too_soon")[0];
    assert!(too_soon["days_until_conversation"].as_i64().unwrap() < 7, "{too_soon}");
    let held: BTreeMap<String, String> = rows
        .iter()
        .filter(|r| r["state"] != "ready")
        .map(|r| (r["nhs_number"].as_str().unwrap().into(), r["reason"].as_str().unwrap().into()))
        .collect();

    // Printed without --confirm: the PDF is written and nothing is recorded.
    let out = sandbox.path("packs.pdf");
    let printed = sandbox
        .alongside(&["packs", "print", "--out", out.to_str().unwrap()])
        .expect_code(0)
        .json();
    assert_eq!(printed["packs"], ready.len());
    assert_eq!(printed["recorded"], 0);
    assert!(printed["batch"].is_i64(), "{printed}");
    let printed_held: BTreeMap<String, String> = printed["held"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["nhs_number"].as_str().unwrap().into(), h["reason"].as_str().unwrap().into()))
        .collect();
    assert_eq!(printed_held, held, "every held review, with the list's reason");
    let pdf = PacksPdf::read(out.clone());
    assert_eq!(pdf.starts.len(), ready.len());
    let text = pdf.all();
    for row in &ready {
        let number = nhs(row["nhs_number"].as_str().unwrap()).to_string();
        assert!(text.contains(&format!("NHS number: {number}")), "{row} is printed");
    }
    for who in held.keys() {
        assert!(!text.contains(&nhs(who).to_string()), "{who} is held, yet printed");
    }
    let again = sandbox.alongside(&["packs", "list"]).expect_code(0).json();
    assert_eq!(again, listed, "printing without --confirm records nothing");

    // With --confirm, the ready packs are recorded as sent and leave the list.
    let out = sandbox.path("confirmed.pdf");
    let confirmed = sandbox
        .alongside(&["packs", "print", "--out", out.to_str().unwrap(), "--confirm"])
        .expect_code(0)
        .json();
    assert_eq!(confirmed["packs"], ready.len());
    assert_eq!(confirmed["recorded"], ready.len());
    assert_eq!(confirmed["refused"], json!([]));
    let after = sandbox.alongside(&["packs", "list"]).expect_code(0).json();
    let after = after.as_array().unwrap();
    assert!(with_state(after, "ready").is_empty(), "{after:?}");
    let still_held: BTreeSet<&str> =
        after.iter().map(|r| r["nhs_number"].as_str().unwrap()).collect();
    assert_eq!(still_held, held.keys().map(String::as_str).collect(), "the held stay held");

    // Printed again for one person who was sent theirs; refused for a bad number or a person
    // whose pack was never sent.
    let sent = ready[0]["nhs_number"].as_str().unwrap();
    let out = sandbox.path("reprint.pdf");
    let reprinted = sandbox
        .alongside(&["packs", "reprint", sent, "--out", out.to_str().unwrap()])
        .expect_code(0)
        .json();
    assert_eq!(reprinted["packs"], 1);
    assert!(PacksPdf::read(out.clone()).all().contains(&nhs(sent).to_string()));
    let bad = sandbox
        .alongside(&["packs", "reprint", "123", "--out", out.to_str().unwrap()])
        .expect_code(2);
    assert!(bad.stderr.contains("10 digits"), "{}", bad.stderr);
    let never = held.keys().next().unwrap();
    let refused = sandbox
        .alongside(&["packs", "reprint", never, "--out", out.to_str().unwrap()])
        .expect_code(2);
    assert!(refused.stderr.contains("no pack has been sent"), "{}", refused.stderr);
}

#[test]
fn the_packs_screen_prints_the_chosen_packs_and_confirms_the_batch() {
    let sandbox = Sandbox::new();
    let window = Window::open(&sandbox);
    let page = window.invoke("packs_list", json!({})).unwrap();
    let rows = page["rows"].as_array().unwrap();
    let ready: Vec<i64> =
        with_state(rows, "ready").iter().map(|r| r["cycle_id"].as_i64().unwrap()).collect();
    assert!(!ready.is_empty(), "the demo has packs ready: {page}");
    assert_eq!(page["ready"], ready.len());
    assert_eq!(page["held"], rows.len() - ready.len());
    let first_held = rows.iter().position(|r| r["state"] != "ready").unwrap_or(rows.len());
    assert!(rows[first_held..].iter().all(|r| r["state"] != "ready"), "ready rows come first");
    let held: Vec<i64> =
        rows[first_held..].iter().map(|r| r["cycle_id"].as_i64().unwrap()).collect();

    let nothing = window
        .invoke("print_packs", json!({"cycles": [], "target": sandbox.path("none.pdf")}))
        .unwrap_err();
    assert_eq!(nothing["code"], "invalid_input");
    assert_eq!(nothing["message"], "choose at least one pack to print");
    if let Some(held) = held.first() {
        let only_held = window
            .invoke("print_packs", json!({"cycles": [held], "target": sandbox.path("held.pdf")}))
            .unwrap_err();
        assert_eq!(only_held["code"], "refused");
        assert!(only_held["message"].as_str().unwrap().contains("held"), "{only_held}");
        assert!(!sandbox.path("held.pdf").exists(), "nothing written");
    }

    let target = sandbox.path("packs.pdf");
    let printed = window.invoke("print_packs", json!({"cycles": ready, "target": target})).unwrap();
    assert_eq!(printed["packs"], ready.len());
    assert_eq!(printed["file"], target.display().to_string());
    assert_eq!(PacksPdf::read(target).starts.len(), ready.len());
    let unchanged = window.invoke("packs_list", json!({})).unwrap();
    assert_eq!(unchanged["ready"], ready.len(), "printing records nothing");

    let confirmed = window.invoke("confirm_packs", json!({"batch": printed["batch"]})).unwrap();
    assert_eq!(confirmed["recorded"], ready.len());
    assert_eq!(confirmed["refused"], json!([]));
    let after = window.invoke("packs_list", json!({})).unwrap();
    assert_eq!(after["ready"], 0, "{after}");
    let twice = window.invoke("confirm_packs", json!({"batch": printed["batch"]})).unwrap_err();
    assert_eq!(twice["code"], "refused");
}
