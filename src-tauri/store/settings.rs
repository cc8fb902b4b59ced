//! Practice settings kept in the database: the letterhead, the name of the review, the cohort,
//! the recall timings, and whether this database is the demonstration practice.

use super::{optional_text, Store, StoreError, Write};
use crate::domain::catalogue::Catalogue;
use rusqlite::OptionalExtension;

use crate::domain::practice::{Cohort, Logo, PracticeSettings};

const PRACTICE_NAME: &str = "practice_name";
const IS_DEMO: &str = "is_demo";

impl Store {
    /// The name shown in the window title and on letters.
    pub fn practice_name(&self) -> Result<Option<String>, StoreError> {
        self.setting(PRACTICE_NAME)
    }

    /// Whether this is the demonstration practice (never the practice's real data).
    pub fn is_demo(&self) -> Result<bool, StoreError> {
        Ok(self.setting(IS_DEMO)?.is_some_and(|v| v == "true"))
    }

    /// Every practice setting, with the starting values for any never set.
    pub fn practice_settings(&self, catalogue: &Catalogue) -> Result<PracticeSettings, StoreError> {
        let mut settings = PracticeSettings::starting();
        if let Some(name) = self.setting(PRACTICE_NAME)? {
            settings.letterhead.practice_name = name;
        }
        if let Some(address) = self.setting("practice_address")? {
            settings.letterhead.address = address.lines().map(str::to_string).collect();
        }
        if let Some(phone) = self.setting("practice_phone")? {
            settings.letterhead.phone = phone;
        }
        if let Some(email) = self.setting("practice_email")? {
            settings.letterhead.email = email;
        }
        let logo: Option<Vec<u8>> = self
            .conn()
            .prepare_cached("SELECT png FROM letterhead_logo WHERE id = 1")?
            .query_row([], |r| r.get(0))
            .optional()?;
        settings.letterhead.logo =
            logo.map(Logo::from_png).transpose().map_err(StoreError::Unreadable)?;
        if let Some(name) = self.setting("review_name")? {
            settings.review_name = name;
        }
        if let Some(text) = self.setting("booking_instructions")? {
            settings.booking_instructions = text;
        }
        if let Some(cohort) = self.setting("cohort")? {
            settings.cohort = Cohort::parse(&cohort, catalogue).map_err(StoreError::Unreadable)?;
        }
        let days = |key: &str, value: &mut u32| -> Result<(), StoreError> {
            if let Some(text) = self.setting(key)? {
                *value = text
                    .parse()
                    .map_err(|_| StoreError::Unreadable(format!("setting {key}: '{text}'")))?;
            }
            Ok(())
        };
        days("reinvite_after_days", &mut settings.reinvite_after_days)?;
        days("pack_minimum_days", &mut settings.pack_minimum_days)?;
        days("pack_target_days", &mut settings.pack_target_days)?;
        days("lock_minutes", &mut settings.lock_minutes)?;
        Ok(settings)
    }

    fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        optional_text(self.conn(), "SELECT value FROM setting WHERE key = ?1", key)
    }
}

impl Write<'_> {
    pub fn set_practice_name(&mut self, name: &str) -> Result<(), StoreError> {
        self.set(PRACTICE_NAME, name)?;
        self.audit("settings.practice_name", None, &format!("practice name set to {name}"))
    }

    pub fn mark_as_demo(&mut self) -> Result<(), StoreError> {
        self.set(IS_DEMO, "true")?;
        self.audit("settings.demo", None, "marked as the demonstration practice")
    }

    /// Saves every practice setting, auditing each one that changed with its old and new value.
    pub fn save_practice_settings(
        &mut self,
        before: &PracticeSettings,
        after: &PracticeSettings,
    ) -> Result<usize, StoreError> {
        let values = |s: &PracticeSettings| {
            [
                (PRACTICE_NAME, s.letterhead.practice_name.clone()),
                ("practice_address", s.letterhead.address.join("\n")),
                ("practice_phone", s.letterhead.phone.clone()),
                ("practice_email", s.letterhead.email.clone()),
                ("review_name", s.review_name.clone()),
                ("booking_instructions", s.booking_instructions.clone()),
                ("cohort", s.cohort.code()),
                ("reinvite_after_days", s.reinvite_after_days.to_string()),
                ("pack_minimum_days", s.pack_minimum_days.to_string()),
                ("pack_target_days", s.pack_target_days.to_string()),
                ("lock_minutes", s.lock_minutes.to_string()),
            ]
        };
        let mut changed = 0;
        for ((key, old), (_, new)) in values(before).into_iter().zip(values(after)) {
            if old != new {
                self.set(key, &new)?;
                let show = |v: &str| {
                    if v.is_empty() {
                        "(empty)".to_string()
                    } else {
                        v.replace('\n', ", ")
                    }
                };
                self.audit(
                    &format!("settings.{key}"),
                    None,
                    &format!("{key}: {} → {}", show(&old), show(&new)),
                )?;
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// Puts a logo on the letterhead, or takes it off.
    pub fn set_logo(&mut self, logo: Option<&Logo>) -> Result<(), StoreError> {
        match logo {
            Some(logo) => {
                self.tx.execute(
                    "INSERT INTO letterhead_logo (id, png, added_at) VALUES (1, ?1, ?2)
                     ON CONFLICT (id) DO UPDATE SET png = excluded.png, added_at = excluded.added_at",
                    (logo.png(), &self.at),
                )?;
                self.audit(
                    "settings.logo",
                    None,
                    &format!("letterhead logo set ({} KB)", logo.png().len().div_ceil(1000)),
                )
            }
            None => {
                self.tx.execute("DELETE FROM letterhead_logo", [])?;
                self.audit("settings.logo", None, "letterhead logo removed")
            }
        }
    }

    /// Keeps one setting's text, replacing what it was.
    pub(super) fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )?;
        Ok(())
    }
}
