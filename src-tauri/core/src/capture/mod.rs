//! Captures: typed text, and voice memos from recording to transcript.
pub mod audio;
pub mod draft;
pub mod processor;
mod processor_task;
pub mod text;
pub mod uploader;
pub mod voice;

pub use processor_task::CaptureProcessor;
