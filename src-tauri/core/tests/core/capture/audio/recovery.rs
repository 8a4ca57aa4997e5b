//! Unfinished recordings are repaired, never deleted; a recording killed with SIGKILL loses at
//! most the last second.

use super::support::read_wav;
use jotline_core::capture::audio::{
    recover_unfinished, repair_wav, AudioError, Pacing, Recorder, RecorderConfig, SyntheticSource,
};
use std::collections::HashSet;
use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const OFFSETS_RIFF_LEN: u64 = 4;
const OFFSET_DATA_LEN: u64 = 40;

/// A 16 kHz mono WAV of `frames` samples whose header says it is empty, as right after start.
fn write_stale_wav(path: &Path, frames: u32, trailing_bytes: usize) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..frames {
        writer.write_sample((i % 1000) as i16).unwrap();
    }
    writer.finalize().unwrap();
    let mut file = OpenOptions::new().write(true).open(path).unwrap();
    for offset in [OFFSETS_RIFF_LEN, OFFSET_DATA_LEN] {
        file.seek(SeekFrom::Start(offset)).unwrap();
        file.write_all(&0u32.to_le_bytes()).unwrap();
    }
    file.seek(SeekFrom::End(0)).unwrap();
    file.write_all(&vec![0x7f; trailing_bytes]).unwrap();
}

#[test]
fn stale_header_is_rewritten_from_the_file_length() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crashed.wav");
    write_stale_wav(&path, 8_000, 1);
    let repaired = repair_wav(&path).unwrap();
    assert!(repaired.header_repaired);
    assert_eq!(repaired.id, "crashed");
    assert_eq!(repaired.duration_ms, 500);
    // Only the half sample at the end was cut.
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 44 + 16_000);
    let (_, samples) = read_wav(&path);
    assert_eq!(samples.len(), 8_000);
    assert_eq!(samples[999], 999.0 / 32768.0);
}

#[test]
fn consistent_wav_is_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fine.wav");
    write_stale_wav(&path, 1_600, 0);
    repair_wav(&path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let again = repair_wav(&path).unwrap();
    assert!(!again.header_repaired);
    assert_eq!(again.duration_ms, 100);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_wav_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.wav");
    std::fs::write(&path, b"this is not audio at all, just text").unwrap();
    let error = repair_wav(&path).unwrap_err();
    assert!(
        matches!(error, AudioError::NotRepairable { .. }),
        "{error:?}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is not audio at all, just text"
    );
}

#[test]
fn recovery_skips_finished_captures_and_keeps_unrepairable_files() {
    let dir = tempfile::tempdir().unwrap();
    write_stale_wav(&dir.path().join("finished.wav"), 1_600, 0);
    write_stale_wav(&dir.path().join("unfinished.wav"), 3_200, 1);
    std::fs::write(dir.path().join("garbage.wav"), b"RIFF").unwrap();
    std::fs::write(dir.path().join("readme.txt"), b"not audio").unwrap();
    let finished: HashSet<String> = ["finished".to_string()].into();

    let recovered = recover_unfinished(dir.path(), &finished).unwrap();
    let ids: Vec<_> = recovered.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["unfinished"]);
    assert_eq!(recovered[0].duration_ms, 200);
    // The finished file is not even opened; the garbage stays for a human to look at.
    assert_eq!(
        std::fs::metadata(dir.path().join("finished.wav"))
            .unwrap()
            .len(),
        44 + 3_200
    );
    assert!(dir.path().join("garbage.wav").exists());
    assert!(recover_unfinished(&dir.path().join("missing"), &finished)
        .unwrap()
        .is_empty());
}

const CHILD_DIR_VAR: &str = "JOTLINE_TEST_KILLED_RECORDER_DIR";

/// Not a test on its own: the body of the child process that `sigkill_loses_at_most_a_second`
/// starts (and kills). Without the variable it returns at once.
#[test]
fn killed_recorder_child() {
    let Some(dir) = std::env::var_os(CHILD_DIR_VAR) else {
        return;
    };
    let source = SyntheticSource::tone(48_000, 2, Pacing::RealTime);
    let recording =
        Recorder::start(Box::new(source), RecorderConfig::new(dir, "killed"), |_| {}).unwrap();
    std::thread::sleep(Duration::from_secs(2));
    println!("RECORDING");
    std::io::stdout().flush().unwrap();
    std::thread::sleep(Duration::from_secs(60));
    drop(recording);
}

#[test]
fn sigkill_loses_at_most_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "capture::audio::recovery::killed_recorder_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_DIR_VAR, dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("RECORDING") {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "child ended early"
        );
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "child never recorded"
        );
    }
    // ≥ 2 s recorded when it printed; 1.5 s more.
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().unwrap(); // SIGKILL: no destructor, no finalize.
    child.wait().unwrap();
    let recorded_at_least = Duration::from_millis(3500);

    let recovered = recover_unfinished(dir.path(), &HashSet::new()).unwrap();
    assert_eq!(recovered.len(), 1, "{recovered:?}");
    let (spec, samples) = read_wav(&recovered[0].path);
    assert_eq!(spec.sample_rate, 16_000);
    let kept = Duration::from_millis(samples.len() as u64 / 16);
    assert!(
        kept + Duration::from_secs(1) >= recorded_at_least,
        "only {kept:?} of at least {recorded_at_least:?} survived"
    );
    assert_eq!(recovered[0].duration_ms, samples.len() as u64 / 16);
}
