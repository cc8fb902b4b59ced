//! The parts of a person's registration details: name, sex, dates, contact details,
//! communication needs (Accessible Information Standard), registration status, recall month.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A family and a given name, each trimmed and with runs of spaces collapsed. The letters are
/// kept exactly as the clinical system wrote them: a name is never re-cased.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PersonName {
    family: String,
    given: String,
}

#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum NameError {
    #[error("the {0} is missing")]
    Missing(&'static str),
    #[error("the {0} has no letters in it")]
    NoLetters(&'static str),
    #[error("the {0} is longer than 100 characters")]
    TooLong(&'static str),
}

impl PersonName {
    pub fn new(family: &str, given: &str) -> Result<PersonName, NameError> {
        Ok(PersonName {
            family: clean_name(family, "family name")?,
            given: clean_name(given, "given name")?,
        })
    }

    pub fn family(&self) -> &str {
        &self.family
    }

    pub fn given(&self) -> &str {
        &self.given
    }
}

fn clean_name(text: &str, what: &'static str) -> Result<String, NameError> {
    let cleaned = collapse_spaces(text);
    if cleaned.is_empty() {
        return Err(NameError::Missing(what));
    }
    if !cleaned.chars().any(char::is_alphabetic) {
        return Err(NameError::NoLetters(what));
    }
    if cleaned.chars().count() > 100 {
        return Err(NameError::TooLong(what));
    }
    Ok(cleaned)
}

/// Trims, turns control characters into spaces and collapses runs of spaces into one.
pub fn collapse_spaces(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Sex as recorded by the clinical system.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sex {
    Female,
    Male,
    Other,
    Unknown,
}

impl Sex {
    /// Accepts female, male, other, unknown or F, M, O, U, in any case; empty means unknown.
    pub fn parse(text: &str) -> Result<Sex, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "female" | "f" => Ok(Sex::Female),
            "male" | "m" => Ok(Sex::Male),
            "other" | "o" => Ok(Sex::Other),
            "unknown" | "u" | "" => Ok(Sex::Unknown),
            _ => Err(format!(
                "sex '{}' is not one of female, male, other, unknown (or F, M, O, U)",
                text.trim()
            )),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::Other => "other",
            Sex::Unknown => "unknown",
        }
    }
}

/// Reads `YYYY-MM-DD` or `DD/MM/YYYY` (day and month may have one digit). Nothing else: a
/// two-digit year or a US-style date is refused rather than guessed.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    let bad_form = || format!("'{text}' is not a date written as YYYY-MM-DD or DD/MM/YYYY");
    let not_real = || format!("'{text}' is not a real date");
    let numbers = |parts: Vec<&str>, widths: [(usize, usize); 3]| -> Option<Vec<u32>> {
        if parts.len() != 3 {
            return None;
        }
        parts
            .iter()
            .zip(widths)
            .map(|(part, (min, max))| {
                let ok =
                    (min..=max).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
                ok.then(|| part.parse().ok()).flatten()
            })
            .collect()
    };
    let (year, month, day) = if text.contains('-') {
        let n =
            numbers(text.split('-').collect(), [(4, 4), (2, 2), (2, 2)]).ok_or_else(bad_form)?;
        (n[0] as i32, n[1], n[2])
    } else if text.contains('/') {
        let n =
            numbers(text.split('/').collect(), [(1, 2), (1, 2), (4, 4)]).ok_or_else(bad_form)?;
        (n[2] as i32, n[1], n[0])
    } else {
        return Err(bad_form());
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(not_real)
}

/// A date of birth: a real date, not in the future, and within a human lifetime.
pub fn parse_date_of_birth(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    if text.trim().is_empty() {
        return Err("the date of birth is missing".to_string());
    }
    let date = parse_date(text).map_err(|e| format!("date of birth: {e}"))?;
    if date > today {
        return Err(format!("the date of birth {} is in the future", format_date(date)));
    }
    if age_on(date, today) > 125 {
        return Err(format!("the date of birth {} is more than 125 years ago", format_date(date)));
    }
    Ok(date)
}

/// Age in whole years on a given day.
pub fn age_on(date_of_birth: NaiveDate, today: NaiveDate) -> u32 {
    let mut age = today.year() - date_of_birth.year();
    if (today.month(), today.day()) < (date_of_birth.month(), date_of_birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

/// A date as people in the UK read it: `3 March 1950`.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A telephone number as typed, checked to hold 10 to 15 digits and only phone characters.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Phone(String);

impl Phone {
    pub fn parse(text: &str) -> Result<Phone, String> {
        let text = collapse_spaces(text);
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let allowed = text.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c));
        if !allowed || !(10..=15).contains(&digits) {
            return Err(format!("'{text}' is not a telephone number"));
        }
        Ok(Phone(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address with one `@`, something before it and a dotted domain after it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, String> {
        let text = text.trim();
        let bad = || format!("'{text}' is not an email address");
        let (local, domain) = text.split_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty()
            || !domain_ok
            || domain.contains('@')
            || text.contains(char::is_whitespace)
        {
            return Err(bad());
        }
        Ok(Email(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A need recorded under the Accessible Information Standard.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CommunicationNeed {
    LargePrint,
    EasyRead,
    Braille,
    BritishSignLanguage,
    Interpreter { language: String },
    Other { detail: String },
}

impl CommunicationNeed {
    /// One token of the register file: `large_print`, `easy_read`, `braille`, `bsl`,
    /// `interpreter:<language>` or `other:<text>`.
    pub fn parse(token: &str) -> Result<CommunicationNeed, String> {
        let token = token.trim();
        let (kind, detail) = match token.split_once(':') {
            Some((kind, detail)) => {
                (kind.trim().to_ascii_lowercase(), Some(collapse_spaces(detail)))
            }
            None => (token.to_ascii_lowercase(), None),
        };
        let plain = |need: CommunicationNeed| match &detail {
            None => Ok(need),
            Some(_) => Err(format!("communication need '{token}' takes no ':' detail")),
        };
        match kind.as_str() {
            "large_print" => plain(CommunicationNeed::LargePrint),
            "easy_read" => plain(CommunicationNeed::EasyRead),
            "braille" => plain(CommunicationNeed::Braille),
            "bsl" => plain(CommunicationNeed::BritishSignLanguage),
            "interpreter" => match detail {
                Some(language) if !language.is_empty() => Ok(CommunicationNeed::Interpreter { language }),
                _ => Err("an interpreter needs a language, written like interpreter:Polish".to_string()),
            },
            "other" => match detail {
                Some(detail) if !detail.is_empty() => Ok(CommunicationNeed::Other { detail }),
                _ => Err("an 'other' communication need needs a description, like other:needs a carer present".to_string()),
            },
            _ => Err(format!(
                "'{token}' is not a communication need (use large_print, easy_read, braille, bsl or interpreter:<language>)"
            )),
        }
    }

    /// Reads a semicolon-separated list; empty text is no needs. Duplicates are kept once.
    pub fn parse_list(text: &str) -> Result<Vec<CommunicationNeed>, String> {
        let mut needs = Vec::new();
        for token in text.split(';').filter(|t| !t.trim().is_empty()) {
            let need = CommunicationNeed::parse(token)?;
            if !needs.contains(&need) {
                needs.push(need);
            }
        }
        Ok(needs)
    }

    /// The token written back to files, the inverse of `parse`.
    pub fn token(&self) -> String {
        match self {
            CommunicationNeed::LargePrint => "large_print".into(),
            CommunicationNeed::EasyRead => "easy_read".into(),
            CommunicationNeed::Braille => "braille".into(),
            CommunicationNeed::BritishSignLanguage => "bsl".into(),
            CommunicationNeed::Interpreter { language } => format!("interpreter:{language}"),
            CommunicationNeed::Other { detail } => format!("other:{detail}"),
        }
    }

    /// What staff read on screen.
    pub fn label(&self) -> String {
        match self {
            CommunicationNeed::LargePrint => "Large print".into(),
            CommunicationNeed::EasyRead => "Easy read".into(),
            CommunicationNeed::Braille => "Braille".into(),
            CommunicationNeed::BritishSignLanguage => "British Sign Language".into(),
            CommunicationNeed::Interpreter { language } => format!("Interpreter: {language}"),
            CommunicationNeed::Other { detail } => format!("Other: {detail}"),
        }
    }
}

/// Whether the person is still registered. People who left or died are kept on file but must
/// never be sent anything.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RegistrationStatus {
    Registered,
    Left,
    Deceased,
}

impl RegistrationStatus {
    pub fn parse(text: &str) -> Result<RegistrationStatus, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "registered" | "" => Ok(RegistrationStatus::Registered),
            "left" => Ok(RegistrationStatus::Left),
            "deceased" => Ok(RegistrationStatus::Deceased),
            _ => Err(format!("status '{}' is not one of registered, left, deceased", text.trim())),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RegistrationStatus::Registered => "registered",
            RegistrationStatus::Left => "left",
            RegistrationStatus::Deceased => "deceased",
        }
    }

    /// Whether anything may be sent to the person.
    pub fn may_be_contacted(self) -> bool {
        self == RegistrationStatus::Registered
    }
}

/// The month of the year the person's review falls due (1 = January).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RecallMonth(u8);

impl RecallMonth {
    pub fn new(month: u32) -> Option<RecallMonth> {
        (1..=12).contains(&month).then_some(RecallMonth(month as u8))
    }

    pub fn parse(text: &str) -> Result<RecallMonth, String> {
        let text = text.trim();
        text.parse::<u32>()
            .ok()
            .and_then(RecallMonth::new)
            .ok_or_else(|| format!("recall month '{text}' is not a month number from 1 to 12"))
    }

    pub fn number(self) -> u32 {
        self.0 as u32
    }
}

impl fmt::Display for RecallMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = NaiveDate::from_ymd_opt(2000, self.number(), 1).unwrap().format("%B");
        write!(f, "{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_in_both_accepted_forms() {
        for (input, expected) in [
            ("1950-03-02", day(1950, 3, 2)),
            ("02/03/1950", day(1950, 3, 2)),
            ("2/3/1950", day(1950, 3, 2)),
            (" 29/02/2024 ", day(2024, 2, 29)),
            ("2000-02-29", day(2000, 2, 29)),
            ("31/12/1999", day(1999, 12, 31)),
        ] {
            assert_eq!(parse_date(input), Ok(expected), "{input:?}");
        }
    }

    #[test]
    fn ambiguous_or_unreal_dates_are_refused() {
        for input in [
            "",
            "1950",
            "02/03/50",
            "1950-3-2",
            "1950/03/02",
            "03-02-1950",
            "2 March 1950",
            "1950-03-02T00:00",
            "12/25/1950",
            "31/02/1950",
            "29/02/2023",
            "1950-13-01",
            "00/01/1950",
            "+1/01/1950",
            "１２/01/1950",
        ] {
            assert!(parse_date(input).is_err(), "{input:?} must be refused");
        }
        assert_eq!(parse_date("31/02/1950"), Err("'31/02/1950' is not a real date".into()));
    }

    #[test]
    fn dates_of_birth_are_plausible() {
        let today = day(2026, 11, 22);
        assert_eq!(parse_date_of_birth("22/11/2026", today), Ok(today));
        assert_eq!(
            parse_date_of_birth("23/11/2026", today),
            Err("the date of birth 23 November 2026 is in the future".into())
        );
        assert!(parse_date_of_birth("1900-01-01", today).unwrap_err().contains("125 years"));
        assert_eq!(parse_date_of_birth(" ", today), Err("the date of birth is missing".into()));
    }

    #[test]
    fn ages_count_whole_birthdays() {
        let dob = day(1950, 3, 2);
        assert_eq!(age_on(dob, day(2026, 3, 1)), 75);
        assert_eq!(age_on(dob, day(2026, 3, 2)), 76);
        assert_eq!(age_on(day(2000, 2, 29), day(2026, 2, 28)), 25);
        assert_eq!(age_on(day(2000, 2, 29), day(2026, 3, 1)), 26);
    }

    #[test]
    fn names_are_tidied_but_never_recased() {
        let name = PersonName::new("  O'BRIEN ", " Zoë\t Anne ").unwrap();
        assert_eq!((name.family(), name.given()), ("O'BRIEN", "Zoë Anne"));
        assert_eq!(PersonName::new(" ", "Ann"), Err(NameError::Missing("family name")));
        assert_eq!(PersonName::new("Smith", "123"), Err(NameError::NoLetters("given name")));
        assert_eq!(
            PersonName::new(&"a".repeat(101), "Ann"),
            Err(NameError::TooLong("family name"))
        );
    }

    #[test]
    fn sex_accepts_words_and_letters() {
        for (input, sex) in [
            ("female", Sex::Female),
            ("F", Sex::Female),
            ("Male", Sex::Male),
            ("m", Sex::Male),
            ("other", Sex::Other),
            ("U", Sex::Unknown),
            ("", Sex::Unknown),
        ] {
            assert_eq!(Sex::parse(input), Ok(sex), "{input:?}");
        }
        assert!(Sex::parse("x").unwrap_err().contains("'x'"));
    }

    #[test]
    fn communication_needs_round_trip_through_tokens() {
        let needs =
            CommunicationNeed::parse_list("large_print; INTERPRETER:Polish;bsl;;large_print")
                .unwrap();
        assert_eq!(
            needs,
            vec![
                CommunicationNeed::LargePrint,
                CommunicationNeed::Interpreter { language: "Polish".into() },
                CommunicationNeed::BritishSignLanguage,
            ]
        );
        let tokens: Vec<String> = needs.iter().map(CommunicationNeed::token).collect();
        assert_eq!(tokens, ["large_print", "interpreter:Polish", "bsl"]);
        assert_eq!(CommunicationNeed::parse_list("").unwrap(), vec![]);
    }

    #[test]
    fn unknown_or_incomplete_needs_are_refused() {
        assert!(CommunicationNeed::parse("interpreter").unwrap_err().contains("language"));
        assert!(CommunicationNeed::parse("interpreter: ").unwrap_err().contains("language"));
        assert!(CommunicationNeed::parse("big_print").unwrap_err().contains("'big_print'"));
        assert!(CommunicationNeed::parse("braille:grade 2").is_err());
    }

    #[test]
    fn phone_and_email_are_checked() {
        assert_eq!(Phone::parse(" 07700  900123 ").unwrap().as_str(), "07700 900123");
        assert!(Phone::parse("+44 (0)113 496 0000").is_ok());
        assert!(Phone::parse("0770090").is_err());
        assert!(Phone::parse("07700 9OO123").is_err());
        assert!(Email::parse("zoe@example.com").is_ok());
        for bad in
            ["zoe", "zoe@", "@example.com", "zoe@example", "zoe@@example.com", "zo e@example.com"]
        {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn status_and_recall_month() {
        assert_eq!(RegistrationStatus::parse("Deceased"), Ok(RegistrationStatus::Deceased));
        assert_eq!(RegistrationStatus::parse(""), Ok(RegistrationStatus::Registered));
        assert!(RegistrationStatus::parse("dead").is_err());
        assert!(!RegistrationStatus::Left.may_be_contacted());
        assert_eq!(RecallMonth::parse("03").map(|m| m.number()), Ok(3));
        assert_eq!(RecallMonth::parse("12").unwrap().to_string(), "December");
        for bad in ["0", "13", "March", "1.5"] {
            assert!(RecallMonth::parse(bad).is_err(), "{bad}");
        }
    }
}
