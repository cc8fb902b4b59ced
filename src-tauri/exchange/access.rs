//! Staff accounts and signing in, as the window and the command line use them: a new practice
//! database with its first administrator, accounts added and changed by an administrator,
//! signing in with wrong passwords slowing further attempts, the demonstration practice's
//! accounts, and the audit trail's export.

use std::path::Path;

use chacha20poly1305::aead::Generate;
use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::access::{
    check_new_password, check_username, hash_password, next_attempt_at, password_matches, Role,
};
use crate::exchange::csv_table::plain_io_error;
use crate::store::{Account, Actor, AuditFilter, AuditRow, OpenError, Store, StoreError};

/// Someone signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedIn {
    pub username: String,
    pub full_name: String,
    pub role: Role,
}

impl SignedIn {
    /// Who the audit trail records for what they do.
    pub fn actor(&self) -> Actor {
        Actor::new(&self.username)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// The same words for an unknown username and a wrong password.
    #[error("the username or password is not right")]
    WrongPassword,
    #[error(
        "too many wrong passwords for '{username}': wait until {until} (UTC) before trying again"
    )]
    MustWait { username: String, until: String, seconds: i64 },
    #[error("the account '{0}' is disabled: ask an administrator to enable it")]
    Disabled(String),
    #[error("{0}")]
    Invalid(String),
    /// Something named (a person, an account) is not there.
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Open(#[from] OpenError),
}

/// The hash kept for a new password, after checking it.
pub fn new_password_hash(username: &str, password: &str) -> Result<String, AccessError> {
    check_new_password(username, password).map_err(AccessError::Invalid)?;
    let salt = <[u8; 16]>::try_generate()
        .map_err(|_| AccessError::Invalid("the system gave no random numbers".into()))?;
    Ok(hash_password(password, salt))
}

/// Signs `username` in if the password is right and no wait is due. A wrong password, an
/// unknown username or a disabled account counts against the username; after three in a row
/// each further attempt must wait, longer each time. `now` is UTC.
pub fn sign_in(
    store: &mut Store,
    username: &str,
    password: &str,
    how: &str,
    now: NaiveDateTime,
) -> Result<SignedIn, AccessError> {
    signed_in(store, username, password, how, now, true)
}

/// Signs in for one command at the command line: as `sign_in`, but a right password is
/// recorded only when it clears wrong ones counted before, so a command that changes nothing
/// (a dry run, a read-only database) writes nothing. Whatever the command reads or changes is
/// audited under the username.
pub fn sign_in_for_command(
    store: &mut Store,
    username: &str,
    password: &str,
    how: &str,
    now: NaiveDateTime,
) -> Result<SignedIn, AccessError> {
    signed_in(store, username, password, how, now, false)
}

fn signed_in(
    store: &mut Store,
    username: &str,
    password: &str,
    how: &str,
    now: NaiveDateTime,
    always_record: bool,
) -> Result<SignedIn, AccessError> {
    let typed = username.trim().to_ascii_lowercase();
    if typed.is_empty() {
        return Err(AccessError::Invalid("type your username".into()));
    }
    let (failures, last) = store.sign_in_failures(&typed)?;
    if let Some(until) = next_attempt_at(failures, last, now) {
        return Err(AccessError::MustWait {
            username: typed,
            until: until.format("%H:%M:%S").to_string(),
            seconds: (until - now).num_seconds().max(1),
        });
    }
    let account = store.account(&typed)?;
    let matches = account.as_ref().is_some_and(|a| password_matches(password, &a.password_hash));
    // A database opened read-only keeps no record of signing in, right or wrong.
    let failed = |store: &mut Store, why: &str| -> Result<(), AccessError> {
        if store.is_read_only() {
            return Ok(());
        }
        let who = Actor::new(&typed);
        store.write::<_, StoreError>(&who, |w| {
            w.record_failed_sign_in(&typed, why, now).map(|_| ())
        })?;
        Ok(())
    };
    match account {
        Some(account) if matches && account.active && store.is_read_only() => Ok(SignedIn {
            username: account.username,
            full_name: account.full_name,
            role: account.role,
        }),
        Some(account) if matches && account.active => {
            if always_record || failures > 0 {
                store.write::<_, StoreError>(&Actor::new(&account.username), |w| {
                    w.record_signed_in(&account.username, how)
                })?;
            }
            Ok(SignedIn {
                username: account.username,
                full_name: account.full_name,
                role: account.role,
            })
        }
        Some(account) if matches => {
            failed(store, "the account is disabled")?;
            Err(AccessError::Disabled(account.username))
        }
        Some(_) => {
            failed(store, "wrong password")?;
            Err(AccessError::WrongPassword)
        }
        None => {
            failed(store, "no such account")?;
            Err(AccessError::WrongPassword)
        }
    }
}

/// A new account, its details checked and its password kept as a hash.
pub fn add_account(
    store: &mut Store,
    actor: &Actor,
    username: &str,
    full_name: &str,
    role: Role,
    password: &str,
) -> Result<Account, AccessError> {
    let username = check_username(username).map_err(AccessError::Invalid)?;
    let hash = new_password_hash(&username, password)?;
    store.write::<_, StoreError>(actor, |w| w.add_account(&username, full_name, role, &hash))?;
    store.account(&username)?.ok_or_else(|| AccessError::Invalid("the account was not kept".into()))
}

/// Sets a new password for an account.
pub fn change_password(
    store: &mut Store,
    actor: &Actor,
    username: &str,
    password: &str,
) -> Result<(), AccessError> {
    let username = check_username(username).map_err(AccessError::Invalid)?;
    let hash = new_password_hash(&username, password)?;
    store.write::<_, StoreError>(actor, |w| w.set_account_password(&username, &hash))?;
    Ok(())
}

/// Makes a new practice database at `path` with its first administrator. Refuses a path where
/// a file already is: nothing is ever overwritten.
pub fn create_practice(
    path: &Path,
    username: &str,
    full_name: &str,
    password: &str,
) -> Result<Store, AccessError> {
    if path.exists() {
        return Err(AccessError::Invalid(format!(
            "{} already exists: a new practice database needs a new file",
            path.display()
        )));
    }
    let username = check_username(username).map_err(AccessError::Invalid)?;
    let hash = new_password_hash(&username, password)?;
    let mut store = Store::open(path)?;
    store.write::<_, StoreError>(&Actor::new(&username), |w| {
        w.add_account(&username, full_name, Role::Administrator, &hash)?;
        w.audit(
            "practice.created",
            None,
            &format!("new practice database with '{username}' as its first administrator"),
        )
    })?;
    Ok(store)
}

/// The demonstration practice's accounts: one per role, each password `alongside-` and the
/// username. Documented in README; never for a real practice.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 7] = [
    ("admin", "Alex Admin", Role::Administrator),
    ("reception", "Rita Reception", Role::Receptionist),
    ("hca", "Harry Assistant", Role::HealthcareAssistant),
    ("nurse", "Nina Nurse", Role::Nurse),
    ("gp", "Dr Gita Patel", Role::Gp),
    ("pharmacist", "Phil Pharmacist", Role::Pharmacist),
    ("manager", "Mo Manager", Role::PracticeManager),
];

/// The demonstration password of a demonstration account.
pub fn demo_password(username: &str) -> String {
    format!("alongside-{username}")
}

/// Adds the demonstration accounts.
pub fn add_demo_accounts(store: &mut Store, actor: &Actor) -> Result<(), AccessError> {
    for (username, name, role) in DEMO_ACCOUNTS {
        if store.account(username)?.is_none() {
            add_account(store, actor, username, name, role, &demo_password(username))?;
        }
    }
    Ok(())
}

/// The audit trail's filter from what the screen or the command line was given: an NHS number
/// (refused when it is not one, or the person is not on the register), a username (in any
/// case), an action or the start of one, and the days. `None` filters nothing.
pub fn audit_filter(
    store: &Store,
    nhs_number: Option<&str>,
    user: Option<&str>,
    action: Option<&str>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<AuditFilter, AccessError> {
    let patient_id = match nhs_number {
        Some(text) => {
            let number = crate::domain::nhs_number::NhsNumber::parse(text)
                .map_err(|e| AccessError::Invalid(e.to_string()))?;
            let row = store
                .patient(&number)?
                .ok_or_else(|| AccessError::NotFound(format!("{number} is not on the register")))?;
            Some(row.id)
        }
        None => None,
    };
    Ok(AuditFilter {
        patient_id,
        actor: user.map(|u| u.trim().to_ascii_lowercase()),
        action: action.map(str::to_string),
        from,
        to,
    })
}

/// The audit entries as CSV (UTF-8 with a byte-order mark, for Excel): id, time, user,
/// action, NHS number, name, what.
pub fn audit_csv(rows: &[AuditRow]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    writer
        .write_record(["id", "at", "user", "action", "nhs_number", "name", "summary"])
        .expect("writing to memory");
    for row in rows {
        let (nhs, name) = row.person.clone().unwrap_or_default();
        let fields = [
            row.entry.id.to_string(),
            row.entry.at.clone(),
            row.entry.actor.clone(),
            row.entry.action.clone(),
            nhs,
            name,
            row.entry.summary.clone(),
        ];
        writer.write_record(fields.iter().map(|f| not_a_formula(f))).expect("writing to memory");
    }
    let bytes = writer.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("the fields are text")
}

/// A field a spreadsheet would read as a formula (it starts `=`, `+`, `-` or `@` and is not a
/// number), written with a leading apostrophe so it is read as text.
fn not_a_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Writes the entries matching `filter` to `path` as CSV, and records the export in the trail
/// (an export of the trail is itself audited). Returns how many entries were written.
pub fn export_audit(
    store: &mut Store,
    actor: &Actor,
    filter: &AuditFilter,
    path: &Path,
) -> Result<usize, AccessError> {
    let rows = store.audit_entries(filter, u32::MAX, 0)?;
    let text = audit_csv(&rows);
    std::fs::write(path, text).map_err(|e| {
        AccessError::Invalid(format!("cannot write {}: {}", path.display(), plain_io_error(&e)))
    })?;
    store.write::<_, StoreError>(actor, |w| {
        w.audit(
            "audit.exported",
            filter.patient_id,
            &format!("{} audit entries written to {}", rows.len(), path.display()),
        )
    })?;
    Ok(rows.len())
}
