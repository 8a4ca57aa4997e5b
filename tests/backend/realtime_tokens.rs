//! A joined channel's token, as Realtime treats it: when it expires the channel is shut down
//! (a `system` error, then `phx_close`); an `access_token` message with a new valid token
//! keeps the channel and its pokes; one that is expired, or another user's, shuts it down
//! with Realtime's message.

use std::time::Duration;

use jotline_tests::backend::jwt::now_secs;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::phoenix::{private, Phoenix};
use crate::realtime::backend;
use crate::support::{create_entry, Api};

/// The `system` error and the `phx_close` that end a channel; returns the message.
async fn shut_down(socket: &mut Phoenix, topic: &str, join_ref: &str) -> String {
    let system = socket.next().await;
    assert_eq!(system["event"], "system", "{system}");
    assert_eq!(system["topic"], format!("realtime:{topic}"));
    assert_eq!(system["payload"]["extension"], "system");
    assert_eq!(system["payload"]["status"], "error");
    assert_eq!(system["payload"]["channel"], topic);
    assert_eq!(
        socket.next().await,
        json!({"topic": format!("realtime:{topic}"), "event": "phx_close",
               "payload": {}, "ref": join_ref})
    );
    system["payload"]["message"].as_str().unwrap().to_string()
}

fn join_ref(reply: &Value) -> String {
    assert_eq!(reply["payload"]["status"], "ok", "{reply}");
    reply["ref"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_channel_whose_token_expires_is_shut_down() {
    let backend = backend().await;
    let user = Api::new(&backend).new_user().await;
    let topic = format!("jotline:{}", user.user_id);
    let token = backend.sign_claims(&json!({
        "sub": user.user_id, "role": "authenticated", "exp": now_secs() + 2,
    }));
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;
    let joined = join_ref(&socket.join(&topic, private(), Some(&token)).await);
    let message = shut_down(&mut socket, &topic, &joined).await;
    assert!(
        message.starts_with("Token has expired ") && message.ends_with(" seconds ago"),
        "{message}"
    );
}

#[tokio::test]
async fn a_new_access_token_keeps_the_channel_and_a_bad_one_ends_it() {
    let backend = backend().await;
    let api = Api::new(&backend);
    let (alice, bob) = (api.new_user().await, api.new_user().await);
    let topic = format!("jotline:{}", alice.user_id);
    let channel = format!("realtime:{topic}");
    let claims = |sub: &str, exp: u64| json!({"sub": sub, "role": "authenticated", "exp": exp});
    let mut socket = Phoenix::connect(&backend.realtime_url()).await;
    let first = join_ref(
        &socket
            .join(&topic, private(), Some(&alice.access_token))
            .await,
    );

    // A fresh token for alice: nothing to answer, and pokes keep coming.
    let fresh = backend.sign_claims(&claims(&alice.user_id, now_secs() + 3600));
    socket
        .send(
            &channel,
            "access_token",
            json!({"access_token": fresh}),
            Some(&first),
        )
        .await;
    socket
        .send(
            &channel,
            "access_token",
            json!({"access_token": null}),
            Some(&first),
        )
        .await;
    let ops = json!([create_entry(1, Uuid::now_v7(), "x")]);
    let (status, _) = api.push(&alice.access_token, Uuid::now_v7(), ops).await;
    assert_eq!(status, 200);
    let poke = socket.next().await;
    assert_eq!(poke["event"], "broadcast", "{poke}");

    // Bob's token on alice's channel: the policies say no.
    socket
        .send(
            &channel,
            "access_token",
            json!({"access_token": bob.access_token}),
            Some(&first),
        )
        .await;
    assert_eq!(
        shut_down(&mut socket, &topic, &first).await,
        format!("You do not have permissions to read from this Channel topic: {topic}")
    );

    // An expired token.
    let second = join_ref(
        &socket
            .join(&topic, private(), Some(&alice.access_token))
            .await,
    );
    let expired = backend.sign_claims(&claims(&alice.user_id, now_secs() - 5));
    socket
        .send(
            &channel,
            "access_token",
            json!({"access_token": expired}),
            Some(&second),
        )
        .await;
    let message = shut_down(&mut socket, &topic, &second).await;
    assert!(message.starts_with("Token has expired "), "{message}");

    // A message for a channel that is gone is not the channel's any more.
    let r = socket
        .send(&channel, "broadcast", json!({}), Some(&second))
        .await;
    let (reply, _) = socket.reply_to(&r).await;
    assert_eq!(reply["payload"]["response"]["reason"], "unmatched topic");
    assert_eq!(socket.next_within(Duration::from_millis(200)).await, None);
}
