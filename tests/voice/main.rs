//! Voice memos beyond the device: the app's `StorageClient` uploading WAVs to the local
//! backend's Storage, and its `OpenAiCompatibleTranscriber` against the backend's
//! deterministic transcription test double, with the backend's fault hooks.

mod common;
mod pipeline;
mod storage;
mod transcribe;
