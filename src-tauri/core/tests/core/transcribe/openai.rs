//! `OpenAiCompatibleTranscriber` against the canned-response stub: the multipart request it
//! builds, and how each kind of answer is classified.

use crate::sync::stub::{dead_url, reply, slow, Stub};
use jotline_core::transcribe::{
    AudioInput, NoTranscriber, OpenAiCompatibleTranscriber, TranscribeError, Transcriber,
    TranscriberConfig,
};
use std::time::Duration;

const WAV: &[u8] = b"RIFF\x24\x00\x00\x00WAVEfmt fake-samples";

fn transcriber(url: &str, key: Option<&str>) -> OpenAiCompatibleTranscriber {
    let mut config = TranscriberConfig::new(url, "whisper-1");
    config.api_key = key.map(str::to_string);
    config.timeout = Duration::from_millis(800);
    OpenAiCompatibleTranscriber::new(config).unwrap()
}

async fn run(stub_reply: (u16, &str)) -> Result<String, TranscribeError> {
    let stub = Stub::start(vec![reply(stub_reply.0, stub_reply.1)]);
    transcriber(&stub.url, Some("sk-test"))
        .transcribe(AudioInput::Bytes(WAV.to_vec()), None)
        .await
        .map(|t| t.text)
}

#[tokio::test]
async fn sends_the_wav_model_and_format_as_multipart_with_the_bearer_key() {
    let stub = Stub::start(vec![reply(200, r#"{"text": " call mum "}"#)]);
    let t = transcriber(&stub.url, Some("sk-test"))
        .transcribe(AudioInput::Bytes(WAV.to_vec()), Some("en"))
        .await
        .unwrap();
    assert_eq!(t.text, "call mum");
    assert_eq!(
        t.language.as_deref(),
        Some("en"),
        "the hint, as the service said none"
    );

    let req = &stub.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/v1/audio/transcriptions");
    assert_eq!(req.header("authorization"), Some("Bearer sk-test"));
    let content_type = req.header("content-type").unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = &req.body;
    assert!(
        body.contains(r#"name="file"; filename="audio.wav""#),
        "{body}"
    );
    assert!(body.contains("Content-Type: audio/wav"), "{body}");
    assert!(body.contains("WAVEfmt fake-samples"), "{body}");
    for (name, value) in [
        ("model", "whisper-1"),
        ("response_format", "json"),
        ("language", "en"),
    ] {
        assert!(
            body.contains(&format!("name=\"{name}\"\r\n\r\n{value}\r\n")),
            "{name}: {body}"
        );
    }
}

#[tokio::test]
async fn a_file_is_sent_under_its_own_name_and_no_key_means_no_authorization() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("0190-memo.wav");
    std::fs::write(&path, WAV).unwrap();
    let stub = Stub::start(vec![reply(200, r#"{"text": "ok"}"#)]);
    transcriber(&format!("{}/v1/", stub.url), None)
        .transcribe(AudioInput::File(path), None)
        .await
        .unwrap();
    let req = &stub.requests()[0];
    assert_eq!(req.target, "/v1/audio/transcriptions", "no doubled /v1");
    assert_eq!(req.header("authorization"), None);
    assert!(
        req.body.contains(r#"filename="0190-memo.wav""#),
        "{}",
        req.body
    );
    assert!(!req.body.contains(r#"name="language""#));
}

#[tokio::test]
async fn a_missing_file_is_an_audio_error_and_nothing_is_sent() {
    let stub = Stub::start(vec![reply(200, r#"{"text": "ok"}"#)]);
    let err = transcriber(&stub.url, None)
        .transcribe(AudioInput::File("/nonexistent/memo.wav".into()), None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, TranscribeError::Audio(ref m) if m.contains("memo.wav")),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert!(stub.requests().is_empty());
}

#[tokio::test]
async fn a_bad_key_is_unauthorized_with_the_services_message() {
    let body =
        r#"{"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}"#;
    let err = run((401, body)).await.unwrap_err();
    assert_eq!(
        err,
        TranscribeError::Unauthorized {
            status: 401,
            message: "Incorrect API key provided".into()
        }
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn other_4xx_are_rejected_and_5xx_are_server_errors() {
    let err = run((400, r#"{"error": {"message": "Invalid file format."}}"#))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        TranscribeError::Rejected {
            status: 400,
            message: "Invalid file format.".into()
        }
    );
    assert!(!err.is_retryable());

    let err = run((429, r#"{"error": {"message": "Rate limit reached"}}"#))
        .await
        .unwrap_err();
    assert!(
        matches!(err, TranscribeError::Rejected { status: 429, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());

    let err = run((503, "")).await.unwrap_err();
    assert!(
        matches!(err, TranscribeError::Server { status: 503, .. }),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_2xx_that_is_not_the_json_is_malformed() {
    let err = run((200, "<html>proxy login</html>")).await.unwrap_err();
    assert!(
        matches!(err, TranscribeError::Malformed(ref m) if m.contains("not JSON")),
        "{err:?}"
    );
}

#[tokio::test]
async fn nobody_listening_is_offline_and_a_silent_server_is_a_network_error() {
    let err = transcriber(&dead_url(), None)
        .transcribe(AudioInput::Bytes(WAV.to_vec()), None)
        .await
        .unwrap_err();
    assert!(matches!(err, TranscribeError::Offline(_)), "{err:?}");
    assert!(err.is_retryable());

    let stub = Stub::start(vec![slow(
        200,
        r#"{"text": "late"}"#,
        Duration::from_secs(3),
    )]);
    let err = transcriber(&stub.url, None)
        .transcribe(AudioInput::Bytes(WAV.to_vec()), None)
        .await
        .unwrap_err();
    assert!(matches!(err, TranscribeError::Network(_)), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn blank_settings_and_no_service_are_not_configured() {
    for (url, model) in [("", "whisper-1"), ("http://x", " ")] {
        let err = OpenAiCompatibleTranscriber::new(TranscriberConfig::new(url, model)).unwrap_err();
        assert!(matches!(err, TranscribeError::NotConfigured(_)), "{err:?}");
    }
    let err = NoTranscriber
        .transcribe(AudioInput::Bytes(WAV.to_vec()), None)
        .await
        .unwrap_err();
    assert!(matches!(err, TranscribeError::NotConfigured(_)), "{err:?}");
}
