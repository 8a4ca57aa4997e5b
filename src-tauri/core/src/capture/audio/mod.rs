//! Voice recording: an [`AudioSource`] (microphone, WAV file or synthetic tone) feeds a
//! lock-free ring; a writer thread downmixes to mono, resamples to 16 kHz and streams a 16-bit
//! WAV to disk, rewriting the header and syncing the file at least twice a second, so a crash
//! loses under a second of audio. [`recover_unfinished`] repairs what a crash left behind.
//!
//! Flow: `Recorder::start(source, config, on_event)` → [`RecordingHandle`] →
//! `stop()` (finished WAV) or `cancel()` (file deleted: the only deletion, user-initiated).
//! The recorder knows nothing of the database or `CoreEvent`; the caller maps
//! [`RecorderEvent`]s and stores the [`FinishedRecording`].

mod cpal_source;
mod error;
mod file_source;
mod level;
mod pacing;
mod recorder;
mod recording_spec;
mod recovery;
mod resample;
mod ring;
mod source;
mod synthetic_source;
mod wav_sink;
mod writer;

pub use cpal_source::{list_input_devices, CpalSource, InputDevice};
pub use error::AudioError;
pub use file_source::FileSource;
pub use level::{Level, LevelMeter};
pub use pacing::Pacing;
pub use recorder::{Recorder, RecordingHandle};
pub use recording_spec::{
    FinishedRecording, RecorderConfig, RecorderEvent, DEFAULT_LEVEL_INTERVAL, DEFAULT_MAX_DURATION,
    DEFAULT_SILENCE_WARNING_AFTER,
};
pub use recovery::{recover_unfinished, repair_wav, RecoveredWav};
pub use ring::SampleSink;
pub use source::{AudioSource, SourceEvent, SourceFormat};
pub use synthetic_source::{Signal, SyntheticSource};
pub use wav_sink::{WavSink, OUTPUT_SAMPLE_RATE};
pub(crate) use writer::SILENCE_RMS;
