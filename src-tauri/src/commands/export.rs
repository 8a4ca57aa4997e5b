//! Exporting the whole journal from Settings: a suggested folder, the native folder
//! picker (opened from Rust, so the webview needs no dialog permission), and the export.

use crate::state::AppState;
use jotline_core::types::{ApiError, ErrorCode, ExportFormat, ExportSummary};
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;
use tracing::instrument;

/// `~/Documents/Jotline export YYYY-MM-DD` (the home folder when there is no Documents).
#[tauri::command]
pub async fn default_export_folder() -> Result<String, ApiError> {
    let base = dirs::document_dir()
        .or_else(dirs::home_dir)
        .ok_or_else(|| invalid("There is no home folder; type a folder to export to."))?;
    let name = format!("Jotline export {}", chrono::Local::now().format("%Y-%m-%d"));
    Ok(base.join(name).display().to_string())
}

/// The folder the user picked, or `None` when they cancelled.
#[tauri::command]
pub async fn choose_export_folder<R: Runtime>(
    app: AppHandle<R>,
    current: Option<String>,
) -> Result<Option<String>, ApiError> {
    // Without the dialog plugin (the mock runtime of the command tests) there is no picker.
    if app.try_state::<tauri_plugin_dialog::Dialog<R>>().is_none() {
        return Err(invalid("No folder picker here; type the folder instead."));
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
        .map_err(|err| invalid(&format!("That folder cannot be used: {err}")))
}

#[tauri::command]
#[instrument(skip(state), err(Debug))]
pub async fn export_journal(
    state: State<'_, AppState>,
    format: ExportFormat,
    dir: String,
) -> Result<ExportSummary, ApiError> {
    let dir = export_dir(&dir)?;
    let core = state.core()?.clone();
    tauri::async_runtime::spawn_blocking(move || core.export_journal(format, &dir))
        .await
        .map_err(|err| ApiError {
            code: ErrorCode::Internal,
            message: format!("The export stopped: {err}"),
        })?
        .map_err(ApiError::from)
}

/// An absolute folder; `~/` means the home folder.
fn export_dir(dir: &str) -> Result<PathBuf, ApiError> {
    let dir = dir.trim();
    if dir.is_empty() {
        return Err(invalid("Choose a folder to export to."));
    }
    let path = match (dir.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(dir),
    };
    if !path.is_absolute() {
        return Err(invalid(&format!(
            "`{dir}` is not a full path; choose the folder with Choose… or type a path starting with /."
        )));
    }
    Ok(path)
}

fn invalid(message: &str) -> ApiError {
    ApiError {
        code: ErrorCode::InvalidInput,
        message: message.to_owned(),
    }
}
