//! Whatever the source's rate and channels, the file is 16 kHz mono 16-bit with the same
//! sound and the same length.

use super::support::{event_channel, read_wav, rms, run_tool, tone_frequency, wait_for};
use jotline_core::capture::audio::{
    FileSource, Pacing, Recorder, RecorderConfig, RecorderEvent, SyntheticSource,
    OUTPUT_SAMPLE_RATE,
};
use std::path::Path;
use std::time::Duration;

fn assert_tone_survives(sample_rate: u32) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = RecorderConfig::new(dir.path(), format!("tone-{sample_rate}"));
    config.max_duration = Duration::from_secs(2);
    let source = SyntheticSource::tone(sample_rate, 2, Pacing::AsFastAsConsumed);
    let (on_event, events) = event_channel();
    let recording = Recorder::start(Box::new(source), config, on_event).unwrap();
    wait_for(&events, Duration::from_secs(30), |e| {
        *e == RecorderEvent::MaxLengthReached
    });
    let finished = recording.stop().unwrap();
    assert_eq!(finished.duration_ms, 2000);

    let (spec, samples) = read_wav(&finished.path);
    assert_eq!(
        (spec.sample_rate, spec.channels, spec.bits_per_sample),
        (16_000, 1, 16)
    );
    assert_eq!(samples.len(), 32_000);
    assert_eq!(
        finished.bytes,
        std::fs::metadata(&finished.path).unwrap().len()
    );
    let frequency = tone_frequency(&samples[1600..30_400], OUTPUT_SAMPLE_RATE);
    assert!(
        (frequency - 1000.0).abs() < 10.0,
        "{sample_rate} Hz source: measured {frequency} Hz"
    );
    // A 0.5 amplitude tone keeps its level through downmix and resampling.
    assert!((rms(&samples[1600..30_400]) - 0.354).abs() < 0.02);
}

#[test]
fn tone_at_44_1_khz_stereo_becomes_16_khz_mono_at_1_khz() {
    assert_tone_survives(44_100);
}

#[test]
fn tone_at_48_khz_stereo_becomes_16_khz_mono_at_1_khz() {
    assert_tone_survives(48_000);
}

/// Plays `input` through a FileSource into a recording; returns (input ms, output samples).
fn record_file(input: &Path, dir: &Path) -> (u64, Vec<f32>) {
    let source = FileSource::open(input, Pacing::AsFastAsConsumed).unwrap();
    let input_ms = source.duration_ms();
    let (on_event, events) = event_channel();
    let recording = Recorder::start(
        Box::new(source),
        RecorderConfig::new(dir, "from-file"),
        on_event,
    )
    .unwrap();
    wait_for(&events, Duration::from_secs(30), |e| {
        *e == RecorderEvent::SourceEnded
    });
    let finished = recording.stop().unwrap();
    let (spec, samples) = read_wav(&finished.path);
    assert_eq!((spec.sample_rate, spec.channels), (16_000, 1));
    assert!(
        finished.duration_ms.abs_diff(input_ms) <= 1,
        "input {input_ms} ms, recorded {} ms",
        finished.duration_ms
    );
    (input_ms, samples)
}

#[test]
fn sox_tone_file_keeps_its_length_and_pitch() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("tone.wav");
    let input_arg = input.to_str().unwrap();
    run_tool(
        "sox",
        &[
            "-n", "-r", "44100", "-c", "2", input_arg, "synth", "3", "sine", "1000",
        ],
    );
    let (input_ms, samples) = record_file(&input, &dir.path().join("audio"));
    assert_eq!(input_ms, 3000);
    assert!(
        samples.len().abs_diff(48_000) <= 1,
        "{} samples",
        samples.len()
    );
    let frequency = tone_frequency(&samples[1600..46_400], OUTPUT_SAMPLE_RATE);
    assert!((frequency - 1000.0).abs() < 10.0, "measured {frequency} Hz");
}

#[test]
fn spoken_sentence_keeps_its_length_and_is_audible() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("speech.wav");
    run_tool(
        "espeak-ng",
        &[
            "-w",
            input.to_str().unwrap(),
            "Remember to call the plumber about the kitchen sink on Thursday.",
        ],
    );
    let (input_ms, samples) = record_file(&input, &dir.path().join("audio"));
    assert!(input_ms > 2000, "espeak made only {input_ms} ms");
    let expected = input_ms as usize * 16;
    assert!(
        samples.len().abs_diff(expected) <= 16,
        "{} samples",
        samples.len()
    );
    assert!(rms(&samples) > 0.02, "speech came out silent");
}
