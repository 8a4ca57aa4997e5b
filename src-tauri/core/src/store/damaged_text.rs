//! Text columns of `entries` whose stored bytes are not valid UTF-8 (a bad sector, a tool
//! that wrote raw bytes; `integrity_check` still passes). Such a column is read lossily
//! (U+FFFD for the bad bytes) and flagged, so one damaged row never fails a whole query.
//!
//! Writes keep the stored bytes of a damaged column unless its value really changed: an edit
//! of the title does not silently turn a damaged body into its lossy copy. Editing the text
//! itself is how the user repairs it.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row};
use uuid::Uuid;

/// Which text columns of a row were read lossily.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DamagedText {
    pub kind: bool,
    pub title: bool,
    pub body: bool,
}

impl DamagedText {
    pub(crate) fn any(self) -> bool {
        self.kind || self.title || self.body
    }

    /// The damaged columns by name (the names the outbox and the protocol use).
    pub(crate) fn columns(self) -> Vec<&'static str> {
        [
            ("kind", self.kind),
            ("title", self.title),
            ("body", self.body),
        ]
        .into_iter()
        .filter_map(|(name, damaged)| damaged.then_some(name))
        .collect()
    }
}

/// Column `i` as text, decoded lossily; `true` when bytes had to be replaced. A BLOB (what
/// a raw write leaves) is decoded the same way.
pub(crate) fn lossy_text(row: &Row<'_>, i: usize) -> rusqlite::Result<(Option<String>, bool)> {
    let bytes = match row.get_ref(i)? {
        ValueRef::Null => return Ok((None, false)),
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => bytes,
        // Any other type is a schema error, reported as rusqlite reports it.
        _ => return Ok((row.get(i)?, false)),
    };
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => (Some(text.to_owned()), false),
        Err(_) => (Some(String::from_utf8_lossy(bytes).into_owned()), true),
    })
}

/// Columns a write must leave as stored: damaged, and about to be overwritten with exactly
/// the lossy text they were read as.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KeepStored {
    pub kind: bool,
    pub title: bool,
    pub body: bool,
}

/// What [`KeepStored`] says for a write of these values over row `id` (only looked up when
/// the row was read damaged).
pub(crate) fn keep_stored(
    conn: &Connection,
    id: Uuid,
    damaged: DamagedText,
    kind: &str,
    title: Option<&str>,
    body: &str,
) -> rusqlite::Result<KeepStored> {
    if !damaged.any() {
        return Ok(KeepStored::default());
    }
    let unchanged = |r: &Row<'_>, i: usize, value: Option<&str>| -> rusqlite::Result<bool> {
        let (stored, lossy) = lossy_text(r, i)?;
        Ok(lossy && stored.as_deref() == value)
    };
    let keep = conn
        .prepare_cached("SELECT kind, title, body FROM entries WHERE id = ?1")?
        .query_row([id.to_string()], |r| {
            Ok(KeepStored {
                kind: unchanged(r, 0, Some(kind))?,
                title: unchanged(r, 1, title)?,
                body: unchanged(r, 2, Some(body))?,
            })
        })
        .optional()?;
    Ok(keep.unwrap_or_default())
}
