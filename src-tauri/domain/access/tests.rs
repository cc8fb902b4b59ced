//! Tests of the staff roles, the permission table, passwords and the wait after wrong ones.

use super::*;

fn table(permissions: &str) -> Result<PermissionTable, String> {
    let roles = Role::ALL
        .iter()
        .map(|r| format!(r#"{{"id": "{}", "name": "{}"}}"#, r.id(), r.name()))
        .collect::<Vec<_>>()
        .join(", ");
    PermissionTable::parse(&format!(
        r#"{{"about": "", "roles": [{roles}], "permissions": [{permissions}]}}"#
    ))
}

fn everything_for(roles: &str) -> String {
    Permission::ALL
        .iter()
        .map(|p| format!(r#"{{"id": "{}", "what": "Do {}", "roles": [{roles}]}}"#, p.id(), p.id()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn a_table_says_which_roles_may_do_what_and_nothing_else() {
    let t = table(&everything_for(r#""nurse", "gp""#)).unwrap();
    assert!(t.allows(Role::Nurse, Permission::TriageReview));
    assert!(!t.allows(Role::Receptionist, Permission::TriageReview));
    assert!(t.permits(None, Need::Nobody));
    assert!(!t.permits(None, Need::SignedIn));
    assert!(t.permits(Some(Role::Receptionist), Need::SignedIn));
    assert!(!t.permits(Some(Role::Receptionist), Need::Permission(Permission::PeopleFind)));
    assert_eq!(t.of(Role::Gp).len(), Permission::ALL.len());
    assert!(t.of(Role::PracticeManager).is_empty());
    let refused = refusal(Some(Role::Receptionist), Need::Permission(Permission::AuditView), &t);
    assert_eq!(refused, "your role (Recall coordinator or receptionist) may not do audit.view");
    assert!(refusal(None, Need::SignedIn, &t).starts_with("sign in first"));
}

#[test]
fn a_table_that_misses_or_invents_a_permission_or_role_is_refused() {
    let all = everything_for(r#""nurse""#);
    let missing = all.split(", {").skip(1).map(|p| format!("{{{p}")).collect::<Vec<_>>().join(", ");
    assert!(table(&missing).unwrap_err().contains("does not say who may people.find"));
    let invented = format!(r#"{all}, {{"id": "coffee.make", "what": "x", "roles": ["gp"]}}"#);
    assert!(table(&invented).unwrap_err().contains("'coffee.make'"));
    let twice = format!(r#"{all}, {{"id": "people.find", "what": "x", "roles": ["gp"]}}"#);
    assert!(table(&twice).unwrap_err().contains("twice"));
    let unknown_role = everything_for(r#""janitor""#);
    assert!(table(&unknown_role).unwrap_err().contains("'janitor' is not a role"));
    let no_one = everything_for("");
    assert!(table(&no_one).unwrap_err().contains("is given to no role"));
}

#[test]
fn roles_are_read_as_typed() {
    assert_eq!(Role::parse("Practice manager"), Ok(Role::PracticeManager));
    assert_eq!(Role::parse(" HCA "), Ok(Role::HealthcareAssistant));
    assert!(Role::parse("doctor").unwrap_err().contains("administrator, receptionist, hca"));
    for role in Role::ALL {
        assert_eq!(Role::parse(role.id()), Ok(role));
    }
}

#[test]
fn a_password_is_kept_as_an_argon2id_hash_that_only_the_password_matches() {
    let kept = hash_password("correct horse battery", [7; 16]);
    assert!(kept.starts_with("argon2id$v=19$m=19456,t=2,p=1$07070707"), "{kept}");
    assert!(!kept.contains("correct horse"));
    assert!(password_matches("correct horse battery", &kept));
    assert!(!password_matches("correct horse batterY", &kept));
    assert!(!password_matches("", &kept));
    let other_salt = hash_password("correct horse battery", [8; 16]);
    assert_ne!(kept, other_salt, "the same password kept twice looks different");
    for broken in [
        "",
        "plain",
        &kept.replace("argon2id", "argon2i"),
        &kept.replace("m=19456", "m=999999999"),
        &kept.replace("t=2", "t=two"),
        &kept[..kept.len() - 2],
    ] {
        assert!(!password_matches("correct horse battery", broken), "{broken}");
    }
}

#[test]
fn usernames_and_new_passwords_are_checked() {
    assert_eq!(check_username(" J.Smith "), Ok("j.smith".into()));
    assert!(check_username("").is_err());
    assert!(check_username("j smith").unwrap_err().contains("letters, digits"));
    assert!(check_username(&"a".repeat(65)).is_err());
    assert!(check_new_password("jsmith", "short").unwrap_err().contains("at least 10"));
    assert!(check_new_password("jsmith12345", "JSMITH12345").unwrap_err().contains("username"));
    assert!(check_new_password("jsmith", "a long enough one").is_ok());
}

#[test]
fn repeated_wrong_passwords_make_each_further_attempt_wait_longer() {
    assert_eq!(wait_after(0), Duration::zero());
    assert_eq!(wait_after(2), Duration::zero());
    assert_eq!(wait_after(3), Duration::seconds(5));
    assert_eq!(wait_after(4), Duration::seconds(10));
    assert_eq!(wait_after(6), Duration::seconds(40));
    assert_eq!(wait_after(40), Duration::minutes(15));
    let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
    let last = at("2026-11-23 09:00:00");
    assert_eq!(next_attempt_at(2, Some(last), last), None);
    assert_eq!(next_attempt_at(3, Some(last), last), Some(at("2026-11-23 09:00:05")));
    assert_eq!(next_attempt_at(3, Some(last), at("2026-11-23 09:00:05")), None);
    assert_eq!(next_attempt_at(5, None, last), None);
}

#[test]
fn the_lock_time_is_one_to_sixty_minutes() {
    assert_eq!(check_lock_minutes(5), Ok(5));
    assert!(check_lock_minutes(0).is_err());
    assert!(check_lock_minutes(61).is_err());
}
