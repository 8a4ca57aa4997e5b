use jotline_core::{tray_view, AppStatus, SyncState, TrayAction, TrayIconKind};

fn status(pending: u64) -> AppStatus {
    AppStatus {
        journal_damage: None,
        devices: None,
        entry_count: 12,
        pending_ops: pending,
        failed_ops: 0,
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
            (TrayAction::PauseSync, "Pause sync", false),
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
    assert_eq!(labels(&v).len(), 5);
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

// --- Signed in: one test per sync state, times formatted in UTC at a fixed "now". ---------

mod synced_states {
    use chrono::{DateTime, TimeZone, Utc};
    use jotline_core::{
        sync_time_label, tray_view_at, AppStatus, SyncPhase, SyncState, SyncStatus, TrayAction,
        TrayIconKind, TrayView,
    };

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 14, 16, 0, 0).unwrap()
    }

    fn synced_at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 14, 14, 5, 0).unwrap()
    }

    fn active(phase: SyncPhase, pending: u64, last: Option<DateTime<Utc>>) -> AppStatus {
        AppStatus {
            journal_damage: None,
            devices: None,
            entry_count: 12,
            pending_ops: pending,
            failed_ops: 0,
            sync: SyncState::Active {
                email: "ana@example.com".into(),
                status: SyncStatus {
                    phase,
                    last_synced_at: last,
                    last_error: match phase {
                        SyncPhase::Error | SyncPhase::Backoff => Some("server error 500".into()),
                        _ => None,
                    },
                    retry_at: None,
                    entries_updated: 0,
                    live_updates: jotline_core::LiveUpdates::On,
                },
            },
        }
    }

    fn view(status: &AppStatus) -> TrayView {
        tray_view_at(status, &now())
    }

    fn can_sync(v: &TrayView) -> bool {
        v.items
            .iter()
            .find(|i| i.action == TrayAction::SyncNow)
            .unwrap()
            .enabled
    }

    /// Delivery receipts in the tooltip: on how many other devices everything is.
    #[test]
    fn synced_says_on_how_many_other_devices_everything_is() {
        let with = |other_devices, up_to_date| {
            let mut status = active(SyncPhase::Idle, 0, Some(synced_at()));
            status.devices = Some(jotline_core::DevicesSummary {
                other_devices,
                up_to_date,
            });
            view(&status).tooltip
        };
        assert_eq!(
            with(2, 2),
            "Jotline — everything is on your server and on 2 other devices (last synced 14:05)"
        );
        assert_eq!(
            with(2, 1),
            "Jotline — everything is on your server; 1 of 2 other devices not up to date \
             (last synced 14:05)"
        );
        assert_eq!(
            with(0, 0),
            "Jotline — everything is on the server (last synced 14:05)"
        );
    }

    /// Without Realtime the journal is still synced (by polling): said, not shown as an error.
    #[test]
    fn live_updates_off_is_a_note_not_an_error() {
        let mut status = active(SyncPhase::Idle, 0, Some(synced_at()));
        if let SyncState::Active { status: s, .. } = &mut status.sync {
            s.live_updates = jotline_core::LiveUpdates::Off;
        }
        let v = view(&status);
        assert_eq!(v.icon, TrayIconKind::Synced);
        assert_eq!(
            v.tooltip,
            "Jotline — everything is on the server (last synced 14:05; live updates off)"
        );
    }

    #[test]
    fn synced_shows_the_last_sync_time() {
        let v = view(&active(SyncPhase::Idle, 0, Some(synced_at())));
        assert_eq!(v.icon, TrayIconKind::Synced);
        assert_eq!(v.title, "Synced");
        assert_eq!(
            v.tooltip,
            "Jotline — everything is on the server (last synced 14:05)"
        );
        assert!(can_sync(&v));
    }

    #[test]
    fn syncing_while_pushing_or_pulling() {
        for phase in [SyncPhase::Pushing, SyncPhase::Pulling] {
            let v = view(&active(phase, 2, Some(synced_at())));
            assert_eq!(v.icon, TrayIconKind::Syncing);
            assert_eq!(v.title, "Syncing…");
            assert_eq!(v.tooltip, "Jotline — syncing (last synced 14:05)");
            assert!(!can_sync(&v));
        }
    }

    #[test]
    fn pending_says_how_many() {
        let v = view(&active(SyncPhase::Idle, 4, Some(synced_at())));
        assert_eq!(v.icon, TrayIconKind::Pending);
        assert_eq!(v.title, "4 changes not synced");
        assert_eq!(
            v.tooltip,
            "Jotline — 4 changes not synced (last synced 14:05)"
        );
    }

    fn with_failed(mut status: AppStatus, failed: u64) -> AppStatus {
        status.failed_ops = failed;
        status
    }

    #[test]
    fn failed_changes_are_never_shown_as_synced() {
        let v = view(&with_failed(
            active(SyncPhase::Idle, 0, Some(synced_at())),
            6,
        ));
        assert_eq!(v.icon, TrayIconKind::Error);
        assert_eq!(v.title, "6 changes failed to sync");
        assert_eq!(
            v.tooltip,
            "Jotline — 6 changes failed to sync: the server refused them; retry or discard \
             them in the journal's sync details (last synced 14:05)"
        );
        assert!(can_sync(&v));
        let one = view(&with_failed(
            active(SyncPhase::Idle, 2, Some(synced_at())),
            1,
        ));
        assert_eq!(one.title, "1 change failed to sync");
    }

    #[test]
    fn failed_changes_count_as_waiting_in_every_other_state() {
        let offline = view(&with_failed(
            active(SyncPhase::Offline, 1, Some(synced_at())),
            2,
        ));
        assert_eq!(
            offline.tooltip,
            "Jotline — offline: no connection; 3 changes wait on this computer (last synced 14:05)"
        );
        let paused = view(&with_failed(
            AppStatus {
                journal_damage: None,
                devices: None,
                entry_count: 1,
                pending_ops: 0,
                failed_ops: 0,
                sync: SyncState::Paused {
                    email: "ana@example.com".into(),
                },
            },
            2,
        ));
        assert_eq!(paused.title, "Sync paused · 2 changes not synced");
        let local = view(&with_failed(super::status(0), 1));
        assert_eq!(local.title, "1 change not synced");
    }

    #[test]
    fn offline_keeps_changes_on_this_computer() {
        let v = view(&active(SyncPhase::Offline, 1, Some(synced_at())));
        assert_eq!(v.icon, TrayIconKind::Offline);
        assert_eq!(v.title, "Offline");
        assert_eq!(
            v.tooltip,
            "Jotline — offline: no connection; 1 change waits on this computer (last synced 14:05)"
        );
        assert!(can_sync(&v));
    }

    #[test]
    fn limited_means_the_server_does_not_answer() {
        let v = view(&active(SyncPhase::Limited, 0, None));
        assert_eq!(v.icon, TrayIconKind::Offline);
        assert_eq!(v.title, "Server unreachable");
        assert_eq!(
            v.tooltip,
            "Jotline — the sync server does not answer: retrying (not synced yet)"
        );
    }

    #[test]
    fn error_and_backoff_show_the_reason() {
        for phase in [SyncPhase::Error, SyncPhase::Backoff] {
            let v = view(&active(phase, 0, Some(synced_at())));
            assert_eq!(v.icon, TrayIconKind::Error);
            assert_eq!(v.title, "Sync error");
            assert_eq!(
                v.tooltip,
                "Jotline — sync failed: server error 500; retrying (last synced 14:05)"
            );
        }
    }

    #[test]
    fn signed_out_by_the_user_or_an_expired_session() {
        let v = view(&AppStatus {
            journal_damage: None,
            devices: None,
            entry_count: 1,
            pending_ops: 0,
            failed_ops: 0,
            sync: SyncState::SignedOut { reason: None },
        });
        assert_eq!(v.icon, TrayIconKind::LocalOnly);
        assert_eq!(v.title, "Signed out");
        assert_eq!(v.tooltip, "Jotline — signed out: sign in to sync");
        assert!(!can_sync(&v));

        let mut expired = active(SyncPhase::SignedOut, 2, Some(synced_at()));
        if let SyncState::Active { status, .. } = &mut expired.sync {
            status.last_error = Some("the session expired: sign in again".into());
        }
        let v = view(&expired);
        assert_eq!(v.title, "2 changes not synced");
        assert_eq!(
            v.tooltip,
            "Jotline — signed out (the session expired: sign in again): 2 changes wait on \
             this computer; sign in to sync"
        );
    }

    fn item(v: &TrayView, action: TrayAction) -> Option<(String, bool)> {
        v.items
            .iter()
            .find(|i| i.action == action)
            .map(|i| (i.label.clone(), i.enabled))
    }

    #[test]
    fn pause_is_offered_while_signed_in_and_resume_while_paused() {
        let v = view(&active(SyncPhase::Idle, 0, Some(synced_at())));
        assert_eq!(
            item(&v, TrayAction::PauseSync),
            Some(("Pause sync".into(), true))
        );
        assert_eq!(item(&v, TrayAction::ResumeSync), None);

        let v = view(&AppStatus {
            journal_damage: None,
            devices: None,
            entry_count: 1,
            pending_ops: 3,
            failed_ops: 0,
            sync: SyncState::Paused {
                email: "ana@example.com".into(),
            },
        });
        assert_eq!(v.icon, TrayIconKind::LocalOnly);
        assert_eq!(v.title, "Sync paused · 3 changes not synced");
        assert_eq!(
            v.tooltip,
            "Jotline — sync paused (ana@example.com): nothing is sent or fetched; 3 changes \
             wait on this computer; choose Resume sync to continue"
        );
        assert!(!can_sync(&v));
        assert_eq!(
            item(&v, TrayAction::ResumeSync),
            Some(("Resume sync".into(), true))
        );
        assert_eq!(item(&v, TrayAction::PauseSync), None);

        let expired = view(&active(SyncPhase::SignedOut, 0, None));
        assert_eq!(
            item(&expired, TrayAction::PauseSync),
            Some(("Pause sync".into(), false))
        );
    }

    #[test]
    fn signed_in_before_the_first_sync() {
        let v = view(&active(SyncPhase::Idle, 0, None));
        assert_eq!(v.icon, TrayIconKind::Syncing);
        assert_eq!(v.title, "Not synced yet");
    }

    #[test]
    fn sync_time_of_another_day_names_the_day() {
        let yesterday = Utc.with_ymd_and_hms(2026, 3, 13, 9, 30, 0).unwrap();
        assert_eq!(sync_time_label(yesterday, &now()), "13 Mar 09:30");
        assert_eq!(sync_time_label(synced_at(), &now()), "14:05");
    }
}
