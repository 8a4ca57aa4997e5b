//! The processing service: the processor's deps follow the settings and the key store (here
//! in memory) without anyone rebuilding them by hand.

use super::voice::record;
use crate::common::fixture;
use crate::sync::stub::{reply, Stub};
use jotline_core::auth::MemoryTokenStore;
use jotline_core::capture::ProcessingService;
use jotline_core::sync::{shared_tokens, SyncService};
use jotline_core::transcribe::{MemoryTranscriberKeyStore, TranscriberKeyStore};
use jotline_core::{CaptureStatus, ErrorCode};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_transcription_service_saved_in_the_settings_reaches_a_waiting_memo() {
    let f = fixture();
    let keys = Arc::new(MemoryTranscriberKeyStore::new());
    let sync = SyncService::new(
        f.core.clone(),
        shared_tokens(Arc::new(MemoryTokenStore::new())),
    );
    let store = keys.clone();
    let processing = ProcessingService::new(
        f.core.clone(),
        sync,
        Arc::new(move |_: &str| store.clone() as Arc<dyn TranscriberKeyStore>),
    );
    processing.start().await;
    let err = processing
        .set_transcription_key(Some("sk-test".into()))
        .await
        .unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::InvalidInput,
        "no service to hold a key for yet"
    );
    let err = processing.retry(uuid::Uuid::now_v7()).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);

    let saved = record(&f);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let memo = f.core.get_entry(saved.entry.id).unwrap().voice.unwrap();
    assert_eq!(memo.status, CaptureStatus::Pending, "no service: it waits");

    let service = Stub::start(vec![
        reply(200, r#"{"text": "buy oat milk"}"#),
        reply(200, r#"{"text": "buy oat milk"}"#),
    ]);
    f.core
        .update_settings(|s| {
            s.transcription_url = service.url.clone();
            Ok(())
        })
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let entry = f.core.get_entry(saved.entry.id).unwrap();
        if entry.voice.as_ref().unwrap().status == CaptureStatus::Ready {
            assert_eq!(entry.body, "buy oat milk");
            break;
        }
        assert!(Instant::now() < deadline, "not transcribed: {entry:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!service.requests().is_empty());

    processing
        .set_transcription_key(Some(" sk-test ".into()))
        .await
        .unwrap();
    assert_eq!(keys.load().unwrap().as_deref(), Some("sk-test"));
    processing.set_transcription_key(None).await.unwrap();
    assert_eq!(keys.load().unwrap(), None);
}
