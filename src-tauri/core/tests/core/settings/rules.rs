//! The rules every saved setting obeys (`settings::rules`), checked through `update_settings`.

use crate::common::fixture;
use jotline_core::settings::accelerator;
use jotline_core::{CoreError, Settings};

fn refused(f: &crate::common::Fixture, change: impl FnOnce(&mut Settings)) -> String {
    let err = f
        .core
        .update_settings(|s| {
            change(s);
            Ok(())
        })
        .unwrap_err();
    assert!(matches!(err, CoreError::InvalidInput(_)), "{err:?}");
    err.to_string()
}

#[test]
fn hotkeys_are_trimmed_and_need_a_modifier() {
    assert_eq!(
        accelerator::normalize(" Ctrl+Shift+Space ").unwrap(),
        "Ctrl+Shift+Space"
    );
    let garbage = accelerator::normalize("Ctrl+Banana").unwrap_err();
    assert!(matches!(garbage, CoreError::InvalidInput(_)));
    let bare = accelerator::normalize("Space").unwrap_err();
    assert!(bare.to_string().contains("modifier"), "{bare}");

    let f = fixture();
    let saved = f
        .core
        .update_settings(|s| {
            s.capture_hotkey = "  Ctrl+Alt+J ".into();
            Ok(())
        })
        .unwrap();
    assert_eq!(saved.capture_hotkey, "Ctrl+Alt+J");
    assert!(refused(&f, |s| s.voice_hotkey = "R".into()).contains("modifier"));
}

#[test]
fn the_two_hotkeys_must_differ_whichever_changed() {
    let f = fixture();
    let voice = Settings::default().voice_hotkey;
    assert_eq!(
        refused(&f, |s| s.capture_hotkey = voice.clone()),
        format!("{voice} is already the voice hotkey.")
    );
    let capture = Settings::default().capture_hotkey;
    assert_eq!(
        refused(&f, |s| s.voice_hotkey = capture.to_lowercase()),
        "The voice hotkey must differ from the capture hotkey."
    );
    assert!(!f.core.data_dir().join("settings.json").exists());
}

#[test]
fn voice_length_and_transcription_url_are_checked_and_normalised() {
    let f = fixture();
    for minutes in [0, 121] {
        assert!(refused(&f, |s| s.voice_max_minutes = minutes).contains("120 minutes"));
    }
    assert!(refused(&f, |s| s.transcription_url = "ftp://x".into()).contains("http://"));
    let saved = f
        .core
        .update_settings(|s| {
            s.transcription_url = " http://127.0.0.1:8080/ ".into();
            s.transcription_model = "  ".into();
            s.microphone = Some(" ".into());
            s.backend_url = "https://abc.supabase.co/".into();
            s.anon_key = " key ".into();
            Ok(())
        })
        .unwrap();
    assert_eq!(saved.transcription_url, "http://127.0.0.1:8080");
    assert_eq!(saved.transcription_model, "whisper-1");
    assert_eq!(saved.microphone, None);
    assert_eq!(saved.backend_url, "https://abc.supabase.co");
    assert_eq!(saved.anon_key, "key");
}
