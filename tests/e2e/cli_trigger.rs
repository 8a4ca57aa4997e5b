//! `jotline capture "text"` saves the text: through the running instance when there is
//! one (single-instance forwards the arguments), directly when there is none.

use jotline_tests::{app, driver::AppSession, journal_db};
use std::process::Command;

#[tokio::test(flavor = "multi_thread")]
async fn cli_capture_reaches_the_running_instance() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let artifacts = app::artifacts_dir();
    let session = AppSession::launch(
        &app::binary(),
        data.path(),
        &artifacts.join("cli-running.log"),
    )
    .await?;
    session.switch_to_main().await?;
    session.wait_for("[data-testid=status-bar]").await?;

    let text = "From the terminal: renew passport #admin";
    let status = Command::new(app::binary())
        .args(["capture", text])
        .env("JOTLINE_DATA_DIR", data.path())
        .status()?;
    assert!(status.success(), "forwarding process failed: {status}");

    session.wait_for_timeline_text(text).await?;
    assert_eq!(
        journal_db::capture_surfaces(data.path(), text)?,
        vec!["cli".to_string()]
    );
    session.close().await
}

#[test]
fn cli_capture_without_a_running_instance_saves_and_exits() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let text = "Nobody is running: save me anyway";
    let output = Command::new(app::binary())
        .args(["capture", text])
        .env("JOTLINE_DATA_DIR", data.path())
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("Saved to the journal"), "stdout: {stdout}");
    assert_eq!(
        journal_db::entry_bodies(data.path())?,
        vec![text.to_string()]
    );

    let empty = Command::new(app::binary())
        .args(["capture", "   "])
        .env("JOTLINE_DATA_DIR", data.path())
        .output()?;
    assert_eq!(empty.status.code(), Some(1), "{empty:?}");
    assert_eq!(journal_db::entry_bodies(data.path())?.len(), 1);
    Ok(())
}
