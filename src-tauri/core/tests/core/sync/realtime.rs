//! Live updates: the engine's Realtime connection against a scripted server. A poke from
//! another device pulls, its own pokes do not; a lost, silent or refused connection leaves
//! polling on, says "live updates off", and comes back with one pull.

use super::realtime_stub::RealtimeStub;
use super::service::gotrue::{Backend, ACCESS, ANA};
use crate::common::fixture;
use jotline_core::auth::TokenStore;
use jotline_core::auth::{AuthClient, BackendConfig, MemoryTokenStore, Session, SessionProvider};
use jotline_core::sync::{EngineConfig, RealtimeConfig, SyncClient, SyncEngine, Trigger};
use jotline_core::{LiveUpdates, SyncPhase, SyncStatus};
use std::sync::Arc;
use std::time::Duration;

const OWN: &str = "0190a000-0000-7000-8000-0000000000c1";

struct Setup {
    engine: SyncEngine,
    session: Arc<SessionProvider>,
    stub: RealtimeStub,
    backend: Backend,
    _f: crate::common::Fixture,
}

fn topic() -> String {
    format!("jotline:{ANA}")
}

async fn setup(heartbeat: Duration) -> Setup {
    let backend = Backend::start();
    let auth_url = backend.url.clone();
    setup_with(heartbeat, backend, &auth_url).await
}

/// `auth_url`: where the session is refreshed (the sync calls go to `backend`).
async fn setup_with(heartbeat: Duration, backend: Backend, auth_url: &str) -> Setup {
    let f = fixture();
    let stub = RealtimeStub::start().await;
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens
        .save(&Session {
            access_token: ACCESS.into(),
            refresh_token: "stub-refresh-token".into(),
            expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
            user_id: ANA.parse().unwrap(),
            email: Some("ana@x".into()),
        })
        .unwrap();
    let mut cfg = BackendConfig::new(&backend.url, "anon-key");
    cfg.timeout = Duration::from_secs(2);
    let auth = AuthClient::new(BackendConfig::new(auth_url, "anon-key")).unwrap();
    let session = Arc::new(SessionProvider::new(auth, tokens));
    let realtime = RealtimeConfig {
        websocket_url: format!("{}?apikey=anon-key&vsn=1.0.0", stub.url),
        client_id: OWN.into(),
        heartbeat,
        max_frame_bytes: 64 * 1024,
        reconnect_base: Duration::from_millis(50),
        reconnect_cap: Duration::from_millis(200),
        seed: 7,
    };
    let engine = SyncEngine::spawn_with(
        f.core.clone(),
        SyncClient::new(cfg).unwrap(),
        session.clone(),
        EngineConfig {
            interval: Duration::from_secs(3600),
            debounce: Duration::from_millis(50),
            realtime: Some(realtime),
            ..EngineConfig::default()
        },
    );
    Setup {
        engine,
        session,
        stub,
        backend,
        _f: f,
    }
}

async fn wait_for(engine: &SyncEngine, what: &str, check: impl Fn(&SyncStatus) -> bool) {
    let mut rx = engine.status();
    tokio::time::timeout(Duration::from_secs(10), async {
        while !check(&rx.borrow_and_update()) {
            rx.changed().await.unwrap();
        }
    })
    .await
    .unwrap_or_else(|_| panic!("never: {what}"));
}

async fn eventually(what: &str, check: impl Fn() -> bool) {
    tokio::time::timeout(Duration::from_secs(10), async {
        while !check() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("never: {what}"));
}

/// Waits until the rounds in flight are over (every round here ends in Backoff: the backend
/// answers the sync calls 503) and returns how many sync calls were made.
async fn settled(s: &Setup) -> usize {
    wait_for(&s.engine, "a finished round", |st| {
        st.phase == SyncPhase::Backoff
    })
    .await;
    let mut calls = s.backend.sync_calls();
    loop {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let now = s.backend.sync_calls();
        if now == calls {
            return calls;
        }
        calls = now;
    }
}

#[tokio::test]
async fn joins_the_users_private_topic_and_pulls_on_another_devices_poke_only() {
    let s = setup(Duration::from_secs(25)).await;
    wait_for(&s.engine, "live updates on", |st| {
        st.live_updates == LiveUpdates::On
    })
    .await;
    let join = &s.stub.frames_of("phx_join")[0];
    assert_eq!(join["topic"], format!("realtime:{}", topic()));
    assert_eq!(join["payload"]["config"]["private"], true);
    assert_eq!(join["payload"]["access_token"], ACCESS);
    assert_eq!(join["join_ref"], join["ref"]);

    let calls = settled(&s).await;
    assert!(calls >= 1, "the start-up round and the join's pull");
    s.stub.poke(&topic(), 7, Some(OWN));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s.backend.sync_calls(), calls, "its own poke is not news");

    s.stub.poke(&topic(), 8, Some("another-device"));
    eventually("a pull after another device's poke", || {
        s.backend.sync_calls() > calls
    })
    .await;
    // A poke on another topic (not ours) is nothing.
    let calls = settled(&s).await;
    s.stub.poke("jotline:someone-else", 9, None);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s.backend.sync_calls(), calls);
    s.engine.abort().await;
}

#[tokio::test]
async fn a_dropped_connection_comes_back_and_pulls_once_joined() {
    let s = setup(Duration::from_secs(25)).await;
    wait_for(&s.engine, "live updates on", |st| {
        st.live_updates == LiveUpdates::On
    })
    .await;
    let calls = settled(&s).await;
    s.stub.drop_all();
    eventually("a second connection", || s.stub.connections() >= 2).await;
    wait_for(&s.engine, "live updates on again", |st| {
        st.live_updates == LiveUpdates::On
    })
    .await;
    eventually("the pull of the rejoin", || s.backend.sync_calls() > calls).await;
    assert_eq!(s.stub.frames_of("phx_join").len(), 2);
    s.engine.abort().await;
}

#[tokio::test]
async fn heartbeats_go_to_phoenix_and_a_server_that_stops_answering_is_left() {
    let s = setup(Duration::from_millis(150)).await;
    eventually("two heartbeats", || {
        s.stub.frames_of("heartbeat").len() >= 2
    })
    .await;
    let beat = &s.stub.frames_of("heartbeat")[0];
    assert_eq!(beat["topic"], "phoenix");
    assert_eq!(
        s.stub.connections(),
        1,
        "answered heartbeats keep the connection"
    );
    s.stub.mute_heartbeats(true);
    eventually("a new connection after a missed reply", || {
        s.stub.connections() >= 2
    })
    .await;
    s.engine.abort().await;
}

#[tokio::test]
async fn garbage_is_ignored_and_an_oversized_frame_reconnects() {
    let s = setup(Duration::from_secs(25)).await;
    wait_for(&s.engine, "live updates on", |st| {
        st.live_updates == LiveUpdates::On
    })
    .await;
    let calls = settled(&s).await;
    for garbage in ["not json", "{\"topic\": 1}", "[1, 2, 3]", "{}"] {
        s.stub.send_text(garbage);
    }
    s.stub.poke(&topic(), 3, Some("another-device"));
    eventually("the poke after the garbage", || {
        s.backend.sync_calls() > calls
    })
    .await;
    assert_eq!(
        s.stub.connections(),
        1,
        "garbage does not cost the connection"
    );

    s.stub
        .send_text(format!("{{\"pad\": \"{}\"}}", "x".repeat(100 * 1024)));
    eventually("a new connection", || s.stub.connections() >= 2).await;
    wait_for(&s.engine, "live updates on again", |st| {
        st.live_updates == LiveUpdates::On
    })
    .await;
    s.engine.abort().await;
}

#[tokio::test]
async fn a_refused_join_says_live_updates_off_and_polling_goes_on() {
    let s = setup(Duration::from_secs(25)).await;
    s.stub.refuse_joins(true);
    // The first join may have been answered before the refusal was set.
    s.stub.drop_all();
    wait_for(&s.engine, "live updates off", |st| {
        st.live_updates == LiveUpdates::Off
    })
    .await;
    eventually("retries", || s.stub.frames_of("phx_join").len() >= 3).await;
    let calls = settled(&s).await;
    s.engine.trigger(Trigger::Manual);
    eventually("a round without live updates", || {
        s.backend.sync_calls() > calls
    })
    .await;
    wait_for(&s.engine, "still off", |st| {
        st.live_updates == LiveUpdates::Off
    })
    .await;

    s.stub.refuse_joins(false);
    wait_for(&s.engine, "live updates on", |st| {
        st.live_updates == LiveUpdates::On
    })
    .await;
    s.engine.abort().await;
}

#[tokio::test]
async fn nothing_listens_on_the_realtime_port_and_sync_goes_on() {
    let f = fixture();
    let backend = Backend::start();
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&super::http::session()).unwrap();
    let cfg = BackendConfig::new(&backend.url, "anon-key");
    let session = Arc::new(SessionProvider::new(
        AuthClient::new(cfg.clone()).unwrap(),
        tokens,
    ));
    let mut realtime =
        RealtimeConfig::new(&super::stub::dead_url(), "anon-key", OWN.into()).unwrap();
    realtime.reconnect_base = Duration::from_millis(50);
    let engine = SyncEngine::spawn_with(
        f.core.clone(),
        SyncClient::new(cfg).unwrap(),
        session,
        EngineConfig {
            interval: Duration::from_secs(3600),
            realtime: Some(realtime),
            ..EngineConfig::default()
        },
    );
    wait_for(&engine, "live updates off", |st| {
        st.live_updates == LiveUpdates::Off
    })
    .await;
    eventually("a round", || backend.sync_calls() >= 1).await;
    engine.abort().await;
}

#[test]
fn the_websocket_url_of_a_project() {
    use jotline_core::sync::realtime::websocket_url;
    assert_eq!(
        websocket_url("https://abc.supabase.co/", "sb_publishable_x").unwrap(),
        "wss://abc.supabase.co/realtime/v1/websocket?apikey=sb_publishable_x&vsn=1.0.0"
    );
    assert_eq!(
        websocket_url("http://127.0.0.1:54321", "a.b+c").unwrap(),
        "ws://127.0.0.1:54321/realtime/v1/websocket?apikey=a.b%2Bc&vsn=1.0.0"
    );
    assert!(websocket_url("ftp://x", "k").is_err());
}

/// A refreshed session reaches the open channel as an `access_token` message (Realtime closes
/// a channel whose token expires).
#[tokio::test]
async fn a_refreshed_token_is_handed_to_the_channel() {
    let refreshed = format!(
        r#"{{"access_token": "at-new", "refresh_token": "rt-new", "expires_in": 3600,
            "user": {{"id": "{ANA}", "email": "ana@x"}}}}"#
    );
    let auth = super::stub::Stub::start(vec![super::stub::reply(200, &refreshed)]);
    let s = setup_with(Duration::from_secs(25), Backend::start(), &auth.url).await;
    wait_for(&s.engine, "live updates on", |st| {
        st.live_updates == LiveUpdates::On
    })
    .await;
    let current = s.session.session().await.unwrap();
    let fresh = s.session.after_rejection(&current).await.unwrap();
    assert_eq!(fresh.access_token, "at-new");
    eventually("the new token on the channel", || {
        !s.stub.frames_of("access_token").is_empty()
    })
    .await;
    let handed = &s.stub.frames_of("access_token")[0];
    assert_eq!(handed["payload"]["access_token"], "at-new");
    assert_eq!(handed["topic"], format!("realtime:{}", topic()));
    assert_eq!(handed["join_ref"], s.stub.frames_of("phx_join")[0]["ref"]);
    s.engine.abort().await;
}
