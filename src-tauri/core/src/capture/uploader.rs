//! Where a voice memo's audio goes before the capture row that refers to it is pushed: the
//! signed-in user's folder in the backend's Storage.

use crate::auth::{load_session, refresh_session, AuthClient, TokenStore};
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

/// The app's uploader: Storage of the configured backend, with the session in the token
/// store (refreshed once on a 401).
pub struct StorageUploader {
    pub storage: StorageClient,
    pub auth: AuthClient,
    pub tokens: Arc<dyn TokenStore>,
}

impl AudioUploader for StorageUploader {
    fn upload<'a>(&'a self, capture_id: Uuid, wav: &'a Path) -> UploadFuture<'a> {
        Box::pin(async move {
            let mut session = match load_session(&self.tokens).await {
                Ok(Some(s)) => s,
                Ok(None) => return Err(UploadError::Unavailable("signed out".into())),
                Err(e) => return Err(UploadError::Unavailable(format!("keyring: {e}"))),
            };
            let mut refreshed = false;
            loop {
                match self.storage.upload_capture(&session, capture_id, wav).await {
                    Ok(path) => return Ok(path),
                    Err(SyncError::Unauthorized(_)) if !refreshed => {
                        refreshed = true;
                        session = match refresh_session(&self.auth, &self.tokens, &session).await {
                            Ok(Some(s)) => s,
                            Ok(None) => {
                                return Err(UploadError::Unavailable("the session expired".into()))
                            }
                            Err(e) => return Err(UploadError::Unavailable(e.to_string())),
                        };
                    }
                    Err(e) => return Err(classify(e)),
                }
            }
        })
    }
}

fn classify(e: SyncError) -> UploadError {
    match e {
        SyncError::Network(_) | SyncError::Unauthorized(_) | SyncError::OtherAccount => {
            UploadError::Unavailable(e.to_string())
        }
        SyncError::Timeout | SyncError::Server { .. } | SyncError::Malformed(_) => {
            UploadError::Transient(e.to_string())
        }
        SyncError::Rejected { .. } | SyncError::Store(_) => UploadError::Rejected(e.to_string()),
    }
}
