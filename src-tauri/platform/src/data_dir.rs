//! Where the journal and its logs live: `JOTLINE_DATA_DIR` when set (tests, portable use),
//! otherwise the platform data dir (`~/.local/share/app.jotline.journal` on Linux, the same
//! folder Tauri's `app_data_dir` names). Resolved without a running app so the command line
//! (`jotline export`) and the logger find the journal before any window exists.

use std::path::PathBuf;

pub const ENV_VAR: &str = "JOTLINE_DATA_DIR";
/// The bundle identifier from tauri.conf.json.
pub const IDENTIFIER: &str = "app.jotline.journal";

/// The journal's folder; `None` only on a system without a home folder.
pub fn resolve() -> Option<PathBuf> {
    match std::env::var_os(ENV_VAR) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_dir().map(|dir| dir.join(IDENTIFIER)),
    }
}

/// The log folder: `logs/` in the data dir (Tauri's `app_log_dir` on Linux), or
/// `~/Library/Logs/<identifier>` on macOS where logs conventionally go.
pub fn log_dir() -> Option<PathBuf> {
    let custom = std::env::var_os(ENV_VAR).is_some_and(|dir| !dir.is_empty());
    if cfg!(target_os = "macos") && !custom {
        return dirs::home_dir().map(|home| home.join("Library/Logs").join(IDENTIFIER));
    }
    resolve().map(|dir| dir.join("logs"))
}
