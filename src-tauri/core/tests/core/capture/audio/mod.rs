//! Voice recording: sources, the pipeline to a 16 kHz WAV, the recorder's events, recovery.

mod device;
mod level;
mod pipeline;
mod recorder;
mod recovery;
mod support;
