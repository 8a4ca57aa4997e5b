use jotline_core::sync::protocol::*;
use serde_json::json;

#[test]
fn push_request_serializes_to_the_contract_shape() {
    let mut fields = serde_json::Map::new();
    fields.insert("body".into(), json!("new text"));
    let req = PushRequest {
        client_id: "c".into(),
        ops: vec![PushOp {
            op_seq: 42,
            table: "entries".into(),
            row_id: "r".into(),
            op: OpKind::Upsert,
            fields,
        }],
    };
    assert_eq!(
        serde_json::to_value(&req).unwrap(),
        json!({"client_id": "c", "ops": [
            {"op_seq": 42, "table": "entries", "row_id": "r", "op": "upsert",
             "fields": {"body": "new text"}}
        ]})
    );
    let mut pull = PullRequest {
        cursor: None,
        page_size: 500,
        client_id: None,
    };
    assert_eq!(
        serde_json::to_value(&pull).unwrap(),
        json!({"cursor": null, "page_size": 500})
    );
    pull.client_id = Some("c".into());
    assert_eq!(
        serde_json::to_value(&pull).unwrap(),
        json!({"cursor": null, "page_size": 500, "client_id": "c"})
    );
}

#[test]
fn push_response_from_the_readme_parses() {
    let body = br#"{
      "version": 17, "last_op_seq": 42,
      "results": [
        { "op_seq": 41, "status": "duplicate" },
        { "op_seq": 42, "status": "applied" },
        { "op_seq": 43, "status": "rejected", "reason": "body longer than 1048576 bytes" }
      ]
    }"#;
    let r = PushResponse::parse(body).unwrap();
    assert_eq!(r.version, 17);
    assert_eq!(r.last_op_seq, 42);
    assert_eq!(r.results[0].status, OpStatus::Duplicate);
    assert_eq!(r.results[1].status, OpStatus::Applied);
    assert_eq!(r.results[2].status, OpStatus::Rejected);
    assert_eq!(
        r.results[2].reason.as_deref(),
        Some("body longer than 1048576 bytes")
    );
}

#[test]
fn pull_response_from_the_readme_parses() {
    let body = br#"{"changes": [{"table": "entries", "row": {"id": "x", "version": 17}}],
                    "next_cursor": "v1:17:entries:x", "has_more": false, "must_resync": false}"#;
    let r = PullResponse::parse(body).unwrap();
    assert_eq!(r.changes.len(), 1);
    assert_eq!(r.changes[0].table, "entries");
    assert_eq!(r.next_cursor.as_deref(), Some("v1:17:entries:x"));
    assert!(!r.has_more && !r.must_resync);
}

#[test]
fn truncated_body_is_reported_as_truncated_with_an_excerpt() {
    let err = PushResponse::parse(br#"{"version": 17, "last_op_seq": 4"#).unwrap_err();
    assert!(err.detail.contains("truncated"), "{err}");
    assert!(err.to_string().contains("sync_push response"), "{err}");
    assert!(err.excerpt.starts_with("{\"version\": 17"));
}

#[test]
fn wrong_types_and_missing_fields_are_errors() {
    for body in [
        &br#"{"version": "17", "last_op_seq": 1, "results": []}"#[..],
        br#"{"version": 17, "results": []}"#,
        br#"{"version": 17, "last_op_seq": 1, "results": [{"op_seq": 1, "status": "maybe"}]}"#,
        b"<html>502 Bad Gateway</html>",
        b"",
    ] {
        assert!(
            PushResponse::parse(body).is_err(),
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn fields_a_newer_server_adds_are_ignored() {
    let push = PushResponse::parse(
        br#"{"version": 17, "last_op_seq": 1, "server_time": "2026-01-01T00:00:00Z",
            "results": [{"op_seq": 1, "status": "applied", "latency_ms": 3}]}"#,
    )
    .unwrap();
    assert_eq!(push.results[0].status, OpStatus::Applied);
    let pull = PullResponse::parse(
        br#"{"changes": [{"table": "entries", "row": {"id": "x"}, "origin": "web"}],
            "next_cursor": null, "has_more": false, "must_resync": false, "estimate": 9}"#,
    )
    .unwrap();
    assert_eq!(pull.changes[0].row["id"], "x");
}

#[test]
fn inconsistent_pull_pages_are_refused() {
    let resync_with_changes = br#"{"changes": [{"table": "entries", "row": {}}],
        "next_cursor": null, "has_more": false, "must_resync": true}"#;
    assert!(PullResponse::parse(resync_with_changes).is_err());
    let more_without_cursor =
        br#"{"changes": [], "next_cursor": null, "has_more": true, "must_resync": false}"#;
    assert!(PullResponse::parse(more_without_cursor).is_err());
}

#[test]
fn excerpt_is_capped() {
    let long = "x".repeat(10_000);
    let err = PullResponse::parse(long.as_bytes()).unwrap_err();
    assert!(err.excerpt.chars().count() <= EXCERPT_CHARS + 1);
    assert!(err.excerpt.ends_with('…'));
}
