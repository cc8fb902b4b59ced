//! Importing results from the lab (or a clinical system's results export): one row per value,
//! named by SNOMED CT code or catalogue item id. Every row is checked, valid rows are written in
//! one transaction, and every rejected row is reported with its line and a reason. A blood
//! pressure arrives as a systolic row and a diastolic row, paired here into one reading.
//! Re-importing a file changes nothing.

use std::collections::{BTreeMap, HashMap};

use chrono::{Months, NaiveDate};

use super::contact1::{after_change, complete_if_nothing_outstanding, Contact1Error};
use super::csv_table::{read_file, CsvTable, FileError};
use super::recall::review_month_among;
use super::register_import::{ImportError, ImportReport, Rejection};
use crate::domain::calendar::YearMonth;
use crate::domain::catalogue::Catalogue;
use crate::domain::checklist::Recorded;
use crate::domain::cycle::Cycle;
use crate::domain::measures::{ItemDef, Part, Quantity, Value};
use crate::domain::nhs_number::NhsNumber;
use crate::domain::person::{format_date, parse_date};
use crate::store::{
    Actor, CurrentKey, CycleRecord, NewObservation, ObservationSource, PatientRow, RetractionKind,
    Store, StoreError,
};

const COLUMNS: [&str; 6] = ["nhs_number", "code", "value", "unit", "taken_on", "comment"];
const REQUIRED: [&str; 5] = ["nhs_number", "code", "value", "unit", "taken_on"];
const NEEDS: &str =
    "a results file needs nhs_number, code, value, unit and taken_on (comment is optional)";

/// How long before the month a review is due a result may be taken and still count for it.
const MONTHS_BEFORE_DUE: u32 = 6;

/// A results file read into rows, before any row is checked.
pub struct ResultsFile {
    table: CsvTable,
    columns: Vec<Option<usize>>,
    warnings: Vec<String>,
}

impl ResultsFile {
    pub fn read(bytes: &[u8]) -> Result<ResultsFile, FileError> {
        let table = CsvTable::read(bytes)?;
        let (columns, mut warnings) = table.columns(&COLUMNS, &REQUIRED, NEEDS)?;
        warnings.extend(table.warnings());
        Ok(ResultsFile { table, columns, warnings })
    }

    pub fn open(path: &std::path::Path) -> Result<ResultsFile, FileError> {
        ResultsFile::read(&read_file(path)?)
    }

    /// The rejected rows as CSV, line and reason first, then the row as it was.
    pub fn rejected_rows_csv(&self, report: &ImportReport) -> Vec<u8> {
        self.table.rejected_rows_csv(&report.rejected)
    }

    /// Number of data rows.
    pub fn rows(&self) -> usize {
        self.table.rows.len()
    }

    fn cell<'a>(&self, cells: &'a [String], column: &str) -> &'a str {
        let index = COLUMNS.iter().position(|c| *c == column).and_then(|k| self.columns[k]);
        index.map(|i| cells[i].trim()).unwrap_or("")
    }
}

/// A checked reading ready to write.
struct Reading {
    /// "line 7", or "lines 3 and 4" for a blood pressure pair.
    lines: String,
    /// The first of those lines, for ordering and for naming the row in a rejection.
    line: u64,
    patient: usize,
    item_index: usize,
    taken_on: NaiveDate,
    value: Value,
    reported: Option<(String, String)>,
    comment: String,
    action: Action,
}

enum Action {
    New,
    /// Replaces a "not done" marker or a different value of the same day.
    Supersede {
        id: i64,
        corrected: bool,
    },
}

/// What an import will do, worked out before anything is written.
pub struct ResultsPlan {
    pub report: ImportReport,
    readings: Vec<Reading>,
    patients: Vec<PatientRow>,
}

/// Checks every row against the catalogue, the register and the results already held.
pub fn plan_results(
    store: &Store,
    file: &ResultsFile,
    catalogue: &Catalogue,
    today: NaiveDate,
) -> Result<ResultsPlan, StoreError> {
    let measures = catalogue.measures();
    let patients: Vec<PatientRow> = store.all_patients()?;
    let by_nhs: HashMap<&str, usize> =
        patients.iter().enumerate().map(|(i, p)| (p.details.nhs_number.as_str(), i)).collect();
    let existing = store.current_observation_keys()?;
    let imported_before = store.imported_results()?;
    let mut report = ImportReport { warnings: file.warnings.clone(), ..ImportReport::default() };
    let item_index = |item: &ItemDef| measures.items().iter().position(|i| i.id() == item.id());

    // Each checked row: whose, which item and part, which day, the value.
    struct Row {
        line: u64,
        patient: usize,
        item: usize,
        part: Part,
        taken_on: NaiveDate,
        quantity: Quantity,
        reported: Option<(String, String)>,
        comment: String,
    }
    let mut rows: Vec<Row> = Vec::with_capacity(file.table.rows.len());
    for record in &file.table.rows {
        let nhs_text = {
            let text = record.checked().map(|c| file.cell(c, "nhs_number")).unwrap_or("");
            (!text.is_empty()).then(|| text.to_string())
        };
        let mut reject = |reason: String| {
            report.rejected.push(Rejection {
                line: record.line,
                nhs_number: nhs_text.clone(),
                reason,
            })
        };
        let cells = match record.checked() {
            Ok(cells) => cells,
            Err(reason) => {
                reject(reason);
                continue;
            }
        };
        let checked = (|| -> Result<Row, String> {
            let nhs = NhsNumber::parse(file.cell(cells, "nhs_number"))
                .map_err(|e| format!("NHS number: {e}"))?;
            let patient = *by_nhs
                .get(nhs.as_str())
                .ok_or_else(|| format!("no one with NHS number {nhs} is on the register"))?;
            let code = file.cell(cells, "code");
            if code.is_empty() {
                return Err("the code is missing".into());
            }
            let (item, part) = measures.lookup(code).ok_or_else(|| {
                match measures.item(&code.to_ascii_lowercase()) {
                    Some(bp) => format!(
                        "{} arrives as two rows, one with the systolic code and one with the \
                         diastolic code, for the same person and date",
                        bp.label()
                    ),
                    None => format!(
                        "the code '{code}' is not a SNOMED CT code or item id Alongside knows"
                    ),
                }
            })?;
            let taken_text = file.cell(cells, "taken_on");
            if taken_text.is_empty() {
                return Err("the date taken (taken_on) is missing".into());
            }
            let taken_on = parse_date(taken_text).map_err(|e| format!("taken_on: {e}"))?;
            if taken_on > today {
                return Err(format!("taken_on {} is in the future", format_date(taken_on)));
            }
            if taken_on < patients[patient].details.date_of_birth {
                return Err(format!(
                    "taken_on {} is before the person was born",
                    format_date(taken_on)
                ));
            }
            let value_text = file.cell(cells, "value");
            let unit_text = file.cell(cells, "unit");
            let reported = item.parse_reported(part, value_text, unit_text)?;
            Ok(Row {
                line: record.line,
                patient,
                item: item_index(item).expect("the item came from the catalogue"),
                part,
                taken_on,
                quantity: reported.quantity,
                reported: reported
                    .converted_from
                    .map(|_| (value_text.to_string(), unit_text.to_string())),
                comment: file.cell(cells, "comment").to_string(),
            })
        })();
        match checked {
            Ok(row) => rows.push(row),
            Err(reason) => reject(reason),
        }
    }

    // Pair blood pressure halves; every other row is a reading by itself.
    let mut readings: Vec<Reading> = Vec::new();
    // Systolic and diastolic halves by person, item and day.
    type Pair = (Option<Row>, Option<Row>);
    let mut halves: BTreeMap<(usize, usize, NaiveDate), Pair> = BTreeMap::new();
    let reject_row = |report: &mut ImportReport, row: &Row, reason: String| {
        let nhs = patients[row.patient].details.nhs_number.as_str().to_string();
        report.rejected.push(Rejection { line: row.line, nhs_number: Some(nhs), reason });
    };
    for row in rows {
        match row.part {
            Part::Whole => readings.push(Reading {
                lines: format!("line {}", row.line),
                line: row.line,
                patient: row.patient,
                item_index: row.item,
                taken_on: row.taken_on,
                value: Value::Quantity(row.quantity.clone()),
                reported: row.reported,
                comment: row.comment,
                action: Action::New,
            }),
            Part::Systolic | Part::Diastolic => {
                let slot = halves.entry((row.patient, row.item, row.taken_on)).or_default();
                let place = if row.part == Part::Systolic { &mut slot.0 } else { &mut slot.1 };
                if let Some(first) = place {
                    let reason = format!(
                        "another {} for the same person and date is on line {}",
                        row.part, first.line
                    );
                    reject_row(&mut report, &row, reason);
                } else {
                    *place = Some(row);
                }
            }
        }
    }
    for ((_, item, _), pair) in halves {
        let label = measures.items()[item].label();
        match pair {
            (Some(s), Some(d)) => {
                let systolic = s.quantity.value();
                let diastolic = d.quantity.value();
                let whole = |q: &Quantity| q.comparator().is_none() && q.value().fract() == 0.0;
                if !whole(&s.quantity) || !whole(&d.quantity) {
                    for row in [&s, &d] {
                        reject_row(
                            &mut report,
                            row,
                            format!("{label}: a blood pressure is whole numbers of mmHg"),
                        );
                    }
                } else if diastolic >= systolic {
                    let reason = format!(
                        "{label}: the diastolic ({diastolic}) on line {} is not lower than the \
                         systolic ({systolic}) on line {}",
                        d.line, s.line
                    );
                    reject_row(&mut report, &s, reason.clone());
                    reject_row(&mut report, &d, reason);
                } else {
                    let (first, second) = (s.line.min(d.line), s.line.max(d.line));
                    readings.push(Reading {
                        lines: format!("lines {first} and {second}"),
                        line: first,
                        patient: s.patient,
                        item_index: item,
                        taken_on: s.taken_on,
                        value: Value::BloodPressure {
                            systolic: systolic as u16,
                            diastolic: diastolic as u16,
                        },
                        reported: None,
                        comment: [s.comment, d.comment]
                            .into_iter()
                            .filter(|c| !c.is_empty())
                            .collect::<Vec<_>>()
                            .join("; "),
                        action: Action::New,
                    });
                }
            }
            (Some(half), None) | (None, Some(half)) => {
                let (has, lacks) = match half.part {
                    Part::Systolic => ("systolic", "diastolic"),
                    _ => ("diastolic", "systolic"),
                };
                let reason = format!(
                    "a {label} {has} without its {lacks} for the same person and date: a blood \
                     pressure needs both rows"
                );
                reject_row(&mut report, &half, reason);
            }
            (None, None) => {}
        }
    }

    // The same test for the same person and day twice in the file, and what is held already.
    readings.sort_by_key(|r| r.line);
    let mut seen: HashMap<(usize, usize, NaiveDate), (String, String)> = HashMap::new();
    let mut kept = Vec::with_capacity(readings.len());
    for mut reading in readings {
        let item = &measures.items()[reading.item_index];
        let text = reading.value.stored_text();
        let key = (reading.patient, reading.item_index, reading.taken_on);
        if let Some((lines, earlier)) = seen.get(&key) {
            if *earlier == text {
                report.unchanged += 1;
            } else {
                let nhs = patients[reading.patient].details.nhs_number.as_str().to_string();
                report.rejected.push(Rejection {
                    line: reading.line,
                    nhs_number: Some(nhs),
                    reason: format!(
                        "{} for the same person and date is already on {lines} with a different \
                         value ({earlier}); the first is kept",
                        item.label()
                    ),
                });
            }
            continue;
        }
        seen.insert(key, (reading.lines.clone(), text.clone()));
        let held =
            existing.get(&(patients[reading.patient].id, item.id().to_string(), reading.taken_on));
        let patient_id = patients[reading.patient].id;
        let brought_before = || {
            imported_before.contains(&(
                patient_id,
                item.id().to_string(),
                reading.taken_on,
                text.clone(),
            ))
        };
        match held {
            Some(CurrentKey { value: Some(value), .. }) if *value == text => {
                report.unchanged += 1;
                continue;
            }
            // This file (or an earlier one) brought this value and someone has corrected it
            // since: the correction stands.
            Some(CurrentKey { value: Some(_), .. }) if brought_before() => {
                report.unchanged += 1;
                continue;
            }
            Some(CurrentKey { id, value: Some(_), .. }) => {
                report.updated += 1;
                reading.action = Action::Supersede { id: *id, corrected: true };
            }
            Some(CurrentKey { id, value: None, .. }) => {
                report.imported += 1;
                reading.action = Action::Supersede { id: *id, corrected: false };
            }
            None => report.imported += 1,
        }
        kept.push(reading);
    }
    report.rejected.sort_by_key(|r| r.line);
    let converted = kept.iter().filter(|r| r.reported.is_some()).count();
    if converted > 0 {
        report.warnings.push(format!(
            "{converted} cholesterol result(s) in mg/dL were converted to mmol/L (1 mmol/L = 38.67 mg/dL); the value as reported is kept with each"
        ));
    }
    let not_registered: Vec<&str> = {
        let mut people: Vec<usize> = kept
            .iter()
            .map(|r| r.patient)
            .filter(|p| !patients[*p].details.status.may_be_contacted())
            .collect();
        people.sort_unstable();
        people.dedup();
        people.iter().map(|p| patients[*p].details.nhs_number.as_str()).collect()
    };
    if !not_registered.is_empty() {
        report.warnings.push(format!(
            "{} result(s) are for people who have left or died ({}): they are kept on the \
             record, and no review is opened",
            kept.iter().filter(|r| !patients[r.patient].details.status.may_be_contacted()).count(),
            not_registered.join(", ")
        ));
    }
    Ok(ResultsPlan { report, readings: kept, patients })
}

/// Writes a plan in one transaction: each result joins the person's open review (opening one
/// for someone on the register who has none), replaces a "sent to lab" marker, and moves a
/// review whose results are now complete on. One audit entry for the file and one per person.
pub fn apply_results(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    plan: ResultsPlan,
    file_name: &str,
    today: NaiveDate,
) -> Result<ImportReport, ImportError> {
    let ResultsPlan { mut report, readings, patients } = plan;
    let measures = catalogue.measures();
    let mut by_patient: BTreeMap<usize, Vec<Reading>> = BTreeMap::new();
    for reading in readings {
        by_patient.entry(reading.patient).or_default().push(reading);
    }
    let kept_early = store.write::<_, ImportError>(actor, |w| {
        w.audit(
            "results.import",
            None,
            &format!(
                "results file {file_name}: {} added, {} updated, {} unchanged, {} rejected",
                report.imported,
                report.updated,
                report.unchanged,
                report.rejected.len()
            ),
        )?;
        let mut samples = w.samples_at_lab()?;
        let mut kept_early = 0;
        for (index, readings) in by_patient {
            let patient = &patients[index];
            let mut cycle: Option<CycleRecord> = w.open_cycle_of(patient.id)?;
            let mut lines = Vec::new();
            let mut touched: Vec<&ItemDef> = Vec::new();
            for reading in &readings {
                let item = &measures.items()[reading.item_index];
                if cycle.is_none() && patient.details.status.may_be_contacted() {
                    let month =
                        review_month_among(&w.cycles_of(patient.id)?, &patient.details, today);
                    if reading.taken_on >= window_start(month) {
                        let (opened, event) = Cycle::open(month, patient.details.status, today)
                            .map_err(|e| StoreError::Refused(e.0))?;
                        let id = w.save_transition(patient.id, None, &opened, &event)?;
                        cycle = Some(CycleRecord { id, patient_id: patient.id, cycle: opened });
                    }
                }
                let cycle_id = cycle
                    .as_ref()
                    .filter(|c| reading.taken_on >= window_start(c.cycle.due_month()))
                    .map(|c| c.id);
                if cycle_id.is_none() {
                    kept_early += 1;
                }
                let recorded = Recorded::Value(reading.value.clone());
                let detail = format!("{file_name} {}", reading.lines);
                let id = w.insert_observation(&NewObservation {
                    patient_id: patient.id,
                    cycle_id,
                    item,
                    taken_on: reading.taken_on,
                    recorded: &recorded,
                    note: &reading.comment,
                    reported: reading.reported.as_ref().map(|(v, u)| (v.as_str(), u.as_str())),
                    source: ObservationSource::LabImport,
                    source_detail: &detail,
                })?;
                if let Action::Supersede { id: old, corrected } = reading.action {
                    let reason = if corrected {
                        format!("corrected by {detail}")
                    } else {
                        format!("result arrived in {detail}")
                    };
                    w.retract_observation(old, RetractionKind::Superseded, Some(id), &reason)?;
                }
                if let Some(cycle_id) = cycle_id {
                    if let Some(marker) = samples.remove(&(cycle_id, item.id().to_string())) {
                        if !matches!(reading.action, Action::Supersede { id, .. } if id == marker) {
                            let reason = format!("result arrived in {detail}");
                            w.retract_observation(
                                marker,
                                RetractionKind::Superseded,
                                Some(id),
                                &reason,
                            )?;
                        }
                    }
                }
                lines.push(format!(
                    "{} {} ({})",
                    item.label(),
                    item.describe(&reading.value),
                    format_date(reading.taken_on)
                ));
                if !touched.iter().any(|t| t.id() == item.id()) {
                    touched.push(item);
                }
            }
            w.audit(
                "results.import",
                Some(patient.id),
                &format!("from {file_name}: {}", lines.join(", ")),
            )?;
            if let Some(cycle) = cycle {
                let moved = match touched.iter().find(|i| matches!(i.id(), "weight" | "height")) {
                    Some(item) => after_change(w, catalogue, patient, cycle, item, today),
                    None => complete_if_nothing_outstanding(w, catalogue, patient, cycle, today),
                };
                moved.map_err(|e| match e {
                    Contact1Error::Store(e) => e,
                    other => StoreError::Refused(other.to_string()),
                })?;
            }
        }
        Ok(kept_early)
    })?;
    if kept_early > 0 {
        report.warnings.push(format!(
            "{kept_early} result(s) were taken before the person's current review and are kept as earlier results"
        ));
    }
    Ok(report)
}

/// The first day a result counts towards a review due in `month`.
fn window_start(month: YearMonth) -> NaiveDate {
    month.first_day().checked_sub_months(Months::new(MONTHS_BEFORE_DUE)).unwrap_or(NaiveDate::MIN)
}

/// Reads, checks and (unless `dry_run`) imports a results file.
pub fn import_results(
    store: &mut Store,
    actor: &Actor,
    catalogue: &Catalogue,
    today: NaiveDate,
    file: &ResultsFile,
    file_name: &str,
    dry_run: bool,
) -> Result<ImportReport, ImportError> {
    let plan = plan_results(store, file, catalogue, today)?;
    if dry_run {
        return Ok(plan.report);
    }
    apply_results(store, actor, catalogue, plan, file_name, today)
}
