//! The sync commands through Tauri's mock runtime: settings, status, the sync panel and the
//! rules the service enforces without a backend. Signing in, pause and account switches
//! against a backend are the sync service's own tests (`core/tests/core/sync/service`).

mod common;

use jotline_core::auth::MemoryTokenStore;
use jotline_core::{Core, CoreConfig, Surface, SystemClock};
use jotline_shell::state::AppState;
use serde_json::{json, Value};
use std::sync::Arc;
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

struct Harness {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    core: Core,
    _dir: tempfile::TempDir,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(CoreConfig {
        data_dir: dir.path().to_path_buf(),
        clock: Arc::new(SystemClock),
    })
    .unwrap();
    let (app, window) = common::app_with(AppState::with_token_store(
        Ok(core.clone()),
        common::hotkey_registered(),
        Arc::new(MemoryTokenStore::new()),
    ));
    Harness {
        _app: app,
        window,
        core,
        _dir: dir,
    }
}

impl Harness {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        common::invoke(&self.window, cmd, args)
    }
}

#[test]
fn sync_settings_persist_and_are_validated() {
    let h = harness();
    assert_eq!(h.invoke("get_account", json!({})).unwrap(), Value::Null);
    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(status["sync"], json!({ "state": "localOnly" }));

    let saved = h
        .invoke(
            "set_sync_settings",
            json!({ "backendUrl": " https://abc.supabase.co/ ", "anonKey": "anon",
                    "syncIntervalMinutes": 15 }),
        )
        .unwrap();
    assert_eq!(saved["backendUrl"], json!("https://abc.supabase.co"));
    let settings = h.invoke("get_settings", json!({})).unwrap();
    assert_eq!(settings["syncIntervalMinutes"], json!(15));
    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(status["sync"]["state"], json!("signedOut"));

    let err = h
        .invoke(
            "set_sync_settings",
            json!({ "backendUrl": "ftp://x", "anonKey": "a", "syncIntervalMinutes": 5 }),
        )
        .unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"), "{err}");
    let err = h
        .invoke(
            "set_sync_settings",
            json!({ "backendUrl": "https://x", "anonKey": "a", "syncIntervalMinutes": 0 }),
        )
        .unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"), "{err}");
}

#[test]
fn sync_details_list_pending_changes_and_unknown_dead_letters_are_not_found() {
    let h = harness();
    h.core.capture_text("one", Surface::InApp).unwrap();
    let details = h.invoke("get_sync_details", json!({})).unwrap();
    assert_eq!(details["pendingTotal"], json!(2), "{details}");
    let tables: Vec<&str> = details["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["table"].as_str().unwrap())
        .collect();
    assert!(tables.contains(&"entries"), "{details}");
    assert_eq!(details["deadLetters"], json!([]));

    for cmd in ["retry_dead_letter", "discard_dead_letter"] {
        let err = h.invoke(cmd, json!({ "opSeq": 999 })).unwrap_err();
        assert_eq!(err["code"], json!("not_found"), "{cmd}: {err}");
    }
    let err = h.invoke("full_resync", json!({})).unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"), "{err}");
}

#[test]
fn failed_changes_show_in_the_status_and_retry_all_requeues_them() {
    let h = harness();
    h.core.capture_text("one", Surface::InApp).unwrap();
    h.core
        .execute_batch_for_tests("UPDATE outbox SET dead = 1, last_error = 'refused'")
        .unwrap();
    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(
        (&status["pendingOps"], &status["failedOps"]),
        (&json!(0), &json!(2)),
        "{status}"
    );

    assert_eq!(
        h.invoke("retry_all_dead_letters", json!({})).unwrap(),
        json!(2)
    );
    let details = h.invoke("get_sync_details", json!({})).unwrap();
    assert_eq!(details["deadLetters"], json!([]), "{details}");
    assert_eq!(details["pendingTotal"], json!(2), "{details}");
    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(status["failedOps"], json!(0), "{status}");
    assert_eq!(
        h.invoke("retry_all_dead_letters", json!({})).unwrap(),
        json!(0)
    );
}

#[test]
fn pause_needs_an_account() {
    let h = harness();
    let err = h
        .invoke("set_sync_paused", json!({ "paused": true }))
        .unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"), "{err}");
}
