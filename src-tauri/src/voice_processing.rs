//! Keeps the capture processor supplied with what it can reach: the signed-in account's
//! Storage (unless sync is paused) and the transcription service of the settings (its key from
//! the OS keyring). Rebuilt when the account, the pause or those settings change.

use crate::state::AppState;
use crate::sync::SyncNotice;
use jotline_core::capture::processor::ProcessorDeps;
use jotline_core::capture::CaptureProcessor;
use jotline_core::transcribe::{
    KeyringTranscriberKeyStore, OpenAiCompatibleTranscriber, Transcriber, TranscriberConfig,
    TranscriberKeyStore,
};
use jotline_core::Core;
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// Starts the processor and keeps its deps current. Call after `AppState` is managed.
pub fn start<R: Runtime>(app: AppHandle<R>, core: Core) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let mut notices = state.sync.subscribe();
        let (mut key, deps) = deps_now(&state, &core).await;
        state
            .voice
            .set_processor(CaptureProcessor::spawn(core.clone(), deps));
        loop {
            match notices.recv().await {
                Ok(SyncNotice::StateChanged) | Err(RecvError::Lagged(_)) => {
                    let now = deps_key(&state, &core);
                    if now != key {
                        let (k, deps) = deps_now(&state, &core).await;
                        key = k;
                        state.voice.set_processor_deps(deps);
                    }
                }
                Ok(SyncNotice::CloudUpdated(_)) => {}
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// After the transcription settings or key changed.
pub async fn refresh<R: Runtime>(app: &AppHandle<R>, core: &Core) {
    let state = app.state::<AppState>();
    let (_, deps) = deps_now(&state, core).await;
    state.voice.set_processor_deps(deps);
}

/// What decides the deps: account, pause, backend, transcription service.
fn deps_key(state: &AppState, core: &Core) -> String {
    let settings = core.settings().unwrap_or_default();
    format!(
        "{:?}|{}|{}|{}|{}",
        state.sync.account().map(|a| a.user_id),
        state.sync.paused(),
        settings.backend_url,
        settings.transcription_url,
        settings.transcription_model
    )
}

async fn deps_now(state: &AppState, core: &Core) -> (String, ProcessorDeps) {
    let settings = core.settings().unwrap_or_default();
    let key = deps_key(state, core);
    let uploader = state.sync.uploader(&settings);
    let transcriber = transcriber(&settings.transcription_url, &settings.transcription_model).await;
    (
        key,
        ProcessorDeps {
            uploader,
            transcriber,
        },
    )
}

async fn transcriber(url: &str, model: &str) -> Option<Arc<dyn Transcriber>> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let store = KeyringTranscriberKeyStore::new(url);
    let key = tokio::task::spawn_blocking(move || store.load())
        .await
        .ok()
        .and_then(|r| match r {
            Ok(key) => key,
            Err(err) => {
                tracing::warn!(%err, "transcription key unavailable; trying without one");
                None
            }
        });
    let mut config = TranscriberConfig::new(url, model.trim());
    if let Some(key) = key {
        config = config.with_api_key(key);
    }
    match OpenAiCompatibleTranscriber::new(config) {
        Ok(t) => Some(Arc::new(t)),
        Err(err) => {
            tracing::warn!(%err, "transcription service not usable");
            None
        }
    }
}
