//! Exporting the whole journal from Settings: a suggested folder, the native folder
//! picker (opened from Rust, so the webview needs no dialog permission), and the export.

use crate::state::AppState;
use jotline_core::export::folder;
use jotline_core::types::{ApiError, ExportFormat, ExportSummary};
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tracing::instrument;

/// `~/Documents/Jotline export YYYY-MM-DD` (the home folder when there is no Documents).
#[tauri::command]
pub async fn default_export_folder() -> Result<String, ApiError> {
    let today = chrono::Local::now().date_naive();
    let dir = folder::suggested_folder(dirs::document_dir(), dirs::home_dir(), today)?;
    Ok(dir.display().to_string())
}

/// The folder the user picked, or `None` when they cancelled.
#[tauri::command]
pub async fn choose_export_folder<R: Runtime>(
    app: AppHandle<R>,
    current: Option<String>,
) -> Result<Option<String>, ApiError> {
    // Without the dialog plugin (the mock runtime of the command tests) there is no picker.
    if app.try_state::<tauri_plugin_dialog::Dialog<R>>().is_none() {
        return Err(ApiError::invalid(
            "No folder picker here; type the folder instead.",
        ));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut picker = app.dialog().file().set_title("Export the journal to");
    if let Some(window) = app.get_webview_window(crate::windows::MAIN) {
        picker = picker.set_parent(&window);
    }
    // Start in the suggested folder's parent when the folder itself does not exist yet.
    let start = current.map(PathBuf::from).and_then(|dir| {
        std::iter::successors(Some(dir.as_path()), |d| d.parent())
            .find(|d| d.is_dir())
            .map(PathBuf::from)
    });
    if let Some(start) = start {
        picker = picker.set_directory(start);
    }
    picker.pick_folder(move |picked| {
        let _ = tx.send(picked);
    });
    let picked = rx.await.ok().flatten();
    picked
        .map(|path| path.into_path().map(|p| p.display().to_string()))
        .transpose()
        .map_err(|err| ApiError::invalid(format!("That folder cannot be used: {err}")))
}

#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn export_journal(
    state: State<'_, AppState>,
    format: ExportFormat,
    dir: String,
) -> Result<ExportSummary, ApiError> {
    let dir = folder::typed_folder(&dir, dirs::home_dir().as_deref())?;
    let core = state.core()?.clone();
    Ok(tokio::task::spawn_blocking(move || core.export_journal(format, &dir)).await??)
}
