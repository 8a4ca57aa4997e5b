//! Sync in the real window: point the app at the local Supabase-compatible backend, create
//! an account, capture a note with the hotkey, and see "Synced" in the status bar with the
//! note on the server. The tokens live in the OS keyring (gnome-keyring under
//! `scripts/with-keyring.sh`), and nowhere in the data dir or the app's logs; the log files
//! do not hold the note either.

use fantoccini::key::Key;
use fantoccini::Locator;
use jotline_core::auth::{KeyringTokenStore, TokenStore};
use jotline_tests::backend::LocalBackend;
use jotline_tests::{app, driver::AppSession};

const NOTE: &str = "Sync me to the cloud #e2e";

#[tokio::test(flavor = "multi_thread")]
async fn sign_up_capture_and_see_it_synced() -> anyhow::Result<()> {
    let backend = LocalBackend::start().await?;
    let data = tempfile::tempdir()?;
    let artifacts = app::artifacts_dir();
    let log = artifacts.join("sync-flow.log");
    let session = AppSession::launch(&app::binary(), data.path(), &log).await?;

    session.switch_to_main().await?;
    session.wait_for("[data-testid=status-bar]").await?;
    session.click("[data-testid=open-settings]").await?;
    session
        .wait_for_enabled("[data-testid=backend-url]")
        .await?
        .send_keys(&backend.url())
        .await?;
    session
        .wait_for_enabled("[data-testid=anon-key]")
        .await?
        .send_keys(&backend.anon_key())
        .await?;
    session.click("[data-testid=sync-settings-save]").await?;
    session
        .wait_for("[data-testid=sync-settings-notice]")
        .await?;

    session
        .wait_for("[data-testid=account-email-input]")
        .await?
        .send_keys("e2e@example.com")
        .await?;
    session
        .wait_for("[data-testid=account-password]")
        .await?
        .send_keys("correct horse battery")
        .await?;
    session.click("[data-testid=sign-up]").await?;
    let signed_in = session.wait_for("[data-testid=account-email]").await;
    if signed_in.is_err() {
        session
            .screenshot(artifacts.join("sync-sign-up-failed.png"))
            .await?;
    }
    assert!(signed_in?.text().await?.contains("e2e@example.com"));
    session
        .client
        .find(Locator::Css("[data-testid=settings-close]"))
        .await?
        .click()
        .await?;

    session.open_capture_with_hotkey().await?;
    let input = session.wait_for("[data-testid=capture-input]").await?;
    session
        .wait_until(
            "the editor has the focus",
            "return document.activeElement?.dataset?.testid === 'capture-input'",
        )
        .await?;
    input.send_keys(NOTE).await?;
    input
        .send_keys(&format!("{}{}", Key::Control, Key::Enter))
        .await?;
    session
        .wait_until(
            "the capture window hides after saving",
            "return document.visibilityState === 'hidden'",
        )
        .await?;

    // The local write triggers a round (250 ms debounce): pushed, then nothing pending.
    session.switch_to_main().await?;
    session.wait_for_timeline_text(NOTE).await?;
    let synced = session
        .wait_until(
            "the status bar says synced with nothing pending",
            "const t = document.querySelector('[data-testid=status-text]')?.textContent ?? '';\
             return t.includes('0 pending changes') && t.includes('Synced · last synced');",
        )
        .await;
    session
        .screenshot(artifacts.join("sync-flow-main.png"))
        .await?;
    synced?;

    let db = backend.connect_db().await?;
    let bodies: Vec<String> = db
        .query("select body from entries", &[])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(bodies, vec![NOTE.to_string()]);

    // The session is in the OS keyring...
    let url = backend.url();
    let stored = tokio::task::spawn_blocking(move || KeyringTokenStore::new(url).load())
        .await??
        .expect("the session is in the keyring");
    assert_eq!(stored.email.as_deref(), Some("e2e@example.com"));
    session.close().await?;

    // ...and nowhere else: not in settings.json, the database (and its WAL), or the log.
    let mut files = vec![log.clone()];
    for entry in std::fs::read_dir(data.path())? {
        let path = entry?.path();
        if path.is_file() {
            files.push(path);
        }
    }
    assert!(files.iter().any(|f| f.ends_with("settings.json")));
    for file in &files {
        let bytes = std::fs::read(file)?;
        let text = String::from_utf8_lossy(&bytes);
        for (what, secret) in [
            ("access token", &stored.access_token),
            ("refresh token", &stored.refresh_token),
        ] {
            assert!(
                !text.contains(secret.as_str()),
                "{what} leaked into {}",
                file.display()
            );
        }
    }
    let settings = std::fs::read_to_string(data.path().join("settings.json"))?;
    assert!(settings.contains(&backend.anon_key()), "{settings}");

    // The app's own log files (daily, in the data dir's logs/) were written during the run,
    // and hold neither the note nor the password nor either token.
    let mut logged = String::new();
    for entry in std::fs::read_dir(data.path().join("logs"))? {
        logged.push_str(&std::fs::read_to_string(entry?.path())?);
    }
    assert!(logged.contains("main window loaded"), "{logged}");
    assert!(logged.contains("sync"), "no sync round logged: {logged}");
    for (what, secret) in [
        ("note text", NOTE),
        ("password", "correct horse battery"),
        ("access token", stored.access_token.as_str()),
        ("refresh token", stored.refresh_token.as_str()),
    ] {
        assert!(!logged.contains(secret), "{what} is in the log files");
    }
    Ok(())
}
