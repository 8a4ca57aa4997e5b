//! `settings.json` in the data dir.

use crate::error::CoreError;
use crate::fs_atomic;
use crate::types::Settings;
use std::path::Path;

pub const SETTINGS_FILE: &str = "settings.json";
/// Longest sync interval the settings accept (one day).
pub const MAX_SYNC_INTERVAL_MINUTES: u32 = 24 * 60;

/// Missing file → defaults. A malformed file is reported (naming it), never overwritten.
pub fn load(path: &Path) -> Result<Settings, CoreError> {
    let Some(bytes) = fs_atomic::read_optional(path)? else {
        return Ok(Settings::default());
    };
    serde_json::from_slice(&bytes).map_err(|e| {
        CoreError::InvalidInput(format!(
            "The settings file {} is not valid ({e}). Fix or remove it; Jotline did not change it.",
            path.display()
        ))
    })
}

pub fn save(path: &Path, settings: &Settings) -> Result<(), CoreError> {
    validate(settings)?;
    let mut json = serde_json::to_vec_pretty(settings)
        .map_err(|e| CoreError::InvalidInput(format!("settings cannot be saved: {e}")))?;
    json.push(b'\n');
    fs_atomic::write(path, &json)?;
    Ok(())
}

fn validate(settings: &Settings) -> Result<(), CoreError> {
    if settings.capture_hotkey.trim().is_empty() {
        return Err(CoreError::InvalidInput(
            "The capture shortcut cannot be empty.".to_string(),
        ));
    }
    let url = settings.backend_url.trim();
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        return Err(CoreError::InvalidInput(format!(
            "The backend URL must start with https:// (or http:// for a local backend), not `{url}`."
        )));
    }
    if url.chars().any(char::is_whitespace) {
        return Err(CoreError::InvalidInput(
            "The backend URL cannot contain spaces.".to_string(),
        ));
    }
    if settings.anon_key.trim().chars().any(char::is_whitespace) {
        return Err(CoreError::InvalidInput(
            "The anon key cannot contain spaces.".to_string(),
        ));
    }
    if !(1..=MAX_SYNC_INTERVAL_MINUTES).contains(&settings.sync_interval_minutes) {
        return Err(CoreError::InvalidInput(format!(
            "The sync interval must be between 1 and {MAX_SYNC_INTERVAL_MINUTES} minutes."
        )));
    }
    Ok(())
}
