//! Where the journal lives: `JOTLINE_DATA_DIR` when set (tests, portable use), otherwise
//! the platform data dir (`~/.local/share/app.jotline.journal` on Linux).

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime};

pub const ENV_VAR: &str = "JOTLINE_DATA_DIR";

pub fn resolve<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<PathBuf> {
    match std::env::var_os(ENV_VAR) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}

/// Single-instance identity: one running app per journal, so an app started on another
/// data dir (a test, a second journal) neither forwards to nor captures for this one.
pub fn instance_id(identifier: &str) -> String {
    match std::env::var_os(ENV_VAR) {
        Some(dir) if !dir.is_empty() => {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            dir.hash(&mut hasher);
            format!("{identifier}.d{:016x}", hasher.finish())
        }
        _ => identifier.to_owned(),
    }
}
