//! Tombstone cleanup: rows deleted more than 30 days ago are purged by the service, the horizon
//! rises, and a client whose cursor is at or below it is told to resync.

use crate::common::*;
use jotline_tests::pg::as_role;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn old_tombstones_are_purged_and_stale_cursors_must_resync() {
    let s = Server::start().await;
    let (u, other) = (s.user("u@example.com").await, s.user("o@example.com").await);
    let mut api = s.api().await;
    let client = Uuid::now_v7();
    let (keep, old_del, new_del, old_cap) = (
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
        Uuid::now_v7(),
    );
    push(
        &mut api,
        u,
        client,
        &json!([
            new_entry(1, keep, "kept"),
            new_entry(2, old_del, "deleted long ago"),
            new_entry(3, new_del, "deleted yesterday"),
            upsert(
                4,
                "captures",
                old_cap,
                json!({"created_at": "2026-11-22T10:00:00Z", "surface": "cli"})
            ),
        ]),
    )
    .await
    .unwrap();
    // A client that synced before the deletes: its cursor is at version 1.
    let (_, stale_cursor) = pull_all(&mut api, u, None).await;
    let stale_cursor = stale_cursor.unwrap();

    let first_delete = push(
        &mut api,
        u,
        client,
        &json!([
            delete(5, "entries", old_del),
            delete(6, "captures", old_cap)
        ]),
    )
    .await
    .unwrap();
    let purged_version = first_delete["version"].as_i64().unwrap();
    push(&mut api, u, client, &json!([delete(7, "entries", new_del)]))
        .await
        .unwrap();
    let (_, current_cursor) = pull_all(&mut api, u, Some(stale_cursor.clone())).await;
    let current_cursor = current_cursor.unwrap();
    // The other user's old tombstone is purged too, and only their horizon moves for it.
    let theirs = Uuid::now_v7();
    push(
        &mut api,
        other,
        client,
        &json!([new_entry(1, theirs, "x"), delete(2, "entries", theirs)]),
    )
    .await
    .unwrap();

    // Age the first deletes by 31 days, and the other user's; `new_del` is a day old.
    s.admin
        .execute(
            "update entries set tombstoned_at = now() - interval '31 days' where id = any($1)",
            &[&vec![old_del, theirs]],
        )
        .await
        .unwrap();
    s.admin
        .execute(
            "update captures set tombstoned_at = now() - interval '31 days' where id = $1",
            &[&old_cap],
        )
        .await
        .unwrap();
    s.admin
        .execute(
            "update entries set tombstoned_at = now() - interval '1 day' where id = $1",
            &[&new_del],
        )
        .await
        .unwrap();

    let tx = as_role(&mut api, "service_role", &json!({"role": "service_role"}))
        .await
        .unwrap();
    let purged: i64 = tx
        .query_one("select cleanup_tombstones()", &[])
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();
    assert_eq!(purged, 3);

    let exists = "select count(*) from entries where id = $1";
    assert_eq!(s.scalar(exists, &[&old_del]).await, 0);
    assert_eq!(s.scalar(exists, &[&theirs]).await, 0);
    assert_eq!(
        s.scalar(exists, &[&new_del]).await,
        1,
        "younger than 30 days"
    );
    assert_eq!(
        s.scalar(exists, &[&keep]).await,
        1,
        "live rows are never purged"
    );
    assert_eq!(s.scalar("select count(*) from captures", &[]).await, 0);
    assert_eq!(
        s.scalar("select horizon from sync_state where user_id = $1", &[&u])
            .await,
        purged_version
    );
    assert_eq!(
        s.scalar(
            "select horizon from sync_state where user_id = $1",
            &[&other]
        )
        .await,
        1
    );

    // The stale client (cursor below the horizon) must resync; a cursor exactly at it too.
    let p = pull(&mut api, u, Some(&stale_cursor), 100).await.unwrap();
    assert_eq!(
        p,
        json!({"changes": [], "next_cursor": null, "has_more": false, "must_resync": true})
    );
    let at_horizon = format!("v1:{purged_version}:entries:{}", Uuid::max());
    assert_eq!(
        pull(&mut api, u, Some(&at_horizon), 100).await.unwrap()["must_resync"],
        json!(true)
    );
    // An up-to-date client goes on as usual; a full pull from null never has to resync.
    let p = pull(&mut api, u, Some(&current_cursor), 100).await.unwrap();
    assert_eq!(p["must_resync"], json!(false));
    assert_eq!(p["changes"], json!([]));
    let (all, _) = pull_all(&mut api, u, None).await;
    assert_eq!(
        all.len(),
        2,
        "the live row and the young tombstone: {all:?}"
    );
    assert!(row_of(&all, new_del).unwrap()["deleted_at"].is_string());

    // Purging again finds nothing; a shorter interval is the service's choice.
    let tx = as_role(&mut api, "service_role", &json!({"role": "service_role"}))
        .await
        .unwrap();
    let again: i64 = tx
        .query_one("select cleanup_tombstones()", &[])
        .await
        .unwrap()
        .get(0);
    let now: i64 = tx
        .query_one("select cleanup_tombstones(interval '0 seconds')", &[])
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();
    assert_eq!((again, now), (0, 1));
}
