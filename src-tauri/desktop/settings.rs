//! The practice's settings screen: letterhead, the name of the review, the cohort and the
//! recall timings. Every change is audited with its old and new value.

use serde::{Deserialize, Serialize};
use tauri::State;

use super::commands::lock;
use super::dto::{ErrorCode, IpcError};
use super::session::actor;
use super::AppState;
use crate::domain::practice::{Cohort, Letterhead, Logo, PracticeSettings};
use crate::exchange::register_import::plain_io_error;
use crate::store::StoreError;

#[derive(Serialize, Deserialize)]
pub struct SettingsDto {
    pub practice_name: String,
    /// One line of the address per line.
    pub address: String,
    pub phone: String,
    pub email: String,
    pub review_name: String,
    pub booking_instructions: String,
    /// Condition ids; empty means every long-term condition.
    pub cohort: Vec<String>,
    pub reinvite_after_days: u32,
    pub pack_minimum_days: u32,
    pub pack_target_days: u32,
    /// Idle minutes before the window locks (1 to 60).
    #[serde(default = "default_lock_minutes")]
    pub lock_minutes: u32,
    /// Whether letters carry a logo (read only: `set_logo` changes it).
    #[serde(default)]
    pub has_logo: bool,
}

fn default_lock_minutes() -> u32 {
    crate::domain::access::DEFAULT_LOCK_MINUTES
}

impl From<&PracticeSettings> for SettingsDto {
    fn from(s: &PracticeSettings) -> SettingsDto {
        SettingsDto {
            practice_name: s.letterhead.practice_name.clone(),
            address: s.letterhead.address.join("\n"),
            phone: s.letterhead.phone.clone(),
            email: s.letterhead.email.clone(),
            review_name: s.review_name.clone(),
            booking_instructions: s.booking_instructions.clone(),
            cohort: match &s.cohort {
                Cohort::AllConditions => Vec::new(),
                Cohort::Conditions(ids) => ids.clone(),
            },
            reinvite_after_days: s.reinvite_after_days,
            pack_minimum_days: s.pack_minimum_days,
            pack_target_days: s.pack_target_days,
            lock_minutes: s.lock_minutes,
            has_logo: s.letterhead.logo.is_some(),
        }
    }
}

/// Puts the PNG at `path` on the letterhead, or (with no path) takes the logo off.
#[tauri::command(async)]
pub fn set_logo(
    state: State<'_, AppState>,
    path: Option<std::path::PathBuf>,
) -> Result<(), IpcError> {
    let invalid = |message: String| IpcError::new(ErrorCode::InvalidInput, message);
    let logo = match path {
        Some(path) => {
            let bytes = std::fs::read(&path).map_err(|e| {
                invalid(format!("cannot read {}: {}", path.display(), plain_io_error(&e)))
            })?;
            let logo = Logo::from_png(bytes).map_err(invalid)?;
            crate::documents::check_logo(&logo).map_err(invalid)?;
            Some(logo)
        }
        None => None,
    };
    lock(&state).write::<_, StoreError>(&actor(&state), |w| w.set_logo(logo.as_ref()))?;
    Ok(())
}

#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> Result<SettingsDto, IpcError> {
    Ok(SettingsDto::from(&lock(&state).practice_settings(&state.catalogue)?))
}

/// Saves the settings if every value is acceptable; returns how many changed.
#[tauri::command(async)]
pub fn save_settings(state: State<'_, AppState>, settings: SettingsDto) -> Result<usize, IpcError> {
    let invalid = |message: String| IpcError::new(ErrorCode::InvalidInput, message);
    let cohort = Cohort::parse(&settings.cohort.join(";"), &state.catalogue).map_err(invalid)?;
    let after = PracticeSettings {
        letterhead: Letterhead {
            practice_name: settings.practice_name.trim().to_string(),
            address: settings
                .address
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            phone: settings.phone.trim().to_string(),
            email: settings.email.trim().to_string(),
            logo: None,
        },
        review_name: settings.review_name.trim().to_string(),
        booking_instructions: settings.booking_instructions.trim().to_string(),
        cohort,
        reinvite_after_days: settings.reinvite_after_days,
        pack_minimum_days: settings.pack_minimum_days,
        pack_target_days: settings.pack_target_days,
        lock_minutes: settings.lock_minutes,
    };
    after.check().map_err(|problems| invalid(problems.join("; ")))?;
    let mut store = lock(&state);
    let before = store.practice_settings(&state.catalogue)?;
    // The logo is set on its own (`set_logo`); saving the other settings keeps it.
    let after = PracticeSettings {
        letterhead: Letterhead { logo: before.letterhead.logo.clone(), ..after.letterhead },
        ..after
    };
    if before == after {
        return Ok(0);
    }
    let changed = store
        .write::<_, StoreError>(&actor(&state), |w| w.save_practice_settings(&before, &after))?;
    super::session::set_lock_minutes(&state, after.lock_minutes);
    Ok(changed)
}
