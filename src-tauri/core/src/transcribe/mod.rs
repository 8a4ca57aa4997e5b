//! Speech to text for voice memos, behind a small [`Transcriber`] trait.
//!
//! The one real implementation, [`OpenAiCompatibleTranscriber`], speaks the
//! `POST /v1/audio/transcriptions` shape that OpenAI, Groq, whisper.cpp's server, LocalAI and
//! friends share. Its API key lives in the OS keyring ([`KeyringTranscriberKeyStore`]), never in
//! the settings file, SQLite or a log line. Nothing here is wired into `Core`: the capture
//! pipeline decides when to transcribe and how to retry, using [`TranscribeError::is_retryable`].

mod error;
mod key_store;
mod openai;

pub use error::TranscribeError;
pub use key_store::{
    KeyringTranscriberKeyStore, MemoryTranscriberKeyStore, TranscriberKeyStore,
    TRANSCRIBER_KEY_PREFIX,
};
pub use openai::{parse_transcript, OpenAiCompatibleTranscriber, TranscriberConfig};

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

/// What a transcription service heard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub text: String,
    /// The language the service detected (or was told), when it says so.
    pub language: Option<String>,
    /// Length of the audio, when the service reports it.
    pub duration_ms: Option<u64>,
}

/// The WAV to transcribe: a file on disk (read when the request is built) or bytes in memory.
#[derive(Clone, PartialEq, Eq)]
pub enum AudioInput {
    File(PathBuf),
    Bytes(Vec<u8>),
}

impl AudioInput {
    /// The name the service sees; some use its extension to pick a decoder.
    pub fn file_name(&self) -> String {
        match self {
            AudioInput::File(path) => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "audio.wav".to_string()),
            AudioInput::Bytes(_) => "audio.wav".to_string(),
        }
    }
}

impl std::fmt::Debug for AudioInput {
    // Never dump the samples into a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AudioInput::File(path) => f.debug_tuple("File").field(path).finish(),
            AudioInput::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
        }
    }
}

/// The future a [`Transcriber`] returns (boxed, so the trait stays usable as `dyn`).
pub type TranscribeFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Transcript, TranscribeError>> + Send + 'a>>;

/// Turns a WAV into text. `language` is an ISO-639-1 hint (`"en"`); `None` lets the service
/// detect it.
pub trait Transcriber: Send + Sync {
    fn transcribe<'a>(
        &'a self,
        audio: AudioInput,
        language: Option<&'a str>,
    ) -> TranscribeFuture<'a>;
}

/// The transcriber of an app with no transcription service set up: always `NotConfigured`,
/// so callers keep one code path.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoTranscriber;

impl Transcriber for NoTranscriber {
    fn transcribe<'a>(&'a self, _: AudioInput, _: Option<&'a str>) -> TranscribeFuture<'a> {
        Box::pin(async {
            Err(TranscribeError::NotConfigured(
                "no transcription service".into(),
            ))
        })
    }
}
