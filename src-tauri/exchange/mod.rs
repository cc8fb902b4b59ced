//! The practice's work coming in and going out: the register file from the clinical system,
//! the recall list and its printed invitations, backups and restores, and the demonstration
//! practice.

pub mod access;
pub mod backup;
pub mod careplans;
pub mod contact1;
pub mod csv_table;
pub mod demo;
pub mod directory;
pub mod packs;
pub mod recall;
pub mod register_export;
pub mod register_import;
pub mod reports;
pub mod results_import;
pub mod triage;
