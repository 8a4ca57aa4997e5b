//! Helpers: event collection, WAV reading, frequency measurement, test audio made by tools.

use jotline_core::capture::audio::RecorderEvent;
use std::path::Path;
use std::process::Command;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

/// An event sink for `Recorder::start` and the receiving end, with arrival times.
pub fn event_channel() -> (
    impl FnMut(RecorderEvent) + Send + 'static,
    Receiver<(Instant, RecorderEvent)>,
) {
    let (tx, rx): (Sender<(Instant, RecorderEvent)>, _) = mpsc::channel();
    (
        move |event| {
            let _ = tx.send((Instant::now(), event));
        },
        rx,
    )
}

/// Waits for the first event matching `wanted`; panics after `timeout`.
pub fn wait_for(
    events: &Receiver<(Instant, RecorderEvent)>,
    timeout: Duration,
    wanted: impl Fn(&RecorderEvent) -> bool,
) -> RecorderEvent {
    collect_until(events, timeout, wanted).pop().unwrap()
}

/// Every event up to and including the first matching `wanted`; panics after `timeout`.
pub fn collect_until(
    events: &Receiver<(Instant, RecorderEvent)>,
    timeout: Duration,
    wanted: impl Fn(&RecorderEvent) -> bool,
) -> Vec<RecorderEvent> {
    let deadline = Instant::now() + timeout;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok((_, event)) => {
                let done = wanted(&event);
                seen.push(event);
                if done {
                    return seen;
                }
            }
            Err(_) => panic!("no matching recorder event within {timeout:?}"),
        }
    }
}

/// Everything received so far.
pub fn drain(events: &Receiver<(Instant, RecorderEvent)>) -> Vec<(Instant, RecorderEvent)> {
    events.try_iter().collect()
}

/// Samples of a 16-bit WAV as f32, and its spec.
pub fn read_wav(path: &Path) -> (hound::WavSpec, Vec<f32>) {
    let reader = hound::WavReader::open(path).expect("a valid WAV");
    let spec = reader.spec();
    let samples = reader
        .into_samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    (spec, samples)
}

/// Frequency of a clean tone from its rising zero crossings, interpolated between samples.
pub fn tone_frequency(samples: &[f32], sample_rate: u32) -> f64 {
    let crossings: Vec<f64> = samples
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair[0] < 0.0 && pair[1] >= 0.0)
        .map(|(i, pair)| i as f64 + f64::from(pair[0] / (pair[0] - pair[1])))
        .collect();
    assert!(
        crossings.len() > 10,
        "not a tone: {} crossings",
        crossings.len()
    );
    let periods = (crossings.len() - 1) as f64;
    let span = crossings[crossings.len() - 1] - crossings[0];
    periods * f64::from(sample_rate) / span
}

pub fn rms(samples: &[f32]) -> f32 {
    (samples.iter().map(|s| s * s).sum::<f32>() / samples.len().max(1) as f32).sqrt()
}

/// Runs a tool that the install script provides (`scripts/ensure-deps.sh`); a missing tool
/// fails the test.
pub fn run_tool(program: &str, args: &[&str]) {
    let status = Command::new(program)
        .args(args)
        .status()
        .unwrap_or_else(|error| {
            panic!("{program} is required (installed by scripts/ensure-deps.sh): {error}")
        });
    assert!(status.success(), "{program} {args:?} failed: {status}");
}
