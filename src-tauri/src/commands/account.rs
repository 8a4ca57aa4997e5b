//! The sync backend and the account: settings, sign up, sign in, sign out.

use crate::state::AppState;
use crate::sync::SignInKind;
use jotline_core::types::{Account, ApiError, Settings};
use tauri::State;
use tracing::instrument;

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn get_account(state: State<'_, AppState>) -> Result<Option<Account>, ApiError> {
    state.core()?;
    Ok(state.sync.account())
}

/// Saves the backend URL, anon key and interval, then restarts sync with them. The backend
/// cannot change while signed in (the session belongs to it).
#[tauri::command]
#[instrument(skip(state, anon_key), err(Debug))]
pub async fn set_sync_settings(
    state: State<'_, AppState>,
    backend_url: String,
    anon_key: String,
    sync_interval_minutes: u32,
) -> Result<Settings, ApiError> {
    let core = state.core()?;
    let signed_in = state.sync.account().is_some();
    let settings = core.update_settings(|s| {
        let url = backend_url.trim().trim_end_matches('/');
        if signed_in && (url != s.backend_url || anon_key.trim() != s.anon_key) {
            return Err(jotline_core::CoreError::InvalidInput(
                "Sign out before changing the backend URL or anon key.".into(),
            ));
        }
        s.backend_url = backend_url;
        s.anon_key = anon_key;
        s.sync_interval_minutes = sync_interval_minutes;
        Ok(())
    })?;
    if let Err(err) = state.sync.start(core).await {
        tracing::warn!(code = ?err.code, "sync not started after the settings changed");
    }
    Ok(settings)
}

#[tauri::command]
#[instrument(skip(state, password), err(Debug))]
pub async fn sign_up(
    state: State<'_, AppState>,
    email: String,
    password: String,
    discard_pending: bool,
) -> Result<Account, ApiError> {
    let core = state.core()?;
    state
        .sync
        .sign_in(core, SignInKind::SignUp, &email, &password, discard_pending)
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
    let core = state.core()?;
    state
        .sync
        .sign_in(core, SignInKind::SignIn, &email, &password, discard_pending)
        .await
}

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn sign_out(state: State<'_, AppState>) -> Result<(), ApiError> {
    let core = state.core()?;
    state.sync.sign_out(core).await
}
