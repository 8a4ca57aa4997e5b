//! `/storage/v1/object/<bucket>/<user_id>/<name>`: only the owner's prefix, 409 unless
//! `x-upsert: true`, download by the owner.

use jotline_tests::backend::LocalBackend;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::support::{read, Api};

async fn upload(
    api: &Api,
    token: &str,
    path: &str,
    bytes: &'static [u8],
    upsert: bool,
) -> (StatusCode, serde_json::Value) {
    let mut req = api
        .http
        .post(format!("{}/storage/v1/object/{path}", api.base))
        .header("apikey", &api.anon_key)
        .bearer_auth(token)
        .header("content-type", "audio/wav")
        .body(bytes);
    if upsert {
        req = req.header("x-upsert", "true");
    }
    read(req.send().await.unwrap()).await
}

async fn download(api: &Api, token: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let response = api
        .http
        .get(format!("{}/storage/v1/object/{path}", api.base))
        .header("apikey", &api.anon_key)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status(), response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn only_the_owner_uploads_and_reads_under_its_user_id() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let bob = api.new_user().await;
    let path = format!("audio/{}/{}.wav", alice.user_id, Uuid::now_v7());

    let (status, body) = upload(&api, &alice.access_token, &path, b"RIFF-one", false).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["Key"], path.as_str());
    let (status, bytes) = download(&api, &alice.access_token, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, b"RIFF-one");

    // Again without upsert: 409; with upsert: replaced.
    let (status, body) = upload(&api, &alice.access_token, &path, b"RIFF-two", false).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["statusCode"], "409");
    let (status, _) = upload(&api, &alice.access_token, &path, b"RIFF-two", true).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        download(&api, &alice.access_token, &path).await.1,
        b"RIFF-two"
    );

    // Bob may neither write nor read under Alice's id; anon not at all.
    let (status, body) = upload(&api, &bob.access_token, &path, b"evil", true).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(
        download(&api, &bob.access_token, &path).await.0,
        StatusCode::FORBIDDEN
    );
    let anon = backend.anon_key();
    assert_eq!(
        upload(&api, &anon, &path, b"evil", true).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        download(&api, &alice.access_token, &path).await.1,
        b"RIFF-two"
    );

    // Path tricks and bad tokens.
    let sneaky = format!("audio/{}/../{}/x.wav", bob.user_id, alice.user_id);
    let (status, _) = upload(&api, &bob.access_token, &sneaky, b"evil", true).await;
    assert!(status.is_client_error(), "{status}");
    let (status, _) = upload(&api, "not-a-jwt", &path, b"evil", true).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let missing = format!("audio/{}/missing.wav", alice.user_id);
    assert_eq!(
        download(&api, &alice.access_token, &missing).await.0,
        StatusCode::NOT_FOUND
    );
}
