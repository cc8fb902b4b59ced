//! Alongside: personalised care and support planning for people with long-term conditions, for
//! one general practice, on its own PC. `cli::main` is the one entry point.

pub mod assets;
pub mod cli;
pub mod desktop;
pub mod documents;
pub mod domain;
pub mod exchange;
pub mod store;
