//! What the tray menu and a second launch (`jotline capture ...`) ask the running app to do.

use crate::state::AppState;
use crate::windows;
use jotline_core::types::Surface;
use jotline_core::TrayAction;
use jotline_platform::instance::{Reply, Request};
use tauri::{AppHandle, Manager, Runtime};

pub fn run_tray_action<R: Runtime>(app: &AppHandle<R>, action: TrayAction) {
    match action {
        TrayAction::QuickCapture => windows::show_capture(app),
        TrayAction::OpenJournal => windows::show_main(app),
        TrayAction::SyncNow => refresh_status(app),
        TrayAction::PauseSync => set_paused(app, true),
        TrayAction::ResumeSync => set_paused(app, false),
        TrayAction::Quit => app.exit(0),
    }
}

/// Answers a later `jotline` launch on this journal (see `instance`).
pub fn run_forwarded<R: Runtime>(app: &AppHandle<R>, request: Request) -> Reply {
    match request {
        Request::Open => windows::show_main(app),
        Request::OpenCapture => windows::show_capture(app),
        // Login started a second copy: the running one stays as it is.
        Request::OpenMinimized => {}
        Request::CaptureText { text } => return capture_from_cli(app, &text),
    }
    Reply::Done
}

fn capture_from_cli<R: Runtime>(app: &AppHandle<R>, text: &str) -> Reply {
    let state = app.state::<AppState>();
    let core = match state.core() {
        Ok(core) => core,
        Err(err) => {
            // The journal could not be opened: the main window explains why.
            tracing::error!(code = ?err.code, "command-line capture failed");
            windows::show_main(app);
            return Reply::NotSaved {
                reason: err.message,
                draft: false,
            };
        }
    };
    match core.capture_text_or_keep_draft(text, Surface::Cli) {
        Ok(saved) => Reply::Saved {
            message: format!("Saved to the journal ({}).", saved.entry.id),
        },
        Err(not_saved) => {
            let draft = not_saved.drafted;
            tracing::warn!(code = ?not_saved.error.code(), draft, "command-line capture not saved");
            // The capture window shows the draft and the reason; the sender prints the
            // text otherwise.
            if draft {
                windows::show_capture(app);
            }
            Reply::NotSaved {
                reason: not_saved.error.user_message(),
                draft,
            }
        }
    }
}

/// Tray "Sync now": the same as the Refresh button.
fn refresh_status<R: Runtime>(app: &AppHandle<R>) {
    let Ok(sync) = app.state::<AppState>().journal().map(|j| j.sync.clone()) else {
        return;
    };
    tauri::async_runtime::spawn(async move {
        if let Err(err) = sync.sync_now().await {
            tracing::warn!(code = ?err.code, "sync now failed");
        }
    });
}

/// Tray "Pause sync" / "Resume sync"; the new state reaches the tray and the windows as a
/// status change.
fn set_paused<R: Runtime>(app: &AppHandle<R>, paused: bool) {
    let Ok(sync) = app.state::<AppState>().journal().map(|j| j.sync.clone()) else {
        return;
    };
    tauri::async_runtime::spawn(async move {
        if let Err(err) = sync.set_paused(paused).await {
            tracing::warn!(code = ?err.code, "sync pause not changed");
        }
    });
}
