//! The core reports through a broadcast channel; the shell forwards each event to the UI.

use crate::types::CoreEvent;
use tokio::sync::broadcast;

/// Slow subscribers lag (and see `RecvError::Lagged`) instead of blocking writers.
pub const EVENT_CAPACITY: usize = 256;

impl CoreEvent {
    /// The Tauri event name the shell emits this under.
    pub fn name(&self) -> &'static str {
        match self {
            CoreEvent::EntriesChanged { .. } => "entries-changed",
            CoreEvent::StatusChanged { .. } => "status-changed",
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
