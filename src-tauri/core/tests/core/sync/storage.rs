//! The Storage client against Supabase Storage's real error answers (HTTP 400 with the
//! status in the body), one test per kind of answer, and the uploader that renews an
//! expired token once and uploads.

use super::stub::{reply, Canned, Stub};
use chrono::{Duration as Span, Utc};
use jotline_core::auth::{
    AuthClient, BackendConfig, MemoryTokenStore, Session, SessionProvider, TokenStore,
};
use jotline_core::capture::uploader::{AudioUploader, StorageUploader, UploadError};
use jotline_core::sync::storage::StorageClient;
use jotline_core::sync::SyncError;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

const USER: &str = "019a0000-0000-7000-8000-0000000000aa";

fn config(url: &str) -> BackendConfig {
    let mut cfg = BackendConfig::new(url, "anon-key");
    cfg.timeout = Duration::from_millis(800);
    cfg
}

fn session(access: &str) -> Session {
    Session {
        access_token: access.into(),
        refresh_token: "rt-1".into(),
        expires_at: Utc::now() + Span::minutes(30),
        user_id: USER.parse().unwrap(),
        email: None,
    }
}

/// GoTrue's answer to a refresh: the rotated session.
fn rotated_session() -> String {
    format!(
        r#"{{"access_token": "at-2", "token_type": "bearer", "expires_in": 3600,
            "expires_at": 1900000000, "refresh_token": "rt-2", "user": {{"id": "{USER}"}}}}"#
    )
}

/// The app's uploader against `url`, signed in with `at-1` / `rt-1`.
fn uploader(url: &str) -> (StorageUploader, Arc<MemoryTokenStore>) {
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&session("at-1")).unwrap();
    let uploader = StorageUploader {
        storage: StorageClient::new(config(url)).unwrap(),
        session: Arc::new(SessionProvider::new(
            AuthClient::new(config(url)).unwrap(),
            tokens.clone(),
        )),
    };
    (uploader, tokens)
}

fn wav(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("memo.wav");
    std::fs::write(&path, b"RIFF\x24\x00\x00\x00WAVEfmt fake-samples").unwrap();
    path
}

/// What one upload answered `answer` becomes.
async fn upload_answered(answer: Canned) -> SyncError {
    let stub = Stub::start(vec![answer]);
    let dir = tempfile::tempdir().unwrap();
    StorageClient::new(config(&stub.url))
        .unwrap()
        .upload_capture(&session("at-1"), Uuid::now_v7(), &wav(&dir))
        .await
        .unwrap_err()
}

fn body(status: &str, error: &str, message: &str, code: &str) -> String {
    serde_json::json!({ "statusCode": status, "error": error, "message": message, "code": code })
        .to_string()
}

#[tokio::test]
async fn an_expired_or_unverifiable_token_is_unauthorized_whatever_the_http_status() {
    for message in [
        "\"exp\" claim timestamp check failed",
        "signature verification failed",
        "JWS Protected Header is invalid",
    ] {
        let err = upload_answered(reply(
            400,
            &body("403", "Unauthorized", message, "AccessDenied"),
        ))
        .await;
        assert!(
            matches!(err, SyncError::Unauthorized(_)),
            "{message}: {err:?}"
        );
    }
}

#[tokio::test]
async fn row_level_security_is_permanent_with_a_reason() {
    let err = upload_answered(reply(
        400,
        &body(
            "403",
            "Unauthorized",
            "new row violates row-level security policy",
            "AccessDenied",
        ),
    ))
    .await;
    let SyncError::Rejected {
        status: 403,
        message,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(message.contains("row-level security"), "{message}");
    assert!(!err.is_transient());
}

#[tokio::test]
async fn missing_bucket_too_large_wrong_type_and_conflict_are_permanent_with_reasons() {
    let cases = [
        (
            body(
                "404",
                "Bucket not found",
                "Bucket not found",
                "NoSuchBucket",
            ),
            404,
            "no `captures` bucket",
        ),
        (
            body(
                "413",
                "Payload too large",
                "The object exceeded the maximum allowed size",
                "EntityTooLarge",
            ),
            413,
            "file size limit",
        ),
        (
            body(
                "415",
                "invalid_mime_type",
                "mime type audio/wav is not supported",
                "InvalidMimeType",
            ),
            415,
            "audio/wav",
        ),
        (
            body(
                "409",
                "Duplicate",
                "The resource already exists",
                "KeyAlreadyExists",
            ),
            409,
            "already holds",
        ),
        (
            body(
                "400",
                "Error",
                "headers must have required property 'authorization'",
                "InvalidRequest",
            ),
            400,
            "authorization",
        ),
    ];
    for (answer, want, words) in cases {
        let err = upload_answered(reply(400, &answer)).await;
        match &err {
            SyncError::Rejected { status, message } => {
                assert_eq!(*status, want, "{err:?}");
                assert!(message.contains(words), "{message}");
            }
            other => panic!("{want}: {other:?}"),
        }
        assert!(!err.is_transient(), "{want}");
    }
}

#[tokio::test]
async fn a_busy_read_only_or_failing_backend_is_worth_retrying() {
    let cases = [
        reply(
            400,
            &body(
                "503",
                "DatabaseReadOnly",
                "database is read-only",
                "DatabaseError",
            ),
        ),
        reply(
            429,
            &body(
                "429",
                "too_many_connections",
                "Too many connections",
                "SlowDown",
            ),
        ),
        reply(
            400,
            &body("423", "locked", "resource locked", "ResourceLocked"),
        ),
        reply(
            400,
            &body(
                "544",
                "DatabaseTimeout",
                "database timeout",
                "DatabaseTimeout",
            ),
        ),
        reply(
            500,
            &body("500", "Internal", "Internal Server Error", "InternalError"),
        ),
        reply(502, "<html>bad gateway</html>"),
    ];
    for answer in cases {
        let err = upload_answered(answer.clone()).await;
        assert!(err.is_transient(), "{answer:?}: {err:?}");
    }
}

#[tokio::test]
async fn the_uploader_renews_an_expired_token_once_and_uploads() {
    let stub = Stub::start(vec![
        reply(
            400,
            &body(
                "403",
                "Unauthorized",
                "\"exp\" claim timestamp check failed",
                "AccessDenied",
            ),
        ),
        reply(200, &rotated_session()),
        reply(200, r#"{"Id": "0f0e", "Key": "captures/x.wav"}"#),
    ]);
    let (uploader, tokens) = uploader(&stub.url);
    let dir = tempfile::tempdir().unwrap();
    let capture = Uuid::now_v7();
    let path = uploader.upload(capture, &wav(&dir)).await.unwrap();
    assert_eq!(path, format!("{USER}/{capture}.wav"));
    let requests = stub.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(
        requests[1].target,
        "/auth/v1/token?grant_type=refresh_token"
    );
    assert_eq!(requests[2].header("authorization"), Some("Bearer at-2"));
    assert_eq!(requests[2].header("x-upsert"), Some("true"));
    assert_eq!(tokens.load().unwrap().unwrap().refresh_token, "rt-2");
}

#[tokio::test]
async fn a_token_refused_even_after_renewal_leaves_the_memo_waiting_not_failed() {
    let refused = body(
        "403",
        "Unauthorized",
        "signature verification failed",
        "AccessDenied",
    );
    let stub = Stub::start(vec![
        reply(400, &refused),
        reply(200, &rotated_session()),
        reply(400, &refused),
    ]);
    let (uploader, _) = uploader(&stub.url);
    let dir = tempfile::tempdir().unwrap();
    let err = uploader
        .upload(Uuid::now_v7(), &wav(&dir))
        .await
        .unwrap_err();
    assert!(matches!(err, UploadError::Unavailable(_)), "{err:?}");
    assert_eq!(stub.requests().len(), 3, "one renewal, one retry");
}
