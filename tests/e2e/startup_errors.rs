//! A journal that cannot be opened is explained on screen, naming the file, and the file
//! is left exactly as it was (never silently recreated).

use jotline_tests::{app, driver::AppSession};
use std::path::Path;

/// The app started on the journal in `data` (logging to `log` in the artifacts), and the
/// start-up error its journal window shows.
pub async fn launch_with_startup_error(
    data: &Path,
    log: &str,
) -> anyhow::Result<(AppSession, String)> {
    let log = app::artifacts_dir().join(log);
    let session = AppSession::launch(&app::binary(), data, &log).await?;
    session.switch_to_main().await?;
    let message = session
        .wait_for("[data-testid=startup-error]")
        .await?
        .text()
        .await?;
    Ok((session, message))
}

#[tokio::test(flavor = "multi_thread")]
async fn corrupt_database_shows_an_error_naming_the_file() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = data.path().join("jotline.db");
    let garbage = b"this is not a sqlite database, and must survive untouched".repeat(100);
    std::fs::write(&db, &garbage)?;
    let (session, message) = launch_with_startup_error(data.path(), "corrupt.log").await?;
    assert!(
        message.contains(&db.display().to_string()),
        "error screen: {message}"
    );
    session
        .screenshot(app::artifacts_dir().join("startup-error.png"))
        .await?;
    session.close().await?;

    assert_eq!(
        std::fs::read(&db)?,
        garbage,
        "the database file was altered"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn database_locked_by_another_program_is_explained() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = data.path().join("jotline.db");
    // Another program: creates the journal file and holds its write lock throughout.
    let holder = rusqlite::Connection::open(&db)?;
    holder.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE other(x); BEGIN EXCLUSIVE;")?;

    let (session, message) = launch_with_startup_error(data.path(), "locked.log").await?;
    assert!(
        message.contains(&db.display().to_string()),
        "error screen: {message}"
    );
    assert!(
        message.contains("in use by another program"),
        "error screen: {message}"
    );
    session.close().await?;

    holder.execute_batch("COMMIT")?;
    let tables: i64 = holder.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = 'other'",
        [],
        |r| r.get(0),
    )?;
    assert_eq!(tables, 1, "the other program's database was changed");
    Ok(())
}

/// An empty `jotline.db` (a failed copy, a full disk) is damage, not a new journal.
#[tokio::test(flavor = "multi_thread")]
async fn an_empty_database_file_is_refused_as_damaged() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = data.path().join("jotline.db");
    std::fs::write(&db, b"")?;
    let (session, message) = launch_with_startup_error(data.path(), "empty-db.log").await?;
    assert!(message.contains("empty"), "error screen: {message}");
    session.close().await?;
    assert_eq!(std::fs::metadata(&db)?.len(), 0, "the file was altered");
    Ok(())
}
