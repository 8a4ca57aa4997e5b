//! The Phoenix channel frames Supabase Realtime speaks (`vsn=1.0.0`: one JSON object per text
//! frame, `{topic, event, payload, ref, join_ref}`), as far as Jotline uses them: join a
//! private Broadcast topic, heartbeat, hand over a refreshed token, and read pokes.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The topic heartbeats go to.
const PHOENIX: &str = "phoenix";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Frame {
    pub topic: String,
    pub event: String,
    #[serde(default)]
    pub payload: Value,
    #[serde(rename = "ref", default)]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_ref: Option<String>,
}

/// The channel topic of a Broadcast topic (`realtime:` + the topic the database sends on).
pub fn channel_topic(topic: &str) -> String {
    format!("realtime:{topic}")
}

impl Frame {
    /// Joins a private Broadcast channel with the user's token: Realtime checks the token and
    /// the `realtime.messages` policies before it replies `ok`.
    pub fn join(channel: &str, access_token: &str, reference: &str) -> Frame {
        Frame {
            topic: channel.to_owned(),
            event: "phx_join".into(),
            payload: json!({
                "config": {
                    "broadcast": {"ack": false, "self": false},
                    "presence": {"key": "", "enabled": false},
                    "postgres_changes": [],
                    "private": true
                },
                "access_token": access_token
            }),
            reference: Some(reference.to_owned()),
            join_ref: Some(reference.to_owned()),
        }
    }

    pub fn heartbeat(reference: &str) -> Frame {
        Frame {
            topic: PHOENIX.into(),
            event: "heartbeat".into(),
            payload: json!({}),
            reference: Some(reference.to_owned()),
            join_ref: None,
        }
    }

    /// A refreshed token for the joined channel (Realtime closes a channel whose token
    /// expires).
    pub fn access_token(
        channel: &str,
        access_token: &str,
        reference: &str,
        join_ref: &str,
    ) -> Frame {
        Frame {
            topic: channel.to_owned(),
            event: "access_token".into(),
            payload: json!({"access_token": access_token}),
            reference: Some(reference.to_owned()),
            join_ref: Some(join_ref.to_owned()),
        }
    }

    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("a frame serialises")
    }
}

/// A poke: someone changed the journal; the pull finds out what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poke {
    pub version: Option<i64>,
    pub client_id: Option<String>,
}

/// What an incoming frame means to the client.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// The reply to the frame sent with `reference`: `ok`, or an error with Realtime's reason.
    Reply {
        reference: String,
        result: Result<(), String>,
    },
    Poke(Poke),
    /// A device pulled up to a new version (a delivery receipt, migration 0011).
    Pulled {
        client_id: Option<String>,
    },
    /// The channel was closed or crashed on the server (`phx_close`, `phx_error`), or Realtime
    /// said so in a `system` message with an error status (e.g. the token expired).
    ChannelLost(String),
    /// Anything else (other events, other topics, `system` notices, presence).
    Other,
}

impl Incoming {
    /// Reads a text frame of the socket; `None` when it is not a Phoenix frame at all.
    pub fn parse(text: &str, channel: &str) -> Option<Incoming> {
        let frame: Frame = serde_json::from_str(text).ok()?;
        let on_channel = frame.topic == channel;
        Some(match frame.event.as_str() {
            "phx_reply" => {
                let Some(reference) = frame.reference else {
                    return Some(Incoming::Other);
                };
                let ok = frame.payload["status"] == "ok";
                let result = if ok {
                    Ok(())
                } else {
                    Err(reason(&frame.payload["response"]))
                };
                Incoming::Reply { reference, result }
            }
            "broadcast" if on_channel && frame.payload["event"] == "poke" => {
                let poke = &frame.payload["payload"];
                Incoming::Poke(Poke {
                    version: poke["version"].as_i64(),
                    client_id: poke["client_id"].as_str().map(str::to_owned),
                })
            }
            "broadcast" if on_channel && frame.payload["event"] == "pulled" => Incoming::Pulled {
                client_id: frame.payload["payload"]["client_id"]
                    .as_str()
                    .map(str::to_owned),
            },
            "phx_close" | "phx_error" if on_channel => Incoming::ChannelLost(frame.event),
            "system" if on_channel && frame.payload["status"] == "error" => {
                Incoming::ChannelLost(reason(&frame.payload))
            }
            _ => Incoming::Other,
        })
    }
}

/// Realtime's words for a refusal: `reason` in replies, `message` in system messages.
fn reason(response: &Value) -> String {
    ["reason", "message"]
        .iter()
        .find_map(|k| response[k].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| response.to_string())
}
