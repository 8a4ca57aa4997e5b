//! `SyncClient`: the two sync RPCs over HTTP (reqwest, rustls), errors classified.

use super::error::SyncError;
use super::protocol::{excerpt, PullRequest, PullResponse, PushRequest, PushResponse};
use crate::auth::{BackendConfig, Session};
use reqwest::StatusCode;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub const PUSH_PATH: &str = "rest/v1/rpc/sync_push";
pub const PULL_PATH: &str = "rest/v1/rpc/sync_pull";

#[derive(Debug, Clone)]
pub struct SyncClient {
    config: BackendConfig,
    http: reqwest::Client,
    /// The server only has the plain `sync_pull` (see [`SyncClient::pull`]).
    plain_pull: Arc<AtomicBool>,
}

impl SyncClient {
    pub fn new(config: BackendConfig) -> Result<Self, SyncError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(std::time::Duration::from_secs(10)))
            .build()
            .map_err(|e| SyncError::Network(e.to_string()))?;
        Ok(Self {
            config,
            http,
            plain_pull: Arc::default(),
        })
    }

    pub fn config(&self) -> &BackendConfig {
        &self.config
    }

    #[tracing::instrument(skip_all, fields(ops = req.ops.len()))]
    pub async fn push(
        &self,
        session: &Session,
        req: &PushRequest,
    ) -> Result<PushResponse, SyncError> {
        let body = self.call(PUSH_PATH, session, req).await?;
        Ok(PushResponse::parse(&body)?)
    }

    /// A recording pull (with `client_id`); a server without that `sync_pull` (no migration
    /// 0011, PostgREST's 404) is asked the plain one from then on: receipts wait, sync goes on.
    #[tracing::instrument(skip_all, fields(page_size = req.page_size))]
    pub async fn pull(
        &self,
        session: &Session,
        req: &PullRequest,
    ) -> Result<PullResponse, SyncError> {
        let plain;
        let req = if self.plain_pull.load(Ordering::Relaxed) && req.client_id.is_some() {
            plain = PullRequest {
                client_id: None,
                ..req.clone()
            };
            &plain
        } else {
            req
        };
        let body = match self.call(PULL_PATH, session, req).await {
            Err(SyncError::Rejected { status: 404, .. }) if req.client_id.is_some() => {
                tracing::warn!("the server has no recording sync_pull (migration 0011)");
                self.plain_pull.store(true, Ordering::Relaxed);
                let plain = PullRequest {
                    client_id: None,
                    ..req.clone()
                };
                self.call(PULL_PATH, session, &plain).await?
            }
            other => other?,
        };
        Ok(PullResponse::parse(&body)?)
    }

    pub(crate) async fn call<B: Serialize>(
        &self,
        path: &str,
        session: &Session,
        body: &B,
    ) -> Result<Vec<u8>, SyncError> {
        let resp = self
            .http
            .post(self.config.endpoint(path))
            .header("apikey", &self.config.anon_key)
            .bearer_auth(&session.access_token)
            .json(body)
            .send()
            .await
            .map_err(classify)?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(classify)?.to_vec();
        tracing::debug!(%status, path, bytes = bytes.len(), "sync response");
        if status.is_success() {
            return Ok(bytes);
        }
        Err(status_error(status, &bytes))
    }
}

/// A non-2xx answer, classified (401 → refresh, 5xx → retry, other 4xx → reject).
pub(crate) fn status_error(status: StatusCode, bytes: &[u8]) -> SyncError {
    let message = error_message(status, bytes);
    match status {
        StatusCode::UNAUTHORIZED => SyncError::Unauthorized(message),
        s if s.is_server_error() => SyncError::Server {
            status: s.as_u16(),
            message,
        },
        s => SyncError::Rejected {
            status: s.as_u16(),
            message,
        },
    }
}

pub(crate) fn classify(e: reqwest::Error) -> SyncError {
    if e.is_timeout() {
        SyncError::Timeout
    } else if e.is_decode() || e.is_body() {
        SyncError::Malformed(format!("unreadable response body: {}", e.without_url()))
    } else {
        SyncError::Network(e.without_url().to_string())
    }
}

/// PostgREST's `{message, details, hint, code}`, GoTrue-ish `{msg}` / `{error}`, else an excerpt.
pub(crate) fn error_message(status: StatusCode, bytes: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes) {
        for key in ["message", "msg", "error_description", "error"] {
            if let Some(s) = v.get(key).and_then(|m| m.as_str()) {
                return s.to_string();
            }
        }
    }
    if bytes.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        excerpt(bytes)
    }
}
