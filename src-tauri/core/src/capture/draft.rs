//! The capture window's unsaved text, kept in a file so a crash or a closed window loses nothing.

use crate::capture::text::MAX_CAPTURE_BYTES;
use crate::error::CoreError;
use crate::fs_atomic;
use std::path::Path;

pub const DRAFT_FILE: &str = "capture-draft.md";

pub fn save(path: &Path, text: &str) -> Result<(), CoreError> {
    if text.len() > MAX_CAPTURE_BYTES {
        return Err(CoreError::TooLarge {
            size: text.len(),
            limit: MAX_CAPTURE_BYTES,
        });
    }
    if text.trim().is_empty() {
        return clear(path);
    }
    fs_atomic::write(path, text.as_bytes())?;
    Ok(())
}

/// `None` when there is no draft or it is blank.
pub fn load(path: &Path) -> Result<Option<String>, CoreError> {
    let Some(bytes) = fs_atomic::read_optional(path)? else {
        return Ok(None);
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok((!text.trim().is_empty()).then_some(text))
}

pub fn clear(path: &Path) -> Result<(), CoreError> {
    fs_atomic::remove(path)?;
    Ok(())
}

/// A capture sent from outside the capture window (`jotline capture TEXT` to the running
/// app) that could not be saved.
#[derive(Debug)]
pub struct NotSaved {
    pub error: CoreError,
    /// The text is the capture window's draft now, so it is shown there with the reason.
    pub drafted: bool,
}

impl crate::Core {
    /// Saves `text`, or keeps it as the capture draft where it fits (a blank text has
    /// nothing to keep; one too large for the journal is too large for the draft too).
    pub fn capture_text_or_keep_draft(
        &self,
        text: &str,
        surface: crate::types::Surface,
    ) -> Result<crate::types::CaptureSaved, NotSaved> {
        self.capture_text(text, surface).map_err(|error| NotSaved {
            drafted: !text.trim().is_empty() && self.save_draft(text).is_ok(),
            error,
        })
    }
}
