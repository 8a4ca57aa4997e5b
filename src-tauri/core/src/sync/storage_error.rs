//! What Supabase Storage's error answers mean. Storage answers most failures with HTTP 400 and
//! puts the real status in the body's `statusCode` (a string: `"403"`, `"413"`, …), next to
//! `error`, `message` and `code`; `@supabase/storage-js` reads it the same way. The effective
//! status decides: a token Storage could not verify is a 401 (the caller renews the session
//! once and tries again); row-level security, a missing bucket, a file too large and a
//! refused type are permanent, with a reason a user can act on; 429, 423, 503, 544 and 5xx are
//! worth retrying.

use super::error::SyncError;
use super::http::{error_message, status_error};
use reqwest::StatusCode;

/// Messages of an `AccessDenied` that are about the token, not the policy.
const TOKEN_PROBLEMS: &[&str] = &[
    "\"exp\" claim",
    "jwt expired",
    "signature verification failed",
    "jws protected header",
    "invalid jwt",
    "jwt malformed",
    "invalid compact jws",
];

pub(super) fn storage_error(http_status: StatusCode, body: &[u8]) -> SyncError {
    let json = serde_json::from_slice::<serde_json::Value>(body).ok();
    let field = |key: &str| {
        json.as_ref()
            .and_then(|v| v.get(key))
            .and_then(|v| match v {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
    };
    let status = field("statusCode")
        .and_then(|s| s.parse::<u16>().ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(http_status);
    let error = field("error").unwrap_or_default();
    let code = field("code").unwrap_or_default();
    let message = error_message(status, body);
    let lower = message.to_lowercase();
    let token_problem = error == "InvalidJWT"
        || (status == StatusCode::FORBIDDEN && TOKEN_PROBLEMS.iter().any(|p| lower.contains(p)));
    if token_problem || status == StatusCode::UNAUTHORIZED {
        return SyncError::Unauthorized(message);
    }
    let reason = match (status.as_u16(), code.as_str()) {
        (403, _) => Some(
            "Storage refused the recording for this account (row-level security): the \
             backend's storage policies do not let you write there",
        ),
        (404, _) if code == "NoSuchBucket" || error.contains("Bucket") => Some(
            "The backend has no `captures` bucket: apply Jotline's server migrations \
             (migrations/server) to the project",
        ),
        (413, _) => Some("The recording is larger than the `captures` bucket's file size limit"),
        (415, _) => Some("The `captures` bucket does not accept WAV audio (audio/wav)"),
        (409, _) => Some("Storage already holds this recording and would not replace it"),
        (423 | 429 | 503 | 544, _) => {
            return SyncError::Server {
                status: status.as_u16(),
                message,
            }
        }
        _ => None,
    };
    match reason {
        Some(reason) => SyncError::Rejected {
            status: status.as_u16(),
            message: format!("{reason} ({message})."),
        },
        None => status_error(status, body),
    }
}
