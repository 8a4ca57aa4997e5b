//! Delivery receipts across three devices of one user on the stand-in: A's entry is on this
//! computer, then on the server, then on all devices once B and C have pulled it (their
//! receipts reach A over Realtime); with C away a new entry is "not yet on C"; once C is
//! forgotten, A's entries are on all (remaining) devices.

use std::time::Duration;

use jotline_core::auth::{AuthClient, BackendConfig, Session};
use jotline_core::{Core, Delivery, EntryDelivery};
use uuid::Uuid;

use crate::common::{backend, sign_up, Device, PASSWORD};
use crate::live::{arrives, engine_named, live, wait_for};

const HOUR: Duration = Duration::from_secs(3600);

async fn delivery_becomes(
    core: &Core,
    id: Uuid,
    what: &str,
    check: impl Fn(&EntryDelivery) -> bool,
) -> EntryDelivery {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let now = core.entry_delivery(id).unwrap();
        if check(&now) {
            return now;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never {what}: {now:?}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn an_entry_goes_local_then_server_then_every_device_and_names_the_one_behind() {
    let backend = backend().await;
    let first = sign_up(
        &backend,
        &format!("receipts-{}@example.com", Uuid::now_v7().simple()),
    )
    .await;
    let auth = AuthClient::new(BackendConfig::new(backend.url(), backend.anon_key())).unwrap();
    let email = first.email.clone().unwrap();
    let mut sessions: Vec<Session> = vec![first];
    for _ in 0..2 {
        sessions.push(auth.sign_in(&email, PASSWORD).await.unwrap());
    }
    let devices: Vec<Device> = ["a", "b", "c"]
        .iter()
        .map(|n| Device::new(&backend, n, Duration::from_secs(10)))
        .collect();
    let (a, b, c) = (&devices[0], &devices[1], &devices[2]);

    let b_engine = engine_named(b, &backend, &sessions[1], HOUR, Some("B"));
    let c_engine = engine_named(c, &backend, &sessions[2], HOUR, Some("C"));
    wait_for(&b_engine, "B live", live).await;
    wait_for(&c_engine, "C live", live).await;

    // Written before A syncs at all: only on this computer.
    let first_id = a.create(None, "written offline");
    assert_eq!(
        a.core().entry_delivery(first_id).unwrap().delivery,
        Delivery::OnThisComputer
    );
    let a_engine = engine_named(a, &backend, &sessions[0], HOUR, Some("A"));
    wait_for(&a_engine, "A live", live).await;
    delivery_becomes(a.core(), first_id, "on all devices", |d| {
        d.delivery == Delivery::OnAllDevices && d.missing.is_empty()
    })
    .await;
    let names: Vec<Option<String>> = a
        .core()
        .sync()
        .devices()
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(
        names[0].as_deref(),
        Some("A"),
        "this device first: {names:?}"
    );

    // C is away (its app quit): a new entry reaches B, not C.
    c_engine.abort().await;
    let second = a.create(None, "while C is away");
    assert!(arrives(b, second, Duration::from_secs(10)).await);
    let behind = delivery_becomes(a.core(), second, "on the server, lacking C", |d| {
        d.delivery == Delivery::OnServer && d.missing.len() == 1
    })
    .await;
    assert_eq!(behind.missing[0].name.as_deref(), Some("C"));
    assert!(behind.missing[0].last_seen_at.is_some());
    // B's receipt came in, so only C is named, and it stays so (a new listing may shift the
    // times by the request's latency: the server's clock is mapped onto this one).
    tokio::time::sleep(Duration::from_millis(500)).await;
    let later = a.core().entry_delivery(second).unwrap();
    assert_eq!(later.delivery, Delivery::OnServer);
    let ids = |d: &EntryDelivery| {
        d.missing
            .iter()
            .map(|m| m.client_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&later), ids(&behind));

    // The user forgets C: A's entries are on all the devices that remain.
    let c_id = c.core().sync().client_id().unwrap();
    let client =
        jotline_core::sync::SyncClient::new(BackendConfig::new(backend.url(), backend.anon_key()))
            .unwrap();
    assert!(client.forget_device(&sessions[0], &c_id).await.unwrap());
    let list = client.list_devices(&sessions[0]).await.unwrap();
    a.core().sync().store_devices(&list).unwrap();
    assert_eq!(
        a.core().entry_delivery(second).unwrap().delivery,
        Delivery::OnAllDevices
    );
    assert_eq!(a.core().sync().devices().unwrap().len(), 2);
    a_engine.abort().await;
    b_engine.abort().await;
}
