//! Voice recording benchmarks. Prints `METRIC <name> <value> <unit>` lines.
//!
//! Run: `cargo bench -p jotline-core --bench voice`. The "microphone" is a real-time synthetic
//! 48 kHz stereo tone; its generator thread is counted in the CPU figure, as a driver would be.

use jotline_core::capture::audio::{
    Pacing, Recorder, RecorderConfig, RecorderEvent, SyntheticSource,
};
use jotline_core::capture::voice::VoiceRecording;
use jotline_core::{Core, CoreConfig, Surface, SystemClock};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

const LATENCY_RUNS: usize = 9;
const CPU_SECONDS: u64 = 10;

fn metric(name: &str, value: f64, unit: &str) {
    println!("METRIC {name} {value:.3} {unit}");
}

fn microphone(pacing: Pacing) -> Box<SyntheticSource> {
    Box::new(SyntheticSource::tone(48_000, 2, pacing))
}

/// From `Recorder::start` (what the hotkey calls) to the first sample in the file.
fn hotkey_to_first_sample_ms(dir: &std::path::Path) -> f64 {
    let mut samples = Vec::with_capacity(LATENCY_RUNS);
    for run in 0..LATENCY_RUNS {
        let (tx, rx) = mpsc::channel();
        let started = Instant::now();
        let recording = Recorder::start(
            microphone(Pacing::RealTime),
            RecorderConfig::new(dir, format!("latency-{run}")),
            move |event| {
                if event == RecorderEvent::FirstSampleWritten {
                    let _ = tx.send(Instant::now());
                }
            },
        )
        .expect("start");
        let first = rx
            .recv_timeout(Duration::from_secs(5))
            .expect("first sample");
        samples.push((first - started).as_secs_f64() * 1000.0);
        recording.stop().expect("stop");
    }
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// User + system CPU time of this process, from /proc/self/stat (Linux).
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
    let after_name = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / clock_ticks_per_second())
}

fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

fn recording_cpu_pct(dir: &std::path::Path) -> f64 {
    let recording = Recorder::start(
        microphone(Pacing::RealTime),
        RecorderConfig::new(dir, "cpu"),
        |_| {},
    )
    .expect("start");
    let cpu_before = process_cpu();
    let wall = Instant::now();
    std::thread::sleep(Duration::from_secs(CPU_SECONDS));
    let cpu = process_cpu() - cpu_before;
    let elapsed = wall.elapsed();
    recording.stop().expect("stop");
    cpu.as_secs_f64() / elapsed.as_secs_f64() * 100.0
}

/// Size of a one-minute recording (made faster than real time).
fn bytes_per_minute(dir: &std::path::Path) -> f64 {
    let mut config = RecorderConfig::new(dir, "minute");
    config.max_duration = Duration::from_secs(60);
    let (tx, rx) = mpsc::channel();
    let recording = Recorder::start(microphone(Pacing::AsFastAsConsumed), config, move |event| {
        if event == RecorderEvent::MaxLengthReached {
            let _ = tx.send(());
        }
    })
    .expect("start");
    rx.recv_timeout(Duration::from_secs(120)).expect("a minute");
    recording.stop().expect("stop").bytes as f64
}

/// From Stop to the capture row committed (fsync'd): finishing the WAV, then the capture and
/// its entry in one transaction. Median over a few 2-second real-time recordings into a
/// journal that already holds some memos.
fn stop_to_commit_ms(dir: &std::path::Path) -> f64 {
    let core = Core::open(CoreConfig {
        data_dir: dir.to_path_buf(),
        clock: Arc::new(SystemClock),
    })
    .expect("journal");
    let mut samples = Vec::with_capacity(LATENCY_RUNS);
    for _ in 0..LATENCY_RUNS {
        let (capture_id, _) = core.new_voice_file().expect("file");
        let recording = Recorder::start(
            microphone(Pacing::RealTime),
            RecorderConfig::new(core.audio_dir(), capture_id.to_string()),
            |_| {},
        )
        .expect("start");
        std::thread::sleep(Duration::from_secs(2));
        let stopped = Instant::now();
        let finished = recording.stop().expect("stop");
        core.save_voice_capture(VoiceRecording {
            capture_id,
            duration_ms: i64::try_from(finished.duration_ms).expect("ms"),
            surface: Surface::DesktopHotkey,
        })
        .expect("commit");
        samples.push(stopped.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    metric(
        "voice_hotkey_to_first_sample_ms",
        hotkey_to_first_sample_ms(&dir.path().join("latency")),
        "ms",
    );
    metric(
        "voice_recording_cpu_pct",
        recording_cpu_pct(&dir.path().join("cpu")),
        "%",
    );
    metric(
        "voice_bytes_per_min",
        bytes_per_minute(&dir.path().join("size")),
        "bytes",
    );
    metric(
        "voice_stop_to_commit_ms",
        stop_to_commit_ms(&dir.path().join("journal")),
        "ms",
    );
}
