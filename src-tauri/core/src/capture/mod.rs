//! Captures: text now; audio later.
pub mod draft;
pub mod text;
