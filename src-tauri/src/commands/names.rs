/// Every command the shell exposes to the UI. build.rs turns each into an `allow-<name>`
/// permission; `commands::handler` registers exactly these (a test checks both and `ui/src/lib/api.ts`).
#[allow(dead_code)]
pub const COMMAND_NAMES: &[&str] = &[
    "list_timeline",
    "search_entries",
    "get_entry",
    "update_entry",
    "delete_entry",
    "save_capture",
    "cancel_capture",
    "save_draft",
    "load_draft",
    "get_status",
    "refresh",
    "get_settings",
    "set_capture_hotkey",
    "get_hotkey_status",
    "get_startup_error",
    "show_main_window",
];
