//! The core reports through a broadcast channel; the shell forwards each event to the UI.

use crate::types::CoreEvent;
use tokio::sync::broadcast;

/// Slow subscribers lag (and see `RecvError::Lagged`) instead of blocking writers.
pub const EVENT_CAPACITY: usize = 256;

impl CoreEvent {
    /// Every name `name` can return; the contract test holds `ui/src/lib/api.ts` to it.
    pub const NAMES: &'static [&'static str] = &[
        "entries-changed",
        "status-changed",
        "cloud-updated",
        "recording",
        "recording-error",
        "settings-changed",
        "hotkey-status",
        "receipts-changed",
    ];

    /// The Tauri event name the shell emits this under.
    pub fn name(&self) -> &'static str {
        match self {
            CoreEvent::EntriesChanged { .. } => "entries-changed",
            CoreEvent::StatusChanged { .. } => "status-changed",
            CoreEvent::CloudUpdated { .. } => "cloud-updated",
            CoreEvent::RecordingChanged { .. } => "recording",
            CoreEvent::RecordingFailed { .. } => "recording-error",
            CoreEvent::SettingsChanged { .. } => "settings-changed",
            CoreEvent::HotkeyChanged { .. } => "hotkey-status",
            CoreEvent::ReceiptsChanged => "receipts-changed",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct EventBus {
    tx: broadcast::Sender<CoreEvent>,
}

impl EventBus {
    pub(crate) fn new() -> Self {
        let (tx, _) = broadcast::channel(EVENT_CAPACITY);
        Self { tx }
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<CoreEvent> {
        self.tx.subscribe()
    }

    /// Never fails: with no subscriber the event is simply dropped.
    pub(crate) fn publish(&self, event: CoreEvent) {
        tracing::debug!(event = event.name(), "publish");
        let _ = self.tx.send(event);
    }
}
