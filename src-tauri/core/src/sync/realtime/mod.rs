//! Live updates: a Supabase Realtime connection on the user's private topic
//! (`jotline:<user_id>`), on which the server sends a content-free poke after every change
//! (`migrations/server/0010_realtime_pokes.sql`). A poke from another device asks the engine
//! for a pull; the pull stays the source of truth, so a missed poke costs nothing, and every
//! (re)connect runs one pull. While there is no connection the engine keeps polling.

mod connection;
pub mod frames;

use super::backoff::Backoff;
use super::engine::Trigger;
use crate::auth::SessionProvider;
use crate::types::LiveUpdates;
use connection::{Ended, Listener};
use frames::Poke;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct RealtimeConfig {
    /// `ws(s)://<project>/realtime/v1/websocket?apikey=<key>&vsn=1.0.0`.
    pub websocket_url: String,
    /// This installation's `client_id`: its own pokes are not news.
    pub client_id: String,
    /// Realtime drops a socket that has been silent for about a minute; supabase-js beats
    /// every 25 s.
    pub heartbeat: Duration,
    /// A frame above this closes the connection (pokes are a few dozen bytes).
    pub max_frame_bytes: usize,
    /// Reconnect delays: capped exponential with jitter.
    pub reconnect_base: Duration,
    pub reconnect_cap: Duration,
    pub seed: u64,
}

/// A connection that lasted this long was healthy: the next loss reconnects quickly again.
const HEALTHY: Duration = Duration::from_secs(30);

impl RealtimeConfig {
    /// For the project at `backend_url` (as in the settings) with its API key.
    pub fn new(backend_url: &str, api_key: &str, client_id: String) -> Result<Self, String> {
        Ok(Self {
            websocket_url: websocket_url(backend_url, api_key)?,
            client_id,
            heartbeat: Duration::from_secs(25),
            max_frame_bytes: 1 << 20,
            reconnect_base: Duration::from_secs(1),
            reconnect_cap: Duration::from_secs(60),
            seed: super::backoff::time_seed(),
        })
    }
}

/// The Realtime WebSocket URL of a Supabase project.
pub fn websocket_url(backend_url: &str, api_key: &str) -> Result<String, String> {
    let mut url = reqwest::Url::parse(backend_url.trim().trim_end_matches('/'))
        .map_err(|e| format!("backend URL: {e}"))?;
    let scheme = match url.scheme() {
        "https" => "wss",
        "http" => "ws",
        other => return Err(format!("backend URL: unsupported scheme {other}")),
    };
    url.set_scheme(scheme)
        .map_err(|()| "backend URL: cannot use WebSocket".to_string())?;
    let path = format!("{}/realtime/v1/websocket", url.path().trim_end_matches('/'));
    url.set_path(&path);
    url.query_pairs_mut()
        .clear()
        .append_pair("apikey", api_key)
        .append_pair("vsn", "1.0.0");
    Ok(url.into())
}

/// Runs the connection until the task is aborted, reporting to the engine through `engine`:
/// `Live(..)` on every change of state, `Poke` for another device's change.
pub(super) fn spawn(
    config: RealtimeConfig,
    session: Arc<SessionProvider>,
    engine: mpsc::UnboundedSender<Trigger>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut backoff =
            Backoff::with_limits(config.reconnect_base, config.reconnect_cap, config.seed);
        let mut reporter = Reporter {
            engine,
            client_id: config.client_id.clone(),
        };
        loop {
            let ended = connection::run(&config, &session, &mut reporter).await;
            match &ended {
                Ended::Lost { lasted, .. } if *lasted >= HEALTHY => backoff.reset(),
                _ => {}
            }
            let delay = backoff.next_delay();
            match ended {
                Ended::NotJoined(reason) | Ended::Lost { reason, .. } => {
                    tracing::info!(%reason, retry_in = ?delay, "live updates off");
                }
            }
            if reporter
                .engine
                .send(Trigger::Live(LiveUpdates::Off))
                .is_err()
            {
                return;
            }
            tokio::time::sleep(delay).await;
        }
    })
}

struct Reporter {
    engine: mpsc::UnboundedSender<Trigger>,
    client_id: String,
}

impl Listener for Reporter {
    fn joined(&mut self) {
        let _ = self.engine.send(Trigger::Live(LiveUpdates::On));
    }

    fn poke(&mut self, poke: Poke) {
        if poke.client_id.as_deref() == Some(self.client_id.as_str()) {
            return;
        }
        tracing::debug!(version = ?poke.version, "poke from another device");
        let _ = self.engine.send(Trigger::Poke);
    }

    fn pulled(&mut self, client_id: Option<String>) {
        if client_id.as_deref() != Some(self.client_id.as_str()) {
            let _ = self.engine.send(Trigger::DevicesChanged);
        }
    }
}
