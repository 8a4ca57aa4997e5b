use crate::common::{fixture, outbox};
use jotline_core::{
    tray_view, AppStatus, EntryPatch, Surface, SyncPhase, SyncState, SyncStatus, TrayIconKind,
};

#[test]
fn op_seq_strictly_increases_and_is_never_reused_after_outbox_rows_are_deleted() {
    let f = fixture();
    f.core.capture_text("one", Surface::InApp).unwrap();
    f.core.capture_text("two", Surface::InApp).unwrap();
    let before: Vec<i64> = outbox(&f).iter().map(|r| r.op_seq).collect();
    assert_eq!(before, vec![1, 2, 3, 4]);
    // The sync engine deletes acknowledged ops.
    f.db().execute("DELETE FROM outbox", []).unwrap();
    let saved = f.core.capture_text("three", Surface::InApp).unwrap();
    f.core
        .update_entry(
            saved.entry.id,
            EntryPatch {
                body: Some("3".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let after: Vec<i64> = outbox(&f).iter().map(|r| r.op_seq).collect();
    assert_eq!(after, vec![5, 6, 7]);
    // Also across a reopen.
    let core = f.reopen();
    core.delete_entry(saved.entry.id).unwrap();
    assert_eq!(outbox(&f).last().unwrap().op_seq, 8);
}

#[test]
fn failed_write_does_not_burn_an_op_seq() {
    let f = fixture();
    f.core.capture_text("one", Surface::InApp).unwrap();
    f.core
        .execute_batch_for_tests(
            "CREATE TEMP TRIGGER fail_capture BEFORE INSERT ON main.pending_captures
             BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        )
        .unwrap();
    assert!(f.core.capture_text("two", Surface::InApp).is_err());
    f.core
        .execute_batch_for_tests("DROP TRIGGER temp.fail_capture")
        .unwrap();
    f.core.capture_text("three", Surface::InApp).unwrap();
    let seqs: Vec<i64> = outbox(&f).iter().map(|r| r.op_seq).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4]);
}

#[test]
fn dead_letters_are_counted_as_failed_and_still_unsynced() {
    let f = fixture();
    f.core.capture_text("one", Surface::InApp).unwrap();
    let status = f.core.status().unwrap();
    assert_eq!((status.pending_ops, status.failed_ops), (2, 0));
    f.db()
        .execute("UPDATE outbox SET dead = 1 WHERE op_seq = 1", [])
        .unwrap();
    let status = f.core.status().unwrap();
    assert_eq!((status.pending_ops, status.failed_ops), (1, 1));
    assert_eq!(status.unsynced_ops(), 2);
    // A dead op is not on the server: the tray must not call this "Synced".
    let view = tray_view(&AppStatus {
        journal_damage: None,
        devices: None,
        sync: active_and_idle(),
        ..status
    });
    assert_eq!(view.icon, TrayIconKind::Error);
    assert_eq!(view.title, "1 change failed to sync");
    assert_ne!(view.title, "Synced");
}

fn active_and_idle() -> SyncState {
    SyncState::Active {
        email: "ana@example.com".into(),
        status: SyncStatus {
            phase: SyncPhase::Idle,
            last_synced_at: Some(chrono::Utc::now()),
            last_error: None,
            retry_at: None,
            entries_updated: 0,
            live_updates: jotline_core::LiveUpdates::On,
        },
    }
}
