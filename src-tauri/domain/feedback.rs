//! What people said about their care and support planning conversation, entered from the paper
//! form they fill in afterwards: collaboRATE (3 items) and the CARE measure (10 items), with
//! each measure's published scoring. Forms are reported only in aggregate.

use std::fmt;

/// The three collaboRATE questions, as the paper form asks them.
pub const COLLABORATE_ITEMS: [&str; 3] = [
    "How much effort was made to help you understand your health issues?",
    "How much effort was made to listen to the things that matter most to you about your health \
     issues?",
    "How much effort was made to include what matters most to you in choosing what to do next?",
];

/// What the paper form asks before the collaboRATE questions.
pub const COLLABORATE_STEM: &str = "Thinking about the appointment you have just had";

/// collaboRATE's five answers, as the paper form words them: the score is the answer's place,
/// 0 to 4.
pub const COLLABORATE_ANSWERS: [&str; 5] = [
    "No effort was made",
    "A little effort was made",
    "Some effort was made",
    "A lot of effort was made",
    "Every effort was made",
];

/// What the paper form asks before the CARE items.
pub const CARE_STEM: &str = "How was the clinician at…";

/// The CARE measure's five answers, as the paper form words them: the score is the answer's
/// place plus one, 1 to 5 ("does not apply" is an answer too, with no score).
pub const CARE_ANSWERS: [&str; 5] = ["Poor", "Fair", "Good", "Very good", "Excellent"];

/// The ten CARE measure items: "How was the clinician at…".
pub const CARE_ITEMS: [&str; 10] = [
    "Making you feel at ease",
    "Letting you tell your \"story\"",
    "Really listening",
    "Being interested in you as a whole person",
    "Fully understanding your concerns",
    "Showing care and compassion",
    "Being positive",
    "Explaining things clearly",
    "Helping you to take control",
    "Making a plan of action with you",
];

/// The most CARE items that may be "does not apply" or left blank for a form still to be
/// scored (Mercer): up to two are replaced by the mean of the others.
pub const CARE_MOST_UNSCORED: usize = 2;

/// One answer on the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Score(u8),
    /// "Does not apply" (the CARE measure only).
    DoesNotApply,
    /// Left blank.
    Blank,
}

/// A paper form as entered: every answer as ticked, nothing worked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedbackForm {
    collaborate: [Answer; 3],
    care: [Answer; 10],
}

/// Why a form cannot be kept as entered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FormError(pub String);

impl FeedbackForm {
    /// A form from its answers. collaboRATE answers are 0 to 4; CARE answers 1 to 5 or "does
    /// not apply". A form with every answer blank says nothing and is refused.
    pub fn new(collaborate: [Answer; 3], care: [Answer; 10]) -> Result<FeedbackForm, FormError> {
        for (n, answer) in collaborate.iter().enumerate() {
            match answer {
                Answer::Score(s) if *s > 4 => {
                    return Err(FormError(format!(
                        "collaboRATE question {} is answered {s}: answers go from 0 (no effort \
                         was made) to 4 (every effort was made)",
                        n + 1
                    )))
                }
                Answer::DoesNotApply => {
                    return Err(FormError(format!(
                        "collaboRATE question {} has no \"does not apply\": leave it blank if it \
                         was not answered",
                        n + 1
                    )))
                }
                _ => {}
            }
        }
        for (n, answer) in care.iter().enumerate() {
            if let Answer::Score(s) = answer {
                if !(1..=5).contains(s) {
                    return Err(FormError(format!(
                        "CARE question {} ({}) is answered {s}: answers go from 1 (poor) to 5 \
                         (excellent), or \"does not apply\"",
                        n + 1,
                        CARE_ITEMS[n]
                    )));
                }
            }
        }
        if collaborate.iter().chain(care.iter()).all(|a| *a == Answer::Blank) {
            return Err(FormError(
                "every answer on the form is blank: there is nothing to keep".into(),
            ));
        }
        Ok(FeedbackForm { collaborate, care })
    }

    /// Reads the stored form: collaboRATE as three characters `0`–`4`, CARE as ten characters
    /// `1`–`5`, `n` for "does not apply", and `-` for blank.
    pub fn from_codes(collaborate: &str, care: &str) -> Result<FeedbackForm, FormError> {
        fn answers<const N: usize>(text: &str, what: &str) -> Result<[Answer; N], FormError> {
            let chars: Vec<char> = text.chars().collect();
            if chars.len() != N {
                return Err(FormError(format!("{what} needs {N} answers, not {}", chars.len())));
            }
            let mut out = [Answer::Blank; N];
            for (slot, c) in out.iter_mut().zip(chars) {
                *slot = match c {
                    '-' => Answer::Blank,
                    'n' => Answer::DoesNotApply,
                    '0'..='9' => Answer::Score(c as u8 - b'0'),
                    other => {
                        return Err(FormError(format!(
                            "{what} has an answer '{other}' it cannot read"
                        )))
                    }
                };
            }
            Ok(out)
        }
        FeedbackForm::new(answers(collaborate, "collaboRATE")?, answers(care, "CARE")?)
    }

    /// The form as stored (see `from_codes`).
    pub fn codes(&self) -> (String, String) {
        fn code(a: &Answer) -> char {
            match a {
                Answer::Score(s) => (b'0' + s) as char,
                Answer::DoesNotApply => 'n',
                Answer::Blank => '-',
            }
        }
        (self.collaborate.iter().map(code).collect(), self.care.iter().map(code).collect())
    }

    pub fn collaborate(&self) -> &[Answer; 3] {
        &self.collaborate
    }

    pub fn care(&self) -> &[Answer; 10] {
        &self.care
    }

    /// The scores the report uses.
    pub fn scores(&self) -> FeedbackScores {
        FeedbackScores { collaborate: self.collaborate_score(), care: self.care_score() }
    }

    /// collaboRATE: the sum of the three answers (0 to 12), and whether every answer was the top
    /// one ("every effort was made"). Only a form with all three answered has a score.
    fn collaborate_score(&self) -> Option<Collaborate> {
        let mut total = 0u8;
        for answer in &self.collaborate {
            match answer {
                Answer::Score(s) => total += s,
                _ => return None,
            }
        }
        Some(Collaborate { total, top: total == 12 })
    }

    /// CARE: the sum of the ten answers (10 to 50). Up to two answers "does not apply" or blank
    /// are each replaced by the mean of the answered ones; with more, the form is not scored.
    fn care_score(&self) -> CareScore {
        let scored: Vec<u8> = self
            .care
            .iter()
            .filter_map(|a| match a {
                Answer::Score(s) => Some(*s),
                _ => None,
            })
            .collect();
        let unscored = 10 - scored.len();
        if scored.is_empty() {
            return CareScore::NotAnswered;
        }
        if unscored > CARE_MOST_UNSCORED {
            return CareScore::TooManyUnanswered(unscored as u8);
        }
        let sum: u32 = scored.iter().map(|s| u32::from(*s)).sum();
        // sum + unscored × (sum / answered), kept exact as a fraction over `answered`.
        let answered = scored.len() as u32;
        CareScore::Total(Fraction {
            numerator: sum * (answered + unscored as u32),
            denominator: answered,
        })
    }
}

/// collaboRATE's total and whether it was the top score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Collaborate {
    pub total: u8,
    pub top: bool,
}

/// A CARE total, exactly: the replaced answers make it a fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fraction {
    pub numerator: u32,
    pub denominator: u32,
}

impl Fraction {
    pub fn value(self) -> f64 {
        f64::from(self.numerator) / f64::from(self.denominator)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CareScore {
    Total(Fraction),
    /// More than two items "does not apply" or blank (how many): not scored.
    TooManyUnanswered(u8),
    /// The CARE part was left blank altogether.
    NotAnswered,
}

/// What one form adds to the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedbackScores {
    pub collaborate: Option<Collaborate>,
    pub care: CareScore,
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Score(s) => write!(f, "{s}"),
            Answer::DoesNotApply => f.write_str("does not apply"),
            Answer::Blank => f.write_str("blank"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(collaborate: &str, care: &str) -> FeedbackForm {
        FeedbackForm::from_codes(collaborate, care).unwrap()
    }

    #[test]
    fn collaborate_is_the_sum_of_three_answers_and_top_only_when_all_are_four() {
        let cases = [
            ("444", Some((12, true))),
            ("443", Some((11, false))),
            ("000", Some((0, false))),
            ("4-4", None),
            ("---", None),
        ];
        for (answers, expected) in cases {
            let got = form(answers, "5555555555").scores().collaborate.map(|c| (c.total, c.top));
            assert_eq!(got, expected, "collaboRATE {answers}");
        }
    }

    #[test]
    fn care_replaces_up_to_two_missing_answers_with_the_mean_of_the_rest() {
        // All ten answered: the plain sum.
        match form("444", "5432154321").scores().care {
            CareScore::Total(f) => assert_eq!(f.value(), 30.0),
            other => panic!("expected a total, got {other:?}"),
        }
        // Two not applicable, eight answered summing 32 (mean 4): 32 + 2 × 4 = 40.
        let two = form("444", "44444n444-").scores().care;
        match two {
            CareScore::Total(f) => assert_eq!(f.value(), 40.0),
            other => panic!("expected a total, got {other:?}"),
        }
        // One blank, nine answered all 5: 45 + 5 = 50.
        match form("444", "5555555-55").scores().care {
            CareScore::Total(f) => assert!((f.value() - 50.0).abs() < 1e-9),
            other => panic!("expected a total, got {other:?}"),
        }
        match form("444", "1234512-45").scores().care {
            CareScore::Total(f) => assert!((f.value() - (27.0 + 27.0 / 9.0)).abs() < 1e-9),
            other => panic!("expected a total, got {other:?}"),
        }
        assert_eq!(form("444", "nnn5555555").scores().care, CareScore::TooManyUnanswered(3));
        assert_eq!(form("444", "----------").scores().care, CareScore::NotAnswered);
    }

    #[test]
    fn answers_out_of_range_are_refused_naming_the_question() {
        let refusals = [
            ("454", "5555555555", "collaboRATE question 2 is answered 5"),
            ("n44", "5555555555", "collaboRATE question 1 has no \"does not apply\""),
            ("444", "5555505555", "CARE question 6 (Showing care and compassion) is answered 0"),
            ("444", "555555555", "CARE needs 10 answers, not 9"),
            ("44x", "5555555555", "collaboRATE has an answer 'x'"),
            ("---", "----------", "every answer on the form is blank"),
        ];
        for (collaborate, care, words) in refusals {
            let error = FeedbackForm::from_codes(collaborate, care).unwrap_err();
            assert!(error.0.contains(words), "{collaborate}/{care}: {error}");
        }
    }

    #[test]
    fn a_form_is_stored_exactly_as_ticked() {
        for (collaborate, care) in
            [("40-", "5n-4321555"), ("---", "1111111111"), ("012", "----------")]
        {
            let (a, b) = form(collaborate, care).codes();
            assert_eq!((a.as_str(), b.as_str()), (collaborate, care));
        }
    }
}
