//! Data that crosses the practice's boundary in files: the register file from the clinical
//! system, and the demonstration practice made to look like one. Later: exports and backups.

pub mod demo;
pub mod register_import;
