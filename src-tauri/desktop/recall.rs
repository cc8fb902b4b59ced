//! The recall coordinator's commands: the month's list with its counts, a person's review and
//! what is recorded against it, and batches of invitation letters.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use tauri::State;

use super::commands::{lock, parse_nhs, registered, today};
use super::dto::{ErrorCode, IpcError};
use super::session::{actor, record_viewed};
use super::AppState;
use crate::domain::calendar::YearMonth;
use crate::domain::catalogue::ConditionKind;
use crate::domain::cycle::{Booking, Cycle, CycleStatus, PackTiming, PcaReason};
use crate::domain::person::{format_date, parse_date, RecallMonth, RegistrationStatus};
use crate::domain::recall::{ContactAttempt, ContactMethod, ContactOutcome, RecallStep};
use crate::exchange::recall::{
    act_on_review, cancel_batch, confirm_batch, current_review_month, prepare_invitations,
    recall_list as list_month, record_prepared, ActionError, Confirmed, RecallCounts, RecallLine,
    ReviewAction, Skipped,
};

const PAGE_SIZE: usize = 50;

#[derive(Deserialize)]
pub struct RecallRequest {
    pub month: String,
    #[serde(default)]
    pub group: Group,
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub sort: Sort,
    #[serde(default)]
    pub page: usize,
}

#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    #[default]
    All,
    Single,
    Multiple,
    Frailty,
}

#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Name,
    Date,
}

#[derive(Serialize)]
pub struct RecallPage {
    pub month: String,
    pub month_label: String,
    pub counts: RecallCounts,
    pub invitations_due: usize,
    pub total: usize,
    pub page: usize,
    pub page_size: usize,
    pub rows: Vec<RecallRow>,
}

#[derive(Serialize)]
pub struct RecallRow {
    pub nhs_number: String,
    pub nhs_number_display: String,
    pub name: String,
    pub conditions: Vec<String>,
    pub status: String,
    pub step: &'static str,
    pub step_label: String,
    pub invitations: Vec<String>,
    pub last_contact: Option<String>,
    pub contact1: Option<String>,
    pub large_print: bool,
    pub no_response_adjustment: bool,
}

/// The month's list: counts for everyone, then the rows that match the filters, a page at a time.
#[tauri::command(async)]
pub fn recall_list(
    state: State<'_, AppState>,
    request: RecallRequest,
) -> Result<RecallPage, IpcError> {
    let month =
        YearMonth::parse(&request.month).map_err(|e| IpcError::new(ErrorCode::InvalidInput, e))?;
    let store = lock(&state);
    let settings = store.practice_settings(&state.catalogue)?;
    let today = today();
    let lines = list_month(&store, &settings, month, today)?;
    let counts = RecallCounts::of(&lines);
    let invitations_due = lines.iter().filter(|l| l.step.invitation_due().is_some()).count();
    let mut shown: Vec<&RecallLine> = lines
        .iter()
        .filter(|l| in_group(l, request.group, &state))
        .filter(|l| request.step.is_empty() || step_matches(l, &request.step))
        .collect();
    if request.sort == Sort::Date {
        shown.sort_by_key(|l| std::cmp::Reverse(last_activity(l)));
    }
    let total = shown.len();
    let rows = shown
        .into_iter()
        .skip(request.page * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|l| row(l, &state))
        .collect();
    Ok(RecallPage {
        month: month.to_string(),
        month_label: month.label(),
        counts,
        invitations_due,
        total,
        page: request.page,
        page_size: PAGE_SIZE,
        rows,
    })
}

fn in_group(line: &RecallLine, group: Group, state: &AppState) -> bool {
    let person = &line.entry.patient.details;
    match group {
        Group::All => true,
        Group::Single => person.long_term_condition_count(&state.catalogue) == 1,
        Group::Multiple => person.long_term_condition_count(&state.catalogue) >= 2,
        Group::Frailty => person.frailty(&state.catalogue).is_some(),
    }
}

fn step_matches(line: &RecallLine, step: &str) -> bool {
    if step == "no_response_after_two" {
        return line.offers_adjustment();
    }
    line.step.code() == step
}

/// The latest thing done for someone: an invitation, a contact attempt or a booking made.
fn last_activity(line: &RecallLine) -> Option<NaiveDate> {
    let cycle = line.entry.cycle.as_ref().map(|c| &c.cycle);
    let invited = cycle.and_then(|c| c.invitations().last()).map(|i| i.sent_on);
    let contacted = line.entry.last_attempt.as_ref().map(|a| a.attempt.on);
    invited.max(contacted)
}

fn row(line: &RecallLine, state: &AppState) -> RecallRow {
    let person = &line.entry.patient.details;
    let cycle = line.entry.cycle.as_ref().map(|c| &c.cycle);
    let step_label = match line.step {
        RecallStep::AwaitingReply { reminder_from } => {
            format!("Waiting for a reply (reminder from {})", format_date(reminder_from))
        }
        other => other.label().to_string(),
    };
    RecallRow {
        nhs_number: person.nhs_number.as_str().to_string(),
        nhs_number_display: person.nhs_number.to_string(),
        name: format!("{}, {}", person.name.family(), person.name.given()),
        conditions: person
            .conditions
            .iter()
            .filter_map(|d| state.catalogue.condition(&d.condition_id))
            .filter(|c| c.kind() == ConditionKind::LongTermCondition)
            .map(|c| c.short_name().to_string())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        status: cycle.map_or(CycleStatus::Due, |c| c.status()).label().to_string(),
        step: line.step.code(),
        step_label,
        invitations: cycle
            .map(|c| c.invitations().iter().map(|i| format_date(i.sent_on)).collect())
            .unwrap_or_default(),
        last_contact: line.entry.last_attempt.as_ref().map(|a| a.attempt.describe()),
        contact1: cycle.and_then(|c| c.contact1()).map(Booking::describe),
        large_print: crate::domain::letters::PrintSize::for_needs(&person.communication_needs)
            == crate::domain::letters::PrintSize::Large,
        no_response_adjustment: line.no_response_adjustment,
    }
}

#[derive(Serialize)]
pub struct PreparedBatchDto {
    pub batch: i64,
    pub file: String,
    pub letters: usize,
    pub large_print: usize,
    pub skipped: Vec<Skipped>,
}

/// Writes the month's invitation letters due today into one PDF at `target`, and records the
/// batch as waiting for confirmation. Nothing counts as sent yet.
#[tauri::command(async)]
pub fn prepare_invitation_batch(
    state: State<'_, AppState>,
    month: String,
    target: PathBuf,
) -> Result<PreparedBatchDto, IpcError> {
    let month = YearMonth::parse(&month).map_err(|e| IpcError::new(ErrorCode::InvalidInput, e))?;
    let mut store = lock(&state);
    let created = chrono::Utc::now().naive_utc();
    let prepared =
        prepare_invitations(&store, &state.catalogue, &state.texts, month, today(), created)?;
    if prepared.items.is_empty() {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "nobody on this month's list needs an invitation today",
        ));
    }
    std::fs::write(&target, &prepared.pdf).map_err(|e| {
        IpcError::new(ErrorCode::Failed, format!("cannot write {}: {e}", target.display()))
    })?;
    let file = target.display().to_string();
    let batch = record_prepared(&mut store, &actor(&state), &prepared, &file)?;
    Ok(PreparedBatchDto {
        batch,
        file,
        letters: prepared.items.len(),
        large_print: prepared.large_print,
        skipped: prepared.skipped,
    })
}

/// The batch printed: every invitation in it is recorded as sent today.
#[tauri::command(async)]
pub fn confirm_invitation_batch(
    state: State<'_, AppState>,
    batch: i64,
) -> Result<Confirmed, IpcError> {
    Ok(confirm_batch(&mut lock(&state), &actor(&state), batch, today())?)
}

/// The batch did not print: nothing is recorded.
#[tauri::command(async)]
pub fn cancel_invitation_batch(state: State<'_, AppState>, batch: i64) -> Result<(), IpcError> {
    Ok(cancel_batch(&mut lock(&state), &actor(&state), batch)?)
}

/// Opens a batch's PDF in the computer's own PDF viewer, to print it.
#[tauri::command(async)]
pub fn open_invitation_batch(state: State<'_, AppState>, batch: i64) -> Result<(), IpcError> {
    let file = lock(&state)
        .letter_batch(batch)?
        .ok_or_else(|| IpcError::new(ErrorCode::NotFound, format!("there is no batch {batch}")))?
        .file;
    tauri_plugin_opener::open_path(&file, None::<&str>)
        .map_err(|e| IpcError::new(ErrorCode::Failed, format!("cannot open {file}: {e}")))
}

#[derive(Serialize)]
pub struct ReviewDto {
    pub month: String,
    pub month_label: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub open: bool,
    pub invitations: Vec<String>,
    pub contact1: Option<String>,
    pub conversation: Option<String>,
    pub pack_sent_on: Option<String>,
    pub no_response_adjustment: bool,
    pub history: Vec<HistoryLine>,
    pub attempts: Vec<HistoryLine>,
    pub earlier: Vec<EarlierReview>,
    pub review_month: Option<u32>,
    /// What may be recorded now: contact, book_contact1, attend_contact1, book_conversation,
    /// decline, adjust.
    pub available: Vec<&'static str>,
    pub pca_reasons: Vec<Choice>,
    pub contact_methods: Vec<Choice>,
    pub contact_outcomes: Vec<Choice>,
}

#[derive(Serialize)]
pub struct HistoryLine {
    pub on: String,
    pub what: String,
    pub who: String,
}

#[derive(Serialize)]
pub struct EarlierReview {
    pub month_label: String,
    pub status_label: &'static str,
}

#[derive(Serialize)]
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
}

/// A person's current review (their open one, or the next one due) and its story.
#[tauri::command(async)]
pub fn get_review(state: State<'_, AppState>, nhs_number: String) -> Result<ReviewDto, IpcError> {
    record_viewed(&state, &nhs_number, "review")?;
    let number = parse_nhs(&nhs_number)?;
    let store = lock(&state);
    let patient = registered(&store, &number)?;
    let month = current_review_month(&store, patient.id, today())?;
    let cycles = store.cycles_of(patient.id)?;
    let current = cycles.iter().find(|c| c.cycle.due_month().year() == month.year());
    let history = match current {
        Some(record) => store
            .cycle_history(record.id)?
            .into_iter()
            .map(|h| HistoryLine { on: format_date(h.on), what: h.detail, who: h.actor })
            .collect(),
        None => Vec::new(),
    };
    let attempts = store
        .contact_attempts(patient.id)?
        .into_iter()
        .map(|a| HistoryLine {
            on: format_date(a.attempt.on),
            what: a.attempt.describe(),
            who: a.actor,
        })
        .collect();
    let cycle = current.map(|c| &c.cycle);
    let status = cycle.map_or(CycleStatus::Due, |c| c.status());
    Ok(ReviewDto {
        month: month.to_string(),
        month_label: month.label(),
        status: status.code(),
        status_label: status.label(),
        open: status.is_open(),
        invitations: cycle
            .map(|c| c.invitations().iter().map(|i| format_date(i.sent_on)).collect())
            .unwrap_or_default(),
        contact1: cycle.and_then(|c| c.contact1()).map(Booking::describe),
        conversation: cycle.and_then(|c| c.conversation()).map(Booking::describe),
        pack_sent_on: cycle.and_then(|c| c.pack_sent_on()).map(format_date),
        no_response_adjustment: cycle.is_some_and(|c| c.no_response_to_two_invitations()),
        history,
        attempts,
        earlier: cycles
            .iter()
            .filter(|c| c.cycle.due_month() != month)
            .map(|c| EarlierReview {
                month_label: c.cycle.due_month().label(),
                status_label: c.cycle.status().label(),
            })
            .collect(),
        review_month: patient.details.recall_month.map(RecallMonth::number),
        available: available_actions(cycle, month, patient.details.status),
        pca_reasons: PcaReason::ALL
            .iter()
            .map(|r| Choice { code: r.code(), label: r.label() })
            .collect(),
        contact_methods: ContactMethod::ALL
            .iter()
            .map(|m| Choice { code: m.code(), label: m.label() })
            .collect(),
        contact_outcomes: ContactOutcome::ALL
            .iter()
            .map(|o| Choice { code: o.code(), label: o.label() })
            .collect(),
    })
}

/// Something recorded against a review, as the screens send it.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionDto {
    Contact {
        on: String,
        method: String,
        outcome: String,
        #[serde(default)]
        note: String,
    },
    BookContact1 {
        starts_at: String,
        with_whom: String,
        #[serde(default)]
        place: String,
    },
    BookConversation {
        starts_at: String,
        with_whom: String,
        #[serde(default)]
        place: String,
    },
    AttendContact1,
    Decline {
        #[serde(default)]
        note: String,
    },
    Adjust {
        reason: String,
        #[serde(default)]
        note: String,
    },
}

/// Records an action on the review due in `month`; returns warnings to show.
#[tauri::command(async)]
pub fn record_review_action(
    state: State<'_, AppState>,
    nhs_number: String,
    month: String,
    action: ActionDto,
) -> Result<Vec<String>, IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let month = YearMonth::parse(&month).map_err(invalid)?;
    let today = today();
    let action = match action {
        ActionDto::Contact { on, method, outcome, note } => ReviewAction::LogContact(
            ContactAttempt::new(
                parse_date(&on).map_err(invalid)?,
                ContactMethod::parse(&method).map_err(invalid)?,
                ContactOutcome::parse(&outcome).map_err(invalid)?,
                &note,
                today,
            )
            .map_err(invalid)?,
        ),
        ActionDto::BookContact1 { starts_at, with_whom, place } => ReviewAction::BookContact1(
            Booking::new(parse_time(&starts_at)?, &with_whom, &place).map_err(invalid)?,
        ),
        ActionDto::BookConversation { starts_at, with_whom, place } => {
            ReviewAction::BookConversation(
                Booking::new(parse_time(&starts_at)?, &with_whom, &place).map_err(invalid)?,
            )
        }
        ActionDto::AttendContact1 => ReviewAction::AttendContact1,
        ActionDto::Decline { note } => ReviewAction::Decline(note),
        ActionDto::Adjust { reason, note } => ReviewAction::Adjust(
            PcaReason::parse(&reason)
                .ok_or_else(|| invalid(format!("'{reason}' is not a reason for an adjustment")))?,
            note,
        ),
    };
    let mut store = lock(&state);
    let settings = store.practice_settings(&state.catalogue)?;
    act_on_review(&mut store, &actor(&state), &settings, &number, month, action, today).map_err(
        |e| match e {
            ActionError::NotFound(_) => IpcError::new(ErrorCode::NotFound, e.to_string()),
            ActionError::Refused(message) => IpcError::new(ErrorCode::Refused, message),
            ActionError::Store(e) => e.into(),
        },
    )
}

/// Sets the month of the year a person's review falls due (`None`: their birth month).
#[tauri::command(async)]
pub fn set_review_month(
    state: State<'_, AppState>,
    nhs_number: String,
    month: Option<u32>,
) -> Result<(), IpcError> {
    let number = parse_nhs(&nhs_number)?;
    let chosen = match month {
        Some(m) => Some(
            RecallMonth::new(m)
                .ok_or_else(|| invalid(format!("{m} is not a month from 1 to 12")))?,
        ),
        None => None,
    };
    let mut store = lock(&state);
    let patient = registered(&store, &number)?;
    store.write::<_, crate::store::StoreError>(&actor(&state), |w| {
        w.set_recall_month(patient.id, patient.details.recall_month, chosen)
    })?;
    Ok(())
}

/// What the cycle would accept now, found by trying each move on a copy (so the screens never
/// repeat the cycle's rules).
fn available_actions(
    cycle: Option<&Cycle>,
    month: YearMonth,
    person: RegistrationStatus,
) -> Vec<&'static str> {
    let today = today();
    let trial = match cycle {
        Some(cycle) => cycle.clone(),
        None => match Cycle::open(month, person, today) {
            Ok((cycle, _)) => cycle,
            Err(_) => return Vec::new(),
        },
    };
    if !trial.status().is_open() {
        return Vec::new();
    }
    let booking = Booking::new(today.and_hms_opt(9, 0, 0).expect("a time"), "someone", "")
        .expect("a booking");
    let timing = PackTiming { minimum_days: 7, target_days: 14 };
    let tries: [(&'static str, bool); 5] = [
        ("book_contact1", trial.clone().book_contact1(booking.clone(), person, today).is_ok()),
        ("attend_contact1", trial.clone().attend_contact1(today).is_ok()),
        (
            "book_conversation",
            trial.clone().book_conversation(booking, person, today, timing).is_ok(),
        ),
        ("decline", trial.clone().decline(today, "").is_ok()),
        ("adjust", trial.clone().adjust(today, PcaReason::Unsuitable, "").is_ok()),
    ];
    std::iter::once("contact")
        .chain(tries.into_iter().filter(|(_, ok)| *ok).map(|(name, _)| name))
        .collect()
}

/// `2027-03-12T09:30`, as a datetime-local field sends it.
fn parse_time(text: &str) -> Result<NaiveDateTime, IpcError> {
    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .map_err(|_| invalid(format!("'{text}' is not a date and time (choose both)")))
}

fn invalid(message: impl Into<String>) -> IpcError {
    IpcError::new(ErrorCode::InvalidInput, message)
}
