//! The desktop around the app that needs no Tauri: the command line and its commands that run
//! without a window (export, backup), one app per journal (`instance`), global hotkey grabs on
//! X11, logging, where the journal lives, and "the network came back".

pub mod backup_cli;
pub mod cli;
pub mod connectivity;
pub mod data_dir;
pub mod export_cli;
pub mod instance;
pub mod key_grab;
pub mod logging;
pub mod private_files;
