//! Whole-journal export (`src/export/`): a journal with the awkward cases, and what the
//! tests compare against: the journal as the core itself returns it.

mod damaged;
mod folder;
mod format;
mod json;
mod malformed;
mod markdown;
mod voice;

use crate::common::Fixture;
use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use jotline_core::export::ExportedEntry;
use jotline_core::{Entry, EntryPatch, NewEntry, Surface, TimelineCursor};
use rusqlite::types::Value;
use uuid::Uuid;

/// Local time two hours east of UTC: 23:30 UTC is 01:30 the next day.
pub fn plus_two() -> FixedOffset {
    FixedOffset::east_opt(2 * 3600).unwrap()
}

pub fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
}

/// Ids of the entries the tests single out.
pub struct Journal {
    pub deleted: Uuid,
    pub edited: Uuid,
    /// 23:30 UTC on the 14th: the 15th at +02:00.
    pub late: Uuid,
}

fn note(kind: &str, title: Option<&str>, body: &str, occurred_at: DateTime<Utc>) -> NewEntry {
    NewEntry {
        kind: kind.into(),
        title: title.map(Into::into),
        body: body.into(),
        occurred_at,
    }
}

/// Four UTC days (12th–15th; three days at +02:00), titles, tags, people, Markdown bodies
/// with headings, rules, blank lines, trailing spaces and newlines, CRLF, unicode, ties on
/// one instant, a deleted entry and an edited one.
pub fn build_journal(f: &Fixture) -> Journal {
    let ids = f
        .core
        .import_entries(&[
            note(
                "note",
                Some("Morning pages"),
                "Walked to the river with @Anna. #walk #river\n\n## What I saw\n\n- herons\n- a \
                 kayak\n\n---\n\nBack home.  \n",
                at(13, 7, 5) + Duration::milliseconds(120),
            ),
            note("task", None, "Call @bob about the #invoice", at(13, 21, 59)),
            note(
                "event",
                Some("Dîner chez Zoë 🍷 --> <b>"),
                "\n\nLeading blank lines, trailing ones\n\n\n",
                at(14, 0, 30),
            ),
            note(
                "note",
                Some("Late"),
                "# Not a day heading\n## 09:14 · not an entry\n<!-- a plain comment -->\n\\not \
                 escaped\n\ttab",
                at(14, 23, 30),
            ),
            note("note", Some("to delete"), "gone", at(14, 12, 0)),
            note("note", Some("to edit"), "first draft", at(13, 12, 0)),
            note(
                "note",
                Some("Line one\nline two"),
                "CRLF body\r\nsecond line\r\n",
                at(14, 12, 0),
            ),
            note("note", Some("tie"), "same instant", at(14, 12, 0)),
            note("note", None, "Just after midnight here", at(12, 22, 30)),
        ])
        .unwrap();
    f.core
        .capture_text("Captured now #idea 日本語", Surface::InApp)
        .unwrap();
    f.clock.advance(Duration::minutes(3));
    f.core.delete_entry(ids[4]).unwrap();
    f.core
        .update_entry(
            ids[5],
            EntryPatch {
                title: Some(Some("Edited".into())),
                body: Some("second draft\nwith @carol".into()),
                occurred_at: Some(at(15, 8, 0) + Duration::milliseconds(7)),
                ..EntryPatch::default()
            },
        )
        .unwrap();
    Journal {
        deleted: ids[4],
        edited: ids[5],
        late: ids[3],
    }
}

/// Every live entry as the core returns it, oldest first by (occurred_at, id).
pub fn live_entries(f: &Fixture) -> Vec<Entry> {
    let mut all = Vec::new();
    let mut cursor: Option<TimelineCursor> = None;
    loop {
        let page = f.core.timeline_page(cursor.as_ref(), 3).unwrap();
        all.extend(page.entries);
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    all.reverse();
    all
}

/// What a Markdown export carries of `e` (`audio`: the copy's path, when copied).
pub fn exported(e: &Entry, audio: Option<String>) -> ExportedEntry {
    ExportedEntry {
        id: e.id,
        kind: e.kind.clone(),
        title: e.title.clone(),
        body: e.body.clone(),
        occurred_at: e.occurred_at,
        audio,
    }
}

/// Every row of every table, to prove an export wrote nothing.
pub fn database_dump(f: &Fixture) -> Vec<String> {
    let db = f.db();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = db
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
            .or_else(|_| db.prepare(&format!("SELECT * FROM \"{table}\"")))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<Result<Vec<_>, _>>()
            })
            .unwrap();
        for row in rows {
            out.push(format!("{table}: {:?}", row.unwrap()));
        }
    }
    out
}

/// Names of the files directly in `dir`, sorted.
pub fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
