use super::{exported, live_entries};
use crate::common::fixture;
use jotline_core::capture::voice::VoiceRecording;
use jotline_core::export::{read_json, read_markdown};
use jotline_core::{ExportFormat, Surface};

/// A saved voice memo whose "recording" is `bytes`; returns (entry id, capture id).
fn voice_memo(f: &crate::common::Fixture, bytes: &[u8], ms: i64) -> (uuid::Uuid, uuid::Uuid) {
    let (capture_id, path) = f.core.new_voice_file().unwrap();
    std::fs::write(&path, bytes).unwrap();
    let saved = f
        .core
        .save_voice_capture(VoiceRecording {
            capture_id,
            duration_ms: ms,
            surface: Surface::DesktopHotkey,
        })
        .unwrap();
    (saved.entry.id, capture_id)
}

#[test]
fn a_voice_memo_is_copied_linked_and_counted() {
    let f = fixture();
    f.core
        .capture_text("typed the same day", Surface::InApp)
        .unwrap();
    f.clock.advance(chrono::Duration::seconds(5));
    let wav = b"RIFF not really a wav, but the bytes must match".to_vec();
    let (entry, capture) = voice_memo(&f, &wav, 42_400);
    let dir = f.dir.path().join("export");

    let summary = f
        .core
        .export_journal_in(ExportFormat::Markdown, &dir, &chrono::Utc)
        .unwrap();

    let copy = format!("audio/{capture}.wav");
    assert_eq!(std::fs::read(dir.join(&copy)).unwrap(), wav);
    assert_eq!(
        (summary.entries, summary.files),
        (2, 2),
        "one day file, one recording"
    );
    let day = std::fs::read_to_string(dir.join("2026-03-14.md")).unwrap();
    assert!(
        day.contains(&format!("[Voice memo, 0:42]({copy})\n\n")),
        "{day}"
    );
    let expected: Vec<_> = live_entries(&f)
        .iter()
        .map(|e| exported(e, (e.id == entry).then(|| copy.clone())))
        .collect();
    assert_eq!(read_markdown(&dir).unwrap(), expected);
    assert_eq!(
        expected[1].body, "",
        "a memo not transcribed yet has an empty body"
    );

    let summary = f.core.export_journal(ExportFormat::Json, &dir).unwrap();
    assert_eq!(
        (summary.entries, summary.files),
        (2, 2),
        "the JSON file, one recording"
    );
    let read = read_json(&dir).unwrap();
    assert_eq!(read, live_entries(&f));
    let voice = read[1].voice.as_ref().expect("voice metadata in the JSON");
    assert_eq!(
        (voice.capture_id, voice.duration_ms),
        (capture, Some(42_400))
    );
}

#[test]
fn a_memo_whose_recording_is_not_here_is_noted_but_not_copied() {
    let f = fixture();
    let (_, capture) = voice_memo(&f, b"wav", 61_000);
    std::fs::remove_file(f.core.audio_dir().join(format!("{capture}.wav"))).unwrap();
    let dir = f.dir.path().join("export");

    let summary = f
        .core
        .export_journal_in(ExportFormat::Markdown, &dir, &chrono::Utc)
        .unwrap();

    assert_eq!((summary.entries, summary.files), (1, 1));
    assert!(!dir.join("audio").exists());
    let day = std::fs::read_to_string(dir.join("2026-03-14.md")).unwrap();
    assert!(
        day.contains("*Voice memo, 1:01 (the recording is not on this computer)*\n\n"),
        "{day}"
    );
    assert_eq!(read_markdown(&dir).unwrap()[0].audio, None);
}
