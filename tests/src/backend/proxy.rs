//! A fault-injecting HTTP/1 proxy for sync tests: put it between a client and a
//! [`LocalBackend`](super::LocalBackend) (or any HTTP server) and program what goes wrong with
//! the next N requests whose path starts with a prefix.
//!
//! Forwarding to the upstream runs in its own task, so what the upstream does (commit a push)
//! never depends on whether the client is still there; only what the client sees changes.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ProxyBody = BoxBody<Bytes, BoxError>;

/// What goes wrong with a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Close the connection without forwarding: the upstream never sees the request.
    DropRequest,
    /// Forward and let the upstream finish (e.g. commit), then close the connection without
    /// answering: the client sees a connection error for a request that took effect.
    DropResponse,
    /// Answer with this status (e.g. 500, 503) without forwarding.
    Status(u16),
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
struct Faults {
    rules: VecDeque<Rule>,
    log: Vec<ProxiedRequest>,
}

impl Faults {
    /// Takes one use of the first rule matching `path`, if any.
    fn take(&mut self, path: &str) -> Option<Fault> {
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

struct Shared {
    upstream: String,
    client: reqwest::Client,
    faults: Mutex<Faults>,
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
                runtime.block_on(accept_loop(listener, thread_shared, shutdown_rx));
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

async fn accept_loop(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let shared = shared.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let shared = shared.clone();
                        async move { handle(shared, req).await }
                    });
                    // A service error makes hyper close the connection without an answer.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

/// The error a service returns to make hyper drop the connection.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

struct Upstream {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<ProxyBody>, Dropped> {
    let path = req.uri().path().to_string();
    let fault = {
        let mut faults = shared
            .faults
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let fault = faults.take(&path);
        faults.log.push(ProxiedRequest {
            method: req.method().to_string(),
            path: path.clone(),
            fault: fault.clone(),
        });
        fault
    };
    let (parts, body) = req.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Err(Dropped),
    };
    match fault {
        Some(Fault::DropRequest) => return Err(Dropped),
        Some(Fault::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let body = format!("{{\"message\":\"injected fault: status {code}\"}}");
            return Ok(full_response(status, &[], Bytes::from(body)));
        }
        _ => {}
    }
    // Delay and forward in a task of its own: the upstream's side effects happen even if the
    // client has gone away meanwhile (hyper drops this future when the client hangs up).
    let delay = match fault {
        Some(Fault::DelayRequest(delay)) => Some(delay),
        _ => None,
    };
    let forward = tokio::spawn(async move {
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        forward(shared, parts, body).await
    });
    let upstream = match forward.await {
        Ok(Ok(upstream)) => upstream,
        Ok(Err(e)) => {
            let body = format!("{{\"message\":\"proxy: upstream unreachable: {e}\"}}");
            return Ok(full_response(
                StatusCode::BAD_GATEWAY,
                &[],
                Bytes::from(body),
            ));
        }
        Err(_) => return Err(Dropped),
    };
    match fault {
        Some(Fault::DropResponse) => Err(Dropped),
        Some(Fault::DelayResponse(delay)) => {
            tokio::time::sleep(delay).await;
            Ok(full_response(
                upstream.status,
                &upstream.headers,
                upstream.body,
            ))
        }
        Some(Fault::TruncateBody) => Ok(truncated_response(upstream)),
        Some(Fault::MalformedBody) => {
            let half = upstream.body.slice(..upstream.body.len() / 2);
            let mut body = half.to_vec();
            body.extend_from_slice(b"\x00<<malformed>>");
            Ok(full_response(
                upstream.status,
                &upstream.headers,
                Bytes::from(body),
            ))
        }
        _ => Ok(full_response(
            upstream.status,
            &upstream.headers,
            upstream.body,
        )),
    }
}

/// Hop-by-hop and length headers, which the proxy sets itself.
fn skip_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "host"
            | "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
            | "content-length"
    )
}

async fn forward(
    shared: Arc<Shared>,
    parts: hyper::http::request::Parts,
    body: Bytes,
) -> Result<Upstream, reqwest::Error> {
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    let url = format!("{}{}", shared.upstream, path_and_query);
    let mut request = shared.client.request(parts.method, url).body(body);
    for (name, value) in &parts.headers {
        if !skip_header(name) {
            request = request.header(name, value);
        }
    }
    let response = request.send().await?;
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| !skip_header(name))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    let body = response.bytes().await?;
    Ok(Upstream {
        status,
        headers,
        body,
    })
}

fn full_response(
    status: StatusCode,
    headers: &[(HeaderName, HeaderValue)],
    body: Bytes,
) -> Response<ProxyBody> {
    let mut response = Response::new(
        Full::new(body)
            .map_err(|never: Infallible| match never {})
            .boxed(),
    );
    *response.status_mut() = status;
    for (name, value) in headers {
        response.headers_mut().append(name.clone(), value.clone());
    }
    response
}

/// Announces the full length, sends half of the body, then fails the body so that hyper
/// aborts the connection.
fn truncated_response(upstream: Upstream) -> Response<ProxyBody> {
    let full_len = upstream.body.len();
    let half = upstream.body.slice(..full_len / 2);
    // The pause lets hyper flush the head and the first half before the body fails; a body
    // failing at once would abort the connection before anything was written.
    let frames = futures_util::stream::once(async move { Ok(Frame::data(half)) }).chain(
        futures_util::stream::once(async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            Err(Box::new(Dropped) as BoxError)
        }),
    );
    let body = BodyExt::boxed(StreamBody::new(frames));
    let mut response = Response::new(body);
    *response.status_mut() = upstream.status;
    for (name, value) in &upstream.headers {
        response.headers_mut().append(name.clone(), value.clone());
    }
    response
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(full_len));
    response
}
