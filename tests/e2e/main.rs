//! End-to-end tests of the real app window (run by `make e2e` under Xvfb + D-Bus).
//! They must run one at a time (`--test-threads=1`, as the Makefile does): the capture
//! hotkey is global to the X display, so two apps at once would fight over it.

mod capture_flow;
mod cli_trigger;
mod desktop_start;
mod draft_recovery;
mod first_run;
mod hotkey_conflict;
mod hotkey_setting;
mod journal_file;
mod live_sync;
mod startup_errors;
mod sync_flow;
mod voice_flow;
