//! The SQLite database: opening, pragmas, migrations, and one module per table.

pub mod backup;
pub(crate) mod checkpointer;
pub(crate) mod damaged_text;
pub(crate) mod devices;
pub mod entries;
pub(crate) mod integrity;
pub(crate) mod journal_reset;
pub mod migrations;
pub mod outbox;
pub mod pending_captures;
pub mod search;
pub mod sync_meta;
pub mod sync_parked;

pub(crate) mod wal;

use crate::error::CoreError;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode as SqliteCode, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// How long a statement waits for another writer before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(2);

/// Opens (creating if absent) and migrates the database at `path`.
///
/// Order matters: nothing is written before the file has been read successfully and its
/// schema version accepted, so a corrupt or too-new file is left byte-for-byte untouched.
pub(crate) fn open(path: &Path) -> Result<Connection, CoreError> {
    match std::fs::metadata(path) {
        // A new journal is never empty on disk (see `create`): an empty file is damage, such
        // as a copy that failed or a full disk, and must not be mistaken for a new journal.
        Ok(meta) if meta.len() == 0 => {
            return Err(CoreError::DatabaseCorrupt {
                path: path.to_path_buf(),
                detail: "the file is empty (0 bytes)".to_string(),
            })
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path)?,
        Err(e) => return Err(e.into()),
    }
    open_existing(path)
}

/// Builds a new journal under a temporary name and renames it into place, so a crash while
/// creating it leaves no empty or half-made `jotline.db` behind.
fn create(path: &Path) -> Result<(), CoreError> {
    let staging = sibling(path, "-new");
    for leftover in [
        staging.clone(),
        sibling(&staging, "-wal"),
        sibling(&staging, "-shm"),
    ] {
        crate::fs_atomic::remove(&leftover)?;
    }
    // Closing the connection checkpoints the log into the file and removes it.
    drop(open_existing(&staging)?);
    crate::fs_atomic::rename(&staging, path)?;
    Ok(())
}

/// `path` with `suffix` appended to its file name (`jotline.db` → `jotline.db-wal`).
pub(crate) fn sibling(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn open_existing(path: &Path) -> Result<Connection, CoreError> {
    let classify = |e: rusqlite::Error| classify_open_error(e, path);
    let mut conn = Connection::open(path).map_err(classify)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(classify)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(classify)?;

    // Reads page 1 and the schema: fails with NOTADB / CORRUPT on a damaged file.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })
    .map_err(classify)?;
    let found = migrations::user_version(&conn).map_err(classify)?;
    migrations::check_not_too_new(found, path)?;
    if found > 0 {
        quick_check(&conn, path)?;
    }

    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(classify)?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "WAL journal mode unavailable");
    }
    // FULL: in WAL mode every commit fsyncs the log, so a returned capture survives power loss.
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(classify)?;
    conn.pragma_update(None, "cache_size", -16_000)
        .map_err(classify)?;
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(classify)?;

    // Always take the write lock once at start: another process holding it is reported now
    // (DatabaseLocked) rather than on the first capture.
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(classify)?;
    let before = migrations::apply_pending(&tx, path).map_err(|e| match e {
        CoreError::Storage(e) => classify(e),
        other => other,
    })?;
    sync_meta::ensure_row(&tx).map_err(classify)?;
    tx.commit().map_err(classify)?;
    tracing::info!(
        from = before,
        to = migrations::SCHEMA_VERSION,
        "database open"
    );
    Ok(conn)
}

fn quick_check(conn: &Connection, path: &Path) -> Result<(), CoreError> {
    let problems =
        integrity::problems(conn, "quick_check(5)").map_err(|e| classify_open_error(e, path))?;
    if problems.is_empty() {
        return Ok(());
    }
    Err(CoreError::DatabaseCorrupt {
        path: path.to_path_buf(),
        detail: problems.join("; "),
    })
}

fn classify_open_error(e: rusqlite::Error, path: &Path) -> CoreError {
    match e.sqlite_error_code() {
        Some(SqliteCode::DatabaseBusy | SqliteCode::DatabaseLocked) => CoreError::DatabaseLocked {
            path: path.to_path_buf(),
        },
        Some(SqliteCode::NotADatabase | SqliteCode::DatabaseCorrupt) => {
            CoreError::DatabaseCorrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            }
        }
        _ => CoreError::Storage(e),
    }
}

/// Stored time: whole milliseconds since the Unix epoch.
pub(crate) fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// `t` as it will read back from the database (millisecond precision).
pub(crate) fn truncate_ms(t: DateTime<Utc>) -> DateTime<Utc> {
    from_ms(to_ms(t))
}
