//! Why a transcription failed, classified for the caller's retry policy.

/// Messages quote at most [`crate::sync::protocol::EXCERPT_CHARS`] characters of a body, and
/// never the API key.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum TranscribeError {
    /// No connection could be made (no network, DNS, refused). Retry when back online.
    #[error("transcription service unreachable: {0}")]
    Offline(String),
    /// Connected, but the exchange broke off or timed out. Retry later.
    #[error("network error talking to the transcription service: {0}")]
    Network(String),
    /// 401/403: the API key is missing or wrong. Retrying will not help until the user fixes it.
    #[error("the transcription service refused the API key ({status}): {message}")]
    Unauthorized { status: u16, message: String },
    /// Another 4xx, with the service's own message (bad audio, too large, unknown model...).
    /// 408 and 429 are worth retrying later; the rest are not.
    #[error("the transcription service rejected the request ({status}): {message}")]
    Rejected { status: u16, message: String },
    /// 5xx: the service failed. Retry with backoff.
    #[error("transcription service error ({status}): {message}")]
    Server { status: u16, message: String },
    /// A 2xx body that is not the `{"text": ...}` JSON.
    #[error("{0}")]
    Malformed(String),
    /// No base URL or model set, or no service at all.
    #[error("transcription is not set up: {0}")]
    NotConfigured(String),
    /// The WAV could not be read from disk.
    #[error("cannot read the recording: {0}")]
    Audio(String),
}

impl TranscribeError {
    /// Worth trying again later with the same audio (network, 5xx, 408/429, a garbled answer
    /// such as a captive portal's page).
    pub fn is_retryable(&self) -> bool {
        match self {
            TranscribeError::Offline(_)
            | TranscribeError::Network(_)
            | TranscribeError::Server { .. }
            | TranscribeError::Malformed(_) => true,
            TranscribeError::Rejected { status, .. } => matches!(status, 408 | 429),
            TranscribeError::Unauthorized { .. }
            | TranscribeError::NotConfigured(_)
            | TranscribeError::Audio(_) => false,
        }
    }
}
