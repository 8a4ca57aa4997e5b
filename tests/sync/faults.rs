//! Lost, malformed and truncated responses: nothing applied twice, nothing lost locally.

use std::time::Duration;

use jotline_core::store::outbox::MAX_ATTEMPTS;
use jotline_core::sync::protocol::OpStatus;
use jotline_core::sync::{SyncError, PUSH_BATCH};
use jotline_core::EntryPatch;
use jotline_tests::backend::Fault;

use crate::common::{
    server_dead_letters, server_entries, server_entry_count, server_last_op_seq, sign_up, Device,
    Row,
};
use crate::common::{PULL, PUSH};

const TIMEOUT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn lost_push_response_then_retry_applies_nothing_twice() {
    let backend = crate::common::backend().await;
    let session = sign_up(&backend, "lost@example.com").await;
    let db = backend.connect_db().await.unwrap();
    let device = Device::new(&backend, "lost", TIMEOUT);
    for i in 0..3 {
        device.create(Some(&format!("t{i}")), &format!("lost response {i}"));
    }

    device.proxy.inject(PUSH, Fault::DropResponse, 1);
    let err = device.round(&session).await.unwrap_err();
    assert!(
        matches!(err, SyncError::Network(_)),
        "a dropped response is a network error: {err:?}"
    );
    // The backend committed the batch; the client does not know and keeps its ops.
    assert_eq!(server_entry_count(&db, session.user_id).await, 3);
    let outbox = device.outbox();
    assert_eq!(outbox.len(), 3, "{outbox:?}");
    assert!(outbox.iter().all(|o| !o.3), "nothing dead: {outbox:?}");

    // The retry (the same ops, the same op_seqs) is all duplicates ...
    let core = device.core();
    let req = core.sync().push_request(PUSH_BATCH, true).unwrap().unwrap();
    assert_eq!(req.ops.len(), 3);
    let resp = device.client.push(&session, &req).await.unwrap();
    assert!(
        resp.results.iter().all(|r| r.status == OpStatus::Duplicate),
        "{resp:?}"
    );
    let outcome = core.sync().apply_push(&req, &resp).unwrap();
    assert_eq!(outcome.acknowledged.len(), 3);
    // ... so the outbox empties and the server holds each row once.
    assert!(device.outbox().is_empty());
    assert_eq!(server_entry_count(&db, session.user_id).await, 3);
    let (client_id, last_seq) = device.sync_meta();
    assert_eq!(
        server_last_op_seq(&db, session.user_id, client_id).await,
        Some(last_seq)
    );

    // A full round afterwards: nothing to push, and both sides agree.
    let report = device.round(&session).await.unwrap();
    assert_eq!(report.pushed, 0);
    assert_eq!(device.entries(), server_entries(&db, session.user_id).await);
}

/// The whole round through the engine's entry point: a retried round after a lost response.
#[tokio::test]
async fn lost_push_response_then_next_round_converges() {
    let backend = crate::common::backend().await;
    let session = sign_up(&backend, "lost2@example.com").await;
    let db = backend.connect_db().await.unwrap();
    let device = Device::new(&backend, "lost2", TIMEOUT);
    let id = device.create(None, "first");
    device.proxy.inject(PUSH, Fault::DropResponse, 1);
    device.round(&session).await.unwrap_err();
    device
        .core()
        .update_entry(
            id,
            EntryPatch {
                body: Some("second".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let report = device.round(&session).await.unwrap();
    assert_eq!(report.pushed, 2, "the create (duplicate) and the edit");
    assert!(device.outbox().is_empty());
    assert_eq!(server_entry_count(&db, session.user_id).await, 1);
    let server = server_entries(&db, session.user_id).await;
    assert_eq!(device.entries(), server);
    assert!(matches!(&server[&id], Row::Live { body, .. } if body == "second"));
    assert_eq!(device.proxy.count(PUSH), 2);
}

fn assert_clear_malformed(err: &SyncError, what: &str) {
    let SyncError::Malformed(message) = err else {
        panic!("expected SyncError::Malformed for {what}, got {err:?}");
    };
    assert!(
        message.contains("body"),
        "the message says what was wrong with the body: {message}"
    );
    assert!(err.is_transient(), "a broken answer is retried: {err:?}");
}

#[tokio::test]
async fn malformed_and_truncated_push_responses_lose_nothing() {
    let backend = crate::common::backend().await;
    let session = sign_up(&backend, "badpush@example.com").await;
    let db = backend.connect_db().await.unwrap();
    let device = Device::new(&backend, "badpush", TIMEOUT);

    for (n, fault) in [Fault::MalformedBody, Fault::TruncateBody]
        .into_iter()
        .enumerate()
    {
        device.create(None, &format!("push fault {n} a"));
        device.create(None, &format!("push fault {n} b"));
        let entries_before = device.entries();
        let outbox_before: Vec<_> = device.outbox().into_iter().map(|o| o.0).collect();
        assert_eq!(outbox_before.len(), 2);

        device.proxy.inject(PUSH, fault.clone(), 1);
        let err = device.round(&session).await.unwrap_err();
        assert_clear_malformed(&err, &format!("{fault:?} push"));
        if let SyncError::Malformed(m) = &err {
            if fault == Fault::MalformedBody {
                assert!(m.contains("sync_push response"), "{m}");
            }
        }
        assert_eq!(device.entries(), entries_before, "{fault:?}");
        let outbox_after: Vec<_> = device.outbox();
        assert_eq!(
            outbox_after.iter().map(|o| o.0).collect::<Vec<_>>(),
            outbox_before,
            "{fault:?}: the ops stay queued"
        );
        assert!(outbox_after.iter().all(|o| !o.3), "{outbox_after:?}");

        // The fault is gone: the next round settles the ops (as duplicates: the server had
        // committed them) and both sides agree.
        let report = device.round(&session).await.unwrap();
        assert_eq!(report.pushed, 2, "{fault:?}");
        assert!(device.outbox().is_empty());
        assert_eq!(
            server_entry_count(&db, session.user_id).await,
            2 * (n as i64 + 1)
        );
        assert_eq!(device.entries(), server_entries(&db, session.user_id).await);
    }
}

#[tokio::test]
async fn malformed_and_truncated_pull_responses_lose_nothing() {
    let backend = crate::common::backend().await;
    let session = sign_up(&backend, "badpull@example.com").await;
    let db = backend.connect_db().await.unwrap();
    let writer = Device::new(&backend, "writer", TIMEOUT);
    let reader = Device::new(&backend, "reader", TIMEOUT);
    // The reader has something of its own, pending, that must survive too.
    let own = reader.create(None, "reader's own");

    for (n, fault) in [Fault::MalformedBody, Fault::TruncateBody]
        .into_iter()
        .enumerate()
    {
        for i in 0..3 {
            writer.create(None, &format!("pull fault {n} {i}"));
        }
        writer.round(&session).await.unwrap();

        let entries_before = reader.entries();
        let outbox_before = reader.outbox();
        let cursor_before = reader.core().sync().cursor().unwrap();
        reader.proxy.inject(PULL, fault.clone(), 1);
        let err = reader.round(&session).await.unwrap_err();
        assert_clear_malformed(&err, &format!("{fault:?} pull"));
        if let SyncError::Malformed(m) = &err {
            if fault == Fault::MalformedBody {
                assert!(m.contains("sync_pull response"), "{m}");
            }
        }
        // The push half of that round went through; the pull applied nothing.
        assert_eq!(reader.entries(), entries_before, "{fault:?}");
        if n == 0 {
            assert!(
                reader.outbox().is_empty(),
                "own entry pushed before the pull"
            );
        } else {
            assert_eq!(reader.outbox(), outbox_before);
        }
        assert_eq!(
            reader.core().sync().cursor().unwrap(),
            cursor_before,
            "{fault:?}: the cursor stays"
        );

        let report = reader.round(&session).await.unwrap();
        assert_eq!(report.entries_updated.len(), 3, "{fault:?}: {report:?}");
        assert_ne!(reader.core().sync().cursor().unwrap(), cursor_before);
        assert_eq!(reader.entries(), server_entries(&db, session.user_id).await);
    }
    assert!(reader.entries().contains_key(&own));
}

/// A backend outage longer than `MAX_ATTEMPTS` failed rounds (no connection, then 503s and
/// 502s from a gateway in front of it, then 429s) dead-letters nothing: the ops only wait,
/// count no attempt, and all go out, once each, when the backend is back.
#[tokio::test]
async fn a_long_outage_dead_letters_nothing_and_everything_goes_out_afterwards() {
    let backend = crate::common::backend().await;
    let session = sign_up(&backend, "outage@example.com").await;
    let db = backend.connect_db().await.unwrap();
    let device = Device::new(&backend, "outage", TIMEOUT);
    let ids: Vec<_> = (0..3)
        .map(|i| device.create(None, &format!("written during the outage {i}")))
        .collect();
    let outages = [
        Fault::DropRequest,
        Fault::Status(503),
        Fault::Status(502),
        Fault::Status(429),
    ];
    let rounds = 3 * usize::try_from(MAX_ATTEMPTS).unwrap();
    for (round, fault) in outages.iter().cycle().take(rounds).enumerate() {
        device.proxy.clear();
        device.proxy.inject("/", fault.clone(), usize::MAX);
        let err = device.round(&session).await.unwrap_err();
        assert!(err.is_transient(), "round {round} ({fault:?}): {err:?}");
        let dead = device.core().sync().dead_letters().unwrap();
        assert!(
            dead.is_empty(),
            "round {round} ({fault:?}) dead-lettered {dead:?}"
        );
    }
    let outbox = device.outbox();
    assert_eq!(outbox.len(), 3, "{outbox:?}");
    assert!(outbox.iter().all(|o| !o.3), "nothing dead: {outbox:?}");
    let status = device.core().status().unwrap();
    assert_eq!((status.pending_ops, status.failed_ops), (3, 0));
    assert_eq!(server_entry_count(&db, session.user_id).await, 0);

    device.proxy.clear();
    let report = device.round(&session).await.unwrap();
    assert_eq!(report.pushed, 3, "{report:?}");
    assert!(device.outbox().is_empty());
    let server = server_entries(&db, session.user_id).await;
    let mut ids = ids;
    ids.sort();
    assert_eq!(server.keys().copied().collect::<Vec<_>>(), ids);
    assert!(server_dead_letters(&db, session.user_id).await.is_empty());
}

/// An op dead-lettered after repeated refusals must not be overtaken by a later op of its
/// row: the row's edit, sent before its create, would be refused for good ("a new entries
/// row needs occurred_at ..."). The edit waits; retrying the create sends both, in order.
/// (Found by the simulation.)
#[tokio::test]
async fn an_op_dead_after_refusals_holds_back_the_later_ops_of_its_row() {
    let backend = crate::common::backend().await;
    let session = sign_up(&backend, "held@example.com").await;
    let db = backend.connect_db().await.unwrap();
    let device = Device::new(&backend, "held", TIMEOUT);
    let id = device.create(None, "created offline");
    // A definitive refusal of the push (400); only those count toward dead-lettering.
    device.proxy.inject(PUSH, Fault::Status(400), usize::MAX);
    for _ in 0..MAX_ATTEMPTS {
        let err = device.round(&session).await.unwrap_err();
        assert!(!err.is_transient(), "{err:?}");
    }
    let dead = device.core().sync().dead_letters().unwrap();
    assert_eq!(dead.len(), 1, "the create went dead: {dead:?}");
    device
        .core()
        .update_entry(
            id,
            EntryPatch {
                body: Some("edited after".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let other = device.create(None, "another row, not held back");

    device.proxy.clear();
    let report = device.round(&session).await.unwrap();
    assert_eq!(report.pushed, 1, "only the other row's create: {report:?}");
    assert_eq!(report.rejected, 0, "{report:?}");
    assert!(server_dead_letters(&db, session.user_id).await.is_empty());
    let server = server_entries(&db, session.user_id).await;
    assert_eq!(server.keys().copied().collect::<Vec<_>>(), vec![other]);
    let outbox = device.outbox();
    assert_eq!(outbox.len(), 2, "{outbox:?}");

    // The user retries the dead create: it goes out first, then the edit it held back.
    device
        .core()
        .sync()
        .retry_dead(dead[0].op.op_seq)
        .unwrap()
        .unwrap();
    let report = device.round(&session).await.unwrap();
    assert_eq!(report.pushed, 2, "{report:?}");
    assert!(device.outbox().is_empty());
    assert!(server_dead_letters(&db, session.user_id).await.is_empty());
    let server = server_entries(&db, session.user_id).await;
    assert!(
        matches!(&server[&id], Row::Live { body, .. } if body == "edited after"),
        "{server:?}"
    );
    assert_eq!(device.entries(), server);
}
