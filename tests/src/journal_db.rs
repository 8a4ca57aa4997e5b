//! Reads the app's SQLite database directly, to check what really reached the disk.

use rusqlite::{Connection, OpenFlags};
use std::path::Path;

pub fn open_read_only(data_dir: &Path) -> anyhow::Result<Connection> {
    let conn = Connection::open_with_flags(
        data_dir.join("jotline.db"),
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    Ok(conn)
}

/// Bodies of live entries, newest first.
pub fn entry_bodies(data_dir: &Path) -> anyhow::Result<Vec<String>> {
    let conn = open_read_only(data_dir)?;
    let mut stmt = conn.prepare(
        "SELECT body FROM entries WHERE deleted_at IS NULL ORDER BY occurred_at DESC, id DESC",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Surfaces of the raw captures whose text is `text`.
pub fn capture_surfaces(data_dir: &Path, text: &str) -> anyhow::Result<Vec<String>> {
    let conn = open_read_only(data_dir)?;
    let mut stmt = conn.prepare("SELECT surface FROM pending_captures WHERE text = ?1")?;
    let rows = stmt.query_map([text], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
