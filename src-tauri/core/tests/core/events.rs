use crate::common::fixture;
use jotline_core::{AppStatus, CoreEvent, EntryPatch, Surface, SyncState};
use tokio::sync::broadcast::error::TryRecvError;

#[test]
fn capture_publishes_entries_then_status() {
    let f = fixture();
    let mut rx = f.core.subscribe();
    let saved = f.core.capture_text("hi", Surface::InApp).unwrap();
    let first = rx.try_recv().unwrap();
    assert_eq!(
        first,
        CoreEvent::EntriesChanged {
            ids: vec![saved.entry.id]
        }
    );
    assert_eq!(first.name(), "entries-changed");
    let second = rx.try_recv().unwrap();
    assert_eq!(
        second,
        CoreEvent::StatusChanged {
            status: AppStatus {
                journal_damage: None,
                devices: None,
                entry_count: 1,
                pending_ops: 2,
                failed_ops: 0,
                sync: SyncState::LocalOnly
            }
        }
    );
    assert_eq!(second.name(), "status-changed");
    assert!(matches!(rx.try_recv(), Err(TryRecvError::Empty)));
}

#[test]
fn edit_and_delete_publish_but_no_op_and_failures_do_not() {
    let f = fixture();
    let id = f.core.capture_text("hi", Surface::InApp).unwrap().entry.id;
    let mut rx = f.core.subscribe();
    f.core.update_entry(id, EntryPatch::default()).unwrap();
    assert!(f.core.capture_text(" ", Surface::InApp).is_err());
    assert!(matches!(rx.try_recv(), Err(TryRecvError::Empty)));
    f.core
        .update_entry(
            id,
            EntryPatch {
                body: Some("ho".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        rx.try_recv().unwrap(),
        CoreEvent::EntriesChanged { ids: vec![id] }
    );
    assert!(matches!(
        rx.try_recv().unwrap(),
        CoreEvent::StatusChanged { .. }
    ));
    f.core.delete_entry(id).unwrap();
    assert_eq!(
        rx.try_recv().unwrap(),
        CoreEvent::EntriesChanged { ids: vec![id] }
    );
    match rx.try_recv().unwrap() {
        CoreEvent::StatusChanged { status } => assert_eq!(status.entry_count, 0),
        other => panic!("{other:?}"),
    }
}

#[test]
fn publishing_without_subscribers_is_fine() {
    let f = fixture();
    f.core.capture_text("nobody listens", Surface::Cli).unwrap();
    let rx = f.core.subscribe();
    drop(rx);
    f.core.capture_text("still nobody", Surface::Cli).unwrap();
}
