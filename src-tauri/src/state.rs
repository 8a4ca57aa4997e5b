//! What the shell keeps between commands: the opened journal with its services (or why it
//! could not be opened) and the state of the capture hotkey.

use jotline_core::auth::TokenStore;
use jotline_core::capture::recording::{system_audio, SourceOpener};
use jotline_core::capture::{keyring_transcriber_keys, ProcessingService, RecordingService};
use jotline_core::sync::{keyring_tokens, shared_tokens, SyncService, TokenStoreFactory};
use jotline_core::types::{ApiError, AppStatus, HotkeyStatus, StartupError};
use jotline_core::Core;
use std::sync::{Arc, Mutex};

/// The journal and the core's services that work on it.
pub struct Journal {
    pub core: Core,
    pub sync: SyncService,
    pub recording: RecordingService,
    pub processing: ProcessingService,
}

pub struct AppState {
    journal: Result<Journal, StartupError>,
    hotkey: Mutex<HotkeyStatus>,
}

impl AppState {
    /// The app: sign-in tokens and API keys live in the OS keyring, audio comes from the
    /// microphone.
    pub fn new(journal: Result<Core, StartupError>, hotkey: HotkeyStatus) -> Self {
        Self::with_services(journal, hotkey, keyring_tokens(), system_audio())
    }

    /// Tests: tokens in `tokens` (e.g. a `MemoryTokenStore`) instead of the keyring.
    pub fn with_token_store(
        journal: Result<Core, StartupError>,
        hotkey: HotkeyStatus,
        tokens: Arc<dyn TokenStore>,
    ) -> Self {
        Self::with_services(journal, hotkey, shared_tokens(tokens), system_audio())
    }

    fn with_services(
        journal: Result<Core, StartupError>,
        hotkey: HotkeyStatus,
        tokens: TokenStoreFactory,
        audio: SourceOpener,
    ) -> Self {
        let journal = journal.map(|core| {
            let sync = SyncService::new(core.clone(), tokens);
            Journal {
                recording: RecordingService::new(core.clone(), audio),
                processing: ProcessingService::new(
                    core.clone(),
                    sync.clone(),
                    keyring_transcriber_keys(),
                ),
                sync,
                core,
            }
        });
        Self {
            journal,
            hotkey: Mutex::new(hotkey),
        }
    }

    /// The journal, or the start-up failure as the error every command returns.
    pub fn journal(&self) -> Result<&Journal, ApiError> {
        self.journal
            .as_ref()
            .map_err(|e| ApiError::new(e.code, e.message.clone()))
    }

    pub fn core(&self) -> Result<&Core, ApiError> {
        Ok(&self.journal()?.core)
    }

    pub fn status(&self) -> Result<AppStatus, ApiError> {
        Ok(self.core()?.status()?)
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
