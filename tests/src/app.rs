//! Where the built app and the test artifacts are.

use std::path::PathBuf;

/// The app binary: `JOTLINE_APP_BIN` (set by the Makefile), else the debug build in the
/// cargo target dir.
pub fn binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("JOTLINE_APP_BIN") {
        return PathBuf::from(bin);
    }
    target_dir().join("debug").join("jotline")
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Screenshots and logs of end-to-end runs, kept after the run in the clone's `target/`
/// (whatever `CARGO_TARGET_DIR` is), where a person looking at a run finds them.
pub fn artifacts_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-artifacts");
    std::fs::create_dir_all(&dir).expect("create e2e artifacts dir");
    dir
}

/// Runs `jotline ARGS` on the journal in `data_dir` (spelled as given) to completion, with
/// what it printed.
pub fn cli(
    data_dir: impl AsRef<std::ffi::OsStr>,
    args: &[&str],
) -> std::io::Result<std::process::Output> {
    std::process::Command::new(binary())
        .args(args)
        .env("JOTLINE_DATA_DIR", data_dir)
        .output()
}
