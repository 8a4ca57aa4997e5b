//! Reading a 2xx answer (`parse_transcript`) and the error classification's retry advice.

use jotline_core::transcribe::{parse_transcript, TranscribeError, Transcript};

#[test]
fn plain_json_gives_the_trimmed_text() {
    let t = parse_transcript(br#"{"text": " Buy milk. "}"#).unwrap();
    assert_eq!(
        t,
        Transcript {
            text: "Buy milk.".into(),
            language: None,
            duration_ms: None
        }
    );
}

#[test]
fn verbose_fields_are_kept_and_unknown_ones_ignored() {
    let body = br#"{"text":"hi","language":"english","duration":2.5,"usage":{"seconds":3}}"#;
    let t = parse_transcript(body).unwrap();
    assert_eq!(t.language.as_deref(), Some("english"));
    assert_eq!(t.duration_ms, Some(2500));
}

#[test]
fn a_body_that_is_not_json_is_malformed_with_an_excerpt() {
    let err = parse_transcript(b"<html>Sign in to the hotel wifi</html>").unwrap_err();
    let TranscribeError::Malformed(msg) = &err else {
        panic!("{err:?}")
    };
    assert!(msg.contains("not JSON"), "{msg}");
    assert!(msg.contains("hotel wifi"), "{msg}");
    assert!(err.is_retryable());
}

#[test]
fn json_without_a_text_string_is_malformed_and_names_the_field() {
    for body in [&br#"{"transcript": "x"}"#[..], br#"{"text": 42}"#, b"[]"] {
        let err = parse_transcript(body).unwrap_err();
        let TranscribeError::Malformed(msg) = &err else {
            panic!("{err:?}")
        };
        assert!(msg.contains("\"text\""), "{msg}");
    }
}

#[test]
fn a_long_garbage_body_is_quoted_only_in_part() {
    let body = "x".repeat(10_000);
    let err = parse_transcript(body.as_bytes()).unwrap_err();
    assert!(err.to_string().len() < 400, "{err}");
}

#[test]
fn retry_advice_follows_the_class() {
    let rejected = |status| TranscribeError::Rejected {
        status,
        message: String::new(),
    };
    assert!(TranscribeError::Offline("x".into()).is_retryable());
    assert!(TranscribeError::Network("x".into()).is_retryable());
    assert!(TranscribeError::Server {
        status: 503,
        message: String::new()
    }
    .is_retryable());
    assert!(rejected(429).is_retryable());
    assert!(!rejected(400).is_retryable());
    assert!(!rejected(413).is_retryable());
    assert!(!TranscribeError::Unauthorized {
        status: 401,
        message: String::new()
    }
    .is_retryable());
    assert!(!TranscribeError::NotConfigured("x".into()).is_retryable());
    assert!(!TranscribeError::Audio("x".into()).is_retryable());
}
