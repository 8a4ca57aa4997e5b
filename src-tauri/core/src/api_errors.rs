//! How every error that reaches a command becomes the UI's `{code, message}`: the code and
//! the sentence of each failure are decided here (and `CoreError`'s in `error.rs`).

use crate::auth::{AuthError, TokenStoreError};
use crate::capture::audio::AudioError;
use crate::sync::SyncError;
use crate::transcribe::TranscribeError;
use crate::types::{ApiError, ErrorCode};

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }
}

/// Auth failures as the settings view shows them (never with a token or password).
impl From<AuthError> for ApiError {
    fn from(err: AuthError) -> Self {
        match err {
            AuthError::InvalidCredentials(msg) => Self::new(
                ErrorCode::InvalidCredentials,
                format!("Wrong email or password ({msg})."),
            ),
            AuthError::Network(msg) => Self::new(
                ErrorCode::Network,
                format!("Could not reach the backend: {msg}. Check the URL and your connection."),
            ),
            AuthError::Server { status, message } => Self::new(
                ErrorCode::Backend,
                format!("The backend refused ({status}): {message}"),
            ),
            AuthError::Malformed(msg) => Self::new(
                ErrorCode::Backend,
                format!("The backend's answer was not understood ({msg}). Is the URL right?"),
            ),
        }
    }
}

impl From<TokenStoreError> for ApiError {
    fn from(err: TokenStoreError) -> Self {
        Self::new(
            ErrorCode::Keyring,
            format!(
                "The system keyring is not available ({err}); Jotline keeps sign-in tokens and \
                 API keys only there."
            ),
        )
    }
}

impl From<SyncError> for ApiError {
    fn from(err: SyncError) -> Self {
        let code = match &err {
            SyncError::Network(_) | SyncError::Timeout => ErrorCode::Network,
            SyncError::Unauthorized(_) => ErrorCode::InvalidCredentials,
            SyncError::Store(_) => ErrorCode::Storage,
            _ => ErrorCode::Backend,
        };
        Self::new(code, err.to_string())
    }
}

impl From<AudioError> for ApiError {
    fn from(err: AudioError) -> Self {
        Self::new(ErrorCode::AudioDevice, err.to_string())
    }
}

impl From<TranscribeError> for ApiError {
    fn from(err: TranscribeError) -> Self {
        let code = match &err {
            TranscribeError::Offline(_) | TranscribeError::Network(_) => ErrorCode::Network,
            _ => ErrorCode::Backend,
        };
        Self::new(code, err.to_string())
    }
}

/// A background task that panicked or was cancelled.
impl From<tokio::task::JoinError> for ApiError {
    fn from(err: tokio::task::JoinError) -> Self {
        Self::internal(err.to_string())
    }
}
