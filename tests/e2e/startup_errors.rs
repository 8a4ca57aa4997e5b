//! A journal that cannot be opened is explained on screen, naming the file, and the file
//! is left exactly as it was (never silently recreated).

use jotline_tests::{app, driver::AppSession};

#[tokio::test(flavor = "multi_thread")]
async fn corrupt_database_shows_an_error_naming_the_file() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let db = data.path().join("jotline.db");
    let garbage = b"this is not a sqlite database, and must survive untouched".repeat(100);
    std::fs::write(&db, &garbage)?;
    let artifacts = app::artifacts_dir();
    let session =
        AppSession::launch(&app::binary(), data.path(), &artifacts.join("corrupt.log")).await?;

    session.switch_to_main().await?;
    let message = session
        .wait_for("[data-testid=startup-error]")
        .await?
        .text()
        .await?;
    assert!(
        message.contains(&db.display().to_string()),
        "error screen: {message}"
    );
    session
        .screenshot(artifacts.join("startup-error.png"))
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

    let artifacts = app::artifacts_dir();
    let session =
        AppSession::launch(&app::binary(), data.path(), &artifacts.join("locked.log")).await?;
    session.switch_to_main().await?;
    let message = session
        .wait_for("[data-testid=startup-error]")
        .await?
        .text()
        .await?;
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
    let artifacts = app::artifacts_dir();
    let session =
        AppSession::launch(&app::binary(), data.path(), &artifacts.join("empty-db.log")).await?;
    session.switch_to_main().await?;
    let message = session
        .wait_for("[data-testid=startup-error]")
        .await?
        .text()
        .await?;
    assert!(message.contains("empty"), "error screen: {message}");
    session.close().await?;
    assert_eq!(std::fs::metadata(&db)?.len(), 0, "the file was altered");
    Ok(())
}
