//! Hotkeys as the user types them (`ctrl+shift+space`): parsed with global-hotkey's own
//! types, so what the settings accept is exactly what the shell can grab.

use crate::error::CoreError;
use global_hotkey::hotkey::HotKey;
use std::str::FromStr;

/// The trimmed accelerator, or why it cannot be a global shortcut.
pub fn normalize(hotkey: &str) -> Result<String, CoreError> {
    let trimmed = hotkey.trim();
    let parsed = HotKey::from_str(trimmed).map_err(|err| {
        CoreError::InvalidInput(format!(
            "`{trimmed}` is not a valid shortcut ({err}). Example: Ctrl+Shift+Space"
        ))
    })?;
    if parsed.mods.is_empty() {
        return Err(CoreError::InvalidInput(format!(
            "`{trimmed}` has no modifier; a global shortcut needs Ctrl, Alt, Shift or Super"
        )));
    }
    Ok(trimmed.to_owned())
}

/// Whether two accelerators name the same key combination (`ctrl+r` is `Ctrl+R`).
pub fn same(a: &str, b: &str) -> bool {
    match (HotKey::from_str(a.trim()), HotKey::from_str(b.trim())) {
        (Ok(a), Ok(b)) => a.id() == b.id(),
        _ => a.trim() == b.trim(),
    }
}
