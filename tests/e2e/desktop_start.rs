//! How the installed app starts: at login it waits in the tray without showing the journal,
//! a second launch brings the running journal to the front (single instance), and the
//! "Start at login" setting writes and removes the desktop's autostart entry.

use jotline_tests::{app, driver::AppSession};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Owns the StatusNotifierWatcher name on the test's session bus, so the app believes a
/// tray host is there (a login start only hides the journal when the tray can bring it back).
fn fake_tray_host() -> anyhow::Result<zbus::blocking::Connection> {
    Ok(zbus::blocking::connection::Builder::session()?
        .name("org.kde.StatusNotifierWatcher")?
        .build()?)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_login_start_stays_in_the_tray_until_a_second_launch_shows_the_journal(
) -> anyhow::Result<()> {
    let _tray = fake_tray_host()?;
    let data = tempfile::tempdir()?;
    let artifacts = app::artifacts_dir();
    let session = AppSession::launch_with(
        &app::binary(),
        data.path(),
        &artifacts.join("login-start.log"),
        &[],
        &["--minimized"],
    )
    .await?;
    session.switch_to_main().await?;
    session.wait_for("[data-testid=status-bar]").await?;
    // Give a wrongly shown window time to appear before checking that none did.
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(session.visibility().await?, "hidden");

    let second = Command::new(app::binary())
        .env("JOTLINE_DATA_DIR", data.path())
        .output()?;
    assert!(second.status.success(), "second launch: {second:?}");
    session
        .wait_until(
            "the second launch shows the running journal",
            "return document.visibilityState === 'visible'",
        )
        .await?;
    session.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_start_at_login_setting_adds_and_removes_the_autostart_entry() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let home = tempfile::tempdir()?;
    let artifacts = app::artifacts_dir();
    let session = AppSession::launch_with_env(
        &app::binary(),
        data.path(),
        &artifacts.join("autostart.log"),
        &[("HOME", home.path())],
    )
    .await?;
    let entry = home.path().join(".config/autostart/Jotline.desktop");
    session.switch_to_main().await?;
    session.click("[data-testid=open-settings]").await?;
    session.click("#start-at-login").await?;
    wait_for_file(&entry, true).await?;
    let desktop = std::fs::read_to_string(&entry)?;
    let exec = format!("Exec={} --minimized", app::binary().display());
    assert!(desktop.contains(&exec), "{desktop}");
    // The entry is written first, the setting saved right after: wait for both.
    wait_for_setting(data.path(), "\"startAtLogin\": true").await?;

    session.click("#start-at-login").await?;
    wait_for_file(&entry, false).await?;
    wait_for_setting(data.path(), "\"startAtLogin\": false").await?;
    session.close().await
}

async fn wait_for_setting(data: &Path, wanted: &str) -> anyhow::Result<()> {
    let path = data.join("settings.json");
    for _ in 0..100 {
        if std::fs::read_to_string(&path).is_ok_and(|s| s.contains(wanted)) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("settings.json never held {wanted}")
}

async fn wait_for_file(path: &Path, present: bool) -> anyhow::Result<()> {
    for _ in 0..100 {
        if path.exists() == present {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!("{} never became present={present}", path.display())
}
