//! Jotline's engine. No UI dependency: the Tauri shell only wires it.
pub mod types;
