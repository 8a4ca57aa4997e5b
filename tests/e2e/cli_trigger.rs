//! `jotline capture "text"` saves the text: through the app running on the journal when there
//! is one (it waits for that app's answer and reports it), directly when there is none. Text
//! that was not saved is never lost: the command exits non-zero and prints it.

use crate::startup_errors::launch_with_startup_error;
use jotline_tests::{app, driver::AppSession, journal_db};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

async fn running_app(data: &Path, log: &str) -> anyhow::Result<AppSession> {
    let session = AppSession::launch(&app::binary(), data, &app::artifacts_dir().join(log)).await?;
    session.switch_to_main().await?;
    session.wait_for("[data-testid=status-bar]").await?;
    Ok(session)
}

#[tokio::test(flavor = "multi_thread")]
async fn cli_capture_reaches_the_running_instance() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let session = running_app(data.path(), "cli-running.log").await?;

    let text = "From the terminal: renew passport #admin";
    let output = app::cli(data.path(), &["capture", text])?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "forwarding process failed: {output:?}"
    );
    assert!(stdout.contains("Saved to the journal"), "stdout: {stdout}");

    session.wait_for_timeline_text(text).await?;
    assert_eq!(
        journal_db::capture_surfaces(data.path(), text)?,
        vec!["cli".to_string()]
    );
    session.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_capture_the_running_app_refuses_exits_non_zero_and_keeps_the_text() -> anyhow::Result<()>
{
    let data = tempfile::tempdir()?;
    let session = running_app(data.path(), "cli-refused.log").await?;

    // Over the 1 MiB limit, in arguments short enough for the kernel (128 KiB each).
    let chunk = "lost words ".repeat(9_000);
    let args: Vec<&str> = std::iter::once("capture")
        .chain(std::iter::repeat_n(chunk.as_str(), 12))
        .collect();
    let output = app::cli(data.path(), &args)?;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert!(stderr.contains("too large"), "stderr: {stderr}");
    assert!(
        stdout.contains(&args[1..].join(" ")),
        "the refused text is printed, not lost ({} bytes on stdout)",
        stdout.len()
    );
    assert!(journal_db::entry_bodies(data.path())?.is_empty());
    session.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_capture_for_a_journal_that_could_not_open_is_refused_with_the_reason(
) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let garbage = b"not a journal at all".repeat(300);
    std::fs::write(data.path().join("jotline.db"), &garbage)?;
    let (session, _) = launch_with_startup_error(data.path(), "cli-broken-journal.log").await?;

    let text = "must not vanish";
    let output = app::cli(data.path(), &["capture", text])?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(stderr.contains("damaged"), "stderr: {stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains(text));
    session.close().await?;
    assert_eq!(std::fs::read(data.path().join("jotline.db"))?, garbage);
    Ok(())
}

/// A trailing slash, a symlink, a session without D-Bus: the same journal, so a launch hands
/// its request to the running app and exits instead of running a second copy.
#[tokio::test(flavor = "multi_thread")]
async fn every_spelling_of_the_journal_meets_the_running_app() -> anyhow::Result<()> {
    let base = tempfile::tempdir()?;
    let data = base.path().join("journal");
    std::fs::create_dir(&data)?;
    let link = base.path().join("link");
    std::os::unix::fs::symlink(&data, &link)?;
    let session = running_app(&data, "cli-spellings.log").await?;

    let trailing = format!("{}/", data.display());
    for (spelling, dbus) in [
        (trailing.as_str(), true),
        (link.to_str().unwrap(), true),
        (data.to_str().unwrap(), false),
    ] {
        let mut launch = Command::new(app::binary());
        launch.env("JOTLINE_DATA_DIR", spelling);
        if !dbus {
            launch.env_remove("DBUS_SESSION_BUS_ADDRESS");
        }
        let mut second = launch.spawn()?;
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = second.try_wait()? {
                break status;
            }
            if Instant::now() > deadline {
                second.kill()?;
                anyhow::bail!("a second app ran on {spelling} (D-Bus: {dbus})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(status.success(), "{spelling}: {status}");
    }

    let text = "through the symlink";
    let output = app::cli(&link, &["capture", text])?;
    assert!(output.status.success(), "{output:?}");
    session.wait_for_timeline_text(text).await?;
    session.close().await
}

#[test]
fn cli_capture_without_a_running_instance_saves_and_exits() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let text = "Nobody is running: save me anyway";
    let output = app::cli(data.path(), &["capture", text])?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("Saved to the journal"), "stdout: {stdout}");
    assert_eq!(
        journal_db::entry_bodies(data.path())?,
        vec![text.to_string()]
    );

    let empty = app::cli(data.path(), &["capture", "   "])?;
    assert_eq!(empty.status.code(), Some(1), "{empty:?}");
    assert_eq!(journal_db::entry_bodies(data.path())?.len(), 1);
    Ok(())
}
