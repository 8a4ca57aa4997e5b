//! A joined channel and what it answers while joined (`RealtimeChannel.handle_in` and its
//! timers): `access_token` (a new token, checked and authorised again), `broadcast` from the
//! client, `presence`, the periodic token check that shuts the channel when its token expires,
//! and the replication-ready wait. A shutdown is Realtime's `shutdown_response`: a `system`
//! message `{extension: "system", status: "error", message, channel}`, then `phx_close`.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::authorize::{self, Context, Extension, Failure, Policies};
use super::hub::ClientBroadcast;
use super::socket::Session;
use super::token;
use crate::backend::jwt::now_secs;

/// Realtime re-checks a channel's token every 5 minutes, or when it expires if sooner.
const CONFIRM_TOKEN_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// How often a channel waiting for replication looks again (Realtime: 500 ms).
const REPLICATION_READY_CHECK: Duration = Duration::from_millis(500);

pub struct Channel {
    /// Unique in the backend: a client's broadcast skips its own channel.
    pub id: u64,
    /// `realtime:<sub_topic>`, as joined.
    pub topic: String,
    pub sub_topic: String,
    pub join_ref: Value,
    pub private: bool,
    pub token: String,
    pub context: Context,
    pub policies: Policies,
    pub ack: bool,
    pub self_broadcast: bool,
    pub presence_enabled: bool,
    /// Ids of replayed messages, not delivered again live.
    pub replayed: HashSet<String>,
    /// When the token is checked next.
    pub confirm_at: Instant,
    /// Waiting for replication to be ready until then (`broadcast.replication_ready`).
    pub replication_ready_by: Option<Instant>,
}

/// What handling a message did to the channel.
pub enum Outcome {
    /// Frames to send (maybe none); the channel stays.
    Stay(Vec<(String, Value)>),
    /// Reply to the message's ref with this status and response.
    Reply(&'static str, Value),
    /// Shut down with this `system` error message (then `phx_close`).
    Shutdown(String),
}

/// When a token accepted now, expiring at `exp`, is checked next.
pub fn confirm_deadline(now: Instant, exp: i64) -> Instant {
    let left = (exp - now_secs() as i64).max(0) as u64;
    now + CONFIRM_TOKEN_INTERVAL.min(Duration::from_secs(left))
}

impl Channel {
    /// The payload of a `system` message on this channel.
    pub fn system(&self, status: &str, message: &str) -> Value {
        json!({
            "extension": "system",
            "status": status,
            "message": message,
            "channel": self.sub_topic,
        })
    }

    /// Whether broadcasts on the topic reach this channel: always on a public channel, on a
    /// private one only with the broadcast read permission.
    pub fn reads_broadcasts(&self) -> bool {
        !self.private || self.policies.broadcast_read == Some(true)
    }

    /// The next time a timer of this channel is due.
    pub fn next_due(&self) -> Instant {
        match self.replication_ready_by {
            Some(_) => self
                .confirm_at
                .min(Instant::now() + REPLICATION_READY_CHECK),
            None => self.confirm_at,
        }
    }

    /// Runs whatever is due.
    pub fn on_timer(&mut self, session: &Session, now: Instant) -> Outcome {
        if now >= self.confirm_at {
            match token::confirm(&self.token, session.state.keys.secret()) {
                Ok(accepted) => self.confirm_at = confirm_deadline(now, accepted.exp),
                Err(refusal) => return Outcome::Shutdown(refusal.shutdown_message()),
            }
        }
        let mut pushes = Vec::new();
        if let Some(deadline) = self.replication_ready_by {
            if *session.realtime.listening.borrow() {
                self.replication_ready_by = None;
                pushes.push((
                    "system".into(),
                    self.system("ok", "Replication connection established"),
                ));
            } else if now >= deadline {
                return Outcome::Shutdown(
                    "Replication connection was not established in time".into(),
                );
            }
        }
        Outcome::Stay(pushes)
    }

    /// `access_token`: the same token, an API key or null change nothing; another one is
    /// checked and the channel authorised again with it.
    pub async fn on_access_token(&mut self, session: &Session, payload: &Value) -> Outcome {
        let Some(Value::String(new_token)) = payload.get("access_token") else {
            return Outcome::Stay(Vec::new());
        };
        if new_token.starts_with("sb_") || *new_token == self.token {
            return Outcome::Stay(Vec::new());
        }
        let previous = self.policies;
        self.token = new_token.clone();
        self.policies = Policies::default();
        let accepted = match token::confirm(new_token, session.state.keys.secret()) {
            Ok(accepted) => accepted,
            Err(refusal) => return Outcome::Shutdown(refusal.shutdown_message()),
        };
        self.context.claims = accepted.claims;
        self.confirm_at = confirm_deadline(Instant::now(), accepted.exp);
        if !self.private {
            return Outcome::Stay(Vec::new());
        }
        let denied = format!(
            "You do not have permissions to read from this Channel topic: {}",
            self.sub_topic
        );
        let now = match authorize::read(&session.state.admin, &self.context, self.presence_enabled)
            .await
        {
            Ok(policies) => policies,
            Err(Failure::Policy) => return Outcome::Shutdown(denied),
            Err(Failure::Unavailable) => {
                return Outcome::Shutdown(
                    "Realtime was unable to connect to the project database".into(),
                )
            }
        };
        if now.broadcast_read != Some(true) && now.presence_read != Some(true) {
            return Outcome::Shutdown(denied);
        }
        let revoked = |before: Option<bool>, after: Option<bool>| {
            before == Some(true) && after == Some(false)
        };
        if revoked(previous.broadcast_read, now.broadcast_read)
            || revoked(previous.presence_read, now.presence_read)
        {
            return Outcome::Shutdown(format!(
                "You no longer have permission to read from this Channel topic: {}",
                self.sub_topic
            ));
        }
        self.policies = now;
        Outcome::Stay(Vec::new())
    }

    /// A client's `broadcast`: on a private channel only with the write permission (no reply
    /// otherwise, as Realtime drops it), then to every channel of the topic (this one only
    /// with `broadcast.self`), acknowledged with `ok` when the join asked for `ack`.
    pub async fn on_broadcast(
        &mut self,
        session: &Session,
        payload: &Value,
    ) -> (Outcome, Option<ClientBroadcast>) {
        if self.private && self.policies.broadcast_write.is_none() {
            match authorize::may_write(&session.state.admin, &self.context, Extension::Broadcast)
                .await
            {
                Ok(allowed) => self.policies.broadcast_write = Some(allowed),
                Err(_) => return (Outcome::Stay(Vec::new()), None),
            }
        }
        if (self.private && self.policies.broadcast_write != Some(true)) || !payload.is_object() {
            return (Outcome::Stay(Vec::new()), None);
        }
        let message = ClientBroadcast {
            topic: self.sub_topic.clone(),
            private: self.private,
            payload: payload.clone(),
            from_channel: self.id,
        };
        let outcome = if self.ack {
            Outcome::Reply("ok", json!({}))
        } else {
            Outcome::Stay(Vec::new())
        };
        (outcome, Some(message))
    }

    /// `presence`. The stand-in keeps no presence state: `untrack` is `ok`; a `track` that
    /// Realtime would refuse (no write permission on a private channel) gets Realtime's bare
    /// `error`, one it would accept gets an `error` saying the stand-in does not track.
    pub async fn on_presence(&mut self, session: &Session, payload: &Value) -> Outcome {
        let Some(event) = payload.get("event").and_then(Value::as_str) else {
            return Outcome::Reply("ok", json!({}));
        };
        match event.to_ascii_lowercase().as_str() {
            "untrack" => Outcome::Reply("ok", json!({})),
            "track" => {
                if self.private && self.policies.presence_write.is_none() {
                    let allowed = authorize::may_write(
                        &session.state.admin,
                        &self.context,
                        Extension::Presence,
                    )
                    .await;
                    self.policies.presence_write = Some(matches!(allowed, Ok(true)));
                }
                if self.private && self.policies.presence_write != Some(true) {
                    Outcome::Reply("error", json!({}))
                } else {
                    Outcome::Reply(
                        "error",
                        json!({ "reason": "the local stand-in does not track presence" }),
                    )
                }
            }
            _ => Outcome::Reply("error", json!({})),
        }
    }
}
