//! The audit trail's chain: each entry carries a SHA-256 hash of its own content and the hash
//! of the entry before it, so changing or removing an entry breaks every link after it, and
//! checking the chain finds the first entry that no longer fits.

use sha2::{Digest, Sha256};

use super::backup::to_hex;

/// The hash the first entry is chained to.
pub const GENESIS: &str = "alongside-audit-trail";

/// One entry as hashed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub patient_id: Option<i64>,
    pub summary: String,
}

/// The entry's hash, chained to `previous` (the previous entry's hash, or `GENESIS`). Every
/// field is written with its length first, so no two different entries read the same.
pub fn link(previous: &str, entry: &AuditEntry) -> String {
    let patient = entry.patient_id.map(|p| p.to_string()).unwrap_or_default();
    let id = entry.id.to_string();
    let mut hasher = Sha256::new();
    for field in [previous, &id, &entry.at, &entry.actor, &entry.action, &patient, &entry.summary] {
        hasher.update(field.len().to_string().as_bytes());
        hasher.update(b":");
        hasher.update(field.as_bytes());
        hasher.update(b"\n");
    }
    to_hex(&hasher.finalize())
}

/// Where the chain first breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// Entries are missing before this one (its id does not follow the one before).
    Missing { id: i64, after: i64 },
    /// The entry's hash does not match its content and the entry before: it, or the one
    /// before it, was changed.
    Changed { id: i64 },
    /// The entry has no hash.
    Unsealed { id: i64 },
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Missing { id, after } => write!(
                f,
                "entries {} to {} are missing: the entry before entry {id} was removed",
                after + 1,
                id - 1
            ),
            Break::Changed { id } => write!(
                f,
                "entry {id} does not match its hash: it, or the entry before it, was changed"
            ),
            Break::Unsealed { id } => write!(f, "entry {id} has no hash: it was added by hand"),
        }
    }
}

/// Checks entries given in id order, each with its stored hash, carrying the chain across
/// calls in `state` (so a long trail can be checked in pieces). Returns the first break.
pub fn check<'a>(
    state: &mut ChainState,
    entries: impl IntoIterator<Item = (&'a AuditEntry, Option<&'a str>)>,
) -> Option<Break> {
    for (entry, stored) in entries {
        if let Some(last) = state.last_id {
            if entry.id != last + 1 {
                return Some(Break::Missing { id: entry.id, after: last });
            }
        } else if entry.id != 1 {
            return Some(Break::Missing { id: entry.id, after: 0 });
        }
        let Some(stored) = stored else { return Some(Break::Unsealed { id: entry.id }) };
        let expected = link(&state.previous, entry);
        if expected != stored {
            return Some(Break::Changed { id: entry.id });
        }
        state.previous = expected;
        state.last_id = Some(entry.id);
        state.checked += 1;
    }
    None
}

/// How far a check has got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainState {
    pub previous: String,
    pub last_id: Option<i64>,
    pub checked: u64,
}

impl Default for ChainState {
    fn default() -> ChainState {
        ChainState { previous: GENESIS.to_string(), last_id: None, checked: 0 }
    }
}

#[cfg(test)]
mod tests;
