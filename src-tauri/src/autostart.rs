//! Start at login (Settings → General, off by default): tauri-plugin-autostart writes or
//! removes the desktop's autostart entry (`~/.config/autostart/Jotline.desktop` on Linux),
//! which runs `jotline --minimized` so the app starts in the tray. The entry launches the
//! default journal (`JOTLINE_DATA_DIR` is not carried over).

use jotline_core::types::{ApiError, ErrorCode};
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_autostart::AutoLaunchManager;

/// The argument the autostart entry passes (see `cli::CliCommand::OpenMinimized`).
pub const MINIMIZED_ARG: &str = "--minimized";
/// The entry's name (and file name) in the desktop's list of startup programs.
const ENTRY_NAME: &str = "Jotline";

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    tauri_plugin_autostart::Builder::new()
        .app_name(ENTRY_NAME)
        .arg(MINIMIZED_ARG)
        .build()
}

/// Adds or removes the autostart entry.
pub fn apply<R: Runtime>(app: &AppHandle<R>, enabled: bool) -> Result<(), ApiError> {
    let manager = app
        .try_state::<AutoLaunchManager>()
        .ok_or_else(|| ApiError::internal("Starting at login is not available on this system."))?;
    let result = if enabled {
        manager.enable()
    } else {
        manager.disable()
    };
    result.map_err(|err| {
        ApiError::new(
            ErrorCode::Storage,
            format!("The login item could not be changed: {err}"),
        )
    })
}

/// At start-up with the setting on, rewrites the entry so it names this binary (the app
/// may have moved, e.g. after an upgrade). Failures only get logged.
pub fn refresh<R: Runtime>(app: &AppHandle<R>, enabled: bool) {
    if enabled {
        if let Err(err) = apply(app, true) {
            tracing::warn!(message = err.message, "start at login not refreshed");
        }
    }
}
