//! The "more than medicine" directory over the store: adding, editing and retiring services,
//! searching them from the conversation screen, and sharing the list as CSV with a neighbouring
//! practice (an import is all or nothing; an export opens in Excel).

use chrono::NaiveDate;
use serde::Serialize;

use super::csv_table::{plain_io_error, CsvTable, FileError};
use super::register_import::Rejection;
use crate::domain::directory::{Service, ServiceFields};
use crate::store::{Actor, Store, StoreError, StoredService};

/// The columns of a directory file, in the order an export writes them.
pub const COLUMNS: [&str; 13] = [
    "name",
    "category",
    "offers",
    "for_whom",
    "access",
    "phone",
    "email",
    "website",
    "address",
    "opening_times",
    "cost",
    "accessibility",
    "last_checked",
];

#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
    #[error("{0}")]
    File(#[from] FileError),
    #[error("nothing was imported: {} row(s) need correcting{}", .0.len(), rows_listed(.0))]
    Rows(Vec<Rejection>),
    #[error("cannot write {0}")]
    Unwritable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Each row needing correction on a line of its own: "line 3: Lunch club: …".
fn rows_listed(rows: &[Rejection]) -> String {
    rows.iter().map(|row| format!("\n  line {}: {}", row.line, row.reason)).collect()
}

/// What an import did (or, for a dry run, would do).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct DirectoryImport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: usize,
    pub warnings: Vec<String>,
}

/// Services matching every typed word; all of them when nothing is typed.
pub fn search(
    store: &Store,
    query: &str,
    include_retired: bool,
) -> Result<Vec<StoredService>, StoreError> {
    Ok(store.directory(include_retired)?.into_iter().filter(|s| s.service.matches(query)).collect())
}

pub fn add_service(
    store: &mut Store,
    actor: &Actor,
    fields: &ServiceFields,
    today: NaiveDate,
) -> Result<i64, DirectoryError> {
    let service = Service::parse(fields, today).map_err(DirectoryError::Invalid)?;
    Ok(store.write(actor, |w| w.add_service(&service))?)
}

/// Saves an edited service; nothing is written when nothing changed.
pub fn update_service(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    fields: &ServiceFields,
    today: NaiveDate,
) -> Result<bool, DirectoryError> {
    let service = Service::parse(fields, today).map_err(DirectoryError::Invalid)?;
    let unchanged = store.directory_service(id)?.is_some_and(|s| s.service == service);
    if unchanged {
        return Ok(false);
    }
    Ok(store.write(actor, |w| w.update_service(id, &service))?)
}

pub fn retire_service(store: &mut Store, actor: &Actor, id: i64) -> Result<(), DirectoryError> {
    Ok(store.write(actor, |w| w.retire_service(id))?)
}

/// Reads a directory file and adds or updates its services (matched on name, in any case), in
/// one transaction. A bad row stops the whole import, with every bad row named by its line.
pub fn import_directory(
    store: &mut Store,
    actor: &Actor,
    bytes: &[u8],
    today: NaiveDate,
    dry_run: bool,
) -> Result<DirectoryImport, DirectoryError> {
    let table = CsvTable::read(bytes)?;
    let (found, mut warnings) = table.columns(
        &COLUMNS,
        &["name", "category"],
        "a directory file needs at least name and category",
    )?;
    warnings.extend(table.warnings());
    let mut services: Vec<Service> = Vec::new();
    let mut rejected = Vec::new();
    for row in &table.rows {
        let cells = match row.checked() {
            Ok(cells) => cells,
            Err(reason) => {
                rejected.push(Rejection { line: row.line, nhs_number: None, reason });
                continue;
            }
        };
        let cell = |name: &str| -> String {
            let k = COLUMNS.iter().position(|c| *c == name).expect("a known column");
            found[k].map(|i| cells[i].clone()).unwrap_or_default()
        };
        let fields = ServiceFields {
            name: cell("name"),
            category: cell("category"),
            offers: cell("offers"),
            for_whom: cell("for_whom"),
            access: cell("access"),
            phone: cell("phone"),
            email: cell("email"),
            website: cell("website"),
            address: cell("address"),
            opening_times: cell("opening_times"),
            cost: cell("cost"),
            accessibility: cell("accessibility"),
            last_checked: cell("last_checked"),
        };
        let named = |reason: String| {
            let name = fields.name.trim();
            if name.is_empty() {
                reason
            } else {
                format!("{name}: {reason}")
            }
        };
        match Service::parse(&fields, today) {
            Ok(service) => {
                if services.iter().any(|s| s.name.to_lowercase() == service.name.to_lowercase()) {
                    rejected.push(Rejection {
                        line: row.line,
                        nhs_number: None,
                        reason: named("the file names this service twice".into()),
                    });
                } else {
                    services.push(service);
                }
            }
            Err(problems) => rejected.push(Rejection {
                line: row.line,
                nhs_number: None,
                reason: named(problems.join("; ")),
            }),
        }
    }
    if !rejected.is_empty() {
        return Err(DirectoryError::Rows(rejected));
    }
    let existing = store.directory(false)?;
    let mut report = DirectoryImport { warnings, ..DirectoryImport::default() };
    let mut adds = Vec::new();
    let mut updates = Vec::new();
    for service in services {
        let key = service.name.to_lowercase();
        match existing.iter().find(|s| s.service.name.to_lowercase() == key) {
            Some(s) if s.service == service => report.unchanged += 1,
            Some(s) => {
                report.updated.push(service.name.clone());
                updates.push((s.id, service));
            }
            None => {
                report.added.push(service.name.clone());
                adds.push(service);
            }
        }
    }
    if dry_run || (adds.is_empty() && updates.is_empty()) {
        return Ok(report);
    }
    store.write(actor, |w| -> Result<(), StoreError> {
        for service in &adds {
            w.add_service(service)?;
        }
        for (id, service) in &updates {
            w.update_service(*id, service)?;
        }
        w.audit(
            "directory.imported",
            None,
            &format!("{} added, {} updated", adds.len(), updates.len()),
        )
    })?;
    Ok(report)
}

/// Writes the directory in use to `target` as CSV for Excel, and audits where it went.
/// Returns how many services were written.
pub fn export_directory_to(
    store: &mut Store,
    actor: &Actor,
    target: &std::path::Path,
) -> Result<usize, DirectoryError> {
    store.check_writable()?;
    let (csv, count) = directory_csv(store)?;
    std::fs::write(target, csv).map_err(|e| {
        DirectoryError::Unwritable(format!("{}: {}", target.display(), plain_io_error(&e)))
    })?;
    store.write(actor, |w| {
        w.audit(
            "directory.exported",
            None,
            &format!("{count} services written to {}", target.display()),
        )
    })?;
    Ok(count)
}

/// The directory in use as CSV for Excel: UTF-8 with a byte-order mark, ISO dates, labels.
fn directory_csv(store: &Store) -> Result<(Vec<u8>, usize), StoreError> {
    let services = store.directory(false)?;
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(COLUMNS).expect("writing to memory");
    for stored in &services {
        let f = stored.service.fields();
        writer
            .write_record([
                &f.name,
                &f.category,
                &f.offers,
                &f.for_whom,
                &f.access,
                &f.phone,
                &f.email,
                &f.website,
                &f.address,
                &f.opening_times,
                &f.cost,
                &f.accessibility,
                &f.last_checked,
            ])
            .expect("writing to memory");
    }
    Ok((writer.into_inner().expect("writing to memory"), services.len()))
}
