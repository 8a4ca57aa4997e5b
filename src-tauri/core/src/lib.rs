//! Jotline's engine. No UI dependency: the Tauri shell only wires it.

mod api_errors;
pub mod auth;
pub mod capture;
pub mod clock;
mod edit;
pub mod error;
pub mod events;
pub mod export;
mod fs_atomic;
mod journal;
pub mod journal_health;
pub mod journal_lock;
pub mod parse;
pub mod settings;
pub mod store;
pub mod sync;
pub mod sync_account;
pub mod transcribe;
pub mod tray_view;
pub mod types;

pub use capture::text::MAX_CAPTURE_BYTES;
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::CoreError;
pub use events::EVENT_CAPACITY;
pub use journal::{Core, CoreConfig, NewEntry, DATABASE_FILE, MAX_PAGE};
pub use journal_lock::{JournalLock, JournalLockError};
pub use store::migrations::SCHEMA_VERSION;
pub use tray_view::{
    sync_time_label, tray_view, tray_view_at, TrayAction, TrayIconKind, TrayMenuItem, TrayView,
};
pub use types::*;
