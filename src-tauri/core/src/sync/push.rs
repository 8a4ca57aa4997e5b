//! Push: the live outbox as a `PushRequest`, and a response (or a failure) applied back.

use super::error::SyncError;
use super::protocol::{OpKind, OpStatus, PushOp, PushRequest, PushResponse};
use super::rows::{self, LOCAL_CAPTURES};
use crate::store::entries::{self, SyncedEntry};
use crate::store::outbox::{self, Op, OutboxOp};
use crate::store::{pending_captures, sync_meta};
use rusqlite::{Connection, Error};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// What a push response did to the outbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PushOutcome {
    /// Ops the server applied now, or had applied before (`duplicate`): removed.
    pub acknowledged: Vec<i64>,
    /// Ops refused for good, with the reason: dead-lettered.
    pub rejected: Vec<(i64, String)>,
    /// Sent ops the response did not mention: still queued.
    pub missing: Vec<i64>,
}

/// The next batch: a prefix of the live outbox in op_seq order, minus the ops held back behind
/// a dead op of their row (`None` when nothing is queued, or when the queue waits for its
/// `next_attempt_at` and `ignore_backoff` is off).
/// Ops that can no longer be sent (row gone, table not synced) are dead-lettered here, so
/// this must run in a write transaction.
pub(crate) fn build_request(
    conn: &Connection,
    now_ms: i64,
    limit: u32,
    ignore_backoff: bool,
) -> Result<Option<PushRequest>, SyncError> {
    let client_id = sync_meta::client_id(conn)?
        .ok_or_else(|| SyncError::Malformed("sync_meta has no client id".into()))?;
    let queued = outbox::sendable_batch(conn, limit)?;
    let Some(first) = queued.first() else {
        return Ok(None);
    };
    if !ignore_backoff && first.next_attempt_at.is_some_and(|at| at > now_ms) {
        return Ok(None);
    }
    let mut ops = Vec::with_capacity(queued.len());
    for q in &queued {
        match push_op(conn, q)? {
            Ok(op) => ops.push(op),
            Err(reason) => {
                tracing::warn!(op_seq = q.op_seq, %reason, "op cannot be pushed");
                outbox::mark_dead(conn, q.op_seq, &reason)?;
            }
        }
    }
    if ops.is_empty() {
        return Ok(None);
    }
    Ok(Some(PushRequest { client_id, ops }))
}

/// The op with the CURRENT values of its changed fields, or why it cannot be sent.
fn push_op(conn: &Connection, q: &OutboxOp) -> rusqlite::Result<Result<PushOp, String>> {
    let Some(table) = rows::protocol_table(&q.table_name) else {
        return Ok(Err(format!("table {} is not synced", q.table_name)));
    };
    let current = match q.table_name.as_str() {
        "entries" => {
            let entry = entries::get_for_sync(conn, &q.row_id)?;
            if let Some(refused) = entry.as_ref().and_then(|e| damaged_fields_sent(e, q)) {
                return Ok(Err(refused));
            }
            entry.map(|e| rows::entry_fields(&e))
        }
        LOCAL_CAPTURES => match pending_captures::get_for_sync(conn, &q.row_id) {
            Ok(capture) => capture.map(|c| rows::capture_fields(&c)),
            // One unreadable row (e.g. text that is not valid UTF-8) must not stop the push
            // of all the others: its op goes to the dead letters with the reason.
            Err(
                e @ (Error::Utf8Error(..)
                | Error::FromSqlConversionFailure(..)
                | Error::InvalidColumnType(..)),
            ) => {
                return Ok(Err(format!("the stored capture cannot be read: {e}")));
            }
            Err(e) => return Err(e),
        },
        _ => None,
    };
    let Some(current) = current else {
        return Ok(Err("the row no longer exists locally".into()));
    };
    let (op, wanted): (OpKind, Vec<&str>) = match q.op {
        Op::Delete => (OpKind::Delete, vec!["deleted_at"]),
        Op::Upsert => {
            let mut wanted: Vec<&str> = q.changed_fields.iter().map(String::as_str).collect();
            // An entry edit always moves updated_at, though the op lists only what the
            // user changed.
            if table == super::protocol::TABLE_ENTRIES && !wanted.contains(&"updated_at") {
                wanted.push("updated_at");
            }
            (OpKind::Upsert, wanted)
        }
    };
    let mut fields = Map::new();
    for name in wanted {
        match current.get(name) {
            Some(v) => {
                fields.insert(name.to_string(), v.clone());
            }
            None => tracing::warn!(op_seq = q.op_seq, field = name, "unknown field skipped"),
        }
    }
    if op == OpKind::Delete && fields.get("deleted_at").is_none_or(Value::is_null) {
        return Ok(Err("delete of a row that is not deleted locally".into()));
    }
    Ok(Ok(PushOp {
        op_seq: q.op_seq,
        table: table.to_string(),
        row_id: q.row_id.clone(),
        op,
        fields,
    }))
}

/// Why an upsert that would send damaged text (not valid UTF-8 locally) is refused.
/// Its lossy copy would overwrite the good text on the server and on every other device,
/// so the op is dead-lettered (visible in the sync panel) and the rest of the outbox goes
/// on. Once the user has edited the text, "Retry" sends the repaired value.
fn damaged_fields_sent(e: &SyncedEntry, q: &OutboxOp) -> Option<String> {
    if q.op != Op::Upsert {
        return None;
    }
    let sent: Vec<&str> = e
        .row
        .damaged
        .columns()
        .into_iter()
        .filter(|c| q.changed_fields.iter().any(|f| f == c))
        .collect();
    (!sent.is_empty()).then(|| {
        format!(
            "the entry's stored {} is damaged (not valid UTF-8); edit the entry to repair it, \
             then retry",
            sent.join(" and ")
        )
    })
}

/// Applied/duplicate → removed; rejected → dead with the reason; unmentioned → kept. An
/// applied entry op also tells the entry's server version (the push's stamp): the entry is
/// on the server from now on, and every device that pulls past it has it.
pub(crate) fn apply_response(
    conn: &Connection,
    sent: &PushRequest,
    resp: &PushResponse,
    now_ms: i64,
) -> rusqlite::Result<PushOutcome> {
    let sent_seqs: HashSet<i64> = sent.ops.iter().map(|o| o.op_seq).collect();
    let entry_rows: HashMap<i64, &str> = sent
        .ops
        .iter()
        .filter(|o| o.table == "entries")
        .map(|o| (o.op_seq, o.row_id.as_str()))
        .collect();
    let mut applied_entries: Vec<&str> = Vec::new();
    let mut seen = HashSet::new();
    let mut out = PushOutcome::default();
    for r in &resp.results {
        if !sent_seqs.contains(&r.op_seq) || !seen.insert(r.op_seq) {
            tracing::warn!(op_seq = r.op_seq, "push result for an op not sent; ignored");
            continue;
        }
        match r.status {
            OpStatus::Applied | OpStatus::Duplicate => {
                outbox::delete_acked(conn, r.op_seq)?;
                // A duplicate's stamp is an earlier push's: the next pull brings it.
                if r.status == OpStatus::Applied {
                    if let Some(id) = entry_rows.get(&r.op_seq) {
                        applied_entries.push(*id);
                    }
                }
                out.acknowledged.push(r.op_seq);
            }
            OpStatus::Rejected => {
                let reason = r
                    .reason
                    .clone()
                    .unwrap_or_else(|| "rejected by the server".to_string());
                outbox::mark_dead(conn, r.op_seq, &reason)?;
                out.rejected.push((r.op_seq, reason));
            }
        }
    }
    out.missing = sent
        .ops
        .iter()
        .map(|o| o.op_seq)
        .filter(|s| !seen.contains(s))
        .collect();
    // One statement for the batch: a bulk import acknowledges thousands at once.
    entries::set_server_versions(conn, &applied_entries, resp.version)?;
    sync_meta::set_last_push_at(conn, now_ms)?;
    Ok(out)
}

/// A failed request. Only a definitive refusal counts one attempt against every sent op (and
/// may dead-letter them); a transient failure only delays them ([`SyncError::is_transient`]).
/// Returns the ops that went dead.
pub(crate) fn record_failure(
    conn: &Connection,
    sent: &PushRequest,
    error: &SyncError,
    next_attempt_at: Option<i64>,
) -> rusqlite::Result<Vec<i64>> {
    let seqs: Vec<i64> = sent.ops.iter().map(|o| o.op_seq).collect();
    let message = error.to_string();
    if error.is_transient() {
        outbox::record_transient_failure(conn, &seqs, &message, next_attempt_at)?;
        return Ok(Vec::new());
    }
    outbox::record_refusal(conn, &seqs, &message, next_attempt_at)
}
