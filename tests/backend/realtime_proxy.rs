//! Realtime WebSockets through the fault proxy: pokes flow through it, a test can drop every
//! live socket at once (both ends closed, as a network failure would), and refuse Realtime
//! (503) while HTTP goes on; refused or dropped, the next connection works again.

use std::time::{Duration, Instant};

use jotline_tests::backend::{Fault, FaultProxy, LocalBackend};
use serde_json::json;
use uuid::Uuid;

use crate::phoenix::{private, Phoenix};
use crate::realtime::backend;
use crate::support::{create_entry, Api};

fn realtime_url(proxy: &FaultProxy, backend: &LocalBackend) -> String {
    format!(
        "{}/realtime/v1/websocket?apikey={}&vsn=1.0.0",
        proxy.url().replacen("http://", "ws://", 1),
        backend.anon_key()
    )
}

async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The HTTP status a WebSocket handshake got instead of switching protocols.
async fn handshake_status(url: &str) -> Option<u16> {
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Some(response.status().as_u16())
        }
        Err(e) => panic!("{e}"),
        Ok(_) => None,
    }
}

#[tokio::test]
async fn pokes_flow_through_the_proxy_until_it_drops_every_socket() {
    let backend = backend().await;
    let proxy = FaultProxy::start(&backend.url()).unwrap();
    let api = Api::with_base(&proxy.url(), backend.anon_key());
    let user = api.new_user().await;
    let topic = format!("jotline:{}", user.user_id);
    let url = realtime_url(&proxy, &backend);
    let mut first = Phoenix::connect(&url).await;
    let mut second = Phoenix::connect(&url).await;
    for socket in [&mut first, &mut second] {
        let reply = socket
            .join(&topic, private(), Some(&user.access_token))
            .await;
        assert_eq!(reply["payload"]["status"], "ok", "{reply}");
    }
    let ops = json!([create_entry(1, Uuid::now_v7(), "x")]);
    assert_eq!(
        api.push(&user.access_token, Uuid::now_v7(), ops).await.0,
        200
    );
    assert_eq!(first.next().await["event"], "broadcast");
    assert_eq!(second.next().await["event"], "broadcast");
    assert_eq!(proxy.websockets(), 2);
    assert_eq!(proxy.count("/realtime/v1/websocket"), 2);

    assert_eq!(proxy.drop_websockets(), 2);
    assert!(first.closed_within(Duration::from_secs(5)).await);
    assert!(second.closed_within(Duration::from_secs(5)).await);
    eventually("the proxy's tunnels end", || proxy.websockets() == 0).await;
    eventually("the backend's sockets end", || {
        backend.realtime_sockets() == 0
    })
    .await;

    // HTTP goes on, and a new socket hears the next poke.
    let mut again = Phoenix::connect(&url).await;
    again
        .join(&topic, private(), Some(&user.access_token))
        .await;
    let ops = json!([create_entry(2, Uuid::now_v7(), "y")]);
    let (status, pushed) = api.push(&user.access_token, Uuid::now_v7(), ops).await;
    assert_eq!(status, 200);
    let poke = again.next().await;
    assert_eq!(
        poke["payload"]["payload"]["version"], pushed["version"],
        "{poke}"
    );
}

#[tokio::test]
async fn refused_realtime_is_a_503_while_http_and_open_sockets_go_on() {
    let backend = backend().await;
    let proxy = FaultProxy::start(&backend.url()).unwrap();
    let api = Api::with_base(&proxy.url(), backend.anon_key());
    let url = realtime_url(&proxy, &backend);
    let mut open = Phoenix::connect(&url).await;

    proxy.refuse_realtime(true);
    assert_eq!(handshake_status(&url).await, Some(503));
    let r = open.send("phoenix", "heartbeat", json!({}), None).await;
    assert_eq!(open.reply_to(&r).await.0["payload"]["status"], "ok");
    api.new_user().await;
    proxy.refuse_realtime(false);
    assert_eq!(handshake_status(&url).await, None);

    // A number of refusals, then through; the gateway's own refusal passes unchanged.
    proxy.inject("/realtime/", Fault::Status(503), 1);
    assert_eq!(handshake_status(&url).await, Some(503));
    assert_eq!(handshake_status(&url).await, None);
    let no_key = url.split('?').next().unwrap().to_string() + "?vsn=1.0.0";
    assert_eq!(handshake_status(&no_key).await, Some(401));
    proxy.inject("/realtime/", Fault::DropRequest, 1);
    assert!(tokio_tungstenite::connect_async(&url).await.is_err());
    assert_eq!(handshake_status(&url).await, None);
}
