//! Backups and restores on real databases and through the binary: round trips plain and
//! encrypted, every kind of wrong file refused with the database untouched, the replaced
//! database kept, a snapshot taken while another connection writes, older and newer schemas,
//! and the automatic snapshots of each day's first start.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Days, Utc};

use alongside::domain::backup::{EXTENSION, SNAPSHOTS_KEPT};
use alongside::exchange::backup::{
    back_up, check_backup, pack_database, restore, restore_file, snapshot_list,
    take_daily_snapshot, BackupError,
};
use alongside::exchange::demo::create_demo;
use alongside::exchange::register_import::{import_register, RegisterFile};
use alongside::store::{Actor, CopyFacts, Store, StoreError};

use super::support::{catalogue, register, today, Sandbox};

const PASSPHRASE: &str = "kettle orchard ninety";

fn manager() -> Actor {
    Actor::new("Pat Manager")
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

/// A small demonstration practice with two years of reviews, so every table has rows.
fn practice(sandbox: &Sandbox) -> Store {
    let mut store = Store::open(&sandbox.db()).unwrap();
    create_demo(&mut store, &manager(), &catalogue(), today(), 40, 7, true).unwrap();
    store
}

/// Every table's row count, and the register's people (NHS number, family and given name) in
/// order: what a restore must bring back.
type Contents = (BTreeMap<String, i64>, Vec<(String, String, String)>);

fn contents(db: &Path) -> Contents {
    let conn = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let counts = tables
        .into_iter()
        .map(|t| {
            let n = conn.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0));
            (t, n.unwrap())
        })
        .collect();
    let people = conn
        .prepare("SELECT nhs_number, family_name, given_name FROM patient ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (counts, people)
}

/// What a backup brings back: everything but the audit trail and settings, which gain the
/// backup's and the restore's own entries.
fn clinical(db: &Path) -> Contents {
    let (mut counts, people) = contents(db);
    counts.remove("audit_event");
    counts.remove("setting");
    (counts, people)
}

fn audit_count(db: &Path, action: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("SELECT count(*) FROM audit_event WHERE action = ?1", [action], |r| r.get(0))
        .unwrap()
}

/// Adds one person to the register through the ordinary import.
fn add_person(store: &mut Store, row: &str) {
    let file = RegisterFile::read(register(&[row]).as_bytes()).unwrap();
    let report =
        import_register(store, &manager(), &catalogue(), today(), &file, "late.csv", false)
            .unwrap();
    assert_eq!(report.imported, 1, "{report:?}");
}

const LATE_PERSON: &str = "9998887771,Latecomer,Lola,1960-05-05,44054006";

fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn a_plain_backup_restores_the_database_as_it_was_and_keeps_the_one_it_replaced() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let before = clinical(&sandbox.db());
    let audited_before = contents(&sandbox.db()).0["audit_event"];
    assert!(before.0["patient"] >= 40 && before.0["observation"] > 0, "{:?}", before.0);

    let target = sandbox.path("riverside.alongside-backup");
    let about = back_up(&mut store, &manager(), &target, None, now()).unwrap();
    assert!(!about.encrypted);
    assert_eq!(about.people, before.0["patient"] as u64);
    assert_eq!(about.practice_name, "Riverside Surgery (demonstration)");
    assert!(about.file_bytes < about.database_bytes, "compressed: {about:?}");
    assert_eq!(audit_count(&sandbox.db(), "backup.exported"), 1, "the backup is audited");
    let last = store.last_backup().unwrap().expect("the backup is remembered");
    assert_eq!(last.file, target.display().to_string());

    // The practice carries on: someone new is registered after the backup.
    add_person(&mut store, LATE_PERSON);
    assert_ne!(clinical(&sandbox.db()), before);

    let restored = restore(&mut store, &manager(), &target, None).unwrap();
    assert_eq!(restored.about, about, "the restore describes the backup it made");
    assert_eq!(clinical(&sandbox.db()), before, "every table and person as at the backup");
    let (counts, _) = contents(&sandbox.db());
    assert_eq!(
        counts["audit_event"],
        audited_before + 1,
        "the trail as backed up, plus the restore"
    );
    assert_eq!(audit_count(&sandbox.db(), "backup.restored"), 1, "the restore is audited");

    // The store goes on with the restored database: the late person is not there.
    let late = alongside::domain::nhs_number::NhsNumber::parse("9998887771").unwrap();
    assert!(store.patient(&late).unwrap().is_none(), "the open store is the restored database");
    let last = store.last_backup().unwrap().unwrap();
    assert_eq!(last.at, about.created_at, "the restored backup counts as the last one");

    // The database it replaced is kept beside it under a dated name, with the late person.
    let kept = restored.replaced.expect("the replaced database is kept");
    assert_eq!(kept.parent(), sandbox.db().parent());
    let name = kept.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("practice-replaced-") && name.ends_with(".sqlite"), "{name}");
    let old = Store::open(&kept).expect("the kept database opens");
    assert!(old.patient(&late).unwrap().is_some(), "the kept database has the later changes");
    drop(old);
    // Nothing else is left beside them: no half-made copies.
    let left: Vec<String> = files_in(sandbox.root())
        .into_iter()
        .filter(|n| n.starts_with('.') || n.contains("restoring") || n.ends_with(".partial"))
        .collect();
    assert!(left.is_empty(), "working files left behind: {left:?}");
}

#[test]
fn an_encrypted_backup_restores_only_with_its_passphrase() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let before = clinical(&sandbox.db());
    let target = sandbox.path("sealed.alongside-backup");
    let about = back_up(&mut store, &manager(), &target, Some(PASSPHRASE), now()).unwrap();
    assert!(about.encrypted);
    let summary: String = rusqlite::Connection::open(sandbox.db())
        .unwrap()
        .query_row("SELECT summary FROM audit_event WHERE action = 'backup.exported'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        summary.contains("encrypted with a passphrase") && summary.contains("sealed"),
        "{summary}"
    );

    // A plain backup's payload inflates to the database; an encrypted one's does not.
    let inflated = |file: &Path| {
        let bytes = std::fs::read(file).unwrap();
        let frame = alongside::domain::backup::read_frame(&bytes).unwrap();
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(frame.payload).read_to_end(&mut out).map(|_| out)
    };
    let plain = sandbox.path("plain.alongside-backup");
    back_up(&mut store, &manager(), &plain, None, now()).unwrap();
    assert!(inflated(&plain).unwrap().starts_with(b"SQLite format 3\0"));
    assert!(inflated(&target).is_err(), "the encrypted payload is not readable as it stands");

    // Checked without the passphrase, only the header is read; with it, the whole.
    let checked = check_backup(&sandbox.db(), &target, None).unwrap();
    assert!(!checked.opened && checked.about.encrypted);
    assert_eq!(checked.about.people, before.0["patient"] as u64, "the header says who is inside");
    let checked = check_backup(&sandbox.db(), &target, Some(PASSPHRASE)).unwrap();
    assert!(checked.opened);

    add_person(&mut store, LATE_PERSON);
    // Spaces around a passphrase are a typing slip, not a different passphrase.
    let restored =
        restore(&mut store, &manager(), &target, Some(&format!(" {PASSPHRASE} "))).unwrap();
    assert!(restored.about.encrypted);
    assert_eq!(clinical(&sandbox.db()), before);
}

#[test]
fn a_new_passphrase_too_short_makes_no_backup() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let target = sandbox.path("short.alongside-backup");
    let error = back_up(&mut store, &manager(), &target, Some("abc"), now()).unwrap_err();
    assert!(matches!(error, BackupError::WeakPassphrase(_)), "{error}");
    assert!(error.to_string().contains("at least 8 characters"), "{error}");
    assert!(!target.exists(), "no file was written");
    assert_eq!(audit_count(&sandbox.db(), "backup.exported"), 0);
}

/// The database's files, byte for byte, with the WAL: what "nothing was changed" means.
fn database_bytes(db: &Path) -> Vec<Option<Vec<u8>>> {
    std::iter::once(db.to_path_buf())
        .chain(alongside::store::sidecars(db))
        .filter(|p| !p.to_string_lossy().ends_with("-shm"))
        .map(|p| std::fs::read(p).ok())
        .collect()
}

/// A SQLite file of the store's database at another schema version, packed as a backup whose
/// header says `header_version`.
fn packed_at_version(
    sandbox: &Sandbox,
    store: &Store,
    name: &str,
    file_version: u32,
    header_version: u32,
) -> PathBuf {
    let copy = sandbox.path(&format!("{name}.sqlite"));
    let facts = store.snapshot_into(&copy).unwrap();
    rusqlite::Connection::open(&copy)
        .unwrap()
        .pragma_update(None, "user_version", file_version)
        .unwrap();
    let target = sandbox.path(&format!("{name}.{EXTENSION}"));
    let facts = CopyFacts { schema_version: header_version, ..facts };
    pack_database(&copy, &facts, now(), None, &target).unwrap();
    std::fs::remove_file(copy).unwrap();
    target
}

#[test]
fn every_wrong_file_is_refused_with_its_reason_and_the_database_is_untouched() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let plain = sandbox.path("plain.alongside-backup");
    back_up(&mut store, &manager(), &plain, None, now()).unwrap();
    let sealed = sandbox.path("sealed.alongside-backup");
    back_up(&mut store, &manager(), &sealed, Some(PASSPHRASE), now()).unwrap();
    let good = std::fs::read(&plain).unwrap();
    let flipped = |at: usize| {
        let mut bytes = good.clone();
        bytes[at] ^= 0x01;
        bytes
    };
    let sqlite = std::fs::read(sandbox.db()).unwrap();
    let mut noise_seed = 0xBAC0_u64;
    let random = super::support::noise(&mut noise_seed, &(0..=255).collect::<Vec<u8>>(), 5000);
    let newer = packed_at_version(&sandbox, &store, "newer", 99, 99);
    let lying = packed_at_version(&sandbox, &store, "lying", 99, 6);
    let files: Vec<(&str, PathBuf, Option<&str>, &str)> = vec![
        (
            "a flipped byte in the header",
            sandbox.write("h.bin", flipped(40)),
            None,
            "is damaged: its checksum does not match",
        ),
        (
            "a flipped byte in the payload",
            sandbox.write("p.bin", flipped(good.len() / 2)),
            None,
            "is damaged: its checksum does not match",
        ),
        (
            "a flipped byte in the checksum",
            sandbox.write("c.bin", flipped(good.len() - 1)),
            None,
            "is damaged: its checksum does not match",
        ),
        (
            "a truncated file",
            sandbox.write("t.bin", &good[..good.len() * 2 / 3]),
            None,
            "is incomplete",
        ),
        (
            "an empty file",
            sandbox.write("e.bin", b""),
            None,
            "is not an Alongside backup: it is empty",
        ),
        (
            "a PDF",
            sandbox.write("letters.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
            None,
            "is not an Alongside backup: it is a PDF document",
        ),
        (
            "a plain SQLite database",
            sandbox.write("copy.sqlite", &sqlite),
            None,
            "it is a SQLite database file, not a backup",
        ),
        ("random bytes", sandbox.write("r.bin", &random), None, "is not an Alongside backup"),
        ("a backup of a newer schema", newer, None, "was made by a newer version of Alongside"),
        ("a header that hides a newer database", lying, None, "newer version of Alongside"),
        (
            "an encrypted backup with no passphrase",
            sealed.clone(),
            None,
            "is protected by a passphrase, and none was given",
        ),
        (
            "an encrypted backup with the wrong passphrase",
            sealed.clone(),
            Some("kettle orchard ninety-one"),
            "The passphrase does not open",
        ),
        (
            "a file that is not there",
            sandbox.path("missing.alongside-backup"),
            None,
            "there is no such file",
        ),
    ];
    // Some later change sits in the write-ahead log, where a careless swap would lose it.
    add_person(&mut store, LATE_PERSON);
    let before = database_bytes(&sandbox.db());
    let listed = files_in(sandbox.root());
    for (what, file, passphrase, words) in files {
        let error = restore(&mut store, &manager(), &file, passphrase).unwrap_err();
        let message = error.to_string();
        assert!(message.contains(words), "{what}: {message}");
        assert!(message.ends_with("Nothing was changed."), "{what}: {message}");
        assert!(message.contains(&file.display().to_string()), "{what} names the file: {message}");
        assert!(error.is_bad_input(), "{what}: the person can act on it");
        assert_eq!(database_bytes(&sandbox.db()), before, "{what}: the database is untouched");
        assert_eq!(files_in(sandbox.root()), listed, "{what}: nothing new beside the database");
        let late = alongside::domain::nhs_number::NhsNumber::parse("9998887771").unwrap();
        assert!(store.patient(&late).unwrap().is_some(), "{what}: the open store is unchanged");
    }
    // Checking refuses them the same way.
    let error = check_backup(&sandbox.db(), &sandbox.path("t.bin"), None).unwrap_err();
    assert!(error.to_string().contains("is incomplete"), "{error}");
    assert_eq!(audit_count(&sandbox.db(), "backup.restored"), 0, "no refused restore is audited");
}

#[test]
fn a_restore_is_refused_while_another_connection_holds_the_database() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let target = sandbox.path("b.alongside-backup");
    back_up(&mut store, &manager(), &target, None, now()).unwrap();
    add_person(&mut store, LATE_PERSON);
    // Another window or command has the database open.
    let other = Store::open(&sandbox.db()).unwrap();
    let error = restore(&mut store, &manager(), &target, None).unwrap_err();
    assert!(
        error.to_string().contains("another Alongside window or command is using the database"),
        "{error}"
    );
    assert!(error.to_string().ends_with("Nothing was changed."), "{error}");
    let late = alongside::domain::nhs_number::NhsNumber::parse("9998887771").unwrap();
    assert!(store.patient(&late).unwrap().is_some(), "the store goes on, unchanged");
    assert!(other.patient(&late).unwrap().is_some());
    let kept: Vec<String> =
        files_in(sandbox.root()).into_iter().filter(|n| n.contains("replaced")).collect();
    assert!(kept.is_empty(), "no replaced file for a restore that did not happen: {kept:?}");
    drop(other);
    // Once it is closed, the restore goes ahead.
    restore(&mut store, &manager(), &target, None).unwrap();
    assert!(store.patient(&late).unwrap().is_none());
}

#[test]
fn an_older_backup_is_restored_and_brought_up_to_date() {
    let sandbox = Sandbox::new();
    // A database made by an earlier Alongside: the first five migrations only.
    let old = sandbox.path("old.sqlite");
    {
        let conn = rusqlite::Connection::open(&old).unwrap();
        for sql in [
            include_str!("../../src-tauri/store/migrations/0001_register.sql"),
            include_str!("../../src-tauri/store/migrations/0002_cycles.sql"),
            include_str!("../../src-tauri/store/migrations/0003_observations.sql"),
            include_str!("../../src-tauri/store/migrations/0004_triage.sql"),
            include_str!("../../src-tauri/store/migrations/0005_packs.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "PRAGMA application_id = 1097625454; PRAGMA user_version = 5;
             INSERT INTO setting (key, value) VALUES ('practice_name', 'Old Mill Surgery');",
        )
        .unwrap();
    }
    let target = sandbox.path("old.alongside-backup");
    let facts =
        CopyFacts { schema_version: 5, practice_name: "Old Mill Surgery".into(), people: 0 };
    pack_database(&old, &facts, now(), None, &target).unwrap();

    let mut store = practice(&sandbox);
    let restored = restore(&mut store, &manager(), &target, None).unwrap();
    assert_eq!(restored.about.schema_version, 5);
    assert_eq!(store.practice_name().unwrap().as_deref(), Some("Old Mill Surgery"));
    let version: u32 = rusqlite::Connection::open(sandbox.db())
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, alongside::store::schema_version(), "migrated on open");
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_one_moment_of_the_database() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    // Another window writing as fast as it can: every transaction adds a pair of entries.
    let writer = {
        let (db, stop, written) = (sandbox.db(), stop.clone(), written.clone());
        std::thread::spawn(move || {
            let mut other = Store::open(&db).unwrap();
            while !stop.load(Ordering::Relaxed) {
                other
                    .write::<_, StoreError>(&Actor::new("other window"), |w| {
                        w.audit("test.pair", None, "first of a pair")?;
                        w.audit("test.pair", None, "second of a pair")
                    })
                    .unwrap();
                written.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    while written.load(Ordering::Relaxed) < 5 {
        std::thread::yield_now();
    }
    let mut seen = Vec::new();
    for i in 0..3 {
        let target = sandbox.path(&format!("busy-{i}.alongside-backup"));
        let during = written.load(Ordering::Relaxed);
        back_up(&mut store, &manager(), &target, None, now()).unwrap();
        assert!(check_backup(&sandbox.db(), &target, None).unwrap().opened, "whole and intact");
        let restored = sandbox.path(&format!("restored-{i}.sqlite"));
        restore_file(&restored, &manager(), &target, None).unwrap();
        let pairs = audit_count(&restored, "test.pair");
        assert_eq!(pairs % 2, 0, "backup {i} holds whole transactions only ({pairs} entries)");
        assert!(pairs >= 2 * during as i64, "backup {i} holds what was written before it began");
        seen.push(pairs);
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().unwrap();
    let total = audit_count(&sandbox.db(), "test.pair");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(
        total > *seen.last().unwrap(),
        "the writer carried on during and after: {seen:?} {total}"
    );
}

#[test]
fn a_restore_onto_a_new_computer_or_over_a_damaged_database_keeps_what_was_there() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let before = clinical(&sandbox.db());
    let target = sandbox.path("b.alongside-backup");
    back_up(&mut store, &manager(), &target, None, now()).unwrap();
    drop(store);

    // A new computer: no database yet.
    let fresh = sandbox.path("new-pc/practice.sqlite");
    std::fs::create_dir_all(fresh.parent().unwrap()).unwrap();
    let (_, restored) = restore_file(&fresh, &manager(), &target, None).unwrap();
    assert_eq!(restored.replaced, None);
    assert_eq!(clinical(&fresh), before);

    // A log left behind by a database that is no longer there is moved aside, not applied.
    let orphan = sandbox.path("orphan/practice.sqlite");
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(sandbox.path("orphan/practice.sqlite-wal"), b"stale log").unwrap();
    let (store, restored) = restore_file(&orphan, &manager(), &target, None).unwrap();
    let kept = restored.replaced.expect("what was there is kept");
    let mut kept_wal = kept.clone().into_os_string();
    kept_wal.push("-wal");
    assert_eq!(std::fs::read(kept_wal).unwrap(), b"stale log", "the log is kept, renamed");
    assert!(!kept.exists(), "there was no database to keep");
    drop(store);
    assert_eq!(clinical(&orphan), before, "the stale log was not applied to the restored one");

    // A database that no longer opens: kept aside byte for byte, and the backup put in place.
    let damaged = sandbox.path("damaged/practice.sqlite");
    std::fs::create_dir_all(damaged.parent().unwrap()).unwrap();
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(vec![0xAB; 8192]);
    std::fs::write(&damaged, &bytes).unwrap();
    let (store, restored) = restore_file(&damaged, &manager(), &target, None).unwrap();
    let kept = restored.replaced.expect("the damaged database is kept");
    assert_eq!(std::fs::read(&kept).unwrap(), bytes, "kept byte for byte");
    drop(store);
    assert_eq!(clinical(&damaged), before);
}

#[test]
fn the_first_start_of_each_day_takes_a_snapshot_and_the_last_fourteen_are_kept() {
    let sandbox = Sandbox::new();
    let mut store = Store::open(&sandbox.db()).unwrap();
    create_demo(&mut store, &manager(), &catalogue(), today(), 12, 3, false).unwrap();
    let first = today();
    for n in 0..20u64 {
        let day = first + Days::new(n);
        let done = take_daily_snapshot(&mut store, &manager(), day, now()).unwrap();
        let taken = done.taken.expect("the day's first start takes one");
        assert!(
            taken.ends_with(format!("snapshots/practice-{}.{EXTENSION}", day.format("%Y-%m-%d")))
        );
        assert_eq!(done.pruned.len(), usize::from(n >= 14), "day {n}");
        // Started again later the same day: nothing more.
        let again = take_daily_snapshot(&mut store, &manager(), day, now()).unwrap();
        assert_eq!(again, Default::default(), "day {n}, second start");
    }
    let kept = snapshot_list(&sandbox.db());
    assert_eq!(kept.len(), SNAPSHOTS_KEPT);
    let days: Vec<_> = kept.iter().map(|(d, _)| *d).collect();
    let newest: Vec<_> = (6..20u64).rev().map(|n| first + Days::new(n)).collect();
    assert_eq!(days, newest, "the fourteen newest, newest first");
    assert_eq!(audit_count(&sandbox.db(), "backup.snapshot"), 20, "each day's snapshot is audited");
    assert_eq!(audit_count(&sandbox.db(), "backup.exported"), 0, "a snapshot is not an export");
    assert!(store.last_backup().unwrap().is_none(), "nor does it count as a backup");
    // A snapshot is a backup like any other, plain, and restores.
    let checked = check_backup(&sandbox.db(), &kept[0].1, None).unwrap();
    assert!(checked.opened && !checked.about.encrypted);
    assert_eq!(checked.about.people, 12);
}

#[test]
fn backup_and_restore_through_the_command_line() {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    sandbox.alongside_plain(&["demo", "--create", db.to_str().unwrap()]).expect_code(0);
    let before = clinical(&db);
    let plain = sandbox.path("plain.alongside-backup");
    let sealed = sandbox.path("sealed.alongside-backup");
    let (plain_arg, sealed_arg) = (plain.to_str().unwrap(), sealed.to_str().unwrap());

    let made = sandbox.alongside(&["backup", plain_arg]).expect_code(0);
    let json = made.json();
    assert_eq!(json["encrypted"], false);
    assert_eq!(json["people"], before.0["patient"]);
    assert_eq!(json["schema_version"], alongside::store::schema_version());
    assert!(made.stderr.contains("backup of 250 people written to"), "{}", made.stderr);

    // --encrypt needs the passphrase from the environment.
    let refused = sandbox.alongside(&["backup", sealed_arg, "--encrypt"]).expect_code(2);
    assert!(refused.stderr.contains("ALONGSIDE_BACKUP_PASSPHRASE"), "{}", refused.stderr);
    assert!(!sealed.exists());
    let with = [("ALONGSIDE_BACKUP_PASSPHRASE", PASSPHRASE)];
    let made = sandbox.alongside_with(&with, &["backup", sealed_arg, "--encrypt"]).expect_code(0);
    assert_eq!(made.json()["encrypted"], true);

    // --check describes without changing anything; an encrypted one needs the passphrase.
    let foreign = sandbox.write("report.pdf", b"%PDF-1.4\n");
    let listed = files_in(sandbox.root());
    let checked = sandbox.alongside(&["restore", plain_arg, "--check"]).expect_code(0).json();
    assert_eq!(checked["practice_name"], "Riverside Surgery (demonstration)");
    assert_eq!(checked["checked"], true);
    assert_eq!(checked["restored"], false, "--check restores nothing");
    let needs = sandbox.alongside(&["restore", sealed_arg, "--check"]).expect_code(2);
    assert!(
        needs.stderr.contains("protected by a passphrase: set ALONGSIDE_BACKUP_PASSPHRASE"),
        "{}",
        needs.stderr
    );
    sandbox.alongside_with(&with, &["restore", sealed_arg, "--check"]).expect_code(0);
    let wrong = [("ALONGSIDE_BACKUP_PASSPHRASE", "not the passphrase")];
    let refused = sandbox.alongside_with(&wrong, &["restore", sealed_arg]).expect_code(2);
    assert!(refused.stderr.contains("The passphrase does not open"), "{}", refused.stderr);
    assert!(refused.stderr.contains("Nothing was changed."), "{}", refused.stderr);
    let refused = sandbox.alongside(&["restore", foreign.to_str().unwrap()]).expect_code(2);
    assert!(
        refused.stderr.contains("is not an Alongside backup: it is a PDF document"),
        "{}",
        refused.stderr
    );
    assert_eq!(files_in(sandbox.root()), listed, "checks and refusals leave nothing behind");
    assert_eq!(clinical(&db), before);

    // A person is added after the backups; the encrypted backup is restored over it.
    let late = sandbox.write("late.csv", register(&[LATE_PERSON]));
    let imported = sandbox.alongside(&["import", "register", late.to_str().unwrap()]);
    assert_eq!(imported.expect_code(0).json()["imported"], 1);
    let done = sandbox.alongside_with(&with, &["restore", sealed_arg]).expect_code(0);
    let json = done.json();
    assert_eq!(json["restored"], true);
    let kept = PathBuf::from(json["replaced"].as_str().expect("the replaced database is named"));
    assert!(kept.exists(), "{kept:?} is kept");
    assert!(done.stderr.contains("the database it replaced is kept as"), "{}", done.stderr);
    assert_eq!(clinical(&db), before, "the database is as it was at the backup");
    assert_eq!(audit_count(&db, "backup.restored"), 1);
    let people = sandbox.list(&[]);
    assert!(!super::support::numbers(&people).contains(&"9998887771".to_string()));
}

#[test]
fn the_screens_commands_make_check_and_restore_and_the_window_goes_on_with_the_restored_one() {
    use serde_json::json;
    let sandbox = Sandbox::new();
    let window = super::ipc::Window::open(&sandbox);
    window.sign_in("admin");
    let status = window.invoke("backup_status", json!({})).unwrap();
    assert_eq!(status["state"], "never");
    assert!(status["warning"].as_str().unwrap().starts_with("No backup of this database"));

    let target = sandbox.path("window.alongside-backup");
    let short = window.invoke("make_backup", json!({"target": target, "passphrase": "abc"}));
    assert_eq!(short.unwrap_err()["code"], "invalid_input");
    let made =
        window.invoke("make_backup", json!({"target": target, "passphrase": PASSPHRASE})).unwrap();
    assert_eq!(made["encrypted"], true);
    let status = window.invoke("backup_status", json!({})).unwrap();
    assert_eq!(status["state"], "recent");
    assert_eq!(status["days_since"], 0);
    assert_eq!(status["warning"], serde_json::Value::Null);
    assert_eq!(status["last_backup_file"], target.display().to_string());

    // Another window registers someone after the backup, then closes.
    add_person(&mut Store::open(&sandbox.db()).unwrap(), LATE_PERSON);

    let checked =
        window.invoke("check_backup_file", json!({"path": target, "passphrase": null})).unwrap();
    assert_eq!(
        (checked["encrypted"].as_bool(), checked["checked"].as_bool()),
        (Some(true), Some(false))
    );
    let wrong = window
        .invoke("restore_backup", json!({"path": target, "passphrase": "not the passphrase"}))
        .unwrap_err();
    assert_eq!(wrong["code"], "invalid_input");
    assert!(wrong["message"].as_str().unwrap().starts_with("The passphrase does not open"));
    let found = window.invoke("get_patient", json!({"nhsNumber": "9998887771"}));
    assert!(found.is_ok(), "a refused restore changes nothing");

    let restored =
        window.invoke("restore_backup", json!({"path": target, "passphrase": PASSPHRASE})).unwrap();
    let kept = PathBuf::from(restored["replaced"].as_str().unwrap());
    assert!(kept.exists(), "{kept:?}");
    let gone = window.invoke("get_patient", json!({"nhsNumber": "9998887771"})).unwrap_err();
    assert_eq!(gone["code"], "not_found", "the window's store is the restored database");
    let status = window.invoke("backup_status", json!({})).unwrap();
    assert_eq!(status["state"], "recent", "the backup restored from is the latest");
}
