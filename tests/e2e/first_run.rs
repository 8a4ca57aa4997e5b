//! A new journal greets the user (capture hotkey, which it can change, local until signed in)
//! until dismissed, and Settings exports the whole journal to a folder.

use jotline_core::export;
use jotline_tests::{app, driver::AppSession};
use std::process::Command;

#[tokio::test(flavor = "multi_thread")]
async fn the_welcome_shows_the_hotkey_until_dismissed_and_settings_export_the_journal(
) -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let note = "First thought of the journal #start";
    let saved = Command::new(app::binary())
        .args(["capture", note])
        .env("JOTLINE_DATA_DIR", data.path())
        .output()?;
    assert!(saved.status.success(), "{saved:?}");

    let artifacts = app::artifacts_dir();
    let session = AppSession::launch(
        &app::binary(),
        data.path(),
        &artifacts.join("first-run.log"),
    )
    .await?;
    session.switch_to_main().await?;
    let welcome = session.wait_for("#welcome").await?.text().await?;
    session
        .screenshot(artifacts.join("first-run-welcome.png"))
        .await?;
    assert!(welcome.contains("Ctrl+Shift+Space"), "{welcome}");
    assert!(welcome.contains("only on this computer"), "{welcome}");

    // The welcome changes the capture hotkey in place; the new one works at once.
    session.click("#welcome-change").await?;
    let field = session
        .wait_for_enabled("[data-testid=welcome-hotkey-input]")
        .await?;
    field.clear().await?;
    field.send_keys("Ctrl+Alt+K").await?;
    session.click("[data-testid=welcome-hotkey-save]").await?;
    session
        .wait_until(
            "the welcome shows the new hotkey",
            "return document.querySelector('#welcome-hotkey')?.textContent.includes('Ctrl+Alt+K') === true",
        )
        .await?;
    let settings = std::fs::read_to_string(data.path().join("settings.json"))?;
    assert!(settings.contains("Ctrl+Alt+K"), "{settings}");
    session.open_capture_with("ctrl+alt+k").await?;
    session.switch_to_main().await?;
    session.click("#welcome-dismiss").await?;
    session
        .wait_until(
            "the welcome is gone",
            "return document.querySelector('#welcome') === null",
        )
        .await?;
    let settings = std::fs::read_to_string(data.path().join("settings.json"))?;
    assert!(settings.contains("\"welcomeDone\": true"), "{settings}");

    let out = tempfile::tempdir()?;
    let target = out.path().join("from settings");
    session.click("[data-testid=open-settings]").await?;
    let field = session.wait_for("#export-dir").await?;
    field.clear().await?;
    field.send_keys(&target.display().to_string()).await?;
    session.click("#export-run").await?;
    session
        .wait_until(
            "the export reports its result",
            "return /Exported 1 entr/.test(document.querySelector('#export-result')?.textContent ?? '')",
        )
        .await?;
    let exported = export::read_json(&target)?;
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0].body, note);
    session.close().await
}
