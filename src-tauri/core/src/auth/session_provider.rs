//! The signed-in user's session for every client that calls the backend as that user (sync,
//! Storage uploads): refreshed *before* it expires, refreshed by one caller at a time (the
//! refresh token rotates: spending it twice signs the user out), and renewed once when the
//! backend rejects the token anyway (a laptop that slept past the token's lifetime).

use super::stored_session::{load_session, refresh_session};
use super::{AuthClient, AuthError, Session, TokenStore};
use chrono::Utc;
use std::sync::Arc;

/// A token that expires within this is refreshed before use.
pub const REFRESH_MARGIN: chrono::Duration = chrono::Duration::seconds(60);

/// Why there is no usable session.
#[derive(thiserror::Error, Debug)]
pub enum SessionError {
    /// Nobody is signed in.
    #[error("signed out")]
    SignedOut,
    /// The refresh token is dead (revoked, or spent elsewhere): the store was cleared.
    #[error("the session expired: sign in again")]
    Expired,
    #[error("keyring: {0}")]
    Keyring(String),
    /// The refresh could not be done now (offline, the backend failed).
    #[error(transparent)]
    Auth(#[from] AuthError),
}

pub struct SessionProvider {
    auth: AuthClient,
    tokens: Arc<dyn TokenStore>,
    /// Held while a refresh runs; whoever waited for it uses the session it stored.
    refreshing: tokio::sync::Mutex<()>,
    /// The access token of the last refresh, for clients that hold a token on a long-lived
    /// connection (Realtime) and must hand the new one over.
    refreshed: tokio::sync::watch::Sender<String>,
}

impl SessionProvider {
    pub fn new(auth: AuthClient, tokens: Arc<dyn TokenStore>) -> Self {
        Self {
            auth,
            tokens,
            refreshing: tokio::sync::Mutex::new(()),
            refreshed: tokio::sync::watch::Sender::new(String::new()),
        }
    }

    /// Announces every refreshed access token (the value starts empty).
    pub fn refreshed_tokens(&self) -> tokio::sync::watch::Receiver<String> {
        self.refreshed.subscribe()
    }

    /// A session good for at least [`REFRESH_MARGIN`].
    pub async fn session(&self) -> Result<Session, SessionError> {
        let stored = self.load().await?;
        if !stored.expires_within(Utc::now(), REFRESH_MARGIN) {
            return Ok(stored);
        }
        self.refresh_from(&stored).await
    }

    /// A new session after the backend refused `rejected`'s access token: refreshed by this
    /// call, or by another caller while this one waited.
    pub async fn after_rejection(&self, rejected: &Session) -> Result<Session, SessionError> {
        self.refresh_from(rejected).await
    }

    async fn refresh_from(&self, stale: &Session) -> Result<Session, SessionError> {
        let _one_at_a_time = self.refreshing.lock().await;
        let current = self.load().await?;
        if current.access_token != stale.access_token
            && !current.expires_within(Utc::now(), REFRESH_MARGIN)
        {
            return Ok(current);
        }
        tracing::debug!("refreshing the session");
        match refresh_session(&self.auth, &self.tokens, &current).await? {
            Some(fresh) => {
                self.refreshed.send_replace(fresh.access_token.clone());
                Ok(fresh)
            }
            None => Err(SessionError::Expired),
        }
    }

    async fn load(&self) -> Result<Session, SessionError> {
        load_session(&self.tokens)
            .await
            .map_err(SessionError::Keyring)?
            .ok_or(SessionError::SignedOut)
    }
}
