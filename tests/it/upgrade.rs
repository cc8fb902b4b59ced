//! Upgrades keep everything: a practice database made by each earlier version of Alongside
//! (`tests/fixtures/upgrade/`, one per schema version, each made by that version's own `demo`
//! command: register, reviews in every state, results, plans, audit entries) is opened by this
//! version. Every row survives exactly, a checked copy from before is kept beside it, every
//! screen's query works on it, and an update that fails leaves the file exactly as it was.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde_json::{json, Value};

use alongside::store::{Actor, OpenError, Store};

use super::ipc::Window;
use super::support::{contents, kept_every_row, Sandbox};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade")
}

/// Each fixture with the schema version it was made at, from the manifest.
fn manifest() -> Vec<(String, u32)> {
    let text = std::fs::read_to_string(fixtures().join("manifest.json")).unwrap();
    let entries: Value = serde_json::from_str(&text).unwrap();
    entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (e["file"].as_str().unwrap().to_string(), e["schema_version"].as_u64().unwrap() as u32)
        })
        .collect()
}

/// A copy of the fixture in the sandbox, as a practice would have it.
fn practice_from(sandbox: &Sandbox, file: &str) -> PathBuf {
    let db = sandbox.db();
    std::fs::copy(fixtures().join(file), &db).unwrap();
    db
}

fn invoke(window: &Window, command: &str, args: Value) -> Value {
    window.invoke(command, args.clone()).unwrap_or_else(|e| panic!("{command} {args}: {e}"))
}

/// Every screen's reads, as the role that uses each, on the upgraded database.
fn every_screen_reads(window: &Window, people: usize, version: u32) {
    let today = chrono::Local::now().date_naive();
    let month = today.format("%Y-%m").to_string();
    window.sign_in("nurse");
    let everyone = invoke(window, "search_patients", json!({"request": {"status": "all"}}));
    assert_eq!(everyone["total"], people, "version {version}: everyone is on the register");
    let mut page = 0;
    let mut numbers = Vec::new();
    loop {
        let found =
            invoke(window, "search_patients", json!({"request": {"status": "all", "page": page}}));
        let listed = found["people"].as_array().unwrap();
        if listed.is_empty() {
            break;
        }
        numbers.extend(listed.iter().map(|p| p["nhs_number"].as_str().unwrap().to_string()));
        page += 1;
    }
    assert_eq!(numbers.len(), people, "version {version}: every page of the register");
    for nhs in &numbers {
        let record = invoke(window, "get_patient", json!({"nhsNumber": nhs}));
        assert_eq!(record["nhs_number"], nhs.as_str());
        invoke(window, "get_review", json!({"nhsNumber": nhs}));
        for command in ["get_checklist", "get_triage", "get_conversation"] {
            // A person with no review at that stage is refused in words, never a failure.
            if let Err(e) = window.invoke(command, json!({"nhsNumber": nhs})) {
                assert_ne!(e["code"], "failed", "version {version}: {command} for {nhs}: {e}");
            }
        }
    }
    invoke(window, "recall_list", json!({"request": {"month": month}}));
    invoke(window, "clinic_day", json!({"date": today.to_string()}));
    invoke(window, "triage_worklist", json!({"all": true}));
    invoke(window, "packs_list", json!({}));
    invoke(window, "list_rules", json!({}));
    invoke(window, "search_directory", json!({"query": "", "includeRetired": true}));
    let from = (today - chrono::Duration::days(365)).to_string();
    let report = invoke(window, "report", json!({"from": from, "to": today.to_string()}));
    assert!(report["groups"]["all"]["figures"]["due"]["count"].is_number());
    window.sign_in("admin");
    invoke(window, "get_settings", json!({}));
    invoke(window, "backup_status", json!({}));
    invoke(window, "list_accounts", json!({}));
    let trail = invoke(window, "audit_trail", json!({"filter": {}, "offset": 0}));
    assert!(!trail["entries"].as_array().unwrap().is_empty());
    let checked = invoke(window, "verify_audit_trail", json!({}));
    assert_eq!(checked["intact"], true, "version {version}: the trail is sealed whole");
    window.sign_in("manager");
    invoke(window, "report", json!({"from": from, "to": today.to_string()}));
}

#[test]
fn a_database_from_every_earlier_version_opens_with_every_row_kept_and_a_copy_from_before() {
    let fixtures = manifest();
    let current = alongside::store::schema_version();
    let versions: Vec<u32> = fixtures.iter().map(|(_, v)| *v).collect();
    assert_eq!(versions, (1..=current).collect::<Vec<_>>(), "one fixture per schema version");
    for (file, version) in fixtures {
        let sandbox = Sandbox::new();
        let db = practice_from(&sandbox, &file);
        let before = contents(&db);
        let people = before["patient"].len();
        assert!(people >= 100, "{file}: a realistic practice");

        let mut store = Store::open(&db).unwrap_or_else(|e| panic!("{file}: {e}"));
        let after = contents(&db);
        kept_every_row(&before, &after).unwrap_or_else(|e| panic!("{file}: {e}"));
        match store.upgraded() {
            None => assert_eq!(version, current, "{file}: only the current version is not updated"),
            Some(upgrade) => {
                assert_eq!((upgrade.from, upgrade.to), (version, current), "{file}");
                let name = upgrade.kept.file_name().unwrap().to_str().unwrap();
                let today = chrono::Local::now().format("%Y-%m-%d").to_string();
                assert!(name.starts_with(&format!("practice-before-upgrade-{today}-")), "{name}");
                assert!(name.ends_with(&format!("-v{version}-to-v{current}.sqlite")), "{name}");
                assert_eq!(upgrade.kept.parent(), db.parent(), "kept beside the database");
                assert!(
                    contents(&upgrade.kept) == before,
                    "{file}: the copy is the database as it was"
                );
            }
        }
        let accounts_before = store.accounts().unwrap().len();
        if accounts_before == 0 {
            // A database from before staff accounts: its first administrator, as the window
            // would ask for, and one account per role to read every screen.
            alongside::exchange::access::add_demo_accounts(&mut store, &Actor::new("t")).unwrap();
        }
        let window = Window::on(store);
        every_screen_reads(&window, people, version);
        // The window says it was brought up to date, and where the copy is.
        let info = invoke(&window, "app_info", json!({}));
        if version < current {
            assert_eq!(info["upgraded"]["from"], version);
            assert!(info["upgraded"]["kept"].as_str().unwrap().contains("-before-upgrade-"));
        } else {
            assert_eq!(info["upgraded"], Value::Null);
        }
        drop(window);
        // Opened again, nothing more is updated or copied.
        let again = Store::open(&db).unwrap();
        assert!(again.upgraded().is_none(), "{file}: updated once");
        let copies = std::fs::read_dir(db.parent().unwrap())
            .unwrap()
            .filter(|e| {
                e.as_ref().unwrap().file_name().to_string_lossy().contains("before-upgrade")
            })
            .count();
        assert_eq!(copies, usize::from(version < current), "{file}: one copy from before");
    }
}

#[test]
fn the_command_line_says_the_database_was_updated_and_init_gives_it_a_first_administrator() {
    let current = alongside::store::schema_version();
    let sandbox = Sandbox::new();
    let (file, version) = manifest().into_iter().find(|(_, v)| *v == current - 1).unwrap();
    let db = practice_from(&sandbox, &file);
    let db_text = db.to_str().unwrap();
    // A practice's database from before staff accounts: `init` updates it, keeps a copy, and
    // adds its first administrator, so the command line can sign in.
    let password = "a-long-enough-password";
    let init = sandbox.alongside_anonymous_with(
        &[("ALONGSIDE_PASSWORD", password)],
        &["--db", db_text, "init", "--admin", "J.Hart", "--name", "Jo Hart"],
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(
        init.stderr.contains(&format!("(database version {version} to {current})")),
        "{}",
        init.stderr
    );
    assert!(init.stderr.contains("a copy from before was kept at"), "{}", init.stderr);
    assert!(init.stderr.contains("'j.hart' is the first administrator"), "{}", init.stderr);
    let verified = sandbox.alongside_as("j.hart", password, &["--db", db_text, "audit", "verify"]);
    assert_eq!(verified.code, 0, "{}", verified.stderr);
    assert_eq!(verified.json()["intact"], true);
    assert!(!verified.stderr.contains("brought up to date"), "updated once: {}", verified.stderr);
    let again = sandbox.alongside_anonymous_with(
        &[("ALONGSIDE_PASSWORD", password)],
        &["--db", db_text, "init", "--admin", "someone"],
    );
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("has staff accounts"), "{}", again.stderr);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.accounts().unwrap().len(), 1);
}

#[test]
fn an_update_that_fails_leaves_the_database_exactly_as_it_was_and_says_what_to_do() {
    let current = alongside::store::schema_version();
    let sandbox = Sandbox::new();
    let (file, version) = manifest().into_iter().find(|(_, v)| *v == current - 1).unwrap();
    let db = practice_from(&sandbox, &file);
    // Something in the file that the update does not expect: a table by the name it creates.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("CREATE TABLE staff_account (note TEXT)").unwrap();
    drop(conn);
    let bytes = std::fs::read(&db).unwrap();

    let error = match Store::open(&db) {
        Err(e) => e,
        Ok(_) => panic!("the update should fail"),
    };
    let OpenError::UpgradeFailed { found, known, kept, .. } = &error else { panic!("{error}") };
    assert_eq!((*found, *known), (version, current));
    let message = error.to_string();
    assert!(message.contains("left exactly as it was"), "{message}");
    assert!(message.contains("Go on using the earlier version of Alongside"), "{message}");
    assert!(std::fs::read(&db).unwrap() == bytes, "the file is byte for byte as it was");
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut beside = db.as_os_str().to_owned();
        beside.push(suffix);
        assert!(!Path::new(&beside).exists(), "nothing is left beside it ({suffix})");
    }
    let copy = Connection::open_with_flags(kept, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let copied: u32 = copy.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(copied, version, "the copy from before is the earlier version's database");
}
