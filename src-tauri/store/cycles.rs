//! Review cycles in the database: each person's cycle for a year with its invitations and
//! bookings, every transition with who and when, contact attempts, and the month's recall list.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};

use super::patients::PatientRow;
use super::{Store, StoreError, Write};
use crate::domain::calendar::YearMonth;
use crate::domain::cycle::{
    Booking, Closure, Cycle, CycleEvent, CycleStatus, Invitation, PcaReason, StoredCycle,
};
use crate::domain::person::{format_date, RegistrationStatus};
use crate::domain::recall::{ContactAttempt, ContactMethod, ContactOutcome};

/// A stored cycle and whose it is.
#[derive(Clone, Debug)]
pub struct CycleRecord {
    pub id: i64,
    pub patient_id: i64,
    pub cycle: Cycle,
}

/// A contact attempt with who recorded it.
#[derive(Clone, Debug)]
pub struct RecordedAttempt {
    pub attempt: ContactAttempt,
    pub actor: String,
}

/// One line of a month's recall list.
#[derive(Clone, Debug)]
pub struct RecallEntry {
    pub patient: PatientRow,
    pub cycle: Option<CycleRecord>,
    pub last_attempt: Option<RecordedAttempt>,
}

/// A contact 1 appointment on the day's list.
#[derive(Clone, Debug)]
pub struct DayBooking {
    pub starts_at: NaiveDateTime,
    pub with_whom: String,
    pub place: String,
    pub cycle_id: i64,
    /// The review's status code.
    pub status: String,
    pub patient_id: i64,
}

/// One event of a cycle's history.
#[derive(Clone, Debug)]
pub struct CycleHistoryEntry {
    pub on: NaiveDate,
    pub detail: String,
    pub actor: String,
}

/// The statuses of a closed review, for SQL.
pub(super) const CLOSED: &str = "'plan_agreed', 'declined', 'pca', 'left', 'died'";

impl Store {
    /// Everyone whose review falls due in `month`: registered people whose review month it is
    /// and who have no review yet that year, and everyone whose review that year is due in it.
    pub fn recall_month(&self, month: YearMonth) -> Result<Vec<RecallEntry>, StoreError> {
        let conn = self.conn();
        let ids: Vec<i64> = conn
            .prepare_cached(
                "SELECT p.id FROM patient p
                 WHERE p.review_month = ?1 AND p.status = 'registered'
                   AND NOT EXISTS (SELECT 1 FROM cycle c WHERE c.patient_id = p.id AND c.year = ?2)
                 UNION
                 SELECT c.patient_id FROM cycle c WHERE c.due_month = ?3",
            )?
            .query_map(params![month.month(), month.year(), month.to_string()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut entries = Vec::with_capacity(ids.len());
        for id in ids {
            let patient = self.patient_by_id(id)?;
            let cycle = self.cycle_of(id, month.year())?;
            let last_attempt = last_attempt(conn, id)?;
            entries.push(RecallEntry { patient, cycle, last_attempt });
        }
        Ok(entries)
    }

    /// Everyone's open review: person → (review id, status code, due month).
    pub fn open_cycles(
        &self,
    ) -> Result<std::collections::HashMap<i64, (i64, String, String)>, StoreError> {
        let mut statement = self.conn().prepare(&format!(
            "SELECT patient_id, id, status, due_month FROM cycle WHERE status NOT IN ({CLOSED})"
        ))?;
        let rows =
            statement.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A review by its id.
    pub fn cycle_of_id(&self, id: i64) -> Result<Option<CycleRecord>, StoreError> {
        cycle_of_id(self.conn(), id)
    }

    /// The person's open review, if there is one.
    pub fn open_cycle_of(&self, patient_id: i64) -> Result<Option<CycleRecord>, StoreError> {
        open_cycle_of(self.conn(), patient_id)
    }

    /// The day's contact 1 appointments, in time order: when, with whom, where, whose.
    pub fn contact1_bookings_on(&self, day: NaiveDate) -> Result<Vec<DayBooking>, StoreError> {
        let mut statement = self.conn().prepare_cached(
            "SELECT b.starts_at, b.with_whom, b.place, c.id, c.status, c.patient_id
             FROM booking b JOIN cycle c ON c.id = b.cycle_id
             WHERE b.contact = 1 AND b.replaced_at IS NULL AND substr(b.starts_at, 1, 10) = ?1
             ORDER BY b.starts_at, c.patient_id",
        )?;
        let rows = statement.query_map([day.format("%Y-%m-%d").to_string()], |r| {
            let starts_at: String = r.get(0)?;
            Ok(DayBooking {
                starts_at: NaiveDateTime::parse_from_str(&starts_at, "%Y-%m-%dT%H:%M")
                    .unwrap_or(day.and_hms_opt(0, 0, 0).expect("midnight")),
                with_whom: r.get(1)?,
                place: r.get(2)?,
                cycle_id: r.get(3)?,
                status: r.get(4)?,
                patient_id: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A person's review for a year, if one has been opened.
    pub fn cycle_of(&self, patient_id: i64, year: i32) -> Result<Option<CycleRecord>, StoreError> {
        let id: Option<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM cycle WHERE patient_id = ?1 AND year = ?2")?
            .query_row((patient_id, year), |r| r.get(0))
            .optional()?;
        id.map(|id| read_cycle(self.conn(), id)).transpose()
    }

    /// Every review a person has had, newest first.
    pub fn cycles_of(&self, patient_id: i64) -> Result<Vec<CycleRecord>, StoreError> {
        let ids: Vec<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM cycle WHERE patient_id = ?1 ORDER BY year DESC")?
            .query_map([patient_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter().map(|id| read_cycle(self.conn(), id)).collect()
    }

    /// What happened in a review, in order.
    pub fn cycle_history(&self, cycle_id: i64) -> Result<Vec<CycleHistoryEntry>, StoreError> {
        let entries = self
            .conn()
            .prepare_cached(
                "SELECT on_date, detail, actor FROM cycle_event WHERE cycle_id = ?1 ORDER BY id",
            )?
            .query_map([cycle_id], |r| {
                Ok(CycleHistoryEntry { on: r.get(0)?, detail: r.get(1)?, actor: r.get(2)? })
            })?
            .collect::<Result<_, _>>()?;
        Ok(entries)
    }

    /// A person's contact attempts, newest first.
    pub fn contact_attempts(&self, patient_id: i64) -> Result<Vec<RecordedAttempt>, StoreError> {
        let mut statement = self.conn().prepare_cached(
            "SELECT on_date, method, outcome, note, actor FROM contact_attempt
             WHERE patient_id = ?1 ORDER BY on_date DESC, id DESC",
        )?;
        let rows = statement.query_map([patient_id], attempt_from_row)?;
        rows.map(|r| r?).collect()
    }
}

impl Write<'_> {
    /// A person's review for a year, as this transaction sees it.
    pub fn cycle_of(&self, patient_id: i64, year: i32) -> Result<Option<CycleRecord>, StoreError> {
        let id: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM cycle WHERE patient_id = ?1 AND year = ?2")?
            .query_row((patient_id, year), |r| r.get(0))
            .optional()?;
        id.map(|id| read_cycle(&self.tx, id)).transpose()
    }

    /// Every review a person has had, newest first, as this transaction sees them.
    pub fn cycles_of(&self, patient_id: i64) -> Result<Vec<CycleRecord>, StoreError> {
        let ids: Vec<i64> = self
            .tx
            .prepare_cached("SELECT id FROM cycle WHERE patient_id = ?1 ORDER BY year DESC")?
            .query_map([patient_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter().map(|id| read_cycle(&self.tx, id)).collect()
    }

    /// A review by its id.
    pub fn cycle_of_id(&self, id: i64) -> Result<Option<CycleRecord>, StoreError> {
        cycle_of_id(&self.tx, id)
    }

    /// The person's open review, if there is one.
    pub fn open_cycle_of(&self, patient_id: i64) -> Result<Option<CycleRecord>, StoreError> {
        open_cycle_of(&self.tx, patient_id)
    }

    /// Saves a cycle after a transition (opening it if `cycle_id` is `None`), with the event,
    /// who recorded it, and an audit entry, all in this transaction. Returns the cycle's id.
    pub fn save_transition(
        &mut self,
        patient_id: i64,
        cycle_id: Option<i64>,
        cycle: &Cycle,
        event: &CycleEvent,
    ) -> Result<i64, StoreError> {
        let closure = cycle.closure();
        let id = match cycle_id {
            Some(id) => {
                self.tx
                    .prepare_cached(
                        "UPDATE cycle SET status = ?2, pack_sent_on = ?3, closed_on = ?4,
                            pca_reason = ?5, closing_note = ?6 WHERE id = ?1",
                    )?
                    .execute(params![
                        id,
                        cycle.status().code(),
                        cycle.pack_sent_on(),
                        closure.map(|c| c.on),
                        closure.and_then(|c| c.pca_reason.as_ref()).map(PcaReason::code),
                        closure.map(|c| c.note.as_str()).unwrap_or(""),
                    ])?;
                id
            }
            None => {
                let month = cycle.due_month();
                self.tx
                    .prepare_cached(
                        "INSERT INTO cycle (patient_id, year, due_month, status, opened_on)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?
                    .execute(params![
                        patient_id,
                        month.year(),
                        month.to_string(),
                        cycle.status().code(),
                        event.on
                    ])?;
                self.tx.last_insert_rowid()
            }
        };
        self.sync_invitations(id, cycle)?;
        self.sync_booking(id, 1, cycle.contact1())?;
        self.sync_booking(id, 2, cycle.conversation())?;
        self.tx
            .prepare_cached(
                "INSERT INTO cycle_event (cycle_id, transition, from_status, to_status, on_date,
                    detail, actor, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                id,
                event.transition.code(),
                event.from.map(CycleStatus::code),
                event.to.code(),
                event.on,
                event.detail,
                self.actor.name(),
                self.at,
            ])?;
        // The day it happened leads, since it may be earlier than the day it was recorded.
        let summary = format!(
            "{}: {} (review due {})",
            format_date(event.on),
            event.detail,
            cycle.due_month().label()
        );
        self.audit(&format!("cycle.{}", event.transition.code()), Some(patient_id), &summary)?;
        Ok(id)
    }

    /// Closes every open review of someone who left the practice or died, with the reason.
    pub fn close_open_cycles(
        &mut self,
        patient_id: i64,
        status: RegistrationStatus,
        on: NaiveDate,
    ) -> Result<usize, StoreError> {
        let open: Vec<i64> = self
            .tx
            .prepare_cached(
                "SELECT id FROM cycle WHERE patient_id = ?1
                 AND status NOT IN ('plan_agreed', 'declined', 'pca', 'left', 'died')",
            )?
            .query_map([patient_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in &open {
            let mut record = read_cycle(&self.tx, *id)?;
            let event = record
                .cycle
                .registration_ended(on, status)
                .map_err(|e| StoreError::Unreadable(e.to_string()))?;
            self.save_transition(patient_id, Some(*id), &record.cycle, &event)?;
        }
        Ok(open.len())
    }

    /// Records which batch the latest invitation of a cycle was printed in.
    pub fn link_invitation_to_batch(
        &mut self,
        cycle_id: i64,
        number: u8,
        batch_id: i64,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE invitation SET batch_id = ?3 WHERE cycle_id = ?1 AND number = ?2",
            )?
            .execute((cycle_id, number, batch_id))?;
        Ok(())
    }

    /// Logs a call, text, email, letter or visit about the review.
    pub fn log_contact_attempt(
        &mut self,
        patient_id: i64,
        cycle_id: Option<i64>,
        attempt: &ContactAttempt,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO contact_attempt (patient_id, cycle_id, on_date, method, outcome, note,
                    actor, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                patient_id,
                cycle_id,
                attempt.on,
                attempt.method.code(),
                attempt.outcome.code(),
                attempt.note,
                self.actor.name(),
                self.at,
            ])?;
        self.audit("recall.contact_attempt", Some(patient_id), &attempt.describe())
    }

    fn sync_invitations(&mut self, cycle_id: i64, cycle: &Cycle) -> Result<(), StoreError> {
        let mut insert = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO invitation (cycle_id, number, sent_on) VALUES (?1, ?2, ?3)",
        )?;
        for invitation in cycle.invitations() {
            insert.execute(params![cycle_id, invitation.number, invitation.sent_on])?;
        }
        Ok(())
    }

    /// Keeps the current booking row in step with the cycle: a change replaces the old row.
    fn sync_booking(
        &mut self,
        cycle_id: i64,
        contact: u8,
        booking: Option<&Booking>,
    ) -> Result<(), StoreError> {
        let current = current_booking(&self.tx, cycle_id, contact)?;
        if current.as_ref() == booking {
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "UPDATE booking SET replaced_at = ?3 WHERE cycle_id = ?1 AND contact = ?2 AND replaced_at IS NULL",
            )?
            .execute(params![cycle_id, contact, self.at])?;
        if let Some(booking) = booking {
            self.tx
                .prepare_cached(
                    "INSERT INTO booking (cycle_id, contact, starts_at, with_whom, place, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    cycle_id,
                    contact,
                    booking.starts_at().format("%Y-%m-%dT%H:%M").to_string(),
                    booking.with_whom(),
                    booking.place(),
                    self.at
                ])?;
        }
        Ok(())
    }
}

fn read_cycle(conn: &Connection, id: i64) -> Result<CycleRecord, StoreError> {
    let bad =
        |what: &str, value: &str| StoreError::Unreadable(format!("review {id}: {what} '{value}'"));
    let (patient_id, due_month, status, pack_sent_on, closed_on, pca_reason, note): (
        i64,
        String,
        String,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<String>,
        String,
    ) = conn
        .prepare_cached(
            "SELECT patient_id, due_month, status, pack_sent_on, closed_on, pca_reason, closing_note
             FROM cycle WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?;
    let due_month = YearMonth::parse(&due_month).map_err(|_| bad("month", &due_month))?;
    let status = CycleStatus::parse(&status).ok_or_else(|| bad("status", &status))?;
    let pca_reason = match pca_reason {
        Some(code) => Some(PcaReason::parse(&code).ok_or_else(|| bad("adjustment reason", &code))?),
        None => None,
    };
    let invitations = conn
        .prepare_cached(
            "SELECT number, sent_on FROM invitation WHERE cycle_id = ?1 ORDER BY number",
        )?
        .query_map([id], |r| Ok(Invitation { number: r.get(0)?, sent_on: r.get(1)? }))?
        .collect::<Result<_, _>>()?;
    let cycle = Cycle::restore(StoredCycle {
        due_month,
        status,
        invitations,
        contact1: current_booking(conn, id, 1)?,
        conversation: current_booking(conn, id, 2)?,
        pack_sent_on,
        closure: closed_on.map(|on| Closure { on, pca_reason, note }),
    });
    Ok(CycleRecord { id, patient_id, cycle })
}

fn current_booking(
    conn: &Connection,
    cycle_id: i64,
    contact: u8,
) -> Result<Option<Booking>, StoreError> {
    let row: Option<(String, String, String)> = conn
        .prepare_cached(
            "SELECT starts_at, with_whom, place FROM booking
             WHERE cycle_id = ?1 AND contact = ?2 AND replaced_at IS NULL",
        )?
        .query_row((cycle_id, contact), |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((starts_at, with_whom, place)) = row else { return Ok(None) };
    let starts_at = NaiveDateTime::parse_from_str(&starts_at, "%Y-%m-%dT%H:%M")
        .map_err(|_| StoreError::Unreadable(format!("booking time '{starts_at}'")))?;
    Booking::new(starts_at, &with_whom, &place).map(Some).map_err(StoreError::Unreadable)
}

fn last_attempt(conn: &Connection, patient_id: i64) -> Result<Option<RecordedAttempt>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT on_date, method, outcome, note, actor FROM contact_attempt
         WHERE patient_id = ?1 ORDER BY on_date DESC, id DESC LIMIT 1",
    )?;
    let found = statement.query_row([patient_id], attempt_from_row).optional()?;
    found.transpose()
}

fn attempt_from_row(
    row: &rusqlite::Row<'_>,
) -> rusqlite::Result<Result<RecordedAttempt, StoreError>> {
    let method: String = row.get(1)?;
    let outcome: String = row.get(2)?;
    let attempt = (|| {
        Ok(RecordedAttempt {
            attempt: ContactAttempt {
                on: row.get(0)?,
                method: ContactMethod::parse(&method).map_err(StoreError::Unreadable)?,
                outcome: ContactOutcome::parse(&outcome).map_err(StoreError::Unreadable)?,
                note: row.get(3)?,
            },
            actor: row.get(4)?,
        })
    })();
    Ok(attempt)
}

pub(super) fn cycle_of_id(conn: &Connection, id: i64) -> Result<Option<CycleRecord>, StoreError> {
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM cycle WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    exists.map(|id| read_cycle(conn, id)).transpose()
}

fn open_cycle_of(conn: &Connection, patient_id: i64) -> Result<Option<CycleRecord>, StoreError> {
    let id: Option<i64> = conn
        .prepare_cached(&format!(
            "SELECT id FROM cycle WHERE patient_id = ?1 AND status NOT IN ({CLOSED})
             ORDER BY year DESC LIMIT 1"
        ))?
        .query_row([patient_id], |r| r.get(0))
        .optional()?;
    id.map(|id| read_cycle(conn, id)).transpose()
}
