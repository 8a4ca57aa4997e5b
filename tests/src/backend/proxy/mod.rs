//! A fault-injecting HTTP/1 proxy for sync tests: put it between a client and a
//! [`LocalBackend`](super::LocalBackend) (or any HTTP server) and program what goes wrong with
//! the next N requests whose path starts with a prefix. WebSocket upgrades (Realtime) are
//! forwarded too; a test can drop every live one at once, or refuse Realtime altogether.
//!
//! Forwarding to the upstream runs in its own task, so what the upstream does (commit a push)
//! never depends on whether the client is still there; only what the client sees changes.

mod serve;
mod tunnel;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;

/// What goes wrong with a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection without forwarding: the upstream never sees the request.
    DropRequest,
    /// Read the first part of the request body, then close the connection: an upload cut off
    /// mid-body (the upstream never sees it).
    CutRequestBody,
    /// Forward and let the upstream finish (e.g. commit), then close the connection without
    /// answering: the client sees a connection error for a request that took effect.
    DropResponse,
    /// Answer with this status (e.g. 500, 503) without forwarding.
    Status(u16),
    /// Answer with this status and JSON body without forwarding (e.g. Supabase Storage's
    /// HTTP 400 carrying `"statusCode": "503"`).
    Reply(u16, &'static str),
    /// Wait, then forward and answer normally. A client with a shorter timeout gives up, but
    /// the request still reaches the upstream after the delay.
    DelayRequest(Duration),
    /// Forward at once, hold the upstream's answer back for this long.
    DelayResponse(Duration),
    /// Forward, then send the status, the full `Content-Length` and only the first half of the
    /// body before closing the connection: the client sees a broken body.
    TruncateBody,
    /// Forward, then answer with the upstream's status and a body that is not valid JSON
    /// (the first half of the upstream's body).
    MalformedBody,
}

/// One request the proxy saw, and the fault applied to it.
#[derive(Debug, Clone)]
pub struct ProxiedRequest {
    pub method: String,
    pub path: String,
    pub fault: Option<Fault>,
}

#[derive(Debug)]
struct Rule {
    prefix: String,
    fault: Fault,
    remaining: usize,
}

#[derive(Debug, Default)]
pub(super) struct Faults {
    rules: VecDeque<Rule>,
    pub(super) log: Vec<ProxiedRequest>,
}

impl Faults {
    /// Takes one use of the first rule matching `path`, if any.
    pub(super) fn take(&mut self, path: &str) -> Option<Fault> {
        let index = self
            .rules
            .iter()
            .position(|r| r.remaining > 0 && path.starts_with(&r.prefix))?;
        let rule = &mut self.rules[index];
        rule.remaining -= 1;
        let fault = rule.fault.clone();
        if rule.remaining == 0 {
            self.rules.remove(index);
        }
        Some(fault)
    }
}

/// What the proxy's connections share with the handle.
pub(super) struct Shared {
    pub(super) upstream: String,
    pub(super) client: reqwest::Client,
    pub(super) faults: Mutex<Faults>,
    /// Bumped to end every live WebSocket tunnel.
    pub(super) kill_tunnels: tokio::sync::watch::Sender<u64>,
    pub(super) live_tunnels: Arc<AtomicUsize>,
    /// Answer 503 to every request under `/realtime/`.
    pub(super) refuse_realtime: AtomicBool,
}

/// A running proxy; dropping it stops it.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultProxy {
    /// Listens on a free port of 127.0.0.1 and forwards to `upstream_url`
    /// (e.g. `http://127.0.0.1:54321`), from its own thread and runtime.
    pub fn start(upstream_url: &str) -> anyhow::Result<FaultProxy> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").context("binding the proxy")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream: upstream_url.trim_end_matches('/').to_string(),
            client: reqwest::Client::builder()
                .no_proxy()
                .build()
                .context("building the upstream client")?,
            faults: Mutex::new(Faults::default()),
            kill_tunnels: tokio::sync::watch::Sender::new(0),
            live_tunnels: Arc::new(AtomicUsize::new(0)),
            refuse_realtime: AtomicBool::new(false),
        });
        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("jotline-fault-proxy-rt")
            .enable_all()
            .build()
            .context("building the proxy runtime")?;
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("jotline-fault-proxy".into())
            .spawn(move || {
                runtime.block_on(serve::accept_loop(listener, thread_shared, shutdown_rx));
                runtime.shutdown_timeout(Duration::from_secs(1));
            })
            .context("spawning the proxy thread")?;
        Ok(FaultProxy {
            addr,
            shared,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        })
    }

    /// The proxy's base URL; use it instead of the upstream's.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Applies `fault` to the next `times` requests whose path starts with `path_prefix`
    /// (e.g. `/rest/v1/rpc/sync_push`). Rules apply in the order they were added.
    pub fn inject(&self, path_prefix: &str, fault: Fault, times: usize) {
        if times == 0 {
            return;
        }
        self.lock().rules.push_back(Rule {
            prefix: path_prefix.to_string(),
            fault,
            remaining: times,
        });
    }

    /// Removes every fault not yet used.
    pub fn clear(&self) {
        self.lock().rules.clear();
    }

    /// How many faulty requests are still to come.
    pub fn pending_faults(&self) -> usize {
        self.lock().rules.iter().map(|r| r.remaining).sum()
    }

    /// Every request seen so far, in arrival order.
    pub fn requests(&self) -> Vec<ProxiedRequest> {
        self.lock().log.clone()
    }

    /// How many requests whose path starts with `path_prefix` were seen.
    pub fn count(&self, path_prefix: &str) -> usize {
        self.lock()
            .log
            .iter()
            .filter(|r| r.path.starts_with(path_prefix))
            .count()
    }

    /// Closes every live WebSocket (both its ends, without a close frame, as a network
    /// failure would) and returns how many there were. New connections work as before.
    pub fn drop_websockets(&self) -> usize {
        let live = self.websockets();
        self.shared
            .kill_tunnels
            .send_modify(|generation| *generation += 1);
        live
    }

    /// How many WebSockets are open through the proxy.
    pub fn websockets(&self) -> usize {
        self.shared.live_tunnels.load(Ordering::SeqCst)
    }

    /// While `refuse` holds, every request under `/realtime/` (a Realtime WebSocket) is
    /// answered 503 and never reaches the upstream; open sockets stay. (For a number of
    /// attempts instead: `inject("/realtime/", Fault::Status(503), n)`.)
    pub fn refuse_realtime(&self, refuse: bool) {
        self.shared.refuse_realtime.store(refuse, Ordering::SeqCst);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Faults> {
        self.shared
            .faults
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
