//! `jotline export`: reads the journal straight from its database (no window, no running
//! app needed; SQLite's WAL lets it read while the app writes) and writes the export.

use crate::data_dir;
use jotline_core::types::ExportFormat;
use jotline_core::{Core, CoreConfig, SystemClock, DATABASE_FILE};
use std::path::Path;
use std::sync::Arc;

/// Exports the journal to `dir`; returns the process exit code.
pub fn run(format: ExportFormat, dir: &Path) -> i32 {
    let Some(data) = data_dir::resolve() else {
        eprintln!("jotline: no home folder, so no journal to export");
        return 1;
    };
    if !data.join(DATABASE_FILE).exists() {
        eprintln!("jotline: there is no journal at {}", data.display());
        return 1;
    }
    let core = match Core::open(CoreConfig {
        data_dir: data.clone(),
        clock: Arc::new(SystemClock),
    }) {
        Ok(core) => core,
        Err(err) => {
            eprintln!(
                "jotline: the journal at {} cannot be read: {err}",
                data.display()
            );
            return 1;
        }
    };
    let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    match core.export_journal(format, &dir) {
        Ok(summary) => {
            println!(
                "Exported {} to {} ({}).",
                count(summary.entries, "entry", "entries"),
                summary.dir,
                count(summary.files, "file", "files")
            );
            0
        }
        Err(err) => {
            eprintln!("jotline: export failed: {err}");
            1
        }
    }
}

fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
