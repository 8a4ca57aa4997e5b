//! `OpenAiCompatibleTranscriber` against the local backend's transcription test double.

use jotline_core::transcribe::{
    AudioInput, OpenAiCompatibleTranscriber, TranscribeError, Transcriber, TranscriberConfig,
};
use jotline_tests::backend::{transcript_of, LocalBackend};

use crate::common::{dead_url, sine_bytes, write_sine};

fn transcriber(url: &str, key: Option<String>) -> OpenAiCompatibleTranscriber {
    let mut config = TranscriberConfig::new(url, "whisper-1");
    config.api_key = key;
    OpenAiCompatibleTranscriber::new(config).unwrap()
}

fn of_backend(backend: &LocalBackend) -> OpenAiCompatibleTranscriber {
    transcriber(&backend.url(), Some(backend.transcription_key()))
}

#[tokio::test]
async fn a_wav_file_or_bytes_come_back_as_the_deterministic_text() {
    let backend = LocalBackend::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("memo.wav");
    write_sine(&file, 2.5);
    let t = of_backend(&backend)
        .transcribe(AudioInput::File(file), Some("en"))
        .await
        .unwrap();
    assert_eq!(t.text, "voice memo of 2.5 seconds");
    assert_eq!(t.text, transcript_of(2.5));
    assert_eq!(t.language.as_deref(), Some("en"));

    let t = of_backend(&backend)
        .transcribe(AudioInput::Bytes(sine_bytes(1.0)), None)
        .await
        .unwrap();
    assert_eq!(t.text, "voice memo of 1.0 seconds");
    assert_eq!(t.language, None);
}

#[tokio::test]
async fn a_wrong_or_missing_key_is_unauthorized() {
    let backend = LocalBackend::start().await.unwrap();
    for key in [Some("sk-wrong".to_string()), None] {
        let err = transcriber(&backend.url(), key)
            .transcribe(AudioInput::Bytes(sine_bytes(0.5)), None)
            .await
            .unwrap_err();
        assert_eq!(
            err,
            TranscribeError::Unauthorized {
                status: 401,
                message: "Incorrect API key provided".into()
            }
        );
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn server_failures_are_retryable_and_the_retry_succeeds() {
    let backend = LocalBackend::start().await.unwrap();
    let client = of_backend(&backend);
    let audio = AudioInput::Bytes(sine_bytes(0.5));
    for status in [503, 500] {
        backend.fail_next_transcriptions(1, status);
        let err = client.transcribe(audio.clone(), None).await.unwrap_err();
        assert!(
            matches!(err, TranscribeError::Server { status: s, .. } if s == status),
            "{err:?}"
        );
        assert!(err.is_retryable());
        let t = client.transcribe(audio.clone(), None).await.unwrap();
        assert_eq!(t.text, "voice memo of 0.5 seconds");
    }
}

#[tokio::test]
async fn a_garbled_answer_is_malformed_with_a_clear_message() {
    let backend = LocalBackend::start().await.unwrap();
    backend.garble_next_transcriptions(1);
    let err = of_backend(&backend)
        .transcribe(AudioInput::Bytes(sine_bytes(0.5)), None)
        .await
        .unwrap_err();
    let TranscribeError::Malformed(message) = &err else {
        panic!("{err:?}")
    };
    assert!(message.contains("not JSON"), "{message}");
    assert!(message.contains("Bad Gateway"), "{message}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn audio_that_is_not_a_wav_is_rejected_with_the_services_message() {
    let backend = LocalBackend::start().await.unwrap();
    let err = of_backend(&backend)
        .transcribe(AudioInput::Bytes(b"ID3 an mp3, really".to_vec()), None)
        .await
        .unwrap_err();
    let TranscribeError::Rejected { status, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 400);
    assert!(message.contains("not a WAV"), "{message}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn nobody_listening_is_offline() {
    let err = transcriber(&dead_url(), Some("sk-x".into()))
        .transcribe(AudioInput::Bytes(sine_bytes(0.2)), None)
        .await
        .unwrap_err();
    assert!(matches!(err, TranscribeError::Offline(_)), "{err:?}");
    assert!(err.is_retryable());
}
