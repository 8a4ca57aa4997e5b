//! `StorageClient`: a capture's WAV to `POST /storage/v1/object/captures/<user>/<capture>.wav`
//! (Supabase Storage shape), uploaded before the `captures` row that names it is pushed.
//!
//! The file is read whole into memory, then sent with a known length: a 10-minute memo is
//! ~19 MB at 16 kHz mono, and a known length lets every proxy and Supabase's size check work.
//! [`MAX_UPLOAD_BYTES`] (Supabase's default per-file limit) bounds that memory.
//! Errors are the sync client's [`SyncError`]: 401 → the caller refreshes the token once and
//! calls again; network/5xx → retry later ([`StorageClient::upload_capture_with_retry`]).

use super::backoff::Backoff;
use super::error::SyncError;
use super::http::classify;
use super::storage_error::storage_error;
use crate::auth::{BackendConfig, Session};
use crate::error::CoreError;
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

/// The private bucket of voice memos (created by `migrations/server/0006_*`).
pub const CAPTURES_BUCKET: &str = "captures";
/// Largest WAV uploaded (Supabase Storage's default file size limit, 50 MiB).
pub const MAX_UPLOAD_BYTES: u64 = 50 * 1024 * 1024;
/// Upload time allowed per byte beyond the base timeout: assume at least 64 KiB/s uplink.
const MIN_UPLINK_BYTES_PER_SEC: u64 = 64 * 1024;

#[derive(Debug, Clone)]
pub struct StorageClient {
    config: BackendConfig,
    http: reqwest::Client,
}

impl StorageClient {
    pub fn new(config: BackendConfig) -> Result<Self, SyncError> {
        // No client-wide timeout: each request gets one that grows with its body.
        let http = reqwest::Client::builder()
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| SyncError::Network(e.to_string()))?;
        Ok(Self { config, http })
    }

    pub fn config(&self) -> &BackendConfig {
        &self.config
    }

    /// `<user_id>/<capture_id>.wav`: the object's path inside the bucket, as stored in
    /// `captures.audio_path`. The first folder is the owner (the storage policy checks it).
    pub fn object_path(user_id: Uuid, capture_id: Uuid) -> String {
        format!("{user_id}/{capture_id}.wav")
    }

    fn object_url(&self, object_path: &str) -> String {
        self.config.endpoint(&format!(
            "storage/v1/object/{CAPTURES_BUCKET}/{object_path}"
        ))
    }

    /// Uploads (or replaces: `x-upsert: true`, so a retry after a lost answer is harmless) the
    /// WAV of `capture_id` for the signed-in user. Returns the object path for
    /// `captures.audio_path`.
    #[tracing::instrument(skip_all, fields(capture = %capture_id))]
    pub async fn upload_capture(
        &self,
        session: &Session,
        capture_id: Uuid,
        wav: &Path,
    ) -> Result<String, SyncError> {
        let bytes = read_wav(wav).await?;
        let path = Self::object_path(session.user_id, capture_id);
        let timeout = self.config.timeout
            + Duration::from_secs(bytes.len() as u64 / MIN_UPLINK_BYTES_PER_SEC);
        let size = bytes.len();
        let resp = self
            .http
            .post(self.object_url(&path))
            .timeout(timeout)
            .header("apikey", &self.config.anon_key)
            .bearer_auth(&session.access_token)
            .header("x-upsert", "true")
            .header(reqwest::header::CONTENT_TYPE, "audio/wav")
            .body(bytes)
            .send()
            .await
            .map_err(classify)?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(classify)?;
        tracing::debug!(%status, bytes = size, "storage upload response");
        if status.is_success() {
            Ok(path)
        } else {
            Err(storage_error(status, &body))
        }
    }

    /// [`Self::upload_capture`], tried up to `max_attempts` times while the failure is
    /// transient (network, timeout, 5xx), sleeping `backoff`'s capped, jittered delays in
    /// between. Anything else (401 included: refresh first) is returned at once.
    pub async fn upload_capture_with_retry(
        &self,
        session: &Session,
        capture_id: Uuid,
        wav: &Path,
        backoff: &mut Backoff,
        max_attempts: u32,
    ) -> Result<String, SyncError> {
        let mut attempt = 1;
        loop {
            match self.upload_capture(session, capture_id, wav).await {
                Ok(path) => {
                    backoff.reset();
                    return Ok(path);
                }
                Err(e) if e.is_transient() && attempt < max_attempts => {
                    let delay = backoff.next_delay();
                    tracing::info!(attempt, ?delay, error = %e, "audio upload failed; retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// The bytes of an object of the signed-in user (e.g. a memo recorded on another device).
    #[tracing::instrument(skip_all)]
    pub async fn download(
        &self,
        session: &Session,
        object_path: &str,
    ) -> Result<Vec<u8>, SyncError> {
        let resp = self
            .http
            .get(self.object_url(object_path))
            .timeout(
                self.config.timeout
                    + Duration::from_secs(MAX_UPLOAD_BYTES / MIN_UPLINK_BYTES_PER_SEC),
            )
            .header("apikey", &self.config.anon_key)
            .bearer_auth(&session.access_token)
            .send()
            .await
            .map_err(classify)?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(classify)?;
        if status.is_success() {
            Ok(body.to_vec())
        } else {
            Err(storage_error(status, &body))
        }
    }
}

/// Reads the WAV off the async threads; too large or unreadable is a local, permanent error.
async fn read_wav(path: &Path) -> Result<Vec<u8>, SyncError> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let size = std::fs::metadata(&path)?.len();
        if size > MAX_UPLOAD_BYTES {
            return Err(CoreError::TooLarge {
                size: size as usize,
                limit: MAX_UPLOAD_BYTES as usize,
            });
        }
        Ok(std::fs::read(&path)?)
    })
    .await
    .map_err(|e| CoreError::Io(std::io::Error::other(e)))?
    .map_err(SyncError::Store)
}
