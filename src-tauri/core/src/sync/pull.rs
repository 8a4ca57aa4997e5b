//! Pull: one page of server rows merged into the local tables with its cursor, atomically.

use super::error::SyncError;
use super::protocol::{PullResponse, TABLE_CAPTURES, TABLE_ENTRIES};
use super::rows::{RemoteRow, LOCAL_CAPTURES};
use crate::store::outbox::{self, PendingFields};
use crate::store::{entries, pending_captures, sync_meta, sync_parked};
use rusqlite::Connection;
use serde_json::Value;
use uuid::Uuid;

/// What applying one page changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullApplied {
    /// Entries whose local content changed (inserted, edited or deleted), in page order.
    pub changed_entries: Vec<Uuid>,
    /// Captures inserted or changed.
    pub changed_captures: usize,
    /// Captures waiting for their entry (it is on a later page).
    pub parked: usize,
    /// The server asked for a full resync: the cursor was reset, nothing else changed.
    pub must_resync: bool,
}

/// Applies `page` inside the caller's transaction and stores its cursor there too.
pub(crate) fn apply_page(
    conn: &Connection,
    page: &PullResponse,
    now_ms: i64,
) -> Result<PullApplied, SyncError> {
    let mut out = PullApplied::default();
    if page.must_resync {
        sync_meta::reset_cursor(conn)?;
        out.must_resync = true;
        return Ok(out);
    }
    // Entries first: a capture in the same page may refer to one.
    for change in page.changes.iter().filter(|c| c.table == TABLE_ENTRIES) {
        let row = RemoteRow::parse(TABLE_ENTRIES, &change.row).map_err(SyncError::Malformed)?;
        if let Some(id) = apply_entry(conn, &row)? {
            out.changed_entries.push(id);
        }
    }
    for change in page.changes.iter().filter(|c| c.table == TABLE_CAPTURES) {
        let row = RemoteRow::parse(TABLE_CAPTURES, &change.row).map_err(SyncError::Malformed)?;
        match apply_capture(conn, &row, &change.row)? {
            CaptureApplied::Changed => out.changed_captures += 1,
            CaptureApplied::Unchanged => {}
            CaptureApplied::Parked => {}
        }
    }
    for change in &page.changes {
        if change.table != TABLE_ENTRIES && change.table != TABLE_CAPTURES {
            tracing::warn!(table = %change.table, "pulled row of an unknown table skipped");
        }
    }
    out.changed_captures += retry_parked(conn)?;
    out.parked = sync_parked::count(conn)?;
    if let Some(cursor) = &page.next_cursor {
        sync_meta::set_cursor(conn, Some(cursor), now_ms)?;
    }
    Ok(out)
}

/// Fields the pull must not overwrite: those of pending ops (and an entry's `updated_at`,
/// which every pushed entry edit carries).
fn keeper(pending: &PendingFields, entry: bool) -> impl Fn(&str) -> bool + '_ {
    move |f: &str| pending.protects(f) || (entry && f == "updated_at" && !pending.is_empty())
}

/// Returns the id when the local entry changed.
fn apply_entry(conn: &Connection, row: &RemoteRow<'_>) -> Result<Option<Uuid>, SyncError> {
    let local = entries::get_for_sync(conn, &row.id)?;
    let pending = outbox::pending_fields(conn, "entries", &row.id)?;
    let keep = keeper(&pending, true);
    let merged = row
        .merge_entry(local.as_ref(), &keep)
        .map_err(SyncError::Malformed)?;
    match &local {
        None => entries::insert_remote(conn, &merged)?,
        Some(l) if l.row != merged.row || l.deleted_at != merged.deleted_at => {
            entries::write_remote(conn, &merged)?;
            if l.deleted_at.is_some() {
                // Fields changed on a row that stays deleted: nothing the user can see.
                return Ok(None);
            }
        }
        Some(l) => {
            if l.server_version != merged.server_version {
                entries::set_server_version(conn, &row.id, row.version)?;
            }
            return Ok(None);
        }
    }
    Ok(Some(merged.row.id))
}

enum CaptureApplied {
    Changed,
    Unchanged,
    Parked,
}

fn apply_capture(
    conn: &Connection,
    row: &RemoteRow<'_>,
    raw: &Value,
) -> Result<CaptureApplied, SyncError> {
    let local = pending_captures::get_for_sync(conn, &row.id)?;
    let pending = outbox::pending_fields(conn, LOCAL_CAPTURES, &row.id)?;
    let keep = keeper(&pending, false);
    let merged = row
        .merge_capture(local.as_ref(), &keep)
        .map_err(SyncError::Malformed)?;
    if let Some(entry_id) = &merged.entry_id {
        if !pending_captures::entry_exists(conn, entry_id)? {
            sync_parked::park(conn, TABLE_CAPTURES, &row.id, &raw.to_string())?;
            return Ok(CaptureApplied::Parked);
        }
    }
    // A newer version supersedes a parked older one.
    sync_parked::unpark(conn, TABLE_CAPTURES, &row.id)?;
    if local.as_ref() == Some(&merged) {
        return Ok(CaptureApplied::Unchanged);
    }
    pending_captures::upsert_remote(conn, &merged)?;
    Ok(CaptureApplied::Changed)
}

/// Applies parked captures whose entry has arrived; returns how many changed.
fn retry_parked(conn: &Connection) -> Result<usize, SyncError> {
    let parked = sync_parked::rows(conn, TABLE_CAPTURES)?;
    let mut changed = 0;
    for json in parked {
        let raw: Value = serde_json::from_str(&json)
            .map_err(|e| SyncError::Malformed(format!("parked row unreadable: {e}")))?;
        let row = RemoteRow::parse(TABLE_CAPTURES, &raw).map_err(SyncError::Malformed)?;
        if let CaptureApplied::Changed = apply_capture(conn, &row, &raw)? {
            changed += 1;
        }
    }
    Ok(changed)
}
