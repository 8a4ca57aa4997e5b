//! `/storage/v1/object/<bucket>/<path..>` the way Supabase Storage (storage-api) answers:
//! uploads (`POST`/`PUT`, `x-upsert: true` to replace, keeping the object's `Id`) and
//! downloads (`GET`, with the stored content type). The bucket must exist in
//! `storage.buckets`; its `file_size_limit` (inclusive) and `allowed_mime_types` (the whole
//! `content-type`, parameters included) are enforced; the object's row in `storage.objects`
//! is written as the caller's role, so the policies of `migrations/server/0006` decide who may
//! write and read (a row hidden by them is "not found"). Errors have storage-api's shape: HTTP
//! 400 with the real status in the body's `statusCode` (see `errors::StorageError`). The bytes
//! are files under the backend's directory.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use tokio_postgres::error::SqlState;

use super::caller::{bearer, require_api_key, Caller};
use super::errors::StorageError;
use super::jwt::TokenError;
use super::AppState;

/// A path segment this backend stores: no separators, no `.`/`..`, a conservative alphabet.
fn valid_segment(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s.len() <= 255
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// The caller of a storage request: storage-api wants an `Authorization` header (the anon key
/// may be the bearer) and answers a token it cannot verify with `AccessDenied`.
fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, StorageError> {
    require_api_key(state, headers).map_err(|_| {
        StorageError::new(
            StatusCode::BAD_REQUEST,
            "Error",
            "Invalid API key",
            "InvalidRequest",
        )
    })?;
    let Some(token) = bearer(headers) else {
        return Err(StorageError::new(
            StatusCode::BAD_REQUEST,
            "Error",
            "headers must have required property 'authorization'",
            "InvalidRequest",
        ));
    };
    let (claims, role) = state.keys.verify_with_role(&token).map_err(|e| {
        let message = match e {
            TokenError::Expired => "\"exp\" claim timestamp check failed",
            TokenError::Invalid(why) if why.contains("Signature") => {
                "signature verification failed"
            }
            TokenError::Invalid(_) => "JWS Protected Header is invalid",
        };
        StorageError::new(
            StatusCode::FORBIDDEN,
            "Unauthorized",
            message,
            "AccessDenied",
        )
    })?;
    Ok(Caller { claims, role })
}

fn object_file(state: &AppState, bucket: &str, name: &str) -> Result<PathBuf, StorageError> {
    let segments: Vec<&str> = name.split('/').collect();
    if !valid_segment(bucket) || !segments.iter().all(|s| valid_segment(s)) {
        return Err(StorageError::new(
            StatusCode::BAD_REQUEST,
            "InvalidKey",
            format!("Invalid key: {bucket}/{name}"),
            "InvalidKey",
        ));
    }
    let mut file = state.storage_dir.join(bucket);
    file.extend(segments);
    Ok(file)
}

/// What a database failure looks like from storage-api.
fn db_error(e: &tokio_postgres::Error) -> StorageError {
    match e.code() {
        Some(c) if *c == SqlState::INSUFFICIENT_PRIVILEGE => StorageError::new(
            StatusCode::FORBIDDEN,
            "Unauthorized",
            "new row violates row-level security policy",
            "AccessDenied",
        ),
        Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => StorageError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "DatabaseReadOnly",
            "The database is in read-only mode",
            "DatabaseError",
        ),
        Some(c) if *c == SqlState::TOO_MANY_CONNECTIONS => too_many_connections(),
        _ => StorageError::plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal",
            "Internal Server Error",
            "InternalError",
        ),
    }
}

fn too_many_connections() -> StorageError {
    StorageError::plain(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_connections",
        "Too many connections issued to the database",
        "SlowDown",
    )
}

/// A transaction running as the caller, as storage-api queries the database.
async fn as_caller<'a>(
    client: &'a mut deadpool_postgres::Client,
    caller: &Caller,
) -> Result<deadpool_postgres::Transaction<'a>, StorageError> {
    let tx = client.transaction().await.map_err(|e| db_error(&e))?;
    super::role::enter(&tx, caller)
        .await
        .map_err(|e| db_error(&e))?;
    Ok(tx)
}

async fn connection(state: &AppState) -> Result<deadpool_postgres::Client, StorageError> {
    state.api.get().await.map_err(|e| match e {
        deadpool_postgres::PoolError::Timeout(_) => too_many_connections(),
        _ => StorageError::plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal",
            "Internal Server Error",
            "InternalError",
        ),
    })
}

fn upsert_requested(headers: &HeaderMap) -> bool {
    headers
        .get("x-upsert")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Replaces the file atomically (temp file + rename, fsync'd).
fn write_object(file: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().expect("object paths have a parent");
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// The bucket's limits, read as the storage service itself (not through the caller's RLS).
async fn bucket_limits(
    state: &AppState,
    bucket: &str,
) -> Result<(Option<i64>, Option<Vec<String>>), StorageError> {
    let client = state.admin.get().await.map_err(|_| {
        StorageError::plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal",
            "Internal Server Error",
            "InternalError",
        )
    })?;
    let row = client
        .query_opt(
            "select file_size_limit, allowed_mime_types from storage.buckets where id = $1",
            &[&bucket],
        )
        .await
        .map_err(|e| db_error(&e))?;
    let Some(row) = row else {
        return Err(StorageError::new(
            StatusCode::NOT_FOUND,
            "Bucket not found",
            "Bucket not found",
            "NoSuchBucket",
        ));
    };
    Ok((row.get(0), row.get(1)))
}

/// `POST|PUT /storage/v1/object/<bucket>/<name>`: `200 {"Key","Id"}`.
pub async fn upload(
    State(state): State<Arc<AppState>>,
    Path((bucket, name)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match store(&state, &bucket, &name, &headers, &body).await {
        Ok(id) => Json(json!({ "Key": format!("{bucket}/{name}"), "Id": id })).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn store(
    state: &AppState,
    bucket: &str,
    name: &str,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<uuid::Uuid, StorageError> {
    let caller = caller(state, headers)?;
    let file = object_file(state, bucket, name)?;
    let (size_limit, mime_types) = bucket_limits(state, bucket).await?;
    if size_limit.is_some_and(|limit| body.len() as i64 > limit) {
        return Err(StorageError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Payload too large",
            "The object exceeded the maximum allowed size",
            "EntityTooLarge",
        ));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/plain;charset=UTF-8")
        .to_string();
    if let Some(allowed) = &mime_types {
        if !allowed
            .iter()
            .any(|m| m.eq_ignore_ascii_case(&content_type))
        {
            return Err(StorageError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "invalid_mime_type",
                format!("mime type {content_type} is not supported"),
                "InvalidMimeType",
            ));
        }
    }
    let metadata = json!({ "mimetype": content_type, "size": body.len() });
    let owner = caller.sub().map(str::to_string);
    let mut client = connection(state).await?;
    let tx = as_caller(&mut client, &caller).await?;
    let sql = if upsert_requested(headers) {
        "insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version)
         values ($1, $2, $3::text::uuid, $3, $4, gen_random_uuid()::text)
         on conflict (bucket_id, name) do update
             set metadata = excluded.metadata, version = excluded.version,
                 owner = excluded.owner, owner_id = excluded.owner_id, updated_at = now()
         returning id"
    } else {
        "insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version)
         values ($1, $2, $3::text::uuid, $3, $4, gen_random_uuid()::text)
         returning id"
    };
    let row = tx
        .query_one(sql, &[&bucket, &name, &owner, &metadata])
        .await
        .map_err(|e| match e.code() {
            Some(c) if *c == SqlState::UNIQUE_VIOLATION => StorageError::new(
                StatusCode::CONFLICT,
                "Duplicate",
                "The resource already exists",
                "KeyAlreadyExists",
            ),
            _ => db_error(&e),
        })?;
    let id: uuid::Uuid = row.get(0);
    // The file before the row commits: a row never names a missing file.
    let bytes = body.clone();
    tokio::task::spawn_blocking(move || write_object(&file, &bytes))
        .await
        .map_err(std::io::Error::other)
        .and_then(|r| r)
        .map_err(|e| {
            StorageError::plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal",
                format!("storing the object: {e}"),
                "InternalError",
            )
        })?;
    tx.commit().await.map_err(|e| db_error(&e))?;
    Ok(id)
}

/// `GET /storage/v1/object/<bucket>/<name>`: the bytes with their content type, for a caller
/// the policies let read the row.
pub async fn download(
    State(state): State<Arc<AppState>>,
    Path((bucket, name)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match fetch(&state, &bucket, &name, &headers).await {
        Ok((content_type, bytes)) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, content_type)],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

async fn fetch(
    state: &AppState,
    bucket: &str,
    name: &str,
    headers: &HeaderMap,
) -> Result<(String, Vec<u8>), StorageError> {
    let caller = caller(state, headers)?;
    let file = object_file(state, bucket, name)?;
    let not_found = || {
        StorageError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Object not found",
            "NoSuchKey",
        )
    };
    let mut client = connection(state).await?;
    let tx = as_caller(&mut client, &caller).await?;
    let row = tx
        .query_opt(
            "select metadata ->> 'mimetype' from storage.objects
             where bucket_id = $1 and name = $2",
            &[&bucket, &name],
        )
        .await
        .map_err(|e| db_error(&e))?
        .ok_or_else(not_found)?;
    let content_type: Option<String> = row.get(0);
    drop(tx);
    let bytes = tokio::fs::read(&file).await.map_err(|_| not_found())?;
    Ok((
        content_type.unwrap_or_else(|| "application/octet-stream".into()),
        bytes,
    ))
}
