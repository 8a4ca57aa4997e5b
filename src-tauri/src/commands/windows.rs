//! Window commands.

use tauri::{AppHandle, Runtime};

use jotline_core::types::ApiError;

/// "Open journal" from the capture window.
#[tauri::command]
pub async fn show_main_window<R: Runtime>(app: AppHandle<R>) -> Result<(), ApiError> {
    crate::windows::show_main(&app);
    Ok(())
}
