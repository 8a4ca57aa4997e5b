use jotline_core::{tray_view, AppStatus, SyncState, TrayAction, TrayIconKind};

fn status(pending: u64) -> AppStatus {
    AppStatus {
        entry_count: 12,
        pending_ops: pending,
        sync: SyncState::LocalOnly,
    }
}

fn labels(v: &jotline_core::TrayView) -> Vec<(TrayAction, &str, bool)> {
    v.items
        .iter()
        .map(|i| (i.action, i.label.as_str(), i.enabled))
        .collect()
}

#[test]
fn local_only_with_nothing_pending() {
    let v = tray_view(&status(0));
    assert_eq!(v.icon, TrayIconKind::LocalOnly);
    assert_eq!(v.icon.file_name(), "tray-local-only.png");
    assert_eq!(v.title, "Local only");
    assert_eq!(
        v.tooltip,
        "Jotline — saved on this computer; sync is not set up"
    );
    assert_eq!(
        labels(&v),
        vec![
            (TrayAction::QuickCapture, "Quick capture", true),
            (TrayAction::OpenJournal, "Open journal", true),
            (TrayAction::SyncNow, "Sync now", false),
            (TrayAction::Quit, "Quit Jotline", true),
        ]
    );
}

#[test]
fn local_only_with_pending_changes_says_how_many() {
    let v = tray_view(&status(3));
    assert_eq!(v.icon, TrayIconKind::LocalOnly);
    assert_eq!(v.title, "3 changes not synced");
    assert_eq!(
        v.tooltip,
        "Jotline — 3 changes not synced: saved on this computer only; sign in to sync"
    );
    assert_eq!(tray_view(&status(1)).title, "1 change not synced");
    assert_eq!(labels(&v).len(), 4);
    assert!(
        !v.items
            .iter()
            .find(|i| i.action == TrayAction::SyncNow)
            .unwrap()
            .enabled
    );
}

#[test]
fn action_ids_round_trip_and_icons_have_files() {
    for a in TrayAction::ALL {
        assert_eq!(TrayAction::from_id(a.id()), Some(a));
    }
    assert_eq!(TrayAction::from_id("nope"), None);
    assert_eq!(TrayAction::QuickCapture.id(), "quick-capture");
    let icons = [
        (TrayIconKind::LocalOnly, "tray-local-only.png"),
        (TrayIconKind::Synced, "tray-synced.png"),
        (TrayIconKind::Syncing, "tray-syncing.png"),
        (TrayIconKind::Pending, "tray-pending.png"),
        (TrayIconKind::Offline, "tray-offline.png"),
        (TrayIconKind::Error, "tray-error.png"),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../icons/tray");
    for (icon, file) in icons {
        assert_eq!(icon.file_name(), file);
        if dir.exists() {
            assert!(dir.join(file).exists(), "{file} missing from icons/tray");
        }
    }
}
