//! Forwards the core's events to the windows as they are, under `CoreEvent::name`, and
//! redraws the tray from every status change (whatever caused it: a write, Refresh, Sync now,
//! a finished round, sign-in or pause).

use jotline_core::types::CoreEvent;
use jotline_core::Core;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// Call after `AppState` is managed.
pub fn forward<R: Runtime>(app: AppHandle<R>, core: &Core) {
    let mut events = core.subscribe();
    let core = core.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => publish(&app, &event),
                Err(RecvError::Lagged(missed)) => {
                    // Missed statuses are replaced by the current one.
                    tracing::debug!(missed, "event forwarder lagged");
                    if let Ok(status) = core.status() {
                        publish(&app, &CoreEvent::StatusChanged { status });
                    }
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// Emits `event` to every window (and redraws the tray for a status).
pub fn publish<R: Runtime>(app: &AppHandle<R>, event: &CoreEvent) {
    if let CoreEvent::StatusChanged { status } = event {
        crate::tray::update(app, status);
    }
    if let Err(err) = app.emit(event.name(), event) {
        tracing::warn!(%err, event = event.name(), "could not forward an event");
    }
}
