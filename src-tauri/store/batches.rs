//! Batches of printed letters: what was put into one PDF, for whom, and whether the person who
//! printed it confirmed that it printed. Only a confirmed batch counts as sent.

use rusqlite::{params, OptionalExtension};

use super::{Store, StoreError, Write};
use crate::domain::calendar::YearMonth;

/// One person's letter in a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchItem {
    pub patient_id: i64,
    pub due_month: YearMonth,
    pub invitation_number: u8,
    pub large_print: bool,
}

/// A batch as recorded.
#[derive(Clone, Debug)]
pub struct LetterBatch {
    pub id: i64,
    pub month: YearMonth,
    pub file: String,
    pub items: Vec<BatchItem>,
    pub prepared_by: String,
    pub confirmed: bool,
    pub cancelled: bool,
}

impl Store {
    pub fn letter_batch(&self, id: i64) -> Result<Option<LetterBatch>, StoreError> {
        let conn = self.conn();
        let head: Option<(String, String, String, bool, bool)> = conn
            .prepare_cached(
                "SELECT month, file, prepared_by, confirmed_at IS NOT NULL, cancelled_at IS NOT NULL
                 FROM letter_batch WHERE id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .optional()?;
        let Some((month, file, prepared_by, confirmed, cancelled)) = head else { return Ok(None) };
        let parse_month = |m: &str| YearMonth::parse(m).map_err(StoreError::Unreadable);
        let rows: Vec<(i64, String, u8, bool)> = conn
            .prepare_cached(
                "SELECT patient_id, due_month, invitation_number, large_print FROM letter_batch_item
                 WHERE batch_id = ?1 ORDER BY position",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        let items = rows
            .into_iter()
            .map(|(patient_id, due, invitation_number, large_print)| {
                Ok(BatchItem {
                    patient_id,
                    due_month: parse_month(&due)?,
                    invitation_number,
                    large_print,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Some(LetterBatch {
            id,
            month: parse_month(&month)?,
            file,
            items,
            prepared_by,
            confirmed,
            cancelled,
        }))
    }
}

impl Write<'_> {
    /// Records that a batch of invitation letters was written to `file`: the letters left the
    /// database then, so who and where are audited, though nothing counts as sent yet.
    pub fn record_prepared_batch(
        &mut self,
        month: YearMonth,
        file: &str,
        items: &[BatchItem],
    ) -> Result<i64, StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO letter_batch (kind, month, file, letters, prepared_at, prepared_by)
                 VALUES ('invitation', ?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                month.to_string(),
                file,
                items.len() as i64,
                self.at,
                self.actor.name()
            ])?;
        let id = self.tx.last_insert_rowid();
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO letter_batch_item (batch_id, position, patient_id, due_month,
                invitation_number, large_print)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (position, item) in items.iter().enumerate() {
            insert.execute(params![
                id,
                position as i64,
                item.patient_id,
                item.due_month.to_string(),
                item.invitation_number,
                item.large_print
            ])?;
        }
        drop(insert);
        self.audit(
            "letters.prepared",
            None,
            &format!(
                "{} invitation letters for {} written to {file} (batch {id})",
                items.len(),
                month.label()
            ),
        )?;
        Ok(id)
    }

    /// Marks a batch as printed. Refused (nothing changes) unless it is still waiting.
    pub fn mark_batch_confirmed(&mut self, id: i64, letters: usize) -> Result<(), StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE letter_batch SET confirmed_at = ?2
                 WHERE id = ?1 AND cancelled_at IS NULL AND confirmed_at IS NULL",
            )?
            .execute(params![id, self.at])?;
        if changed != 1 {
            return Err(StoreError::Refused(format!("batch {id} is not waiting to be confirmed")));
        }
        self.audit(
            "letters.confirmed",
            None,
            &format!("batch {id} confirmed printed: {letters} invitations recorded as sent"),
        )
    }

    /// Marks a batch as not printed. Refused unless it is still waiting.
    pub fn mark_batch_cancelled(&mut self, id: i64) -> Result<(), StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE letter_batch SET cancelled_at = ?2
                 WHERE id = ?1 AND cancelled_at IS NULL AND confirmed_at IS NULL",
            )?
            .execute(params![id, self.at])?;
        if changed != 1 {
            return Err(StoreError::Refused(format!("batch {id} is not waiting to be confirmed")));
        }
        self.audit(
            "letters.cancelled",
            None,
            &format!("batch {id} cancelled: nothing recorded as sent"),
        )
    }
}
