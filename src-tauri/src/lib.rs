//! Jotline's desktop shell: wiring between Tauri and `jotline-core`. No journal logic here.

pub mod actions;
pub mod app;
pub mod autostart;
pub mod backup_cli;
pub mod cli;
pub mod commands;
pub mod connectivity;
pub mod data_dir;
pub mod events;
pub mod export_cli;
pub mod hotkey;
pub mod instance;
pub mod key_grab;
pub mod logging;
pub mod state;
pub mod tray;
pub mod voice_hotkey;
pub mod windows;
