//! The files of `assets/` that are compiled into the binary, so an installed Alongside never
//! depends on files beside it: the condition catalogue, letter wording and fonts.

use crate::domain::catalogue::{Catalogue, CatalogueError};
use crate::domain::rules::{RuleError, RuleSet};

/// `(file name, contents)` of every file in `assets/catalogue/conditions/`, listed by build.rs.
pub const CONDITION_FILES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/catalogue_files.rs"));

/// The catalogue the app runs with: the shipped files, with any the practice has edited in
/// `folder` (`checks.json`, `items.json`, `conditions/*.json`) in place of the shipped file of
/// the same name, and new condition files added. Checked once at start-up: a broken file stops
/// the app with a message naming the file and the problem.
pub fn practice_catalogue(folder: Option<&std::path::Path>) -> Result<Catalogue, CatalogueError> {
    let Some(folder) = folder.filter(|f| f.is_dir()) else { return catalogue() };
    let read = |path: std::path::PathBuf| -> Result<Option<String>, CatalogueError> {
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => {
                Err(CatalogueError { file: path.display().to_string(), message: e.to_string() })
            }
        }
    };
    let checks = read(folder.join("checks.json"))?.unwrap_or_else(|| CHECKS.to_string());
    let items = read(folder.join("items.json"))?.unwrap_or_else(|| ITEMS.to_string());
    let mut conditions: Vec<(String, String)> =
        CONDITION_FILES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    let dir = folder.join("conditions");
    if dir.is_dir() {
        let entries = std::fs::read_dir(&dir).map_err(|e| CatalogueError {
            file: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        for name in names {
            let text = read(dir.join(&name))?.unwrap_or_default();
            match conditions.iter_mut().find(|(n, _)| *n == name) {
                Some(existing) => existing.1 = text,
                None => conditions.push((name, text)),
            }
        }
        conditions.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let files: Vec<(&str, &str)> =
        conditions.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    Catalogue::from_files(&checks, &items, &files)
}

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

/// `(file name, contents)` of every file in `assets/rules/`, listed by build.rs.
pub const RULE_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));

/// The triage rules the app runs with: the shipped files, with any the practice keeps in
/// `folder` in place of the shipped file of the same name, and new files added. Checked against
/// the catalogue once at start-up: a broken rule stops the app naming the file and the rule.
pub fn practice_rules(
    catalogue: &Catalogue,
    folder: Option<&std::path::Path>,
) -> Result<RuleSet, RuleError> {
    let mut files: Vec<(String, String)> =
        RULE_FILES.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect();
    if let Some(dir) = folder.filter(|f| f.is_dir()) {
        let fail = |message: String| RuleError {
            file: dir.display().to_string(),
            rule: "(folder)".to_string(),
            message,
        };
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(|e| fail(e.to_string()))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        for name in names {
            let text = std::fs::read_to_string(dir.join(&name)).map_err(|e| RuleError {
                file: name.clone(),
                rule: "(file)".to_string(),
                message: e.to_string(),
            })?;
            match files.iter_mut().find(|(n, _)| *n == name) {
                Some(existing) => existing.1 = text,
                None => files.push((name, text)),
            }
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let ids: Vec<&str> = catalogue.conditions().iter().map(|c| c.id()).collect();
    RuleSet::from_files(&files, catalogue.measures(), &ids)
}

/// The shipped rules, checked against the shipped catalogue.
pub fn rules(catalogue: &Catalogue) -> Result<RuleSet, RuleError> {
    practice_rules(catalogue, None)
}

/// The invitation wording, checked. Called at start-up with the catalogue.
pub fn invitation_texts() -> Result<crate::domain::invitation::InvitationTexts, String> {
    crate::domain::invitation::InvitationTexts::from_json(INVITATION_TEXTS)
}

/// The words of preparation packs: `assets/texts/pack.json`.
pub const PACK_TEXTS: &str = include_str!("../assets/texts/pack.json");

/// The preparation pack wording the app runs with: the practice's own `pack.json` in `folder`
/// if it keeps one there, else the shipped file. Checked against the catalogue's themes once at
/// start-up; a broken file stops the app with a message naming it.
pub fn practice_pack_texts(
    catalogue: &Catalogue,
    folder: Option<&std::path::Path>,
) -> Result<crate::domain::pack::PackTexts, String> {
    let own = folder.map(|f| f.join("pack.json")).filter(|f| f.is_file());
    let text = match &own {
        Some(file) => std::fs::read_to_string(file)
            .map_err(|e| format!("{}: cannot be read: {e}", file.display()))?,
        None => PACK_TEXTS.to_string(),
    };
    let mut themes: Vec<&str> = catalogue.measures().items().iter().map(|i| i.theme()).collect();
    themes.sort_unstable();
    themes.dedup();
    crate::domain::pack::PackTexts::from_json(&text, &themes).map_err(|e| match &own {
        Some(file) => format!("{}: {e}", file.display()),
        None => e,
    })
}

/// The shipped preparation pack wording, checked against the shipped catalogue's themes.
pub fn pack_texts(catalogue: &Catalogue) -> Result<crate::domain::pack::PackTexts, String> {
    practice_pack_texts(catalogue, None)
}

/// The words of the printed care and support plan: `assets/texts/careplan.json`.
pub const CAREPLAN_TEXTS: &str = include_str!("../assets/texts/careplan.json");

/// The printed plan's wording the app runs with: the practice's own `careplan.json` in
/// `folder` if it keeps one there, else the shipped file; checked at start-up.
pub fn practice_careplan_texts(
    folder: Option<&std::path::Path>,
) -> Result<crate::domain::careplan::CarePlanTexts, String> {
    let own = folder.map(|f| f.join("careplan.json")).filter(|f| f.is_file());
    let text = match &own {
        Some(file) => std::fs::read_to_string(file)
            .map_err(|e| format!("{}: cannot be read: {e}", file.display()))?,
        None => CAREPLAN_TEXTS.to_string(),
    };
    crate::domain::careplan::CarePlanTexts::from_json(&text).map_err(|e| match &own {
        Some(file) => format!("{}: {e}", file.display()),
        None => e,
    })
}

/// The shipped care plan wording, checked.
pub fn careplan_texts() -> Result<crate::domain::careplan::CarePlanTexts, String> {
    practice_careplan_texts(None)
}

/// The demonstration practice's "more than medicine" directory, a fictional one, imported like
/// any practice's file: `assets/demo/directory.csv`.
pub const DEMO_DIRECTORY: &str = include_str!("../assets/demo/directory.csv");

/// Who may do what: `assets/access/permissions.json`.
/// The crates Alongside is built from, with their licences (written by `.ci/licences`).
pub const CRATE_LICENCES: &str = include_str!("../assets/licences/crates.json");

/// The licence of the fonts in every printed document.
pub const FONT_LICENCE: &str = include_str!("../assets/fonts/LICENSE-DejaVu.txt");

pub const PERMISSIONS: &str = include_str!("../assets/access/permissions.json");

/// The permission table as shipped.
pub fn permissions() -> Result<crate::domain::access::PermissionTable, String> {
    crate::domain::access::PermissionTable::parse(PERMISSIONS)
}
