//! One running app per journal: an exclusive lock on `jotline.lock` in the journal's folder.
//!
//! The operating system holds the lock for the open file, so it names the journal itself, not
//! a spelling of its path (a trailing slash, a symlink) or a D-Bus name, and it is released
//! however the process ends (a crash, a kill) without a stale file to clean up.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

pub const LOCK_FILE: &str = "jotline.lock";

/// Held while this process owns the journal; dropping it releases the lock.
#[derive(Debug)]
pub struct JournalLock {
    _file: File,
    dir: PathBuf,
}

#[derive(thiserror::Error, Debug)]
pub enum JournalLockError {
    #[error("the journal in {} is open in another Jotline", .0.display())]
    Held(PathBuf),
    #[error("the journal folder {} cannot be locked: {source}", dir.display())]
    Io {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl JournalLock {
    /// Takes the lock for the journal in `data_dir` (created if absent) without waiting.
    pub fn acquire(data_dir: &Path) -> Result<JournalLock, JournalLockError> {
        let io = |source| JournalLockError::Io {
            dir: data_dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(data_dir).map_err(io)?;
        let dir = canonical_dir(data_dir).map_err(io)?;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(dir.join(LOCK_FILE))
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(JournalLock { _file: file, dir }),
            Err(TryLockError::WouldBlock) => Err(JournalLockError::Held(dir)),
            Err(TryLockError::Error(source)) => Err(io(source)),
        }
    }

    /// The journal folder with symlinks and trailing separators resolved.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// `data_dir` as one canonical path, the same for every spelling of it.
pub fn canonical_dir(data_dir: &Path) -> std::io::Result<PathBuf> {
    data_dir.canonicalize()
}
