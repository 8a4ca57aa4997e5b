use crate::common::fixture;
use jotline_core::{CoreError, Settings, VoiceMode};

#[test]
fn missing_file_gives_defaults_and_save_round_trips() {
    let f = fixture();
    assert_eq!(f.core.settings().unwrap(), Settings::default());
    let s = Settings {
        capture_hotkey: "Alt+J".into(),
        backend_url: "https://abc.supabase.co".into(),
        anon_key: "eyJhbGciOi.public.anon".into(),
        sync_interval_minutes: 15,
        device_name: "Desk".into(),
        voice_hotkey: "Alt+R".into(),
        voice_mode: VoiceMode::PushToTalk,
        voice_max_minutes: 3,
        microphone: Some("USB Mic".into()),
        transcription_url: "http://127.0.0.1:8080".into(),
        transcription_model: "base.en".into(),
        start_at_login: true,
        welcome_done: true,
    };
    f.core
        .update_settings(|now| {
            *now = s.clone();
            Ok(())
        })
        .unwrap();
    assert_eq!(f.core.settings().unwrap(), s);
    assert_eq!(f.reopen().settings().unwrap(), s);
    let raw = std::fs::read_to_string(f.core.data_dir().join("settings.json")).unwrap();
    assert!(raw.contains("\"captureHotkey\": \"Alt+J\""), "{raw}");
    assert!(raw.contains("\"syncIntervalMinutes\": 15"), "{raw}");
    assert!(raw.contains("\"voiceMode\": \"pushToTalk\""), "{raw}");
    assert!(raw.contains("\"startAtLogin\": true"), "{raw}");
    assert!(raw.contains("\"welcomeDone\": true"), "{raw}");
}

#[test]
fn settings_of_an_older_version_get_the_voice_defaults() {
    let f = fixture();
    std::fs::write(
        f.core.data_dir().join("settings.json"),
        r#"{"captureHotkey": "Alt+J", "syncIntervalMinutes": 7}"#,
    )
    .unwrap();
    let s = f.reopen().settings().unwrap();
    assert_eq!(s.capture_hotkey, "Alt+J");
    assert_eq!(s.voice_hotkey, "Ctrl+Shift+R");
    assert_eq!(s.voice_mode, VoiceMode::Toggle);
    assert_eq!(s.voice_max_minutes, 10);
    assert_eq!(s.microphone, None);
}

#[test]
fn settings_without_the_login_and_welcome_fields_load_with_both_off() {
    let f = fixture();
    // A settings.json as the version before these fields wrote it.
    std::fs::write(
        f.core.data_dir().join("settings.json"),
        r#"{
  "captureHotkey": "Alt+J",
  "backendUrl": "",
  "anonKey": "",
  "syncIntervalMinutes": 7,
  "voiceHotkey": "Alt+R",
  "voiceMode": "toggle",
  "voiceMaxMinutes": 10,
  "microphone": null,
  "transcriptionUrl": "",
  "transcriptionModel": "whisper-1"
}"#,
    )
    .unwrap();
    let s = f.reopen().settings().unwrap();
    assert_eq!(s.sync_interval_minutes, 7);
    assert!(
        !s.start_at_login,
        "Jotline does not start at login unless asked"
    );
    assert!(!s.welcome_done, "the welcome shows on the first run");
}

#[test]
fn login_start_and_welcome_default_to_off() {
    let s = Settings::default();
    assert!(!s.start_at_login);
    assert!(!s.welcome_done);
}

#[test]
fn partial_file_fills_in_defaults() {
    let f = fixture();
    std::fs::write(f.core.data_dir().join("settings.json"), "{}").unwrap();
    assert_eq!(f.reopen().settings().unwrap(), Settings::default());
}

#[test]
fn malformed_file_is_reported_with_its_name_and_not_overwritten() {
    let f = fixture();
    let path = f.core.data_dir().join("settings.json");
    std::fs::write(&path, "{ not json").unwrap();
    let core = f.reopen();
    let err = core.settings().unwrap_err();
    assert!(
        matches!(&err, CoreError::InvalidInput(m) if m.contains("settings.json")),
        "{err:?}"
    );
    let api: jotline_core::ApiError = err.into();
    assert!(api.message.contains(&path.display().to_string()));
    // An update is refused with the same reason instead of replacing the user's file.
    let refused = core
        .update_settings(|s| {
            s.welcome_done = true;
            Ok(())
        })
        .unwrap_err();
    assert!(refused.to_string().contains("settings.json"), "{refused}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "{ not json");
}

#[test]
fn empty_hotkey_is_rejected() {
    let f = fixture();
    let err = f
        .core
        .update_settings(|s| {
            s.capture_hotkey = " ".into();
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(err, CoreError::InvalidInput(_)));
    assert!(!f.core.data_dir().join("settings.json").exists());
}

#[test]
fn sync_defaults_are_local_only_every_five_minutes() {
    let s = Settings::default();
    assert_eq!(s.sync_interval_minutes, 5);
    assert!(!s.backend_configured());
}

#[test]
fn bad_backend_url_and_interval_are_rejected() {
    let f = fixture();
    for bad in [
        Settings {
            backend_url: "ftp://x".into(),
            ..Settings::default()
        },
        Settings {
            backend_url: "https://a b".into(),
            ..Settings::default()
        },
        Settings {
            sync_interval_minutes: 0,
            ..Settings::default()
        },
        Settings {
            sync_interval_minutes: 100_000,
            ..Settings::default()
        },
    ] {
        let err = f
            .core
            .update_settings(|s| {
                *s = bad.clone();
                Ok(())
            })
            .unwrap_err();
        assert!(
            matches!(err, CoreError::InvalidInput(_)),
            "{bad:?}: {err:?}"
        );
    }
    assert!(!f.core.data_dir().join("settings.json").exists());
}
