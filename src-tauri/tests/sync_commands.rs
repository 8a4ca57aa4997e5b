//! The sync and account commands through Tauri's mock runtime, against a stub GoTrue that
//! answers sign-in for two users (sync calls get a 503: the engine just backs off). Tokens
//! go to a `MemoryTokenStore`; the app itself always uses the keyring.

mod common;

use jotline_core::auth::{MemoryTokenStore, TokenStore};
use jotline_core::{Core, CoreConfig, Surface, SystemClock};
use jotline_shell::state::AppState;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use tauri::test::MockRuntime;
use tauri::WebviewWindow;

const ANA: &str = "0190a000-0000-7000-8000-00000000000a";
const BEN: &str = "0190a000-0000-7000-8000-00000000000b";
const ACCESS: &str = "stub-access-token-ffffffff";
const REFRESH: &str = "stub-refresh-token-eeeeeeee";

struct Harness {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    core: Core,
    tokens: Arc<MemoryTokenStore>,
    dir: tempfile::TempDir,
}

fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(CoreConfig {
        data_dir: dir.path().to_path_buf(),
        clock: Arc::new(SystemClock),
    })
    .unwrap();
    let tokens = Arc::new(MemoryTokenStore::new());
    let (app, window) = common::app_with(AppState::with_token_store(
        Ok(core.clone()),
        common::hotkey_registered(),
        tokens.clone(),
    ));
    Harness {
        _app: app,
        window,
        core,
        tokens,
        dir,
    }
}

impl Harness {
    fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        common::invoke(&self.window, cmd, args)
    }

    fn configure(&self, url: &str) {
        self.invoke(
            "set_sync_settings",
            json!({ "backendUrl": url, "anonKey": "anon-key", "syncIntervalMinutes": 5 }),
        )
        .unwrap();
    }

    fn sign_in(&self, email: &str, discard: bool) -> Result<Value, Value> {
        self.invoke(
            "sign_in",
            json!({ "email": email, "password": "pw", "discardPending": discard }),
        )
    }
}

/// A GoTrue stand-in: `ana@x` and `ben@x` sign in with any password, `bad@x` is refused.
fn stub_backend() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap_or(0);
            let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
            let mut length = 0;
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                    break;
                }
                if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let body = String::from_utf8_lossy(&body);
            let (status, reply) = if path.starts_with("/auth/v1/token") {
                let user = if body.contains("ana@x") {
                    Some((ANA, "ana@x"))
                } else if body.contains("ben@x") {
                    Some((BEN, "ben@x"))
                } else {
                    None
                };
                match user {
                    Some((id, email)) => (
                        "200 OK",
                        json!({ "access_token": ACCESS, "refresh_token": REFRESH,
                                "token_type": "bearer", "expires_in": 3600,
                                "user": { "id": id, "email": email } })
                        .to_string(),
                    ),
                    None => (
                        "400 Bad Request",
                        json!({ "error": "invalid_grant",
                                "error_description": "Invalid login credentials" })
                        .to_string(),
                    ),
                }
            } else if path.starts_with("/auth/v1/logout") {
                ("204 No Content", String::new())
            } else {
                ("503 Service Unavailable", "{}".to_string())
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                reply.len()
            );
        }
    });
    url
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
fn sign_in_needs_a_backend_and_reports_auth_failures_by_code() {
    let h = harness();
    let err = h.sign_in("ana@x", false).unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"), "{err}");

    h.configure("http://127.0.0.1:9");
    let err = h.sign_in("ana@x", false).unwrap_err();
    assert_eq!(err["code"], json!("network"), "{err}");

    h.configure(&stub_backend());
    let err = h.sign_in("bad@x", false).unwrap_err();
    assert_eq!(err["code"], json!("invalid_credentials"), "{err}");
    assert!(h.tokens.load().unwrap().is_none());
}

#[test]
fn sign_in_keeps_tokens_in_the_token_store_only_and_sign_out_forgets_them() {
    let h = harness();
    h.configure(&stub_backend());
    let account = h.sign_in("ana@x", false).unwrap();
    assert_eq!(account, json!({ "email": "ana@x", "userId": ANA }));
    assert_eq!(
        h.invoke("get_account", json!({})).unwrap()["email"],
        json!("ana@x")
    );
    let session = h.tokens.load().unwrap().expect("session stored");
    assert_eq!(session.access_token, ACCESS);
    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(status["sync"]["state"], json!("active"), "{status}");
    assert_eq!(status["sync"]["email"], json!("ana@x"));

    // Not in the settings file, nor in the database.
    for file in ["settings.json", "jotline.db"] {
        let bytes = std::fs::read(h.dir.path().join(file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(ACCESS) && !text.contains(REFRESH), "{file}");
    }
    // The backend cannot change under a session.
    let err = h
        .invoke(
            "set_sync_settings",
            json!({ "backendUrl": "https://other", "anonKey": "a", "syncIntervalMinutes": 5 }),
        )
        .unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"), "{err}");

    h.invoke("sign_out", json!({})).unwrap();
    assert!(h.tokens.load().unwrap().is_none());
    assert_eq!(h.invoke("get_account", json!({})).unwrap(), Value::Null);
    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(
        status["sync"],
        json!({ "state": "signedOut", "reason": null })
    );
}

#[test]
fn another_user_is_refused_while_changes_of_the_previous_one_wait_unless_discarded() {
    let h = harness();
    h.configure(&stub_backend());
    h.sign_in("ana@x", false).unwrap();
    h.invoke("sign_out", json!({})).unwrap();
    // Ana's note, never pushed (the stub answers 503).
    h.core
        .capture_text("ana's private note", Surface::InApp)
        .unwrap();

    let err = h.sign_in("ben@x", false).unwrap_err();
    assert_eq!(err["code"], json!("pending_changes_of_other_user"), "{err}");
    assert!(
        h.tokens.load().unwrap().is_none(),
        "refused: no session kept"
    );
    assert_eq!(h.core.status().unwrap().entry_count, 1);

    // Ana herself may come back: her journal is kept.
    h.sign_in("ana@x", false).unwrap();
    assert_eq!(h.core.status().unwrap().entry_count, 1);
    h.invoke("sign_out", json!({})).unwrap();

    // Ben, after confirming the discard: Ana's local copy is gone, nothing mixed.
    let account = h.sign_in("ben@x", true).unwrap();
    assert_eq!(account["email"], json!("ben@x"));
    let status = h.core.status().unwrap();
    assert_eq!((status.entry_count, status.pending_ops), (0, 0));
    assert_eq!(h.core.journal_user().unwrap().unwrap().to_string(), BEN);
    h.invoke("sign_out", json!({})).unwrap();
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
fn pause_stops_syncing_until_resumed_and_needs_an_account() {
    let h = harness();
    let err = h
        .invoke("set_sync_paused", json!({ "paused": true }))
        .unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"), "{err}");

    h.configure(&stub_backend());
    h.sign_in("ana@x", false).unwrap();
    h.invoke("set_sync_paused", json!({ "paused": true }))
        .unwrap();
    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(
        status["sync"],
        json!({ "state": "paused", "email": "ana@x" }),
        "{status}"
    );
    let err = h.invoke("full_resync", json!({})).unwrap_err();
    assert_eq!(
        err["code"],
        json!("invalid_input"),
        "no engine runs while paused"
    );
    assert_eq!(
        h.invoke("get_account", json!({})).unwrap()["email"],
        json!("ana@x"),
        "pausing keeps the account"
    );

    h.invoke("set_sync_paused", json!({ "paused": false }))
        .unwrap();
    let status = h.invoke("get_status", json!({})).unwrap();
    assert_eq!(status["sync"]["state"], json!("active"), "{status}");
    h.invoke("full_resync", json!({})).unwrap();
}
