//! The recorder's lifecycle and events.

use super::support::{collect_until, drain, event_channel, read_wav, tone_frequency, wait_for};
use jotline_core::capture::audio::{
    Pacing, Recorder, RecorderConfig, RecorderEvent, Signal, SourceFormat, SyntheticSource,
    OUTPUT_SAMPLE_RATE,
};
use std::time::Duration;

fn real_time_tone() -> Box<SyntheticSource> {
    Box::new(SyntheticSource::tone(48_000, 2, Pacing::RealTime))
}

#[test]
fn stop_finalizes_and_reports_the_duration() {
    let dir = tempfile::tempdir().unwrap();
    let (on_event, events) = event_channel();
    let recording = Recorder::start(
        real_time_tone(),
        RecorderConfig::new(dir.path(), "memo"),
        on_event,
    )
    .unwrap();
    assert_eq!(recording.path(), dir.path().join("memo.wav"));
    wait_for(
        &events,
        Duration::from_secs(5),
        |e| matches!(e, RecorderEvent::Elapsed { ms } if *ms >= 1000),
    );
    let finished = recording.stop().unwrap();
    assert!((1000..1500).contains(&finished.duration_ms), "{finished:?}");
    let (_, samples) = read_wav(&finished.path);
    assert_eq!(samples.len() as u64, finished.duration_ms * 16);
    assert_eq!(finished.bytes, 44 + 2 * samples.len() as u64);
}

#[test]
fn cancel_deletes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (on_event, events) = event_channel();
    let recording = Recorder::start(
        real_time_tone(),
        RecorderConfig::new(dir.path(), "oops"),
        on_event,
    )
    .unwrap();
    wait_for(&events, Duration::from_secs(5), |e| {
        *e == RecorderEvent::FirstSampleWritten
    });
    let path = recording.path().to_path_buf();
    assert!(path.exists());
    recording.cancel().unwrap();
    assert!(!path.exists());
}

#[test]
fn starting_over_an_existing_recording_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("taken.wav"), b"somebody's audio").unwrap();
    let (on_event, _events) = event_channel();
    let refused = Recorder::start(
        real_time_tone(),
        RecorderConfig::new(dir.path(), "taken"),
        on_event,
    );
    assert!(refused.is_err());
    assert_eq!(
        std::fs::read(dir.path().join("taken.wav")).unwrap(),
        b"somebody's audio"
    );
}

#[test]
fn silence_warning_fires_once_for_a_silent_source() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = RecorderConfig::new(dir.path(), "hush");
    config.silence_warning_after = Duration::from_millis(300);
    config.max_duration = Duration::from_secs(2);
    let silence = SyntheticSource::new(
        SourceFormat {
            sample_rate: 48_000,
            channels: 1,
        },
        Signal::Silence,
        Pacing::AsFastAsConsumed,
    );
    let (on_event, events) = event_channel();
    let recording = Recorder::start(Box::new(silence), config, on_event).unwrap();
    let mut all = collect_until(&events, Duration::from_secs(30), |e| {
        *e == RecorderEvent::MaxLengthReached
    });
    recording.stop().unwrap();
    all.extend(drain(&events).into_iter().map(|(_, e)| e));
    let warnings = all
        .iter()
        .filter(|e| **e == RecorderEvent::SilenceWarning)
        .count();
    assert_eq!(warnings, 1, "{all:?}");
}

#[test]
fn a_tone_never_triggers_the_silence_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = RecorderConfig::new(dir.path(), "loud");
    config.silence_warning_after = Duration::from_millis(300);
    config.max_duration = Duration::from_secs(2);
    let tone = SyntheticSource::tone(48_000, 1, Pacing::AsFastAsConsumed);
    let (on_event, events) = event_channel();
    let recording = Recorder::start(Box::new(tone), config, on_event).unwrap();
    let mut all = collect_until(&events, Duration::from_secs(30), |e| {
        *e == RecorderEvent::MaxLengthReached
    });
    recording.stop().unwrap();
    all.extend(drain(&events).into_iter().map(|(_, e)| e));
    assert!(all.iter().all(|e| *e != RecorderEvent::SilenceWarning));
    let levels = all
        .iter()
        .filter(|e| matches!(e, RecorderEvent::Level { peak, .. } if *peak > 0.45))
        .count();
    // 2 s at 50 ms per window, plus at most the last read step (85 ms) past the limit.
    assert!((40..=42).contains(&levels), "{levels} level events");
}

#[test]
fn max_length_ends_the_recording_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = RecorderConfig::new(dir.path(), "long");
    config.max_duration = Duration::from_millis(700);
    let (on_event, events) = event_channel();
    let recording = Recorder::start(real_time_tone(), config, on_event).unwrap();
    wait_for(&events, Duration::from_secs(5), |e| {
        *e == RecorderEvent::MaxLengthReached
    });
    // The writer finalizes on its own; give it a moment to close the file.
    std::thread::sleep(Duration::from_millis(200));
    assert!(recording.has_ended());
    let finished = recording.stop().unwrap();
    assert_eq!(finished.duration_ms, 700);
    assert_eq!(read_wav(&finished.path).1.len(), 700 * 16);
}

#[test]
fn level_events_arrive_about_every_interval() {
    let dir = tempfile::tempdir().unwrap();
    let (on_event, events) = event_channel();
    let recording = Recorder::start(
        real_time_tone(),
        RecorderConfig::new(dir.path(), "meter"),
        on_event,
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let finished = recording.stop().unwrap();
    let levels = drain(&events)
        .into_iter()
        .filter(|(_, e)| matches!(e, RecorderEvent::Level { .. }))
        .count();
    // One level per 50 ms of recorded audio. Counted against the audio's own length, not the
    // wall clock, so a loaded machine cannot make it flaky.
    let expected = usize::try_from(finished.duration_ms / 50).unwrap();
    assert!(
        levels.abs_diff(expected) <= 1,
        "{levels} level events for {} ms of audio",
        finished.duration_ms
    );
    assert!(
        expected >= 10,
        "the tone was recorded ({} ms)",
        finished.duration_ms
    );
}

#[test]
fn lost_device_falls_back_and_keeps_writing_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = RecorderConfig::new(dir.path(), "unplugged");
    config.max_duration = Duration::from_millis(1500);
    let built_in = SyntheticSource::new(
        SourceFormat {
            sample_rate: 44_100,
            channels: 1,
        },
        Signal::Sine {
            frequency_hz: 500.0,
            amplitude: 0.5,
        },
        Pacing::AsFastAsConsumed,
    )
    .named("Built-in microphone");
    let headset = SyntheticSource::tone(48_000, 2, Pacing::AsFastAsConsumed)
        .named("USB headset")
        .losing_device_after(Duration::from_millis(600))
        .with_fallback(built_in);
    let (on_event, events) = event_channel();
    let recording = Recorder::start(Box::new(headset), config, on_event).unwrap();
    let lost = wait_for(&events, Duration::from_secs(30), |e| {
        matches!(e, RecorderEvent::DeviceLost { .. })
    });
    assert_eq!(
        lost,
        RecorderEvent::DeviceLost {
            fell_back_to: Some("Built-in microphone".to_string())
        }
    );
    wait_for(&events, Duration::from_secs(30), |e| {
        *e == RecorderEvent::MaxLengthReached
    });
    let finished = recording.stop().unwrap();
    assert_eq!(finished.path, dir.path().join("unplugged.wav"));
    assert_eq!(finished.duration_ms, 1500);
    let (_, samples) = read_wav(&finished.path);
    // Headset's 1 kHz for the first 600 ms, then the built-in 500 Hz, in one file.
    let before = tone_frequency(&samples[800..9_000], OUTPUT_SAMPLE_RATE);
    let after = tone_frequency(&samples[11_000..23_000], OUTPUT_SAMPLE_RATE);
    assert!(
        (before - 1000.0).abs() < 10.0,
        "before the loss: {before} Hz"
    );
    assert!((after - 500.0).abs() < 5.0, "after the loss: {after} Hz");
}

#[test]
fn lost_device_without_fallback_ends_and_keeps_the_audio() {
    let dir = tempfile::tempdir().unwrap();
    let only_device = SyntheticSource::tone(48_000, 2, Pacing::AsFastAsConsumed)
        .losing_device_after(Duration::from_millis(400));
    let (on_event, events) = event_channel();
    let recording = Recorder::start(
        Box::new(only_device),
        RecorderConfig::new(dir.path(), "gone"),
        on_event,
    )
    .unwrap();
    let lost = wait_for(&events, Duration::from_secs(30), |e| {
        matches!(e, RecorderEvent::DeviceLost { .. })
    });
    assert_eq!(lost, RecorderEvent::DeviceLost { fell_back_to: None });
    let finished = recording.stop().unwrap();
    assert_eq!(finished.duration_ms, 400);
    assert_eq!(read_wav(&finished.path).1.len(), 400 * 16);
}
