//! An entry whose stored text is not valid UTF-8 is left out of an export and reported; the
//! healthy entries are all written.

use super::{build_journal, exported, live_entries, plus_two};
use crate::common::{fixture, Fixture};
use jotline_core::export::{read_json, read_markdown};
use jotline_core::{Entry, ExportFormat};
use uuid::Uuid;

/// The test journal with one entry's body damaged; returns it and the healthy entries.
fn journal_with_a_damaged_entry(f: &Fixture) -> (Uuid, Vec<Entry>) {
    let journal = build_journal(f);
    f.write_raw_text(journal.late, "body", b"Caf\xe9 \xff\xfe end");
    let (damaged, healthy): (Vec<Entry>, Vec<Entry>) =
        live_entries(f).into_iter().partition(|e| e.damaged);
    assert_eq!(damaged.len(), 1);
    assert_eq!(damaged[0].id, journal.late);
    (journal.late, healthy)
}

#[test]
fn json_export_writes_every_healthy_entry_and_reports_the_damaged_one() {
    let f = fixture();
    let (damaged, healthy) = journal_with_a_damaged_entry(&f);
    let dir = f.dir.path().join("export");

    let summary = f.core.export_journal(ExportFormat::Json, &dir).unwrap();

    assert_eq!(summary.skipped_damaged, vec![damaged]);
    assert_eq!(summary.entries as usize, healthy.len());
    assert_eq!(summary.files, 1);
    assert_eq!(read_json(&dir).unwrap(), healthy);
}

#[test]
fn markdown_export_writes_every_healthy_entry_and_reports_the_damaged_one() {
    let f = fixture();
    let (damaged, healthy) = journal_with_a_damaged_entry(&f);
    let dir = f.dir.path().join("export");

    let summary = f
        .core
        .export_journal_in(ExportFormat::Markdown, &dir, &plus_two())
        .unwrap();

    assert_eq!(summary.skipped_damaged, vec![damaged]);
    assert_eq!(summary.entries as usize, healthy.len());
    let expected: Vec<_> = healthy.iter().map(|e| exported(e, None)).collect();
    assert_eq!(read_markdown(&dir).unwrap(), expected);
}

#[test]
fn a_healthy_journal_skips_nothing() {
    let f = fixture();
    build_journal(&f);
    let dir = f.dir.path().join("export");
    let summary = f.core.export_journal(ExportFormat::Json, &dir).unwrap();
    assert!(summary.skipped_damaged.is_empty());
}

#[test]
fn a_json_export_from_before_the_damaged_flag_reads_back_as_healthy() {
    let f = fixture();
    build_journal(&f);
    let dir = f.dir.path().join("export");
    f.core.export_journal(ExportFormat::Json, &dir).unwrap();
    let file = dir.join(jotline_core::export::JSON_FILE);
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    for entry in doc["entries"].as_array_mut().unwrap() {
        entry.as_object_mut().unwrap().remove("damaged").unwrap();
    }
    std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
    assert_eq!(read_json(&dir).unwrap(), live_entries(&f));
}
