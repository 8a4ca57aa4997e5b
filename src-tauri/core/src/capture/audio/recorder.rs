//! The public face of voice recording: start, events, stop or cancel.

use super::recording_spec::{FinishedRecording, RecorderConfig, RecorderEvent};
use super::ring::sample_ring;
use super::wav_sink::WavSink;
use super::writer::{Control, Writer};
use super::{AudioError, AudioSource};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;

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
