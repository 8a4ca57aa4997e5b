//! The JSON of `sync_push` / `sync_pull`, exactly as `migrations/server/README.md` specifies.
//!
//! Parsing of the server's answers is strict about what the client relies on (missing fields
//! and wrong types are errors) but ignores fields it does not know, so a newer server that adds
//! one does not stop older clients from syncing. A truncated or non-JSON body is reported with
//! a short excerpt (never more than [`EXCERPT_CHARS`] characters, so a note body cannot end up
//! in a log line in full).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest body excerpt an error message quotes.
pub const EXCERPT_CHARS: usize = 120;

/// The table names the protocol knows.
pub const TABLE_ENTRIES: &str = "entries";
pub const TABLE_CAPTURES: &str = "captures";

/// Body of `POST /rest/v1/rpc/sync_push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub client_id: String,
    pub ops: Vec<PushOp>,
}

/// One queued mutation; `fields` holds only the changed columns (current values).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushOp {
    pub op_seq: i64,
    pub table: String,
    pub row_id: String,
    pub op: OpKind,
    pub fields: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpKind {
    Upsert,
    Delete,
}

/// Response `200` of `sync_push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub version: i64,
    pub last_op_seq: i64,
    pub results: Vec<OpResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpResult {
    pub op_seq: i64,
    pub status: OpStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OpStatus {
    Applied,
    Duplicate,
    Rejected,
}

/// Body of `POST /rest/v1/rpc/sync_pull`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    pub cursor: Option<String>,
    pub page_size: u32,
    /// This installation: the server records how far it has pulled (delivery receipts).
    /// Absent, the pull records nothing (a server without migration 0011 only has that one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// Response `200` of `sync_pull`: one page of changed rows in `(version, table, id)` order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<Change>,
    pub next_cursor: Option<String>,
    pub has_more: bool,
    pub must_resync: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub table: String,
    pub row: serde_json::Value,
}

/// A body that is not the JSON the protocol promises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MalformedBody {
    /// What was expected (`sync_push response`, ...).
    pub what: &'static str,
    /// serde's description, with line and column.
    pub detail: String,
    /// The start of the body, at most [`EXCERPT_CHARS`] characters.
    pub excerpt: String,
}

impl fmt::Display for MalformedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "malformed {}: {} (body starts {:?})",
            self.what, self.detail, self.excerpt
        )
    }
}

impl std::error::Error for MalformedBody {}

/// The first [`EXCERPT_CHARS`] characters of `body` (lossy UTF-8), marked when cut.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

fn parse<T: for<'de> Deserialize<'de>>(
    what: &'static str,
    body: &[u8],
) -> Result<T, MalformedBody> {
    serde_json::from_slice(body).map_err(|e| MalformedBody {
        what,
        detail: if e.is_eof() {
            format!("truncated body ({e})")
        } else {
            e.to_string()
        },
        excerpt: excerpt(body),
    })
}

impl PushResponse {
    pub fn parse(body: &[u8]) -> Result<Self, MalformedBody> {
        parse("sync_push response", body)
    }
}

impl PullResponse {
    /// Also checks the page's own consistency: a `must_resync` page carries no changes.
    pub fn parse(body: &[u8]) -> Result<Self, MalformedBody> {
        let page: PullResponse = parse("sync_pull response", body)?;
        if page.must_resync && !page.changes.is_empty() {
            return Err(MalformedBody {
                what: "sync_pull response",
                detail: "must_resync page carries changes".to_string(),
                excerpt: excerpt(body),
            });
        }
        if page.has_more && page.next_cursor.is_none() {
            return Err(MalformedBody {
                what: "sync_pull response",
                detail: "has_more without next_cursor".to_string(),
                excerpt: excerpt(body),
            });
        }
        Ok(page)
    }
}
