//! What contact 1 measures: the surveillance items of `assets/catalogue/items.json` (codes,
//! units, plausible ranges, questionnaires), and the parsing of a typed or reported value into
//! a `Value`. A value outside the plausible range is refused as a typing error; nothing is ever
//! rounded, converted or dropped without saying so.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use serde::Deserialize;

use super::person::{format_date, parse_date};
use super::snomed::SnomedCode;

/// Every surveillance item, in the order staff work through the appointment.
#[derive(Debug)]
pub struct Measures {
    groups: Vec<(String, String)>,
    items: Vec<ItemDef>,
    by_code: HashMap<String, (usize, Part)>,
}

/// One thing measured, asked or sent to the lab.
#[derive(Debug)]
pub struct ItemDef {
    id: String,
    label: String,
    plain_name: String,
    group: String,
    theme: String,
    kind: ItemKind,
    snomed: SnomedCode,
    code_source: String,
    loinc: Option<String>,
    lab: bool,
    explanation: String,
    valid_for_months: Option<u32>,
    /// Further codes results files use for the item or one of its halves.
    extra_codes: Vec<(SnomedCode, Part)>,
}

/// How a value is entered.
#[derive(Debug)]
pub enum ItemKind {
    Number(NumberSpec),
    BloodPressure {
        unit: Unit,
        systolic: BpHalf,
        diastolic: BpHalf,
    },
    /// Worked out by the app from other items, never typed: only BMI.
    Computed(NumberSpec),
    Choice(Vec<OptionDef>),
    YesNo,
    /// The day something was done elsewhere, with its result.
    Date(Vec<OptionDef>),
    Questionnaire(Questionnaire),
    Text,
}

/// A measurement with a unit, a plausible range and a number of decimal places.
#[derive(Debug)]
pub struct NumberSpec {
    pub unit: Unit,
    pub min: f64,
    pub max: f64,
    pub decimals: u8,
    pub other_units: Vec<OtherUnit>,
    pub refused_units: Vec<(String, String)>,
    /// Below this, a typed HbA1c is probably a DCCT percentage.
    pub dcct_below: Option<f64>,
}

/// A unit as people write it, as UCUM writes it, and other spellings seen in files.
#[derive(Debug)]
pub struct Unit {
    pub display: String,
    pub ucum: String,
    pub also: Vec<String>,
}

/// An exact, documented conversion to the item's unit (cholesterol in mg/dL).
#[derive(Debug)]
pub struct OtherUnit {
    pub unit: Unit,
    pub divide_by: f64,
    pub note: String,
}

#[derive(Debug)]
pub struct BpHalf {
    pub snomed: SnomedCode,
    pub loinc: Option<String>,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone)]
pub struct OptionDef {
    pub id: String,
    pub label: String,
    pub snomed: Option<SnomedCode>,
    pub score: Option<i32>,
}

#[derive(Debug)]
pub struct Questionnaire {
    pub questions: Vec<Question>,
    pub bands: Vec<(i32, i32, String)>,
    /// Another questionnaire that becomes due when the score reaches a threshold (PHQ-9 after a
    /// positive PHQ-2).
    pub follow_up: Option<(String, i32)>,
}

#[derive(Debug)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub options: Vec<(String, i32)>,
}

/// Which part of an item a code records: a blood pressure arrives in halves.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Part {
    Whole,
    Systolic,
    Diastolic,
}

/// `<` or `>`: a lab result reported beyond what the analyser measures (eGFR ">90").
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Comparator {
    Below,
    Above,
}

impl Comparator {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Below => "<",
            Comparator::Above => ">",
        }
    }
}

/// A number exactly as written, with what it means.
#[derive(Clone, PartialEq, Debug)]
pub struct Quantity {
    text: String,
    value: f64,
    comparator: Option<Comparator>,
}

impl Quantity {
    /// The number as written, comparator included ("5.40", ">90").
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn value(&self) -> f64 {
        self.value
    }

    pub fn comparator(&self) -> Option<Comparator> {
        self.comparator
    }
}

/// A recorded value, checked against its item.
#[derive(Clone, PartialEq, Debug)]
pub enum Value {
    Quantity(Quantity),
    BloodPressure {
        systolic: u16,
        diastolic: u16,
    },
    Choice(String),
    YesNo(bool),
    Date {
        on: NaiveDate,
        result: Option<String>,
    },
    /// The option chosen for each question (by position), and the total score.
    Questionnaire {
        answers: Vec<usize>,
        score: i32,
    },
    Text(String),
}

/// What the HCA typed or chose for one item.
#[derive(Clone, Copy, Default, Debug)]
pub struct Entry<'a> {
    pub value: &'a str,
    pub option: Option<&'a str>,
    pub answers: &'a [Option<usize>],
}

/// A refused entry: a message naming the item, and a value to offer instead where one is
/// known (the mmol/mol equivalent of a DCCT percentage), never used without the person's say.
#[derive(Clone, PartialEq, Debug, thiserror::Error)]
#[error("{message}")]
pub struct EntryError {
    pub message: String,
    pub suggestion: Option<String>,
}

impl EntryError {
    fn new(message: impl Into<String>) -> EntryError {
        EntryError { message: message.into(), suggestion: None }
    }
}

/// A value from a results file, and the note to show if it was converted.
#[derive(Clone, PartialEq, Debug)]
pub struct Reported {
    pub quantity: Quantity,
    pub converted_from: Option<String>,
}

/// A problem in `items.json`, named for whoever edited it.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("condition catalogue file items.json: {0}")]
pub struct MeasuresError(pub String);

impl Measures {
    /// Reads and checks `items.json`.
    pub fn from_json(text: &str) -> Result<Measures, MeasuresError> {
        let file: ItemsFile =
            serde_json::from_str(text).map_err(|e| MeasuresError(format!("not valid: {e}")))?;
        let groups: Vec<(String, String)> =
            file.groups.into_iter().map(|g| (g.id, g.label)).collect();
        let mut items: Vec<ItemDef> = Vec::new();
        let mut by_code = HashMap::new();
        for (number, raw) in file.items.into_iter().enumerate() {
            // Each item is read by itself, so a misspelt field is reported with its item.
            let id = match raw.get("id").and_then(serde_json::Value::as_str) {
                Some(id) => id.to_string(),
                None => format!("number {}", number + 1),
            };
            let raw: ItemFile = serde_json::from_value(raw)
                .map_err(|e| MeasuresError(format!("item '{id}': {e}")))?;
            let item = ItemDef::from_file(raw, &groups)
                .map_err(|e| MeasuresError(format!("item '{id}': {e}")))?;
            if items.iter().any(|i| i.id == item.id) {
                return Err(MeasuresError(format!("item '{}' is listed twice", item.id)));
            }
            for (code, part) in item.codes() {
                if by_code.insert(code.clone(), (items.len(), part)).is_some() {
                    return Err(MeasuresError(format!(
                        "item '{}': code {code} is used by more than one item",
                        item.id
                    )));
                }
            }
            items.push(item);
        }
        for item in &items {
            if let ItemKind::Questionnaire(q) = &item.kind {
                if let Some((next, _)) = &q.follow_up {
                    if !items.iter().any(|i| &i.id == next) {
                        return Err(MeasuresError(format!(
                            "item '{}': follow-up '{next}' is not an item",
                            item.id
                        )));
                    }
                }
            }
            if let ItemKind::Computed(_) = &item.kind {
                for input in ["weight", "height"] {
                    if !items.iter().any(|i| i.id == input) {
                        return Err(MeasuresError(format!(
                            "item '{}' is worked out from '{input}', which is not an item",
                            item.id
                        )));
                    }
                }
            }
        }
        Ok(Measures { groups, items, by_code })
    }

    pub fn items(&self) -> &[ItemDef] {
        &self.items
    }

    pub fn item(&self, id: &str) -> Option<&ItemDef> {
        self.items.iter().find(|i| i.id == id)
    }

    /// `(id, label)` of each group, in order.
    pub fn groups(&self) -> &[(String, String)] {
        &self.groups
    }

    /// The item, and which part of it, that a SNOMED CT code or an item id names.
    pub fn lookup(&self, code: &str) -> Option<(&ItemDef, Part)> {
        let code = code.trim();
        if let Some((index, part)) = self.by_code.get(code) {
            return Some((&self.items[*index], *part));
        }
        let item = self.item(&code.to_ascii_lowercase())?;
        match item.kind {
            ItemKind::BloodPressure { .. } => None,
            _ => Some((item, Part::Whole)),
        }
    }
}

impl ItemDef {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What staff read: "HbA1c".
    pub fn label(&self) -> &str {
        &self.label
    }

    /// What the person reads: "Average blood sugar (HbA1c)".
    pub fn plain_name(&self) -> &str {
        &self.plain_name
    }

    pub fn group(&self) -> &str {
        &self.group
    }

    pub fn theme(&self) -> &str {
        &self.theme
    }

    pub fn kind(&self) -> &ItemKind {
        &self.kind
    }

    pub fn snomed(&self) -> &SnomedCode {
        &self.snomed
    }

    pub fn code_source(&self) -> &str {
        &self.code_source
    }

    pub fn loinc(&self) -> Option<&str> {
        self.loinc.as_deref()
    }

    /// Sent to the lab: the result comes back later.
    pub fn is_lab(&self) -> bool {
        self.lab
    }

    /// What it measures, for the person.
    pub fn explanation(&self) -> &str {
        &self.explanation
    }

    /// A value this recent still counts (height).
    pub fn valid_for_months(&self) -> Option<u32> {
        self.valid_for_months
    }

    /// The unit shown beside the entry, if it has one.
    pub fn unit(&self) -> Option<&Unit> {
        match &self.kind {
            ItemKind::Number(spec) | ItemKind::Computed(spec) => Some(&spec.unit),
            ItemKind::BloodPressure { unit, .. } => Some(unit),
            _ => None,
        }
    }

    /// The questionnaire that follows this one, and the score that calls for it.
    pub fn follow_up(&self) -> Option<(&str, i32)> {
        match &self.kind {
            ItemKind::Questionnaire(q) => q.follow_up.as_ref().map(|(id, at)| (id.as_str(), *at)),
            _ => None,
        }
    }

    /// The choices of a choice or dated item.
    pub fn options(&self) -> &[OptionDef] {
        match &self.kind {
            ItemKind::Choice(options) | ItemKind::Date(options) => options,
            _ => &[],
        }
    }

    fn codes(&self) -> Vec<(String, Part)> {
        let mut codes = vec![(self.snomed.as_str().to_string(), Part::Whole)];
        if let ItemKind::BloodPressure { systolic, diastolic, .. } = &self.kind {
            codes.push((systolic.snomed.as_str().to_string(), Part::Systolic));
            codes.push((diastolic.snomed.as_str().to_string(), Part::Diastolic));
        }
        for (code, part) in &self.extra_codes {
            codes.push((code.as_str().to_string(), *part));
        }
        for option in self.options() {
            if let Some(code) = &option.snomed {
                codes.push((code.as_str().to_string(), Part::Whole));
            }
        }
        codes
    }

    /// Checks what was typed or chosen at the appointment. `today` bounds dates.
    pub fn parse_entry(&self, entry: Entry<'_>, today: NaiveDate) -> Result<Value, EntryError> {
        let label = &self.label;
        let text = entry.value.trim();
        match &self.kind {
            ItemKind::Number(spec) => {
                if text.is_empty() {
                    return Err(EntryError::new(format!("type the {label} value")));
                }
                if let Some(below) = spec.dcct_below {
                    // A DCCT percentage is written to one decimal place ("7.2"), which the
                    // mmol/mol value is not: look for one before the decimal places are checked.
                    let percent = parse_number(text, spec.decimals.max(1), label).ok();
                    if let Some(percent) =
                        percent.filter(|p| p.value < below && p.comparator.is_none())
                    {
                        let converted = dcct_to_ifcc(percent.value);
                        if (spec.min..=spec.max).contains(&converted) {
                            return Err(EntryError {
                                message: format!(
                                    "{text} looks like an {label} in % (DCCT). {text} % is \
                                     {converted:.0} mmol/mol (IFCC); record {converted:.0} \
                                     mmol/mol if that is what the result says"
                                ),
                                suggestion: Some(format!("{converted:.0}")),
                            });
                        }
                    }
                }
                let quantity = parse_number(text, spec.decimals, label).map_err(EntryError::new)?;
                check_range(&quantity, spec, label).map_err(EntryError::new)?;
                Ok(Value::Quantity(quantity))
            }
            ItemKind::BloodPressure { systolic, diastolic, .. } => {
                let (s, d) = text.split_once('/').ok_or_else(|| {
                    EntryError::new(format!(
                        "type the {label} as systolic/diastolic, for example 132/84"
                    ))
                })?;
                let systolic_value = parse_whole(s.trim(), systolic, label, "systolic")?;
                let diastolic_value = parse_whole(d.trim(), diastolic, label, "diastolic")?;
                if diastolic_value >= systolic_value {
                    return Err(EntryError::new(format!(
                        "{label}: the diastolic ({diastolic_value}) must be lower than the \
                         systolic ({systolic_value}); check the order"
                    )));
                }
                Ok(Value::BloodPressure { systolic: systolic_value, diastolic: diastolic_value })
            }
            ItemKind::Computed(_) => Err(EntryError::new(format!(
                "{label} is worked out from the weight and height, not typed"
            ))),
            ItemKind::Choice(options) => {
                let chosen = entry.option.unwrap_or(text);
                find_option(options, chosen, label).map(|o| Value::Choice(o.id.clone()))
            }
            ItemKind::YesNo => match text.to_ascii_lowercase().as_str() {
                "yes" | "y" | "true" => Ok(Value::YesNo(true)),
                "no" | "n" | "false" => Ok(Value::YesNo(false)),
                _ => Err(EntryError::new(format!("choose yes or no for {label}"))),
            },
            ItemKind::Date(options) => {
                if text.is_empty() {
                    return Err(EntryError::new(format!("type the date of the {label}")));
                }
                let on = parse_date(text).map_err(|e| EntryError::new(format!("{label}: {e}")))?;
                if on > today {
                    return Err(EntryError::new(format!(
                        "{label}: {} is in the future",
                        format_date(on)
                    )));
                }
                let result = match (entry.option.filter(|o| !o.is_empty()), options.is_empty()) {
                    (_, true) => None,
                    (None, false) => {
                        return Err(EntryError::new(format!("choose the result of the {label}")))
                    }
                    (Some(chosen), false) => Some(find_option(options, chosen, label)?.id.clone()),
                };
                Ok(Value::Date { on, result })
            }
            ItemKind::Questionnaire(q) => {
                let answers = q.check_answers(entry.answers, label)?;
                let score = q.score(&answers);
                Ok(Value::Questionnaire { answers, score })
            }
            ItemKind::Text => {
                if text.is_empty() {
                    return Err(EntryError::new(format!(
                        "write something for {label}, or mark it not done"
                    )));
                }
                Ok(Value::Text(entry.value.trim().to_string()))
            }
        }
    }

    /// Checks a value and unit from a results file for this item (or one half of it). A unit
    /// that is not the item's is refused unless the catalogue documents an exact conversion.
    pub fn parse_reported(&self, part: Part, value: &str, unit: &str) -> Result<Reported, String> {
        let label = self.part_label(part);
        let unit = unit.trim();
        let (spec_unit, min, max, decimals, spec) = match (&self.kind, part) {
            (ItemKind::Number(spec) | ItemKind::Computed(spec), Part::Whole) => {
                (&spec.unit, spec.min, spec.max, spec.decimals, Some(spec))
            }
            (ItemKind::BloodPressure { unit, systolic, .. }, Part::Systolic) => {
                (unit, systolic.min, systolic.max, 0, None)
            }
            (ItemKind::BloodPressure { unit, diastolic, .. }, Part::Diastolic) => {
                (unit, diastolic.min, diastolic.max, 0, None)
            }
            _ => {
                return Err(format!(
                    "{label} cannot come from a results file: record it at the appointment"
                ))
            }
        };
        if value.trim().is_empty() {
            return Err(format!("the {label} value is missing"));
        }
        if unit.is_empty() {
            return Err(format!(
                "the unit is missing: {label} is recorded in {}",
                spec_unit.display
            ));
        }
        if spec_unit.matches(unit) {
            let quantity = parse_number(value.trim(), decimals, &label)?;
            check_bounds(&quantity, min, max, &spec_unit.display, &label)?;
            return Ok(Reported { quantity, converted_from: None });
        }
        if let Some(spec) = spec {
            if let Some((_, message)) =
                spec.refused_units.iter().find(|(u, _)| u.eq_ignore_ascii_case(unit))
            {
                return Err(message.clone());
            }
            if let Some(other) = spec.other_units.iter().find(|o| o.unit.matches(unit)) {
                let original = parse_number(value.trim(), 2, &label)?;
                if original.comparator.is_some() {
                    return Err(format!("{label}: a '<' or '>' result cannot be converted"));
                }
                let converted = original.value / other.divide_by;
                let text = format!("{converted:.*}", spec.decimals as usize);
                let quantity = parse_number(&text, spec.decimals, &label)?;
                check_bounds(&quantity, min, max, &spec_unit.display, &label)?;
                let note = format!(
                    "{label} {} {} converted to {text} {} ({})",
                    original.text, other.unit.display, spec_unit.display, other.note
                );
                return Ok(Reported { quantity, converted_from: Some(note) });
            }
        }
        Err(format!(
            "the unit '{unit}' does not match {label}, which is recorded in {}; results are \
             never converted between units",
            spec_unit.display
        ))
    }

    /// "systolic blood pressure (clinic)" for a half, else the label.
    pub fn part_label(&self, part: Part) -> String {
        match part {
            Part::Whole => self.label.clone(),
            Part::Systolic => format!("{} systolic", self.label),
            Part::Diastolic => format!("{} diastolic", self.label),
        }
    }

    /// A stored value read back: trusted, not re-checked against today's ranges (a practice
    /// may have narrowed them since). `None` when the stored text does not fit the item.
    pub fn restore(&self, text: &str, option: Option<&str>, answers: &str) -> Option<Value> {
        Some(match &self.kind {
            ItemKind::Number(_) | ItemKind::Computed(_) => Value::Quantity(read_quantity(text)?),
            ItemKind::BloodPressure { .. } => {
                let (s, d) = text.split_once('/')?;
                Value::BloodPressure { systolic: s.parse().ok()?, diastolic: d.parse().ok()? }
            }
            ItemKind::Choice(_) => Value::Choice(text.to_string()),
            ItemKind::YesNo => Value::YesNo(text == "yes"),
            ItemKind::Date(_) => Value::Date {
                on: NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?,
                result: option.map(str::to_string),
            },
            ItemKind::Questionnaire(q) => {
                let answers: Vec<usize> = if answers.is_empty() {
                    Vec::new()
                } else {
                    answers.split(',').map(|a| a.parse().ok()).collect::<Option<_>>()?
                };
                let score = q.score(&answers);
                Value::Questionnaire { answers, score }
            }
            ItemKind::Text => Value::Text(text.to_string()),
        })
    }

    /// The value as staff and letters read it: "53 mmol/mol", "142/88 mmHg", "18 (well
    /// controlled)".
    pub fn describe(&self, value: &Value) -> String {
        let with_unit = |text: &str, unit: &Unit| {
            if unit.ucum.starts_with('{') {
                text.to_string()
            } else if unit.display == "%" {
                format!("{text}%")
            } else {
                format!("{text} {}", unit.display)
            }
        };
        match (&self.kind, value) {
            (ItemKind::Number(spec) | ItemKind::Computed(spec), Value::Quantity(q)) => {
                with_unit(&q.text, &spec.unit)
            }
            (
                ItemKind::BloodPressure { unit, .. },
                Value::BloodPressure { systolic, diastolic },
            ) => {
                format!("{systolic}/{diastolic} {}", unit.display)
            }
            (ItemKind::Choice(options), Value::Choice(id)) => option_label(options, id),
            (_, Value::YesNo(yes)) => if *yes { "Yes" } else { "No" }.to_string(),
            (ItemKind::Date(options), Value::Date { on, result }) => match result {
                Some(id) => format!("{}: {}", format_date(*on), option_label(options, id)),
                None => format_date(*on),
            },
            (ItemKind::Questionnaire(q), Value::Questionnaire { score, .. }) => {
                match q.band(*score) {
                    Some(band) => format!("{score} ({band})"),
                    None => score.to_string(),
                }
            }
            (_, Value::Text(text)) => text.clone(),
            _ => "(does not fit this item)".to_string(),
        }
    }
}

impl Value {
    /// The text the store keeps: the number as written, "142/88", the option id, "yes",
    /// the date.
    pub fn stored_text(&self) -> String {
        match self {
            Value::Quantity(q) => q.text.clone(),
            Value::BloodPressure { systolic, diastolic } => format!("{systolic}/{diastolic}"),
            Value::Choice(id) => id.clone(),
            Value::YesNo(yes) => if *yes { "yes" } else { "no" }.to_string(),
            Value::Date { on, .. } => on.format("%Y-%m-%d").to_string(),
            Value::Questionnaire { score, .. } => score.to_string(),
            Value::Text(text) => text.clone(),
        }
    }

    /// The number searches and reports use: the quantity, the systolic, the score.
    pub fn number(&self, item: &ItemDef) -> Option<f64> {
        match (self, &item.kind) {
            (Value::Quantity(q), _) => Some(q.value),
            (Value::BloodPressure { systolic, .. }, _) => Some(f64::from(*systolic)),
            (Value::Questionnaire { score, .. }, _) => Some(f64::from(*score)),
            (Value::Choice(id), ItemKind::Choice(options)) => {
                options.iter().find(|o| &o.id == id).and_then(|o| o.score).map(f64::from)
            }
            _ => None,
        }
    }

    /// The diastolic, for a blood pressure.
    pub fn second_number(&self) -> Option<f64> {
        match self {
            Value::BloodPressure { diastolic, .. } => Some(f64::from(*diastolic)),
            _ => None,
        }
    }

    /// The result option of a dated item.
    pub fn option(&self) -> Option<&str> {
        match self {
            Value::Date { result, .. } => result.as_deref(),
            _ => None,
        }
    }

    /// The answers of a questionnaire, as stored: "0,2,1".
    pub fn answers_text(&self) -> String {
        match self {
            Value::Questionnaire { answers, .. } => {
                answers.iter().map(usize::to_string).collect::<Vec<_>>().join(",")
            }
            _ => String::new(),
        }
    }
}

impl Questionnaire {
    /// Every question answered with one of its options.
    fn check_answers(
        &self,
        answers: &[Option<usize>],
        label: &str,
    ) -> Result<Vec<usize>, EntryError> {
        if answers.len() != self.questions.len() {
            return Err(EntryError::new(format!(
                "{label} has {} questions; {} answers were given",
                self.questions.len(),
                answers.len()
            )));
        }
        let mut checked = Vec::with_capacity(answers.len());
        for (number, (question, answer)) in self.questions.iter().zip(answers).enumerate() {
            match answer {
                Some(index) if *index < question.options.len() => checked.push(*index),
                Some(_) => {
                    return Err(EntryError::new(format!(
                        "{label} question {}: that answer is not one of its options",
                        number + 1
                    )))
                }
                None => {
                    return Err(EntryError::new(format!(
                        "{label} question {} ({}) is not answered",
                        number + 1,
                        question.text
                    )))
                }
            }
        }
        Ok(checked)
    }

    /// The total: the sum of the chosen options' scores.
    pub fn score(&self, answers: &[usize]) -> i32 {
        self.questions
            .iter()
            .zip(answers)
            .filter_map(|(q, a)| q.options.get(*a).map(|(_, score)| *score))
            .sum()
    }

    /// The published band a score falls in ("well controlled").
    pub fn band(&self, score: i32) -> Option<&str> {
        self.bands.iter().find(|(from, to, _)| (*from..=*to).contains(&score)).map(|b| b.2.as_str())
    }

    fn score_range(&self) -> (i32, i32) {
        let mut range = (0, 0);
        for question in &self.questions {
            range.0 += question.options.iter().map(|o| o.1).min().unwrap_or(0);
            range.1 += question.options.iter().map(|o| o.1).max().unwrap_or(0);
        }
        range
    }
}

impl Unit {
    /// Whether a unit written in a file is this one: display, UCUM or a listed spelling, in
    /// any case.
    pub fn matches(&self, written: &str) -> bool {
        let written = written.trim();
        std::iter::once(&self.display)
            .chain(std::iter::once(&self.ucum))
            .chain(&self.also)
            .any(|u| u.to_lowercase() == written.to_lowercase())
    }
}

/// HbA1c: DCCT % to IFCC mmol/mol, the published master equation (IFCC = 10.929 × (DCCT −
/// 2.15)). Used only to offer a value to the person typing, never applied by itself.
pub fn dcct_to_ifcc(percent: f64) -> f64 {
    10.929 * (percent - 2.15)
}

impl ItemDef {
    /// The value of a worked-out item (BMI) from a weight in kg and a height in cm, refused,
    /// naming the inputs to check, if it falls outside the item's plausible range.
    pub fn work_out_bmi(&self, weight_kg: f64, height_cm: f64) -> Result<Value, String> {
        let ItemKind::Computed(spec) = &self.kind else {
            return Err(format!("{} is not worked out from other items", self.label));
        };
        let text = bmi(weight_kg, height_cm);
        let quantity = read_quantity(&text).ok_or_else(|| format!("BMI {text} is not a number"))?;
        if !(spec.min..=spec.max).contains(&quantity.value) {
            return Err(format!(
                "the weight and height give a BMI of {text}, which is outside {}–{}: check the \
                 weight and height",
                spec.min, spec.max
            ));
        }
        Ok(Value::Quantity(quantity))
    }
}

/// BMI from a weight in kg and a height in cm, to one decimal place as it is recorded.
pub fn bmi(weight_kg: f64, height_cm: f64) -> String {
    let metres = height_cm / 100.0;
    format!("{:.1}", weight_kg / (metres * metres))
}

fn find_option<'o>(
    options: &'o [OptionDef],
    chosen: &str,
    label: &str,
) -> Result<&'o OptionDef, EntryError> {
    let chosen = chosen.trim();
    if chosen.is_empty() {
        return Err(EntryError::new(format!("choose an answer for {label}")));
    }
    options
        .iter()
        .find(|o| o.id == chosen || o.label.eq_ignore_ascii_case(chosen))
        .ok_or_else(|| EntryError::new(format!("'{chosen}' is not one of the choices for {label}")))
}

fn option_label(options: &[OptionDef], id: &str) -> String {
    options.iter().find(|o| o.id == id).map(|o| o.label.clone()).unwrap_or_else(|| id.to_string())
}

fn parse_whole(text: &str, half: &BpHalf, label: &str, which: &str) -> Result<u16, EntryError> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let value: u16 = text.parse().ok().filter(|_| digits).ok_or(()).map_err(|_| {
        EntryError::new(format!("{label}: the {which} '{text}' is not a whole number"))
    })?;
    if !(half.min..=half.max).contains(&f64::from(value)) {
        return Err(EntryError::new(format!(
            "{label}: a {which} of {value} mmHg is outside {}–{}; check the reading",
            half.min, half.max
        )));
    }
    Ok(value)
}

/// Reads a number as written: digits with at most `decimals` places after a point, and a
/// leading `<` or `>`. A comma, a second point or letters are refused, not guessed at.
fn parse_number(text: &str, decimals: u8, label: &str) -> Result<Quantity, String> {
    let (comparator, digits) = match text.as_bytes().first() {
        Some(b'<') => (Some(Comparator::Below), text[1..].trim_start()),
        Some(b'>') => (Some(Comparator::Above), text[1..].trim_start()),
        _ => (None, text),
    };
    if digits.contains(',') {
        return Err(format!("{label}: '{text}' has a comma; use a point for decimals"));
    }
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let well_formed = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(digits.ends_with('.'));
    if !well_formed {
        return Err(format!("{label}: '{text}' is not a number"));
    }
    if fraction.len() > decimals as usize {
        let places = match decimals {
            0 => "whole numbers".to_string(),
            1 => "1 decimal place".to_string(),
            n => format!("{n} decimal places"),
        };
        return Err(format!(
            "{label}: '{text}' has more decimal places than {label} is recorded to ({places}); \
             it is not rounded for you"
        ));
    }
    let value: f64 = digits.parse().map_err(|_| format!("{label}: '{text}' is not a number"))?;
    let text = match comparator {
        Some(c) => format!("{}{digits}", c.symbol()),
        None => digits.to_string(),
    };
    Ok(Quantity { text, value, comparator })
}

fn read_quantity(text: &str) -> Option<Quantity> {
    let (comparator, digits) = match text.as_bytes().first()? {
        b'<' => (Some(Comparator::Below), &text[1..]),
        b'>' => (Some(Comparator::Above), &text[1..]),
        _ => (None, text),
    };
    Some(Quantity { text: text.to_string(), value: digits.parse().ok()?, comparator })
}

fn check_range(quantity: &Quantity, spec: &NumberSpec, label: &str) -> Result<(), String> {
    check_bounds(quantity, spec.min, spec.max, &spec.unit.display, label)
}

fn check_bounds(
    quantity: &Quantity,
    min: f64,
    max: f64,
    unit: &str,
    label: &str,
) -> Result<(), String> {
    if (min..=max).contains(&quantity.value) {
        return Ok(());
    }
    let unit = if unit.starts_with("in the") { String::new() } else { format!(" {unit}") };
    Err(format!(
        "{label} {}{unit} is outside the plausible range {min}–{max}{unit}: probably a typing \
         error; check the value",
        quantity.text
    ))
}

// ---- reading items.json ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemsFile {
    #[allow(dead_code)]
    about: String,
    groups: Vec<GroupFile>,
    items: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    id: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemFile {
    id: String,
    label: String,
    plain_name: String,
    group: String,
    theme: String,
    kind: String,
    snomed: String,
    code_source: String,
    #[serde(default)]
    loinc: Option<String>,
    lab: bool,
    explanation: String,
    #[serde(default)]
    import_codes: Vec<String>,
    #[serde(default)]
    valid_for_months: Option<u32>,
    #[serde(default)]
    unit: Option<UnitFile>,
    #[serde(default)]
    range: Option<RangeFile>,
    #[serde(default)]
    decimals: Option<u8>,
    #[serde(default)]
    other_units: Vec<OtherUnitFile>,
    #[serde(default)]
    refused_units: Vec<RefusedUnitFile>,
    #[serde(default)]
    typing_hint: Option<TypingHintFile>,
    #[serde(default)]
    systolic: Option<HalfFile>,
    #[serde(default)]
    diastolic: Option<HalfFile>,
    #[serde(default)]
    formula: Option<String>,
    #[serde(default)]
    from: Vec<String>,
    #[serde(default)]
    options: Vec<OptionFile>,
    #[serde(default)]
    questions: Vec<QuestionFile>,
    #[serde(default)]
    bands: Vec<BandFile>,
    #[serde(default)]
    follow_up: Option<FollowUpFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitFile {
    display: String,
    ucum: String,
    #[serde(default)]
    also: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeFile {
    min: f64,
    max: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OtherUnitFile {
    display: String,
    ucum: String,
    divide_by: f64,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefusedUnitFile {
    unit: String,
    message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypingHintFile {
    below: f64,
    means: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HalfFile {
    snomed: String,
    #[serde(default)]
    import_codes: Vec<String>,
    #[serde(default)]
    loinc: Option<String>,
    range: RangeFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionFile {
    id: String,
    label: String,
    #[serde(default)]
    snomed: Option<String>,
    #[serde(default)]
    score: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    id: String,
    text: String,
    options: Vec<AnswerFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerFile {
    label: String,
    score: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BandFile {
    from: i32,
    to: i32,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowUpFile {
    item: String,
    when_score_at_least: i32,
}

const THEMES: [&str; 12] = [
    "blood-sugar",
    "blood-pressure",
    "cholesterol",
    "kidneys",
    "weight",
    "breathing",
    "heart",
    "feet-and-eyes",
    "lifestyle",
    "mood",
    "getting-about",
    "medicines",
];

impl ItemDef {
    fn from_file(file: ItemFile, groups: &[(String, String)]) -> Result<ItemDef, String> {
        let id_ok = !file.id.is_empty()
            && file.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err("the id must be lower-case letters, digits and hyphens".into());
        }
        for (field, value) in [
            ("label", &file.label),
            ("plain_name", &file.plain_name),
            ("explanation", &file.explanation),
            ("code_source", &file.code_source),
        ] {
            if value.trim().is_empty() {
                return Err(format!("{field} is empty"));
            }
        }
        if !groups.iter().any(|(id, _)| id == &file.group) {
            return Err(format!("group '{}' is not one of the groups", file.group));
        }
        if !THEMES.contains(&file.theme.as_str()) {
            return Err(format!("theme '{}' is not one of {}", file.theme, THEMES.join(", ")));
        }
        let snomed = SnomedCode::parse(&file.snomed).map_err(|e| e.to_string())?;
        let number_spec = |file: &ItemFile| -> Result<NumberSpec, String> {
            let unit = file.unit.as_ref().ok_or("needs a unit")?;
            let range = file.range.as_ref().ok_or("needs a range (min and max)")?;
            if range.min > range.max {
                return Err("the range's min is above its max".into());
            }
            let decimals = file.decimals.ok_or("needs decimals")?;
            let dcct_below = match &file.typing_hint {
                None => None,
                Some(hint) if hint.means == "dcct-percent" => Some(hint.below),
                Some(hint) => {
                    return Err(format!("typing_hint means '{}', which is not known", hint.means))
                }
            };
            Ok(NumberSpec {
                unit: unit_from(unit)?,
                min: range.min,
                max: range.max,
                decimals,
                other_units: file
                    .other_units
                    .iter()
                    .map(|o| {
                        if o.divide_by <= 0.0 || o.note.trim().is_empty() {
                            return Err(format!(
                                "the conversion from {} needs a positive divide_by and a note",
                                o.display
                            ));
                        }
                        Ok(OtherUnit {
                            unit: Unit {
                                display: o.display.clone(),
                                ucum: o.ucum.clone(),
                                also: vec![],
                            },
                            divide_by: o.divide_by,
                            note: o.note.clone(),
                        })
                    })
                    .collect::<Result<_, _>>()?,
                refused_units: file
                    .refused_units
                    .iter()
                    .map(|r| (r.unit.clone(), r.message.clone()))
                    .collect(),
                dcct_below,
            })
        };
        let kind = match file.kind.as_str() {
            "number" => ItemKind::Number(number_spec(&file)?),
            "computed" => {
                if file.formula.as_deref() != Some("bmi") || file.from != ["weight", "height"] {
                    return Err(
                        "a computed item must be formula 'bmi' from weight and height".into()
                    );
                }
                ItemKind::Computed(number_spec(&file)?)
            }
            "blood-pressure" => {
                let unit = unit_from(file.unit.as_ref().ok_or("needs a unit")?)?;
                let half = |half: &Option<HalfFile>, name: &str| -> Result<BpHalf, String> {
                    let half = half.as_ref().ok_or_else(|| format!("needs {name}"))?;
                    Ok(BpHalf {
                        snomed: SnomedCode::parse(&half.snomed).map_err(|e| e.to_string())?,
                        loinc: half.loinc.clone(),
                        min: half.range.min,
                        max: half.range.max,
                    })
                };
                ItemKind::BloodPressure {
                    unit,
                    systolic: half(&file.systolic, "systolic")?,
                    diastolic: half(&file.diastolic, "diastolic")?,
                }
            }
            "choice" => {
                if file.options.len() < 2 {
                    return Err("a choice needs at least two options".into());
                }
                ItemKind::Choice(options_from(&file.options)?)
            }
            "yes-no" => ItemKind::YesNo,
            "date" => ItemKind::Date(options_from(&file.options)?),
            "questionnaire" => ItemKind::Questionnaire(questionnaire_from(&file)?),
            "text" => ItemKind::Text,
            other => return Err(format!("kind '{other}' is not known")),
        };
        let mut item = ItemDef {
            id: file.id,
            label: file.label,
            plain_name: file.plain_name,
            group: file.group,
            theme: file.theme,
            kind,
            snomed,
            code_source: file.code_source,
            loinc: file.loinc,
            lab: file.lab,
            explanation: file.explanation,
            valid_for_months: file.valid_for_months,
            extra_codes: Vec::new(),
        };
        item.check_import_codes(&file.import_codes, file.systolic, file.diastolic)?;
        Ok(item)
    }

    /// Further codes are kept only as lookup keys: checked here, stored by `Measures`.
    fn check_import_codes(
        &mut self,
        codes: &[String],
        systolic: Option<HalfFile>,
        diastolic: Option<HalfFile>,
    ) -> Result<(), String> {
        let mut all = Vec::new();
        for code in codes {
            all.push((SnomedCode::parse(code).map_err(|e| e.to_string())?, Part::Whole));
        }
        for (half, part) in [(systolic, Part::Systolic), (diastolic, Part::Diastolic)] {
            for code in half.map(|h| h.import_codes).unwrap_or_default() {
                all.push((SnomedCode::parse(&code).map_err(|e| e.to_string())?, part));
            }
        }
        self.extra_codes = all;
        Ok(())
    }
}

fn unit_from(file: &UnitFile) -> Result<Unit, String> {
    if file.display.trim().is_empty() || file.ucum.trim().is_empty() {
        return Err("a unit needs a display and a UCUM form".into());
    }
    Ok(Unit { display: file.display.clone(), ucum: file.ucum.clone(), also: file.also.clone() })
}

fn options_from(files: &[OptionFile]) -> Result<Vec<OptionDef>, String> {
    let mut options: Vec<OptionDef> = Vec::new();
    for file in files {
        if file.id.trim().is_empty() || file.label.trim().is_empty() {
            return Err("every option needs an id and a label".into());
        }
        if options.iter().any(|o| o.id == file.id) {
            return Err(format!("option '{}' is listed twice", file.id));
        }
        let snomed = file
            .snomed
            .as_deref()
            .map(SnomedCode::parse)
            .transpose()
            .map_err(|e| format!("option '{}': {e}", file.id))?;
        options.push(OptionDef {
            id: file.id.clone(),
            label: file.label.clone(),
            snomed,
            score: file.score,
        });
    }
    Ok(options)
}

fn questionnaire_from(file: &ItemFile) -> Result<Questionnaire, String> {
    if file.questions.is_empty() {
        return Err("a questionnaire needs questions".into());
    }
    let questions: Vec<Question> = file
        .questions
        .iter()
        .map(|q| {
            if q.options.len() < 2 {
                return Err(format!("question '{}' needs at least two answers", q.id));
            }
            Ok(Question {
                id: q.id.clone(),
                text: q.text.clone(),
                options: q.options.iter().map(|a| (a.label.clone(), a.score)).collect(),
            })
        })
        .collect::<Result<_, _>>()?;
    let questionnaire = Questionnaire {
        questions,
        bands: file.bands.iter().map(|b| (b.from, b.to, b.label.clone())).collect(),
        follow_up: file.follow_up.as_ref().map(|f| (f.item.clone(), f.when_score_at_least)),
    };
    let (low, high) = questionnaire.score_range();
    for score in low..=high {
        let bands = questionnaire.bands.iter().filter(|(f, t, _)| (*f..=*t).contains(&score));
        match bands.count() {
            1 => {}
            0 => return Err(format!("no band covers the score {score}")),
            _ => return Err(format!("more than one band covers the score {score}")),
        }
    }
    Ok(questionnaire)
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Whole => "whole",
            Part::Systolic => "systolic",
            Part::Diastolic => "diastolic",
        })
    }
}

#[cfg(test)]
pub(crate) mod tests;
