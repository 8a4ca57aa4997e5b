//! A raw Phoenix channel client (vsn 1.0.0 JSON frames) over tokio-tungstenite, to speak to
//! the stand-in Realtime the way the app's core does.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub struct Phoenix {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_ref: u64,
}

/// How long a test waits for a frame it expects.
pub const WAIT: Duration = Duration::from_secs(10);

impl Phoenix {
    pub async fn connect(url: &str) -> Phoenix {
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .unwrap_or_else(|e| panic!("connect {url}: {e}"));
        Phoenix { ws, next_ref: 0 }
    }

    /// Sends `{topic, event, payload, ref, join_ref}`; returns the ref.
    pub async fn send(
        &mut self,
        topic: &str,
        event: &str,
        payload: Value,
        join_ref: Option<&str>,
    ) -> String {
        self.next_ref += 1;
        let r = self.next_ref.to_string();
        let frame = json!({
            "topic": topic, "event": event, "payload": payload, "ref": r, "join_ref": join_ref,
        });
        self.send_raw(Message::Text(frame.to_string().into())).await;
        r
    }

    pub async fn send_raw(&mut self, message: Message) {
        self.ws.send(message).await.expect("send a frame");
    }

    /// The next text frame as JSON; panics after [`WAIT`].
    pub async fn next(&mut self) -> Value {
        self.next_within(WAIT)
            .await
            .expect("a frame within the wait")
    }

    /// The next text frame within `wait`, or `None` (also when the socket closed).
    pub async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.ws.next())
                .await
                .ok()??;
            match frame.ok()? {
                Message::Text(text) => return Some(serde_json::from_str(&text).expect("JSON")),
                Message::Close(_) => return None,
                _ => continue,
            }
        }
    }

    /// Frames until the `phx_reply` to `r` (returned), with the frames before it.
    pub async fn reply_to(&mut self, r: &str) -> (Value, Vec<Value>) {
        let mut before = Vec::new();
        loop {
            let frame = self.next().await;
            if frame["event"] == "phx_reply" && frame["ref"] == r {
                return (frame, before);
            }
            before.push(frame);
        }
    }

    /// Joins `realtime:<sub_topic>` with `config` and the token; returns the reply.
    pub async fn join(&mut self, sub_topic: &str, config: Value, token: Option<&str>) -> Value {
        let mut payload = json!({ "config": config });
        if let Some(token) = token {
            payload["access_token"] = json!(token);
        }
        let topic = format!("realtime:{sub_topic}");
        // As phoenix.js does: a join's ref is also its join_ref.
        let r = (self.next_ref + 1).to_string();
        let sent = self.send(&topic, "phx_join", payload, Some(&r)).await;
        assert_eq!(sent, r);
        self.reply_to(&r).await.0
    }

    /// Whether the server closed the connection (or it broke) within `wait`.
    pub async fn closed_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return false,
                Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }
}

/// A private channel's join config, as the app sends it.
pub fn private() -> Value {
    json!({
        "broadcast": { "ack": false, "self": false },
        "presence": { "key": "", "enabled": false },
        "postgres_changes": [],
        "private": true,
    })
}
