//! The NHS number: ten digits, the last a modulus 11 check digit, issued only in known ranges.
//! Parsed once at the boundary; an `NhsNumber` that exists is valid.

use std::fmt;

/// A valid NHS number. Displayed as `943 476 5919`; stored as ten digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct NhsNumber {
    digits: String,
}

/// Why text is not an NHS number, in words a receptionist understands.
#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
pub enum NhsNumberError {
    #[error("the NHS number is missing")]
    Missing,
    #[error("an NHS number is 10 digits; '{0}' contains other characters")]
    NotDigits(String),
    #[error("an NHS number is 10 digits; '{text}' has {count}")]
    WrongLength { text: String, count: usize },
    #[error("'{0}' is not a valid NHS number: the check digit does not match, so it was probably mistyped")]
    BadCheckDigit(String),
    #[error("'{0}' is not in a range of numbers the NHS issues")]
    NotIssued(String),
}

impl NhsNumber {
    /// Reads an NHS number typed with or without spaces (or hyphens) between the groups.
    pub fn parse(text: &str) -> Result<NhsNumber, NhsNumberError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(NhsNumberError::Missing);
        }
        let compact: String = trimmed.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(NhsNumberError::NotDigits(trimmed.to_string()));
        }
        if compact.len() != 10 {
            return Err(NhsNumberError::WrongLength {
                text: trimmed.to_string(),
                count: compact.len(),
            });
        }
        let digits: Vec<u32> = compact.chars().map(|c| c.to_digit(10).unwrap()).collect();
        if check_digit(&digits[..9]) != Some(digits[9]) {
            return Err(NhsNumberError::BadCheckDigit(format_groups(&compact)));
        }
        let number = NhsNumber { digits: compact };
        if !number.is_test() && !number.is_issuable() {
            return Err(NhsNumberError::NotIssued(number.to_string()));
        }
        Ok(number)
    }

    /// Builds the valid NHS number that starts with these nine digits, if there is one (about
    /// one nine-digit stem in eleven has none). Used to make test-range numbers for the demo.
    pub fn from_stem(stem: u32) -> Option<NhsNumber> {
        let text = format!("{stem:09}");
        if text.len() != 9 {
            return None;
        }
        let digits: Vec<u32> = text.chars().map(|c| c.to_digit(10).unwrap()).collect();
        let check = check_digit(&digits)?;
        NhsNumber::parse(&format!("{text}{check}")).ok()
    }

    /// The ten digits with no spaces, as stored and exported.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// Numbers beginning 999 are reserved for testing and never issued to a person.
    pub fn is_test(&self) -> bool {
        self.digits.starts_with("999")
    }

    /// No NHS or CHI number is below 010 100 0000 (CHI numbers begin with a date of birth).
    /// Above that the check digit is the test: England, Wales and the Isle of Man issue
    /// 300–799 million, Northern Ireland 320–399 million, Scotland 010 100 0000 to 311 299 9999,
    /// and published examples such as 943 476 5919 and 991 200 3888 must be accepted, so no
    /// narrower table is applied that could refuse a real person's number.
    fn is_issuable(&self) -> bool {
        let value: u64 = self.digits.parse().unwrap();
        value >= 101_000_000
    }
}

/// Modulus 11 with weights 10 down to 2; `None` when the check would be 10 (never issued).
fn check_digit(first_nine: &[u32]) -> Option<u32> {
    let sum: u32 = first_nine.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        check => Some(check),
    }
}

fn format_groups(digits: &str) -> String {
    format!("{} {} {}", &digits[..3], &digits[3..6], &digits[6..])
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_groups(&self.digits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, NhsNumberError>) {
        let actual = NhsNumber::parse(input).map(|n| n.as_str().to_string());
        assert_eq!(actual, expected.map(str::to_string), "parsing {input:?}");
    }

    #[test]
    fn valid_numbers_parse_with_or_without_spaces() {
        for (input, digits) in [
            ("9434765919", "9434765919"),
            ("943 476 5919", "9434765919"),
            ("  943 476 5919 ", "9434765919"),
            ("943-476-5919", "9434765919"),
            ("991 200 3888", "9912003888"),
            ("4010232137", "4010232137"),
            ("0101000006", "0101000006"),
        ] {
            check(input, Ok(digits));
        }
    }

    #[test]
    fn test_range_numbers_are_accepted_and_marked() {
        for input in [
            "9990000018",
            "999 000 0026",
            "9990000034",
            "9990000042",
            "9990000050",
            "9991112227",
            "9996543218",
            "9999999999",
        ] {
            let number = NhsNumber::parse(input).expect(input);
            assert!(number.is_test(), "{input} is in the 999 test range");
        }
        assert!(!NhsNumber::parse("9434765919").unwrap().is_test());
    }

    #[test]
    fn wrong_check_digits_are_refused() {
        for input in ["9434765918", "9434765910", "9876544321", "999 000 0019"] {
            assert!(
                matches!(NhsNumber::parse(input), Err(NhsNumberError::BadCheckDigit(_))),
                "{input} has a wrong check digit"
            );
        }
    }

    #[test]
    fn numbers_whose_check_would_be_ten_are_refused() {
        for input in ["1234567890", "9990000000", "9991234560"] {
            assert!(
                matches!(NhsNumber::parse(input), Err(NhsNumberError::BadCheckDigit(_))),
                "{input}: no check digit exists for this stem"
            );
        }
        for last in 0..10 {
            let input = format!("999123456{last}");
            assert!(NhsNumber::parse(&input).is_err(), "{input} can never be valid");
        }
    }

    #[test]
    fn numbers_outside_issued_ranges_are_refused() {
        for input in ["0000000000", "0012345679", "0100999999"] {
            let result = NhsNumber::parse(input);
            assert!(
                matches!(result, Err(NhsNumberError::NotIssued(_))),
                "{input}: {result:?} passes the checksum but is not issued"
            );
        }
    }

    #[test]
    fn malformed_text_is_refused_with_a_reason() {
        assert_eq!(NhsNumber::parse("   "), Err(NhsNumberError::Missing));
        assert_eq!(
            NhsNumber::parse("943 476 591"),
            Err(NhsNumberError::WrongLength { text: "943 476 591".into(), count: 9 })
        );
        assert_eq!(
            NhsNumber::parse("94347659190"),
            Err(NhsNumberError::WrongLength { text: "94347659190".into(), count: 11 })
        );
        assert_eq!(
            NhsNumber::parse("943 476 591O"),
            Err(NhsNumberError::NotDigits("943 476 591O".into()))
        );
        assert_eq!(
            NhsNumber::parse("9.434765919E9"),
            Err(NhsNumberError::NotDigits("9.434765919E9".into()))
        );
    }

    #[test]
    fn display_groups_three_three_four() {
        assert_eq!(NhsNumber::parse("9434765919").unwrap().to_string(), "943 476 5919");
    }

    #[test]
    fn messages_name_the_number() {
        let err = NhsNumber::parse("9434765918").unwrap_err().to_string();
        assert!(err.contains("943 476 5918") && err.contains("check digit"), "{err}");
    }

    #[test]
    fn stems_make_valid_test_numbers() {
        assert_eq!(NhsNumber::from_stem(999_000_001).unwrap().as_str(), "9990000018");
        assert_eq!(NhsNumber::from_stem(999_000_002).unwrap().as_str(), "9990000026");
        assert!(NhsNumber::from_stem(999_000_000).is_none(), "999 000 000 has no check digit");
        let made = (999_000_000..999_000_110).filter_map(NhsNumber::from_stem).count();
        assert!(made > 90, "most stems give a number ({made} of 110)");
    }
}
