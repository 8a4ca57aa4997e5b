//! The recording service without Tauri: synthetic sources instead of a microphone, and the
//! core's event stream as the windows would hear it.

use crate::common::{fixture, Fixture};
use jotline_core::capture::audio::{Pacing, Signal, SourceFormat, SyntheticSource};
use jotline_core::capture::recording::{OpenedSource, SourceOpener};
use jotline_core::capture::RecordingService;
use jotline_core::types::{CaptureStatus, CoreEvent, ErrorCode, RecordingStatus, Surface};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

const FORMAT: SourceFormat = SourceFormat {
    sample_rate: 16_000,
    channels: 1,
};

/// A source delivering `signal` as fast as the recorder takes it (a minute in well under a
/// second), with `notice` as the opener's message.
fn opener(signal: Signal, notice: Option<&str>) -> SourceOpener {
    let notice = notice.map(str::to_owned);
    Arc::new(move |_| -> Result<OpenedSource, _> {
        let source = SyntheticSource::new(FORMAT, signal, Pacing::AsFastAsConsumed);
        Ok((Box::new(source), notice.clone()))
    })
}

fn tone() -> Signal {
    Signal::Sine {
        frequency_hz: 440.0,
        amplitude: 0.5,
    }
}

/// The next recording status published, skipping other events.
async fn next_status(events: &mut broadcast::Receiver<CoreEvent>) -> RecordingStatus {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(30), events.recv())
            .await
            .expect("a recording event");
        match event {
            Ok(CoreEvent::RecordingChanged { status }) => return status,
            // A source faster than real time outruns the test, as a slow window would:
            // the newest statuses are kept.
            Err(broadcast::error::RecvError::Lagged(_)) | Ok(_) => {}
            Err(broadcast::error::RecvError::Closed) => panic!("the event stream closed"),
        }
    }
}

async fn until_status(
    events: &mut broadcast::Receiver<CoreEvent>,
    what: impl Fn(&RecordingStatus) -> bool,
) -> RecordingStatus {
    loop {
        let status = next_status(events).await;
        if what(&status) {
            return status;
        }
    }
}

fn one_minute_max(f: &Fixture) {
    f.core
        .update_settings(|s| {
            s.voice_max_minutes = 1;
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn a_recording_that_reaches_its_maximum_length_is_saved_by_itself() {
    let f = fixture();
    one_minute_max(&f);
    let recording = RecordingService::new(f.core.clone(), opener(tone(), None));
    let mut events = f.core.subscribe();
    let id = recording.start(Surface::DesktopHotkey).unwrap();

    let done = until_status(&mut events, |s| !s.active).await;
    assert_eq!(done.capture_id, id);
    assert_eq!(
        done.notice.as_deref(),
        Some("The recording reached its maximum length and stopped.")
    );
    assert!(done.elapsed_ms >= 59_000, "{done:?}");
    assert!(!recording.is_recording());
    assert_eq!(recording.recording(), None);

    let page = f.core.timeline_page(None, 10).unwrap();
    let voice = page.entries[0].voice.as_ref().expect("a voice entry");
    assert_eq!(voice.capture_id, id);
    assert_eq!(voice.status, CaptureStatus::Pending);
    assert_eq!(voice.duration_ms, Some(60_000));
    let err = recording.stop().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput, "already saved");
}

#[tokio::test]
async fn silence_is_told_and_sound_clears_it_on_the_same_threshold() {
    let f = fixture();
    let recording = RecordingService::new(f.core.clone(), opener(Signal::Silence, None));
    let mut events = f.core.subscribe();
    recording.start(Surface::DesktopHotkey).unwrap();
    let silent = until_status(&mut events, |s| s.silent).await;
    assert!(silent.active && silent.rms < 0.003, "{silent:?}");
    let saved = recording.stop().await.unwrap();
    assert!(saved.entry.voice.is_some());
    let done = until_status(&mut events, |s| !s.active).await;
    assert!(!done.silent);
}

#[tokio::test]
async fn the_opener_notice_is_shown_for_the_whole_recording() {
    let f = fixture();
    let notice = "USB mic is not available; recording from the default microphone.";
    let recording = RecordingService::new(f.core.clone(), opener(tone(), Some(notice)));
    let mut events = f.core.subscribe();
    recording.start(Surface::DesktopHotkey).unwrap();
    let first = next_status(&mut events).await;
    assert!(first.active);
    assert_eq!(first.notice.as_deref(), Some(notice));
    let loud = until_status(&mut events, |s| s.rms > 0.1).await;
    assert!(!loud.silent);
    recording.stop().await.unwrap();
    let done = until_status(&mut events, |s| !s.active).await;
    assert_eq!(done.notice.as_deref(), Some(notice));
}

#[tokio::test]
async fn cancel_deletes_the_recording_and_saves_nothing() {
    let f = fixture();
    let recording = RecordingService::new(f.core.clone(), opener(tone(), None));
    let mut events = f.core.subscribe();
    let id = recording.start(Surface::DesktopHotkey).unwrap();
    assert_eq!(
        recording.start(Surface::DesktopHotkey).unwrap(),
        id,
        "one recording at a time"
    );
    let path = f.core.audio_dir().join(format!("{id}.wav"));
    until_status(&mut events, |s| s.elapsed_ms > 0).await;
    assert!(path.exists());

    recording.cancel().await.unwrap();
    assert!(!path.exists(), "Esc deletes the recording");
    assert!(!recording.is_recording());
    assert_eq!(f.core.status().unwrap().entry_count, 0);
    let done = until_status(&mut events, |s| !s.active).await;
    assert_eq!(done.capture_id, id);
    recording.cancel().await.unwrap();
}

#[tokio::test]
async fn a_source_that_cannot_open_is_reported_to_the_windows_for_a_hotkey() {
    let f = fixture();
    let broken: SourceOpener =
        Arc::new(|_| Err(jotline_core::capture::audio::AudioError::NoInputDevice));
    let recording = RecordingService::new(f.core.clone(), broken);
    let mut events = f.core.subscribe();
    let err = recording
        .start_or_report(Surface::DesktopHotkey)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AudioDevice);
    assert!(err.message.contains("microphone"), "{}", err.message);
    let told = loop {
        if let CoreEvent::RecordingFailed { error } = events.recv().await.unwrap() {
            break error;
        }
    };
    assert_eq!(told, err);
    assert_eq!(recording.recording(), None);
    assert_eq!(
        std::fs::read_dir(f.core.audio_dir()).map_or(0, |d| d.count()),
        0
    );
}
