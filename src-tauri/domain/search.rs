//! What a person typed into the register's search box, and how names are folded so that
//! `zoe` finds Zoë and `obrien` finds O'Brien.

use chrono::NaiveDate;

use super::nhs_number::NhsNumber;
use super::person::{parse_date, PersonName, RegistrationStatus};

/// The meaning of the text in the search box.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SearchText {
    /// Nothing typed: everyone who matches the filters.
    Everyone,
    NhsNumber(NhsNumber),
    /// Three or more digits that are not a whole NHS number: numbers starting with them.
    NhsNumberStart(String),
    DateOfBirth(NaiveDate),
    /// Every word must begin one of the person's names.
    Name(Vec<String>),
}

impl SearchText {
    pub fn parse(text: &str) -> SearchText {
        let text = text.trim();
        if text.is_empty() {
            return SearchText::Everyone;
        }
        if let Ok(date) = parse_date(text) {
            return SearchText::DateOfBirth(date);
        }
        if text.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-') {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            if let Ok(number) = NhsNumber::parse(&digits) {
                return SearchText::NhsNumber(number);
            }
            if digits.len() >= 3 {
                return SearchText::NhsNumberStart(digits.chars().take(10).collect());
            }
        }
        let words = words(text);
        if words.is_empty() {
            SearchText::Everyone
        } else {
            SearchText::Name(words)
        }
    }
}

/// The filters beside the search box.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RegisterFilter {
    /// A catalogue condition id, such as `type-2-diabetes`.
    pub condition_id: Option<String>,
    pub condition_count: ConditionCount,
    pub frailty: FrailtyFilter,
    /// `None` shows everyone, whatever their registration status.
    pub status: Option<RegistrationStatus>,
}

impl Default for RegisterFilter {
    /// Everyone currently registered.
    fn default() -> RegisterFilter {
        RegisterFilter {
            condition_id: None,
            condition_count: ConditionCount::Any,
            frailty: FrailtyFilter::Any,
            status: Some(RegistrationStatus::Registered),
        }
    }
}

/// How many long-term conditions (frailty not counted) a person lives with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ConditionCount {
    Any,
    One,
    TwoOrMore,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FrailtyFilter {
    Any,
    Frail,
    ModerateOrSevere,
    NotFrail,
}

/// The words a person can be found by: each part of the family and given names, folded.
pub fn name_words(name: &PersonName) -> Vec<String> {
    let mut all = words(name.family());
    for word in words(name.given()) {
        if !all.contains(&word) {
            all.push(word);
        }
    }
    all
}

/// The key names sort by: family name then given name, folded.
pub fn sort_key(name: &PersonName) -> String {
    format!("{} {}", fold(name.family()), fold(name.given()))
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '-' | ',' | '.' | '/'))
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect()
}

/// Lower case, accents removed from Latin letters, apostrophes dropped.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\'' | '’' | '‘' | '`' => {}
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä'
            | 'Å' | 'Ā' | 'Ă' | 'Ą' => out.push('a'),
            'æ' | 'Æ' => out.push_str("ae"),
            'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => out.push('c'),
            'ď' | 'đ' | 'Ď' | 'Đ' => out.push('d'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė'
            | 'Ę' | 'Ě' => out.push('e'),
            'ğ' | 'Ğ' => out.push('g'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'İ' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => {
                out.push('i')
            }
            'ł' | 'Ł' => out.push('l'),
            'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø'
            | 'Ō' | 'Ő' => out.push('o'),
            'œ' | 'Œ' => out.push_str("oe"),
            'ř' | 'Ř' => out.push('r'),
            'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ť' | 'Ť' => out.push('t'),
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => {
                out.push('u')
            }
            'ý' | 'ÿ' | 'Ý' | 'Ÿ' => out.push('y'),
            'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => out.push('z'),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_understands_numbers_dates_and_names() {
        let nhs = NhsNumber::parse("9434765919").unwrap();
        for (input, expected) in [
            ("", SearchText::Everyone),
            ("   ", SearchText::Everyone),
            ("943 476 5919", SearchText::NhsNumber(nhs.clone())),
            ("9434765919", SearchText::NhsNumber(nhs)),
            ("943 476", SearchText::NhsNumberStart("943476".into())),
            ("9434765918", SearchText::NhsNumberStart("9434765918".into())),
            ("02/03/1950", SearchText::DateOfBirth(NaiveDate::from_ymd_opt(1950, 3, 2).unwrap())),
            ("1950-03-02", SearchText::DateOfBirth(NaiveDate::from_ymd_opt(1950, 3, 2).unwrap())),
            ("smi", SearchText::Name(vec!["smi".into()])),
            ("Smith, John", SearchText::Name(vec!["smith".into(), "john".into()])),
            ("O'Brien", SearchText::Name(vec!["obrien".into()])),
            ("Zoë", SearchText::Name(vec!["zoe".into()])),
            ("12", SearchText::Name(vec!["12".into()])),
            ("'", SearchText::Everyone),
        ] {
            assert_eq!(SearchText::parse(input), expected, "{input:?}");
        }
    }

    #[test]
    fn every_part_of_a_name_can_be_searched() {
        let name = PersonName::new("Smith-Jones", "Mary Ann").unwrap();
        assert_eq!(name_words(&name), ["smith", "jones", "mary", "ann"]);
        let name = PersonName::new("NOWAK", "Łukasz").unwrap();
        assert_eq!(name_words(&name), ["nowak", "lukasz"]);
        assert_eq!(sort_key(&name), "nowak lukasz");
    }
}
