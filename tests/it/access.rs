//! Staff accounts, signing in, the permission table as shipped and the audit trail's hash
//! chain, through the store and exchange as the window and the command line use them.

use chrono::{Duration, NaiveDateTime};

use alongside::domain::access::{Permission, Role};
use alongside::domain::audit::Break;
use alongside::exchange::access::{
    add_account, change_password, create_practice, sign_in, AccessError, DEMO_ACCOUNTS,
};
use alongside::store::{Actor, AuditFilter, Store, StoreError};

use super::support::Sandbox;

const PASSWORD: &str = "a long password";

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn practice(sandbox: &Sandbox) -> Store {
    create_practice(&sandbox.db(), "Boss", "Bea Boss", PASSWORD).unwrap()
}

fn admin() -> Actor {
    Actor::new("boss")
}

#[test]
fn a_new_practice_has_its_first_administrator_and_never_overwrites_a_file() {
    let sandbox = Sandbox::new();
    let store = practice(&sandbox);
    let accounts = store.accounts().unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!((accounts[0].username.as_str(), accounts[0].role), ("boss", Role::Administrator));
    assert!(accounts[0].password_hash.starts_with("argon2id$"));
    assert!(!accounts[0].password_hash.contains(PASSWORD));
    drop(store);
    let before = std::fs::read(sandbox.db()).unwrap();
    let again = create_practice(&sandbox.db(), "other", "Other Person", PASSWORD);
    assert!(matches!(again, Err(AccessError::Invalid(ref m)) if m.contains("already exists")));
    assert!(std::fs::read(sandbox.db()).unwrap() == before);
    let weak = create_practice(&sandbox.path("new.sqlite"), "boss", "Bea Boss", "short");
    assert!(weak.err().unwrap().to_string().contains("at least 10 characters"));
    assert!(!sandbox.path("new.sqlite").exists(), "nothing made for a refused password");
}

#[test]
fn accounts_are_added_changed_disabled_and_enabled_but_never_deleted() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let now = at("2026-11-23 09:00:00");
    add_account(&mut store, &admin(), "N.Nurse", "Nina Nurse", Role::Nurse, PASSWORD).unwrap();
    let taken = add_account(&mut store, &admin(), "n.nurse", "Other", Role::Gp, PASSWORD);
    assert!(taken.unwrap_err().to_string().contains("already an account called 'n.nurse'"));
    let signed = sign_in(&mut store, "N.NURSE", PASSWORD, "in a test", now).unwrap();
    assert_eq!((signed.username.as_str(), signed.role), ("n.nurse", Role::Nurse));

    store.write::<_, StoreError>(&admin(), |w| w.set_account_role("n.nurse", Role::Gp)).unwrap();
    store.write::<_, StoreError>(&admin(), |w| w.set_account_active("n.nurse", false)).unwrap();
    let refused = sign_in(&mut store, "n.nurse", PASSWORD, "in a test", now);
    assert!(matches!(refused, Err(AccessError::Disabled(_))), "{refused:?}");
    store.write::<_, StoreError>(&admin(), |w| w.set_account_active("n.nurse", true)).unwrap();
    change_password(&mut store, &admin(), "n.nurse", "another long one").unwrap();
    assert!(sign_in(&mut store, "n.nurse", PASSWORD, "in a test", now).is_err());
    let back = sign_in(&mut store, "n.nurse", "another long one", "in a test", now).unwrap();
    assert_eq!(back.role, Role::Gp);

    let last_admin =
        store.write::<_, StoreError>(&admin(), |w| w.set_account_active("boss", false));
    assert!(last_admin.unwrap_err().to_string().contains("only active administrator"));
    let demoted =
        store.write::<_, StoreError>(&admin(), |w| w.set_account_role("boss", Role::Nurse));
    assert!(demoted.unwrap_err().to_string().contains("only active administrator"));

    let actions: Vec<String> = store
        .audit_entries(&AuditFilter { action: Some("account".into()), ..Default::default() }, 50, 0)
        .unwrap()
        .into_iter()
        .map(|r| r.entry.action)
        .collect();
    assert_eq!(
        actions,
        [
            "account.password_changed",
            "account.enabled",
            "account.disabled",
            "account.role_changed",
            "account.added",
            "account.added"
        ]
    );
}

#[test]
fn wrong_passwords_make_further_attempts_wait_even_with_the_right_one() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    let start = at("2026-11-23 09:00:00");
    for n in 0..3 {
        let wrong = sign_in(&mut store, "boss", "not it at all", "in a test", start);
        assert!(matches!(wrong, Err(AccessError::WrongPassword)), "attempt {n}: {wrong:?}");
    }
    let waiting = sign_in(&mut store, "boss", PASSWORD, "in a test", start + Duration::seconds(2));
    match waiting {
        Err(AccessError::MustWait { seconds, .. }) => assert_eq!(seconds, 3),
        other => panic!("the fourth attempt should wait: {other:?}"),
    }
    // After the wait the right password works, and the count starts again.
    sign_in(&mut store, "boss", PASSWORD, "in a test", start + Duration::seconds(5)).unwrap();
    assert_eq!(store.sign_in_failures("boss").unwrap().0, 0);

    // An unknown username is answered like a wrong password, and counted too.
    let unknown = sign_in(&mut store, "nobody", PASSWORD, "in a test", start);
    assert!(matches!(unknown, Err(AccessError::WrongPassword)));
    assert_eq!(store.sign_in_failures("nobody").unwrap().0, 1);
    let failed = store
        .audit_entries(
            &AuditFilter { action: Some("session.sign_in_failed".into()), ..Default::default() },
            10,
            0,
        )
        .unwrap();
    assert_eq!(failed.len(), 4);
    assert!(failed[0].entry.summary.contains("'nobody' not signed in: no such account"));
    assert!(failed.iter().all(|r| !r.entry.summary.contains("not it at all")));
}

#[test]
fn the_shipped_permission_table_keeps_each_role_to_its_part() {
    let table = alongside::assets::permissions().unwrap();
    let may = |role, p| table.allows(role, p);
    assert!(may(Role::Receptionist, Permission::RecallWork));
    assert!(!may(Role::Receptionist, Permission::PeopleResults));
    assert!(may(Role::HealthcareAssistant, Permission::Contact1Record));
    assert!(!may(Role::HealthcareAssistant, Permission::FindingsAcknowledge));
    assert!(!may(Role::HealthcareAssistant, Permission::TriageReview));
    for p in [Permission::TriageReview, Permission::CareplanWrite] {
        let roles: Vec<Role> = Role::ALL.into_iter().filter(|r| may(*r, p)).collect();
        assert_eq!(roles, [Role::Nurse, Role::Gp, Role::Pharmacist], "{p:?}");
    }
    for p in [Permission::UsersManage, Permission::RulesManage, Permission::SettingsManage] {
        let roles: Vec<Role> = Role::ALL.into_iter().filter(|r| may(*r, p)).collect();
        assert_eq!(roles, [Role::Administrator], "{p:?}");
    }
    assert!(may(Role::PracticeManager, Permission::ReportsView));
    assert!(!may(Role::PracticeManager, Permission::ReportsPeople));
    assert!(!may(Role::PracticeManager, Permission::PeopleFind));
    assert_eq!(DEMO_ACCOUNTS.map(|(_, _, r)| r).to_vec(), Role::ALL.to_vec());
}

/// The README's table of who may do what is the shipped table.
#[test]
fn the_readme_lists_every_permission_with_its_roles() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let table = alongside::assets::permissions().unwrap();
    for entry in table.entries() {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", entry.permission.id())))
            .unwrap_or_else(|| panic!("README has no row for {}", entry.permission.id()));
        for role in Role::ALL {
            let cell = row.split('|').nth(2 + Role::ALL.iter().position(|r| *r == role).unwrap());
            let ticked = cell.is_some_and(|c| c.trim() == "✓");
            assert_eq!(ticked, entry.roles.contains(&role), "{row}: {}", role.id());
        }
    }
}

fn raw(sandbox: &Sandbox) -> rusqlite::Connection {
    rusqlite::Connection::open(sandbox.db()).unwrap()
}

#[test]
fn a_changed_or_removed_audit_entry_is_found_and_named() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    for n in 0..5 {
        store
            .write::<_, StoreError>(&admin(), |w| {
                w.audit("test.entry", None, &format!("entry {n}"))
            })
            .unwrap();
    }
    let whole = store.check_audit_chain().unwrap();
    assert_eq!((whole.checked, whole.first_break.clone()), (whole.last_id as u64, None));
    assert!(whole.last_id >= 7);

    // The trail refuses changes, even to a hash, and deletions.
    let conn = raw(&sandbox);
    for sql in [
        "UPDATE audit_event SET summary = 'edited' WHERE id = 3",
        "UPDATE audit_event SET hash = 'x' WHERE id = 3",
        "DELETE FROM audit_event WHERE id = 3",
    ] {
        let refused = conn.execute(sql, []).unwrap_err().to_string();
        assert!(refused.contains("the audit trail cannot be changed"), "{sql}: {refused}");
    }

    // Someone with the file drops the guard and edits an entry: the check names it.
    conn.execute_batch(
        "DROP TRIGGER audit_event_is_never_changed;
         UPDATE audit_event SET actor = 'someone else' WHERE id = 4;",
    )
    .unwrap();
    let changed = store.check_audit_chain().unwrap();
    assert_eq!(changed.first_break, Some(Break::Changed { id: 4 }));
    assert_eq!(changed.checked, 3);

    let sandbox2 = Sandbox::new();
    let store2 = practice(&sandbox2);
    for n in 0..3 {
        let mut s = Store::open(&sandbox2.db()).unwrap();
        s.write::<_, StoreError>(&admin(), |w| w.audit("test.entry", None, &format!("{n}")))
            .unwrap();
    }
    raw(&sandbox2)
        .execute_batch(
            "DROP TRIGGER audit_event_is_never_deleted; DELETE FROM audit_event WHERE id = 2;",
        )
        .unwrap();
    let removed = store2.check_audit_chain().unwrap();
    assert_eq!(removed.first_break, Some(Break::Missing { id: 3, after: 1 }));
    assert!(removed.first_break.unwrap().to_string().contains("entries 2 to 2 are missing"));
}

#[test]
fn a_trail_kept_before_the_chain_is_sealed_in_order_when_the_database_is_updated() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    for n in 0..4 {
        store
            .write::<_, StoreError>(&admin(), |w| w.audit("test.entry", None, &format!("{n}")))
            .unwrap();
    }
    let entries = store.check_audit_chain().unwrap();
    drop(store);
    // Put the database back as it was before accounts and the chain.
    raw(&sandbox)
        .execute_batch(
            "DROP TABLE staff_account; DROP TABLE sign_in_failure;
             DROP INDEX audit_event_by_actor; DROP INDEX audit_event_by_action;
             DROP TRIGGER audit_event_is_never_changed;
             ALTER TABLE audit_event DROP COLUMN hash;
             CREATE TRIGGER audit_event_is_never_changed BEFORE UPDATE ON audit_event
             BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be changed'); END;
             PRAGMA user_version = 7;",
        )
        .unwrap();
    let store = Store::open(&sandbox.db()).unwrap();
    let sealed = store.check_audit_chain().unwrap();
    assert_eq!(sealed.first_break, None);
    assert_eq!((sealed.checked, sealed.last_id), (entries.checked, entries.last_id));
    assert_eq!(sealed.last_hash, entries.last_hash, "sealed exactly as if chained all along");
    assert!(!store.has_accounts().unwrap(), "the first administrator is asked for again");
}

#[test]
fn the_audit_trail_saves_as_a_spreadsheet_that_reads_no_field_as_a_formula() {
    let sandbox = Sandbox::new();
    let mut store = practice(&sandbox);
    store
        .write::<_, StoreError>(&admin(), |w| {
            w.audit("test.entry", None, "=HYPERLINK(\"x\"), with a comma\nand a line")
        })
        .unwrap();
    let file = sandbox.path("audit.csv");
    let written = alongside::exchange::access::export_audit(
        &mut store,
        &admin(),
        &AuditFilter::default(),
        &file,
    )
    .unwrap();
    assert_eq!(written, 3, "the administrator added, the practice made, the test entry");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.starts_with("\u{feff}id,at,user,action,nhs_number,name,summary\r\n"), "{text}");
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let summaries: Vec<String> =
        reader.records().map(|r| r.unwrap().get(6).unwrap().to_string()).collect();
    assert_eq!(summaries[0], "'=HYPERLINK(\"x\"), with a comma\nand a line");
    let exported = store
        .audit_entries(&AuditFilter { action: Some("audit".into()), ..Default::default() }, 5, 0)
        .unwrap();
    assert_eq!(exported.len(), 1, "the export is itself in the trail");
    assert!(exported[0].entry.summary.starts_with("3 audit entries written to"));
}
