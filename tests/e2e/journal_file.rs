//! The journal file while the app runs: captures reach `jotline.db` itself (not only its
//! write-ahead log), `jotline backup` copies everything while the app is open, and damage that
//! only the full integrity check finds is shown once the windows are up.

use jotline_tests::{app, driver::AppSession};
use rusqlite::Connection;
use std::path::Path;
use std::time::{Duration, Instant};

/// Live entries in `db` opened alone: a copy in an empty folder, without its log.
fn entries_in_file_alone(db: &Path) -> anyhow::Result<i64> {
    let copy = tempfile::tempdir()?;
    let target = copy.path().join("copy.db");
    std::fs::copy(db, &target)?;
    let conn = Connection::open(&target)?;
    Ok(conn
        .query_row(
            "SELECT count(*) FROM entries WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0))
}

#[tokio::test(flavor = "multi_thread")]
async fn captures_reach_the_database_file_and_a_backup_holds_them() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let log = app::artifacts_dir().join("journal-file.log");
    let session = AppSession::launch(&app::binary(), data.path(), &log).await?;
    session.switch_to_main().await?;
    session.wait_for("[data-testid=status-bar]").await?;

    for n in 1..=3 {
        let output = app::cli(data.path(), &["capture", &format!("kept on disk {n}")])?;
        assert!(output.status.success(), "{output:?}");
    }
    let db = data.path().join("jotline.db");
    let deadline = Instant::now() + Duration::from_secs(30);
    while entries_in_file_alone(&db)? < 3 {
        anyhow::ensure!(
            Instant::now() < deadline,
            "jotline.db alone still lacks the captures ({} bytes)",
            std::fs::metadata(&db)?.len()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    let backup = data.path().join("backup").join("journal.db");
    std::fs::create_dir(backup.parent().unwrap())?;
    let output = app::cli(data.path(), &["backup", backup.to_str().unwrap()])?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("3 entries"), "stdout: {stdout}");
    assert_eq!(entries_in_file_alone(&backup)?, 3);
    session.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn damage_only_the_full_check_finds_is_shown_after_start() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let saved = app::cli(data.path(), &["capture", "a #tagged note"])?;
    assert!(saved.status.success(), "{saved:?}");
    // The tag index now claims another column order than the rows it holds: the quick check
    // at open passes, the full check does not.
    let conn = Connection::open(data.path().join("jotline.db"))?;
    conn.execute_batch(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_master SET sql = 'CREATE INDEX entry_tags_by_tag ON entry_tags (entry_id, tag)'
          WHERE name = 'entry_tags_by_tag';",
    )?;
    drop(conn);

    let artifacts = app::artifacts_dir();
    let session =
        AppSession::launch(&app::binary(), data.path(), &artifacts.join("damage.log")).await?;
    session.switch_to_main().await?;
    session.wait_for_timeline_text("a #tagged note").await?;
    let message = session
        .wait_for("[data-testid=journal-damage]")
        .await?
        .text()
        .await?;
    assert!(message.contains("damaged"), "banner: {message}");
    assert!(message.contains("entry_tags_by_tag"), "banner: {message}");
    session
        .screenshot(artifacts.join("journal-damage.png"))
        .await?;
    session.close().await
}

/// Everything under `dir` that group or others may read, write or enter.
fn not_private(dir: &Path) -> anyhow::Result<Vec<String>> {
    use std::os::unix::fs::PermissionsExt;
    let mut open = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(path) = todo.pop() {
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.permissions().mode() & 0o077 != 0 {
            open.push(format!(
                "{} {:o}",
                path.display(),
                meta.permissions().mode() & 0o777
            ));
        }
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                todo.push(entry?.path());
            }
        }
    }
    Ok(open)
}

/// The journal is private whatever the login's umask: a new journal's folder and files are
/// the user's only, and an older install (0755 folder, 0644 database) is tightened.
#[tokio::test(flavor = "multi_thread")]
async fn the_journal_is_private_to_its_user() -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let root = tempfile::tempdir()?;
    let data = root.path().join("journal");
    let saved = app::cli(&data, &["capture", "a private thought"])?;
    assert!(saved.status.success(), "{saved:?}");
    assert!(data.join("jotline.db").exists());
    assert_eq!(not_private(&data)?, Vec::<String>::new());

    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755))?;
    std::fs::set_permissions(
        data.join("jotline.db"),
        std::fs::Permissions::from_mode(0o644),
    )?;
    let again = app::cli(&data, &["capture", "another"])?;
    assert!(again.status.success(), "{again:?}");
    assert_eq!(not_private(&data)?, Vec::<String>::new());
    Ok(())
}
