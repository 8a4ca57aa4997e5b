//! Voice memos: record, stop, cancel, retry a failed capture, and the voice settings.

use crate::{hotkey, state::AppState, windows};
use jotline_core::capture::audio::list_input_devices;
use jotline_core::types::{
    ApiError, CaptureSaved, Microphone, RecordingStatus, Settings, Surface, VoiceMode,
};
use serde::Deserialize;
use tauri::{AppHandle, Runtime, State};
use tracing::instrument;
use uuid::Uuid;

/// Starts recording from the capture window; the capture id of the recording.
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn start_voice_capture(state: State<'_, AppState>) -> Result<Uuid, ApiError> {
    state.journal()?.recording.start(Surface::DesktopHotkey)
}

/// Stops and commits the recording (on disk when this returns), then hides the window.
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn stop_voice_capture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<CaptureSaved, ApiError> {
    let saved = state.journal()?.recording.stop().await?;
    windows::hide_capture(&app);
    Ok(saved)
}

/// Esc while recording: the recording is deleted (the user's explicit choice).
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn cancel_voice_capture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<(), ApiError> {
    state.journal()?.recording.cancel().await?;
    windows::hide_capture(&app);
    Ok(())
}

#[tauri::command]
pub async fn get_recording(
    state: State<'_, AppState>,
) -> Result<Option<RecordingStatus>, ApiError> {
    Ok(state.journal()?.recording.recording())
}

/// A capture that failed for good is queued again.
#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn retry_capture(state: State<'_, AppState>, capture_id: Uuid) -> Result<(), ApiError> {
    state.journal()?.processing.retry(capture_id)
}

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn list_microphones() -> Result<Vec<Microphone>, ApiError> {
    let devices = tokio::task::spawn_blocking(list_input_devices).await?;
    // No audio system at all is the same as no microphone for the settings list.
    Ok(devices
        .unwrap_or_default()
        .into_iter()
        .map(|d| Microphone {
            name: d.name,
            is_default: d.is_default,
        })
        .collect())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoiceSettings {
    voice_hotkey: String,
    voice_mode: VoiceMode,
    voice_max_minutes: u32,
    microphone: Option<String>,
    transcription_url: String,
    transcription_model: String,
}

#[tauri::command]
#[instrument(skip(app, state), err(Debug))]
pub async fn set_voice_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    settings: VoiceSettings,
) -> Result<Settings, ApiError> {
    let core = state.core()?;
    let current = core.update_settings(|s| {
        s.voice_hotkey = settings.voice_hotkey;
        s.voice_mode = settings.voice_mode;
        s.voice_max_minutes = settings.voice_max_minutes;
        s.microphone = settings.microphone;
        s.transcription_url = settings.transcription_url;
        s.transcription_model = settings.transcription_model;
        Ok(())
    })?;
    hotkey::register_all(&app, &current);
    Ok(current)
}

/// Stores (or with `None` clears) the transcription service's API key in the OS keyring.
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn set_transcription_key(
    state: State<'_, AppState>,
    key: Option<String>,
) -> Result<(), ApiError> {
    state.journal()?.processing.set_transcription_key(key).await
}
