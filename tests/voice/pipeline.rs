//! The whole voice pipeline of the app against the local backend: real speech (espeak-ng)
//! played through a `FileSource` into the recorder, saved as a capture, uploaded to Storage
//! (retried after an injected failure), transcribed by the endpoint or by the server (the
//! transcript arriving through sync), and searchable in the journal.

use super::common::{config, sign_up};
use jotline_core::auth::{AuthClient, MemoryTokenStore, Session, SessionProvider, TokenStore};
use jotline_core::capture::audio::{FileSource, Pacing, Recorder, RecorderConfig, RecorderEvent};
use jotline_core::capture::processor::{retry_delay_ms, ProcessorDeps};
use jotline_core::capture::uploader::{AudioUploader, StorageUploader};
use jotline_core::capture::voice::VoiceRecording;
use jotline_core::sync::storage::StorageClient;
use jotline_core::sync::SyncClient;
use jotline_core::transcribe::{OpenAiCompatibleTranscriber, Transcriber, TranscriberConfig};
use jotline_core::{CaptureStatus, Core, CoreConfig, ManualClock, Surface};
use jotline_tests::backend::LocalBackend;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

struct Device {
    _dir: tempfile::TempDir,
    core: Core,
    clock: Arc<ManualClock>,
    session: Session,
    sync: SyncClient,
    uploader: Arc<dyn AudioUploader>,
}

async fn device(backend: &LocalBackend) -> Device {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let core = Core::open(CoreConfig {
        data_dir: dir.path().join("data"),
        clock: clock.clone(),
    })
    .unwrap();
    let session = sign_up(backend).await;
    core.switch_journal_user(session.user_id, false).unwrap();
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session).unwrap();
    let uploader = Arc::new(StorageUploader {
        storage: StorageClient::new(config(backend)).unwrap(),
        session: Arc::new(SessionProvider::new(
            AuthClient::new(config(backend)).unwrap(),
            tokens,
        )),
    });
    Device {
        _dir: dir,
        core,
        clock,
        sync: SyncClient::new(config(backend)).unwrap(),
        session,
        uploader,
    }
}

fn speak(path: &Path, text: &str) {
    let out = Command::new("espeak-ng")
        .arg("-w")
        .arg(path)
        .arg(text)
        .output()
        .expect("espeak-ng is installed by scripts/ensure-deps.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Speech through the recorder into the audio folder, saved as a capture.
fn record_speech(d: &Device, text: &str) -> (Uuid, Uuid, i64) {
    let speech = d._dir.path().join("speech.wav");
    speak(&speech, text);
    let source = FileSource::open(&speech, Pacing::AsFastAsConsumed).unwrap();
    let spoken_ms = source.duration_ms();
    let (capture_id, _) = d.core.new_voice_file().unwrap();
    let (ended_tx, ended) = std::sync::mpsc::channel();
    let handle = Recorder::start(
        Box::new(source),
        RecorderConfig::new(d.core.audio_dir(), capture_id.to_string()),
        move |event| {
            if event == RecorderEvent::SourceEnded {
                let _ = ended_tx.send(());
            }
        },
    )
    .unwrap();
    ended
        .recv_timeout(Duration::from_secs(60))
        .expect("the speech file plays to its end");
    let finished = handle.stop().unwrap();
    assert!(
        finished.duration_ms + 50 >= spoken_ms,
        "{} of {spoken_ms} ms",
        finished.duration_ms
    );
    let saved = d
        .core
        .save_voice_capture(VoiceRecording {
            capture_id,
            duration_ms: i64::try_from(finished.duration_ms).unwrap(),
            surface: Surface::DesktopHotkey,
        })
        .unwrap();
    (
        capture_id,
        saved.entry.id,
        saved.entry.voice.unwrap().duration_ms.unwrap(),
    )
}

fn endpoint(backend: &LocalBackend) -> Arc<dyn Transcriber> {
    Arc::new(
        OpenAiCompatibleTranscriber::new(
            TranscriberConfig::new(backend.url(), "whisper-1")
                .with_api_key(backend.transcription_key()),
        )
        .unwrap(),
    )
}

async fn sync(d: &Device) {
    d.core
        .sync()
        .round(&d.sync, &d.session, Duration::from_secs(1), true)
        .await
        .unwrap();
}

#[tokio::test]
async fn speech_is_uploaded_after_a_failed_request_transcribed_and_searchable() {
    let backend = LocalBackend::start().await.unwrap();
    let d = device(&backend).await;
    let (capture_id, entry_id, duration_ms) = record_speech(&d, "Remember to call the plumber");
    backend.fail_next_uploads(1);
    let deps = ProcessorDeps {
        uploader: Some(d.uploader.clone()),
        transcriber: Some(endpoint(&backend)),
    };
    d.core.process_voice_captures(&deps).await.unwrap();
    let voice = d.core.get_entry(entry_id).unwrap().voice.unwrap();
    assert_eq!(
        (voice.status, voice.retry_count),
        (CaptureStatus::Pending, 1)
    );
    assert!(voice.error.unwrap().contains("500"));

    d.clock
        .advance(chrono::Duration::milliseconds(retry_delay_ms(1)));
    d.core.process_voice_captures(&deps).await.unwrap();
    let entry = d.core.get_entry(entry_id).unwrap();
    assert_eq!(
        entry.voice.as_ref().unwrap().status,
        CaptureStatus::Ready,
        "{:?}",
        entry.voice
    );
    let expected = jotline_tests::backend::transcript_of(duration_ms as f64 / 1000.0);
    assert!(entry.body.starts_with("voice memo of"), "{}", entry.body);
    assert_eq!(entry.body, expected);
    assert_eq!(d.core.search("voice memo", 10).unwrap()[0].id, entry_id);

    // The object is in the user's folder; the row says so once pushed.
    let object = backend
        .storage_dir()
        .join("captures")
        .join(d.session.user_id.to_string())
        .join(format!("{capture_id}.wav"));
    assert!(hound::WavReader::open(&object).is_ok());
    sync(&d).await;
    let db = backend.connect_db().await.unwrap();
    let row = db
        .query_one(
            "select audio_path, parse_status, text from public.captures where id = $1",
            &[&capture_id],
        )
        .await
        .unwrap();
    assert_eq!(
        row.get::<_, Option<String>>(0).unwrap(),
        format!("{}/{capture_id}.wav", d.session.user_id)
    );
    assert_eq!(row.get::<_, String>(1), "ready");
    assert_eq!(row.get::<_, Option<String>>(2).unwrap(), expected);
}

#[tokio::test]
async fn without_a_service_of_its_own_the_transcript_comes_from_the_server_through_sync() {
    let backend = LocalBackend::start().await.unwrap();
    let d = device(&backend).await;
    let (capture_id, entry_id, _) = record_speech(&d, "Ideas for the garden");
    let deps = ProcessorDeps {
        uploader: Some(d.uploader.clone()),
        transcriber: None,
    };
    d.core.process_voice_captures(&deps).await.unwrap();
    let voice = d.core.get_entry(entry_id).unwrap().voice.unwrap();
    assert_eq!(
        voice.status,
        CaptureStatus::Parsing,
        "waiting for the server"
    );
    sync(&d).await;

    // The server-side worker (service role) delivers the transcript.
    let resp = reqwest::Client::new()
        .post(format!(
            "{}/rest/v1/rpc/set_capture_transcript",
            backend.url()
        ))
        .header("apikey", backend.anon_key())
        .bearer_auth(backend.service_key())
        .json(&serde_json::json!({"p_capture_id": capture_id, "p_text": "ideas for the garden"}))
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());
    // Users cannot call it.
    let denied = reqwest::Client::new()
        .post(format!(
            "{}/rest/v1/rpc/set_capture_transcript",
            backend.url()
        ))
        .header("apikey", backend.anon_key())
        .bearer_auth(&d.session.access_token)
        .json(&serde_json::json!({"p_capture_id": capture_id, "p_text": "forged"}))
        .send()
        .await
        .unwrap();
    assert!(denied.status().is_client_error(), "{}", denied.status());

    sync(&d).await;
    let entry = d.core.get_entry(entry_id).unwrap();
    assert_eq!(entry.body, "ideas for the garden");
    assert_eq!(entry.voice.unwrap().status, CaptureStatus::Ready);
    assert_eq!(d.core.search("garden", 10).unwrap()[0].id, entry_id);
    assert_eq!(d.core.status().unwrap().pending_ops, 0);
}
