//! The steering group's one-page report as a plain model: which of the practice's figures are
//! shown, in which words, with what they count out of, and how an empty range reads.
//!
//! Everything here is words and numbers. Where things go on the page, and in what type, is
//! for the layout; this decides what the page says, from the report's own figures.

use chrono::{Datelike, NaiveDate};

use super::metrics::{Group, Measure, Report, PACK_DAY_BARS};
use super::person::format_date;

/// What the printed page says, top to bottom.
#[derive(Clone, Debug, PartialEq)]
pub struct SteeringPage {
    /// "Personalised care and support planning: Riverside Surgery".
    pub title: String,
    /// The range in words: "1 August to 31 October 2026".
    pub range: String,
    /// "Made on 23 November 2026".
    pub made_on: String,
    /// The few figures the steering group asks about first, in a row.
    pub headlines: Vec<Headline>,
    /// The other figures, by condition group.
    pub table: GroupTable,
    /// Conversations in the range by days between the pack and the conversation.
    pub pack_days: BarChart,
    /// Conversations held month by month.
    pub trend: BarChart,
    /// What the figures count, for a reader with the page alone.
    pub notes: Vec<String>,
}

/// One headline figure: a large number with what it is and what it counts out of in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Headline {
    /// The report figure shown (its stable key).
    pub key: &'static str,
    pub label: String,
    /// The number as printed large: "48", "74.5%", "41.3", or "–" when there is nothing to
    /// work it out from.
    pub number: String,
    /// What the number counts, out of what: "35 of 47 plans agreed".
    pub detail: String,
}

/// Figures for each condition group: one column a group.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupTable {
    pub columns: Vec<String>,
    pub sections: Vec<TableSection>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableSection {
    pub heading: String,
    pub rows: Vec<TableRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    /// The report figure in this row (its stable key).
    pub key: &'static str,
    pub label: String,
    /// A part of the row above (an adjustment's reason, a goal's outcome).
    pub part: bool,
    /// One cell a column, in the order of the table's columns.
    pub cells: Vec<Cell>,
}

/// One group's figure: the value, and for a share what it is out of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// "74.5%", "48", "3.5", or "–".
    pub value: String,
    /// "35 of 47" for a share of something; none for a count, or a share of nothing.
    pub out_of: Option<String>,
}

/// A small bar chart of counts.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    pub title: String,
    /// Under the title: what the dark bars are, and any summary figure.
    pub caption: String,
    pub bars: Vec<Bar>,
    /// A line across the bars, such as the practice's least days before a conversation.
    pub marker: Option<Marker>,
    /// Said in place of the bars when every bar is empty.
    pub empty: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// Under the bar; a `\n` starts a second line. Empty when the bar goes unnamed (a long
    /// trend names every third month).
    pub label: String,
    pub value: u32,
    /// The number written above the bar, when there is room for one on every bar.
    pub shown: Option<String>,
    /// Drawn dark: in time, or in the range.
    pub strong: bool,
}

/// A line at a place along the bars, counted in bars from the left edge of the first (7.0 is
/// the left edge of the eighth bar).
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub at: f64,
    pub label: String,
}

/// What stands for a figure that cannot be worked out: a percentage of nothing, a median of
/// no values.
pub const NOTHING: &str = "–";

/// A trend longer than this names every third month and leaves the numbers off its bars.
const LONG_TREND: usize = 18;

/// Builds the page from a report, the practice's name and the day it was made.
pub fn steering_page(report: &Report, practice_name: &str, made_on: NaiveDate) -> SteeringPage {
    let range = report.context.range;
    SteeringPage {
        title: format!("Personalised care and support planning: {}", practice_name.trim()),
        range: range_in_words(range.from(), range.to()),
        made_on: format!("Made on {}", format_date(made_on)),
        headlines: headlines(report),
        table: table(report),
        pack_days: pack_days(report),
        trend: trend(report),
        notes: notes(report),
    }
}

/// "5 October 2026", "1 to 31 October 2026", "1 August to 31 October 2026", or
/// "1 November 2025 to 31 January 2026".
pub fn range_in_words(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        format_date(from)
    } else if (from.year(), from.month()) == (to.year(), to.month()) {
        format!("{} to {}", from.day(), format_date(to))
    } else if from.year() == to.year() {
        format!("{} to {}", from.format("%-d %B"), format_date(to))
    } else {
        format!("{} to {}", format_date(from), format_date(to))
    }
}

/// A share as a percentage to one decimal place, as the report works it out, dropping a
/// ".0". A share of nothing is "–"; a share that is not all (or not none) never reads as 100%
/// (or 0%) however it rounds.
pub fn percent(measure: &Measure) -> String {
    // (`Measure::percent` is never 100 unless it is everyone, nor 0 unless no one.)
    let Some(p) = measure.percent() else {
        return NOTHING.into();
    };
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// "35 of 47", or none for a share of nothing.
pub fn out_of(measure: &Measure) -> Option<String> {
    measure.of().filter(|of| *of > 0).map(|of| format!("{} of {of}", measure.count()))
}

/// A median as a number: "14", "3.5", or "–" when there were no values.
fn median(measure: &Measure) -> String {
    measure.value().map_or_else(|| NOTHING.into(), trimmed)
}

/// A mean score, always to one decimal place: "41.0", "10.5".
fn mean(measure: &Measure) -> String {
    measure.value().map_or_else(|| NOTHING.into(), |v| format!("{v:.1}"))
}

fn trimmed(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// "1 conversation", "48 conversations".
fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn everyone(report: &Report, key: &str) -> Measure {
    figure(report, Group::All, key)
}

fn figure(report: &Report, group: Group, key: &str) -> Measure {
    report
        .figure(group, key)
        .map(|f| f.measure)
        .expect("the page names only figures the report has")
}

fn headlines(report: &Report) -> Vec<Headline> {
    let minimum = report.context.pack_minimum_days;
    let conversations = everyone(report, "conversations").count();
    let no_conversations = "no conversations in this range".to_string();
    let plans = everyone(report, "plans_agreed").count();

    let held = Headline {
        key: "conversations",
        label: "Conversations held".into(),
        number: conversations.to_string(),
        detail: match conversations {
            0 => no_conversations.clone(),
            1 => "person had a care and support planning conversation".into(),
            _ => "people had a care and support planning conversation".into(),
        },
    };

    let agreed = Headline {
        key: "plans_agreed",
        label: "Plans agreed".into(),
        number: plans.to_string(),
        detail: match plans {
            0 => "no care and support plans agreed in this range".into(),
            1 => "care and support plan agreed with the person".into(),
            _ => "care and support plans agreed with the person".into(),
        },
    };

    let in_time = everyone(report, "pack_in_time");
    let results = Headline {
        key: "pack_in_time",
        label: "Results in time".into(),
        number: percent(&in_time),
        detail: match out_of(&in_time) {
            None => no_conversations.clone(),
            Some(n_of_m) => format!(
                "{n_of_m} {} had their results pack at least {} before",
                if in_time.of() == Some(1) { "conversation" } else { "conversations" },
                plural(minimum, "day", "days"),
            ),
        },
    };

    let four = everyone(report, "plan_all_four");
    let essentials = Headline {
        key: "plan_all_four",
        label: "Plans with all four essentials".into(),
        number: percent(&four),
        detail: match out_of(&four) {
            None => "no plans agreed in this range".into(),
            Some(n_of_m) => format!(
                "{n_of_m} {}: a goal in their words, an action, a contingency plan, a review date",
                if four.of() == Some(1) { "plan" } else { "plans" }
            ),
        },
    };

    // Feedback: what a headline says when no form was scored.
    let forms = everyone(report, "feedback_forms");
    let no_forms = |what: &str| match forms.of() {
        Some(0) | None => no_conversations.clone(),
        Some(n) if forms.count() == 0 => format!(
            "no feedback forms returned ({} held)",
            plural(n, "conversation", "conversations")
        ),
        Some(_) => format!("no forms with {what} answered"),
    };

    let top = everyone(report, "collaborate_top_score");
    let collaborate_mean = everyone(report, "collaborate_mean");
    let collaborate = Headline {
        key: "collaborate_top_score",
        label: "collaboRATE top score".into(),
        number: percent(&top),
        detail: match out_of(&top) {
            None => no_forms("collaboRATE"),
            Some(n_of_m) => format!(
                "{n_of_m} {}: every effort made, all three questions (mean {} of 12)",
                if top.of() == Some(1) { "form" } else { "forms" },
                mean(&collaborate_mean)
            ),
        },
    };

    let care_mean = everyone(report, "care_mean");
    let not_scored = everyone(report, "care_not_scored").count();
    let care = Headline {
        key: "care_mean",
        label: "CARE measure".into(),
        number: mean(&care_mean),
        detail: if care_mean.count() == 0 && not_scored > 0 {
            format!(
                "no form scored: {} too many items unanswered",
                plural(not_scored, "form had", "forms had")
            )
        } else if care_mean.count() == 0 {
            no_forms("the CARE measure")
        } else {
            let mut words = format!(
                "mean score (10 to 50) from {}",
                plural(care_mean.count(), "form", "forms")
            );
            if not_scored > 0 {
                words.push_str(&format!(
                    "; {} too many items unanswered to score",
                    plural(not_scored, "form had", "forms had")
                ));
            }
            words
        },
    };

    vec![held, agreed, results, essentials, collaborate, care]
}

/// The table's columns: each condition group, named short enough to head a column.
fn column_name(group: Group) -> &'static str {
    match group {
        Group::All => "Everyone",
        Group::Single => "One condition",
        Group::Multiple => "Two or more conditions",
        Group::Frailty => "Living with frailty",
    }
}

/// A row of the table: the figure, its words on the page, and whether it is part of the row
/// above.
type Row = (&'static str, &'static str, bool);

/// The table's sections, each with its heading and rows.
const SECTIONS: &[(&str, &[Row])] = &[
    (
        "Invitations and contact 1",
        &[
            ("due", "Reviews due", false),
            ("invited", "Invited", false),
            ("attended", "Came to contact 1", false),
            ("one_visit", "Everything done in that one visit", false),
        ],
    ),
    (
        "Professional preparation",
        &[
            ("triaged_before_pack", "Triaged before the pack was sent", false),
            ("red_findings", "Red findings acknowledged", false),
            ("red_hours_median", "Median hours to acknowledge", false),
        ],
    ),
    (
        "Declined and adjusted",
        &[
            ("declined", "Declined their review", false),
            ("pca", "Personalised care adjustments", false),
            ("pca_unsuitable", "unsuitable", true),
            ("pca_declined", "declined", true),
            ("pca_no_response", "no response to invitations", true),
            ("pca_newly_diagnosed_or_registered", "newly diagnosed or registered", true),
            ("pca_other", "another reason", true),
        ],
    ),
    (
        "What the plans agreed contain",
        &[
            ("plan_own_words_goal", "A goal in the person's own words", false),
            ("plan_action", "An action: who, what and when", false),
            ("plan_contingency", "A contingency plan", false),
            ("plan_review_date", "A review date", false),
            ("plan_all_four", "All four of these", false),
            ("plan_signposting", "A local service or activity", false),
        ],
    ),
    (
        "Goals from the last plan",
        &[
            ("goals_reviewed", "Goals reviewed", false),
            ("goals_achieved", "achieved", true),
            ("goals_partly_achieved", "partly achieved", true),
            ("goals_not_achieved", "not achieved", true),
            ("goals_changed", "changed", true),
            ("goals_no_longer_relevant", "no longer relevant", true),
            ("goals_not_marked", "not marked", true),
        ],
    ),
];

fn table(report: &Report) -> GroupTable {
    let cell = |measure: Measure| match measure {
        Measure::Count(n) => Cell { value: n.to_string(), out_of: None },
        Measure::Share { .. } => Cell { value: percent(&measure), out_of: out_of(&measure) },
        Measure::Median { .. } => Cell { value: median(&measure), out_of: None },
        Measure::Mean { .. } => Cell { value: mean(&measure), out_of: None },
    };
    let sections = SECTIONS
        .iter()
        .map(|(heading, rows)| TableSection {
            heading: heading.to_string(),
            rows: rows
                .iter()
                .map(|(key, label, part)| TableRow {
                    key,
                    label: label.to_string(),
                    part: *part,
                    cells: Group::EVERY.iter().map(|g| cell(figure(report, *g, key))).collect(),
                })
                .collect(),
        })
        .collect();
    GroupTable {
        columns: Group::EVERY.iter().map(|g| column_name(*g).to_string()).collect(),
        sections,
    }
}

/// A bar's name from its days: "0–6", "28 or more", "No pack".
fn days_label(lo: i64, hi: i64) -> String {
    if lo < 0 {
        "No pack\nbefore".into()
    } else if hi == i64::MAX {
        format!("{lo} or\nmore")
    } else {
        format!("{lo}–{hi}")
    }
}

fn pack_days(report: &Report) -> BarChart {
    let minimum = i64::from(report.context.pack_minimum_days);
    let bars: Vec<Bar> = PACK_DAY_BARS
        .iter()
        .zip(&report.pack_days)
        .map(|((_, lo, hi), (_, n))| Bar {
            label: days_label(*lo, *hi),
            value: *n,
            shown: Some(n.to_string()),
            strong: *lo >= minimum,
        })
        .collect();
    // The line falls where the practice's minimum falls along the days.
    let marker =
        PACK_DAY_BARS.iter().position(|(_, lo, hi)| *lo <= minimum && minimum <= *hi).map(|i| {
            let (_, lo, hi) = PACK_DAY_BARS[i];
            let within =
                if hi == i64::MAX { 0.0 } else { (minimum - lo) as f64 / (hi - lo + 1) as f64 };
            Marker {
                at: i as f64 + within,
                label: format!(
                    "at least {}",
                    plural(report.context.pack_minimum_days, "day", "days")
                ),
            }
        });
    let median = everyone(report, "pack_days_median");
    let held = everyone(report, "conversations").count();
    let caption = match median.value() {
        Some(_) => format!(
            "Dark bars: in time. Median {} between pack and conversation.",
            days_of(&median)
        ),
        None => "Dark bars: in time.".to_string(),
    };
    BarChart {
        title: "Days from the results pack to the conversation".into(),
        caption,
        bars,
        marker,
        empty: (held == 0).then(|| "No conversations in this range".to_string()),
    }
}

/// A median number of days in words: "1 day", "14 days", "10.5 days".
fn days_of(days: &Measure) -> String {
    match days.value() {
        Some(1.0) => "1 day".into(),
        _ => format!("{} days", median(days)),
    }
}

fn trend(report: &Report) -> BarChart {
    let range = report.context.range;
    let long = report.trend.len() > LONG_TREND;
    let bars: Vec<Bar> = report
        .trend
        .iter()
        .enumerate()
        .map(|(i, (month, figures))| {
            let held = figures
                .iter()
                .find(|f| f.definition.key == "conversations")
                .map_or(0, |f| f.measure.count());
            let named = !long || month.month() % 3 == 1;
            let short = month.first_day().format("%b").to_string();
            let label = if !named {
                String::new()
            } else if i == 0 || month.month() == 1 {
                format!("{short}\n{}", month.year())
            } else {
                short
            };
            Bar {
                label,
                value: held,
                shown: (!long).then(|| held.to_string()),
                strong: range.overlaps(*month),
            }
        })
        .collect();
    let empty =
        bars.iter().all(|b| b.value == 0).then(|| "No conversations in these months".into());
    BarChart {
        title: "Conversations held each month".into(),
        caption: "Dark bars: the months of this report.".into(),
        bars,
        marker: None,
        empty,
    }
}

fn notes(report: &Report) -> Vec<String> {
    let minimum = report.context.pack_minimum_days;
    vec![
        "Invitations and contact 1 follow the reviews due in the months of the range, as they \
         stood on its last day; everything else counts what happened within it."
            .into(),
        format!(
            "In time: the results pack sent at least {} before the conversation, the practice's \
             own minimum.",
            plural(minimum, "day", "days")
        ),
        "People living with frailty are also counted by their number of long-term conditions. \
         Feedback forms are reported only in aggregate."
            .into(),
    ]
}

#[cfg(test)]
mod tests;
