//! The commit-ordered cursor: a push that commits late is still pulled.

use std::time::Duration;

use crate::common::*;
use jotline_tests::pg::{self, as_user};
use serde_json::json;
use uuid::Uuid;

/// Transaction A takes a version and stays open (a slow push). Transaction B of the same user
/// starts later. With the per-user sync_state row lock, B cannot take a version, let alone
/// commit, before A commits: versions are handed out in commit order. So the honest form of
/// "B commits before A" is: B is *blocked* behind A (we check it is waiting on a lock), a pull in
/// between sees neither and keeps its cursor, then A commits, B commits with the next version,
/// and the next pull from the stored cursor returns A's change and then B's. Had B been allowed
/// to take version N+1 and commit first, the pull in between would have moved the cursor past
/// A's version N and skipped it for good; the naive-watermark test below shows that failure.
#[tokio::test]
async fn a_push_that_commits_late_is_still_pulled() {
    let s = Server::start().await;
    let (u, someone_else) = (s.user("u@example.com").await, s.user("v@example.com").await);
    let mut reader = s.api().await;
    let mut conn_a = s.api().await;
    let mut conn_b = s.api().await;

    let base = Uuid::now_v7();
    push(
        &mut reader,
        u,
        Uuid::now_v7(),
        &json!([new_entry(1, base, "before")]),
    )
    .await
    .unwrap();
    let (_, cursor) = pull_all(&mut reader, u, None).await;
    let cursor = cursor.unwrap();

    // A: a push that has taken its version and not committed yet.
    let (ea, eb) = (Uuid::now_v7(), Uuid::now_v7());
    let tx_a = as_user(&mut conn_a, u).await.unwrap();
    let a: serde_json::Value = tx_a
        .query_one(
            "select sync_push($1, $2)",
            &[&Uuid::now_v7(), &json!([new_entry(1, ea, "A, slow")])],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(a["version"], json!(2));

    // B: a later push of the same user, on its own connection.
    let b = tokio::spawn(async move {
        push(
            &mut conn_b,
            u,
            Uuid::now_v7(),
            &json!([new_entry(1, eb, "B, fast")]),
        )
        .await
    });
    wait_for_lock_waiters(&s, 1).await;
    assert!(!b.is_finished(), "B must wait for A's version lock");

    // Other users are not held up by A.
    let v = tokio::time::timeout(
        Duration::from_secs(5),
        push(
            &mut reader,
            someone_else,
            Uuid::now_v7(),
            &json!([new_entry(1, Uuid::now_v7(), "v")]),
        ),
    )
    .await
    .expect("another user's push is not blocked")
    .unwrap();
    assert_eq!(statuses(&v), ["applied"]);

    // A pull in between sees neither A nor B, and keeps the cursor where it was.
    let mid = pull(&mut reader, u, Some(&cursor), 100).await.unwrap();
    assert_eq!(mid["changes"], json!([]), "{mid}");
    assert_eq!(mid["next_cursor"], json!(cursor));

    tokio::time::sleep(Duration::from_millis(200)).await; // A is slow
    tx_a.commit().await.unwrap();
    let b = b.await.unwrap().unwrap();
    assert_eq!(b["version"], json!(3), "B got the version after A's");

    let after = pull(&mut reader, u, mid["next_cursor"].as_str(), 100)
        .await
        .unwrap();
    let got: Vec<(String, i64)> = after["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["row"]["body"].as_str().unwrap().to_string(),
                c["row"]["version"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("A, slow".to_string(), 2), ("B, fast".to_string(), 3)]
    );
}

async fn wait_for_lock_waiters(s: &Server, n: i64) {
    for _ in 0..200 {
        let waiting = s
            .scalar(
                "select count(*) from pg_stat_activity \
                 where usename = 'authenticator' and wait_event_type = 'Lock'",
                &[],
            )
            .await;
        if waiting >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no push is waiting on the version lock");
}

/// Why the protocol never uses a time watermark: a transaction stamps `updated_at` when it
/// writes but becomes visible when it commits. A reader that remembers max(updated_at) skips a
/// row stamped earlier that commits later.
#[tokio::test]
async fn a_naive_updated_at_watermark_would_skip_a_late_commit() {
    let s = Server::start().await;
    s.admin
        .batch_execute(
            "create table naive (id int primary key, updated_at timestamptz not null default clock_timestamp())",
        )
        .await
        .unwrap();
    let mut slow = s.pg.connect(pg::SUPERUSER, pg::DATABASE).await.unwrap();
    let fast = s.pg.connect(pg::SUPERUSER, pg::DATABASE).await.unwrap();

    let tx = slow.transaction().await.unwrap();
    tx.execute("insert into naive (id) values (1)", &[])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    fast.execute("insert into naive (id) values (2)", &[])
        .await
        .unwrap();

    let watermark: chrono::DateTime<chrono::Utc> = s
        .admin
        .query_one("select max(updated_at) from naive", &[])
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();

    let next = s
        .scalar(
            "select count(*) from naive where updated_at > $1",
            &[&watermark],
        )
        .await;
    assert_eq!(
        next, 0,
        "the late row 1 is never pulled with a time watermark"
    );
    assert_eq!(s.scalar("select count(*) from naive", &[]).await, 2);
}
