//! `OpenAiCompatibleTranscriber`: `POST {base}/v1/audio/transcriptions`, multipart/form-data
//! (`file`, `model`, `response_format=json`, optional `language`), bearer key when set.

use super::{AudioInput, TranscribeError, TranscribeFuture, Transcriber, Transcript};
use crate::sync::http::error_message;
use crate::sync::protocol::excerpt;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde::Deserialize;
use std::fmt;
use std::time::Duration;

/// Where the service lives and how to call it. `Debug` never prints the key.
#[derive(Clone, PartialEq, Eq)]
pub struct TranscriberConfig {
    /// E.g. `https://api.openai.com` or `http://127.0.0.1:8080`; a trailing `/v1` is accepted.
    pub base_url: String,
    /// Loaded from a [`super::TranscriberKeyStore`]; `None` for services without auth.
    pub api_key: Option<String>,
    /// E.g. `whisper-1`.
    pub model: String,
    /// Whole-request timeout (upload of the WAV included).
    pub timeout: Duration,
}

impl TranscriberConfig {
    /// Long enough to upload a 10-minute memo on a slow uplink and wait for the model.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(180);

    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: None,
            model: model.into(),
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// `<base>/v1/audio/transcriptions`, without doubling a `/v1` the user already typed.
    pub fn endpoint(&self) -> String {
        let base = self.base_url.trim().trim_end_matches('/');
        let base = base.strip_suffix("/v1").unwrap_or(base);
        format!("{base}/v1/audio/transcriptions")
    }
}

impl fmt::Debug for TranscriberConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TranscriberConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

#[derive(Debug, Clone)]
pub struct OpenAiCompatibleTranscriber {
    config: TranscriberConfig,
    http: reqwest::Client,
}

impl OpenAiCompatibleTranscriber {
    /// `NotConfigured` when the base URL or the model is blank.
    pub fn new(config: TranscriberConfig) -> Result<Self, TranscribeError> {
        if config.base_url.trim().is_empty() {
            return Err(TranscribeError::NotConfigured("no service URL".into()));
        }
        if config.model.trim().is_empty() {
            return Err(TranscribeError::NotConfigured("no model".into()));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| TranscribeError::NotConfigured(e.to_string()))?;
        Ok(Self { config, http })
    }

    pub fn config(&self) -> &TranscriberConfig {
        &self.config
    }

    #[tracing::instrument(skip_all, fields(model = %self.config.model))]
    async fn call(
        &self,
        audio: AudioInput,
        language: Option<&str>,
    ) -> Result<Transcript, TranscribeError> {
        let file_name = audio.file_name();
        let bytes = read_audio(audio).await?;
        let size = bytes.len();
        let file = Part::bytes(bytes)
            .file_name(file_name)
            .mime_str("audio/wav")
            .expect("audio/wav is a valid MIME type");
        let mut form = Form::new()
            .part("file", file)
            .text("model", self.config.model.clone())
            .text("response_format", "json");
        if let Some(lang) = language {
            form = form.text("language", lang.to_string());
        }
        let mut req = self.http.post(self.config.endpoint()).multipart(form);
        if let Some(key) = &self.config.api_key {
            req = req.bearer_auth(key);
        }
        let resp = req.send().await.map_err(network)?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(network)?;
        tracing::debug!(%status, audio_bytes = size, "transcription response");
        if !status.is_success() {
            return Err(status_error(status, &body));
        }
        let mut transcript = parse_transcript(&body)?;
        if transcript.language.is_none() {
            transcript.language = language.map(str::to_string);
        }
        Ok(transcript)
    }
}

impl Transcriber for OpenAiCompatibleTranscriber {
    fn transcribe<'a>(
        &'a self,
        audio: AudioInput,
        language: Option<&'a str>,
    ) -> TranscribeFuture<'a> {
        Box::pin(self.call(audio, language))
    }
}

/// The file's bytes, read off the async threads (a 10-minute 16 kHz memo is ~19 MB).
async fn read_audio(audio: AudioInput) -> Result<Vec<u8>, TranscribeError> {
    match audio {
        AudioInput::Bytes(bytes) => Ok(bytes),
        AudioInput::File(path) => tokio::task::spawn_blocking(move || {
            std::fs::read(&path)
                .map_err(|e| TranscribeError::Audio(format!("{}: {e}", path.display())))
        })
        .await
        .map_err(|e| TranscribeError::Audio(e.to_string()))?,
    }
}

fn network(e: reqwest::Error) -> TranscribeError {
    if e.is_connect() {
        TranscribeError::Offline(e.without_url().to_string())
    } else if e.is_timeout() {
        TranscribeError::Network("no answer in time".into())
    } else {
        TranscribeError::Network(e.without_url().to_string())
    }
}

fn status_error(status: StatusCode, body: &[u8]) -> TranscribeError {
    let message = service_message(status, body);
    let status = status.as_u16();
    match status {
        401 | 403 => TranscribeError::Unauthorized { status, message },
        500..=599 => TranscribeError::Server { status, message },
        _ => TranscribeError::Rejected { status, message },
    }
}

/// OpenAI's `{"error": {"message": ...}}`, else the shapes the sync client already reads.
fn service_message(status: StatusCode, body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.pointer("/error/message")?.as_str().map(str::to_string))
        .unwrap_or_else(|| error_message(status, body))
}

#[derive(Deserialize)]
struct Body {
    text: String,
    #[serde(default)]
    language: Option<String>,
    /// Seconds (`verbose_json` and some servers' `json`).
    #[serde(default)]
    duration: Option<f64>,
}

/// Reads a 2xx answer: `{"text": "..."}`, plus `language` and `duration` (seconds) when the
/// service adds them; other fields are ignored. The text is trimmed (Whisper prefixes a space).
pub fn parse_transcript(body: &[u8]) -> Result<Transcript, TranscribeError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        TranscribeError::Malformed(format!(
            "the transcription service answered with something that is not JSON: {:?}",
            excerpt(body)
        ))
    })?;
    let parsed: Body = serde_json::from_value(value).map_err(|e| {
        TranscribeError::Malformed(format!(
            "the transcription service's answer has no usable \"text\" ({e}): {:?}",
            excerpt(body)
        ))
    })?;
    let duration_ms = parsed
        .duration
        .filter(|d| d.is_finite() && *d >= 0.0)
        .map(|d| (d * 1000.0).round() as u64);
    Ok(Transcript {
        text: parsed.text.trim().to_string(),
        language: parsed.language.filter(|l| !l.is_empty()),
        duration_ms,
    })
}
