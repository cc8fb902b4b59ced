//! The condition catalogue: which long-term conditions Alongside knows, by SNOMED CT code, with
//! the names staff and patients read. The content is data in `assets/catalogue/`, checked here.

use std::collections::HashMap;

use serde::Deserialize;

use super::measures::{ItemDef, Measures};
use super::snomed::SnomedCode;

/// Every condition the practice can hold on its register.
#[derive(Debug)]
pub struct Catalogue {
    conditions: Vec<ConditionDef>,
    by_code: HashMap<String, (usize, usize)>,
    checks: Vec<AppointmentCheck>,
    measures: Measures,
}

/// Something done at contact 1, in the words an invitation letter uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentCheck {
    id: String,
    text: String,
    preparation: Option<String>,
}

impl AppointmentCheck {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// "a blood test".
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What the person should do before coming, if anything.
    pub fn preparation(&self) -> Option<&str> {
        self.preparation.as_deref()
    }
}

#[derive(Debug)]
pub struct ConditionDef {
    id: String,
    name: String,
    short_name: String,
    plain_name: String,
    kind: ConditionKind,
    codes: Vec<ConditionCode>,
    appointment_checks: Vec<String>,
    items: Vec<String>,
}

/// Frailty is kept apart from the diseases: it is filtered on its own and does not count
/// towards "multiple long-term conditions".
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ConditionKind {
    LongTermCondition,
    Frailty,
}

#[derive(Debug)]
pub struct ConditionCode {
    code: SnomedCode,
    term: String,
    grade: Option<FrailtyGrade>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum FrailtyGrade {
    Mild,
    Moderate,
    Severe,
}

impl FrailtyGrade {
    pub fn code(self) -> &'static str {
        match self {
            FrailtyGrade::Mild => "mild",
            FrailtyGrade::Moderate => "moderate",
            FrailtyGrade::Severe => "severe",
        }
    }
}

/// A broken catalogue file, named so whoever edited it can find the mistake.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("condition catalogue file {file}: {message}")]
pub struct CatalogueError {
    pub file: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionFile {
    id: String,
    name: String,
    short_name: String,
    plain_name: String,
    kind: String,
    appointment_checks: Vec<String>,
    items: Vec<String>,
    codes: Vec<CodeFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecksFile {
    #[allow(dead_code)]
    about: String,
    checks: Vec<CheckFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckFile {
    id: String,
    text: String,
    #[serde(default)]
    preparation: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeFile {
    snomed: String,
    term: String,
    #[serde(default)]
    grade: Option<String>,
    source: String,
}

impl Catalogue {
    /// Reads and checks the checks file, the surveillance items and every `(file name, JSON
    /// text)` condition file; the first problem is returned, naming its file.
    pub fn from_files(
        checks: &str,
        items: &str,
        files: &[(&str, &str)],
    ) -> Result<Catalogue, CatalogueError> {
        let checks = read_checks(checks)
            .map_err(|message| CatalogueError { file: "checks.json".into(), message })?;
        let measures = Measures::from_json(items)
            .map_err(|e| CatalogueError { file: "items.json".into(), message: e.0 })?;
        let mut conditions = Vec::new();
        let mut by_code = HashMap::new();
        let mut ids = HashMap::new();
        for (file, text) in files {
            let fail = |message: String| CatalogueError { file: file.to_string(), message };
            let parsed: ConditionFile =
                serde_json::from_str(text).map_err(|e| fail(format!("not valid: {e}")))?;
            let condition = ConditionDef::from_file(parsed).map_err(fail)?;
            if let Some(unknown) =
                condition.appointment_checks.iter().find(|id| !checks.iter().any(|c| &c.id == *id))
            {
                return Err(fail(format!("appointment check '{unknown}' is not in checks.json")));
            }
            if let Some(unknown) = condition.items.iter().find(|id| measures.item(id).is_none()) {
                return Err(fail(format!("item '{unknown}' is not in items.json")));
            }
            if let Some(twice) = condition
                .items
                .iter()
                .enumerate()
                .find(|(i, id)| condition.items[..*i].contains(id))
            {
                return Err(fail(format!("item '{}' is listed twice", twice.1)));
            }
            if let Some(other) = ids.insert(condition.id.clone(), file.to_string()) {
                return Err(fail(format!("id '{}' is also used by {other}", condition.id)));
            }
            for (code_idx, code) in condition.codes.iter().enumerate() {
                let key = code.code.as_str().to_string();
                if by_code.insert(key.clone(), (conditions.len(), code_idx)).is_some() {
                    return Err(fail(format!("code {key} appears in more than one condition")));
                }
            }
            conditions.push(condition);
        }
        if conditions.is_empty() {
            return Err(CatalogueError { file: "(none)".into(), message: "no conditions".into() });
        }
        Ok(Catalogue { conditions, by_code, checks, measures })
    }

    /// The surveillance items of `items.json`.
    pub fn measures(&self) -> &Measures {
        &self.measures
    }

    /// What contact 1 records for people with these conditions: each item once, in the order
    /// of items.json, with the conditions that want it.
    pub fn items_for<'a>(
        &self,
        condition_ids: impl IntoIterator<Item = &'a str>,
    ) -> Vec<(&ItemDef, Vec<&ConditionDef>)> {
        let mut conditions: Vec<&ConditionDef> = Vec::new();
        for condition in condition_ids.into_iter().filter_map(|id| self.condition(id)) {
            if !conditions.iter().any(|c| c.id == condition.id) {
                conditions.push(condition);
            }
        }
        self.measures
            .items()
            .iter()
            .filter_map(|item| {
                let wanted_by: Vec<&ConditionDef> = conditions
                    .iter()
                    .copied()
                    .filter(|c| c.items.iter().any(|i| i == item.id()))
                    .collect();
                (!wanted_by.is_empty()).then_some((item, wanted_by))
            })
            .collect()
    }

    /// Everything done at contact 1 for people with these conditions, each check once, in the
    /// order of checks.json.
    pub fn appointment_checks<'a>(
        &self,
        condition_ids: impl IntoIterator<Item = &'a str>,
    ) -> Vec<&AppointmentCheck> {
        let wanted: Vec<&str> = condition_ids
            .into_iter()
            .filter_map(|id| self.condition(id))
            .flat_map(|c| c.appointment_checks.iter().map(String::as_str))
            .collect();
        self.checks.iter().filter(|check| wanted.contains(&check.id.as_str())).collect()
    }

    /// The condition, and the particular code, that a SNOMED CT code records.
    pub fn lookup(&self, code: &SnomedCode) -> Option<(&ConditionDef, &ConditionCode)> {
        let (c, k) = *self.by_code.get(code.as_str())?;
        let condition = &self.conditions[c];
        Some((condition, &condition.codes[k]))
    }

    pub fn condition(&self, id: &str) -> Option<&ConditionDef> {
        self.conditions.iter().find(|c| c.id == id)
    }

    /// In the order of the files, which is alphabetical by file name.
    pub fn conditions(&self) -> &[ConditionDef] {
        &self.conditions
    }
}

impl ConditionDef {
    fn from_file(file: ConditionFile) -> Result<ConditionDef, String> {
        let id_ok = !file.id.is_empty()
            && file.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(format!("id '{}' must be lower-case letters, digits and hyphens", file.id));
        }
        for (field, value) in [
            ("name", &file.name),
            ("short_name", &file.short_name),
            ("plain_name", &file.plain_name),
        ] {
            if value.trim().is_empty() {
                return Err(format!("{field} is empty"));
            }
        }
        let kind = match file.kind.as_str() {
            "condition" => ConditionKind::LongTermCondition,
            "frailty" => ConditionKind::Frailty,
            other => return Err(format!("kind '{other}' is not 'condition' or 'frailty'")),
        };
        if file.codes.is_empty() {
            return Err("lists no codes".into());
        }
        let codes = file
            .codes
            .into_iter()
            .map(|c| ConditionCode::from_file(c, kind))
            .collect::<Result<Vec<_>, _>>()?;
        if file.appointment_checks.is_empty() {
            return Err("lists no appointment checks".into());
        }
        Ok(ConditionDef {
            id: file.id,
            name: file.name,
            short_name: file.short_name,
            plain_name: file.plain_name,
            kind,
            codes,
            appointment_checks: file.appointment_checks,
            items: file.items,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn short_name(&self) -> &str {
        &self.short_name
    }

    /// The name used in anything a patient reads.
    pub fn plain_name(&self) -> &str {
        &self.plain_name
    }

    pub fn kind(&self) -> ConditionKind {
        self.kind
    }

    pub fn codes(&self) -> &[ConditionCode] {
        &self.codes
    }

    /// The ids of the surveillance items contact 1 records for this condition.
    pub fn items(&self) -> &[String] {
        &self.items
    }
}

fn read_checks(text: &str) -> Result<Vec<AppointmentCheck>, String> {
    let file: ChecksFile = serde_json::from_str(text).map_err(|e| format!("not valid: {e}"))?;
    let mut checks: Vec<AppointmentCheck> = Vec::new();
    for check in file.checks {
        if check.id.trim().is_empty() || check.text.trim().is_empty() {
            return Err("every check needs an id and a text".into());
        }
        if checks.iter().any(|c| c.id == check.id) {
            return Err(format!("check '{}' is listed twice", check.id));
        }
        let preparation = check.preparation.filter(|p| !p.trim().is_empty());
        checks.push(AppointmentCheck { id: check.id, text: check.text, preparation });
    }
    Ok(checks)
}

impl ConditionCode {
    fn from_file(file: CodeFile, kind: ConditionKind) -> Result<ConditionCode, String> {
        let code = SnomedCode::parse(&file.snomed).map_err(|e| e.to_string())?;
        if file.term.trim().is_empty() || file.source.trim().is_empty() {
            return Err(format!("code {code} needs a term and a source"));
        }
        let grade = match (kind, file.grade.as_deref()) {
            (ConditionKind::Frailty, Some("mild")) => Some(FrailtyGrade::Mild),
            (ConditionKind::Frailty, Some("moderate")) => Some(FrailtyGrade::Moderate),
            (ConditionKind::Frailty, Some("severe")) => Some(FrailtyGrade::Severe),
            (ConditionKind::Frailty, _) => {
                return Err(format!("frailty code {code} needs a grade: mild, moderate or severe"))
            }
            (ConditionKind::LongTermCondition, None) => None,
            (ConditionKind::LongTermCondition, Some(_)) => {
                return Err(format!("code {code}: only frailty codes have a grade"))
            }
        };
        Ok(ConditionCode { code, term: file.term, grade })
    }

    pub fn code(&self) -> &SnomedCode {
        &self.code
    }

    pub fn term(&self) -> &str {
        &self.term
    }

    pub fn grade(&self) -> Option<FrailtyGrade> {
        self.grade
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECKS: &str = r#"{"about": "", "checks": [{"id": "blood-test", "text": "a blood test"},
        {"id": "feet", "text": "a check of your feet", "preparation": "Wear easy shoes."}]}"#;
    const DIABETES: &str = r#"{"id": "type-2-diabetes", "name": "Type 2 diabetes", "short_name": "T2DM",
        "plain_name": "Type 2 diabetes", "kind": "condition", "appointment_checks": ["feet", "blood-test"], "items": ["weight"],
        "codes": [{"snomed": "44054006", "term": "Type 2 diabetes mellitus", "source": "test"}]}"#;
    const FRAILTY: &str = r#"{"id": "frailty", "name": "Frailty", "short_name": "Frailty",
        "plain_name": "Frailty", "kind": "frailty", "appointment_checks": ["blood-test"], "items": [],
        "codes": [{"snomed": "925791000000100", "term": "Mild frailty", "grade": "mild", "source": "test"}]}"#;

    const ITEMS: &str = r#"{"about": "", "groups": [{"id": "m", "label": "Measurements"}],
        "items": [{"id": "weight", "label": "Weight", "plain_name": "Weight", "group": "m",
        "theme": "weight", "kind": "number", "snomed": "27113001", "code_source": "test",
        "lab": false, "explanation": "How heavy you are.", "decimals": 1,
        "unit": {"display": "kg", "ucum": "kg"}, "range": {"min": 20, "max": 350}}]}"#;

    fn problem(files: &[(&str, &str)]) -> String {
        Catalogue::from_files(CHECKS, ITEMS, files).unwrap_err().to_string()
    }

    #[test]
    fn codes_lead_to_their_condition() {
        let catalogue =
            Catalogue::from_files(CHECKS, ITEMS, &[("a.json", DIABETES), ("b.json", FRAILTY)])
                .unwrap();
        let (condition, code) = catalogue.lookup(&SnomedCode::parse("44054006").unwrap()).unwrap();
        assert_eq!((condition.id(), code.term()), ("type-2-diabetes", "Type 2 diabetes mellitus"));
        let (frailty, mild) =
            catalogue.lookup(&SnomedCode::parse("925791000000100").unwrap()).unwrap();
        assert_eq!(
            (frailty.kind(), mild.grade()),
            (ConditionKind::Frailty, Some(FrailtyGrade::Mild))
        );
        assert!(catalogue.lookup(&SnomedCode::parse("195967001").unwrap()).is_none());
    }

    #[test]
    fn broken_files_are_named() {
        assert_eq!(
            problem(&[("a.json", DIABETES), ("b.json", DIABETES)]),
            "condition catalogue file b.json: id 'type-2-diabetes' is also used by a.json"
        );
        assert!(
            problem(&[("x.json", "{")]).starts_with("condition catalogue file x.json: not valid")
        );
        let typo = DIABETES.replace("\"kind\"", "\"knid\"");
        assert!(problem(&[("t.json", &typo)]).contains("unknown field `knid`"));
        let bad_code = DIABETES.replace("44054006", "44054007");
        assert!(problem(&[("c.json", &bad_code)]).contains("check digit"));
        let ungraded = FRAILTY.replace(r#""grade": "mild", "#, "");
        assert!(problem(&[("f.json", &ungraded)]).contains("needs a grade"));
        let shared = FRAILTY
            .replace("925791000000100", "44054006")
            .replace("\"frailty\", \"name", "\"frail\", \"name");
        assert!(problem(&[("a.json", DIABETES), ("s.json", &shared)])
            .contains("more than one condition"));
    }
}
