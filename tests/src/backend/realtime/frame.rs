//! Phoenix channel frames as Supabase Realtime reads and writes them. `vsn=1.0.0` is Phoenix's
//! V1 JSON serializer: objects `{topic, event, payload, ref}` (incoming frames may add
//! `join_ref`; outgoing ones never carry it). `vsn=2.0.0` is Realtime's V2 serializer: arrays
//! `[join_ref, ref, topic, event, payload]`, and binary frames for user broadcasts (kind 3 from
//! a client, kind 4 to it), which is how a broadcast from the database reaches a V2 client.

use axum::extract::ws::Message as WsMessage;
use serde_json::{json, Value};

/// The serializer a socket negotiated with its `vsn` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vsn {
    V1,
    V2,
}

impl Vsn {
    /// Realtime serves `~> 1.0.0` and `~> 2.0.0`; Phoenix reads a missing vsn as 1.0.0 and
    /// refuses one that is not a full `major.minor.patch`.
    pub fn negotiate(vsn: Option<&str>) -> Option<Vsn> {
        let vsn = vsn.unwrap_or("1.0.0");
        let core = vsn.split(['-', '+']).next()?;
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        match parts.as_slice() {
            [1, 0, _] => Some(Vsn::V1),
            [2, 0, _] => Some(Vsn::V2),
            _ => None,
        }
    }
}

/// A client's frame. `payload` is JSON; a V2 binary broadcast from a client is read as the
/// JSON map a V1 client would have sent (`{type, event, payload}`).
#[derive(Debug, Clone)]
pub struct Incoming {
    pub topic: String,
    pub event: String,
    pub payload: Value,
    pub r#ref: Value,
    pub join_ref: Value,
}

/// Reads a frame, or `None` for one Realtime would log and drop (not JSON, keys missing, a
/// binary kind it does not take, a payload that cannot be represented).
pub fn decode(vsn: Vsn, message: &WsMessage) -> Option<Incoming> {
    match (vsn, message) {
        (Vsn::V1, WsMessage::Text(text)) => decode_v1(text.as_bytes()),
        // Phoenix's V1 serializer ignores the opcode and reads JSON either way.
        (Vsn::V1, WsMessage::Binary(bytes)) => decode_v1(bytes),
        (Vsn::V2, WsMessage::Text(text)) => decode_v2_text(text.as_bytes()),
        (Vsn::V2, WsMessage::Binary(bytes)) => decode_v2_binary(bytes),
        _ => None,
    }
}

fn decode_v1(bytes: &[u8]) -> Option<Incoming> {
    let Value::Object(map) = serde_json::from_slice::<Value>(bytes).ok()? else {
        return None;
    };
    // Phoenix.Socket.Message.from_map!: topic, event, payload and ref are required.
    Some(Incoming {
        topic: map.get("topic")?.as_str()?.to_string(),
        event: map.get("event")?.as_str()?.to_string(),
        payload: map.get("payload")?.clone(),
        r#ref: map.get("ref")?.clone(),
        join_ref: map.get("join_ref").cloned().unwrap_or(Value::Null),
    })
}

fn decode_v2_text(bytes: &[u8]) -> Option<Incoming> {
    let Value::Array(items) = serde_json::from_slice::<Value>(bytes).ok()? else {
        return None;
    };
    if items.len() < 5 {
        return None;
    }
    Some(Incoming {
        join_ref: items[0].clone(),
        r#ref: items[1].clone(),
        topic: items[2].as_str()?.to_string(),
        event: items[3].as_str()?.to_string(),
        payload: items[4].clone(),
    })
}

const USER_BROADCAST_PUSH: u8 = 3;
const USER_BROADCAST: u8 = 4;
const JSON_ENCODING: u8 = 1;

/// Kind 3, a client's broadcast: `<<3, join_ref_size, ref_size, topic_size, event_size,
/// metadata_size, encoding, join_ref, ref, topic, event, metadata, payload>>`. Only JSON
/// payloads are read (the stand-in forwards no binary payloads).
fn decode_v2_binary(bytes: &[u8]) -> Option<Incoming> {
    let (&kind, rest) = bytes.split_first()?;
    if kind != USER_BROADCAST_PUSH || rest.len() < 6 {
        return None;
    }
    let sizes: Vec<usize> = rest[..5].iter().map(|&b| b as usize).collect();
    if rest[5] != JSON_ENCODING {
        return None;
    }
    let mut body = &rest[6..];
    let mut take = |n: usize| -> Option<&[u8]> {
        let (head, tail) = (body.get(..n)?, body.get(n..)?);
        body = tail;
        Some(head)
    };
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).ok();
    let join_ref = text(take(sizes[0])?)?;
    let r#ref = text(take(sizes[1])?)?;
    let topic = text(take(sizes[2])?)?;
    let user_event = text(take(sizes[3])?)?;
    let metadata = take(sizes[4])?;
    let user_payload: Value = serde_json::from_slice(body).ok()?;
    let mut payload = json!({ "type": "broadcast", "event": user_event, "payload": user_payload });
    if !metadata.is_empty() {
        payload["meta"] = serde_json::from_slice(metadata).ok()?;
    }
    Some(Incoming {
        topic,
        event: "broadcast".into(),
        payload,
        r#ref: Value::String(r#ref),
        join_ref: Value::String(join_ref),
    })
}

/// `phx_reply` to a client's message: `{status, response}`.
pub fn reply(
    vsn: Vsn,
    join_ref: &Value,
    r#ref: &Value,
    topic: &str,
    status: &str,
    response: Value,
) -> WsMessage {
    let payload = json!({ "status": status, "response": response });
    message(vsn, join_ref, r#ref, topic, "phx_reply", payload)
}

/// A message the channel pushes (`system`, `presence_state`, …): no ref.
pub fn push(vsn: Vsn, join_ref: &Value, topic: &str, event: &str, payload: Value) -> WsMessage {
    message(vsn, join_ref, &Value::Null, topic, event, payload)
}

/// `phx_close` when a channel ends (left, or shut down by the server): ref is the join's.
pub fn close(vsn: Vsn, join_ref: &Value, topic: &str) -> WsMessage {
    message(vsn, join_ref, join_ref, topic, "phx_close", json!({}))
}

/// A broadcast whose payload is a map (a client's broadcast): no join_ref, no ref.
pub fn broadcast(vsn: Vsn, topic: &str, payload: &Value) -> WsMessage {
    message(
        vsn,
        &Value::Null,
        &Value::Null,
        topic,
        "broadcast",
        payload.clone(),
    )
}

/// A broadcast from the database (a row of `realtime.messages`): to V1 the JSON broadcast
/// `{event, meta, payload, type: "broadcast"}`, to V2 a binary user broadcast (kind 4).
/// `None` when a V2 size field cannot hold the topic, event or metadata (over 255 bytes).
pub fn user_broadcast(
    vsn: Vsn,
    topic: &str,
    event: &str,
    payload: &Value,
    meta: &Value,
) -> Option<WsMessage> {
    match vsn {
        Vsn::V1 => Some(broadcast(
            vsn,
            topic,
            &json!({ "event": event, "meta": meta, "payload": payload, "type": "broadcast" }),
        )),
        Vsn::V2 => {
            let meta = meta.to_string();
            let sizes = [topic.len(), event.len(), meta.len()];
            if sizes.iter().any(|&n| n > 255) {
                return None;
            }
            let mut bin = vec![USER_BROADCAST];
            bin.extend(sizes.iter().map(|&n| n as u8));
            bin.push(JSON_ENCODING);
            bin.extend_from_slice(topic.as_bytes());
            bin.extend_from_slice(event.as_bytes());
            bin.extend_from_slice(meta.as_bytes());
            bin.extend_from_slice(payload.to_string().as_bytes());
            Some(WsMessage::Binary(bin.into()))
        }
    }
}

fn message(
    vsn: Vsn,
    join_ref: &Value,
    r#ref: &Value,
    topic: &str,
    event: &str,
    payload: Value,
) -> WsMessage {
    let text = match vsn {
        Vsn::V1 => json!({ "topic": topic, "event": event, "payload": payload, "ref": r#ref }),
        Vsn::V2 => json!([join_ref, r#ref, topic, event, payload]),
    };
    WsMessage::Text(text.to_string().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_negotiated_like_phoenix() {
        assert_eq!(Vsn::negotiate(None), Some(Vsn::V1));
        assert_eq!(Vsn::negotiate(Some("1.0.0")), Some(Vsn::V1));
        assert_eq!(Vsn::negotiate(Some("2.0.0")), Some(Vsn::V2));
        assert_eq!(Vsn::negotiate(Some("1.1.0")), None);
        assert_eq!(Vsn::negotiate(Some("2.0")), None);
        assert_eq!(Vsn::negotiate(Some("x")), None);
    }

    #[test]
    fn v1_frames_need_their_four_keys() {
        let ok = WsMessage::Text(
            r#"{"topic":"phoenix","event":"heartbeat","payload":{},"ref":"1"}"#.into(),
        );
        assert_eq!(decode(Vsn::V1, &ok).unwrap().event, "heartbeat");
        for bad in [
            r#"{"topic":"phoenix","event":"heartbeat","payload":{}}"#,
            r#"[null,"1","phoenix","heartbeat",{}]"#,
            "not json",
        ] {
            assert!(
                decode(Vsn::V1, &WsMessage::Text(bad.into())).is_none(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_v2_client_broadcast_reads_as_the_v1_map() {
        let mut bin = vec![USER_BROADCAST_PUSH, 1, 1, 10, 2, 0, JSON_ENCODING];
        bin.extend_from_slice(b"12realtime:aev");
        bin.extend_from_slice(br#"{"x":1}"#);
        let m = decode(Vsn::V2, &WsMessage::Binary(bin.into())).unwrap();
        assert_eq!(
            (m.topic.as_str(), m.event.as_str()),
            ("realtime:a", "broadcast")
        );
        assert_eq!((m.join_ref, m.r#ref), (json!("1"), json!("2")));
        assert_eq!(
            m.payload,
            json!({"type": "broadcast", "event": "ev", "payload": {"x": 1}})
        );
    }

    #[test]
    fn a_database_broadcast_to_v2_is_a_binary_user_broadcast() {
        let WsMessage::Binary(bin) = user_broadcast(
            Vsn::V2,
            "realtime:t",
            "poke",
            &json!({"v": 1}),
            &json!({"id": "i"}),
        )
        .unwrap() else {
            panic!("binary");
        };
        let meta = br#"{"id":"i"}"#;
        let mut want = vec![USER_BROADCAST, 10, 4, meta.len() as u8, JSON_ENCODING];
        want.extend_from_slice(b"realtime:tpoke");
        want.extend_from_slice(meta);
        want.extend_from_slice(br#"{"v":1}"#);
        assert_eq!(bin.to_vec(), want);
    }
}
