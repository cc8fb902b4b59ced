//! The register leaves as a spreadsheet only when asked: `alongside patients export` on the
//! demo practice, each row checked against the database itself (latest review, latest plan),
//! in a form Excel reads (byte-order mark, ISO dates), audited; a file that cannot be written
//! is reported and not recorded as exported.

use std::collections::BTreeMap;

use super::support::{sql_rows, Sandbox};

fn is_iso_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() && text.len() == 10
}

#[test]
fn the_register_with_every_review_state_opens_in_excel_and_matches_the_database() {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    sandbox.alongside_plain(&["demo", "--create", db.to_str().unwrap()]).expect_code(0);
    let file = sandbox.path("register.csv");
    let reported = sandbox
        .alongside(&["patients", "export", "--out", file.to_str().unwrap()])
        .expect_code(0)
        .json();

    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a byte-order mark, for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let records: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| header.iter().cloned().zip(r.unwrap().iter().map(String::from)).collect())
        .collect();

    let everyone = sql_rows(&db, "SELECT nhs_number, status, date_of_birth FROM patient");
    assert_eq!(records.len(), everyone.len(), "registered, left and died: everyone");
    assert_eq!(reported["people"], everyone.len());

    // Each person's latest review and latest plan, read straight from the tables.
    let latest_review: BTreeMap<String, String> = sql_rows(
        &db,
        "SELECT p.nhs_number, c.status FROM patient p JOIN cycle c ON c.patient_id = p.id
         WHERE c.year = (SELECT max(year) FROM cycle WHERE patient_id = p.id)",
    )
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone()))
    .collect();
    let latest_plan: BTreeMap<String, String> = sql_rows(
        &db,
        "SELECT p.nhs_number, max(c.version) FROM patient p JOIN care_plan c ON c.patient_id = p.id
         GROUP BY p.id",
    )
    .into_iter()
    .map(|r| (r[0].clone(), r[1].clone()))
    .collect();
    let registration: BTreeMap<String, (String, String)> =
        everyone.into_iter().map(|r| (r[0].clone(), (r[1].clone(), r[2].clone()))).collect();

    let mut states = std::collections::BTreeSet::new();
    for record in &records {
        let nhs = &record["nhs_number"];
        let (status, born) = &registration[nhs];
        assert_eq!(&record["registration"], status, "{nhs}");
        assert_eq!(&record["date_of_birth"], born, "{nhs}");
        assert_eq!(
            record["review_status"],
            latest_review.get(nhs).cloned().unwrap_or_default(),
            "{nhs}"
        );
        assert_eq!(
            record["plan_version"],
            latest_plan.get(nhs).cloned().unwrap_or_default(),
            "{nhs}"
        );
        for column in [
            "date_of_birth",
            "last_invited_on",
            "contact_1_on",
            "pack_sent_on",
            "conversation_on",
            "review_closed_on",
            "plan_agreed_on",
            "next_review_on",
        ] {
            let value = &record[column];
            assert!(value.is_empty() || is_iso_date(value), "{nhs} {column}: {value}");
        }
        states.insert(record["review_status"].clone());
    }
    for state in ["invited", "triaged", "pack_sent", "plan_agreed", "declined", "pca"] {
        assert!(states.contains(state), "the demo export shows reviews {state}: {states:?}");
    }
    let sorted: Vec<(String, String)> = records
        .iter()
        .map(|r| (r["family_name"].to_lowercase(), r["given_name"].to_lowercase()))
        .collect();
    assert!(sorted.windows(2).all(|w| w[0] <= w[1]), "in name order");

    let audited =
        sql_rows(&db, "SELECT actor, summary FROM audit_event WHERE action = 'register.exported'");
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0][0], "admin");
    assert!(audited[0][1].ends_with("register.csv"), "{:?}", audited[0]);
    assert!(audited[0][1].starts_with(&format!("{} people", records.len())), "{:?}", audited[0]);
}

#[test]
fn a_register_export_that_cannot_be_written_says_so_and_is_not_recorded() {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    sandbox
        .alongside_plain(&[
            "demo",
            "--create",
            db.to_str().unwrap(),
            "--no-history",
            "--patients",
            "20",
        ])
        .expect_code(0);
    let nowhere = sandbox.path("no-such-folder/register.csv");
    let run = sandbox
        .alongside(&["patients", "export", "--out", nowhere.to_str().unwrap()])
        .expect_code(1);
    assert!(
        run.stderr.contains("could not write") && run.stderr.contains("no-such-folder"),
        "{}",
        run.stderr
    );
    let audited =
        sql_rows(&db, "SELECT count(*) FROM audit_event WHERE action = 'register.exported'");
    assert_eq!(audited[0][0], "0");
}
