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

/// Ops still queued to be sent (dead letters are counted by [`dead_count`]).
pub fn pending_count(conn: &Connection) -> rusqlite::Result<u64> {
    count(conn, "SELECT count(*) FROM outbox WHERE dead = 0")
}

/// Dead-lettered ops: not on the server either, waiting for the user to retry or discard.
pub fn dead_count(conn: &Connection) -> rusqlite::Result<u64> {
    count(conn, "SELECT count(*) FROM outbox WHERE dead = 1")
}

/// The last failure of each op, in order.
pub fn last_errors(conn: &Connection, ops: &[OutboxOp]) -> rusqlite::Result<Vec<Option<String>>> {
    let mut stmt = conn.prepare_cached("SELECT last_error FROM outbox WHERE op_seq = ?1")?;
    ops.iter()
        .map(|op| stmt.query_row([op.op_seq], |r| r.get(0)))
        .collect()
}

/// Every op not on the server: queued and dead-lettered.
pub fn total_count(conn: &Connection) -> rusqlite::Result<u64> {
    count(conn, "SELECT count(*) FROM outbox")
}

fn count(conn: &Connection, sql: &str) -> rusqlite::Result<u64> {
    let n: i64 = conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// After this many refused requests an op is dead-lettered locally. Transient failures
/// (network, 5xx...) never count: see `SyncError::is_transient`.
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

/// Like [`live_batch`], minus the ops held back behind a dead op of the same row: a row's
/// ops must reach the server in order (an edit that overtakes its row's create is refused for
/// good), so they wait until the dead op is retried or discarded, which renumbers them after
/// it ([`move_row_to_end`]), since the server has meanwhile seen higher op_seqs.
pub(crate) fn sendable_batch(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<OutboxOp>> {
    conn.prepare_cached(
        "SELECT o.op_seq, o.table_name, o.row_id, o.op, o.changed_fields, o.attempts,
                o.next_attempt_at
         FROM outbox o
         WHERE o.dead = 0 AND NOT EXISTS (
             SELECT 1 FROM outbox d
             WHERE d.dead = 1 AND d.table_name = o.table_name AND d.row_id = o.row_id
               AND d.op_seq < o.op_seq)
         ORDER BY o.op_seq LIMIT ?1",
    )?
    .query_map([limit], op_from_row)?
    .collect()
}

/// Moves the ops of one row from `from_seq` on (dead or not) to fresh op_seqs at the end of
/// the queue, keeping their order, so a retried or discarded dead op and the ops it held back
/// still reach the server in the order they were written (and above every op_seq the server
/// has seen). Returns the new op_seq of the op that was at `from_seq`, if any.
fn move_row_to_end(
    conn: &Connection,
    table: &str,
    row_id: &str,
    from_seq: i64,
) -> rusqlite::Result<Option<i64>> {
    let chain: Vec<i64> = conn
        .prepare_cached(
            "SELECT op_seq FROM outbox
             WHERE table_name = ?1 AND row_id = ?2 AND op_seq >= ?3
             ORDER BY op_seq",
        )?
        .query_map(params![table, row_id, from_seq], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut first = None;
    for old in chain {
        let seq = sync_meta::next_op_seq(conn)?;
        conn.prepare_cached("UPDATE outbox SET op_seq = ?2 WHERE op_seq = ?1")?
            .execute(params![old, seq])?;
        if old == from_seq {
            first = Some(seq);
        }
    }
    Ok(first)
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

/// Counts one refused request for each op; ops reaching [`MAX_ATTEMPTS`] go dead.
/// Returns the op_seqs that went dead.
pub(crate) fn record_refusal(
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

/// A request that failed for reasons of its own (network, 5xx...): the ops wait until
/// `next_attempt_at` and show the error, but no attempt is counted, so none goes dead.
pub(crate) fn record_transient_failure(
    conn: &Connection,
    op_seqs: &[i64],
    error: &str,
    next_attempt_at: Option<i64>,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE outbox SET last_error = ?2, next_attempt_at = ?3 WHERE op_seq = ?1 AND dead = 0",
    )?;
    for &seq in op_seqs {
        stmt.execute(params![seq, error, next_attempt_at])?;
    }
    Ok(())
}

/// What the unsynced ops of one row (pending or dead-lettered) change.
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
    // Dead ops count too: until the user retries or discards one, its change is still
    // the local value the user sees, and a pull must not silently replace it.
    let mut stmt = conn.prepare_cached(
        "SELECT op, changed_fields FROM outbox WHERE table_name = ?1 AND row_id = ?2",
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

/// `(table_name, row_id)` of a dead op.
fn dead_row(conn: &Connection, op_seq: i64) -> rusqlite::Result<Option<(String, String)>> {
    conn.query_row(
        "SELECT table_name, row_id FROM outbox WHERE op_seq = ?1 AND dead = 1",
        [op_seq],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()
}

/// Puts a dead op back in the queue under a NEW op_seq (the server has already seen, or
/// skipped past, the old one and would call it a duplicate), followed by the later ops of its
/// row in their order ([`move_row_to_end`]). Returns the new op_seq. Run in a transaction.
pub(crate) fn requeue_dead(conn: &Connection, op_seq: i64) -> rusqlite::Result<Option<i64>> {
    let Some((table, row_id)) = dead_row(conn, op_seq)? else {
        return Ok(None);
    };
    conn.execute(
        "UPDATE outbox SET dead = 0, attempts = 0, next_attempt_at = NULL, last_error = NULL
         WHERE op_seq = ?1",
        [op_seq],
    )?;
    move_row_to_end(conn, &table, &row_id, op_seq)
}

/// Requeues every dead op ([`requeue_dead`]), lowest op_seq first, so rows go back to the
/// queue in the order they first failed. Returns how many were requeued. Run in a transaction.
pub(crate) fn requeue_all_dead(conn: &Connection) -> rusqlite::Result<u64> {
    let mut requeued = 0;
    // One at a time: each requeue renumbers the later ops of its row, dead ones included.
    while let Some(seq) = conn
        .prepare_cached("SELECT min(op_seq) FROM outbox WHERE dead = 1")?
        .query_row([], |r| r.get::<_, Option<i64>>(0))?
    {
        requeue_dead(conn, seq)?;
        requeued += 1;
    }
    Ok(requeued)
}

/// Drops a dead op for good; the later ops of its row move to the end of the queue in order.
pub(crate) fn discard_dead(conn: &Connection, op_seq: i64) -> rusqlite::Result<bool> {
    let Some((table, row_id)) = dead_row(conn, op_seq)? else {
        return Ok(false);
    };
    conn.execute(
        "DELETE FROM outbox WHERE op_seq = ?1 AND dead = 1",
        [op_seq],
    )?;
    move_row_to_end(conn, &table, &row_id, op_seq)?;
    Ok(true)
}
