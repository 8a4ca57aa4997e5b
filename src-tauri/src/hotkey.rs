//! The global hotkeys: registration (the core's settings rules check their syntax) and what
//! to tell the user when another program already holds one (or the desktop has no global
//! shortcuts, e.g. Wayland).

use global_hotkey::hotkey::HotKey as Shortcut;
use jotline_core::types::{HotkeyStatus, Settings};
use jotline_platform::key_grab::{GrabError, KeyGrabber};
use std::str::FromStr;
use tauri::{AppHandle, Manager, Runtime};

/// Replaces whatever was registered with the capture and voice hotkeys of `settings`;
/// reports the capture hotkey's outcome (the voice hotkey's is logged).
pub fn register_all<R: Runtime>(app: &AppHandle<R>, settings: &Settings) -> HotkeyStatus {
    let Some(grabber) = app.try_state::<KeyGrabber>() else {
        return failed(
            &settings.capture_hotkey,
            "global shortcuts are not available in this session".into(),
        );
    };
    grabber.unregister_all();
    let status = register_capture(&grabber, &settings.capture_hotkey);
    match register(&grabber, &settings.voice_hotkey) {
        Ok(()) => tracing::info!(hotkey = settings.voice_hotkey, "voice hotkey registered"),
        Err(err) => tracing::warn!(
            hotkey = settings.voice_hotkey,
            %err,
            "voice hotkey unavailable"
        ),
    }
    status
}

/// True when `shortcut` is the voice hotkey of `settings`.
pub fn is_voice(shortcut: &Shortcut, settings: &Settings) -> bool {
    Shortcut::from_str(settings.voice_hotkey.trim()).is_ok_and(|v| v.id() == shortcut.id())
}

/// Registers `hotkey` for the capture window and reports the outcome.
fn register_capture(grabber: &KeyGrabber, hotkey: &str) -> HotkeyStatus {
    match register(grabber, hotkey) {
        Ok(()) => {
            tracing::info!(hotkey, "capture hotkey registered");
            HotkeyStatus {
                hotkey: hotkey.to_owned(),
                registered: true,
                error: None,
            }
        }
        Err(cause) => failed(hotkey, registration_error(hotkey, &cause)),
    }
}

fn register(grabber: &KeyGrabber, hotkey: &str) -> Result<(), GrabError> {
    let shortcut =
        Shortcut::from_str(hotkey.trim()).map_err(|err| GrabError::Unsupported(err.to_string()))?;
    grabber.register(&shortcut)
}

/// What the settings view says when registration fails.
fn registration_error(hotkey: &str, cause: &GrabError) -> String {
    match cause {
        GrabError::Taken => format!("Another program is already using {hotkey}."),
        other => format!("The desktop refused {hotkey} ({other})."),
    }
}

fn failed(hotkey: &str, error: String) -> HotkeyStatus {
    tracing::warn!(hotkey, error, "capture hotkey unavailable");
    HotkeyStatus {
        hotkey: hotkey.to_owned(),
        registered: false,
        error: Some(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_hotkey_is_explained_without_internals() {
        let message = registration_error("Ctrl+Shift+Space", &GrabError::Taken);
        assert_eq!(
            message,
            "Another program is already using Ctrl+Shift+Space."
        );
        let refused =
            registration_error("Ctrl+Shift+Space", &GrabError::Server("BadAccess".into()));
        assert_eq!(
            refused,
            "The desktop refused Ctrl+Shift+Space (the X server: BadAccess)."
        );
    }
}
