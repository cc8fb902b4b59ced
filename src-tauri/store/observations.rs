//! Recorded values in the database: written once, never changed; a correction adds a row and
//! retracts the old one with who, when and why.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, Row};

use super::{Store, StoreError, Write};
use crate::domain::checklist::{NotDoneReason, Observation, Recorded};
use crate::domain::measures::{ItemDef, Measures, Value};

/// Where a value came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ObservationSource {
    Contact1,
    LabImport,
    Computed,
}

impl ObservationSource {
    pub fn code(self) -> &'static str {
        match self {
            ObservationSource::Contact1 => "contact1",
            ObservationSource::LabImport => "lab_import",
            ObservationSource::Computed => "computed",
        }
    }

    fn parse(code: &str) -> ObservationSource {
        match code {
            "lab_import" => ObservationSource::LabImport,
            "computed" => ObservationSource::Computed,
            _ => ObservationSource::Contact1,
        }
    }
}

/// Why a value no longer counts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RetractionKind {
    Superseded,
    EnteredInError,
}

impl RetractionKind {
    pub fn code(self) -> &'static str {
        match self {
            RetractionKind::Superseded => "superseded",
            RetractionKind::EnteredInError => "entered_in_error",
        }
    }
}

#[derive(Clone, PartialEq, Debug)]
pub struct Retraction {
    pub kind: RetractionKind,
    pub replaced_by: Option<i64>,
    pub reason: String,
    pub actor: String,
    pub at: String,
}

/// One stored row, current or retracted.
#[derive(Clone, PartialEq, Debug)]
pub struct StoredObservation {
    pub id: i64,
    pub patient_id: i64,
    pub cycle_id: Option<i64>,
    pub item: String,
    pub taken_on: NaiveDate,
    pub value: Option<String>,
    pub option: Option<String>,
    pub answers: String,
    pub not_done: Option<NotDoneReason>,
    pub note: String,
    /// The value and unit a lab file gave, when it was converted.
    pub reported: Option<(String, String)>,
    pub source: ObservationSource,
    pub source_detail: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub retraction: Option<Retraction>,
}

impl StoredObservation {
    /// The recorded value or reason, read back through its catalogue item; `None` if the item
    /// has gone from the catalogue or the text no longer fits it.
    pub fn recorded(&self, measures: &Measures) -> Option<Recorded> {
        if let Some(reason) = self.not_done {
            return Some(Recorded::NotDone(reason));
        }
        let item = measures.item(&self.item)?;
        let value = item.restore(self.value.as_deref()?, self.option.as_deref(), &self.answers)?;
        Some(Recorded::Value(value))
    }

    /// As the checklist sees it, if it is current.
    pub fn for_checklist(&self, measures: &Measures, cycle_id: Option<i64>) -> Option<Observation> {
        if self.retraction.is_some() {
            return None;
        }
        Some(Observation {
            id: self.id,
            item: self.item.clone(),
            taken_on: self.taken_on,
            recorded: self.recorded(measures)?,
            this_cycle: cycle_id.is_some() && self.cycle_id == cycle_id,
        })
    }
}

/// A value or a reason to write.
pub struct NewObservation<'a> {
    pub patient_id: i64,
    pub cycle_id: Option<i64>,
    pub item: &'a ItemDef,
    pub taken_on: NaiveDate,
    pub recorded: &'a Recorded,
    pub note: &'a str,
    pub reported: Option<(&'a str, &'a str)>,
    pub source: ObservationSource,
    pub source_detail: &'a str,
}

/// The current value of one item on one day, for spotting a re-imported result.
#[derive(Clone, Debug)]
pub struct CurrentKey {
    pub id: i64,
    pub value: Option<String>,
    pub not_done: Option<NotDoneReason>,
    pub cycle_id: Option<i64>,
}

const COLUMNS: &str = "o.id, o.patient_id, o.cycle_id, o.item, o.taken_on, o.value, o.option,
    o.answers, o.not_done_reason, o.note, o.reported_value, o.reported_unit, o.source,
    o.source_detail, o.recorded_by, o.recorded_at, r.kind, r.replaced_by, r.reason, r.actor, r.at";

impl Store {
    /// Every value recorded for a person, current and retracted, newest first.
    pub fn observations_of(&self, patient_id: i64) -> Result<Vec<StoredObservation>, StoreError> {
        observations_of(self.conn(), patient_id)
    }

    /// One stored row.
    pub fn observation(&self, id: i64) -> Result<Option<StoredObservation>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM observation o
             LEFT JOIN observation_retraction r ON r.observation_id = o.id WHERE o.id = ?1"
        );
        let mut statement = self.conn().prepare_cached(&sql)?;
        let mut rows = statement.query_map([id], from_row)?;
        rows.next().transpose()?.transpose()
    }

    /// The current value of every item on every day, keyed by person, item and day.
    pub fn current_observation_keys(
        &self,
    ) -> Result<HashMap<(i64, String, NaiveDate), CurrentKey>, StoreError> {
        let mut statement = self.conn().prepare(
            "SELECT o.patient_id, o.item, o.taken_on, o.id, o.value, o.not_done_reason, o.cycle_id
             FROM observation o WHERE NOT EXISTS
                (SELECT 1 FROM observation_retraction r WHERE r.observation_id = o.id)",
        )?;
        let rows = statement.query_map([], |r| {
            let reason: Option<String> = r.get(5)?;
            Ok((
                (r.get(0)?, r.get(1)?, r.get(2)?),
                CurrentKey {
                    id: r.get(3)?,
                    value: r.get(4)?,
                    not_done: reason.as_deref().and_then(NotDoneReason::parse),
                    cycle_id: r.get(6)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every value a lab file has ever brought, current or since corrected: person, item, day
    /// and value as written. A file bringing one again is not a change.
    pub fn imported_results(
        &self,
    ) -> Result<std::collections::HashSet<(i64, String, NaiveDate, String)>, StoreError> {
        let mut statement = self.conn().prepare(
            "SELECT patient_id, item, taken_on, value FROM observation
             WHERE source = 'lab_import' AND value IS NOT NULL",
        )?;
        let rows = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every value recorded for everyone with an open review, by person, newest first.
    pub fn observations_of_open_reviews(
        &self,
    ) -> Result<HashMap<i64, Vec<StoredObservation>>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM observation o
             LEFT JOIN observation_retraction r ON r.observation_id = o.id
             WHERE o.patient_id IN (SELECT patient_id FROM cycle
                                    WHERE status NOT IN ({}))
             ORDER BY o.patient_id, o.taken_on DESC, o.id DESC",
            super::cycles::CLOSED
        );
        let mut statement = self.conn().prepare(&sql)?;
        let mut map: HashMap<i64, Vec<StoredObservation>> = HashMap::new();
        for row in statement.query_map([], from_row)? {
            let observation = row??;
            map.entry(observation.patient_id).or_default().push(observation);
        }
        Ok(map)
    }

    /// How many current values are stored (for figures and checks).
    pub fn current_observation_count(&self) -> Result<i64, StoreError> {
        Ok(self.conn().query_row(
            "SELECT count(*) FROM observation o WHERE NOT EXISTS
                (SELECT 1 FROM observation_retraction r WHERE r.observation_id = o.id)",
            [],
            |r| r.get(0),
        )?)
    }
}

impl Write<'_> {
    /// A person's values as this transaction sees them.
    pub fn observations_of(&self, patient_id: i64) -> Result<Vec<StoredObservation>, StoreError> {
        observations_of(&self.tx, patient_id)
    }

    /// Writes one value or reason; the caller audits it. Returns its id.
    pub fn insert_observation(&mut self, new: &NewObservation<'_>) -> Result<i64, StoreError> {
        let (value, number, number2, option, answers, not_done) = match new.recorded {
            Recorded::Value(value) => (
                Some(value.stored_text()),
                value.number(new.item),
                value.second_number(),
                value.option().map(str::to_string),
                value.answers_text(),
                None,
            ),
            Recorded::NotDone(reason) => {
                (None, None, None, None, String::new(), Some(reason.code()))
            }
        };
        let unit = match new.recorded {
            Recorded::Value(Value::Quantity(_) | Value::BloodPressure { .. }) => {
                new.item.unit().map(|u| u.ucum.clone())
            }
            _ => None,
        };
        self.tx
            .prepare_cached(
                "INSERT INTO observation (patient_id, cycle_id, item, taken_on, value, number,
                    number2, unit, option, answers, not_done_reason, note, reported_value,
                    reported_unit, source, source_detail, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18)",
            )?
            .execute(params![
                new.patient_id,
                new.cycle_id,
                new.item.id(),
                new.taken_on,
                value,
                number,
                number2,
                unit,
                option,
                answers,
                not_done,
                new.note,
                new.reported.map(|r| r.0),
                new.reported.map(|r| r.1),
                new.source.code(),
                new.source_detail,
                self.actor.name(),
                self.at,
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Marks a value as no longer counting. Refuses one already retracted.
    pub fn retract_observation(
        &mut self,
        id: i64,
        kind: RetractionKind,
        replaced_by: Option<i64>,
        reason: &str,
    ) -> Result<(), StoreError> {
        let changed = self
            .tx
            .prepare_cached(
                "INSERT INTO observation_retraction (observation_id, kind, replaced_by, reason,
                    actor, at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6
                 WHERE NOT EXISTS (SELECT 1 FROM observation_retraction WHERE observation_id = ?1)",
            )?
            .execute(params![id, kind.code(), replaced_by, reason, self.actor.name(), self.at])?;
        if changed == 0 {
            return Err(StoreError::Refused(
                "that value has already been corrected or marked entered in error".into(),
            ));
        }
        Ok(())
    }

    /// Current "sent to lab" markers, keyed by review and item.
    pub fn samples_at_lab(&self) -> Result<HashMap<(i64, String), i64>, StoreError> {
        let mut statement = self.tx.prepare(
            "SELECT o.cycle_id, o.item, o.id FROM observation o
             WHERE o.not_done_reason = 'sent_to_lab' AND o.cycle_id IS NOT NULL AND NOT EXISTS
                (SELECT 1 FROM observation_retraction r WHERE r.observation_id = o.id)",
        )?;
        let rows = statement.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn observations_of(
    conn: &Connection,
    patient_id: i64,
) -> Result<Vec<StoredObservation>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM observation o
         LEFT JOIN observation_retraction r ON r.observation_id = o.id
         WHERE o.patient_id = ?1 ORDER BY o.taken_on DESC, o.id DESC"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map([patient_id], from_row)?;
    rows.map(|r| r?).collect()
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Result<StoredObservation, StoreError>> {
    let reason: Option<String> = r.get(8)?;
    let not_done = match reason.as_deref().map(|c| (c, NotDoneReason::parse(c))) {
        None => None,
        Some((_, Some(reason))) => Some(reason),
        Some((code, None)) => {
            return Ok(Err(StoreError::Unreadable(format!("unknown reason '{code}'"))))
        }
    };
    let reported_value: Option<String> = r.get(10)?;
    let reported_unit: Option<String> = r.get(11)?;
    let source: String = r.get(12)?;
    let kind: Option<String> = r.get(16)?;
    let retraction = match kind {
        None => None,
        Some(kind) => Some(Retraction {
            kind: if kind == "superseded" {
                RetractionKind::Superseded
            } else {
                RetractionKind::EnteredInError
            },
            replaced_by: r.get(17)?,
            reason: r.get(18)?,
            actor: r.get(19)?,
            at: r.get(20)?,
        }),
    };
    Ok(Ok(StoredObservation {
        id: r.get(0)?,
        patient_id: r.get(1)?,
        cycle_id: r.get(2)?,
        item: r.get(3)?,
        taken_on: r.get(4)?,
        value: r.get(5)?,
        option: r.get(6)?,
        answers: r.get(7)?,
        not_done,
        note: r.get(9)?,
        reported: reported_value.zip(reported_unit),
        source: ObservationSource::parse(&source),
        source_detail: r.get(13)?,
        recorded_by: r.get(14)?,
        recorded_at: r.get(15)?,
        retraction,
    }))
}
