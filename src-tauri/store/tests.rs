//! Store behaviour that needs the private connection: per-connection settings, the audited
//! write path and the triggers that keep clinical rows and the audit trail.

use super::*;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.sqlite")).unwrap();
    (dir, store)
}

fn count(store: &Store, table: &str) -> i64 {
    store.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn every_connection_enforces_foreign_keys_and_waits_when_busy() {
    let (_dir, store) = open();
    let pragma = |name: &str| {
        store.conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0)).unwrap()
    };
    assert_eq!(pragma("foreign_keys"), 1);
    assert_eq!(pragma("busy_timeout"), 5000);
    let journal: String = store.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
}

#[test]
fn a_write_without_an_audit_entry_is_not_saved() {
    let (_dir, mut store) = open();
    let result = store.write(&Actor::new("t"), |w| {
        w.tx.execute("INSERT INTO setting (key, value) VALUES ('x', 'y')", [])?;
        Ok(())
    });
    assert!(matches!(result, Err(StoreError::NotAudited)));
    assert_eq!(count(&store, "setting"), 0, "the unaudited change was rolled back");
}

#[test]
fn a_failed_write_leaves_no_audit_entry() {
    let (_dir, mut store) = open();
    let result: Result<(), StoreError> = store.write(&Actor::new("t"), |w| {
        w.audit("test.action", None, "about to fail")?;
        w.tx.execute("INSERT INTO no_such_table VALUES (1)", [])?;
        Ok(())
    });
    assert!(result.is_err());
    assert_eq!(count(&store, "audit_event"), 0);
}

#[test]
fn the_audit_trail_and_clinical_rows_cannot_be_deleted_or_rewritten() {
    let (_dir, mut store) = open();
    store
        .write(&Actor::new("t"), |w| {
            w.tx.execute_batch(
                "INSERT INTO patient (id, nhs_number, family_name, given_name, sort_key,
                    date_of_birth, sex, status, ltc_count, added_at, updated_at)
                 VALUES (1, '9990000018', 'Okafor', 'Grace', 'okafor grace', '1950-03-02',
                    'female', 'registered', 1, 'now', 'now');
                 INSERT INTO diagnosis (patient_id, snomed_code, condition_id, recorded_at)
                 VALUES (1, '44054006', 'type-2-diabetes', 'now');",
            )?;
            w.audit("test.added", Some(1), "a person to try to delete")
        })
        .unwrap();
    for sql in [
        "UPDATE audit_event SET actor = 'someone else'",
        "DELETE FROM audit_event",
        "DELETE FROM patient",
        "DELETE FROM diagnosis",
    ] {
        let error = store.conn.execute(sql, []).map(|_| ()).err();
        let message = error.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("never deleted")
                || message.contains("cannot be changed")
                || message.contains("are ended"),
            "{sql}: {message:?}"
        );
    }
    assert_eq!(count(&store, "audit_event"), 1);
}

#[test]
fn the_actor_and_time_are_recorded() {
    let (_dir, mut store) = open();
    store.write(&Actor::new(" nurse.jones "), |w| w.set_practice_name("Riverside")).unwrap();
    let (actor, at): (String, String) = store
        .conn
        .query_row("SELECT actor, at FROM audit_event", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(actor, "nurse.jones");
    assert!(chrono::DateTime::parse_from_rfc3339(&at).is_ok(), "{at} is an RFC 3339 time");
    assert_eq!(store.practice_name().unwrap().as_deref(), Some("Riverside"));
}

#[test]
fn a_full_disk_a_failing_disk_and_a_read_only_file_are_told_in_plain_words() {
    let failure = |code: i32| {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None))
            .to_string()
    };
    let full = failure(rusqlite::ffi::SQLITE_FULL);
    assert!(full.starts_with("the disk is full"), "{full}");
    assert!(full.contains("nothing from this change was saved"), "{full}");
    let refused_write = failure(rusqlite::ffi::SQLITE_IOERR_WRITE);
    assert!(refused_write.contains("the disk may be full (or the file cannot grow)"));
    assert!(refused_write.contains("nothing from this change was saved"), "{refused_write}");
    let io = failure(rusqlite::ffi::SQLITE_IOERR_READ);
    assert!(io.contains("could not be read or written"), "{io}");
    let read_only = failure(rusqlite::ffi::SQLITE_READONLY);
    assert!(read_only.contains("read-only") && read_only.contains("nothing was changed"));
    let cannot_open = failure(rusqlite::ffi::SQLITE_CANTOPEN);
    assert!(cannot_open.contains("cannot be opened"), "{cannot_open}");
    let other = failure(rusqlite::ffi::SQLITE_MISMATCH);
    assert!(other.starts_with("database error: "), "{other}");
}

/// Makes a file read-only for everyone, as a practice might to protect a copy.
fn make_read_only(path: &Path) {
    let mut permissions = std::fs::metadata(path).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(path, permissions).unwrap();
}

#[test]
fn a_read_only_file_is_opened_for_reading_and_every_change_is_refused() {
    let (dir, mut store) = open();
    store.write(&Actor::new("t"), |w| w.set_practice_name("Riverside")).unwrap();
    drop(store);
    let path = dir.path().join("t.sqlite");
    make_read_only(&path);
    let before = std::fs::read(&path).unwrap();
    let mut store = Store::open(&path).unwrap();
    assert!(store.is_read_only());
    assert_eq!(store.practice_name().unwrap().as_deref(), Some("Riverside"), "reading works");
    let refused = store.write(&Actor::new("t"), |w| w.set_practice_name("Elsewhere"));
    let message = refused.unwrap_err().to_string();
    assert!(
        message.contains("is read-only") && message.contains("nothing was changed"),
        "{message}"
    );
    assert_eq!(store.practice_name().unwrap().as_deref(), Some("Riverside"));
    drop(store);
    assert!(std::fs::read(&path).unwrap() == before, "the file is exactly as it was");
}

#[test]
fn a_read_only_file_that_needs_updating_is_refused_untouched() {
    let (dir, store) = open();
    store.conn.pragma_update(None, "user_version", 5).unwrap();
    drop(store);
    let path = dir.path().join("t.sqlite");
    make_read_only(&path);
    let before = std::fs::read(&path).unwrap();
    let message = Store::open(&path).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("is read-only and must first be updated")
            && message.contains("Nothing was changed"),
        "{message}"
    );
    assert!(std::fs::read(&path).unwrap() == before, "the file is exactly as it was");
}

#[test]
fn a_database_that_cannot_grow_refuses_the_whole_change_saying_the_disk_is_full() {
    let (_dir, mut store) = open();
    let pages: i64 = store.conn.query_row("PRAGMA page_count", [], |r| r.get(0)).unwrap();
    let limit: i64 = store
        .conn
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| r.get(0))
        .unwrap();
    assert_eq!(limit, pages, "the file may not grow by a page");
    let result: Result<(), StoreError> = store.write(&Actor::new("t"), |w| {
        w.audit("test.first", None, "fits")?;
        w.audit("test.second", None, &"too much to fit ".repeat(10_000))
    });
    let message = result.unwrap_err().to_string();
    assert!(message.starts_with("the disk is full"), "{message}");
    assert!(message.contains("nothing from this change was saved"), "{message}");
    assert_eq!(count(&store, "audit_event"), 0, "not even the part that fitted");
}
