//! Builds and runs the desktop app: plugins, state, windows, hotkey, tray, events.

use crate::state::{self, AppState};
use crate::{actions, autostart, commands, events, hotkey, tray, voice_hotkey, windows};
use global_hotkey::{hotkey::HotKey, HotKeyState};
use jotline_core::{Core, CoreConfig, SystemClock};
use jotline_platform::cli::CliCommand;
use jotline_platform::instance::Listener;
use jotline_platform::key_grab::KeyGrabber;
use jotline_platform::{connectivity, data_dir};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::webview::PageLoadEvent;
use tauri::{App, AppHandle, Manager, RunEvent, Runtime, WindowEvent};

/// Runs the app for `command` and returns the process exit code. `listener` brings the
/// requests of later launches on this journal (see `instance`).
pub fn run(command: CliCommand, listener: Option<Listener>) -> i32 {
    let has_tray = Arc::new(AtomicBool::new(false));
    let app = tauri::Builder::default()
        .plugin(autostart::plugin())
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(commands::handler())
        .on_page_load(|webview, payload| {
            if webview.label() == windows::MAIN && payload.event() == PageLoadEvent::Finished {
                // `make bench` measures start-up to this line.
                tracing::info!("main window loaded");
            }
        })
        .setup({
            let has_tray = has_tray.clone();
            move |app| setup(app, command, listener, &has_tray)
        })
        .build(tauri::generate_context!("../tauri.conf.json"));
    let app = match app {
        Ok(app) => app,
        Err(err) => {
            eprintln!("jotline: could not start: {err}");
            return 1;
        }
    };
    app.run_return(move |app, event| on_run_event(app, event, &has_tray))
}

fn setup(
    app: &mut App,
    command: CliCommand,
    listener: Option<Listener>,
    has_tray: &AtomicBool,
) -> Result<(), Box<dyn std::error::Error>> {
    let handle = app.handle().clone();
    let dir = data_dir::resolve().ok_or("no home folder for the journal")?;
    let db_path = dir.join(jotline_core::DATABASE_FILE);
    let journal = Core::open(CoreConfig {
        data_dir: dir,
        clock: Arc::new(SystemClock),
    })
    .map_err(|err| state::startup_error(err, &db_path));

    if let Err(err) = &journal {
        eprintln!("jotline: {} ({})", err.message, err.path);
    }
    let settings = journal
        .as_ref()
        .ok()
        .map(|core| core.settings().unwrap_or_default());
    start_hotkeys(&handle);
    let hotkey = match &settings {
        Some(settings) => hotkey::register_all(&handle, settings),
        None => state::hotkey_not_registered("", "the journal could not be opened"),
    };
    if let Some(settings) = &settings {
        autostart::refresh(&handle, settings.start_at_login);
    }
    let status = journal.as_ref().ok().and_then(|core| core.status().ok());
    let core = journal.as_ref().ok().cloned();
    let failed = journal.is_err();
    app.manage(AppState::new(journal, hotkey));
    if let Some(listener) = listener {
        let app = handle.clone();
        listener.serve(Arc::new(move |request| {
            actions::run_forwarded(&app, request)
        }));
    }
    if let Some(core) = core {
        events::forward(handle.clone(), &core);
        rescue_recordings(&core);
        allow_audio_playback(&handle, &core);
        start_services(&handle);
        watch_connectivity(&handle);
    }

    // Started at login: the journal stays in the tray, unless there is no tray to reach it.
    let minimized = command == CliCommand::OpenMinimized;
    let quiet = command == CliCommand::OpenCapture || minimized;
    windows::create_all(&handle, !quiet || failed)?;
    if let Some(status) = status {
        has_tray.store(tray::install(&handle, &status), Ordering::SeqCst);
    }
    if minimized && !failed && !has_tray.load(Ordering::SeqCst) {
        windows::show_main(&handle);
    }
    if command == CliCommand::OpenCapture {
        windows::show_capture(&handle);
    }
    if let Some(core) = journal_core(&handle) {
        check_integrity_in_background(core);
    }
    Ok(())
}

fn journal_core(handle: &AppHandle) -> Option<Core> {
    handle.state::<AppState>().core().ok().cloned()
}

/// The full integrity check, once the windows are up: opening only ran the quick check,
/// which misses damaged indexes. What it finds reaches the status bar as a status change.
fn check_integrity_in_background(core: Core) {
    let spawned = std::thread::Builder::new()
        .name("jotline-integrity".into())
        .spawn(move || match core.check_integrity() {
            Ok(problems) if problems.is_empty() => tracing::info!("journal integrity check ok"),
            Ok(_) => {}
            Err(err) => tracing::warn!(%err, "journal integrity check could not run"),
        });
    if let Err(err) = spawned {
        tracing::warn!(%err, "no journal integrity check");
    }
}

/// Starts listening for global hotkeys: the voice hotkey records, any other registered one
/// (the capture hotkey) shows the capture window. Without an X display there are none, and
/// `jotline capture` is the way in (settings say so).
fn start_hotkeys(handle: &AppHandle) {
    let app = handle.clone();
    let on_key = move |shortcut: &HotKey, key: HotKeyState| {
        if voice_hotkey::handles(&app, shortcut, key) {
            return;
        }
        if key == HotKeyState::Pressed {
            windows::show_capture(&app);
        }
    };
    match KeyGrabber::start(Arc::new(on_key)) {
        Ok(grabber) => {
            handle.manage(grabber);
        }
        Err(err) => tracing::warn!(%err, "no global hotkeys in this session"),
    }
}

/// Unfinished recordings (the app was killed while recording) become recovered captures
/// before anything can record again.
fn rescue_recordings(core: &Core) {
    match core.recover_voice_captures() {
        Ok(rescued) if !rescued.is_empty() => {
            tracing::info!(count = rescued.len(), "unfinished recordings recovered")
        }
        Ok(_) => {}
        Err(err) => tracing::error!(%err, "unfinished recordings could not be recovered"),
    }
}

/// The UI may play recordings through the asset protocol, from the audio folder only.
fn allow_audio_playback<R: Runtime>(app: &AppHandle<R>, core: &Core) {
    let dir = core.audio_dir();
    if let Err(err) = std::fs::create_dir_all(&dir) {
        tracing::warn!(%err, "no audio folder");
    }
    if let Err(err) = app.asset_protocol_scope().allow_directory(&dir, false) {
        tracing::warn!(%err, "recordings cannot be played back");
    }
}

/// The capture processor, and sync when a session for the configured backend is in the
/// keyring.
fn start_services<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(journal) = state.journal() else {
        return;
    };
    let (sync, processing) = (journal.sync.clone(), journal.processing.clone());
    tauri::async_runtime::spawn(async move {
        processing.start().await;
        if let Err(err) = sync.start().await {
            tracing::warn!(code = ?err.code, message = err.message, "sync not started");
        }
    });
}

/// "The network came back": a round at once instead of waiting for the backoff.
fn watch_connectivity<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(journal) = state.journal() else {
        return;
    };
    let sync = journal.sync.clone();
    connectivity::watch(move || {
        let sync = sync.clone();
        tauri::async_runtime::spawn(async move {
            if sync.trigger(jotline_core::sync::Trigger::Reconnect).await {
                tracing::info!("network came back: sync triggered");
            }
        });
    });
}

fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: RunEvent, has_tray: &AtomicBool) {
    match event {
        // Closing the journal keeps the app in the tray so the hotkey still works;
        // without a tray there is no way back, so closing it quits.
        RunEvent::WindowEvent {
            label,
            event: WindowEvent::CloseRequested { api, .. },
            ..
        } => {
            if !has_tray.load(Ordering::SeqCst) && label == windows::MAIN {
                app.exit(0);
            } else {
                api.prevent_close();
                if let Some(window) = app.get_webview_window(&label) {
                    let _ = window.hide();
                }
            }
        }
        // Coming back to the journal: pull if the last round is older than half a minute.
        RunEvent::WindowEvent {
            label,
            event: WindowEvent::Focused(true),
            ..
        } if label == windows::MAIN => {
            if let Ok(journal) = app.state::<AppState>().journal() {
                let sync = journal.sync.clone();
                tauri::async_runtime::spawn(async move {
                    sync.trigger(jotline_core::sync::Trigger::Focus).await;
                });
            }
        }
        // Last window gone but no explicit Quit: stay in the tray.
        RunEvent::ExitRequested {
            code: None, api, ..
        } if has_tray.load(Ordering::SeqCst) => {
            api.prevent_exit();
        }
        // The log copied into the database file, so the file alone is the whole journal.
        RunEvent::Exit => {
            if let Ok(core) = app.state::<AppState>().core() {
                if let Err(err) = core.checkpoint() {
                    tracing::warn!(%err, "no checkpoint at exit");
                }
            }
        }
        _ => {}
    }
}
