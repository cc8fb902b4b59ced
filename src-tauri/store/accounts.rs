//! Staff accounts: added, changed, disabled and enabled (never deleted), and the count of wrong
//! passwords in a row that slows further attempts.

use chrono::NaiveDateTime;
use rusqlite::{params, OptionalExtension};

use super::{Store, StoreError, Write};
use crate::domain::access::Role;

/// A staff account as kept (the password only as its Argon2id hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub password_hash: String,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str =
    "id, username, full_name, role, password_hash, active, created_at, updated_at";

fn account(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Account, String>> {
    let role: String = r.get(3)?;
    let role = match Role::parse(&role) {
        Ok(role) => role,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(Account {
        id: r.get(0)?,
        username: r.get(1)?,
        full_name: r.get(2)?,
        role,
        password_hash: r.get(4)?,
        active: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    }))
}

impl Store {
    /// Every account, active ones first, by name.
    pub fn accounts(&self) -> Result<Vec<Account>, StoreError> {
        let mut statement = self.conn().prepare_cached(&format!(
            "SELECT {COLUMNS} FROM staff_account ORDER BY active DESC, full_name, username"
        ))?;
        let rows = statement.query_map([], account)?;
        let mut accounts = Vec::new();
        for row in rows {
            accounts.push(row?.map_err(StoreError::Unreadable)?);
        }
        Ok(accounts)
    }

    /// The account with this username (as typed, any case).
    pub fn account(&self, username: &str) -> Result<Option<Account>, StoreError> {
        let found = self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM staff_account WHERE username = lower(trim(?1))"
            ))?
            .query_row([username], account)
            .optional()?;
        found.transpose().map_err(StoreError::Unreadable)
    }

    /// Whether the practice has any account yet (a new database asks for its first
    /// administrator).
    pub fn has_accounts(&self) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM staff_account)", [], |r| r.get(0))?)
    }

    /// Wrong passwords in a row for this username, and when the last was given.
    pub fn sign_in_failures(
        &self,
        username: &str,
    ) -> Result<(u32, Option<NaiveDateTime>), StoreError> {
        let found: Option<(u32, String)> = self
            .conn()
            .query_row(
                "SELECT failures, last_failed_at FROM sign_in_failure
                 WHERE username = lower(trim(?1))",
                [username],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match found {
            None => Ok((0, None)),
            Some((failures, at)) => {
                let at = parse_stamp(&at)
                    .ok_or_else(|| StoreError::Unreadable(format!("'{at}' is not a time")))?;
                Ok((failures, Some(at)))
            }
        }
    }
}

/// A time as `Write` stamps it.
fn parse_stamp(text: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.naive_utc())
}

impl Write<'_> {
    /// Adds an account. The username must be new, even among disabled accounts.
    pub fn add_account(
        &mut self,
        username: &str,
        full_name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<i64, StoreError> {
        let taken: bool = self.tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM staff_account WHERE username = ?1)",
            [username],
            |r| r.get(0),
        )?;
        if taken {
            return Err(StoreError::Refused(format!(
                "there is already an account called '{username}' (accounts are never deleted: \
                 enable it again, or choose another username)"
            )));
        }
        if full_name.trim().is_empty() {
            return Err(StoreError::Refused("give the person's full name".into()));
        }
        self.tx.execute(
            "INSERT INTO staff_account (username, full_name, role, password_hash, active,
                 created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
            params![username, full_name.trim(), role.id(), password_hash, self.at],
        )?;
        let id = self.tx.last_insert_rowid();
        self.audit(
            "account.added",
            None,
            &format!("account '{username}' added for {} as {}", full_name.trim(), role.name()),
        )?;
        Ok(id)
    }

    fn changed_account(
        &mut self,
        username: &str,
        set: &str,
        value: &dyn rusqlite::ToSql,
    ) -> Result<Account, StoreError> {
        let before = self.account_for_change(username)?;
        self.tx.execute(
            &format!("UPDATE staff_account SET {set} = ?2, updated_at = ?3 WHERE id = ?1"),
            params![before.id, value, self.at],
        )?;
        Ok(before)
    }

    fn account_for_change(&self, username: &str) -> Result<Account, StoreError> {
        let found = self
            .tx
            .prepare_cached(&format!("SELECT {COLUMNS} FROM staff_account WHERE username = ?1"))?
            .query_row([username], account)
            .optional()?;
        found
            .transpose()
            .map_err(StoreError::Unreadable)?
            .ok_or_else(|| StoreError::Refused(format!("there is no account called '{username}'")))
    }

    /// Refuses a change that would leave no active administrator.
    fn keeps_an_administrator(&self, username: &str) -> Result<(), StoreError> {
        let others: i64 = self.tx.query_row(
            "SELECT count(*) FROM staff_account
             WHERE role = 'administrator' AND active = 1 AND username <> ?1",
            [username],
            |r| r.get(0),
        )?;
        if others == 0 {
            return Err(StoreError::Refused(format!(
                "'{username}' is the only active administrator: add or enable another first"
            )));
        }
        Ok(())
    }

    /// Changes an account's role.
    pub fn set_account_role(&mut self, username: &str, role: Role) -> Result<(), StoreError> {
        let account = self.account_for_change(username)?;
        if account.role == role {
            return Err(StoreError::Refused(format!("'{username}' is already {}", role.name())));
        }
        if account.role == Role::Administrator && account.active {
            self.keeps_an_administrator(username)?;
        }
        self.changed_account(username, "role", &role.id())?;
        self.audit(
            "account.role_changed",
            None,
            &format!(
                "account '{username}' changed from {} to {}",
                account.role.name(),
                role.name()
            ),
        )
    }

    /// Keeps a new password (as its hash) and clears the wrong passwords counted.
    pub fn set_account_password(
        &mut self,
        username: &str,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        self.changed_account(username, "password_hash", &password_hash)?;
        self.tx.execute("DELETE FROM sign_in_failure WHERE username = ?1", [username])?;
        self.audit(
            "account.password_changed",
            None,
            &format!("account '{username}': password changed"),
        )
    }

    /// Disables or enables an account. A disabled account cannot sign in; nothing it did is
    /// changed.
    pub fn set_account_active(&mut self, username: &str, active: bool) -> Result<(), StoreError> {
        let account = self.account_for_change(username)?;
        if account.active == active {
            let state = if active { "enabled" } else { "disabled" };
            return Err(StoreError::Refused(format!("'{username}' is already {state}")));
        }
        if !active && account.role == Role::Administrator {
            self.keeps_an_administrator(username)?;
        }
        self.changed_account(username, "active", &active)?;
        let (action, what) =
            if active { ("account.enabled", "enabled") } else { ("account.disabled", "disabled") };
        self.audit(action, None, &format!("account '{username}' {what}"))
    }

    /// Counts a wrong password (or an unknown or disabled username) against `username`, given
    /// at `when` (UTC: the time further attempts wait from).
    pub fn record_failed_sign_in(
        &mut self,
        username: &str,
        why: &str,
        when: NaiveDateTime,
    ) -> Result<u32, StoreError> {
        self.tx.execute(
            "INSERT INTO sign_in_failure (username, failures, last_failed_at) VALUES (?1, 1, ?2)
             ON CONFLICT (username) DO UPDATE SET failures = failures + 1, last_failed_at = ?2",
            params![username, super::stamp(when)],
        )?;
        let failures: u32 = self.tx.query_row(
            "SELECT failures FROM sign_in_failure WHERE username = ?1",
            [username],
            |r| r.get(0),
        )?;
        self.audit(
            "session.sign_in_failed",
            None,
            &format!("'{username}' not signed in: {why} ({failures} in a row)"),
        )?;
        Ok(failures)
    }

    /// Records a sign-in and clears the wrong passwords counted for the username.
    pub fn record_signed_in(&mut self, username: &str, how: &str) -> Result<(), StoreError> {
        self.tx.execute("DELETE FROM sign_in_failure WHERE username = ?1", [username])?;
        self.audit("session.signed_in", None, &format!("'{username}' signed in {how}"))
    }
}
