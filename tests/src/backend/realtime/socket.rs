//! One WebSocket, as Phoenix's socket process serves it for Realtime: `heartbeat` on topic
//! `phoenix` answered `ok`; `phx_join` on `realtime:*` (a second join of a joined topic closes
//! the first: `phx_close`, then the new join); `phx_leave` answered `ok`, then `phx_close`;
//! a message for a topic not joined answered `error` `{"reason": "unmatched topic"}`; a
//! message with a stale `join_ref` ignored; frames that do not parse ignored (Realtime logs
//! `MalformedWebSocketMessage` and goes on). Broadcasts for joined channels arrive from the
//! hub. A client that sends nothing for the idle timeout (Phoenix's WebSocket timeout, 60 s)
//! is closed. Everything runs in this one task, so a socket that goes away leaves nothing
//! behind.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message as WsMessage, WebSocket};
use serde_json::{json, Value};
use tokio::sync::broadcast::error::RecvError;

use super::channel::{Channel, Outcome};
use super::frame::{self, Incoming, Vsn};
use super::hub::HubMessage;
use super::join::join;
use super::Realtime;
use crate::backend::AppState;

/// A client that does not read its frames for this long is dropped.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// What every channel of one socket shares.
pub struct Session {
    pub state: Arc<AppState>,
    pub realtime: Arc<Realtime>,
    pub vsn: Vsn,
    /// The socket's API key as a JWT (for a publishable key, the anon JWT the gateway hands
    /// Realtime): the token of a join that brings none.
    pub socket_key: String,
    /// The request's `x-` headers, which Realtime hands the policies as `request.headers`.
    pub headers: Value,
}

pub async fn serve(mut ws: WebSocket, session: Session) {
    let _open = OpenSocket::count(&session.realtime.sockets);
    let mut hub = session.realtime.hub.subscribe();
    let idle_timeout = session.state.options.realtime_idle_timeout;
    let mut socket = Socket {
        session,
        channels: HashMap::new(),
    };
    let mut last_frame = Instant::now();
    loop {
        let idle_at = last_frame + idle_timeout;
        let wake = socket
            .channels
            .values()
            .map(Channel::next_due)
            .fold(idle_at, Instant::min);
        let out = tokio::select! {
            frame = ws.recv() => {
                let Some(Ok(frame)) = frame else { break };
                last_frame = Instant::now();
                match frame {
                    WsMessage::Close(_) => break,
                    WsMessage::Ping(_) | WsMessage::Pong(_) => Vec::new(),
                    frame => match frame::decode(socket.session.vsn, &frame) {
                        Some(incoming) => socket.on_frame(incoming).await,
                        None => Vec::new(),
                    },
                }
            }
            message = hub.recv() => match message {
                Ok(message) => socket.on_hub(&message),
                Err(RecvError::Lagged(_)) => Vec::new(),
                Err(RecvError::Closed) => break,
            },
            _ = tokio::time::sleep_until(wake.into()) => {
                let now = Instant::now();
                if now >= idle_at {
                    break;
                }
                socket.on_timers(now)
            }
        };
        if !send_all(&mut ws, out).await {
            return;
        }
    }
    let _ = tokio::time::timeout(SEND_TIMEOUT, ws.send(WsMessage::Close(None))).await;
}

/// Counts a socket as open for as long as its task lives (also when the task is dropped).
struct OpenSocket(Arc<AtomicUsize>);

impl OpenSocket {
    fn count(sockets: &Arc<AtomicUsize>) -> OpenSocket {
        sockets.fetch_add(1, Ordering::SeqCst);
        OpenSocket(sockets.clone())
    }
}

impl Drop for OpenSocket {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn send_all(ws: &mut WebSocket, frames: Vec<WsMessage>) -> bool {
    for frame in frames {
        match tokio::time::timeout(SEND_TIMEOUT, ws.send(frame)).await {
            Ok(Ok(())) => {}
            _ => return false,
        }
    }
    true
}

struct Socket {
    session: Session,
    /// By topic (`realtime:…`).
    channels: HashMap<String, Channel>,
}

impl Socket {
    fn vsn(&self) -> Vsn {
        self.session.vsn
    }

    async fn on_frame(&mut self, m: Incoming) -> Vec<WsMessage> {
        let vsn = self.vsn();
        if m.topic == "phoenix" && m.event == "heartbeat" {
            return vec![frame::reply(
                vsn,
                &Value::Null,
                &m.r#ref,
                "phoenix",
                "ok",
                json!({}),
            )];
        }
        let mut out = Vec::new();
        let joined_ref = self.channels.get(&m.topic).map(|c| c.join_ref.clone());
        match (joined_ref, m.event.as_str()) {
            (Some(_), "phx_join") => {
                if let Some(old) = self.channels.remove(&m.topic) {
                    out.push(frame::close(vsn, &old.join_ref, &old.topic));
                }
                out.extend(self.on_join(&m).await);
            }
            (None, "phx_join") => out.extend(self.on_join(&m).await),
            (None, "phx_leave") => out.push(frame::reply(
                vsn,
                &m.join_ref,
                &m.r#ref,
                &m.topic,
                "ok",
                json!({}),
            )),
            (None, _) => out.push(frame::reply(
                vsn,
                &Value::Null,
                &m.r#ref,
                &m.topic,
                "error",
                json!({ "reason": "unmatched topic" }),
            )),
            // A message for an earlier join of this topic.
            (Some(join_ref), _) if !m.join_ref.is_null() && m.join_ref != join_ref => {}
            (Some(join_ref), "phx_leave") => {
                self.channels.remove(&m.topic);
                out.push(frame::reply(
                    vsn,
                    &join_ref,
                    &m.r#ref,
                    &m.topic,
                    "ok",
                    json!({}),
                ));
                out.push(frame::close(vsn, &join_ref, &m.topic));
            }
            (Some(_), _) => out.extend(self.on_channel_message(&m).await),
        }
        out
    }

    async fn on_join(&mut self, m: &Incoming) -> Vec<WsMessage> {
        let vsn = self.vsn();
        let reply =
            |status, response| frame::reply(vsn, &m.join_ref, &m.r#ref, &m.topic, status, response);
        let Some(sub_topic) = m.topic.strip_prefix("realtime:") else {
            return vec![frame::reply(
                vsn,
                &Value::Null,
                &m.r#ref,
                &m.topic,
                "error",
                json!({ "reason": "unmatched topic" }),
            )];
        };
        match join(&self.session, &m.topic, sub_topic, &m.join_ref, &m.payload).await {
            Ok(joined) => {
                let mut out = vec![reply("ok", joined.response)];
                let channel = joined.channel;
                for (event, payload) in joined.pushes {
                    out.push(frame::push(
                        vsn,
                        &channel.join_ref,
                        &channel.topic,
                        &event,
                        payload,
                    ));
                }
                self.channels.insert(m.topic.clone(), channel);
                out
            }
            Err(reason) => {
                // Realtime holds a refused join back (CHANNEL_ERROR_BACKOFF_MS), and the whole
                // socket with it, as the socket process waits for the join.
                tokio::time::sleep(self.session.state.options.realtime_join_error_delay).await;
                vec![reply("error", json!({ "reason": reason }))]
            }
        }
    }

    async fn on_channel_message(&mut self, m: &Incoming) -> Vec<WsMessage> {
        let vsn = self.vsn();
        let Some(channel) = self.channels.get_mut(&m.topic) else {
            return Vec::new();
        };
        let outcome = match m.event.as_str() {
            "access_token" => channel.on_access_token(&self.session, &m.payload).await,
            "presence" => channel.on_presence(&self.session, &m.payload).await,
            "broadcast" => {
                let (outcome, message) = channel.on_broadcast(&self.session, &m.payload).await;
                if let Some(message) = message {
                    // Every socket's hub receiver gets it, this one's too.
                    let _ = self
                        .session
                        .realtime
                        .hub
                        .send(Arc::new(HubMessage::Client(message)));
                }
                outcome
            }
            // Realtime logs "Unexpected message from client" and goes on.
            _ => Outcome::Stay(Vec::new()),
        };
        match outcome {
            Outcome::Reply(status, response) => vec![frame::reply(
                vsn,
                &channel.join_ref,
                &m.r#ref,
                &m.topic,
                status,
                response,
            )],
            other => self.apply(&m.topic, other),
        }
    }

    /// Sends a channel's pushes, or shuts it down.
    fn apply(&mut self, topic: &str, outcome: Outcome) -> Vec<WsMessage> {
        let vsn = self.vsn();
        let Some(channel) = self.channels.get(topic) else {
            return Vec::new();
        };
        match outcome {
            Outcome::Stay(pushes) => pushes
                .into_iter()
                .map(|(event, payload)| {
                    frame::push(vsn, &channel.join_ref, &channel.topic, &event, payload)
                })
                .collect(),
            Outcome::Reply(..) => Vec::new(),
            Outcome::Shutdown(message) => {
                let system = channel.system("error", &message);
                let out = vec![
                    frame::push(vsn, &channel.join_ref, &channel.topic, "system", system),
                    frame::close(vsn, &channel.join_ref, &channel.topic),
                ];
                self.channels.remove(topic);
                out
            }
        }
    }

    fn on_timers(&mut self, now: Instant) -> Vec<WsMessage> {
        let due: Vec<String> = self
            .channels
            .iter()
            .filter(|(_, c)| c.next_due() <= now || c.replication_ready_by.is_some())
            .map(|(topic, _)| topic.clone())
            .collect();
        let mut out = Vec::new();
        for topic in due {
            if let Some(channel) = self.channels.get_mut(&topic) {
                let outcome = channel.on_timer(&self.session, now);
                out.extend(self.apply(&topic, outcome));
            }
        }
        out
    }

    fn on_hub(&self, message: &HubMessage) -> Vec<WsMessage> {
        let vsn = self.vsn();
        self.channels
            .values()
            .filter(|c| c.reads_broadcasts())
            .filter_map(|c| match message {
                HubMessage::Database(b) => (b.topic == c.sub_topic
                    && b.private == c.private
                    && !c.replayed.contains(&b.id))
                .then(|| {
                    frame::user_broadcast(
                        vsn,
                        &c.topic,
                        &b.event,
                        &b.payload,
                        &json!({ "id": b.id }),
                    )
                })
                .flatten(),
                HubMessage::Client(b) => (b.topic == c.sub_topic
                    && b.private == c.private
                    && (b.from_channel != c.id || c.self_broadcast))
                    .then(|| frame::broadcast(vsn, &c.topic, &b.payload)),
            })
            .collect()
    }
}
