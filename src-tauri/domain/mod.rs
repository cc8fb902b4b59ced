//! The model of the practice's work: people on the register, their long-term conditions and
//! the rules that decide what a valid value is. Pure: no SQL, no Tauri, no PDF, no files, no clock.

pub mod catalogue;
pub mod nhs_number;
pub mod person;
pub mod postcode;
pub mod register;
pub mod search;
pub mod snomed;
