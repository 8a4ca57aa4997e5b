//! Errors of the audio recorder, each with a sentence the user can act on.

use std::path::PathBuf;

#[derive(thiserror::Error, Debug)]
pub enum AudioError {
    /// The machine has no microphone (or the system's default input cannot be opened).
    #[error("No microphone found. Connect a microphone or check the system's sound settings.")]
    NoInputDevice,
    #[error("The microphone \"{0}\" is not connected.")]
    DeviceNotFound(String),
    #[error("The microphone could not be used: {0}")]
    Device(String),
    #[error("The microphone delivers an unsupported sample format: {0}")]
    UnsupportedFormat(String),
    #[error("{} already exists; a recording never overwrites audio", .0.display())]
    AlreadyExists(PathBuf),
    #[error("{} is not a WAV file that can be repaired: {reason}", path.display())]
    NotRepairable { path: PathBuf, reason: String },
    #[error("WAV error: {0}")]
    Wav(#[from] hound::Error),
    #[error("resampling failed: {0}")]
    Resample(String),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}
