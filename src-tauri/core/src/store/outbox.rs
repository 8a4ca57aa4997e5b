//! `outbox`: local mutations queued for the server, written in the same transaction as the row.

use super::sync_meta;
use rusqlite::{params, Connection, OptionalExtension};

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

/// After this many failed requests an op is dead-lettered locally.
pub const MAX_ATTEMPTS: i64 = 8;

impl Op {
    pub fn parse(s: &str) -> Option<Op> {
        match s {
            "upsert" => Some(Op::Upsert),
            "delete" => Some(Op::Delete),
            _ => None,
        }
    }
}

/// One queued op as the sync client reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxOp {
    pub op_seq: i64,
    pub table_name: String,
    pub row_id: String,
    pub op: Op,
    pub changed_fields: Vec<String>,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
}

fn op_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxOp> {
    let op: String = r.get(3)?;
    let fields: String = r.get(4)?;
    let bad = |e: Box<dyn std::error::Error + Send + Sync>| {
        rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, e)
    };
    Ok(OutboxOp {
        op_seq: r.get(0)?,
        table_name: r.get(1)?,
        row_id: r.get(2)?,
        op: Op::parse(&op).ok_or_else(|| bad(format!("unknown op {op:?}").into()))?,
        changed_fields: serde_json::from_str(&fields).map_err(|e| bad(Box::new(e)))?,
        attempts: r.get(5)?,
        next_attempt_at: r.get(6)?,
    })
}

/// The first `limit` live (not dead) ops in op_seq order. Always a prefix of the queue: the
/// server drops any op at or below the last seq it saw, so an op must never be overtaken.
pub(crate) fn live_batch(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<OutboxOp>> {
    conn.prepare_cached(
        "SELECT op_seq, table_name, row_id, op, changed_fields, attempts, next_attempt_at
         FROM outbox WHERE dead = 0 ORDER BY op_seq LIMIT ?1",
    )?
    .query_map([limit], op_from_row)?
    .collect()
}

/// Removes an op the server applied (or had already applied).
pub(crate) fn delete_acked(conn: &Connection, op_seq: i64) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM outbox WHERE op_seq = ?1")?
        .execute([op_seq])?;
    Ok(n > 0)
}

/// Dead-letters an op with the reason (kept for the user to see, retry or discard).
pub(crate) fn mark_dead(conn: &Connection, op_seq: i64, reason: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached("UPDATE outbox SET dead = 1, last_error = ?2 WHERE op_seq = ?1")?
        .execute(params![op_seq, reason])?;
    Ok(n > 0)
}

/// Counts one failed request for each op; ops reaching [`MAX_ATTEMPTS`] go dead.
/// Returns the op_seqs that went dead.
pub(crate) fn record_failure(
    conn: &Connection,
    op_seqs: &[i64],
    error: &str,
    next_attempt_at: Option<i64>,
) -> rusqlite::Result<Vec<i64>> {
    let mut dead = Vec::new();
    let mut stmt = conn.prepare_cached(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3,
             dead = CASE WHEN attempts + 1 >= ?4 THEN 1 ELSE 0 END
         WHERE op_seq = ?1 AND dead = 0 RETURNING dead",
    )?;
    for &seq in op_seqs {
        let went_dead: Option<bool> = stmt
            .query_row(params![seq, error, next_attempt_at, MAX_ATTEMPTS], |r| {
                r.get(0)
            })
            .optional()?;
        if went_dead == Some(true) {
            dead.push(seq);
        }
    }
    Ok(dead)
}

/// What the pending (non-dead) ops of one row change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PendingFields {
    pub fields: std::collections::BTreeSet<String>,
    pub delete: bool,
}

impl PendingFields {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && !self.delete
    }

    pub fn protects(&self, field: &str) -> bool {
        self.fields.contains(field)
    }
}

pub(crate) fn pending_fields(
    conn: &Connection,
    table: &str,
    row_id: &str,
) -> rusqlite::Result<PendingFields> {
    let mut out = PendingFields::default();
    let mut stmt = conn.prepare_cached(
        "SELECT op, changed_fields FROM outbox
         WHERE table_name = ?1 AND row_id = ?2 AND dead = 0",
    )?;
    let rows = stmt.query_map([table, row_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (op, fields) = row?;
        if op == Op::Delete.as_str() {
            out.delete = true;
        }
        let fields: Vec<String> = serde_json::from_str(&fields)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        out.fields.extend(fields);
    }
    Ok(out)
}

/// A dead-lettered op, for the sync details view.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLetter {
    pub op: OutboxOp,
    pub last_error: Option<String>,
}

pub fn dead_letters(conn: &Connection) -> rusqlite::Result<Vec<DeadLetter>> {
    conn.prepare_cached(
        "SELECT op_seq, table_name, row_id, op, changed_fields, attempts, next_attempt_at,
                last_error
         FROM outbox WHERE dead = 1 ORDER BY op_seq",
    )?
    .query_map([], |r| {
        Ok(DeadLetter {
            op: op_from_row(r)?,
            last_error: r.get(7)?,
        })
    })?
    .collect()
}

/// Puts a dead op back in the queue under a NEW op_seq (the server has already seen, or
/// skipped past, the old one and would call it a duplicate). Returns the new op_seq.
pub(crate) fn requeue_dead(conn: &Connection, op_seq: i64) -> rusqlite::Result<Option<i64>> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT op_seq FROM outbox WHERE op_seq = ?1 AND dead = 1",
            [op_seq],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(None);
    }
    let seq = sync_meta::next_op_seq(conn)?;
    conn.execute(
        "UPDATE outbox SET op_seq = ?2, dead = 0, attempts = 0, next_attempt_at = NULL,
             last_error = NULL
         WHERE op_seq = ?1",
        params![op_seq, seq],
    )?;
    Ok(Some(seq))
}

/// Drops a dead op for good.
pub(crate) fn discard_dead(conn: &Connection, op_seq: i64) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "DELETE FROM outbox WHERE op_seq = ?1 AND dead = 1",
        [op_seq],
    )?;
    Ok(n > 0)
}
