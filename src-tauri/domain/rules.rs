//! Triage rules: the thresholds of `assets/rules/`, checked against the catalogue when they are
//! read, and evaluated against one result at a time. No threshold lives in this code: a rule
//! says which item it reads, who it applies to, what it compares and how urgent a match is.
//!
//! Red rules are always evaluated and never relaxed. Amber rules are the practice's targets:
//! for each result at most one applies (the one with the highest `precedence` whose population
//! matches), and a personal target set for the person replaces its thresholds.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{Months, NaiveDate};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::catalogue::FrailtyGrade;
use super::measures::{ItemDef, ItemKind, Measures, Value};
use super::person::{age_on, format_date};

#[cfg(test)]
mod tests;

/// A number exactly as written: compared and multiplied without rounding, so a threshold
/// written 6.0 and a result written 6.0 are equal.
#[derive(Clone, Copy, Debug)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

impl Decimal {
    /// "5.5", "-3", "140"; no exponents, no spaces.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || (digits.contains('.') && fraction.is_empty())
            || whole.len() + fraction.len() > 30
        {
            return None;
        }
        let mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
        Some(Decimal {
            mantissa: if negative { -mantissa } else { mantissa },
            scale: fraction.len() as u32,
        })
    }

    pub fn from_int(value: i64) -> Decimal {
        Decimal { mantissa: i128::from(value), scale: 0 }
    }

    fn rescaled(self, scale: u32) -> i128 {
        self.mantissa * 10i128.pow(scale - self.scale)
    }

    fn sub(self, other: Decimal) -> Decimal {
        let scale = self.scale.max(other.scale);
        Decimal { mantissa: self.rescaled(scale) - other.rescaled(scale), scale }
    }

    fn mul(self, other: Decimal) -> Decimal {
        Decimal { mantissa: self.mantissa * other.mantissa, scale: self.scale + other.scale }
    }

    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let scale = self.scale.max(other.scale);
        self.rescaled(scale).cmp(&other.rescaled(scale))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{whole}.{fraction}")
    }
}

/// How a result is compared with a threshold.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    Above,
    AtLeast,
    Below,
    AtMost,
    Equal,
}

impl Op {
    fn parse(text: &str) -> Option<Op> {
        Some(match text {
            ">" => Op::Above,
            ">=" => Op::AtLeast,
            "<" => Op::Below,
            "<=" => Op::AtMost,
            "=" => Op::Equal,
            _ => return None,
        })
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Above => ">",
            Op::AtLeast => "≥",
            Op::Below => "<",
            Op::AtMost => "≤",
            Op::Equal => "=",
        }
    }

    fn holds(self, value: Decimal, threshold: Decimal) -> bool {
        match self {
            Op::Above => value > threshold,
            Op::AtLeast => value >= threshold,
            Op::Below => value < threshold,
            Op::AtMost => value <= threshold,
            Op::Equal => value == threshold,
        }
    }

    /// Whether some number in the open interval (`low`, `high`) satisfies the comparison; a
    /// missing bound is unbounded.
    fn holds_somewhere(self, low: Option<Decimal>, high: Option<Decimal>, t: Decimal) -> bool {
        match self {
            Op::Above | Op::AtLeast => high.is_none_or(|h| h > t),
            Op::Below | Op::AtMost => low.is_none_or(|l| l < t),
            Op::Equal => low.is_none_or(|l| l < t) && high.is_none_or(|h| h > t),
        }
    }

    /// The words for the range that does not match: the target shown beside a result.
    fn target_words(self, threshold: &str) -> Option<String> {
        Some(match self {
            Op::Above => format!("{threshold} or below"),
            Op::AtLeast => format!("below {threshold}"),
            Op::Below => format!("{threshold} or above"),
            Op::AtMost => format!("above {threshold}"),
            Op::Equal => return None,
        })
    }
}

/// How urgent a match is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum Severity {
    /// Not on target: talk about it in the conversation.
    Amber,
    /// Act before the preparation pack is sent.
    Red,
}

impl Severity {
    pub fn code(self) -> &'static str {
        match self {
            Severity::Red => "red",
            Severity::Amber => "amber",
        }
    }
}

/// What a condition of a rule looks at.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Operand {
    /// The number of a measurement.
    Value,
    Systolic,
    Diastolic,
    /// A questionnaire's total, or the score of the chosen option.
    Score,
    /// The score of the answer to one question of a questionnaire, by position.
    Answer {
        question: String,
        index: usize,
    },
    /// The fall from the person's previous result of the same item taken within the months
    /// given, as a percentage of that previous result.
    FallPercent {
        within_months: u32,
    },
}

impl Operand {
    fn code(&self) -> String {
        match self {
            Operand::Value => "value".into(),
            Operand::Systolic => "systolic".into(),
            Operand::Diastolic => "diastolic".into(),
            Operand::Score => "score".into(),
            Operand::Answer { question, .. } => format!("answer {question}"),
            Operand::FallPercent { .. } => "fall-percent".into(),
        }
    }

    fn is_quantity(&self) -> bool {
        matches!(self, Operand::Value | Operand::Systolic | Operand::Diastolic)
    }
}

/// One comparison of a rule.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Condition {
    Compare {
        of: Operand,
        op: Op,
        threshold: Decimal,
    },
    /// The chosen option (or a dated item's result) is one of these.
    OptionIn(Vec<String>),
}

/// Whether any or all of a rule's conditions must hold.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Match {
    Any,
    All,
}

/// Who a rule applies to.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Population {
    /// Age in whole years on the day the result was taken: at least `age_from`, below
    /// `age_below`.
    pub age_from: Option<u32>,
    pub age_below: Option<u32>,
    /// Any one of these conditions (catalogue ids); empty means everyone.
    pub conditions: Vec<String>,
    /// The frailty grades it applies to (`None` is no frailty recorded); empty means everyone.
    pub frailty: Vec<Option<FrailtyGrade>>,
    /// Another result the person must have: the latest of `item` taken in the months before
    /// (and on) the day of the result the rule reads.
    pub with_result: Option<WithResult>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct WithResult {
    pub item: String,
    pub of: Operand,
    pub op: Op,
    pub threshold: Decimal,
    pub within_months: u32,
}

/// One rule of the table.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    /// The file it came from, for messages.
    pub file: String,
    pub reads: Vec<String>,
    pub population: Population,
    pub matching: Match,
    pub conditions: Vec<Condition>,
    /// The UCUM unit of the thresholds, when they are measurements.
    pub unit: Option<String>,
    pub severity: Severity,
    pub precedence: i32,
    pub rationale: String,
    pub meaning: String,
    /// For an amber target: what the preparation pack says when the result is within it.
    pub meaning_within: Option<String>,
    pub source: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl Rule {
    /// The thresholds a practice may change, in the order the conditions are written.
    pub fn thresholds(&self) -> Vec<(String, Op, Decimal)> {
        self.conditions
            .iter()
            .filter_map(|c| match c {
                Condition::Compare { of, op, threshold } => Some((of.code(), *op, *threshold)),
                Condition::OptionIn(_) => None,
            })
            .collect()
    }

    fn applies_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day <= to)
    }

    /// The rule in words: "systolic ≥ 180 or diastolic ≥ 120 mm[Hg]".
    pub fn describe(&self, measures: &Measures) -> String {
        let joiner = if self.matching == Match::Any { " or " } else { " and " };
        let item = self.reads.first().and_then(|id| measures.item(id));
        let unit = item.and_then(|i| i.unit()).map(|u| u.display.clone());
        self.conditions
            .iter()
            .map(|c| match c {
                Condition::Compare { of, op, threshold } => {
                    let unit = match of {
                        Operand::FallPercent { .. } => Some("%".to_string()),
                        o if o.is_quantity() => unit.clone(),
                        _ => None,
                    };
                    let name = match of {
                        Operand::Value => String::new(),
                        Operand::FallPercent { within_months } => {
                            format!("fall since a result in the previous {within_months} months ")
                        }
                        other => format!("{} ", other.code()),
                    };
                    let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
                    format!("{name}{} {threshold}{unit}", op.symbol())
                }
                Condition::OptionIn(options) => {
                    let labels: Vec<String> = options
                        .iter()
                        .map(|o| {
                            item.and_then(|i| i.options().iter().find(|d| &d.id == o))
                                .map(|d| d.label.clone())
                                .unwrap_or_else(|| o.clone())
                        })
                        .collect();
                    labels.join(" or ")
                }
            })
            .collect::<Vec<_>>()
            .join(joiner)
    }
}

/// A refusal naming the file and the rule.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("{file}: rule {rule}: {message}")]
pub struct RuleError {
    pub file: String,
    pub rule: String,
    pub message: String,
}

/// One file of the table, as listed in Settings.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RuleFile {
    pub name: String,
    pub area: String,
    pub version: String,
}

/// The whole table, checked.
#[derive(Clone, Debug)]
pub struct RuleSet {
    files: Vec<RuleFile>,
    rules: Vec<Rule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    area: String,
    version: String,
    rules: Vec<Box<RawValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    title: String,
    reads: Vec<String>,
    #[serde(default)]
    population: RawPopulation,
    when: RawWhen,
    #[serde(default)]
    unit: Option<String>,
    severity: String,
    #[serde(default)]
    precedence: i32,
    rationale: String,
    meaning: String,
    #[serde(default)]
    meaning_within: Option<String>,
    source: String,
    valid_from: String,
    valid_to: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPopulation {
    age_from: Option<u32>,
    age_below: Option<u32>,
    #[serde(default)]
    conditions: Vec<String>,
    #[serde(default)]
    frailty: Vec<String>,
    with_result: Option<RawWithResult>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWithResult {
    item: String,
    #[serde(default = "value_operand")]
    of: String,
    op: String,
    threshold: Box<RawValue>,
    within_months: u32,
}

fn value_operand() -> String {
    "value".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWhen {
    any: Option<Vec<RawCondition>>,
    all: Option<Vec<RawCondition>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    of: String,
    op: Option<String>,
    threshold: Option<Box<RawValue>>,
    question: Option<String>,
    within_months: Option<u32>,
    #[serde(rename = "in")]
    options: Option<Vec<String>>,
}

impl RuleSet {
    /// Reads and checks every rule file against the catalogue: known items, operands that
    /// fit the item, units that are the item's, options it has, conditions that exist,
    /// unique ids, dates, and no two amber targets that could apply to the same result.
    pub fn from_files(
        files: &[(&str, &str)],
        measures: &Measures,
        condition_ids: &[&str],
    ) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet { files: Vec::new(), rules: Vec::new() };
        let mut seen = HashSet::new();
        for (name, text) in files {
            let file_error = |message: String| RuleError {
                file: name.to_string(),
                rule: "(file)".to_string(),
                message,
            };
            let raw: RawFile = serde_json::from_str(text)
                .map_err(|e| file_error(format!("not a valid rule file: {e}")))?;
            if raw.version.trim().is_empty() || raw.area.trim().is_empty() {
                return Err(file_error("needs an area and a version".into()));
            }
            set.files.push(RuleFile {
                name: name.to_string(),
                area: raw.area.clone(),
                version: raw.version.clone(),
            });
            for (index, text) in raw.rules.iter().enumerate() {
                let value: serde_json::Value =
                    serde_json::from_str(text.get()).unwrap_or(serde_json::Value::Null);
                let id = value
                    .get("id")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("number {}", index + 1));
                let fail = |message: String| RuleError {
                    file: name.to_string(),
                    rule: id.clone(),
                    message,
                };
                let raw: RawRule = serde_json::from_str(text.get())
                    .map_err(|e| fail(format!("not a valid rule: {e}")))?;
                let rule = check_rule(raw, name, measures, condition_ids).map_err(fail)?;
                if !seen.insert(rule.id.clone()) {
                    return Err(RuleError {
                        file: name.to_string(),
                        rule: rule.id,
                        message: "this id is used by another rule".into(),
                    });
                }
                set.rules.push(rule);
            }
        }
        set.check_targets_do_not_overlap()?;
        Ok(set)
    }

    pub fn files(&self) -> &[RuleFile] {
        &self.files
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The practice target a personal target for `item` would replace: the first amber rule
    /// reading it that compares a number (a measurement or a score).
    pub fn personal_target_rule(&self, item: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| {
            r.severity == Severity::Amber
                && r.reads.iter().any(|i| i == item)
                && !target_thresholds(r).is_empty()
        })
    }

    /// Every item a personal target can be set for, in the table's order, each with an
    /// example written as the target would be ("58", "140/90").
    pub fn personal_target_items(&self) -> Vec<(&str, String)> {
        let mut items: Vec<(&str, String)> = Vec::new();
        for rule in &self.rules {
            for item in &rule.reads {
                if items.iter().any(|(i, _)| i == item) {
                    continue;
                }
                if let Some(rule) = self.personal_target_rule(item) {
                    let example: Vec<String> =
                        target_thresholds(rule).iter().map(Decimal::to_string).collect();
                    items.push((item.as_str(), example.join("/")));
                }
            }
        }
        items
    }

    /// The table with a practice's own thresholds in place of the shipped ones: for each rule
    /// changed, its thresholds in the order of `Rule::thresholds`.
    pub fn with_thresholds(&self, changes: &[(String, Vec<Decimal>)]) -> Result<RuleSet, String> {
        let mut set = self.clone();
        for (id, thresholds) in changes {
            let rule = set
                .rules
                .iter_mut()
                .find(|r| &r.id == id)
                .ok_or_else(|| format!("there is no rule {id} in the table any more"))?;
            set_thresholds(rule, thresholds)?;
        }
        Ok(set)
    }

    /// Two amber rules on the same item with the same precedence must never both apply, or
    /// the target shown would depend on the order of the files.
    fn check_targets_do_not_overlap(&self) -> Result<(), RuleError> {
        let amber: Vec<&Rule> =
            self.rules.iter().filter(|r| r.severity == Severity::Amber).collect();
        for (i, a) in amber.iter().enumerate() {
            for b in &amber[i + 1..] {
                let shared = a.reads.iter().any(|item| b.reads.contains(item));
                if shared && a.precedence == b.precedence && populations_may_overlap(a, b) {
                    return Err(RuleError {
                        file: b.file.clone(),
                        rule: b.id.clone(),
                        message: format!(
                            "could apply to the same result as rule {} ({}); give one a higher \
                             precedence or make their ages, frailty or dates not overlap",
                            a.id, a.file
                        ),
                    });
                }
            }
        }
        Ok(())
    }
}

/// The thresholds of a rule a personal target can replace: those on a measurement or a score.
fn target_thresholds(rule: &Rule) -> Vec<Decimal> {
    rule.conditions
        .iter()
        .filter_map(|c| match c {
            Condition::Compare { of, threshold, .. }
                if of.is_quantity() || *of == Operand::Score =>
            {
                Some(*threshold)
            }
            _ => None,
        })
        .collect()
}

fn set_thresholds(rule: &mut Rule, thresholds: &[Decimal]) -> Result<(), String> {
    let count = rule.thresholds().len();
    if thresholds.len() != count {
        return Err(format!(
            "rule {} has {count} threshold(s), but {} were given",
            rule.id,
            thresholds.len()
        ));
    }
    let mut given = thresholds.iter();
    for condition in &mut rule.conditions {
        if let Condition::Compare { threshold, .. } = condition {
            *threshold = *given.next().expect("counted above");
        }
    }
    Ok(())
}

fn populations_may_overlap(a: &Rule, b: &Rule) -> bool {
    let (pa, pb) = (&a.population, &b.population);
    let from = pa.age_from.unwrap_or(0).max(pb.age_from.unwrap_or(0));
    let below = pa.age_below.unwrap_or(u32::MAX).min(pb.age_below.unwrap_or(u32::MAX));
    if from >= below {
        return false;
    }
    if !pa.frailty.is_empty()
        && !pb.frailty.is_empty()
        && !pa.frailty.iter().any(|f| pb.frailty.contains(f))
    {
        return false;
    }
    let start = a.valid_from.max(b.valid_from);
    let end = match (a.valid_to, b.valid_to) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    end.is_none_or(|end| start <= end)
}

fn check_rule(
    raw: RawRule,
    file: &str,
    measures: &Measures,
    condition_ids: &[&str],
) -> Result<Rule, String> {
    let id = raw.id.trim();
    if id.is_empty()
        || !id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("the id must be lower-case letters, digits and hyphens".into());
    }
    for (field, text) in [
        ("title", &raw.title),
        ("rationale", &raw.rationale),
        ("meaning", &raw.meaning),
        ("source", &raw.source),
    ] {
        if text.trim().is_empty() {
            return Err(format!("the {field} is empty"));
        }
    }
    if raw.reads.is_empty() {
        return Err("reads no item".into());
    }
    let items: Vec<&ItemDef> = raw
        .reads
        .iter()
        .map(|id| {
            measures
                .item(id)
                .ok_or_else(|| format!("reads item '{id}', which the catalogue does not have"))
        })
        .collect::<Result<_, _>>()?;
    let severity = match raw.severity.as_str() {
        "red" => Severity::Red,
        "amber" => Severity::Amber,
        other => return Err(format!("severity '{other}' is not 'red' or 'amber'")),
    };
    let date = |text: &str, field: &str| {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map_err(|_| format!("{field} '{text}' is not a date written YYYY-MM-DD"))
    };
    let valid_from = date(&raw.valid_from, "valid_from")?;
    let valid_to = raw.valid_to.as_deref().map(|t| date(t, "valid_to")).transpose()?;
    if valid_to.is_some_and(|to| to < valid_from) {
        return Err("valid_to is before valid_from".into());
    }
    let (matching, raw_conditions) = match (raw.when.any, raw.when.all) {
        (Some(c), None) => (Match::Any, c),
        (None, Some(c)) => (Match::All, c),
        _ => return Err("'when' needs exactly one of 'any' or 'all'".into()),
    };
    if raw_conditions.is_empty() {
        return Err("'when' has no conditions".into());
    }
    let mut conditions = Vec::new();
    for raw in raw_conditions {
        let mut parsed = None;
        for item in &items {
            let condition = check_condition(&raw, item)?;
            if parsed.as_ref().is_some_and(|p| *p != condition) {
                return Err("reads items whose questions differ".into());
            }
            parsed = Some(condition);
        }
        conditions.push(parsed.expect("at least one item"));
    }
    let has_quantity =
        conditions.iter().any(|c| matches!(c, Condition::Compare { of, .. } if of.is_quantity()));
    match (&raw.unit, has_quantity) {
        (Some(unit), true) => {
            for item in &items {
                let ucum = item.unit().map(|u| u.ucum.as_str()).unwrap_or("");
                if unit != ucum {
                    return Err(format!(
                        "the unit '{unit}' is not the unit of {} ('{ucum}'): thresholds must be \
                         in the item's own unit",
                        item.id()
                    ));
                }
            }
        }
        (None, true) => return Err("compares a measurement, so it needs its 'unit'".into()),
        (Some(unit), false) => {
            return Err(format!("has a unit '{unit}' but compares no measurement"))
        }
        (None, false) => {}
    }
    let population = check_population(raw.population, measures, condition_ids)?;
    let meaning_within = match raw.meaning_within.map(|m| m.trim().to_string()) {
        None => None,
        Some(text) if text.is_empty() => return Err("the meaning_within is empty".into()),
        Some(_) if severity == Severity::Red => {
            return Err("a red rule has no meaning_within: only a target can be met".into())
        }
        Some(text) => Some(text),
    };
    Ok(Rule {
        id: id.to_string(),
        title: raw.title,
        file: file.to_string(),
        reads: raw.reads,
        population,
        matching,
        conditions,
        unit: raw.unit,
        severity,
        precedence: raw.precedence,
        rationale: raw.rationale,
        meaning: raw.meaning,
        meaning_within,
        source: raw.source,
        valid_from,
        valid_to,
    })
}

/// A threshold exactly as the file writes it: a plain number, never an exponent.
fn threshold_of(raw: &RawValue) -> Result<Decimal, String> {
    let text = raw.get().trim();
    Decimal::parse(text).ok_or_else(|| {
        format!("the threshold {text} must be written as a plain number, like 6 or 5.5")
    })
}

fn check_operand(
    of: &str,
    question: Option<&str>,
    within: Option<u32>,
    item: &ItemDef,
) -> Result<Operand, String> {
    let operand = match of {
        "value" => Operand::Value,
        "systolic" => Operand::Systolic,
        "diastolic" => Operand::Diastolic,
        "score" => Operand::Score,
        "answer" => {
            let question = question.ok_or("an 'answer' condition needs its 'question'")?;
            let ItemKind::Questionnaire(q) = item.kind() else {
                return Err(format!("{} is not a questionnaire", item.id()));
            };
            let index = q
                .questions
                .iter()
                .position(|x| x.id == question)
                .ok_or_else(|| format!("{} has no question '{question}'", item.id()))?;
            Operand::Answer { question: question.to_string(), index }
        }
        "fall-percent" => Operand::FallPercent {
            within_months: within.ok_or("a 'fall-percent' condition needs 'within_months'")?,
        },
        other => return Err(format!("'{other}' is not something a rule can compare")),
    };
    let fits = match (&operand, item.kind()) {
        (
            Operand::Value | Operand::FallPercent { .. },
            ItemKind::Number(_) | ItemKind::Computed(_),
        ) => true,
        (Operand::Systolic | Operand::Diastolic, ItemKind::BloodPressure { .. }) => true,
        (Operand::Score, ItemKind::Questionnaire(_)) => true,
        (Operand::Score, ItemKind::Choice(options)) => options.iter().all(|o| o.score.is_some()),
        (Operand::Answer { .. }, ItemKind::Questionnaire(_)) => true,
        _ => false,
    };
    if !fits {
        return Err(format!("{} has no {} to compare", item.id(), operand.code()));
    }
    if question.is_some() && !matches!(operand, Operand::Answer { .. }) {
        return Err("'question' belongs only to an 'answer' condition".into());
    }
    if within.is_some() && !matches!(operand, Operand::FallPercent { .. }) {
        return Err("'within_months' belongs only to a 'fall-percent' condition".into());
    }
    Ok(operand)
}

fn check_condition(raw: &RawCondition, item: &ItemDef) -> Result<Condition, String> {
    if raw.of == "option" {
        let options = raw.options.clone().ok_or("an 'option' condition needs 'in'")?;
        if raw.op.is_some() || raw.threshold.is_some() {
            return Err("an 'option' condition has 'in', not 'op' or 'threshold'".into());
        }
        let known = item.options();
        if known.is_empty() {
            return Err(format!("{} has no options", item.id()));
        }
        for option in &options {
            if !known.iter().any(|o| &o.id == option) {
                return Err(format!("{} has no option '{option}'", item.id()));
            }
        }
        if options.is_empty() {
            return Err("'in' lists no options".into());
        }
        return Ok(Condition::OptionIn(options));
    }
    if raw.options.is_some() {
        return Err("'in' belongs only to an 'option' condition".into());
    }
    let of = check_operand(&raw.of, raw.question.as_deref(), raw.within_months, item)?;
    let op_text = raw.op.as_deref().ok_or("the condition needs an 'op'")?;
    let op =
        Op::parse(op_text).ok_or_else(|| format!("'{op_text}' is not one of >, >=, <, <=, ="))?;
    let threshold =
        threshold_of(raw.threshold.as_ref().ok_or("the condition needs a 'threshold'")?)?;
    Ok(Condition::Compare { of, op, threshold })
}

fn check_population(
    raw: RawPopulation,
    measures: &Measures,
    condition_ids: &[&str],
) -> Result<Population, String> {
    if let (Some(from), Some(below)) = (raw.age_from, raw.age_below) {
        if from >= below {
            return Err(format!("no age is at least {from} and below {below}"));
        }
    }
    for condition in &raw.conditions {
        if !condition_ids.contains(&condition.as_str()) {
            return Err(format!("population condition '{condition}' is not in the catalogue"));
        }
    }
    let frailty = raw
        .frailty
        .iter()
        .map(|f| match f.as_str() {
            "none" => Ok(None),
            "mild" => Ok(Some(FrailtyGrade::Mild)),
            "moderate" => Ok(Some(FrailtyGrade::Moderate)),
            "severe" => Ok(Some(FrailtyGrade::Severe)),
            other => Err(format!("frailty '{other}' is not none, mild, moderate or severe")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let with_result = match raw.with_result {
        None => None,
        Some(w) => {
            let item = measures.item(&w.item).ok_or_else(|| {
                format!("population reads item '{}', which the catalogue does not have", w.item)
            })?;
            let of = check_operand(&w.of, None, None, item)?;
            if matches!(of, Operand::FallPercent { .. }) {
                return Err("a population cannot depend on a fall".into());
            }
            let op = Op::parse(&w.op)
                .ok_or_else(|| format!("'{}' is not one of >, >=, <, <=, =", w.op))?;
            Some(WithResult {
                item: w.item,
                of,
                op,
                threshold: threshold_of(&w.threshold)?,
                within_months: w.within_months,
            })
        }
    };
    Ok(Population {
        age_from: raw.age_from,
        age_below: raw.age_below,
        conditions: raw.conditions,
        frailty,
        with_result,
    })
}

/// What the rules need to know about a person.
#[derive(Clone, Debug)]
pub struct PersonFacts {
    pub date_of_birth: NaiveDate,
    /// Catalogue ids of the person's conditions.
    pub conditions: Vec<String>,
    pub frailty: Option<FrailtyGrade>,
}

/// One current result of a person.
#[derive(Clone, Copy, Debug)]
pub struct Reading<'a> {
    pub observation: i64,
    pub item: &'a ItemDef,
    pub taken_on: NaiveDate,
    pub value: &'a Value,
}

/// A target a clinician agreed for one person and one item: new thresholds for the practice's
/// target rule, in the same places ("64" for HbA1c, 150 and 90 for a blood pressure).
#[derive(Clone, PartialEq, Debug)]
pub struct PersonalTarget {
    pub item: String,
    /// The text as entered: "64", "150/90".
    pub text: String,
    values: Vec<(Operand, Decimal)>,
    pub reason: String,
    pub set_by: String,
    pub set_on: NaiveDate,
}

impl PersonalTarget {
    /// Checks a target typed for `item`: a number in the item's unit (two for a blood
    /// pressure), within the item's plausible range, for an item the practice has a target
    /// for, and never where a red rule would fire.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        rules: &RuleSet,
        item: &ItemDef,
        text: &str,
        reason: &str,
        set_by: &str,
        set_on: NaiveDate,
    ) -> Result<PersonalTarget, String> {
        let text = text.trim();
        if reason.trim().is_empty() {
            return Err("say why this person has their own target".into());
        }
        if rules.personal_target_rule(item.id()).is_none() {
            return Err(format!(
                "{} has no practice target to replace, so it cannot have a personal one",
                item.label()
            ));
        }
        let number = |part: &str, what: &str| -> Result<Decimal, String> {
            Decimal::parse(part.trim()).ok_or_else(|| {
                format!(
                    "the personal target for {} needs {what}, like the practice's",
                    item.label()
                )
            })
        };
        let values = match item.kind() {
            ItemKind::BloodPressure { .. } => {
                let (s, d) = text.split_once('/').ok_or_else(|| {
                    format!(
                        "write the personal target for {} as systolic/diastolic, e.g. 150/90",
                        item.label()
                    )
                })?;
                vec![
                    (Operand::Systolic, number(s, "a systolic and a diastolic")?),
                    (Operand::Diastolic, number(d, "a systolic and a diastolic")?),
                ]
            }
            ItemKind::Number(_) | ItemKind::Computed(_) => {
                vec![(Operand::Value, number(text, "a number")?)]
            }
            ItemKind::Questionnaire(_) | ItemKind::Choice(_) => {
                vec![(Operand::Score, number(text, "a score")?)]
            }
            _ => return Err(format!("{} cannot have a numeric target", item.label())),
        };
        // A target inside the plausible range of the item, checked as a typed value would be.
        let probe = match item.kind() {
            ItemKind::BloodPressure { .. } | ItemKind::Number(_) => {
                let entry = super::measures::Entry { value: text, option: None, answers: &[] };
                item.parse_entry(entry, set_on).map_err(|e| format!("personal target: {e}"))?;
                Some(
                    item.restore(text, None, "")
                        .ok_or("personal target: not a value of this item")?,
                )
            }
            _ => None,
        };
        let target = PersonalTarget {
            item: item.id().to_string(),
            text: text.to_string(),
            values,
            reason: reason.trim().to_string(),
            set_by: set_by.to_string(),
            set_on,
        };
        for rule in rules
            .rules
            .iter()
            .filter(|r| r.severity == Severity::Red && r.reads.iter().any(|i| i == item.id()))
        {
            let at_target = match &probe {
                Some(value) => {
                    let reading = Reading { observation: 0, item, taken_on: set_on, value };
                    rule.conditions.iter().any(|c| {
                        matches!(c, Condition::Compare { of, .. } if of.is_quantity())
                            && condition_holds(c, &reading, &[])
                    })
                }
                None => target.values.iter().any(|(of, t)| {
                    rule.conditions.iter().any(|c| matches!(c, Condition::Compare { of: o, op, threshold } if o == of && op.holds(*t, *threshold)))
                }),
            };
            if at_target {
                return Err(format!(
                    "a personal target of {text} would be where the red rule '{}' applies ({}): a \
                     personal target never relaxes a red rule",
                    rule.title, rule.id
                ));
            }
        }
        Ok(target)
    }

    /// Reads back a stored target; `None` if it no longer fits the item.
    pub fn restore(
        item: &ItemDef,
        text: &str,
        reason: &str,
        set_by: &str,
        set_on: NaiveDate,
    ) -> Option<PersonalTarget> {
        let values = match item.kind() {
            ItemKind::BloodPressure { .. } => {
                let (s, d) = text.split_once('/')?;
                vec![
                    (Operand::Systolic, Decimal::parse(s)?),
                    (Operand::Diastolic, Decimal::parse(d)?),
                ]
            }
            ItemKind::Number(_) | ItemKind::Computed(_) => {
                vec![(Operand::Value, Decimal::parse(text)?)]
            }
            ItemKind::Questionnaire(_) | ItemKind::Choice(_) => {
                vec![(Operand::Score, Decimal::parse(text)?)]
            }
            _ => return None,
        };
        Some(PersonalTarget {
            item: item.id().to_string(),
            text: text.to_string(),
            values,
            reason: reason.to_string(),
            set_by: set_by.to_string(),
            set_on,
        })
    }
}

/// Why a finding was made: a rule of the table, or a person's own target in place of one.
#[derive(Clone, Copy, Debug)]
pub enum Basis<'r> {
    Rule(&'r Rule),
    Personal { target: &'r PersonalTarget, replaces: &'r Rule },
}

impl<'r> Basis<'r> {
    /// The rule id, or "personal-target" for a person's own target.
    pub fn rule_id(&self) -> &str {
        match self {
            Basis::Rule(rule) => &rule.id,
            Basis::Personal { .. } => PERSONAL_TARGET,
        }
    }

    pub fn source(&self) -> String {
        match self {
            Basis::Rule(rule) => rule.source.clone(),
            Basis::Personal { target, replaces } => format!(
                "Personal target set by {} on {}: {} (in place of {})",
                target.set_by,
                format_date(target.set_on),
                target.reason,
                replaces.source
            ),
        }
    }

    /// The rule whose words (rationale, meaning) apply.
    pub fn rule(&self) -> &'r Rule {
        match self {
            Basis::Rule(rule) => rule,
            Basis::Personal { replaces, .. } => replaces,
        }
    }
}

/// The rule id a finding against a personal target carries.
pub const PERSONAL_TARGET: &str = "personal-target";

/// One result outside a rule.
#[derive(Clone, Copy, Debug)]
pub struct Finding<'r> {
    pub observation: i64,
    pub severity: Severity,
    pub basis: Basis<'r>,
}

impl Finding<'_> {
    pub fn rule_id(&self) -> &str {
        self.basis.rule_id()
    }
}

/// The target that applied to a result: the practice's, or the person's own.
#[derive(Clone, Debug)]
pub struct AppliedTarget<'r> {
    pub basis: Basis<'r>,
    /// "58 mmol/mol or below", "140/90 mmHg or below"; `None` where the rule cannot be put as
    /// a target (a range, an option).
    pub words: Option<String>,
    /// The value is outside the target, whether or not a red finding took its place.
    pub exceeded: bool,
}

/// Everything the rules say about one result.
#[derive(Clone, Debug)]
pub struct Assessment<'r> {
    pub observation: i64,
    pub findings: Vec<Finding<'r>>,
    pub target: Option<AppliedTarget<'r>>,
}

impl Assessment<'_> {
    /// The most urgent finding, or `None` if the result is on target or has no target.
    pub fn severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// Evaluates the table for one result. `history` holds the person's current results (any
/// items, any dates; the reading itself may be among them), for falls and for populations that
/// depend on another result.
pub fn assess<'r>(
    rules: &'r RuleSet,
    person: &PersonFacts,
    reading: &Reading<'_>,
    history: &[Reading<'_>],
    targets: &'r [PersonalTarget],
) -> Assessment<'r> {
    let mut findings = Vec::new();
    let applicable: Vec<&Rule> = rules
        .rules
        .iter()
        .filter(|r| {
            r.reads.iter().any(|i| i == reading.item.id())
                && r.applies_on(reading.taken_on)
                && population_matches(&r.population, person, reading, history)
        })
        .collect();
    for rule in applicable.iter().filter(|r| r.severity == Severity::Red) {
        if test_holds(rule.matching, &rule.conditions, reading, history) {
            findings.push(Finding {
                observation: reading.observation,
                severity: Severity::Red,
                basis: Basis::Rule(rule),
            });
        }
    }
    let top =
        applicable.iter().filter(|r| r.severity == Severity::Amber).map(|r| r.precedence).max();
    let amber = applicable
        .iter()
        .find(|r| r.severity == Severity::Amber && Some(r.precedence) == top)
        .copied();
    let mut target = None;
    if let Some(rule) = amber {
        let personal = targets.iter().find(|t| t.item == reading.item.id());
        let (basis, conditions) = match personal {
            Some(t) => (Basis::Personal { target: t, replaces: rule }, personalised(rule, t)),
            None => (Basis::Rule(rule), rule.conditions.clone()),
        };
        let on_red = findings.iter().any(|f| f.severity == Severity::Red);
        let exceeded = test_holds(rule.matching, &conditions, reading, history);
        if !on_red && exceeded {
            findings.push(Finding {
                observation: reading.observation,
                severity: Severity::Amber,
                basis,
            });
        }
        target = Some(AppliedTarget {
            basis,
            words: target_words(rule.matching, &conditions, reading.item),
            exceeded,
        });
    }
    Assessment { observation: reading.observation, findings, target }
}

/// The rule's conditions with the person's own thresholds in place of the practice's.
fn personalised(rule: &Rule, target: &PersonalTarget) -> Vec<Condition> {
    rule.conditions
        .iter()
        .map(|c| match c {
            Condition::Compare { of, op, threshold } => {
                let own = target.values.iter().find(|(o, _)| o == of).map(|(_, t)| *t);
                Condition::Compare { of: of.clone(), op: *op, threshold: own.unwrap_or(*threshold) }
            }
            other => other.clone(),
        })
        .collect()
}

fn target_words(matching: Match, conditions: &[Condition], item: &ItemDef) -> Option<String> {
    if matching == Match::All && conditions.len() > 1 {
        return None;
    }
    let mut parts: Vec<(&Operand, Op, Decimal)> = Vec::new();
    for c in conditions {
        match c {
            Condition::Compare { of, op, threshold }
                if !matches!(of, Operand::FallPercent { .. } | Operand::Answer { .. }) =>
            {
                parts.push((of, *op, *threshold))
            }
            _ => return None,
        }
    }
    let unit = item.unit().map(|u| format!(" {}", u.display)).unwrap_or_default();
    if let [(Operand::Systolic, a, s), (Operand::Diastolic, b, d)] = parts.as_slice() {
        if a == b {
            return a.target_words(&format!("{s}/{d}{unit}"));
        }
    }
    let words: Option<Vec<String>> = parts
        .iter()
        .map(|(of, op, t)| {
            let name = match of {
                Operand::Systolic => "systolic ",
                Operand::Diastolic => "diastolic ",
                Operand::Score => "score ",
                _ => "",
            };
            let unit = if of.is_quantity() { unit.as_str() } else { "" };
            op.target_words(&format!("{t}{unit}")).map(|w| format!("{name}{w}"))
        })
        .collect();
    words.map(|w| w.join(" and "))
}

fn population_matches(
    population: &Population,
    person: &PersonFacts,
    reading: &Reading<'_>,
    history: &[Reading<'_>],
) -> bool {
    let age = age_on(person.date_of_birth, reading.taken_on);
    if population.age_from.is_some_and(|from| age < from) {
        return false;
    }
    if population.age_below.is_some_and(|below| age >= below) {
        return false;
    }
    if !population.conditions.is_empty()
        && !population.conditions.iter().any(|c| person.conditions.contains(c))
    {
        return false;
    }
    if !population.frailty.is_empty() && !population.frailty.contains(&person.frailty) {
        return false;
    }
    if let Some(with) = &population.with_result {
        let since = months_before(reading.taken_on, with.within_months);
        let latest = history
            .iter()
            .filter(|h| {
                h.item.id() == with.item && h.taken_on <= reading.taken_on && h.taken_on >= since
            })
            .max_by_key(|h| (h.taken_on, h.observation));
        let Some(other) = latest else { return false };
        let condition =
            Condition::Compare { of: with.of.clone(), op: with.op, threshold: with.threshold };
        if !condition_holds(&condition, other, history) {
            return false;
        }
    }
    true
}

fn months_before(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN)
}

fn test_holds(
    matching: Match,
    conditions: &[Condition],
    reading: &Reading<'_>,
    history: &[Reading<'_>],
) -> bool {
    match matching {
        Match::Any => conditions.iter().any(|c| condition_holds(c, reading, history)),
        Match::All => conditions.iter().all(|c| condition_holds(c, reading, history)),
    }
}

/// A number of a result, as an interval when the lab reported it beyond its range (">90" is
/// anywhere above 90).
enum Number {
    Exact(Decimal),
    Beyond { low: Option<Decimal>, high: Option<Decimal> },
}

fn number_of(of: &Operand, reading: &Reading<'_>) -> Option<Number> {
    match (of, reading.value) {
        (Operand::Value | Operand::FallPercent { .. }, Value::Quantity(q)) => {
            let digits = q.text().trim_start_matches(['<', '>', ' ']);
            let number = Decimal::parse(digits)?;
            Some(match q.comparator() {
                None => Number::Exact(number),
                Some(super::measures::Comparator::Above) => {
                    Number::Beyond { low: Some(number), high: None }
                }
                Some(super::measures::Comparator::Below) => {
                    Number::Beyond { low: None, high: Some(number) }
                }
            })
        }
        (Operand::Systolic, Value::BloodPressure { systolic, .. }) => {
            Some(Number::Exact(Decimal::from_int(i64::from(*systolic))))
        }
        (Operand::Diastolic, Value::BloodPressure { diastolic, .. }) => {
            Some(Number::Exact(Decimal::from_int(i64::from(*diastolic))))
        }
        (Operand::Score, Value::Questionnaire { score, .. }) => {
            Some(Number::Exact(Decimal::from_int(i64::from(*score))))
        }
        (Operand::Score, Value::Choice(id)) => {
            let score = reading.item.options().iter().find(|o| &o.id == id)?.score?;
            Some(Number::Exact(Decimal::from_int(i64::from(score))))
        }
        (Operand::Answer { index, .. }, Value::Questionnaire { answers, .. }) => {
            let ItemKind::Questionnaire(q) = reading.item.kind() else { return None };
            let chosen = *answers.get(*index)?;
            let score = q.questions.get(*index)?.options.get(chosen)?.1;
            Some(Number::Exact(Decimal::from_int(i64::from(score))))
        }
        _ => None,
    }
}

fn plain(number: &Number) -> Decimal {
    match number {
        Number::Exact(d) => *d,
        Number::Beyond { low, high } => low.or(*high).expect("one bound"),
    }
}

fn condition_holds(condition: &Condition, reading: &Reading<'_>, history: &[Reading<'_>]) -> bool {
    match condition {
        Condition::OptionIn(options) => match reading.value {
            Value::Choice(id) => options.contains(id),
            Value::Date { result: Some(id), .. } => options.contains(id),
            _ => false,
        },
        Condition::Compare { of: of @ Operand::FallPercent { within_months }, op, threshold } => {
            let Some(now) = number_of(of, reading) else { return false };
            let since = months_before(reading.taken_on, *within_months);
            let previous = history
                .iter()
                .filter(|h| {
                    h.item.id() == reading.item.id()
                        && h.observation != reading.observation
                        && (h.taken_on, h.observation) < (reading.taken_on, reading.observation)
                        && h.taken_on >= since
                })
                .max_by_key(|h| (h.taken_on, h.observation));
            let Some(before) = previous.and_then(|p| number_of(of, p)) else { return false };
            let (now, before) = (plain(&now), plain(&before));
            if before.is_zero() {
                return false;
            }
            // fall / before × 100 compared with the threshold, without dividing.
            let fall_times_100 = before.sub(now).mul(Decimal::from_int(100));
            let limit = threshold.mul(before);
            op.holds(fall_times_100, limit)
        }
        Condition::Compare { of, op, threshold } => match number_of(of, reading) {
            Some(Number::Exact(value)) => op.holds(value, *threshold),
            // A result beyond the lab's range matches when it may lie inside the rule: a
            // clinician looks rather than the rule staying silent.
            Some(Number::Beyond { low, high }) => op.holds_somewhere(low, high, *threshold),
            None => false,
        },
    }
}

/// Whether every red finding of a review has been acknowledged; the only way to obtain the
/// clearance the review's "approve the pack" and "send the pack" steps require.
pub struct RedFlagsCleared(());

/// Red findings still waiting for a clinician.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Unacknowledged(pub Vec<String>);

/// Clears a review when no red finding waits for a clinician; otherwise returns them, in
/// words.
pub fn clearance(unacknowledged: Vec<String>) -> Result<RedFlagsCleared, Unacknowledged> {
    if unacknowledged.is_empty() {
        Ok(RedFlagsCleared(()))
    } else {
        Err(Unacknowledged(unacknowledged))
    }
}

/// The rules grouped by the item they read, for lists.
pub fn rules_by_item(rules: &RuleSet) -> HashMap<&str, Vec<&Rule>> {
    let mut map: HashMap<&str, Vec<&Rule>> = HashMap::new();
    for rule in &rules.rules {
        for item in &rule.reads {
            map.entry(item.as_str()).or_default().push(rule);
        }
    }
    map
}
