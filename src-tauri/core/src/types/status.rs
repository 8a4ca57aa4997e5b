//! The status bar and the tray: counts, sync state, damage; the capture hotkey.

use super::devices::DevicesSummary;
use super::sync::SyncState;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// The user's other devices while sync runs (status bar, tray: "on 2 other devices").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub devices: Option<DevicesSummary>,
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

/// Whether the capture hotkey is active; `error` says why not (e.g. taken by another program).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HotkeyStatus {
    pub hotkey: String,
    pub registered: bool,
    pub error: Option<String>,
}
