//! A project created today hands out a publishable key (`sb_publishable_…`), which is not a
//! JWT: the app signs up, syncs between two devices and uploads a memo with it.

use std::time::Duration;

use jotline_core::auth::AuthClient;
use jotline_core::auth::{BackendConfig, MemoryTokenStore, SessionProvider, TokenStore};
use jotline_core::capture::uploader::{AudioUploader, StorageUploader};
use jotline_core::sync::storage::StorageClient;
use jotline_tests::backend::BackendOptions;
use std::sync::Arc;

use crate::common::{sign_up, Device};

const KEY: &str = "sb_publishable_3q8mFzZvW1cTq0hXyU7kPg_Lm2Rk9dS";

#[tokio::test]
async fn a_publishable_key_signs_up_syncs_and_uploads() {
    let backend = crate::common::backend_with(BackendOptions {
        publishable_key: Some(KEY.into()),
        ..BackendOptions::default()
    })
    .await;
    assert_eq!(backend.anon_key(), KEY, "the key the settings take");
    let alice = sign_up(&backend, "alice@example.com").await;
    let laptop = Device::new(&backend, "laptop", Duration::from_secs(10));
    let desktop = Device::new(&backend, "desktop", Duration::from_secs(10));
    let id = laptop.create(Some("keys"), "written with a publishable key");
    laptop.round(&alice).await.unwrap();
    desktop.round(&alice).await.unwrap();
    assert!(desktop.entries().contains_key(&id));

    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(&alice).unwrap();
    let config = BackendConfig::new(backend.url(), KEY);
    let uploader = StorageUploader {
        storage: StorageClient::new(config.clone()).unwrap(),
        session: Arc::new(SessionProvider::new(
            AuthClient::new(config).unwrap(),
            tokens,
        )),
    };
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("memo.wav");
    std::fs::write(&wav, b"RIFF\x24\x00\x00\x00WAVEfmt ").unwrap();
    let capture = uuid::Uuid::now_v7();
    let path = uploader.upload(capture, &wav).await.unwrap();
    assert_eq!(path, format!("{}/{capture}.wav", alice.user_id));
}
