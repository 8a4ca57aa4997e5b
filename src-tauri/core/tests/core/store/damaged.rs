//! A row whose stored text is not valid UTF-8 (integrity_check passes): every read still
//! works, the row comes back lossily decoded and flagged, and the others are untouched.

use crate::common::{fixture, Fixture};
use chrono::Duration;
use jotline_core::{EntryPatch, Surface};
use uuid::Uuid;

/// "Hell", a byte that is never UTF-8, "o world".
const DAMAGED_BODY: &[u8] = b"Hell\xffo world";
const LOSSY_BODY: &str = "Hell\u{FFFD}o world";

/// Three notes, the middle one with a damaged body. Returns (older, damaged, newer).
fn journal_with_a_damaged_body(f: &Fixture) -> (Uuid, Uuid, Uuid) {
    let mut ids = Vec::new();
    for text in ["older note", "soon to be damaged", "newer note"] {
        ids.push(f.core.capture_text(text, Surface::InApp).unwrap().entry.id);
        f.clock.advance(Duration::seconds(1));
    }
    f.write_raw_text(ids[1], "body", DAMAGED_BODY);
    (ids[0], ids[1], ids[2])
}

#[test]
fn the_timeline_returns_every_entry_with_the_damaged_one_lossy_and_flagged() {
    let f = fixture();
    let (older, damaged, newer) = journal_with_a_damaged_body(&f);
    let page = f.core.timeline_page(None, 10).unwrap();
    let ids: Vec<Uuid> = page.entries.iter().map(|e| e.id).collect();
    assert_eq!(ids, vec![newer, damaged, older]);
    let bad = &page.entries[1];
    assert_eq!(bad.body, LOSSY_BODY);
    assert!(bad.damaged);
    assert!(!page.entries[0].damaged && !page.entries[2].damaged);
    assert_eq!(page.entries[0].body, "newer note");
    // Paging through the damaged row works too.
    let first = f.core.timeline_page(None, 1).unwrap();
    let second = f.core.timeline_page(first.next.as_ref(), 1).unwrap();
    assert_eq!(second.entries[0].id, damaged);
    assert_eq!(f.core.get_entry(damaged).unwrap().body, LOSSY_BODY);
}

#[test]
fn search_finds_the_healthy_entries_and_the_damaged_one() {
    let f = fixture();
    let (older, damaged, newer) = journal_with_a_damaged_body(&f);
    let notes: Vec<Uuid> = f
        .core
        .search("note", 10)
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(notes, vec![newer, older]);
    let hits = f.core.search("world", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].id, hits[0].damaged), (damaged, true));
    assert_eq!(hits[0].body, LOSSY_BODY);
}

#[test]
fn a_damaged_title_is_read_lossily_and_flagged() {
    let f = fixture();
    let id = f
        .core
        .capture_text("body is fine", Surface::InApp)
        .unwrap()
        .entry
        .id;
    f.write_raw_text(id, "title", b"Caf\xe9");
    let entry = f.core.get_entry(id).unwrap();
    assert_eq!(entry.title.as_deref(), Some("Caf\u{FFFD}"));
    assert_eq!(entry.body, "body is fine");
    assert!(entry.damaged);
}

#[test]
fn an_edit_that_leaves_the_damaged_text_alone_keeps_its_stored_bytes() {
    let f = fixture();
    let (_, damaged, _) = journal_with_a_damaged_body(&f);
    let edited = f
        .core
        .update_entry(
            damaged,
            EntryPatch {
                title: Some(Some("A title".into())),
                // The editor sending back the text it was shown changes nothing.
                body: Some(LOSSY_BODY.into()),
                ..EntryPatch::default()
            },
        )
        .unwrap();
    assert_eq!(edited.title.as_deref(), Some("A title"));
    assert!(edited.damaged, "the body is still the damaged one");
    assert_eq!(f.raw_text(damaged, "body"), DAMAGED_BODY);
}

#[test]
fn editing_the_damaged_text_repairs_the_entry() {
    let f = fixture();
    let (_, damaged, _) = journal_with_a_damaged_body(&f);
    let edited = f
        .core
        .update_entry(
            damaged,
            EntryPatch {
                body: Some("Hello world".into()),
                ..EntryPatch::default()
            },
        )
        .unwrap();
    assert!(!edited.damaged);
    assert_eq!(f.raw_text(damaged, "body"), b"Hello world");
    assert!(!f.core.get_entry(damaged).unwrap().damaged);
}
