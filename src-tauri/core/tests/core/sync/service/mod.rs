//! The sync service without Tauri: sign-in starts the engine, pause stops a round, the
//! account-switch rule, and new backend settings rebuild the clients.

pub mod gotrue;

use crate::common::{fixture, Fixture};
use gotrue::{Backend, ACCESS, ANA, BEN};
use jotline_core::auth::{MemoryTokenStore, TokenStore};
use jotline_core::sync::{shared_tokens, SignInKind, SyncService};
use jotline_core::types::{CoreEvent, ErrorCode, Surface, SyncState};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn service(f: &Fixture) -> (SyncService, Arc<MemoryTokenStore>) {
    let tokens = Arc::new(MemoryTokenStore::new());
    let sync = SyncService::new(f.core.clone(), shared_tokens(tokens.clone()));
    (sync, tokens)
}

async fn configure(sync: &SyncService, url: &str) {
    sync.set_backend(url.to_owned(), "anon-key".into(), 5)
        .await
        .unwrap();
}

async fn sign_in(sync: &SyncService, email: &str) -> Result<jotline_core::Account, ErrorCode> {
    sync.sign_in(SignInKind::SignIn, email, "pw", false)
        .await
        .map_err(|e| e.code)
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn email_of(state: &SyncState) -> Option<&str> {
    match state {
        SyncState::Active { email, .. } | SyncState::Paused { email } => Some(email),
        _ => None,
    }
}

#[tokio::test]
async fn signing_in_runs_the_engine_and_every_status_carries_the_sync_state() {
    let f = fixture();
    let backend = Backend::start();
    let (sync, tokens) = service(&f);
    assert_eq!(sync.state(), SyncState::LocalOnly);
    assert_eq!(
        sign_in(&sync, "ana@x").await,
        Err(ErrorCode::InvalidInput),
        "no backend yet"
    );
    configure(&sync, "http://127.0.0.1:9").await;
    assert_eq!(sign_in(&sync, "ana@x").await, Err(ErrorCode::Network));
    configure(&sync, &backend.url).await;
    assert_eq!(sync.state(), SyncState::SignedOut { reason: None });

    let mut events = f.core.subscribe();
    assert_eq!(
        sign_in(&sync, "bad@x").await,
        Err(ErrorCode::InvalidCredentials)
    );
    let account = sign_in(&sync, " ana@x ").await.unwrap();
    assert_eq!(account.user_id.to_string(), ANA);
    assert_eq!(sync.account(), Some(account));
    assert!(matches!(sync.state(), SyncState::Active { ref email, .. } if email == "ana@x"));
    assert_eq!(
        f.core.status().unwrap().sync,
        sync.state(),
        "no placeholder state"
    );
    assert_eq!(tokens.load().unwrap().unwrap().access_token, ACCESS);
    wait_for("the engine's first round", || backend.sync_calls() > 0).await;
    // Tokens live in the token store only: not in the settings file, nor in the database.
    for file in ["settings.json", "jotline.db"] {
        let bytes = std::fs::read(f.core.data_dir().join(file)).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(ACCESS), "{file}");
    }

    let mut told = None;
    while let Ok(event) = events.try_recv() {
        if let CoreEvent::StatusChanged { status } = event {
            told = Some(status.sync);
        }
    }
    assert_eq!(email_of(&told.expect("a status event")), Some("ana@x"));

    sync.sign_out().await.unwrap();
    assert!(tokens.load().unwrap().is_none());
    assert_eq!(sync.account(), None);
    assert_eq!(
        f.core.status().unwrap().sync,
        SyncState::SignedOut { reason: None }
    );
}

#[tokio::test]
async fn pause_stops_a_round_in_progress_and_resume_starts_the_next() {
    let f = fixture();
    let backend = Backend::start();
    let (sync, _) = service(&f);
    assert_eq!(
        sync.set_paused(true).await.unwrap_err().code,
        ErrorCode::InvalidInput,
        "nothing to pause while signed out"
    );
    configure(&sync, &backend.url).await;
    backend.hold();
    sign_in(&sync, "ana@x").await.unwrap();
    f.core
        .capture_text("written before the pause", Surface::InApp)
        .unwrap();
    wait_for("a round stuck mid-push", || backend.sync_calls() > 0).await;

    // Returns although the backend never answers: the round is aborted, not awaited.
    sync.set_paused(true).await.unwrap();
    assert_eq!(
        sync.state(),
        SyncState::Paused {
            email: "ana@x".into()
        }
    );
    assert_eq!(
        sync.account().unwrap().email,
        "ana@x",
        "pausing keeps the account"
    );
    assert!(sync.uploader(&f.core.settings().unwrap()).is_none());
    assert_eq!(
        sync.full_resync().await.unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(f.core.status().unwrap().pending_ops, 2, "nothing lost");

    backend.release();
    let calls = backend.sync_calls();
    f.core
        .capture_text("written while paused", Surface::InApp)
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(backend.sync_calls(), calls, "no round while paused");

    sync.set_paused(false).await.unwrap();
    assert!(matches!(sync.state(), SyncState::Active { .. }));
    wait_for("a round after resuming", || backend.sync_calls() > calls).await;
    sync.full_resync().await.unwrap();
}

#[tokio::test]
async fn another_account_is_refused_while_the_previous_ones_changes_wait() {
    let f = fixture();
    let backend = Backend::start();
    let (sync, tokens) = service(&f);
    configure(&sync, &backend.url).await;
    sign_in(&sync, "ana@x").await.unwrap();
    sync.sign_out().await.unwrap();
    // Ana's note, never pushed (the backend answers 503).
    f.core
        .capture_text("ana's private note", Surface::InApp)
        .unwrap();

    let err = sync
        .sign_in(SignInKind::SignIn, "ben@x", "pw", false)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::PendingChangesOfOtherUser);
    assert!(
        err.message.contains("2 unsynced changes"),
        "{}",
        err.message
    );
    assert!(tokens.load().unwrap().is_none(), "refused: no session kept");
    assert_eq!(f.core.status().unwrap().entry_count, 1);

    // Ana herself may come back: her journal is kept.
    sign_in(&sync, "ana@x").await.unwrap();
    assert_eq!(f.core.status().unwrap().entry_count, 1);
    sync.sign_out().await.unwrap();

    // Ben, after confirming the discard: Ana's local copy is gone, nothing mixed.
    let ben = sync.sign_in(SignInKind::SignUp, "ben@x", "pw", true).await;
    assert_eq!(
        ben.unwrap_err().code,
        ErrorCode::Backend,
        "this backend has no sign-up"
    );
    assert_eq!(
        f.core.status().unwrap().entry_count,
        1,
        "a failed sign-in discards nothing"
    );
    sync.sign_in(SignInKind::SignIn, "ben@x", "pw", true)
        .await
        .unwrap();
    let status = f.core.status().unwrap();
    assert_eq!((status.entry_count, status.pending_ops), (0, 0));
    assert_eq!(f.core.journal_user().unwrap().unwrap().to_string(), BEN);
}

#[tokio::test]
async fn new_backend_settings_rebuild_the_clients() {
    let f = fixture();
    let (first, second) = (Backend::start(), Backend::start());
    let (sync, _) = service(&f);
    configure(&sync, &first.url).await;
    sign_in(&sync, "ana@x").await.unwrap();
    wait_for("a round on the first backend", || first.sync_calls() > 0).await;

    let err = sync
        .set_backend(second.url.clone(), "anon-key".into(), 5)
        .await
        .unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::InvalidInput,
        "the session belongs to its backend"
    );
    assert_eq!(f.core.settings().unwrap().backend_url, first.url);
    let settings = sync
        .set_backend(format!("{}/", first.url), "anon-key".into(), 10)
        .await
        .unwrap();
    assert_eq!(
        settings.sync_interval_minutes, 10,
        "the interval may change"
    );
    assert!(
        matches!(sync.state(), SyncState::Active { .. }),
        "and sync goes on"
    );

    sync.sign_out().await.unwrap();
    let on_first = first.sync_calls();
    configure(&sync, &second.url).await;
    assert_eq!(
        sync.state(),
        SyncState::SignedOut { reason: None },
        "no session there"
    );
    sign_in(&sync, "ana@x").await.unwrap();
    wait_for("a round on the second backend", || second.sync_calls() > 0).await;
    assert!(sync.uploader(&f.core.settings().unwrap()).is_some());
    assert_eq!(
        first.sync_calls(),
        on_first,
        "the first backend is left alone"
    );
}
