//! The transcription service's API key in the OS keyring, one entry per service URL; the same
//! keyring service as the sync session (`auth::KEYRING_SERVICE`), under a prefixed user name so
//! the two never collide.

use crate::auth::{TokenStoreError, KEYRING_SERVICE};
use keyring::Entry;
use std::sync::Mutex;

/// Keyring user of a transcription key: this prefix, then the service's base URL.
pub const TRANSCRIBER_KEY_PREFIX: &str = "transcription:";

/// Persists the API key of one transcription service. Implementations never log the key.
pub trait TranscriberKeyStore: Send + Sync {
    fn load(&self) -> Result<Option<String>, TokenStoreError>;
    fn save(&self, key: &str) -> Result<(), TokenStoreError>;
    /// Forgets the key; clearing an empty store is not an error.
    fn clear(&self) -> Result<(), TokenStoreError>;
}

/// Stores the key as the password of (`app.jotline.journal`, `transcription:<base URL>`).
/// Calls block on D-Bus: call from a blocking context (e.g. `spawn_blocking`).
#[derive(Debug, Clone)]
pub struct KeyringTranscriberKeyStore {
    user: String,
}

impl KeyringTranscriberKeyStore {
    pub fn new(base_url: &str) -> Self {
        Self {
            user: format!("{TRANSCRIBER_KEY_PREFIX}{}", base_url.trim_end_matches('/')),
        }
    }

    fn entry(&self) -> Result<Entry, TokenStoreError> {
        Entry::new(KEYRING_SERVICE, &self.user).map_err(unavailable)
    }
}

fn unavailable(e: keyring::Error) -> TokenStoreError {
    // keyring's messages name the platform failure, never the secret.
    TokenStoreError::Unavailable(e.to_string())
}

impl TranscriberKeyStore for KeyringTranscriberKeyStore {
    fn load(&self) -> Result<Option<String>, TokenStoreError> {
        match self.entry()?.get_password() {
            Ok(key) => Ok(Some(key)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    fn save(&self, key: &str) -> Result<(), TokenStoreError> {
        self.entry()?.set_password(key).map_err(unavailable)
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}

/// Keeps the key in memory only (tests, or a keyring-less session).
#[derive(Default)]
pub struct MemoryTranscriberKeyStore {
    key: Mutex<Option<String>>,
}

impl MemoryTranscriberKeyStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<String>> {
        self.key.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl std::fmt::Debug for MemoryTranscriberKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryTranscriberKeyStore")
            .field("key", &self.lock().as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl TranscriberKeyStore for MemoryTranscriberKeyStore {
    fn load(&self) -> Result<Option<String>, TokenStoreError> {
        Ok(self.lock().clone())
    }

    fn save(&self, key: &str) -> Result<(), TokenStoreError> {
        *self.lock() = Some(key.to_string());
        Ok(())
    }

    fn clear(&self) -> Result<(), TokenStoreError> {
        *self.lock() = None;
        Ok(())
    }
}
