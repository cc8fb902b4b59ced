//! Importing the register file that practices export from EMIS Web or SystmOne: every row is
//! checked, valid rows are written in one transaction, and every rejected row is reported with
//! its line in the file and a reason a receptionist understands.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::catalogue::Catalogue;
use crate::domain::nhs_number::NhsNumber;
use crate::domain::register::{merge, parse_register_row, Column, PatientDetails, RegisterRow};
use crate::store::{Actor, PatientRow, Store, StoreError};

/// The outcome of an import or a dry run, as the CLI prints it and the Import screen shows it.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejection>,
    pub warnings: Vec<String>,
}

/// A row that was not imported, and why.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Rejection {
    /// The line of the file the row starts on; the header is line 1.
    pub line: u64,
    /// The NHS number as written in the row, when there is one.
    pub nhs_number: Option<String>,
    pub reason: String,
}

use super::csv_table::CsvTable;
pub use super::csv_table::{fingerprint, plain_io_error, read_file, FileError};

/// An import that stopped: the file was unusable, or the database refused the change.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    File(#[from] FileError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// A register file read into rows, before any row is checked.
pub struct RegisterFile {
    table: CsvTable,
    records: Vec<FileRecord>,
    warnings: Vec<String>,
}

struct FileRecord {
    line: u64,
    row: Result<RegisterRow, String>,
}

impl RegisterFile {
    /// Reads CSV bytes: UTF-8 with or without a byte-order mark, RFC 4180 quoting, a header
    /// row whose column names are matched case-insensitively in any order.
    pub fn read(bytes: &[u8]) -> Result<RegisterFile, FileError> {
        let table = CsvTable::read(bytes)?;
        let mut warnings = Vec::new();
        let mut columns: Vec<Option<Column>> = Vec::with_capacity(table.header.len());
        for name in &table.header {
            let column = Column::from_header(name);
            match column {
                Some(c) if columns.contains(&Some(c)) => {
                    return Err(FileError::DuplicateColumn(c.name().to_string()))
                }
                Some(_) => {}
                None if name.is_empty() => {
                    warnings.push("a column with no name was ignored".to_string())
                }
                None => warnings
                    .push(format!("the column '{name}' is not used by Alongside and was ignored")),
            }
            columns.push(column);
        }
        let missing: Vec<&str> = Column::ALL
            .iter()
            .filter(|c| c.required() && !columns.contains(&Some(**c)))
            .map(|c| c.name())
            .collect();
        if !missing.is_empty() {
            return Err(FileError::missing_columns(
                &missing,
                "a register file needs nhs_number, family_name, given_name, date_of_birth and conditions",
            ));
        }
        let records = table
            .rows
            .iter()
            .map(|record| {
                let row = record.checked().map(|cells| {
                    let mut row = RegisterRow::default();
                    for (column, cell) in columns.iter().zip(cells) {
                        if let Some(column) = column {
                            row.set(*column, cell);
                        }
                    }
                    row
                });
                FileRecord { line: record.line, row }
            })
            .collect();
        warnings.extend(table.warnings());
        Ok(RegisterFile { table, records, warnings })
    }

    /// Reads the file at `path`.
    pub fn open(path: &std::path::Path) -> Result<RegisterFile, FileError> {
        RegisterFile::read(&read_file(path)?)
    }

    /// The rejected rows as CSV: line and reason first, then the row exactly as it was, so
    /// they can be corrected and imported again.
    pub fn rejected_rows_csv(&self, report: &ImportReport) -> Vec<u8> {
        self.table.rejected_rows_csv(&report.rejected)
    }
}

/// What an import will do, worked out before anything is written.
pub struct ImportPlan {
    pub report: ImportReport,
    additions: Vec<(u64, PatientDetails)>,
    updates: Vec<(u64, i64, PatientDetails, PatientDetails)>,
    back_in_file: Vec<i64>,
    now_missing: Vec<i64>,
}

/// Checks every row against the catalogue, the file's other rows and the register as it is.
pub fn plan_import(
    file: &RegisterFile,
    existing: Vec<PatientRow>,
    catalogue: &Catalogue,
    today: NaiveDate,
) -> ImportPlan {
    let mut report = ImportReport { warnings: file.warnings.clone(), ..ImportReport::default() };
    let mut on_register: HashMap<String, PatientRow> =
        existing.into_iter().map(|p| (p.details.nhs_number.as_str().to_string(), p)).collect();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut plan = ImportPlan {
        report: ImportReport::default(),
        additions: Vec::new(),
        updates: Vec::new(),
        back_in_file: Vec::new(),
        now_missing: Vec::new(),
    };
    let mut test_numbers = 0;
    for record in &file.records {
        let nhs_text = record.row.as_ref().ok().and_then(RegisterRow::nhs_number_text);
        let mut reject = |reason: String| {
            report.rejected.push(Rejection {
                line: record.line,
                nhs_number: nhs_text.clone(),
                reason,
            })
        };
        let row = match &record.row {
            Ok(row) => row,
            Err(reason) => {
                reject(reason.clone());
                continue;
            }
        };
        let number = row.get(Column::NhsNumber).and_then(|t| NhsNumber::parse(t).ok());
        if let Some(number) = &number {
            if let Some(first) = first_line.get(number.as_str()) {
                reject(format!(
                    "the NHS number {number} is already used on line {first} of this file; the first row is kept"
                ));
                continue;
            }
            first_line.insert(number.as_str().to_string(), record.line);
        }
        let incoming = match parse_register_row(row, catalogue, today) {
            Ok(incoming) => incoming,
            Err(problems) => {
                reject(problems.join("; "));
                continue;
            }
        };
        if incoming.details.nhs_number.is_test() {
            test_numbers += 1;
        }
        match on_register.remove(incoming.details.nhs_number.as_str()) {
            None => {
                report.imported += 1;
                plan.additions.push((record.line, incoming.details));
            }
            Some(current) => match merge(&current.details, &incoming) {
                Err(reason) => reject(reason),
                Ok((_, changes)) if changes.is_empty() => {
                    if current.missing_from_latest_import {
                        report.updated += 1;
                        plan.back_in_file.push(current.id);
                    } else {
                        report.unchanged += 1;
                    }
                }
                Ok((merged, _)) => {
                    report.updated += 1;
                    plan.updates.push((record.line, current.id, current.details, merged));
                }
            },
        }
    }
    // Rows rejected for a bad value still name someone on the register: they are not missing.
    for number in first_line.keys() {
        on_register.remove(number);
    }
    plan.now_missing =
        on_register.values().filter(|p| !p.missing_from_latest_import).map(|p| p.id).collect();
    plan.now_missing.sort_unstable();
    let absent = on_register.len();
    if absent > 0 {
        report.warnings.push(format!(
            "{absent} people on the register are not in this file: they are kept, and marked as \
             missing from the latest import"
        ));
    }
    if test_numbers > 0 {
        report.warnings.push(format!(
            "{test_numbers} row(s) use NHS numbers from the 999 test range, which are never issued to real people"
        ));
    }
    plan.report = report;
    plan
}

/// Writes a plan in one transaction, with an audit entry for the import and for each person,
/// closing the open review of anyone the file says has left or died.
pub fn apply_import(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    plan: ImportPlan,
    file_name: &str,
    today: NaiveDate,
) -> Result<ImportReport, StoreError> {
    let report = plan.report;
    store.write::<_, StoreError>(actor, |w| {
        w.audit(
            "register.import",
            None,
            &format!(
                "register file {file_name}: {} added, {} updated, {} unchanged, {} rejected",
                report.imported,
                report.updated,
                report.unchanged,
                report.rejected.len()
            ),
        )?;
        for (line, details) in &plan.additions {
            w.add_patient(details, catalogue, &format!("from {file_name}, line {line}"))?;
        }
        for (line, id, before, after) in &plan.updates {
            w.update_patient(
                *id,
                before,
                after,
                catalogue,
                &format!("from {file_name}, line {line}"),
            )?;
            // Someone who left or died must never be sent anything: their open review closes.
            if before.status != after.status && !after.status.may_be_contacted() {
                w.close_open_cycles(*id, after.status, today)?;
            }
        }
        for id in &plan.back_in_file {
            w.set_missing_from_import(*id, false, &format!("listed again in {file_name}"))?;
        }
        for id in &plan.now_missing {
            w.set_missing_from_import(*id, true, &format!("not in {file_name}"))?;
        }
        Ok(())
    })?;
    Ok(report)
}

/// Reads, checks and (unless `dry_run`) imports a register file.
pub fn import_register(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    today: NaiveDate,
    file: &RegisterFile,
    file_name: &str,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let plan = plan_import(file, store.all_patients()?, catalogue, today);
    if dry_run {
        return Ok(plan.report);
    }
    Ok(apply_import(store, actor, catalogue, plan, file_name, today)?)
}
