//! SNOMED CT identifiers: 6 to 18 digits whose last digit is a Verhoeff check digit.
//! A mistyped code is caught here, before it is looked up in the catalogue.

use std::fmt;

/// A well-formed SNOMED CT concept identifier (its meaning is the catalogue's business).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct SnomedCode {
    digits: String,
}

#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum SnomedCodeError {
    #[error("the condition code is empty")]
    Missing,
    #[error("'{0}' is not a SNOMED CT code: codes are 6 to 18 digits")]
    NotDigits(String),
    #[error("'{0}' is not a valid SNOMED CT code: its check digit does not match, so it was probably mistyped")]
    BadCheckDigit(String),
    #[error("'{0}' is a SNOMED CT identifier but not a concept code")]
    NotAConcept(String),
}

impl SnomedCode {
    pub fn parse(text: &str) -> Result<SnomedCode, SnomedCodeError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SnomedCodeError::Missing);
        }
        if !(6..=18).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SnomedCodeError::NotDigits(text.to_string()));
        }
        if text.starts_with('0') {
            return Err(SnomedCodeError::NotDigits(text.to_string()));
        }
        if !verhoeff_valid(text) {
            return Err(SnomedCodeError::BadCheckDigit(text.to_string()));
        }
        // The two digits before the check digit are the partition: 00 and 10 are concepts.
        let partition = &text[text.len() - 3..text.len() - 1];
        if partition != "00" && partition != "10" {
            return Err(SnomedCodeError::NotAConcept(text.to_string()));
        }
        Ok(SnomedCode { digits: text.to_string() })
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }
}

impl fmt::Display for SnomedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

fn verhoeff_valid(digits: &str) -> bool {
    let mut c = 0u8;
    for (i, b) in digits.bytes().rev().enumerate() {
        c = VERHOEFF_D[c as usize][VERHOEFF_P[i % 8][(b - b'0') as usize] as usize];
    }
    c == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_codes_parse() {
        for code in [
            "44054006",
            "46635009",
            "195967001",
            "925791000000100",
            "999791000000106",
            "1091811000000102",
            "425268008",
        ] {
            assert_eq!(SnomedCode::parse(code).map(|c| c.to_string()), Ok(code.to_string()));
        }
    }

    #[test]
    fn mistyped_codes_are_caught_by_the_check_digit() {
        for code in ["44054007", "44045006", "195967010", "925791000000101"] {
            assert_eq!(
                SnomedCode::parse(code),
                Err(SnomedCodeError::BadCheckDigit(code.to_string())),
                "{code}"
            );
        }
    }

    #[test]
    fn text_that_is_not_a_code_is_refused() {
        assert_eq!(SnomedCode::parse(" "), Err(SnomedCodeError::Missing));
        for text in ["T2DM", "4405", "44054006x", "1234567890123456789", "044054006"] {
            assert_eq!(SnomedCode::parse(text), Err(SnomedCodeError::NotDigits(text.into())));
        }
    }

    #[test]
    fn description_ids_are_not_concepts() {
        // Partition 01 marks a description identifier, not a concept.
        let description =
            (0..10).map(|d| format!("12345601{d}")).find(|t| verhoeff_valid(t)).unwrap();
        assert_eq!(SnomedCode::parse(&description), Err(SnomedCodeError::NotAConcept(description)));
    }
}
