//! Tauri commands, one module per domain. Each is a short adapter: take the state, call
//! the core, map the error to `ApiError` (`{code, message}`).

mod account;
mod capture;
mod devices;
mod entries;
mod export;
mod settings;
mod status;
mod sync;
mod voice;
mod windows;

include!("names.rs");

use tauri::{ipc::Invoke, Runtime};

/// The invoke handler with every command of `COMMAND_NAMES`.
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        entries::list_timeline,
        entries::search_entries,
        entries::get_entry,
        entries::update_entry,
        entries::delete_entry,
        capture::save_capture,
        capture::cancel_capture,
        capture::save_draft,
        capture::load_draft,
        status::get_status,
        status::refresh,
        status::get_startup_error,
        settings::get_settings,
        settings::set_capture_hotkey,
        settings::get_hotkey_status,
        windows::show_main_window,
        account::get_account,
        account::set_sync_settings,
        account::sign_up,
        account::sign_in,
        account::sign_out,
        sync::get_sync_details,
        sync::full_resync,
        sync::set_sync_paused,
        sync::retry_dead_letter,
        sync::retry_all_dead_letters,
        sync::discard_dead_letter,
        devices::list_devices,
        devices::forget_device,
        devices::set_device_name,
        devices::get_entry_delivery,
        voice::start_voice_capture,
        voice::stop_voice_capture,
        voice::cancel_voice_capture,
        voice::get_recording,
        voice::retry_capture,
        voice::list_microphones,
        voice::set_voice_settings,
        voice::set_transcription_key,
        settings::dismiss_welcome,
        settings::set_start_at_login,
        export::default_export_folder,
        export::choose_export_folder,
        export::export_journal,
    ]
}
