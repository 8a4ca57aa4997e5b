//! Values that cross the boundary to the UI. Their TypeScript twins in
//! `ui/src/lib/bindings.ts` are generated from these (ts-rs) by `tests/bindings.rs`, which
//! fails when the file is out of date.

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

/// Sync state as far as the app knows. The core's own `status()` reports `localOnly`; the
/// shell replaces it with what it knows about the backend, the account and the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum SyncState {
    /// No backend configured: the journal lives on this computer only.
    LocalOnly,
    /// A backend is configured but nobody is signed in (or the session expired).
    #[serde(rename_all = "camelCase")]
    SignedOut {
        /// Why, when the session ended on its own (e.g. expired).
        reason: Option<String>,
    },
    /// Signed in: the engine runs and reports its status.
    Active { email: String, status: SyncStatus },
    /// Signed in, but the user paused sync (tray "Pause sync"): nothing is sent or fetched
    /// until "Resume sync" or the next start of the app.
    Paused { email: String },
}

/// The signed-in account (tokens never leave the keyring).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub email: String,
    pub user_id: Uuid,
}

/// One queued change, for the sync panel (pending or dead-lettered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    #[ts(type = "number")]
    pub op_seq: i64,
    /// `entries` or `captures`.
    pub table: String,
    pub row_id: String,
    /// `upsert` or `delete`.
    pub op: String,
    pub fields: Vec<String>,
    #[ts(type = "number")]
    pub attempts: i64,
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed (for dead letters: why it was given up).
    pub last_error: Option<String>,
}

/// What the sync panel lists: changes waiting to be pushed and the dead letters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncDetails {
    pub pending: Vec<OutboxItem>,
    /// Total pending (the list is capped).
    #[ts(type = "number")]
    pub pending_total: u64,
    pub dead_letters: Vec<OutboxItem>,
}

/// Sent after a sync round that changed entries from the cloud.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CloudUpdate {
    pub entries_updated: u32,
}

/// What the status bar and the tray show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    #[ts(type = "number")]
    pub entry_count: u64,
    /// Outbox ops queued to be sent (dead letters are `failed_ops`).
    #[ts(type = "number")]
    pub pending_ops: u64,
    /// Dead-lettered ops: refused, not on the server, waiting for the user to retry or
    /// discard them. While any exist nothing may say "synced".
    #[ts(type = "number")]
    pub failed_ops: u64,
    pub sync: SyncState,
    /// Set once the full integrity check after start-up found damage in the journal file:
    /// what to tell the user. Absent while the check has not run or found nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub journal_damage: Option<String>,
}

impl AppStatus {
    /// Changes on this computer that are not on the server: pending and failed.
    pub fn unsynced_ops(&self) -> u64 {
        self.pending_ops + self.failed_ops
    }
}

/// User settings persisted in `settings.json` in the data dir.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Global shortcut that opens the capture window, e.g. `Ctrl+Shift+Space`.
    pub capture_hotkey: String,
    /// Base URL of the Supabase-compatible backend; empty: sync is not set up.
    pub backend_url: String,
    /// The backend's anon key (public by design; the user's tokens live in the keyring).
    pub anon_key: String,
    /// Minutes between background sync rounds while idle.
    pub sync_interval_minutes: u32,
    /// Global shortcut that starts (and, in toggle mode, stops) a voice memo.
    pub voice_hotkey: String,
    pub voice_mode: VoiceMode,
    /// A recording stops by itself after this many minutes.
    pub voice_max_minutes: u32,
    /// Input device name; `None`: the system default.
    pub microphone: Option<String>,
    /// Base URL of an OpenAI-compatible `/v1/audio/transcriptions` service; empty: the
    /// server transcribes (when signed in). Its API key lives in the OS keyring.
    pub transcription_url: String,
    pub transcription_model: String,
    /// Start Jotline at login, minimised to the tray.
    pub start_at_login: bool,
    /// The first-run welcome was dismissed.
    pub welcome_done: bool,
}

fn default_voice_hotkey() -> String {
    "Ctrl+Shift+R".to_string()
}

fn default_voice_max_minutes() -> u32 {
    10
}

fn default_transcription_model() -> String {
    "whisper-1".to_string()
}

/// How the voice hotkey records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum VoiceMode {
    /// Press to start, press again to stop and save.
    #[default]
    Toggle,
    /// Record while the hotkey is held; releasing it saves.
    PushToTalk,
}

/// An audio input the user can choose in settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Microphone {
    pub name: String,
    pub is_default: bool,
}

/// The recording in progress, sent ~20 times a second while recording and once when it ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordingStatus {
    pub capture_id: Uuid,
    pub active: bool,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// Level of the last ~50 ms, 0..1 (RMS and peak of the samples).
    pub rms: f32,
    pub peak: f32,
    /// No signal for a while: "is the microphone muted?"
    pub silent: bool,
    /// Something the user should know (device lost and replaced, length limit reached...).
    pub notice: Option<String>,
}

impl Settings {
    pub const DEFAULT_SYNC_INTERVAL_MINUTES: u32 = 5;

    /// True when a backend URL and anon key are set.
    pub fn backend_configured(&self) -> bool {
        !self.backend_url.trim().is_empty() && !self.anon_key.trim().is_empty()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            capture_hotkey: "Ctrl+Shift+Space".to_string(),
            backend_url: String::new(),
            anon_key: String::new(),
            sync_interval_minutes: Self::DEFAULT_SYNC_INTERVAL_MINUTES,
            voice_hotkey: default_voice_hotkey(),
            voice_mode: VoiceMode::Toggle,
            voice_max_minutes: default_voice_max_minutes(),
            microphone: None,
            transcription_url: String::new(),
            transcription_model: default_transcription_model(),
            start_at_login: false,
            welcome_done: false,
        }
    }
}

/// What `Core::export_journal` writes: one JSON file, or one Markdown file per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// `jotline-journal.json`: every entry in the `Entry` shape.
    Json,
    /// `YYYY-MM-DD.md` per local day, readable in any editor.
    Markdown,
}

impl std::str::FromStr for ExportFormat {
    type Err = crate::error::CoreError;

    /// `json`, `md` or `markdown`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(ExportFormat::Json),
            "md" | "markdown" => Ok(ExportFormat::Markdown),
            _ => Err(crate::error::CoreError::InvalidInput(format!(
                "unknown export format `{s}`: use json, md or markdown"
            ))),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    /// The folder written to.
    pub dir: String,
    pub format: ExportFormat,
    /// Entries exported (deleted ones never are).
    pub entries: u32,
    /// Files written, copies of voice recordings included.
    pub files: u32,
    /// Entries left out because their stored text is damaged (not valid UTF-8); everything
    /// else was written.
    pub skipped_damaged: Vec<Uuid>,
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
    Storage,
    /// Wrong email or password (or an expired session).
    InvalidCredentials,
    /// The backend could not be reached.
    Network,
    /// The backend answered with an error.
    Backend,
    /// The OS keyring is unavailable or refused.
    Keyring,
    /// Signing in as another user while the journal still holds unsynced changes of the
    /// previous one; retry with `discardPending` to drop them.
    PendingChangesOfOtherUser,
    /// No microphone, or the audio device failed.
    AudioDevice,
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

/// Everything the UI hears from the app: the shell forwards each event as it is (the whole
/// tagged value is the payload) under the Tauri event name `CoreEvent::name` gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum CoreEvent {
    /// Entries were created, edited or deleted.
    EntriesChanged { ids: Vec<Uuid> },
    /// Counts or sync state changed (always with the real sync state).
    StatusChanged { status: AppStatus },
    /// A sync round changed this many entries from the cloud.
    #[serde(rename_all = "camelCase")]
    CloudUpdated { entries_updated: u32 },
    /// The recording in progress (~20 a second), and a last one with `active: false`.
    RecordingChanged { status: RecordingStatus },
    /// A recording that was asked for could not start (e.g. no microphone).
    RecordingFailed { error: ApiError },
    /// The settings were saved.
    SettingsChanged { settings: Settings },
    /// The capture hotkey's registration changed.
    HotkeyChanged { status: HotkeyStatus },
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
