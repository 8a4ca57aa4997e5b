//! sync_push: idempotency by op_seq, rejected ops, field-level last-writer-wins, delete wins.

use crate::common::*;
use serde_json::json;
use uuid::Uuid;

/// A response lost after commit: the client sends the same batch again. Nothing is applied
/// twice: every op is `duplicate`, and rows, row versions and the user's version stay as they were.
#[tokio::test]
async fn retried_batch_is_all_duplicate_and_changes_nothing() {
    let s = Server::start().await;
    let u = s.user("u@example.com").await;
    let mut api = s.api().await;
    let client = Uuid::now_v7();
    let (e1, e2, c1) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let batch = json!([
        new_entry(1, e1, "one"),
        new_entry(2, e2, "two"),
        upsert(
            3,
            "captures",
            c1,
            json!({
                "created_at": "2026-11-22T10:00:00.000Z", "surface": "cli", "text": "two",
                "context": {"app": "terminal"}, "entry_id": e2
            })
        ),
        upsert(4, "entries", e1, json!({"title": "First"})),
    ]);
    let first = push(&mut api, u, client, &batch).await.unwrap();
    assert_eq!(statuses(&first), ["applied"; 4]);
    assert_eq!(first["last_op_seq"], json!(4));
    assert_eq!(first["version"], json!(1));

    let snapshot = "select coalesce(sum(version), 0)::bigint * 1000 + count(*) from \
                    (select version from entries union all select version from captures) r";
    let before = s.scalar(snapshot, &[]).await;
    let state_before = s.scalar("select version from sync_state", &[]).await;

    let again = push(&mut api, u, client, &batch).await.unwrap();
    assert_eq!(statuses(&again), ["duplicate"; 4], "{again}");
    assert_eq!(again["last_op_seq"], json!(4));
    assert_eq!(again["version"], json!(1));
    assert_eq!(s.scalar(snapshot, &[]).await, before);
    assert_eq!(
        s.scalar("select version from sync_state", &[]).await,
        state_before
    );
    assert_eq!(s.scalar("select count(*) from dead_letters", &[]).await, 0);

    // A retry that also carries a new op: the old ones are skipped, the new one applies.
    let mut more = batch.as_array().unwrap().clone();
    more.push(upsert(6, "entries", e2, json!({"body": "two, edited"})));
    let third = push(&mut api, u, client, &json!(more)).await.unwrap();
    assert_eq!(
        statuses(&third),
        [
            "duplicate",
            "duplicate",
            "duplicate",
            "duplicate",
            "applied"
        ]
    );
    assert_eq!(third["last_op_seq"], json!(6));
    assert_eq!(third["version"], json!(2));
    let (changes, _) = pull_all(&mut api, u, None).await;
    assert_eq!(changes.len(), 3, "one change per row");
    assert_eq!(row_of(&changes, e2).unwrap()["body"], json!("two, edited"));
    assert_eq!(row_of(&changes, e1).unwrap()["title"], json!("First"));
    let capture = row_of(&changes, c1).unwrap();
    assert_eq!(capture["context"], json!({"app": "terminal"}));
    assert_eq!(capture["parse_status"], json!("pending"));
    assert_eq!(capture["entry_id"], json!(e2.to_string()));

    // Another client of the same user has its own op_seq series.
    let other = push(
        &mut api,
        u,
        Uuid::now_v7(),
        &json!([upsert(1, "entries", e1, json!({"kind": "task"}))]),
    )
    .await
    .unwrap();
    assert_eq!(statuses(&other), ["applied"]);
}

/// Ops the server refuses for good are `rejected` with a reason, advance last_op_seq, land in
/// dead_letters, and do not stop the rest of the batch.
#[tokio::test]
async fn rejected_ops_are_dead_lettered_and_the_batch_goes_on() {
    let s = Server::start().await;
    let u = s.user("u@example.com").await;
    let other = s.user("other@example.com").await;
    let mut api = s.api().await;
    let theirs = Uuid::now_v7();
    push(
        &mut api,
        other,
        Uuid::now_v7(),
        &json!([new_entry(1, theirs, "not yours")]),
    )
    .await
    .unwrap();

    let client = Uuid::now_v7();
    let (ok1, ok2, e) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let big = "x".repeat(1_048_577);
    let batch = json!([
        new_entry(1, ok1, "fine"),
        upsert(2, "secrets", e, json!({"body": "x"})),
        upsert(3, "entries", ok1, json!({"mood": "happy"})),
        upsert(4, "entries", ok1, json!({"occurred_at": "yesterday"})),
        upsert(5, "entries", theirs, json!({"body": "mine now"})),
        delete(6, "entries", theirs),
        new_entry(7, e, &big),
        upsert(8, "entries", ok1, json!({"user_id": other})),
        upsert(
            9,
            "captures",
            e,
            json!({"created_at": "2026-11-22T10:00:00Z", "surface": "fax"})
        ),
        upsert(10, "entries", e, json!({"body": "no times"})),
        new_entry(12, ok2, "also fine"),
    ]);
    let r = push(&mut api, u, client, &batch).await.unwrap();
    assert_eq!(
        statuses(&r),
        [
            "applied", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected",
            "rejected", "rejected", "rejected", "applied"
        ],
        "{r}"
    );
    assert_eq!(r["last_op_seq"], json!(12));
    let reasons: Vec<&str> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|x| x["reason"].as_str())
        .collect();
    let expect = [
        "unknown table",
        "unknown field entries.mood",
        "entries.occurred_at must be an RFC 3339 time",
        "belongs to another user",
        "belongs to another user",
        "body longer than 1048576 bytes",
        "field entries.user_id is not writable",
        "captures.surface must be",
        "a new entries row needs occurred_at",
    ];
    for (reason, want) in reasons.iter().zip(expect) {
        assert!(reason.contains(want), "{reason:?} should say {want:?}");
    }

    // The dead letters hold the ops as sent and the same reasons; the user can read them.
    let tx = jotline_tests::pg::as_user(&mut api, u).await.unwrap();
    let rows = tx
        .query(
            "select op_seq, op, reason, client_id from dead_letters order by op_seq",
            &[],
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(rows.len(), 9);
    assert_eq!(rows[0].get::<_, i64>(0), 2);
    assert_eq!(rows[0].get::<_, serde_json::Value>(1), batch[1]);
    assert_eq!(rows[0].get::<_, String>(2), reasons[0]);
    assert_eq!(rows[0].get::<_, Uuid>(3), client);

    assert_eq!(
        s.scalar(
            "select last_op_seq from sync_clients where client_id = $1",
            &[&client]
        )
        .await,
        12
    );
    // The other user's row is untouched; ours were applied, nothing of the rejected ones leaked.
    let (theirs_now, _) = pull_all(&mut api, other, None).await;
    assert_eq!(
        row_of(&theirs_now, theirs).unwrap()["body"],
        json!("not yours")
    );
    assert_eq!(
        row_of(&theirs_now, theirs).unwrap()["deleted_at"],
        json!(null)
    );
    let (mine, _) = pull_all(&mut api, u, None).await;
    let ids: Vec<&str> = mine
        .iter()
        .map(|c| c["row"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&ok1.to_string().as_str()) && ids.contains(&ok2.to_string().as_str()));
    assert_eq!(
        row_of(&mine, ok1).unwrap()["occurred_at"],
        json!("2026-11-22T10:00:00.000Z")
    );

    // A rejected op is not retried either: sending it again is a duplicate.
    let again = push(&mut api, u, client, &json!([batch[1]])).await.unwrap();
    assert_eq!(statuses(&again), ["duplicate"]);

    // A batch the server cannot even number is refused whole (a 4xx for the client).
    let err = push(&mut api, u, client, &json!([{"table": "entries"}]))
        .await
        .unwrap_err();
    assert!(err.contains("op_seq"), "{err}");
    let err = push(
        &mut api,
        u,
        client,
        &json!([new_entry(20, ok1, "a"), new_entry(19, ok2, "b")]),
    )
    .await
    .unwrap_err();
    assert!(err.contains("ascending"), "{err}");
    assert_eq!(
        s.scalar(
            "select last_op_seq from sync_clients where client_id = $1",
            &[&client]
        )
        .await,
        12
    );
}

/// Two clients change different fields of one entry: both changes survive. The same field:
/// the later push wins.
#[tokio::test]
async fn field_level_last_writer_wins() {
    let s = Server::start().await;
    let u = s.user("u@example.com").await;
    let mut api = s.api().await;
    let (laptop, phone) = (Uuid::now_v7(), Uuid::now_v7());
    let e = Uuid::now_v7();
    push(&mut api, u, laptop, &json!([new_entry(1, e, "original")]))
        .await
        .unwrap();

    // Both edited offline from the same state; each pushes only what it changed.
    push(
        &mut api,
        u,
        phone,
        &json!([upsert(
            1,
            "entries",
            e,
            json!({
                "title": "From the phone", "updated_at": "2026-11-22T11:00:00.000Z"
            })
        )]),
    )
    .await
    .unwrap();
    push(
        &mut api,
        u,
        laptop,
        &json!([upsert(
            2,
            "entries",
            e,
            json!({
                "body": "edited on the laptop", "updated_at": "2026-11-22T11:05:00.000Z"
            })
        )]),
    )
    .await
    .unwrap();
    let (changes, cursor) = pull_all(&mut api, u, None).await;
    let row = row_of(&changes, e).unwrap();
    assert_eq!(row["title"], json!("From the phone"));
    assert_eq!(row["body"], json!("edited on the laptop"));
    assert_eq!(row["kind"], json!("note"));
    assert_eq!(row["updated_at"], json!("2026-11-22T11:05:00.000Z"));

    // Same field: arrival order decides.
    push(
        &mut api,
        u,
        laptop,
        &json!([upsert(3, "entries", e, json!({"body": "laptop says"}))]),
    )
    .await
    .unwrap();
    push(
        &mut api,
        u,
        phone,
        &json!([upsert(2, "entries", e, json!({"body": "phone says"}))]),
    )
    .await
    .unwrap();
    let (changes, _) = pull_all(&mut api, u, cursor).await;
    assert_eq!(changes.len(), 1, "one row changed since the cursor");
    let row = row_of(&changes, e).unwrap();
    assert_eq!(row["body"], json!("phone says"));
    assert_eq!(row["title"], json!("From the phone"));

    // Explicit null clears a nullable field; other fields stay.
    push(
        &mut api,
        u,
        phone,
        &json!([upsert(3, "entries", e, json!({"title": null}))]),
    )
    .await
    .unwrap();
    let (changes, _) = pull_all(&mut api, u, None).await;
    let row = row_of(&changes, e).unwrap();
    assert_eq!(row["title"], json!(null));
    assert_eq!(row["body"], json!("phone says"));
}

/// A delete wins over a later update from another client; the pull returns the tombstone.
#[tokio::test]
async fn delete_wins_over_a_later_update() {
    let s = Server::start().await;
    let u = s.user("u@example.com").await;
    let mut api = s.api().await;
    let (laptop, phone) = (Uuid::now_v7(), Uuid::now_v7());
    let (e, c) = (Uuid::now_v7(), Uuid::now_v7());
    push(
        &mut api,
        u,
        laptop,
        &json!([
            new_entry(1, e, "to be deleted"),
            upsert(
                2,
                "captures",
                c,
                json!({"created_at": "2026-11-22T10:00:00.000Z", "surface": "in_app", "text": "t"})
            ),
        ]),
    )
    .await
    .unwrap();
    let (_, cursor) = pull_all(&mut api, u, None).await;

    let del = push(
        &mut api,
        u,
        laptop,
        &json!([delete(3, "entries", e), delete(4, "captures", c)]),
    )
    .await
    .unwrap();
    assert_eq!(statuses(&del), ["applied", "applied"]);
    let tomb_version = del["version"].as_i64().unwrap();

    // The phone had not seen the delete and edits the entry afterwards.
    let late = push(
        &mut api,
        u,
        phone,
        &json!([
            upsert(
                1,
                "entries",
                e,
                json!({"body": "edited after the delete", "title": "T"})
            ),
            upsert(2, "captures", c, json!({"parse_status": "ready"})),
        ]),
    )
    .await
    .unwrap();
    assert_eq!(statuses(&late), ["applied", "applied"], "{late}");

    let (changes, _) = pull_all(&mut api, u, cursor).await;
    assert_eq!(changes.len(), 2, "{changes:?}");
    let row = row_of(&changes, e).unwrap();
    assert_eq!(row["deleted_at"], json!("2026-11-23T08:00:00.000Z"));
    assert_eq!(row["body"], json!("to be deleted"));
    assert_eq!(row["title"], json!(null));
    assert_eq!(
        row["version"],
        json!(tomb_version),
        "the ignored update does not bump the row"
    );
    let cap = row_of(&changes, c).unwrap();
    assert_eq!(cap["deleted_at"], json!("2026-11-23T08:00:00.000Z"));
    assert_eq!(cap["parse_status"], json!("pending"));

    // Deleting a row the server never had (created and deleted before a push) is a no-op.
    let ghost = push(
        &mut api,
        u,
        laptop,
        &json!([delete(5, "entries", Uuid::now_v7())]),
    )
    .await
    .unwrap();
    assert_eq!(statuses(&ghost), ["applied"]);
    assert_eq!(s.scalar("select count(*) from entries", &[]).await, 1);
}

/// Times are checked for real: one that only looks right (30 February, month 13, an offset
/// past ±15:59) is rejected, while a leap day, an offset and the last second of a month pass.
#[tokio::test]
async fn times_that_do_not_exist_are_rejected() {
    let s = Server::start().await;
    let u = s.user("u@example.com").await;
    let mut api = s.api().await;
    let ok = Uuid::now_v7();
    let at = |seq, time: &str| upsert(seq, "entries", ok, json!({"occurred_at": time}));
    let batch = json!([
        new_entry(1, ok, "dated"),
        at(2, "2026-02-30T10:00:00Z"),
        at(3, "2026-13-01T10:00:00Z"),
        at(4, "2026-11-22T10:00:00+16:00"),
        at(5, "0000-01-01T00:00:00Z"),
        at(6, "2024-02-29T10:00:00Z"),
        at(7, "2026-11-22T10:00:00+05:30"),
        at(8, "2026-01-31T23:59:59.999Z"),
    ]);
    let r = push(&mut api, u, Uuid::now_v7(), &batch).await.unwrap();
    assert_eq!(
        statuses(&r),
        [
            "applied", "rejected", "rejected", "rejected", "rejected", "applied", "applied",
            "applied"
        ],
        "{r}"
    );
    for result in &r["results"].as_array().unwrap()[1..5] {
        let reason = result["reason"].as_str().unwrap();
        assert!(reason.contains("is not a valid time"), "{reason}");
    }
    let (rows, _) = pull_all(&mut api, u, None).await;
    assert_eq!(
        row_of(&rows, ok).unwrap()["occurred_at"],
        json!("2026-01-31T23:59:59.999Z")
    );
}
