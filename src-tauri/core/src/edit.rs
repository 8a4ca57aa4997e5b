//! Applying an `EntryPatch`: validation and the list of fields that really changed.

use crate::capture::text::MAX_CAPTURE_BYTES;
use crate::error::CoreError;
use crate::store::entries::EntryRow;
use crate::store::to_ms;
use crate::types::EntryPatch;

/// Longest allowed title, in bytes.
pub const MAX_TITLE_BYTES: usize = 4 * 1024;

/// The edited row and its changed columns; `None` when the patch changes nothing.
pub(crate) fn apply(
    current: &EntryRow,
    patch: &EntryPatch,
    now_ms: i64,
) -> Result<Option<(EntryRow, Vec<&'static str>)>, CoreError> {
    let mut next = current.clone();
    let mut changed = Vec::new();
    if let Some(kind) = &patch.kind {
        let kind = normalize_kind(kind)?;
        if kind != current.kind {
            next.kind = kind;
            changed.push("kind");
        }
    }
    if let Some(title) = &patch.title {
        // A blank title is no title.
        let title = title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(str::to_string);
        if let Some(t) = &title {
            if t.len() > MAX_TITLE_BYTES {
                return Err(CoreError::TooLarge {
                    size: t.len(),
                    limit: MAX_TITLE_BYTES,
                });
            }
        }
        if title != current.title {
            next.title = title;
            changed.push("title");
        }
    }
    if let Some(body) = &patch.body {
        if body.len() > MAX_CAPTURE_BYTES {
            return Err(CoreError::TooLarge {
                size: body.len(),
                limit: MAX_CAPTURE_BYTES,
            });
        }
        if *body != current.body {
            next.body = body.clone();
            changed.push("body");
        }
    }
    if let Some(at) = patch.occurred_at {
        let at = to_ms(at);
        if at != current.occurred_at {
            next.occurred_at = at;
            changed.push("occurred_at");
        }
    }
    if changed.is_empty() {
        return Ok(None);
    }
    next.updated_at = now_ms;
    Ok(Some((next, changed)))
}

/// Kinds are short lower-case words (`note`, `task`, `event`, ...).
fn normalize_kind(kind: &str) -> Result<String, CoreError> {
    let kind = kind.trim().to_lowercase();
    let ok = !kind.is_empty()
        && kind.len() <= 32
        && kind
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok {
        return Err(CoreError::InvalidInput(
            "An entry kind is a short word of letters, digits, '-' or '_'.".to_string(),
        ));
    }
    Ok(kind)
}
