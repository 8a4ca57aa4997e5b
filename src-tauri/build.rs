// The config lives at the workspace root (see DESIGN.md); the app's own commands get
// generated permissions so each window's capability can grant exactly what it uses.
include!("src/commands/names.rs");

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMAND_NAMES));
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
