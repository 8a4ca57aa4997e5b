//! The first launch on a journal: it holds the lock and either saves a capture at once (no
//! app needed) or becomes the app, listening for later launches.

use super::listener::Listener;
use super::socket_path::socket_path;
use crate::cli::CliCommand;
use jotline_core::types::Surface;
use jotline_core::{Core, CoreConfig, JournalLock, SystemClock};
use std::path::Path;
use std::sync::Arc;

pub fn run(command: CliCommand, lock: &JournalLock, dir: &Path, app: super::RunApp) -> i32 {
    if let CliCommand::CaptureText(text) = &command {
        return capture_now(dir, text);
    }
    let listener = match Listener::bind(&socket_path(lock.dir())) {
        Ok(listener) => Some(listener),
        Err(e) => {
            tracing::warn!(error = %e, "later launches cannot reach this app");
            None
        }
    };
    app(command, listener)
}

/// `jotline capture TEXT` with no app running: save it and say so; exit code 0 or 1.
pub fn capture_now(dir: &Path, text: &str) -> i32 {
    let core = Core::open(CoreConfig {
        data_dir: dir.to_path_buf(),
        clock: Arc::new(SystemClock),
    });
    let saved = core.and_then(|core| core.capture_text(text, Surface::Cli));
    match saved {
        Ok(saved) => {
            println!("Saved to the journal ({}).", saved.entry.id);
            0
        }
        Err(err) => super::refused(
            &CliCommand::CaptureText(text.to_owned()),
            &format!("not saved: {}", err.user_message()),
        ),
    }
}
