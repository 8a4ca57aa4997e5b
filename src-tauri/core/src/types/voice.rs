//! Voice memos while recording: the microphones to choose from and the live status.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// An audio input the user can choose in settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Microphone {
    pub name: String,
    pub is_default: bool,
}

/// The recording in progress, sent ~20 times a second while recording and once when it ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecordingStatus {
    pub capture_id: Uuid,
    pub active: bool,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// Level of the last ~50 ms, 0..1 (RMS and peak of the samples).
    pub rms: f32,
    pub peak: f32,
    /// No signal for a while: "is the microphone muted?"
    pub silent: bool,
    /// Something the user should know (device lost and replaced, length limit reached...).
    pub notice: Option<String>,
}
