use crate::common::fixture;
use chrono::Utc;
use jotline_core::{Core, CoreConfig, CoreError, ErrorCode, ManualClock, SCHEMA_VERSION};
use rusqlite::Connection;
use std::path::Path;
use std::sync::Arc;

fn open_dir(dir: &Path) -> Result<Core, CoreError> {
    Core::open(CoreConfig {
        data_dir: dir.to_path_buf(),
        clock: Arc::new(ManualClock::new(Utc::now())),
    })
}

#[test]
fn fresh_database_is_fully_migrated_with_wal_and_fk() {
    let f = fixture();
    let db = f.db();
    let v: i64 = db
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    let mode: String = db
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    for table in [
        "entries",
        "entry_tags",
        "entry_people",
        "entries_fts",
        "pending_captures",
        "outbox",
        "sync_meta",
    ] {
        let n: i64 = db
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "{table} missing");
    }
    assert_eq!(f.count("SELECT count(*) FROM sync_meta"), 1);
}

#[test]
fn reopening_is_idempotent_and_keeps_data_and_client_id() {
    let f = fixture();
    f.core
        .capture_text("kept", jotline_core::Surface::InApp)
        .unwrap();
    let client: String = f
        .db()
        .query_row("SELECT client_id FROM sync_meta", [], |r| r.get(0))
        .unwrap();
    let again = f.reopen();
    let third = f.reopen();
    assert_eq!(third.status().unwrap().entry_count, 1);
    assert_eq!(
        again.timeline_page(None, 10).unwrap().entries[0].body,
        "kept"
    );
    let client2: String = f
        .db()
        .query_row("SELECT client_id FROM sync_meta", [], |r| r.get(0))
        .unwrap();
    assert_eq!(client, client2);
    assert_eq!(f.count("SELECT count(*) FROM sync_meta"), 1);
}

#[test]
fn newer_schema_is_refused_and_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jotline.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = open_dir(dir.path()).err().expect("must refuse");
    match &err {
        CoreError::DatabaseTooNew {
            path: p,
            found,
            supported,
        } => {
            assert_eq!(p, &path);
            assert_eq!(*found, 99);
            assert_eq!(*supported, SCHEMA_VERSION);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(err.code(), ErrorCode::DatabaseTooNew);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn garbage_file_is_corrupt_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jotline.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 + 3) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let err = open_dir(dir.path()).err().expect("must refuse");
    assert!(
        matches!(&err, CoreError::DatabaseCorrupt { path: p, .. } if p == &path),
        "{err:?}"
    );
    assert_eq!(err.code(), ErrorCode::DatabaseCorrupt);
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("jotline.db")],
        "no file renamed or added"
    );
}

#[test]
fn damaged_page_is_reported_as_corrupt() {
    let f = fixture();
    for i in 0..300 {
        f.core
            .capture_text(
                &format!("note {i} {}", "x".repeat(500)),
                jotline_core::Surface::InApp,
            )
            .unwrap();
    }
    let path = f.core.database_path().to_path_buf();
    drop(f.core);
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
            .unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    let page = 4096;
    assert!(bytes.len() > 20 * page);
    // Scribble over a few b-tree pages (not page 1, so the header still parses).
    for b in &mut bytes[10 * page..14 * page] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = open_dir(path.parent().unwrap()).err().expect("must refuse");
    assert_eq!(err.code(), ErrorCode::DatabaseCorrupt, "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn database_locked_by_another_connection_is_reported() {
    let f = fixture();
    let path = f.core.database_path().to_path_buf();
    drop(f.core);
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = std::time::Instant::now();
    let err = open_dir(path.parent().unwrap()).err().expect("must refuse");
    assert!(
        matches!(&err, CoreError::DatabaseLocked { path: p } if p == &path),
        "{err:?}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    holder.execute_batch("ROLLBACK").unwrap();
    assert!(open_dir(path.parent().unwrap()).is_ok());
}
