use crate::common::{fixture, outbox, t0, Fixture};
use chrono::Duration;
use jotline_core::store::outbox::MAX_ATTEMPTS;
use jotline_core::sync::protocol::{OpKind, OpResult, OpStatus, PushRequest, PushResponse};
use jotline_core::sync::SyncError;
use jotline_core::{EntryPatch, Surface};
use serde_json::json;

fn request(f: &Fixture) -> PushRequest {
    f.core.sync().push_request(500, false).unwrap().unwrap()
}

fn response(results: &[(i64, OpStatus, Option<&str>)]) -> PushResponse {
    PushResponse {
        version: 1,
        last_op_seq: results.iter().map(|r| r.0).max().unwrap_or(0),
        results: results
            .iter()
            .map(|(s, st, reason)| OpResult {
                op_seq: *s,
                status: *st,
                reason: reason.map(str::to_string),
            })
            .collect(),
    }
}

/// (op_seq, attempts, dead, last_error, next_attempt_at)
type Bookkeeping = (i64, i64, bool, Option<String>, Option<i64>);

fn bookkeeping(f: &Fixture) -> Vec<Bookkeeping> {
    let db = f.db();
    let mut stmt = db
        .prepare(
            "SELECT op_seq, attempts, dead, last_error, next_attempt_at FROM outbox
             ORDER BY op_seq",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn empty_outbox_pushes_nothing() {
    let f = fixture();
    assert_eq!(f.core.sync().push_request(500, false).unwrap(), None);
}

#[test]
fn a_capture_pushes_every_field_of_the_entry_and_the_capture_as_rfc3339_utc() {
    let f = fixture();
    let saved = f.core.capture_text("hello #tag", Surface::Cli).unwrap();
    let req = request(&f);
    assert_eq!(req.client_id, f.core.sync().client_id().unwrap());
    assert_eq!(req.ops.len(), 2);
    let entry = &req.ops[0];
    assert_eq!((entry.op_seq, entry.table.as_str()), (1, "entries"));
    assert_eq!(entry.row_id, saved.entry.id.to_string());
    assert_eq!(entry.op, OpKind::Upsert);
    let t = "2026-03-14T09:26:53.000Z";
    assert_eq!(
        serde_json::Value::Object(entry.fields.clone()),
        json!({"kind": "note", "title": null, "body": "hello #tag", "occurred_at": t,
               "created_at": t, "updated_at": t})
    );
    let capture = &req.ops[1];
    assert_eq!((capture.op_seq, capture.table.as_str()), (2, "captures"));
    assert_eq!(capture.row_id, saved.capture_id.to_string());
    assert_eq!(capture.fields["surface"], json!("cli"));
    assert_eq!(capture.fields["text"], json!("hello #tag"));
    assert_eq!(capture.fields["parse_status"], json!("ready"));
    assert_eq!(
        capture.fields["entry_id"],
        json!(saved.entry.id.to_string())
    );
    assert_eq!(capture.fields["created_at"], json!(t));
}

#[test]
fn an_edit_pushes_only_the_changed_fields_with_their_current_values() {
    let f = fixture();
    let id = f.core.capture_text("one", Surface::InApp).unwrap().entry.id;
    f.db().execute("DELETE FROM outbox", []).unwrap();
    for body in ["two", "three"] {
        f.clock.advance(Duration::seconds(1));
        f.core
            .update_entry(
                id,
                EntryPatch {
                    body: Some(body.into()),
                    ..Default::default()
                },
            )
            .unwrap();
    }
    let req = request(&f);
    assert_eq!(req.ops.len(), 2);
    for op in &req.ops {
        // Both carry the row as it is NOW, not as it was when the op was queued.
        assert_eq!(
            serde_json::Value::Object(op.fields.clone()),
            json!({"body": "three", "updated_at": "2026-03-14T09:26:55.000Z"})
        );
    }
}

#[test]
fn a_delete_pushes_deleted_at_only() {
    let f = fixture();
    let id = f.core.capture_text("one", Surface::InApp).unwrap().entry.id;
    f.db().execute("DELETE FROM outbox", []).unwrap();
    f.clock.advance(Duration::minutes(1));
    f.core.delete_entry(id).unwrap();
    let req = request(&f);
    assert_eq!(req.ops.len(), 1);
    assert_eq!(req.ops[0].op, OpKind::Delete);
    assert_eq!(
        serde_json::Value::Object(req.ops[0].fields.clone()),
        json!({"deleted_at": "2026-03-14T09:27:53.000Z"})
    );
}

#[test]
fn batches_are_a_prefix_of_the_queue_in_op_seq_order() {
    let f = fixture();
    for i in 0..3 {
        f.core
            .capture_text(&format!("n{i}"), Surface::InApp)
            .unwrap();
    }
    let req = f.core.sync().push_request(4, false).unwrap().unwrap();
    let seqs: Vec<i64> = req.ops.iter().map(|o| o.op_seq).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4]);
}

#[test]
fn response_removes_applied_and_duplicate_dead_letters_rejected_and_keeps_missing() {
    let f = fixture();
    f.core.capture_text("one", Surface::InApp).unwrap();
    f.core.capture_text("two", Surface::InApp).unwrap();
    let req = request(&f);
    assert_eq!(req.ops.len(), 4);
    let outcome = f
        .core
        .sync()
        .apply_push(
            &req,
            &response(&[
                (1, OpStatus::Duplicate, None),
                (2, OpStatus::Applied, None),
                (3, OpStatus::Rejected, Some("body too long")),
                (99, OpStatus::Applied, None),
            ]),
        )
        .unwrap();
    assert_eq!(outcome.acknowledged, vec![1, 2]);
    assert_eq!(outcome.rejected, vec![(3, "body too long".to_string())]);
    assert_eq!(outcome.missing, vec![4]);
    assert_eq!(
        bookkeeping(&f),
        vec![
            (3, 0, true, Some("body too long".into()), None),
            (4, 0, false, None, None)
        ]
    );
    assert_eq!(f.core.status().unwrap().pending_ops, 1);
    let dead = f.core.sync().dead_letters().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].op.op_seq, 3);
    assert_eq!(dead[0].last_error.as_deref(), Some("body too long"));
    // The next batch skips the dead op.
    let next = request(&f);
    assert_eq!(next.ops.iter().map(|o| o.op_seq).collect::<Vec<_>>(), [4]);
    assert!(f.core.sync().last_times().unwrap().push.is_some());
}

/// Failures that say nothing about the ops: an outage of any length must not dead-letter.
fn transient_failures() -> Vec<SyncError> {
    vec![
        SyncError::Network("connection refused".into()),
        SyncError::Timeout,
        SyncError::Server {
            status: 503,
            message: "Service Unavailable".into(),
        },
        SyncError::Server {
            status: 500,
            message: "oops".into(),
        },
        SyncError::Rejected {
            status: 429,
            message: "Too Many Requests".into(),
        },
        SyncError::Rejected {
            status: 408,
            message: "Request Timeout".into(),
        },
        SyncError::Malformed("unreadable response body".into()),
    ]
}

#[test]
fn transient_failures_only_back_off_and_never_dead_letter() {
    let f = fixture();
    f.core.capture_text("one", Surface::InApp).unwrap();
    for error in transient_failures() {
        assert!(error.is_transient(), "{error:?}");
        for attempt in 1..=(3 * MAX_ATTEMPTS) {
            let req = f.core.sync().push_request(500, true).unwrap().unwrap();
            assert_eq!(
                req.ops.len(),
                2,
                "{error:?} #{attempt}: both ops still sent"
            );
            let retry_at = t0() + Duration::minutes(attempt);
            let dead = f
                .core
                .sync()
                .push_failed(&req, &error, Some(retry_at))
                .unwrap();
            assert!(
                dead.is_empty(),
                "{error:?} #{attempt} dead-lettered {dead:?}"
            );
            let rows = bookkeeping(&f);
            let message = error.to_string();
            assert!(rows.iter().all(|r| r.1 == 0 && !r.2), "{error:?}: {rows:?}");
            assert!(rows
                .iter()
                .all(|r| r.3.as_deref() == Some(message.as_str())));
            assert!(rows
                .iter()
                .all(|r| r.4 == Some(retry_at.timestamp_millis())));
            // Backing off: not due until the retry time unless the backoff is ignored.
            assert_eq!(f.core.sync().push_request(500, false).unwrap(), None);
        }
    }
    let status = f.core.status().unwrap();
    assert_eq!((status.pending_ops, status.failed_ops), (2, 0));
    assert!(f.core.sync().dead_letters().unwrap().is_empty());
}

#[test]
fn refused_requests_count_attempts_and_go_dead_after_the_eighth() {
    let f = fixture();
    f.core.capture_text("one", Surface::InApp).unwrap();
    let refusal = SyncError::Rejected {
        status: 400,
        message: "bad request".into(),
    };
    assert!(!refusal.is_transient());
    for attempt in 1..=MAX_ATTEMPTS {
        let req = f.core.sync().push_request(500, true).unwrap().unwrap();
        let retry_at = t0() + Duration::minutes(attempt);
        let dead = f
            .core
            .sync()
            .push_failed(&req, &refusal, Some(retry_at))
            .unwrap();
        let rows = bookkeeping(&f);
        assert!(rows.iter().all(|r| r.1 == attempt));
        assert!(rows
            .iter()
            .all(|r| r.3.as_deref() == Some("request rejected (400): bad request")));
        if attempt < MAX_ATTEMPTS {
            assert!(dead.is_empty());
            assert!(rows.iter().all(|r| !r.2));
            assert_eq!(f.core.sync().push_request(500, false).unwrap(), None);
        } else {
            assert_eq!(dead, vec![1, 2]);
            assert!(rows.iter().all(|r| r.2));
        }
    }
    let status = f.core.status().unwrap();
    assert_eq!((status.pending_ops, status.failed_ops), (0, 2));
    assert_eq!(f.core.sync().push_request(500, true).unwrap(), None);
}

#[test]
fn due_ops_are_pushed_once_the_retry_time_has_passed() {
    let f = fixture();
    f.core.capture_text("one", Surface::InApp).unwrap();
    let req = request(&f);
    f.core
        .sync()
        .push_failed(
            &req,
            &SyncError::Timeout,
            Some(t0() + Duration::seconds(30)),
        )
        .unwrap();
    assert_eq!(f.core.sync().push_request(500, false).unwrap(), None);
    f.clock.advance(Duration::seconds(30));
    assert!(f.core.sync().push_request(500, false).unwrap().is_some());
}

#[test]
fn a_dead_op_can_be_retried_under_a_new_op_seq_or_discarded() {
    let f = fixture();
    f.core.capture_text("one", Surface::InApp).unwrap();
    let req = request(&f);
    f.core
        .sync()
        .apply_push(
            &req,
            &response(&[
                (1, OpStatus::Rejected, Some("no")),
                (2, OpStatus::Rejected, Some("no")),
            ]),
        )
        .unwrap();
    assert_eq!(f.core.sync().retry_dead(1).unwrap(), Some(3));
    assert_eq!(f.core.sync().retry_dead(1).unwrap(), None);
    assert!(f.core.sync().discard_dead(2).unwrap());
    assert!(!f.core.sync().discard_dead(2).unwrap());
    let rows = outbox(&f);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].op_seq, 3);
    assert_eq!(request(&f).ops[0].op_seq, 3);
}

#[test]
fn retry_all_requeues_every_dead_op_keeping_each_rows_order() {
    let f = fixture();
    let a = f.core.capture_text("a", Surface::InApp).unwrap();
    f.core.capture_text("b", Surface::InApp).unwrap();
    let req = request(&f);
    let all_rejected: Vec<_> = req
        .ops
        .iter()
        .map(|o| (o.op_seq, OpStatus::Rejected, Some("no")))
        .collect();
    f.core
        .sync()
        .apply_push(&req, &response(&all_rejected))
        .unwrap();
    // An edit made while its row's create is dead waits behind it.
    f.core
        .update_entry(
            a.entry.id,
            EntryPatch {
                body: Some("a2".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(f.core.sync().dead_letters().unwrap().len(), 4);
    assert_eq!(f.core.status().unwrap().failed_ops, 4);

    assert_eq!(f.core.sync().retry_all_dead().unwrap(), 4);
    assert!(f.core.sync().dead_letters().unwrap().is_empty());
    let status = f.core.status().unwrap();
    assert_eq!((status.pending_ops, status.failed_ops), (5, 0));
    assert!(bookkeeping(&f)
        .iter()
        .all(|r| r.1 == 0 && !r.2 && r.3.is_none()));
    // Everything goes out again, under new op_seqs, each row's ops in the order written.
    let next = request(&f);
    assert_eq!(next.ops.len(), 5);
    assert!(next.ops.iter().all(|o| o.op_seq > 5), "{:?}", next.ops);
    let a_ops: Vec<_> = next
        .ops
        .iter()
        .filter(|o| o.row_id == a.entry.id.to_string())
        .map(|o| o.fields.contains_key("occurred_at"))
        .collect();
    assert_eq!(a_ops, [true, false], "the create before the edit");
    assert_eq!(f.core.sync().retry_all_dead().unwrap(), 0);
}

/// An applied entry op stamps the entry with the push's server version (it is on the server
/// now); a duplicate's version is an earlier push's and is left to the next pull.
#[test]
fn an_applied_entry_op_records_the_server_version() {
    let f = fixture();
    let applied = f.core.capture_text("one", Surface::InApp).unwrap();
    let duplicate = f.core.capture_text("two", Surface::InApp).unwrap();
    let req = request(&f);
    let seq_of = |id: &str| {
        req.ops
            .iter()
            .find(|o| o.table == "entries" && o.row_id == id)
            .unwrap()
            .op_seq
    };
    let mut resp = response(&[
        (
            seq_of(&applied.entry.id.to_string()),
            OpStatus::Applied,
            None,
        ),
        (
            seq_of(&duplicate.entry.id.to_string()),
            OpStatus::Duplicate,
            None,
        ),
    ]);
    resp.version = 41;
    f.core.sync().apply_push(&req, &resp).unwrap();
    let version = |id: &str| -> Option<i64> {
        f.db()
            .query_row(
                "SELECT server_version FROM entries WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(version(&applied.entry.id.to_string()), Some(41));
    assert_eq!(version(&duplicate.entry.id.to_string()), None);
}
