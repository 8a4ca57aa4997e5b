//! Shared by the mock-runtime command tests: the app with its invoke handler and a main
//! window, and a way to call a command exactly as the UI would.

use jotline_core::types::HotkeyStatus;
use jotline_shell::{commands, events, state::AppState};
use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

/// The mock app managing `state`, and its main window.
#[allow(dead_code)] // desktop_commands builds its own app, with the autostart plugin
pub fn app_with(state: AppState) -> (tauri::App<MockRuntime>, WebviewWindow<MockRuntime>) {
    let app = mock_builder()
        .invoke_handler(commands::handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    let core = state.core().ok().cloned();
    app.manage(state);
    // As the app does: the core's events reach the windows.
    if let Some(core) = core {
        events::forward(app.handle().clone(), &core);
    }
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    (app, window)
}

/// The default hotkey, registered.
pub fn hotkey_registered() -> HotkeyStatus {
    HotkeyStatus {
        hotkey: "Ctrl+Shift+Space".into(),
        registered: true,
        error: None,
    }
}

/// Calls `cmd` through the real IPC path; `Err` holds the `{code, message}` error.
pub fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            // The app's own origin on Linux (a remote origin would be refused by the ACL).
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}
