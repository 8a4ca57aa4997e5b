//! Sign-in against a Supabase-compatible backend (GoTrue shapes) and where the tokens live.
//!
//! Tokens live only in a [`TokenStore`] (the OS keyring in the app): never in SQLite, the
//! settings file or a log line. [`Session`]'s `Debug` prints `<redacted>` for both tokens.

mod client;
mod keyring_store;
mod session_provider;
mod stored_session;

pub use client::{AuthClient, AuthError, SignUpOutcome};
pub use keyring_store::{KeyringTokenStore, KEYRING_SERVICE};
pub use session_provider::{SessionError, SessionProvider, REFRESH_MARGIN};
pub use stored_session::{load_session, refresh_session};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;
use uuid::Uuid;

/// Where the backend lives: its base URL (no trailing slash needed) and its anon key.
#[derive(Clone, PartialEq, Eq)]
pub struct BackendConfig {
    pub url: String,
    pub anon_key: String,
    /// Whole-request timeout of every HTTP call.
    pub timeout: Duration,
}

impl BackendConfig {
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

    pub fn new(url: impl Into<String>, anon_key: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            anon_key: anon_key.into(),
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// `<url>/<path>` with exactly one slash between them.
    pub fn endpoint(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.url.trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

impl fmt::Debug for BackendConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackendConfig")
            .field("url", &self.url)
            .field("anon_key", &"<redacted>")
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// A signed-in user's tokens. Serialized (JSON) only into a [`TokenStore`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: DateTime<Utc>,
    pub user_id: Uuid,
    pub email: Option<String>,
}

impl Session {
    /// True when the access token expires within `margin` of `now` (refresh before use).
    pub fn expires_within(&self, now: DateTime<Utc>, margin: chrono::Duration) -> bool {
        self.expires_at <= now + margin
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("access_token", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .finish()
    }
}

/// Why a token store could not be read or written.
#[derive(thiserror::Error, Debug)]
pub enum TokenStoreError {
    #[error("the OS keyring is unavailable: {0}")]
    Unavailable(String),
    #[error("the stored session is unreadable: {0}")]
    Corrupt(String),
}

/// Persists the session of one backend. Implementations must never log the tokens.
pub trait TokenStore: Send + Sync {
    fn load(&self) -> Result<Option<Session>, TokenStoreError>;
    fn save(&self, session: &Session) -> Result<(), TokenStoreError>;
    /// Forgets the session; clearing an empty store is not an error.
    fn clear(&self) -> Result<(), TokenStoreError>;
}

/// Keeps the session in memory only (tests, or a keyring-less session that ends with the app).
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    session: Mutex<Option<Session>>,
}

impl MemoryTokenStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        Ok(self.lock().clone())
    }

    fn save(&self, session: &Session) -> Result<(), TokenStoreError> {
        *self.lock() = Some(session.clone());
        Ok(())
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        *self.lock() = None;
        Ok(())
    }
}
