//! The register in the database: people, their current and ended diagnoses, the words their
//! names are found by, search with filters and paging, and each person's timeline.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, OptionalExtension, Row};

use super::{Store, StoreError, Write};
use crate::domain::catalogue::Catalogue;
use crate::domain::nhs_number::NhsNumber;
use crate::domain::person::{
    format_date, CommunicationNeed, Email, PersonName, Phone, RecallMonth, RegistrationStatus, Sex,
};
use crate::domain::postcode::Postcode;
use crate::domain::register::{changes_between, Address, Change, Diagnosis, PatientDetails};
use crate::domain::search::{
    name_words, sort_key, ConditionCount, FrailtyFilter, RegisterFilter, SearchText,
};
use crate::domain::snomed::SnomedCode;

/// A person as stored, with the bookkeeping the register keeps beside their details.
#[derive(Clone, Debug)]
pub struct PatientRow {
    pub id: i64,
    pub details: PatientDetails,
    pub missing_from_latest_import: bool,
}

/// One line of a search result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatientSummary {
    pub nhs_number: String,
    pub family_name: String,
    pub given_name: String,
    pub date_of_birth: NaiveDate,
    pub postcode: Option<String>,
    pub status: String,
    pub condition_ids: Vec<String>,
    pub frailty: Option<String>,
    pub communication_needs: Vec<String>,
    pub missing_from_latest_import: bool,
}

/// One page of search results and how many people match in all.
#[derive(Clone, Debug)]
pub struct SearchPage {
    pub total: u64,
    pub people: Vec<PatientSummary>,
}

/// Something that happened to a person's record, newest first.
#[derive(Clone, Debug)]
pub struct TimelineEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub summary: String,
}

const PATIENT_COLUMNS: &str = "id, nhs_number, family_name, given_name, date_of_birth, sex,
    address_line_1, address_line_2, town, postcode, phone, email, usual_clinician,
    communication_needs, status, recall_month, missing_from_latest_import";

impl Store {
    /// Everyone on the register, in name order, with their current diagnoses.
    pub fn all_patients(&self) -> Result<Vec<PatientRow>, StoreError> {
        let conn = self.conn();
        let mut diagnoses = current_diagnoses(conn, None)?;
        let mut statement =
            conn.prepare(&format!("SELECT {PATIENT_COLUMNS} FROM patient ORDER BY sort_key, id"))?;
        let rows = statement.query_map([], |row| Ok(patient_row(row, &mut diagnoses)))?;
        rows.map(|r| r?).collect()
    }

    pub fn patient(&self, nhs_number: &NhsNumber) -> Result<Option<PatientRow>, StoreError> {
        let id: Option<i64> = self
            .conn()
            .prepare_cached("SELECT id FROM patient WHERE nhs_number = ?1")?
            .query_row([nhs_number.as_str()], |r| r.get(0))
            .optional()?;
        id.map(|id| self.patient_by_id(id)).transpose()
    }

    /// A person by the register's own id.
    pub fn patient_by_id(&self, id: i64) -> Result<PatientRow, StoreError> {
        read_patient(self.conn(), id)
    }

    /// One page of the people matching the search text and filters, in name order.
    pub fn search(
        &self,
        text: &SearchText,
        filter: &RegisterFilter,
        offset: u32,
        limit: u32,
    ) -> Result<SearchPage, StoreError> {
        let conn = self.conn();
        let condition = match &filter.condition_id {
            None => ConditionMatch::Any,
            Some(id) => conn
                .prepare_cached("SELECT bit FROM condition_flag WHERE condition_id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?
                .map_or(ConditionMatch::Nobody, ConditionMatch::Bit),
        };
        // Counting reads the narrow filter index; a page walks the name index in order.
        let (clause, params) = where_clause(text, filter, condition, Purpose::Count);
        let total: i64 = conn
            .prepare_cached(&format!("SELECT count(*) FROM patient p WHERE {clause}"))?
            .query_row(params_from_iter(params.iter()), |r| r.get(0))?;
        let (clause, mut page_params) = where_clause(text, filter, condition, Purpose::Page);
        page_params.push(Value::Integer(i64::from(limit)));
        page_params.push(Value::Integer(i64::from(offset)));
        let mut statement = conn.prepare_cached(&format!(
            "SELECT p.id, p.nhs_number, p.family_name, p.given_name, p.date_of_birth, p.postcode,
                    p.status, p.frailty, p.communication_needs, p.missing_from_latest_import
             FROM patient p WHERE {clause} ORDER BY p.sort_key, p.id LIMIT ? OFFSET ?"
        ))?;
        let found = statement
            .query_map(params_from_iter(page_params.iter()), |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    PatientSummary {
                        nhs_number: row.get(1)?,
                        family_name: row.get(2)?,
                        given_name: row.get(3)?,
                        date_of_birth: row.get(4)?,
                        postcode: row.get(5)?,
                        status: row.get(6)?,
                        condition_ids: Vec::new(),
                        frailty: row.get(7)?,
                        communication_needs: split_tokens(&row.get::<_, String>(8)?),
                        missing_from_latest_import: row.get(9)?,
                    },
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut conditions = conn.prepare_cached(
            "SELECT DISTINCT condition_id FROM diagnosis
             WHERE patient_id = ?1 AND ended_at IS NULL ORDER BY condition_id",
        )?;
        let mut people = Vec::with_capacity(found.len());
        for (id, mut summary) in found {
            summary.condition_ids =
                conditions.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
            people.push(summary);
        }
        Ok(SearchPage { total: total as u64, people })
    }

    /// Everything recorded about a person, newest first.
    pub fn timeline(&self, nhs_number: &NhsNumber) -> Result<Vec<TimelineEntry>, StoreError> {
        let mut statement = self.conn().prepare(
            "SELECT a.at, a.actor, a.action, a.summary FROM audit_event a
             JOIN patient p ON p.id = a.patient_id
             WHERE p.nhs_number = ?1 ORDER BY a.id DESC",
        )?;
        let entries = statement
            .query_map([nhs_number.as_str()], |row| {
                Ok(TimelineEntry {
                    at: row.get(0)?,
                    actor: row.get(1)?,
                    action: row.get(2)?,
                    summary: row.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(entries)
    }
}

/// A person by id, from any connection (the store's, or an open write's).
pub(super) fn read_patient(conn: &Connection, id: i64) -> Result<PatientRow, StoreError> {
    let mut diagnoses = current_diagnoses(conn, Some(id))?;
    conn.prepare_cached(&format!("SELECT {PATIENT_COLUMNS} FROM patient WHERE id = ?1"))?
        .query_row([id], |row| Ok(patient_row(row, &mut diagnoses)))?
}

impl Write<'_> {
    /// A person as this transaction sees them, by NHS number.
    pub fn patient(&self, nhs_number: &NhsNumber) -> Result<Option<PatientRow>, StoreError> {
        let id: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM patient WHERE nhs_number = ?1")?
            .query_row([nhs_number.as_str()], |r| r.get(0))
            .optional()?;
        id.map(|id| read_patient(&self.tx, id)).transpose()
    }

    /// A person as this transaction sees them, by id.
    pub fn patient_by_id(&self, id: i64) -> Result<PatientRow, StoreError> {
        read_patient(&self.tx, id)
    }

    /// Puts a new person on the register.
    pub fn add_patient(
        &mut self,
        details: &PatientDetails,
        catalogue: &Catalogue,
        why: &str,
    ) -> Result<i64, StoreError> {
        let fields = PatientFields::of(details, catalogue);
        let flags = self.condition_flags(details)?;
        self.tx
            .prepare_cached(
                "INSERT INTO patient (nhs_number, family_name, given_name, sort_key,
                    date_of_birth, sex, address_line_1, address_line_2, town, postcode, phone,
                    email, usual_clinician, communication_needs, status, recall_month,
                    ltc_count, frailty, added_at, updated_at, condition_flags)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?19, ?20)",
            )?
            .execute(rusqlite::params![
                details.nhs_number.as_str(),
                details.name.family(),
                details.name.given(),
                fields.sort_key,
                details.date_of_birth,
                details.sex.code(),
                details.address.line_1,
                details.address.line_2,
                details.address.town,
                fields.postcode,
                fields.phone,
                fields.email,
                details.usual_clinician,
                fields.communication_needs,
                details.status.code(),
                fields.recall_month,
                fields.ltc_count,
                fields.frailty,
                self.at,
                flags,
            ])?;
        let id = self.tx.last_insert_rowid();
        self.write_name_words(id, &details.name)?;
        for diagnosis in &details.conditions {
            self.add_diagnosis(id, diagnosis)?;
        }
        let summary = format!(
            "{} {}, born {}; {}",
            details.name.given(),
            details.name.family(),
            format_date(details.date_of_birth),
            why
        );
        self.audit("register.added", Some(id), &summary)?;
        Ok(id)
    }

    /// Replaces a person's details, ending diagnoses no longer listed, and records what changed.
    pub fn update_patient(
        &mut self,
        id: i64,
        before: &PatientDetails,
        after: &PatientDetails,
        catalogue: &Catalogue,
        why: &str,
    ) -> Result<Vec<Change>, StoreError> {
        let changes = changes_between(before, after);
        let fields = PatientFields::of(after, catalogue);
        let flags = self.condition_flags(after)?;
        self.tx
            .prepare_cached(
                "UPDATE patient SET family_name = ?2, given_name = ?3, sort_key = ?4,
                    date_of_birth = ?5, sex = ?6, address_line_1 = ?7, address_line_2 = ?8,
                    town = ?9, postcode = ?10, phone = ?11, email = ?12, usual_clinician = ?13,
                    communication_needs = ?14, status = ?15, recall_month = ?16, ltc_count = ?17,
                    frailty = ?18, missing_from_latest_import = 0, updated_at = ?19,
                    condition_flags = ?20
                 WHERE id = ?1",
            )?
            .execute(rusqlite::params![
                id,
                after.name.family(),
                after.name.given(),
                fields.sort_key,
                after.date_of_birth,
                after.sex.code(),
                after.address.line_1,
                after.address.line_2,
                after.address.town,
                fields.postcode,
                fields.phone,
                fields.email,
                after.usual_clinician,
                fields.communication_needs,
                after.status.code(),
                fields.recall_month,
                fields.ltc_count,
                fields.frailty,
                self.at,
                flags,
            ])?;
        if before.name != after.name {
            self.tx.execute("DELETE FROM patient_name_word WHERE patient_id = ?1", [id])?;
            self.write_name_words(id, &after.name)?;
        }
        for old in before.conditions.iter().filter(|d| !after.conditions.contains(d)) {
            self.tx.execute(
                "UPDATE diagnosis SET ended_at = ?3
                 WHERE patient_id = ?1 AND snomed_code = ?2 AND ended_at IS NULL",
                (id, old.code.as_str(), &self.at),
            )?;
        }
        for new in after.conditions.iter().filter(|d| !before.conditions.contains(d)) {
            self.add_diagnosis(id, new)?;
        }
        let described = if changes.is_empty() {
            "no details changed".to_string()
        } else {
            Change::describe(&changes)
        };
        self.audit("register.updated", Some(id), &format!("{described}; {why}"))?;
        Ok(changes)
    }

    /// Sets the month the practice chose for a person's review (`None`: their birth month).
    pub fn set_recall_month(
        &mut self,
        id: i64,
        before: Option<RecallMonth>,
        after: Option<RecallMonth>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached("UPDATE patient SET recall_month = ?2, updated_at = ?3 WHERE id = ?1")?
            .execute(rusqlite::params![id, after.map(RecallMonth::number), self.at])?;
        let describe =
            |m: Option<RecallMonth>| m.map_or("birth month".to_string(), |m| m.to_string());
        self.audit(
            "register.recall_month",
            Some(id),
            &format!("review month: {} → {}", describe(before), describe(after)),
        )
    }

    /// Marks or clears "missing from the latest register import".
    pub fn set_missing_from_import(
        &mut self,
        id: i64,
        missing: bool,
        why: &str,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "UPDATE patient SET missing_from_latest_import = ?2, updated_at = ?3 WHERE id = ?1",
            )?
            .execute((id, missing, &self.at))?;
        let action =
            if missing { "register.missing_from_import" } else { "register.back_in_import" };
        self.audit(action, Some(id), why)
    }

    /// The bits of `condition_flags` for a person's current conditions.
    fn condition_flags(&mut self, details: &PatientDetails) -> Result<i64, StoreError> {
        let mut flags = 0;
        for diagnosis in &details.conditions {
            flags |= 1 << self.condition_bit(&diagnosis.condition_id)?;
        }
        Ok(flags)
    }

    /// The bit that stands for a condition, given out the first time it is needed.
    fn condition_bit(&mut self, condition_id: &str) -> Result<i64, StoreError> {
        if let Some(bit) = self.condition_bits.get(condition_id) {
            return Ok(*bit);
        }
        let known: Option<i64> = self
            .tx
            .query_row(
                "SELECT bit FROM condition_flag WHERE condition_id = ?1",
                [condition_id],
                |r| r.get(0),
            )
            .optional()?;
        let bit = match known {
            Some(bit) => bit,
            None => {
                let next: i64 = self.tx.query_row(
                    "SELECT coalesce(max(bit) + 1, 0) FROM condition_flag",
                    [],
                    |r| r.get(0),
                )?;
                if next > 62 {
                    return Err(StoreError::TooManyConditions);
                }
                self.tx.execute(
                    "INSERT INTO condition_flag (condition_id, bit) VALUES (?1, ?2)",
                    (condition_id, next),
                )?;
                next
            }
        };
        self.condition_bits.insert(condition_id.to_string(), bit);
        Ok(bit)
    }

    fn write_name_words(&mut self, id: i64, name: &PersonName) -> Result<(), StoreError> {
        let mut insert = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO patient_name_word (word, patient_id) VALUES (?1, ?2)",
        )?;
        for word in name_words(name) {
            insert.execute((word, id))?;
        }
        Ok(())
    }

    fn add_diagnosis(&mut self, id: i64, diagnosis: &Diagnosis) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO diagnosis (patient_id, snomed_code, condition_id, diagnosed_on, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute((id, diagnosis.code.as_str(), &diagnosis.condition_id, diagnosis.diagnosed_on, &self.at))?;
        Ok(())
    }
}

/// The stored forms of a person's details that are not plain text columns.
struct PatientFields {
    sort_key: String,
    postcode: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    communication_needs: String,
    recall_month: Option<u32>,
    ltc_count: i64,
    frailty: Option<&'static str>,
}

impl PatientFields {
    fn of(details: &PatientDetails, catalogue: &Catalogue) -> PatientFields {
        PatientFields {
            sort_key: sort_key(&details.name),
            postcode: details.address.postcode.as_ref().map(|p| p.as_str().to_string()),
            phone: details.phone.as_ref().map(|p| p.as_str().to_string()),
            email: details.email.as_ref().map(|e| e.as_str().to_string()),
            communication_needs: details
                .communication_needs
                .iter()
                .map(CommunicationNeed::token)
                .collect::<Vec<_>>()
                .join(";"),
            recall_month: details.recall_month.map(RecallMonth::number),
            ltc_count: details.long_term_condition_count(catalogue) as i64,
            frailty: details.frailty(catalogue).map(|g| g.code()),
        }
    }
}

fn split_tokens(text: &str) -> Vec<String> {
    text.split(';').filter(|t| !t.is_empty()).map(str::to_string).collect()
}

fn current_diagnoses(
    conn: &Connection,
    patient_id: Option<i64>,
) -> Result<HashMap<i64, Vec<Diagnosis>>, StoreError> {
    const COLUMNS: &str =
        "SELECT patient_id, snomed_code, condition_id, diagnosed_on FROM diagnosis";
    let mut statement = match patient_id {
        Some(_) => conn.prepare_cached(&format!(
            "{COLUMNS} WHERE ended_at IS NULL AND patient_id = ?1 ORDER BY id"
        ))?,
        None => conn.prepare_cached(&format!(
            "{COLUMNS} WHERE ended_at IS NULL AND ?1 IS NULL ORDER BY patient_id, id"
        ))?,
    };
    let mut rows = statement.query([patient_id])?;
    let mut map: HashMap<i64, Vec<Diagnosis>> = HashMap::new();
    while let Some(row) = rows.next()? {
        let patient_id: i64 = row.get(0)?;
        let code: String = row.get(1)?;
        let code = SnomedCode::parse(&code).map_err(|e| {
            StoreError::Unreadable(format!("diagnosis of person {patient_id}: {e}"))
        })?;
        map.entry(patient_id).or_default().push(Diagnosis {
            code,
            condition_id: row.get(2)?,
            diagnosed_on: row.get(3)?,
        });
    }
    Ok(map)
}

/// Rebuilds a person's details from a row of `PATIENT_COLUMNS`, re-checking every value.
fn patient_row(
    row: &Row<'_>,
    diagnoses: &mut HashMap<i64, Vec<Diagnosis>>,
) -> Result<PatientRow, StoreError> {
    let id: i64 = row.get(0)?;
    let bad = |field: &str, e: String| StoreError::Unreadable(format!("person {id}, {field}: {e}"));
    let text = |i: usize| -> Result<String, StoreError> { Ok(row.get::<_, String>(i)?) };
    let optional =
        |i: usize| -> Result<Option<String>, StoreError> { Ok(row.get::<_, Option<String>>(i)?) };
    let nhs_number = NhsNumber::parse(&text(1)?).map_err(|e| bad("NHS number", e.to_string()))?;
    let name = PersonName::new(&text(2)?, &text(3)?).map_err(|e| bad("name", e.to_string()))?;
    let postcode = optional(9)?
        .map(|p| Postcode::parse(&p))
        .transpose()
        .map_err(|e| bad("postcode", e.to_string()))?;
    let recall_month = match row.get::<_, Option<u32>>(15)? {
        Some(month) => {
            Some(RecallMonth::new(month).ok_or_else(|| bad("recall month", month.to_string()))?)
        }
        None => None,
    };
    let details = PatientDetails {
        nhs_number,
        name,
        date_of_birth: row.get(4)?,
        sex: Sex::parse(&text(5)?).map_err(|e| bad("sex", e))?,
        address: Address {
            line_1: optional(6)?,
            line_2: optional(7)?,
            town: optional(8)?,
            postcode,
        },
        phone: optional(10)?.map(|p| Phone::parse(&p)).transpose().map_err(|e| bad("phone", e))?,
        email: optional(11)?.map(|e| Email::parse(&e)).transpose().map_err(|e| bad("email", e))?,
        usual_clinician: optional(12)?,
        communication_needs: CommunicationNeed::parse_list(&text(13)?)
            .map_err(|e| bad("communication needs", e))?,
        conditions: diagnoses.remove(&id).unwrap_or_default(),
        status: RegistrationStatus::parse(&text(14)?).map_err(|e| bad("status", e))?,
        recall_month,
    };
    Ok(PatientRow { id, details, missing_from_latest_import: row.get(16)? })
}

/// Whether the condition filter applies, and how.
#[derive(Clone, Copy)]
enum ConditionMatch {
    Any,
    Bit(i64),
    /// The condition has never been recorded for anyone.
    Nobody,
}

/// Counting and paging want different indexes for the same filters.
#[derive(Clone, Copy, PartialEq)]
enum Purpose {
    Count,
    Page,
}

/// The SQL condition and its parameters for a search, over `patient p`.
///
/// Which index answers is decided here, not left to the query planner: typed text is always
/// found through its own index (NHS number, date of birth, name words) and the filters are
/// checked on the few rows found; with nothing typed, a count reads the narrow filter index and
/// a page walks the name index in order. Writing a column as `+p.x` keeps SQLite from using an
/// index for it.
fn where_clause(
    text: &SearchText,
    filter: &RegisterFilter,
    condition: ConditionMatch,
    purpose: Purpose,
) -> (String, Vec<Value>) {
    let browsing_count = *text == SearchText::Everyone && purpose == Purpose::Count;
    let plus = if browsing_count { "" } else { "+" };
    let mut parts: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    match text {
        SearchText::Everyone => {}
        SearchText::NhsNumber(number) => {
            parts.push("p.nhs_number = ?".into());
            params.push(Value::Text(number.as_str().to_string()));
        }
        SearchText::NhsNumberStart(digits) => {
            parts.push("p.nhs_number >= ? AND p.nhs_number < ?".into());
            params.push(Value::Text(digits.clone()));
            params.push(Value::Text(prefix_end(digits)));
        }
        SearchText::DateOfBirth(date) => {
            parts.push("p.date_of_birth = ?".into());
            params.push(Value::Text(date.format("%Y-%m-%d").to_string()));
        }
        SearchText::Name(words) => {
            for word in words {
                parts.push(
                    "p.id IN (SELECT patient_id FROM patient_name_word WHERE word >= ? AND word < ?)"
                        .into(),
                );
                params.push(Value::Text(word.clone()));
                params.push(Value::Text(prefix_end(word)));
            }
        }
    }
    match condition {
        ConditionMatch::Any => {}
        ConditionMatch::Bit(bit) => {
            parts.push(format!("{plus}p.condition_flags & ? != 0"));
            params.push(Value::Integer(1 << bit));
        }
        ConditionMatch::Nobody => parts.push("0".into()),
    }
    match filter.condition_count {
        ConditionCount::Any => {}
        ConditionCount::One => parts.push(format!("{plus}p.ltc_count = 1")),
        ConditionCount::TwoOrMore => parts.push(format!("{plus}p.ltc_count >= 2")),
    }
    match filter.frailty {
        FrailtyFilter::Any => {}
        FrailtyFilter::Frail => parts.push(format!("{plus}p.frailty IS NOT NULL")),
        FrailtyFilter::ModerateOrSevere => {
            parts.push(format!("{plus}p.frailty IN ('moderate', 'severe')"))
        }
        FrailtyFilter::NotFrail => parts.push(format!("{plus}p.frailty IS NULL")),
    }
    if let Some(status) = filter.status {
        parts.push(format!("{plus}p.status = ?"));
        params.push(Value::Text(status.code().to_string()));
    }
    if parts.is_empty() {
        parts.push("1".into());
    }
    (parts.join(" AND "), params)
}

/// The smallest text greater than every text starting with `prefix`.
fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(last as u32 + 1) {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    char::MAX.to_string()
}
