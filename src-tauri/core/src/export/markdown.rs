//! The Markdown export: one file per local calendar day, `YYYY-MM-DD.md`, entries in time
//! order. Written for people first; every machine-readable part is an HTML comment, which
//! Markdown viewers hide:
//!
//! ```text
//! <!-- jotline:day {"version":1,"date":"2026-11-22"} -->
//! # Sunday, 22 November 2026
//!
//! ## 09:14 · Morning pages
//! <!-- jotline:entry {"id":"…","kind":"note","occurredAt":"2026-11-22T08:14:03.120Z","title":"Morning pages"} -->
//!
//! Walked to the river with @anna. #walk
//! <!-- jotline:end -->
//!
//! ## 18:02
//! <!-- jotline:entry {"id":"…","kind":"note","occurredAt":"2026-11-22T17:02:40.000Z","title":null,"audio":"audio/….wav"} -->
//! [Voice memo, 0:42](audio/….wav)
//!
//! The transcript.
//! <!-- jotline:end -->
//! ```
//!
//! Rules (what [`super::read_markdown`] relies on):
//! - Line 1 is the day marker; only files that start with it are Jotline's (a re-export
//!   removes stale ones, never any other file).
//! - Headings are for people and are ignored when read back (a title shows there on one
//!   line, `<` written `&lt;`). The entry's data is the JSON in its `jotline:entry` marker:
//!   the exact title, kind, `occurredAt` in UTC with milliseconds, and the audio copy. `>`
//!   in that JSON is written `\u003e`, so the comment cannot end early.
//! - After the entry marker, the lines up to the first blank line are furniture (the voice
//!   memo's link); the body is every line after that blank line up to the `jotline:end`
//!   line, joined with `\n`: it comes back byte for byte, with its headings, `---`, blank
//!   lines, trailing spaces and trailing newlines (a body ending in a newline shows as a
//!   blank line before the end marker).
//! - Escaping: a body line that starts with `<!-- jotline:`, after any number of `\`, gets one
//!   more `\` in front; the reader removes one. So no body line can pass for a marker, and a
//!   viewer shows such a line as the text it is.

use super::files;
use super::FORMAT_VERSION;
use crate::error::CoreError;
use crate::types::{Entry, VoiceMemo};
use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;
use uuid::Uuid;

/// Every Jotline marker line starts with this.
pub const MARKER_PREFIX: &str = "<!-- jotline:";
pub const DAY_MARKER: &str = "<!-- jotline:day ";
pub const ENTRY_MARKER: &str = "<!-- jotline:entry ";
pub const END_MARKER: &str = "<!-- jotline:end -->";
pub(super) const MARKER_SUFFIX: &str = " -->";

/// The day marker's data.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct DayMeta {
    pub version: u32,
    pub date: NaiveDate,
}

/// The entry marker's data.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct EntryMeta {
    pub id: Uuid,
    pub kind: String,
    /// RFC 3339, UTC, milliseconds.
    pub occurred_at: String,
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audio: Option<String>,
}

/// Writes one file per local day of `tz`, then removes Jotline's stale day files. Returns
/// the number of files written.
pub(super) fn write_days<Tz: TimeZone + Sync>(
    dir: &Path,
    entries: &[Entry],
    audio: &HashMap<Uuid, String>,
    tz: &Tz,
) -> Result<usize, CoreError> {
    // Entries come sorted by time, but their local date can still step back (a time zone
    // that turns its clocks back across midnight), so group rather than split.
    let mut days: BTreeMap<NaiveDate, Vec<&Entry>> = BTreeMap::new();
    for entry in entries {
        let date = entry.occurred_at.with_timezone(tz).date_naive();
        days.entry(date).or_default().push(entry);
    }
    let days: Vec<(NaiveDate, Vec<&Entry>)> = days.into_iter().collect();
    let written: HashSet<String> = files::in_parallel(days.len(), |i| {
        let (date, list) = &days[i];
        let name = file_name(*date);
        files::write(
            &dir.join(&name),
            render_day(*date, list, audio, tz)?.as_bytes(),
        )?;
        Ok(name)
    })?
    .into_iter()
    .collect();
    remove_stale(dir, &written)?;
    Ok(written.len())
}

pub(super) fn file_name(date: NaiveDate) -> String {
    format!("{}.md", date.format("%Y-%m-%d"))
}

fn render_day<Tz: TimeZone>(
    date: NaiveDate,
    entries: &[&Entry],
    audio: &HashMap<Uuid, String>,
    tz: &Tz,
) -> Result<String, CoreError> {
    let mut out = String::new();
    let day = DayMeta {
        version: FORMAT_VERSION,
        date,
    };
    let _ = writeln!(out, "{DAY_MARKER}{}{MARKER_SUFFIX}", marker_json(&day)?);
    let _ = writeln!(out, "# {}", date.format("%A, %-d %B %Y"));
    for entry in entries {
        out.push('\n');
        render_entry(&mut out, entry, audio.get(&entry.id), tz)?;
    }
    Ok(out)
}

fn render_entry<Tz: TimeZone>(
    out: &mut String,
    entry: &Entry,
    audio: Option<&String>,
    tz: &Tz,
) -> Result<(), CoreError> {
    let time = entry
        .occurred_at
        .with_timezone(tz)
        .naive_local()
        .format("%H:%M");
    match entry
        .title
        .as_deref()
        .map(one_line)
        .filter(|t| !t.is_empty())
    {
        Some(title) => {
            let _ = writeln!(out, "## {time} · {title}");
        }
        None => {
            let _ = writeln!(out, "## {time}");
        }
    }
    let meta = EntryMeta {
        id: entry.id,
        kind: entry.kind.clone(),
        occurred_at: rfc3339_millis(entry.occurred_at),
        title: entry.title.clone(),
        audio: audio.cloned(),
    };
    let _ = writeln!(out, "{ENTRY_MARKER}{}{MARKER_SUFFIX}", marker_json(&meta)?);
    if let Some(memo) = &entry.voice {
        out.push_str(&voice_line(memo, audio));
        out.push('\n');
    }
    out.push('\n');
    for (i, line) in entry.body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if needs_escape(line) {
            out.push('\\');
        }
        out.push_str(line);
    }
    out.push('\n');
    out.push_str(END_MARKER);
    out.push('\n');
    Ok(())
}

/// `[Voice memo, 0:42](audio/<id>.wav)`, or a note that the recording is elsewhere.
fn voice_line(memo: &VoiceMemo, audio: Option<&String>) -> String {
    let label = match memo.duration_ms {
        Some(ms) => format!("Voice memo, {}", duration(ms)),
        None => "Voice memo".to_string(),
    };
    match audio {
        Some(path) => format!("[{label}]({path})"),
        None => format!("*{label} (the recording is not on this computer)*"),
    }
}

/// `m:ss`, or `h:mm:ss` from an hour on.
fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// The title for a heading: one line, and `<` as `&lt;` so it cannot open HTML or a comment.
fn one_line(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('<', "&lt;")
}

pub(super) fn rfc3339_millis(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Single-line JSON that cannot close the HTML comment it sits in.
fn marker_json<T: Serialize>(value: &T) -> Result<String, CoreError> {
    let json = serde_json::to_string(value)
        .map_err(|e| CoreError::InvalidInput(format!("cannot write a day file: {e}")))?;
    // `>` only occurs inside JSON strings, where `\u003e` means the same.
    Ok(json.replace('>', "\\u003e"))
}

/// True for a body line that, without its leading `\`s, starts like a marker.
pub(super) fn needs_escape(line: &str) -> bool {
    line.trim_start_matches('\\').starts_with(MARKER_PREFIX)
}

/// True when the file starts with the day marker, i.e. Jotline wrote it.
pub(super) fn is_day_file(path: &Path) -> std::io::Result<bool> {
    let mut head = Vec::with_capacity(DAY_MARKER.len());
    std::fs::File::open(path)?
        .take(DAY_MARKER.len() as u64)
        .read_to_end(&mut head)?;
    Ok(head == DAY_MARKER.as_bytes())
}

/// Removes day files Jotline wrote earlier whose day has no entries now.
fn remove_stale(dir: &Path, written: &HashSet<String>) -> Result<(), CoreError> {
    let listing = std::fs::read_dir(dir).map_err(|e| files::io_error("cannot list", dir, e))?;
    for item in listing {
        let item = item.map_err(|e| files::io_error("cannot list", dir, e))?;
        let name = item.file_name().to_string_lossy().into_owned();
        let is_day_name = name
            .strip_suffix(".md")
            .is_some_and(|d| d.len() == 10 && NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
        if !is_day_name || written.contains(&name) {
            continue;
        }
        let path = item.path();
        if !item.file_type().is_ok_and(|t| t.is_file()) || !is_day_file(&path).unwrap_or(false) {
            continue;
        }
        crate::fs_atomic::remove(&path).map_err(|e| files::io_error("cannot remove", &path, e))?;
        tracing::debug!(file = %name, "stale day file removed");
    }
    Ok(())
}
