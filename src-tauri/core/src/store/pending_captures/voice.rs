//! The voice side of `pending_captures`: rows with a WAV on this computer (`audio_file`) and
//! their way from `pending` to `ready`.

use crate::types::{CaptureStatus, Surface, VoiceMemo};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};
use std::collections::HashMap;
use std::path::Path;
use uuid::Uuid;

/// Columns a voice capture sends to the server when it is created.
pub const VOICE_CAPTURE_FIELDS: &[&str] = &[
    "created_at",
    "surface",
    "audio_duration_ms",
    "parse_status",
    "context",
    "entry_id",
];

pub(crate) fn status_str(status: CaptureStatus) -> &'static str {
    match status {
        CaptureStatus::Pending => "pending",
        CaptureStatus::Uploading => "uploading",
        CaptureStatus::Parsing => "parsing",
        CaptureStatus::Ready => "ready",
        CaptureStatus::Error => "error",
    }
}

pub(crate) fn parse_status(s: &str) -> CaptureStatus {
    match s {
        "uploading" => CaptureStatus::Uploading,
        "parsing" => CaptureStatus::Parsing,
        "ready" => CaptureStatus::Ready,
        "error" => CaptureStatus::Error,
        _ => CaptureStatus::Pending,
    }
}

pub(crate) struct NewVoiceCapture<'a> {
    pub id: &'a str,
    pub created_at_ms: i64,
    pub surface: Surface,
    pub audio_file: &'a str,
    pub duration_ms: i64,
    pub entry_id: &'a str,
    pub recovered: bool,
    /// JSON, synced (`{"recovered": true}` for a rescued recording).
    pub context: Option<&'a str>,
}

pub(crate) fn insert(conn: &Connection, c: &NewVoiceCapture<'_>) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO pending_captures (id, created_at, surface, audio_file, audio_duration_ms,
             parse_status, entry_id, recovered, context)
         VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?8)",
    )?
    .execute(params![
        c.id,
        c.created_at_ms,
        super::surface_str(c.surface),
        c.audio_file,
        c.duration_ms,
        c.entry_id,
        c.recovered,
        c.context
    ])?;
    Ok(())
}

/// Every audio file name a capture row refers to (finished recordings).
pub(crate) fn audio_files(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached("SELECT audio_file FROM pending_captures WHERE audio_file IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect()
}

/// A recorded capture the processor still has work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceWork {
    pub capture_id: Uuid,
    pub entry_id: Option<Uuid>,
    pub audio_file: String,
    pub status: CaptureStatus,
    /// Already in the backend's Storage (object path).
    pub audio_path: Option<String>,
    pub retry_count: u32,
    pub last_attempt_at: Option<i64>,
}

fn uuid_col(r: &Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    let s: String = r.get(i)?;
    Uuid::parse_str(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Recorded captures not yet `ready` (nor failed for good, nor deleted), oldest first.
pub(crate) fn unfinished(conn: &Connection) -> rusqlite::Result<Vec<VoiceWork>> {
    conn.prepare_cached(
        "SELECT id, entry_id, audio_file, parse_status, audio_path, retry_count, last_attempt_at
         FROM pending_captures
         WHERE audio_file IS NOT NULL AND deleted_at IS NULL
           AND parse_status IN ('pending', 'uploading', 'parsing')
         ORDER BY created_at, id",
    )?
    .query_map([], |r| {
        let entry: Option<String> = r.get(1)?;
        let status: String = r.get(3)?;
        Ok(VoiceWork {
            capture_id: uuid_col(r, 0)?,
            entry_id: entry.and_then(|s| Uuid::parse_str(&s).ok()),
            audio_file: r.get(2)?,
            status: parse_status(&status),
            audio_path: r.get(4)?,
            retry_count: r.get(5)?,
            last_attempt_at: r.get(6)?,
        })
    })?
    .collect()
}

/// Sets the status (a local step; no outbox op) without touching the error; false when it
/// already was that.
pub(crate) fn set_status(
    conn: &Connection,
    id: &str,
    status: CaptureStatus,
) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE pending_captures SET parse_status = ?2 WHERE id = ?1 AND parse_status <> ?2",
        )?
        .execute(params![id, status_str(status)])?;
    Ok(n == 1)
}

/// Records a failed attempt: the error, one more retry, when it happened, and the status
/// the capture falls back to (`error` when it failed for good).
pub(crate) fn record_failure(
    conn: &Connection,
    id: &str,
    status: CaptureStatus,
    error: &str,
    counts: bool,
    now_ms: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE pending_captures
         SET parse_status = ?2, error = ?3, last_attempt_at = ?4,
             retry_count = retry_count + ?5
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        status_str(status),
        error,
        now_ms,
        i64::from(counts)
    ])?;
    Ok(())
}

/// A failed capture back to `pending` (its audio already in Storage stays there).
pub(crate) fn reset_for_retry(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE pending_captures
             SET parse_status = CASE WHEN audio_path IS NULL THEN 'pending' ELSE 'parsing' END,
                 retry_count = 0, last_attempt_at = NULL
             WHERE id = ?1 AND parse_status = 'error' AND deleted_at IS NULL",
        )?
        .execute([id])?;
    Ok(n == 1)
}

pub(crate) fn set_uploaded(conn: &Connection, id: &str, object_path: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE pending_captures
         SET audio_path = ?2, parse_status = 'parsing', error = NULL, retry_count = 0
         WHERE id = ?1",
    )?
    .execute(params![id, object_path])?;
    Ok(())
}

pub(crate) fn set_transcript(conn: &Connection, id: &str, text: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE pending_captures
         SET text = ?2, parse_status = 'ready', error = NULL
         WHERE id = ?1",
    )?
    .execute(params![id, text])?;
    Ok(())
}

/// The voice memos of `entry_ids` (one query per page of entries).
pub(crate) fn memos_of(
    conn: &Connection,
    entry_ids: &[String],
    audio_dir: &Path,
) -> rusqlite::Result<HashMap<String, VoiceMemo>> {
    let mut out = HashMap::new();
    if entry_ids.is_empty() {
        return Ok(out);
    }
    let marks = vec!["?"; entry_ids.len()].join(", ");
    let sql = format!(
        "SELECT entry_id, id, parse_status, error, retry_count, audio_duration_ms, recovered,
                audio_file
         FROM pending_captures INDEXED BY pending_captures_entry
         WHERE entry_id IN ({marks}) AND deleted_at IS NULL
           AND (audio_file IS NOT NULL OR audio_path IS NOT NULL)"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(entry_ids.iter()), |r| {
        let status: String = r.get(2)?;
        let file: Option<String> = r.get(7)?;
        Ok((
            r.get::<_, String>(0)?,
            VoiceMemo {
                capture_id: uuid_col(r, 1)?,
                status: parse_status(&status),
                error: r.get(3)?,
                retry_count: r.get(4)?,
                duration_ms: r.get(5)?,
                recovered: r.get(6)?,
                audio_file: file
                    .map(|f| audio_dir.join(f))
                    .filter(|p| p.exists())
                    .map(|p| p.to_string_lossy().into_owned()),
            },
        ))
    })?;
    for row in rows {
        let (entry, memo) = row?;
        out.insert(entry, memo);
    }
    Ok(out)
}

/// The entry a capture became, if any.
pub(crate) fn entry_of(conn: &Connection, capture_id: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT entry_id FROM pending_captures WHERE id = ?1")?
        .query_row([capture_id], |r| r.get(0))
        .optional()
        .map(Option::flatten)
}

/// Tombstones the voice captures of a deleted entry (the processor stops working on them);
/// returns their ids. The WAV stays on disk.
pub(crate) fn tombstone_of_entry(
    conn: &Connection,
    entry_id: &str,
    now_ms: i64,
) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(
        "UPDATE pending_captures SET deleted_at = ?2
         WHERE entry_id = ?1 AND deleted_at IS NULL
           AND (audio_file IS NOT NULL OR audio_path IS NOT NULL)
         RETURNING id",
    )?
    .query_map(params![entry_id, now_ms], |r| r.get(0))?
    .collect()
}
