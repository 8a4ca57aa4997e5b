//! Voice memos: record, stop, cancel, retry a failed capture, and the voice settings.

use crate::sync::api;
use crate::{hotkey, state::AppState, voice_processing, windows};
use jotline_core::capture::audio::list_input_devices;
use jotline_core::transcribe::{KeyringTranscriberKeyStore, TranscriberKeyStore};
use jotline_core::types::{
    ApiError, CaptureSaved, ErrorCode, Microphone, RecordingStatus, Settings, Surface, VoiceMode,
};
use serde::Deserialize;
use tauri::{AppHandle, Runtime, State};
use tracing::instrument;
use uuid::Uuid;

/// Starts recording from the capture window; the capture id of the recording.
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn start_voice_capture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Uuid, ApiError> {
    let core = state.core()?;
    state.voice.start(&app, core, Surface::DesktopHotkey)
}

/// Stops and commits the recording (on disk when this returns), then hides the window.
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn stop_voice_capture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<CaptureSaved, ApiError> {
    let core = state.core()?;
    let saved = state.voice.stop(&app, core).await?;
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
    state.voice.cancel(&app).await?;
    windows::hide_capture(&app);
    Ok(())
}

#[tauri::command]
pub async fn get_recording(
    state: State<'_, AppState>,
) -> Result<Option<RecordingStatus>, ApiError> {
    Ok(state.voice.recording())
}

/// A capture that failed for good is queued again.
#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn retry_capture(state: State<'_, AppState>, capture_id: Uuid) -> Result<(), ApiError> {
    if !state.core()?.retry_capture(capture_id)? {
        return Err(api(
            ErrorCode::NotFound,
            "This memo has not failed (or no longer exists).",
        ));
    }
    state.voice.kick();
    Ok(())
}

#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn list_microphones() -> Result<Vec<Microphone>, ApiError> {
    let devices = tokio::task::spawn_blocking(list_input_devices)
        .await
        .map_err(|e| crate::state::internal_error(e.to_string()))?;
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
    voice_processing::refresh(&app, core).await;
    Ok(current)
}

/// Stores (or with `None` clears) the transcription service's API key in the OS keyring.
#[tauri::command]
#[instrument(skip_all, err(Debug))]
pub async fn set_transcription_key<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    key: Option<String>,
) -> Result<(), ApiError> {
    let core = state.core()?;
    let url = core.settings()?.transcription_url;
    if url.is_empty() {
        return Err(api(
            ErrorCode::InvalidInput,
            "Save the transcription service URL first.",
        ));
    }
    let store = KeyringTranscriberKeyStore::new(&url);
    let key = key.map(|k| k.trim().to_string()).filter(|k| !k.is_empty());
    tokio::task::spawn_blocking(move || match key {
        Some(k) => store.save(&k),
        None => store.clear(),
    })
    .await
    .map_err(|e| crate::state::internal_error(e.to_string()))?
    .map_err(|e| {
        api(
            ErrorCode::Keyring,
            format!("The system keyring is not available ({e})."),
        )
    })?;
    voice_processing::refresh(&app, core).await;
    Ok(())
}
