//! Reading a Markdown export back (the rules are in [`super::markdown`]).

use super::markdown::{
    is_day_file, DayMeta, EntryMeta, DAY_MARKER, END_MARKER, ENTRY_MARKER, MARKER_PREFIX,
    MARKER_SUFFIX,
};
use super::{files, ExportedEntry, FORMAT_VERSION};
use crate::error::CoreError;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// Reads every Jotline day file in `dir` (files that do not start with the day marker are
/// skipped), in file-name order: the entries come oldest day first, in time order.
pub fn read_markdown(dir: &Path) -> Result<Vec<ExportedEntry>, CoreError> {
    let listing = std::fs::read_dir(dir).map_err(|e| files::io_error("cannot read", dir, e))?;
    let mut paths: Vec<PathBuf> = Vec::new();
    for item in listing {
        let item = item.map_err(|e| files::io_error("cannot read", dir, e))?;
        let path = item.path();
        let markdown = path.extension().is_some_and(|x| x == "md");
        if markdown && item.file_type().is_ok_and(|t| t.is_file()) {
            paths.push(path);
        }
    }
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        if is_day_file(&path).map_err(|e| files::io_error("cannot read", &path, e))? {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| files::io_error("cannot read", &path, e))?;
            parse_day(&text, &path, &mut out)?;
        }
    }
    Ok(out)
}

enum State {
    /// Between entries: headings and blank lines.
    Between,
    /// After an entry marker, before the blank line that opens the body.
    Furniture(EntryMeta, usize),
    Body(EntryMeta, usize, Vec<String>),
}

/// Appends the entries of one day file to `out`.
fn parse_day(text: &str, path: &Path, out: &mut Vec<ExportedEntry>) -> Result<(), CoreError> {
    let bad = |line: usize, what: String| {
        CoreError::InvalidInput(format!(
            "{} line {line} is not a valid Jotline day file: {what}",
            path.display()
        ))
    };
    let text = text.strip_suffix('\n').unwrap_or(text);
    let mut lines = text.split('\n').enumerate().map(|(i, l)| (i + 1, l));
    let (_, first) = lines.next().unwrap_or((1, ""));
    let day: DayMeta = marker_data(first, DAY_MARKER).map_err(|e| bad(1, e))?;
    if day.version > FORMAT_VERSION {
        return Err(bad(
            1,
            format!(
                "written by a newer Jotline (format version {}; this one reads up to \
                 {FORMAT_VERSION})",
                day.version
            ),
        ));
    }
    let mut state = State::Between;
    for (n, raw) in lines {
        // Markers tolerate an editor's CRLF; body lines are kept byte for byte.
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        state = match state {
            State::Between if line.starts_with(ENTRY_MARKER) => {
                State::Furniture(marker_data(line, ENTRY_MARKER).map_err(|e| bad(n, e))?, n)
            }
            State::Between if line.starts_with(MARKER_PREFIX) => {
                return Err(bad(n, "a marker outside an entry".into()));
            }
            State::Between => State::Between,
            State::Furniture(_, _) if line.starts_with(MARKER_PREFIX) => {
                return Err(bad(n, "a marker before the entry's body".into()));
            }
            State::Furniture(meta, start) if line.is_empty() => State::Body(meta, start, vec![]),
            // The voice memo's link: not part of the entry.
            furniture @ State::Furniture(_, _) => furniture,
            State::Body(meta, start, body) if line == END_MARKER => {
                out.push(entry(meta, body.join("\n")).map_err(|e| bad(start, e))?);
                State::Between
            }
            State::Body(_, _, _) if raw.starts_with(MARKER_PREFIX) => {
                return Err(bad(n, "an unescaped marker inside an entry's body".into()));
            }
            State::Body(meta, start, mut body) => {
                body.push(unescape(raw).to_string());
                State::Body(meta, start, body)
            }
        };
    }
    match state {
        State::Between => Ok(()),
        State::Furniture(meta, start) | State::Body(meta, start, _) => Err(bad(
            start,
            format!("entry {} has no `{END_MARKER}` line", meta.id),
        )),
    }
}

/// The JSON between `prefix` and ` -->`.
fn marker_data<T: DeserializeOwned>(line: &str, prefix: &str) -> Result<T, String> {
    let json = line
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(MARKER_SUFFIX))
        .ok_or_else(|| format!("expected a `{}… -->` line", prefix.trim_end()))?;
    serde_json::from_str(json).map_err(|e| format!("bad marker data ({e})"))
}

fn entry(meta: EntryMeta, body: String) -> Result<ExportedEntry, String> {
    let occurred_at = DateTime::parse_from_rfc3339(&meta.occurred_at)
        .map_err(|e| format!("bad occurredAt `{}` ({e})", meta.occurred_at))?
        .with_timezone(&Utc);
    Ok(ExportedEntry {
        id: meta.id,
        kind: meta.kind,
        title: meta.title,
        body,
        occurred_at,
        audio: meta.audio,
    })
}

/// Undoes the writer's escaping: one `\` less before a marker-like line.
fn unescape(line: &str) -> &str {
    match line.strip_prefix('\\') {
        Some(rest) if rest.trim_start_matches('\\').starts_with(MARKER_PREFIX) => rest,
        _ => line,
    }
}
