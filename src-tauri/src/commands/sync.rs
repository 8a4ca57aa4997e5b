//! The sync panel: what waits to be pushed, the dead letters, and full resync.

use crate::state::AppState;
use crate::sync::api;
use jotline_core::sync::Trigger;
use jotline_core::types::{ApiError, ErrorCode, SyncDetails};
use tauri::State;
use tracing::instrument;

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn get_sync_details(state: State<'_, AppState>) -> Result<SyncDetails, ApiError> {
    Ok(state.core()?.sync_details()?)
}

/// Forgets the pull cursor and pulls everything again (nothing local is deleted).
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn full_resync(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.core()?;
    if state.sync.trigger(Trigger::FullResync).await {
        Ok(())
    } else {
        Err(api(ErrorCode::InvalidInput, "Sign in to sync first."))
    }
}

/// Queues a dead letter again; the engine tries it at once.
#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn retry_dead_letter(state: State<'_, AppState>, op_seq: i64) -> Result<(), ApiError> {
    let core = state.core()?;
    let requeued = core
        .sync_retry_dead(op_seq)
        .map_err(|e| api(ErrorCode::Storage, e.to_string()))?;
    if requeued.is_none() {
        return Err(not_found(op_seq));
    }
    core.republish_status();
    state.sync.trigger(Trigger::Manual).await;
    Ok(())
}

/// "Retry all": queues every dead letter again; the engine tries them at once. Returns how
/// many were requeued (0 when there were none: nothing to do is not an error).
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn retry_all_dead_letters(state: State<'_, AppState>) -> Result<u64, ApiError> {
    let core = state.core()?;
    let requeued = core
        .sync_retry_all_dead()
        .map_err(|e| api(ErrorCode::Storage, e.to_string()))?;
    if requeued > 0 {
        core.republish_status();
        state.sync.trigger(Trigger::Manual).await;
    }
    Ok(requeued)
}

/// Drops a dead letter for good; the next round (started at once) pulls everything again,
/// so the row returns to the server's version.
#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn discard_dead_letter(state: State<'_, AppState>, op_seq: i64) -> Result<(), ApiError> {
    let core = state.core()?;
    let discarded = core
        .sync_discard_dead(op_seq)
        .map_err(|e| api(ErrorCode::Storage, e.to_string()))?;
    if !discarded {
        return Err(not_found(op_seq));
    }
    core.republish_status();
    state.sync.trigger(Trigger::Manual).await;
    Ok(())
}

/// "Pause sync" / "Resume sync" (also in the tray menu).
#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn set_sync_paused(state: State<'_, AppState>, paused: bool) -> Result<(), ApiError> {
    let core = state.core()?;
    if state.sync.account().is_none() {
        return Err(api(ErrorCode::InvalidInput, "Sign in to sync first."));
    }
    state.sync.set_paused(core, paused).await
}

fn not_found(op_seq: i64) -> ApiError {
    api(
        ErrorCode::NotFound,
        format!("There is no failed change #{op_seq} (already retried or discarded?)."),
    )
}
