use super::http::session;
use super::stub::{dead_url, reply, Stub};
use crate::common::{fixture, Fixture};
use jotline_core::auth::BackendConfig;
use jotline_core::store::outbox::MAX_ATTEMPTS;
use jotline_core::sync::{SyncClient, SyncError};
use jotline_core::Surface;
use std::time::Duration;

const ID: &str = "019a0000-0000-7000-8000-000000000001";

fn client(stub: &Stub) -> SyncClient {
    let mut cfg = BackendConfig::new(&stub.url, "anon-key");
    cfg.timeout = Duration::from_secs(2);
    SyncClient::new(cfg).unwrap()
}

fn entry_page(cursor: &str, has_more: bool) -> String {
    format!(
        r#"{{"changes": [{{"table": "entries", "row": {{"id": "{ID}", "kind": "note",
            "title": null, "body": "from the cloud", "occurred_at": "2026-03-01T10:00:00Z",
            "created_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z",
            "deleted_at": null, "version": 2}}}}],
            "next_cursor": "{cursor}", "has_more": {has_more}, "must_resync": false}}"#
    )
}

const EMPTY_PAGE: &str =
    r#"{"changes": [], "next_cursor": "v1:2:entries:z", "has_more": false, "must_resync": false}"#;

fn attempts(f: &Fixture) -> Vec<(i64, Option<i64>)> {
    let db = f.db();
    let mut stmt = db
        .prepare("SELECT attempts, next_attempt_at FROM outbox ORDER BY op_seq")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[tokio::test]
async fn a_round_pushes_first_then_pulls_every_page() {
    let f = fixture();
    f.core.capture_text("local", Surface::InApp).unwrap();
    let stub = Stub::start(vec![
        reply(
            200,
            r#"{"version": 1, "last_op_seq": 2, "results": [
                {"op_seq": 1, "status": "applied"}, {"op_seq": 2, "status": "applied"}]}"#,
        ),
        reply(200, &entry_page("v1:2:entries:a", true)),
        reply(200, EMPTY_PAGE),
    ]);
    let report = f
        .core
        .sync()
        .round(&client(&stub), &session(), Duration::from_secs(5), false)
        .await
        .unwrap();
    assert_eq!(report.pushed, 2);
    assert_eq!(report.pages, 2);
    assert_eq!(report.entries_updated.len(), 1);
    assert!(!report.resynced);
    assert_eq!(f.core.status().unwrap().pending_ops, 0);
    assert_eq!(f.core.status().unwrap().entry_count, 2);
    assert_eq!(
        f.core.sync().cursor().unwrap().as_deref(),
        Some("v1:2:entries:z")
    );
    let reqs = stub.requests();
    let targets: Vec<&str> = reqs.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/rest/v1/rpc/sync_push",
            "/rest/v1/rpc/sync_pull",
            "/rest/v1/rpc/sync_pull"
        ]
    );
    assert_eq!(reqs[1].json()["cursor"], serde_json::Value::Null);
    assert_eq!(reqs[2].json()["cursor"], "v1:2:entries:a");
}

#[tokio::test]
async fn a_server_error_sets_the_retry_time_without_counting_an_attempt_and_skips_the_pull() {
    let f = fixture();
    f.core.capture_text("local", Surface::InApp).unwrap();
    let stub = Stub::start(vec![reply(503, "")]);
    let err = f
        .core
        .sync()
        .round(&client(&stub), &session(), Duration::from_secs(5), false)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Server { status: 503, .. }),
        "{err:?}"
    );
    let retry_at = crate::common::t0().timestamp_millis() + 5_000;
    assert_eq!(attempts(&f), vec![(0, Some(retry_at)); 2]);
    assert_eq!(stub.requests().len(), 1);
}

/// A long outage: more failed rounds than `MAX_ATTEMPTS`, through the real HTTP client
/// (5xx, 429, and no backend at all). Nothing is dead-lettered; the ops go out once the
/// backend is back.
#[tokio::test]
async fn an_outage_longer_than_max_attempts_rounds_dead_letters_nothing() {
    let f = fixture();
    f.core
        .capture_text("written offline", Surface::InApp)
        .unwrap();
    let rounds = usize::try_from(MAX_ATTEMPTS).unwrap() + 4;
    let failures = [
        reply(503, ""),
        reply(502, "<html>bad gateway</html>"),
        reply(500, r#"{"message": "boom"}"#),
        reply(429, r#"{"message": "slow down"}"#),
    ];
    let mut canned: Vec<_> = failures.iter().cycle().take(rounds).cloned().collect();
    canned.push(reply(
        200,
        r#"{"version": 1, "last_op_seq": 2, "results": [
            {"op_seq": 1, "status": "applied"}, {"op_seq": 2, "status": "applied"}]}"#,
    ));
    canned.push(reply(200, EMPTY_PAGE));
    let stub = Stub::start(canned);
    let unreachable = SyncClient::new(BackendConfig::new(dead_url(), "anon-key")).unwrap();
    for round in 0..rounds {
        for c in [&client(&stub), &unreachable] {
            let err = f
                .core
                .sync()
                .round(c, &session(), Duration::from_secs(5), true)
                .await
                .unwrap_err();
            assert!(err.is_transient(), "round {round}: {err:?}");
        }
        assert!(
            f.core.sync().dead_letters().unwrap().is_empty(),
            "round {round}"
        );
        assert_eq!(f.core.status().unwrap().pending_ops, 2, "round {round}");
    }
    assert!(
        attempts(&f).iter().all(|(n, _)| *n == 0),
        "{:?}",
        attempts(&f)
    );
    let report = f
        .core
        .sync()
        .round(&client(&stub), &session(), Duration::from_secs(5), true)
        .await
        .unwrap();
    assert_eq!(report.pushed, 2);
    assert_eq!(f.core.status().unwrap().pending_ops, 0);
}

#[tokio::test]
async fn unauthorized_is_returned_without_counting_an_attempt() {
    let f = fixture();
    f.core.capture_text("local", Surface::InApp).unwrap();
    let stub = Stub::start(vec![reply(401, r#"{"message": "JWT expired"}"#)]);
    let err = f
        .core
        .sync()
        .round(&client(&stub), &session(), Duration::from_secs(5), false)
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Unauthorized(_)), "{err:?}");
    assert_eq!(attempts(&f), vec![(0, None); 2]);
}

#[tokio::test]
async fn must_resync_pulls_again_from_the_beginning() {
    let f = fixture();
    f.core
        .sync()
        .apply_pull(
            &jotline_core::sync::protocol::PullResponse::parse(EMPTY_PAGE.as_bytes()).unwrap(),
        )
        .unwrap();
    let stub = Stub::start(vec![
        reply(
            200,
            r#"{"changes": [], "next_cursor": null, "has_more": false, "must_resync": true}"#,
        ),
        reply(200, &entry_page("v1:9:entries:b", false)),
    ]);
    let report = f
        .core
        .sync()
        .round(&client(&stub), &session(), Duration::from_secs(5), false)
        .await
        .unwrap();
    assert!(report.resynced);
    assert_eq!(report.entries_updated.len(), 1);
    let reqs = stub.requests();
    assert_eq!(reqs[0].json()["cursor"], "v1:2:entries:z");
    assert_eq!(reqs[1].json()["cursor"], serde_json::Value::Null);
    assert_eq!(
        f.core.sync().cursor().unwrap().as_deref(),
        Some("v1:9:entries:b")
    );
}

#[tokio::test]
async fn a_malformed_pull_page_changes_nothing() {
    let f = fixture();
    let stub = Stub::start(vec![reply(200, r#"{"changes": [{"table": "entries""#)]);
    let err = f
        .core
        .sync()
        .round(&client(&stub), &session(), Duration::from_secs(5), false)
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Malformed(_)), "{err:?}");
    assert_eq!(f.core.sync().cursor().unwrap(), None);
    assert_eq!(f.core.status().unwrap().entry_count, 0);
}
