//! The one recording in progress (started by the voice hotkey or the capture window): its
//! live status as `RecordingChanged` events, its notices, and the save when it ends by itself
//! (length limit, end of the source, no device left). The audio itself is `capture::audio`.

mod source;
mod status;

pub use source::{system_audio, OpenedSource, SourceOpener, AUDIO_FILE_ENV};

use crate::capture::audio::{Recorder, RecorderConfig, RecordingHandle};
use crate::capture::voice::VoiceRecording;
use crate::types::{ApiError, CaptureSaved, CoreEvent, RecordingStatus, Surface};
use crate::Core;
use status::Change;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use uuid::Uuid;

/// Cheap to clone: every clone is the same recorder.
#[derive(Clone)]
pub struct RecordingService {
    inner: Arc<Inner>,
}

struct Inner {
    core: Core,
    open_source: SourceOpener,
    active: Mutex<Option<Active>>,
    status: Mutex<Option<RecordingStatus>>,
}

struct Active {
    handle: RecordingHandle,
    capture_id: Uuid,
    surface: Surface,
}

impl RecordingService {
    pub fn new(core: Core, open_source: SourceOpener) -> Self {
        Self {
            inner: Arc::new(Inner {
                core,
                open_source,
                active: Mutex::new(None),
                status: Mutex::new(None),
            }),
        }
    }

    pub fn recording(&self) -> Option<RecordingStatus> {
        lock(&self.inner.status).clone()
    }

    pub fn is_recording(&self) -> bool {
        lock(&self.inner.active).is_some()
    }

    /// Starts recording into a new file of the audio folder; returns the capture id (the
    /// running one if a recording is already in progress).
    pub fn start(&self, surface: Surface) -> Result<Uuid, ApiError> {
        let core = &self.inner.core;
        let mut active = lock(&self.inner.active);
        if let Some(a) = active.as_ref() {
            return Ok(a.capture_id);
        }
        let settings = core.settings()?;
        let (source, notice) = (self.inner.open_source)(&settings)?;
        let (capture_id, _) = core.new_voice_file()?;
        let mut config = RecorderConfig::new(core.audio_dir(), capture_id.to_string());
        config.max_duration =
            Duration::from_secs(u64::from(settings.voice_max_minutes.max(1)) * 60);
        self.tell(RecordingStatus {
            capture_id,
            active: true,
            elapsed_ms: 0,
            rms: 0.0,
            peak: 0.0,
            silent: false,
            notice,
        });
        let service = Arc::downgrade(&self.inner);
        let handle = Recorder::start(source, config, move |event| {
            on_event(&service, event);
        });
        let handle = match handle {
            Ok(handle) => handle,
            Err(err) => {
                lock(&self.inner.status).take();
                return Err(err.into());
            }
        };
        tracing::info!(capture = %capture_id, "recording started");
        *active = Some(Active {
            handle,
            capture_id,
            surface,
        });
        Ok(capture_id)
    }

    /// Like `start`, for a hotkey: a failure is also told to the windows (the capture window
    /// shows it), since nobody awaits the answer.
    pub fn start_or_report(&self, surface: Surface) -> Result<Uuid, ApiError> {
        self.start(surface).inspect_err(|error| {
            self.inner.core.publish(CoreEvent::RecordingFailed {
                error: error.clone(),
            })
        })
    }

    /// Stops the recording and commits it as a capture (on disk when this returns).
    pub async fn stop(&self) -> Result<CaptureSaved, ApiError> {
        let service = self.clone();
        tokio::task::spawn_blocking(move || service.stop_now()).await?
    }

    /// Esc: stops and deletes the recording (the user chose to throw it away).
    pub async fn cancel(&self) -> Result<(), ApiError> {
        let Some(active) = lock(&self.inner.active).take() else {
            return Ok(());
        };
        tokio::task::spawn_blocking(move || active.handle.cancel()).await??;
        tracing::info!(capture = %active.capture_id, "recording discarded by the user");
        self.finished(active.capture_id);
        Ok(())
    }

    /// `stop` on this thread (it waits for the recorder's thread).
    fn stop_now(&self) -> Result<CaptureSaved, ApiError> {
        let Some(active) = lock(&self.inner.active).take() else {
            return Err(ApiError::invalid("Nothing is being recorded."));
        };
        let finished = active.handle.stop()?;
        let saved = self.inner.core.save_voice_capture(VoiceRecording {
            capture_id: active.capture_id,
            duration_ms: i64::try_from(finished.duration_ms).unwrap_or(i64::MAX),
            surface: active.surface,
        })?;
        tracing::info!(capture = %active.capture_id, duration_ms = finished.duration_ms, "recording saved");
        self.finished(active.capture_id);
        Ok(saved)
    }

    /// The last status of a recording, with `active: false`.
    fn finished(&self, capture_id: Uuid) {
        let last = lock(&self.inner.status).take();
        let done = RecordingStatus {
            capture_id,
            active: false,
            elapsed_ms: last.as_ref().map_or(0, |s| s.elapsed_ms),
            rms: 0.0,
            peak: 0.0,
            silent: false,
            notice: last.and_then(|s| s.notice),
        };
        self.inner
            .core
            .publish(CoreEvent::RecordingChanged { status: done });
    }

    fn tell(&self, status: RecordingStatus) {
        *lock(&self.inner.status) = Some(status.clone());
        self.inner
            .core
            .publish(CoreEvent::RecordingChanged { status });
    }
}

/// Runs on the recorder's thread; holds the service only while it handles the event.
fn on_event(service: &Weak<Inner>, event: crate::capture::audio::RecorderEvent) {
    let Some(inner) = service.upgrade() else {
        return;
    };
    let service = RecordingService { inner };
    let (change, snapshot) = {
        let mut guard = lock(&service.inner.status);
        let Some(status) = guard.as_mut() else { return };
        (status::apply(status, event), status.clone())
    };
    if change == Change::Quiet {
        return;
    }
    service
        .inner
        .core
        .publish(CoreEvent::RecordingChanged { status: snapshot });
    if change == Change::Ended {
        save_ended(service);
    }
}

/// A recording that ended by itself is saved like a Stop, from its own thread (stopping
/// waits for the recorder's thread, which is the one calling here).
fn save_ended(service: RecordingService) {
    let spawned = std::thread::Builder::new()
        .name("jotline-recording-save".into())
        .spawn(move || match service.stop_now() {
            Ok(saved) => {
                tracing::info!(capture = %saved.capture_id, "recording ended by itself and was saved")
            }
            Err(err) => tracing::debug!(code = ?err.code, "ended recording already handled"),
        });
    if let Err(err) = spawned {
        // The handle stays active: the next Stop (or the app's exit) saves it.
        tracing::error!(%err, "the ended recording could not be saved now");
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
