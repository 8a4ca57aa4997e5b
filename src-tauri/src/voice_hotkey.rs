//! The voice hotkey: toggle (press to start, press again to save) or push-to-talk (record
//! while held). Recording shows the capture window, which displays the time and level.

use crate::{hotkey, state::AppState, windows};
use jotline_core::types::{Surface, VoiceMode};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_global_shortcut::{Shortcut, ShortcutState};

/// Handles `shortcut` if it is the voice hotkey; false otherwise.
pub fn handles<R: Runtime>(app: &AppHandle<R>, shortcut: &Shortcut, key: ShortcutState) -> bool {
    let state = app.state::<AppState>();
    let Ok(core) = state.core() else {
        return false;
    };
    let settings = core.settings().unwrap_or_default();
    if !hotkey::is_voice(shortcut, &settings) {
        return false;
    }
    let recording = state.voice.is_recording();
    let start = match (settings.voice_mode, key) {
        (VoiceMode::Toggle, ShortcutState::Pressed) => !recording,
        (VoiceMode::PushToTalk, ShortcutState::Pressed) => true,
        (VoiceMode::Toggle, ShortcutState::Released) => return true,
        (VoiceMode::PushToTalk, ShortcutState::Released) => false,
    };
    if start {
        windows::show_capture(app);
        if let Err(err) = state.voice.start(app, core, Surface::DesktopHotkey) {
            // The capture window shows the error from the status it asks for; log the code.
            tracing::warn!(code = ?err.code, message = err.message, "voice hotkey: not recording");
            crate::voice::report_error(app, &err);
        }
    } else if recording {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let state = app.state::<AppState>();
            let Ok(core) = state.core() else { return };
            match state.voice.stop(&app, core).await {
                Ok(_) => windows::hide_capture(&app),
                Err(err) => tracing::warn!(code = ?err.code, "voice hotkey: stop failed"),
            }
        });
    }
    true
}
