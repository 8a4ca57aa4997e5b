//! A stand-in for Supabase Realtime at `/realtime/v1/websocket`, for what Jotline uses:
//! private channels authorised by the project's policies on `realtime.messages`, and
//! "Broadcast from the database" (`realtime.send`). It speaks the Phoenix channel protocol
//! as Realtime does (vsn 1.0.0 JSON objects, vsn 2.0.0 arrays and binary broadcasts), with
//! Realtime's replies, refusals and `system` messages, learnt from supabase/realtime
//! (`lib/realtime_web/channels/`) and Phoenix (`lib/phoenix/socket.ex`).
//!
//! Not served: Postgres Changes (a join asking for them gets a `system` error), presence
//! tracking (a `track` is answered `error`), rate limits and tenants.
//!
//! The gateway's part first: the `apikey` (query parameter or header) must be the project's
//! legacy key or publishable key, else the gateway's 401.

mod authorize;
mod channel;
mod frame;
mod hub;
mod join;
mod listener;
mod socket;
mod token;

use std::collections::HashMap;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use tokio::sync::{broadcast, watch};

use super::caller::check_api_key;
use super::AppState;
use frame::Vsn;
use hub::HubMessage;

/// Realtime gives up on `broadcast.replication_ready` after a minute.
const REPLICATION_READY_TIMEOUT: Duration = Duration::from_secs(60);
/// Realtime's `max_frame_size`.
const MAX_FRAME_BYTES: usize = 5_000_000;

/// The backend's Realtime: the hub every socket listens to, and whether the database
/// listener is connected.
pub(crate) struct Realtime {
    hub: broadcast::Sender<Arc<HubMessage>>,
    listening: watch::Receiver<bool>,
    /// Open sockets (`LocalBackend::realtime_sockets`).
    sockets: Arc<AtomicUsize>,
}

impl Realtime {
    /// Starts the database listener on the current runtime (it ends with the runtime).
    pub fn start(database_url: String, sockets: Arc<AtomicUsize>) -> Realtime {
        let (hub, _) = broadcast::channel(1024);
        let (listening_tx, listening) = watch::channel(false);
        tokio::spawn(listener::run(database_url, hub.clone(), listening_tx));
        Realtime {
            hub,
            listening,
            sockets,
        }
    }
}

/// `GET /realtime/v1/websocket?apikey=<key>&vsn=<1.0.0|2.0.0>`.
pub(crate) async fn websocket(
    State(state): State<Arc<AppState>>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let key = headers
        .get("apikey")
        .and_then(|v| v.to_str().ok())
        .or(params.get("apikey").map(String::as_str));
    if let Err(response) = check_api_key(&state, key) {
        return response;
    }
    let Some(vsn) = Vsn::negotiate(params.get("vsn").map(String::as_str)) else {
        // Phoenix refuses a transport version it has no serializer for.
        return StatusCode::FORBIDDEN.into_response();
    };
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let key = key.unwrap_or_default().trim();
    let socket_key = if state.options.publishable_key.as_deref() == Some(key) {
        state.keys.api_key("anon")
    } else {
        key.to_string()
    };
    let session = socket::Session {
        realtime: state.realtime.clone(),
        state,
        vsn,
        socket_key,
        headers: x_headers(&headers),
    };
    upgrade
        .max_frame_size(MAX_FRAME_BYTES)
        .max_message_size(MAX_FRAME_BYTES)
        .on_upgrade(move |ws| socket::serve(ws, session))
}

fn x_headers(headers: &HeaderMap) -> Value {
    let map: Map<String, Value> = headers
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("x-"))
        .filter_map(|(name, value)| {
            Some((
                name.to_string(),
                Value::String(value.to_str().ok()?.to_string()),
            ))
        })
        .collect();
    Value::Object(map)
}
