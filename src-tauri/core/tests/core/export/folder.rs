//! The export folder: re-exporting, stale day files, and targets that cannot be written.

use super::{at, build_journal, database_dump, file_names, live_entries, plus_two};
use crate::common::fixture;
use jotline_core::export::{read_json, read_markdown};
use jotline_core::{CoreError, ErrorCode, ExportFormat, NewEntry};
use std::path::Path;

#[test]
fn re_export_removes_its_stale_day_file_and_leaves_other_files_alone() {
    let f = fixture();
    build_journal(&f);
    let dir = f.dir.path().join("export");
    f.core
        .export_journal_in(ExportFormat::Markdown, &dir, &plus_two())
        .unwrap();
    // The user's own files, one of them named like a day file.
    let theirs = [
        ("notes.md", "my notes\n"),
        ("2026-03-01.md", "# my own day file\n"),
        (
            "2026-03-02.md",
            "<!-- jotline:entry looks like ours, but is no day file -->\n",
        ),
        ("README.txt", "hello\n"),
        // A copy of one of ours under another name: ours by content, theirs by name.
        (
            "copy of 2026-03-13.md",
            "<!-- jotline:day {\"version\":1,\"date\":\"2026-03-13\"} -->\n# Friday\n",
        ),
    ];
    for (name, text) in theirs {
        std::fs::write(dir.join(name), text).unwrap();
    }
    // A day file of ours in a folder of its own name is not a file: left alone too.
    std::fs::create_dir(dir.join("2026-03-03.md")).unwrap();
    // Every entry of the 13th (local) goes away.
    for e in live_entries(&f) {
        let local = e.occurred_at.with_timezone(&plus_two()).date_naive();
        if local.to_string() == "2026-03-13" {
            f.core.delete_entry(e.id).unwrap();
        }
    }

    let summary = f
        .core
        .export_journal_in(ExportFormat::Markdown, &dir, &plus_two())
        .unwrap();

    assert_eq!(summary.files, 2);
    assert_eq!(
        file_names(&dir),
        [
            "2026-03-01.md",
            "2026-03-02.md",
            "2026-03-03.md",
            "2026-03-14.md",
            "2026-03-15.md",
            "README.txt",
            "copy of 2026-03-13.md",
            "notes.md"
        ]
    );
    for (name, text) in theirs {
        assert_eq!(std::fs::read_to_string(dir.join(name)).unwrap(), text);
    }
    let ids: Vec<_> = read_markdown(&dir).unwrap().iter().map(|e| e.id).collect();
    let live: Vec<_> = live_entries(&f).iter().map(|e| e.id).collect();
    assert_eq!(ids, live, "the user's files are not read as entries");
}

#[test]
fn re_export_overwrites_its_files_with_the_current_journal() {
    let f = fixture();
    let ids = f
        .core
        .import_entries(&[NewEntry {
            kind: "note".into(),
            title: None,
            body: "first version".into(),
            occurred_at: at(14, 10, 0),
        }])
        .unwrap();
    let dir = f.dir.path().join("export");
    f.core.export_journal(ExportFormat::Json, &dir).unwrap();
    f.core
        .export_journal_in(ExportFormat::Markdown, &dir, &plus_two())
        .unwrap();
    f.core
        .update_entry(
            ids[0],
            jotline_core::EntryPatch {
                body: Some("second version".into()),
                ..Default::default()
            },
        )
        .unwrap();
    f.core.export_journal(ExportFormat::Json, &dir).unwrap();
    f.core
        .export_journal_in(ExportFormat::Markdown, &dir, &plus_two())
        .unwrap();
    assert_eq!(read_json(&dir).unwrap()[0].body, "second version");
    assert_eq!(read_markdown(&dir).unwrap()[0].body, "second version");
    assert_eq!(
        file_names(&dir),
        ["2026-03-14.md", "jotline-journal.json"],
        "no temp files left"
    );
}

/// The export fails with a storage error naming `path`, and the journal is as it was.
fn assert_fails_naming(f: &crate::common::Fixture, format: ExportFormat, dir: &Path, path: &Path) {
    let before = database_dump(f);
    let live = live_entries(f);
    let err = f
        .core
        .export_journal_in(format, dir, &plus_two())
        .unwrap_err();
    assert!(matches!(err, CoreError::Io(_)), "{err:?}");
    assert_eq!(err.code(), ErrorCode::Storage);
    let shown = err.user_message();
    assert!(
        shown.contains(&path.display().to_string()),
        "{shown} should name {}",
        path.display()
    );
    assert_eq!(database_dump(f), before);
    assert_eq!(live_entries(f), live);
}

#[test]
fn a_folder_under_a_regular_file_cannot_be_written_and_the_error_names_it() {
    let f = fixture();
    build_journal(&f);
    let blocker = f.dir.path().join("blocker");
    std::fs::write(&blocker, "a file, not a folder").unwrap();
    let dir = blocker.join("export");
    for format in [ExportFormat::Json, ExportFormat::Markdown] {
        assert_fails_naming(&f, format, &dir, &dir);
        assert_fails_naming(&f, format, &blocker, &blocker);
    }
    assert_eq!(
        std::fs::read_to_string(&blocker).unwrap(),
        "a file, not a folder"
    );
}

#[test]
fn a_file_that_cannot_be_replaced_leaves_no_half_written_file() {
    let f = fixture();
    build_journal(&f);
    let dir = f.dir.path().join("export");
    // A folder where the export's file should go: the rename onto it fails.
    let json = dir.join("jotline-journal.json");
    std::fs::create_dir_all(&json).unwrap();
    assert_fails_naming(&f, ExportFormat::Json, &dir, &json);
    let day = dir.join("2026-03-14.md");
    std::fs::create_dir_all(&day).unwrap();
    assert_fails_naming(&f, ExportFormat::Markdown, &dir, &day);
    let names = file_names(&dir);
    assert!(
        names.iter().all(|n| !n.ends_with(".tmp")),
        "temp files removed: {names:?}"
    );
    assert!(
        std::fs::read_dir(&json).unwrap().next().is_none(),
        "the folder in the way is untouched"
    );
}

#[test]
fn the_data_folder_is_refused_as_a_target() {
    let f = fixture();
    build_journal(&f);
    let before = database_dump(&f);
    let data = f.core.data_dir().to_path_buf();
    let names = file_names(&data);
    for dir in [data.clone(), data.join("exports"), data.join("audio/../x")] {
        let err = f
            .core
            .export_journal(ExportFormat::Markdown, &dir)
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{dir:?}: {err:?}");
        assert!(err.user_message().contains("data folder"), "{err}");
    }
    assert_eq!(
        file_names(&data),
        names,
        "nothing created in the data folder"
    );
    assert_eq!(database_dump(&f), before);
}

#[test]
fn the_suggested_folder_is_dated_in_documents_or_else_home() {
    use jotline_core::export::folder::suggested_folder;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap();
    let docs = Some(std::path::PathBuf::from("/home/ann/Documents"));
    let home = Some(std::path::PathBuf::from("/home/ann"));
    assert_eq!(
        suggested_folder(docs, home.clone(), day).unwrap(),
        std::path::Path::new("/home/ann/Documents/Jotline export 2026-03-14")
    );
    assert_eq!(
        suggested_folder(None, home, day).unwrap(),
        std::path::Path::new("/home/ann/Jotline export 2026-03-14")
    );
    let err = suggested_folder(None, None, day).unwrap_err();
    assert_eq!(err.code(), jotline_core::ErrorCode::InvalidInput);
}

#[test]
fn a_typed_folder_must_be_a_full_path_and_tilde_means_home() {
    use jotline_core::export::folder::typed_folder;
    let home = std::path::Path::new("/home/ann");
    assert_eq!(
        typed_folder("  ~/out ", Some(home)).unwrap(),
        home.join("out")
    );
    assert_eq!(
        typed_folder("/tmp/x", None).unwrap(),
        std::path::Path::new("/tmp/x")
    );
    for bad in ["", "   ", "relative/dir", "~/no-home"] {
        let err = typed_folder(bad, None).unwrap_err();
        assert_eq!(err.code(), jotline_core::ErrorCode::InvalidInput, "{bad:?}");
    }
    let err = typed_folder("out", Some(home)).unwrap_err();
    assert!(
        err.user_message().contains("`out` is not a full path"),
        "{err}"
    );
}
