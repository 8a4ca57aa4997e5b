//! `POST /v1/audio/transcriptions` (OpenAI's shape): a deterministic test double of a speech
//! to text service. No speech model can be fetched on the machines these tests run on, so it
//! "hears" only the audio's length: a valid WAV of 2.5 s becomes `voice memo of 2.5 seconds`.
//! It checks what a real service checks: the bearer key, the multipart fields, the WAV itself.

use std::io::Cursor;
use std::sync::Arc;

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::caller::bearer;
use super::AppState;

/// OpenAI's error body: `{"error": {"message", "type", "param", "code"}}`.
fn openai_error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    let kind = if status.is_server_error() {
        "server_error"
    } else {
        "invalid_request_error"
    };
    let body = json!({
        "error": { "message": message.into(), "type": kind, "param": null, "code": code }
    });
    (status, Json(body)).into_response()
}

/// The deterministic "transcript" of a WAV.
pub fn transcript_of(duration_secs: f64) -> String {
    format!("voice memo of {duration_secs:.1} seconds")
}

#[derive(Default)]
struct Fields {
    file: Option<Vec<u8>>,
    model: Option<String>,
    response_format: Option<String>,
    language: Option<String>,
}

async fn read_fields(mut multipart: Multipart) -> Result<Fields, String> {
    let mut fields = Fields::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" => fields.file = Some(field.bytes().await.map_err(|e| e.body_text())?.to_vec()),
            "model" => fields.model = Some(field.text().await.map_err(|e| e.body_text())?),
            "response_format" => {
                fields.response_format = Some(field.text().await.map_err(|e| e.body_text())?)
            }
            "language" => fields.language = Some(field.text().await.map_err(|e| e.body_text())?),
            _ => {} // temperature, prompt, ...: accepted and ignored
        }
    }
    Ok(fields)
}

/// Length in seconds of a valid WAV, read with hound (header and sample count).
fn wav_seconds(bytes: &[u8]) -> Result<f64, String> {
    let reader = hound::WavReader::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let spec = reader.spec();
    if spec.sample_rate == 0 {
        return Err("sample rate 0".into());
    }
    Ok(f64::from(reader.duration()) / f64::from(spec.sample_rate))
}

pub async fn transcriptions(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    if let Some(status) = state.faults.transcription_failure() {
        // Read the upload before failing (see faults::storage_uploads for why).
        if let Ok(mut multipart) = multipart {
            while let Ok(Some(field)) = multipart.next_field().await {
                let _ = field.bytes().await;
            }
        }
        return openai_error(
            status,
            "injected",
            "injected failure (fail_next_transcriptions)",
        );
    }
    if bearer(&headers).as_deref() != Some(state.transcription_key.as_str()) {
        return openai_error(
            StatusCode::UNAUTHORIZED,
            "invalid_api_key",
            "Incorrect API key provided",
        );
    }
    let multipart = match multipart {
        Ok(m) => m,
        Err(e) => return openai_error(StatusCode::BAD_REQUEST, "invalid_body", e.body_text()),
    };
    let fields = match read_fields(multipart).await {
        Ok(f) => f,
        Err(e) => return openai_error(StatusCode::BAD_REQUEST, "invalid_body", e),
    };
    let Some(file) = fields.file else {
        return openai_error(
            StatusCode::BAD_REQUEST,
            "missing_file",
            "No file was provided",
        );
    };
    if fields.model.as_deref().is_none_or(str::is_empty) {
        return openai_error(
            StatusCode::BAD_REQUEST,
            "missing_model",
            "No model was provided",
        );
    }
    let seconds = match wav_seconds(&file) {
        Ok(s) => s,
        Err(e) => {
            return openai_error(
                StatusCode::BAD_REQUEST,
                "invalid_file_format",
                format!("Invalid file format: not a WAV ({e})"),
            )
        }
    };
    if state.faults.garble_transcription() {
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body>502 Bad Gateway (garbled on purpose)</body></html>",
        )
            .into_response();
    }
    let text = transcript_of(seconds);
    match fields.response_format.as_deref().unwrap_or("json") {
        "json" => Json(json!({ "text": text })).into_response(),
        "verbose_json" => Json(json!({
            "text": text,
            "language": fields.language.unwrap_or_else(|| "english".into()),
            "duration": seconds,
        }))
        .into_response(),
        "text" => text.into_response(),
        other => openai_error(
            StatusCode::BAD_REQUEST,
            "invalid_value",
            format!("Unsupported response_format {other:?}"),
        ),
    }
}
