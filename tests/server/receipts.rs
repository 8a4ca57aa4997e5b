//! Pulled-version recording (0011): `sync_pull(cursor, page_size, client_id)` records, per
//! device, the version the returned page brings it to: the user's version after the last
//! page, just below the first row left out after any other, and answers the very page the
//! two-argument pull gives. Never above the user's version; the two-argument pull works as
//! before and records nothing.

use crate::common::*;
use serde_json::{json, Value};
use tokio_postgres::Client;
use uuid::Uuid;

/// Versions 1 to 5 of one user: v1 a capture and two entries, v2 one entry, v3 nothing but a
/// rejected op, v4 two entries, v5 a rejected op again. Rows by version: 1 1 1 2 4 4.
async fn seed(api: &mut Client, user: Uuid) {
    let client = Uuid::now_v7();
    let capture = json!({"created_at": "2026-11-22T10:00:00Z", "surface": "cli"});
    let pushes = [
        json!([
            upsert(1, "captures", Uuid::now_v7(), capture),
            new_entry(2, Uuid::now_v7(), "one"),
            new_entry(3, Uuid::now_v7(), "two")
        ]),
        json!([new_entry(4, Uuid::now_v7(), "three")]),
        json!([upsert(5, "nope", Uuid::now_v7(), json!({}))]),
        json!([
            new_entry(6, Uuid::now_v7(), "four"),
            new_entry(7, Uuid::now_v7(), "five")
        ]),
        json!([upsert(8, "nope", Uuid::now_v7(), json!({}))]),
    ];
    for (i, ops) in pushes.iter().enumerate() {
        let r = push(api, user, client, ops).await.unwrap();
        assert_eq!(r["version"], json!(i + 1), "{r}");
    }
}

/// The recording pull, committed.
async fn pull_as(
    api: &mut Client,
    user: Uuid,
    client: Uuid,
    cursor: Option<&str>,
    page_size: i32,
) -> Value {
    call(api, user, "sync_pull", &[&cursor, &page_size, &client])
        .await
        .unwrap()
}

/// What sync_devices holds for the device (behind row-level security).
async fn recorded(s: &Server, user: Uuid, client: Uuid) -> Option<i64> {
    s.admin
        .query_one(
            "select pulled_version from sync_devices where user_id = $1 and client_id = $2",
            &[&user, &client],
        )
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn each_page_records_the_highest_version_it_completes() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    seed(&mut api, alice).await;

    // Page size → the version recorded after each page. Mid-version boundaries record the
    // version below; v3 (no rows) is complete as soon as v2 is; the last page records v5.
    let cases: [(i32, &[i64]); 5] = [
        (1, &[0, 0, 1, 3, 3, 5]),
        (2, &[0, 3, 5]),
        (3, &[1, 5]),
        (5, &[3, 5]),
        (6, &[5]),
    ];
    for (page_size, expected) in cases {
        let device = Uuid::now_v7();
        let mut cursor: Option<String> = None;
        let mut recorded_versions = Vec::new();
        loop {
            let page = pull_as(&mut api, alice, device, cursor.as_deref(), page_size).await;
            // The very page the two-argument pull gives.
            let plain = pull(&mut api, alice, cursor.as_deref(), page_size)
                .await
                .unwrap();
            assert_eq!(page, plain, "page size {page_size}");
            recorded_versions.push(recorded(&s, alice, device).await.expect("recorded"));
            cursor = page["next_cursor"].as_str().map(str::to_string);
            if page["has_more"] == json!(false) {
                break;
            }
        }
        assert_eq!(recorded_versions, expected, "page size {page_size}");
    }

    // A later push is recorded by the next pull from the stored cursor; a client that starts
    // again from null holds nothing yet, and its record goes down with it.
    let device = Uuid::now_v7();
    let (_, cursor) = pull_all(&mut api, alice, None).await;
    push(
        &mut api,
        alice,
        Uuid::now_v7(),
        &json!([new_entry(1, Uuid::now_v7(), "six")]),
    )
    .await
    .unwrap();
    let page = pull_as(&mut api, alice, device, cursor.as_deref(), 500).await;
    assert_eq!(page["changes"].as_array().map(Vec::len), Some(1), "{page}");
    assert_eq!(recorded(&s, alice, device).await, Some(6));
    pull_as(&mut api, alice, device, None, 1).await;
    assert_eq!(recorded(&s, alice, device).await, Some(0));
}

#[tokio::test]
async fn the_two_argument_pull_works_as_before_and_records_nothing() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    seed(&mut api, alice).await;

    let (changes, _) = pull_all(&mut api, alice, None).await;
    assert_eq!(changes.len(), 6);
    assert_eq!(s.scalar("select count(*) from sync_devices", &[]).await, 0);
    // Still STABLE: PostgREST keeps running it in a read-only transaction.
    assert_eq!(
        s.scalar(
            "select count(*) from pg_proc where proname = 'sync_pull'
             and provolatile = 's' and pronargs = 2",
            &[]
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_recorded_version_is_never_above_the_users_version() {
    let s = Server::start().await;
    let (alice, bob) = (
        s.user("alice@example.com").await,
        s.user("bob@example.com").await,
    );
    let mut api = s.api().await;
    seed(&mut api, alice).await;
    let device = Uuid::now_v7();

    // A cursor made up far ahead of the user brings nothing and records the user's version.
    for table in ["entries", "captures"] {
        let ahead = format!("v1:999999999:{table}:ffffffff-ffff-ffff-ffff-ffffffffffff");
        let page = pull_as(&mut api, alice, device, Some(&ahead), 10).await;
        assert_eq!(page["changes"], json!([]), "{page}");
        assert_eq!(recorded(&s, alice, device).await, Some(5));
    }
    // A user who never pushed has version 0, and so has their device.
    pull_as(&mut api, bob, device, None, 10).await;
    assert_eq!(recorded(&s, bob, device).await, Some(0));
    assert_eq!(
        s.scalar(
            "select count(*) from sync_devices d left join sync_state s using (user_id)
             where d.pulled_version > coalesce(s.version, 0)",
            &[]
        )
        .await,
        0
    );
}

#[tokio::test]
async fn must_resync_keeps_the_pulled_version_and_counts_as_seen() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    seed(&mut api, alice).await;
    let device = Uuid::now_v7();
    let first = pull_as(&mut api, alice, device, None, 3).await;
    assert_eq!(recorded(&s, alice, device).await, Some(1));

    // Tombstones at or below version 1 were purged meanwhile (cleanup_tombstones' horizon).
    s.admin
        .batch_execute(
            "update sync_state set horizon = 1;
             update sync_devices set last_seen_at = now() - interval '1 day';",
        )
        .await
        .unwrap();
    let cursor = first["next_cursor"].as_str().unwrap();
    let page = pull_as(&mut api, alice, device, Some(cursor), 3).await;
    assert_eq!(page["must_resync"], json!(true), "{page}");
    assert_eq!(recorded(&s, alice, device).await, Some(1));
    assert_eq!(
        s.scalar(
            "select count(*) from sync_devices
             where client_id = $1 and last_seen_at > now() - interval '1 minute'",
            &[&device]
        )
        .await,
        1
    );
}

/// A pull that moves a device's pulled version tells the user's topic (event `pulled`, the
/// device and its version, nothing else); a pull that brings nothing new tells nothing.
#[tokio::test]
async fn a_pull_that_moves_the_pulled_version_broadcasts_a_receipt() {
    let s = Server::start().await;
    let user = s.user("u@example.com").await;
    let mut api = s.api().await;
    push(
        &mut api,
        user,
        Uuid::now_v7(),
        &json!([new_entry(1, Uuid::now_v7(), "private")]),
    )
    .await
    .unwrap();
    let device = Uuid::now_v7();
    pull_as(&mut api, user, device, None, 500).await;
    let sent = receipts(&s, user).await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0]["client_id"], json!(device.to_string()));
    assert_eq!(sent[0]["pulled_version"], json!(1));
    assert!(!sent[0].to_string().contains("private"));
    pull_as(&mut api, user, device, None, 500).await;
    assert_eq!(
        receipts(&s, user).await.len(),
        1,
        "nothing new pulled, nothing told"
    );
}

/// The `pulled` broadcasts of `user`'s topic, oldest first.
async fn receipts(s: &Server, user: Uuid) -> Vec<Value> {
    s.admin
        .query(
            "select payload from realtime.messages
             where topic = $1 and event = 'pulled' order by inserted_at, id",
            &[&format!("jotline:{user}")],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}
