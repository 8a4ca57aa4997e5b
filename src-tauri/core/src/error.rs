//! The core's error type and its mapping onto the UI's `{code, message}`.

use crate::types::{ApiError, ErrorCode, StartupError};
use std::path::{Path, PathBuf};
use uuid::Uuid;

#[derive(thiserror::Error, Debug)]
pub enum CoreError {
    #[error("no entry with id {0}")]
    NotFound(Uuid),
    #[error("nothing to save: the capture is empty")]
    EmptyCapture,
    #[error("too large: {size} bytes (the limit is {limit} bytes)")]
    TooLarge { size: usize, limit: usize },
    #[error("{0}")]
    InvalidInput(String),
    #[error("database {} is locked by another process", path.display())]
    DatabaseLocked { path: PathBuf },
    #[error("database {} is corrupt or not a database: {detail}", path.display())]
    DatabaseCorrupt { path: PathBuf, detail: String },
    #[error("database {} has schema version {found}, newer than supported {supported}", path.display())]
    DatabaseTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("storage error: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::NotFound(_) => ErrorCode::NotFound,
            CoreError::EmptyCapture => ErrorCode::EmptyCapture,
            CoreError::TooLarge { .. } => ErrorCode::TooLarge,
            CoreError::InvalidInput(_) => ErrorCode::InvalidInput,
            CoreError::DatabaseLocked { .. } => ErrorCode::DatabaseLocked,
            CoreError::DatabaseCorrupt { .. } => ErrorCode::DatabaseCorrupt,
            CoreError::DatabaseTooNew { .. } => ErrorCode::DatabaseTooNew,
            CoreError::Storage(_) | CoreError::Io(_) => ErrorCode::Storage,
        }
    }

    /// The sentence shown to the user.
    pub fn user_message(&self) -> String {
        match self {
            CoreError::NotFound(_) => "This entry no longer exists.".to_string(),
            CoreError::EmptyCapture => "Nothing to save: the note is empty.".to_string(),
            CoreError::TooLarge { size, limit } => format!(
                "This text is too large to save ({} KiB; the limit is {} KiB).",
                size.div_ceil(1024),
                limit / 1024
            ),
            CoreError::InvalidInput(msg) => msg.clone(),
            CoreError::DatabaseLocked { path } => format!(
                "The journal database {} is in use by another program (is Jotline already \
                 running?). Close it and start Jotline again.",
                path.display()
            ),
            CoreError::DatabaseCorrupt { path, detail } => format!(
                "The journal database {} is damaged or is not a Jotline database ({detail}). \
                 Jotline left the file untouched; restore it from a backup or move it aside \
                 to start a new journal.",
                path.display()
            ),
            CoreError::DatabaseTooNew {
                path,
                found,
                supported,
            } => format!(
                "The journal database {} was written by a newer version of Jotline (schema \
                 {found}; this version understands up to {supported}). Update Jotline to open \
                 it; the file was left untouched.",
                path.display()
            ),
            CoreError::Storage(e) => format!("The journal could not be read or written: {e}."),
            CoreError::Io(e) => format!("A file could not be read or written: {e}."),
        }
    }

    /// The database file concerned, for the `database_*` errors.
    pub fn database_path(&self) -> Option<&Path> {
        match self {
            CoreError::DatabaseLocked { path }
            | CoreError::DatabaseCorrupt { path, .. }
            | CoreError::DatabaseTooNew { path, .. } => Some(path),
            _ => None,
        }
    }

    /// What the shell shows instead of the journal when `Core::open` fails.
    pub fn startup_error(&self, database_path: &Path) -> StartupError {
        StartupError {
            code: self.code(),
            message: self.user_message(),
            path: self
                .database_path()
                .unwrap_or(database_path)
                .display()
                .to_string(),
        }
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        ApiError {
            code: err.code(),
            message: err.user_message(),
        }
    }
}
