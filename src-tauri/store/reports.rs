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
        let tx = self.conn.unchecked_transaction()?;
        let facts = read_facts(&tx, range, cohort, dated_items, today)?;
        let findings = acknowledged_findings(&tx, &facts.1)?;
        tx.commit()?;
        Ok((facts.0, findings))
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

/// Reads the reviews and returns them with their cycle ids' places.
fn read_facts(
    conn: &Connection,
    range: &Range,
    cohort: &Cohort,
    dated: &[&str],
    today: NaiveDate,
) -> Result<(Vec<ReviewFacts>, Places), StoreError> {
    let mut facts = Vec::new();
    let mut place = Places::default();
    let mut cycles = conn.prepare(
        "SELECT c.id, c.patient_id, c.due_month, c.pca_reason, p.ltc_count, p.frailty IS NOT NULL
         FROM cycle c JOIN patient p ON p.id = c.patient_id
         WHERE c.opened_on <= ?1 OR c.due_month <= ?2 ORDER BY c.id",
    )?;
    // A review due in the range but opened after it still counts among those due.
    let mut rows = cycles.query(params![range.to(), YearMonth::of(range.to()).to_string()])?;
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
        place.insert(id, facts.len());
        facts.push(ReviewFacts {
            cycle_id: Some(id),
            ..ReviewFacts::not_opened(r.get(1)?, r.get(4)?, r.get(5)?, due)
        });
    }
    drop(rows);

    let mut invitations =
        conn.prepare("SELECT cycle_id, sent_on FROM invitation ORDER BY cycle_id, number")?;
    let mut rows = invitations.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = place.get(&r.get::<_, i64>(0)?) {
            facts[i].invitations.push(day(r, 1)?);
        }
    }
    drop(rows);

    // Each kind of step, through the index on transitions. The first of each counts.
    let mut steps = conn.prepare_cached(
        "SELECT cycle_id, on_date, id FROM cycle_event WHERE transition = ?1 ORDER BY cycle_id, id",
    )?;
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
        let mut rows = steps.query([transition])?;
        while let Some(r) = rows.next()? {
            let cycle_id: i64 = r.get(0)?;
            let Some(&i) = place.get(&cycle_id) else { continue };
            let on = day(r, 1)?;
            let step = Step { on, order: r.get(2)? };
            let f = &mut facts[i];
            match transition {
                "attend_contact1" => _ = f.attended.get_or_insert(on),
                "triage" => _ = f.triaged.get_or_insert(step),
                "send_pack" => _ = f.pack_sent.get_or_insert(step),
                "hold_conversation" => _ = f.conversation.get_or_insert(on),
                "agree_plan" => _ = f.agreed.get_or_insert(on),
                "decline" => _ = f.declined.get_or_insert(on),
                "adjust" => {
                    if let Some(reason) = reasons.get(&cycle_id) {
                        f.adjusted.get_or_insert((on, reason.clone()));
                    }
                }
                _ => _ = f.ended.get_or_insert(on),
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
         WHERE source = 'contact1' AND cycle_id IS NOT NULL AND item NOT IN ({marks})
         GROUP BY cycle_id, taken_on"
    ))?;
    let mut rows = visits.query(rusqlite::params_from_iter(dated))?;
    while let Some(r) = rows.next()? {
        let Some(&i) = place.get(&r.get::<_, i64>(0)?) else { continue };
        let taken = day(r, 1)?;
        let f = &mut facts[i];
        f.one_visit &= f.attended == Some(taken);
    }
    drop(rows);
    let mut undone = conn.prepare(
        "SELECT DISTINCT cycle_id FROM observation INDEXED BY observation_contact1_undone
         WHERE source = 'contact1' AND not_done_reason IN ('declined', 'unable')",
    )?;
    let mut rows = undone.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = place.get(&r.get::<_, Option<i64>>(0)?.unwrap_or(-1)) {
            facts[i].one_visit = false;
        }
    }
    drop(rows);
    let mut corrected = conn.prepare(
        "SELECT DISTINCT o.cycle_id FROM observation_retraction r
         JOIN observation o ON o.id = r.observation_id
         WHERE o.source = 'contact1' AND o.cycle_id IS NOT NULL",
    )?;
    let corrected: Vec<i64> = corrected.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
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
                goals_changed, goals_no_longer_relevant, goals_not_marked
         FROM care_plan_quality WHERE cycle_id IS NOT NULL ORDER BY cycle_id, version",
    )?;
    let mut rows = plans.query([])?;
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
    while let Some(r) = rows.next()? {
        let Some(&i) = place.get(&r.get::<_, i64>(0)?) else { continue };
        if facts[i].plan.is_none() {
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
         WHERE NOT EXISTS (SELECT 1 FROM feedback_form_retraction r WHERE r.form_id = f.id)
         ORDER BY f.id",
    )?;
    let mut rows = forms.query([])?;
    while let Some(r) = rows.next()? {
        let Some(&i) = place.get(&r.get::<_, i64>(0)?) else { continue };
        let (collaborate, care): (String, String) = (r.get(1)?, r.get(2)?);
        let form = FeedbackForm::from_codes(&collaborate, &care)
            .map_err(|e| StoreError::Unreadable(format!("a feedback form cannot be read: {e}")))?;
        facts[i].feedback = Some(form.scores());
    }
    drop(rows);

    not_opened(conn, range, cohort, today, &mut facts)?;
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
    let mut people = conn.prepare(
        "SELECT p.id, p.review_month, p.ltc_count, p.frailty IS NOT NULL, substr(p.added_at, 1, 10),
                (SELECT group_concat(d.condition_id, ';') FROM diagnosis d
                 WHERE d.patient_id = p.id AND d.ended_at IS NULL AND ?1)
         FROM patient p WHERE p.status = 'registered'",
    )?;
    // Every review read is opened; one not read (due after the range) is looked up.
    let read: std::collections::HashSet<(i64, i32)> =
        facts.iter().map(|f| (f.patient_id, f.due.year())).collect();
    let mut opened =
        conn.prepare_cached("SELECT 1 FROM cycle WHERE patient_id = ?1 AND year = ?2")?;
    let by_condition = !matches!(cohort, Cohort::AllConditions);
    let mut rows = people.query([by_condition])?;
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
            if read.contains(&(id, month.year())) {
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
