//! `pending_captures`: raw captures as typed (or, later, spoken).

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
