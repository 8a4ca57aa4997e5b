//! Realtime pokes (migration 0010): a transaction that raises a user's version leaves one
//! broadcast row in `realtime.messages` on `jotline:<user>` with the version and the pushing
//! client, never note text; a push that changes nothing leaves none; the policy lets only the
//! topic's owner read it, the way Realtime authorises a private channel; nobody may send.

use crate::common::*;
use jotline_tests::pg::{self, as_role, as_user};
use serde_json::{json, Value};
use tokio_postgres::Client;
use uuid::Uuid;

/// The broadcast rows of `user`'s topic, oldest first: (event, private, payload).
async fn pokes(s: &Server, user: Uuid) -> Vec<(String, bool, Value)> {
    s.admin
        .query(
            "select event, private, payload from realtime.messages
             where topic = $1 and extension = 'broadcast' order by inserted_at, id",
            &[&format!("jotline:{user}")],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// What Realtime asks when `reader` joins the private channel `topic`: a probe row written by
/// Realtime's own connection, read back as the user with `realtime.topic` set, rolled back.
async fn may_read(api: &mut Client, reader: Uuid, topic: &str) -> bool {
    let id = Uuid::now_v7();
    let tx = api.transaction().await.unwrap();
    tx.execute(
        "insert into realtime.messages (id, topic, extension) values ($1, $2, 'broadcast')",
        &[&id, &topic],
    )
    .await
    .unwrap();
    let claims = json!({ "sub": reader.to_string(), "role": "authenticated" }).to_string();
    tx.execute(
        "select set_config('role', 'authenticated', true),
                set_config('realtime.topic', $1, true),
                set_config('request.jwt.claims', $2, true),
                set_config('request.jwt.claim.sub', $3, true)",
        &[&topic, &claims, &reader.to_string()],
    )
    .await
    .unwrap();
    let seen = tx
        .query("select 1 from realtime.messages where id = $1", &[&id])
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    !seen.is_empty()
}

#[tokio::test]
async fn a_push_that_changes_something_pokes_its_owner_once() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    let client = Uuid::now_v7();
    let ops = json!([
        new_entry(1, Uuid::now_v7(), "a secret thought"),
        new_entry(2, Uuid::now_v7(), "another one"),
    ]);
    let result = push(&mut api, alice, client, &ops).await.unwrap();
    let version = result["version"].as_i64().unwrap();

    let rows = pokes(&s, alice).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (event, private, payload) = &rows[0];
    assert_eq!((event.as_str(), *private), ("poke", true));
    let mut keys: Vec<&str> = payload
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort();
    assert_eq!(keys, ["client_id", "id", "version"], "{payload}");
    assert_eq!(payload["version"], json!(version));
    assert_eq!(payload["client_id"], json!(client.to_string()));
    assert!(!payload.to_string().contains("secret"), "{payload}");

    // The whole batch again: every op a duplicate, nothing changes, no poke.
    let again = push(&mut api, alice, client, &ops).await.unwrap();
    assert_eq!(statuses(&again), ["duplicate", "duplicate"]);
    assert_eq!(pokes(&s, alice).await.len(), 1);
}

#[tokio::test]
async fn a_rolled_back_push_sends_nothing_and_two_bumps_send_one_poke() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;

    let tx = as_user(&mut api, alice).await.unwrap();
    tx.query_one(
        "select public.sync_push($1, $2)",
        &[&Uuid::now_v7(), &json!([new_entry(1, Uuid::now_v7(), "x")])],
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    assert!(pokes(&s, alice).await.is_empty());

    let (first, second) = (Uuid::now_v7(), Uuid::now_v7());
    let tx = as_user(&mut api, alice).await.unwrap();
    for client in [first, second] {
        tx.query_one(
            "select public.sync_push($1, $2)",
            &[&client, &json!([new_entry(1, Uuid::now_v7(), "x")])],
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let rows = pokes(&s, alice).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].2["version"], json!(2));
    assert_eq!(rows[0].2["client_id"], json!(second.to_string()));
}

#[tokio::test]
async fn a_transcript_from_the_service_pokes_without_a_client() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    let capture = Uuid::now_v7();
    let fields = json!({"created_at": "2026-11-22T10:00:00Z", "surface": "cli"});
    push(
        &mut api,
        alice,
        Uuid::now_v7(),
        &json!([upsert(1, "captures", capture, fields)]),
    )
    .await
    .unwrap();

    let tx = as_role(&mut api, "service_role", &json!({ "role": "service_role" }))
        .await
        .unwrap();
    let version: i64 = tx
        .query_one(
            "select public.set_capture_transcript($1, 'spoken words')",
            &[&capture],
        )
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();

    let rows = pokes(&s, alice).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1].2["version"], json!(version));
    assert_eq!(rows[1].2["client_id"], Value::Null);
    assert!(!rows[1].2.to_string().contains("spoken"));
}

#[tokio::test]
async fn only_the_owner_may_listen_and_nobody_may_send() {
    let s = Server::start().await;
    let (alice, bob) = (
        s.user("alice@example.com").await,
        s.user("bob@example.com").await,
    );
    let mut realtime = s.pg.connect(pg::SUPERUSER, pg::DATABASE).await.unwrap();
    let alice_topic = format!("jotline:{alice}");
    assert!(may_read(&mut realtime, alice, &alice_topic).await);
    assert!(!may_read(&mut realtime, bob, &alice_topic).await);
    assert!(!may_read(&mut realtime, alice, "jotline:").await);
    assert!(!may_read(&mut realtime, alice, &format!("other:{alice}")).await);

    // A poke on alice's topic is hidden from bob even with his own topic set.
    let mut api = s.api().await;
    push(
        &mut api,
        alice,
        Uuid::now_v7(),
        &json!([new_entry(1, Uuid::now_v7(), "x")]),
    )
    .await
    .unwrap();
    let tx = as_user(&mut api, bob).await.unwrap();
    tx.execute(
        "select set_config('realtime.topic', $1, true)",
        &[&format!("jotline:{bob}")],
    )
    .await
    .unwrap();
    let seen: i64 = tx
        .query_one("select count(*) from realtime.messages", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(seen, 0);
    tx.rollback().await.unwrap();

    // Sending is writing realtime.messages: refused for users, also on their own topic.
    for (user, topic) in [(bob, &alice_topic), (alice, &alice_topic)] {
        let tx = as_user(&mut api, user).await.unwrap();
        let err = tx
            .execute(
                "insert into realtime.messages (topic, extension, event, payload, private)
                 values ($1, 'broadcast', 'poke', '{}', true)",
                &[topic],
            )
            .await
            .unwrap_err();
        assert_eq!(err.as_db_error().unwrap().code().code(), "42501");
        drop(tx);
        // realtime.send swallows the refusal into a warning: no row either.
        let tx = as_user(&mut api, user).await.unwrap();
        tx.execute(
            "select realtime.send('{\"version\": 99}', 'poke', $1, true)",
            &[topic],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let rows = pokes(&s, alice).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
}
