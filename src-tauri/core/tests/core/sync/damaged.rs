//! Sync around an entry whose stored text is not valid UTF-8: its lossy copy never reaches
//! the server, and it stops nothing else.

use crate::common::{fixture, Fixture};
use chrono::Duration;
use jotline_core::sync::protocol::{Change, PullResponse};
use jotline_core::{EntryPatch, Surface};
use serde_json::json;
use uuid::Uuid;

const DAMAGED_BODY: &[u8] = b"Hell\xffo";

/// Two notes, the first with a damaged body; returns their ids.
fn two_notes_one_damaged(f: &Fixture) -> (Uuid, Uuid) {
    let bad = f
        .core
        .capture_text("first", Surface::InApp)
        .unwrap()
        .entry
        .id;
    f.clock.advance(Duration::seconds(1));
    let ok = f
        .core
        .capture_text("second", Surface::InApp)
        .unwrap()
        .entry
        .id;
    f.write_raw_text(bad, "body", DAMAGED_BODY);
    (bad, ok)
}

#[test]
fn a_damaged_body_is_dead_lettered_and_everything_else_is_pushed() {
    let f = fixture();
    let (bad, ok) = two_notes_one_damaged(&f);

    let req = f.core.sync().push_request(500, false).unwrap().unwrap();

    let sent: Vec<(&str, String)> = req
        .ops
        .iter()
        .map(|o| (o.table.as_str(), o.row_id.clone()))
        .collect();
    assert!(sent.contains(&("entries", ok.to_string())), "{sent:?}");
    assert!(!sent.contains(&("entries", bad.to_string())), "{sent:?}");
    assert_eq!(
        req.ops.len(),
        3,
        "the other entry and both captures: {sent:?}"
    );
    let dead = f.core.sync().dead_letters().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].op.row_id, bad.to_string());
    let reason = dead[0].last_error.as_deref().unwrap();
    assert!(reason.contains("body is damaged"), "{reason}");
}

#[test]
fn once_repaired_the_retried_op_sends_the_new_text() {
    let f = fixture();
    let (bad, _) = two_notes_one_damaged(&f);
    f.core.sync().push_request(500, false).unwrap();
    let dead_seq = f.core.sync().dead_letters().unwrap()[0].op.op_seq;
    f.core
        .update_entry(
            bad,
            EntryPatch {
                body: Some("Hello".into()),
                ..EntryPatch::default()
            },
        )
        .unwrap();
    f.core.sync().retry_dead(dead_seq).unwrap().unwrap();
    let req = f.core.sync().push_request(500, true).unwrap().unwrap();
    let repaired: Vec<_> = req
        .ops
        .iter()
        .filter(|o| o.row_id == bad.to_string())
        .collect();
    assert!(!repaired.is_empty());
    assert!(repaired.iter().all(|o| o.fields["body"] == json!("Hello")));
}

#[test]
fn a_pulled_title_change_keeps_the_damaged_body_as_stored() {
    let f = fixture();
    let (bad, _) = two_notes_one_damaged(&f);
    // As if pushed: no pending local op protects the title.
    f.db().execute("DELETE FROM outbox", []).unwrap();
    let row = json!({"id": bad.to_string(), "title": "From the phone", "version": 7,
                     "updated_at": "2026-03-14T10:00:00.000Z"});
    f.core
        .sync()
        .apply_pull(&PullResponse {
            changes: vec![Change {
                table: "entries".into(),
                row,
            }],
            next_cursor: Some("v1:7:entries:x".into()),
            has_more: false,
            must_resync: false,
        })
        .unwrap();
    let entry = f.core.get_entry(bad).unwrap();
    assert_eq!(entry.title.as_deref(), Some("From the phone"));
    assert!(entry.damaged);
    assert_eq!(f.raw_text(bad, "body"), DAMAGED_BODY);
}

#[test]
fn an_unreadable_capture_is_dead_lettered_and_the_rest_is_pushed() {
    let f = fixture();
    let saved = f.core.capture_text("first", Surface::InApp).unwrap();
    f.db()
        .execute(
            "UPDATE pending_captures SET text = CAST(?1 AS TEXT) WHERE id = ?2",
            rusqlite::params![DAMAGED_BODY, saved.capture_id.to_string()],
        )
        .unwrap();

    let req = f.core.sync().push_request(500, false).unwrap().unwrap();

    let sent: Vec<&str> = req.ops.iter().map(|o| o.table.as_str()).collect();
    assert_eq!(sent, vec!["entries"]);
    let dead = f.core.sync().dead_letters().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].op.row_id, saved.capture_id.to_string());
}
