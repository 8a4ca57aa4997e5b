//! Jotline's desktop shell: wiring between Tauri and `jotline-core`. No journal logic here.

pub mod actions;
pub mod app;
pub mod autostart;
pub mod commands;
pub mod events;
pub mod hotkey;
pub mod state;
pub mod tray;
pub mod voice_hotkey;
pub mod windows;
