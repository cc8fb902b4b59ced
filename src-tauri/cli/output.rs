//! The JSON the command line prints: a stable, versioned shape that scripts rely on. Fields are
//! only ever added.

use serde::Serialize;

use crate::domain::calendar::review_month;
use crate::domain::person::CommunicationNeed;
use crate::domain::register::PatientDetails;
use crate::exchange::packs::PackLine;
use crate::exchange::recall::{RecallLine, Skipped};
use crate::exchange::triage::{FindingRow, WorklistEntry};

/// One person in `alongside patients list`.
#[derive(Serialize)]
pub struct PatientJson {
    pub nhs_number: String,
    pub family_name: String,
    pub given_name: String,
    pub date_of_birth: String,
    pub sex: &'static str,
    pub postcode: Option<String>,
    pub conditions: Vec<String>,
    pub communication_needs: Vec<String>,
    pub status: &'static str,
    pub recall_month: Option<u32>,
}

impl From<&PatientDetails> for PatientJson {
    fn from(p: &PatientDetails) -> PatientJson {
        PatientJson {
            nhs_number: p.nhs_number.as_str().to_string(),
            family_name: p.name.family().to_string(),
            given_name: p.name.given().to_string(),
            date_of_birth: p.date_of_birth.format("%Y-%m-%d").to_string(),
            sex: p.sex.code(),
            postcode: p.address.postcode.as_ref().map(|c| c.as_str().to_string()),
            conditions: p.conditions.iter().map(|d| d.code.as_str().to_string()).collect(),
            communication_needs: p
                .communication_needs
                .iter()
                .map(CommunicationNeed::token)
                .collect(),
            status: p.status.code(),
            recall_month: p.recall_month.map(|m| m.number()),
        }
    }
}

/// One person in `alongside recall due`.
#[derive(Serialize)]
pub struct RecallJson {
    pub nhs_number: String,
    pub name: String,
    pub conditions: Vec<String>,
    /// The month of the year the review falls due (1 to 12).
    pub recall_month: u32,
    /// Where the review has got to: due, invited, contact1_booked, … plan_agreed, declined, pca.
    pub status: &'static str,
    /// The days invitations were sent, as YYYY-MM-DD.
    pub invitations: Vec<String>,
    /// What the recall coordinator does next.
    pub next_step: &'static str,
}

impl From<&RecallLine> for RecallJson {
    fn from(line: &RecallLine) -> RecallJson {
        let p = &line.entry.patient.details;
        let cycle = line.entry.cycle.as_ref().map(|c| &c.cycle);
        RecallJson {
            nhs_number: p.nhs_number.as_str().to_string(),
            name: format!("{} {}", p.name.given(), p.name.family()),
            conditions: p.conditions.iter().map(|d| d.code.as_str().to_string()).collect(),
            recall_month: review_month(p.date_of_birth, p.recall_month),
            status: cycle.map_or("due", |c| c.status().code()),
            invitations: cycle
                .map(|c| {
                    c.invitations()
                        .iter()
                        .map(|i| i.sent_on.format("%Y-%m-%d").to_string())
                        .collect()
                })
                .unwrap_or_default(),
            next_step: line.step.code(),
        }
    }
}

/// What `alongside recall invite` did.
#[derive(Serialize)]
pub struct InvitationsJson {
    pub letters: usize,
    pub large_print: usize,
    pub skipped: Vec<Skipped>,
    /// The batch this PDF is recorded as, for confirming or cancelling it later.
    pub batch: i64,
    /// How many invitations were recorded as sent (only with `--confirm`).
    pub recorded: usize,
    pub refused: Vec<Skipped>,
}

/// What `alongside packs print` and `packs reprint` did.
#[derive(Serialize)]
pub struct PacksJson {
    /// How many packs are in the PDF.
    pub packs: usize,
    pub large_print: usize,
    /// Reviews whose packs were not printed, with the reason.
    pub held: Vec<Skipped>,
    /// The batch this PDF is recorded as (none when nothing was printed).
    pub batch: Option<i64>,
    /// How many packs were recorded as sent (only with `--confirm`).
    pub recorded: usize,
    pub refused: Vec<Skipped>,
}

/// One review on `alongside packs list`.
#[derive(Serialize)]
pub struct PackJson {
    pub nhs_number: String,
    pub name: String,
    pub status: &'static str,
    /// The conversation's date and time, if booked (ISO 8601).
    pub conversation: Option<String>,
    pub days_until_conversation: Option<i64>,
    pub large_print: bool,
    /// "ready", or the hold's code: left, died, not_approved, red_finding, format, no_address,
    /// too_soon.
    pub state: &'static str,
    pub reason: Option<String>,
}

impl From<&PackLine> for PackJson {
    fn from(line: &PackLine) -> PackJson {
        let person = &line.patient.details;
        PackJson {
            nhs_number: person.nhs_number.as_str().to_string(),
            name: format!("{} {}", person.name.given(), person.name.family()),
            status: line.status.code(),
            conversation: line
                .conversation
                .as_ref()
                .map(|b| b.starts_at().format("%Y-%m-%dT%H:%M").to_string()),
            days_until_conversation: line.days_until,
            large_print: line.large_print,
            state: line.hold.as_ref().map_or("ready", |h| h.code()),
            reason: line.hold.as_ref().map(|h| h.reason()),
        }
    }
}

/// One review on `alongside triage list`.
#[derive(Serialize)]
pub struct TriageJson {
    pub nhs_number: String,
    pub name: String,
    /// The review's state code ("results_complete", …).
    pub state: &'static str,
    pub findings: Vec<FindingJson>,
}

/// One finding of a review: a result outside a rule.
#[derive(Serialize)]
pub struct FindingJson {
    /// The catalogue item id.
    pub item: String,
    /// The item's SNOMED CT code.
    pub code: String,
    /// The value as recorded ("92", "184/96", an option id, a score).
    pub value: String,
    /// The UCUM unit of a measurement.
    pub unit: Option<String>,
    pub taken_on: String,
    /// "red" or "amber".
    pub severity: &'static str,
    /// The rule id in assets/rules/, or "personal-target".
    pub rule: String,
    pub source: String,
    pub acknowledged: bool,
}

impl From<&WorklistEntry> for TriageJson {
    fn from(entry: &WorklistEntry) -> TriageJson {
        let name = &entry.patient.details.name;
        let mut findings: Vec<&FindingRow> = entry.findings.iter().collect();
        // Red first, then as the results were listed.
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        TriageJson {
            nhs_number: entry.patient.details.nhs_number.as_str().to_string(),
            name: format!("{} {}", name.given(), name.family()),
            state: entry.cycle.cycle.status().code(),
            findings: findings
                .into_iter()
                .map(|f| FindingJson {
                    item: f.item.clone(),
                    code: f.code.clone(),
                    value: f.value.clone(),
                    unit: f.unit.clone(),
                    taken_on: f.taken_on.format("%Y-%m-%d").to_string(),
                    severity: f.severity.code(),
                    rule: f.rule.clone(),
                    source: f.source.clone(),
                    acknowledged: f.acknowledgement.is_some(),
                })
                .collect(),
        }
    }
}

/// What `careplan pdf` wrote.
#[derive(Serialize)]
pub struct CarePlanPdfJson {
    pub file: String,
    pub version: u32,
    pub large_print: bool,
}

/// What `careplan export` wrote.
#[derive(Serialize)]
pub struct CarePlanExportJson {
    pub file: String,
    pub version: u32,
    pub format: &'static str,
}

/// One service of the directory.
#[derive(Serialize)]
pub struct ServiceJson {
    pub id: i64,
    pub name: String,
    /// The category's code: physical_activity, weight_and_eating, …
    pub category: &'static str,
    pub offers: String,
    pub for_whom: String,
    /// Access codes: self_referral, practice_referral, social_prescriber.
    pub access: Vec<&'static str>,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub address: String,
    pub opening_times: String,
    pub cost: String,
    pub accessibility: String,
    /// YYYY-MM-DD
    pub last_checked: Option<String>,
    pub retired: bool,
}

impl From<&crate::store::StoredService> for ServiceJson {
    fn from(stored: &crate::store::StoredService) -> ServiceJson {
        let s = &stored.service;
        ServiceJson {
            id: stored.id,
            name: s.name.clone(),
            category: s.category.code(),
            offers: s.offers.clone(),
            for_whom: s.for_whom.clone(),
            access: s.access.iter().map(|a| a.code()).collect(),
            phone: s.phone.clone(),
            email: s.email.clone(),
            website: s.website.clone(),
            address: s.address.clone(),
            opening_times: s.opening_times.clone(),
            cost: s.cost.clone(),
            accessibility: s.accessibility.clone(),
            last_checked: s.last_checked.map(|d| d.to_string()),
            retired: stored.retired_at.is_some(),
        }
    }
}

/// What an export wrote.
#[derive(Serialize)]
pub struct ExportJson {
    pub file: String,
    pub services: usize,
}

/// What `patients export` wrote.
#[derive(Serialize)]
pub struct RegisterExportJson {
    pub file: String,
    pub people: usize,
}

/// What `restore` did, or (with `--check`) found: the backup described, whether its database
/// was unpacked and checked whole, and where the database it replaced was kept.
#[derive(Serialize)]
pub struct RestoreJson {
    #[serde(flatten)]
    pub about: crate::exchange::backup::BackupAbout,
    pub checked: bool,
    pub restored: bool,
    /// The database the restore replaced, kept under a dated name beside it; null when there
    /// was none (or with `--check`).
    pub replaced: Option<String>,
}
