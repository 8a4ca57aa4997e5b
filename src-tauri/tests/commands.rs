//! The shell's commands through Tauri's mock runtime: the real invoke path (argument
//! names, serialization, `{code, message}` errors) over a real journal in a temp dir.

mod common;

use jotline_core::types::{ErrorCode, StartupError};
use jotline_core::{Core, CoreConfig, SystemClock};
use jotline_shell::{commands, state::AppState};
use serde_json::{json, Value};
use std::sync::Arc;
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

struct Harness {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

fn harness_with(journal: impl FnOnce(&std::path::Path) -> Result<Core, StartupError>) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let (app, window) = common::app_with(AppState::with_token_store(
        journal(dir.path()),
        common::hotkey_registered(),
        Arc::new(jotline_core::auth::MemoryTokenStore::new()),
    ));
    Harness {
        _app: app,
        window,
        _dir: dir,
    }
}

fn harness() -> Harness {
    harness_with(|dir| {
        Ok(Core::open(CoreConfig {
            data_dir: dir.to_path_buf(),
            clock: Arc::new(SystemClock),
        })
        .unwrap())
    })
}

impl Harness {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        common::invoke(&self.window, cmd, args)
    }
}

#[test]
fn capture_then_read_edit_and_delete_through_commands() {
    let h = harness();
    let saved = h
        .invoke(
            "save_capture",
            json!({ "text": "Idea for the garden #plants @ana", "surface": "in_app" }),
        )
        .unwrap();
    let id = saved["entry"]["id"].as_str().unwrap().to_owned();
    assert_eq!(saved["entry"]["tags"], json!(["plants"]));
    assert_eq!(saved["entry"]["people"], json!(["ana"]));

    let page = h
        .invoke("list_timeline", json!({ "before": null, "limit": 50 }))
        .unwrap();
    assert_eq!(page["entries"][0]["id"], json!(id));

    let found = h
        .invoke("search_entries", json!({ "query": "garden", "limit": 10 }))
        .unwrap();
    assert_eq!(found.as_array().unwrap().len(), 1);

    let edited = h
        .invoke(
            "update_entry",
            json!({ "id": id, "patch": { "body": "Idea for the orchard" } }),
        )
        .unwrap();
    assert_eq!(edited["body"], json!("Idea for the orchard"));

    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(status["entryCount"], json!(1));
    assert!(status["pendingOps"].as_u64().unwrap() >= 2);

    h.invoke("delete_entry", json!({ "id": id })).unwrap();
    let gone = h.invoke("get_entry", json!({ "id": id })).unwrap_err();
    assert_eq!(gone["code"], json!("not_found"), "{gone}");
}

#[test]
fn bad_captures_are_errors_with_codes_and_save_nothing() {
    let h = harness();
    let empty = h
        .invoke(
            "save_capture",
            json!({ "text": "  \n ", "surface": "desktop_hotkey" }),
        )
        .unwrap_err();
    assert_eq!(empty["code"], json!("empty_capture"), "{empty}");
    assert!(empty["message"].as_str().unwrap().len() > 5);

    let huge = "a".repeat(jotline_core::MAX_CAPTURE_BYTES + 1);
    let too_large = h
        .invoke(
            "save_capture",
            json!({ "text": huge, "surface": "desktop_hotkey" }),
        )
        .unwrap_err();
    assert_eq!(too_large["code"], json!("too_large"), "{too_large}");

    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(status["entryCount"], json!(0));
    assert_eq!(status["pendingOps"], json!(0));
}

#[test]
fn draft_round_trips_and_a_hotkey_save_clears_it() {
    let h = harness();
    h.invoke("save_draft", json!({ "text": "half a thought" }))
        .unwrap();
    assert_eq!(
        h.invoke("load_draft", json!({})).unwrap(),
        json!("half a thought")
    );
    // An in-app note must not eat the capture window's draft.
    h.invoke(
        "save_capture",
        json!({ "text": "other", "surface": "in_app" }),
    )
    .unwrap();
    assert_eq!(
        h.invoke("load_draft", json!({})).unwrap(),
        json!("half a thought")
    );
    h.invoke(
        "save_capture",
        json!({ "text": "half a thought, finished", "surface": "desktop_hotkey" }),
    )
    .unwrap();
    assert_eq!(h.invoke("load_draft", json!({})).unwrap(), Value::Null);
}

#[test]
fn a_journal_that_failed_to_open_is_reported_by_every_command() {
    let h = harness_with(|dir| {
        Err(StartupError {
            code: ErrorCode::DatabaseLocked,
            message: "the journal is locked by another program".into(),
            path: dir.join("jotline.db").display().to_string(),
        })
    });
    let err = h
        .invoke("list_timeline", json!({ "before": null, "limit": 50 }))
        .unwrap_err();
    assert_eq!(err["code"], json!("database_locked"));
    let startup = h.invoke("get_startup_error", json!({})).unwrap();
    assert_eq!(startup["code"], json!("database_locked"));
    assert!(startup["path"].as_str().unwrap().ends_with("jotline.db"));
}

#[test]
fn hotkey_status_and_invalid_hotkeys() {
    let h = harness();
    let status = h.invoke("get_hotkey_status", json!({})).unwrap();
    assert_eq!(status["hotkey"], json!("Ctrl+Shift+Space"));
    let err = h
        .invoke("set_capture_hotkey", json!({ "hotkey": "Ctrl+Nonsense" }))
        .unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"));
    // Nothing persisted for an invalid hotkey.
    let settings = h.invoke("get_settings", json!({})).unwrap();
    assert_eq!(settings["captureHotkey"], json!("Ctrl+Shift+Space"));
}

#[test]
fn every_declared_command_is_registered() {
    let h = harness();
    for name in commands::COMMAND_NAMES {
        // Wrong arguments are fine here; an unknown command is not.
        if let Err(err) = h.invoke(name, json!({})) {
            let text = err.to_string();
            assert!(
                !text.contains("not found") || text.contains("not_found"),
                "{name} is declared but not registered: {text}"
            );
        }
    }
}
