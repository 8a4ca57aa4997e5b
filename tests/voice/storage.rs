//! `StorageClient` against the local backend's `/storage/v1/object/captures/...`.

use std::time::Duration;

use jotline_core::auth::BackendConfig;
use jotline_core::sync::storage::{StorageClient, MAX_UPLOAD_BYTES};
use jotline_core::sync::{Backoff, SyncError};
use jotline_core::CoreError;
use jotline_tests::backend::{Fault, FaultProxy, LocalBackend};
use uuid::Uuid;

use crate::common::{config, dead_url, sign_up, write_sine};

fn wav(dir: &tempfile::TempDir, seconds: f64) -> std::path::PathBuf {
    let path = dir.path().join(format!("{}.wav", Uuid::now_v7()));
    write_sine(&path, seconds);
    path
}

/// Short, deterministic delays so retry tests stay fast.
fn quick_backoff() -> Backoff {
    Backoff::with_limits(Duration::from_millis(10), Duration::from_millis(40), 7)
}

#[tokio::test]
async fn a_wav_uploads_under_the_users_folder_and_downloads_byte_identical() {
    let backend = LocalBackend::start().await.unwrap();
    let alice = sign_up(&backend).await;
    let dir = tempfile::tempdir().unwrap();
    let file = wav(&dir, 2.0);
    let capture = Uuid::now_v7();
    let client = StorageClient::new(config(&backend)).unwrap();

    let path = client.upload_capture(&alice, capture, &file).await.unwrap();
    assert_eq!(path, format!("{}/{capture}.wav", alice.user_id));
    assert_eq!(path, StorageClient::object_path(alice.user_id, capture));
    let original = std::fs::read(&file).unwrap();
    assert_eq!(client.download(&alice, &path).await.unwrap(), original);
    let stored = backend.storage_dir().join("captures").join(&path);
    assert_eq!(std::fs::read(stored).unwrap(), original);

    // Uploading again (a retry after a lost answer) replaces it instead of failing with 409.
    write_sine(&file, 1.0);
    assert_eq!(
        client.upload_capture(&alice, capture, &file).await.unwrap(),
        path
    );
    assert_eq!(
        client.download(&alice, &path).await.unwrap(),
        std::fs::read(&file).unwrap()
    );
}

#[tokio::test]
async fn a_failed_upload_is_transient_stores_nothing_and_the_retry_succeeds() {
    let backend = LocalBackend::start().await.unwrap();
    let alice = sign_up(&backend).await;
    let dir = tempfile::tempdir().unwrap();
    let file = wav(&dir, 0.5);
    let capture = Uuid::now_v7();
    let client = StorageClient::new(config(&backend)).unwrap();

    backend.fail_next_uploads(1);
    let err = client
        .upload_capture(&alice, capture, &file)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
    let path = StorageClient::object_path(alice.user_id, capture);
    let missing = client.download(&alice, &path).await.unwrap_err();
    assert!(
        matches!(missing, SyncError::Rejected { status: 404, .. }),
        "{missing:?}"
    );

    let path = client.upload_capture(&alice, capture, &file).await.unwrap();
    assert_eq!(
        client.download(&alice, &path).await.unwrap(),
        std::fs::read(&file).unwrap()
    );
}

#[tokio::test]
async fn upload_with_retry_rides_out_failures_up_to_its_attempt_limit() {
    let backend = LocalBackend::start().await.unwrap();
    let alice = sign_up(&backend).await;
    let dir = tempfile::tempdir().unwrap();
    let file = wav(&dir, 0.5);
    let client = StorageClient::new(config(&backend)).unwrap();

    backend.fail_next_uploads(2);
    let mut backoff = quick_backoff();
    let path = client
        .upload_capture_with_retry(&alice, Uuid::now_v7(), &file, &mut backoff, 3)
        .await
        .unwrap();
    assert_eq!(backoff.attempt(), 0, "reset after the success");
    assert_eq!(
        client.download(&alice, &path).await.unwrap(),
        std::fs::read(&file).unwrap()
    );

    // Three failures armed, two attempts allowed: the last error comes back, one fault is left.
    backend.fail_next_uploads(3);
    let mut backoff = quick_backoff();
    let err = client
        .upload_capture_with_retry(&alice, Uuid::now_v7(), &file, &mut backoff, 2)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Server { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(backoff.attempt(), 1, "one wait between the two attempts");
    let err = client
        .upload_capture(&alice, Uuid::now_v7(), &file)
        .await
        .unwrap_err();
    assert!(err.is_transient(), "the third armed failure: {err:?}");
    client
        .upload_capture(&alice, Uuid::now_v7(), &file)
        .await
        .unwrap();
}

#[tokio::test]
async fn another_user_cannot_upload_into_or_read_your_folder() {
    let backend = LocalBackend::start().await.unwrap();
    let alice = sign_up(&backend).await;
    let bob = sign_up(&backend).await;
    let dir = tempfile::tempdir().unwrap();
    let file = wav(&dir, 0.5);
    let client = StorageClient::new(config(&backend)).unwrap();
    let path = client
        .upload_capture(&alice, Uuid::now_v7(), &file)
        .await
        .unwrap();

    // Bob's token with Alice's user id: the object path names her folder.
    let mut forged = bob.clone();
    forged.user_id = alice.user_id;
    let err = client
        .upload_capture(&forged, Uuid::now_v7(), &file)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Rejected { status: 403, .. }),
        "{err:?}"
    );
    assert!(!err.is_transient());
    // Supabase hides an object its policies do not let you read: not found.
    let err = client.download(&bob, &path).await.unwrap_err();
    assert!(
        matches!(err, SyncError::Rejected { status: 404, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_bad_token_is_unauthorized_so_the_caller_refreshes() {
    let backend = LocalBackend::start().await.unwrap();
    let mut alice = sign_up(&backend).await;
    alice.access_token = "not-a-jwt".into();
    let dir = tempfile::tempdir().unwrap();
    let client = StorageClient::new(config(&backend)).unwrap();
    let err = client
        .upload_capture(&alice, Uuid::now_v7(), &wav(&dir, 0.2))
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Unauthorized(_)), "{err:?}");
}

#[tokio::test]
async fn missing_or_oversized_files_fail_locally_and_a_dead_backend_is_a_network_error() {
    let backend = LocalBackend::start().await.unwrap();
    let alice = sign_up(&backend).await;
    let dir = tempfile::tempdir().unwrap();
    let client = StorageClient::new(config(&backend)).unwrap();

    let err = client
        .upload_capture(&alice, Uuid::now_v7(), &dir.path().join("gone.wav"))
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Store(CoreError::Io(_))), "{err:?}");
    assert!(!err.is_transient());

    // Sparse: no 50 MiB actually written.
    let huge = dir.path().join("huge.wav");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(MAX_UPLOAD_BYTES + 1)
        .unwrap();
    let err = client
        .upload_capture(&alice, Uuid::now_v7(), &huge)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Store(CoreError::TooLarge { .. })),
        "{err:?}"
    );

    let dead = StorageClient::new(BackendConfig::new(dead_url(), backend.anon_key())).unwrap();
    let err = dead
        .upload_capture(&alice, Uuid::now_v7(), &wav(&dir, 0.2))
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Network(_)), "{err:?}");
    assert!(err.is_transient());
}

/// What a stub Storage saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    uri: String,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

/// A one-route Storage stand-in answering `status` + `body`, recording the request.
async fn stub_storage(
    status: u16,
    body: &'static str,
) -> (String, std::sync::Arc<std::sync::Mutex<Option<Seen>>>) {
    use axum::http::{StatusCode, Uri};
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None));
    let log = seen.clone();
    let app = axum::Router::new().fallback(
        move |uri: Uri, headers: axum::http::HeaderMap, bytes: axum::body::Bytes| {
            let log = log.clone();
            async move {
                *log.lock().unwrap() = Some(Seen {
                    uri: uri.to_string(),
                    headers,
                    body: bytes.to_vec(),
                });
                (StatusCode::from_u16(status).unwrap(), body)
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, seen)
}

#[tokio::test]
async fn the_upload_carries_the_supabase_headers_and_the_raw_wav() {
    let (url, seen) = stub_storage(200, r#"{"Key": "captures/x"}"#).await;
    let dir = tempfile::tempdir().unwrap();
    let file = wav(&dir, 0.3);
    let session = jotline_core::auth::Session {
        access_token: "access-1".into(),
        refresh_token: "refresh-1".into(),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
        user_id: Uuid::now_v7(),
        email: None,
    };
    let capture = Uuid::now_v7();
    let client = StorageClient::new(BackendConfig::new(url, "anon-1")).unwrap();
    client
        .upload_capture(&session, capture, &file)
        .await
        .unwrap();

    let seen = seen.lock().unwrap().clone().expect("a request");
    assert_eq!(
        seen.uri,
        format!(
            "/storage/v1/object/captures/{}/{capture}.wav",
            session.user_id
        )
    );
    let header = |name: &str| {
        seen.headers
            .get(name)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(header("apikey"), "anon-1");
    assert_eq!(header("authorization"), "Bearer access-1");
    assert_eq!(header("x-upsert"), "true");
    assert_eq!(header("content-type"), "audio/wav");
    assert_eq!(seen.body, std::fs::read(&file).unwrap());
}

#[tokio::test]
async fn storages_invalid_jwt_answer_counts_as_unauthorized_whatever_its_status() {
    // Some Supabase Storage versions answer an expired token with 400 and this body.
    let body = r#"{"statusCode": "403", "error": "InvalidJWT", "message": "jwt expired"}"#;
    let (url, _) = stub_storage(400, body).await;
    let dir = tempfile::tempdir().unwrap();
    let session = jotline_core::auth::Session {
        access_token: "expired".into(),
        refresh_token: "r".into(),
        expires_at: chrono::Utc::now(),
        user_id: Uuid::now_v7(),
        email: None,
    };
    let client = StorageClient::new(BackendConfig::new(url, "anon")).unwrap();
    let err = client
        .upload_capture(&session, Uuid::now_v7(), &wav(&dir, 0.1))
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Unauthorized(ref m) if m == "jwt expired"),
        "{err:?}"
    );
}

/// Supabase Storage's answers when its database is busy or read-only, and a connection that
/// breaks during the upload, between the client and the stand-in: each is worth retrying, and
/// the upload lands once they pass (an `x-upsert` retry after a lost answer is harmless).
#[tokio::test]
async fn storage_faults_on_the_wire_are_retried_until_the_upload_lands() {
    let backend = LocalBackend::start().await.unwrap();
    let alice = sign_up(&backend).await;
    let proxy = FaultProxy::start(&backend.url()).unwrap();
    let client = StorageClient::new(BackendConfig::new(proxy.url(), backend.anon_key())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // 4 s of audio (128 KB): the cut falls inside the body.
    let file = wav(&dir, 4.0);
    let faults = [
        Fault::Reply(
            429,
            r#"{"statusCode":"429","error":"too_many_connections","message":"Too many connections issued to the database","code":"SlowDown"}"#,
        ),
        Fault::Reply(
            400,
            r#"{"statusCode":"503","error":"DatabaseReadOnly","message":"The database is in read-only mode","code":"DatabaseError"}"#,
        ),
        Fault::CutRequestBody,
        Fault::DropRequest,
        Fault::DropResponse,
    ];
    for fault in &faults {
        proxy.inject("/storage/v1/object", fault.clone(), 1);
        let err = client
            .upload_capture(&alice, Uuid::now_v7(), &file)
            .await
            .unwrap_err();
        assert!(err.is_transient(), "{fault:?}: {err:?}");
    }
    for fault in faults {
        proxy.inject("/storage/v1/object", fault, 1);
    }
    let capture = Uuid::now_v7();
    let mut backoff = quick_backoff();
    let path = client
        .upload_capture_with_retry(&alice, capture, &file, &mut backoff, 6)
        .await
        .unwrap();
    assert_eq!(proxy.pending_faults(), 0);
    assert_eq!(
        client.download(&alice, &path).await.unwrap(),
        std::fs::read(&file).unwrap()
    );
}
