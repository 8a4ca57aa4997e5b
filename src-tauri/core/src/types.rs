//! Values that cross the boundary to the UI. Their TypeScript twins in
//! `ui/src/lib/bindings/` are generated from these (ts-rs) and checked by a test.

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

/// Sync state as far as the app knows. Only `localOnly` exists until sync lands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum SyncState {
    LocalOnly,
}

/// What the status bar and the tray show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    #[ts(type = "number")]
    pub entry_count: u64,
    /// Outbox ops not yet acknowledged by a server (dead letters excluded).
    #[ts(type = "number")]
    pub pending_ops: u64,
    pub sync: SyncState,
}

/// User settings persisted in `settings.json` in the data dir.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Global shortcut that opens the capture window, e.g. `Ctrl+Shift+Space`.
    pub capture_hotkey: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            capture_hotkey: "Ctrl+Shift+Space".to_string(),
        }
    }
}

/// Whether the capture hotkey is active; `error` says why not (e.g. taken by another program).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HotkeyStatus {
    pub hotkey: String,
    pub registered: bool,
    pub error: Option<String>,
}

/// Closed set of error codes the UI mirrors (`ApiError.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    InvalidInput,
    EmptyCapture,
    TooLarge,
    DatabaseLocked,
    DatabaseCorrupt,
    DatabaseTooNew,
    HotkeyUnavailable,
    Storage,
    Internal,
}

/// Error shape of every command: `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

/// Why the app could not open its journal at start-up (shown instead of the journal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupError {
    pub code: ErrorCode,
    pub message: String,
    /// The database file concerned.
    pub path: String,
}

/// Events the core publishes; the shell forwards each as a Tauri event named by `event_name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum CoreEvent {
    /// Entries were created, edited or deleted.
    EntriesChanged { ids: Vec<Uuid> },
    /// Counts or sync state changed.
    StatusChanged { status: AppStatus },
}

/// Where the background sync engine stands (tray, status bar, sync details).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SyncPhase {
    /// No session: sign in to sync.
    SignedOut,
    Idle,
    Pushing,
    Pulling,
    /// Waiting to retry after a failure (`SyncStatus.retryAt`).
    Backoff,
    /// No network connection could be made.
    Offline,
    /// The network is up but the backend does not answer in time.
    Limited,
    /// The last round failed for another reason (`SyncStatus.lastError`); retrying.
    Error,
}

/// The sync engine's status, published after every change of phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub phase: SyncPhase,
    /// End of the last round that completed.
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Why the last round failed (never contains tokens or note text).
    pub last_error: Option<String>,
    /// When the engine retries on its own (in `backoff`, `offline`, `limited`, `error`).
    pub retry_at: Option<DateTime<Utc>>,
    /// Entries the last round changed from the cloud ("N entries updated").
    pub entries_updated: u32,
}
