//! Keeps the capture processor supplied with what it can reach: the signed-in account's
//! Storage (unless sync is paused) and the transcription service of the settings (its key
//! from the key store). Rebuilt when the account, the pause or those settings change; a pass
//! runs after every change to the journal (a new recording, Retry, a pull).

use super::processor::ProcessorDeps;
use super::CaptureProcessor;
use crate::sync::SyncService;
use crate::transcribe::{
    KeyringTranscriberKeyStore, OpenAiCompatibleTranscriber, Transcriber, TranscriberConfig,
    TranscriberKeyStore,
};
use crate::types::{ApiError, CoreEvent, Settings};
use crate::Core;
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::broadcast::{self, error::RecvError};
use uuid::Uuid;

/// The API key store of one transcription service URL.
pub type TranscriberKeys = Arc<dyn Fn(&str) -> Arc<dyn TranscriberKeyStore> + Send + Sync>;

/// Keys in the OS keyring (the app).
pub fn keyring_transcriber_keys() -> TranscriberKeys {
    Arc::new(|url: &str| Arc::new(KeyringTranscriberKeyStore::new(url)) as _)
}

/// What the processor's deps are built from: when it changes, they are rebuilt.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DepsSource {
    account: Option<Uuid>,
    paused: bool,
    backend_url: String,
    anon_key: String,
    transcription_url: String,
    transcription_model: String,
}

#[derive(Clone)]
pub struct ProcessingService {
    inner: Arc<Inner>,
}

struct Inner {
    core: Core,
    sync: SyncService,
    keys: TranscriberKeys,
    processor: Mutex<Option<CaptureProcessor>>,
    source: Mutex<Option<DepsSource>>,
}

impl ProcessingService {
    /// Nothing runs until [`ProcessingService::start`].
    pub fn new(core: Core, sync: SyncService, keys: TranscriberKeys) -> Self {
        Self {
            inner: Arc::new(Inner {
                core,
                sync,
                keys,
                processor: Mutex::new(None),
                source: Mutex::new(None),
            }),
        }
    }

    /// Starts the processor and a task that keeps its deps current (inside a tokio runtime).
    pub async fn start(&self) {
        let events = self.inner.core.subscribe();
        let (source, deps) = self.deps_now().await;
        *lock(&self.inner.source) = Some(source);
        *lock(&self.inner.processor) = Some(CaptureProcessor::spawn(self.inner.core.clone(), deps));
        tokio::spawn(follow(Arc::downgrade(&self.inner), events));
    }

    /// A processor pass soon.
    pub fn kick(&self) {
        if let Some(p) = lock(&self.inner.processor).as_ref() {
            p.kick();
        }
    }

    /// A capture that failed for good is queued again.
    pub fn retry(&self, capture_id: Uuid) -> Result<(), ApiError> {
        if !self.inner.core.retry_capture(capture_id)? {
            return Err(ApiError::new(
                crate::types::ErrorCode::NotFound,
                "This memo has not failed (or no longer exists).",
            ));
        }
        self.kick();
        Ok(())
    }

    /// Stores (or with `None` clears) the transcription service's API key.
    pub async fn set_transcription_key(&self, key: Option<String>) -> Result<(), ApiError> {
        let url = self.inner.core.settings()?.transcription_url;
        if url.is_empty() {
            return Err(ApiError::invalid(
                "Save the transcription service URL first.",
            ));
        }
        let store = (self.inner.keys)(&url);
        let key = key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
        tokio::task::spawn_blocking(move || match key {
            Some(k) => store.save(&k),
            None => store.clear(),
        })
        .await??;
        self.rebuild().await;
        Ok(())
    }

    /// New deps now, whatever changed (a key, which the settings do not show).
    async fn rebuild(&self) {
        let (source, deps) = self.deps_now().await;
        *lock(&self.inner.source) = Some(source);
        if let Some(p) = lock(&self.inner.processor).as_ref() {
            p.set_deps(deps);
        }
    }

    fn settings(&self) -> Settings {
        self.inner.core.settings().unwrap_or_default()
    }

    fn source(&self, settings: &Settings) -> DepsSource {
        DepsSource {
            account: self.inner.sync.account().map(|a| a.user_id),
            paused: self.inner.sync.paused(),
            backend_url: settings.backend_url.clone(),
            anon_key: settings.anon_key.clone(),
            transcription_url: settings.transcription_url.clone(),
            transcription_model: settings.transcription_model.clone(),
        }
    }

    async fn deps_now(&self) -> (DepsSource, ProcessorDeps) {
        let settings = self.settings();
        let source = self.source(&settings);
        let deps = ProcessorDeps {
            uploader: self.inner.sync.uploader(&settings),
            transcriber: self.transcriber(&settings).await,
        };
        (source, deps)
    }

    async fn transcriber(&self, settings: &Settings) -> Option<Arc<dyn Transcriber>> {
        let url = settings.transcription_url.trim();
        if url.is_empty() {
            return None;
        }
        let store = (self.inner.keys)(url);
        let key = match tokio::task::spawn_blocking(move || store.load()).await {
            Ok(Ok(key)) => key,
            Ok(Err(err)) => {
                tracing::warn!(%err, "transcription key unavailable; trying without one");
                None
            }
            Err(_) => None,
        };
        let mut config = TranscriberConfig::new(url, settings.transcription_model.trim());
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
}

/// Holds the service only while it handles an event, so dropping the service ends it.
async fn follow(service: Weak<Inner>, mut events: broadcast::Receiver<CoreEvent>) {
    loop {
        let event = events.recv().await;
        let Some(inner) = service.upgrade() else {
            break;
        };
        let service = ProcessingService { inner };
        match event {
            Ok(CoreEvent::EntriesChanged { .. }) => service.kick(),
            Ok(CoreEvent::StatusChanged { .. } | CoreEvent::SettingsChanged { .. })
            | Err(RecvError::Lagged(_)) => {
                let now = service.source(&service.settings());
                if lock(&service.inner.source).as_ref() != Some(&now) {
                    service.rebuild().await;
                }
            }
            Ok(_) => {}
            Err(RecvError::Closed) => break,
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
