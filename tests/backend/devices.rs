//! The delivery-receipt rpcs (0011) through `/rest/v1/rpc/<fn>` as PostgREST serves them:
//! POST with named arguments, the recording `sync_pull` chosen over the old one by its
//! `client_id` argument, read-only GET where it may be, two users apart, anon refused.

use jotline_tests::backend::LocalBackend;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::{create_entry, read, Api};

/// POST, expecting 200; the answer.
async fn ok(api: &Api, function: &str, token: &str, args: Value) -> Value {
    let (status, body) = api.rpc(function, Some(token), &args).await;
    assert_eq!(status, StatusCode::OK, "{function}: {body}");
    body
}

#[tokio::test]
async fn devices_and_pulled_versions_over_http() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let (alice, bob) = (api.new_user().await, api.new_user().await);
    let token = alice.access_token.as_str();
    let laptop = Uuid::now_v7();
    let (status, body) = api
        .push(
            token,
            laptop,
            json!([create_entry(1, Uuid::now_v7(), "hi")]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Without client_id the body reaches the old pull, which records nothing: the laptop is
    // listed from its push alone. With it, the recording overload: the very same page.
    let args = json!({"cursor": null, "page_size": 500});
    let old = ok(&api, "sync_pull", token, args).await;
    let list = ok(&api, "list_devices", token, json!({})).await;
    assert_eq!(list["devices"][0]["pulled_version"], json!(null), "{list}");
    let args = json!({"cursor": null, "page_size": 500, "client_id": laptop});
    let page = ok(&api, "sync_pull", token, args).await;
    assert_eq!(page, old);
    assert_eq!(page["changes"].as_array().map(Vec::len), Some(1), "{page}");

    let named = ok(
        &api,
        "register_device",
        token,
        json!({"client_id": laptop, "name": " laptop "}),
    )
    .await;
    assert_eq!(named["name"], json!("laptop"), "{named}");
    let renamed = ok(
        &api,
        "rename_device",
        token,
        json!({"client_id": laptop, "name": "Work laptop"}),
    )
    .await;
    assert_eq!(renamed["name"], json!("Work laptop"), "{renamed}");
    let list = ok(&api, "list_devices", token, json!({})).await;
    assert_eq!(list["version"], json!(1), "{list}");
    assert_eq!(list["devices"][0]["client_id"], json!(laptop.to_string()));
    assert_eq!(list["devices"][0]["pulled_version"], json!(1), "{list}");

    // A bad name is PostgREST's 400 with the function's message.
    let (status, body) = api
        .rpc(
            "register_device",
            Some(token),
            &json!({"client_id": laptop, "name": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["code"], "22023", "{body}");

    // By GET: the list reads; a recording pull writes, so it must be POSTed.
    let get = |query: String| {
        api.http
            .get(format!("{}/rest/v1/rpc/{query}", api.base))
            .header("apikey", &api.anon_key)
            .bearer_auth(token)
            .send()
    };
    let (status, body) = read(get("list_devices".into()).await.unwrap()).await;
    assert_eq!(
        (status, &body["devices"]),
        (StatusCode::OK, &list["devices"])
    );
    let cursor = page["next_cursor"].as_str().unwrap();
    let query = format!("sync_pull?cursor={cursor}&page_size=10&client_id={laptop}");
    let (status, body) = read(get(query).await.unwrap()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_eq!(body["code"], "25006", "{body}");

    // Bob neither sees nor forgets Alice's laptop; anon is refused.
    let bobs = ok(&api, "list_devices", &bob.access_token, json!({})).await;
    assert_eq!(bobs["devices"], json!([]), "{bobs}");
    let args = json!({"client_id": laptop});
    let forgot = ok(&api, "forget_device", &bob.access_token, args.clone()).await;
    assert_eq!(forgot, json!(false));
    let (status, body) = api.rpc("list_devices", None, &json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "42501", "{body}");

    // The table itself: read one's own, write nothing.
    let (status, body) = read(
        api.http
            .patch(format!(
                "{}/rest/v1/sync_devices?client_id=eq.{laptop}",
                api.base
            ))
            .header("apikey", &api.anon_key)
            .bearer_auth(token)
            .json(&json!({"pulled_version": 999}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    assert_eq!(ok(&api, "forget_device", token, args).await, json!(true));
    let list = ok(&api, "list_devices", token, json!({})).await;
    assert_eq!(list["devices"], json!([]), "{list}");
}
