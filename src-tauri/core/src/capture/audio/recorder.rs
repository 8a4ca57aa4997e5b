//! The public face of voice recording: start, events, stop or cancel.

use super::ring::sample_ring;
use super::wav_sink::WavSink;
use super::writer::{Control, Writer};
use super::{AudioError, AudioSource};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
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

pub struct Recorder;

impl Recorder {
    /// Creates `<dir>/<capture_id>.wav`, starts `source` and the writer thread. Returns when
    /// the source runs; `on_event` is called from the writer thread and must not block long.
    pub fn start(
        mut source: Box<dyn AudioSource>,
        config: RecorderConfig,
        on_event: impl FnMut(RecorderEvent) + Send + 'static,
    ) -> Result<RecordingHandle, AudioError> {
        std::fs::create_dir_all(&config.dir)?;
        let path = config.path();
        let sink = WavSink::create(&path)?;
        let (ring_sink, stream) = sample_ring(source.format());
        let (events_tx, events_rx) = mpsc::channel();
        if let Err(error) = source.start(ring_sink, events_tx) {
            // The file holds a header and no audio: removing it deletes nothing recorded.
            drop(sink);
            let _ = std::fs::remove_file(&path);
            return Err(error);
        }
        let writer = Writer::new(config, sink, source, stream, events_rx, Box::new(on_event))?;
        let control = Arc::new(Control::default());
        let thread_control = control.clone();
        let thread = std::thread::Builder::new()
            .name("jotline-audio-writer".into())
            .spawn(move || writer.run(&thread_control))?;
        Ok(RecordingHandle {
            path,
            control,
            thread: Some(thread),
        })
    }
}

/// A recording in progress. Dropping it stops and finalizes the recording (never deletes).
pub struct RecordingHandle {
    path: PathBuf,
    control: Arc<Control>,
    thread: Option<JoinHandle<Result<FinishedRecording, AudioError>>>,
}

impl RecordingHandle {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True once the recording ended by itself (length limit, no device left, error).
    pub fn has_ended(&self) -> bool {
        self.thread
            .as_ref()
            .is_none_or(|thread| thread.is_finished())
    }

    /// Stops recording and finalizes the WAV.
    pub fn stop(mut self) -> Result<FinishedRecording, AudioError> {
        self.join()
    }

    /// Stops recording and deletes the file: the user discarded this memo.
    pub fn cancel(mut self) -> Result<(), AudioError> {
        let _ = self.join();
        match std::fs::remove_file(&self.path) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error.into()),
            _ => Ok(()),
        }
    }

    fn join(&mut self) -> Result<FinishedRecording, AudioError> {
        self.control.stop.store(true, Ordering::Release);
        let Some(thread) = self.thread.take() else {
            return Err(AudioError::Io(std::io::Error::other(
                "recording already ended",
            )));
        };
        thread.thread().unpark();
        thread
            .join()
            .map_err(|_| AudioError::Io(std::io::Error::other("the audio writer panicked")))?
    }
}

impl Drop for RecordingHandle {
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.join();
        }
    }
}
