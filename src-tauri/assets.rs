//! The files of `assets/` that are compiled into the binary, so an installed Alongside never
//! depends on files beside it: the condition catalogue, letter wording and fonts.

use crate::domain::catalogue::{Catalogue, CatalogueError};

/// `(file name, contents)` of every file in `assets/catalogue/conditions/`, listed by build.rs.
pub const CONDITION_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/catalogue_files.rs"));

/// The shipped condition catalogue, checked. Called once at start-up: a broken catalogue stops
/// the app with a message naming the file.
pub fn catalogue() -> Result<Catalogue, CatalogueError> {
    Catalogue::from_files(CHECKS, ITEMS, CONDITION_FILES)
}

/// What contact 1 measures: `assets/catalogue/items.json`.
pub const ITEMS: &str = include_str!("../assets/catalogue/items.json");

/// What happens at contact 1, in letter words: `assets/catalogue/checks.json`.
pub const CHECKS: &str = include_str!("../assets/catalogue/checks.json");

/// The words of invitation letters: `assets/texts/invitation.json`.
pub const INVITATION_TEXTS: &str = include_str!("../assets/texts/invitation.json");

/// DejaVu Sans, regular and bold (Bitstream Vera licence: `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT_REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
pub const FONT_BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// The invitation wording, checked. Called at start-up with the catalogue.
pub fn invitation_texts() -> Result<crate::domain::invitation::InvitationTexts, String> {
    crate::domain::invitation::InvitationTexts::from_json(INVITATION_TEXTS)
}
