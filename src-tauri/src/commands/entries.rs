//! Reading and editing the journal.

use crate::state::AppState;
use jotline_core::types::{ApiError, Entry, EntryPatch, TimelineCursor, TimelinePage};
use tauri::State;
use tracing::instrument;
use uuid::Uuid;

/// Largest page the UI may ask for; keeps one call fast at any journal size.
const MAX_PAGE: u32 = 500;

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn list_timeline(
    state: State<'_, AppState>,
    before: Option<TimelineCursor>,
    limit: u32,
) -> Result<TimelinePage, ApiError> {
    Ok(state
        .core()?
        .timeline_page(before.as_ref(), limit.clamp(1, MAX_PAGE))?)
}

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn search_entries(
    state: State<'_, AppState>,
    query: String,
    limit: u32,
) -> Result<Vec<Entry>, ApiError> {
    Ok(state.core()?.search(&query, limit.clamp(1, MAX_PAGE))?)
}

#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn get_entry(state: State<'_, AppState>, id: Uuid) -> Result<Entry, ApiError> {
    Ok(state.core()?.get_entry(id)?)
}

#[tauri::command]
#[instrument(skip(state, patch), err(Debug))]
pub async fn update_entry(
    state: State<'_, AppState>,
    id: Uuid,
    patch: EntryPatch,
) -> Result<Entry, ApiError> {
    Ok(state.core()?.update_entry(id, patch)?)
}

#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn delete_entry(state: State<'_, AppState>, id: Uuid) -> Result<(), ApiError> {
    Ok(state.core()?.delete_entry(id)?)
}
