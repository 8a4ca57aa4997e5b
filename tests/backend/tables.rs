//! `/rest/v1/<table>` as PostgREST serves every table of `public`: the sync invariants hold
//! against a signed-in user who writes the tables directly (migration 0007), reads stay
//! confined to one's own rows, and anon gets nothing, under Supabase's default privileges; the
//! service key reads every row and writes none (0009).

use jotline_tests::backend::LocalBackend;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{create_entry, entry_ids, read, Api};

async fn table(
    api: &Api,
    method: Method,
    token: &str,
    path_and_query: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = api
        .http
        .request(method, format!("{}/rest/v1/{path_and_query}", api.base))
        .header("apikey", &api.anon_key)
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    read(req.send().await.unwrap()).await
}

fn refused(answer: &(StatusCode, Value), what: &str) {
    let (status, body) = answer;
    assert_eq!(*status, StatusCode::FORBIDDEN, "{what}: {body}");
    assert_eq!(body["code"], "42501", "{what}: {body}");
}

#[tokio::test]
async fn a_signed_in_user_cannot_write_the_sync_tables_directly() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let token = alice.access_token.as_str();
    let client = Uuid::now_v7();
    let entry = Uuid::now_v7();
    // One entry, and one op the server rejects (a new row without its times): a dead letter.
    let incomplete = json!({"op_seq": 2, "table": "entries", "row_id": Uuid::now_v7(),
                            "op": "upsert", "fields": {"body": "no times"}});
    let (status, body) = api
        .push(
            token,
            client,
            json!([create_entry(1, entry, "first"), incomplete]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][1]["status"], "rejected", "{body}");
    let version = body["version"].clone();

    let id = format!("id=eq.{entry}");
    let user = format!("user_id=eq.{}", alice.user_id);
    let attempts = [
        (
            Method::PATCH,
            format!("entries?{id}"),
            Some(json!({"version": 0})),
        ),
        (Method::DELETE, format!("entries?{id}"), None),
        (
            Method::PATCH,
            format!("sync_state?{user}"),
            Some(json!({"version": 0})),
        ),
        (
            Method::PATCH,
            format!("sync_clients?{user}"),
            Some(json!({"last_op_seq": 0})),
        ),
        (Method::DELETE, format!("dead_letters?{user}"), None),
        (
            Method::POST,
            "entries".to_string(),
            Some(
                json!({"id": Uuid::now_v7(), "occurred_at": "2026-01-01T00:00:00Z",
                        "created_at": "2026-01-01T00:00:00Z",
                        "updated_at": "2026-01-01T00:00:00Z", "version": 1}),
            ),
        ),
    ];
    for (method, path, body) in attempts {
        let what = format!("{method} {path}");
        refused(&table(&api, method, token, &path, body).await, &what);
    }

    // Nothing changed: the entry is there with its version, and the next push goes on.
    let (status, rows) = table(&api, Method::GET, token, &format!("entries?{id}"), None).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    assert_eq!(rows[0]["version"], version, "{rows}");
    assert_eq!(
        entry_ids(&api.pull_all(token).await),
        vec![entry.to_string()]
    );
    let (_, dead) = table(&api, Method::GET, token, "dead_letters", None).await;
    assert_eq!(dead.as_array().map(Vec::len), Some(1), "{dead}");
    let (status, body) = api
        .push(
            token,
            client,
            json!([create_entry(3, Uuid::now_v7(), "second")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results"][0]["status"], "applied", "{body}");
}

#[tokio::test]
async fn reads_are_confined_to_ones_own_rows_and_anon_gets_nothing() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let bob = api.new_user().await;
    let (status, body) = api
        .push(
            &alice.access_token,
            Uuid::now_v7(),
            json!([create_entry(1, Uuid::now_v7(), "alice's")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    for name in ["entries", "sync_state", "sync_clients"] {
        let (status, rows) = table(&api, Method::GET, &alice.access_token, name, None).await;
        assert_eq!(status, StatusCode::OK, "{name}: {rows}");
        assert_eq!(rows.as_array().unwrap().len(), 1, "{name}: {rows}");
        let (status, rows) = table(&api, Method::GET, &bob.access_token, name, None).await;
        assert_eq!((status, rows), (StatusCode::OK, json!([])), "{name}");
        let (status, body) = table(&api, Method::GET, &backend.anon_key(), name, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{name}: {body}");
        assert_eq!(body["code"], "42501", "{name}: {body}");
    }
}

#[tokio::test]
async fn the_service_key_reads_every_row_and_writes_none() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let service = backend.service_key();
    let (alice, bob) = (api.new_user().await, api.new_user().await);
    let entry = Uuid::now_v7();
    for (user, id) in [(&alice, entry), (&bob, Uuid::now_v7())] {
        let (status, body) = api
            .push(
                &user.access_token,
                Uuid::now_v7(),
                json!([create_entry(1, id, "x")]),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    let (status, rows) = table(&api, Method::GET, &service, "entries", None).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    assert_eq!(rows.as_array().map(Vec::len), Some(2), "{rows}");

    let id = format!("id=eq.{entry}");
    let user = format!("user_id=eq.{}", alice.user_id);
    let attempts = [
        (
            Method::PATCH,
            format!("entries?{id}"),
            Some(json!({"version": 0})),
        ),
        (Method::DELETE, format!("entries?{id}"), None),
        (
            Method::PATCH,
            format!("sync_state?{user}"),
            Some(json!({"version": 0})),
        ),
        (Method::DELETE, format!("sync_clients?{user}"), None),
    ];
    for (method, path, body) in attempts {
        let what = format!("service key: {method} {path}");
        refused(&table(&api, method, &service, &path, body).await, &what);
    }
    let (_, rows) = table(&api, Method::GET, &service, &format!("entries?{id}"), None).await;
    assert_eq!(rows[0]["version"], json!(1), "{rows}");
}
