//! `/storage/v1/object/captures/<user_id>/<name>` answers as Supabase Storage does, one test
//! per kind of answer measured against storage-api: HTTP 400 with the real status in the
//! body's `statusCode`, its `error` and `code`; the same `Id` on upsert; the bucket's limits;
//! the policies of migrations/server/0006 deciding who writes and reads.

use jotline_tests::backend::{BackendOptions, JwtKeys, LocalBackend};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;
use uuid::Uuid;

use crate::support::{read, Api};

const WAV: &str = "audio/wav";

async fn upload_as(
    api: &Api,
    token: Option<&str>,
    path: &str,
    bytes: Vec<u8>,
    content_type: &str,
    upsert: bool,
) -> (StatusCode, Value) {
    let mut req = api
        .http
        .post(format!("{}/storage/v1/object/{path}", api.base))
        .header("apikey", &api.anon_key)
        .header("content-type", content_type)
        .body(bytes);
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if upsert {
        req = req.header("x-upsert", "true");
    }
    read(req.send().await.unwrap()).await
}

async fn upload(
    api: &Api,
    token: &str,
    path: &str,
    bytes: &[u8],
    upsert: bool,
) -> (StatusCode, Value) {
    upload_as(api, Some(token), path, bytes.to_vec(), WAV, upsert).await
}

async fn download(api: &Api, token: &str, path: &str) -> (StatusCode, String, Vec<u8>) {
    let response = api
        .http
        .get(format!("{}/storage/v1/object/{path}", api.base))
        .header("apikey", &api.anon_key)
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        status,
        content_type,
        response.bytes().await.unwrap().to_vec(),
    )
}

/// Storage-api's error answer: HTTP 400, `statusCode` `status` in the body, and `code`.
fn assert_refused(answer: &(StatusCode, Value), status: &str, code: &str) {
    let (http, body) = answer;
    assert_eq!(*http, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["statusCode"], status, "{body}");
    assert_eq!(body["code"], code, "{body}");
}

fn memo_path(owner: &str) -> String {
    format!("captures/{owner}/{}.wav", Uuid::now_v7())
}

#[tokio::test]
async fn the_owner_uploads_and_downloads_and_upsert_keeps_the_object_id() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let path = memo_path(&alice.user_id);

    let (status, first) = upload(&api, &alice.access_token, &path, b"RIFF-one", false).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["Key"], path.as_str());
    let (status, content_type, bytes) = download(&api, &alice.access_token, &path).await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, WAV));
    assert_eq!(bytes, b"RIFF-one");

    let again = upload(&api, &alice.access_token, &path, b"RIFF-two", false).await;
    assert_refused(&again, "409", "KeyAlreadyExists");
    let (status, replaced) = upload(&api, &alice.access_token, &path, b"RIFF-two", true).await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    assert_eq!(replaced["Id"], first["Id"], "an upsert keeps the object");
    assert_eq!(
        download(&api, &alice.access_token, &path).await.2,
        b"RIFF-two"
    );

    let missing = format!("captures/{}/missing.wav", alice.user_id);
    let response = api
        .http
        .get(format!("{}/storage/v1/object/{missing}", api.base))
        .header("apikey", &api.anon_key)
        .bearer_auth(&alice.access_token)
        .send()
        .await
        .unwrap();
    assert_refused(&read(response).await, "404", "NoSuchKey");
}

#[tokio::test]
async fn tokens_storage_cannot_verify_are_access_denied_with_the_jwt_reason() {
    let backend = LocalBackend::start_with(BackendOptions {
        access_token_ttl: Duration::from_secs(1),
        ..BackendOptions::default()
    })
    .await
    .unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let path = memo_path(&alice.user_id);
    let foreign = JwtKeys::random()
        .access_token(&alice.user_id, "a@example.com", "s", 600)
        .0;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    for (token, message) in [
        (
            alice.access_token.as_str(),
            "\"exp\" claim timestamp check failed",
        ),
        (foreign.as_str(), "signature verification failed"),
        ("not.a.jwt", "JWS Protected Header is invalid"),
    ] {
        let answer = upload(&api, token, &path, b"RIFF", true).await;
        assert_refused(&answer, "403", "AccessDenied");
        assert_eq!(answer.1["message"], message);
        assert_eq!(answer.1["error"], "Unauthorized");
    }
    let answer = upload_as(&api, None, &path, b"RIFF".to_vec(), WAV, true).await;
    assert_refused(&answer, "400", "InvalidRequest");
}

#[tokio::test]
async fn another_users_folder_and_the_anon_key_are_refused_by_row_level_security() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let bob = api.new_user().await;
    let path = memo_path(&alice.user_id);
    assert_eq!(
        upload(&api, &alice.access_token, &path, b"RIFF-a", true)
            .await
            .0,
        StatusCode::OK
    );

    for token in [bob.access_token.clone(), backend.anon_key()] {
        let answer = upload(&api, &token, &path, b"evil", true).await;
        assert_refused(&answer, "403", "AccessDenied");
        assert_eq!(
            answer.1["message"],
            "new row violates row-level security policy"
        );
    }
    // Hidden by the policy is not found, as for any object one cannot see.
    let (status, _, _) = download(&api, &bob.access_token, &path).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        download(&api, &alice.access_token, &path).await.2,
        b"RIFF-a"
    );

    let sneaky = format!("captures/{}/../{}/x.wav", bob.user_id, alice.user_id);
    let (status, _) = upload(&api, &bob.access_token, &sneaky, b"evil", true).await;
    assert!(status.is_client_error(), "{status}");
}

#[tokio::test]
async fn a_missing_bucket_the_size_limit_and_the_mime_list_are_enforced() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let token = alice.access_token.as_str();

    let elsewhere = format!("audio/{}/{}.wav", alice.user_id, Uuid::now_v7());
    let answer = upload(&api, token, &elsewhere, b"RIFF", true).await;
    assert_refused(&answer, "404", "NoSuchBucket");
    assert_eq!(answer.1["error"], "Bucket not found");

    let db = backend.connect_db().await.unwrap();
    db.execute(
        "update storage.buckets set file_size_limit = 8 where id = 'captures'",
        &[],
    )
    .await
    .unwrap();
    let path = memo_path(&alice.user_id);
    assert_eq!(
        upload(&api, token, &path, &[0; 8], true).await.0,
        StatusCode::OK,
        "the limit is inclusive"
    );
    let answer = upload(&api, token, &path, &[0; 9], true).await;
    assert_refused(&answer, "413", "EntityTooLarge");
    assert_eq!(answer.1["error"], "Payload too large");

    for refused in ["audio/wav; codecs=1", "application/octet-stream"] {
        let answer = upload_as(&api, Some(token), &path, vec![0; 4], refused, true).await;
        assert_refused(&answer, "415", "InvalidMimeType");
        assert_eq!(answer.1["error"], "invalid_mime_type");
    }
    assert_eq!(
        upload_as(&api, Some(token), &path, vec![0; 4], "audio/x-wav", true)
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_read_only_database_is_a_503_in_the_body_and_objects_are_not_deleted_directly() {
    let backend = LocalBackend::start().await.unwrap();
    let api = Api::new(&backend);
    let alice = api.new_user().await;
    let path = memo_path(&alice.user_id);
    assert_eq!(
        upload(&api, &alice.access_token, &path, b"RIFF", true)
            .await
            .0,
        StatusCode::OK
    );

    let db = backend.connect_db().await.unwrap();
    let err = db
        .execute("delete from storage.objects", &[])
        .await
        .unwrap_err();
    let message = err.as_db_error().map(|e| e.message().to_string());
    assert!(
        message
            .as_deref()
            .is_some_and(|m| m.contains("Direct deletion from storage tables")),
        "{err:?}"
    );

    // What a project whose disk filled up answers: Postgres refuses every write.
    db.batch_execute(
        "create function storage.read_only() returns trigger language plpgsql as $$
         begin raise exception 'cannot execute INSERT in a read-only transaction'
             using errcode = '25006'; end $$;
         create trigger read_only before insert or update on storage.objects
             for each row execute function storage.read_only();",
    )
    .await
    .unwrap();
    let answer = upload(
        &api,
        &alice.access_token,
        &memo_path(&alice.user_id),
        b"RIFF",
        true,
    )
    .await;
    assert_refused(&answer, "503", "DatabaseError");
    assert_eq!(answer.1["error"], "DatabaseReadOnly");
}
