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
