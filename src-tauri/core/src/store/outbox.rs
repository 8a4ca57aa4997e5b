//! `outbox`: local mutations queued for the server, written in the same transaction as the row.

use super::sync_meta;
use rusqlite::{params, Connection};

/// Kind of queued mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Upsert,
    Delete,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Upsert => "upsert",
            Op::Delete => "delete",
        }
    }
}

/// Queues one op and returns its op_seq.
pub(crate) fn record(
    conn: &Connection,
    table: &str,
    row_id: &str,
    op: Op,
    changed_fields: &[&str],
    now_ms: i64,
) -> rusqlite::Result<i64> {
    let seq = sync_meta::next_op_seq(conn)?;
    let fields = serde_json::to_string(changed_fields)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.prepare_cached(
        "INSERT INTO outbox (op_seq, table_name, row_id, op, changed_fields, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![seq, table, row_id, op.as_str(), fields, now_ms])?;
    Ok(seq)
}

/// Ops not yet acknowledged by a server, dead letters excluded.
pub fn pending_count(conn: &Connection) -> rusqlite::Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM outbox WHERE dead = 0")?
        .query_row([], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}
