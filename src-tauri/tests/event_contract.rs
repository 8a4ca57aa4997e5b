//! The UI and the core agree on every event and error code: `ui/src/lib/api.ts` subscribes
//! to each `CoreEvent` under the name the shell emits it with, reads it as the variant whose
//! `type` the Rust enum serialises, and knows every `ErrorCode`.

use jotline_core::types::{
    ApiError, AppStatus, CoreEvent, ErrorCode, HotkeyStatus, RecordingStatus, Settings, SyncState,
};
use jotline_shell::windows::CAPTURE_SHOWN_EVENT;
use std::path::PathBuf;

fn api_ts() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/api.ts");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One value of every variant; the `match` stops compiling when a variant is added.
fn every_event() -> Vec<CoreEvent> {
    let status = AppStatus {
        entry_count: 0,
        pending_ops: 0,
        failed_ops: 0,
        sync: SyncState::LocalOnly,
        journal_damage: None,
        devices: None,
    };
    let recording = RecordingStatus {
        capture_id: uuid::Uuid::nil(),
        active: false,
        elapsed_ms: 0,
        rms: 0.0,
        peak: 0.0,
        silent: false,
        notice: None,
    };
    let events = vec![
        CoreEvent::EntriesChanged { ids: vec![] },
        CoreEvent::StatusChanged { status },
        CoreEvent::CloudUpdated { entries_updated: 1 },
        CoreEvent::RecordingChanged { status: recording },
        CoreEvent::RecordingFailed {
            error: ApiError::internal("x"),
        },
        CoreEvent::SettingsChanged {
            settings: Settings::default(),
        },
        CoreEvent::HotkeyChanged {
            status: HotkeyStatus {
                hotkey: String::new(),
                registered: false,
                error: None,
            },
        },
        CoreEvent::ReceiptsChanged,
    ];
    for event in &events {
        match event {
            CoreEvent::EntriesChanged { .. }
            | CoreEvent::StatusChanged { .. }
            | CoreEvent::CloudUpdated { .. }
            | CoreEvent::RecordingChanged { .. }
            | CoreEvent::RecordingFailed { .. }
            | CoreEvent::SettingsChanged { .. }
            | CoreEvent::HotkeyChanged { .. }
            | CoreEvent::ReceiptsChanged => {}
        }
    }
    events
}

/// `(variant type, event name)` of each `subscribe<EventOf<'type'>>('name'` in api.ts, with
/// the two aliases it uses for the commonest ones.
fn subscriptions(source: &str) -> Vec<(String, String)> {
    let source = source
        .replace(
            "subscribe<EntriesChanged>",
            "subscribe<EventOf<'entriesChanged'>>",
        )
        .replace(
            "subscribe<StatusChanged>",
            "subscribe<EventOf<'statusChanged'>>",
        );
    let mut found = Vec::new();
    for (i, _) in source.match_indices("subscribe<") {
        let rest = &source[i + "subscribe<".len()..];
        let (kind, rest) = match rest.strip_prefix("EventOf<'") {
            Some(r) => {
                let end = r.find('\'').unwrap();
                (r[..end].to_owned(), &r[end..])
            }
            None => (String::new(), rest),
        };
        let Some(open) = rest.find(">('") else {
            continue;
        };
        let name = &rest[open + 3..];
        found.push((kind, name[..name.find('\'').unwrap()].to_owned()));
    }
    found
}

#[test]
fn api_ts_hears_every_core_event_under_its_name_and_type() {
    let subscribed = subscriptions(&api_ts());
    let events = every_event();
    assert_eq!(
        events.iter().map(CoreEvent::name).collect::<Vec<_>>(),
        CoreEvent::NAMES,
        "NAMES lists every variant's name, in order"
    );
    for event in &events {
        let kind = serde_json::to_value(event).unwrap()["type"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            subscribed.contains(&(kind.clone(), event.name().to_owned())),
            "api.ts does not read {kind} from '{}': {subscribed:?}",
            event.name()
        );
    }
    for (kind, name) in &subscribed {
        if name == CAPTURE_SHOWN_EVENT {
            assert!(
                kind.is_empty(),
                "capture-shown is the shell's own, with no payload"
            );
            continue;
        }
        assert!(
            CoreEvent::NAMES.contains(&name.as_str()),
            "api.ts listens to '{name}', which nothing emits"
        );
    }
}

fn every_error_code() -> Vec<ErrorCode> {
    use ErrorCode::*;
    let codes = vec![
        NotFound,
        InvalidInput,
        EmptyCapture,
        TooLarge,
        DatabaseLocked,
        DatabaseCorrupt,
        DatabaseTooNew,
        Storage,
        InvalidCredentials,
        Network,
        Backend,
        Keyring,
        PendingChangesOfOtherUser,
        AudioDevice,
        Internal,
    ];
    for code in &codes {
        match code {
            NotFound
            | InvalidInput
            | EmptyCapture
            | TooLarge
            | DatabaseLocked
            | DatabaseCorrupt
            | DatabaseTooNew
            | Storage
            | InvalidCredentials
            | Network
            | Backend
            | Keyring
            | PendingChangesOfOtherUser
            | AudioDevice
            | Internal => {}
        }
    }
    codes
}

#[test]
fn api_ts_error_codes_are_exactly_the_rust_ones() {
    let source = api_ts();
    let start = source
        .find("const ERROR_CODES")
        .expect("ERROR_CODES in api.ts");
    let list = &source[start..];
    let list = &list[list.find("= [").unwrap() + 3..list.find("];").unwrap()];
    let in_ts: Vec<String> = list
        .split(',')
        .map(|s| s.trim().trim_matches('\'').to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    let in_rust: Vec<String> = every_error_code()
        .iter()
        .map(|c| {
            serde_json::to_value(c)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(in_ts, in_rust);
}
