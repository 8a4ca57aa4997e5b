//! `StorageClient` against the local backend's `/storage/v1/object/captures/...`.

use std::time::Duration;

use jotline_core::auth::BackendConfig;
use jotline_core::sync::storage::{StorageClient, MAX_UPLOAD_BYTES};
use jotline_core::sync::{Backoff, SyncError};
use jotline_core::CoreError;
use jotline_tests::backend::LocalBackend;
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
    let err = client.download(&bob, &path).await.unwrap_err();
    assert!(
        matches!(err, SyncError::Rejected { status: 403, .. }),
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
