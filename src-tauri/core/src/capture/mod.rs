//! Captures: text now; audio later.
pub mod audio;
pub mod draft;
pub mod text;
