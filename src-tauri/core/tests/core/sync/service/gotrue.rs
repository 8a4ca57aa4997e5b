//! A backend for the sync service's tests: GoTrue answers sign-in for `ana@x` and `ben@x`
//! (any password) and refuses everyone else; every other call (the sync RPCs) gets a 503, or,
//! while `hold` is set, no answer at all (a round stuck mid-push). Records each request path.

use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

pub const ANA: &str = "0190a000-0000-7000-8000-00000000000a";
pub const BEN: &str = "0190a000-0000-7000-8000-00000000000b";
pub const ACCESS: &str = "stub-access-token-ffffffff";

#[derive(Clone)]
pub struct Backend {
    pub url: String,
    paths: Arc<Mutex<Vec<String>>>,
    hold: Arc<AtomicBool>,
}

impl Backend {
    pub fn start() -> Backend {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let backend = Backend {
            url: format!("http://{}", listener.local_addr().unwrap()),
            paths: Arc::default(),
            hold: Arc::default(),
        };
        let serving = backend.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let serving = serving.clone();
                std::thread::spawn(move || serving.answer(stream));
            }
        });
        backend
    }

    /// Sync calls get no answer until `release`.
    pub fn hold(&self) {
        self.hold.store(true, Ordering::SeqCst);
    }

    pub fn release(&self) {
        self.hold.store(false, Ordering::SeqCst);
    }

    /// The paths of the sync calls so far (auth calls left out).
    pub fn sync_calls(&self) -> usize {
        let paths = self.paths.lock().unwrap();
        paths.iter().filter(|p| !p.starts_with("/auth/")).count()
    }

    fn answer(&self, mut stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap_or(0);
        let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                break;
            }
            if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let body = String::from_utf8_lossy(&body).into_owned();
        self.paths.lock().unwrap().push(path.clone());
        let (status, reply) = if path.starts_with("/auth/v1/token") {
            sign_in(&body)
        } else if path.starts_with("/auth/v1/logout") {
            ("204 No Content", String::new())
        } else {
            while self.hold.load(Ordering::SeqCst) {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            ("503 Service Unavailable", "{}".to_string())
        };
        let _ = write!(
            stream,
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{reply}",
            reply.len()
        );
    }
}

fn sign_in(body: &str) -> (&'static str, String) {
    let user = [(ANA, "ana@x"), (BEN, "ben@x")]
        .into_iter()
        .find(|(_, email)| body.contains(email));
    match user {
        Some((id, email)) => (
            "200 OK",
            json!({ "access_token": ACCESS, "refresh_token": "stub-refresh-token",
                    "token_type": "bearer", "expires_in": 3600,
                    "user": { "id": id, "email": email } })
            .to_string(),
        ),
        None => (
            "400 Bad Request",
            json!({ "error": "invalid_grant", "error_description": "Invalid login credentials" })
                .to_string(),
        ),
    }
}
