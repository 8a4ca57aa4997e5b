//! The second launch's side: send the request to the running app and wait for its answer.

use super::message::{Reply, Request};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::time::Duration;

/// The running app answers once the request is done; a capture takes milliseconds, but an
/// app still starting answers only after its start-up.
const ANSWER_WITHIN: Duration = Duration::from_secs(60);

#[derive(thiserror::Error, Debug)]
pub enum HandOffError {
    /// Nothing accepted the connection: the app is starting, quitting, or gone.
    #[error("the running Jotline cannot be reached ({0})")]
    NotListening(std::io::Error),
    /// The request went out but no answer came back: whether it was done is unknown.
    #[error("the running Jotline did not answer ({0})")]
    NoAnswer(String),
}

/// Sends `request` over the socket at `path` and returns the running app's reply.
pub fn send(path: &Path, request: &Request) -> Result<Reply, HandOffError> {
    let stream = connect(path).map_err(HandOffError::NotListening)?;
    let no_answer = |e: std::io::Error| HandOffError::NoAnswer(e.to_string());
    stream
        .set_read_timeout(Some(ANSWER_WITHIN))
        .map_err(no_answer)?;
    stream
        .set_write_timeout(Some(ANSWER_WITHIN))
        .map_err(no_answer)?;
    let mut line =
        serde_json::to_vec(request).map_err(|e| HandOffError::NoAnswer(e.to_string()))?;
    line.push(b'\n');
    (&stream).write_all(&line).map_err(no_answer)?;
    let mut answer = String::new();
    BufReader::new(&stream)
        .read_line(&mut answer)
        .map_err(no_answer)?;
    if answer.is_empty() {
        return Err(HandOffError::NoAnswer("it closed the connection".into()));
    }
    serde_json::from_str(&answer)
        .map_err(|e| HandOffError::NoAnswer(format!("unreadable answer: {e}")))
}

#[cfg(unix)]
fn connect(path: &Path) -> std::io::Result<std::os::unix::net::UnixStream> {
    std::os::unix::net::UnixStream::connect(path)
}

#[cfg(not(unix))]
fn connect(_path: &Path) -> std::io::Result<std::fs::File> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "handing a request to the running app needs a Unix socket",
    ))
}
