//! Practice settings kept in the database: the practice's name, and whether this database is
//! the demonstration practice.

use super::{optional_text, Store, StoreError, Write};

const PRACTICE_NAME: &str = "practice_name";
const IS_DEMO: &str = "is_demo";

impl Store {
    /// The name shown in the window title and, later, on letters.
    pub fn practice_name(&self) -> Result<Option<String>, StoreError> {
        optional_text(self.conn(), "SELECT value FROM setting WHERE key = ?1", PRACTICE_NAME)
    }

    /// Whether this is the demonstration practice (never the practice's real data).
    pub fn is_demo(&self) -> Result<bool, StoreError> {
        Ok(optional_text(self.conn(), "SELECT value FROM setting WHERE key = ?1", IS_DEMO)?
            .is_some_and(|v| v == "true"))
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

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )?;
        Ok(())
    }
}
