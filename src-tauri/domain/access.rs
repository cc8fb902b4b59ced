//! Who may do what: the staff roles, the permissions each command needs, the table that says
//! which roles have which (`assets/access/permissions.json`, data a practice can read), how a
//! password is kept (Argon2id, never the password itself) and how repeated wrong passwords slow
//! further attempts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDateTime};
use serde::Deserialize;

use super::backup::{from_hex_vec, to_hex};

/// A staff member's role. Fixed: the permission table says what each may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Administrator,
    Receptionist,
    HealthcareAssistant,
    Nurse,
    Gp,
    Pharmacist,
    PracticeManager,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Administrator,
        Role::Receptionist,
        Role::HealthcareAssistant,
        Role::Nurse,
        Role::Gp,
        Role::Pharmacist,
        Role::PracticeManager,
    ];

    /// The role as stored and typed: `administrator`, `receptionist`, `hca`, `nurse`, `gp`,
    /// `pharmacist`, `practice_manager`.
    pub fn id(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Receptionist => "receptionist",
            Role::HealthcareAssistant => "hca",
            Role::Nurse => "nurse",
            Role::Gp => "gp",
            Role::Pharmacist => "pharmacist",
            Role::PracticeManager => "practice_manager",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Administrator => "Administrator",
            Role::Receptionist => "Recall coordinator or receptionist",
            Role::HealthcareAssistant => "Healthcare assistant",
            Role::Nurse => "Nurse",
            Role::Gp => "GP",
            Role::Pharmacist => "Pharmacist",
            Role::PracticeManager => "Practice manager",
        }
    }

    pub fn parse(text: &str) -> Result<Role, String> {
        let wanted = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Role::ALL.into_iter().find(|r| r.id() == wanted).ok_or_else(|| {
            format!(
                "'{}' is not a role: use one of {}",
                text.trim(),
                Role::ALL.map(Role::id).join(", ")
            )
        })
    }
}

/// What a command needs before it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Permission {
    PeopleFind,
    PeopleResults,
    RegisterImport,
    RegisterExport,
    ResultsImport,
    RecallWork,
    Contact1Record,
    TriageReview,
    FindingsAcknowledge,
    PacksPrint,
    CareplanView,
    CareplanWrite,
    DirectoryView,
    DirectoryManage,
    FeedbackEnter,
    ReportsView,
    ReportsPeople,
    RulesManage,
    SettingsManage,
    UsersManage,
    AuditView,
    BackupMake,
    BackupRestore,
}

impl Permission {
    pub const ALL: [Permission; 23] = [
        Permission::PeopleFind,
        Permission::PeopleResults,
        Permission::RegisterImport,
        Permission::RegisterExport,
        Permission::ResultsImport,
        Permission::RecallWork,
        Permission::Contact1Record,
        Permission::TriageReview,
        Permission::FindingsAcknowledge,
        Permission::PacksPrint,
        Permission::CareplanView,
        Permission::CareplanWrite,
        Permission::DirectoryView,
        Permission::DirectoryManage,
        Permission::FeedbackEnter,
        Permission::ReportsView,
        Permission::ReportsPeople,
        Permission::RulesManage,
        Permission::SettingsManage,
        Permission::UsersManage,
        Permission::AuditView,
        Permission::BackupMake,
        Permission::BackupRestore,
    ];

    /// The permission's id in the table, such as `people.find`.
    pub fn id(self) -> &'static str {
        match self {
            Permission::PeopleFind => "people.find",
            Permission::PeopleResults => "people.results",
            Permission::RegisterImport => "register.import",
            Permission::RegisterExport => "register.export",
            Permission::ResultsImport => "results.import",
            Permission::RecallWork => "recall.work",
            Permission::Contact1Record => "contact1.record",
            Permission::TriageReview => "triage.review",
            Permission::FindingsAcknowledge => "findings.acknowledge",
            Permission::PacksPrint => "packs.print",
            Permission::CareplanView => "careplan.view",
            Permission::CareplanWrite => "careplan.write",
            Permission::DirectoryView => "directory.view",
            Permission::DirectoryManage => "directory.manage",
            Permission::FeedbackEnter => "feedback.enter",
            Permission::ReportsView => "reports.view",
            Permission::ReportsPeople => "reports.people",
            Permission::RulesManage => "rules.manage",
            Permission::SettingsManage => "settings.manage",
            Permission::UsersManage => "users.manage",
            Permission::AuditView => "audit.view",
            Permission::BackupMake => "backup.make",
            Permission::BackupRestore => "backup.restore",
        }
    }
}

/// What a command needs: nothing (signing in), a signed-in user of any role, or a permission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    Nobody,
    SignedIn,
    Permission(Permission),
}

/// One permission as the table describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionEntry {
    pub permission: Permission,
    pub what: String,
    pub roles: BTreeSet<Role>,
}

/// Which roles have which permissions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionTable {
    entries: Vec<PermissionEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[allow(dead_code)]
    about: String,
    roles: Vec<RoleFile>,
    permissions: Vec<PermissionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleFile {
    id: String,
    #[allow(dead_code)]
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PermissionFile {
    id: String,
    what: String,
    roles: Vec<String>,
}

impl PermissionTable {
    /// Reads the table, refusing one that misses a permission, names an unknown one or an
    /// unknown role, or gives a permission to no one.
    pub fn parse(text: &str) -> Result<PermissionTable, String> {
        let file: TableFile =
            serde_json::from_str(text).map_err(|e| format!("the permission table: {e}"))?;
        let roles: BTreeSet<String> = file.roles.iter().map(|r| r.id.clone()).collect();
        let known: BTreeSet<&str> = Role::ALL.iter().map(|r| r.id()).collect();
        if roles.iter().map(String::as_str).collect::<BTreeSet<_>>() != known {
            return Err(format!(
                "the permission table must list exactly the roles {}",
                Role::ALL.map(Role::id).join(", ")
            ));
        }
        let mut entries: BTreeMap<Permission, PermissionEntry> = BTreeMap::new();
        for p in file.permissions {
            let permission =
                Permission::ALL.into_iter().find(|k| k.id() == p.id).ok_or_else(|| {
                    format!("the permission table names '{}', which Alongside does not know", p.id)
                })?;
            let roles = p
                .roles
                .iter()
                .map(|r| Role::parse(r).map_err(|e| format!("permission {}: {e}", p.id)))
                .collect::<Result<BTreeSet<_>, _>>()?;
            if roles.is_empty() {
                return Err(format!("permission {} is given to no role", p.id));
            }
            let entry = PermissionEntry { permission, what: p.what, roles };
            if entries.insert(permission, entry).is_some() {
                return Err(format!("the permission table lists {} twice", p.id));
            }
        }
        if let Some(missing) = Permission::ALL.iter().find(|p| !entries.contains_key(p)) {
            return Err(format!("the permission table does not say who may {}", missing.id()));
        }
        Ok(PermissionTable { entries: entries.into_values().collect() })
    }

    pub fn allows(&self, role: Role, permission: Permission) -> bool {
        self.entries.iter().any(|e| e.permission == permission && e.roles.contains(&role))
    }

    /// Whether `role` may run a command needing `need` (signed in: `role` is `Some`).
    pub fn permits(&self, role: Option<Role>, need: Need) -> bool {
        match (need, role) {
            (Need::Nobody, _) => true,
            (_, None) => false,
            (Need::SignedIn, Some(_)) => true,
            (Need::Permission(p), Some(role)) => self.allows(role, p),
        }
    }

    pub fn entries(&self) -> &[PermissionEntry] {
        &self.entries
    }

    /// The permissions a role has, in table order.
    pub fn of(&self, role: Role) -> Vec<Permission> {
        self.entries.iter().filter(|e| e.roles.contains(&role)).map(|e| e.permission).collect()
    }
}

/// Why something was refused, in words for the person refused.
pub fn refusal(role: Option<Role>, need: Need, table: &PermissionTable) -> String {
    match (need, role) {
        (_, None) => "sign in first: only staff with an account may use Alongside".into(),
        (Need::Permission(p), Some(role)) => {
            let what = table
                .entries()
                .iter()
                .find(|e| e.permission == p)
                .map(|e| e.what.to_lowercase())
                .unwrap_or_else(|| p.id().to_string());
            format!("your role ({}) may not {what}", role.name())
        }
        _ => "not allowed".into(),
    }
}

/// A username as typed: 1 to 64 letters, digits, dots, hyphens or underscores.
pub fn check_username(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() || name.chars().count() > 64 {
        return Err("a username is 1 to 64 characters".into());
    }
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')) {
        return Err(format!(
            "'{name}' cannot be a username: use letters, digits, dots, hyphens or underscores"
        ));
    }
    Ok(name.to_ascii_lowercase())
}

/// A new password: at least 10 characters, not the username.
pub fn check_new_password(username: &str, password: &str) -> Result<(), String> {
    if password.chars().count() < 10 {
        return Err("a password must be at least 10 characters".into());
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err("a password must not be the username".into());
    }
    Ok(())
}

/// Argon2id's cost for staff passwords (19 MiB, two passes, one lane: OWASP's recommendation).
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

/// A password kept as `argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>` (hexadecimal).
pub fn hash_password(password: &str, salt: [u8; 16]) -> String {
    let hash = derive(password, &salt, MEMORY_KIB, ITERATIONS, LANES)
        .expect("Alongside's own Argon2 parameters are valid");
    format!(
        "argon2id$v=19$m={MEMORY_KIB},t={ITERATIONS},p={LANES}${}${}",
        to_hex(&salt),
        to_hex(&hash)
    )
}

/// Whether `password` is the one kept as `stored`. A kept value that cannot be read matches
/// nothing.
pub fn password_matches(password: &str, stored: &str) -> bool {
    let parts: Vec<&str> = stored.split('$').collect();
    let [kind, "v=19", params, salt, hash] = parts.as_slice() else { return false };
    if *kind != "argon2id" {
        return false;
    }
    let (mut m, mut t, mut p) = (None, None, None);
    for pair in params.split(',') {
        match pair.split_once('=') {
            Some(("m", v)) => m = v.parse::<u32>().ok(),
            Some(("t", v)) => t = v.parse::<u32>().ok(),
            Some(("p", v)) => p = v.parse::<u32>().ok(),
            _ => return false,
        }
    }
    let (Some(m), Some(t), Some(p)) = (m, t, p) else { return false };
    if !(8..=256 * 1024).contains(&m) || !(1..=16).contains(&t) || !(1..=16).contains(&p) {
        return false;
    }
    let (Some(salt), Some(hash)) = (from_hex_vec(salt), from_hex_vec(hash)) else { return false };
    match derive(password, &salt, m, t, p) {
        Ok(derived) => constant_time_eq(&derived, &hash),
        Err(_) => false,
    }
}

fn derive(password: &str, salt: &[u8], m: u32, t: u32, p: u32) -> Result<[u8; 32], String> {
    let params = argon2::Params::new(m, t, p, Some(32)).map_err(|e| e.to_string())?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    argon.hash_password_into(password.as_bytes(), salt, &mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Wrong passwords allowed in a row before each further attempt must wait.
pub const FREE_ATTEMPTS: u32 = 3;

/// How long after the last wrong password the next attempt must wait, with `failures` wrong in
/// a row: nothing for the first three, then 5 s, doubling to at most 15 minutes.
pub fn wait_after(failures: u32) -> Duration {
    if failures < FREE_ATTEMPTS {
        return Duration::zero();
    }
    let doublings = (failures - FREE_ATTEMPTS).min(10);
    Duration::seconds((5_i64 << doublings).min(15 * 60))
}

/// When the next attempt may be made, if it must wait: `None` when it may be made now.
pub fn next_attempt_at(
    failures: u32,
    last_failure: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let at = last_failure? + wait_after(failures);
    (at > now).then_some(at)
}

/// The idle time before the screen locks, in minutes: 5 unless the practice sets 1 to 60.
pub const DEFAULT_LOCK_MINUTES: u32 = 5;

pub fn check_lock_minutes(minutes: u32) -> Result<u32, String> {
    if (1..=60).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(format!("the screen locks after 1 to 60 idle minutes, not {minutes}"))
    }
}

#[cfg(test)]
mod tests;
