//! GoTrue's password flow: sign up, sign in, refresh (rotating), sign out.

use super::{BackendConfig, Session};
use crate::sync::protocol::excerpt;
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

/// Why an auth call failed. Messages never contain tokens or passwords.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// Wrong email/password, or a refresh token that no longer works: sign in again.
    #[error("invalid credentials: {0}")]
    InvalidCredentials(String),
    /// The backend could not be reached (offline, DNS, refused, timed out).
    #[error("network error: {0}")]
    Network(String),
    /// The backend answered with an error (e.g. 422 "User already registered", 500).
    #[error("server error {status}: {message}")]
    Server { status: u16, message: String },
    /// The backend answered with something that is not GoTrue's JSON.
    #[error("malformed auth response: {0}")]
    Malformed(String),
}

/// What a sign-up produced: a session, or nothing yet because the backend wants the email
/// address confirmed first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignUpOutcome {
    SignedIn(Session),
    ConfirmationRequired { email: String },
}

/// Speaks `/auth/v1` of one backend.
#[derive(Debug, Clone)]
pub struct AuthClient {
    config: BackendConfig,
    http: reqwest::Client,
}

#[derive(Deserialize)]
struct TokenBody {
    access_token: String,
    refresh_token: String,
    #[serde(default)]
    expires_in: Option<i64>,
    #[serde(default)]
    expires_at: Option<i64>,
    user: UserBody,
}

#[derive(Deserialize)]
struct UserBody {
    id: Uuid,
    #[serde(default)]
    email: Option<String>,
}

/// Both GoTrue error shapes: `{error, error_description}` and `{code, error_code, msg}`.
#[derive(Deserialize, Default)]
struct ErrorBody {
    /// The machine code as a string in GoTrue's 2024-01-01 shape (a number, the HTTP status,
    /// in the older one).
    code: Option<serde_json::Value>,
    error: Option<String>,
    error_description: Option<String>,
    error_code: Option<String>,
    msg: Option<String>,
    message: Option<String>,
}

/// GoTrue codes that mean "these credentials are no good".
const CREDENTIAL_CODES: &[&str] = &[
    "invalid_grant",
    "invalid_credentials",
    "refresh_token_not_found",
    "refresh_token_already_used",
    "session_not_found",
    "session_expired",
    "bad_jwt",
];

impl AuthClient {
    pub fn new(config: BackendConfig) -> Result<Self, AuthError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .build()
            .map_err(|e| AuthError::Network(e.to_string()))?;
        Ok(Self { config, http })
    }

    pub fn config(&self) -> &BackendConfig {
        &self.config
    }

    #[tracing::instrument(skip_all)]
    pub async fn sign_up(&self, email: &str, password: &str) -> Result<SignUpOutcome, AuthError> {
        let body = json!({ "email": email, "password": password });
        let (status, bytes) = self.post("auth/v1/signup", &body, None).await?;
        if !status.is_success() {
            return Err(error_from(status, &bytes));
        }
        // With email confirmation on, GoTrue answers with the user alone (no tokens).
        if let Ok(session) = parse_session(&bytes) {
            return Ok(SignUpOutcome::SignedIn(session));
        }
        #[derive(Deserialize)]
        struct Pending {
            id: Uuid,
            email: Option<String>,
        }
        match serde_json::from_slice::<Pending>(&bytes) {
            Ok(p) => {
                tracing::info!(user = %p.id, "sign-up awaits email confirmation");
                Ok(SignUpOutcome::ConfirmationRequired {
                    email: p.email.unwrap_or_else(|| email.to_string()),
                })
            }
            Err(e) => Err(malformed(&e)),
        }
    }

    #[tracing::instrument(skip_all)]
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<Session, AuthError> {
        let body = json!({ "email": email, "password": password });
        self.token("password", &body).await
    }

    /// Exchanges a refresh token for a new session; the old refresh token stops working.
    #[tracing::instrument(skip_all)]
    pub async fn refresh(&self, refresh_token: &str) -> Result<Session, AuthError> {
        let body = json!({ "refresh_token": refresh_token });
        self.token("refresh_token", &body).await
    }

    /// Revokes the session on the server. An already invalid token counts as signed out.
    #[tracing::instrument(skip_all)]
    pub async fn sign_out(&self, access_token: &str) -> Result<(), AuthError> {
        let (status, bytes) = self
            .post("auth/v1/logout", &json!({}), Some(access_token))
            .await?;
        if status.is_success() || status == StatusCode::UNAUTHORIZED {
            return Ok(());
        }
        match error_from(status, &bytes) {
            AuthError::InvalidCredentials(_) => Ok(()),
            e => Err(e),
        }
    }

    async fn token(
        &self,
        grant_type: &str,
        body: &serde_json::Value,
    ) -> Result<Session, AuthError> {
        let path = format!("auth/v1/token?grant_type={grant_type}");
        let (status, bytes) = self.post(&path, body, None).await?;
        if !status.is_success() {
            return Err(error_from(status, &bytes));
        }
        parse_session(&bytes).map_err(|e| malformed(&e))
    }

    async fn post(
        &self,
        path: &str,
        body: &serde_json::Value,
        bearer: Option<&str>,
    ) -> Result<(StatusCode, Vec<u8>), AuthError> {
        let mut req = self
            .http
            .post(self.config.endpoint(path))
            .header("apikey", &self.config.anon_key)
            .json(body);
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        let resp = req.send().await.map_err(network)?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(network)?;
        tracing::debug!(%status, path = path.split('?').next(), "auth response");
        Ok((status, bytes.to_vec()))
    }
}

fn network(e: reqwest::Error) -> AuthError {
    // Without the URL: it is the user's backend, not a secret, but keeps messages short.
    AuthError::Network(e.without_url().to_string())
}

/// Says only where the body broke: a token must not be quoted into an error.
fn malformed(e: &serde_json::Error) -> AuthError {
    AuthError::Malformed(format!(
        "not a GoTrue session (line {} column {}, {:?})",
        e.line(),
        e.column(),
        e.classify()
    ))
}

fn parse_session(bytes: &[u8]) -> Result<Session, serde_json::Error> {
    let t: TokenBody = serde_json::from_slice(bytes)?;
    let expires_at = match (t.expires_at, t.expires_in) {
        (Some(at), _) => DateTime::from_timestamp(at, 0),
        (None, Some(secs)) => Some(Utc::now() + chrono::Duration::seconds(secs)),
        (None, None) => None,
    }
    // No expiry given: treat the token as short-lived so it is refreshed soon.
    .unwrap_or_else(|| Utc::now() + chrono::Duration::minutes(5));
    Ok(Session {
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        expires_at,
        user_id: t.user.id,
        email: t.user.email,
    })
}

/// Maps a non-2xx answer in either GoTrue error shape.
fn error_from(status: StatusCode, bytes: &[u8]) -> AuthError {
    let body: Option<ErrorBody> = serde_json::from_slice(bytes).ok();
    let Some(body) = body else {
        return AuthError::Server {
            status: status.as_u16(),
            message: if bytes.is_empty() {
                status.canonical_reason().unwrap_or("error").to_string()
            } else {
                excerpt(bytes)
            },
        };
    };
    let code = body
        .code
        .as_ref()
        .and_then(|c| c.as_str().map(str::to_owned))
        .or(body.error_code.clone())
        .or(body.error.clone());
    let message = body
        .msg
        .or(body.error_description)
        .or(body.message)
        .or(body.error)
        .or(body.error_code)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_string());
    let credential_error = code
        .as_deref()
        .is_some_and(|c| CREDENTIAL_CODES.contains(&c))
        || status == StatusCode::UNAUTHORIZED;
    if credential_error && status.is_client_error() {
        AuthError::InvalidCredentials(message)
    } else {
        AuthError::Server {
            status: status.as_u16(),
            message,
        }
    }
}
