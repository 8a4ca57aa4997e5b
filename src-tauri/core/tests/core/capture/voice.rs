//! Voice captures in the journal: saving a recording, rescuing unfinished ones at start-up,
//! and deleting a spoken entry.

use crate::common::{fixture, Fixture};
use jotline_core::capture::voice::VoiceRecording;
use jotline_core::{CaptureSaved, CaptureStatus, CoreEvent, Surface};
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

/// A saved 250 ms voice memo: a pending capture with its entry.
pub fn record(f: &Fixture) -> CaptureSaved {
    let (id, path) = f.core.new_voice_file().unwrap();
    write_wav(&path, 250);
    f.core
        .save_voice_capture(VoiceRecording {
            capture_id: id,
            duration_ms: 250,
            surface: Surface::DesktopHotkey,
        })
        .unwrap()
}

/// A 16 kHz mono WAV of `ms` milliseconds of a tone.
pub fn write_wav(path: &Path, ms: u32) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(16 * ms) {
        let t = f64::from(i) / 16_000.0;
        w.write_sample(((t * 440.0 * std::f64::consts::TAU).sin() * 8_000.0) as i16)
            .unwrap();
    }
    w.finalize().unwrap();
}

/// What a kill -9 leaves: the header still says the data is empty.
fn break_header(path: &Path) {
    let mut f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    f.seek(SeekFrom::Start(4)).unwrap();
    f.write_all(&36u32.to_le_bytes()).unwrap();
    f.seek(SeekFrom::Start(40)).unwrap();
    f.write_all(&0u32.to_le_bytes()).unwrap();
}

#[test]
fn a_saved_recording_is_a_pending_capture_with_an_entry_in_the_timeline() {
    let f = fixture();
    let mut events = f.core.subscribe();
    let (id, path) = f.core.new_voice_file().unwrap();
    assert_eq!(path, f.core.audio_dir().join(format!("{id}.wav")));
    write_wav(&path, 1_500);
    let saved = f
        .core
        .save_voice_capture(VoiceRecording {
            capture_id: id,
            duration_ms: 1_500,
            surface: Surface::DesktopHotkey,
        })
        .unwrap();
    assert_eq!(saved.capture_id, id);
    let voice = saved.entry.voice.clone().expect("voice memo");
    assert_eq!(voice.status, CaptureStatus::Pending);
    assert_eq!(voice.duration_ms, Some(1_500));
    assert!(!voice.recovered);
    assert_eq!(voice.audio_file.as_deref(), Some(path.to_str().unwrap()));
    let page = f.core.timeline_page(None, 10).unwrap();
    assert_eq!(page.entries[0].id, saved.entry.id);
    assert_eq!(page.entries[0].voice, Some(voice));
    assert_eq!(
        f.count("SELECT count(*) FROM outbox WHERE table_name IN ('entries', 'pending_captures')"),
        2,
        "entry and capture are queued for sync"
    );
    assert!(matches!(
        events.try_recv().unwrap(),
        CoreEvent::EntriesChanged { ids } if ids == vec![saved.entry.id]
    ));
}

#[test]
fn start_up_rescues_an_unfinished_recording_as_a_recovered_capture_once() {
    let f = fixture();
    // A finished one must be left alone.
    let (done, done_path) = f.core.new_voice_file().unwrap();
    write_wav(&done_path, 500);
    f.core
        .save_voice_capture(VoiceRecording {
            capture_id: done,
            duration_ms: 500,
            surface: Surface::InApp,
        })
        .unwrap();
    let (_, cut_path) = f.core.new_voice_file().unwrap();
    write_wav(&cut_path, 2_000);
    break_header(&cut_path);

    let rescued = f.core.recover_voice_captures().unwrap();
    assert_eq!(rescued.len(), 1);
    let voice = rescued[0].entry.voice.clone().unwrap();
    assert!(voice.recovered);
    assert_eq!(voice.status, CaptureStatus::Pending);
    assert!(
        (1_990..=2_000).contains(&voice.duration_ms.unwrap()),
        "{:?}",
        voice.duration_ms
    );
    let reader = hound::WavReader::open(&cut_path).expect("the header was repaired");
    assert_eq!(reader.duration(), 32_000);
    assert!(
        f.core.recover_voice_captures().unwrap().is_empty(),
        "only once"
    );
    assert!(done_path.exists() && cut_path.exists(), "nothing deleted");
    let context: String = f
        .db()
        .query_row(
            "SELECT context FROM pending_captures WHERE recovered = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(context, r#"{"recovered":true}"#, "other devices see it too");
}

#[test]
fn deleting_a_spoken_entry_tombstones_its_capture_and_keeps_the_audio() {
    let f = fixture();
    let (id, path) = f.core.new_voice_file().unwrap();
    write_wav(&path, 300);
    let saved = f
        .core
        .save_voice_capture(VoiceRecording {
            capture_id: id,
            duration_ms: 300,
            surface: Surface::DesktopHotkey,
        })
        .unwrap();
    f.core.delete_entry(saved.entry.id).unwrap();
    assert_eq!(
        f.count("SELECT count(*) FROM pending_captures WHERE deleted_at IS NOT NULL"),
        1
    );
    assert_eq!(
        f.count(
            "SELECT count(*) FROM outbox WHERE table_name = 'pending_captures' AND op = 'delete'"
        ),
        1
    );
    assert!(path.exists());
    assert!(f.core.recover_voice_captures().unwrap().is_empty());
}
