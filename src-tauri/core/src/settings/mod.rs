//! The user's settings: `settings.json` in the data dir, loaded once when the journal opens,
//! held in memory, and changed only through `Core::update_settings` (one lock, one set of
//! rules, one atomic write, one `SettingsChanged` event).

pub mod accelerator;
mod file;
mod held;
mod rules;

pub use file::{load, SETTINGS_FILE};
pub(crate) use held::HeldSettings;
pub use rules::{MAX_SYNC_INTERVAL_MINUTES, MAX_VOICE_MINUTES};
