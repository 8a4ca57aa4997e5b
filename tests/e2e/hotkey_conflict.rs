//! When another program holds the capture hotkey, settings say so and the command-line
//! trigger still works.

use jotline_tests::{app, driver::AppSession, journal_db};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn taken_hotkey_is_reported_in_settings_and_cli_still_captures() -> anyhow::Result<()> {
    // The "other program": a second Jotline on another journal, which grabs the key first.
    let other_data = tempfile::tempdir()?;
    let mut other = start_hotkey_holder(other_data.path()).await?;

    let data = tempfile::tempdir()?;
    let artifacts = app::artifacts_dir();
    let session = AppSession::launch(
        &app::binary(),
        data.path(),
        &artifacts.join("hotkey-conflict.log"),
    )
    .await;
    let session = match session {
        Ok(session) => session,
        Err(err) => {
            let _ = other.kill();
            return Err(err);
        }
    };
    session.switch_to_main().await?;
    session
        .wait_for("[data-testid=open-settings]")
        .await?
        .click()
        .await?;
    let error = session
        .wait_for("[data-testid=hotkey-error]")
        .await?
        .text()
        .await?;
    assert!(error.contains("Ctrl+Shift+Space"), "hotkey error: {error}");
    assert!(error.contains("jotline capture"), "no CLI hint: {error}");
    session
        .screenshot(artifacts.join("settings-hotkey-taken.png"))
        .await?;

    let text = "Captured although the hotkey is taken";
    let status = Command::new(app::binary())
        .args(["capture", text])
        .env("JOTLINE_DATA_DIR", data.path())
        .status()?;
    assert!(status.success());
    assert_eq!(
        journal_db::entry_bodies(data.path())?,
        vec![text.to_string()]
    );

    let _ = other.kill();
    let _ = other.wait();
    session.close().await
}

/// Starts a Jotline that holds the capture hotkey. A program of an earlier test may still hold
/// it for a moment while the X server notices it has gone: then the holder tries again.
async fn start_hotkey_holder(data: &std::path::Path) -> anyhow::Result<Child> {
    let log = app::artifacts_dir().join("hotkey-holder.log");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut holder = Command::new(app::binary())
            .env("JOTLINE_DATA_DIR", data)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()?;
        loop {
            let text = std::fs::read_to_string(&log)?;
            if text.contains("capture hotkey registered") {
                return Ok(holder);
            }
            if text.contains("capture hotkey unavailable") {
                break;
            }
            if Instant::now() >= deadline {
                let _ = holder.kill();
                anyhow::bail!("the other program never took the hotkey");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = holder.kill();
        let _ = holder.wait();
        anyhow::ensure!(Instant::now() < deadline, "the hotkey never became free");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
