//! What the shell keeps between commands: the opened journal (or why it could not be
//! opened) and the state of the capture hotkey.

use jotline_core::types::{ApiError, ErrorCode, HotkeyStatus, StartupError};
use jotline_core::Core;
use std::sync::Mutex;

pub struct AppState {
    journal: Result<Core, StartupError>,
    hotkey: Mutex<HotkeyStatus>,
}

impl AppState {
    pub fn new(journal: Result<Core, StartupError>, hotkey: HotkeyStatus) -> Self {
        Self {
            journal,
            hotkey: Mutex::new(hotkey),
        }
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
