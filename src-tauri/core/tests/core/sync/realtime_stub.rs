//! A scriptable Realtime server for the client's tests: accepts WebSockets, records every
//! frame a client sends, answers joins (ok, or refused) and heartbeats (unless muted), and
//! lets the test send frames to every socket or drop them all.

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio_tungstenite::tungstenite::Message;

#[derive(Clone, Debug)]
enum ToClients {
    Text(String),
    Drop,
}

#[derive(Clone)]
pub struct RealtimeStub {
    pub url: String,
    frames: Arc<Mutex<Vec<Value>>>,
    connections: Arc<AtomicUsize>,
    refuse_joins: Arc<AtomicBool>,
    mute_heartbeats: Arc<AtomicBool>,
    to_clients: broadcast::Sender<ToClients>,
}

impl RealtimeStub {
    /// Serves on a free port of this runtime.
    pub async fn start() -> RealtimeStub {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (to_clients, _) = broadcast::channel(64);
        let stub = RealtimeStub {
            url: format!(
                "ws://{}/realtime/v1/websocket",
                listener.local_addr().unwrap()
            ),
            frames: Arc::default(),
            connections: Arc::default(),
            refuse_joins: Arc::default(),
            mute_heartbeats: Arc::default(),
            to_clients,
        };
        let serving = stub.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let serving = serving.clone();
                tokio::spawn(async move { serving.serve(stream).await });
            }
        });
        stub
    }

    pub fn refuse_joins(&self, refuse: bool) {
        self.refuse_joins.store(refuse, Ordering::SeqCst);
    }

    pub fn mute_heartbeats(&self, mute: bool) {
        self.mute_heartbeats.store(mute, Ordering::SeqCst);
    }

    /// WebSocket connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Every frame clients sent, parsed.
    pub fn frames(&self) -> Vec<Value> {
        self.frames.lock().unwrap().clone()
    }

    pub fn frames_of(&self, event: &str) -> Vec<Value> {
        self.frames()
            .into_iter()
            .filter(|f| f["event"] == event)
            .collect()
    }

    /// Sends a text frame to every connected socket.
    pub fn send_text(&self, text: impl Into<String>) {
        let _ = self.to_clients.send(ToClients::Text(text.into()));
    }

    /// A poke as Supabase sends a Broadcast from the database.
    pub fn poke(&self, topic: &str, version: i64, client_id: Option<&str>) {
        self.send_text(
            json!({
                "topic": format!("realtime:{topic}"), "event": "broadcast", "ref": null,
                "payload": {"type": "broadcast", "event": "poke",
                            "payload": {"version": version, "client_id": client_id}}
            })
            .to_string(),
        );
    }

    /// Drops every connection without a close frame (a dead network).
    pub fn drop_all(&self) {
        let _ = self.to_clients.send(ToClients::Drop);
    }

    async fn serve(&self, stream: tokio::net::TcpStream) {
        let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else {
            return;
        };
        self.connections.fetch_add(1, Ordering::SeqCst);
        let mut commands = self.to_clients.subscribe();
        loop {
            tokio::select! {
                message = socket.next() => {
                    let Some(Ok(Message::Text(text))) = message else { return };
                    let Ok(frame) = serde_json::from_str::<Value>(&text) else { continue };
                    self.frames.lock().unwrap().push(frame.clone());
                    if let Some(reply) = self.reply_to(&frame) {
                        if socket.send(Message::text(reply.to_string())).await.is_err() {
                            return;
                        }
                    }
                }
                command = commands.recv() => match command {
                    Ok(ToClients::Text(text)) => {
                        if socket.send(Message::text(text)).await.is_err() {
                            return;
                        }
                    }
                    Ok(ToClients::Drop) | Err(_) => return,
                }
            }
        }
    }

    fn reply_to(&self, frame: &Value) -> Option<Value> {
        let ok = |response: Value| {
            json!({"topic": frame["topic"], "event": "phx_reply", "ref": frame["ref"],
                   "payload": {"status": "ok", "response": response}})
        };
        match frame["event"].as_str()? {
            "phx_join" if self.refuse_joins.load(Ordering::SeqCst) => Some(json!({
                "topic": frame["topic"], "event": "phx_reply", "ref": frame["ref"],
                "payload": {"status": "error", "response": {
                    "reason": "Unauthorized: You do not have permissions to read from this Channel topic: jotline:someone"}}
            })),
            "phx_join" => Some(ok(json!({"postgres_changes": []}))),
            "heartbeat" if self.mute_heartbeats.load(Ordering::SeqCst) => None,
            "heartbeat" | "access_token" => Some(ok(json!({}))),
            _ => None,
        }
    }
}
