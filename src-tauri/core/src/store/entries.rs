//! `entries` and its derived tables (`entry_tags`, `entry_people`; FTS kept by triggers).

use super::damaged_text::{self, lossy_text, DamagedText};
use super::{from_ms, to_ms};
use crate::parse::mentions::{self, Mentions};
use crate::types::{Entry, TimelineCursor};
use rusqlite::{params, Connection, OptionalExtension, Row};
use uuid::Uuid;

/// Columns a newly created entry sends to the server.
pub const ENTRY_FIELDS: &[&str] = &[
    "kind",
    "title",
    "body",
    "occurred_at",
    "created_at",
    "updated_at",
];

pub(crate) const SELECT_COLUMNS: &str =
    "e.id, e.kind, e.title, e.body, e.occurred_at, e.created_at, e.updated_at";

/// An entry as stored (times in ms).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EntryRow {
    pub id: Uuid,
    pub kind: String,
    pub title: Option<String>,
    pub body: String,
    pub occurred_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Text columns read lossily because their stored bytes are not valid UTF-8.
    pub damaged: DamagedText,
}

impl EntryRow {
    pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let id: String = row.get(0)?;
        let id = Uuid::parse_str(&id).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })?;
        // Lossy, so one damaged row cannot fail the timeline, search or an export.
        let (kind, kind_damaged) = lossy_text(row, 1)?;
        let (title, title_damaged) = lossy_text(row, 2)?;
        let (body, body_damaged) = lossy_text(row, 3)?;
        Ok(Self {
            id,
            kind: kind.unwrap_or_default(),
            title,
            body: body.unwrap_or_default(),
            occurred_at: row.get(4)?,
            created_at: row.get(5)?,
            updated_at: row.get(6)?,
            damaged: DamagedText {
                kind: kind_damaged,
                title: title_damaged,
                body: body_damaged,
            },
        })
    }

    pub(crate) fn mentions(&self) -> Mentions {
        mentions::parse_entry(self.title.as_deref(), &self.body)
    }

    /// The UI's view; tags and people are re-derived from the text (the tables hold the same).
    pub(crate) fn into_entry(self) -> Entry {
        let Mentions { tags, people } = self.mentions();
        Entry {
            id: self.id,
            kind: self.kind,
            title: self.title,
            body: self.body,
            occurred_at: from_ms(self.occurred_at),
            created_at: from_ms(self.created_at),
            updated_at: from_ms(self.updated_at),
            tags,
            people,
            voice: None,
            damaged: self.damaged.any(),
            delivery: None,
        }
    }
}

pub(crate) fn insert(conn: &Connection, e: &EntryRow) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO entries (id, kind, title, body, occurred_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        e.id.to_string(),
        e.kind,
        e.title,
        e.body,
        e.occurred_at,
        e.created_at,
        e.updated_at
    ])?;
    write_mentions(conn, &e.id.to_string(), &e.mentions())
}

/// Replaces the derived tag/person rows of an entry.
pub(crate) fn write_mentions(conn: &Connection, id: &str, m: &Mentions) -> rusqlite::Result<()> {
    clear_mentions(conn, id)?;
    let mut tag = conn.prepare_cached("INSERT INTO entry_tags (entry_id, tag) VALUES (?1, ?2)")?;
    for t in &m.tags {
        tag.execute(params![id, t])?;
    }
    let mut person =
        conn.prepare_cached("INSERT INTO entry_people (entry_id, person) VALUES (?1, ?2)")?;
    for p in &m.people {
        person.execute(params![id, p])?;
    }
    Ok(())
}

fn clear_mentions(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM entry_tags WHERE entry_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM entry_people WHERE entry_id = ?1")?
        .execute([id])?;
    Ok(())
}

/// A live (not tombstoned) entry.
pub(crate) fn get_live(conn: &Connection, id: Uuid) -> rusqlite::Result<Option<EntryRow>> {
    conn.prepare_cached(&format!(
        "SELECT {SELECT_COLUMNS} FROM entries e WHERE e.id = ?1 AND e.deleted_at IS NULL"
    ))?
    .query_row([id.to_string()], EntryRow::from_row)
    .optional()
}

/// Writes every content column of `e` (the caller decides what changed).
pub(crate) fn update(conn: &Connection, e: &EntryRow, text_changed: bool) -> rusqlite::Result<()> {
    let id = e.id.to_string();
    let keep = keep_stored(conn, e)?;
    conn.prepare_cached(
        "UPDATE entries SET kind = CASE WHEN ?7 THEN kind ELSE ?2 END,
             title = CASE WHEN ?8 THEN title ELSE ?3 END,
             body = CASE WHEN ?9 THEN body ELSE ?4 END, occurred_at = ?5, updated_at = ?6
         WHERE id = ?1 AND deleted_at IS NULL",
    )?
    .execute(params![
        id,
        e.kind,
        e.title,
        e.body,
        e.occurred_at,
        e.updated_at,
        keep.kind,
        keep.title,
        keep.body
    ])?;
    if text_changed {
        write_mentions(conn, &id, &e.mentions())?;
    }
    Ok(())
}

/// Damaged columns of `e` that still hold only their lossy copy keep their stored bytes.
fn keep_stored(conn: &Connection, e: &EntryRow) -> rusqlite::Result<damaged_text::KeepStored> {
    damaged_text::keep_stored(conn, e.id, e.damaged, &e.kind, e.title.as_deref(), &e.body)
}

/// Marks an entry deleted (kept as a tombstone for sync); returns false if it was not live.
pub(crate) fn tombstone(conn: &Connection, id: Uuid, now_ms: i64) -> rusqlite::Result<bool> {
    let id = id.to_string();
    let n = conn
        .prepare_cached(
            "UPDATE entries SET deleted_at = ?2, updated_at = ?2
             WHERE id = ?1 AND deleted_at IS NULL",
        )?
        .execute(params![id, now_ms])?;
    if n > 0 {
        clear_mentions(conn, &id)?;
    }
    Ok(n > 0)
}

/// Live entries, newest first by (occurred_at, id), strictly before `before`.
pub(crate) fn timeline(
    conn: &Connection,
    before: Option<&TimelineCursor>,
    limit: u32,
) -> rusqlite::Result<Vec<EntryRow>> {
    match before {
        None => conn
            .prepare_cached(&format!(
                "SELECT {SELECT_COLUMNS} FROM entries e INDEXED BY entries_timeline
                 WHERE e.deleted_at IS NULL
                 ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?1"
            ))?
            .query_map([limit], EntryRow::from_row)?
            .collect(),
        Some(c) => conn
            .prepare_cached(&format!(
                "SELECT {SELECT_COLUMNS} FROM entries e INDEXED BY entries_timeline
                 WHERE e.deleted_at IS NULL AND (e.occurred_at, e.id) < (?1, ?2)
                 ORDER BY e.occurred_at DESC, e.id DESC LIMIT ?3"
            ))?
            .query_map(
                params![to_ms(c.occurred_at), c.id.to_string(), limit],
                EntryRow::from_row,
            )?
            .collect(),
    }
}

/// Every live entry, oldest first by (occurred_at, id), in one query (for exports).
pub(crate) fn all_live(conn: &Connection) -> rusqlite::Result<Vec<EntryRow>> {
    conn.prepare_cached(&format!(
        "SELECT {SELECT_COLUMNS} FROM entries e INDEXED BY entries_timeline
         WHERE e.deleted_at IS NULL
         ORDER BY e.occurred_at, e.id"
    ))?
    .query_map([], EntryRow::from_row)?
    .collect()
}

/// Number of live entries.
/// Ids of the entries not deleted.
pub(crate) fn live_ids(conn: &Connection) -> rusqlite::Result<Vec<Uuid>> {
    conn.prepare_cached("SELECT id FROM entries WHERE deleted_at IS NULL")?
        .query_map([], |r| r.get::<_, String>(0))?
        .filter_map(|r| r.map(|s| Uuid::parse_str(&s).ok()).transpose())
        .collect()
}

pub(crate) fn count_live(conn: &Connection) -> rusqlite::Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM entries WHERE deleted_at IS NULL")?
        .query_row([], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// An entry with its sync state, whether live or tombstoned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SyncedEntry {
    pub row: EntryRow,
    pub deleted_at: Option<i64>,
    pub server_version: Option<i64>,
}

pub(crate) fn get_for_sync(conn: &Connection, id: &str) -> rusqlite::Result<Option<SyncedEntry>> {
    conn.prepare_cached(&format!(
        "SELECT {SELECT_COLUMNS}, e.deleted_at, e.server_version FROM entries e WHERE e.id = ?1"
    ))?
    .query_row([id], |r| {
        Ok(SyncedEntry {
            row: EntryRow::from_row(r)?,
            deleted_at: r.get(7)?,
            server_version: r.get(8)?,
        })
    })
    .optional()
}

/// Inserts a row pulled from the server (tags/people derived unless it is a tombstone).
pub(crate) fn insert_remote(conn: &Connection, e: &SyncedEntry) -> rusqlite::Result<()> {
    let r = &e.row;
    conn.prepare_cached(
        "INSERT INTO entries (id, kind, title, body, occurred_at, created_at, updated_at,
                              deleted_at, server_version)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        r.id.to_string(),
        r.kind,
        r.title,
        r.body,
        r.occurred_at,
        r.created_at,
        r.updated_at,
        e.deleted_at,
        e.server_version
    ])?;
    if e.deleted_at.is_none() {
        write_mentions(conn, &r.id.to_string(), &r.mentions())?;
    }
    Ok(())
}

/// Overwrites every column with a merged pulled row; keeps tags/people in step.
pub(crate) fn write_remote(conn: &Connection, e: &SyncedEntry) -> rusqlite::Result<()> {
    let r = &e.row;
    let id = r.id.to_string();
    let keep = keep_stored(conn, r)?;
    conn.prepare_cached(
        "UPDATE entries SET kind = CASE WHEN ?10 THEN kind ELSE ?2 END,
             title = CASE WHEN ?11 THEN title ELSE ?3 END,
             body = CASE WHEN ?12 THEN body ELSE ?4 END, occurred_at = ?5, created_at = ?6,
             updated_at = ?7, deleted_at = ?8, server_version = ?9
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        r.kind,
        r.title,
        r.body,
        r.occurred_at,
        r.created_at,
        r.updated_at,
        e.deleted_at,
        e.server_version,
        keep.kind,
        keep.title,
        keep.body
    ])?;
    if e.deleted_at.is_none() {
        write_mentions(conn, &id, &r.mentions())
    } else {
        clear_mentions(conn, &id)
    }
}

/// Records the server version alone (the row's content already matched).
/// [`set_server_version`] for many entries in one statement.
pub(crate) fn set_server_versions(conn: &Connection, ids: &[&str], v: i64) -> rusqlite::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let ids = serde_json::to_string(ids)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
    conn.prepare_cached(
        "UPDATE entries SET server_version = max(coalesce(server_version, 0), ?2)
         WHERE id IN (SELECT value FROM json_each(?1))",
    )?
    .execute(params![ids, v])?;
    Ok(())
}

/// The entry's version on the server, if it is known to be there.
pub(crate) fn server_version(conn: &Connection, id: &str) -> rusqlite::Result<Option<i64>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT server_version FROM entries WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

pub(crate) fn set_server_version(conn: &Connection, id: &str, v: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE entries SET server_version = max(coalesce(server_version, 0), ?2) WHERE id = ?1",
    )?
    .execute(params![id, v])?;
    Ok(())
}
