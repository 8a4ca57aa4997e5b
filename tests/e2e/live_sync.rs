//! Live updates between two running apps: two journals (two data dirs) signed in to the same
//! account on the local backend. A note captured on one shows in the other's timeline within
//! seconds, with nobody touching it: the server pokes the other app over Realtime and it
//! pulls (its poll interval is minutes).

use std::path::Path;
use std::time::{Duration, Instant};

use jotline_core::auth::{AuthClient, BackendConfig, KeyringTokenStore, SignUpOutcome, TokenStore};
use jotline_core::Settings;
use jotline_tests::backend::LocalBackend;
use jotline_tests::{app, driver::AppSession};

const NOTE: &str = "Thought on the laptop, read on the desktop #live";
/// Well under the poll interval: only a poke brings the note this fast.
const ARRIVAL: Duration = Duration::from_secs(3);

fn configure(data_dir: &Path, backend: &LocalBackend) -> anyhow::Result<()> {
    let settings = Settings {
        backend_url: backend.url(),
        anon_key: backend.anon_key(),
        welcome_done: true,
        ..Settings::default()
    };
    std::fs::write(
        data_dir.join("settings.json"),
        serde_json::to_vec_pretty(&settings)?,
    )?;
    Ok(())
}

/// Up to a minute: a join refused while the backend is still starting is answered only after
/// Realtime's 5 s delay, and the app then backs off before it joins again.
async fn wait_live(session: &AppSession, name: &str) -> anyhow::Result<()> {
    session.switch_to_main().await?;
    session.click("[data-testid=sync-state]").await?;
    let panel = "return document.querySelector('[data-testid=sync-panel]')?.textContent ?? ''";
    let live =
        "return (document.querySelector('[data-testid=sync-panel-live]')?.textContent ?? '')\
                .startsWith('Live updates on')";
    let deadline = Instant::now() + Duration::from_secs(60);
    while session.client.execute(live, vec![]).await?.as_bool() != Some(true) {
        if Instant::now() > deadline {
            let text = session.client.execute(panel, vec![]).await?;
            anyhow::bail!("{name} never had live updates on; the sync panel says {text}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    session.click("[data-testid=sync-panel-close]").await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_capture_on_one_app_shows_in_the_other_without_touching_it() -> anyhow::Result<()> {
    let backend = LocalBackend::start().await?;
    let auth = AuthClient::new(BackendConfig::new(backend.url(), backend.anon_key()))?;
    let SignUpOutcome::SignedIn(account) = auth
        .sign_up("live@example.com", "correct horse battery")
        .await?
    else {
        anyhow::bail!("sign-up did not sign in");
    };
    // Both apps find the session in the keyring under the backend's URL.
    let url = backend.url();
    tokio::task::spawn_blocking(move || KeyringTokenStore::new(url).save(&account)).await??;

    let (laptop_dir, desktop_dir) = (tempfile::tempdir()?, tempfile::tempdir()?);
    configure(laptop_dir.path(), &backend)?;
    configure(desktop_dir.path(), &backend)?;
    let artifacts = app::artifacts_dir();
    let laptop = AppSession::launch(
        &app::binary(),
        laptop_dir.path(),
        &artifacts.join("live-laptop.log"),
    )
    .await?;
    let desktop = AppSession::launch(
        &app::binary(),
        desktop_dir.path(),
        &artifacts.join("live-desktop.log"),
    )
    .await?;
    wait_live(&laptop, "the laptop").await?;
    wait_live(&desktop, "the desktop").await?;

    let captured = app::cli(laptop_dir.path(), &["capture", NOTE])?;
    assert!(captured.status.success(), "{captured:?}");
    let started = Instant::now();
    let script = format!(
        "return [...document.querySelectorAll('[data-testid=timeline-entry]')]\
         .some(e => e.textContent.includes({}))",
        serde_json::to_string(NOTE)?
    );
    let mut arrived = false;
    while started.elapsed() < ARRIVAL {
        if desktop.client.execute(&script, vec![]).await?.as_bool() == Some(true) {
            arrived = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    desktop
        .screenshot(artifacts.join("live-desktop.png"))
        .await?;
    assert!(
        arrived,
        "the note did not reach the other app within {ARRIVAL:?}"
    );
    laptop.close().await?;
    desktop.close().await?;
    Ok(())
}
