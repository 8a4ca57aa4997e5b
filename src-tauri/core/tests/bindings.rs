//! The UI's TypeScript types are generated from the core's serde types. This test fails
//! when `ui/src/lib/bindings.ts` is out of date; run with `JOTLINE_WRITE_BINDINGS=1` to regenerate.

use jotline_core::types::*;
use std::path::PathBuf;
use ts_rs::{Config, TS};

fn bindings() -> String {
    let cfg = Config::default();
    let mut out = String::from(
        "// Generated from src-tauri/core/src/types/ by src-tauri/core/tests/bindings.rs. Do not edit.\n",
    );
    macro_rules! add {
        ($($t:ty),*) => {$(
            out.push_str(&format!("\nexport {}\n", <$t as TS>::decl(&cfg)));
        )*};
    }
    add!(
        Entry,
        TimelineCursor,
        TimelinePage,
        EntryPatch,
        Surface,
        CaptureSaved,
        SyncState,
        AppStatus,
        Settings,
        HotkeyStatus,
        ErrorCode,
        ApiError,
        StartupError,
        CoreEvent,
        SyncPhase,
        LiveUpdates,
        Delivery,
        Device,
        EntryDelivery,
        DevicesSummary,
        SyncStatus,
        Account,
        OutboxItem,
        SyncDetails,
        CaptureStatus,
        VoiceMemo,
        VoiceMode,
        Microphone,
        RecordingStatus,
        ExportFormat,
        ExportSummary
    );
    out
}

#[test]
fn ui_bindings_match_rust_types() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts");
    let expected = bindings();
    if std::env::var_os("JOTLINE_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        committed, expected,
        "ui/src/lib/bindings.ts is stale: rerun with JOTLINE_WRITE_BINDINGS=1"
    );
}
