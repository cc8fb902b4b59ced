//! The steering group's printed report through the real binary on the demonstration practice:
//! one A4 page with embedded fonts and legible type, the same figures as the JSON the same
//! command prints, an empty range that says so, and nothing written or audited when it cannot
//! be.

use std::path::Path;
use std::process::Command;

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::letters::{page_count, poppler};
use super::support::{sql_rows, today, Run, Sandbox};

/// A sandbox holding the demonstration practice.
fn demo() -> Sandbox {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    sandbox.alongside_plain(&["demo", "--create", db.to_str().unwrap()]).expect_code(0);
    sandbox
}

/// The last three whole months: the quarter a practice manager would show.
fn last_quarter() -> (String, String) {
    let this_month = today().with_day(1).unwrap();
    let to = this_month.pred_opt().unwrap();
    let mut from = this_month;
    for _ in 0..3 {
        from = from.pred_opt().unwrap().with_day(1).unwrap();
    }
    (from.to_string(), to.to_string())
}

fn report(sandbox: &Sandbox, from: &str, to: &str, pdf: &Path) -> Run {
    sandbox.alongside(&["report", "--from", from, "--to", to, "--pdf", pdf.to_str().unwrap()])
}

/// The text of the PDF in the order it was drawn, with every run of white space one space.
fn text(pdf: &Path) -> String {
    poppler("pdftotext", &["-raw"], pdf).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A share as the page prints it: the report's percentage to one decimal, less a ".0".
fn percent(figure: &Value) -> String {
    let p = figure["percent"].as_f64().expect("a share of something has a percentage");
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn n_of_m(figure: &Value) -> String {
    format!("{} of {}", figure["count"], figure["out_of"])
}

/// Every word's type size on the page, in points, from its height in `pdftotext -bbox`
/// (DejaVu Sans is 1.164 times its point size from top to bottom).
fn word_sizes(pdf: &Path) -> Vec<(String, f32)> {
    let bbox = poppler("pdftotext", &["-bbox"], pdf);
    bbox.split("<word ")
        .skip(1)
        .map(|word| {
            let attr = |name: &str| -> f32 {
                word.split(&format!("{name}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            let text = word.split('>').nth(1).unwrap().split('<').next().unwrap().to_string();
            (text, (attr("yMax") - attr("yMin")) / 1.164)
        })
        .collect()
}

/// The audit entries that say a steering report was printed.
fn printed(sandbox: &Sandbox) -> Vec<String> {
    sql_rows(&sandbox.db(), "SELECT summary FROM audit_event WHERE action = 'report.printed'")
        .into_iter()
        .map(|row| row[0].clone())
        .collect()
}

#[test]
fn the_printed_report_is_one_a4_page_with_the_figures_the_command_prints() {
    let sandbox = demo();
    let (from, to) = last_quarter();
    // The demonstration practice's people returned feedback forms after their conversations.
    let pdf = sandbox.path("steering group.pdf");
    let json = report(&sandbox, &from, &to, &pdf).expect_code(0).json();
    let all = &json["groups"]["all"]["figures"];

    // One sheet of A4 turned on its side, with the fonts in the file as subsets of real text.
    assert_eq!(page_count(&pdf), 1, "the report is one page");
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    assert!(info.contains("841.89 x 595.276 pts (A4)"), "landscape A4: {info}");
    let fonts =
        String::from_utf8(Command::new("pdffonts").arg(&pdf).output().unwrap().stdout).unwrap();
    for face in ["DejaVuSans ", "DejaVuSans-Bold "] {
        let line =
            fonts.lines().find(|l| l.contains(face)).unwrap_or_else(|| panic!("{face}: {fonts}"));
        let flags: Vec<&str> = line.split_whitespace().collect();
        let n = flags.len();
        assert_eq!(flags[n - 5..n - 2], ["yes", "yes", "yes"], "embedded, subset, unicode: {line}");
    }

    // The headlines say what the JSON says, each with what it counts out of.
    let text = text(&pdf);
    assert!(
        text.contains(&format!(
            "Personalised care and support planning: {}",
            json["practice"].as_str().unwrap()
        )),
        "{text}"
    );
    let conversations = all["conversations"]["count"].as_u64().unwrap();
    assert!(conversations > 0);
    assert!(text.contains(&format!("Conversations held {conversations} people had")), "{text}");
    assert!(text.contains(&format!("Plans agreed {} ", all["plans_agreed"]["count"])), "{text}");
    let in_time = &all["pack_in_time"];
    assert!(
        text.contains(&format!(
            "Results in time {} {} conversations had",
            percent(in_time),
            n_of_m(in_time)
        )),
        "{text}"
    );
    let four = &all["plan_all_four"];
    assert!(
        text.contains(&format!("all four essentials {} {} plans:", percent(four), n_of_m(four))),
        "{text}"
    );
    let top = &all["collaborate_top_score"];
    assert!(top["out_of"].as_u64().unwrap() > 0, "the demo's forms are scored: {top}");
    assert!(
        text.contains(&format!("collaboRATE top score {} {} forms", percent(top), n_of_m(top))),
        "{text}"
    );
    let care = &all["care_mean"];
    let mean = care["value"].as_f64().unwrap();
    assert!(
        text.contains(&format!(
            "CARE measure {mean:.1} mean score (10 to 50) from {} forms",
            care["count"]
        )),
        "{text}"
    );

    // The table gives each group's figures, the same as the JSON's.
    let invited: Vec<String> = ["all", "single", "multiple", "frailty"]
        .iter()
        .map(|group| {
            let figure = &json["groups"][group]["figures"]["invited"];
            match figure["out_of"].as_u64() {
                Some(0) => "–".to_string(),
                _ => format!("{} {}", percent(figure), n_of_m(figure)),
            }
        })
        .collect();
    assert!(text.contains(&format!("Invited {}", invited.join(" "))), "{invited:?} in {text}");
    assert!(text.contains(&format!("Reviews due {} ", all["due"]["count"])), "{text}");
    assert!(!text.contains("NaN") && !text.contains("0 of 0"), "{text}");

    // Legible: nothing smaller than 8 point, the headline numbers large.
    let sizes = word_sizes(&pdf);
    let smallest = sizes.iter().map(|(_, s)| *s).fold(f32::MAX, f32::min);
    assert!(smallest >= 7.95, "the smallest type is {smallest} points");
    let held = conversations.to_string();
    let number = sizes.iter().find(|(w, _)| *w == held).expect("the number of conversations");
    assert!(number.1 >= 20.0, "a headline number is large: {} points", number.1);

    // Written, then audited with where it went; the same report is the same bytes.
    let entries = printed(&sandbox);
    assert_eq!(entries.len(), 1, "{entries:?}");
    let full = std::fs::canonicalize(&pdf).unwrap();
    assert!(entries[0].contains(&full.display().to_string()), "{}", entries[0]);
    assert!(entries[0].contains(&format!("for {from} to {to}")), "{}", entries[0]);
    let again = sandbox.path("again.pdf");
    report(&sandbox, &from, &to, &again).expect_code(0);
    assert!(std::fs::read(&pdf).unwrap() == std::fs::read(&again).unwrap(), "the same bytes");
    assert_eq!(printed(&sandbox).len(), 2, "each copy printed is audited");
}

#[test]
fn a_range_with_nothing_in_it_prints_a_page_that_says_so() {
    let sandbox = demo();
    let next_year = today().year() + 2;
    let (from, to) = (format!("{next_year}-01-01"), format!("{next_year}-03-31"));
    let pdf = sandbox.path("empty.pdf");
    let json = report(&sandbox, &from, &to, &pdf).expect_code(0).json();
    assert_eq!(json["groups"]["all"]["figures"]["conversations"]["count"], 0);
    assert_eq!(page_count(&pdf), 1);
    let text = text(&pdf);
    let start = NaiveDate::parse_from_str(&from, "%Y-%m-%d").unwrap();
    assert!(text.contains(&format!("1 January to 31 March {}", start.year())), "{text}");
    assert!(text.contains("Conversations held 0 no conversations in this range"), "{text}");
    assert!(text.contains("Results in time – no conversations in this range"), "{text}");
    assert!(text.contains("essentials – no plans agreed in this range"), "{text}");
    assert!(text.contains("No conversations in this range"), "the chart says so: {text}");
    assert!(text.contains("No conversations in these months"), "the trend says so: {text}");
    assert!(text.contains("Invited – – – –"), "a share of nobody is a dash: {text}");
    for never in ["NaN", "0 of 0", "inf"] {
        assert!(!text.contains(never), "{never} in {text}");
    }
    assert_eq!(printed(&sandbox).len(), 1);
}

#[test]
fn nothing_is_printed_or_audited_where_it_cannot_be() {
    let sandbox = demo();
    let (from, to) = last_quarter();
    // A folder that is not there: the command fails and nothing is recorded as printed.
    let nowhere = sandbox.path("no such folder").join("report.pdf");
    let refused = report(&sandbox, &from, &to, &nowhere).expect_code(1);
    assert!(refused.stderr.contains("could not write"), "{}", refused.stderr);
    assert!(refused.stdout.is_empty(), "no figures are printed for a failed command");
    assert!(printed(&sandbox).is_empty(), "nothing audited as printed");

    // A database Alongside may not write to cannot record the report leaving, so it does not.
    let db = sandbox.db();
    let mut permissions = std::fs::metadata(&db).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&db, permissions).unwrap();
    let target = sandbox.path("report.pdf");
    let refused = report(&sandbox, &from, &to, &target).expect_code(1);
    assert!(refused.stderr.contains("is read-only"), "{}", refused.stderr);
    assert!(!target.exists(), "no report leaves a database that could not record it");
    assert!(printed(&sandbox).is_empty());
}
