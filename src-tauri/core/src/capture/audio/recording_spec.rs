//! What a recording is asked to be, what it reports while it runs, and what it leaves: shared
//! by the recorder (the public face) and its writer thread.

use std::path::PathBuf;
use std::time::Duration;

pub const DEFAULT_MAX_DURATION: Duration = Duration::from_secs(10 * 60);
pub const DEFAULT_SILENCE_WARNING_AFTER: Duration = Duration::from_secs(10);
/// ~20 meter updates per second: smooth to the eye, cheap over IPC.
pub const DEFAULT_LEVEL_INTERVAL: Duration = Duration::from_millis(50);

#[derive(Debug, Clone)]
pub struct RecorderConfig {
    /// The audio directory; the recording is `<dir>/<capture_id>.wav`.
    pub dir: PathBuf,
    pub capture_id: String,
    /// The recording stops by itself (with `MaxLengthReached`) at this length.
    pub max_duration: Duration,
    /// `SilenceWarning` after this much uninterrupted silence ("is the microphone muted?").
    pub silence_warning_after: Duration,
    /// Window of each `Level` event.
    pub level_interval: Duration,
}

impl RecorderConfig {
    pub fn new(dir: impl Into<PathBuf>, capture_id: impl Into<String>) -> Self {
        Self {
            dir: dir.into(),
            capture_id: capture_id.into(),
            max_duration: DEFAULT_MAX_DURATION,
            silence_warning_after: DEFAULT_SILENCE_WARNING_AFTER,
            level_interval: DEFAULT_LEVEL_INTERVAL,
        }
    }

    /// Where this recording is written.
    pub fn path(&self) -> PathBuf {
        self.dir.join(format!("{}.wav", self.capture_id))
    }
}

/// What the recorder reports while it runs, in order, from its writer thread.
#[derive(Debug, Clone, PartialEq)]
pub enum RecorderEvent {
    /// The first audio is in the file (the hotkey-to-recording latency ends here).
    FirstSampleWritten,
    /// Loudness of the last `level_interval`, linear full scale.
    Level { rms: f32, peak: f32 },
    /// Length recorded so far, every 250 ms of audio.
    Elapsed { ms: u64 },
    /// `silence_warning_after` of silence; again only after sound has returned.
    SilenceWarning,
    /// The recording reached `max_duration` and ended; `stop()` returns it.
    MaxLengthReached,
    /// The device vanished. `Some(name)`: recording continues in the same file from `name`;
    /// `None`: no device left, the recording ended and `stop()` returns what was recorded.
    DeviceLost { fell_back_to: Option<String> },
    /// The writer fell behind and this many frames were dropped (see the ring's policy).
    Overflow { dropped: u64 },
    /// A finite source (a file) has been played to its end; `stop()` to finish.
    SourceEnded,
    /// Something went wrong; the file keeps what was recorded up to the last sync.
    Failed { message: String },
}

/// A finalized recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedRecording {
    pub path: PathBuf,
    pub duration_ms: u64,
    pub bytes: u64,
}
