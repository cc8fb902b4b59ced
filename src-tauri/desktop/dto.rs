//! The shapes that cross between the Rust core and the screens, as JSON. Domain types never
//! cross; they are turned into these plain records here.

use chrono::{DateTime, Local, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::catalogue::{Catalogue, ConditionKind};
use crate::domain::nhs_number::NhsNumber;
use crate::domain::person::{age_on, format_date, CommunicationNeed, RegistrationStatus};
use crate::domain::search::{ConditionCount, FrailtyFilter, RegisterFilter};
use crate::exchange::recall::LettersError;
use crate::exchange::register_import::{FileError, ImportError, ImportReport};
use crate::store::{OpenError, PatientRow, PatientSummary, StoreError, TimelineEntry};

/// An error as the screens receive it: `code` to branch on, `message` to show a person.
#[derive(Debug, Serialize)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    /// A value to offer instead of what was typed, never used without the person's say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The person gave something that cannot be used; the message says what.
    InvalidInput,
    NotFound,
    /// The file changed after it was checked; check it again.
    FileChanged,
    /// The process does not allow this now (a transition the cycle refuses); the message says why.
    Refused,
    /// Something went wrong that the person cannot fix by changing their input.
    Failed,
    /// No one is signed in, or the screen is locked: sign in first.
    SignInNeeded,
    /// The signed-in user's role may not do this; the message says what.
    NotAllowed,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> IpcError {
        IpcError { code, message: message.into(), suggestion: None }
    }
}

impl From<StoreError> for IpcError {
    fn from(error: StoreError) -> IpcError {
        if let StoreError::Refused(message) = error {
            return IpcError::new(ErrorCode::Refused, message);
        }
        eprintln!("alongside: {error:?}");
        IpcError::new(ErrorCode::Failed, error.to_string())
    }
}

impl From<OpenError> for IpcError {
    fn from(error: OpenError) -> IpcError {
        IpcError::new(ErrorCode::Failed, error.to_string())
    }
}

impl From<FileError> for IpcError {
    fn from(error: FileError) -> IpcError {
        IpcError::new(ErrorCode::InvalidInput, error.to_string())
    }
}

impl From<LettersError> for IpcError {
    fn from(error: LettersError) -> IpcError {
        match error {
            LettersError::NotReady(message) => IpcError::new(ErrorCode::InvalidInput, message),
            LettersError::Store(e) => e.into(),
        }
    }
}

impl From<ImportError> for IpcError {
    fn from(error: ImportError) -> IpcError {
        match error {
            ImportError::File(e) => e.into(),
            ImportError::Store(e) => e.into(),
        }
    }
}

#[derive(Serialize)]
pub struct AppInfo {
    pub practice_name: Option<String>,
    pub is_demo: bool,
    pub database_path: String,
    pub version: &'static str,
    pub schema_version: u32,
    /// Where letters are saved unless the person chooses elsewhere.
    pub documents_folder: String,
    /// How this system separates folders in a path (`/`, or `\` on Windows).
    pub path_separator: String,
    /// Set when opening brought the database up to this version.
    pub upgraded: Option<UpgradeDto>,
}

#[derive(Serialize)]
pub struct UpgradeDto {
    pub from: u32,
    pub to: u32,
    /// The copy kept from before.
    pub kept: String,
}

#[derive(Serialize)]
pub struct ConditionOption {
    pub id: String,
    pub name: String,
    pub short_name: String,
}

#[derive(Deserialize)]
pub struct SearchRequest {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub condition_id: Option<String>,
    #[serde(default)]
    pub condition_count: ConditionCountDto,
    #[serde(default)]
    pub frailty: FrailtyDto,
    #[serde(default)]
    pub status: StatusDto,
    #[serde(default)]
    pub page: u32,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ConditionCountDto {
    #[default]
    Any,
    One,
    TwoOrMore,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum FrailtyDto {
    #[default]
    Any,
    Frail,
    ModerateOrSevere,
    NotFrail,
}

#[derive(Deserialize, Default, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum StatusDto {
    #[default]
    Registered,
    Left,
    Deceased,
    All,
}

impl SearchRequest {
    pub fn filter(&self) -> RegisterFilter {
        RegisterFilter {
            condition_id: self.condition_id.clone().filter(|id| !id.is_empty()),
            condition_count: match self.condition_count {
                ConditionCountDto::Any => ConditionCount::Any,
                ConditionCountDto::One => ConditionCount::One,
                ConditionCountDto::TwoOrMore => ConditionCount::TwoOrMore,
            },
            frailty: match self.frailty {
                FrailtyDto::Any => FrailtyFilter::Any,
                FrailtyDto::Frail => FrailtyFilter::Frail,
                FrailtyDto::ModerateOrSevere => FrailtyFilter::ModerateOrSevere,
                FrailtyDto::NotFrail => FrailtyFilter::NotFrail,
            },
            status: match self.status {
                StatusDto::Registered => Some(RegistrationStatus::Registered),
                StatusDto::Left => Some(RegistrationStatus::Left),
                StatusDto::Deceased => Some(RegistrationStatus::Deceased),
                StatusDto::All => None,
            },
        }
    }
}

#[derive(Serialize)]
pub struct SearchResponse {
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub people: Vec<PersonListItem>,
}

#[derive(Serialize)]
pub struct PersonListItem {
    pub nhs_number: String,
    pub nhs_number_display: String,
    pub family_name: String,
    pub given_name: String,
    pub date_of_birth: String,
    pub age: u32,
    pub postcode: Option<String>,
    pub status: String,
    pub conditions: Vec<String>,
    pub frailty: Option<String>,
    pub needs: Vec<String>,
    pub missing_from_latest_import: bool,
}

impl PersonListItem {
    pub fn new(summary: PatientSummary, catalogue: &Catalogue, today: NaiveDate) -> PersonListItem {
        let digits = summary.nhs_number;
        PersonListItem {
            nhs_number_display: NhsNumber::parse(&digits)
                .map(|n| n.to_string())
                .unwrap_or(digits.clone()),
            nhs_number: digits,
            family_name: summary.family_name,
            given_name: summary.given_name,
            date_of_birth: summary.date_of_birth.format("%-d %b %Y").to_string(),
            age: age_on(summary.date_of_birth, today),
            postcode: summary.postcode,
            status: summary.status,
            conditions: summary
                .condition_ids
                .iter()
                .filter_map(|id| catalogue.condition(id))
                .filter(|c| c.kind() == ConditionKind::LongTermCondition)
                .map(|c| c.short_name().to_string())
                .collect(),
            frailty: summary.frailty,
            needs: summary.communication_needs.iter().map(|t| need_label(t)).collect(),
            missing_from_latest_import: summary.missing_from_latest_import,
        }
    }
}

fn need_label(token: &str) -> String {
    CommunicationNeed::parse(token).map(|n| n.label()).unwrap_or_else(|_| token.to_string())
}

#[derive(Serialize)]
pub struct PatientRecord {
    pub nhs_number: String,
    pub nhs_number_display: String,
    pub is_test_number: bool,
    pub family_name: String,
    pub given_name: String,
    pub date_of_birth: String,
    pub age: u32,
    pub sex: &'static str,
    pub address: Vec<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub usual_clinician: Option<String>,
    pub communication_needs: Vec<String>,
    pub conditions: Vec<ConditionLine>,
    pub status: &'static str,
    pub may_be_contacted: bool,
    pub recall_month: String,
    pub missing_from_latest_import: bool,
    pub timeline: Vec<TimelineLine>,
}

#[derive(Serialize)]
pub struct ConditionLine {
    pub name: String,
    pub plain_name: String,
    pub term: String,
    pub code: String,
    pub diagnosed_on: Option<String>,
}

#[derive(Serialize)]
pub struct TimelineLine {
    pub at: String,
    pub actor: String,
    pub what: String,
    pub detail: String,
}

impl PatientRecord {
    pub fn new(
        row: PatientRow,
        timeline: Vec<TimelineEntry>,
        catalogue: &Catalogue,
        today: NaiveDate,
    ) -> PatientRecord {
        let p = row.details;
        let address = [
            p.address.line_1.clone(),
            p.address.line_2.clone(),
            p.address.town.clone(),
            p.address.postcode.as_ref().map(|c| c.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let conditions = p
            .conditions
            .iter()
            .filter_map(|d| {
                let (condition, code) = catalogue.lookup(&d.code)?;
                Some(ConditionLine {
                    name: condition.name().to_string(),
                    plain_name: condition.plain_name().to_string(),
                    term: code.term().to_string(),
                    code: d.code.to_string(),
                    diagnosed_on: d.diagnosed_on.map(format_date),
                })
            })
            .collect();
        let birth_month = p.date_of_birth.format("%B");
        PatientRecord {
            nhs_number: p.nhs_number.as_str().to_string(),
            nhs_number_display: p.nhs_number.to_string(),
            is_test_number: p.nhs_number.is_test(),
            family_name: p.name.family().to_string(),
            given_name: p.name.given().to_string(),
            date_of_birth: format_date(p.date_of_birth),
            age: age_on(p.date_of_birth, today),
            sex: p.sex.code(),
            address,
            phone: p.phone.map(|x| x.as_str().to_string()),
            email: p.email.map(|x| x.as_str().to_string()),
            usual_clinician: p.usual_clinician,
            communication_needs: p
                .communication_needs
                .iter()
                .map(CommunicationNeed::label)
                .collect(),
            conditions,
            status: p.status.code(),
            may_be_contacted: p.status.may_be_contacted(),
            recall_month: match p.recall_month {
                Some(month) => format!("{month} (chosen by the practice)"),
                None => format!("{birth_month} (birth month)"),
            },
            missing_from_latest_import: row.missing_from_latest_import,
            timeline: timeline.into_iter().map(TimelineLine::from).collect(),
        }
    }
}

impl From<TimelineEntry> for TimelineLine {
    fn from(entry: TimelineEntry) -> TimelineLine {
        let at = DateTime::parse_from_rfc3339(&entry.at)
            .map(|t| t.with_timezone(&Local).format("%-d %b %Y, %H:%M").to_string())
            .unwrap_or(entry.at);
        let what = match entry.action.as_str() {
            "register.added" => "Added to the register",
            "register.updated" => "Details updated from a register file",
            "register.missing_from_import" => "Not in the latest register file",
            "register.back_in_import" => "Back in the register file",
            "register.recall_month" => "Review month changed",
            "recall.contact_attempt" => "Contact attempt",
            "cycle.open" => "Review opened",
            "cycle.invite" => "Invitation sent",
            "cycle.book_contact1" => "Contact 1 booked",
            "cycle.attend_contact1" => "Contact 1 attended",
            "cycle.complete_results" => "Results complete",
            "cycle.triage" => "Results triaged, preparation pack approved",
            "cycle.send_pack" => "Preparation pack sent",
            "cycle.book_conversation" => "Conversation booked",
            "cycle.hold_conversation" => "Conversation held",
            "cycle.agree_plan" => "Care and support plan agreed",
            "cycle.decline" => "Review declined",
            "cycle.adjust" => "Personalised care adjustment",
            "cycle.registration_ended" => "Review closed",
            "observation.record" => "Value recorded",
            "observation.not_done" => "Marked not done",
            "observation.correct" => "Value corrected",
            "observation.entered_in_error" => "Marked entered in error",
            "results.import" => "Results from the lab",
            "triage.acknowledge" => "Red finding acknowledged",
            "triage.route" => "Conversation routed",
            "triage.medication_review" => "Medication review decided",
            "triage.note" => "Note for the conversation",
            "triage.personal_target" => "Personal target",
            "feedback.entered" => "Feedback form entered",
            "feedback.entered_in_error" => "Feedback form marked entered in error",
            other => other,
        };
        TimelineLine { at, actor: entry.actor, what: what.to_string(), detail: entry.summary }
    }
}

#[derive(Serialize)]
pub struct ImportPreview {
    pub file: String,
    pub fingerprint: String,
    pub report: ImportReport,
}
