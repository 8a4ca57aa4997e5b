//! The voice hotkey: toggle (press to start, press again to save) or push-to-talk (record
//! while held). Recording shows the capture window, which displays the time and level.

use crate::{hotkey, state::AppState, windows};
use global_hotkey::hotkey::HotKey as Shortcut;
use global_hotkey::HotKeyState as ShortcutState;
use jotline_core::types::{Surface, VoiceMode};
use tauri::{AppHandle, Manager, Runtime};

/// Handles `shortcut` if it is the voice hotkey; false otherwise.
pub fn handles<R: Runtime>(app: &AppHandle<R>, shortcut: &Shortcut, key: ShortcutState) -> bool {
    let state = app.state::<AppState>();
    let Ok(journal) = state.journal() else {
        return false;
    };
    // Settings held in memory: a press reads no file.
    let settings = journal.core.settings().unwrap_or_default();
    if !hotkey::is_voice(shortcut, &settings) {
        return false;
    }
    let recording = journal.recording.clone();
    match action(settings.voice_mode, key, recording.is_recording()) {
        Action::Start => {
            windows::show_capture(app);
            if let Err(err) = recording.start_or_report(Surface::DesktopHotkey) {
                tracing::warn!(code = ?err.code, message = err.message, "voice hotkey: not recording");
            }
        }
        Action::Stop => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                match recording.stop().await {
                    Ok(_) => windows::hide_capture(&app),
                    Err(err) => tracing::warn!(code = ?err.code, "voice hotkey: stop failed"),
                }
            });
        }
        Action::Nothing => {}
    }
    true
}

/// What a press or release of the voice hotkey does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Start,
    Stop,
    Nothing,
}

pub fn action(mode: VoiceMode, key: ShortcutState, recording: bool) -> Action {
    match (mode, key, recording) {
        (VoiceMode::Toggle, ShortcutState::Pressed, false) => Action::Start,
        (VoiceMode::Toggle, ShortcutState::Pressed, true) => Action::Stop,
        (VoiceMode::PushToTalk, ShortcutState::Pressed, false) => Action::Start,
        (VoiceMode::PushToTalk, ShortcutState::Released, true) => Action::Stop,
        // Key repeat while held, or a release in toggle mode.
        _ => Action::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toggle_starts_on_one_press_and_saves_on_the_next() {
        assert_eq!(
            action(VoiceMode::Toggle, ShortcutState::Pressed, false),
            Action::Start
        );
        assert_eq!(
            action(VoiceMode::Toggle, ShortcutState::Released, true),
            Action::Nothing
        );
        assert_eq!(
            action(VoiceMode::Toggle, ShortcutState::Pressed, true),
            Action::Stop
        );
    }

    #[test]
    fn push_to_talk_records_while_held() {
        assert_eq!(
            action(VoiceMode::PushToTalk, ShortcutState::Pressed, false),
            Action::Start
        );
        assert_eq!(
            action(VoiceMode::PushToTalk, ShortcutState::Pressed, true),
            Action::Nothing,
            "key repeat"
        );
        assert_eq!(
            action(VoiceMode::PushToTalk, ShortcutState::Released, true),
            Action::Stop
        );
        assert_eq!(
            action(VoiceMode::PushToTalk, ShortcutState::Released, false),
            Action::Nothing
        );
    }
}
