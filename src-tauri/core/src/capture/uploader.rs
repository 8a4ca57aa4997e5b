//! Where a voice memo's audio goes before the capture row that refers to it is pushed: the
//! signed-in user's folder in the backend's Storage.

use crate::auth::{SessionError, SessionProvider};
use crate::sync::storage::StorageClient;
use crate::sync::SyncError;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use uuid::Uuid;

/// Why an upload did not happen, as the capture processor treats it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadError {
    /// Nothing to upload to right now (signed out, offline): wait, it is not a failure.
    Unavailable(String),
    /// A failure worth retrying (5xx, timeout, a garbled answer).
    Transient(String),
    /// Refused for good (4xx other than 401).
    Rejected(String),
}

pub type UploadFuture<'a> = Pin<Box<dyn Future<Output = Result<String, UploadError>> + Send + 'a>>;

/// Uploads a capture's WAV; returns the object path stored in `captures.audio_path`.
pub trait AudioUploader: Send + Sync {
    fn upload<'a>(&'a self, capture_id: Uuid, wav: &'a Path) -> UploadFuture<'a>;
}

/// The app's uploader: Storage of the configured backend, as the signed-in user (the
/// session shared with the sync engine; renewed once when Storage refuses the token).
pub struct StorageUploader {
    pub storage: StorageClient,
    pub session: Arc<SessionProvider>,
}

impl AudioUploader for StorageUploader {
    fn upload<'a>(&'a self, capture_id: Uuid, wav: &'a Path) -> UploadFuture<'a> {
        Box::pin(async move {
            let mut session = self.session.session().await.map_err(unavailable)?;
            let mut refreshed = false;
            loop {
                match self.storage.upload_capture(&session, capture_id, wav).await {
                    Ok(path) => return Ok(path),
                    Err(SyncError::Unauthorized(_)) if !refreshed => {
                        refreshed = true;
                        session = self
                            .session
                            .after_rejection(&session)
                            .await
                            .map_err(unavailable)?;
                    }
                    Err(e) => return Err(classify(e)),
                }
            }
        })
    }
}

/// No session now: the memo waits (signed out, offline, keyring locked), it does not fail.
fn unavailable(e: SessionError) -> UploadError {
    UploadError::Unavailable(e.to_string())
}

/// A token Storage still refuses after one renewal waits like a signed-out session: a memo
/// never fails because a token expired. 429/408 (and the 5xx-like statuses) are retried.
fn classify(e: SyncError) -> UploadError {
    match e {
        SyncError::Network(_) | SyncError::Unauthorized(_) | SyncError::OtherAccount => {
            UploadError::Unavailable(e.to_string())
        }
        e if e.is_transient() => UploadError::Transient(e.to_string()),
        e => UploadError::Rejected(e.to_string()),
    }
}
