//! The capture hotkey is changed in Settings, takes effect at once, and is persisted.

use jotline_tests::{app, driver::press_keys, driver::AppSession};

#[tokio::test(flavor = "multi_thread")]
async fn changed_hotkey_opens_the_capture_window_and_is_persisted() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let artifacts = app::artifacts_dir();
    let session = AppSession::launch(
        &app::binary(),
        data.path(),
        &artifacts.join("hotkey-setting.log"),
    )
    .await?;
    session.switch_to_main().await?;
    session.click("[data-testid=open-settings]").await?;
    // The field is disabled until the saved hotkey has loaded into it.
    let input = session
        .wait_for_enabled("[data-testid=hotkey-input]")
        .await?;
    input.clear().await?;
    input.send_keys("Ctrl+Alt+J").await?;
    session.click("[data-testid=hotkey-save]").await?;
    // The status of the old hotkey is on screen until the save answers: wait for the new one.
    session
        .wait_until(
            "settings report the new hotkey as registered",
            "return document.querySelector('[data-testid=hotkey-status]')?.textContent\
             .includes('Ctrl+Alt+J') === true",
        )
        .await?;

    let settings = std::fs::read_to_string(data.path().join("settings.json"))?;
    assert!(settings.contains("Ctrl+Alt+J"), "settings.json: {settings}");

    // The old combination no longer opens the window; the new one does.
    session.switch_to_capture().await?;
    press_keys("ctrl+shift+space")?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(session.visibility().await?, "hidden");
    session.open_capture_with("ctrl+alt+j").await?;
    session.close().await
}
