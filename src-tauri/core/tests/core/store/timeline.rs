use crate::common::{fixture, t0};
use chrono::Duration;
use jotline_core::{NewEntry, Surface, TimelineCursor};
use std::collections::HashSet;

#[test]
fn newest_first_and_empty_journal() {
    let f = fixture();
    let empty = f.core.timeline_page(None, 10).unwrap();
    assert!(empty.entries.is_empty() && empty.next.is_none());
    let a = f.core.capture_text("a", Surface::InApp).unwrap().entry;
    f.clock.advance(Duration::seconds(1));
    let b = f.core.capture_text("b", Surface::InApp).unwrap().entry;
    let page = f.core.timeline_page(None, 10).unwrap();
    assert_eq!(page.entries, vec![b, a]);
    assert_eq!(page.next, None);
}

#[test]
fn paging_with_equal_timestamps_has_no_duplicates_and_no_gaps() {
    let f = fixture();
    // 7 entries at one instant, 5 at another, 3 at a third: pages of 4 cut through the ties.
    let mut items = Vec::new();
    for (count, offset) in [(7, 0), (5, -1), (3, -2)] {
        for i in 0..count {
            items.push(NewEntry {
                kind: "note".into(),
                title: None,
                body: format!("entry {offset} {i}"),
                occurred_at: t0() + Duration::hours(offset),
            });
        }
    }
    // And two captured "now" (same clock reading).
    let mut all: HashSet<_> = f.core.import_entries(&items).unwrap().into_iter().collect();
    all.insert(
        f.core
            .capture_text("now 1", Surface::InApp)
            .unwrap()
            .entry
            .id,
    );
    all.insert(
        f.core
            .capture_text("now 2", Surface::InApp)
            .unwrap()
            .entry
            .id,
    );

    let mut seen = Vec::new();
    let mut cursor: Option<TimelineCursor> = None;
    let mut pages = 0;
    loop {
        let page = f.core.timeline_page(cursor.as_ref(), 4).unwrap();
        assert!(page.entries.len() <= 4);
        seen.extend(page.entries.iter().cloned());
        pages += 1;
        match page.next {
            Some(next) => {
                assert_eq!(page.entries.len(), 4);
                cursor = Some(next)
            }
            None => break,
        }
    }
    assert_eq!(pages, 5, "17 entries in pages of 4");
    let ids: Vec<_> = seen.iter().map(|e| e.id).collect();
    assert_eq!(ids.iter().copied().collect::<HashSet<_>>(), all, "no gaps");
    assert_eq!(ids.len(), all.len(), "no duplicates");
    for w in seen.windows(2) {
        assert!((w[0].occurred_at, w[0].id.to_string()) > (w[1].occurred_at, w[1].id.to_string()));
    }
}

#[test]
fn exact_page_size_has_no_next() {
    let f = fixture();
    for i in 0..3 {
        f.core
            .capture_text(&format!("{i}"), Surface::InApp)
            .unwrap();
    }
    let page = f.core.timeline_page(None, 3).unwrap();
    assert_eq!(page.entries.len(), 3);
    assert!(page.next.is_none());
}
