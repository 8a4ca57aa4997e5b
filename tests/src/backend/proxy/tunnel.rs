//! WebSocket upgrades through the proxy (Realtime's `/realtime/v1/websocket`): the upgrade
//! request goes to the upstream on a connection of its own; when the upstream switches
//! protocols, both sides are upgraded and bytes are copied between them until one side
//! closes or the test drops every live tunnel at once ([`super::FaultProxy::drop_websockets`]).

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONNECTION, HOST, UPGRADE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::serve::{Dropped, ProxyBody};
use super::{Fault, Shared};

/// Whether `req` asks to switch protocols (`Connection: upgrade` with an `Upgrade` header).
pub(super) fn is_upgrade(req: &Request<Incoming>) -> bool {
    let connection_upgrade = req
        .headers()
        .get_all(CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|token| token.trim().eq_ignore_ascii_case("upgrade"));
    connection_upgrade && req.headers().contains_key(UPGRADE)
}

/// Applies `fault` to an upgrade request and forwards it.
pub(super) async fn forward(
    shared: Arc<Shared>,
    mut req: Request<Incoming>,
    fault: Option<Fault>,
) -> Result<Response<ProxyBody>, Dropped> {
    match fault {
        Some(Fault::DropRequest) | Some(Fault::CutRequestBody) => return Err(Dropped),
        Some(Fault::Status(code)) => {
            let body = format!("{{\"message\":\"injected fault: status {code}\"}}");
            return Ok(answer(code, Bytes::from(body)));
        }
        Some(Fault::Reply(code, body)) => {
            return Ok(answer(code, Bytes::from_static(body.as_bytes())))
        }
        Some(Fault::DelayRequest(delay)) => tokio::time::sleep(delay).await,
        _ => {}
    }
    let client_side = hyper::upgrade::on(&mut req);
    let mut upstream = match open_upstream(&shared, req).await {
        Ok(response) => response,
        Err(e) => {
            let body = format!("{{\"message\":\"proxy: upstream unreachable: {e}\"}}");
            return Ok(answer(502, Bytes::from(body)));
        }
    };
    if upstream.status() != StatusCode::SWITCHING_PROTOCOLS {
        // A refusal (401 from the gateway, 403 for a version): passed on as it is.
        let (parts, body) = upstream.into_parts();
        let body = body.collect().await.map_err(|_| Dropped)?.to_bytes();
        let mut response = Response::from_parts(parts, full(body));
        response
            .headers_mut()
            .remove(hyper::header::TRANSFER_ENCODING);
        return Ok(response);
    }
    let upstream_side = hyper::upgrade::on(&mut upstream);
    if fault == Some(Fault::DropResponse) {
        // The upstream opened the socket; the client never hears of it.
        return Err(Dropped);
    }
    if let Some(Fault::DelayResponse(delay)) = fault {
        tokio::time::sleep(delay).await;
    }
    let mut kill = shared.kill_tunnels.subscribe();
    let live = shared.live_tunnels.clone();
    tokio::spawn(async move {
        let (Ok(client), Ok(upstream)) = tokio::join!(client_side, upstream_side) else {
            return;
        };
        live.fetch_add(1, Ordering::SeqCst);
        let (mut client, mut upstream) = (TokioIo::new(client), TokioIo::new(upstream));
        tokio::select! {
            _ = tokio::io::copy_bidirectional(&mut client, &mut upstream) => {}
            // Dropping both ends closes both connections, as a network failure would.
            _ = kill.changed() => {}
        }
        live.fetch_sub(1, Ordering::SeqCst);
    });
    let (parts, _) = upstream.into_parts();
    Ok(Response::from_parts(parts, empty()))
}

/// Sends the upgrade request on a fresh connection to the upstream.
async fn open_upstream(
    shared: &Shared,
    req: Request<Incoming>,
) -> anyhow::Result<Response<Incoming>> {
    let authority = shared
        .upstream
        .split_once("://")
        .map_or(shared.upstream.as_str(), |(_, rest)| rest)
        .trim_end_matches('/')
        .to_string();
    let tcp = tokio::net::TcpStream::connect(&authority).await?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(tcp)).await?;
    tokio::spawn(connection.with_upgrades());
    let (mut parts, _) = req.into_parts();
    parts.uri = parts
        .uri
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .parse()?;
    parts
        .headers
        .insert(HOST, HeaderValue::from_str(&authority)?);
    Ok(sender
        .send_request(Request::from_parts(parts, Empty::<Bytes>::new()))
        .await?)
}

fn answer(code: u16, body: Bytes) -> Response<ProxyBody> {
    let mut response = Response::new(full(body));
    *response.status_mut() = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
    response
}

fn full(body: Bytes) -> ProxyBody {
    Full::new(body)
        .map_err(|never: Infallible| match never {})
        .boxed()
}

fn empty() -> ProxyBody {
    Empty::new()
        .map_err(|never: Infallible| match never {})
        .boxed()
}
