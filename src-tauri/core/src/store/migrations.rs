//! Embedded migrations of `migrations/local`, applied in order under a `user_version` guard.

use crate::error::CoreError;
use rusqlite::Transaction;
use std::path::Path;

/// `(version, sql)`; version N is `migrations/local/000N_*.sql`. Only ever append.
pub(crate) const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../../../../migrations/local/0001_init.sql"),
    ),
    (
        2,
        include_str!("../../../../migrations/local/0002_sync.sql"),
    ),
    (
        3,
        include_str!("../../../../migrations/local/0003_captures.sql"),
    ),
    (
        4,
        include_str!("../../../../migrations/local/0004_capture_entry_index.sql"),
    ),
    (
        5,
        include_str!("../../../../migrations/local/0005_devices.sql"),
    ),
];

/// The schema version this build understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

pub(crate) fn user_version(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Refuses a database written by a newer build, before anything touches it.
pub(crate) fn check_not_too_new(found: i64, path: &Path) -> Result<(), CoreError> {
    if found > SCHEMA_VERSION {
        return Err(CoreError::DatabaseTooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Applies every migration newer than the database, inside the caller's transaction.
pub(crate) fn apply_pending(tx: &Transaction<'_>, path: &Path) -> Result<i64, CoreError> {
    let current = user_version(tx)?;
    check_not_too_new(current, path)?;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        tracing::info!(version, "applying local migration");
        tx.execute_batch(sql)?;
        // user_version is transactional: it commits or rolls back with the schema.
        tx.pragma_update(None, "user_version", version)?;
    }
    Ok(current)
}
