//! The export folder: creating it, atomic writes whose errors name the file, and the copies
//! of the voice recordings.

use super::AUDIO_DIR;
use crate::error::CoreError;
use crate::fs_atomic;
use crate::types::Entry;
use std::collections::HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use uuid::Uuid;

/// An I/O error that says which file or folder it concerns (the code stays `storage`).
pub(super) fn io_error(what: &str, path: &Path, e: io::Error) -> CoreError {
    CoreError::Io(io::Error::new(
        e.kind(),
        format!("{what} {}: {e}", path.display()),
    ))
}

pub(super) fn create_dir(dir: &Path) -> Result<(), CoreError> {
    std::fs::create_dir_all(dir).map_err(|e| io_error("cannot create the folder", dir, e))
}

/// Replaces `path` with `bytes` atomically (a failure leaves no temp file either).
pub(super) fn write(path: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    fs_atomic::write(path, bytes).map_err(|e| io_error("cannot write", path, e))
}

/// Copies each voice memo's WAV that is on this computer to `audio/<capture_id>.wav`.
/// Returns the copy's path relative to `dir`, by entry id.
pub(super) fn copy_audio(
    dir: &Path,
    entries: &[Entry],
) -> Result<HashMap<Uuid, String>, CoreError> {
    let memos: Vec<(Uuid, Uuid, &str)> = entries
        .iter()
        .filter_map(|e| {
            let memo = e.voice.as_ref()?;
            Some((e.id, memo.capture_id, memo.audio_file.as_deref()?))
        })
        .collect();
    if memos.is_empty() {
        return Ok(HashMap::new());
    }
    create_dir(&dir.join(AUDIO_DIR))?;
    let copied = in_parallel(memos.len(), |i| {
        let (entry, capture, source) = memos[i];
        let source = Path::new(source);
        let bytes = match std::fs::read(source) {
            Ok(bytes) => bytes,
            // Gone since the snapshot: nothing to copy, and nothing to link to.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error("cannot read the recording", source, e)),
        };
        let relative = format!("{AUDIO_DIR}/{capture}.wav");
        write(&dir.join(&relative), &bytes)?;
        Ok(Some((entry, relative)))
    })?;
    Ok(copied.into_iter().flatten().collect())
}

/// Files written at once. Each atomic write waits for its fsyncs; a disk completes several
/// together, so a thousand day files take a second instead of several.
const WRITERS: usize = 8;

/// Runs `job(i)` for each `i` in `0..n` on up to [`WRITERS`] threads. Returns the results in
/// order, or an error of a job that failed (the others stop taking new work).
pub(super) fn in_parallel<T: Send>(
    n: usize,
    job: impl Fn(usize) -> Result<T, CoreError> + Sync,
) -> Result<Vec<T>, CoreError> {
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || {
        let mut done = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break;
            }
            match job(i) {
                Ok(value) => done.push((i, value)),
                Err(e) => {
                    failed.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(done)
    };
    let parts: Vec<Result<Vec<(usize, T)>, CoreError>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..WRITERS.min(n)).map(|_| s.spawn(work)).collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(n);
    for part in parts {
        all.extend(part?);
    }
    all.sort_unstable_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, value)| value).collect())
}

/// Refuses an export folder that is Jotline's data folder or inside it (an export must not
/// mix its files with the journal's own).
pub(super) fn check_outside(dir: &Path, data_dir: &Path) -> Result<(), CoreError> {
    let target = resolved(dir);
    if target.starts_with(resolved(data_dir)) {
        return Err(CoreError::InvalidInput(format!(
            "Jotline cannot export into its own data folder ({}); choose another folder.",
            data_dir.display()
        )));
    }
    Ok(())
}

/// `path` made absolute, with its longest existing ancestor resolved (symlinks) and the
/// rest normalised as written (`.` and `..`).
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut base = absolute.as_path();
    let mut rest = Vec::new();
    let mut out = loop {
        if let Ok(found) = base.canonicalize() {
            break found;
        }
        match (base.parent(), base.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                base = parent;
            }
            _ => break PathBuf::new(),
        }
    };
    for part in rest.into_iter().rev() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
