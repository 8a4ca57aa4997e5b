//! The whole text-capture path: global hotkey → capture window → Ctrl+Enter → durable in
//! SQLite → visible in the journal timeline.

use fantoccini::key::Key;
use jotline_tests::{app, driver::AppSession, journal_db};

const NOTE: &str = "Call the plumber about the boiler #home @sam";

#[tokio::test(flavor = "multi_thread")]
async fn hotkey_capture_reaches_disk_and_timeline() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let artifacts = app::artifacts_dir();
    let session = AppSession::launch(
        &app::binary(),
        data.path(),
        &artifacts.join("capture-flow.log"),
    )
    .await?;

    session.switch_to_main().await?;
    session.wait_for("[data-testid=status-bar]").await?;

    // The capture window exists from start-up but is hidden until the hotkey.
    session.switch_to_capture().await?;
    assert_eq!(session.visibility().await?, "hidden");
    session.open_capture_with_hotkey().await?;

    let input = session.wait_for("[data-testid=capture-input]").await?;
    session
        .wait_until(
            "the editor has the focus, ready to type",
            "return document.activeElement?.dataset?.testid === 'capture-input'",
        )
        .await?;
    input.send_keys(NOTE).await?;
    session
        .screenshot(artifacts.join("capture-window.png"))
        .await?;
    input
        .send_keys(&format!("{}{}", Key::Control, Key::Enter))
        .await?;
    session
        .wait_until(
            "the capture window hides after saving",
            "return document.visibilityState === 'hidden'",
        )
        .await?;

    // Committed before the window hid: the database has it now, as a hotkey capture.
    assert_eq!(
        journal_db::entry_bodies(data.path())?,
        vec![NOTE.to_string()]
    );
    assert_eq!(
        journal_db::capture_surfaces(data.path(), NOTE)?,
        vec!["desktop_hotkey".to_string()]
    );

    session.switch_to_main().await?;
    session.wait_for_timeline_text(NOTE).await?;
    // The status bar follows its own event; wait for it rather than read it once.
    session
        .wait_until(
            "the status bar counts the new entry",
            "return document.querySelector('[data-testid=status-bar]')?.textContent\
             .includes('1 entr') === true",
        )
        .await?;
    session
        .screenshot(artifacts.join("main-window.png"))
        .await?;

    session.close().await
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_capture_is_refused_and_kept_in_the_window() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let artifacts = app::artifacts_dir();
    let session = AppSession::launch(
        &app::binary(),
        data.path(),
        &artifacts.join("oversized.log"),
    )
    .await?;
    session.open_capture_with_hotkey().await?;
    let input = session.wait_for("[data-testid=capture-input]").await?;

    // Over 1 MiB, set directly (typing it would take minutes), then the real save keys.
    session
        .client
        .execute(
            "const t = document.querySelector('[data-testid=capture-input]');
             t.value = 'x'.repeat(1024 * 1024 + 10);
             t.dispatchEvent(new Event('input', { bubbles: true }));
             return true;",
            vec![],
        )
        .await?;
    input
        .send_keys(&format!("{}{}", Key::Control, Key::Enter))
        .await?;
    let error = session
        .wait_for("[data-testid=capture-error]")
        .await?
        .text()
        .await?;
    assert!(
        error.to_lowercase().contains("mib") || error.to_lowercase().contains("large"),
        "{error}"
    );
    let kept = session
        .client
        .execute(
            "return document.querySelector('[data-testid=capture-input]').value.length",
            vec![],
        )
        .await?;
    assert_eq!(kept.as_u64(), Some(1024 * 1024 + 10));
    assert_eq!(session.visibility().await?, "visible");
    assert!(journal_db::entry_bodies(data.path())?.is_empty());
    session
        .screenshot(artifacts.join("capture-too-large.png"))
        .await?;
    session.close().await
}
