//! `/auth/v1`: GoTrue's signup, password and refresh-token grants, logout and user.
//!
//! Sessions live in `auth.refresh_tokens` (one `session_id` per sign-in). Refreshing revokes
//! the used token and issues a new one in the same session (rotation); presenting a revoked
//! token again is treated as theft, like GoTrue does: the whole session is revoked. (GoTrue
//! also has a short reuse interval for concurrent refreshes; this backend has none, so tests
//! see the strict behaviour.)

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::caller::{bearer, require_api_key};
use super::errors::{AuthError, AuthErrorStyle, API_VERSION_2024};
use super::password::{hash_password, password_matches};
use super::AppState;

fn new_refresh_token() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(40)
        .map(char::from)
        .collect()
}

fn db_error(e: impl std::fmt::Display) -> AuthError {
    AuthError::internal(format!("database error: {e}"))
}

/// Turns a handler result into a response in GoTrue's error style: the configured one, or
/// the 2024-01-01 shape for a client that asks for that API version.
fn respond(state: &AppState, headers: &HeaderMap, result: Result<Response, AuthError>) -> Response {
    let asks_2024 = headers
        .get("x-supabase-api-version")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v >= API_VERSION_2024);
    let style = if asks_2024 {
        AuthErrorStyle::Current
    } else {
        state.options.auth_error_style
    };
    result.unwrap_or_else(|e| e.into_response_styled(style))
}

#[derive(Debug, Deserialize)]
pub struct Credentials {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// The JSON body, parsed here rather than by axum so a bad body gets a GoTrue-shaped error.
fn parse_body(body: &Bytes) -> Result<Value, AuthError> {
    if body.is_empty() {
        return Ok(json!({}));
    }
    serde_json::from_slice(body)
        .map_err(|e| AuthError::validation(format!("Could not parse request body as JSON: {e}")))
}

fn parse_credentials(body: &Value) -> Result<Credentials, AuthError> {
    serde_json::from_value::<Credentials>(body.clone())
        .map_err(|e| AuthError::validation(format!("Could not read the request body: {e}")))
}

fn normalize_email(email: &str) -> Result<String, AuthError> {
    let email = email.trim().to_lowercase();
    let valid = email
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    if !valid {
        return Err(AuthError::validation(
            "Unable to validate email address: invalid format",
        ));
    }
    Ok(email)
}

/// Issues an access token plus the given refresh token, as GoTrue's session JSON.
fn session_json(
    state: &AppState,
    user_id: Uuid,
    email: &str,
    session_id: Uuid,
    refresh_token: &str,
) -> Value {
    let ttl = state.options.access_token_ttl.as_secs().max(1);
    let (access_token, claims) =
        state
            .keys
            .access_token(&user_id.to_string(), email, &session_id.to_string(), ttl);
    json!({
        "access_token": access_token,
        "token_type": "bearer",
        "expires_in": ttl,
        "expires_at": claims.exp,
        "refresh_token": refresh_token,
        "user": user_json(user_id, email),
    })
}

fn user_json(user_id: Uuid, email: &str) -> Value {
    json!({
        "id": user_id,
        "aud": "authenticated",
        "role": "authenticated",
        "email": email,
    })
}

/// Starts a new session for the user: a first refresh token and an access token.
async fn new_session(state: &AppState, user_id: Uuid, email: &str) -> Result<Value, AuthError> {
    let client = state.admin.get().await.map_err(db_error)?;
    let session_id = Uuid::now_v7();
    let token = new_refresh_token();
    client
        .execute(
            "insert into auth.refresh_tokens (token, user_id, session_id, revoked, created_at, updated_at)
             values ($1, $2, $3, false, now(), now())",
            &[&token, &user_id, &session_id],
        )
        .await
        .map_err(db_error)?;
    Ok(session_json(state, user_id, email, session_id, &token))
}

/// `POST /auth/v1/signup {"email","password"}`: creates a confirmed user and signs it in.
pub async fn signup(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(response) = require_api_key(&state, &headers) {
        return response;
    }
    let result = async {
        let creds = parse_credentials(&parse_body(&body)?)?;
        let email = normalize_email(&creds.email)?;
        if creds.password.chars().count() < 6 {
            return Err(AuthError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_request",
                "weak_password",
                "Password should be at least 6 characters.",
            ));
        }
        let password = creds.password;
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AuthError::internal(e.to_string()))??;
        let client = state.admin.get().await.map_err(db_error)?;
        let row = client
            .query_opt(
                "insert into auth.users (id, email, encrypted_password, created_at, updated_at)
                 values ($1, $2, $3, now(), now())
                 on conflict (email) do nothing
                 returning id",
                &[&Uuid::now_v7(), &email, &hash],
            )
            .await
            .map_err(db_error)?;
        let Some(row) = row else {
            return Err(AuthError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_request",
                "user_already_exists",
                "User already registered",
            ));
        };
        let user_id: Uuid = row.get(0);
        let session = new_session(&state, user_id, &email).await?;
        Ok(Json(session).into_response())
    }
    .await;
    respond(&state, &headers, result)
}

#[derive(Debug, Deserialize)]
pub struct GrantQuery {
    grant_type: Option<String>,
}

/// `POST /auth/v1/token?grant_type=password|refresh_token`.
pub async fn token(
    State(state): State<Arc<AppState>>,
    Query(query): Query<GrantQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(response) = require_api_key(&state, &headers) {
        return response;
    }
    let body = match parse_body(&body) {
        Ok(body) => body,
        Err(e) => return respond(&state, &headers, Err(e)),
    };
    let result = match query.grant_type.as_deref() {
        Some("password") => password_grant(&state, &body).await,
        Some("refresh_token") => refresh_grant(&state, &body).await,
        other => Err(AuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "validation_failed",
            format!("unsupported_grant_type: {}", other.unwrap_or("")),
        )),
    };
    respond(
        &state,
        &headers,
        result.map(|session| Json(session).into_response()),
    )
}

async fn password_grant(state: &AppState, body: &Value) -> Result<Value, AuthError> {
    let creds = parse_credentials(body)?;
    let invalid = || AuthError::invalid_grant("invalid_credentials", "Invalid login credentials");
    let email = normalize_email(&creds.email).map_err(|_| invalid())?;
    let client = state.admin.get().await.map_err(db_error)?;
    let row = client
        .query_opt(
            "select id, email, encrypted_password from auth.users where email = $1",
            &[&email],
        )
        .await
        .map_err(db_error)?
        .ok_or_else(invalid)?;
    drop(client);
    let user_id: Uuid = row.get(0);
    let email: String = row.get(1);
    let stored: Option<String> = row.get(2);
    let stored = stored.ok_or_else(invalid)?;
    let password = creds.password;
    let ok = tokio::task::spawn_blocking(move || password_matches(&password, &stored))
        .await
        .map_err(|e| AuthError::internal(e.to_string()))?;
    if !ok {
        return Err(invalid());
    }
    new_session(state, user_id, &email).await
}

async fn refresh_grant(state: &AppState, body: &Value) -> Result<Value, AuthError> {
    let Some(old) = body.get("refresh_token").and_then(Value::as_str) else {
        return Err(AuthError::validation("refresh_token required"));
    };
    let mut client = state.admin.get().await.map_err(db_error)?;
    let tx = client.transaction().await.map_err(db_error)?;
    let row = tx
        .query_opt(
            "select t.user_id, t.session_id, t.revoked, u.email
             from auth.refresh_tokens t join auth.users u on u.id = t.user_id
             where t.token = $1
             for update of t",
            &[&old],
        )
        .await
        .map_err(db_error)?;
    let Some(row) = row else {
        return Err(AuthError::invalid_grant(
            "refresh_token_not_found",
            "Invalid Refresh Token: Refresh Token Not Found",
        ));
    };
    let user_id: Uuid = row.get(0);
    let session_id: Uuid = row.get(1);
    let revoked: bool = row.get(2);
    let email: String = row.get(3);
    if revoked {
        // Reuse of a rotated token: assume it leaked and end the whole session.
        tx.execute(
            "update auth.refresh_tokens set revoked = true, updated_at = now()
             where session_id = $1",
            &[&session_id],
        )
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)?;
        return Err(AuthError::invalid_grant(
            "refresh_token_already_used",
            "Invalid Refresh Token: Already Used",
        ));
    }
    let new = new_refresh_token();
    tx.execute(
        "update auth.refresh_tokens set revoked = true, updated_at = now() where token = $1",
        &[&old],
    )
    .await
    .map_err(db_error)?;
    tx.execute(
        "insert into auth.refresh_tokens (token, user_id, session_id, revoked, parent, created_at, updated_at)
         values ($1, $2, $3, false, $4, now(), now())",
        &[&new, &user_id, &session_id, &old],
    )
    .await
    .map_err(db_error)?;
    tx.commit().await.map_err(db_error)?;
    Ok(session_json(state, user_id, &email, session_id, &new))
}

/// The verified user token of a request (`role: authenticated`), for logout and user.
fn user_claims(state: &AppState, headers: &HeaderMap) -> Result<Value, AuthError> {
    let token = bearer(headers)
        .ok_or_else(|| AuthError::unauthorized("This endpoint requires a Bearer token"))?;
    let claims = state
        .keys
        .verify(&token)
        .map_err(|e| AuthError::unauthorized(format!("invalid JWT: {e}")))?;
    if claims.get("role").and_then(Value::as_str) != Some("authenticated") {
        return Err(AuthError::unauthorized(
            "This endpoint requires a user token",
        ));
    }
    Ok(claims)
}

#[derive(Debug, Deserialize)]
pub struct LogoutQuery {
    scope: Option<String>,
}

/// `POST /auth/v1/logout[?scope=local|global|others]` with the user's bearer token: revokes
/// the refresh tokens of this session (`local`, the default here), of every session of the
/// user (`global`) or of the other sessions (`others`). Access tokens stay valid until they
/// expire, as with GoTrue. `204`.
pub async fn logout(
    State(state): State<Arc<AppState>>,
    Query(query): Query<LogoutQuery>,
    headers: HeaderMap,
) -> Response {
    if let Err(response) = require_api_key(&state, &headers) {
        return response;
    }
    let result = async {
        let claims = user_claims(&state, &headers)?;
        let parse = |key: &str| {
            claims
                .get(key)
                .and_then(Value::as_str)
                .and_then(|s| Uuid::parse_str(s).ok())
                .ok_or_else(|| AuthError::unauthorized(format!("token has no valid {key}")))
        };
        let user_id = parse("sub")?;
        let session_id = parse("session_id")?;
        let sql = match query.scope.as_deref().unwrap_or("local") {
            "local" => {
                "update auth.refresh_tokens set revoked = true, updated_at = now()
                        where user_id = $1 and session_id = $2"
            }
            "global" => {
                "update auth.refresh_tokens set revoked = true, updated_at = now()
                         where user_id = $1 and $2::uuid is not null"
            }
            "others" => {
                "update auth.refresh_tokens set revoked = true, updated_at = now()
                         where user_id = $1 and session_id is distinct from $2"
            }
            other => {
                return Err(AuthError::validation(format!(
                    "unknown logout scope {other:?}"
                )));
            }
        };
        let client = state.admin.get().await.map_err(db_error)?;
        client
            .execute(sql, &[&user_id, &session_id])
            .await
            .map_err(db_error)?;
        Ok(StatusCode::NO_CONTENT.into_response())
    }
    .await;
    respond(&state, &headers, result)
}

/// `GET /auth/v1/user` with the user's bearer token: the user JSON.
pub async fn user(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Err(response) = require_api_key(&state, &headers) {
        return response;
    }
    let result = async {
        let claims = user_claims(&state, &headers)?;
        let user_id = claims
            .get("sub")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
            .ok_or_else(|| AuthError::unauthorized("token has no valid sub"))?;
        let client = state.admin.get().await.map_err(db_error)?;
        let row = client
            .query_opt("select email from auth.users where id = $1", &[&user_id])
            .await
            .map_err(db_error)?
            .ok_or_else(|| {
                AuthError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "user_not_found",
                    "User not found",
                )
            })?;
        let email: String = row.get(0);
        Ok(Json(user_json(user_id, &email)).into_response())
    }
    .await;
    respond(&state, &headers, result)
}
