//! The capture processor with a fake uploader and transcriber: every way from `pending` to
//! `ready` or `error`, retries on the core's clock, and nothing dropped while offline.

use super::voice::record;
use crate::common::{fixture, Fixture};
use jotline_core::capture::processor::{retry_delay_ms, ProcessorDeps, MAX_CAPTURE_ATTEMPTS};
use jotline_core::capture::uploader::{AudioUploader, UploadError, UploadFuture};
use jotline_core::transcribe::{
    AudioInput, TranscribeError, TranscribeFuture, Transcriber, Transcript,
};
use jotline_core::{CaptureSaved, CaptureStatus};
use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Answers from a script, then succeeds; records what it was asked.
#[derive(Default)]
struct FakeUploader {
    script: Mutex<VecDeque<UploadError>>,
    calls: Mutex<Vec<(Uuid, bool)>>,
}

impl AudioUploader for FakeUploader {
    fn upload<'a>(&'a self, capture_id: Uuid, wav: &'a Path) -> UploadFuture<'a> {
        self.calls.lock().unwrap().push((capture_id, wav.exists()));
        let next = self.script.lock().unwrap().pop_front();
        Box::pin(async move {
            match next {
                Some(e) => Err(e),
                None => Ok(format!("user/{capture_id}.wav")),
            }
        })
    }
}

#[derive(Default)]
struct FakeTranscriber {
    script: Mutex<VecDeque<TranscribeError>>,
    calls: Mutex<usize>,
}

impl Transcriber for FakeTranscriber {
    fn transcribe<'a>(&'a self, audio: AudioInput, _: Option<&'a str>) -> TranscribeFuture<'a> {
        *self.calls.lock().unwrap() += 1;
        let next = self.script.lock().unwrap().pop_front();
        Box::pin(async move {
            if let Some(e) = next {
                return Err(e);
            }
            let AudioInput::File(path) = audio else {
                panic!("the processor sends the file")
            };
            let frames = hound::WavReader::open(&path).unwrap().duration();
            Ok(Transcript {
                text: format!("buy oat milk #errands ({frames} frames)"),
                language: None,
                duration_ms: None,
            })
        })
    }
}

fn status(f: &Fixture, saved: &CaptureSaved) -> (CaptureStatus, u32, Option<String>) {
    let v = f.core.get_entry(saved.entry.id).unwrap().voice.unwrap();
    (v.status, v.retry_count, v.error)
}

fn deps(u: Option<&Arc<FakeUploader>>, t: Option<&Arc<FakeTranscriber>>) -> ProcessorDeps {
    ProcessorDeps {
        uploader: u.map(|u| u.clone() as Arc<dyn AudioUploader>),
        transcriber: t.map(|t| t.clone() as Arc<dyn Transcriber>),
    }
}

#[tokio::test]
async fn without_backend_or_service_a_capture_waits_as_pending_and_is_kept() {
    let f = fixture();
    let saved = record(&f);
    let report = f
        .core
        .process_voice_captures(&ProcessorDeps::default())
        .await
        .unwrap();
    assert_eq!(report.waiting, 1);
    assert_eq!(report.next_retry_at, None);
    assert_eq!(status(&f, &saved), (CaptureStatus::Pending, 0, None));
}

#[tokio::test]
async fn signed_in_the_audio_is_uploaded_before_the_row_says_where_and_the_server_transcribes() {
    let f = fixture();
    let saved = record(&f);
    let up = Arc::new(FakeUploader::default());
    let report = f
        .core
        .process_voice_captures(&deps(Some(&up), None))
        .await
        .unwrap();
    assert_eq!(report.uploaded, 1);
    assert_eq!(up.calls.lock().unwrap()[0], (saved.capture_id, true));
    assert_eq!(status(&f, &saved).0, CaptureStatus::Parsing);
    let (path, seq): (String, i64) = f
        .db()
        .query_row(
            "SELECT c.audio_path, o.op_seq FROM pending_captures c
             JOIN outbox o ON o.row_id = c.id AND o.changed_fields LIKE '%audio_path%'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(path, format!("user/{}.wav", saved.capture_id));
    let create_seq =
        f.count("SELECT min(op_seq) FROM outbox WHERE table_name = 'pending_captures'");
    assert!(
        seq > create_seq,
        "the op naming the object comes after the upload"
    );
    // A second pass does not upload again; it waits for the server's transcript.
    f.core
        .process_voice_captures(&deps(Some(&up), None))
        .await
        .unwrap();
    assert_eq!(up.calls.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_failed_upload_is_retried_after_its_delay_and_then_succeeds() {
    let f = fixture();
    let saved = record(&f);
    let up = Arc::new(FakeUploader::default());
    up.script
        .lock()
        .unwrap()
        .push_back(UploadError::Transient("server error (503)".into()));
    let report = f
        .core
        .process_voice_captures(&deps(Some(&up), None))
        .await
        .unwrap();
    let (st, retries, error) = status(&f, &saved);
    assert_eq!((st, retries), (CaptureStatus::Pending, 1));
    assert!(error.unwrap().contains("503"));
    let first_retry = report.next_retry_at.expect("a retry is scheduled");
    assert_eq!(
        first_retry,
        crate::common::t0().timestamp_millis() + retry_delay_ms(1)
    );
    // Not before its time.
    f.core
        .process_voice_captures(&deps(Some(&up), None))
        .await
        .unwrap();
    assert_eq!(up.calls.lock().unwrap().len(), 1);
    f.clock
        .advance(chrono::Duration::milliseconds(retry_delay_ms(1)));
    f.core
        .process_voice_captures(&deps(Some(&up), None))
        .await
        .unwrap();
    assert_eq!(up.calls.lock().unwrap().len(), 2);
    assert_eq!(status(&f, &saved), (CaptureStatus::Parsing, 0, None));
}

#[tokio::test]
async fn offline_is_waiting_not_failing() {
    let f = fixture();
    let saved = record(&f);
    let up = Arc::new(FakeUploader::default());
    for _ in 0..20 {
        up.script
            .lock()
            .unwrap()
            .push_back(UploadError::Unavailable("network error".into()));
        f.core
            .process_voice_captures(&deps(Some(&up), None))
            .await
            .unwrap();
    }
    assert_eq!(status(&f, &saved), (CaptureStatus::Pending, 0, None));
}

#[tokio::test]
async fn the_transcript_becomes_the_searchable_entry_body() {
    let f = fixture();
    let saved = record(&f);
    let up = Arc::new(FakeUploader::default());
    let tr = Arc::new(FakeTranscriber::default());
    let report = f
        .core
        .process_voice_captures(&deps(Some(&up), Some(&tr)))
        .await
        .unwrap();
    assert_eq!((report.uploaded, report.transcribed), (1, 1));
    let entry = f.core.get_entry(saved.entry.id).unwrap();
    assert_eq!(entry.body, "buy oat milk #errands (4000 frames)");
    assert_eq!(entry.tags, vec!["errands"]);
    assert_eq!(entry.voice.unwrap().status, CaptureStatus::Ready);
    let found = f.core.search("oat milk", 10).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, saved.entry.id);
    let text: String = f
        .db()
        .query_row("SELECT text FROM pending_captures", [], |r| r.get(0))
        .unwrap();
    assert_eq!(text, entry.body, "the capture keeps the raw transcript");
    // Done: later passes leave it alone.
    f.core
        .process_voice_captures(&deps(Some(&up), Some(&tr)))
        .await
        .unwrap();
    assert_eq!(*tr.calls.lock().unwrap(), 1);
}

#[tokio::test]
async fn signed_out_with_a_service_the_memo_is_transcribed_without_upload() {
    let f = fixture();
    let saved = record(&f);
    let tr = Arc::new(FakeTranscriber::default());
    f.core
        .process_voice_captures(&deps(None, Some(&tr)))
        .await
        .unwrap();
    assert_eq!(status(&f, &saved).0, CaptureStatus::Ready);
}

#[tokio::test]
async fn a_refused_key_fails_at_once_and_retry_starts_over() {
    let f = fixture();
    let saved = record(&f);
    let tr = Arc::new(FakeTranscriber::default());
    tr.script
        .lock()
        .unwrap()
        .push_back(TranscribeError::Unauthorized {
            status: 401,
            message: "bad key".into(),
        });
    let report = f
        .core
        .process_voice_captures(&deps(None, Some(&tr)))
        .await
        .unwrap();
    assert_eq!(report.failed, 1);
    let (st, retries, error) = status(&f, &saved);
    assert_eq!((st, retries), (CaptureStatus::Error, 1));
    assert!(error.unwrap().contains("API key"));
    f.core
        .process_voice_captures(&deps(None, Some(&tr)))
        .await
        .unwrap();
    assert_eq!(*tr.calls.lock().unwrap(), 1, "an error waits for the user");
    assert!(f.core.retry_capture(saved.capture_id).unwrap());
    assert!(
        !f.core.retry_capture(saved.capture_id).unwrap(),
        "not in error any more"
    );
    f.core
        .process_voice_captures(&deps(None, Some(&tr)))
        .await
        .unwrap();
    assert_eq!(status(&f, &saved).0, CaptureStatus::Ready);
}

#[tokio::test]
async fn transient_failures_give_up_after_the_maximum_attempts() {
    let f = fixture();
    let saved = record(&f);
    let tr = Arc::new(FakeTranscriber::default());
    for _ in 0..MAX_CAPTURE_ATTEMPTS {
        tr.script
            .lock()
            .unwrap()
            .push_back(TranscribeError::Server {
                status: 503,
                message: "busy".into(),
            });
    }
    for attempt in 1..=MAX_CAPTURE_ATTEMPTS {
        f.core
            .process_voice_captures(&deps(None, Some(&tr)))
            .await
            .unwrap();
        assert_eq!(status(&f, &saved).1, attempt);
        f.clock
            .advance(chrono::Duration::milliseconds(retry_delay_ms(attempt)));
    }
    assert_eq!(status(&f, &saved).0, CaptureStatus::Error);
    assert_eq!(retry_delay_ms(30), 5 * 60 * 1000, "the delay is capped");
}
