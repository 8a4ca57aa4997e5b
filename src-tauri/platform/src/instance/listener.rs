//! The running app's side: accept requests from later launches and answer each one.

use super::message::{Reply, Request};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A request larger than this is refused unread (a capture is at most 1 MiB of text).
const MAX_REQUEST_BYTES: u64 = 4 * 1024 * 1024;
/// A connection that sends nothing is dropped after this long.
const REQUEST_WITHIN: Duration = Duration::from_secs(10);

/// What the app does with one request.
pub type Handler = Arc<dyn Fn(Request) -> Reply + Send + Sync>;

/// Bound before the app starts, so a launch during start-up waits in the socket's backlog
/// instead of starting a second app.
pub struct Listener {
    #[cfg(unix)]
    socket: std::os::unix::net::UnixListener,
    path: PathBuf,
}

impl Listener {
    /// Binds `path`. Only the journal's lock holder calls this, so a socket file already
    /// there is a leftover of a previous run and is replaced.
    #[cfg(unix)]
    pub fn bind(path: &Path) -> std::io::Result<Listener> {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let socket = std::os::unix::net::UnixListener::bind(path)?;
        // Only this user may hand the app text to save.
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        Ok(Listener {
            socket,
            path: path.to_path_buf(),
        })
    }

    #[cfg(not(unix))]
    pub fn bind(_path: &Path) -> std::io::Result<Listener> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "a later launch cannot reach the app without a Unix socket",
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Answers requests on a thread of its own (one more per connection) for as long as the
    /// process lives.
    #[cfg(unix)]
    pub fn serve(self, handler: Handler) {
        let spawned = std::thread::Builder::new()
            .name("jotline-instance".into())
            .spawn(move || {
                for stream in self.socket.incoming() {
                    match stream {
                        Ok(stream) => {
                            let handler = handler.clone();
                            std::thread::spawn(move || answer(&stream, &handler));
                        }
                        Err(e) => tracing::warn!(error = %e, "a later launch could not connect"),
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "later launches cannot reach this app");
        }
    }

    #[cfg(not(unix))]
    pub fn serve(self, _handler: Handler) {}
}

#[cfg(unix)]
fn answer(stream: &std::os::unix::net::UnixStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(REQUEST_WITHIN));
    let reply = match read_request(stream) {
        Ok(request) => handler(request),
        Err(reason) => Reply::NotSaved {
            reason,
            draft: false,
        },
    };
    let mut line = serde_json::to_vec(&reply).unwrap_or_default();
    line.push(b'\n');
    let mut writer = stream;
    if let Err(e) = writer.write_all(&line) {
        // The sender gave up waiting; what was done stays done.
        tracing::warn!(error = %e, "a later launch did not take the answer");
    }
}

fn read_request(stream: impl Read) -> Result<Request, String> {
    let mut line = Vec::new();
    BufReader::new(stream.take(MAX_REQUEST_BYTES + 1))
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("the request could not be read: {e}"))?;
    if line.len() as u64 > MAX_REQUEST_BYTES {
        return Err("the request is too large to hand over".into());
    }
    serde_json::from_slice(&line).map_err(|e| format!("the request is not understood: {e}"))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::instance::send;

    #[test]
    fn a_request_gets_the_handlers_answer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sock");
        std::fs::write(&path, b"left over").unwrap();
        let listener = Listener::bind(&path).unwrap();
        listener.serve(Arc::new(|request| match request {
            Request::CaptureText { text } => Reply::NotSaved {
                reason: format!("{} bytes refused", text.len()),
                draft: false,
            },
            _ => Reply::Done,
        }));

        assert_eq!(send(&path, &Request::Open).unwrap(), Reply::Done);
        let big = "x".repeat(1_100_000);
        assert_eq!(
            send(&path, &Request::CaptureText { text: big }).unwrap(),
            Reply::NotSaved {
                reason: "1100000 bytes refused".into(),
                draft: false
            }
        );
    }

    #[test]
    fn nothing_listening_is_told_apart_from_no_answer() {
        let dir = tempfile::tempdir().unwrap();
        let err = send(&dir.path().join("none.sock"), &Request::Open).unwrap_err();
        assert!(
            matches!(err, crate::instance::HandOffError::NotListening(_)),
            "{err:?}"
        );
    }
}
