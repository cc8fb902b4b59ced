//! The store on real temporary files: the schema, migrations, and refusing files it must not
//! touch.

use alongside::store::{schema_version, OpenError, Store};

use super::support::Sandbox;

/// The schema as created by replaying every migration; `UPDATE_SNAPSHOTS=1` rewrites it.
#[test]
fn the_schema_matches_its_snapshot() {
    let sandbox = Sandbox::new();
    Store::open(&sandbox.db()).unwrap();
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let schema: Vec<String> = conn
        .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|s| s.unwrap() + ";\n")
        .collect();
    let actual = schema.join("\n");
    let snapshot = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/schema.sql");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(snapshot, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(snapshot).unwrap_or_default();
    assert!(
        actual == expected,
        "the schema differs from tests/fixtures/schema.sql. A migration was added or, worse, an \
         old one edited. Migrations are append-only; if a new one is intended, run the tests \
         with UPDATE_SNAPSHOTS=1 and review the diff.\n--- actual ---\n{actual}"
    );
}

#[test]
fn a_new_database_is_marked_as_alongside_at_the_current_version() {
    let sandbox = Sandbox::new();
    Store::open(&sandbox.db()).unwrap();
    let conn = rusqlite::Connection::open(sandbox.db()).unwrap();
    let pragma =
        |name: &str| conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(pragma("user_version"), i64::from(schema_version()));
    assert_eq!(pragma("application_id"), 0x416C_6F6E);
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
    drop(conn);
    Store::open(&sandbox.db()).expect("opening again migrates nothing and succeeds");
}

#[test]
fn an_empty_file_becomes_a_new_database() {
    let sandbox = Sandbox::new();
    let path = sandbox.write("empty.sqlite", b"");
    Store::open(&path).expect("a zero-byte file is a new database");
}

#[test]
fn a_damaged_database_is_refused_untouched() {
    let sandbox = Sandbox::new();
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(std::iter::repeat_n(0xA5, 8192));
    let path = sandbox.write("damaged.sqlite", &bytes);
    let error = Store::open(&path).err().expect("a damaged file is refused");
    assert!(matches!(error, OpenError::Damaged { .. }), "{error}");
    assert!(error.to_string().contains("is damaged"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "the damaged file is left exactly as it was");
}

#[test]
fn a_folder_or_a_missing_folder_is_refused() {
    let sandbox = Sandbox::new();
    let folder = Store::open(sandbox.root()).err().unwrap();
    assert!(matches!(folder, OpenError::IsAFolder { .. }));
    let nowhere = Store::open(&sandbox.path("no/such/folder/db.sqlite")).err().unwrap();
    assert!(nowhere.to_string().contains("does not exist"), "{nowhere}");
}

/// The report reads a large practice's reviews in parts at once, each part on a connection of
/// its own. The facts must be exactly those read in one part, in the same order; a part whose
/// connection reads another moment of the database (a change saved in between) is not used.
#[test]
fn the_report_reads_the_same_facts_in_parts_at_once_as_in_one() {
    use alongside::domain::metrics::Range;
    use alongside::domain::practice::Cohort;
    use alongside::store::{Actor, Reading};
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    let catalogue = alongside::assets::catalogue().unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    alongside::exchange::demo::create_demo(
        &mut store,
        &Actor::new("t"),
        &catalogue,
        today,
        300,
        7,
        true,
    )
    .unwrap();
    let dated = ["retinal_screening"];
    let range = Range::new(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), today).unwrap();
    let read = |readers, moment| {
        let reading = Reading { readers, part: 150, moment };
        store.report_facts_in(&range, &Cohort::AllConditions, &dated, today, reading).unwrap()
    };
    let (facts, findings, apart) = read(1, None);
    assert_eq!(apart, 0);
    assert!(facts.len() > 600, "three years of reviews: {}", facts.len());
    assert!(facts.iter().any(|f| f.plan.is_some() && f.feedback.is_some() && f.one_visit));
    assert!(facts.iter().any(|f| f.attended.is_some() && !f.one_visit));
    assert!(facts.iter().any(|f| f.cycle_id.is_none()), "someone due with no review opened");
    assert!(!findings.is_empty());

    let (in_parts, findings_in_parts, apart) = read(4, None);
    assert_eq!(apart, 3, "three parts read on connections of their own");
    assert!(in_parts == facts, "the same reviews, in the same order, with the same steps");
    assert_eq!(findings_in_parts, findings);

    let (again, findings_again, apart) = read(4, Some(-1));
    assert_eq!(apart, 0, "no part read at another moment is used");
    assert!(again == facts);
    assert_eq!(findings_again, findings);
}
