//! Voice commands through Tauri's mock runtime: no microphone gives a clear error while text
//! capture still works; with a WAV standing in for the microphone, a recording is started,
//! reports its progress, and is saved as a pending voice memo, or cancelled and deleted.
//! One test: the stand-in is chosen by a process-wide environment variable.

mod common;

use jotline_core::capture::recording::AUDIO_FILE_ENV;
use jotline_core::{Core, CoreConfig, SystemClock};
use jotline_shell::state::AppState;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tauri::Listener;

fn tone_wav(path: &std::path::Path, seconds: u32) {
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: 48_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(path, spec).unwrap();
    for i in 0..(48_000 * seconds) {
        let v = ((f64::from(i) / 48_000.0 * 440.0 * std::f64::consts::TAU).sin() * 9_000.0) as i16;
        w.write_sample(v).unwrap();
        w.write_sample(v).unwrap();
    }
    w.finalize().unwrap();
}

fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn record_stop_and_cancel_with_and_without_a_microphone() {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(CoreConfig {
        data_dir: dir.path().join("data"),
        clock: Arc::new(SystemClock),
    })
    .unwrap();
    let (app, window) =
        common::app_with(AppState::new(Ok(core.clone()), common::hotkey_registered()));
    let invoke = |cmd: &str, args: Value| common::invoke(&window, cmd, args);

    // This machine has no microphone: a clear error, and typing still works.
    std::env::remove_var(AUDIO_FILE_ENV);
    if jotline_core::capture::audio::list_input_devices().map_or(true, |d| d.is_empty()) {
        let err = invoke("start_voice_capture", json!({})).unwrap_err();
        assert_eq!(err["code"], json!("audio_device"), "{err}");
        assert!(
            err["message"].as_str().unwrap().contains("microphone"),
            "{err}"
        );
        invoke(
            "save_capture",
            json!({ "text": "typed anyway", "surface": "in_app" }),
        )
        .unwrap();
        assert_eq!(invoke("get_recording", json!({})).unwrap(), Value::Null);
    }

    let wav = dir.path().join("speech.wav");
    tone_wav(&wav, 30);
    std::env::set_var(AUDIO_FILE_ENV, &wav);
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = seen.clone();
    app.listen_any("recording", move |e| {
        let event: Value = serde_json::from_str(e.payload()).unwrap();
        assert_eq!(event["type"], json!("recordingChanged"), "{event}");
        sink.lock().unwrap().push(event["status"].clone());
    });

    let id = invoke("start_voice_capture", json!({})).unwrap();
    wait_until("a second of audio", || {
        seen.lock().unwrap().iter().any(|s| {
            s["active"] == json!(true)
                && s["elapsedMs"].as_u64().unwrap_or(0) >= 1000
                && s["rms"].as_f64().unwrap_or(0.0) > 0.05
        }) || invoke("get_recording", json!({})).unwrap()["elapsedMs"]
            .as_u64()
            .unwrap_or(0)
            >= 1000
    });
    assert_eq!(
        invoke("start_voice_capture", json!({})).unwrap(),
        id,
        "one recording at a time"
    );
    let saved = invoke("stop_voice_capture", json!({})).unwrap();
    assert_eq!(saved["captureId"], id);
    let voice = &saved["entry"]["voice"];
    assert_eq!(voice["status"], json!("pending"));
    assert!(voice["durationMs"].as_i64().unwrap() >= 1000, "{voice}");
    let file = voice["audioFile"].as_str().unwrap().to_string();
    assert!(file.starts_with(core.audio_dir().to_str().unwrap()));
    assert!(hound::WavReader::open(&file).unwrap().duration() >= 16_000);
    assert!(seen
        .lock()
        .unwrap()
        .iter()
        .any(|s| s["active"] == json!(false)));
    let page = invoke("list_timeline", json!({ "before": null, "limit": 10 })).unwrap();
    assert_eq!(page["entries"][0]["voice"]["captureId"], id);

    let second = invoke("start_voice_capture", json!({})).unwrap();
    let path = core
        .audio_dir()
        .join(format!("{}.wav", second.as_str().unwrap()));
    wait_until("the second recording's file", || path.exists());
    invoke("cancel_voice_capture", json!({})).unwrap();
    assert!(!path.exists(), "Esc deletes the recording");
    assert!(std::path::Path::new(&file).exists(), "the saved one stays");
    let err = invoke("stop_voice_capture", json!({})).unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"));
    std::env::remove_var(AUDIO_FILE_ENV);
}
