//! The practice's own settings: its letterhead, the name it gives its reviews, which people it
//! works with (the cohort) and the timings of its recall.

use super::catalogue::Catalogue;

/// The top of every letter.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Letterhead {
    pub practice_name: String,
    pub address: Vec<String>,
    pub phone: String,
    pub email: String,
    pub logo: Option<Logo>,
}

/// The practice's logo: a PNG image of a sensible size.
#[derive(Clone, PartialEq, Eq)]
pub struct Logo {
    png: Vec<u8>,
}

impl Logo {
    pub const MAX_BYTES: usize = 1_000_000;

    pub fn from_png(bytes: Vec<u8>) -> Result<Logo, String> {
        if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err("the logo must be a PNG image".to_string());
        }
        if bytes.len() > Logo::MAX_BYTES {
            return Err(format!(
                "the logo is {} KB; it must be under 1,000 KB",
                bytes.len() / 1000
            ));
        }
        Ok(Logo { png: bytes })
    }

    pub fn png(&self) -> &[u8] {
        &self.png
    }
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Logo({} bytes)", self.png.len())
    }
}

/// Which people the practice works with: everyone with a long-term condition, or only those
/// with chosen conditions (a practice may start with diabetes).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Cohort {
    AllConditions,
    Conditions(Vec<String>),
}

impl Cohort {
    /// Whether someone with these catalogue condition ids is in the cohort.
    pub fn includes<'a>(&self, mut condition_ids: impl Iterator<Item = &'a str>) -> bool {
        match self {
            Cohort::AllConditions => true,
            Cohort::Conditions(chosen) => condition_ids.any(|id| chosen.iter().any(|c| c == id)),
        }
    }

    /// Stored as `all` or condition ids separated by `;`.
    pub fn code(&self) -> String {
        match self {
            Cohort::AllConditions => "all".to_string(),
            Cohort::Conditions(ids) => ids.join(";"),
        }
    }

    pub fn parse(text: &str, catalogue: &Catalogue) -> Result<Cohort, String> {
        let text = text.trim();
        if text.is_empty() || text == "all" {
            return Ok(Cohort::AllConditions);
        }
        let mut ids = Vec::new();
        for id in text.split(';').map(str::trim).filter(|id| !id.is_empty()) {
            if catalogue.condition(id).is_none() {
                return Err(format!("'{id}' is not a condition in the catalogue"));
            }
            if !ids.iter().any(|known| known == id) {
                ids.push(id.to_string());
            }
        }
        Ok(if ids.is_empty() { Cohort::AllConditions } else { Cohort::Conditions(ids) })
    }
}

/// Everything a practice sets for the cycle and its letters.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PracticeSettings {
    pub letterhead: Letterhead,
    /// What the practice calls the review in letters: "Your annual health review".
    pub review_name: String,
    /// How to book, as the letter says it.
    pub booking_instructions: String,
    pub cohort: Cohort,
    /// Days without a booking after an invitation before the next one is due.
    pub reinvite_after_days: u32,
    /// Least and target days between the preparation pack and the conversation.
    pub pack_minimum_days: u32,
    pub pack_target_days: u32,
    /// Idle minutes before the window locks.
    pub lock_minutes: u32,
}

impl PracticeSettings {
    /// What a new practice starts with, until it fills in Settings.
    pub fn starting() -> PracticeSettings {
        PracticeSettings {
            letterhead: Letterhead {
                practice_name: "Your GP practice".to_string(),
                address: Vec::new(),
                phone: String::new(),
                email: String::new(),
                logo: None,
            },
            review_name: "annual health review".to_string(),
            booking_instructions: "Please phone the surgery to book, or ask at reception. Say \
                                   that you are booking the first appointment of your annual \
                                   review."
                .to_string(),
            cohort: Cohort::AllConditions,
            reinvite_after_days: 14,
            pack_minimum_days: 7,
            pack_target_days: 14,
            lock_minutes: super::access::DEFAULT_LOCK_MINUTES,
        }
    }

    /// Whether letters can be printed: the practice's name, address and phone number are
    /// filled in (a letter must say who it is from and how to reply).
    pub fn ready_for_letters(&self) -> Result<(), String> {
        let head = &self.letterhead;
        let mut missing = Vec::new();
        if head.practice_name.trim().is_empty()
            || head.practice_name == PracticeSettings::starting().letterhead.practice_name
        {
            missing.push("the practice's name");
        }
        if head.address.iter().all(|line| line.trim().is_empty()) {
            missing.push("its address");
        }
        if head.phone.trim().is_empty() {
            missing.push("its phone number");
        }
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!("letters cannot be printed until Settings has {}", missing.join(", ")))
        }
    }

    /// Checks values a person typed in Settings; each problem names its field.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if self.letterhead.practice_name.trim().is_empty() {
            problems.push("the practice name is needed for letters".to_string());
        }
        if self.review_name.trim().is_empty() {
            problems.push("the name of the review is needed for letters".to_string());
        }
        if self.booking_instructions.trim().is_empty() {
            problems.push("letters need to say how to book".to_string());
        }
        if !(7..=60).contains(&self.reinvite_after_days) {
            problems.push("the days before a reminder must be between 7 and 60".to_string());
        }
        if !(7..=42).contains(&self.pack_minimum_days) {
            problems.push(
                "the least days between pack and conversation must be between 7 and 42".to_string(),
            );
        }
        if self.pack_target_days < self.pack_minimum_days || self.pack_target_days > 60 {
            problems.push(
                "the target days between pack and conversation must be at least the least days, and at most 60"
                    .to_string(),
            );
        }
        if let Err(problem) = super::access::check_lock_minutes(self.lock_minutes) {
            problems.push(problem);
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cohort_picks_people_by_condition() {
        let diabetes = Cohort::Conditions(vec!["type-2-diabetes".into()]);
        assert!(diabetes.includes(["asthma", "type-2-diabetes"].into_iter()));
        assert!(!diabetes.includes(["asthma"].into_iter()));
        assert!(Cohort::AllConditions.includes(["asthma"].into_iter()));
        assert_eq!(diabetes.code(), "type-2-diabetes");
    }

    #[test]
    fn a_logo_is_a_png_of_a_sensible_size() {
        assert!(Logo::from_png(b"\x89PNG\r\n\x1a\nrest".to_vec()).is_ok());
        assert_eq!(Logo::from_png(b"GIF89a".to_vec()), Err("the logo must be a PNG image".into()));
        let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
        huge.resize(2_000_000, 0);
        assert!(Logo::from_png(huge).unwrap_err().contains("under 1,000 KB"));
    }

    #[test]
    fn letters_need_a_letterhead() {
        let mut settings = PracticeSettings::starting();
        assert_eq!(
            settings.ready_for_letters(),
            Err("letters cannot be printed until Settings has the practice's name, its address, its phone number".into())
        );
        settings.letterhead.practice_name = "Riverside Surgery".into();
        settings.letterhead.address = vec!["1 Mill Lane".into()];
        settings.letterhead.phone = "0113 496 0000".into();
        assert_eq!(settings.ready_for_letters(), Ok(()));
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let mut settings = PracticeSettings::starting();
        assert_eq!(settings.check(), Ok(()));
        settings.reinvite_after_days = 3;
        settings.pack_target_days = 5;
        settings.review_name = " ".into();
        let problems = settings.check().unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("name of the review"));
    }
}
