//! `jotline backup FILE`: one self-contained copy of the journal, made with SQLite's online
//! backup API so it includes what is still in the write-ahead log and can be taken while the
//! app runs. Written under a temporary name and renamed, so FILE is complete or absent.

use super::{entries, sibling, BUSY_TIMEOUT};
use crate::error::CoreError;
use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// Pages copied per step; between steps the running app may write (the copy then restarts).
const PAGES_PER_STEP: std::ffi::c_int = 1024;

/// Copies the database at `source` to `target` (which must not exist yet); returns how many
/// entries the copy holds.
pub fn write(source: &Path, target: &Path) -> Result<u64, CoreError> {
    if !source.exists() {
        return Err(CoreError::InvalidInput(format!(
            "there is no journal at {}",
            source.display()
        )));
    }
    if target.exists() {
        return Err(CoreError::InvalidInput(format!(
            "{} already exists; choose a new file name",
            target.display()
        )));
    }
    let from = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    from.busy_timeout(BUSY_TIMEOUT)?;
    let staging = sibling(target, ".partial");
    let copied = copy(&from, &staging).and_then(|()| {
        let entries = entries::count_live(&Connection::open(&staging)?)?;
        crate::fs_atomic::rename(&staging, target)?;
        Ok(entries)
    });
    if copied.is_err() {
        let _ = std::fs::remove_file(&staging);
    }
    copied
}

fn copy(from: &Connection, staging: &Path) -> Result<(), CoreError> {
    let mut to = Connection::open(staging)?;
    Backup::new(from, &mut to)?.run_to_completion(
        PAGES_PER_STEP,
        Duration::from_millis(5),
        None,
    )?;
    // The copy is one file: no log beside it, whatever mode the journal uses.
    let _: String = to.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    Ok(())
}
