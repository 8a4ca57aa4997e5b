//! The error shape of every command, its closed set of codes, and a failed start-up.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Closed set of error codes the UI mirrors (`ApiError.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    EmptyCapture,
    TooLarge,
    DatabaseLocked,
    DatabaseCorrupt,
    DatabaseTooNew,
    Storage,
    /// Wrong email or password (or an expired session).
    InvalidCredentials,
    /// The backend could not be reached.
    Network,
    /// The backend answered with an error.
    Backend,
    /// The OS keyring is unavailable or refused.
    Keyring,
    /// Signing in as another user while the journal still holds unsynced changes of the
    /// previous one; retry with `discardPending` to drop them.
    PendingChangesOfOtherUser,
    /// No microphone, or the audio device failed.
    AudioDevice,
    Internal,
}

/// Error shape of every command: `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

/// Why the app could not open its journal at start-up (shown instead of the journal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupError {
    pub code: ErrorCode,
    pub message: String,
    /// The database file concerned.
    pub path: String,
}
