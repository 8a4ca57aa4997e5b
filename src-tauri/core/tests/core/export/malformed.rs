//! Readers on input that is not a (current) Jotline export: a clear error naming the file,
//! never a panic.

use super::{at, plus_two};
use crate::common::fixture;
use jotline_core::export::{read_json, read_markdown};
use jotline_core::{CoreError, ExportFormat, NewEntry};
use std::path::Path;

fn io_error_naming(err: CoreError, path: &Path) {
    assert!(matches!(err, CoreError::Io(_)), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}

fn invalid_input_naming(err: &CoreError, path: &Path, words: &str) {
    let msg = err.to_string();
    assert!(matches!(err, CoreError::InvalidInput(_)), "{err:?}");
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains(words), "{msg} should say {words}");
}

#[test]
fn read_json_reports_missing_broken_foreign_and_newer_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("jotline-journal.json");
    io_error_naming(read_json(dir.path()).unwrap_err(), &file);

    for (text, words) in [
        ("{ not json", "not a Jotline JSON export"),
        ("[]", "not a Jotline JSON export"),
        (
            r#"{"app":"other","version":1,"entries":[]}"#,
            "not written by Jotline",
        ),
        (
            r#"{"app":"jotline","version":2,"entries":[]}"#,
            "newer Jotline",
        ),
        (
            r#"{"app":"jotline","version":1,"entries":[{"id":"nope"}]}"#,
            "not a Jotline JSON export",
        ),
    ] {
        std::fs::write(&file, text).unwrap();
        invalid_input_naming(&read_json(&file).unwrap_err(), &file, words);
    }
}

#[test]
fn read_markdown_reports_broken_day_files_with_the_line() {
    let f = fixture();
    f.core
        .import_entries(&[NewEntry {
            kind: "note".into(),
            title: None,
            body: "a body".into(),
            occurred_at: at(14, 10, 0),
        }])
        .unwrap();
    let dir = f.dir.path().join("export");
    f.core
        .export_journal_in(ExportFormat::Markdown, &dir, &plus_two())
        .unwrap();
    let path = dir.join("2026-03-14.md");
    let good = std::fs::read_to_string(&path).unwrap();
    assert_eq!(read_markdown(&dir).unwrap().len(), 1);

    let cases = [
        (
            good.replace("\n<!-- jotline:end -->\n", "\n"),
            "line 5",
            "no `<!-- jotline:end -->` line",
        ),
        (
            good.replace("\"id\":\"", "\"id\":\"x"),
            "line 5",
            "bad marker data",
        ),
        (
            good.replace("a body", "<!-- jotline:end"),
            "line 7",
            "unescaped marker",
        ),
        (
            good.replace("\"version\":1", "\"version\":9"),
            "line 1",
            "newer Jotline",
        ),
        (
            good.replace("2026-03-14T", "yesterday "),
            "line 5",
            "bad occurredAt",
        ),
        (good.replace(" -->\n# ", "\n# "), "line 1", "expected a"),
        (
            good.replace("# Saturday", "<!-- jotline:end -->"),
            "line 2",
            "outside an entry",
        ),
    ];
    for (text, line, words) in cases {
        std::fs::write(&path, &text).unwrap();
        let err = read_markdown(&dir).unwrap_err();
        invalid_input_naming(&err, &path, words);
        let msg = err.to_string();
        assert!(
            msg.contains(&format!("{} {line} ", path.display())),
            "{msg}\n{text}"
        );
    }
}

#[test]
fn read_markdown_of_a_missing_folder_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    io_error_naming(read_markdown(&missing).unwrap_err(), &missing);
}
