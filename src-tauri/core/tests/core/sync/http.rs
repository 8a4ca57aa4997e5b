use super::stub::{dead_url, reply, slow, Stub};
use jotline_core::auth::{BackendConfig, Session};
use jotline_core::sync::protocol::{OpStatus, PullRequest, PushRequest};
use jotline_core::sync::{SyncClient, SyncError};
use std::time::Duration;

pub fn session() -> Session {
    Session {
        access_token: "access-123".into(),
        refresh_token: "refresh-456".into(),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
        user_id: uuid::Uuid::now_v7(),
        email: Some("a@example.com".into()),
    }
}

fn client(url: &str) -> SyncClient {
    let mut cfg = BackendConfig::new(format!("{url}/"), "anon-key");
    cfg.timeout = Duration::from_millis(500);
    SyncClient::new(cfg).unwrap()
}

fn push_req() -> PushRequest {
    PushRequest {
        client_id: "c".into(),
        ops: vec![],
    }
}

const PULL_OK: &str =
    r#"{"changes": [], "next_cursor": "v1:1:entries:x", "has_more": false, "must_resync": false}"#;

#[tokio::test]
async fn push_sends_apikey_bearer_and_json_to_the_rpc_path() {
    let stub = Stub::start(vec![reply(
        200,
        r#"{"version": 3, "last_op_seq": 0, "results": [{"op_seq": 1, "status": "applied"}]}"#,
    )]);
    let resp = client(&stub.url)
        .push(&session(), &push_req())
        .await
        .unwrap();
    assert_eq!(resp.results[0].status, OpStatus::Applied);
    let req = &stub.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/rest/v1/rpc/sync_push");
    assert_eq!(req.header("apikey"), Some("anon-key"));
    assert_eq!(req.header("authorization"), Some("Bearer access-123"));
    assert!(req
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(req.json(), serde_json::json!({"client_id": "c", "ops": []}));
}

#[tokio::test]
async fn pull_posts_cursor_and_page_size() {
    let stub = Stub::start(vec![reply(200, PULL_OK)]);
    let page = client(&stub.url)
        .pull(
            &session(),
            &PullRequest {
                cursor: Some("v1:0:entries:y".into()),
                page_size: 50,
                client_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("v1:1:entries:x"));
    let req = &stub.requests()[0];
    assert_eq!(req.target, "/rest/v1/rpc/sync_pull");
    assert_eq!(
        req.json(),
        serde_json::json!({"cursor": "v1:0:entries:y", "page_size": 50})
    );
}

/// The pull names this installation (delivery receipts); a server without that sync_pull
/// (PostgREST's 404) is asked the plain one, then and from then on.
#[tokio::test]
async fn a_recording_pull_falls_back_to_the_plain_one_on_an_older_server() {
    let not_found = r#"{"code": "PGRST202", "message": "Could not find the function public.sync_pull(client_id, cursor, page_size) in the schema cache"}"#;
    let stub = Stub::start(vec![
        reply(404, not_found),
        reply(200, PULL_OK),
        reply(200, PULL_OK),
    ]);
    let c = client(&stub.url);
    let req = PullRequest {
        cursor: None,
        page_size: 10,
        client_id: Some("c-1".into()),
    };
    c.pull(&session(), &req).await.unwrap();
    c.pull(&session(), &req).await.unwrap();
    let bodies: Vec<serde_json::Value> = stub.requests().iter().map(|r| r.json()).collect();
    assert_eq!(
        bodies,
        [
            serde_json::json!({"cursor": null, "page_size": 10, "client_id": "c-1"}),
            serde_json::json!({"cursor": null, "page_size": 10}),
            serde_json::json!({"cursor": null, "page_size": 10}),
        ]
    );
}

#[tokio::test]
async fn status_codes_are_classified() {
    let stub = Stub::start(vec![
        reply(401, r#"{"message": "JWT expired"}"#),
        reply(
            400,
            r#"{"code": "22023", "message": "sync_pull: invalid cursor", "details": null}"#,
        ),
        reply(503, ""),
        reply(500, "<html>oops</html>"),
    ]);
    let c = client(&stub.url);
    let req = PullRequest {
        cursor: None,
        page_size: 10,
        client_id: None,
    };
    match c.pull(&session(), &req).await.unwrap_err() {
        SyncError::Unauthorized(m) => assert_eq!(m, "JWT expired"),
        e => panic!("{e:?}"),
    }
    match c.pull(&session(), &req).await.unwrap_err() {
        SyncError::Rejected { status, message } => {
            assert_eq!(
                (status, message.as_str()),
                (400, "sync_pull: invalid cursor")
            )
        }
        e => panic!("{e:?}"),
    }
    match c.pull(&session(), &req).await.unwrap_err() {
        e @ SyncError::Server { status: 503, .. } => assert!(e.is_transient()),
        e => panic!("{e:?}"),
    }
    match c.pull(&session(), &req).await.unwrap_err() {
        SyncError::Server { status, message } => {
            assert_eq!((status, message.as_str()), (500, "<html>oops</html>"))
        }
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn a_malformed_200_body_is_reported_with_an_excerpt() {
    let stub = Stub::start(vec![
        reply(200, r#"{"changes": [], "next_cursor": nu"#),
        reply(200, r#"{"version": 1}"#),
    ]);
    let c = client(&stub.url);
    let req = PullRequest {
        cursor: None,
        page_size: 10,
        client_id: None,
    };
    match c.pull(&session(), &req).await.unwrap_err() {
        SyncError::Malformed(m) => {
            assert!(m.contains("sync_pull response"), "{m}");
            assert!(m.contains("next_cursor"), "{m}");
        }
        e => panic!("{e:?}"),
    }
    match c.push(&session(), &push_req()).await.unwrap_err() {
        SyncError::Malformed(m) => assert!(m.contains("last_op_seq"), "{m}"),
        e => panic!("{e:?}"),
    }
}

#[tokio::test]
async fn a_slow_backend_times_out_and_a_closed_port_is_a_network_error() {
    let stub = Stub::start(vec![slow(200, PULL_OK, Duration::from_secs(3))]);
    let req = PullRequest {
        cursor: None,
        page_size: 10,
        client_id: None,
    };
    let err = client(&stub.url).pull(&session(), &req).await.unwrap_err();
    assert!(matches!(err, SyncError::Timeout), "{err:?}");
    let err = client(&dead_url())
        .pull(&session(), &req)
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Network(_)), "{err:?}");
    assert!(err.is_transient());
}
