//! Register import through the library: rows are all or nothing, the whole import is one
//! transaction, and every person added or changed has an audit entry written with it.

use alongside::domain::nhs_number::NhsNumber;
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::store::{Actor, Store};

use super::support::{catalogue, register, today, Sandbox, HEADER};

fn import(store: &mut Store, text: &[u8]) -> alongside::exchange::register_import::ImportReport {
    let file = RegisterFile::read(text).expect("a readable register file");
    import_register(store, &Actor::new("test"), &catalogue(), today(), &file, "test.csv", false)
        .unwrap()
}

#[test]
fn ragged_rows_and_rows_that_are_not_utf8_are_rejected_alone() {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    let mut text = format!("{HEADER}\n9990000018,Okafor,Grace,1950-03-02\n").into_bytes();
    text.extend_from_slice(b"9990000026,Nowak,Zo\xEB,1961-07-15,38341003\n");
    text.extend_from_slice(b"\n,,,,\n9990000034,Hill,Ann,1944-04-04,49436004\n");
    let report = import(&mut store, &text);
    assert_eq!(report.imported, 1, "only Ann's row is whole and valid");
    let reasons: Vec<(u64, &str)> =
        report.rejected.iter().map(|r| (r.line, r.reason.as_str())).collect();
    assert_eq!(
        reasons,
        [
            (2, "the row has 4 values but the header has 5 columns (look for a stray comma or quote)"),
            (3, "the row has characters that are not UTF-8 text: save the file as \"CSV UTF-8\""),
        ]
    );
    assert!(
        report.warnings.iter().any(|w| w == "1 empty row(s) were skipped"),
        "{:?}",
        report.warnings
    );
}

#[test]
fn line_numbers_count_lines_of_the_file_even_inside_quoted_values() {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    let text = format!(
        "{HEADER},address_line_1\n9990000018,Okafor,Grace,1950-03-02,44054006,\"Flat 1\nMill House\"\n9990000026,Nowak,Piotr,1961-07-15,1,x\n"
    );
    let report = import(&mut store, text.as_bytes());
    assert_eq!(report.rejected[0].line, 4, "Piotr's row starts on line 4 of the file");
}

#[test]
fn every_added_person_has_an_audit_entry_and_a_timeline() {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    import(
        &mut store,
        register(&[
            "9990000018,Okafor,Grace,1950-03-02,44054006",
            "9990000026,Nowak,Piotr,1961-07-15,38341003",
        ])
        .as_bytes(),
    );
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let audit: Vec<(String, String, Option<i64>)> = conn
        .prepare("SELECT actor, action, patient_id FROM audit_event ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        audit,
        [
            ("test".to_string(), "register.import".to_string(), None),
            ("test".to_string(), "register.added".to_string(), Some(1)),
            ("test".to_string(), "register.added".to_string(), Some(2)),
        ]
    );
    let timeline = store.timeline(&NhsNumber::parse("9990000026").unwrap()).unwrap();
    assert_eq!(timeline.len(), 1);
    assert!(
        timeline[0].summary.starts_with("Piotr Nowak, born 15 July 1961; from test.csv, line 3"),
        "{}",
        timeline[0].summary
    );
}

#[test]
fn an_import_that_fails_part_way_writes_nothing_at_all() {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    import(&mut store, register(&["9990000018,Okafor,Grace,1950-03-02,44054006"]).as_bytes());
    // A trigger stands in for a disk that fills up while the third person is written.
    rusqlite::Connection::open(sandbox.db())
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER fail_on_boom AFTER INSERT ON patient WHEN NEW.family_name = 'Boom'
             BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
        )
        .unwrap();
    let file = RegisterFile::read(
        register(&[
            "9990000018,Okafor,Grace,1950-03-02,44054006;195967001",
            "9990000026,Nowak,Piotr,1961-07-15,38341003",
            "9990000034,Boom,Ann,1944-04-04,49436004",
        ])
        .as_bytes(),
    )
    .unwrap();
    let failed = import_register(
        &mut store,
        &Actor::new("test"),
        &catalogue(),
        today(),
        &file,
        "t.csv",
        false,
    );
    assert!(failed.unwrap_err().to_string().contains("disk full"));
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(
        count("SELECT count(*) FROM patient"),
        1,
        "Piotr, written before the failure, is not there"
    );
    assert_eq!(count("SELECT count(*) FROM diagnosis"), 1, "Grace's asthma was not added");
    assert_eq!(
        count("SELECT count(*) FROM audit_event"),
        2,
        "no audit entry for what was not saved"
    );
}

#[test]
fn stored_condition_counts_always_match_the_diagnoses() {
    let sandbox = Sandbox::new();
    let path = sandbox.path("demo.sqlite");
    let mut store = Store::open(&path).unwrap();
    alongside::exchange::demo::create_demo(
        &mut store,
        &Actor::new("test"),
        &catalogue(),
        today(),
        400,
        3,
        true,
    )
    .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let wrong: i64 = conn
        .query_row(
            "SELECT count(*) FROM patient p WHERE p.ltc_count != (
                SELECT count(DISTINCT d.condition_id) FROM diagnosis d
                WHERE d.patient_id = p.id AND d.ended_at IS NULL AND d.condition_id != 'frailty')
             OR (p.frailty IS NULL) != NOT EXISTS (
                SELECT 1 FROM diagnosis d WHERE d.patient_id = p.id AND d.ended_at IS NULL
                AND d.condition_id = 'frailty')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wrong, 0, "ltc_count and frailty are kept in step with the diagnoses");
}

#[test]
fn conditions_no_longer_listed_are_ended_not_deleted() {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    import(
        &mut store,
        register(&["9990000018,Okafor,Grace,1950-03-02,44054006;195967001:2001-02-03"]).as_bytes(),
    );
    import(&mut store, register(&["9990000018,Okafor,Grace,1950-03-02,44054006"]).as_bytes());
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let rows: Vec<(String, Option<String>, bool)> = conn
        .prepare(
            "SELECT snomed_code, diagnosed_on, ended_at IS NOT NULL FROM diagnosis ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        [("44054006".into(), None, false), ("195967001".into(), Some("2001-02-03".into()), true)],
        "asthma is kept, marked as ended"
    );
}
