//! Fault hooks a test arms on a running [`super::LocalBackend`]: the next N storage uploads or
//! transcription requests fail (or come back garbled) before any real work is done. Counters
//! are shared atomics, so arming is instant and needs no request to the server.

use std::sync::atomic::{AtomicU16, AtomicU32, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::errors::StorageError;
use super::AppState;

#[derive(Debug, Default)]
pub(crate) struct Faults {
    failing_uploads: AtomicU32,
    failing_transcriptions: AtomicU32,
    transcription_status: AtomicU16,
    garbled_transcriptions: AtomicU32,
}

/// Decrements `counter` if it is above zero; true when this request should be hit.
fn take(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

impl Faults {
    pub fn fail_uploads(&self, n: u32) {
        self.failing_uploads.store(n, Ordering::SeqCst);
    }

    pub fn fail_transcriptions(&self, n: u32, status: u16) {
        self.transcription_status.store(status, Ordering::SeqCst);
        self.failing_transcriptions.store(n, Ordering::SeqCst);
    }

    pub fn garble_transcriptions(&self, n: u32) {
        self.garbled_transcriptions.store(n, Ordering::SeqCst);
    }

    /// The status the current transcription request must fail with, if armed.
    pub fn transcription_failure(&self) -> Option<StatusCode> {
        take(&self.failing_transcriptions).then(|| {
            StatusCode::from_u16(self.transcription_status.load(Ordering::SeqCst))
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        })
    }

    /// True when the current transcription answer must be garbage instead of JSON.
    pub fn garble_transcription(&self) -> bool {
        take(&self.garbled_transcriptions)
    }
}

/// Middleware on the storage routes: an armed upload (`POST`/`PUT`) is read, answered 500 and
/// not stored; downloads pass.
pub(crate) async fn storage_uploads(
    State(state): State<Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    let upload = matches!(*request.method(), Method::POST | Method::PUT);
    if upload && take(&state.faults.failing_uploads) {
        // Read the upload first, as a server failing after it got the file does: answering
        // mid-body makes the server drop the connection, and the client's next request could
        // meet that closed connection instead of the injected failure alone.
        let _ = axum::body::to_bytes(request.into_body(), usize::MAX).await;
        return StorageError::plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal",
            "injected failure (LocalBackend::fail_next_uploads)",
            "InternalError",
        )
        .into_response();
    }
    next.run(request).await
}
