//! Keeping the database file itself complete: SQLite's write-ahead log (`jotline.db-wal`)
//! holds every commit until a checkpoint copies it into `jotline.db`. SQLite's own automatic
//! checkpoint waits for ~4 MB of log, so a journal of small notes would live in the log for
//! days, and a copy of `jotline.db` alone (a backup, a sync tool) would miss all of it.

use super::sibling;
use rusqlite::Connection;
use std::path::Path;

/// What one checkpoint found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    /// The log was empty: nothing to copy.
    Clean,
    /// The log was copied into the database file and emptied.
    Done,
    /// Another reader kept part of the log in use; the rest waits for the next checkpoint.
    Partial,
    /// The log file had been deleted from the folder while the journal was open. Its content
    /// (still readable through the open connection) was copied into the database file and a
    /// new log started, so a crash now loses nothing.
    Recovered,
}

/// Copies the log into the database file at `path`, and recovers a log deleted from under us.
pub(crate) fn checkpoint(conn: &Connection, path: &Path) -> rusqlite::Result<Checkpoint> {
    let log = sibling(path, "-wal");
    let log_len = match std::fs::metadata(&log) {
        Ok(meta) => Some(meta.len()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            tracing::warn!(error = %e, "write-ahead log not readable");
            Some(1)
        }
    };
    match log_len {
        Some(0) => Ok(Checkpoint::Clean),
        Some(_) => Ok(if truncate(conn)? {
            Checkpoint::Done
        } else {
            Checkpoint::Partial
        }),
        None if !in_wal_mode(conn)? => Ok(Checkpoint::Clean),
        None => {
            tracing::error!(file = %log.display(), "write-ahead log deleted while open; recovering");
            truncate(conn)?;
            // Leaving WAL mode closes the deleted log; entering it again creates a new one.
            let _: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
            let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            Ok(Checkpoint::Recovered)
        }
    }
}

fn in_wal_mode(conn: &Connection) -> rusqlite::Result<bool> {
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    Ok(mode.eq_ignore_ascii_case("wal"))
}

/// `PRAGMA wal_checkpoint(TRUNCATE)`; false when a reader kept it from finishing.
fn truncate(conn: &Connection) -> rusqlite::Result<bool> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    Ok(busy == 0)
}
