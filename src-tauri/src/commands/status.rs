//! Counts and sync state for the status bar, and why start-up failed if it did.

use crate::state::AppState;
use jotline_core::types::{ApiError, AppStatus, StartupError};
use tauri::State;
use tracing::instrument;

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn get_status(state: State<'_, AppState>) -> Result<AppStatus, ApiError> {
    state.status()
}

/// The Refresh button ("sync now"): a sync round at once when signed in; every window and
/// the tray hear the status again.
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn refresh(state: State<'_, AppState>) -> Result<AppStatus, ApiError> {
    state.journal()?.sync.sync_now().await
}

#[tauri::command]
pub async fn get_startup_error(
    state: State<'_, AppState>,
) -> Result<Option<StartupError>, ApiError> {
    Ok(state.startup_error())
}
