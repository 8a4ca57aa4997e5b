use crate::common::{fixture, Fixture};
use jotline_core::sync::protocol::{Change, PullResponse};
use jotline_core::sync::SyncError;
use jotline_core::{CoreEvent, EntryPatch, Surface};
use serde_json::{json, Value};
use uuid::Uuid;

const ID: &str = "019a0000-0000-7000-8000-000000000001";

fn entry_row(id: &str, version: i64, body: &str) -> Value {
    json!({"id": id, "kind": "note", "title": null, "body": body,
           "occurred_at": "2026-03-01T10:00:00+00:00", "created_at": "2026-03-01T10:00:00.000Z",
           "updated_at": "2026-03-01T10:00:00.000Z", "deleted_at": null, "version": version})
}

fn page(changes: Vec<(&str, Value)>, cursor: &str, has_more: bool) -> PullResponse {
    PullResponse {
        changes: changes
            .into_iter()
            .map(|(table, row)| Change {
                table: table.into(),
                row,
            })
            .collect(),
        next_cursor: Some(cursor.into()),
        has_more,
        must_resync: false,
    }
}

/// (id, body, title, deleted_at)
type EntryCols = (String, String, Option<String>, Option<i64>);

/// Every user-visible column of every entry, plus tags and the FTS index size.
fn snapshot(f: &Fixture) -> (Vec<EntryCols>, i64, i64) {
    let db = f.db();
    let rows = db
        .prepare("SELECT id, body, title, deleted_at FROM entries ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    (
        rows,
        f.count("SELECT count(*) FROM entry_tags"),
        f.count("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'pulled'"),
    )
}

#[test]
fn a_new_row_is_inserted_with_tags_search_event_and_cursor() {
    let f = fixture();
    let mut events = f.core.subscribe();
    let applied = f
        .core
        .sync()
        .apply_pull(&page(
            vec![("entries", entry_row(ID, 3, "pulled #remote @ana"))],
            "v1:3:entries:x",
            false,
        ))
        .unwrap();
    let id = Uuid::parse_str(ID).unwrap();
    assert_eq!(applied.changed_entries, vec![id]);
    let e = f.core.get_entry(id).unwrap();
    assert_eq!(e.body, "pulled #remote @ana");
    assert_eq!(e.tags, vec!["remote"]);
    assert_eq!(e.people, vec!["ana"]);
    assert_eq!(f.core.search("#remote", 10).unwrap().len(), 1);
    assert_eq!(f.core.search("pulled", 10).unwrap().len(), 1);
    assert_eq!(
        f.core.sync().cursor().unwrap().as_deref(),
        Some("v1:3:entries:x")
    );
    assert_eq!(
        f.core.status().unwrap().pending_ops,
        0,
        "a pull queues nothing"
    );
    assert_eq!(
        events.try_recv().unwrap(),
        CoreEvent::EntriesChanged { ids: vec![id] }
    );
    assert_eq!(
        f.count("SELECT server_version FROM entries"),
        3,
        "server version recorded"
    );
}

#[test]
fn an_update_without_pending_ops_overwrites_and_reindexes() {
    let f = fixture();
    f.core
        .sync()
        .apply_pull(&page(
            vec![("entries", entry_row(ID, 3, "old #a"))],
            "c1",
            false,
        ))
        .unwrap();
    let mut row = entry_row(ID, 4, "pulled #b");
    row["title"] = json!("T");
    f.core
        .sync()
        .apply_pull(&page(vec![("entries", row)], "c2", false))
        .unwrap();
    let e = f.core.get_entry(Uuid::parse_str(ID).unwrap()).unwrap();
    assert_eq!(
        (e.title.as_deref(), e.body.as_str()),
        (Some("T"), "pulled #b")
    );
    assert_eq!(e.tags, vec!["b"]);
    assert!(f.core.search("old", 10).unwrap().is_empty());
    assert_eq!(f.core.search("pulled", 10).unwrap().len(), 1);
}

#[test]
fn fields_with_pending_local_ops_are_not_overwritten_but_the_others_are() {
    let f = fixture();
    let id = f
        .core
        .capture_text("local body", Surface::InApp)
        .unwrap()
        .entry
        .id;
    f.core
        .update_entry(
            id,
            EntryPatch {
                kind: Some("task".into()),
                ..Default::default()
            },
        )
        .unwrap();
    f.db()
        .execute("DELETE FROM outbox WHERE op_seq <= 2", [])
        .unwrap(); // only the kind edit is still pending
    let mut row = entry_row(&id.to_string(), 9, "remote body");
    row["kind"] = json!("event");
    row["title"] = json!("remote title");
    let applied = f
        .core
        .sync()
        .apply_pull(&page(vec![("entries", row)], "c", false))
        .unwrap();
    assert_eq!(applied.changed_entries, vec![id]);
    let e = f.core.get_entry(id).unwrap();
    assert_eq!(e.kind, "task", "pending local kind kept");
    assert_eq!(e.body, "remote body");
    assert_eq!(e.title.as_deref(), Some("remote title"));
    assert_eq!(f.core.status().unwrap().pending_ops, 1);
}

#[test]
fn a_server_tombstone_deletes_even_with_pending_local_edits() {
    let f = fixture();
    let id = f
        .core
        .capture_text("mine #t", Surface::InApp)
        .unwrap()
        .entry
        .id;
    let mut row = entry_row(&id.to_string(), 5, "x");
    row["deleted_at"] = json!("2026-03-02T00:00:00Z");
    let mut events = f.core.subscribe();
    let applied = f
        .core
        .sync()
        .apply_pull(&page(vec![("entries", row)], "c", false))
        .unwrap();
    assert_eq!(applied.changed_entries, vec![id]);
    assert!(f.core.get_entry(id).is_err());
    assert_eq!(f.core.status().unwrap().entry_count, 0);
    assert!(f.core.search("mine", 10).unwrap().is_empty());
    assert_eq!(f.count("SELECT count(*) FROM entry_tags"), 0);
    assert!(matches!(
        events.try_recv().unwrap(),
        CoreEvent::EntriesChanged { .. }
    ));
}

#[test]
fn a_local_pending_delete_keeps_the_row_deleted() {
    let f = fixture();
    let id = f
        .core
        .capture_text("mine", Surface::InApp)
        .unwrap()
        .entry
        .id;
    f.core.delete_entry(id).unwrap();
    let applied = f
        .core
        .sync()
        .apply_pull(&page(
            vec![("entries", entry_row(&id.to_string(), 5, "remote edit"))],
            "c",
            false,
        ))
        .unwrap();
    assert!(f.core.get_entry(id).is_err());
    assert!(f.core.search("remote", 10).unwrap().is_empty());
    // The remote body may land on the tombstone, but nothing visible changed.
    assert!(applied.changed_entries.is_empty());
    assert!(f.count("SELECT deleted_at FROM entries") > 0);
}

#[test]
fn applying_the_same_page_twice_changes_nothing() {
    let f = fixture();
    let p = page(
        vec![
            ("entries", entry_row(ID, 3, "pulled #x")),
            (
                "entries",
                entry_row("019a0000-0000-7000-8000-000000000002", 3, "pulled two"),
            ),
        ],
        "c1",
        false,
    );
    assert_eq!(
        f.core.sync().apply_pull(&p).unwrap().changed_entries.len(),
        2
    );
    let before = snapshot(&f);
    let mut events = f.core.subscribe();
    let again = f.core.sync().apply_pull(&p).unwrap();
    assert!(again.changed_entries.is_empty());
    assert_eq!(snapshot(&f), before);
    assert!(events.try_recv().is_err(), "no event for a no-op page");
}

#[test]
fn rows_and_cursor_commit_together_or_not_at_all() {
    let f = fixture();
    f.core
        .execute_batch_for_tests(
            "CREATE TEMP TRIGGER fail_cursor BEFORE UPDATE OF cursor ON main.sync_meta
             BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        )
        .unwrap();
    let err = f
        .core
        .sync()
        .apply_pull(&page(
            vec![("entries", entry_row(ID, 3, "pulled"))],
            "c1",
            false,
        ))
        .unwrap_err();
    assert!(matches!(err, SyncError::Store(_)), "{err}");
    assert_eq!(f.count("SELECT count(*) FROM entries"), 0);
    assert_eq!(
        f.count("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'pulled'"),
        0
    );
    assert_eq!(f.core.sync().cursor().unwrap(), None);
    f.core
        .execute_batch_for_tests("DROP TRIGGER temp.fail_cursor")
        .unwrap();
    f.core
        .sync()
        .apply_pull(&page(
            vec![("entries", entry_row(ID, 3, "pulled"))],
            "c1",
            false,
        ))
        .unwrap();
    assert_eq!(f.count("SELECT count(*) FROM entries"), 1);
    assert_eq!(f.core.sync().cursor().unwrap().as_deref(), Some("c1"));
}

#[test]
fn a_malformed_row_fails_the_page_and_changes_nothing() {
    let f = fixture();
    for bad in [
        json!({"id": "not-a-uuid", "version": 1}),
        json!({"id": ID}),
        {
            let mut r = entry_row(ID, 3, "x");
            r["occurred_at"] = json!("yesterday");
            r
        },
        {
            let mut r = entry_row(ID, 3, "x");
            r["body"] = json!(42);
            r
        },
        json!({"id": ID, "version": 1, "body": "new row without times"}),
    ] {
        let p = page(
            vec![
                (
                    "entries",
                    entry_row("019a0000-0000-7000-8000-000000000002", 3, "ok"),
                ),
                ("entries", bad.clone()),
            ],
            "c1",
            false,
        );
        let err = f.core.sync().apply_pull(&p).unwrap_err();
        assert!(matches!(err, SyncError::Malformed(_)), "{bad}: {err}");
        assert_eq!(f.count("SELECT count(*) FROM entries"), 0, "{bad}");
        assert_eq!(f.core.sync().cursor().unwrap(), None);
    }
}

#[test]
fn must_resync_resets_the_cursor_and_keeps_local_rows() {
    let f = fixture();
    f.core
        .sync()
        .apply_pull(&page(
            vec![("entries", entry_row(ID, 3, "pulled"))],
            "c1",
            false,
        ))
        .unwrap();
    let local = f.core.capture_text("unsynced", Surface::InApp).unwrap();
    let resync = PullResponse {
        changes: vec![],
        next_cursor: None,
        has_more: false,
        must_resync: true,
    };
    let applied = f.core.sync().apply_pull(&resync).unwrap();
    assert!(applied.must_resync);
    assert_eq!(f.core.sync().cursor().unwrap(), None);
    assert_eq!(f.core.status().unwrap().entry_count, 2);
    assert!(f.core.get_entry(local.entry.id).is_ok());
    assert_eq!(f.core.status().unwrap().pending_ops, 2);
}

#[test]
fn a_capture_whose_entry_is_on_the_next_page_is_parked_then_applied() {
    let f = fixture();
    let cap_id = "019a0000-0000-7000-8000-0000000000c1";
    let capture = json!({"id": cap_id, "created_at": "2026-03-01T10:00:00Z",
        "surface": "desktop_hotkey", "text": "pulled", "audio_path": null,
        "audio_duration_ms": null, "parse_status": "ready", "error": null,
        "context": {"app": "editor"}, "entry_id": ID, "deleted_at": null, "version": 3});
    let first = f
        .core
        .sync()
        .apply_pull(&page(vec![("captures", capture)], "c1", true))
        .unwrap();
    assert_eq!(first.parked, 1);
    assert_eq!(f.count("SELECT count(*) FROM pending_captures"), 0);
    let second = f
        .core
        .sync()
        .apply_pull(&page(
            vec![("entries", entry_row(ID, 3, "pulled"))],
            "c2",
            false,
        ))
        .unwrap();
    assert_eq!(second.parked, 0);
    assert_eq!(second.changed_captures, 1);
    let (entry_id, context): (String, String) = f
        .db()
        .query_row(
            "SELECT entry_id, context FROM pending_captures WHERE id = ?1",
            [cap_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(entry_id, ID);
    assert_eq!(
        serde_json::from_str::<Value>(&context).unwrap(),
        json!({"app": "editor"})
    );
}

#[test]
fn rows_of_unknown_tables_are_skipped() {
    let f = fixture();
    let applied = f
        .core
        .sync()
        .apply_pull(&page(vec![("future_table", json!({"id": 1}))], "c1", false))
        .unwrap();
    assert!(applied.changed_entries.is_empty());
    assert_eq!(f.core.sync().cursor().unwrap().as_deref(), Some("c1"));
}

#[test]
fn a_dead_lettered_edit_keeps_its_field_until_discarded_then_the_server_value_returns() {
    let f = fixture();
    let id = f
        .core
        .capture_text("local body", Surface::InApp)
        .unwrap()
        .entry
        .id;
    f.core
        .update_entry(
            id,
            EntryPatch {
                body: Some("rejected edit".into()),
                ..Default::default()
            },
        )
        .unwrap();
    // The create went through; the edit was rejected for good.
    let edit = f.count("SELECT max(op_seq) FROM outbox");
    f.db()
        .execute_batch(&format!(
            "DELETE FROM outbox WHERE op_seq <> {edit};
             UPDATE outbox SET dead = 1, last_error = 'too long' WHERE op_seq = {edit};"
        ))
        .unwrap();
    f.core
        .sync()
        .apply_pull(&page(
            vec![("entries", entry_row(&id.to_string(), 5, "server body"))],
            "c5",
            false,
        ))
        .unwrap();
    assert_eq!(
        f.core.get_entry(id).unwrap().body,
        "rejected edit",
        "a dead letter still protects the user's change"
    );
    assert!(f.core.sync().discard_dead(edit).unwrap());
    assert_eq!(
        f.core.sync().cursor().unwrap(),
        None,
        "discarding forgets the cursor so the row is pulled again"
    );
    f.core
        .sync()
        .apply_pull(&page(
            vec![("entries", entry_row(&id.to_string(), 5, "server body"))],
            "c5",
            false,
        ))
        .unwrap();
    assert_eq!(f.core.get_entry(id).unwrap().body, "server body");
    assert_eq!(f.core.status().unwrap().pending_ops, 0);
}

#[test]
fn a_pulled_capture_tombstone_lands_and_an_older_version_cannot_revive_it() {
    let f = fixture();
    let cap_id = "019a0000-0000-7000-8000-0000000000c2";
    let capture = |version: i64, deleted_at: Value| {
        json!({"id": cap_id, "created_at": "2026-03-01T10:00:00Z",
            "surface": "cli", "text": "pulled", "audio_path": null,
            "audio_duration_ms": null, "parse_status": "pending", "error": null,
            "context": null, "entry_id": null, "deleted_at": deleted_at, "version": version})
    };
    f.core
        .sync()
        .apply_pull(&page(
            vec![("captures", capture(3, Value::Null))],
            "c3",
            false,
        ))
        .unwrap();
    let deleted_at = |f: &Fixture| -> Option<i64> {
        f.db()
            .query_row(
                "SELECT deleted_at FROM pending_captures WHERE id = ?1",
                [cap_id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(deleted_at(&f), None);
    let applied = f
        .core
        .sync()
        .apply_pull(&page(
            vec![("captures", capture(4, json!("2026-03-02T08:00:00Z")))],
            "c4",
            false,
        ))
        .unwrap();
    assert_eq!(applied.changed_captures, 1);
    let at = deleted_at(&f).expect("tombstone applied");
    assert_eq!(
        at,
        chrono::DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
            .unwrap()
            .timestamp_millis()
    );
    f.core
        .sync()
        .apply_pull(&page(
            vec![("captures", capture(3, Value::Null))],
            "c3",
            false,
        ))
        .unwrap();
    assert_eq!(deleted_at(&f), Some(at), "delete wins over an older update");
}
