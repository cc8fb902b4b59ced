//! Printed invitations read back with poppler: page counts, each letter on an odd page, the
//! right person and their own checks in real text, large print at 16 point, and who is left out.

use std::path::Path;
use std::process::Command;

use chrono::NaiveDate;

use alongside::domain::calendar::YearMonth;
use alongside::exchange::recall::prepare_invitations;
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::store::{Actor, Store};

use super::support::{catalogue, fill_in_letterhead, Sandbox};

const REGISTER: &str = "nhs_number,family_name,given_name,date_of_birth,conditions,address_line_1,town,postcode,communication_needs\n\
    9990000018,Adams,Amy,1950-03-02,44054006,1 Mill Lane,Ashby Marsh,AM1 1AB,large_print\n\
    9990000026,Brown,Bill,1951-03-12,195967001,2 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000034,Clark,Cat,1952-03-22,38341003;44054006;13645005,3 Mill Lane,Ashby Marsh,AM1 1AB,\n\
    9990000042,Dunn,Dev,1953-03-30,13645005,,,,\n\
    9990000050,Ellis,Eve,1954-03-01,44054006,5 Mill Lane,Ashby Marsh,AM1 1AB,braille\n";

fn prepared(sandbox: &Sandbox) -> alongside::exchange::recall::PreparedInvitations {
    let mut store = Store::open(&sandbox.db()).unwrap();
    let today = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let file = RegisterFile::read(REGISTER.as_bytes()).unwrap();
    import_register(&mut store, &Actor::new("t"), &catalogue(), today, &file, "r.csv", false)
        .unwrap();
    fill_in_letterhead(&mut store);
    let texts = alongside::assets::invitation_texts().unwrap();
    let month = YearMonth::new(2027, 3).unwrap();
    prepare_invitations(
        &store,
        &catalogue(),
        &texts,
        month,
        today,
        today.and_hms_opt(9, 30, 0).unwrap(),
    )
    .unwrap()
}

pub(super) fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs (install poppler-utils: .ci/setup): {e}"));
    assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

pub(super) fn page_text(pdf: &Path, page: usize) -> String {
    let n = page.to_string();
    poppler("pdftotext", &["-layout", "-f", &n, "-l", &n], pdf)
}

pub(super) fn page_count(pdf: &Path) -> usize {
    let output = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo runs");
    let info = String::from_utf8(output.stdout).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

#[test]
fn each_letter_starts_on_an_odd_page_and_names_its_person_and_their_checks() {
    let sandbox = Sandbox::new();
    let prepared = prepared(&sandbox);
    let pdf = sandbox.write("letters.pdf", &prepared.pdf);
    assert_eq!(prepared.items.len(), 3, "Adams, Brown and Clark");
    let pages = page_count(&pdf);
    assert_eq!(pages % 2, 0, "the batch is whole sheets");
    let starts: Vec<(usize, String)> = (1..=pages)
        .filter_map(|p| {
            let text = page_text(&pdf, p);
            text.contains("Page 1 of").then_some((p, text))
        })
        .collect();
    assert_eq!(starts.len(), 3, "three letters");
    for (page, _) in &starts {
        assert_eq!(page % 2, 1, "a letter starts on page {page}, an even page");
    }
    let letter =
        |name: &str| starts.iter().find(|(_, t)| t.contains(name)).map(|(_, t)| t.clone()).unwrap();
    let adams = letter("Amy Adams");
    assert!(
        adams.contains("NHS number: 999 000 0018")
            && adams.contains("1 Mill Lane")
            && adams.contains("AM1 1AB")
    );
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat(&adams).contains("You live with type 2 diabetes"),
        "names her condition in plain English"
    );
    let adams_all: String = (starts[0].0..starts[1].0).map(|p| page_text(&pdf, p)).collect();
    let brown = letter("Bill Brown");
    let clark = letter("Cat Clark");
    assert!(flat(&adams_all).contains("a check of your feet"), "diabetes needs a foot check");
    assert!(
        !flat(&brown).contains("feet") && flat(&brown).contains("inhaler"),
        "asthma alone does not: {brown}"
    );
    assert!(
        flat(&clark).contains("a breathing test") && flat(&clark).contains("a check of your feet")
    );
    assert_eq!(
        flat(&clark).matches("a blood test").count(),
        1,
        "a check shared by two conditions is listed once"
    );
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    assert!(info.contains("2027"), "the PDF carries the date it was made, not 1970: {info}");
}

#[test]
fn large_print_is_at_least_16_point() {
    let sandbox = Sandbox::new();
    let prepared = prepared(&sandbox);
    assert_eq!(prepared.large_print, 1);
    let pdf = sandbox.write("letters.pdf", &prepared.pdf);
    let layout = poppler("pdftotext", &["-bbox-layout"], &pdf);
    // DejaVu Sans lines are 1.164 times their point size from top to bottom.
    let median_size = |page: &str| {
        let mut heights: Vec<f32> = page
            .split("<line ")
            .skip(1)
            .filter_map(|line| {
                let attr = |name: &str| -> Option<f32> {
                    line.split(&format!("{name}=\"")).nth(1)?.split('"').next()?.parse().ok()
                };
                Some((attr("yMax")? - attr("yMin")?) / 1.164)
            })
            .collect();
        heights.sort_by(f32::total_cmp);
        heights[heights.len() / 2]
    };
    let pages: Vec<&str> = layout.split("<page ").skip(1).collect();
    let adams = pages.iter().position(|p| p.contains("Amy")).unwrap();
    let brown = pages.iter().position(|p| p.contains("Bill")).unwrap();
    assert!(
        median_size(pages[adams]) >= 15.9,
        "large print body text: {}",
        median_size(pages[adams])
    );
    assert!(median_size(pages[brown]) < 12.0, "standard print: {}", median_size(pages[brown]));
}

#[test]
fn people_no_letter_can_reach_are_left_out_with_the_reason() {
    let sandbox = Sandbox::new();
    let prepared = prepared(&sandbox);
    let skipped: Vec<(&str, &str)> =
        prepared.skipped.iter().map(|s| (s.nhs_number.as_str(), s.reason.as_str())).collect();
    assert_eq!(
        skipped,
        [
            ("9990000042", "no postal address is recorded"),
            ("9990000050", "needs braille, which Alongside cannot print: send an accessible invitation by hand"),
        ]
    );
}

#[test]
fn the_practice_logo_heads_every_letter() {
    let sandbox = Sandbox::new();
    let logo = alongside::domain::practice::Logo::from_png(
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/logo.png")).unwrap(),
    )
    .unwrap();
    {
        let mut store = Store::open(&sandbox.db()).unwrap();
        store
            .write::<_, alongside::store::StoreError>(&Actor::new("t"), |w| w.set_logo(Some(&logo)))
            .unwrap();
    }
    let prepared = prepared(&sandbox);
    let pdf = sandbox.write("letters.pdf", &prepared.pdf);
    std::fs::copy(&pdf, Path::new(env!("CARGO_TARGET_TMPDIR")).join("letters-with-logo.pdf"))
        .unwrap();
    let output = Command::new("pdfimages").arg("-list").arg(&pdf).output().expect("pdfimages runs");
    let images = String::from_utf8(output.stdout).unwrap();
    let pages_with_image: Vec<usize> =
        images.lines().skip(2).filter_map(|l| l.split_whitespace().next()?.parse().ok()).collect();
    let starts: Vec<usize> =
        (1..=page_count(&pdf)).filter(|p| page_text(&pdf, *p).contains("Page 1 of")).collect();
    assert_eq!(
        pages_with_image, starts,
        "the logo is on the first page of each letter, and only there"
    );
}

#[test]
fn a_big_batch_made_on_several_cores_is_one_pdf_with_every_page_in_order() {
    // Enough pages for the PDF to be made in parts and joined: each letter must still be on
    // its own pages, in order, with its own name, and the fonts must still show.
    let sandbox = Sandbox::new();
    assert_eq!(prepared(&sandbox).items.len(), 3);
    let texts = alongside::assets::invitation_texts().unwrap();
    let store = Store::open(&sandbox.db()).unwrap();
    let settings = store.practice_settings(&catalogue()).unwrap();
    let today = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let person = store.all_patients().unwrap().into_iter().next().unwrap().details;
    let letters: Vec<_> = (0..60)
        .map(|n| {
            let mut letter = alongside::domain::invitation::invitation_letter(
                &person,
                1,
                None,
                &catalogue(),
                &texts,
                &settings,
                today,
            )
            .unwrap();
            letter.recipient.name = format!("Person Number{n:03}");
            letter
        })
        .collect();
    let rendered = alongside::documents::letters_pdf(
        &letters,
        "big batch",
        today.and_hms_opt(9, 0, 0).unwrap(),
    );
    assert!(rendered.pages >= 64, "{} pages: too few to be made in parts", rendered.pages);
    let pdf = sandbox.write("big.pdf", &rendered.pdf);
    assert_eq!(page_count(&pdf), rendered.pages);
    let text = poppler("pdftotext", &[], &pdf);
    let pages: Vec<&str> = text.split('\u{c}').collect();
    for (n, first) in rendered.first_pages.iter().enumerate() {
        assert_eq!(first % 2, 1, "letter {n} starts on an odd page");
        let page = pages[first - 1];
        assert!(page.contains(&format!("Person Number{n:03}")), "page {first}: {page}");
        assert!(page.contains("Page 1 of"), "page {first}");
    }
    let fonts = Command::new("pdffonts")
        .args(["-f", "1", "-l", &rendered.pages.to_string()])
        .arg(&pdf)
        .output()
        .expect("pdffonts runs");
    let fonts = String::from_utf8(fonts.stdout).unwrap();
    assert!(fonts.matches("DejaVuSans").count() >= 2, "each part keeps its fonts: {fonts}");
}
