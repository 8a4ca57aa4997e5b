//! Sync as the UI sees it: the state of the session and the engine, the account, the sync panel.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

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
    /// Whether changes from the user's other devices arrive at once (Realtime) or on the
    /// next poll. Not an error when off: polling goes on.
    pub live_updates: LiveUpdates,
}

/// The Realtime connection that brings other devices' changes at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LiveUpdates {
    /// Connecting (at start, or again after the connection was lost).
    Connecting,
    /// Joined: a change on another device starts a pull here within moments.
    On,
    /// No connection (refused, unreachable, not offered): the journal is polled instead.
    Off,
}
