//! Logs go to stderr and, for the app itself, to daily files in the log dir
//! (`jotline.YYYY-MM-DD.log`, the last 7 kept). Writes are synchronous so the lines before
//! a crash are on disk. What is logged never includes note text, transcripts or tokens:
//! commands and core spans log ids, sizes and error codes only (an end-to-end test greps
//! the log of a real run for a note and the session's tokens).

use std::path::{Path, PathBuf};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Log files kept; older ones are deleted at rotation.
pub const KEPT_FILES: usize = 7;
const FILE_PREFIX: &str = "jotline";

/// Installs the global logger. `file_dir`: also write rotating files there. Returns the
/// folder actually used, or the reason there is no log file (the app runs on regardless).
pub fn init(file_dir: Option<&Path>) -> Result<Option<PathBuf>, String> {
    let filter = || EnvFilter::try_from_env("JOTLINE_LOG").unwrap_or_else(|_| "info".into());
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let (file, outcome) = match file_dir.map(rolling_file) {
        Some(Ok(appender)) => (
            Some(
                fmt::layer()
                    .with_ansi(false)
                    .with_writer(appender)
                    .with_filter(filter()),
            ),
            Ok(file_dir.map(Path::to_path_buf)),
        ),
        Some(Err(reason)) => (None, Err(reason)),
        None => (None, Ok(None)),
    };
    tracing_subscriber::registry()
        .with(stderr)
        .with(file)
        .try_init()
        .map_err(|err| err.to_string())?;
    outcome
}

fn rolling_file(dir: &Path) -> Result<RollingFileAppender, String> {
    // The appender prunes old files before it creates the folder; on a first run that printed
    // a stray "Error reading the log directory" line.
    std::fs::create_dir_all(dir)
        .map_err(|err| format!("no log folder {}: {err}", dir.display()))?;
    RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(dir)
        .map_err(|err| format!("no log file in {}: {err}", dir.display()))
}

/// A panic is logged (location and message) before the default hook prints it.
pub fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(location = ?info.location(), "panic: {}", panic_message(info));
        default(info);
    }));
}

fn panic_message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_appender_writes_a_dated_file_in_the_log_dir() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let mut appender = rolling_file(dir.path()).unwrap();
        appender.write_all(b"hello\n").unwrap();
        appender.flush().unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(
            names[0].starts_with("jotline.") && names[0].ends_with(".log"),
            "{names:?}"
        );
    }

    #[test]
    fn an_unusable_log_dir_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"").unwrap();
        let err = rolling_file(&file.join("logs")).unwrap_err();
        assert!(err.contains("a-file"), "{err}");
    }
}
