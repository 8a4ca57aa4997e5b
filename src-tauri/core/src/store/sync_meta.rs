//! `sync_meta`: the single row of sync bookkeeping (client id, cursor, op_seq counter).

use rusqlite::{params, Connection, OptionalExtension};
use uuid::Uuid;

/// Creates the row with a fresh client id if it does not exist yet.
pub(crate) fn ensure_row(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO sync_meta (id, client_id, last_op_seq) VALUES (1, ?1, 0)",
        params![Uuid::now_v7().to_string()],
    )?;
    Ok(())
}

/// Reserves the next op_seq. Must run in the transaction that writes the outbox row, so a
/// rolled-back write does not burn a number and a committed one never shares it.
pub(crate) fn next_op_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "UPDATE sync_meta SET last_op_seq = last_op_seq + 1 WHERE id = 1 RETURNING last_op_seq",
    )?
    .query_row([], |r| r.get(0))
}

/// This installation's id, sent with every pushed op.
pub fn client_id(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT client_id FROM sync_meta WHERE id = 1", [], |r| {
        r.get(0)
    })
    .optional()
}

/// The last op_seq handed out (0 when none).
pub fn last_op_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT coalesce((SELECT last_op_seq FROM sync_meta WHERE id = 1), 0)",
        [],
        |r| r.get(0),
    )
}

/// The pull cursor (`None`: pull from the beginning).
pub fn cursor(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT cursor FROM sync_meta WHERE id = 1", [], |r| {
        r.get(0)
    })
    .optional()
    .map(Option::flatten)
}

/// Stores the cursor; call in the transaction that applied the page it follows.
pub(crate) fn set_cursor(
    conn: &Connection,
    cursor: Option<&str>,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE sync_meta SET cursor = ?1, last_pull_at = ?2 WHERE id = 1")?
        .execute(params![cursor, now_ms])?;
    Ok(())
}

/// Forgets the cursor so the next pull starts from the beginning (`must_resync`).
pub(crate) fn reset_cursor(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("UPDATE sync_meta SET cursor = NULL WHERE id = 1", [])?;
    Ok(())
}

pub(crate) fn set_last_push_at(conn: &Connection, now_ms: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE sync_meta SET last_push_at = ?1 WHERE id = 1")?
        .execute([now_ms])?;
    Ok(())
}

/// Times (ms) of the last successful pull and push.
pub fn last_sync_times(conn: &Connection) -> rusqlite::Result<(Option<i64>, Option<i64>)> {
    conn.query_row(
        "SELECT last_pull_at, last_push_at FROM sync_meta WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
    .map(Option::unwrap_or_default)
}

/// The user this database last synced as.
pub fn user_id(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT user_id FROM sync_meta WHERE id = 1", [], |r| {
        r.get(0)
    })
    .optional()
    .map(Option::flatten)
}

/// Records the signed-in user. A different user than before also resets the cursor (their
/// rows are pulled from the beginning).
pub(crate) fn set_user_id(conn: &Connection, user_id: &str) -> rusqlite::Result<bool> {
    let changed = user_id_changed(conn, user_id)?;
    if changed {
        conn.execute(
            "UPDATE sync_meta SET user_id = ?1, cursor = NULL WHERE id = 1",
            [user_id],
        )?;
    }
    Ok(changed)
}

fn user_id_changed(conn: &Connection, user_id: &str) -> rusqlite::Result<bool> {
    Ok(self::user_id(conn)?.as_deref() != Some(user_id))
}
