//! A crash while typing loses at most a second: the draft is on disk, and the next opening
//! of the capture window after a restart shows it.

use jotline_tests::{app, driver::AppSession, process::app_pid};
use std::time::Duration;

const TYPED: &str = "An idea that must survive a crash";

#[tokio::test(flavor = "multi_thread")]
async fn draft_survives_kill_9_and_is_restored() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let artifacts = app::artifacts_dir();
    let session =
        AppSession::launch(&app::binary(), data.path(), &artifacts.join("draft-1.log")).await?;
    session.open_capture_with_hotkey().await?;
    session
        .wait_for("[data-testid=capture-input]")
        .await?
        .send_keys(TYPED)
        .await?;
    // The promise is "at most a second of typing lost".
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let pid = app_pid(data.path()).expect("app process not found");
    let killed = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()?;
    assert!(killed.success());
    drop(session);

    let session =
        AppSession::launch(&app::binary(), data.path(), &artifacts.join("draft-2.log")).await?;
    session.open_capture_with_hotkey().await?;
    let script = format!(
        "return document.querySelector('[data-testid=capture-input]').value === {}",
        serde_json::to_string(TYPED)?
    );
    session.wait_until("the draft is restored", &script).await?;
    session.close().await
}
