//! `settings.json` on disk: read (missing → defaults) and written atomically.

use crate::error::CoreError;
use crate::fs_atomic;
use crate::types::Settings;
use std::path::Path;

pub const SETTINGS_FILE: &str = "settings.json";

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

/// Writes `settings` as they are: `rules::apply` has checked them.
pub(crate) fn save(path: &Path, settings: &Settings) -> Result<(), CoreError> {
    let mut json = serde_json::to_vec_pretty(settings)
        .map_err(|e| CoreError::InvalidInput(format!("settings cannot be saved: {e}")))?;
    json.push(b'\n');
    fs_atomic::write(path, &json)?;
    Ok(())
}
