//! Integration tests of the core; modules mirror `src/`. Every test opens a fresh database in
//! a temp dir through the real migrations.

mod auth;
mod capture;
mod common;
mod error;
mod events;
mod export;
mod journal;
mod parse;
mod settings;
mod store;
mod sync;
mod transcribe;
mod tray_view;
