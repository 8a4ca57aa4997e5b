//! Paged, resumable pull: every change exactly once, in (version, table, id) order.

use std::collections::HashSet;

use crate::common::*;
use serde_json::{json, Value};
use uuid::Uuid;

#[tokio::test]
async fn pages_return_every_change_once_and_repeat_identically() {
    let s = Server::start().await;
    let u = s.user("u@example.com").await;
    let mut api = s.api().await;
    let client = Uuid::now_v7();

    // 1,000 entries and 234 captures in pushes of 300 ops: many rows share a version, so the
    // (table, id) tie-breaks inside a version are exercised.
    let mut ops: Vec<Value> = (0..1000)
        .map(|i| new_entry(i + 1, Uuid::now_v7(), &format!("entry {i}")))
        .collect();
    ops.extend((0..234).map(|i| {
        upsert(1001 + i, "captures", Uuid::now_v7(), json!({
            "created_at": "2026-11-22T10:00:00Z", "surface": "desktop_hotkey", "text": format!("capture {i}")
        }))
    }));
    for batch in ops.chunks(300) {
        let r = push(&mut api, u, client, &json!(batch)).await.unwrap();
        assert!(statuses(&r).iter().all(|s| s == "applied"));
    }
    let pushed: HashSet<String> = ops
        .iter()
        .map(|o| o["row_id"].as_str().unwrap().to_string())
        .collect();

    let mut seen = HashSet::new();
    let mut order = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let page = pull(&mut api, u, cursor.as_deref(), 100).await.unwrap();
        let changes = page["changes"].as_array().unwrap().clone();
        for c in &changes {
            assert!(
                seen.insert(c["row"]["id"].as_str().unwrap().to_string()),
                "pulled twice: {c}"
            );
            order.push((
                c["row"]["version"].as_i64().unwrap(),
                c["table"].as_str().unwrap().to_string(),
                c["row"]["id"].as_str().unwrap().to_string(),
            ));
        }
        pages.push((cursor.clone(), changes));
        cursor = page["next_cursor"].as_str().map(str::to_string);
        if page["has_more"] == json!(false) {
            break;
        }
        assert_eq!(
            pages.last().unwrap().1.len(),
            100,
            "a page with more after it is full"
        );
    }
    assert_eq!(pages.len(), 13);
    assert_eq!(pages.last().unwrap().1.len(), 34);
    assert_eq!(seen, pushed);
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "ordered by (version, table, id)"
    );

    // A page pulled again from the same cursor (a crash before the client stored it) is the same.
    for i in [0, 5, 12] {
        let (from, changes) = &pages[i];
        let again = pull(&mut api, u, from.as_deref(), 100).await.unwrap();
        assert_eq!(&again["changes"], &json!(changes), "page {i}");
    }
    // At the end: nothing more, the cursor stays.
    let end = pull(&mut api, u, cursor.as_deref(), 100).await.unwrap();
    assert_eq!(end["changes"], json!([]));
    assert_eq!(end["has_more"], json!(false));
    assert_eq!(end["next_cursor"], json!(cursor));

    // A later change of an old row comes again, once, with its new version.
    let first_id: Uuid = ops[0]["row_id"].as_str().unwrap().parse().unwrap();
    push(
        &mut api,
        u,
        client,
        &json!([upsert(2000, "entries", first_id, json!({"body": "edited"}))]),
    )
    .await
    .unwrap();
    let (more, _) = pull_all(&mut api, u, cursor).await;
    assert_eq!(more.len(), 1);
    assert_eq!(more[0]["row"]["body"], json!("edited"));
}

#[tokio::test]
async fn bad_pull_arguments_are_refused_clearly() {
    let s = Server::start().await;
    let u = s.user("u@example.com").await;
    let mut api = s.api().await;
    for size in [0, -1, 1001] {
        let err = pull(&mut api, u, None, size).await.unwrap_err();
        assert!(
            err.contains("page_size must be between 1 and 1000"),
            "{err}"
        );
    }
    for cursor in [
        "",
        "garbage",
        "v1:1:secrets:00000000-0000-0000-0000-000000000000",
        "v1:x:entries:",
    ] {
        let err = pull(&mut api, u, Some(cursor), 10).await.unwrap_err();
        assert!(err.contains("invalid cursor"), "{err}");
    }
    // Both arguments have defaults (PostgREST may call it with an empty body).
    let tx = jotline_tests::pg::as_user(&mut api, u).await.unwrap();
    let p: Value = tx
        .query_one("select sync_pull()", &[])
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();
    assert_eq!(
        p,
        json!({"changes": [], "next_cursor": null, "has_more": false, "must_resync": false})
    );
    // Named arguments, as PostgREST passes them.
    let tx = jotline_tests::pg::as_user(&mut api, u).await.unwrap();
    let p: Value = tx
        .query_one("select sync_pull(cursor => null, page_size => 5)", &[])
        .await
        .unwrap()
        .get(0);
    let r: Value = tx
        .query_one(
            "select sync_push(client_id => gen_random_uuid(), ops => '[]')",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    tx.commit().await.unwrap();
    assert_eq!(p["must_resync"], json!(false));
    assert_eq!(r, json!({"version": 0, "last_op_seq": 0, "results": []}));
}
