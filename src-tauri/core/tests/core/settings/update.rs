//! `Core::update_settings`: held in memory, one writer at a time, announced once.

use crate::common::fixture;
use jotline_core::{CoreError, CoreEvent};

#[test]
fn two_concurrent_updates_of_different_fields_both_survive() {
    let f = fixture();
    for round in 0..50u32 {
        let (a, b) = (f.core.clone(), f.core.clone());
        let minutes = 1 + round % 100;
        let first = std::thread::spawn(move || {
            a.update_settings(|s| {
                s.voice_max_minutes = minutes;
                // Widen the window in which the other update could interleave.
                std::thread::yield_now();
                Ok(())
            })
        });
        let second = std::thread::spawn(move || {
            b.update_settings(|s| {
                s.welcome_done = !s.welcome_done;
                Ok(())
            })
        });
        first.join().unwrap().unwrap();
        second.join().unwrap().unwrap();
        let held = f.core.settings().unwrap();
        assert_eq!(held.voice_max_minutes, minutes, "round {round}");
        assert_eq!(held.welcome_done, round % 2 == 0, "round {round}");
        assert_eq!(
            f.reopen().settings().unwrap(),
            held,
            "round {round}: on disk"
        );
    }
}

#[test]
fn an_update_is_announced_once_and_a_no_op_or_refusal_not_at_all() {
    let f = fixture();
    let mut events = f.core.subscribe();
    let saved = f
        .core
        .update_settings(|s| {
            s.start_at_login = true;
            Ok(())
        })
        .unwrap();
    match events.try_recv().unwrap() {
        CoreEvent::SettingsChanged { settings } => assert_eq!(settings, saved),
        other => panic!("unexpected {other:?}"),
    }
    f.core.update_settings(|_| Ok(())).unwrap();
    let refused = f
        .core
        .update_settings(|_| Err(CoreError::InvalidInput("no".into())));
    assert!(refused.is_err());
    assert!(events.try_recv().is_err(), "nothing changed, nothing said");
}

#[test]
fn settings_are_read_from_memory_not_from_the_file() {
    let f = fixture();
    f.core
        .update_settings(|s| {
            s.voice_max_minutes = 7;
            Ok(())
        })
        .unwrap();
    std::fs::remove_file(f.core.data_dir().join("settings.json")).unwrap();
    assert_eq!(f.core.settings().unwrap().voice_max_minutes, 7);
}
