//! Harness for driving the real Jotline app: locating the built binary, starting
//! tauri-driver (which starts WebKitWebDriver, which starts the app), window switching,
//! screenshots, and reading the app's database directly.

pub mod app;
pub mod backend;
pub mod driver;
pub mod journal_db;
pub mod key_grabs;
pub mod pg;
pub mod process;
