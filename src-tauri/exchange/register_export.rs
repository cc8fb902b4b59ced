//! The register with where each person's latest review has got to, as a CSV file for Excel
//! (UTF-8 with a byte-order mark, ISO dates): for the practice's own lists and for anyone it
//! reports to. A deliberate export: written only where the user says, and audited.

use crate::domain::catalogue::Catalogue;
use crate::domain::cycle::CycleStatus;
use crate::store::{Actor, Store, StoreError};

/// The columns, in order.
pub const COLUMNS: &[&str] = &[
    "nhs_number",
    "family_name",
    "given_name",
    "date_of_birth",
    "sex",
    "postcode",
    "registration",
    "conditions",
    "condition_codes",
    "recall_month",
    "review_due",
    "review_status",
    "review_status_label",
    "invitations",
    "last_invited_on",
    "contact_1_on",
    "pack_sent_on",
    "conversation_on",
    "review_closed_on",
    "personalised_care_adjustment",
    "plan_version",
    "plan_agreed_on",
    "next_review_on",
];

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("could not write {0}")]
    Unwritable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Everyone on the register (registered, left and died), in name order, with their latest
/// review and latest agreed plan. Returns the file's bytes and how many people it holds.
pub fn register_csv(store: &Store, catalogue: &Catalogue) -> Result<(Vec<u8>, usize), StoreError> {
    let mut people = store.all_patients()?;
    people.sort_by(|a, b| {
        let key = |p: &crate::store::PatientRow| {
            (
                p.details.name.family().to_lowercase(),
                p.details.name.given().to_lowercase(),
                p.details.nhs_number.as_str().to_string(),
            )
        };
        key(a).cmp(&key(b))
    });
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(COLUMNS).expect("writing to memory");
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    for person in &people {
        let p = &person.details;
        let names: Vec<&str> = p
            .conditions
            .iter()
            .map(|d| {
                catalogue.condition(&d.condition_id).map_or(d.condition_id.as_str(), |c| c.name())
            })
            .collect();
        let mut unique_names: Vec<&str> = Vec::new();
        for name in names {
            if !unique_names.contains(&name) {
                unique_names.push(name);
            }
        }
        let codes: Vec<&str> = p.conditions.iter().map(|d| d.code.as_str()).collect();
        let cycle = store.cycles_of(person.id)?.into_iter().next().map(|r| r.cycle);
        let plan = store.care_plans_of(person.id)?.pop();
        let status = cycle.as_ref().map(|c| c.status());
        let closure = cycle.as_ref().and_then(|c| c.closure());
        let record: Vec<String> = vec![
            p.nhs_number.as_str().to_string(),
            p.name.family().to_string(),
            p.name.given().to_string(),
            p.date_of_birth.format("%Y-%m-%d").to_string(),
            p.sex.code().to_string(),
            p.address.postcode.as_ref().map(|c| c.as_str().to_string()).unwrap_or_default(),
            p.status.code().to_string(),
            unique_names.join("; "),
            codes.join("; "),
            p.recall_month.map(|m| m.number().to_string()).unwrap_or_default(),
            cycle.as_ref().map(|c| c.due_month().to_string()).unwrap_or_default(),
            status.map(CycleStatus::code).unwrap_or_default().to_string(),
            status.map(CycleStatus::label).unwrap_or("No review yet").to_string(),
            cycle.as_ref().map(|c| c.invitations().len().to_string()).unwrap_or_default(),
            day(cycle.as_ref().and_then(|c| c.invitations().last()).map(|i| i.sent_on))
                .unwrap_or_default(),
            day(cycle.as_ref().and_then(|c| c.contact1()).map(|b| b.starts_at().date()))
                .unwrap_or_default(),
            day(cycle.as_ref().and_then(|c| c.pack_sent_on())).unwrap_or_default(),
            day(cycle.as_ref().and_then(|c| c.conversation()).map(|b| b.starts_at().date()))
                .unwrap_or_default(),
            day(closure.map(|c| c.on)).unwrap_or_default(),
            closure
                .and_then(|c| c.pca_reason.as_ref())
                .map(|r| r.label().to_string())
                .unwrap_or_default(),
            plan.as_ref().map(|p| p.version.to_string()).unwrap_or_default(),
            day(plan.as_ref().map(|p| p.agreed_on)).unwrap_or_default(),
            day(plan.as_ref().and_then(|p| p.doc.review.date())).unwrap_or_default(),
        ];
        writer.write_record(&record).expect("writing to memory");
    }
    Ok((writer.into_inner().expect("writing to memory"), people.len()))
}

/// Writes the register to `target` and audits where it went. Returns how many people.
pub fn export_register_to(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    target: &std::path::Path,
) -> Result<usize, ExportError> {
    // An export that could not be recorded does not leave.
    store.check_writable()?;
    let (csv, count) = register_csv(store, catalogue)?;
    std::fs::write(target, csv).map_err(|e| {
        ExportError::Unwritable(format!(
            "{}: {}",
            target.display(),
            crate::exchange::csv_table::plain_io_error(&e)
        ))
    })?;
    let target = std::fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf());
    store.write(actor, |w| {
        w.audit(
            "register.exported",
            None,
            &format!("{count} people with their reviews written to {}", target.display()),
        )
    })?;
    Ok(count)
}
