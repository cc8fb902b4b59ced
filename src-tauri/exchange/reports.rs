//! The steering group's report over the store: the figures for a range, the people behind any
//! figure, the figures and the anonymised rows as CSV files for Excel, and patient feedback
//! forms entered from paper.

use std::path::Path;

use chrono::NaiveDate;

use crate::domain::calendar::YearMonth;
use crate::domain::feedback::FeedbackForm;
use crate::domain::metrics::{self, Behind, Context, Group, Range, Report, ReviewFacts};
use crate::domain::nhs_number::NhsNumber;
use crate::domain::person::RegistrationStatus;
use crate::domain::rules::{RuleSet, Severity};
use crate::store::{Actor, PatientRow, ReportPerson, Store, StoreError, StoredFeedback};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Something the person asked for that cannot be given: a range backwards, a figure that
    /// does not exist or is reported only in aggregate.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("could not write {0}")]
    Unwritable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The practice's report for a range, with the reviews it was worked out from (kept so the
/// people behind a figure are the ones it counted).
#[derive(Clone, Debug)]
pub struct PracticeReport {
    pub practice_name: String,
    pub made_on: NaiveDate,
    pub report: Report,
    pub facts: Vec<ReviewFacts>,
}

/// Works out the report for `range` from the stored events.
pub fn practice_report(
    store: &Store,
    catalogue: &crate::domain::catalogue::Catalogue,
    rules: &RuleSet,
    range: Range,
    today: NaiveDate,
) -> Result<PracticeReport, ReportError> {
    let settings = store.practice_settings(catalogue)?;
    let dated: Vec<&str> = catalogue
        .measures()
        .items()
        .iter()
        .filter(|i| matches!(i.kind(), crate::domain::measures::ItemKind::Date(_)))
        .map(|i| i.id())
        .collect();
    let (mut facts, findings) = store.report_facts(&range, &settings.cohort, &dated, today)?;
    for acknowledged in findings {
        let red = rules.rule(&acknowledged.rule_id).is_some_and(|r| r.severity == Severity::Red);
        if red {
            facts[acknowledged.review].red_findings.push(acknowledged.finding);
        }
    }
    let context = Context { range, pack_minimum_days: settings.pack_minimum_days };
    let report = metrics::report(&facts, context);
    Ok(PracticeReport {
        practice_name: settings.letterhead.practice_name,
        made_on: today,
        report,
        facts,
    })
}

/// One person behind a figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonBehind {
    pub person: ReportPerson,
    pub due: YearMonth,
    /// Whether the figure counted them (for a share: in the count, not only in what it is out of).
    pub counted: bool,
    /// For figures counting goals or red findings: how many of theirs it counted, out of how many.
    pub count: u32,
    pub of: u32,
}

/// The people behind a figure for a group, counted ones first, each in name order.
pub fn people_behind(
    store: &Store,
    report: &PracticeReport,
    group: Group,
    key: &str,
) -> Result<Vec<PersonBehind>, ReportError> {
    let behind = metrics::behind(&report.facts, report.report.context, group, key)
        .map_err(ReportError::Invalid)?;
    let ids: Vec<i64> = behind.iter().map(|b| report.facts[b.index].patient_id).collect();
    let people = store.report_people(&ids)?;
    let mut rows: Vec<PersonBehind> = behind
        .iter()
        .map(|Behind { index, counted, of }| {
            let fact = &report.facts[*index];
            PersonBehind {
                person: people[&fact.patient_id].clone(),
                due: fact.due,
                counted: *counted > 0,
                count: *counted,
                of: *of,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (!a.counted, a.person.name.to_lowercase(), a.due).cmp(&(
            !b.counted,
            b.person.name.to_lowercase(),
            b.due,
        ))
    });
    Ok(rows)
}

/// The columns of the figures file.
pub const FIGURE_COLUMNS: &[&str] =
    &["group", "section", "figure", "label", "count", "out_of", "percent", "value"];

/// Every figure of every group, one a row, for Excel (UTF-8 with a byte-order mark).
pub fn figures_csv(report: &PracticeReport) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(FIGURE_COLUMNS).expect("writing to memory");
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for (group, figures) in &report.report.groups {
        for figure in figures {
            let m = figure.measure;
            writer
                .write_record([
                    group.key().to_string(),
                    figure.definition.section.key().to_string(),
                    figure.definition.key.to_string(),
                    figure.definition.label.to_string(),
                    m.count().to_string(),
                    m.of().map(|n| n.to_string()).unwrap_or_default(),
                    number(m.percent()),
                    number(m.value()),
                ])
                .expect("writing to memory");
        }
    }
    writer.into_inner().expect("writing to memory")
}

/// The columns of the anonymised rows file.
pub const ROW_COLUMNS: &[&str] = &[
    "row",
    "long_term_conditions",
    "frailty",
    "due_month",
    "invitations",
    "invited_month",
    "contact_1_month",
    "contact_1_in_one_visit",
    "triaged_month",
    "pack_sent_month",
    "triaged_before_pack",
    "conversation_month",
    "days_pack_to_conversation",
    "plan_agreed_month",
    "declined_month",
    "adjustment_month",
    "adjustment_reason",
    "left_or_died_month",
    "plan_goal_in_own_words",
    "plan_action_with_who_and_when",
    "plan_contingency",
    "plan_review_date",
    "plan_signposting",
    "goals_achieved",
    "goals_partly_achieved",
    "goals_not_achieved",
    "goals_changed",
    "goals_no_longer_relevant",
    "goals_not_marked",
    "red_findings",
];

/// One row per review behind the report's figures, with nothing that names a person: no NHS
/// number, name, birth date or address, months instead of days, and no feedback (reported only
/// in aggregate). Rows are numbered in no order that follows the register.
pub fn rows_csv(report: &PracticeReport) -> Vec<u8> {
    let context = report.report.context;
    let bearing: Vec<&ReviewFacts> = report
        .facts
        .iter()
        .filter(|f| metrics::FIGURES.iter().any(|d| d.drillable && metrics::counts(d, f, &context)))
        .collect();
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(ROW_COLUMNS).expect("writing to memory");
    let month = |d: Option<NaiveDate>| d.map(|d| YearMonth::of(d).to_string()).unwrap_or_default();
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let maybe = |b: Option<bool>| b.map(yes_no).unwrap_or_default();
    let mut ordered = bearing.clone();
    // Order by due month, then by events, so a row's place says nothing about who it is.
    ordered.sort_by_key(|f| (f.due, f.invitations.first().copied(), f.attended, f.conversation));
    for (n, f) in ordered.iter().enumerate() {
        let plan = f.plan.as_ref().filter(|_| f.agreed.is_some());
        let goals = plan.map(|p| p.goals);
        let goal = |pick: fn(&metrics::GoalTally) -> u32| {
            goals.as_ref().map(|g| pick(g).to_string()).unwrap_or_default()
        };
        let days = match (f.pack_sent, f.conversation) {
            (Some(p), Some(c)) if p.on <= c => (c - p.on).num_days().to_string(),
            _ => String::new(),
        };
        writer
            .write_record([
                (n + 1).to_string(),
                f.ltc_count.to_string(),
                yes_no(f.frail),
                f.due.to_string(),
                f.invitations.len().to_string(),
                month(f.invitations.first().copied()),
                month(f.attended),
                maybe(f.attended.map(|_| f.one_visit)),
                month(f.triaged.map(|s| s.on)),
                month(f.pack_sent.map(|s| s.on)),
                maybe(
                    f.pack_sent
                        .map(|p| f.triaged.is_some_and(|t| t.order < p.order && t.on <= p.on)),
                ),
                month(f.conversation),
                days,
                month(f.agreed),
                month(f.declined),
                month(f.adjusted.as_ref().map(|a| a.0)),
                f.adjusted.as_ref().map(|a| a.1.code().to_string()).unwrap_or_default(),
                month(f.ended),
                maybe(plan.map(|p| p.own_words_goal)),
                maybe(plan.map(|p| p.action_with_who_and_when)),
                maybe(plan.map(|p| p.contingency)),
                maybe(plan.map(|p| p.review_date)),
                maybe(plan.map(|p| p.signposting)),
                goal(|g| g.achieved),
                goal(|g| g.partly_achieved),
                goal(|g| g.not_achieved),
                goal(|g| g.changed),
                goal(|g| g.no_longer_relevant),
                goal(|g| g.not_marked),
                f.red_findings.len().to_string(),
            ])
            .expect("writing to memory");
    }
    writer.into_inner().expect("writing to memory")
}

/// What kind of file a report export is, for its audit entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFile {
    Figures,
    Rows,
    Printed,
}

impl ReportFile {
    fn words(self) -> &'static str {
        match self {
            ReportFile::Figures => "the report's figures",
            ReportFile::Rows => "the report's anonymised rows",
            ReportFile::Printed => "the steering group's report",
        }
    }
}

/// Writes a report file to `target`, then audits where it went; nothing leaves a database that
/// cannot record it.
pub fn write_report_file(
    store: &mut Store,
    actor: &Actor,
    report: &PracticeReport,
    kind: ReportFile,
    bytes: &[u8],
    target: &Path,
) -> Result<(), ReportError> {
    store.check_writable()?;
    std::fs::write(target, bytes).map_err(|e| {
        ReportError::Unwritable(format!(
            "{}: {}",
            target.display(),
            crate::exchange::csv_table::plain_io_error(&e)
        ))
    })?;
    let target = std::fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf());
    let range = report.report.context.range;
    store.write(actor, |w| {
        w.audit(
            if kind == ReportFile::Printed { "report.printed" } else { "report.exported" },
            None,
            &format!(
                "{} for {} to {} written to {}",
                kind.words(),
                range.from(),
                range.to(),
                target.display()
            ),
        )
    })?;
    Ok(())
}

/// A feedback form to enter for a person's review.
#[derive(Clone, Debug)]
pub struct NewFeedback {
    pub nhs_number: NhsNumber,
    /// The review's year; without it, the person's latest review with a conversation held.
    pub year: Option<i32>,
    pub completed_on: NaiveDate,
    pub form: FeedbackForm,
    /// The form this one corrects, and why.
    pub replaces: Option<(i64, String)>,
}

/// Keeps a form for the review whose conversation it is about. Refused when no conversation
/// was held, for someone who left or died, and for a date before the conversation or after
/// today. Returns the form's id.
pub fn enter_feedback(
    store: &mut Store,
    actor: &Actor,
    entry: &NewFeedback,
    today: NaiveDate,
) -> Result<i64, ReportError> {
    let patient = store.patient(&entry.nhs_number)?.ok_or_else(|| {
        ReportError::NotFound(format!(
            "no one with NHS number {} is on the register",
            entry.nhs_number
        ))
    })?;
    let name = format!("{} {}", patient.details.name.given(), patient.details.name.family());
    if patient.details.status != RegistrationStatus::Registered {
        let status = if patient.details.status == RegistrationStatus::Deceased {
            "having died"
        } else {
            "having left the practice"
        };
        return Err(ReportError::Invalid(format!(
            "{name} is recorded as {status}: nothing more is recorded for them"
        )));
    }
    let held = store.conversations_held(patient.id)?;
    let chosen = match entry.year {
        Some(year) => held.iter().find(|(_, y, _)| *y == year),
        None => held.last(),
    };
    let Some(&(cycle_id, _, held_on)) = chosen else {
        return Err(ReportError::Invalid(match entry.year {
            Some(year) => format!("no care and support planning conversation was held for {}'s {year} review", name),
            None => format!("no care and support planning conversation has been held with {}: the form is about that conversation", name),
        }));
    };
    if entry.completed_on < held_on || entry.completed_on > today {
        return Err(ReportError::Invalid(format!(
            "the form's date {} must be from the conversation on {held_on} to today",
            entry.completed_on
        )));
    }
    let id = store
        .write(actor, |w| {
            w.add_feedback_form(
                patient.id,
                cycle_id,
                entry.completed_on,
                &entry.form,
                entry.replaces.as_ref().map(|(id, why)| (*id, why.as_str())),
            )
        })
        .map_err(|e| match e {
            StoreError::Refused(why) => ReportError::Invalid(why),
            other => ReportError::Store(other),
        })?;
    Ok(id)
}

/// A review whose conversation was held, with the form that counts for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewFeedback {
    pub cycle_id: i64,
    pub year: i32,
    pub conversation_on: NaiveDate,
    /// The form that counts (the latest correction), if one was entered.
    pub current: Option<StoredFeedback>,
    /// How many earlier forms it corrected or that were marked entered in error.
    pub replaced: usize,
}

/// A person's feedback forms, for staff to enter and check what they typed.
#[derive(Clone, Debug)]
pub struct PersonFeedback {
    pub patient: PatientRow,
    /// Every review with a conversation held, oldest first.
    pub reviews: Vec<ReviewFeedback>,
}

/// The person's reviews with a conversation held, each with its current form.
pub fn person_feedback(
    store: &Store,
    nhs_number: &NhsNumber,
) -> Result<PersonFeedback, ReportError> {
    let patient = store.patient(nhs_number)?.ok_or_else(|| {
        ReportError::NotFound(format!("no one with NHS number {nhs_number} is on the register"))
    })?;
    let mut reviews = Vec::new();
    for (cycle_id, year, conversation_on) in store.conversations_held(patient.id)? {
        let forms = store.feedback_forms(cycle_id)?;
        let replaced = forms.iter().filter(|(_, counts)| !counts).count();
        let current = forms.into_iter().rev().find(|(_, counts)| *counts).map(|(form, _)| form);
        reviews.push(ReviewFeedback { cycle_id, year, conversation_on, current, replaced });
    }
    Ok(PersonFeedback { patient, reviews })
}

/// The report as JSON, with the stable key names README lists: what `alongside report` prints
/// and the Reports screen draws.
pub fn report_json(report: &PracticeReport) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let figure = |f: &metrics::Figure| {
        let m = f.measure;
        let kind = match m {
            metrics::Measure::Count(_) => "count",
            metrics::Measure::Share { .. } => "share",
            metrics::Measure::Mean { .. } => "mean",
            metrics::Measure::Median { .. } => "median",
        };
        json!({
            "label": f.definition.label,
            "section": f.definition.section.key(),
            "kind": kind,
            "count": m.count(),
            "out_of": m.of(),
            "percent": m.percent(),
            "value": m.value(),
            "drillable": f.definition.drillable,
        })
    };
    let figures = |list: &[metrics::Figure]| {
        let mut map = Map::new();
        for f in list {
            map.insert(f.definition.key.to_string(), figure(f));
        }
        Value::Object(map)
    };
    let mut groups = Map::new();
    for (group, list) in &report.report.groups {
        groups.insert(
            group.key().to_string(),
            json!({ "label": group.label(), "figures": figures(list) }),
        );
    }
    let sections: Vec<Value> = metrics::Section::EVERY
        .iter()
        .map(|s| json!({ "key": s.key(), "label": s.label() }))
        .collect();
    let context = report.report.context;
    json!({
        "practice": report.practice_name,
        "from": context.range.from().to_string(),
        "to": context.range.to().to_string(),
        "made_on": report.made_on.to_string(),
        "pack_minimum_days": context.pack_minimum_days,
        "sections": sections,
        "figure_keys": metrics::FIGURES.iter().map(|d| d.key).collect::<Vec<_>>(),
        "trend_keys": metrics::TREND,
        "groups": groups,
        "pack_days": report.report.pack_days.iter().zip(metrics::PACK_DAY_BARS)
            .map(|((label, n), (_, from, to))| json!({
                "label": label,
                "conversations": n,
                // The bar's days, both included; none for "no pack sent", no end for the last.
                "from_days": (from >= 0).then_some(from),
                "to_days": (from >= 0 && to < i64::MAX).then_some(to),
            }))
            .collect::<Vec<_>>(),
        "trend": report.report.trend.iter()
            .map(|(month, list)| json!({ "month": month.to_string(), "label": month.label(), "figures": figures(list) }))
            .collect::<Vec<_>>(),
    })
}

/// The people behind a figure as JSON: NHS number, name, registration, due month, counted.
pub fn people_json(group: Group, key: &str, people: &[PersonBehind]) -> serde_json::Value {
    let label = metrics::definition(key).map_or("", |d| d.label);
    serde_json::json!({
        "group": group.key(),
        "figure": key,
        "label": label,
        "counted": people.iter().filter(|p| p.counted).count(),
        "people": people.iter().map(|p| serde_json::json!({
            "nhs_number": p.person.nhs_number,
            "name": p.person.name,
            "registration": p.person.status,
            "due_month": p.due.to_string(),
            "counted": p.counted,
            "count": p.count,
            "of": p.of,
        })).collect::<Vec<_>>(),
    })
}

/// The steering group's report as a one-page PDF: the page's content from the report's own
/// figures (`domain::steering`), laid out by `documents`. What the window's print button and
/// `alongside report --pdf` write, through `write_report_file` with `ReportFile::Printed`.
pub fn report_pdf(report: &PracticeReport) -> Vec<u8> {
    let page = crate::domain::steering::steering_page(
        &report.report,
        &report.practice_name,
        report.made_on,
    );
    // Made at the start of the day it was made on: the same report is the same bytes.
    let created = report.made_on.and_hms_opt(0, 0, 0).unwrap_or_default();
    crate::documents::steering_pdf(&page, created)
}
