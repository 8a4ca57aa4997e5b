//! Commands of the installed desktop app through the mock runtime: the first-run welcome,
//! start at login (with the real autostart plugin writing into a temp HOME) and the export
//! from Settings.

mod common;

use jotline_core::{export, Core, CoreConfig, SystemClock};
use jotline_shell::{autostart, commands, state::AppState};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{Manager, WebviewWindow};

/// The autostart entry goes to `$HOME/.config/autostart`: one temp HOME for this binary.
fn temp_home() -> &'static PathBuf {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| {
        let home = tempfile::tempdir().unwrap().keep();
        std::env::set_var("HOME", &home);
        home
    })
}

struct Harness {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    core: Core,
    _dir: tempfile::TempDir,
}

fn harness() -> Harness {
    temp_home();
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(CoreConfig {
        data_dir: dir.path().to_path_buf(),
        clock: Arc::new(SystemClock),
    })
    .unwrap();
    let app = mock_builder()
        .plugin(autostart::plugin())
        .invoke_handler(commands::handler())
        .build(mock_context(noop_assets()))
        .unwrap();
    app.manage(AppState::with_token_store(
        Ok(core.clone()),
        common::hotkey_registered(),
        Arc::new(jotline_core::auth::MemoryTokenStore::new()),
    ));
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
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
fn the_welcome_is_shown_until_dismissed() {
    let h = harness();
    assert_eq!(
        h.invoke("get_settings", json!({})).unwrap()["welcomeDone"],
        false
    );
    let settings = h.invoke("dismiss_welcome", json!({})).unwrap();
    assert_eq!(settings["welcomeDone"], true);
    assert!(h.core.settings().unwrap().welcome_done, "not persisted");
}

#[test]
fn start_at_login_writes_and_removes_the_autostart_entry() {
    let h = harness();
    let entry = temp_home().join(".config/autostart/Jotline.desktop");
    let on = h
        .invoke("set_start_at_login", json!({ "enabled": true }))
        .unwrap();
    assert_eq!(on["startAtLogin"], true);
    assert!(h.core.settings().unwrap().start_at_login);
    let desktop = std::fs::read_to_string(&entry).unwrap();
    let exe = std::env::current_exe().unwrap();
    assert!(
        desktop.contains(&format!("Exec={} --minimized", exe.display())),
        "{desktop}"
    );

    let off = h
        .invoke("set_start_at_login", json!({ "enabled": false }))
        .unwrap();
    assert_eq!(off["startAtLogin"], false);
    assert!(!entry.exists());
    assert!(!h.core.settings().unwrap().start_at_login);
}

#[test]
fn export_writes_the_journal_to_the_folder_and_refuses_a_relative_one() {
    let h = harness();
    h.invoke(
        "save_capture",
        json!({ "text": "Exported from settings #x", "surface": "in_app" }),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("journal export");
    let summary = h
        .invoke(
            "export_journal",
            json!({ "format": "markdown", "dir": dir.display().to_string() }),
        )
        .unwrap();
    assert_eq!(summary["entries"], 1);
    assert_eq!(summary["format"], "markdown");
    let read = export::read_markdown(&dir).unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].body, "Exported from settings #x");

    let err = h
        .invoke(
            "export_journal",
            json!({ "format": "json", "dir": "relative/folder" }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("full path"));
    let err = h
        .invoke("export_journal", json!({ "format": "json", "dir": "  " }))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
}

#[test]
fn the_suggested_export_folder_is_absolute_and_dated() {
    let h = harness();
    let folder = h.invoke("default_export_folder", json!({})).unwrap();
    let folder = PathBuf::from(folder.as_str().unwrap());
    assert!(folder.is_absolute(), "{}", folder.display());
    let name = folder.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("Jotline export 20"), "{name}");
}

#[test]
fn without_a_folder_picker_choosing_a_folder_says_to_type_it() {
    let h = harness();
    let err = h
        .invoke("choose_export_folder", json!({ "current": null }))
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(err["message"].as_str().unwrap().contains("type the folder"));
}
