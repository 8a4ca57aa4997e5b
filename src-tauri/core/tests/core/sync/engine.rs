use super::http::session;
use super::stub::{dead_url, reply, slow, Stub};
use crate::common::fixture;
use jotline_core::auth::{AuthClient, BackendConfig, MemoryTokenStore, TokenStore};
use jotline_core::sync::{EngineConfig, SyncClient, SyncEngine, Trigger};
use jotline_core::{Surface, SyncPhase, SyncStatus};
use std::sync::Arc;
use std::time::Duration;

const PUSH_OK: &str = r#"{"version": 1, "last_op_seq": 2, "results": [
    {"op_seq": 1, "status": "applied"}, {"op_seq": 2, "status": "applied"}]}"#;
const PULL_EMPTY: &str =
    r#"{"changes": [], "next_cursor": "v1:1:entries:z", "has_more": false, "must_resync": false}"#;

fn engine(url: &str, core: jotline_core::Core, tokens: Arc<MemoryTokenStore>) -> SyncEngine {
    let mut cfg = BackendConfig::new(url, "anon-key");
    cfg.timeout = Duration::from_secs(2);
    SyncEngine::spawn(
        core,
        SyncClient::new(cfg.clone()).unwrap(),
        AuthClient::new(cfg).unwrap(),
        tokens,
        EngineConfig {
            interval: Duration::from_secs(3600),
            debounce: Duration::from_millis(50),
            seed: 7,
            ..EngineConfig::default()
        },
    )
}

async fn wait_for(engine: &SyncEngine, what: impl Fn(&SyncStatus) -> bool) -> SyncStatus {
    let mut rx = engine.status();
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let now = rx.borrow_and_update().clone();
            if what(&now) {
                return now;
            }
            rx.changed().await.unwrap();
        }
    })
    .await
    .expect("status never reached")
}

#[tokio::test]
async fn without_a_session_the_engine_is_signed_out_and_makes_no_request() {
    let f = fixture();
    let stub = Stub::start(vec![]);
    let e = engine(&stub.url, f.core.clone(), Arc::new(MemoryTokenStore::new()));
    wait_for(&e, |s| s.phase == SyncPhase::SignedOut).await;
    assert!(stub.requests().is_empty());
    e.shutdown().await;
}

#[tokio::test]
async fn start_up_round_pushes_then_pulls_and_goes_idle() {
    let f = fixture();
    f.core.capture_text("local", Surface::InApp).unwrap();
    let stub = Stub::start(vec![reply(200, PUSH_OK), reply(200, PULL_EMPTY)]);
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session()).unwrap();
    let e = engine(&stub.url, f.core.clone(), tokens);
    let status = wait_for(&e, |s| s.last_synced_at.is_some()).await;
    assert_eq!(status.phase, SyncPhase::Idle);
    assert_eq!(status.last_error, None);
    assert_eq!(f.core.status().unwrap().pending_ops, 0);
    let targets: Vec<String> = stub.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        ["/rest/v1/rpc/sync_push", "/rest/v1/rpc/sync_pull"]
    );
    e.shutdown().await;
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_and_retries_with_the_new_one() {
    let f = fixture();
    f.core.capture_text("local", Surface::InApp).unwrap();
    let s = session();
    let refreshed = format!(
        r#"{{"access_token": "at-new", "refresh_token": "rt-new", "expires_in": 3600,
            "user": {{"id": "{}", "email": "a@example.com"}}}}"#,
        s.user_id
    );
    let stub = Stub::start(vec![
        reply(401, r#"{"message": "JWT expired"}"#),
        reply(200, &refreshed),
        reply(200, PUSH_OK),
        reply(200, PULL_EMPTY),
    ]);
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&s).unwrap();
    let e = engine(&stub.url, f.core.clone(), tokens.clone());
    let status = wait_for(&e, |s| s.last_synced_at.is_some()).await;
    assert_eq!(status.phase, SyncPhase::Idle);
    let reqs = stub.requests();
    assert_eq!(reqs[1].target, "/auth/v1/token?grant_type=refresh_token");
    assert_eq!(reqs[2].header("authorization"), Some("Bearer at-new"));
    assert_eq!(tokens.load().unwrap().unwrap().refresh_token, "rt-new");
    // The rejected request did not count as an attempt.
    assert_eq!(f.core.status().unwrap().pending_ops, 0);
    e.shutdown().await;
}

#[tokio::test]
async fn a_dead_refresh_token_signs_out_and_clears_the_store() {
    let f = fixture();
    f.core.capture_text("local", Surface::InApp).unwrap();
    let stub = Stub::start(vec![
        reply(401, r#"{"message": "JWT expired"}"#),
        reply(
            400,
            r#"{"code": 400, "error_code": "refresh_token_not_found", "msg": "Invalid Refresh Token"}"#,
        ),
    ]);
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session()).unwrap();
    let e = engine(&stub.url, f.core.clone(), tokens.clone());
    let status = wait_for(&e, |s| s.phase == SyncPhase::SignedOut).await;
    assert!(status.last_error.is_some());
    assert_eq!(tokens.load().unwrap(), None);
    assert_eq!(f.core.status().unwrap().pending_ops, 2, "nothing lost");
    e.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_backend_is_offline_with_a_retry_time_and_a_manual_trigger_retries() {
    let f = fixture();
    f.core.capture_text("local", Surface::InApp).unwrap();
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session()).unwrap();
    let e = engine(&dead_url(), f.core.clone(), tokens);
    let status = wait_for(&e, |s| {
        s.phase == SyncPhase::Offline && s.retry_at.is_some()
    })
    .await;
    assert!(status.last_error.unwrap().contains("network"));
    // Being offline says nothing about the ops: no attempt counts toward dead-lettering.
    let attempts = f.count("SELECT max(attempts) FROM outbox");
    assert_eq!(attempts, 0);
    let first_retry = status.retry_at;
    e.trigger(Trigger::Manual);
    let mut rx = e.status();
    tokio::time::timeout(Duration::from_secs(10), async {
        while rx.borrow_and_update().retry_at == first_retry {
            let _ = tokio::time::timeout(Duration::from_millis(50), rx.changed()).await;
        }
    })
    .await
    .expect("manual trigger retried");
    assert_eq!(f.count("SELECT max(attempts) FROM outbox"), 0);
    assert_eq!(f.count("SELECT count(*) FROM outbox WHERE dead = 1"), 0);
    e.shutdown().await;
}

#[tokio::test]
async fn a_local_write_starts_a_round_after_the_debounce() {
    let f = fixture();
    let push_one = r#"{"version": 2, "last_op_seq": 4, "results": [
        {"op_seq": 3, "status": "applied"}, {"op_seq": 4, "status": "applied"}]}"#;
    let stub = Stub::start(vec![
        reply(200, PULL_EMPTY),
        reply(200, push_one),
        reply(200, PULL_EMPTY),
    ]);
    // Burn op_seqs 1 and 2 so the write below queues 3 and 4.
    f.core.capture_text("old", Surface::InApp).unwrap();
    f.db().execute("DELETE FROM outbox", []).unwrap();
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session()).unwrap();
    let e = engine(&stub.url, f.core.clone(), tokens);
    let first = wait_for(&e, |s| s.last_synced_at.is_some()).await;
    f.core.capture_text("new", Surface::InApp).unwrap();
    wait_for(&e, |s| {
        s.last_synced_at > first.last_synced_at && s.phase == SyncPhase::Idle
    })
    .await;
    assert_eq!(f.core.status().unwrap().pending_ops, 0);
    assert_eq!(stub.requests().len(), 3);
    e.shutdown().await;
}

#[tokio::test]
async fn a_journal_of_another_account_is_never_pushed_to_the_signed_in_one() {
    let f = fixture();
    f.core
        .capture_text("written for user A", Surface::InApp)
        .unwrap();
    f.core
        .switch_journal_user(uuid::Uuid::now_v7(), false)
        .unwrap();
    let stub = Stub::start(vec![reply(200, PUSH_OK), reply(200, PULL_EMPTY)]);
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session()).unwrap(); // user B
    let e = engine(&stub.url, f.core.clone(), tokens);
    let status = wait_for(&e, |s| s.phase == SyncPhase::Error).await;
    assert!(
        status.last_error.unwrap().contains("another account"),
        "the user is told why"
    );
    assert!(stub.requests().is_empty(), "nothing was sent");
    assert_eq!(f.core.status().unwrap().pending_ops, 2, "nothing lost");
    e.shutdown().await;
}

#[tokio::test]
async fn abort_stops_a_round_stuck_on_a_slow_backend_and_loses_nothing() {
    let f = fixture();
    f.core.capture_text("local", Surface::InApp).unwrap();
    let stub = Stub::start(vec![slow(200, PUSH_OK, Duration::from_secs(120))]);
    let mut cfg = BackendConfig::new(&stub.url, "anon-key");
    cfg.timeout = Duration::from_secs(120);
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session()).unwrap();
    let e = SyncEngine::spawn(
        f.core.clone(),
        SyncClient::new(cfg.clone()).unwrap(),
        AuthClient::new(cfg).unwrap(),
        tokens,
        EngineConfig::default(),
    );
    wait_for(&e, |s| s.phase == SyncPhase::Pushing).await;
    tokio::time::timeout(Duration::from_secs(10), async {
        while stub.requests().is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the push request is in flight");
    // shutdown() would wait for the answer (two minutes); abort() must not.
    tokio::time::timeout(Duration::from_secs(10), e.abort())
        .await
        .expect("abort returned while the request was still in flight");
    assert_eq!(f.core.status().unwrap().pending_ops, 2, "nothing lost");
}

/// Focus on the journal pulls only when the last round is older than `focus_staleness`.
#[tokio::test]
async fn focus_pulls_when_the_last_round_is_stale_and_not_otherwise() {
    let f = fixture();
    let stub = Stub::start(vec![reply(200, PULL_EMPTY), reply(200, PULL_EMPTY)]);
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session()).unwrap();
    let mut cfg = BackendConfig::new(&stub.url, "anon-key");
    cfg.timeout = Duration::from_secs(2);
    let e = SyncEngine::spawn(
        f.core.clone(),
        SyncClient::new(cfg.clone()).unwrap(),
        AuthClient::new(cfg).unwrap(),
        tokens,
        EngineConfig {
            interval: Duration::from_secs(3600),
            focus_staleness: Duration::from_millis(400),
            ..EngineConfig::default()
        },
    );
    let first = wait_for(&e, |s| s.last_synced_at.is_some()).await;
    e.trigger(Trigger::Focus);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        stub.requests().len(),
        1,
        "a fresh round: focus pulls nothing"
    );

    tokio::time::sleep(Duration::from_millis(400)).await;
    e.trigger(Trigger::Focus);
    wait_for(&e, |s| s.last_synced_at > first.last_synced_at).await;
    let targets: Vec<String> = stub.requests().into_iter().map(|r| r.target).collect();
    assert_eq!(
        targets,
        ["/rest/v1/rpc/sync_pull", "/rest/v1/rpc/sync_pull"]
    );
    e.shutdown().await;
}
