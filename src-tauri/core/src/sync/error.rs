//! Why a sync step failed, classified for the engine's retry policy.

use super::protocol::MalformedBody;
use crate::error::CoreError;

#[derive(thiserror::Error, Debug)]
pub enum SyncError {
    /// 401: the access token is missing, bad or expired. Refresh once, then retry.
    #[error("not authorized (401): {0}")]
    Unauthorized(String),
    /// Another 4xx: the request itself is refused; retrying it unchanged will not help.
    #[error("request rejected ({status}): {message}")]
    Rejected { status: u16, message: String },
    /// 5xx: the backend failed; retry with backoff.
    #[error("server error ({status}): {message}")]
    Server { status: u16, message: String },
    /// No connection could be made (offline, DNS, refused, TLS).
    #[error("network error: {0}")]
    Network(String),
    /// Connected, but no answer in time (the backend is unreachable or overloaded).
    #[error("request timed out")]
    Timeout,
    /// A 2xx body that is not the protocol's JSON, or a row the client cannot apply.
    #[error("{0}")]
    Malformed(String),
    /// The signed-in user is not the one whose journal this database holds: pushing would
    /// put one user's changes into another's account.
    #[error("this journal belongs to another account; sign in again from Settings to switch")]
    OtherAccount,
    #[error(transparent)]
    Store(#[from] CoreError),
}

impl SyncError {
    /// Worth retrying later with the same data: the one rule for what a failure means.
    ///
    /// Transient: the network (no connection, timeout), the backend failing (5xx), asking us
    /// to slow down (429) or giving up on a slow request (408), or an answer we cannot read
    /// (a proxy or captive portal in the way). None of these says anything about the ops,
    /// so a push that fails this way only backs off: an outage, however long, never
    /// dead-letters an op. Everything else (another 4xx) is the backend refusing the request
    /// itself, which retrying unchanged will not fix; only those count toward
    /// `outbox::MAX_ATTEMPTS`.
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Server { .. }
            | SyncError::Network(_)
            | SyncError::Timeout
            | SyncError::Malformed(_) => true,
            SyncError::Rejected { status, .. } => {
                matches!(*status, TOO_MANY_REQUESTS | REQUEST_TIMEOUT)
            }
            SyncError::Unauthorized(_) | SyncError::OtherAccount | SyncError::Store(_) => false,
        }
    }
}

/// 4xx statuses that mean "later", not "no".
const TOO_MANY_REQUESTS: u16 = 429;
const REQUEST_TIMEOUT: u16 = 408;

impl From<MalformedBody> for SyncError {
    fn from(e: MalformedBody) -> Self {
        SyncError::Malformed(e.to_string())
    }
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Store(CoreError::Storage(e))
    }
}
