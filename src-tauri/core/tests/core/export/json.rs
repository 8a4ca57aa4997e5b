use super::{build_journal, database_dump, live_entries, plus_two};
use crate::common::{fixture, t0};
use jotline_core::export::{read_json, JSON_FILE};
use jotline_core::ExportFormat;

#[test]
fn json_round_trip_gives_back_exactly_the_live_entries() {
    let f = fixture();
    let journal = build_journal(&f);
    let expected = live_entries(&f);
    assert_eq!(expected.len(), 9, "ten entries, one deleted");
    let before = database_dump(&f);
    let mut events = f.core.subscribe();
    let dir = f.dir.path().join("export");

    let summary = f.core.export_journal(ExportFormat::Json, &dir).unwrap();

    assert_eq!(summary.entries, 9);
    assert_eq!(summary.files, 1);
    assert_eq!(summary.format, ExportFormat::Json);
    assert_eq!(summary.dir, dir.display().to_string());
    let read = read_json(&dir).unwrap();
    assert_eq!(read, expected);
    assert_eq!(read_json(&dir.join(JSON_FILE)).unwrap(), expected);
    assert!(read.iter().all(|e| e.id != journal.deleted));
    let edited = read.iter().find(|e| e.id == journal.edited).unwrap();
    assert_eq!(edited, &f.core.get_entry(journal.edited).unwrap());
    assert_eq!(edited.title.as_deref(), Some("Edited"));
    assert_eq!(edited.people, vec!["carol".to_string()]);
    assert_eq!(
        database_dump(&f),
        before,
        "an export writes nothing to the journal"
    );
    assert!(events.try_recv().is_err(), "and announces no change");
}

#[test]
fn json_file_has_the_documented_envelope_and_order() {
    let f = fixture();
    build_journal(&f);
    let dir = f.dir.path().join("export");
    f.core.export_journal(ExportFormat::Json, &dir).unwrap();
    let raw = std::fs::read_to_string(dir.join("jotline-journal.json")).unwrap();
    assert!(
        raw.starts_with("{\n  \"app\": \"jotline\",\n  \"version\": 1,\n"),
        "{raw}"
    );
    assert!(raw.ends_with("}\n"));
    let doc: serde_json::Value = serde_json::from_str(&raw).unwrap();
    // The core's clock, not the wall clock: three minutes after t0 (see build_journal).
    let exported_at =
        (t0() + chrono::Duration::minutes(3)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    assert_eq!(doc["exportedAt"], exported_at.as_str());
    let entries = doc["entries"].as_array().unwrap();
    let keys: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["occurredAt"].as_str().unwrap().to_string(),
                e["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "sorted by occurredAt, then id");
    assert!(entries[0].get("createdAt").is_some() && entries[0].get("tags").is_some());
}

#[test]
fn the_time_zone_does_not_change_the_json_export() {
    let f = fixture();
    build_journal(&f);
    let a = f.dir.path().join("a");
    let b = f.dir.path().join("b");
    f.core.export_journal(ExportFormat::Json, &a).unwrap();
    f.core
        .export_journal_in(ExportFormat::Json, &b, &plus_two())
        .unwrap();
    assert_eq!(
        std::fs::read(a.join(JSON_FILE)).unwrap(),
        std::fs::read(b.join(JSON_FILE)).unwrap()
    );
}

#[test]
fn an_empty_journal_exports_an_empty_list() {
    let f = fixture();
    let dir = f.dir.path().join("export");
    let summary = f.core.export_journal(ExportFormat::Json, &dir).unwrap();
    assert_eq!((summary.entries, summary.files), (0, 1));
    assert_eq!(read_json(&dir).unwrap(), vec![]);
}
