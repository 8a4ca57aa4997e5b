//! An expired access token: the core's round says 401 and queues nothing as failed; the
//! engine refreshes once (rotating the refresh token) and the round succeeds.

use std::sync::Arc;
use std::time::Duration;

use jotline_core::auth::{AuthClient, BackendConfig, MemoryTokenStore, Session, TokenStore};
use jotline_core::sync::{EngineConfig, SyncEngine, SyncError, Trigger};
use jotline_core::{SyncPhase, SyncStatus};
use jotline_tests::backend::BackendOptions;

use crate::common::{server_entries, sign_up, Device, PUSH};

const TOKEN: &str = "/auth/v1/token";

async fn wait_for(
    status: &mut tokio::sync::watch::Receiver<SyncStatus>,
    what: &str,
    done: impl Fn(&SyncStatus) -> bool,
) -> SyncStatus {
    let waited = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            {
                let s = status.borrow_and_update();
                if done(&s) {
                    return s.clone();
                }
            }
            status.changed().await.expect("engine alive");
        }
    })
    .await;
    waited.unwrap_or_else(|_| panic!("engine never reached {what}: {:?}", *status.borrow()))
}

#[tokio::test]
async fn expired_access_token_401_refreshes_once_and_the_round_succeeds() {
    let backend = crate::common::backend_with(BackendOptions {
        access_token_ttl: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let db = backend.connect_db().await.unwrap();
    let session = sign_up(&backend, "expiry@example.com").await;
    let device = Device::new(&backend, "expiry", Duration::from_secs(10));
    let id = device.create(None, "written while the token expired");

    // The token's own `exp` passes; the client still believes it valid for an hour (clock
    // skew, or a token revoked early), so only the server's 401 can tell.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let stale = Session {
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
        ..session.clone()
    };

    // The core alone: 401, and the op is not counted as a failed attempt.
    let err = device.round(&stale).await.unwrap_err();
    assert!(matches!(err, SyncError::Unauthorized(_)), "{err:?}");
    let outbox = device.outbox();
    assert_eq!(outbox.len(), 1);
    assert!(!outbox[0].3);
    let attempts: i64 = {
        let conn = rusqlite::Connection::open(device.data_dir().join(jotline_core::DATABASE_FILE))
            .unwrap();
        conn.query_row("SELECT attempts FROM outbox", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(attempts, 0, "a 401 is not the op's failure");

    // The engine: 401 → refresh once → the same round succeeds.
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&stale).unwrap();
    let auth = AuthClient::new(BackendConfig::new(device.proxy.url(), backend.anon_key())).unwrap();
    let pushes_before = device.proxy.count(PUSH);
    let engine = SyncEngine::spawn(
        device.core().clone(),
        device.client.clone(),
        auth,
        tokens.clone(),
        EngineConfig {
            interval: Duration::from_secs(3600),
            debounce: Duration::from_millis(50),
            seed: 7,
            ..EngineConfig::default()
        },
    );
    let mut status = engine.status();
    let s = wait_for(&mut status, "a completed round", |s| {
        s.last_synced_at.is_some()
            || s.phase != SyncPhase::Idle
                && s.phase != SyncPhase::Pushing
                && s.phase != SyncPhase::Pulling
    })
    .await;
    assert_eq!(s.phase, SyncPhase::Idle, "{s:?}");
    assert!(s.last_error.is_none(), "{s:?}");
    assert_eq!(device.proxy.count(TOKEN), 1, "refreshed exactly once");
    assert_eq!(
        device.proxy.count(PUSH) - pushes_before,
        2,
        "the 401 push and its retry"
    );
    let fresh = tokens.load().unwrap().expect("still signed in");
    assert_ne!(fresh.refresh_token, session.refresh_token, "rotated");
    assert_ne!(fresh.access_token, session.access_token);
    assert!(device.outbox().is_empty());
    let server = server_entries(&db, session.user_id).await;
    assert!(server.contains_key(&id));
    assert_eq!(device.entries(), server);

    // The refreshed token expires too; the engine's next round (proactive refresh, since
    // its expiry is known now) still succeeds.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let id2 = device.create(None, "after the second expiry");
    let synced = s.last_synced_at;
    engine.trigger(Trigger::Manual);
    let s = wait_for(&mut status, "a second round", |s| {
        s.last_synced_at != synced && s.phase == SyncPhase::Idle || s.last_error.is_some()
    })
    .await;
    assert!(s.last_error.is_none(), "{s:?}");
    assert!(server_entries(&db, session.user_id)
        .await
        .contains_key(&id2));
    engine.shutdown().await;
}

#[tokio::test]
async fn a_dead_refresh_token_signs_out_without_losing_the_outbox() {
    let backend = crate::common::backend_with(BackendOptions {
        access_token_ttl: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let session = sign_up(&backend, "dead@example.com").await;
    let device = Device::new(&backend, "dead", Duration::from_secs(10));
    device.create(None, "kept locally");
    // Rotate the refresh token elsewhere: the one we hold stops working.
    let auth = AuthClient::new(BackendConfig::new(backend.url(), backend.anon_key())).unwrap();
    auth.refresh(&session.refresh_token).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session).unwrap();
    let engine = SyncEngine::spawn(
        device.core().clone(),
        device.client.clone(),
        AuthClient::new(BackendConfig::new(device.proxy.url(), backend.anon_key())).unwrap(),
        tokens.clone(),
        EngineConfig {
            interval: Duration::from_secs(3600),
            debounce: Duration::from_millis(50),
            seed: 7,
            ..EngineConfig::default()
        },
    );
    let mut status = engine.status();
    let s = wait_for(&mut status, "signed out", |s| {
        s.phase == SyncPhase::SignedOut
    })
    .await;
    assert!(s.last_error.is_some(), "{s:?}");
    assert!(
        tokens.load().unwrap().is_none(),
        "the dead session is forgotten"
    );
    let outbox = device.outbox();
    assert_eq!(
        outbox.len(),
        1,
        "the unsynced op waits for the next sign-in"
    );
    assert!(!outbox[0].3);
    engine.shutdown().await;
}
