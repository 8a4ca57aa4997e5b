//! What the shell keeps between commands: the opened journal (or why it could not be
//! opened) and the state of the capture hotkey.

use crate::sync::SyncManager;
use crate::voice::VoiceManager;
use jotline_core::auth::TokenStore;
use jotline_core::types::{ApiError, AppStatus, ErrorCode, HotkeyStatus, StartupError};
use jotline_core::Core;
use std::sync::{Arc, Mutex};

pub struct AppState {
    journal: Result<Core, StartupError>,
    hotkey: Mutex<HotkeyStatus>,
    pub sync: SyncManager,
    pub voice: VoiceManager,
}

impl AppState {
    /// The app: sign-in tokens live in the OS keyring.
    pub fn new(journal: Result<Core, StartupError>, hotkey: HotkeyStatus) -> Self {
        Self::with_sync(journal, hotkey, SyncManager::with_keyring())
    }

    /// Tests: tokens in `tokens` (e.g. a `MemoryTokenStore`) instead of the keyring.
    pub fn with_token_store(
        journal: Result<Core, StartupError>,
        hotkey: HotkeyStatus,
        tokens: Arc<dyn TokenStore>,
    ) -> Self {
        Self::with_sync(journal, hotkey, SyncManager::with_token_store(tokens))
    }

    fn with_sync(
        journal: Result<Core, StartupError>,
        hotkey: HotkeyStatus,
        sync: SyncManager,
    ) -> Self {
        Self {
            journal,
            hotkey: Mutex::new(hotkey),
            sync,
            voice: VoiceManager::default(),
        }
    }

    /// The core's counts with the sync state the shell knows.
    pub fn status(&self) -> Result<AppStatus, ApiError> {
        let mut status = self.core()?.status()?;
        status.sync = self.sync.state();
        Ok(status)
    }

    /// The journal, or the start-up failure as the error every command returns.
    pub fn core(&self) -> Result<&Core, ApiError> {
        self.journal.as_ref().map_err(|e| ApiError {
            code: e.code,
            message: e.message.clone(),
        })
    }

    pub fn startup_error(&self) -> Option<StartupError> {
        self.journal.as_ref().err().cloned()
    }

    pub fn hotkey_status(&self) -> HotkeyStatus {
        self.hotkey
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    pub fn set_hotkey_status(&self, status: HotkeyStatus) {
        *self.hotkey.lock().unwrap_or_else(|p| p.into_inner()) = status;
    }
}

/// Turns a failure to open the journal into what the error screen shows.
pub fn startup_error(err: jotline_core::CoreError, path: &std::path::Path) -> StartupError {
    let api: ApiError = err.into();
    StartupError {
        code: api.code,
        message: api.message,
        path: path.display().to_string(),
    }
}

/// Status shown before any hotkey registration was attempted.
pub fn hotkey_not_registered(hotkey: &str, why: &str) -> HotkeyStatus {
    HotkeyStatus {
        hotkey: hotkey.to_owned(),
        registered: false,
        error: Some(why.to_owned()),
    }
}

pub fn internal_error(message: impl Into<String>) -> ApiError {
    ApiError {
        code: ErrorCode::Internal,
        message: message.into(),
    }
}
