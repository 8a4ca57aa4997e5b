//! Error bodies in the shapes the real services use: GoTrue (`/auth/v1`), PostgREST
//! (`/rest/v1`) and Storage (`/storage/v1`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Which of GoTrue's two error shapes `/auth/v1` answers with (README: clients accept both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthErrorStyle {
    /// Older GoTrue: `{"error": "invalid_grant", "error_description": "..."}`.
    #[default]
    Legacy,
    /// Newer GoTrue: `{"code": 400, "error_code": "invalid_credentials", "msg": "..."}`.
    Modern,
    /// GoTrue to a client that sends `X-Supabase-Api-Version: 2024-01-01` (supabase-js
    /// does): `{"code": "invalid_credentials", "message": "..."}`, with the same header back.
    Current,
}

/// The API version supabase-js asks GoTrue for.
pub const API_VERSION_2024: &str = "2024-01-01";

/// A GoTrue error: `error` is the OAuth-style code of the legacy shape, `error_code` the
/// machine code of the modern shape.
#[derive(Debug, Clone)]
pub struct AuthError {
    pub status: StatusCode,
    pub error: &'static str,
    pub error_code: &'static str,
    pub message: String,
}

impl AuthError {
    pub fn new(
        status: StatusCode,
        error: &'static str,
        error_code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        AuthError {
            status,
            error,
            error_code,
            message: message.into(),
        }
    }

    pub fn invalid_grant(error_code: &'static str, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            error_code,
            message,
        )
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "validation_failed",
            message,
        )
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "bad_jwt", message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "unexpected_failure",
            message,
        )
    }

    pub fn into_response_styled(self, style: AuthErrorStyle) -> Response {
        let body = match style {
            AuthErrorStyle::Legacy => json!({
                "error": self.error,
                "error_description": self.message,
            }),
            AuthErrorStyle::Modern => json!({
                "code": self.status.as_u16(),
                "error_code": self.error_code,
                "msg": self.message,
            }),
            AuthErrorStyle::Current => {
                let body = json!({ "code": self.error_code, "message": self.message });
                return (
                    self.status,
                    [("x-supabase-api-version", API_VERSION_2024)],
                    Json(body),
                )
                    .into_response();
            }
        };
        (self.status, Json(body)).into_response()
    }
}

/// A PostgREST error: `{"code","message","details","hint"}`.
#[derive(Debug, Clone)]
pub struct RestError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub details: Option<String>,
    pub hint: Option<String>,
}

impl RestError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        RestError {
            status,
            code: code.to_string(),
            message: message.into(),
            details: None,
            hint: None,
        }
    }

    pub fn jwt(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "PGRST301", message)
    }

    /// Maps a Postgres error like PostgREST does (subset). `anon` decides 401 versus 403 for
    /// `42501 insufficient_privilege`, as PostgREST answers 401 only to unauthenticated callers.
    pub fn from_db(err: &tokio_postgres::Error, anon: bool) -> Self {
        let Some(db) = err.as_db_error() else {
            return Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "PGRST000",
                format!("database connection error: {err}"),
            );
        };
        let code = db.code().code();
        let status = match code {
            "42501" if anon => StatusCode::UNAUTHORIZED,
            "42501" => StatusCode::FORBIDDEN,
            "23503" | "23505" => StatusCode::CONFLICT,
            c if c.starts_with("28") => StatusCode::FORBIDDEN,
            "42883" | "42P01" => StatusCode::NOT_FOUND,
            "P0001" => StatusCode::BAD_REQUEST,
            "25006" => StatusCode::METHOD_NOT_ALLOWED,
            c if c.starts_with("08") || c.starts_with("53") => StatusCode::SERVICE_UNAVAILABLE,
            c if c.starts_with("40")
                || c.starts_with("54")
                || c.starts_with("55")
                || c.starts_with("57")
                || c.starts_with("58")
                || c.starts_with("XX") =>
            {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::BAD_REQUEST,
        };
        RestError {
            status,
            code: code.to_string(),
            message: db.message().to_string(),
            details: db.detail().map(str::to_string),
            hint: db.hint().map(str::to_string),
        }
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        let body = json!({
            "code": self.code,
            "message": self.message,
            "details": self.details,
            "hint": self.hint,
        });
        (self.status, Json(body)).into_response()
    }
}

/// Supabase Storage's error answer: mostly HTTP 400, with the real status in the body's
/// `statusCode` (a string), its `error`, `message` and `code` (storage-api's `ErrorCode`).
/// 429 (too many connections) and 500 (database down) are also the HTTP status.
pub struct StorageError {
    pub http: StatusCode,
    pub status: StatusCode,
    pub error: &'static str,
    pub message: String,
    pub code: &'static str,
}

impl StorageError {
    /// HTTP 400 carrying `status` in the body, as storage-api answers client errors.
    pub fn new(
        status: StatusCode,
        error: &'static str,
        message: impl Into<String>,
        code: &'static str,
    ) -> Self {
        StorageError {
            http: StatusCode::BAD_REQUEST,
            status,
            error,
            message: message.into(),
            code,
        }
    }

    /// The same status on the wire and in the body (429, 500).
    pub fn plain(
        status: StatusCode,
        error: &'static str,
        message: impl Into<String>,
        code: &'static str,
    ) -> Self {
        StorageError {
            http: status,
            ..Self::new(status, error, message, code)
        }
    }
}

impl IntoResponse for StorageError {
    fn into_response(self) -> Response {
        let body = json!({
            "statusCode": self.status.as_u16().to_string(),
            "error": self.error,
            "message": self.message,
            "code": self.code,
        });
        (self.http, Json(body)).into_response()
    }
}
