//! The JSON export: one pretty-printed file, `jotline-journal.json`:
//!
//! ```json
//! {
//!   "app": "jotline",
//!   "version": 1,
//!   "exportedAt": "2026-11-22T20:54:01.000Z",
//!   "entries": [ Entry, ... ]
//! }
//! ```
//!
//! Entries have the app's `Entry` shape (camelCase, tags, people, and the voice memo's
//! metadata: `voice.audioFile` is the recording's path on the exporting computer; its copy
//! is `audio/<voice.captureId>.wav` next to this file), sorted by `occurredAt`, then `id`.

use super::{files, FORMAT_VERSION};
use crate::error::CoreError;
use crate::types::Entry;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file a JSON export writes.
pub const JSON_FILE: &str = "jotline-journal.json";
const APP: &str = "jotline";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Export<'a> {
    app: &'a str,
    version: u32,
    exported_at: String,
    entries: &'a [Entry],
}

#[derive(Deserialize)]
struct Header {
    app: String,
    version: u32,
}

#[derive(Deserialize)]
struct Entries {
    entries: Vec<Entry>,
}

pub(super) fn write(dir: &Path, entries: &[Entry], now: DateTime<Utc>) -> Result<(), CoreError> {
    let path = dir.join(JSON_FILE);
    let doc = Export {
        app: APP,
        version: FORMAT_VERSION,
        exported_at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
        entries,
    };
    let mut bytes = serde_json::to_vec_pretty(&doc)
        .map_err(|e| CoreError::InvalidInput(format!("cannot write {}: {e}", path.display())))?;
    bytes.push(b'\n');
    files::write(&path, &bytes)
}

/// Reads a JSON export: `path` is the export folder or the file itself.
pub fn read_json(path: &Path) -> Result<Vec<Entry>, CoreError> {
    let path = if path.is_dir() {
        path.join(JSON_FILE)
    } else {
        path.to_path_buf()
    };
    let bytes = std::fs::read(&path).map_err(|e| files::io_error("cannot read", &path, e))?;
    let invalid = |e: serde_json::Error| {
        CoreError::InvalidInput(format!(
            "{} is not a Jotline JSON export: {e}",
            path.display()
        ))
    };
    let header: Header = serde_json::from_slice(&bytes).map_err(invalid)?;
    if header.app != APP {
        return Err(CoreError::InvalidInput(format!(
            "{} was not written by Jotline (app `{}`)",
            path.display(),
            header.app
        )));
    }
    if header.version > FORMAT_VERSION {
        return Err(CoreError::InvalidInput(format!(
            "{} was written by a newer Jotline (format version {}; this one reads up to {FORMAT_VERSION})",
            path.display(),
            header.version
        )));
    }
    Ok(serde_json::from_slice::<Entries>(&bytes)
        .map_err(invalid)?
        .entries)
}
