//! The proxy's server side: accepting connections, applying a fault, forwarding upstream.

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::{Fault, ProxiedRequest, Shared};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
pub(super) type ProxyBody = BoxBody<Bytes, BoxError>;

pub(super) async fn accept_loop(
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
                        .with_upgrades()
                        .await;
                });
            }
        }
    }
}

/// The error a service returns to make hyper drop the connection.
#[derive(Debug)]
pub(super) struct Dropped;

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
    // A refused Realtime request is logged, and leaves the programmed faults alone.
    let refused = shared.refuse_realtime.load(Ordering::SeqCst) && path.starts_with("/realtime/");
    let fault = {
        let mut faults = shared
            .faults
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let fault = if refused { None } else { faults.take(&path) };
        faults.log.push(ProxiedRequest {
            method: req.method().to_string(),
            path: path.clone(),
            fault: fault.clone(),
        });
        fault
    };
    if refused {
        let body = Bytes::from_static(b"{\"message\":\"injected fault: realtime refused\"}");
        return Ok(full_response(StatusCode::SERVICE_UNAVAILABLE, &[], body));
    }
    if super::tunnel::is_upgrade(&req) {
        return super::tunnel::forward(shared, req, fault).await;
    }
    let (parts, mut body) = req.into_parts();
    if fault == Some(Fault::CutRequestBody) {
        let _ = body.frame().await;
        return Err(Dropped);
    }
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
        Some(Fault::Reply(code, body)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return Ok(full_response(
                status,
                &[],
                Bytes::from_static(body.as_bytes()),
            ));
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
