//! The journal file on disk: never an empty file taken for a new journal, complete without its
//! write-ahead log after a checkpoint, a deleted log recovered, damage found by the full check,
//! a backup that holds everything, and one lock per journal whatever the path's spelling.

use crate::common::fixture;
use jotline_core::journal_health::Checkpoint;
use jotline_core::store::backup;
use jotline_core::types::Surface;
use jotline_core::{Core, CoreConfig, CoreError, JournalLock, JournalLockError, SystemClock};
use rusqlite::Connection;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn open(dir: &Path) -> Result<Core, CoreError> {
    Core::open(CoreConfig {
        data_dir: dir.to_path_buf(),
        clock: Arc::new(SystemClock),
    })
}

/// How many live entries `db` holds when opened on its own, as a copy in a fresh folder
/// (without the log beside it).
fn entries_in_copy_of(db: &Path) -> i64 {
    let copy = tempfile::tempdir().unwrap();
    let target = copy.path().join("jotline.db");
    std::fs::copy(db, &target).unwrap();
    let conn = Connection::open(&target).unwrap();
    conn.query_row(
        "SELECT count(*) FROM entries WHERE deleted_at IS NULL",
        [],
        |r| r.get(0),
    )
    .unwrap_or(0)
}

#[test]
fn an_empty_database_file_is_refused_as_damaged_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("jotline.db");
    std::fs::write(&db, b"").unwrap();

    let err = open(dir.path()).err().expect("an empty file must not open");
    assert!(matches!(err, CoreError::DatabaseCorrupt { .. }), "{err:?}");
    assert!(
        err.user_message().contains("empty"),
        "{}",
        err.user_message()
    );
    assert_eq!(
        std::fs::metadata(&db).unwrap().len(),
        0,
        "the file was altered"
    );
}

#[test]
fn a_new_journal_is_complete_on_disk_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path()).unwrap();
    let db = core.database_path().to_path_buf();
    assert!(std::fs::metadata(&db).unwrap().len() > 0);
    assert!(
        !dir.path().join("jotline.db-new").exists(),
        "staging file left"
    );
    drop(core);
    assert!(open(dir.path()).is_ok(), "a new journal opens again");
}

#[test]
fn after_a_checkpoint_the_database_file_alone_holds_every_capture() {
    let f = fixture();
    for n in 0..5 {
        f.core
            .capture_text(&format!("note {n}"), Surface::InApp)
            .unwrap();
    }
    assert_ne!(f.core.checkpoint().unwrap(), Checkpoint::Recovered);
    assert_eq!(entries_in_copy_of(f.core.database_path()), 5);
}

#[test]
fn captures_reach_the_database_file_without_being_asked() {
    let f = fixture();
    f.core.capture_text("one", Surface::InApp).unwrap();
    f.core.capture_text("two", Surface::InApp).unwrap();
    // The checkpoint thread copies the log shortly after writes pause.
    let deadline = Instant::now() + Duration::from_secs(20);
    while entries_in_copy_of(f.core.database_path()) < 2 {
        assert!(Instant::now() < deadline, "captures still only in the log");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_log_deleted_while_open_is_recovered_into_the_database() {
    let f = fixture();
    for n in 0..3 {
        f.core
            .capture_text(&format!("before {n}"), Surface::InApp)
            .unwrap();
    }
    let db = f.core.database_path().to_path_buf();
    let log = db.with_file_name("jotline.db-wal");
    std::fs::remove_file(&log).unwrap();

    assert_eq!(f.core.checkpoint().unwrap(), Checkpoint::Recovered);
    f.core.capture_text("after", Surface::InApp).unwrap();

    // A crash now: what is on disk (the database and its new log) is all there is.
    let crash = tempfile::tempdir().unwrap();
    std::fs::copy(&db, crash.path().join("jotline.db")).unwrap();
    if log.exists() {
        std::fs::copy(&log, crash.path().join("jotline.db-wal")).unwrap();
    }
    let survivor = open(crash.path()).unwrap();
    assert_eq!(survivor.status().unwrap().entry_count, 4);
}

#[test]
fn the_full_check_finds_index_damage_the_open_check_misses() {
    let dir = tempfile::tempdir().unwrap();
    let core = open(dir.path()).unwrap();
    core.capture_text("a #tagged note", Surface::InApp).unwrap();
    assert_eq!(core.check_integrity().unwrap(), Vec::<String>::new());
    assert_eq!(core.status().unwrap().journal_damage, None);
    let db = core.database_path().to_path_buf();
    drop(core);

    // The index now claims to be ordered by other columns than the rows it holds.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_master SET sql = 'CREATE INDEX entry_tags_by_tag ON entry_tags (entry_id, tag)'
          WHERE name = 'entry_tags_by_tag';",
    )
    .unwrap();
    drop(conn);

    let core = open(dir.path()).expect("the quick open check passes");
    let problems = core.check_integrity().unwrap();
    assert!(
        problems.iter().any(|p| p.contains("entry_tags_by_tag")),
        "{problems:?}"
    );
    let damage = core
        .status()
        .unwrap()
        .journal_damage
        .expect("reported in the status");
    assert!(damage.contains("damaged"), "{damage}");
    assert!(damage.contains(&db.display().to_string()), "{damage}");
}

#[test]
fn a_backup_is_one_complete_file_taken_while_the_journal_is_open() {
    let f = fixture();
    for n in 0..3 {
        f.core
            .capture_text(&format!("keep {n}"), Surface::InApp)
            .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("journal-backup.db");
    assert_eq!(backup::write(f.core.database_path(), &target).unwrap(), 3);
    assert_eq!(entries_in_copy_of(&target), 3);

    let again = backup::write(f.core.database_path(), &target).unwrap_err();
    assert!(matches!(again, CoreError::InvalidInput(_)), "{again:?}");
    assert_eq!(
        entries_in_copy_of(&target),
        3,
        "an existing file is not overwritten"
    );
}

#[cfg(unix)]
#[test]
fn one_lock_per_journal_whatever_the_path_spelling() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("journal");
    let lock = JournalLock::acquire(&dir).unwrap();

    let trailing = format!("{}/", dir.display());
    let link = base.path().join("link");
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    for spelling in [Path::new(&trailing), link.as_path(), dir.as_path()] {
        match JournalLock::acquire(spelling) {
            Err(JournalLockError::Held(held)) => assert_eq!(held, lock.dir()),
            other => panic!("{} locked twice: {other:?}", spelling.display()),
        }
    }
    drop(lock);
    assert!(
        JournalLock::acquire(&link).is_ok(),
        "released with the holder"
    );
}
