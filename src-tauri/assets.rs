//! The files of `assets/` that are compiled into the binary, so an installed Alongside never
//! depends on files beside it: today the condition catalogue.

use crate::domain::catalogue::{Catalogue, CatalogueError};

/// `(file name, contents)` of every file in `assets/catalogue/conditions/`, listed by build.rs.
pub const CONDITION_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/catalogue_files.rs"));

/// The shipped condition catalogue, checked. Called once at start-up: a broken catalogue stops
/// the app with a message naming the file.
pub fn catalogue() -> Result<Catalogue, CatalogueError> {
    Catalogue::from_files(CONDITION_FILES)
}
