//! UK postcodes: checked against the shapes Royal Mail uses and written the one way letters
//! need them, upper case with a single space before the last three characters.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Postcode {
    text: String,
}

#[derive(Clone, PartialEq, Eq, Debug, thiserror::Error)]
#[error("'{0}' is not a UK postcode (expected something like LS1 4AB or SW1A 1AA)")]
pub struct PostcodeError(pub String);

impl Postcode {
    /// Accepts any case and spacing (`ls14ab`, `LS1  4AB`); normalises to `LS1 4AB`.
    pub fn parse(text: &str) -> Result<Postcode, PostcodeError> {
        let compact: String =
            text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let refuse = || PostcodeError(text.trim().to_string());
        if !compact.is_ascii() || !(5..=7).contains(&compact.len()) {
            return Err(refuse());
        }
        let (outward, inward) = compact.split_at(compact.len() - 3);
        if compact == "GIR0AA" || (outward_is_valid(outward) && inward_is_valid(inward)) {
            Ok(Postcode { text: format!("{outward} {inward}") })
        } else {
            Err(refuse())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The inward code is a digit and two letters, never C, I, K, M, O or V.
fn inward_is_valid(inward: &str) -> bool {
    let b = inward.as_bytes();
    b.len() == 3
        && b[0].is_ascii_digit()
        && b[1..].iter().all(|c| c.is_ascii_uppercase() && !b"CIKMOV".contains(c))
}

/// Outward shapes: A9, A99, AA9, AA99, A9A, AA9A (A a letter, 9 a digit).
fn outward_is_valid(outward: &str) -> bool {
    let shape: String = outward
        .bytes()
        .map(|c| match c {
            b'A'..=b'Z' => 'A',
            b'0'..=b'9' => '9',
            _ => '?',
        })
        .collect();
    let b = outward.as_bytes();
    let area_ok = !b"QVX".contains(&b[0])
        && (shape.len() < 2 || &shape[1..2] != "A" || !b"IJZ".contains(&b[1]));
    area_ok && matches!(shape.as_str(), "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_postcodes_are_normalised() {
        for (input, expected) in [
            ("LS1 4AB", "LS1 4AB"),
            ("ls14ab", "LS1 4AB"),
            ("  sw1a  1aa ", "SW1A 1AA"),
            ("M1 1AE", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
            ("EC1A 1BB", "EC1A 1BB"),
            ("GIR 0AA", "GIR 0AA"),
        ] {
            assert_eq!(Postcode::parse(input).map(|p| p.to_string()), Ok(expected.to_string()));
        }
    }

    #[test]
    fn malformed_postcodes_are_refused() {
        for input in [
            "",
            "LS1",
            "LS1 4A",
            "LS1 AAB",
            "LS14 4ABC",
            "1LS 4AB",
            "QS1 4AB",
            "LI1 4AB",
            "LS1 4CB",
            "LS1-4AB",
            "ŁS1 4AB",
            "LS1 4AB5",
            "123 456",
        ] {
            assert!(Postcode::parse(input).is_err(), "{input:?} is not a postcode");
        }
    }

    #[test]
    fn the_message_quotes_what_was_typed() {
        let err = Postcode::parse(" LS1 ").unwrap_err().to_string();
        assert!(err.starts_with("'LS1' is not a UK postcode"), "{err}");
    }
}
