//! Text capture: one transaction writes the raw capture, the entry and both outbox ops.

use crate::error::CoreError;
use crate::store::entries::{self, EntryRow, ENTRY_FIELDS};
use crate::store::outbox::{self, Op};
use crate::store::pending_captures::{self, ReadyTextCapture, CAPTURE_FIELDS};
use crate::types::{CaptureSaved, Surface};
use rusqlite::{Connection, TransactionBehavior};
use uuid::Uuid;

/// Largest text a capture (or an entry body) may hold, in UTF-8 bytes.
pub const MAX_CAPTURE_BYTES: usize = 1024 * 1024;

/// Rejects what must not be written: blank text, oversized text.
pub fn validate(text: &str) -> Result<(), CoreError> {
    if text.len() > MAX_CAPTURE_BYTES {
        return Err(CoreError::TooLarge {
            size: text.len(),
            limit: MAX_CAPTURE_BYTES,
        });
    }
    if text.trim().is_empty() {
        return Err(CoreError::EmptyCapture);
    }
    Ok(())
}

/// Commits the capture; with `synchronous=FULL` it is on disk when this returns.
/// The text is stored exactly as typed (no trimming).
pub(crate) fn commit(
    conn: &mut Connection,
    text: &str,
    surface: Surface,
    now_ms: i64,
) -> Result<CaptureSaved, CoreError> {
    validate(text)?;
    let capture_id = Uuid::now_v7();
    let row = EntryRow {
        id: Uuid::now_v7(),
        kind: "note".to_string(),
        title: None,
        body: text.to_string(),
        occurred_at: now_ms,
        created_at: now_ms,
        updated_at: now_ms,
        damaged: Default::default(),
    };
    let entry_id = row.id.to_string();
    let capture_key = capture_id.to_string();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    entries::insert(&tx, &row)?;
    pending_captures::insert_ready_text(
        &tx,
        &ReadyTextCapture {
            id: &capture_key,
            created_at_ms: now_ms,
            surface,
            text,
            entry_id: &entry_id,
        },
    )?;
    outbox::record(&tx, "entries", &entry_id, Op::Upsert, ENTRY_FIELDS, now_ms)?;
    outbox::record(
        &tx,
        "pending_captures",
        &capture_key,
        Op::Upsert,
        CAPTURE_FIELDS,
        now_ms,
    )?;
    tx.commit()?;
    tracing::debug!(capture = %capture_id, entry = %entry_id, bytes = text.len(), "capture committed");
    Ok(CaptureSaved {
        capture_id,
        entry: row.into_entry(),
    })
}
