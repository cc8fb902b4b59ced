//! The model of the practice's work: people on the register, their long-term conditions and
//! the rules that decide what a valid value is. Pure: no SQL, no Tauri, no PDF, no files, no clock.

pub mod access;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod careplan;
pub mod catalogue;
pub mod checklist;
pub mod cycle;
pub mod directory;
pub mod feedback;
pub mod fhir;
pub mod invitation;
pub mod letters;
pub mod measures;
pub mod metrics;
pub mod nhs_number;
pub mod pack;
pub mod person;
pub mod postcode;
pub mod practice;
pub mod recall;
pub mod register;
pub mod rules;
pub mod search;
pub mod snomed;
pub mod steering;
pub mod triage;
