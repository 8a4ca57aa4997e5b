//! The fault proxy in front of the backend: what the upstream did versus what the client saw.

use std::time::Duration;

use jotline_tests::backend::{Fault, FaultProxy, LocalBackend};
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::support::{create_entry, entry_ids, Api};

const PUSH: &str = "/rest/v1/rpc/sync_push";

#[tokio::test]
async fn dropped_response_after_commit_then_retry_applies_nothing_twice() {
    let backend = LocalBackend::start().await.unwrap();
    let proxy = FaultProxy::start(&backend.url()).unwrap();
    let api = Api::with_base(&proxy.url(), backend.anon_key());
    let user = api.new_user().await;
    let client_id = Uuid::now_v7();
    let entry = Uuid::now_v7();
    let body = json!({"client_id": client_id, "ops": [create_entry(1, entry, "once")]});

    proxy.inject(PUSH, Fault::DropResponse, 1);
    let sent = api
        .http
        .post(format!("{}{PUSH}", api.base))
        .header("apikey", &api.anon_key)
        .bearer_auth(&user.access_token)
        .json(&body)
        .send()
        .await;
    assert!(
        sent.is_err(),
        "the client must see a connection error: {sent:?}"
    );
    assert_eq!(proxy.pending_faults(), 0);

    // The upstream committed it anyway.
    let pulled = api.pull_all(&user.access_token).await;
    assert_eq!(entry_ids(&pulled), vec![entry.to_string()], "{pulled}");

    // The retry of the same batch is a duplicate and creates nothing twice.
    let (status, result) = api.rpc("sync_push", Some(&user.access_token), &body).await;
    assert_eq!(status, StatusCode::OK, "{result}");
    assert_eq!(result["results"][0]["status"], "duplicate", "{result}");
    let pulled = api.pull_all(&user.access_token).await;
    assert_eq!(entry_ids(&pulled).len(), 1, "{pulled}");
    assert_eq!(proxy.count(PUSH), 2);
}

#[tokio::test]
async fn dropped_request_status_and_broken_bodies() {
    let backend = LocalBackend::start().await.unwrap();
    let proxy = FaultProxy::start(&backend.url()).unwrap();
    let api = Api::with_base(&proxy.url(), backend.anon_key());
    let user = api.new_user().await;
    let token = user.access_token.as_str();
    let push =
        |seq: i64, id: Uuid| json!({"client_id": Uuid::nil(), "ops": [create_entry(seq, id, "x")]});
    let send = |body: serde_json::Value| {
        api.http
            .post(format!("{}{PUSH}", api.base))
            .header("apikey", &api.anon_key)
            .bearer_auth(token)
            .json(&body)
            .send()
    };

    // Dropped request: error for the client, nothing reached the upstream.
    let lost = Uuid::now_v7();
    proxy.inject(PUSH, Fault::DropRequest, 1);
    assert!(send(push(1, lost)).await.is_err());
    assert!(entry_ids(&api.pull_all(token).await).is_empty());

    // 500 without forwarding.
    proxy.inject(PUSH, Fault::Status(500), 1);
    let response = send(push(1, lost)).await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(entry_ids(&api.pull_all(token).await).is_empty());

    // Truncated body: headers arrive, the body breaks; the push itself went through.
    let truncated = Uuid::now_v7();
    proxy.inject(PUSH, Fault::TruncateBody, 1);
    let response = send(push(1, truncated)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.is_err());
    assert_eq!(
        entry_ids(&api.pull_all(token).await),
        vec![truncated.to_string()]
    );

    // Malformed body: complete, but not JSON.
    let malformed = Uuid::now_v7();
    proxy.inject(PUSH, Fault::MalformedBody, 1);
    let response = send(push(2, malformed)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    assert!(serde_json::from_slice::<serde_json::Value>(&bytes).is_err());

    // Delay longer than the client's timeout: the client gives up, the push lands later.
    let delayed = Uuid::now_v7();
    proxy.inject(PUSH, Fault::DelayRequest(Duration::from_millis(800)), 1);
    let timed_out = api
        .http
        .post(format!("{}{PUSH}", api.base))
        .header("apikey", &api.anon_key)
        .bearer_auth(token)
        .timeout(Duration::from_millis(200))
        .json(&push(3, delayed))
        .send()
        .await;
    assert!(timed_out.is_err_and(|e| e.is_timeout()));
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while entry_ids(&api.pull_all(token).await).len() < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "the delayed push never landed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Faults only hit matching paths and only N times.
    proxy.inject(PUSH, Fault::Status(503), 2);
    let (status, _) = api
        .rpc(
            "sync_pull",
            Some(token),
            &json!({"cursor": null, "page_size": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(send(push(4, Uuid::now_v7())).await.unwrap().status(), 503);
    assert_eq!(send(push(4, Uuid::now_v7())).await.unwrap().status(), 503);
    assert_eq!(send(push(4, Uuid::now_v7())).await.unwrap().status(), 200);
    assert_eq!(proxy.pending_faults(), 0);
    let faulted = proxy
        .requests()
        .iter()
        .filter(|r| r.fault.is_some())
        .count();
    assert_eq!(faulted, 7);
}

#[tokio::test]
async fn held_back_response_times_out_the_client_after_the_upstream_committed() {
    let backend = LocalBackend::start().await.unwrap();
    let proxy = FaultProxy::start(&backend.url()).unwrap();
    let api = Api::with_base(&proxy.url(), backend.anon_key());
    let user = api.new_user().await;
    let entry = Uuid::now_v7();
    let body = json!({"client_id": Uuid::now_v7(), "ops": [create_entry(1, entry, "slow")]});

    proxy.inject(PUSH, Fault::DelayResponse(Duration::from_secs(2)), 1);
    let timed_out = api
        .http
        .post(format!("{}{PUSH}", api.base))
        .header("apikey", &api.anon_key)
        .bearer_auth(&user.access_token)
        .timeout(Duration::from_millis(500))
        .json(&body)
        .send()
        .await;
    assert!(timed_out.is_err_and(|e| e.is_timeout()));
    // Forwarded at once: the upstream committed although the client saw only a timeout.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while entry_ids(&api.pull_all(&user.access_token).await) != vec![entry.to_string()] {
        assert!(
            std::time::Instant::now() < deadline,
            "the push never landed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let log = proxy.requests();
    let push = log.iter().find(|r| r.path == PUSH).expect("push logged");
    assert_eq!(push.method, "POST");
    assert_eq!(
        push.fault,
        Some(Fault::DelayResponse(Duration::from_secs(2)))
    );
    proxy.inject(PUSH, Fault::Status(500), 3);
    proxy.clear();
    assert_eq!(proxy.pending_faults(), 0);
}
