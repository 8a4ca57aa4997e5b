use super::{at, build_journal, database_dump, exported, file_names, live_entries, plus_two};
use crate::common::fixture;
use chrono::{Duration, FixedOffset, Utc};
use jotline_core::export::{read_markdown, ExportedEntry};
use jotline_core::{ExportFormat, NewEntry};

#[test]
fn markdown_round_trip_keeps_ids_kinds_titles_bodies_and_times() {
    let f = fixture();
    let journal = build_journal(&f);
    let expected: Vec<ExportedEntry> = live_entries(&f).iter().map(|e| exported(e, None)).collect();
    let before = database_dump(&f);
    let dir = f.dir.path().join("export");

    let summary = f
        .core
        .export_journal_in(ExportFormat::Markdown, &dir, &plus_two())
        .unwrap();

    assert_eq!(summary.format, ExportFormat::Markdown);
    assert_eq!((summary.entries, summary.files), (9, 3));
    assert_eq!(read_markdown(&dir).unwrap(), expected);
    assert!(expected.iter().all(|e| e.id != journal.deleted));
    assert_eq!(
        database_dump(&f),
        before,
        "an export writes nothing to the journal"
    );
}

#[test]
fn one_file_per_local_day_in_the_given_time_zone() {
    let f = fixture();
    let journal = build_journal(&f);
    let east = f.dir.path().join("east");
    let utc = f.dir.path().join("utc");
    f.core
        .export_journal_in(ExportFormat::Markdown, &east, &plus_two())
        .unwrap();
    f.core
        .export_journal_in(ExportFormat::Markdown, &utc, &Utc)
        .unwrap();

    assert_eq!(
        file_names(&east),
        ["2026-03-13.md", "2026-03-14.md", "2026-03-15.md"]
    );
    assert_eq!(
        file_names(&utc),
        [
            "2026-03-12.md",
            "2026-03-13.md",
            "2026-03-14.md",
            "2026-03-15.md"
        ]
    );
    // 23:30 UTC on the 14th is 01:30 on the 15th at +02:00.
    let id = journal.late.to_string();
    let sunday = std::fs::read_to_string(east.join("2026-03-15.md")).unwrap();
    assert!(sunday.starts_with(
        "<!-- jotline:day {\"version\":1,\"date\":\"2026-03-15\"} -->\n# Sunday, 15 March 2026\n"
    ));
    assert!(sunday.contains(&format!(
        "## 01:30 · Late\n<!-- jotline:entry {{\"id\":\"{id}\""
    )));
    assert!(!std::fs::read_to_string(east.join("2026-03-14.md"))
        .unwrap()
        .contains(&id));
    assert!(std::fs::read_to_string(utc.join("2026-03-14.md"))
        .unwrap()
        .contains(&format!(
            "## 23:30 · Late\n<!-- jotline:entry {{\"id\":\"{id}\""
        )));
    // Each day's entries are in time order: reading the files in name order is the timeline.
    let read: Vec<_> = read_markdown(&utc).unwrap().iter().map(|e| e.id).collect();
    let live: Vec<_> = live_entries(&f).iter().map(|e| e.id).collect();
    assert_eq!(read, live);
}

#[test]
fn a_day_file_reads_well_as_plain_text() {
    let f = fixture();
    let ids = f
        .core
        .import_entries(&[
            NewEntry {
                kind: "note".into(),
                title: Some("Morning pages".into()),
                body: "Walked to the river.\n".into(),
                occurred_at: at(14, 8, 14) + Duration::milliseconds(3_120),
            },
            NewEntry {
                kind: "task".into(),
                title: None,
                body: "Buy milk".into(),
                occurred_at: at(14, 17, 2),
            },
        ])
        .unwrap();
    let dir = f.dir.path().join("export");
    let one_hour_east = FixedOffset::east_opt(3600).unwrap();
    f.core
        .export_journal_in(ExportFormat::Markdown, &dir, &one_hour_east)
        .unwrap();
    let (a, b) = (ids[0], ids[1]);
    assert_eq!(
        std::fs::read_to_string(dir.join("2026-03-14.md")).unwrap(),
        format!(
            r#"<!-- jotline:day {{"version":1,"date":"2026-03-14"}} -->
# Saturday, 14 March 2026

## 09:14 · Morning pages
<!-- jotline:entry {{"id":"{a}","kind":"note","occurredAt":"2026-03-14T08:14:03.120Z","title":"Morning pages"}} -->

Walked to the river.

<!-- jotline:end -->

## 18:02
<!-- jotline:entry {{"id":"{b}","kind":"task","occurredAt":"2026-03-14T17:02:00.000Z","title":null}} -->

Buy milk
<!-- jotline:end -->
"#
        )
    );
}

#[test]
fn a_body_holding_marker_lines_survives_the_round_trip() {
    let f = fixture();
    let tricky = [
        "<!-- jotline:end -->",
        "<!-- jotline:entry {\"id\":\"00000000-0000-0000-0000-000000000000\",\"kind\":\"note\",\
         \"occurredAt\":\"2026-03-14T00:00:00.000Z\",\"title\":null} -->",
        "\\<!-- jotline:end -->",
        "\\\\<!-- jotline:day {\"version\":1,\"date\":\"2026-03-14\"} -->",
        "<!-- jotline:",
        "",
        "<!-- jotline:end -->",
        "",
    ]
    .join("\n");
    f.core
        .import_entries(&[
            NewEntry {
                kind: "note".into(),
                title: Some("a --> b <!-- jotline:end -->".into()),
                body: tricky.clone(),
                occurred_at: at(14, 10, 0),
            },
            NewEntry {
                kind: "note".into(),
                title: Some("after".into()),
                body: "the next entry".into(),
                occurred_at: at(14, 11, 0),
            },
        ])
        .unwrap();
    let dir = f.dir.path().join("export");
    f.core
        .export_journal_in(ExportFormat::Markdown, &dir, &Utc)
        .unwrap();

    let read = read_markdown(&dir).unwrap();
    let expected: Vec<_> = live_entries(&f).iter().map(|e| exported(e, None)).collect();
    assert_eq!(read, expected);
    assert_eq!(read[0].body, tricky);
    let raw = std::fs::read_to_string(dir.join("2026-03-14.md")).unwrap();
    assert!(
        raw.contains("\n\\<!-- jotline:end -->\n\\<!-- jotline:entry "),
        "{raw}"
    );
    assert!(
        raw.contains("\n\\\\<!-- jotline:end -->\n\\\\\\<!-- jotline:day "),
        "{raw}"
    );
    assert_eq!(
        raw.lines()
            .filter(|l| l.starts_with("<!-- jotline:end"))
            .count(),
        2,
        "only the real end markers are unescaped"
    );
    assert!(
        raw.contains("\n## 10:00 · a --> b &lt;!-- jotline:end -->\n"),
        "the heading cannot open a comment: {raw}"
    );
    for marker in raw.lines().filter(|l| l.starts_with("<!-- jotline:")) {
        assert_eq!(
            marker.matches("-->").count(),
            1,
            "a title cannot close its comment early: {marker}"
        );
    }
}
