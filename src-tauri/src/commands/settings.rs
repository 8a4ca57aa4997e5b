//! Settings: the capture hotkey (persisted, then registered).

use crate::{events, hotkey, state::AppState};
use jotline_core::types::{ApiError, CoreEvent, HotkeyStatus, Settings};
use tauri::{AppHandle, Runtime, State};
use tracing::instrument;

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn get_settings(state: State<'_, AppState>) -> Result<Settings, ApiError> {
    Ok(state.core()?.settings()?)
}

/// Validates and persists the hotkey, then registers it. A hotkey another program holds is
/// kept as the user's choice and reported in the status (the CLI trigger still works).
#[tauri::command]
#[instrument(skip(app, state), err(Debug))]
pub async fn set_capture_hotkey<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    hotkey: String,
) -> Result<HotkeyStatus, ApiError> {
    let settings = state.core()?.update_settings(|s| {
        s.capture_hotkey = hotkey;
        Ok(())
    })?;
    let status = hotkey::register_all(&app, &settings);
    state.set_hotkey_status(status.clone());
    events::publish(
        &app,
        &CoreEvent::HotkeyChanged {
            status: status.clone(),
        },
    );
    Ok(status)
}

#[tauri::command]
pub async fn get_hotkey_status(state: State<'_, AppState>) -> Result<HotkeyStatus, ApiError> {
    Ok(state.hotkey_status())
}

/// The first-run welcome was read; it is not shown again.
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn dismiss_welcome(state: State<'_, AppState>) -> Result<Settings, ApiError> {
    Ok(state.core()?.update_settings(|s| {
        s.welcome_done = true;
        Ok(())
    })?)
}

/// Adds or removes the login item first, then records the choice: the setting never says
/// "on" while the desktop would not start Jotline.
#[tauri::command]
#[instrument(skip(app, state), err(Debug))]
pub async fn set_start_at_login<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    enabled: bool,
) -> Result<Settings, ApiError> {
    let core = state.core()?;
    crate::autostart::apply(&app, enabled)?;
    core.update_settings(|s| {
        s.start_at_login = enabled;
        Ok(())
    })
    .map_err(|err| {
        // Keep the login item in line with what is saved.
        let _ = crate::autostart::apply(&app, !enabled);
        err.into()
    })
}
