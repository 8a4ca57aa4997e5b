//! What the voice tests share: sine-tone WAVs written with hound, and signed-in users.

use std::io::Cursor;
use std::path::Path;

use jotline_core::auth::{AuthClient, BackendConfig, Session, SignUpOutcome};
use jotline_tests::backend::LocalBackend;
use uuid::Uuid;

pub const SAMPLE_RATE: u32 = 16_000;

fn spec() -> hound::WavSpec {
    hound::WavSpec {
        channels: 1,
        sample_rate: SAMPLE_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    }
}

/// A 440 Hz tone, 16 kHz mono 16-bit, `seconds` long.
fn samples(seconds: f64) -> impl Iterator<Item = i16> {
    let n = (seconds * f64::from(SAMPLE_RATE)).round() as u32;
    (0..n).map(|i| {
        let t = f64::from(i) / f64::from(SAMPLE_RATE);
        ((t * 440.0 * std::f64::consts::TAU).sin() * 12_000.0) as i16
    })
}

/// Writes the tone to `path` as a WAV file.
pub fn write_sine(path: &Path, seconds: f64) {
    let mut writer = hound::WavWriter::create(path, spec()).unwrap();
    for s in samples(seconds) {
        writer.write_sample(s).unwrap();
    }
    writer.finalize().unwrap();
}

/// The tone as WAV bytes in memory.
pub fn sine_bytes(seconds: f64) -> Vec<u8> {
    let mut cursor = Cursor::new(Vec::new());
    let mut writer = hound::WavWriter::new(&mut cursor, spec()).unwrap();
    for s in samples(seconds) {
        writer.write_sample(s).unwrap();
    }
    writer.finalize().unwrap();
    cursor.into_inner()
}

pub fn config(backend: &LocalBackend) -> BackendConfig {
    BackendConfig::new(backend.url(), backend.anon_key())
}

/// Signs a new user up at the backend.
pub async fn sign_up(backend: &LocalBackend) -> Session {
    let auth = AuthClient::new(config(backend)).unwrap();
    let email = format!("voice-{}@example.com", Uuid::now_v7());
    match auth.sign_up(&email, "correct horse battery").await.unwrap() {
        SignUpOutcome::SignedIn(s) => s,
        other => panic!("sign-up did not sign in: {other:?}"),
    }
}

/// A URL where nothing listens (connection refused).
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}
