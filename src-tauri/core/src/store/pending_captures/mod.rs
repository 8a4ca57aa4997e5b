//! `pending_captures`: raw captures as typed (or, later, spoken).

pub mod voice;

use crate::types::Surface;
use rusqlite::{params, Connection};

/// Columns a newly created capture sends to the server.
pub const CAPTURE_FIELDS: &[&str] = &[
    "created_at",
    "surface",
    "text",
    "audio_path",
    "audio_duration_ms",
    "parse_status",
    "context",
    "entry_id",
];

pub fn surface_str(surface: Surface) -> &'static str {
    match surface {
        Surface::DesktopHotkey => "desktop_hotkey",
        Surface::InApp => "in_app",
        Surface::Cli => "cli",
    }
}

/// A text capture that has already become the entry `entry_id`.
pub(crate) struct ReadyTextCapture<'a> {
    pub id: &'a str,
    pub created_at_ms: i64,
    pub surface: Surface,
    pub text: &'a str,
    pub entry_id: &'a str,
}

pub(crate) fn insert_ready_text(
    conn: &Connection,
    c: &ReadyTextCapture<'_>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO pending_captures (id, created_at, surface, text, parse_status, entry_id)
         VALUES (?1, ?2, ?3, ?4, 'ready', ?5)",
    )?
    .execute(params![
        c.id,
        c.created_at_ms,
        surface_str(c.surface),
        c.text,
        c.entry_id
    ])?;
    Ok(())
}

/// The synced columns of a capture (local-only bookkeeping left out), plus its sync state.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyncedCapture {
    pub id: String,
    pub created_at: i64,
    pub surface: String,
    pub text: Option<String>,
    pub audio_path: Option<String>,
    pub audio_duration_ms: Option<i64>,
    pub parse_status: String,
    pub error: Option<String>,
    pub context: Option<String>,
    pub entry_id: Option<String>,
    /// Tombstone: set once, never cleared (delete wins).
    pub deleted_at: Option<i64>,
    pub server_version: Option<i64>,
}

pub(crate) fn get_for_sync(conn: &Connection, id: &str) -> rusqlite::Result<Option<SyncedCapture>> {
    use rusqlite::OptionalExtension;
    conn.prepare_cached(
        "SELECT id, created_at, surface, text, audio_path, audio_duration_ms, parse_status,
                context, entry_id, server_version, error, deleted_at
         FROM pending_captures WHERE id = ?1",
    )?
    .query_row([id], |r| {
        Ok(SyncedCapture {
            id: r.get(0)?,
            created_at: r.get(1)?,
            surface: r.get(2)?,
            text: r.get(3)?,
            audio_path: r.get(4)?,
            audio_duration_ms: r.get(5)?,
            parse_status: r.get(6)?,
            context: r.get(7)?,
            entry_id: r.get(8)?,
            server_version: r.get(9)?,
            error: r.get(10)?,
            deleted_at: r.get(11)?,
        })
    })
    .optional()
}

/// Inserts or overwrites the synced columns of a pulled capture.
pub(crate) fn upsert_remote(conn: &Connection, c: &SyncedCapture) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO pending_captures (id, created_at, surface, text, audio_path,
             audio_duration_ms, parse_status, context, entry_id, server_version, error,
             deleted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET created_at = excluded.created_at,
             surface = excluded.surface, text = excluded.text, audio_path = excluded.audio_path,
             audio_duration_ms = excluded.audio_duration_ms,
             parse_status = excluded.parse_status, context = excluded.context,
             entry_id = excluded.entry_id, server_version = excluded.server_version,
             error = excluded.error, deleted_at = excluded.deleted_at",
    )?
    .execute(params![
        c.id,
        c.created_at,
        c.surface,
        c.text,
        c.audio_path,
        c.audio_duration_ms,
        c.parse_status,
        c.context,
        c.entry_id,
        c.server_version,
        c.error,
        c.deleted_at
    ])?;
    Ok(())
}

/// True when an entry with this id exists locally (live or tombstoned).
pub(crate) fn entry_exists(conn: &Connection, entry_id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM entries WHERE id = ?1)")?
        .query_row([entry_id], |r| r.get(0))
}
