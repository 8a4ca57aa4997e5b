//! Voice memos in the app: the one recording in progress (started by the voice hotkey or the
//! capture window), its live status as `recording` events, and the capture processor that
//! uploads and transcribes finished memos. The recording itself is `jotline_core::capture::audio`.

use crate::state::AppState;
use crate::sync::api;
use jotline_core::capture::audio::{
    AudioSource, CpalSource, FileSource, Pacing, Recorder, RecorderConfig, RecorderEvent,
    RecordingHandle,
};
use jotline_core::capture::voice::VoiceRecording;
use jotline_core::capture::CaptureProcessor;
use jotline_core::types::{ApiError, CaptureSaved, ErrorCode, RecordingStatus, Settings, Surface};
use jotline_core::Core;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use uuid::Uuid;

/// Tauri event carrying a `RecordingStatus` (~20 per second while recording).
pub const RECORDING_EVENT: &str = "recording";

/// Plays this WAV instead of opening a microphone: for machines without one (CI, the
/// end-to-end test). The file is played in real time, exactly as a microphone would deliver it.
pub const AUDIO_FILE_ENV: &str = "JOTLINE_AUDIO_FILE";

struct Active {
    handle: RecordingHandle,
    capture_id: Uuid,
    surface: Surface,
}

/// The recording in progress (at most one) and the capture processor.
#[derive(Default)]
pub struct VoiceManager {
    active: Mutex<Option<Active>>,
    status: Arc<Mutex<Option<RecordingStatus>>>,
    processor: Mutex<Option<CaptureProcessor>>,
}

impl VoiceManager {
    pub fn recording(&self) -> Option<RecordingStatus> {
        lock(&self.status).clone()
    }

    pub fn is_recording(&self) -> bool {
        lock(&self.active).is_some()
    }

    /// Starts recording into a new file of the audio folder; returns the capture id (the
    /// running one if a recording is already in progress).
    pub fn start<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        core: &Core,
        surface: Surface,
    ) -> Result<Uuid, ApiError> {
        let mut active = lock(&self.active);
        if let Some(a) = active.as_ref() {
            return Ok(a.capture_id);
        }
        let settings = core.settings()?;
        let (source, notice) = open_source(&settings)?;
        let (capture_id, _) = core.new_voice_file()?;
        let mut config = RecorderConfig::new(core.audio_dir(), capture_id.to_string());
        config.max_duration =
            Duration::from_secs(u64::from(settings.voice_max_minutes.max(1)) * 60);
        let initial = RecordingStatus {
            capture_id,
            active: true,
            elapsed_ms: 0,
            rms: 0.0,
            peak: 0.0,
            silent: false,
            notice,
        };
        *lock(&self.status) = Some(initial.clone());
        emit(app, &initial);
        let status = self.status.clone();
        let events_app = app.clone();
        let handle = Recorder::start(source, config, move |event| {
            on_recorder_event(&events_app, &status, event);
        })
        .map_err(audio_error)?;
        tracing::info!(capture = %capture_id, "recording started");
        *active = Some(Active {
            handle,
            capture_id,
            surface,
        });
        Ok(capture_id)
    }

    /// Stops the recording and commits it as a capture (on disk when this returns).
    pub async fn stop<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        core: &Core,
    ) -> Result<CaptureSaved, ApiError> {
        let Some(active) = lock(&self.active).take() else {
            return Err(api(ErrorCode::InvalidInput, "Nothing is being recorded."));
        };
        let finished = tokio::task::spawn_blocking(move || active.handle.stop())
            .await
            .map_err(|e| api(ErrorCode::Internal, e.to_string()))?
            .map_err(audio_error)?;
        let saved = core.save_voice_capture(VoiceRecording {
            capture_id: active.capture_id,
            duration_ms: i64::try_from(finished.duration_ms).unwrap_or(i64::MAX),
            surface: active.surface,
        })?;
        tracing::info!(capture = %active.capture_id, duration_ms = finished.duration_ms, "recording saved");
        self.finished(app, active.capture_id, None);
        self.kick();
        Ok(saved)
    }

    /// Esc: stops and deletes the recording (the user chose to throw it away).
    pub async fn cancel<R: Runtime>(&self, app: &AppHandle<R>) -> Result<(), ApiError> {
        let Some(active) = lock(&self.active).take() else {
            return Ok(());
        };
        tokio::task::spawn_blocking(move || active.handle.cancel())
            .await
            .map_err(|e| api(ErrorCode::Internal, e.to_string()))?
            .map_err(audio_error)?;
        tracing::info!(capture = %active.capture_id, "recording discarded by the user");
        self.finished(app, active.capture_id, None);
        Ok(())
    }

    fn finished<R: Runtime>(&self, app: &AppHandle<R>, capture_id: Uuid, notice: Option<String>) {
        let last = lock(&self.status).take();
        let done = RecordingStatus {
            capture_id,
            active: false,
            elapsed_ms: last.as_ref().map_or(0, |s| s.elapsed_ms),
            rms: 0.0,
            peak: 0.0,
            silent: false,
            notice: notice.or(last.and_then(|s| s.notice)),
        };
        emit(app, &done);
    }

    pub fn set_processor(&self, processor: CaptureProcessor) {
        *lock(&self.processor) = Some(processor);
    }

    pub fn set_processor_deps(&self, deps: jotline_core::capture::processor::ProcessorDeps) {
        if let Some(p) = lock(&self.processor).as_ref() {
            p.set_deps(deps);
        }
    }

    /// A processor pass soon (new recording, Retry).
    pub fn kick(&self) {
        if let Some(p) = lock(&self.processor).as_ref() {
            p.kick();
        }
    }
}

/// The microphone of the settings, the default one if it is gone (said in the notice), or
/// the file of [`AUDIO_FILE_ENV`].
fn open_source(settings: &Settings) -> Result<(Box<dyn AudioSource>, Option<String>), ApiError> {
    if let Some(path) = std::env::var_os(AUDIO_FILE_ENV) {
        let source =
            FileSource::open(std::path::Path::new(&path), Pacing::RealTime).map_err(audio_error)?;
        return Ok((Box::new(source), None));
    }
    match settings.microphone.as_deref() {
        Some(name) => match CpalSource::open(Some(name)) {
            Ok(source) => Ok((Box::new(source), None)),
            Err(err) => {
                tracing::warn!(%err, "chosen microphone unavailable; using the default");
                let source = CpalSource::open(None).map_err(audio_error)?;
                Ok((
                    Box::new(source),
                    Some(format!(
                        "{name} is not available; recording from the default microphone."
                    )),
                ))
            }
        },
        None => Ok((Box::new(CpalSource::open(None).map_err(audio_error)?), None)),
    }
}

fn on_recorder_event<R: Runtime>(
    app: &AppHandle<R>,
    status: &Mutex<Option<RecordingStatus>>,
    event: RecorderEvent,
) {
    let ends = matches!(
        event,
        RecorderEvent::MaxLengthReached
            | RecorderEvent::SourceEnded
            | RecorderEvent::DeviceLost { fell_back_to: None }
    );
    let snapshot = {
        let mut guard = lock(status);
        let Some(s) = guard.as_mut() else { return };
        match event {
            RecorderEvent::Level { rms, peak } => {
                s.rms = rms;
                s.peak = peak;
                if rms > 0.01 {
                    s.silent = false;
                }
            }
            RecorderEvent::Elapsed { ms } => {
                s.elapsed_ms = ms;
                return;
            }
            RecorderEvent::SilenceWarning => s.silent = true,
            RecorderEvent::MaxLengthReached => {
                s.notice = Some("The recording reached its maximum length and stopped.".into())
            }
            RecorderEvent::DeviceLost { fell_back_to } => {
                s.notice = Some(match fell_back_to {
                    Some(name) => {
                        format!("The microphone was lost; recording continues from {name}.")
                    }
                    None => "The microphone was lost; what was recorded is kept.".into(),
                })
            }
            RecorderEvent::Overflow { dropped } => {
                tracing::warn!(dropped, "audio frames dropped: the disk could not keep up");
                return;
            }
            RecorderEvent::Failed { message } => {
                s.notice = Some(format!("Recording problem: {message}"))
            }
            _ if ends => {}
            _ => return,
        }
        s.clone()
    };
    emit(app, &snapshot);
    if ends {
        save_ended_recording(app.clone());
    }
}

/// A recording that ended by itself (length limit, end of the source, no device left) is
/// saved like a Stop, from a task (this runs on the recorder's own thread).
fn save_ended_recording<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let Ok(core) = state.core() else { return };
        match state.voice.stop(&app, core).await {
            Ok(saved) => {
                tracing::info!(capture = %saved.capture_id, "recording ended by itself and was saved")
            }
            Err(err) => tracing::debug!(code = ?err.code, "ended recording already handled"),
        }
    });
}

/// Event carrying an `ApiError` when a recording the hotkey asked for could not start
/// (e.g. no microphone); the capture window shows it.
pub const RECORDING_ERROR_EVENT: &str = "recording-error";

pub fn report_error<R: Runtime>(app: &AppHandle<R>, err: &ApiError) {
    if let Err(e) = app.emit(RECORDING_ERROR_EVENT, err) {
        tracing::debug!(%e, "could not publish the recording error");
    }
}

fn emit<R: Runtime>(app: &AppHandle<R>, status: &RecordingStatus) {
    if let Err(err) = app.emit(RECORDING_EVENT, status) {
        tracing::debug!(%err, "could not publish the recording status");
    }
}

fn audio_error(err: jotline_core::capture::audio::AudioError) -> ApiError {
    api(ErrorCode::AudioDevice, err.to_string())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
