//! Preparation packs printed in one PDF: which reviews' packs are waiting, what went into a
//! batch, and whether the person who printed it confirmed that it was printed and posted. Only
//! a confirmed batch records packs as sent; a pack printed again later is audited, never sent.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

use super::cycles::cycle_of_id;
use super::{CycleRecord, Store, StoreError, Write};

/// A batch of packs to post, or one pack printed again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackPrint {
    Batch,
    Reprint,
}

impl PackPrint {
    fn code(self) -> &'static str {
        match self {
            PackPrint::Batch => "batch",
            PackPrint::Reprint => "reprint",
        }
    }
}

/// One person's pack in a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackItem {
    pub cycle_id: i64,
    pub patient_id: i64,
    pub large_print: bool,
}

/// A batch as recorded.
#[derive(Clone, Debug)]
pub struct PackBatch {
    pub id: i64,
    pub kind: PackPrint,
    pub file: String,
    pub items: Vec<PackItem>,
    pub prepared_by: String,
    pub confirmed: bool,
    pub cancelled: bool,
}

impl Store {
    /// The reviews the packs screen shows: those between contact 1 and the pack being sent,
    /// and those closed in the last `closed_within` days (the person left or died) after their
    /// pack was approved but before it was sent, so staff see why it will never go.
    pub fn pack_candidates(
        &self,
        today: NaiveDate,
        closed_within: i64,
    ) -> Result<Vec<CycleRecord>, StoreError> {
        let since = (today - chrono::Duration::days(closed_within)).to_string();
        let ids: Vec<i64> = self
            .conn()
            .prepare_cached(
                "SELECT id FROM cycle
                 WHERE status IN ('contact1_attended', 'results_complete', 'triaged')
                    OR (status IN ('left', 'died') AND pack_sent_on IS NULL AND closed_on >= ?1
                        AND EXISTS (SELECT 1 FROM cycle_event e
                                    WHERE e.cycle_id = cycle.id AND e.transition = 'triage'))
                 ORDER BY id",
            )?
            .query_map([since], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let conn = self.conn();
        ids.into_iter()
            .map(|id| cycle_of_id(conn, id)?.ok_or_else(|| StoreError::Unreadable(id.to_string())))
            .collect()
    }

    pub fn pack_batch(&self, id: i64) -> Result<Option<PackBatch>, StoreError> {
        let conn = self.conn();
        let head: Option<(String, String, String, bool, bool)> = conn
            .prepare_cached(
                "SELECT kind, file, prepared_by, confirmed_at IS NOT NULL, cancelled_at IS NOT NULL
                 FROM pack_batch WHERE id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .optional()?;
        let Some((kind, file, prepared_by, confirmed, cancelled)) = head else { return Ok(None) };
        let items = conn
            .prepare_cached(
                "SELECT cycle_id, patient_id, large_print FROM pack_batch_item
                 WHERE batch_id = ?1 ORDER BY position",
            )?
            .query_map([id], |r| {
                Ok(PackItem { cycle_id: r.get(0)?, patient_id: r.get(1)?, large_print: r.get(2)? })
            })?
            .collect::<Result<_, _>>()?;
        let kind = if kind == "reprint" { PackPrint::Reprint } else { PackPrint::Batch };
        Ok(Some(PackBatch { id, kind, file, items, prepared_by, confirmed, cancelled }))
    }
}

impl Write<'_> {
    /// Records that packs were written to `file`: they left the database then, so who and
    /// where are audited, though nothing counts as sent. A reprint names the person.
    pub fn record_pack_batch(
        &mut self,
        kind: PackPrint,
        file: &str,
        items: &[PackItem],
    ) -> Result<i64, StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO pack_batch (kind, file, packs, prepared_at, prepared_by)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![kind.code(), file, items.len() as i64, self.at, self.actor.name()])?;
        let id = self.tx.last_insert_rowid();
        let mut insert = self.tx.prepare_cached(
            "INSERT INTO pack_batch_item (batch_id, position, cycle_id, patient_id, large_print)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (position, item) in items.iter().enumerate() {
            insert.execute(params![
                id,
                position as i64,
                item.cycle_id,
                item.patient_id,
                item.large_print
            ])?;
        }
        drop(insert);
        match (kind, items) {
            (PackPrint::Reprint, [item]) => self.audit(
                "packs.reprinted",
                Some(item.patient_id),
                &format!("preparation pack printed again to {file} (batch {id})"),
            )?,
            _ => self.audit(
                "packs.prepared",
                None,
                &format!("{} preparation packs written to {file} (batch {id})", items.len()),
            )?,
        }
        Ok(id)
    }

    /// Marks a batch as printed and posted. Refused (nothing changes) unless it is a batch
    /// still waiting.
    pub fn mark_pack_batch_confirmed(&mut self, id: i64, packs: usize) -> Result<(), StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE pack_batch SET confirmed_at = ?2
                 WHERE id = ?1 AND kind = 'batch' AND cancelled_at IS NULL AND confirmed_at IS NULL",
            )?
            .execute(params![id, self.at])?;
        if changed != 1 {
            return Err(StoreError::Refused(format!(
                "pack batch {id} is not waiting to be confirmed"
            )));
        }
        self.audit(
            "packs.confirmed",
            None,
            &format!(
                "pack batch {id} confirmed printed and posted: {packs} packs recorded as sent"
            ),
        )
    }

    /// Marks a batch as not printed. Refused unless it is a batch still waiting.
    pub fn mark_pack_batch_cancelled(&mut self, id: i64) -> Result<(), StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "UPDATE pack_batch SET cancelled_at = ?2
                 WHERE id = ?1 AND kind = 'batch' AND cancelled_at IS NULL AND confirmed_at IS NULL",
            )?
            .execute(params![id, self.at])?;
        if changed != 1 {
            return Err(StoreError::Refused(format!(
                "pack batch {id} is not waiting to be confirmed"
            )));
        }
        self.audit(
            "packs.cancelled",
            None,
            &format!("pack batch {id} cancelled: nothing recorded as sent"),
        )
    }
}
