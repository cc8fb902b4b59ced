//! Triage in the database: acknowledgements of findings, the clinician's decisions for each
//! review, personal targets and the practice's own thresholds. Rows are only ever added; the
//! latest counts.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, Row};

use super::{Store, StoreError, Write};
pub use crate::domain::triage::{AckAction, TriageRole};

/// A finding a clinician has acknowledged.
#[derive(Clone, Debug, PartialEq)]
pub struct Acknowledgement {
    pub id: i64,
    pub observation_id: i64,
    pub rule_id: String,
    pub cycle_id: Option<i64>,
    pub action: AckAction,
    pub note: String,
    pub by: String,
    pub at: String,
}

/// What kind of triage decision a row holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriageKind {
    Route,
    MedicationReview,
    Note,
}

impl TriageKind {
    fn code(self) -> &'static str {
        match self {
            TriageKind::Route => "route",
            TriageKind::MedicationReview => "medication_review",
            TriageKind::Note => "note",
        }
    }

    fn parse(code: &str) -> Option<TriageKind> {
        [TriageKind::Route, TriageKind::MedicationReview, TriageKind::Note]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// One triage decision for a review.
#[derive(Clone, Debug, PartialEq)]
pub struct TriageEntry {
    pub id: i64,
    pub cycle_id: i64,
    pub kind: TriageKind,
    pub role: Option<TriageRole>,
    pub clinician: String,
    pub needed: Option<bool>,
    pub note: String,
    pub by: String,
    pub at: String,
}

/// A person's own target for an item, as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredTarget {
    pub patient_id: i64,
    pub item: String,
    pub target: String,
    pub reason: String,
    pub set_by: String,
    pub set_on: NaiveDate,
}

/// A practice's change to a rule's thresholds.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleChange {
    pub id: i64,
    pub rule_id: String,
    /// The thresholds in condition order; `None` when the shipped ones were restored.
    pub thresholds: Option<Vec<String>>,
    pub reason: String,
    pub by: String,
    pub at: String,
}

impl Store {
    /// A person's acknowledged findings.
    pub fn acknowledgements_of(&self, patient_id: i64) -> Result<Vec<Acknowledgement>, StoreError> {
        acknowledgements(self.conn(), Some(patient_id))
    }

    /// Every acknowledged finding of everyone.
    pub fn all_acknowledgements(&self) -> Result<Vec<Acknowledgement>, StoreError> {
        acknowledgements(self.conn(), None)
    }

    /// A review's triage decisions, oldest first.
    pub fn triage_entries(&self, cycle_id: i64) -> Result<Vec<TriageEntry>, StoreError> {
        triage_entries(self.conn(), Some(cycle_id))
    }

    /// Every review's triage decisions, oldest first.
    pub fn all_triage_entries(&self) -> Result<Vec<TriageEntry>, StoreError> {
        triage_entries(self.conn(), None)
    }

    /// A person's current own targets.
    pub fn personal_targets_of(&self, patient_id: i64) -> Result<Vec<StoredTarget>, StoreError> {
        Ok(personal_targets(self.conn(), Some(patient_id))?.remove(&patient_id).unwrap_or_default())
    }

    /// Everyone's current own targets, by person.
    pub fn all_personal_targets(&self) -> Result<HashMap<i64, Vec<StoredTarget>>, StoreError> {
        personal_targets(self.conn(), None)
    }

    /// Every change the practice made to the rules, oldest first.
    pub fn rule_changes(&self) -> Result<Vec<RuleChange>, StoreError> {
        rule_changes(self.conn())
    }
}

impl Write<'_> {
    pub fn acknowledgements_of(&self, patient_id: i64) -> Result<Vec<Acknowledgement>, StoreError> {
        acknowledgements(&self.tx, Some(patient_id))
    }

    pub fn triage_entries(&self, cycle_id: i64) -> Result<Vec<TriageEntry>, StoreError> {
        triage_entries(&self.tx, Some(cycle_id))
    }

    pub fn personal_targets_of(&self, patient_id: i64) -> Result<Vec<StoredTarget>, StoreError> {
        Ok(personal_targets(&self.tx, Some(patient_id))?.remove(&patient_id).unwrap_or_default())
    }

    pub fn rule_changes(&self) -> Result<Vec<RuleChange>, StoreError> {
        rule_changes(&self.tx)
    }

    /// Records an acknowledgement; refuses a finding already acknowledged. The caller audits.
    pub fn acknowledge_finding(
        &mut self,
        observation_id: i64,
        rule_id: &str,
        cycle_id: Option<i64>,
        action: AckAction,
        note: &str,
    ) -> Result<i64, StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "INSERT INTO finding_acknowledgement (observation_id, rule_id, cycle_id, action,
                    note, acknowledged_by, acknowledged_at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE NOT EXISTS
                    (SELECT 1 FROM finding_acknowledgement WHERE observation_id = ?1 AND rule_id = ?2)",
            )?
            .execute(params![
                observation_id,
                rule_id,
                cycle_id,
                action.code(),
                note.trim(),
                self.actor.name(),
                self.at
            ])?;
        if changed == 0 {
            return Err(StoreError::Refused("that finding has already been acknowledged".into()));
        }
        Ok(self.tx.last_insert_rowid())
    }

    /// Records a triage decision. The caller audits.
    pub fn add_triage_entry(
        &mut self,
        cycle_id: i64,
        kind: TriageKind,
        role: Option<TriageRole>,
        clinician: &str,
        needed: Option<bool>,
        note: &str,
    ) -> Result<i64, StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO triage_entry (cycle_id, kind, role, clinician, needed, note,
                    recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                cycle_id,
                kind.code(),
                role.map(TriageRole::code),
                clinician.trim(),
                needed,
                note.trim(),
                self.actor.name(),
                self.at
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Sets (or with `None`, ends) a person's own target for an item. The caller audits.
    pub fn set_personal_target(
        &mut self,
        patient_id: i64,
        item: &str,
        target: Option<&str>,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO personal_target (patient_id, item, target, reason, set_by, set_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                patient_id,
                item,
                target,
                reason.trim(),
                self.actor.name(),
                self.at
            ])?;
        Ok(())
    }

    /// Records the practice's thresholds for a rule (`None`: the shipped ones again). The caller
    /// audits.
    pub fn record_rule_change(
        &mut self,
        rule_id: &str,
        thresholds: Option<&[String]>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let json = thresholds.map(|t| serde_json::to_string(t).expect("strings serialise"));
        self.tx
            .prepare_cached(
                "INSERT INTO rule_change (rule_id, thresholds, reason, changed_by, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![rule_id, json, reason.trim(), self.actor.name(), self.at])?;
        Ok(())
    }
}

fn acknowledgements(
    conn: &Connection,
    patient_id: Option<i64>,
) -> Result<Vec<Acknowledgement>, StoreError> {
    // One person's are found through their observations (an index each way), never by reading
    // every acknowledgement of the practice.
    let mut statement = conn.prepare_cached(match patient_id {
        Some(_) => {
            "SELECT a.id, a.observation_id, a.rule_id, a.cycle_id, a.action, a.note,
                a.acknowledged_by, a.acknowledged_at
             FROM observation o JOIN finding_acknowledgement a ON a.observation_id = o.id
             WHERE o.patient_id = ?1 ORDER BY a.id"
        }
        None => {
            "SELECT a.id, a.observation_id, a.rule_id, a.cycle_id, a.action, a.note,
                a.acknowledged_by, a.acknowledged_at
             FROM finding_acknowledgement a WHERE ?1 IS NULL ORDER BY a.id"
        }
    })?;
    let rows = statement.query_map([patient_id], |r: &Row<'_>| {
        let action: String = r.get(4)?;
        Ok((
            action,
            Acknowledgement {
                id: r.get(0)?,
                observation_id: r.get(1)?,
                rule_id: r.get(2)?,
                cycle_id: r.get(3)?,
                action: AckAction::NoAction,
                note: r.get(5)?,
                by: r.get(6)?,
                at: r.get(7)?,
            },
        ))
    })?;
    rows.map(|row| {
        let (code, mut ack) = row?;
        ack.action = AckAction::parse(&code)
            .ok_or_else(|| StoreError::Unreadable(format!("unknown action '{code}'")))?;
        Ok(ack)
    })
    .collect()
}

fn triage_entries(
    conn: &Connection,
    cycle_id: Option<i64>,
) -> Result<Vec<TriageEntry>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, cycle_id, kind, role, clinician, needed, note, recorded_by, recorded_at
         FROM triage_entry WHERE ?1 IS NULL OR cycle_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([cycle_id], |r| {
        let kind: String = r.get(2)?;
        let role: Option<String> = r.get(3)?;
        Ok((
            kind,
            role,
            TriageEntry {
                id: r.get(0)?,
                cycle_id: r.get(1)?,
                kind: TriageKind::Note,
                role: None,
                clinician: r.get(4)?,
                needed: r.get(5)?,
                note: r.get(6)?,
                by: r.get(7)?,
                at: r.get(8)?,
            },
        ))
    })?;
    rows.map(|row| {
        let (kind, role, mut entry) = row?;
        entry.kind = TriageKind::parse(&kind)
            .ok_or_else(|| StoreError::Unreadable(format!("unknown triage entry '{kind}'")))?;
        entry.role = match role {
            None => None,
            Some(code) => Some(
                TriageRole::parse(&code)
                    .ok_or_else(|| StoreError::Unreadable(format!("unknown role '{code}'")))?,
            ),
        };
        Ok(entry)
    })
    .collect()
}

fn personal_targets(
    conn: &Connection,
    patient_id: Option<i64>,
) -> Result<HashMap<i64, Vec<StoredTarget>>, StoreError> {
    // The latest row for each person and item, unless it ended the target.
    let mut statement = conn.prepare_cached(
        "SELECT t.patient_id, t.item, t.target, t.reason, t.set_by, t.set_at
         FROM personal_target t
         WHERE (?1 IS NULL OR t.patient_id = ?1) AND t.target IS NOT NULL
           AND t.id = (SELECT max(id) FROM personal_target x
                       WHERE x.patient_id = t.patient_id AND x.item = t.item)
         ORDER BY t.patient_id, t.item",
    )?;
    let rows = statement.query_map([patient_id], |r| {
        let set_at: String = r.get(5)?;
        Ok(StoredTarget {
            patient_id: r.get(0)?,
            item: r.get(1)?,
            target: r.get(2)?,
            reason: r.get(3)?,
            set_by: r.get(4)?,
            set_on: NaiveDate::parse_from_str(set_at.get(..10).unwrap_or(""), "%Y-%m-%d")
                .unwrap_or(NaiveDate::MIN),
        })
    })?;
    let mut map: HashMap<i64, Vec<StoredTarget>> = HashMap::new();
    for row in rows {
        let target = row?;
        map.entry(target.patient_id).or_default().push(target);
    }
    Ok(map)
}

fn rule_changes(conn: &Connection) -> Result<Vec<RuleChange>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, rule_id, thresholds, reason, changed_by, changed_at FROM rule_change ORDER BY id",
    )?;
    let rows = statement.query_map([], |r| {
        let thresholds: Option<String> = r.get(2)?;
        Ok((
            thresholds,
            RuleChange {
                id: r.get(0)?,
                rule_id: r.get(1)?,
                thresholds: None,
                reason: r.get(3)?,
                by: r.get(4)?,
                at: r.get(5)?,
            },
        ))
    })?;
    rows.map(|row| {
        let (json, mut change) = row?;
        change.thresholds = match json {
            None => None,
            Some(text) => Some(serde_json::from_str(&text).map_err(|e| {
                StoreError::Unreadable(format!("the thresholds of rule {}: {e}", change.rule_id))
            })?),
        };
        Ok(change)
    })
    .collect()
}
