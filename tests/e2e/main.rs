//! End-to-end tests of the real app window (run by `make e2e` under Xvfb + D-Bus).

mod capture_flow;
mod cli_trigger;
mod draft_recovery;
mod hotkey_conflict;
mod hotkey_setting;
mod startup_errors;
mod sync_flow;
