//! The Reports screen's commands (the practice's figures for a range, the people behind a
//! figure, the figures and anonymised rows saved for Excel) and the feedback screen's (a
//! person's paper feedback forms: read, entered, corrected).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tauri::State;

use super::commands::{lock, parse_nhs, today};
use super::dto::{ErrorCode, IpcError};
use super::session::{actor, record_viewed};
use super::AppState;
use crate::domain::feedback::{self, Answer, FeedbackForm};
use crate::domain::metrics::{Group, Range};
use crate::domain::person::{format_date, RegistrationStatus};
use crate::exchange::reports::{self, NewFeedback, PracticeReport, ReportError, ReportFile};
use crate::store::StoredFeedback;

impl From<ReportError> for IpcError {
    fn from(error: ReportError) -> IpcError {
        match error {
            ReportError::Invalid(message) => IpcError::new(ErrorCode::InvalidInput, message),
            ReportError::NotFound(message) => IpcError::new(ErrorCode::NotFound, message),
            ReportError::Unwritable(_) => IpcError::new(ErrorCode::Failed, error.to_string()),
            ReportError::Store(e) => e.into(),
        }
    }
}

/// A day the screen sent as YYYY-MM-DD; `what` names the field for the message.
fn day(what: &str, text: &str) -> Result<NaiveDate, IpcError> {
    if text.trim().is_empty() {
        return Err(IpcError::new(ErrorCode::InvalidInput, format!("choose {what}")));
    }
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        IpcError::new(ErrorCode::InvalidInput, format!("{what} '{text}' is not a date"))
    })
}

/// The practice's report for the range the screen chose.
fn practice_report(state: &AppState, from: &str, to: &str) -> Result<PracticeReport, IpcError> {
    let range = Range::new(day("the first day", from)?, day("the last day", to)?)
        .map_err(|e| IpcError::new(ErrorCode::InvalidInput, e))?;
    let store = lock(state);
    Ok(reports::practice_report(&store, &state.catalogue, &state.rules, range, today())?)
}

/// Every figure for every condition group, the pack-days chart and the trend, as
/// `alongside report` prints them.
#[tauri::command(async)]
pub fn report(
    state: State<'_, AppState>,
    from: String,
    to: String,
) -> Result<serde_json::Value, IpcError> {
    Ok(reports::report_json(&practice_report(&state, &from, &to)?))
}

/// The people behind one figure for one group, counted or not; refused for patient feedback,
/// which is reported only in aggregate.
#[tauri::command(async)]
pub fn report_people(
    state: State<'_, AppState>,
    from: String,
    to: String,
    group: String,
    figure: String,
) -> Result<serde_json::Value, IpcError> {
    let group = Group::parse(&group).ok_or_else(|| {
        IpcError::new(ErrorCode::InvalidInput, format!("'{group}' is not a condition group"))
    })?;
    let report = practice_report(&state, &from, &to)?;
    let actor = actor(&state);
    let mut store = lock(&state);
    let people = reports::people_behind(&store, &report, group, &figure)?;
    // A list of named people is a read of their records: recorded, as at the command line.
    let (from, to) = (from.trim(), to.trim());
    let what = format!("the people behind {figure} from {from} to {to} read");
    store.record_read(&actor, "report.people_listed", None, &what)?;
    Ok(reports::people_json(group, &figure, &people))
}

#[derive(Serialize)]
pub struct SavedReportDto {
    pub file: String,
}

/// Writes one of the report's files where the person chose, then audits where it went.
fn save_report_file(
    state: &AppState,
    from: &str,
    to: &str,
    path: PathBuf,
    kind: ReportFile,
) -> Result<SavedReportDto, IpcError> {
    if path.as_os_str().is_empty() {
        return Err(IpcError::new(ErrorCode::InvalidInput, "say where to save the file"));
    }
    let report = practice_report(state, from, to)?;
    let bytes = match kind {
        ReportFile::Rows => reports::rows_csv(&report),
        ReportFile::Figures => reports::figures_csv(&report),
        ReportFile::Printed => reports::report_pdf(&report),
    };
    let actor = actor(state);
    reports::write_report_file(&mut lock(state), &actor, &report, kind, &bytes, &path)?;
    Ok(SavedReportDto { file: path.display().to_string() })
}

/// Every figure of every group as a CSV file for Excel; audited.
#[tauri::command(async)]
pub fn export_report_figures(
    state: State<'_, AppState>,
    from: String,
    to: String,
    path: PathBuf,
) -> Result<SavedReportDto, IpcError> {
    save_report_file(&state, &from, &to, path, ReportFile::Figures)
}

/// One anonymised row per review behind the figures, as a CSV file; audited.
#[tauri::command(async)]
pub fn export_report_rows(
    state: State<'_, AppState>,
    from: String,
    to: String,
    path: PathBuf,
) -> Result<SavedReportDto, IpcError> {
    save_report_file(&state, &from, &to, path, ReportFile::Rows)
}

/// The steering group's one-page report as a PDF, to print; audited as printed.
#[tauri::command(async)]
pub fn export_report_pdf(
    state: State<'_, AppState>,
    from: String,
    to: String,
    path: PathBuf,
) -> Result<SavedReportDto, IpcError> {
    save_report_file(&state, &from, &to, path, ReportFile::Printed)
}

/// The paper form's wording, served so the screen never keeps its own copy.
#[derive(Serialize)]
pub struct FormWordingDto {
    pub collaborate_stem: &'static str,
    pub collaborate: [&'static str; 3],
    /// The answers 0 to 4, in order.
    pub collaborate_answers: [&'static str; 5],
    pub care_stem: &'static str,
    pub care: [&'static str; 10],
    /// The answers 1 to 5, in order.
    pub care_answers: [&'static str; 5],
}

const WORDING: FormWordingDto = FormWordingDto {
    collaborate_stem: feedback::COLLABORATE_STEM,
    collaborate: feedback::COLLABORATE_ITEMS,
    collaborate_answers: feedback::COLLABORATE_ANSWERS,
    care_stem: feedback::CARE_STEM,
    care: feedback::CARE_ITEMS,
    care_answers: feedback::CARE_ANSWERS,
};

/// A form as entered. Each answer is its score ("0" to "5"), "n" for "does not apply", or ""
/// for left blank.
#[derive(Serialize)]
pub struct FormDto {
    pub id: i64,
    pub completed_on: String,
    pub completed_on_display: String,
    pub collaborate: Vec<String>,
    pub care: Vec<String>,
    pub entered_by: String,
    pub entered_at: String,
}

#[derive(Serialize)]
pub struct ReviewFeedbackDto {
    pub year: i32,
    pub conversation_on: String,
    pub conversation_on_display: String,
    /// The form that counts, if one was entered.
    pub form: Option<FormDto>,
    /// How many earlier forms no longer count.
    pub replaced: usize,
}

#[derive(Serialize)]
pub struct FeedbackDto {
    pub nhs_number: String,
    pub nhs_number_display: String,
    pub name: String,
    pub registered: bool,
    pub today: String,
    pub wording: FormWordingDto,
    /// Every review with a conversation held, newest first.
    pub reviews: Vec<ReviewFeedbackDto>,
}

fn answer_text(answer: &Answer) -> String {
    match answer {
        Answer::Score(s) => s.to_string(),
        Answer::DoesNotApply => "n".into(),
        Answer::Blank => String::new(),
    }
}

fn form_dto(stored: StoredFeedback) -> FormDto {
    FormDto {
        id: stored.id,
        completed_on: stored.completed_on.to_string(),
        completed_on_display: format_date(stored.completed_on),
        collaborate: stored.form.collaborate().iter().map(answer_text).collect(),
        care: stored.form.care().iter().map(answer_text).collect(),
        entered_by: stored.entered_by,
        entered_at: chrono::DateTime::parse_from_rfc3339(&stored.entered_at)
            .map(|t| t.with_timezone(&chrono::Local).format("%-d %B %Y at %H:%M").to_string())
            .unwrap_or(stored.entered_at),
    }
}

fn feedback_dto(state: &AppState, nhs_number: &str) -> Result<FeedbackDto, IpcError> {
    let number = parse_nhs(nhs_number)?;
    let found = reports::person_feedback(&lock(state), &number)?;
    let details = &found.patient.details;
    Ok(FeedbackDto {
        nhs_number: details.nhs_number.as_str().to_string(),
        nhs_number_display: details.nhs_number.to_string(),
        name: format!("{} {}", details.name.given(), details.name.family()),
        registered: details.status == RegistrationStatus::Registered,
        today: today().to_string(),
        wording: WORDING,
        reviews: found
            .reviews
            .into_iter()
            .rev()
            .map(|r| ReviewFeedbackDto {
                year: r.year,
                conversation_on: r.conversation_on.to_string(),
                conversation_on_display: format_date(r.conversation_on),
                form: r.current.map(form_dto),
                replaced: r.replaced,
            })
            .collect(),
    })
}

/// The person's reviews with a conversation held, each with the answers of its current form,
/// so staff can check what they typed.
#[tauri::command(async)]
pub fn feedback_for(
    state: State<'_, AppState>,
    nhs_number: String,
) -> Result<FeedbackDto, IpcError> {
    record_viewed(&state, &nhs_number, "feedback")?;
    feedback_dto(&state, &nhs_number)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedbackEntryDto {
    /// The year of the review whose conversation the form is about.
    pub year: i32,
    pub completed_on: String,
    pub collaborate: Vec<String>,
    pub care: Vec<String>,
    /// The form this one corrects, and why.
    #[serde(default)]
    pub replaces: Option<i64>,
    #[serde(default)]
    pub reason: String,
}

/// The answers as sent, each read as a score, "does not apply" or blank; a question is named
/// by its place on the form (`what` and its number).
fn answers<const N: usize>(sent: &[String], what: &str) -> Result<[Answer; N], IpcError> {
    if sent.len() != N {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            format!("{what} has {N} questions, not {}", sent.len()),
        ));
    }
    let mut out = [Answer::Blank; N];
    for (n, (slot, text)) in out.iter_mut().zip(sent).enumerate() {
        *slot = match text.trim() {
            "" => Answer::Blank,
            "n" => Answer::DoesNotApply,
            t => t.parse::<u8>().map(Answer::Score).map_err(|_| {
                IpcError::new(
                    ErrorCode::InvalidInput,
                    format!("{what} question {}: '{t}' is not an answer on the form", n + 1),
                )
            })?,
        };
    }
    Ok(out)
}

/// Keeps a paper form for the review of `entry.year`, or a correction of its current form
/// with the reason; audited. Returns the person's forms as they now are.
#[tauri::command(async)]
pub fn enter_feedback(
    state: State<'_, AppState>,
    nhs_number: String,
    entry: FeedbackEntryDto,
) -> Result<FeedbackDto, IpcError> {
    let form = FeedbackForm::new(
        answers(&entry.collaborate, "collaboRATE")?,
        answers(&entry.care, "CARE")?,
    )
    .map_err(|e| IpcError::new(ErrorCode::InvalidInput, e.to_string()))?;
    let new = NewFeedback {
        nhs_number: parse_nhs(&nhs_number)?,
        year: Some(entry.year),
        completed_on: day("the date on the form", &entry.completed_on)?,
        form,
        replaces: entry.replaces.map(|id| (id, entry.reason)),
    };
    let actor = actor(&state);
    reports::enter_feedback(&mut lock(&state), &actor, &new, today())?;
    feedback_dto(&state, &nhs_number)
}
