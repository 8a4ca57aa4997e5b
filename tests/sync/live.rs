//! Live updates between two devices on the stand-in (its Realtime endpoint, the pokes of
//! migration 0010): a capture on A is in B's database with no poll and no manual refresh; a
//! socket killed mid-run reconnects and misses nothing; an endpoint that refuses connections
//! leaves polling on and says live updates are off.

use std::sync::Arc;
use std::time::Duration;

use jotline_core::auth::{AuthClient, BackendConfig, MemoryTokenStore, Session, TokenStore};
use jotline_core::sync::{EngineConfig, RealtimeConfig, SyncEngine};
use jotline_core::{LiveUpdates, Surface, SyncStatus};
use jotline_tests::backend::LocalBackend;
use uuid::Uuid;

use crate::common::{backend, sign_up, Device, PASSWORD};

/// An engine for `device` through its proxy, live updates included, polling every `interval`.
fn live_engine(
    device: &Device,
    backend: &LocalBackend,
    session: &Session,
    interval: Duration,
) -> SyncEngine {
    engine_named(device, backend, session, interval, None)
}

/// [`live_engine`] with delivery receipts: the device registers as `name` and lists devices.
pub fn engine_named(
    device: &Device,
    backend: &LocalBackend,
    session: &Session,
    interval: Duration,
    name: Option<&str>,
) -> SyncEngine {
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(session).unwrap();
    let auth = AuthClient::new(BackendConfig::new(device.proxy.url(), backend.anon_key())).unwrap();
    let mut realtime = RealtimeConfig::new(
        &device.proxy.url(),
        &backend.anon_key(),
        device.core().sync().client_id().unwrap(),
    )
    .unwrap();
    realtime.reconnect_base = Duration::from_millis(100);
    realtime.reconnect_cap = Duration::from_millis(500);
    SyncEngine::spawn(
        device.core().clone(),
        device.client.clone(),
        auth,
        tokens,
        EngineConfig {
            interval,
            realtime: Some(realtime),
            device_name: name.map(str::to_owned),
            ..EngineConfig::default()
        },
    )
}

pub async fn wait_for(engine: &SyncEngine, what: &str, check: impl Fn(&SyncStatus) -> bool) {
    let mut rx = engine.status();
    tokio::time::timeout(Duration::from_secs(20), async {
        while !check(&rx.borrow_and_update()) {
            rx.changed().await.unwrap();
        }
    })
    .await
    .unwrap_or_else(|_| panic!("never: {what} ({:?})", engine.status().borrow()));
}

pub async fn arrives(device: &Device, id: Uuid, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if device.entries().contains_key(&id) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

pub fn live(s: &SyncStatus) -> bool {
    s.live_updates == LiveUpdates::On
}

/// Both devices of one user, each with its own session.
async fn two_devices(backend: &LocalBackend) -> (Device, Session, Device, Session) {
    let a_session = sign_up(
        backend,
        &format!("live-{}@example.com", Uuid::now_v7().simple()),
    )
    .await;
    let auth = AuthClient::new(BackendConfig::new(backend.url(), backend.anon_key())).unwrap();
    let b_session = auth
        .sign_in(a_session.email.as_deref().unwrap(), PASSWORD)
        .await
        .unwrap();
    let a = Device::new(backend, "a", Duration::from_secs(10));
    let b = Device::new(backend, "b", Duration::from_secs(10));
    (a, a_session, b, b_session)
}

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn a_capture_on_a_reaches_b_with_no_poll_and_no_refresh() {
    let backend = backend().await;
    let (a, a_session, b, b_session) = two_devices(&backend).await;
    let a_engine = live_engine(&a, &backend, &a_session, HOUR);
    let b_engine = live_engine(&b, &backend, &b_session, HOUR);
    wait_for(&a_engine, "A live", live).await;
    wait_for(&b_engine, "B live", live).await;
    let pulls_before = b.proxy.count(crate::common::PULL);

    let saved = a
        .core()
        .capture_text("thought on A", Surface::InApp)
        .unwrap();
    assert!(
        arrives(&b, saved.entry.id, Duration::from_secs(10)).await,
        "the capture never reached B"
    );
    assert!(b.proxy.count(crate::common::PULL) > pulls_before);
    // A's own poke did not make A pull again and again: it pulled at most once for its push.
    a_engine.abort().await;
    b_engine.abort().await;
}

#[tokio::test]
async fn a_socket_killed_mid_run_reconnects_pulls_and_misses_nothing() {
    let backend = backend().await;
    let (a, a_session, b, b_session) = two_devices(&backend).await;
    let a_engine = live_engine(&a, &backend, &a_session, HOUR);
    let b_engine = live_engine(&b, &backend, &b_session, HOUR);
    wait_for(&a_engine, "A live", live).await;
    wait_for(&b_engine, "B live", live).await;

    assert!(b.proxy.drop_websockets() >= 1);
    // Written while B's socket is down: no poke reaches B for these; its rejoin pulls them.
    let ids: Vec<Uuid> = (0..3)
        .map(|i| a.create(None, &format!("while B was away {i}")))
        .collect();
    wait_for(&b_engine, "B live again", live).await;
    for id in ids {
        assert!(
            arrives(&b, id, Duration::from_secs(10)).await,
            "{id} missed"
        );
    }
    // And the connection works again: the next capture arrives by poke.
    let next = a.create(None, "after the reconnect");
    assert!(arrives(&b, next, Duration::from_secs(10)).await);
    assert_eq!(
        b.proxy.websockets(),
        1,
        "one live connection, not a pile of them"
    );
    a_engine.abort().await;
    b_engine.abort().await;
}

#[tokio::test]
async fn an_endpoint_refusing_connections_leaves_polling_on_and_live_updates_off() {
    let backend = backend().await;
    let (a, a_session, b, b_session) = two_devices(&backend).await;
    b.proxy.refuse_realtime(true);
    let a_engine = live_engine(&a, &backend, &a_session, HOUR);
    let b_engine = live_engine(&b, &backend, &b_session, Duration::from_secs(1));
    wait_for(&b_engine, "B says live updates are off", |s| {
        s.live_updates == LiveUpdates::Off
    })
    .await;
    let id = a.create(None, "polled, not poked");
    assert!(
        arrives(&b, id, Duration::from_secs(15)).await,
        "B's polling never brought it"
    );
    let status = b_engine.status().borrow().clone();
    assert_eq!(status.live_updates, LiveUpdates::Off);
    assert_eq!(status.last_error, None, "no live updates is not an error");

    b.proxy.refuse_realtime(false);
    wait_for(&b_engine, "B live once allowed", live).await;
    a_engine.abort().await;
    b_engine.abort().await;
}
