//! The audit trail as read back: entries filtered for the Audit screen and its export, and the
//! check of the hash chain that shows no entry was changed or removed.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::{Store, StoreError};
use crate::domain::audit::{check, AuditEntry, Break, ChainState, GENESIS};

/// The last entry's id and hash (0 and the chain's start when there is none).
pub(super) fn last_link(conn: &Connection) -> Result<(i64, String), StoreError> {
    let last: Option<(i64, Option<String>)> = conn
        .query_row("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match last {
        None => Ok((0, GENESIS.to_string())),
        Some((id, Some(hash))) => Ok((id, hash)),
        Some((id, None)) => Err(StoreError::Unreadable(format!(
            "audit entry {id} has no hash, so the trail cannot be continued"
        ))),
    }
}

/// Gives every entry without a hash its hash, in order, chained from the last sealed entry
/// before it. Run when the migration that chains the trail is applied.
pub(super) fn seal(conn: &Connection) -> Result<(), rusqlite::Error> {
    let first_unsealed: Option<i64> =
        conn.query_row("SELECT min(id) FROM audit_event WHERE hash IS NULL", [], |r| r.get(0))?;
    let Some(first) = first_unsealed else { return Ok(()) };
    let mut previous: String = conn
        .query_row(
            "SELECT hash FROM audit_event WHERE id < ?1 ORDER BY id DESC LIMIT 1",
            [first],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| GENESIS.to_string());
    let mut read = conn.prepare(
        "SELECT id, at, actor, action, patient_id, summary FROM audit_event WHERE id >= ?1
         ORDER BY id",
    )?;
    let mut update = conn.prepare("UPDATE audit_event SET hash = ?2 WHERE id = ?1")?;
    let mut rows = read.query([first])?;
    while let Some(r) = rows.next()? {
        let entry = entry(r)?;
        previous = crate::domain::audit::link(&previous, &entry);
        update.execute(params![entry.id, previous])?;
    }
    Ok(())
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        patient_id: r.get(4)?,
        summary: r.get(5)?,
    })
}

/// Which entries to read: all of them with every field `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub patient_id: Option<i64>,
    /// A username, exactly.
    pub actor: Option<String>,
    /// An action, or the start of one followed by a dot: `record` finds `record.viewed`.
    pub action: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// An entry as the Audit screen shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub entry: AuditEntry,
    /// The person's NHS number and name, when the entry is about someone.
    pub person: Option<(String, String)>,
}

/// The result of checking the whole chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditCheck {
    /// Entries checked and found whole, up to the first break.
    pub checked: u64,
    pub first_break: Option<Break>,
    /// The last entry's hash: writing it down lets a later check show nothing was removed
    /// from the end.
    pub last_hash: String,
    pub last_id: i64,
}

impl Store {
    /// The entries matching `filter`, newest first, at most `limit` from `offset`.
    pub fn audit_entries(
        &self,
        filter: &AuditFilter,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<AuditRow>, StoreError> {
        let action_prefix = filter.action.as_ref().map(|a| format!("{}.", a.trim()));
        let mut statement = self.conn().prepare_cached(
            "SELECT a.id, a.at, a.actor, a.action, a.patient_id, a.summary, p.nhs_number,
                    p.given_name || ' ' || p.family_name
             FROM audit_event a LEFT JOIN patient p ON p.id = a.patient_id
             WHERE (?1 IS NULL OR a.patient_id = ?1)
               AND (?2 IS NULL OR a.actor = ?2)
               AND (?3 IS NULL OR a.action = ?3 OR substr(a.action, 1, length(?4)) = ?4)
               AND (?5 IS NULL OR a.at >= ?5)
               AND (?6 IS NULL OR a.at < ?6)
             ORDER BY a.id DESC LIMIT ?7 OFFSET ?8",
        )?;
        let day_after = filter.to.and_then(|d| d.succ_opt());
        let rows = statement.query_map(
            params![
                filter.patient_id,
                filter.actor.as_deref().map(str::trim),
                filter.action.as_deref().map(str::trim),
                action_prefix,
                filter.from.map(|d| d.to_string()),
                day_after.map(|d| d.to_string()),
                limit,
                offset
            ],
            |r| {
                let person = match (r.get::<_, Option<String>>(6)?, r.get::<_, Option<String>>(7)?)
                {
                    (Some(nhs), Some(name)) => Some((nhs, name)),
                    _ => None,
                };
                Ok(AuditRow { entry: entry(r)?, person })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records, in its own write, that `actor` read something (`action`, about one person when
    /// `patient_id` is given). A database opened read-only cannot record it: nothing is written,
    /// `false` comes back, and the reading goes on.
    pub fn record_read(
        &mut self,
        actor: &super::Actor,
        action: &str,
        patient_id: Option<i64>,
        summary: &str,
    ) -> Result<bool, StoreError> {
        if self.is_read_only() {
            return Ok(false);
        }
        self.write::<_, StoreError>(actor, |w| w.audit(action, patient_id, summary))?;
        Ok(true)
    }

    /// Every distinct action in the trail, sorted (read from the index by action).
    pub fn audit_actions(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .conn()
            .prepare_cached("SELECT DISTINCT action FROM audit_event ORDER BY action")?;
        let actions = statement.query_map([], |r| r.get(0))?;
        Ok(actions.collect::<Result<_, _>>()?)
    }

    /// Checks every entry's hash against its content and the entry before, in order, and
    /// reports the first that does not fit.
    pub fn check_audit_chain(&self) -> Result<AuditCheck, StoreError> {
        let tx = self.conn().unchecked_transaction()?;
        let mut state = ChainState::default();
        let mut statement = tx.prepare(
            "SELECT id, at, actor, action, patient_id, summary, hash FROM audit_event
             WHERE id > ?1 ORDER BY id LIMIT 10000",
        )?;
        let mut first_break = None;
        loop {
            let after = state.last_id.unwrap_or(0);
            let batch: Vec<(AuditEntry, Option<String>)> = statement
                .query_map([after], |r| Ok((entry(r)?, r.get(6)?)))?
                .collect::<Result<_, _>>()?;
            if batch.is_empty() {
                break;
            }
            first_break = check(&mut state, batch.iter().map(|(e, h)| (e, h.as_deref())));
            if first_break.is_some() {
                break;
            }
        }
        drop(statement);
        tx.commit()?;
        let last_id = state.last_id.unwrap_or(0);
        Ok(AuditCheck { checked: state.checked, first_break, last_hash: state.previous, last_id })
    }
}
