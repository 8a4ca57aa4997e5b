//! The session in a [`TokenStore`], loaded and refreshed off the async threads (the keyring
//! blocks on D-Bus). Shared by everything that calls the backend for the signed-in user.

use super::{AuthClient, AuthError, Session, TokenStore};
use std::sync::Arc;

/// Loads the stored session (`None`: signed out).
pub async fn load_session(tokens: &Arc<dyn TokenStore>) -> Result<Option<Session>, String> {
    let tokens = tokens.clone();
    tokio::task::spawn_blocking(move || tokens.load())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

/// Refreshes `session` and stores the new one; `None` means "signed out" (the refresh token
/// is dead, and the store was cleared).
pub async fn refresh_session(
    auth: &AuthClient,
    tokens: &Arc<dyn TokenStore>,
    session: &Session,
) -> Result<Option<Session>, AuthError> {
    match auth.refresh(&session.refresh_token).await {
        Ok(fresh) => {
            let tokens = tokens.clone();
            let stored = fresh.clone();
            let saved = tokio::task::spawn_blocking(move || tokens.save(&stored)).await;
            if !matches!(saved, Ok(Ok(()))) {
                tracing::warn!("refreshed session could not be stored");
            }
            Ok(Some(fresh))
        }
        Err(AuthError::InvalidCredentials(_)) => {
            let tokens = tokens.clone();
            let _ = tokio::task::spawn_blocking(move || tokens.clear()).await;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
