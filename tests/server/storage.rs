//! The `captures` bucket's policies (migrations/server/0006): as role `authenticated`, each
//! user reads and writes only `storage.objects` rows under their own first folder.

use crate::common::*;
use jotline_tests::pg::{self, as_role, as_user};
use serde_json::json;
use tokio_postgres::Client;
use uuid::Uuid;

/// Runs one statement as `user`; Ok(rows affected) or Err(message).
/// Runs `sql` as `user` the way the Storage API does (which alone may delete object rows).
async fn exec(api: &mut Client, user: Uuid, sql: &str, name: &str) -> Result<u64, String> {
    let tx = as_user(api, user).await.unwrap();
    tx.execute(
        "select set_config('storage.allow_delete_query', 'true', true)",
        &[],
    )
    .await
    .unwrap();
    let r = tx
        .execute(sql, &[&name])
        .await
        .map_err(|e| pg::db_error(&e));
    if r.is_ok() {
        tx.commit().await.unwrap();
    }
    r
}

const INSERT: &str = "insert into storage.objects (bucket_id, name) values ('captures', $1)";

async fn visible(api: &mut Client, user: Uuid) -> i64 {
    let tx = as_user(api, user).await.unwrap();
    let n = tx
        .query_one("select count(*) from storage.objects", &[])
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();
    n
}

#[tokio::test]
async fn users_touch_only_objects_in_their_own_folder() {
    let s = Server::start().await;
    let (alice, bob) = (
        s.user("alice@example.com").await,
        s.user("bob@example.com").await,
    );
    let mut api = s.api().await;
    let public: bool = s
        .admin
        .query_one(
            "select public from storage.buckets where id = 'captures'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!public, "the captures bucket is private");

    let alices = format!("{alice}/{}.wav", Uuid::now_v7());
    assert_eq!(exec(&mut api, alice, INSERT, &alices).await, Ok(1));
    // Into Bob's folder, or outside any folder: refused.
    for name in [
        format!("{bob}/{}.wav", Uuid::now_v7()),
        "loose.wav".to_string(),
    ] {
        let err = exec(&mut api, alice, INSERT, &name).await.unwrap_err();
        assert!(err.contains("row-level security"), "{name}: {err}");
    }
    assert_eq!(visible(&mut api, alice).await, 1);
    assert_eq!(
        visible(&mut api, bob).await,
        0,
        "Bob cannot list Alice's memo"
    );

    // Bob can neither replace nor delete it (no error: for him the row is not there).
    let touch = "update storage.objects set metadata = '{\"by\": \"bob\"}' where name = $1";
    assert_eq!(exec(&mut api, bob, touch, &alices).await, Ok(0));
    let delete = "delete from storage.objects where name = $1";
    assert_eq!(exec(&mut api, bob, delete, &alices).await, Ok(0));
    // Alice cannot move her object into Bob's folder either.
    let moved = format!("update storage.objects set name = '{bob}/stolen.wav' where name = $1");
    let err = exec(&mut api, alice, &moved, &alices).await.unwrap_err();
    assert!(err.contains("row-level security"), "{err}");
    // Her own replace and delete work.
    assert_eq!(exec(&mut api, alice, touch, &alices).await, Ok(1));
    assert_eq!(exec(&mut api, alice, delete, &alices).await, Ok(1));
    let left = s.scalar("select count(*) from storage.objects", &[]).await;
    assert_eq!(left, 0);
}

#[tokio::test]
async fn anon_and_other_buckets_get_nothing() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    s.admin
        .batch_execute("insert into storage.buckets (id, name) values ('other', 'other')")
        .await
        .unwrap();
    let name = format!("{alice}/{}.wav", Uuid::now_v7());

    // The policies cover only the captures bucket: Alice's own folder elsewhere is closed.
    let other = "insert into storage.objects (bucket_id, name) values ('other', $1)";
    let err = exec(&mut api, alice, other, &name).await.unwrap_err();
    assert!(err.contains("row-level security"), "{err}");

    let tx = as_role(&mut api, "anon", &json!({"role": "anon"}))
        .await
        .unwrap();
    let err = tx.execute(INSERT, &[&name]).await.unwrap_err();
    assert!(
        pg::db_error(&err).contains("row-level security"),
        "{}",
        pg::db_error(&err)
    );
}

#[tokio::test]
async fn the_migration_can_be_applied_again() {
    let s = Server::start().await;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sql =
        std::fs::read_to_string(root.join("../migrations/server/0006_capture_audio_storage.sql"))
            .unwrap();
    s.admin.batch_execute(&sql).await.unwrap();
    let buckets = s
        .scalar(
            "select count(*) from storage.buckets where id = 'captures'",
            &[],
        )
        .await;
    assert_eq!(buckets, 1);
    let policies = s
        .scalar(
            "select count(*) from pg_policies where schemaname = 'storage' \
             and tablename = 'objects' and policyname like 'captures:%'",
            &[],
        )
        .await;
    assert_eq!(policies, 4);
}
