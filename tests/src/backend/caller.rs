//! Who is calling: the `apikey` header (checked like Supabase's gateway does) and the bearer
//! token (verified like PostgREST does).

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::jwt::{JwtKeys, TokenError};
use super::AppState;

/// A verified caller: all claims of its token and its role.
#[derive(Debug, Clone)]
pub struct Caller {
    pub claims: Value,
    pub role: String,
}

impl Caller {
    /// The user id (`sub`), for user tokens.
    pub fn sub(&self) -> Option<&str> {
        self.claims.get("sub").and_then(Value::as_str)
    }
}

/// `Authorization: Bearer <token>`, if present.
pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

/// Requires an `apikey` header, as Supabase's gateway does before any service sees the
/// request: a legacy key signed with the project's secret, or the project's publishable key
/// (`sb_publishable_…`, opaque: it stands for the anon role). Returns the key's own caller
/// (anon or service_role), else the error response (large, but built at most once per
/// request).
#[allow(clippy::result_large_err)]
pub fn require_api_key(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    check_api_key(state, headers.get("apikey").and_then(|v| v.to_str().ok()))
}

/// The gateway's check of an API key however it came (a header, or the `apikey` query
/// parameter of a WebSocket URL, which browsers cannot send headers with).
#[allow(clippy::result_large_err)]
pub fn check_api_key(state: &AppState, key: Option<&str>) -> Result<Caller, Response> {
    let keys = &state.keys;
    let Some(key) = key else {
        return Err(gateway_error(
            "No API key found in request",
            "No `apikey` request header or url param was found.",
        ));
    };
    if state.options.publishable_key.as_deref() == Some(key.trim()) {
        return Ok(Caller {
            claims: json!({ "role": "anon" }),
            role: "anon".into(),
        });
    }
    match keys.verify_with_role(key.trim()) {
        Ok((claims, role)) => Ok(Caller { claims, role }),
        Err(_) => Err(gateway_error(
            "Invalid API key",
            "Double check your Supabase `anon` or `service_role` API key.",
        )),
    }
}

/// The bearer token's caller, or the API key's when no bearer token is sent (PostgREST then
/// runs as the anon role).
pub fn resolve(keys: &JwtKeys, headers: &HeaderMap, api: Caller) -> Result<Caller, TokenError> {
    match bearer(headers) {
        Some(token) => {
            let (claims, role) = keys.verify_with_role(&token)?;
            Ok(Caller { claims, role })
        }
        None => Ok(api),
    }
}

fn gateway_error(message: &str, hint: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({ "message": message, "hint": hint })),
    )
        .into_response()
}
