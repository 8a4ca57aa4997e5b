//! The sync backend and the account: settings, sign up, sign in, sign out.

use crate::state::AppState;
use jotline_core::sync::SignInKind;
use jotline_core::types::{Account, ApiError, Settings};
use tauri::State;
use tracing::instrument;

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn get_account(state: State<'_, AppState>) -> Result<Option<Account>, ApiError> {
    Ok(state.journal()?.sync.account())
}

/// Saves the backend URL, anon key and interval, then restarts sync with them.
#[tauri::command]
#[instrument(skip(state, anon_key), err(Debug))]
pub async fn set_sync_settings(
    state: State<'_, AppState>,
    backend_url: String,
    anon_key: String,
    sync_interval_minutes: u32,
) -> Result<Settings, ApiError> {
    let sync = &state.journal()?.sync;
    sync.set_backend(backend_url, anon_key, sync_interval_minutes)
        .await
}

#[tauri::command]
#[instrument(skip(state, password), err(Debug))]
pub async fn sign_up(
    state: State<'_, AppState>,
    email: String,
    password: String,
    discard_pending: bool,
) -> Result<Account, ApiError> {
    let sync = &state.journal()?.sync;
    sync.sign_in(SignInKind::SignUp, &email, &password, discard_pending)
        .await
}

#[tauri::command]
#[instrument(skip(state, password), err(Debug))]
pub async fn sign_in(
    state: State<'_, AppState>,
    email: String,
    password: String,
    discard_pending: bool,
) -> Result<Account, ApiError> {
    let sync = &state.journal()?.sync;
    sync.sign_in(SignInKind::SignIn, &email, &password, discard_pending)
        .await
}

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.journal()?.sync.sign_out().await
}
