//! The capture window: save, cancel, and the draft that survives a crash.

use crate::{state::AppState, windows};
use jotline_core::types::{ApiError, CaptureSaved, Surface};
use tauri::{AppHandle, Runtime, State};
use tracing::instrument;

/// Commits the capture (fsync'd) and only then hides the capture window.
#[tauri::command]
#[instrument(skip_all, fields(?surface), err(Debug))]
pub async fn save_capture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    text: String,
    surface: Surface,
) -> Result<CaptureSaved, ApiError> {
    let core = state.core()?;
    let saved = core.capture_text(&text, surface)?;
    if surface == Surface::DesktopHotkey {
        // The capture is durable; a stale draft would only reappear as a duplicate.
        if let Err(err) = core.clear_draft() {
            tracing::warn!(%err, "could not clear the capture draft");
        }
        windows::hide_capture(&app);
    }
    Ok(saved)
}

/// Esc: hides the window. The draft stays on disk so an accidental Esc loses nothing.
#[tauri::command]
#[instrument(skip_all)]
pub async fn cancel_capture<R: Runtime>(app: AppHandle<R>) -> Result<(), ApiError> {
    windows::hide_capture(&app);
    Ok(())
}

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn save_draft(state: State<'_, AppState>, text: String) -> Result<(), ApiError> {
    Ok(state.core()?.save_draft(&text)?)
}

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn load_draft(state: State<'_, AppState>) -> Result<Option<String>, ApiError> {
    Ok(state.core()?.load_draft()?)
}
