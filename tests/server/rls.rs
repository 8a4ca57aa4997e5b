//! Row-level security: each user reads and writes only their own rows, directly on the tables
//! and through sync_push/sync_pull; `anon` can do nothing.

use crate::common::*;
use jotline_tests::pg::{self, as_role, as_user};
use serde_json::json;
use tokio_postgres::Client;
use uuid::Uuid;

async fn count(api: &mut Client, user: Uuid, sql: &str) -> i64 {
    let tx = as_user(api, user).await.unwrap();
    let n = tx.query_one(sql, &[]).await.unwrap().get(0);
    tx.commit().await.unwrap();
    n
}

/// Runs one statement as `user` the way the body of `sync_push` writes: as
/// `jotline_sync_writer` (migration 0007), through row-level security, which is what these
/// tests check. `writer` is a superuser connection (only it may switch to that role).
async fn exec(
    writer: &mut Client,
    user: Uuid,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<u64, String> {
    let claims = json!({ "sub": user.to_string(), "role": "authenticated" });
    let tx = as_role(writer, "jotline_sync_writer", &claims)
        .await
        .unwrap();
    let r = tx.execute(sql, params).await.map_err(|e| pg::db_error(&e));
    if r.is_ok() {
        tx.commit().await.unwrap();
    }
    r
}

#[tokio::test]
async fn users_see_and_change_only_their_own_rows() {
    let s = Server::start().await;
    let (alice, bob) = (
        s.user("alice@example.com").await,
        s.user("bob@example.com").await,
    );
    let mut api = s.api().await;
    let mut writer = s.pg.connect(pg::SUPERUSER, pg::DATABASE).await.unwrap();
    let (a_entry, a_capture) = (Uuid::now_v7(), Uuid::now_v7());
    let r = push(
        &mut api,
        alice,
        Uuid::now_v7(),
        &json!([
            new_entry(1, a_entry, "alice's secret"),
            upsert(
                2,
                "captures",
                a_capture,
                json!({"created_at": "2026-11-22T10:00:00Z", "surface": "cli"})
            ),
            upsert(3, "nope", a_entry, json!({})),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(statuses(&r), ["applied", "applied", "rejected"]);

    // Bob sees none of Alice's rows in any table.
    for table in [
        "entries",
        "captures",
        "sync_state",
        "sync_clients",
        "dead_letters",
    ] {
        assert_eq!(
            count(&mut api, bob, &format!("select count(*) from {table}")).await,
            0,
            "{table}"
        );
        assert_eq!(
            count(&mut api, alice, &format!("select count(*) from {table}")).await,
            1,
            "{table}"
        );
    }
    // Directly as `authenticated` (what /rest/v1 runs as), nobody writes the sync tables.
    for sql in [
        "update entries set version = 0",
        "delete from entries",
        "update sync_state set version = 0",
        "update sync_clients set last_op_seq = 0",
    ] {
        let tx = as_user(&mut api, alice).await.unwrap();
        let err = tx.execute(sql, &[]).await.unwrap_err();
        assert!(
            pg::db_error(&err).contains("permission denied"),
            "{sql}: {err}"
        );
    }
    // Bob can neither update nor delete them (no error: the rows are simply not there for him).
    let upd = "update entries set body = 'bob was here' where id = $1";
    assert_eq!(exec(&mut writer, bob, upd, &[&a_entry]).await, Ok(0));
    // Nothing deletes rows, not even sync_push (a delete is a tombstone; purging is the
    // owner's cleanup_tombstones).
    for sql in [
        "delete from entries where id = $1",
        "delete from captures where id = $1",
    ] {
        let err = exec(&mut writer, bob, sql, &[&a_entry]).await.unwrap_err();
        assert!(err.contains("permission denied"), "{sql}: {err}");
    }
    let err = exec(&mut writer, bob, "delete from dead_letters", &[])
        .await
        .unwrap_err();
    assert!(err.contains("permission denied"), "{err}");
    assert_eq!(
        exec(
            &mut writer,
            bob,
            "update sync_clients set last_op_seq = 0",
            &[]
        )
        .await,
        Ok(0)
    );
    // Nor move his own row to Alice, nor insert rows in her name.
    let insert = "insert into entries (id, user_id, occurred_at, created_at, updated_at, version) \
                  values ($1, $2, now(), now(), now(), 1)";
    let err = exec(&mut writer, bob, insert, &[&Uuid::now_v7(), &alice])
        .await
        .unwrap_err();
    assert!(err.contains("row-level security"), "{err}");
    let own = Uuid::now_v7();
    assert_eq!(exec(&mut writer, bob, insert, &[&own, &bob]).await, Ok(1));
    let err = exec(
        &mut writer,
        bob,
        "update entries set user_id = $1 where id = $2",
        &[&alice, &own],
    )
    .await
    .unwrap_err();
    assert!(err.contains("row-level security"), "{err}");
    // Without a user_id, an insert defaults to the caller.
    let by_default = "insert into entries (id, occurred_at, created_at, updated_at, version) \
                      values ($1, now(), now(), now(), 1)";
    let mine = Uuid::now_v7();
    assert_eq!(exec(&mut writer, bob, by_default, &[&mine]).await, Ok(1));
    assert_eq!(
        s.scalar(
            "select count(*) from entries where id = $1 and user_id = $2",
            &[&mine, &bob]
        )
        .await,
        1
    );
    // The horizon is not the client's to change.
    let err = exec(&mut writer, alice, "update sync_state set horizon = 0", &[])
        .await
        .unwrap_err();
    assert!(err.contains("permission denied"), "{err}");

    // Through the sync functions: Bob's pull has only his rows; his pushes cannot touch Alice's.
    let (bobs, _) = pull_all(&mut api, bob, None).await;
    assert_eq!(bobs.len(), 2);
    assert!(row_of(&bobs, a_entry).is_none());
    let r = push(
        &mut api,
        bob,
        Uuid::now_v7(),
        &json!([
            upsert(1, "entries", a_entry, json!({"body": "bob was here"})),
            delete(2, "entries", a_entry),
            delete(3, "captures", a_capture),
            new_entry(4, a_entry, "a full create with her id"),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(statuses(&r), ["rejected"; 4], "{r}");
    let (alices, _) = pull_all(&mut api, alice, None).await;
    assert_eq!(alices.len(), 2);
    assert_eq!(
        row_of(&alices, a_entry).unwrap()["body"],
        json!("alice's secret")
    );
    assert_eq!(row_of(&alices, a_entry).unwrap()["deleted_at"], json!(null));
    assert_eq!(
        row_of(&alices, a_capture).unwrap()["deleted_at"],
        json!(null)
    );
    // Alice's cursor cannot be used by Bob to read her rows either.
    let p = pull(
        &mut api,
        bob,
        Some(&format!("v1:0:entries:{}", Uuid::nil())),
        10,
    )
    .await
    .unwrap();
    assert!(p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["row"]["id"] != json!(a_entry.to_string())));

    // The superuser view: Alice's rows exactly as she left them.
    assert_eq!(
        s.scalar(
            "select count(*) from entries where user_id = $1 and body = 'alice''s secret'",
            &[&alice]
        )
        .await,
        1
    );
}

#[tokio::test]
async fn anon_and_callers_without_a_user_can_do_nothing() {
    let s = Server::start().await;
    let alice = s.user("alice@example.com").await;
    let mut api = s.api().await;
    push(
        &mut api,
        alice,
        Uuid::now_v7(),
        &json!([new_entry(1, Uuid::now_v7(), "x")]),
    )
    .await
    .unwrap();

    let anon_claims = json!({"role": "anon"});
    let statements = [
        "select count(*) from entries",
        "select count(*) from captures",
        "select count(*) from sync_state",
        "select count(*) from sync_clients",
        "select count(*) from dead_letters",
        "delete from entries",
        "insert into entries (id, occurred_at, created_at, updated_at, version) values (gen_random_uuid(), now(), now(), now(), 1)",
        "select sync_pull(null, 10)",
        "select sync_push(gen_random_uuid(), '[]')",
        "select cleanup_tombstones()",
    ];
    for sql in statements {
        let tx = as_role(&mut api, "anon", &anon_claims).await.unwrap();
        let err = tx.batch_execute(sql).await.expect_err(sql);
        assert!(
            pg::db_error(&err).contains("permission denied"),
            "{sql}: {}",
            pg::db_error(&err)
        );
        tx.rollback().await.unwrap();
    }

    // An `authenticated` caller whose claims carry no user id is refused by the functions and
    // sees no rows.
    let no_sub = json!({"role": "authenticated"});
    for sql in [
        "select sync_pull(null, 10)",
        "select sync_push(gen_random_uuid(), '[]')",
    ] {
        let tx = as_role(&mut api, "authenticated", &no_sub).await.unwrap();
        let err = tx.batch_execute(sql).await.expect_err(sql);
        assert!(
            pg::db_error(&err).contains("not authenticated"),
            "{}",
            pg::db_error(&err)
        );
        tx.rollback().await.unwrap();
    }
    let tx = as_role(&mut api, "authenticated", &no_sub).await.unwrap();
    let n: i64 = tx
        .query_one("select count(*) from entries", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
    tx.rollback().await.unwrap();
    // Users cannot purge tombstones: only the service can.
    let tx = as_user(&mut api, alice).await.unwrap();
    let err = tx
        .batch_execute("select cleanup_tombstones()")
        .await
        .unwrap_err();
    assert!(pg::db_error(&err).contains("permission denied"));
    tx.rollback().await.unwrap();
}
