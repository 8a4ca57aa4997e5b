//! Counts and sync state for the status bar, and why start-up failed if it did.

use crate::state::AppState;
use jotline_core::sync::Trigger;
use jotline_core::types::{ApiError, AppStatus, CoreEvent, StartupError};
use tauri::{AppHandle, Emitter, Runtime, State};
use tracing::instrument;

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn get_status(state: State<'_, AppState>) -> Result<AppStatus, ApiError> {
    state.status()
}

/// The Refresh button ("sync now"): starts a sync round at once when signed in, re-reads
/// the status and tells every window.
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn refresh<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<AppStatus, ApiError> {
    state.sync.trigger(Trigger::Manual).await;
    let status = state.status()?;
    let event = CoreEvent::StatusChanged {
        status: status.clone(),
    };
    if let Err(err) = app.emit(event.name(), &event) {
        tracing::warn!(%err, "could not publish the status");
    }
    Ok(status)
}

#[tauri::command]
pub async fn get_startup_error(
    state: State<'_, AppState>,
) -> Result<Option<StartupError>, ApiError> {
    Ok(state.startup_error())
}
