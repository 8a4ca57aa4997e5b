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
