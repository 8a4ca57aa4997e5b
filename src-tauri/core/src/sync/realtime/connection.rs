//! One Realtime connection, from the WebSocket handshake to the moment it is lost: join the
//! user's private topic, answer for the heartbeat, hand over refreshed tokens, pass pokes on.

use super::frames::{Frame, Incoming, Poke};
use super::RealtimeConfig;
use crate::auth::{SessionProvider, REFRESH_MARGIN};
use chrono::Utc;
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio::time::{sleep_until, Instant};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

/// How long the handshake and the join reply may take.
const JOIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a connection ended.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Ended {
    /// Never joined: unreachable, refused, or no session.
    NotJoined(String),
    /// Joined, then lost after `lasted`.
    Lost { reason: String, lasted: Duration },
}

/// What the connection reports to its owner.
pub(super) trait Listener {
    fn joined(&mut self);
    fn poke(&mut self, poke: Poke);
    fn pulled(&mut self, client_id: Option<String>);
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub(super) async fn run(
    config: &RealtimeConfig,
    session: &SessionProvider,
    listener: &mut (dyn Listener + Send),
) -> Ended {
    let not_joined = |e: String| Ended::NotJoined(e);
    let mut tokens = session.refreshed_tokens();
    let current = match session.session().await {
        Ok(s) => s,
        Err(e) => return not_joined(e.to_string()),
    };
    let channel = super::frames::channel_topic(&format!("jotline:{}", current.user_id));
    let ws_config = WebSocketConfig::default()
        .max_frame_size(Some(config.max_frame_bytes))
        .max_message_size(Some(config.max_frame_bytes));
    let connect = tokio_tungstenite::connect_async_with_config(
        config.websocket_url.as_str(),
        Some(ws_config),
        false,
    );
    let mut socket: Socket = match tokio::time::timeout(JOIN_TIMEOUT, connect).await {
        Ok(Ok((socket, _))) => socket,
        Ok(Err(e)) => return not_joined(format!("cannot connect: {e}")),
        Err(_) => return not_joined("cannot connect: timed out".into()),
    };
    let mut refs = Refs::default();
    let join_ref = refs.next();
    let mut sent_token = current.access_token.clone();
    if let Err(e) = send(&mut socket, Frame::join(&channel, &sent_token, &join_ref)).await {
        return not_joined(e);
    }
    let mut joined_at: Option<Instant> = None;
    let join_deadline = Instant::now() + JOIN_TIMEOUT;
    let mut heartbeat_due = Instant::now() + config.heartbeat;
    let mut heartbeat_pending: Option<String> = None;
    let mut refresh_due = refresh_time(current.expires_at);

    let reason = loop {
        let deadline = if joined_at.is_some() {
            heartbeat_due.min(refresh_due)
        } else {
            join_deadline.min(heartbeat_due)
        };
        tokio::select! {
            message = socket.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    match Incoming::parse(&text, &channel) {
                        Some(Incoming::Reply { reference, result }) if reference == join_ref => {
                            match result {
                                Ok(()) => {
                                    joined_at = Some(Instant::now());
                                    listener.joined();
                                }
                                Err(reason) => break format!("join refused: {reason}"),
                            }
                        }
                        Some(Incoming::Reply { reference, .. })
                            if heartbeat_pending.as_ref() == Some(&reference) =>
                        {
                            heartbeat_pending = None;
                        }
                        Some(Incoming::Reply { result: Err(reason), .. }) => {
                            break format!("refused: {reason}");
                        }
                        Some(Incoming::Poke(poke)) => listener.poke(poke),
                        Some(Incoming::Pulled { client_id }) => listener.pulled(client_id),
                        Some(Incoming::ChannelLost(reason)) => break format!("channel closed: {reason}"),
                        Some(Incoming::Reply { .. } | Incoming::Other) => {}
                        None => tracing::warn!(
                            bytes = text.len(),
                            "realtime: ignored a frame that is not a channel message"
                        ),
                    }
                }
                Some(Ok(Message::Close(frame))) => {
                    break format!("closed by the server: {frame:?}");
                }
                Some(Ok(Message::Binary(bytes))) => {
                    tracing::warn!(bytes = bytes.len(), "realtime: ignored a binary frame");
                }
                Some(Ok(_)) => {} // ping (answered by the library), pong, raw frames
                Some(Err(e)) => break format!("connection lost: {e}"),
                None => break "connection lost".to_string(),
            },
            changed = tokens.changed() => {
                if changed.is_err() {
                    break "session ended".to_string();
                }
                let fresh = tokens.borrow_and_update().clone();
                if joined_at.is_some() && !fresh.is_empty() && fresh != sent_token {
                    if let Err(e) = send(&mut socket, Frame::access_token(&channel, &fresh, &refs.next(), &join_ref)).await {
                        break e;
                    }
                    sent_token = fresh;
                }
            }
            _ = sleep_until(deadline) => {
                let now = Instant::now();
                if joined_at.is_none() && now >= join_deadline {
                    break "no reply to the join".to_string();
                }
                if now >= heartbeat_due {
                    if heartbeat_pending.is_some() {
                        break "the heartbeat was not answered".to_string();
                    }
                    let reference = refs.next();
                    if let Err(e) = send(&mut socket, Frame::heartbeat(&reference)).await {
                        break e;
                    }
                    heartbeat_pending = Some(reference);
                    heartbeat_due = now + config.heartbeat;
                }
                if joined_at.is_some() && now >= refresh_due {
                    // Refreshes the session if it is about to expire; the new token then
                    // arrives through `tokens` (also when another client refreshed first).
                    match session.session().await {
                        Ok(s) => refresh_due = refresh_time(s.expires_at),
                        Err(e) => break format!("no session: {e}"),
                    }
                }
            }
        }
    };
    let _ = socket.close(None).await;
    match joined_at {
        Some(at) => Ended::Lost {
            reason,
            lasted: at.elapsed(),
        },
        None => Ended::NotJoined(reason),
    }
}

/// When the token must be refreshed: inside the provider's margin, so `session()` renews it.
fn refresh_time(expires_at: chrono::DateTime<Utc>) -> Instant {
    let margin = REFRESH_MARGIN / 2;
    let left = (expires_at - margin - Utc::now())
        .to_std()
        .unwrap_or(Duration::ZERO);
    Instant::now() + left
}

async fn send(socket: &mut Socket, frame: Frame) -> Result<(), String> {
    socket
        .send(Message::text(frame.to_text()))
        .await
        .map_err(|e| format!("connection lost: {e}"))
}

/// Message references, unique per connection.
#[derive(Default)]
struct Refs(u64);

impl Refs {
    fn next(&mut self) -> String {
        self.0 += 1;
        self.0.to_string()
    }
}
