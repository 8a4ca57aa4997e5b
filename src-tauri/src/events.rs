//! Forwards the core's events and the sync notices to the windows as Tauri events and keeps
//! the tray current. Every `status-changed` carries the sync state the shell knows.

use crate::state::AppState;
use crate::sync::SyncNotice;
use jotline_core::types::{AppStatus, CloudUpdate, CoreEvent};
use jotline_core::Core;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast::error::RecvError;

/// Sent to the windows after a sync round changed entries from the cloud (`CloudUpdate`).
pub const CLOUD_UPDATED_EVENT: &str = "cloud-updated";

/// Call after `AppState` is managed.
pub fn forward<R: Runtime>(app: AppHandle<R>, core: &Core) {
    let mut events = core.subscribe();
    let core_app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match events.recv().await {
                Ok(event) => publish(&core_app, event),
                Err(RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "event forwarder lagged");
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
    let Some(mut notices) = app.try_state::<AppState>().map(|s| s.sync.subscribe()) else {
        return;
    };
    tauri::async_runtime::spawn(async move {
        loop {
            match notices.recv().await {
                Ok(SyncNotice::StateChanged) | Err(RecvError::Lagged(_)) => {
                    let status = app.state::<AppState>().status();
                    match status {
                        Ok(status) => publish_status(&app, status),
                        Err(err) => tracing::warn!(code = ?err.code, "status after sync"),
                    }
                }
                Ok(SyncNotice::CloudUpdated(n)) => {
                    let update = CloudUpdate { entries_updated: n };
                    if let Err(err) = app.emit(CLOUD_UPDATED_EVENT, &update) {
                        tracing::warn!(%err, "could not publish the cloud update");
                    }
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

fn publish<R: Runtime>(app: &AppHandle<R>, event: CoreEvent) {
    match event {
        CoreEvent::StatusChanged { mut status } => {
            if let Some(state) = app.try_state::<AppState>() {
                status.sync = state.sync.state();
            }
            publish_status(app, status);
        }
        other => {
            if let Err(err) = app.emit(other.name(), &other) {
                tracing::warn!(%err, "could not forward a core event");
            }
        }
    }
}

pub fn publish_status<R: Runtime>(app: &AppHandle<R>, status: AppStatus) {
    crate::tray::update(app, &status);
    let event = CoreEvent::StatusChanged { status };
    if let Err(err) = app.emit(event.name(), &event) {
        tracing::warn!(%err, "could not forward the status");
    }
}
