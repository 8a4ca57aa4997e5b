//! Every rule a saved setting obeys, in one place: `apply` normalises what the user typed
//! (trimmed URLs and keys, an empty model → the default) and refuses what cannot work.

use super::accelerator;
use crate::error::CoreError;
use crate::types::Settings;

/// Longest sync interval the settings accept (one day).
pub const MAX_SYNC_INTERVAL_MINUTES: u32 = 24 * 60;
/// Longest device name (the server's limit).
pub const MAX_DEVICE_NAME_CHARS: usize = 100;
/// Longest voice memo the settings accept (two hours).
pub const MAX_VOICE_MINUTES: u32 = 120;

/// Normalises `next` and checks it; `before` tells which hotkey the user just changed.
pub(crate) fn apply(before: &Settings, next: &mut Settings) -> Result<(), CoreError> {
    hotkeys(before, next)?;
    backend(next)?;
    voice(next)?;
    Ok(())
}

fn invalid(message: impl Into<String>) -> CoreError {
    CoreError::InvalidInput(message.into())
}

fn hotkeys(before: &Settings, next: &mut Settings) -> Result<(), CoreError> {
    if next.capture_hotkey.trim().is_empty() {
        return Err(invalid("The capture shortcut cannot be empty."));
    }
    // Only a changed hotkey is parsed again: a value older versions accepted stays usable.
    let capture_changed = next.capture_hotkey != before.capture_hotkey;
    if capture_changed {
        next.capture_hotkey = accelerator::normalize(&next.capture_hotkey)?;
    }
    if next.voice_hotkey != before.voice_hotkey {
        next.voice_hotkey = accelerator::normalize(&next.voice_hotkey)?;
    }
    if accelerator::same(&next.capture_hotkey, &next.voice_hotkey) {
        return Err(invalid(if capture_changed {
            format!("{} is already the voice hotkey.", next.capture_hotkey)
        } else {
            "The voice hotkey must differ from the capture hotkey.".to_string()
        }));
    }
    Ok(())
}

fn backend(next: &mut Settings) -> Result<(), CoreError> {
    next.backend_url = next.backend_url.trim().trim_end_matches('/').to_owned();
    next.anon_key = next.anon_key.trim().to_owned();
    let url = &next.backend_url;
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        return Err(invalid(format!(
            "The backend URL must start with https:// (or http:// for a local backend), not `{url}`."
        )));
    }
    if url.chars().any(char::is_whitespace) {
        return Err(invalid("The backend URL cannot contain spaces."));
    }
    if next.anon_key.chars().any(char::is_whitespace) {
        return Err(invalid("The anon key cannot contain spaces."));
    }
    next.device_name = next.device_name.trim().to_owned();
    if next.device_name.chars().count() > MAX_DEVICE_NAME_CHARS
        || next.device_name.chars().any(char::is_control)
    {
        return Err(invalid(format!(
            "The device name must be one line of at most {MAX_DEVICE_NAME_CHARS} characters."
        )));
    }
    if !(1..=MAX_SYNC_INTERVAL_MINUTES).contains(&next.sync_interval_minutes) {
        return Err(invalid(format!(
            "The sync interval must be between 1 and {MAX_SYNC_INTERVAL_MINUTES} minutes."
        )));
    }
    Ok(())
}

fn voice(next: &mut Settings) -> Result<(), CoreError> {
    if !(1..=MAX_VOICE_MINUTES).contains(&next.voice_max_minutes) {
        return Err(invalid(format!(
            "The maximum length is between 1 and {MAX_VOICE_MINUTES} minutes."
        )));
    }
    next.transcription_url = next
        .transcription_url
        .trim()
        .trim_end_matches('/')
        .to_owned();
    let url = &next.transcription_url;
    if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
        return Err(invalid(
            "The transcription URL must start with http:// or https://.",
        ));
    }
    next.transcription_model = match next.transcription_model.trim() {
        "" => Settings::default().transcription_model,
        model => model.to_owned(),
    };
    next.microphone = next.microphone.take().filter(|m| !m.trim().is_empty());
    Ok(())
}
