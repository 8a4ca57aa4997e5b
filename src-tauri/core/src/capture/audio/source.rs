//! The seam between the recorder and whatever produces sound.

use super::{AudioError, SampleSink};
use std::sync::mpsc::Sender;

/// Native format of a source: the recorder downmixes and resamples whatever this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceFormat {
    pub sample_rate: u32,
    pub channels: u16,
}

/// What a running source reports besides samples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceEvent {
    /// The device disappeared (unplugged, disabled). The recorder falls back if it can.
    DeviceLost,
    /// A finite source (a file) has delivered everything it had.
    Ended,
    /// Any other stream error, in the device's words.
    Failed(String),
}

/// Something that, once started, delivers interleaved `f32` frames at its native format into a
/// [`SampleSink`] from its own (possibly real-time) thread until stopped.
///
/// `Send` because the recorder's writer thread owns it: it starts, stops and replaces sources.
pub trait AudioSource: Send {
    /// A name the user recognises (the device name, the file name, "synthetic tone").
    fn name(&self) -> String;

    /// The format of the samples `start` will deliver.
    fn format(&self) -> SourceFormat;

    /// Starts delivering samples to `sink`; device loss and errors arrive on `events`.
    /// Returns once the stream runs (or failed to start).
    fn start(&mut self, sink: SampleSink, events: Sender<SourceEvent>) -> Result<(), AudioError>;

    /// Stops delivery; after it returns no more samples reach the sink. Idempotent.
    fn stop(&mut self);

    /// The source to continue with after this one reported [`SourceEvent::DeviceLost`]
    /// (the system's default device, for a microphone). `None`: nothing to fall back to.
    fn fallback(&self) -> Option<Box<dyn AudioSource>> {
        None
    }
}
