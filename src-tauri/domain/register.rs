//! The practice's register of people with long-term conditions: a person's registration
//! details, how one row of the clinical system's register file becomes them, and what changed.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::catalogue::{Catalogue, ConditionKind, FrailtyGrade};
use super::nhs_number::NhsNumber;
use super::person::{
    collapse_spaces, format_date, parse_date, parse_date_of_birth, CommunicationNeed, Email,
    PersonName, Phone, RecallMonth, RegistrationStatus, Sex,
};
use super::postcode::Postcode;
use super::snomed::SnomedCode;

/// Everything the register holds about one person.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PatientDetails {
    pub nhs_number: NhsNumber,
    pub name: PersonName,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
    pub address: Address,
    pub phone: Option<Phone>,
    pub email: Option<Email>,
    pub usual_clinician: Option<String>,
    pub communication_needs: Vec<CommunicationNeed>,
    pub conditions: Vec<Diagnosis>,
    pub status: RegistrationStatus,
    pub recall_month: Option<RecallMonth>,
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Address {
    pub line_1: Option<String>,
    pub line_2: Option<String>,
    pub town: Option<String>,
    pub postcode: Option<Postcode>,
}

/// A long-term condition on the person's record, as the code the clinical system used.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnosis {
    pub code: SnomedCode,
    pub condition_id: String,
    pub diagnosed_on: Option<NaiveDate>,
}

impl PatientDetails {
    /// Long-term conditions other than frailty, each counted once however many codes it has.
    pub fn long_term_condition_count(&self, catalogue: &Catalogue) -> usize {
        let ids: BTreeSet<&str> = self
            .conditions
            .iter()
            .filter(|d| {
                catalogue
                    .condition(&d.condition_id)
                    .is_some_and(|c| c.kind() == ConditionKind::LongTermCondition)
            })
            .map(|d| d.condition_id.as_str())
            .collect();
        ids.len()
    }

    /// The most severe frailty grade recorded, if any.
    pub fn frailty(&self, catalogue: &Catalogue) -> Option<FrailtyGrade> {
        self.conditions
            .iter()
            .filter_map(|d| catalogue.lookup(&d.code).and_then(|(_, code)| code.grade()))
            .max()
    }
}

/// The columns of the register file. Names are matched case-insensitively, in any order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Column {
    NhsNumber,
    FamilyName,
    GivenName,
    DateOfBirth,
    Conditions,
    Sex,
    AddressLine1,
    AddressLine2,
    Town,
    Postcode,
    Phone,
    Email,
    UsualClinician,
    CommunicationNeeds,
    Status,
    RecallMonth,
}

impl Column {
    pub const ALL: [Column; 16] = [
        Column::NhsNumber,
        Column::FamilyName,
        Column::GivenName,
        Column::DateOfBirth,
        Column::Conditions,
        Column::Sex,
        Column::AddressLine1,
        Column::AddressLine2,
        Column::Town,
        Column::Postcode,
        Column::Phone,
        Column::Email,
        Column::UsualClinician,
        Column::CommunicationNeeds,
        Column::Status,
        Column::RecallMonth,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::NhsNumber => "nhs_number",
            Column::FamilyName => "family_name",
            Column::GivenName => "given_name",
            Column::DateOfBirth => "date_of_birth",
            Column::Conditions => "conditions",
            Column::Sex => "sex",
            Column::AddressLine1 => "address_line_1",
            Column::AddressLine2 => "address_line_2",
            Column::Town => "town",
            Column::Postcode => "postcode",
            Column::Phone => "phone",
            Column::Email => "email",
            Column::UsualClinician => "usual_clinician",
            Column::CommunicationNeeds => "communication_needs",
            Column::Status => "status",
            Column::RecallMonth => "recall_month",
        }
    }

    pub fn required(self) -> bool {
        matches!(
            self,
            Column::NhsNumber
                | Column::FamilyName
                | Column::GivenName
                | Column::DateOfBirth
                | Column::Conditions
        )
    }

    /// Matches a header cell: case-insensitive, surrounding spaces ignored.
    pub fn from_header(header: &str) -> Option<Column> {
        let wanted = header.trim().to_ascii_lowercase();
        Column::ALL.into_iter().find(|c| c.name() == wanted)
    }

    fn index(self) -> usize {
        Column::ALL.iter().position(|c| *c == self).unwrap()
    }
}

/// One row of the register file as text. A cell is `None` when the file has no such column,
/// and `Some("")` when the column is there but the cell is empty.
#[derive(Clone, Debug, Default)]
pub struct RegisterRow {
    cells: [Option<String>; 16],
}

impl RegisterRow {
    pub fn set(&mut self, column: Column, value: &str) {
        self.cells[column.index()] = Some(value.to_string());
    }

    pub fn get(&self, column: Column) -> Option<&str> {
        self.cells[column.index()].as_deref()
    }

    /// A row with nothing in any cell (spreadsheets often leave such rows at the end).
    pub fn is_blank(&self) -> bool {
        self.cells.iter().flatten().all(|c| c.trim().is_empty())
    }

    /// The NHS number as written in the file, for messages, when there is one.
    pub fn nhs_number_text(&self) -> Option<String> {
        self.get(Column::NhsNumber).map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
    }
}

/// A row that passed every check, and which optional columns the file supplied.
#[derive(Clone, Debug)]
pub struct IncomingPatient {
    pub details: PatientDetails,
    provided: Vec<Column>,
}

impl IncomingPatient {
    /// Whether the file had this column at all (an empty cell still counts as supplied).
    pub fn supplied(&self, column: Column) -> bool {
        column.required() || self.provided.contains(&column)
    }
}

/// Checks one row; on failure returns every problem found, each a sentence for a receptionist.
pub fn parse_register_row(
    row: &RegisterRow,
    catalogue: &Catalogue,
    today: NaiveDate,
) -> Result<IncomingPatient, Vec<String>> {
    let mut problems = Vec::new();
    let text = |column: Column| row.get(column).unwrap_or("");
    let optional = |column: Column| row.get(column).map(collapse_spaces).filter(|t| !t.is_empty());
    fn note<T>(problems: &mut Vec<String>, result: Result<T, String>) -> Option<T> {
        result.map_err(|e| problems.push(e)).ok()
    }

    let nhs_number =
        note(&mut problems, NhsNumber::parse(text(Column::NhsNumber)).map_err(|e| e.to_string()));
    let name = note(
        &mut problems,
        PersonName::new(text(Column::FamilyName), text(Column::GivenName))
            .map_err(|e| e.to_string()),
    );
    let date_of_birth = note(&mut problems, parse_date_of_birth(text(Column::DateOfBirth), today));
    let conditions =
        note(&mut problems, parse_conditions(text(Column::Conditions), catalogue, today));
    let sex = note(&mut problems, Sex::parse(text(Column::Sex)));
    let postcode = note(
        &mut problems,
        optional(Column::Postcode)
            .map(|p| Postcode::parse(&p))
            .transpose()
            .map_err(|e| e.to_string()),
    );
    let phone = note(&mut problems, optional(Column::Phone).map(|p| Phone::parse(&p)).transpose());
    let email = note(&mut problems, optional(Column::Email).map(|e| Email::parse(&e)).transpose());
    let communication_needs =
        note(&mut problems, CommunicationNeed::parse_list(text(Column::CommunicationNeeds)));
    let status = note(&mut problems, RegistrationStatus::parse(text(Column::Status)));
    let recall_month = note(
        &mut problems,
        optional(Column::RecallMonth).map(|m| RecallMonth::parse(&m)).transpose(),
    );

    let (
        Some(nhs_number),
        Some(name),
        Some(date_of_birth),
        Some(conditions),
        Some(sex),
        Some(postcode),
        Some(phone),
        Some(email),
        Some(communication_needs),
        Some(status),
        Some(recall_month),
    ) = (
        nhs_number,
        name,
        date_of_birth,
        conditions,
        sex,
        postcode,
        phone,
        email,
        communication_needs,
        status,
        recall_month,
    )
    else {
        return Err(problems);
    };
    let details = PatientDetails {
        nhs_number,
        name,
        date_of_birth,
        sex,
        address: Address {
            line_1: optional(Column::AddressLine1),
            line_2: optional(Column::AddressLine2),
            town: optional(Column::Town),
            postcode,
        },
        phone,
        email,
        usual_clinician: optional(Column::UsualClinician),
        communication_needs,
        conditions,
        status,
        recall_month,
    };
    let provided = Column::ALL.into_iter().filter(|c| row.get(*c).is_some()).collect();
    Ok(IncomingPatient { details, provided })
}

/// `44054006;195967001:2015-03-02`: codes separated by semicolons, each with an optional
/// diagnosis date after a colon. A code listed twice is kept once.
pub fn parse_conditions(
    text: &str,
    catalogue: &Catalogue,
    today: NaiveDate,
) -> Result<Vec<Diagnosis>, String> {
    let mut diagnoses: Vec<Diagnosis> = Vec::new();
    let mut problems = Vec::new();
    for item in text.split(';').map(str::trim).filter(|i| !i.is_empty()) {
        let (code_text, date_text) = match item.split_once(':') {
            Some((code, date)) => (code.trim(), Some(date.trim())),
            None => (item, None),
        };
        let code = match SnomedCode::parse(code_text) {
            Ok(code) => code,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        let Some((condition, _)) = catalogue.lookup(&code) else {
            problems.push(format!(
                "condition code {code} is not one of the long-term conditions Alongside knows"
            ));
            continue;
        };
        let diagnosed_on = match date_text.map(parse_date).transpose() {
            Ok(Some(date)) if date > today => {
                problems.push(format!("the diagnosis date for {code} is in the future"));
                continue;
            }
            Ok(date) => date,
            Err(e) => {
                problems.push(format!("diagnosis date for {code}: {e}"));
                continue;
            }
        };
        match diagnoses.iter_mut().find(|d| d.code == code) {
            Some(existing) if existing.diagnosed_on.is_none() => {
                existing.diagnosed_on = diagnosed_on
            }
            Some(_) => {}
            None => diagnoses.push(Diagnosis {
                code,
                condition_id: condition.id().to_string(),
                diagnosed_on,
            }),
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    if diagnoses.is_empty() {
        return Err("no long-term condition codes are given".to_string());
    }
    Ok(diagnoses)
}

/// One field that an import changes, for the audit trail and the person's timeline.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Change {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

impl Change {
    pub fn describe(changes: &[Change]) -> String {
        changes
            .iter()
            .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Applies a row of a later file to someone already on the register. Columns the file does not
/// have leave their fields as they are; a diagnosis date is never lost because a later file
/// lists the code without one. Refuses to bring back someone recorded as deceased, and refuses
/// a row whose family name and date of birth both differ: that is another person, or a
/// mistyped NHS number, not an update.
pub fn merge(
    existing: &PatientDetails,
    incoming: &IncomingPatient,
) -> Result<(PatientDetails, Vec<Change>), String> {
    let new = &incoming.details;
    if existing.status == RegistrationStatus::Deceased && new.status != RegistrationStatus::Deceased
    {
        return Err(format!(
            "Alongside records this person as deceased but the file says {}; a file cannot \
             change that: check the record in the clinical system",
            new.status.code()
        ));
    }
    let same_family = existing.name.family().to_lowercase() == new.name.family().to_lowercase();
    if !same_family && existing.date_of_birth != new.date_of_birth {
        return Err(format!(
            "in Alongside this NHS number belongs to {} {}, born {}, but the file has {} {}, \
             born {}; check the NHS number",
            existing.name.given(),
            existing.name.family(),
            format_date(existing.date_of_birth),
            new.name.given(),
            new.name.family(),
            format_date(new.date_of_birth)
        ));
    }
    let keep = |column: Column| !incoming.supplied(column);
    let pick = |column: Column, old: &Option<String>, new: &Option<String>| {
        if keep(column) {
            old.clone()
        } else {
            new.clone()
        }
    };
    let conditions = new
        .conditions
        .iter()
        .map(|d| {
            let old_date =
                existing.conditions.iter().find(|o| o.code == d.code).and_then(|o| o.diagnosed_on);
            Diagnosis { diagnosed_on: d.diagnosed_on.or(old_date), ..d.clone() }
        })
        .collect();
    let merged = PatientDetails {
        nhs_number: existing.nhs_number.clone(),
        name: new.name.clone(),
        date_of_birth: new.date_of_birth,
        sex: if keep(Column::Sex) { existing.sex } else { new.sex },
        address: Address {
            line_1: pick(Column::AddressLine1, &existing.address.line_1, &new.address.line_1),
            line_2: pick(Column::AddressLine2, &existing.address.line_2, &new.address.line_2),
            town: pick(Column::Town, &existing.address.town, &new.address.town),
            postcode: if keep(Column::Postcode) {
                existing.address.postcode.clone()
            } else {
                new.address.postcode.clone()
            },
        },
        phone: if keep(Column::Phone) { existing.phone.clone() } else { new.phone.clone() },
        email: if keep(Column::Email) { existing.email.clone() } else { new.email.clone() },
        usual_clinician: pick(
            Column::UsualClinician,
            &existing.usual_clinician,
            &new.usual_clinician,
        ),
        communication_needs: if keep(Column::CommunicationNeeds) {
            existing.communication_needs.clone()
        } else {
            new.communication_needs.clone()
        },
        conditions,
        status: new.status,
        recall_month: if keep(Column::RecallMonth) {
            existing.recall_month
        } else {
            new.recall_month
        },
    };
    let changes = changes_between(existing, &merged);
    Ok((merged, changes))
}

/// Field-by-field differences, each as text a person can read.
pub fn changes_between(before: &PatientDetails, after: &PatientDetails) -> Vec<Change> {
    let mut changes = Vec::new();
    let mut compare = |field: &'static str, old: String, new: String| {
        if old != new {
            let show = |s: String| {
                if s.is_empty() {
                    "(none)".to_string()
                } else {
                    s
                }
            };
            changes.push(Change { field, before: show(old), after: show(new) });
        }
    };
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    compare("family name", before.name.family().into(), after.name.family().into());
    compare("given name", before.name.given().into(), after.name.given().into());
    compare("date of birth", format_date(before.date_of_birth), format_date(after.date_of_birth));
    compare("sex", before.sex.code().into(), after.sex.code().into());
    compare("address line 1", text(&before.address.line_1), text(&after.address.line_1));
    compare("address line 2", text(&before.address.line_2), text(&after.address.line_2));
    compare("town", text(&before.address.town), text(&after.address.town));
    let postcode = |p: &Option<Postcode>| p.as_ref().map(|p| p.to_string()).unwrap_or_default();
    compare("postcode", postcode(&before.address.postcode), postcode(&after.address.postcode));
    let phone = |p: &Option<Phone>| p.as_ref().map(|p| p.as_str().to_string()).unwrap_or_default();
    compare("phone", phone(&before.phone), phone(&after.phone));
    let email = |e: &Option<Email>| e.as_ref().map(|e| e.as_str().to_string()).unwrap_or_default();
    compare("email", email(&before.email), email(&after.email));
    compare("usual clinician", text(&before.usual_clinician), text(&after.usual_clinician));
    let needs = |n: &[CommunicationNeed]| n.iter().map(|n| n.token()).collect::<Vec<_>>().join(";");
    compare(
        "communication needs",
        needs(&before.communication_needs),
        needs(&after.communication_needs),
    );
    let conditions = |c: &[Diagnosis]| {
        c.iter()
            .map(|d| match d.diagnosed_on {
                Some(date) => format!("{}:{}", d.code, date),
                None => d.code.to_string(),
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(";")
    };
    compare("conditions", conditions(&before.conditions), conditions(&after.conditions));
    compare("status", before.status.code().into(), after.status.code().into());
    let month = |m: Option<RecallMonth>| m.map(|m| m.to_string()).unwrap_or_default();
    compare("recall month", month(before.recall_month), month(after.recall_month));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        let condition = |id: &str, kind: &str, codes: &str| {
            format!(
                r#"{{"id": "{id}", "name": "{id}", "short_name": "{id}", "plain_name": "{id}",
                "kind": "{kind}", "appointment_checks": ["bp"], "items": [], "codes": [{codes}]}}"#
            )
        };
        let diabetes = condition(
            "type-2-diabetes",
            "condition",
            r#"{"snomed": "44054006", "term": "T2", "source": "t"}"#,
        );
        let asthma = condition(
            "asthma",
            "condition",
            r#"{"snomed": "195967001", "term": "A", "source": "t"}"#,
        );
        let htn = condition(
            "hypertension",
            "condition",
            r#"{"snomed": "38341003", "term": "H", "source": "t"}, {"snomed": "59621000", "term": "E", "source": "t"}"#,
        );
        let frailty = condition(
            "frailty",
            "frailty",
            r#"{"snomed": "925791000000100", "term": "m", "grade": "mild", "source": "t"},
               {"snomed": "925861000000102", "term": "s", "grade": "severe", "source": "t"}"#,
        );
        let checks = r#"{"about": "", "checks": [{"id": "bp", "text": "blood pressure"}]}"#;
        let items = r#"{"about": "", "groups": [], "items": []}"#;
        Catalogue::from_files(
            checks,
            items,
            &[("d", &diabetes), ("a", &asthma), ("h", &htn), ("f", &frailty)],
        )
        .unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    /// A row as the clinical system's register file has it, with every column.
    fn row(cells: &[(Column, &str)]) -> RegisterRow {
        let mut row = RegisterRow::default();
        for (column, value) in [
            (Column::NhsNumber, "943 476 5919"),
            (Column::FamilyName, "Okafor"),
            (Column::GivenName, "Grace"),
            (Column::DateOfBirth, "02/03/1950"),
            (Column::Conditions, "44054006"),
            (Column::Sex, "F"),
            (Column::Postcode, "ls1 4ab"),
        ] {
            row.set(column, value);
        }
        for (column, value) in cells {
            row.set(*column, value);
        }
        row
    }

    fn problems(row: &RegisterRow) -> String {
        parse_register_row(row, &catalogue(), today()).unwrap_err().join("; ")
    }

    #[test]
    fn a_complete_row_becomes_a_patient() {
        let incoming = parse_register_row(
            &row(&[(Column::CommunicationNeeds, "large_print"), (Column::RecallMonth, "4")]),
            &catalogue(),
            today(),
        )
        .unwrap();
        let p = &incoming.details;
        assert_eq!(p.nhs_number.as_str(), "9434765919");
        assert_eq!(p.address.postcode.as_ref().unwrap().as_str(), "LS1 4AB");
        assert_eq!(p.sex, Sex::Female);
        assert_eq!(p.status, RegistrationStatus::Registered, "status defaults to registered");
        assert_eq!(p.recall_month.map(|m| m.number()), Some(4));
        assert_eq!(p.communication_needs, vec![CommunicationNeed::LargePrint]);
        assert!(incoming.supplied(Column::Postcode) && !incoming.supplied(Column::Phone));
    }

    #[test]
    fn each_bad_value_is_named() {
        for (cells, expected) in [
            (vec![(Column::NhsNumber, "943 476 5918")], "check digit does not match"),
            (vec![(Column::NhsNumber, "")], "the NHS number is missing"),
            (vec![(Column::FamilyName, " ")], "the family name is missing"),
            (
                vec![(Column::DateOfBirth, "2030-01-01")],
                "the date of birth 1 January 2030 is in the future",
            ),
            (
                vec![(Column::DateOfBirth, "1950-02-30")],
                "date of birth: '1950-02-30' is not a real date",
            ),
            (vec![(Column::Conditions, "12345")], "'12345' is not a SNOMED CT code"),
            (
                vec![(Column::Conditions, "73211009")],
                "condition code 73211009 is not one of the long-term conditions",
            ),
            (vec![(Column::Conditions, "")], "no long-term condition codes are given"),
            (
                vec![(Column::Conditions, "44054006:2030-01-01")],
                "diagnosis date for 44054006 is in the future",
            ),
            (vec![(Column::Postcode, "LS1")], "'LS1' is not a UK postcode"),
            (vec![(Column::Sex, "woman")], "sex 'woman' is not one of"),
            (vec![(Column::Status, "moved")], "status 'moved' is not one of"),
            (vec![(Column::RecallMonth, "13")], "recall month '13'"),
            (vec![(Column::CommunicationNeeds, "interpreter")], "an interpreter needs a language"),
            (vec![(Column::Email, "grace.example.com")], "not an email address"),
            (vec![(Column::Phone, "123")], "'123' is not a telephone number"),
        ] {
            let message = problems(&row(&cells));
            assert!(message.contains(expected), "{cells:?}: expected {expected:?} in {message:?}");
        }
    }

    #[test]
    fn every_problem_in_a_row_is_reported_together() {
        let message =
            problems(&row(&[(Column::NhsNumber, "123"), (Column::DateOfBirth, "yesterday")]));
        assert!(message.contains("has 3") && message.contains("'yesterday'"), "{message}");
    }

    #[test]
    fn conditions_keep_codes_and_dates() {
        let c = catalogue();
        let diagnoses =
            parse_conditions(" 44054006 ; 59621000:2011-05-06;44054006;38341003", &c, today())
                .unwrap();
        let summary: Vec<(String, &str, Option<NaiveDate>)> = diagnoses
            .iter()
            .map(|d| (d.code.to_string(), d.condition_id.as_str(), d.diagnosed_on))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("44054006".into(), "type-2-diabetes", None),
                ("59621000".into(), "hypertension", NaiveDate::from_ymd_opt(2011, 5, 6)),
                ("38341003".into(), "hypertension", None),
            ],
            "a repeated code is kept once; two codes of one condition are both kept"
        );
    }

    #[test]
    fn frailty_does_not_count_as_a_long_term_condition() {
        let c = catalogue();
        let p = parse_register_row(
            &row(&[(
                Column::Conditions,
                "44054006;59621000;38341003;925791000000100;925861000000102",
            )]),
            &c,
            today(),
        )
        .unwrap()
        .details;
        assert_eq!(p.long_term_condition_count(&c), 2, "diabetes and hypertension, each once");
        assert_eq!(p.frailty(&c), Some(FrailtyGrade::Severe), "the most severe grade recorded");
    }

    #[test]
    fn merging_keeps_what_the_file_does_not_say() {
        let c = catalogue();
        let first = parse_register_row(
            &row(&[(Column::Phone, "07700 900123"), (Column::Conditions, "44054006:2010-01-01")]),
            &c,
            today(),
        )
        .unwrap();
        let later =
            parse_register_row(&row(&[(Column::Postcode, "LS2 7XY")]), &c, today()).unwrap();
        let (merged, changes) = merge(&first.details, &later).unwrap();
        assert_eq!(merged.phone, first.details.phone, "no phone column in the later file");
        assert_eq!(
            merged.conditions[0].diagnosed_on,
            NaiveDate::from_ymd_opt(2010, 1, 1),
            "a diagnosis date is not lost because the later file has none"
        );
        assert_eq!(
            changes,
            vec![Change { field: "postcode", before: "LS1 4AB".into(), after: "LS2 7XY".into() }]
        );
        assert_eq!(Change::describe(&changes), "postcode: LS1 4AB → LS2 7XY");
    }

    #[test]
    fn an_empty_cell_in_a_supplied_column_clears_the_field() {
        let c = catalogue();
        let first =
            parse_register_row(&row(&[(Column::Phone, "07700 900123")]), &c, today()).unwrap();
        let later = parse_register_row(&row(&[(Column::Phone, "")]), &c, today()).unwrap();
        let (merged, changes) = merge(&first.details, &later).unwrap();
        assert_eq!(merged.phone, None);
        assert_eq!(changes[0].after, "(none)");
    }

    #[test]
    fn the_same_row_twice_changes_nothing() {
        let c = catalogue();
        let incoming = parse_register_row(&row(&[]), &c, today()).unwrap();
        let (merged, changes) = merge(&incoming.details, &incoming).unwrap();
        assert_eq!(merged, incoming.details);
        assert!(changes.is_empty());
    }

    #[test]
    fn a_file_cannot_bring_back_someone_who_died() {
        let c = catalogue();
        let died = parse_register_row(&row(&[(Column::Status, "deceased")]), &c, today()).unwrap();
        let later =
            parse_register_row(&row(&[(Column::Status, "registered")]), &c, today()).unwrap();
        assert!(merge(&died.details, &later).unwrap_err().contains("deceased"));
        let left = parse_register_row(&row(&[(Column::Status, "left")]), &c, today()).unwrap();
        assert!(merge(&left.details, &later).is_ok(), "people who left may register again");
    }

    #[test]
    fn a_different_person_under_the_same_number_is_refused() {
        let c = catalogue();
        let grace = parse_register_row(&row(&[]), &c, today()).unwrap();
        let other = parse_register_row(
            &row(&[(Column::FamilyName, "Smith"), (Column::DateOfBirth, "1970-01-01")]),
            &c,
            today(),
        )
        .unwrap();
        let refusal = merge(&grace.details, &other).unwrap_err();
        assert_eq!(
            refusal,
            "in Alongside this NHS number belongs to Grace Okafor, born 2 March 1950, but the \
             file has Grace Smith, born 1 January 1970; check the NHS number"
        );
        let married =
            parse_register_row(&row(&[(Column::FamilyName, "Smith")]), &c, today()).unwrap();
        assert!(merge(&grace.details, &married).is_ok(), "a new family name alone is an update");
        let corrected =
            parse_register_row(&row(&[(Column::DateOfBirth, "03/03/1950")]), &c, today()).unwrap();
        assert!(
            merge(&grace.details, &corrected).is_ok(),
            "a corrected date of birth alone is an update"
        );
    }

    #[test]
    fn headers_match_loosely() {
        assert_eq!(Column::from_header(" NHS_Number "), Some(Column::NhsNumber));
        assert_eq!(Column::from_header("Recall_Month"), Some(Column::RecallMonth));
        assert_eq!(Column::from_header("nhs number"), None);
    }
}
