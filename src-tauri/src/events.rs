//! Forwards the core's events to the windows as Tauri events and keeps the tray current.

use jotline_core::types::CoreEvent;
use jotline_core::Core;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::error::RecvError;

pub fn forward<R: Runtime>(app: AppHandle<R>, core: &Core) {
    let mut events = core.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => publish(&app, &event),
                Err(RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "event forwarder lagged");
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

fn publish<R: Runtime>(app: &AppHandle<R>, event: &CoreEvent) {
    if let Err(err) = app.emit(event.name(), event) {
        tracing::warn!(%err, "could not forward a core event");
    }
    if let CoreEvent::StatusChanged { status } = event {
        crate::tray::update(app, status);
    }
}
