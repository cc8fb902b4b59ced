//! The preparation pack: the letter that gives a person their results, explained in plain
//! English, with questions to help them think about what matters to them before the care and
//! support planning conversation. Also when a pack must be held rather than printed, and why.
//! The wording is data (`assets/texts/pack.json`).

use chrono::NaiveDate;
use serde::Deserialize;

use super::checklist::NotDoneReason;
use super::cycle::{Booking, CycleStatus};
use super::letters::{
    fill, placeholders, Block, Cell, Column, Letter, PrintSize, Recipient, Table, TableSection,
};
use super::person::{format_date, CommunicationNeed, RegistrationStatus};
use super::practice::PracticeSettings;
use super::register::PatientDetails;
use super::triage::AckAction;

/// The wording of preparation packs, checked when loaded.
#[derive(Clone, Debug)]
pub struct PackTexts {
    texts: TextsFile,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TextsFile {
    #[allow(dead_code)]
    about: String,
    subject: String,
    greeting: String,
    opening: String,
    appointment_heading: String,
    appointment_booked: String,
    appointment_not_booked: String,
    bring: String,
    results_heading: String,
    results_intro: String,
    columns: [String; 5],
    no_previous: String,
    no_target: String,
    agreed_with_you: String,
    done_elsewhere: String,
    not_done: NotDoneTexts,
    not_done_result: String,
    themes: Vec<ThemeText>,
    prompts_heading: String,
    prompts_intro: String,
    prompts: Vec<PromptText>,
    top_three: String,
    other_formats: String,
    closing: String,
    signature: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NotDoneTexts {
    declined: String,
    unable: String,
    not_applicable: String,
    sent_to_lab: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeText {
    id: String,
    label: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PromptText {
    text: String,
    lines: u8,
}

const PLACEHOLDERS: [&str; 9] =
    ["name", "review", "practice", "phone", "booking", "date", "time", "with_whom", "place"];

impl PackTexts {
    /// Reads the texts. Refused, naming the problem: a broken file, an empty text, an unknown
    /// `{placeholder}`, a theme of `themes` (the catalogue's) without a heading, or no prompts.
    pub fn from_json(text: &str, themes: &[&str]) -> Result<PackTexts, String> {
        let texts: TextsFile =
            serde_json::from_str(text).map_err(|e| format!("pack texts: not valid: {e}"))?;
        let t = &texts;
        let mut all: Vec<(&str, &String)> = vec![
            ("subject", &t.subject),
            ("greeting", &t.greeting),
            ("opening", &t.opening),
            ("appointment_heading", &t.appointment_heading),
            ("appointment_booked", &t.appointment_booked),
            ("appointment_not_booked", &t.appointment_not_booked),
            ("bring", &t.bring),
            ("results_heading", &t.results_heading),
            ("results_intro", &t.results_intro),
            ("no_previous", &t.no_previous),
            ("agreed_with_you", &t.agreed_with_you),
            ("done_elsewhere", &t.done_elsewhere),
            ("not_done.declined", &t.not_done.declined),
            ("not_done.unable", &t.not_done.unable),
            ("not_done.not_applicable", &t.not_done.not_applicable),
            ("not_done.sent_to_lab", &t.not_done.sent_to_lab),
            ("not_done_result", &t.not_done_result),
            ("prompts_heading", &t.prompts_heading),
            ("prompts_intro", &t.prompts_intro),
            ("top_three", &t.top_three),
            ("other_formats", &t.other_formats),
            ("closing", &t.closing),
            ("signature", &t.signature),
        ];
        all.extend(t.columns.iter().map(|c| ("columns", c)));
        all.extend(t.themes.iter().map(|th| ("themes", &th.label)));
        all.extend(t.prompts.iter().map(|p| ("prompts", &p.text)));
        for (field, template) in all {
            if template.trim().is_empty() {
                return Err(format!("pack texts: {field} has an empty text"));
            }
            if let Some(unknown) =
                placeholders(template).into_iter().find(|p| !PLACEHOLDERS.contains(p))
            {
                return Err(format!(
                    "pack texts: in {field}, {{{unknown}}} is not a placeholder (use {})",
                    PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                ));
            }
        }
        if let Some(theme) = themes.iter().find(|id| !t.themes.iter().any(|th| th.id == **id)) {
            return Err(format!(
                "pack texts: the catalogue's theme '{theme}' has no heading in themes"
            ));
        }
        if t.prompts.is_empty() {
            return Err("pack texts: there are no prompts".into());
        }
        if let Some(p) = t.prompts.iter().find(|p| !(1..=8).contains(&p.lines)) {
            return Err(format!(
                "pack texts: the prompt '{}' needs 1 to 8 lines to write on",
                p.text
            ));
        }
        Ok(PackTexts { texts })
    }

    /// The themes in the order the letter shows them, with their headings.
    pub fn themes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts.themes.iter().map(|t| (t.id.as_str(), t.label.as_str()))
    }

    /// The prompts, in order.
    pub fn prompts(&self) -> impl Iterator<Item = &str> {
        self.texts.prompts.iter().map(|p| p.text.as_str())
    }
}

/// Why a pack is held instead of printed. Nothing held is printed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Hold {
    /// The person left the practice or died: nothing is ever sent.
    LeftOrDied(RegistrationStatus),
    /// The review is not yet approved by a clinician (triage).
    NotApproved(CycleStatus),
    /// Red findings no clinician has acknowledged yet (their rule titles).
    RedWaiting(Vec<String>),
    /// The person needs a format Alongside cannot print.
    Format(String),
    /// No postal address is recorded.
    NoAddress,
    /// The conversation is booked too soon for the person to have the pack for long enough.
    TooSoon { conversation: NaiveDate, days: i64, minimum: u32 },
}

impl Hold {
    /// A short code for machines: `left`, `died`, `not_approved`, `red_finding`, `format`,
    /// `no_address`, `too_soon`.
    pub fn code(&self) -> &'static str {
        match self {
            Hold::LeftOrDied(RegistrationStatus::Deceased) => "died",
            Hold::LeftOrDied(_) => "left",
            Hold::NotApproved(_) => "not_approved",
            Hold::RedWaiting(_) => "red_finding",
            Hold::Format(_) => "format",
            Hold::NoAddress => "no_address",
            Hold::TooSoon { .. } => "too_soon",
        }
    }

    /// The reason, in words staff can act on.
    pub fn reason(&self) -> String {
        match self {
            Hold::LeftOrDied(RegistrationStatus::Deceased) => {
                "the person has died: nothing is ever sent".into()
            }
            Hold::LeftOrDied(_) => "the person has left the practice: nothing is sent".into(),
            Hold::NotApproved(status) => format!(
                "not approved yet: a clinician approves the pack at triage (the review is at '{}')",
                status.label()
            ),
            Hold::RedWaiting(titles) => format!(
                "a red finding is waiting for a clinician to acknowledge it: {}",
                titles.join("; ")
            ),
            Hold::Format(need) => need.clone(),
            Hold::NoAddress => "no postal address is recorded".into(),
            Hold::TooSoon { conversation, days, .. } if *days < 0 => format!(
                "the conversation on {} has passed: rebook it before the pack is sent",
                format_date(*conversation)
            ),
            Hold::TooSoon { conversation, days, minimum } => format!(
                "the conversation on {} is only {} away: the person needs the pack at least \
                 {minimum} days before, so rebook the conversation first",
                format_date(*conversation),
                match days {
                    0 => "today".to_string(),
                    1 => "1 day".to_string(),
                    n => format!("{n} days"),
                }
            ),
        }
    }
}

/// What decides whether a pack may be printed today.
pub struct PackFacts<'a> {
    pub person: &'a PatientDetails,
    pub status: CycleStatus,
    pub conversation: Option<&'a Booking>,
    /// The titles of red findings no clinician has acknowledged.
    pub waiting_reds: Vec<String>,
}

/// Why the pack cannot be printed today, if it cannot. The most basic reason comes first.
pub fn hold(facts: &PackFacts<'_>, today: NaiveDate, minimum_days: u32) -> Option<Hold> {
    let person = facts.person;
    if !person.status.may_be_contacted() {
        return Some(Hold::LeftOrDied(person.status));
    }
    if facts.status != CycleStatus::Triaged {
        return Some(Hold::NotApproved(facts.status));
    }
    if !facts.waiting_reds.is_empty() {
        return Some(Hold::RedWaiting(facts.waiting_reds.clone()));
    }
    if let Some(need) = format_needed(&person.communication_needs) {
        return Some(Hold::Format(need));
    }
    if Recipient::of(person).is_err() {
        return Some(Hold::NoAddress);
    }
    if let Some(booking) = facts.conversation {
        let on = booking.starts_at().date();
        let days = (on - today).num_days();
        if days < i64::from(minimum_days) {
            return Some(Hold::TooSoon { conversation: on, days, minimum: minimum_days });
        }
    }
    None
}

/// A format the person needs that a printed pack in English does not meet, in words saying
/// what to arrange instead.
pub fn format_needed(needs: &[CommunicationNeed]) -> Option<String> {
    needs.iter().find_map(|need| match need {
        CommunicationNeed::EasyRead => Some(
            "needs easy read, which Alongside cannot print yet: arrange an easy read pack by hand"
                .to_string(),
        ),
        CommunicationNeed::Braille => {
            Some("needs braille: arrange a braille or audio pack by hand".to_string())
        }
        CommunicationNeed::Interpreter { language } => Some(format!(
            "reads {language}: arrange a translated pack, or go through it with an interpreter"
        )),
        _ => None,
    })
}

/// One row of the results table, as the exchange layer found it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PackResult {
    /// The catalogue theme the item belongs to.
    pub theme: String,
    /// The name patients read.
    pub name: String,
    pub outcome: Outcome,
    /// Earlier values, newest first: (day, value as people read it). Two are shown.
    pub previous: Vec<(NaiveDate, String)>,
    pub target: Option<PackTarget>,
    pub meaning: Meaning,
}

/// This review's result for an item.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Outcome {
    /// The value as people read it ("62 mmol/mol", "142/88 mmHg"), and when it was taken;
    /// `elsewhere` when another service did it (eye screening) and the day is theirs.
    Value {
        text: String,
        taken_on: NaiveDate,
        elsewhere: bool,
    },
    NotDone(NotDoneReason),
}

/// The target shown for a result: the practice's, or one agreed with the person.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PackTarget {
    pub words: String,
    pub personal: bool,
}

/// What the "What this means" column says.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Meaning {
    /// Words the rule table chose for where the value falls.
    Said(String),
    /// No rule speaks to this value: the catalogue's explanation of the test.
    Explanation(String),
    /// A red finding no clinician has acknowledged: the pack cannot be written.
    Waiting,
}

/// One rule finding on a result, for choosing its words.
pub struct FoundWords<'a> {
    pub red: bool,
    pub meaning: &'a str,
    /// For a red finding: how a clinician acknowledged it, if they have.
    pub acknowledged: Option<AckAction>,
}

/// The target that applied to a result, for choosing its words.
pub struct TargetWords<'a> {
    /// The value is outside the target (even where a red finding took the amber one's place).
    pub exceeded: bool,
    /// What the target rule says when the value is outside it.
    pub above: &'a str,
    /// What it says when the value is within it, if the table says anything.
    pub within: Option<&'a str>,
}

/// Chooses what a result means for the person, by where the value falls:
/// - a red finding a clinician acted on (contacted, referred, repeat test) says the practice
///   has been in touch, in the rule's words; one not yet acknowledged stops the pack;
/// - a red finding acknowledged with no action says nothing of being in touch: the target's
///   words apply instead, as for any other result;
/// - above target, the target rule's words; within it, its `meaning_within` where the table
///   has one; otherwise (and where no rule applies) the catalogue's explanation of the test.
pub fn choose_meaning(
    found: &[FoundWords<'_>],
    target: Option<TargetWords<'_>>,
    explanation: &str,
) -> Meaning {
    if found.iter().any(|f| f.red && f.acknowledged.is_none()) {
        return Meaning::Waiting;
    }
    if let Some(red) =
        found.iter().find(|f| f.red && f.acknowledged.is_some_and(|a| a != AckAction::NoAction))
    {
        return Meaning::Said(red.meaning.to_string());
    }
    if let Some(amber) = found.iter().find(|f| !f.red) {
        return Meaning::Said(amber.meaning.to_string());
    }
    match target {
        Some(TargetWords { exceeded: true, above, .. }) => Meaning::Said(above.to_string()),
        Some(TargetWords { within: Some(within), .. }) => Meaning::Said(within.to_string()),
        _ => Meaning::Explanation(explanation.to_string()),
    }
}

/// One person's preparation pack. Refused, with the reason, when no pack can be posted (no
/// address) or a result's red finding is still waiting for a clinician.
pub fn pack_letter(
    person: &PatientDetails,
    conversation: Option<&Booking>,
    results: &[PackResult],
    texts: &PackTexts,
    settings: &PracticeSettings,
    today: NaiveDate,
) -> Result<Letter, String> {
    if results.iter().any(|r| r.meaning == Meaning::Waiting) {
        return Err("a red finding is waiting for a clinician: no pack can be written".into());
    }
    let recipient = Recipient::of(person)?;
    let t = &texts.texts;
    let letterhead = &settings.letterhead;
    let (date, time, with_whom, place) = match conversation {
        Some(b) => (
            format_date(b.starts_at().date()),
            b.starts_at().format("%-I:%M%P").to_string(),
            b.with_whom().to_string(),
            if b.place().trim().is_empty() {
                letterhead.practice_name.clone()
            } else {
                b.place().to_string()
            },
        ),
        None => Default::default(),
    };
    let mut booking = settings.booking_instructions.trim().to_string();
    if !letterhead.phone.trim().is_empty() {
        booking.push_str(&format!(" Our phone number is {}.", letterhead.phone.trim()));
    }
    let name = recipient.name.clone();
    let values = [
        ("name", name.as_str()),
        ("review", settings.review_name.as_str()),
        ("practice", letterhead.practice_name.as_str()),
        ("phone", letterhead.phone.as_str()),
        ("booking", booking.as_str()),
        ("date", date.as_str()),
        ("time", time.as_str()),
        ("with_whom", with_whom.as_str()),
        ("place", place.as_str()),
    ];
    let text = |template: &str| fill(template, &values);

    let mut blocks = vec![
        Block::Paragraph(text(&t.greeting)),
        Block::Paragraph(text(&t.opening)),
        Block::Heading(text(&t.appointment_heading)),
        Block::Paragraph(match conversation {
            Some(_) => text(&t.appointment_booked),
            None => text(&t.appointment_not_booked),
        }),
        Block::Paragraph(text(&t.bring)),
        Block::Paragraph(text(&t.other_formats)),
        Block::Closing(vec![text(&t.closing), text(&t.signature)]),
        Block::Heading(text(&t.results_heading)),
        Block::Paragraph(text(&t.results_intro)),
        Block::Table(results_table(results, texts)),
        Block::NewPage,
        Block::Heading(text(&t.prompts_heading)),
        Block::Paragraph(text(&t.prompts_intro)),
    ];
    for prompt in &t.prompts {
        blocks.push(Block::Prompt { text: text(&prompt.text), lines: prompt.lines });
    }
    blocks.push(Block::NumberedLines { text: text(&t.top_three), count: 3 });

    Ok(Letter {
        letterhead: letterhead.clone(),
        date: today,
        continuation: format!("{}, NHS number {}", recipient.name, person.nhs_number),
        reference: vec![format!("NHS number: {}", person.nhs_number)],
        recipient,
        print: PrintSize::for_needs(&person.communication_needs),
        subject: text(&t.subject),
        blocks,
    })
}

/// The results grouped by theme, in the texts' order of themes, each item once.
fn results_table(results: &[PackResult], texts: &PackTexts) -> Table {
    let t = &texts.texts;
    let shares = [22, 20, 20, 16, 34];
    let columns = t
        .columns
        .iter()
        .zip(shares)
        .map(|(heading, share)| Column { heading: heading.clone(), share })
        .collect();
    let mut sections = Vec::new();
    for theme in &t.themes {
        let rows: Vec<Vec<Cell>> =
            results.iter().filter(|r| r.theme == theme.id).map(|r| result_row(r, t)).collect();
        if !rows.is_empty() {
            sections.push(TableSection { heading: theme.label.clone(), rows });
        }
    }
    // A theme the texts do not name (a practice's own item) still shows, under its id.
    for result in results {
        if !t.themes.iter().any(|th| th.id == result.theme) {
            match sections.iter_mut().find(|s| s.heading == result.theme) {
                Some(section) => section.rows.push(result_row(result, t)),
                None => sections.push(TableSection {
                    heading: result.theme.clone(),
                    rows: vec![result_row(result, t)],
                }),
            }
        }
    }
    Table { columns, sections }
}

fn result_row(result: &PackResult, t: &TextsFile) -> Vec<Cell> {
    let (value, meaning) = match &result.outcome {
        Outcome::Value { text, taken_on, elsewhere } => {
            let date = short_date(*taken_on);
            let when =
                if *elsewhere { fill(&t.done_elsewhere, &[("date", date.as_str())]) } else { date };
            let meaning = match &result.meaning {
                Meaning::Said(words) | Meaning::Explanation(words) => words.clone(),
                Meaning::Waiting => String::new(),
            };
            (format!("{text}\n({when})"), meaning)
        }
        Outcome::NotDone(reason) => {
            let words = match reason {
                NotDoneReason::Declined => &t.not_done.declined,
                NotDoneReason::Unable => &t.not_done.unable,
                NotDoneReason::NotApplicable => &t.not_done.not_applicable,
                NotDoneReason::SentToLab => &t.not_done.sent_to_lab,
            };
            (t.not_done_result.clone(), words.clone())
        }
    };
    let previous = if result.previous.is_empty() {
        vec![t.no_previous.clone()]
    } else {
        result
            .previous
            .iter()
            .take(2)
            .map(|(on, value)| format!("{value}\n({})", short_date(*on)))
            .collect()
    };
    let target = match &result.target {
        Some(target) if target.personal => {
            format!("{}\n({})", target.words, t.agreed_with_you)
        }
        Some(target) => target.words.clone(),
        None => t.no_target.clone(),
    };
    vec![vec![result.name.clone()], vec![value], previous, vec![target], vec![meaning]]
}

/// "14 Nov 2026": a date that fits a table cell and still reads as a date.
fn short_date(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
}

#[cfg(test)]
mod tests;
