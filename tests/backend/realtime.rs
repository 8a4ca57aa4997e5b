//! The stand-in Realtime's socket and channel protocol, as a raw Phoenix client sees it: a
//! user's own private topic joins with Realtime's `ok`, another user's topic and bad tokens
//! are refused with Realtime's reasons, heartbeats and leaves are answered as Phoenix answers
//! them, garbage frames are ignored, the gateway checks the API key, and a socket that goes
//! away leaves no task behind.

use std::time::{Duration, Instant};

use jotline_tests::backend::{BackendOptions, LocalBackend};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::phoenix::{private, Phoenix};
use crate::support::Api;

pub const JOIN_ERROR_DELAY: Duration = Duration::from_millis(300);

/// A backend whose refused joins wait [`JOIN_ERROR_DELAY`] instead of Realtime's 5 s.
pub async fn backend() -> LocalBackend {
    LocalBackend::start_with(BackendOptions {
        realtime_join_error_delay: JOIN_ERROR_DELAY,
        ..BackendOptions::default()
    })
    .await
    .unwrap()
}

fn refused(reply: &Value) -> &str {
    assert_eq!(reply["payload"]["status"], "error", "{reply}");
    reply["payload"]["response"]["reason"]
        .as_str()
        .unwrap_or_else(|| panic!("a reason: {reply}"))
}

#[tokio::test]
async fn a_users_own_private_topic_joins_and_replication_ready_is_announced() {
    let backend = backend().await;
    let user = Api::new(&backend).new_user().await;
    let topic = format!("jotline:{}", user.user_id);
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;

    let reply = socket
        .join(&topic, private(), Some(&user.access_token))
        .await;
    assert_eq!(
        reply,
        json!({
            "topic": format!("realtime:{topic}"),
            "event": "phx_reply",
            "payload": { "status": "ok", "response": { "postgres_changes": [] } },
            "ref": "1",
        })
    );
    // Without `replication_ready` Realtime sends nothing more for a broadcast-only channel.
    assert_eq!(socket.next_within(Duration::from_millis(300)).await, None);

    let mut config = private();
    config["broadcast"]["replication_ready"] = json!(true);
    let reply = socket.join(&topic, config, Some(&user.access_token)).await;
    assert_eq!(reply["payload"]["status"], "ok", "{reply}");
    assert_eq!(
        socket.next().await,
        json!({
            "topic": format!("realtime:{topic}"),
            "event": "system",
            "payload": {
                "channel": topic,
                "extension": "system",
                "message": "Replication connection established",
                "status": "ok",
            },
            "ref": null,
        })
    );
}

#[tokio::test]
async fn another_users_topic_and_an_anonymous_join_are_refused_as_unauthorized() {
    let backend = backend().await;
    let api = Api::new(&backend);
    let (alice, bob) = (api.new_user().await, api.new_user().await);
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;

    let bobs = format!("jotline:{}", bob.user_id);
    let started = Instant::now();
    let reply = socket
        .join(&bobs, private(), Some(&alice.access_token))
        .await;
    assert_eq!(
        refused(&reply),
        format!(
            "Unauthorized: You do not have permissions to read from this Channel topic: {bobs}"
        )
    );
    assert_eq!(reply["topic"], format!("realtime:{bobs}"));
    assert!(
        started.elapsed() >= JOIN_ERROR_DELAY,
        "Realtime holds a refusal back"
    );

    // No access_token: the join runs with the socket's anon key, which no policy lets read.
    let alices = format!("jotline:{}", alice.user_id);
    let reply = socket.join(&alices, private(), None).await;
    assert!(refused(&reply).starts_with("Unauthorized: "), "{reply}");
    // The refusals left nothing joined.
    let r = socket
        .send(
            &format!("realtime:{alices}"),
            "access_token",
            json!({}),
            None,
        )
        .await;
    let (reply, _) = socket.reply_to(&r).await;
    assert_eq!(refused(&reply), "unmatched topic");
}

#[tokio::test]
async fn bad_tokens_are_refused_in_realtimes_words() {
    let backend = backend().await;
    let user = Api::new(&backend).new_user().await;
    let topic = format!("jotline:{}", user.user_id);
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;
    let now = jotline_tests::backend::jwt::now_secs();
    let claims = |exp: u64| json!({"sub": user.user_id, "role": "authenticated", "exp": exp});

    let expired = backend.sign_claims(&claims(now - 30));
    let reply = socket.join(&topic, private(), Some(&expired)).await;
    let reason = refused(&reply);
    assert!(
        reason.starts_with("InvalidJWTToken: Token has expired ")
            && reason.ends_with(" seconds ago"),
        "{reason}"
    );

    let forged = jotline_tests::backend::JwtKeys::random().sign(&claims(now + 60));
    let reply = socket.join(&topic, private(), Some(&forged)).await;
    assert_eq!(
        refused(&reply),
        "JwtSignatureError: Failed to validate JWT signature"
    );

    let reply = socket.join(&topic, private(), Some("not-a-jwt")).await;
    assert_eq!(
        refused(&reply),
        "MalformedJWT: The token provided is not a valid JWT"
    );

    let no_role = backend.sign_claims(&json!({"sub": user.user_id, "exp": now + 60}));
    let reply = socket.join(&topic, private(), Some(&no_role)).await;
    assert_eq!(
        refused(&reply),
        "InvalidJWTToken: Fields `role` and `exp` are required in JWT"
    );

    let reply = socket.join("", private(), Some(&user.access_token)).await;
    assert_eq!(
        refused(&reply),
        "TopicNameRequired: You must provide a topic name"
    );
}

#[tokio::test]
async fn heartbeats_leaves_and_unmatched_topics_are_answered_as_phoenix_does() {
    let backend = backend().await;
    let user = Api::new(&backend).new_user().await;
    let topic = format!("realtime:jotline:{}", user.user_id);
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;

    let r = socket.send("phoenix", "heartbeat", json!({}), None).await;
    assert_eq!(
        socket.next().await,
        json!({"topic": "phoenix", "event": "phx_reply",
               "payload": {"status": "ok", "response": {}}, "ref": r})
    );

    let r = socket.send("room:1", "phx_join", json!({}), None).await;
    let (reply, _) = socket.reply_to(&r).await;
    assert_eq!(refused(&reply), "unmatched topic");

    let joined = socket
        .join(
            &topic["realtime:".len()..],
            private(),
            Some(&user.access_token),
        )
        .await;
    let join_ref = joined["ref"].as_str().unwrap().to_string();
    let r = socket
        .send(&topic, "phx_leave", json!({}), Some(&join_ref))
        .await;
    assert_eq!(
        socket.next().await,
        json!({"topic": topic, "event": "phx_reply",
               "payload": {"status": "ok", "response": {}}, "ref": r})
    );
    assert_eq!(
        socket.next().await,
        json!({"topic": topic, "event": "phx_close", "payload": {}, "ref": join_ref})
    );
    // Leaving a topic not joined is still ok.
    let r = socket.send(&topic, "phx_leave", json!({}), None).await;
    let (reply, _) = socket.reply_to(&r).await;
    assert_eq!(reply["payload"]["status"], "ok");

    // Joining a joined topic again closes the first join, then joins.
    let first = socket
        .join(
            &topic["realtime:".len()..],
            private(),
            Some(&user.access_token),
        )
        .await;
    let first_ref = first["ref"].as_str().unwrap().to_string();
    let r = socket
        .send(
            &topic,
            "phx_join",
            json!({"config": private(), "access_token": user.access_token}),
            Some("again"),
        )
        .await;
    assert_eq!(
        socket.next().await,
        json!({"topic": topic, "event": "phx_close", "payload": {}, "ref": first_ref})
    );
    let (reply, _) = socket.reply_to(&r).await;
    assert_eq!(reply["payload"]["status"], "ok");
}

#[tokio::test]
async fn garbage_frames_are_ignored_and_the_server_goes_on() {
    let backend = backend().await;
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;
    for garbage in [
        Message::Text("not json".into()),
        Message::Text("[1, 2, 3]".into()),
        Message::Text(r#"{"topic": 5, "event": "phx_join", "payload": {}, "ref": "1"}"#.into()),
        Message::Text(r#"{"topic": "phoenix", "event": "heartbeat", "payload": {}}"#.into()),
        Message::Text(
            r#"{"topic":"realtime:x","event":"phx_join","payload":"x","ref":"2"}"#.into(),
        ),
        Message::Binary(vec![0xff, 0x00, 0x13, 0x37].into()),
        Message::Text("{}".repeat(100_000).into()),
    ] {
        socket.send_raw(garbage).await;
    }
    // The join with a payload that is not a map is refused; nothing else is answered.
    let reply = socket.next().await;
    assert_eq!(reply["ref"], "2", "{reply}");
    assert!(
        refused(&reply).starts_with("UnknownErrorOnChannel"),
        "{reply}"
    );
    let r = socket.send("phoenix", "heartbeat", json!({}), None).await;
    let (reply, before) = socket.reply_to(&r).await;
    assert_eq!(reply["payload"]["status"], "ok");
    assert!(before.is_empty(), "{before:?}");
    // Another socket still works too.
    let mut other = Phoenix::connect(&backend.realtime_url()).await;
    let r = other.send("phoenix", "heartbeat", json!({}), None).await;
    assert_eq!(other.reply_to(&r).await.0["payload"]["status"], "ok");
}

#[tokio::test]
async fn the_gateway_checks_the_api_key_and_phoenix_the_version() {
    let backend = LocalBackend::start_with(BackendOptions {
        publishable_key: Some("sb_publishable_realtime_test".into()),
        ..BackendOptions::default()
    })
    .await
    .unwrap();
    let user = Api::new(&backend).new_user().await;
    let ws = |query: &str| format!("ws://{}/realtime/v1/websocket?{query}", backend.addr());
    let status = |url: String| async move {
        match tokio_tungstenite::connect_async(url).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                Some(response.status().as_u16())
            }
            Err(e) => panic!("{e}"),
            Ok(_) => None,
        }
    };
    assert_eq!(status(ws("vsn=1.0.0")).await, Some(401));
    assert_eq!(status(ws("apikey=nope&vsn=1.0.0")).await, Some(401));
    let key = backend.anon_key();
    assert_eq!(
        status(ws(&format!("apikey={key}&vsn=3.0.0"))).await,
        Some(403)
    );

    // The publishable key opens the socket, and stands for the anon key in a join.
    let mut socket = Phoenix::connect(&ws(&format!("apikey={key}&vsn=1.0.0"))).await;
    let topic = format!("jotline:{}", user.user_id);
    let reply = socket
        .join(&topic, private(), Some(&user.access_token))
        .await;
    assert_eq!(reply["payload"]["status"], "ok", "{reply}");
    let reply = socket.join(&topic, private(), Some(&key)).await;
    assert!(refused(&reply).starts_with("Unauthorized: "), "{reply}");
}

#[tokio::test]
async fn a_socket_that_goes_away_leaves_nothing_behind() {
    let backend = backend().await;
    let user = Api::new(&backend).new_user().await;
    let topic = format!("jotline:{}", user.user_id);
    for _ in 0..5 {
        let mut socket = Phoenix::connect(&backend.realtime_url()).await;
        let reply = socket
            .join(&topic, private(), Some(&user.access_token))
            .await;
        assert_eq!(reply["payload"]["status"], "ok");
        drop(socket);
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while backend.realtime_sockets() > 0 {
        assert!(
            Instant::now() < deadline,
            "{} sockets left",
            backend.realtime_sockets()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_silent_client_is_closed_after_the_idle_timeout() {
    let backend = LocalBackend::start_with(BackendOptions {
        realtime_idle_timeout: Duration::from_millis(1500),
        ..BackendOptions::default()
    })
    .await
    .unwrap();
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let r = socket.send("phoenix", "heartbeat", json!({}), None).await;
        assert_eq!(socket.reply_to(&r).await.0["payload"]["status"], "ok");
    }
    assert!(socket.closed_within(Duration::from_secs(5)).await);
}
