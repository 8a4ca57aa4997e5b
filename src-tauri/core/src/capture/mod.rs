//! Captures: typed text, and voice memos from recording to transcript.
pub mod audio;
pub mod draft;
pub mod processing;
pub mod processor;
mod processor_task;
pub mod recording;
pub mod text;
pub mod uploader;
pub mod voice;

pub use processing::{keyring_transcriber_keys, ProcessingService, TranscriberKeys};
pub use processor_task::CaptureProcessor;
pub use recording::RecordingService;
