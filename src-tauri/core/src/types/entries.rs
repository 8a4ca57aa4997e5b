//! Entries and captures: what the timeline shows, a page of it, an edit, where a capture came from.

use super::Delivery;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// One journal entry as the UI sees it (tombstoned entries are never returned).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    pub id: Uuid,
    /// `note`, `task`, `event`, ...
    pub kind: String,
    pub title: Option<String>,
    /// Markdown.
    pub body: String,
    pub occurred_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Parsed from `#tag` in title and body, lower-cased, without the `#`.
    pub tags: Vec<String>,
    /// Parsed from `@person` in title and body, lower-cased, without the `@`.
    pub people: Vec<String>,
    /// Set when the entry was spoken: the memo's audio and how far its transcript is.
    pub voice: Option<VoiceMemo>,
    /// The stored text had bytes that are not valid UTF-8: `title`/`body` show it with U+FFFD
    /// in their place. Exports skip such an entry; editing its text repairs it.
    /// (Absent in exports written before the field existed.)
    #[serde(default)]
    pub damaged: bool,
    /// Where the entry has got while sync runs (timeline, entry view); `None` when sync is
    /// not running, and in exports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub delivery: Option<Delivery>,
}

/// Where a capture stands: `pending` → `uploading` → `parsing` → `ready` | `error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CaptureStatus {
    /// Saved on this computer; waits for a backend or a transcription service.
    Pending,
    /// The audio is being uploaded to the backend's Storage.
    Uploading,
    /// Waiting for the transcript (from the transcription service or the server).
    Parsing,
    /// The transcript is in the entry.
    Ready,
    /// Failed for good (`VoiceMemo.error`); the user can retry.
    Error,
}

/// The voice side of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VoiceMemo {
    pub capture_id: Uuid,
    pub status: CaptureStatus,
    /// The last failure (also while a retry is still coming).
    pub error: Option<String>,
    pub retry_count: u32,
    #[ts(type = "number | null")]
    pub duration_ms: Option<i64>,
    /// Rescued at start-up from a recording that never finished.
    pub recovered: bool,
    /// The WAV on this computer (absolute path, for playback); `None` when the memo was
    /// recorded on another device.
    pub audio_file: Option<String>,
}

/// Keyset position in the timeline: the last entry of the previous page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelineCursor {
    pub occurred_at: DateTime<Utc>,
    pub id: Uuid,
}

/// A page of the timeline, newest first. `next` is `None` on the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TimelinePage {
    pub entries: Vec<Entry>,
    pub next: Option<TimelineCursor>,
}

/// Fields an edit may change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EntryPatch {
    #[ts(optional)]
    pub title: Option<Option<String>>,
    #[ts(optional)]
    pub body: Option<String>,
    #[ts(optional)]
    pub kind: Option<String>,
    #[ts(optional)]
    pub occurred_at: Option<DateTime<Utc>>,
}

/// Where a capture came from (stored in `pending_captures.surface`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Surface {
    DesktopHotkey,
    InApp,
    Cli,
}

/// Result of a committed capture: the raw capture row and the entry made from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaptureSaved {
    pub capture_id: Uuid,
    pub entry: Entry,
}
