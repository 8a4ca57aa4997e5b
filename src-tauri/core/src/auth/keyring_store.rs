//! The session in the OS keyring (Secret Service on Linux), one entry per backend URL.

use super::{Session, TokenStore, TokenStoreError};
use keyring::Entry;

/// Keyring service name of every Jotline entry; the entry's user is the backend URL.
pub const KEYRING_SERVICE: &str = "app.jotline.journal";

/// Stores the session JSON as the password of (`app.jotline.journal`, backend URL).
/// Calls block on D-Bus: call from a blocking context (e.g. `spawn_blocking`).
#[derive(Debug, Clone)]
pub struct KeyringTokenStore {
    backend_url: String,
}

impl KeyringTokenStore {
    pub fn new(backend_url: impl Into<String>) -> Self {
        Self {
            backend_url: backend_url.into().trim_end_matches('/').to_string(),
        }
    }

    fn entry(&self) -> Result<Entry, TokenStoreError> {
        Entry::new(KEYRING_SERVICE, &self.backend_url).map_err(unavailable)
    }
}

fn unavailable(e: keyring::Error) -> TokenStoreError {
    // keyring's messages name the platform failure, never the secret.
    TokenStoreError::Unavailable(e.to_string())
}

impl TokenStore for KeyringTokenStore {
    fn load(&self) -> Result<Option<Session>, TokenStoreError> {
        match self.entry()?.get_password() {
            Ok(json) => serde_json::from_str(&json)
                .map(Some)
                // serde's message may quote the value: report only where it broke.
                .map_err(|e| {
                    TokenStoreError::Corrupt(format!("line {} column {}", e.line(), e.column()))
                }),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn save(&self, session: &Session) -> Result<(), TokenStoreError> {
        let json =
            serde_json::to_string(session).map_err(|e| TokenStoreError::Corrupt(e.to_string()))?;
        self.entry()?.set_password(&json).map_err(unavailable)
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}
