//! Care and support plans in the database: the draft being worked on at the conversation,
//! saved as it is typed, and the agreed versions, which are only ever added.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{Store, StoreError, Write};
use crate::domain::careplan::{AgreedWith, PlanDocument};
use crate::domain::metrics::PlanQuality;

/// An agreed version of a person's plan.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredPlan {
    pub id: i64,
    pub patient_id: i64,
    pub cycle_id: Option<i64>,
    pub version: u32,
    pub doc: PlanDocument,
    pub agreed_on: NaiveDate,
    pub with: AgreedWith,
    pub clinician: String,
    pub no_contingency_confirmed: bool,
    pub change_reason: String,
    pub agreed_by: String,
    pub agreed_at: String,
}

/// A plan being worked on.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub id: i64,
    pub patient_id: i64,
    pub cycle_id: Option<i64>,
    /// The agreed plan this draft changes, when it is an edit rather than a review's plan.
    pub based_on: Option<i64>,
    pub doc: PlanDocument,
    pub revision: i64,
    pub started_by: String,
    pub started_at: String,
    pub saved_by: String,
    pub saved_at: String,
}

/// What is written when a plan is agreed.
#[derive(Clone, Debug)]
pub struct NewPlan<'a> {
    pub patient_id: i64,
    pub cycle_id: Option<i64>,
    pub version: u32,
    pub doc: &'a PlanDocument,
    pub agreed_on: NaiveDate,
    pub with: &'a AgreedWith,
    pub clinician: &'a str,
    pub no_contingency_confirmed: bool,
    pub change_reason: &'a str,
}

/// Why a draft could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum DraftSaveError {
    #[error(
        "this plan was changed on another screen since it was opened here: open it again to see \
         the latest"
    )]
    Stale,
    #[error("this draft is closed: the plan was agreed or set aside")]
    Closed,
    #[error("there is no care plan draft {0}")]
    NotFound(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

const PLAN_COLUMNS: &str = "id, patient_id, cycle_id, version, content, agreed_on, agreed_with, \
     representative_name, representative_relationship, clinician, no_contingency_confirmed, \
     change_reason, agreed_by, agreed_at";

fn doc_of(id: i64, content: &str) -> Result<PlanDocument, StoreError> {
    PlanDocument::from_json(content).map_err(|e| StoreError::Unreadable(format!("plan {id}: {e}")))
}

fn plan_row(row: &Row<'_>) -> rusqlite::Result<(StoredPlan, String)> {
    let with = match row.get::<_, String>(6)?.as_str() {
        "representative" => {
            AgreedWith::Representative { name: row.get(7)?, relationship: row.get(8)? }
        }
        _ => AgreedWith::Person,
    };
    Ok((
        StoredPlan {
            id: row.get(0)?,
            patient_id: row.get(1)?,
            cycle_id: row.get(2)?,
            version: row.get(3)?,
            doc: PlanDocument::default(),
            agreed_on: row.get(5)?,
            with,
            clinician: row.get(9)?,
            no_contingency_confirmed: row.get(10)?,
            change_reason: row.get(11)?,
            agreed_by: row.get(12)?,
            agreed_at: row.get(13)?,
        },
        row.get(4)?,
    ))
}

fn plans(conn: &Connection, patient_id: i64) -> Result<Vec<StoredPlan>, StoreError> {
    let sql =
        format!("SELECT {PLAN_COLUMNS} FROM care_plan WHERE patient_id = ?1 ORDER BY version");
    let rows = conn
        .prepare_cached(&sql)?
        .query_map([patient_id], plan_row)?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(mut plan, content)| {
            plan.doc = doc_of(plan.id, &content)?;
            Ok(plan)
        })
        .collect()
}

const DRAFT_COLUMNS: &str = "id, patient_id, cycle_id, based_on, content, revision, started_by, \
     started_at, saved_by, saved_at";

fn draft_row(row: &Row<'_>) -> rusqlite::Result<(Draft, String)> {
    Ok((
        Draft {
            id: row.get(0)?,
            patient_id: row.get(1)?,
            cycle_id: row.get(2)?,
            based_on: row.get(3)?,
            doc: PlanDocument::default(),
            revision: row.get(5)?,
            started_by: row.get(6)?,
            started_at: row.get(7)?,
            saved_by: row.get(8)?,
            saved_at: row.get(9)?,
        },
        row.get(4)?,
    ))
}

fn finish_draft(found: Option<(Draft, String)>) -> Result<Option<Draft>, StoreError> {
    found
        .map(|(mut draft, content)| {
            draft.doc = doc_of(draft.id, &content)?;
            Ok(draft)
        })
        .transpose()
}

fn open_draft(conn: &Connection, patient_id: i64) -> Result<Option<Draft>, StoreError> {
    let sql = format!(
        "SELECT {DRAFT_COLUMNS} FROM care_plan_draft
         WHERE patient_id = ?1 AND agreed_as IS NULL AND set_aside_at IS NULL"
    );
    finish_draft(conn.prepare_cached(&sql)?.query_row([patient_id], draft_row).optional()?)
}

fn draft(conn: &Connection, id: i64) -> Result<Option<Draft>, StoreError> {
    let sql = format!("SELECT {DRAFT_COLUMNS} FROM care_plan_draft WHERE id = ?1");
    finish_draft(conn.prepare_cached(&sql)?.query_row([id], draft_row).optional()?)
}

impl Store {
    /// A person's agreed plans, oldest version first.
    pub fn care_plans_of(&self, patient_id: i64) -> Result<Vec<StoredPlan>, StoreError> {
        plans(self.conn(), patient_id)
    }

    /// The plan being worked on for a person, if there is one.
    pub fn open_draft_of(&self, patient_id: i64) -> Result<Option<Draft>, StoreError> {
        open_draft(self.conn(), patient_id)
    }

    pub fn care_plan_draft(&self, id: i64) -> Result<Option<Draft>, StoreError> {
        draft(self.conn(), id)
    }
}

impl Write<'_> {
    pub fn care_plans_of(&self, patient_id: i64) -> Result<Vec<StoredPlan>, StoreError> {
        plans(&self.tx, patient_id)
    }

    pub fn open_draft_of(&self, patient_id: i64) -> Result<Option<Draft>, StoreError> {
        open_draft(&self.tx, patient_id)
    }

    pub fn care_plan_draft(&self, id: i64) -> Result<Option<Draft>, StoreError> {
        draft(&self.tx, id)
    }

    /// Opens a draft for a person; audited. Refused when one is already open.
    pub fn start_draft(
        &mut self,
        patient_id: i64,
        cycle_id: Option<i64>,
        based_on: Option<i64>,
        doc: &PlanDocument,
        why: &str,
    ) -> Result<Draft, StoreError> {
        if self.open_draft_of(patient_id)?.is_some() {
            return Err(StoreError::Refused("a plan is already being worked on".into()));
        }
        self.tx.execute(
            "INSERT INTO care_plan_draft (patient_id, cycle_id, based_on, content, started_by,
                 started_at, saved_by, saved_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
            params![patient_id, cycle_id, based_on, doc.to_json(), self.actor.name(), self.at],
        )?;
        let id = self.tx.last_insert_rowid();
        self.audit("careplan.draft_started", Some(patient_id), &format!("draft {id}: {why}"))?;
        draft(&self.tx, id)?.ok_or_else(|| StoreError::Unreadable("the new draft".into()))
    }

    /// Saves a draft as typed, if nobody saved it since `revision`; returns the new revision.
    /// The audit entry says which parts changed.
    pub fn save_draft(
        &mut self,
        id: i64,
        revision: i64,
        doc: &PlanDocument,
        changed: &str,
    ) -> Result<i64, DraftSaveError> {
        let updated = self
            .tx
            .prepare_cached(
                "UPDATE care_plan_draft SET content = ?3, revision = revision + 1, saved_by = ?4,
                     saved_at = ?5
                 WHERE id = ?1 AND revision = ?2 AND agreed_as IS NULL AND set_aside_at IS NULL
                 RETURNING patient_id",
            )
            .map_err(StoreError::from)?
            .query_row(params![id, revision, doc.to_json(), self.actor.name(), self.at], |r| {
                r.get::<_, i64>(0)
            })
            .optional()
            .map_err(StoreError::from)?;
        let Some(patient_id) = updated else {
            let found: Option<(i64, bool)> = self
                .tx
                .query_row(
                    "SELECT revision, agreed_as IS NOT NULL OR set_aside_at IS NOT NULL
                     FROM care_plan_draft WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()
                .map_err(StoreError::from)?;
            return Err(match found {
                None => DraftSaveError::NotFound(id),
                Some((_, true)) => DraftSaveError::Closed,
                Some(_) => DraftSaveError::Stale,
            });
        };
        self.audit("careplan.draft_saved", Some(patient_id), &format!("draft {id}: {changed}"))?;
        Ok(revision + 1)
    }

    /// Closes a draft without agreeing it; the draft stays readable.
    pub fn set_aside_draft(&mut self, id: i64, why: &str) -> Result<(), StoreError> {
        let patient_id: i64 = self
            .tx
            .query_row(
                "UPDATE care_plan_draft SET set_aside_at = ?2
                 WHERE id = ?1 AND agreed_as IS NULL AND set_aside_at IS NULL
                 RETURNING patient_id",
                params![id, self.at],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::Refused("this draft is already closed".into()))?;
        self.audit("careplan.draft_set_aside", Some(patient_id), &format!("draft {id}: {why}"))
    }

    /// Records an agreed version, closing `draft` (if given) as agreed; audited.
    pub fn record_agreed_plan(
        &mut self,
        plan: &NewPlan<'_>,
        draft: Option<i64>,
    ) -> Result<i64, StoreError> {
        let (with, name, relationship) = match plan.with {
            AgreedWith::Person => ("person", "", ""),
            AgreedWith::Representative { name, relationship } => {
                ("representative", name.as_str(), relationship.as_str())
            }
        };
        self.tx
            .prepare_cached(
                "INSERT INTO care_plan (patient_id, cycle_id, version, content, agreed_on,
                     agreed_with, representative_name, representative_relationship, clinician,
                     no_contingency_confirmed, change_reason, agreed_by, agreed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                plan.patient_id,
                plan.cycle_id,
                plan.version,
                plan.doc.to_json(),
                plan.agreed_on,
                with,
                name.trim(),
                relationship.trim(),
                plan.clinician,
                plan.no_contingency_confirmed,
                plan.change_reason.trim(),
                self.actor.name(),
                self.at,
            ])?;
        let id = self.tx.last_insert_rowid();
        let q = PlanQuality::of(plan.doc);
        let g = &q.goals;
        self.tx
            .prepare_cached(
                "INSERT INTO care_plan_quality (care_plan_id, cycle_id, version, own_words_goal,
                     action_with_who_and_when, contingency, review_date, signposting,
                     goals_achieved, goals_partly_achieved, goals_not_achieved, goals_changed,
                     goals_no_longer_relevant, goals_not_marked)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                id,
                plan.cycle_id,
                plan.version,
                q.own_words_goal,
                q.action_with_who_and_when,
                q.contingency,
                q.review_date,
                q.signposting,
                g.achieved,
                g.partly_achieved,
                g.not_achieved,
                g.changed,
                g.no_longer_relevant,
                g.not_marked,
            ])?;
        if let Some(draft) = draft {
            let closed = self.tx.execute(
                "UPDATE care_plan_draft SET agreed_as = ?2
                 WHERE id = ?1 AND agreed_as IS NULL AND set_aside_at IS NULL",
                params![draft, id],
            )?;
            if closed != 1 {
                return Err(StoreError::Refused("this draft is already closed".into()));
            }
        }
        let mut summary = format!(
            "version {} agreed with {}",
            plan.version,
            match plan.with {
                AgreedWith::Person => "the person".to_string(),
                AgreedWith::Representative { name, relationship } => {
                    format!("{} ({})", name.trim(), relationship.trim())
                }
            }
        );
        if !plan.change_reason.trim().is_empty() {
            summary.push_str(&format!("; why: {}", plan.change_reason.trim()));
        }
        if plan.no_contingency_confirmed {
            summary.push_str("; no contingency plan, confirmed");
        }
        self.audit("careplan.agreed", Some(plan.patient_id), &summary)?;
        Ok(id)
    }
}
