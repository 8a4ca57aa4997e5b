//! `phx_join` on `realtime:<topic>`, in the order Realtime's `RealtimeChannel.join/3` checks
//! it: the join payload (`config.private`, `broadcast.{ack,self,replication_ready,replay}`,
//! `presence.enabled`, `postgres_changes`, `access_token`), the token, then for a private
//! channel the read policies, then replay. A refusal is `{:error, %{reason: "<Code>: <text>"}}`
//! in Realtime's words.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use serde_json::{json, Value};

use super::authorize::{self, Context, Failure};
use super::channel::{confirm_deadline, Channel};
use super::socket::Session;
use super::token;

/// What a join's payload asks for. Realtime reads each flag as a "flexible boolean" (`true`,
/// or the string "true" in any case); anything else is false.
struct JoinConfig {
    private: bool,
    presence_enabled: bool,
    ack: bool,
    self_broadcast: bool,
    /// `config.broadcast.replication_ready`, read raw: anything but null or false opts in.
    replication_ready: bool,
    /// `config.broadcast.replay` when the key is there.
    replay: Option<Value>,
    postgres_changes: Vec<Value>,
}

impl JoinConfig {
    fn read(payload: &Value) -> JoinConfig {
        let config = payload.get("config").filter(|c| c.is_object());
        let at = |path: &[&str]| path.iter().try_fold(config?, |v, key| v.get(key));
        let flag = |path: &[&str]| match at(path) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        JoinConfig {
            private: flag(&["private"]),
            presence_enabled: flag(&["presence", "enabled"]),
            ack: flag(&["broadcast", "ack"]),
            self_broadcast: flag(&["broadcast", "self"]),
            replication_ready: !matches!(
                at(&["broadcast", "replication_ready"]),
                None | Some(Value::Null) | Some(Value::Bool(false))
            ),
            replay: config
                .and_then(|c| c.get("broadcast"))
                .filter(|b| b.get("replay").is_some())
                .map(|b| b["replay"].clone()),
            postgres_changes: match at(&["postgres_changes"]) {
                Some(Value::Array(items)) => {
                    items.iter().filter(|i| !i.is_null()).cloned().collect()
                }
                _ => Vec::new(),
            },
        }
    }
}

/// The token a join runs with (`assign_access_token`): `access_token` (or `user_token`); an
/// API key (`sb_…`) or none means the socket's own key.
fn join_token(payload: &Value, socket_key: &str) -> String {
    let string = |key: &str| payload.get(key).and_then(Value::as_str);
    let first = payload
        .get("access_token")
        .filter(|v| !v.is_null())
        .or_else(|| payload.get("user_token"));
    if first
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with("sb_"))
    {
        return socket_key.to_string();
    }
    string("user_token")
        .or_else(|| string("access_token"))
        .unwrap_or(socket_key)
        .to_string()
}

/// A join that succeeded: the channel, the reply's response, and what the channel pushes
/// right after the reply (replayed messages, the replication-ready `system` message,
/// `presence_state`).
pub struct Joined {
    pub channel: Channel,
    pub response: Value,
    pub pushes: Vec<(String, Value)>,
}

static CHANNEL_IDS: AtomicU64 = AtomicU64::new(1);

pub async fn join(
    session: &Session,
    topic: &str,
    sub_topic: &str,
    join_ref: &Value,
    payload: &Value,
) -> Result<Joined, String> {
    if sub_topic.is_empty() {
        return Err("TopicNameRequired: You must provide a topic name".into());
    }
    if !payload.is_object() {
        return Err("UnknownErrorOnChannel: expected params to be a map".into());
    }
    let config = JoinConfig::read(payload);
    let token = join_token(payload, &session.socket_key);
    let accepted = token::confirm(&token, session.state.keys.secret())
        .map_err(|refusal| refusal.join_reason())?;
    let context = Context {
        topic: sub_topic.to_string(),
        claims: accepted.claims.clone(),
        headers: session.headers.clone(),
    };
    let unauthorized = || {
        format!("Unauthorized: You do not have permissions to read from this Channel topic: {sub_topic}")
    };
    let mut policies = authorize::Policies::default();
    if config.private {
        policies = authorize::read(&session.state.admin, &context, config.presence_enabled)
            .await
            .map_err(|failure| match failure {
                Failure::Policy => unauthorized(),
                Failure::Unavailable => "UnableToConnectToProject: Realtime was unable to connect to the project database".into(),
            })?;
        if policies.broadcast_read != Some(true) && policies.presence_read != Some(true) {
            return Err(unauthorized());
        }
    }
    let mut pushes = Vec::new();
    let mut replayed = HashSet::new();
    if let Some(replay) = &config.replay {
        if config.private && policies.broadcast_read != Some(true) {
            return Err(unauthorized());
        }
        if !config.private {
            return Err("UnableToReplayMessages: Replay is not allowed for public channels".into());
        }
        if replay.is_object() {
            for (id, event, body) in replay_messages(session, sub_topic, replay).await? {
                let meta = json!({ "replayed": true, "id": id });
                let broadcast =
                    json!({ "event": event, "meta": meta, "payload": body, "type": "broadcast" });
                pushes.push(("broadcast".to_string(), broadcast));
                replayed.insert(id);
            }
        }
    }

    let now = Instant::now();
    let mut channel = Channel {
        id: CHANNEL_IDS.fetch_add(1, Ordering::Relaxed),
        topic: topic.to_string(),
        sub_topic: sub_topic.to_string(),
        join_ref: join_ref.clone(),
        private: config.private,
        token,
        context,
        policies,
        ack: config.ack,
        self_broadcast: config.self_broadcast,
        presence_enabled: config.presence_enabled,
        replayed,
        confirm_at: confirm_deadline(now, accepted.exp),
        replication_ready_by: None,
    };
    if config.replication_ready {
        if *session.realtime.listening.borrow() {
            pushes.push((
                "system".into(),
                channel.system("ok", "Replication connection established"),
            ));
        } else {
            channel.replication_ready_by = Some(now + super::REPLICATION_READY_TIMEOUT);
        }
    }
    if config.presence_enabled && (!config.private || policies.presence_read == Some(true)) {
        pushes.push(("presence_state".into(), json!({})));
    }
    let postgres_changes: Vec<Value> = config
        .postgres_changes
        .iter()
        .map(|params| {
            let mut params = params.clone();
            if let Value::Object(map) = &mut params {
                map.insert("id".into(), json!(stable_id(&map.clone().into())));
            }
            params
        })
        .collect();
    if !postgres_changes.is_empty() {
        pushes.push((
            "system".into(),
            json!({
                "extension": "postgres_changes",
                "status": "error",
                "message": "the local stand-in serves no Postgres Changes",
                "channel": sub_topic,
            }),
        ));
    }
    Ok(Joined {
        channel,
        response: json!({ "postgres_changes": postgres_changes }),
        pushes,
    })
}

/// The last `limit` (at most 25) private broadcasts of the topic since `since` (ms since the
/// epoch), oldest first, as `Realtime.Messages.replay` reads them.
async fn replay_messages(
    session: &Session,
    sub_topic: &str,
    replay: &Value,
) -> Result<Vec<(String, String, Value)>, String> {
    let invalid = || "UnableToReplayMessages: Replay params are not valid".to_string();
    let since = replay
        .get("since")
        .and_then(Value::as_i64)
        .ok_or_else(invalid)?;
    let limit = match replay.get("limit") {
        None | Some(Value::Null) => 25,
        Some(limit) => limit.as_i64().ok_or_else(invalid)?,
    }
    .clamp(1, 25);
    let failed = |_| "UnableToReplayMessages: Realtime was unable to replay messages".to_string();
    let client = session.state.admin.get().await.map_err(|_| {
        "UnableToConnectToProject: Realtime was unable to connect to the project database"
            .to_string()
    })?;
    let rows = client
        .query(
            "select id::text, event, payload from realtime.messages
             where topic = $1 and private is true and extension = 'broadcast'
               and payload is not null
               and inserted_at >= to_timestamp($2::float8 / 1000)::timestamp
               and inserted_at < (now() + interval '1 minute')::timestamp
             order by inserted_at desc limit $3",
            &[&sub_topic, &(since as f64), &limit],
        )
        .await
        .map_err(failed)?;
    Ok(rows
        .iter()
        .rev()
        .map(|row| {
            (
                row.get(0),
                row.get::<_, Option<String>>(1).unwrap_or_default(),
                row.get(2),
            )
        })
        .collect())
}

/// A number standing for a `postgres_changes` entry, like Realtime's `phash2` of its params.
fn stable_id(params: &Value) -> u32 {
    params
        .to_string()
        .bytes()
        .fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619))
        & 0x07ff_ffff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_flexible_booleans() {
        let c = JoinConfig::read(&json!({"config": {
            "private": "TRUE", "broadcast": {"ack": "yes", "self": true, "replication_ready": "false"},
            "presence": {"enabled": false}
        }}));
        assert!(c.private && c.self_broadcast && c.replication_ready);
        assert!(!c.ack && !c.presence_enabled && c.replay.is_none());
        let c = JoinConfig::read(&json!({"config": "nope"}));
        assert!(!c.private);
    }

    #[test]
    fn the_join_token_falls_back_to_the_socket_key() {
        assert_eq!(join_token(&json!({"access_token": "jwt"}), "key"), "jwt");
        assert_eq!(
            join_token(&json!({"access_token": "sb_publishable_x"}), "key"),
            "key"
        );
        assert_eq!(join_token(&json!({}), "key"), "key");
        assert_eq!(
            join_token(&json!({"access_token": "a", "user_token": "u"}), "key"),
            "u"
        );
    }
}
