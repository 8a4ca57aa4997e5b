//! The two windows, created from `tauri.conf.json` (`create: false`) so start-up decides
//! which to show: the capture window always exists, hidden, so the hotkey only shows it.

use tauri::{AppHandle, Emitter, Manager, Runtime, WebviewWindow, WebviewWindowBuilder};

pub const MAIN: &str = "main";
pub const CAPTURE: &str = "capture";
/// Sent to the capture window each time it is shown, so it focuses and restores the draft.
pub const CAPTURE_SHOWN_EVENT: &str = "capture-shown";

pub fn create_all<R: Runtime>(app: &AppHandle<R>, show_main: bool) -> tauri::Result<()> {
    for config in app.config().app.windows.clone() {
        let visible = match config.label.as_str() {
            MAIN => show_main,
            _ => config.visible,
        };
        WebviewWindowBuilder::from_config(app, &config)?
            .visible(visible)
            .build()?;
    }
    Ok(())
}

pub fn show_capture<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = reveal(app, CAPTURE) else {
        return;
    };
    if let Err(err) = window.emit_to(CAPTURE, CAPTURE_SHOWN_EVENT, ()) {
        tracing::warn!(%err, "could not notify the capture window");
    }
}

pub fn hide_capture<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(CAPTURE) {
        if let Err(err) = window.hide() {
            tracing::warn!(%err, "could not hide the capture window");
        }
    }
}

pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    reveal(app, MAIN);
}

/// Shows, un-minimises and focuses the window `label`; failures are logged, not fatal.
fn reveal<R: Runtime>(app: &AppHandle<R>, label: &str) -> Option<WebviewWindow<R>> {
    let Some(window) = app.get_webview_window(label) else {
        tracing::warn!(label, "window missing");
        return None;
    };
    let shown = window
        .show()
        .and_then(|_| window.unminimize())
        .and_then(|_| window.set_focus());
    if let Err(err) = shown {
        tracing::warn!(%err, label, "could not show the window");
    }
    Some(window)
}
