//! The full integrity check. Opening runs `quick_check`, which is fast but does not compare
//! indexes with their tables; this one does, on its own read-only connection so captures never
//! wait for it.

use crate::error::CoreError;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// At most this many problems are listed; one is enough to say the file is damaged.
const MAX_PROBLEMS: u32 = 10;

/// The problems SQLite found in the database at `path`; empty when it is sound.
pub(crate) fn full_check(path: &Path) -> Result<Vec<String>, CoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    Ok(problems(
        &conn,
        &format!("integrity_check({MAX_PROBLEMS})"),
    )?)
}

/// The rows of `PRAGMA check` (`quick_check(N)` or `integrity_check(N)`), empty when SQLite
/// answered its single "ok".
pub(crate) fn problems(conn: &Connection, check: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA {check}"))?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(if rows.len() == 1 && rows[0] == "ok" {
        Vec::new()
    } else {
        rows
    })
}
