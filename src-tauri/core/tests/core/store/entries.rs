use crate::common::{fixture, outbox, t0, Fixture};
use chrono::Duration;
use jotline_core::{CoreError, EntryPatch, Surface};

const ENTRY_FIELDS: [&str; 6] = [
    "kind",
    "title",
    "body",
    "occurred_at",
    "created_at",
    "updated_at",
];

fn fields(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn inject_outbox_failure(f: &Fixture) {
    f.core
        .execute_batch_for_tests(
            "CREATE TEMP TRIGGER fail_outbox BEFORE INSERT ON main.outbox
             BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        )
        .unwrap();
}

#[test]
fn create_writes_entry_and_upsert_op_with_all_fields() {
    let f = fixture();
    let saved = f
        .core
        .capture_text("hello #Work with @Ana", Surface::InApp)
        .unwrap();
    let ops = outbox(&f);
    let entry_op = ops.iter().find(|o| o.table_name == "entries").unwrap();
    assert_eq!(entry_op.row_id, saved.entry.id.to_string());
    assert_eq!(entry_op.op, "upsert");
    assert_eq!(entry_op.changed_fields, fields(&ENTRY_FIELDS));
    assert_eq!(
        f.count("SELECT count(*) FROM entry_tags WHERE tag = 'work'"),
        1
    );
    assert_eq!(
        f.count("SELECT count(*) FROM entry_people WHERE person = 'ana'"),
        1
    );
}

#[test]
fn edit_of_body_only_queues_body_only_and_bumps_updated_at() {
    let f = fixture();
    let saved = f.core.capture_text("first #old", Surface::InApp).unwrap();
    f.clock.advance(Duration::minutes(5));
    let edited = f
        .core
        .update_entry(
            saved.entry.id,
            EntryPatch {
                body: Some("second #new".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(edited.body, "second #new");
    assert_eq!(edited.tags, vec!["new"]);
    assert_eq!(edited.updated_at, t0() + Duration::minutes(5));
    assert_eq!(edited.created_at, t0());
    assert_eq!(f.core.get_entry(saved.entry.id).unwrap(), edited);
    let last = outbox(&f).pop().unwrap();
    assert_eq!(
        (last.op.as_str(), last.changed_fields),
        ("upsert", fields(&["body"]))
    );
    assert_eq!(
        f.count("SELECT count(*) FROM entry_tags WHERE tag = 'old'"),
        0
    );
    assert_eq!(
        f.count("SELECT count(*) FROM entry_tags WHERE tag = 'new'"),
        1
    );
    assert_eq!(f.core.search("second", 10).unwrap().len(), 1);
    assert_eq!(f.core.search("first", 10).unwrap().len(), 0);
}

#[test]
fn edit_of_several_fields_lists_exactly_those() {
    let f = fixture();
    let id = f.core.capture_text("x", Surface::InApp).unwrap().entry.id;
    let at = t0() - Duration::days(2);
    let e = f
        .core
        .update_entry(
            id,
            EntryPatch {
                title: Some(Some("Title".into())),
                kind: Some("task".into()),
                occurred_at: Some(at),
                body: Some("x".into()),
            },
        )
        .unwrap();
    assert_eq!(
        (e.kind.as_str(), e.title.as_deref(), e.occurred_at),
        ("task", Some("Title"), at)
    );
    assert_eq!(
        outbox(&f).pop().unwrap().changed_fields,
        fields(&["kind", "title", "occurred_at"])
    );
}

#[test]
fn no_op_patch_writes_nothing() {
    let f = fixture();
    let saved = f.core.capture_text("same", Surface::InApp).unwrap();
    f.clock.advance(Duration::minutes(1));
    let n = outbox(&f).len();
    let e = f
        .core
        .update_entry(
            saved.entry.id,
            EntryPatch {
                body: Some("same".into()),
                title: Some(None),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(e, saved.entry);
    assert_eq!(outbox(&f).len(), n);
}

#[test]
fn invalid_patch_is_rejected() {
    let f = fixture();
    let id = f.core.capture_text("x", Surface::InApp).unwrap().entry.id;
    let err = f
        .core
        .update_entry(
            id,
            EntryPatch {
                kind: Some("".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, CoreError::InvalidInput(_)));
    let big = "a".repeat(jotline_core::MAX_CAPTURE_BYTES + 1);
    let err = f
        .core
        .update_entry(
            id,
            EntryPatch {
                body: Some(big),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(matches!(err, CoreError::TooLarge { .. }));
}

#[test]
fn delete_tombstones_queues_delete_and_hides_everywhere() {
    let f = fixture();
    let keep = f
        .core
        .capture_text("keep #t", Surface::InApp)
        .unwrap()
        .entry;
    let gone = f
        .core
        .capture_text("gone #t", Surface::InApp)
        .unwrap()
        .entry;
    f.clock.advance(Duration::seconds(1));
    f.core.delete_entry(gone.id).unwrap();
    let last = outbox(&f).pop().unwrap();
    assert_eq!(
        (last.op.as_str(), last.row_id.clone()),
        ("delete", gone.id.to_string())
    );
    assert_eq!(last.changed_fields, fields(&["deleted_at"]));
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM entries WHERE id = '{}' AND deleted_at IS NOT NULL",
            gone.id
        )),
        1,
        "tombstone kept for sync"
    );
    assert!(matches!(f.core.get_entry(gone.id), Err(CoreError::NotFound(id)) if id == gone.id));
    let page = f.core.timeline_page(None, 10).unwrap();
    assert_eq!(
        page.entries.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![keep.id]
    );
    assert_eq!(f.core.search("gone", 10).unwrap(), vec![]);
    assert_eq!(f.core.search("#t", 10).unwrap().len(), 1);
    assert_eq!(f.core.status().unwrap().entry_count, 1);
    // Deleting or editing a tombstone: NotFound, nothing written.
    let n = outbox(&f).len();
    assert!(matches!(
        f.core.delete_entry(gone.id),
        Err(CoreError::NotFound(_))
    ));
    let patch = EntryPatch {
        body: Some("zombie".into()),
        ..Default::default()
    };
    assert!(matches!(
        f.core.update_entry(gone.id, patch),
        Err(CoreError::NotFound(_))
    ));
    assert_eq!(outbox(&f).len(), n);
}

#[test]
fn unknown_id_is_not_found() {
    let f = fixture();
    let id = uuid::Uuid::now_v7();
    let err = f.core.get_entry(id).unwrap_err();
    assert_eq!(err.code(), jotline_core::ErrorCode::NotFound);
}

#[test]
fn outbox_failure_during_capture_leaves_neither_capture_nor_entry() {
    let f = fixture();
    inject_outbox_failure(&f);
    let err = f
        .core
        .capture_text("must not half-exist", Surface::InApp)
        .unwrap_err();
    assert!(err.to_string().contains("injected"), "{err}");
    assert_eq!(f.count("SELECT count(*) FROM entries"), 0);
    assert_eq!(f.count("SELECT count(*) FROM pending_captures"), 0);
    assert_eq!(f.count("SELECT count(*) FROM entry_tags"), 0);
    assert_eq!(f.count("SELECT count(*) FROM outbox"), 0);
    assert_eq!(f.core.search("half", 10).unwrap(), vec![]);
}

#[test]
fn outbox_failure_during_edit_leaves_entry_unchanged() {
    let f = fixture();
    let before = f
        .core
        .capture_text("original #a", Surface::InApp)
        .unwrap()
        .entry;
    inject_outbox_failure(&f);
    f.clock.advance(Duration::minutes(1));
    let patch = EntryPatch {
        body: Some("changed #b".into()),
        ..Default::default()
    };
    assert!(f.core.update_entry(before.id, patch).is_err());
    assert_eq!(f.core.get_entry(before.id).unwrap(), before);
    assert_eq!(
        f.count("SELECT count(*) FROM entry_tags WHERE tag = 'a'"),
        1
    );
    assert_eq!(
        f.count("SELECT count(*) FROM entry_tags WHERE tag = 'b'"),
        0
    );
    assert_eq!(f.core.search("changed", 10).unwrap(), vec![]);
    assert_eq!(f.core.search("original", 10).unwrap(), vec![before]);
}

#[test]
fn outbox_failure_during_delete_leaves_entry_live() {
    let f = fixture();
    let before = f
        .core
        .capture_text("still here", Surface::InApp)
        .unwrap()
        .entry;
    inject_outbox_failure(&f);
    assert!(f.core.delete_entry(before.id).is_err());
    assert_eq!(f.core.get_entry(before.id).unwrap(), before);
    assert_eq!(
        f.count("SELECT count(*) FROM entries WHERE deleted_at IS NOT NULL"),
        0
    );
}

#[test]
fn persistent_trigger_from_another_connection_also_rolls_back() {
    let f = fixture();
    f.db()
        .execute_batch("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'injected'); END;")
        .unwrap();
    assert!(f.core.capture_text("nope", Surface::Cli).is_err());
    assert_eq!(f.count("SELECT count(*) FROM entries"), 0);
    assert_eq!(f.count("SELECT count(*) FROM pending_captures"), 0);
}

#[test]
fn bulk_import_writes_entries_with_outbox_ops() {
    let f = fixture();
    let items: Vec<_> = (0..3)
        .map(|i| jotline_core::NewEntry {
            kind: "note".into(),
            title: None,
            body: format!("imported {i} #import"),
            occurred_at: t0() - Duration::days(i),
        })
        .collect();
    let ids = f.core.import_entries(&items).unwrap();
    assert_eq!(ids.len(), 3);
    assert_eq!(outbox(&f).len(), 3);
    assert_eq!(f.core.search("#import", 10).unwrap().len(), 3);
}
