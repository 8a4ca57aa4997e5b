//! What the tray menu and a second launch (`jotline capture ...`) ask the running app to do.

use crate::cli::CliCommand;
use crate::state::AppState;
use crate::windows;
use jotline_core::types::Surface;
use jotline_core::TrayAction;
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

/// Handles the arguments of a second `jotline` process forwarded by single-instance.
pub fn run_forwarded<R: Runtime>(app: &AppHandle<R>, args: &[String]) {
    match crate::cli::parse(args.iter().skip(1)) {
        Ok(CliCommand::OpenCapture) => windows::show_capture(app),
        Ok(CliCommand::CaptureText(text)) => capture_from_cli(app, &text),
        // Login started a second copy: the running one stays as it is.
        Ok(CliCommand::OpenMinimized) => {}
        Ok(_) => windows::show_main(app),
        // The arguments themselves are not logged: they may be a note typed without `capture`.
        Err(_) => tracing::warn!(count = args.len(), "ignored arguments of a second launch"),
    }
}

fn capture_from_cli<R: Runtime>(app: &AppHandle<R>, text: &str) {
    let state = app.state::<AppState>();
    let core = match state.core() {
        Ok(core) => core,
        Err(err) => {
            // The journal could not be opened: the main window explains why.
            tracing::error!(code = ?err.code, "command-line capture failed");
            windows::show_main(app);
            return;
        }
    };
    if let Err(err) = core.capture_text(text, Surface::Cli) {
        // The sending process has already exited; keep the text as the capture draft
        // so the user sees it, and the reason, in the capture window.
        tracing::warn!(code = ?err.code(), "command-line capture not saved; kept as draft");
        if !text.trim().is_empty() && core.save_draft(text).is_ok() {
            windows::show_capture(app);
        }
    }
}

/// Tray "Sync now": a round at once when signed in, and the status re-published.
fn refresh_status<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        state
            .sync
            .trigger(jotline_core::sync::Trigger::Manual)
            .await;
        if let Ok(status) = state.status() {
            crate::events::publish_status(&app, status);
        }
    });
}

/// Tray "Pause sync" / "Resume sync"; the new state reaches the tray and the windows through
/// the sync manager's notices.
fn set_paused<R: Runtime>(app: &AppHandle<R>, paused: bool) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let Ok(core) = state.core() else {
            return;
        };
        if let Err(err) = state.sync.set_paused(core, paused).await {
            tracing::warn!(code = ?err.code, "sync pause not changed");
        }
    });
}
