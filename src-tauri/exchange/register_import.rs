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

/// Why a file could not be imported at all. Nothing is written in any of these cases.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FileError {
    #[error("cannot read {path}: {detail}")]
    Unreadable { path: String, detail: String },
    #[error("the file is empty")]
    Empty,
    #[error("the file is saved as UTF-16 text: save it from the spreadsheet as \"CSV UTF-8\" and import it again")]
    Utf16,
    #[error("the file is not a CSV text file (it contains binary data)")]
    NotText,
    #[error("the header row is missing the required {0}; a register file needs nhs_number, family_name, given_name, date_of_birth and conditions")]
    MissingColumns(String),
    #[error("the column {0} appears more than once in the header row")]
    DuplicateColumn(String),
    #[error("the file cannot be read as CSV: {0}")]
    NotCsv(String),
}

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
    header: Vec<String>,
    records: Vec<FileRecord>,
    warnings: Vec<String>,
}

struct FileRecord {
    line: u64,
    cells: Vec<String>,
    row: Result<RegisterRow, String>,
}

impl RegisterFile {
    /// Reads CSV bytes: UTF-8 with or without a byte-order mark, RFC 4180 quoting, a header
    /// row whose column names are matched case-insensitively in any order.
    pub fn read(bytes: &[u8]) -> Result<RegisterFile, FileError> {
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(FileError::Utf16);
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(FileError::Empty);
        }
        if bytes.iter().take(65_536).any(|b| *b == 0) {
            return Err(FileError::NotText);
        }
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
        let mut records = reader.byte_records();
        let header_record = match records.next() {
            Some(Ok(record)) => record,
            Some(Err(e)) => return Err(FileError::NotCsv(e.to_string())),
            None => return Err(FileError::Empty),
        };
        let header: Vec<String> = header_record
            .iter()
            .map(|cell| String::from_utf8_lossy(cell).trim().to_string())
            .collect();
        let mut warnings = Vec::new();
        let mut columns: Vec<Option<Column>> = Vec::with_capacity(header.len());
        for name in &header {
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
            let what = if missing.len() == 1 { "column" } else { "columns" };
            return Err(FileError::MissingColumns(format!("{what} {}", missing.join(", "))));
        }
        let mut file_records = Vec::new();
        let mut blank_rows = 0;
        for record in records {
            let record = record.map_err(|e| FileError::NotCsv(e.to_string()))?;
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            let cells: Vec<String> =
                record.iter().map(|cell| String::from_utf8_lossy(cell).into_owned()).collect();
            if cells.iter().all(|c| c.trim().is_empty()) {
                blank_rows += 1;
                continue;
            }
            let row = if record.len() != header.len() {
                Err(format!(
                    "the row has {} values but the header has {} columns (look for a stray comma or quote)",
                    record.len(),
                    header.len()
                ))
            } else if record.iter().any(|cell| std::str::from_utf8(cell).is_err()) {
                Err("the row has characters that are not UTF-8 text: save the file as \"CSV UTF-8\"".to_string())
            } else {
                let mut row = RegisterRow::default();
                for (column, cell) in columns.iter().zip(&cells) {
                    if let Some(column) = column {
                        row.set(*column, cell);
                    }
                }
                Ok(row)
            };
            file_records.push(FileRecord { line, cells, row });
        }
        if blank_rows > 0 {
            warnings.push(format!("{blank_rows} empty row(s) were skipped"));
        }
        Ok(RegisterFile { header, records: file_records, warnings })
    }

    /// Reads the file at `path`.
    pub fn open(path: &std::path::Path) -> Result<RegisterFile, FileError> {
        RegisterFile::read(&read_file(path)?)
    }

    /// The rejected rows as CSV: line and reason first, then the row exactly as it was, so
    /// they can be corrected and imported again.
    pub fn rejected_rows_csv(&self, report: &ImportReport) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["line".to_string(), "reason".to_string()];
        header.extend(self.header.iter().cloned());
        writer.write_record(&header).expect("writing to memory");
        for rejection in &report.rejected {
            let cells =
                self.records.iter().find(|r| r.line == rejection.line).map(|r| r.cells.clone());
            let mut record = vec![rejection.line.to_string(), rejection.reason.clone()];
            record.extend(cells.unwrap_or_default());
            writer.write_record(&record).expect("writing to memory");
        }
        writer.into_inner().expect("writing to memory")
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

/// The bytes of a file, or a message naming it.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, FileError> {
    std::fs::read(path).map_err(|e| FileError::Unreadable {
        path: path.display().to_string(),
        detail: plain_io_error(&e),
    })
}

/// A short fingerprint of a file's bytes, to notice that it changed between a preview and the
/// import the person confirmed (not a security measure).
pub fn fingerprint(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:016x}-{}", hasher.finish(), bytes.len())
}

/// An I/O error in words, without the operating system's error number.
pub fn plain_io_error(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".to_string(),
        _ => error.to_string(),
    }
}
