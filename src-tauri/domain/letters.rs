//! Letters as plain document models: who they are to, what they say, in order. They know
//! nothing of fonts or points; `documents/` lays them out.

use chrono::NaiveDate;

use super::person::CommunicationNeed;
use super::practice::Letterhead;
use super::register::PatientDetails;

/// A letter to one person.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Letter {
    pub letterhead: Letterhead,
    pub date: NaiveDate,
    pub recipient: Recipient,
    /// Lines under the address, such as the NHS number.
    pub reference: Vec<String>,
    pub print: PrintSize,
    pub subject: String,
    pub blocks: Vec<Block>,
    /// Who the letter is for, repeated on every later page in case pages are separated.
    pub continuation: String,
}

/// The name and postal address, as they must show in a window envelope.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Recipient {
    pub name: String,
    pub address: Vec<String>,
}

impl Recipient {
    /// The person's name and address, or why no letter can be posted to them.
    pub fn of(person: &PatientDetails) -> Result<Recipient, String> {
        let address = &person.address;
        let (Some(line_1), Some(postcode)) = (&address.line_1, &address.postcode) else {
            return Err("no postal address is recorded".to_string());
        };
        let mut lines = vec![line_1.clone()];
        lines.extend(address.line_2.iter().cloned());
        lines.extend(address.town.iter().cloned());
        lines.push(postcode.to_string());
        Ok(Recipient {
            name: format!("{} {}", person.name.given(), person.name.family()),
            address: lines,
        })
    }
}

/// Standard print, or large print (at least 16 point) for people who need it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PrintSize {
    Standard,
    Large,
}

impl PrintSize {
    /// Large print when the person's communication needs say so. Easy read would be chosen
    /// here too, as its own variant with its own wording, once the texts for it exist.
    pub fn for_needs(needs: &[CommunicationNeed]) -> PrintSize {
        if needs.contains(&CommunicationNeed::LargePrint) {
            PrintSize::Large
        } else {
            PrintSize::Standard
        }
    }
}

/// The parts of a letter's body.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    Bullets(Vec<String>),
    /// "Yours sincerely," and the signature, kept together.
    Closing(Vec<String>),
    /// Rows under column headings, in sections with their own headings. Standard print draws
    /// a table; large print reflows each row as labelled lines, so nothing is scaled down.
    Table(Table),
    /// A question with ruled lines beneath it for the person's own words.
    Prompt {
        text: String,
        lines: u8,
    },
    /// A heading over numbered ruled lines ("1.", "2.", "3."), kept on one page.
    NumberedLines {
        text: String,
        count: u8,
    },
    /// What follows starts on a new page.
    NewPage,
}

/// A table of a letter: column headings and sections of rows, each row one cell per column.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Table {
    pub columns: Vec<Column>,
    pub sections: Vec<TableSection>,
}

/// A column heading and its share of the page width (shares are relative to each other).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Column {
    pub heading: String,
    pub share: u8,
}

/// A heading over a group of rows; each row has one cell per column.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TableSection {
    pub heading: String,
    pub rows: Vec<Vec<Cell>>,
}

/// What one cell says: one or more entries (a value with its date, say). A `\n` inside an
/// entry is where a narrow column breaks the line; reflowed, it is a space.
pub type Cell = Vec<String>;

/// Fills `{placeholders}` from `values`; text outside braces is kept as it is.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

/// The `{placeholders}` a template uses, for checking texts when they are loaded.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                found.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_their_placeholders() {
        let text = fill(
            "Dear {name}, your {review} is due.",
            &[("name", "Grace Okafor"), ("review", "annual review")],
        );
        assert_eq!(text, "Dear Grace Okafor, your annual review is due.");
        assert_eq!(placeholders("{a} and {b}, {a"), ["a", "b"]);
    }

    #[test]
    fn large_print_follows_the_persons_needs() {
        assert_eq!(PrintSize::for_needs(&[CommunicationNeed::LargePrint]), PrintSize::Large);
        assert_eq!(PrintSize::for_needs(&[CommunicationNeed::EasyRead]), PrintSize::Standard);
    }
}
