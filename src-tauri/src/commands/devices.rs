//! Delivery receipts: the user's devices (Settings → Sync) and an entry's receipt in words.

use crate::state::AppState;
use jotline_core::types::{ApiError, Device, EntryDelivery, Settings};
use tauri::State;
use tracing::instrument;
use uuid::Uuid;

/// The devices as last listed by the server (no network).
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn list_devices(state: State<'_, AppState>) -> Result<Vec<Device>, ApiError> {
    Ok(state.core()?.sync().devices()?)
}

#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn forget_device(state: State<'_, AppState>, client_id: String) -> Result<(), ApiError> {
    state.journal()?.sync.forget_device(&client_id).await
}

#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn set_device_name(
    state: State<'_, AppState>,
    name: String,
) -> Result<Settings, ApiError> {
    state.journal()?.sync.set_device_name(name).await
}

#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn get_entry_delivery(
    state: State<'_, AppState>,
    id: Uuid,
) -> Result<EntryDelivery, ApiError> {
    Ok(state.core()?.entry_delivery(id)?)
}
