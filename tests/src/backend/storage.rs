//! `/storage/v1/object/<bucket>/<path..>`: uploads (`POST`/`PUT`, `x-upsert: true` to
//! replace) and downloads (`GET`) of objects owned by the caller. As the policy the app relies
//! on says, the first path segment after the bucket must be the caller's user id
//! (`service_role` may touch anything). Objects are plain files under the backend's directory.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::caller::{require_api_key, resolve, Caller};
use super::errors::StorageError;
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

/// The verified caller, and the object's file if the caller may touch it; else the error
/// response (large, but built at most once per request).
#[allow(clippy::result_large_err)]
fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    bucket: &str,
    path: &str,
) -> Result<(Caller, PathBuf), Response> {
    let api = require_api_key(&state.keys, headers)?;
    let caller = resolve(&state.keys, headers, api).map_err(|e| {
        StorageError::new(StatusCode::UNAUTHORIZED, "InvalidJWT", e.to_string()).into_response()
    })?;
    let segments: Vec<&str> = path.split('/').collect();
    if !valid_segment(bucket) || !segments.iter().all(|s| valid_segment(s)) {
        return Err(StorageError::new(
            StatusCode::BAD_REQUEST,
            "InvalidKey",
            format!("Invalid key: {bucket}/{path}"),
        )
        .into_response());
    }
    let owner_ok = caller.role == "service_role"
        || (caller.role == "authenticated"
            && segments.len() >= 2
            && caller.sub().is_some_and(|sub| sub == segments[0]));
    if !owner_ok {
        return Err(StorageError::new(
            StatusCode::FORBIDDEN,
            "Unauthorized",
            "new row violates row-level security policy",
        )
        .into_response());
    }
    let mut file = state.storage_dir.join(bucket);
    file.extend(segments);
    Ok((caller, file))
}

fn io_error(e: std::io::Error) -> Response {
    StorageError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal",
        format!("storing the object: {e}"),
    )
    .into_response()
}

fn upsert_requested(headers: &HeaderMap) -> bool {
    headers
        .get("x-upsert")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// Writes the object: replace atomically (temp file + rename) when upserting, otherwise
/// create it exclusively so that two racing uploads cannot both succeed.
fn write_object(file: &std::path::Path, bytes: &[u8], upsert: bool) -> std::io::Result<()> {
    let dir = file.parent().expect("object paths have a parent");
    std::fs::create_dir_all(dir)?;
    if upsert {
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        tmp.write_all(bytes)?;
        tmp.as_file().sync_all()?;
        tmp.persist(file).map_err(|e| e.error)?;
    } else {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(file)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    Ok(())
}

/// `POST|PUT /storage/v1/object/<bucket>/<user_id>/<name>`: `200 {"Key","Id"}`, `409` when it
/// exists and `x-upsert` is not `true`, `403` for someone else's prefix.
pub async fn upload(
    State(state): State<Arc<AppState>>,
    Path((bucket, path)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, file) = match authorize(&state, &headers, &bucket, &path) {
        Ok(ok) => ok,
        Err(response) => return response,
    };
    let upsert = upsert_requested(&headers);
    let target = file.clone();
    let written = tokio::task::spawn_blocking(move || write_object(&target, &body, upsert)).await;
    match written {
        Ok(Ok(())) => {}
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return StorageError::new(
                StatusCode::CONFLICT,
                "Duplicate",
                "The resource already exists",
            )
            .into_response();
        }
        Ok(Err(e)) => return io_error(e),
        Err(e) => return io_error(std::io::Error::other(e)),
    }
    let key = format!("{bucket}/{path}");
    Json(json!({ "Key": key, "Id": uuid::Uuid::now_v7() })).into_response()
}

/// `GET /storage/v1/object/<bucket>/<user_id>/<name>`: the bytes, for the owner.
pub async fn download(
    State(state): State<Arc<AppState>>,
    Path((bucket, path)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (_, file) = match authorize(&state, &headers, &bucket, &path) {
        Ok(ok) => ok,
        Err(response) => return response,
    };
    match tokio::fs::read(&file).await {
        Ok(bytes) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/octet-stream")],
            bytes,
        )
            .into_response(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            StorageError::new(StatusCode::NOT_FOUND, "not_found", "Object not found")
                .into_response()
        }
        Err(e) => io_error(e),
    }
}
