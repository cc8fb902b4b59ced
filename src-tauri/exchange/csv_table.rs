//! Reading the CSV files practices export from their clinical systems: UTF-8 with or without a
//! byte-order mark, RFC 4180 quoting, one header row. Every row keeps its line and its cells
//! exactly as written, so a rejected row can be given back for correcting.

use super::register_import::Rejection;

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
    #[error("the header row is missing the required {missing}; {needs}")]
    MissingColumns { missing: String, needs: &'static str },
    #[error("the column {0} appears more than once in the header row")]
    DuplicateColumn(String),
    #[error("the file cannot be read as CSV: {0}")]
    NotCsv(String),
}

impl FileError {
    /// The header lacks required columns; `needs` says what this kind of file needs.
    pub fn missing_columns(missing: &[&str], needs: &'static str) -> FileError {
        let what = if missing.len() == 1 { "column" } else { "columns" };
        FileError::MissingColumns { missing: format!("{what} {}", missing.join(", ")), needs }
    }
}

/// A CSV file's header and rows, before any value is checked.
pub struct CsvTable {
    /// The header cells, trimmed.
    pub header: Vec<String>,
    pub rows: Vec<CsvRow>,
    blank_rows: usize,
}

/// One non-blank row.
pub struct CsvRow {
    /// The line of the file the row starts on; the header is line 1.
    pub line: u64,
    /// The cells exactly as written.
    pub cells: Vec<String>,
    /// Why the row cannot be read at all (wrong number of cells, not UTF-8).
    problem: Option<String>,
}

impl CsvRow {
    /// The cells, or why the row cannot be read.
    pub fn checked(&self) -> Result<&[String], String> {
        match &self.problem {
            Some(problem) => Err(problem.clone()),
            None => Ok(&self.cells),
        }
    }
}

impl CsvTable {
    /// Reads CSV bytes. A file in UTF-16, with binary data, or with no header is refused.
    pub fn read(bytes: &[u8]) -> Result<CsvTable, FileError> {
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
        let mut rows = Vec::new();
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
            let problem = if record.len() != header.len() {
                Some(format!(
                    "the row has {} values but the header has {} columns (look for a stray comma or quote)",
                    record.len(),
                    header.len()
                ))
            } else if record.iter().any(|cell| std::str::from_utf8(cell).is_err()) {
                Some("the row has characters that are not UTF-8 text: save the file as \"CSV UTF-8\"".to_string())
            } else {
                None
            };
            rows.push(CsvRow { line, cells, problem });
        }
        Ok(CsvTable { header, rows, blank_rows })
    }

    /// Where each named column is, matched case-insensitively; a column named twice is refused
    /// and any missing required column is named. Unused columns become warnings.
    pub fn columns(
        &self,
        known: &[&'static str],
        required: &[&'static str],
        needs: &'static str,
    ) -> Result<(Vec<Option<usize>>, Vec<String>), FileError> {
        let mut found: Vec<Option<usize>> = vec![None; known.len()];
        let mut warnings = Vec::new();
        for (index, name) in self.header.iter().enumerate() {
            let lower = name.to_ascii_lowercase();
            match known.iter().position(|k| *k == lower) {
                Some(k) if found[k].is_some() => {
                    return Err(FileError::DuplicateColumn(known[k].to_string()))
                }
                Some(k) => found[k] = Some(index),
                None if name.is_empty() => {
                    warnings.push("a column with no name was ignored".to_string())
                }
                None => warnings
                    .push(format!("the column '{name}' is not used by Alongside and was ignored")),
            }
        }
        let missing: Vec<&str> = required
            .iter()
            .filter(|r| known.iter().position(|k| k == *r).and_then(|k| found[k]).is_none())
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(FileError::missing_columns(&missing, needs));
        }
        Ok((found, warnings))
    }

    /// Warnings about the file as a whole.
    pub fn warnings(&self) -> Vec<String> {
        if self.blank_rows > 0 {
            vec![format!("{} empty row(s) were skipped", self.blank_rows)]
        } else {
            Vec::new()
        }
    }

    /// The rejected rows as CSV: line and reason first, then the row exactly as it was.
    pub fn rejected_rows_csv(&self, rejected: &[Rejection]) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["line".to_string(), "reason".to_string()];
        header.extend(self.header.iter().cloned());
        writer.write_record(&header).expect("writing to memory");
        for rejection in rejected {
            let cells =
                self.rows.iter().find(|r| r.line == rejection.line).map(|r| r.cells.clone());
            let mut record = vec![rejection.line.to_string(), rejection.reason.clone()];
            record.extend(cells.unwrap_or_default());
            writer.write_record(&record).expect("writing to memory");
        }
        writer.into_inner().expect("writing to memory")
    }
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
