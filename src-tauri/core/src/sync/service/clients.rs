//! What the sync service builds from the settings: the backend's config, its clients, and
//! the account a session stands for.

use crate::auth::{AuthClient, BackendConfig, Session, SessionProvider, TokenStore};
use crate::capture::uploader::StorageUploader;
use crate::sync::storage::StorageClient;
use crate::sync::{EngineConfig, RealtimeConfig, SyncClient};
use crate::types::{Account, ApiError, Settings};
use std::sync::Arc;
use std::time::Duration;

/// The backend URL as tokens are filed under it (no trailing slash).
pub(super) fn backend_url(settings: &Settings) -> &str {
    settings.backend_url.trim().trim_end_matches('/')
}

pub(super) fn backend(settings: &Settings) -> BackendConfig {
    BackendConfig::new(backend_url(settings), settings.anon_key.trim())
}

pub(super) fn auth(settings: &Settings) -> Result<AuthClient, ApiError> {
    Ok(AuthClient::new(backend(settings))?)
}

pub(super) fn sync(settings: &Settings) -> Result<SyncClient, ApiError> {
    Ok(SyncClient::new(backend(settings))?)
}

pub(super) fn storage(settings: &Settings) -> Result<StorageClient, ApiError> {
    Ok(StorageClient::new(backend(settings))?)
}

/// The engine's schedule, with live updates from the project's Realtime (a URL it cannot
/// make one from leaves polling alone).
pub(super) fn engine_config(settings: &Settings, client_id: String) -> EngineConfig {
    let realtime = RealtimeConfig::new(backend_url(settings), settings.anon_key.trim(), client_id)
        .inspect_err(|e| tracing::warn!(error = %e, "no live updates"))
        .ok();
    EngineConfig {
        interval: Duration::from_secs(u64::from(settings.sync_interval_minutes) * 60),
        realtime,
        device_name: Some(settings.effective_device_name()),
        ..EngineConfig::default()
    }
}

pub(super) fn session(
    settings: &Settings,
    tokens: Arc<dyn TokenStore>,
) -> Result<Arc<SessionProvider>, ApiError> {
    Ok(Arc::new(SessionProvider::new(auth(settings)?, tokens)))
}

pub(super) fn uploader(
    settings: &Settings,
    session: Arc<SessionProvider>,
) -> Option<StorageUploader> {
    Some(StorageUploader {
        storage: storage(settings).ok()?,
        session,
    })
}

pub(super) fn account_of(session: &Session) -> Account {
    Account {
        email: session.email.clone().unwrap_or_default(),
        user_id: session.user_id,
    }
}
