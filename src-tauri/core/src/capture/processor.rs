//! Moves recorded captures on: `pending` → `uploading` → `parsing` → `ready` | `error`.
//!
//! - Signed in: the WAV is uploaded to Storage first (before the row that refers to it is
//!   pushed), then the capture waits in `parsing` for its transcript.
//! - A transcription service set up in settings: the processor transcribes the local WAV and
//!   the transcript becomes the entry's body. Without one, the transcript comes from the
//!   server: a server-side worker writes it onto the capture (and the entry) and sync pulls it.
//! - Neither (offline, signed out, nothing set up): the capture waits as `pending`, never
//!   dropped. Waiting for a backend is not a failure; failures are counted, retried with
//!   capped backoff, and after [`MAX_CAPTURE_ATTEMPTS`] (or at once when refused for good)
//!   the capture shows `error` with the reason and a Retry action.

use super::uploader::{AudioUploader, UploadError};
use crate::error::CoreError;
use crate::store::entries;
use crate::store::outbox::{self, Op};
use crate::store::pending_captures::voice::{self as voice_captures, VoiceWork};
use crate::transcribe::{AudioInput, TranscribeError, Transcriber};
use crate::types::CaptureStatus;
use crate::Core;
use rusqlite::TransactionBehavior;
use std::sync::Arc;

/// Failed attempts (upload or transcription) before a capture shows `error`.
pub const MAX_CAPTURE_ATTEMPTS: u32 = 8;
/// Longest wait between two attempts.
pub const MAX_RETRY_DELAY_MS: i64 = 5 * 60 * 1000;
const FIRST_RETRY_DELAY_MS: i64 = 5_000;

/// What the processor can reach right now.
#[derive(Clone, Default)]
pub struct ProcessorDeps {
    /// Set while signed in (and sync not paused).
    pub uploader: Option<Arc<dyn AudioUploader>>,
    /// Set when a transcription service is configured.
    pub transcriber: Option<Arc<dyn Transcriber>>,
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessReport {
    pub uploaded: usize,
    pub transcribed: usize,
    pub failed: usize,
    /// Captures still waiting (for a backend, a transcript or a retry).
    pub waiting: usize,
    /// Earliest time (ms) a counted failure may be retried; `None`: nothing to retry.
    pub next_retry_at: Option<i64>,
}

/// Delay before attempt `failures + 1`: 5 s, 10 s, 20 s ... capped at 5 minutes.
pub fn retry_delay_ms(failures: u32) -> i64 {
    let exp = failures.saturating_sub(1).min(16);
    (FIRST_RETRY_DELAY_MS << exp).min(MAX_RETRY_DELAY_MS)
}

/// How one step ended.
enum Step {
    Done,
    /// Nothing to do now (no backend, no service, waiting for the server's transcript).
    Wait,
    /// Failed; counted against the capture.
    Failed {
        message: String,
        permanent: bool,
    },
}

impl Core {
    /// One pass over every unfinished recorded capture. Each status change is its own short
    /// transaction (no lock is held across network calls) and publishes `EntriesChanged`
    /// for the capture's entry, so the timeline follows along.
    pub async fn process_voice_captures(
        &self,
        deps: &ProcessorDeps,
    ) -> Result<ProcessReport, CoreError> {
        let mut report = ProcessReport::default();
        let work = voice_captures::unfinished(&self.conn())?;
        for item in work {
            let now = self.now_ms();
            if item.retry_count > 0 {
                let due = item.last_attempt_at.unwrap_or(0) + retry_delay_ms(item.retry_count);
                if due > now {
                    report.waiting += 1;
                    report.next_retry_at = Some(report.next_retry_at.map_or(due, |d| d.min(due)));
                    continue;
                }
            }
            self.process_one(&item, deps, &mut report).await?;
        }
        Ok(report)
    }

    async fn process_one(
        &self,
        item: &VoiceWork,
        deps: &ProcessorDeps,
        report: &mut ProcessReport,
    ) -> Result<(), CoreError> {
        let key = item.capture_id.to_string();
        let wav = self.audio_dir().join(&item.audio_file);
        let mut status = item.status;
        if status != CaptureStatus::Parsing {
            match &deps.uploader {
                Some(uploader) => {
                    self.set_capture_status(&key, CaptureStatus::Uploading)?;
                    match uploader.upload(item.capture_id, &wav).await {
                        Ok(object_path) => {
                            self.capture_uploaded(&key, &object_path)?;
                            report.uploaded += 1;
                            status = CaptureStatus::Parsing;
                        }
                        Err(e) => {
                            let step = match e {
                                UploadError::Unavailable(_) => Step::Wait,
                                UploadError::Transient(message) => Step::Failed {
                                    message: format!("upload failed: {message}"),
                                    permanent: false,
                                },
                                UploadError::Rejected(message) => Step::Failed {
                                    message: format!("upload refused: {message}"),
                                    permanent: true,
                                },
                            };
                            return self.step_ended(item, CaptureStatus::Pending, step, report);
                        }
                    }
                }
                // Not signed in: a transcription service can still turn it into text.
                None if deps.transcriber.is_some() => {}
                None => return self.step_ended(item, CaptureStatus::Pending, Step::Wait, report),
            }
        }
        let fallback = status;
        let Some(transcriber) = &deps.transcriber else {
            // Signed in without a service of its own: the server transcribes.
            return self.step_ended(item, fallback, Step::Wait, report);
        };
        if fallback != CaptureStatus::Parsing {
            self.set_capture_status(&key, CaptureStatus::Parsing)?;
        }
        let step = match transcriber.transcribe(AudioInput::File(wav), None).await {
            Ok(transcript) => {
                self.capture_transcribed(&key, item, &transcript.text)?;
                report.transcribed += 1;
                Step::Done
            }
            Err(TranscribeError::NotConfigured(_)) => Step::Wait,
            Err(e) => Step::Failed {
                permanent: !e.is_retryable(),
                message: e.to_string(),
            },
        };
        self.step_ended(item, fallback, step, report)
    }

    fn step_ended(
        &self,
        item: &VoiceWork,
        fallback: CaptureStatus,
        step: Step,
        report: &mut ProcessReport,
    ) -> Result<(), CoreError> {
        let key = item.capture_id.to_string();
        match step {
            Step::Done => {}
            Step::Wait => {
                report.waiting += 1;
                self.set_capture_status(&key, fallback)?;
            }
            Step::Failed { message, permanent } => {
                let failures = item.retry_count + 1;
                let give_up = permanent || failures >= MAX_CAPTURE_ATTEMPTS;
                let status = if give_up {
                    CaptureStatus::Error
                } else {
                    fallback
                };
                tracing::warn!(capture = %key, failures, give_up, error = %message, "capture step failed");
                let now = self.now_ms();
                voice_captures::record_failure(&self.conn(), &key, status, &message, true, now)?;
                self.voice_entry_changed(&key)?;
                if give_up {
                    report.failed += 1;
                } else {
                    report.waiting += 1;
                    let due = now + retry_delay_ms(failures);
                    report.next_retry_at = Some(report.next_retry_at.map_or(due, |d| d.min(due)));
                }
            }
        }
        Ok(())
    }

    fn set_capture_status(&self, key: &str, status: CaptureStatus) -> Result<(), CoreError> {
        let changed = voice_captures::set_status(&self.conn(), key, status)?;
        if changed {
            self.voice_entry_changed(key)?;
        }
        Ok(())
    }

    /// The audio is in Storage: the row may now say where (queued for push after the upload).
    fn capture_uploaded(&self, key: &str, object_path: &str) -> Result<(), CoreError> {
        let now = self.now_ms();
        {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            voice_captures::set_uploaded(&tx, key, object_path)?;
            outbox::record(
                &tx,
                "pending_captures",
                key,
                Op::Upsert,
                &["audio_path", "parse_status"],
                now,
            )?;
            tx.commit()?;
        }
        self.voice_entry_changed(key)
    }

    /// The transcript goes onto the capture and becomes the entry's body (searchable). If
    /// the user already wrote in the entry, their text stays below the transcript.
    fn capture_transcribed(
        &self,
        key: &str,
        item: &VoiceWork,
        text: &str,
    ) -> Result<(), CoreError> {
        let now = self.now_ms();
        {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            voice_captures::set_transcript(&tx, key, text)?;
            outbox::record(
                &tx,
                "pending_captures",
                key,
                Op::Upsert,
                &["text", "parse_status", "error"],
                now,
            )?;
            if let Some(entry_id) = item.entry_id {
                if let Some(mut row) = entries::get_live(&tx, entry_id)? {
                    row.body = if row.body.trim().is_empty() {
                        text.to_string()
                    } else {
                        format!("{text}\n\n{}", row.body)
                    };
                    row.updated_at = now.max(row.updated_at);
                    entries::update(&tx, &row, true)?;
                    outbox::record(
                        &tx,
                        "entries",
                        &entry_id.to_string(),
                        Op::Upsert,
                        &["body", "updated_at"],
                        now,
                    )?;
                }
            }
            tx.commit()?;
        }
        self.voice_entry_changed(key)
    }
}
