//! The sync panel: what waits to be pushed, the dead letters, full resync and pause.

use crate::state::AppState;
use jotline_core::types::{ApiError, SyncDetails};
use tauri::State;
use tracing::instrument;

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn get_sync_details(state: State<'_, AppState>) -> Result<SyncDetails, ApiError> {
    Ok(state.core()?.sync_details()?)
}

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn full_resync(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.journal()?.sync.full_resync().await
}

#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn retry_dead_letter(state: State<'_, AppState>, op_seq: i64) -> Result<(), ApiError> {
    state.journal()?.sync.retry_dead(op_seq).await
}

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn retry_all_dead_letters(state: State<'_, AppState>) -> Result<u64, ApiError> {
    state.journal()?.sync.retry_all_dead().await
}

#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn discard_dead_letter(state: State<'_, AppState>, op_seq: i64) -> Result<(), ApiError> {
    state.journal()?.sync.discard_dead(op_seq).await
}

/// "Pause sync" / "Resume sync" (also in the tray menu).
#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn set_sync_paused(state: State<'_, AppState>, paused: bool) -> Result<(), ApiError> {
    state.journal()?.sync.set_paused(paused).await
}
