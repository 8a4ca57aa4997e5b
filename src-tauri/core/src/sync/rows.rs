//! Local rows ⇄ protocol JSON: times as RFC 3339 UTC strings, only synced columns.

use crate::store::entries::{EntryRow, SyncedEntry};
use crate::store::pending_captures::SyncedCapture;
use crate::store::{from_ms, to_ms};
use chrono::{DateTime, SecondsFormat};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Local table name of the protocol's `captures`.
pub(crate) const LOCAL_CAPTURES: &str = "pending_captures";

/// The protocol's table name for a local table (`None`: not synced).
pub(crate) fn protocol_table(local: &str) -> Option<&'static str> {
    match local {
        "entries" => Some(super::protocol::TABLE_ENTRIES),
        LOCAL_CAPTURES => Some(super::protocol::TABLE_CAPTURES),
        _ => None,
    }
}

pub(crate) fn time_json(ms: i64) -> Value {
    Value::String(from_ms(ms).to_rfc3339_opts(SecondsFormat::Millis, true))
}

fn opt_time_json(ms: Option<i64>) -> Value {
    ms.map_or(Value::Null, time_json)
}

fn opt_str(s: &Option<String>) -> Value {
    s.clone().map_or(Value::Null, Value::String)
}

/// Every synced column of an entry.
pub(crate) fn entry_fields(e: &SyncedEntry) -> Map<String, Value> {
    let r = &e.row;
    let mut m = Map::new();
    m.insert("kind".into(), Value::String(r.kind.clone()));
    m.insert("title".into(), opt_str(&r.title));
    m.insert("body".into(), Value::String(r.body.clone()));
    m.insert("occurred_at".into(), time_json(r.occurred_at));
    m.insert("created_at".into(), time_json(r.created_at));
    m.insert("updated_at".into(), time_json(r.updated_at));
    m.insert("deleted_at".into(), opt_time_json(e.deleted_at));
    m
}

/// Every synced column of a capture; `context` goes as JSON when it is JSON.
pub(crate) fn capture_fields(c: &SyncedCapture) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("created_at".into(), time_json(c.created_at));
    m.insert("surface".into(), Value::String(c.surface.clone()));
    m.insert("text".into(), opt_str(&c.text));
    m.insert("audio_path".into(), opt_str(&c.audio_path));
    m.insert(
        "audio_duration_ms".into(),
        c.audio_duration_ms.map_or(Value::Null, Value::from),
    );
    m.insert("parse_status".into(), Value::String(c.parse_status.clone()));
    m.insert("error".into(), opt_str(&c.error));
    let context = c.context.as_deref().map_or(Value::Null, |s| {
        serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()))
    });
    m.insert("context".into(), context);
    m.insert("entry_id".into(), opt_str(&c.entry_id));
    m.insert("deleted_at".into(), opt_time_json(c.deleted_at));
    m
}

/// A pulled row: its id, version, and the fields it carries (absent ≠ null).
pub(crate) struct RemoteRow<'a> {
    pub id: String,
    pub version: i64,
    obj: &'a Map<String, Value>,
    table: &'static str,
}

impl<'a> RemoteRow<'a> {
    pub(crate) fn parse(table: &'static str, row: &'a Value) -> Result<Self, String> {
        let obj = row
            .as_object()
            .ok_or_else(|| format!("{table} row is not an object"))?;
        let id = obj
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{table} row without a string id"))?;
        let id = Uuid::parse_str(id)
            .map_err(|_| format!("{table} row id {id:?} is not a uuid"))?
            .to_string();
        let version = obj
            .get("version")
            .and_then(Value::as_i64)
            .ok_or_else(|| format!("{table} row {id} without an integer version"))?;
        Ok(Self {
            id,
            version,
            obj,
            table,
        })
    }

    fn err(&self, field: &str, what: &str) -> String {
        format!("{} row {}: {field} {what}", self.table, self.id)
    }

    /// `Some(value)` when present; `Some(None)` for null.
    fn get(&self, field: &str) -> Option<&'a Value> {
        self.obj.get(field)
    }

    pub(crate) fn string(&self, field: &str) -> Result<Option<String>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.err(field, "is not a string")),
        }
    }

    pub(crate) fn opt_string(&self, field: &str) -> Result<Option<Option<String>>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
            Some(_) => Err(self.err(field, "is not a string or null")),
        }
    }

    pub(crate) fn opt_i64(&self, field: &str) -> Result<Option<Option<i64>>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(v) => v
                .as_i64()
                .map(|n| Some(Some(n)))
                .ok_or_else(|| self.err(field, "is not an integer")),
        }
    }

    pub(crate) fn opt_time(&self, field: &str) -> Result<Option<Option<i64>>, String> {
        match self.opt_string(field)? {
            None => Ok(None),
            Some(None) => Ok(Some(None)),
            Some(Some(s)) => DateTime::parse_from_rfc3339(&s)
                .map(|t| Some(Some(to_ms(t.to_utc()))))
                .map_err(|_| self.err(field, &format!("{s:?} is not an RFC 3339 time"))),
        }
    }

    pub(crate) fn time(&self, field: &str) -> Result<Option<i64>, String> {
        match self.opt_time(field)? {
            Some(None) => Err(self.err(field, "is null")),
            other => Ok(other.flatten()),
        }
    }

    /// JSON of any shape, kept as text (`context`).
    pub(crate) fn opt_json_text(&self, field: &str) -> Option<Option<String>> {
        match self.get(field)? {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(s.clone())),
            other => Some(Some(other.to_string())),
        }
    }

    /// The entry this pulled row describes, merged over `local` field by field; fields
    /// in `keep` (pending local ops) keep their local value.
    pub(crate) fn merge_entry(
        &self,
        local: Option<&SyncedEntry>,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<SyncedEntry, String> {
        let take = |f: &str| local.is_none() || !keep(f);
        let base = match local {
            Some(l) => l.clone(),
            None => SyncedEntry {
                row: EntryRow {
                    id: Uuid::parse_str(&self.id).map_err(|e| e.to_string())?,
                    kind: "note".into(),
                    title: None,
                    body: String::new(),
                    occurred_at: self
                        .time("occurred_at")?
                        .ok_or_else(|| self.err("occurred_at", "is missing"))?,
                    created_at: self
                        .time("created_at")?
                        .ok_or_else(|| self.err("created_at", "is missing"))?,
                    updated_at: self
                        .time("updated_at")?
                        .ok_or_else(|| self.err("updated_at", "is missing"))?,
                    damaged: Default::default(),
                },
                deleted_at: None,
                server_version: None,
            },
        };
        let mut next = base;
        let r = &mut next.row;
        if let (Some(v), true) = (self.string("kind")?, take("kind")) {
            r.kind = v;
        }
        if let (Some(v), true) = (self.opt_string("title")?, take("title")) {
            r.title = v;
        }
        if let (Some(v), true) = (self.string("body")?, take("body")) {
            r.body = v;
        }
        for (field, slot) in [
            ("occurred_at", &mut r.occurred_at),
            ("created_at", &mut r.created_at),
            ("updated_at", &mut r.updated_at),
        ] {
            if let (Some(v), true) = (self.time(field)?, take(field)) {
                *slot = v;
            }
        }
        // Delete wins both ways: a local tombstone stays, a remote one always lands.
        if next.deleted_at.is_none() {
            if let Some(Some(at)) = self.opt_time("deleted_at")? {
                next.deleted_at = Some(at);
            }
        }
        next.server_version = Some(self.version.max(next.server_version.unwrap_or(0)));
        Ok(next)
    }

    /// The capture this pulled row describes, merged over `local` like [`Self::merge_entry`].
    pub(crate) fn merge_capture(
        &self,
        local: Option<&SyncedCapture>,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<SyncedCapture, String> {
        let take = |f: &str| local.is_none() || !keep(f);
        let mut next = match local {
            Some(l) => l.clone(),
            None => SyncedCapture {
                id: self.id.clone(),
                created_at: self
                    .time("created_at")?
                    .ok_or_else(|| self.err("created_at", "is missing"))?,
                surface: self
                    .string("surface")?
                    .ok_or_else(|| self.err("surface", "is missing"))?,
                text: None,
                audio_path: None,
                audio_duration_ms: None,
                parse_status: "pending".into(),
                error: None,
                context: None,
                entry_id: None,
                deleted_at: None,
                server_version: None,
            },
        };
        if let (Some(v), true) = (self.time("created_at")?, take("created_at")) {
            next.created_at = v;
        }
        if let (Some(v), true) = (self.string("surface")?, take("surface")) {
            next.surface = v;
        }
        if let (Some(v), true) = (self.opt_string("text")?, take("text")) {
            next.text = v;
        }
        if let (Some(v), true) = (self.opt_string("audio_path")?, take("audio_path")) {
            next.audio_path = v;
        }
        if let (Some(v), true) = (
            self.opt_i64("audio_duration_ms")?,
            take("audio_duration_ms"),
        ) {
            next.audio_duration_ms = v;
        }
        if let (Some(v), true) = (self.string("parse_status")?, take("parse_status")) {
            next.parse_status = v;
        }
        if let (Some(v), true) = (self.opt_string("error")?, take("error")) {
            next.error = v;
        }
        if let (Some(v), true) = (self.opt_json_text("context"), take("context")) {
            next.context = v;
        }
        if let (Some(v), true) = (self.opt_string("entry_id")?, take("entry_id")) {
            next.entry_id = v;
        }
        // Delete wins both ways, as for entries.
        if next.deleted_at.is_none() {
            if let Some(Some(at)) = self.opt_time("deleted_at")? {
                next.deleted_at = Some(at);
            }
        }
        if !["desktop_hotkey", "in_app", "cli"].contains(&next.surface.as_str()) {
            return Err(self.err("surface", &format!("{:?} is unknown", next.surface)));
        }
        if !["pending", "uploading", "parsing", "ready", "error"]
            .contains(&next.parse_status.as_str())
        {
            return Err(self.err(
                "parse_status",
                &format!("{:?} is unknown", next.parse_status),
            ));
        }
        next.server_version = Some(self.version.max(next.server_version.unwrap_or(0)));
        Ok(next)
    }
}
