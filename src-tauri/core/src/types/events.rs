//! What the core tells the windows.

use super::errors::ApiError;
use super::settings::Settings;
use super::status::{AppStatus, HotkeyStatus};
use super::voice::RecordingStatus;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

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
    /// The user's devices were listed again or one of them pulled: entries' receipts moved.
    ReceiptsChanged,
}
