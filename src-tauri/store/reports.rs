//! What the steering group's report reads: every review's steps from its stored events, the
//! plans agreed and what they contain, red findings and their acknowledgement, feedback forms,
//! and the people due with no review opened. Also keeps the feedback forms themselves.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{params, Connection, OptionalExtension};

use super::{Store, StoreError, Write};
use crate::domain::calendar::YearMonth;
use crate::domain::careplan::PlanDocument;
use crate::domain::cycle::PcaReason;
use crate::domain::feedback::FeedbackForm;
use crate::domain::metrics::{GoalTally, PlanQuality, Range, RedFinding, ReviewFacts, Step};
use crate::domain::practice::Cohort;

/// An acknowledged finding, before the report keeps only the red ones.
#[derive(Clone, Debug, PartialEq)]
pub struct AcknowledgedFinding {
    /// The place of its review among the facts read.
    pub review: usize,
    pub rule_id: String,
    pub finding: RedFinding,
}

/// A person as the list behind a figure shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportPerson {
    pub id: i64,
    pub nhs_number: String,
    pub name: String,
    pub status: String,
}

/// A feedback form as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFeedback {
    pub id: i64,
    pub cycle_id: i64,
    pub completed_on: NaiveDate,
    pub form: FeedbackForm,
    pub entered_by: String,
    pub entered_at: String,
}

impl Store {
    /// Every review that can bear on `range` (opened by its end, or due by then), with its steps, and the
    /// acknowledged findings of those reviews. Reads one moment of the database.
    /// `dated_items` are the items recorded with their own date rather than the visit's.
    pub fn report_facts(
        &self,
        range: &Range,
        cohort: &Cohort,
        dated_items: &[&str],
        today: NaiveDate,
    ) -> Result<(Vec<ReviewFacts>, Vec<AcknowledgedFinding>), StoreError> {
        let readers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        let reading = Reading { readers, part: 25_000, moment: None };
        let (facts, findings, _) =
            self.report_facts_in(range, cohort, dated_items, today, reading)?;
        Ok((facts, findings))
    }

    /// `report_facts`, with the reviews read in parts at once when there are enough of them:
    /// each part but the last on its own read-only connection, in its own thread. A part is
    /// used only if its connection reads the same moment of the database as this one (every
    /// change adds to the audit trail, so the same last audit entry means the same moment);
    /// otherwise, or if it cannot be read apart, it is read again here. Also says how many
    /// parts were read apart.
    pub fn report_facts_in(
        &self,
        range: &Range,
        cohort: &Cohort,
        dated: &[&str],
        today: NaiveDate,
        reading: Reading,
    ) -> Result<(Vec<ReviewFacts>, Vec<AcknowledgedFinding>, usize), StoreError> {
        let Reading { readers, part, moment } = reading;
        let tx = self.conn.unchecked_transaction()?;
        let now = last_audit_entry(&tx)?;
        let (first, last): (Option<i64>, Option<i64>) =
            tx.query_row("SELECT min(id), max(id) FROM cycle", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let parts = match (first, last) {
            (Some(first), Some(last)) if !self.read_only => parts(first, last, readers, part),
            _ => vec![(first.unwrap_or(0), last.unwrap_or(0))],
        };
        let (mine, theirs) = parts.split_last().expect("at least one part");
        let ((mut facts, place), apart) = std::thread::scope(|scope| {
            let helpers: Vec<_> = theirs
                .iter()
                .map(|&part| {
                    let path = self.path.as_path();
                    let moment = moment.unwrap_or(now);
                    scope.spawn(move || read_apart(path, moment, range, part, dated))
                })
                .collect();
            let last = read_reviews(&tx, range, *mine, dated)?;
            let mut read = (Vec::new(), Places::default());
            let mut apart = 0;
            for (helper, &part) in helpers.into_iter().zip(theirs) {
                let part = match helper.join() {
                    Ok(Some(part)) => {
                        apart += 1;
                        part
                    }
                    _ => read_reviews(&tx, range, part, dated)?,
                };
                append(&mut read, part);
            }
            append(&mut read, last);
            Ok::<_, StoreError>((read, apart))
        })?;
        not_opened(&tx, range, cohort, today, &mut facts)?;
        let findings = acknowledged_findings(&tx, &place)?;
        tx.commit()?;
        Ok((facts, findings, apart))
    }

    /// The people with these ids, for the list behind a figure.
    pub fn report_people(&self, ids: &[i64]) -> Result<HashMap<i64, ReportPerson>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, nhs_number, given_name || ' ' || family_name, status FROM patient
             WHERE id = ?1",
        )?;
        let mut people = HashMap::with_capacity(ids.len());
        for id in ids {
            if people.contains_key(id) {
                continue;
            }
            let person = statement.query_row([id], |r| {
                Ok(ReportPerson {
                    id: r.get(0)?,
                    nhs_number: r.get(1)?,
                    name: r.get(2)?,
                    status: r.get(3)?,
                })
            })?;
            people.insert(*id, person);
        }
        Ok(people)
    }

    /// A person's reviews whose conversation was held: review, year and day held, by year.
    pub fn conversations_held(
        &self,
        patient_id: i64,
    ) -> Result<Vec<(i64, i32, NaiveDate)>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT c.id, c.year, min(e.on_date) FROM cycle c
             JOIN cycle_event e ON e.cycle_id = c.id AND e.transition = 'hold_conversation'
             WHERE c.patient_id = ?1 GROUP BY c.id ORDER BY c.year",
        )?;
        let rows = statement.query_map([patient_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The forms entered for a review, oldest first, with whether each still counts.
    pub fn feedback_forms(&self, cycle_id: i64) -> Result<Vec<(StoredFeedback, bool)>, StoreError> {
        feedback_forms(&self.conn, cycle_id)
    }
}

impl Write<'_> {
    /// Keeps a form for a review; with `replaces`, the form it corrects stops counting. Audited
    /// against the person without the answers (feedback is reported only in aggregate).
    pub fn add_feedback_form(
        &mut self,
        patient_id: i64,
        cycle_id: i64,
        completed_on: NaiveDate,
        form: &FeedbackForm,
        replaces: Option<(i64, &str)>,
    ) -> Result<i64, StoreError> {
        let current = feedback_forms(&self.tx, cycle_id)?
            .into_iter()
            .filter(|(_, counts)| *counts)
            .map(|(f, _)| f.id)
            .collect::<Vec<_>>();
        match replaces {
            None if !current.is_empty() => {
                return Err(StoreError::Refused(
                    "a feedback form is already entered for this review: correct that one instead"
                        .into(),
                ))
            }
            Some((old, _)) if !current.contains(&old) => {
                return Err(StoreError::Refused(
                    "the form to correct is not this review's current form".into(),
                ))
            }
            _ => {}
        }
        let (collaborate, care) = form.codes();
        self.tx
            .prepare_cached(
                "INSERT INTO feedback_form (cycle_id, completed_on, collaborate, care, entered_by,
                     entered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                cycle_id,
                completed_on,
                collaborate,
                care,
                self.actor.name(),
                self.at
            ])?;
        let id = self.tx.last_insert_rowid();
        let summary = match replaces {
            Some((old, reason)) => {
                self.retract_feedback(old, Some(id), reason)?;
                format!("feedback form of {completed_on} corrected; why: {}", reason.trim())
            }
            None => format!("feedback form of {completed_on} entered"),
        };
        self.audit("feedback.entered", Some(patient_id), &summary)?;
        Ok(id)
    }

    /// Marks a form entered in error: it stays, and stops counting.
    pub fn feedback_entered_in_error(
        &mut self,
        patient_id: i64,
        form_id: i64,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.retract_feedback(form_id, None, reason)?;
        self.audit(
            "feedback.entered_in_error",
            Some(patient_id),
            &format!("feedback form marked entered in error; why: {}", reason.trim()),
        )?;
        Ok(())
    }

    fn retract_feedback(
        &mut self,
        form_id: i64,
        replaced_by: Option<i64>,
        reason: &str,
    ) -> Result<(), StoreError> {
        if reason.trim().is_empty() {
            return Err(StoreError::Refused("say why the form is being corrected".into()));
        }
        let kind = if replaced_by.is_some() { "superseded" } else { "entered_in_error" };
        let done = self.tx.execute(
            "INSERT OR IGNORE INTO feedback_form_retraction (form_id, kind, replaced_by, reason,
                 actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![form_id, kind, replaced_by, reason.trim(), self.actor.name(), self.at],
        )?;
        if done != 1 {
            return Err(StoreError::Refused("that form no longer counts already".into()));
        }
        Ok(())
    }
}

fn feedback_forms(
    conn: &Connection,
    cycle_id: i64,
) -> Result<Vec<(StoredFeedback, bool)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT f.id, f.completed_on, f.collaborate, f.care, f.entered_by, f.entered_at,
                r.form_id IS NULL
         FROM feedback_form f LEFT JOIN feedback_form_retraction r ON r.form_id = f.id
         WHERE f.cycle_id = ?1 ORDER BY f.id",
    )?;
    let rows = statement.query_map([cycle_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, NaiveDate>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, bool>(6)?,
        ))
    })?;
    let mut forms = Vec::new();
    for row in rows {
        let (id, completed_on, collaborate, care, entered_by, entered_at, counts) = row?;
        let form = FeedbackForm::from_codes(&collaborate, &care)
            .map_err(|e| StoreError::Unreadable(format!("feedback form {id}: {e}")))?;
        forms.push((
            StoredFeedback { id, cycle_id, completed_on, form, entered_by, entered_at },
            counts,
        ));
    }
    Ok(forms)
}

/// The id of the last audit entry: which moment of the database a connection reads.
fn last_audit_entry(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM audit_event", [], |r| r.get(0))?)
}

/// How the report reads its reviews: in up to `readers` parts at once, each of at least `part`
/// review ids. `moment` stands in for the report's own connection's last audit entry (to
/// check what happens when a part's connection reads another moment).
#[derive(Clone, Copy, Debug)]
pub struct Reading {
    pub readers: usize,
    pub part: i64,
    pub moment: Option<i64>,
}

/// Review ids `first..=last` in up to `readers` parts of at least `part` ids each.
fn parts(first: i64, last: i64, readers: usize, part: i64) -> Vec<(i64, i64)> {
    let span = last - first + 1;
    let count = (span / part.max(1)).clamp(1, readers.max(1) as i64);
    let size = span.div_euclid(count) + 1;
    (0..count)
        .map(|n| (first + n * size, (first + (n + 1) * size - 1).min(last)))
        .filter(|(from, to)| from <= to)
        .collect()
}

/// One part of the reviews read on a connection of its own, if it reads the same moment of the
/// database as `moment`; `None` when it cannot (the part is then read on the report's own).
fn read_apart(
    path: &std::path::Path,
    moment: i64,
    range: &Range,
    part: (i64, i64),
    dated: &[&str],
) -> Option<(Vec<ReviewFacts>, Places)> {
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ok()?;
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -65536;").ok()?;
    let tx = conn.unchecked_transaction().ok()?;
    if last_audit_entry(&tx).ok()? != moment {
        return None;
    }
    read_reviews(&tx, range, part, dated).ok()
}

/// Puts the reviews of a later part after those read so far.
fn append(read: &mut (Vec<ReviewFacts>, Places), part: (Vec<ReviewFacts>, Places)) {
    let offset = read.0.len();
    read.1.take(part.1, offset);
    read.0.extend(part.0);
}

/// Reads the reviews with ids in `ids` (inclusive) that bear on the range, in id order, and
/// returns them with their cycle ids' places.
fn read_reviews(
    conn: &Connection,
    range: &Range,
    ids: (i64, i64),
    dated: &[&str],
) -> Result<(Vec<ReviewFacts>, Places), StoreError> {
    let mut facts = Vec::new();
    let mut place = Places::default();
    // Each person's conditions as they are now, read once rather than joined to every review.
    let mut people: Vec<Option<(u32, bool)>> = Vec::new();
    let mut patients = conn.prepare("SELECT id, ltc_count, frailty IS NOT NULL FROM patient")?;
    let mut rows = patients.query([])?;
    while let Some(r) = rows.next()? {
        let id = usize::try_from(r.get::<_, i64>(0)?)
            .map_err(|_| StoreError::Unreadable("a person's id is not a positive number".into()))?;
        if people.len() <= id {
            people.resize(id + 1, None);
        }
        people[id] = Some((r.get(1)?, r.get(2)?));
    }
    drop(rows);
    let mut cycles = conn.prepare(
        "SELECT id, patient_id, due_month, pca_reason FROM cycle
         WHERE id BETWEEN ?3 AND ?4 AND (opened_on <= ?1 OR due_month <= ?2) ORDER BY id",
    )?;
    // A review due in the range but opened after it still counts among those due.
    let (from, to) = ids;
    let mut rows =
        cycles.query(params![range.to(), YearMonth::of(range.to()).to_string(), from, to])?;
    let mut reasons: HashMap<i64, PcaReason> = HashMap::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let due: String = r.get(2)?;
        let due = YearMonth::parse(&due).map_err(StoreError::Unreadable)?;
        if let Some(reason) = r.get::<_, Option<String>>(3)? {
            let reason = PcaReason::parse(&reason).ok_or_else(|| {
                StoreError::Unreadable(format!("'{reason}' is not a reason for an adjustment"))
            })?;
            reasons.insert(id, reason);
        }
        let patient_id: i64 = r.get(1)?;
        let (ltc_count, frailty) = usize::try_from(patient_id)
            .ok()
            .and_then(|p| people.get(p).copied().flatten())
            .ok_or_else(|| StoreError::Unreadable(format!("review {id} has no person")))?;
        place.insert(id, facts.len());
        facts.push(ReviewFacts {
            cycle_id: Some(id),
            ..ReviewFacts::not_opened(patient_id, ltc_count, frailty, due)
        });
    }
    drop(rows);

    let mut invitations = conn.prepare(
        "SELECT cycle_id, sent_on FROM invitation WHERE cycle_id BETWEEN ?1 AND ?2
         ORDER BY cycle_id, number",
    )?;
    let mut rows = invitations.query([from, to])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = place.get(&r.get::<_, i64>(0)?) {
            facts[i].invitations.push(day(r, 1)?);
        }
    }
    drop(rows);

    // Each kind of step, through the index on transitions. The first recorded of each counts:
    // the index gives them by review, and a review's own are few, so the earliest is kept here
    // rather than sorted for.
    let mut steps = conn.prepare_cached(
        "SELECT cycle_id, on_date, id FROM cycle_event
             WHERE transition = ?1 AND cycle_id BETWEEN ?2 AND ?3",
    )?;
    let mut first: Vec<i64> = vec![i64::MAX; facts.len()];
    for transition in [
        "attend_contact1",
        "triage",
        "send_pack",
        "hold_conversation",
        "agree_plan",
        "decline",
        "adjust",
        "registration_ended",
    ] {
        first.fill(i64::MAX);
        let mut rows = steps.query(params![transition, from, to])?;
        while let Some(r) = rows.next()? {
            let cycle_id: i64 = r.get(0)?;
            let Some(&i) = place.get(&cycle_id) else { continue };
            let order: i64 = r.get(2)?;
            if order > first[i] {
                continue;
            }
            first[i] = order;
            let on = day(r, 1)?;
            let step = Step { on, order };
            let f = &mut facts[i];
            match transition {
                "attend_contact1" => f.attended = Some(on),
                "triage" => f.triaged = Some(step),
                "send_pack" => f.pack_sent = Some(step),
                "hold_conversation" => f.conversation = Some(on),
                "agree_plan" => f.agreed = Some(on),
                "decline" => f.declined = Some(on),
                "adjust" => f.adjusted = reasons.get(&cycle_id).map(|r| (on, r.clone())),
                _ => f.ended = Some(on),
            }
        }
    }

    // Contact 1 in one visit: every value it took was taken on the day contact 1 was attended,
    // and none is left undone because the person declined or could not. Items recorded with
    // their own date (a screening done elsewhere) were not taken at the visit and are left out.
    // A review with nothing recorded at contact 1 had nothing left for another visit. Reviews
    // with corrected values are read again apart, from the values that still count.
    for f in facts.iter_mut() {
        f.one_visit = f.attended.is_some();
    }
    // `NOT IN` needs at least one value: no item is called "".
    let dated: &[&str] = if dated.is_empty() { &[""] } else { dated };
    let marks = vec!["?"; dated.len()].join(", ");
    let mut visits = conn.prepare(&format!(
        "SELECT cycle_id, taken_on
         FROM observation INDEXED BY observation_contact1_by_cycle
         WHERE source = 'contact1' AND cycle_id BETWEEN ?1 AND ?2 AND item NOT IN ({marks})
         GROUP BY cycle_id, taken_on"
    ))?;
    let mut rows = visits.query(rusqlite::params_from_iter(
        [rusqlite::types::Value::Integer(from), rusqlite::types::Value::Integer(to)]
            .into_iter()
            .chain(dated.iter().map(|d| rusqlite::types::Value::Text(d.to_string()))),
    ))?;
    while let Some(r) = rows.next()? {
        let Some(&i) = place.get(&r.get::<_, i64>(0)?) else { continue };
        let taken = day(r, 1)?;
        let f = &mut facts[i];
        f.one_visit &= f.attended == Some(taken);
    }
    drop(rows);
    let mut undone = conn.prepare(
        "SELECT DISTINCT cycle_id FROM observation INDEXED BY observation_contact1_undone
         WHERE source = 'contact1' AND not_done_reason IN ('declined', 'unable')
           AND cycle_id BETWEEN ?1 AND ?2",
    )?;
    let mut rows = undone.query([from, to])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = place.get(&r.get::<_, Option<i64>>(0)?.unwrap_or(-1)) {
            facts[i].one_visit = false;
        }
    }
    drop(rows);
    let mut corrected = conn.prepare(
        "SELECT DISTINCT o.cycle_id FROM observation_retraction r
         CROSS JOIN observation o ON o.id = r.observation_id
         WHERE o.source = 'contact1' AND o.cycle_id BETWEEN ?1 AND ?2",
    )?;
    let corrected: Vec<i64> =
        corrected.query_map([from, to], |r| r.get(0))?.collect::<Result<_, _>>()?;
    let mut values = conn.prepare(
        "SELECT o.taken_on, o.not_done_reason, o.item FROM observation o
         WHERE o.cycle_id = ?1 AND o.source = 'contact1'
           AND NOT EXISTS (SELECT 1 FROM observation_retraction r WHERE r.observation_id = o.id)",
    )?;
    for cycle_id in corrected {
        let Some(&i) = place.get(&cycle_id) else { continue };
        let rows: Vec<(NaiveDate, Option<String>, String)> = values
            .query_map([cycle_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let f = &mut facts[i];
        f.one_visit = f.attended.is_some_and(|day| {
            rows.iter().filter(|(_, _, item)| !dated.contains(&item.as_str())).all(
                |(taken, reason, _)| {
                    *taken == day && !matches!(reason.as_deref(), Some("declined" | "unable"))
                },
            )
        });
    }

    // The plan agreed at each review, as first agreed: what it contains, kept beside it. Plans
    // agreed before that was kept (none, in a database made since) are read from their content.
    let mut plans = conn.prepare(
        "SELECT cycle_id, own_words_goal, action_with_who_and_when, contingency, review_date,
                signposting, goals_achieved, goals_partly_achieved, goals_not_achieved,
                goals_changed, goals_no_longer_relevant, goals_not_marked, version
         FROM care_plan_quality WHERE cycle_id BETWEEN ?1 AND ?2",
    )?;
    let mut rows = plans.query([from, to])?;
    let quality_of = |r: &rusqlite::Row<'_>, at: usize| -> rusqlite::Result<PlanQuality> {
        Ok(PlanQuality {
            own_words_goal: r.get(at)?,
            action_with_who_and_when: r.get(at + 1)?,
            contingency: r.get(at + 2)?,
            review_date: r.get(at + 3)?,
            signposting: r.get(at + 4)?,
            goals: GoalTally {
                achieved: r.get(at + 5)?,
                partly_achieved: r.get(at + 6)?,
                not_achieved: r.get(at + 7)?,
                changed: r.get(at + 8)?,
                no_longer_relevant: r.get(at + 9)?,
                not_marked: r.get(at + 10)?,
            },
        })
    };
    first.fill(i64::MAX);
    while let Some(r) = rows.next()? {
        let Some(&i) = place.get(&r.get::<_, i64>(0)?) else { continue };
        let version: i64 = r.get(12)?;
        if version < first[i] {
            first[i] = version;
            facts[i].plan = Some(quality_of(r, 1)?);
        }
    }
    drop(rows);
    let (plans, described): (i64, i64) = conn.query_row(
        "SELECT (SELECT count(*) FROM care_plan), (SELECT count(*) FROM care_plan_quality)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if plans > described {
        let mut older = conn.prepare(
            "SELECT cp.cycle_id, cp.version, cp.content FROM care_plan cp
             WHERE cp.cycle_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM care_plan_quality q WHERE q.care_plan_id = cp.id)
             ORDER BY cp.cycle_id, cp.version",
        )?;
        let mut first_versions: HashMap<i64, i64> = HashMap::new();
        let mut first = conn.prepare(
            "SELECT cycle_id, min(version) FROM care_plan WHERE cycle_id IS NOT NULL
             GROUP BY cycle_id",
        )?;
        for row in first.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (cycle, version) = row?;
            first_versions.insert(cycle, version);
        }
        let mut rows = older.query([])?;
        while let Some(r) = rows.next()? {
            let cycle: i64 = r.get(0)?;
            let Some(&i) = place.get(&cycle) else { continue };
            if first_versions.get(&cycle) != Some(&r.get::<_, i64>(1)?) {
                continue;
            }
            let content: String = r.get(2)?;
            let doc = PlanDocument::from_json(&content).map_err(|e| {
                StoreError::Unreadable(format!("an agreed care plan cannot be read: {e}"))
            })?;
            facts[i].plan = Some(PlanQuality::of(&doc));
        }
    }

    // The latest form that still counts for each review.
    let mut forms = conn.prepare(
        "SELECT f.cycle_id, f.collaborate, f.care FROM feedback_form f
         WHERE f.cycle_id BETWEEN ?1 AND ?2
           AND NOT EXISTS (SELECT 1 FROM feedback_form_retraction r WHERE r.form_id = f.id)
         ORDER BY f.id",
    )?;
    let mut rows = forms.query([from, to])?;
    while let Some(r) = rows.next()? {
        let Some(&i) = place.get(&r.get::<_, i64>(0)?) else { continue };
        let (collaborate, care): (String, String) = (r.get(1)?, r.get(2)?);
        let form = FeedbackForm::from_codes(&collaborate, &care)
            .map_err(|e| StoreError::Unreadable(format!("a feedback form cannot be read: {e}")))?;
        facts[i].feedback = Some(form.scores());
    }
    drop(rows);

    Ok((facts, place))
}

/// People registered now, in the practice's cohort, whose review fell due in a month of the
/// range (or its trend) up to this month with no review opened for that year (a review opened
/// after the range is read as a review, not yet invited). Someone added to Alongside after a
/// month ended is not counted as due in it.
fn not_opened(
    conn: &Connection,
    range: &Range,
    cohort: &Cohort,
    today: NaiveDate,
    facts: &mut Vec<ReviewFacts>,
) -> Result<(), StoreError> {
    let this_month = YearMonth::of(today);
    let months: Vec<YearMonth> =
        range.trend_months().into_iter().filter(|m| *m <= this_month).collect();
    if months.is_empty() {
        return Ok(());
    }
    let by_condition = !matches!(cohort, Cohort::AllConditions);
    let mut people = conn.prepare(if by_condition {
        "SELECT p.id, p.review_month, p.ltc_count, p.frailty IS NOT NULL, substr(p.added_at, 1, 10),
                (SELECT group_concat(d.condition_id, ';') FROM diagnosis d
                 WHERE d.patient_id = p.id AND d.ended_at IS NULL)
         FROM patient p NOT INDEXED WHERE p.status = 'registered'"
    } else {
        "SELECT p.id, p.review_month, p.ltc_count, p.frailty IS NOT NULL, substr(p.added_at, 1, 10)
         FROM patient p NOT INDEXED WHERE p.status = 'registered'"
    })?;
    // Every review read is opened; one not read (due after the range) is looked up. The years
    // each person has a review read for, as bits from the first month's year (the months span
    // at most a few years).
    let first_year = months[0].year();
    let bit = |year: i32| u32::try_from(year - first_year).ok().filter(|b| *b < 64);
    let mut read: Vec<u64> = Vec::new();
    for f in facts.iter() {
        let (Ok(p), Some(b)) = (usize::try_from(f.patient_id), bit(f.due.year())) else {
            continue;
        };
        if read.len() <= p {
            read.resize(p + 1, 0);
        }
        read[p] |= 1 << b;
    }
    let was_read = |id: i64, year: i32| {
        let slot = usize::try_from(id).ok().and_then(|p| read.get(p));
        matches!((slot, bit(year)), (Some(bits), Some(b)) if bits & (1 << b) != 0)
    };
    let mut opened =
        conn.prepare_cached("SELECT 1 FROM cycle WHERE patient_id = ?1 AND year = ?2")?;
    let mut rows = people.query([])?;
    while let Some(r) = rows.next()? {
        let review_month: u32 = r.get(1)?;
        let due: Vec<YearMonth> =
            months.iter().copied().filter(|m| m.month() == review_month).collect();
        if due.is_empty() {
            continue;
        }
        if by_condition {
            let conditions: Option<String> = r.get(5)?;
            let conditions = conditions.unwrap_or_default();
            if !cohort.includes(conditions.split(';')) {
                continue;
            }
        }
        let id: i64 = r.get(0)?;
        let added: NaiveDate = r.get(4)?;
        for month in due {
            let next = Range::month(month).to();
            if added > next {
                continue;
            }
            if was_read(id, month.year()) {
                continue;
            }
            if opened.query_row(params![id, month.year()], |_| Ok(())).optional()?.is_none() {
                facts.push(ReviewFacts::not_opened(id, r.get(2)?, r.get(3)?, month));
            }
        }
    }
    Ok(())
}

/// Every acknowledged finding of the reviews read, with when its result was recorded.
fn acknowledged_findings(
    conn: &Connection,
    place: &Places,
) -> Result<Vec<AcknowledgedFinding>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT coalesce(a.cycle_id, o.cycle_id), a.rule_id, o.recorded_at, a.acknowledged_at
         FROM finding_acknowledgement a JOIN observation o ON o.id = a.observation_id
         WHERE coalesce(a.cycle_id, o.cycle_id) IS NOT NULL",
    )?;
    let mut rows = statement.query([])?;
    let mut findings = Vec::new();
    while let Some(r) = rows.next()? {
        let Some(&review) = place.get(&r.get::<_, i64>(0)?) else { continue };
        let recorded_at = timestamp(&r.get::<_, String>(2)?)?;
        let acknowledged_at = timestamp(&r.get::<_, String>(3)?)?;
        findings.push(AcknowledgedFinding {
            review,
            rule_id: r.get(1)?,
            finding: RedFinding { recorded_at, acknowledged_at },
        });
    }
    Ok(findings)
}

/// Where each review read sits among the facts, by its id (ids are dense: a list, not a map).
#[derive(Default)]
struct Places {
    slots: Vec<usize>,
}

impl Places {
    fn insert(&mut self, id: i64, index: usize) {
        let id = usize::try_from(id).expect("review ids are positive");
        if self.slots.len() <= id {
            self.slots.resize(id + 1, usize::MAX);
        }
        self.slots[id] = index;
    }

    /// Takes the places of `other`, whose reviews come after `offset` of these.
    fn take(&mut self, other: Places, offset: usize) {
        if self.slots.len() < other.slots.len() {
            self.slots.resize(other.slots.len(), usize::MAX);
        }
        for (id, slot) in other.slots.into_iter().enumerate() {
            if slot != usize::MAX {
                self.slots[id] = slot + offset;
            }
        }
    }

    fn get(&self, id: &i64) -> Option<&usize> {
        let slot = self.slots.get(usize::try_from(*id).ok()?)?;
        (*slot != usize::MAX).then_some(slot)
    }
}

/// A day stored as `YYYY-MM-DD`, read without the general date parser (the report reads
/// millions of them).
fn day(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<NaiveDate> {
    let text = row.get_ref(column)?.as_str()?;
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?
            .iter()
            .try_fold(0u32, |n, c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
        .flatten()
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y as i32, m, d));
    parsed.ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            rusqlite::types::Type::Text,
            format!("'{text}' is not a day").into(),
        )
    })
}

/// A time as the store stamps it (`2026-11-23T14:30:05Z`, with or without fractions).
fn timestamp(text: &str) -> Result<NaiveDateTime, StoreError> {
    let trimmed = text.trim_end_matches('Z');
    NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%d %H:%M:%S%.f"))
        .map_err(|_| StoreError::Unreadable(format!("'{text}' is not a time")))
}
