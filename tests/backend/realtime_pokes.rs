//! Pokes through the stand-in Realtime: a `sync_push` that changes something (or the
//! service's transcript) reaches the user's private channel as Realtime's broadcast frame,
//! with the version and the pushing client and no note text; a push of duplicates sends
//! nothing; nobody else hears it, not even on a public channel of the same name; a client
//! cannot send on a topic; pokes come again after the listener lost its database connection.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::phoenix::{private, Phoenix};
use crate::realtime::backend;
use crate::support::{create_entry, Api};

/// The next broadcast frame, skipping anything else.
async fn next_broadcast(socket: &mut Phoenix) -> Value {
    loop {
        let frame = socket.next().await;
        if frame["event"] == "broadcast" {
            return frame;
        }
    }
}

async fn push(api: &Api, token: &str, client: Uuid, ops: Value) -> Value {
    let (status, body) = api.push(token, client, ops).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn a_push_by_another_device_pokes_with_its_version_and_client_id() {
    let backend = backend().await;
    let api = Api::new(&backend);
    let user = api.new_user().await;
    let topic = format!("jotline:{}", user.user_id);
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;
    let reply = socket
        .join(&topic, private(), Some(&user.access_token))
        .await;
    assert_eq!(reply["payload"]["status"], "ok", "{reply}");

    let other_device = Uuid::now_v7();
    let ops = json!([create_entry(1, Uuid::now_v7(), "my secret plans")]);
    let result = push(&api, &user.access_token, other_device, ops.clone()).await;
    let poke = next_broadcast(&mut socket).await;
    let id = poke["payload"]["meta"]["id"]
        .as_str()
        .expect("meta.id")
        .to_string();
    assert_eq!(
        poke,
        json!({
            "topic": format!("realtime:{topic}"),
            "event": "broadcast",
            "payload": {
                "event": "poke",
                "meta": { "id": id },
                "payload": { "version": result["version"], "client_id": other_device, "id": id },
                "type": "broadcast",
            },
            "ref": null,
        })
    );
    assert!(!poke.to_string().contains("secret"));

    // The same batch again changes nothing and sends nothing: the next poke is the next push's.
    push(&api, &user.access_token, other_device, ops).await;
    let next = json!([create_entry(2, Uuid::now_v7(), "x")]);
    let result = push(&api, &user.access_token, other_device, next).await;
    let poke = next_broadcast(&mut socket).await;
    assert_eq!(poke["payload"]["payload"]["version"], result["version"]);
}

#[tokio::test]
async fn a_transcript_from_the_service_pokes_without_a_client_id() {
    let backend = backend().await;
    let api = Api::new(&backend);
    let user = api.new_user().await;
    let capture = Uuid::now_v7();
    let ops = json!([{
        "op_seq": 1, "table": "captures", "row_id": capture, "op": "upsert",
        "fields": { "created_at": "2026-01-02T03:04:05.000Z", "surface": "cli" },
    }]);
    push(&api, &user.access_token, Uuid::now_v7(), ops).await;
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;
    let topic = format!("jotline:{}", user.user_id);
    socket
        .join(&topic, private(), Some(&user.access_token))
        .await;

    let (status, version) = api
        .rpc(
            "set_capture_transcript",
            Some(&backend.service_key()),
            &json!({ "p_capture_id": capture, "p_text": "spoken words" }),
        )
        .await;
    assert_eq!(status, 200, "{version}");
    let poke = next_broadcast(&mut socket).await;
    assert_eq!(poke["payload"]["event"], "poke");
    assert_eq!(poke["payload"]["payload"]["version"], version);
    assert_eq!(poke["payload"]["payload"]["client_id"], Value::Null);
    assert!(!poke.to_string().contains("spoken"));
}

#[tokio::test]
async fn nobody_else_hears_a_poke_and_nobody_can_send_one() {
    let backend = backend().await;
    let api = Api::new(&backend);
    let (alice, bob) = (api.new_user().await, api.new_user().await);
    let alices = format!("jotline:{}", alice.user_id);
    let bobs = format!("jotline:{}", bob.user_id);

    // Bob: his own private topic, and alice's topic as a public channel (which Realtime lets
    // anyone join; private broadcasts never reach it).
    let mut eavesdropper = Phoenix::connect(&backend.realtime_url()).await;
    let reply = eavesdropper
        .join(&bobs, private(), Some(&bob.access_token))
        .await;
    assert_eq!(reply["payload"]["status"], "ok");
    let mut public = private();
    public["private"] = json!(false);
    let reply = eavesdropper
        .join(&alices, public, Some(&bob.access_token))
        .await;
    assert_eq!(reply["payload"]["status"], "ok", "{reply}");

    let mut config = private();
    config["broadcast"]["ack"] = json!(true);
    let mut owner = Phoenix::connect(&backend.realtime_url()).await;
    owner.join(&alices, config, Some(&alice.access_token)).await;
    // Alice's own client may not send on her topic either: no ack, nothing delivered.
    let forged = json!({"type": "broadcast", "event": "poke", "payload": {"version": 999}});
    let sent = owner
        .send(
            &format!("realtime:{alices}"),
            "broadcast",
            forged.clone(),
            None,
        )
        .await;
    eavesdropper
        .send(&format!("realtime:{bobs}"), "broadcast", forged, None)
        .await;

    push(
        &api,
        &alice.access_token,
        Uuid::now_v7(),
        json!([create_entry(1, Uuid::now_v7(), "x")]),
    )
    .await;
    let poke = next_broadcast(&mut owner).await;
    assert_eq!(poke["payload"]["payload"]["version"], 1, "{poke}");
    let r = owner.send("phoenix", "heartbeat", json!({}), None).await;
    let (_, before) = owner.reply_to(&r).await;
    assert!(before.iter().all(|f| f["ref"] != sent), "{before:?}");

    // Bob's only poke is his own push's.
    push(
        &api,
        &bob.access_token,
        Uuid::now_v7(),
        json!([create_entry(1, Uuid::now_v7(), "y")]),
    )
    .await;
    let poke = next_broadcast(&mut eavesdropper).await;
    assert_eq!(poke["topic"], format!("realtime:{bobs}"), "{poke}");
}

#[tokio::test]
async fn a_left_channel_hears_no_more_pokes() {
    let backend = backend().await;
    let api = Api::new(&backend);
    let user = api.new_user().await;
    let topic = format!("jotline:{}", user.user_id);
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;
    let joined = socket
        .join(&topic, private(), Some(&user.access_token))
        .await;
    let join_ref = joined["ref"].as_str().unwrap().to_string();
    let r = socket
        .send(
            &format!("realtime:{topic}"),
            "phx_leave",
            json!({}),
            Some(&join_ref),
        )
        .await;
    socket.reply_to(&r).await;
    push(
        &api,
        &user.access_token,
        Uuid::now_v7(),
        json!([create_entry(1, Uuid::now_v7(), "x")]),
    )
    .await;
    let frame = socket
        .next_within(std::time::Duration::from_millis(500))
        .await;
    assert!(
        frame.as_ref().is_none_or(|f| f["event"] == "phx_close"),
        "{frame:?}"
    );
    assert_eq!(
        socket
            .next_within(std::time::Duration::from_millis(500))
            .await,
        None
    );
}

#[tokio::test]
async fn pokes_come_again_after_the_listener_lost_its_database_connection() {
    let backend = backend().await;
    let api = Api::new(&backend);
    let user = api.new_user().await;
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;
    let topic = format!("jotline:{}", user.user_id);
    socket
        .join(&topic, private(), Some(&user.access_token))
        .await;

    let db = backend.connect_db().await.unwrap();
    let killed: i64 = db
        .query_one(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity
             where query ilike 'listen %'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(killed, 1);
    // A poke sent while nobody listens is lost (the pull covers it); one comes again soon.
    for seq in 1..=50 {
        let ops = json!([create_entry(seq, Uuid::now_v7(), "x")]);
        let pushed = push(&api, &user.access_token, Uuid::now_v7(), ops).await;
        if let Some(frame) = socket
            .next_within(std::time::Duration::from_millis(200))
            .await
        {
            // Maybe an earlier push's, late.
            let version = frame["payload"]["payload"]["version"].as_i64();
            assert!(
                version.is_some_and(|v| v <= pushed["version"].as_i64().unwrap()),
                "{frame}"
            );
            return;
        }
    }
    panic!("no poke after the listener reconnected");
}
