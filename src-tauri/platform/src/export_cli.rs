//! `jotline export`: reads the journal straight from its database (no window, no running
//! app needed; SQLite's WAL lets it read while the app writes) and writes the export.

use crate::data_dir;
use jotline_core::types::ExportFormat;
use jotline_core::{Core, CoreConfig, SystemClock, DATABASE_FILE};
use std::path::Path;
use std::sync::Arc;
use uuid::Uuid;

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
            if let Some(warning) = skipped_warning(&summary.skipped_damaged) {
                eprintln!("{warning}");
            }
            // 0 even with skipped entries: everything healthy was written, and a non-zero
            // code would stop `jotline export DIR && backup DIR` from saving any of it. The
            // warning on stderr names what is missing.
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

/// What the user reads about entries left out because their stored text is damaged.
fn skipped_warning(skipped: &[Uuid]) -> Option<String> {
    if skipped.is_empty() {
        return None;
    }
    let ids: Vec<String> = skipped.iter().map(Uuid::to_string).collect();
    Some(format!(
        "jotline: skipped {} (stored text not valid UTF-8): {}\n\
         Open Jotline to see them marked \"damaged\"; editing the text repairs an entry.",
        count(count_u32(skipped.len()), "damaged entry", "damaged entries"),
        ids.join(", ")
    ))
}

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_warning_when_nothing_was_skipped() {
        assert_eq!(skipped_warning(&[]), None);
    }

    #[test]
    fn warning_counts_and_names_the_skipped_entries() {
        let a = Uuid::from_u128(1);
        let one = skipped_warning(&[a]).unwrap();
        assert!(
            one.starts_with("jotline: skipped 1 damaged entry "),
            "{one}"
        );
        assert!(one.contains(&a.to_string()), "{one}");
        let b = Uuid::from_u128(2);
        let two = skipped_warning(&[a, b]).unwrap();
        assert!(
            two.starts_with("jotline: skipped 2 damaged entries "),
            "{two}"
        );
        assert!(two.contains(&format!("{a}, {b}")), "{two}");
    }
}
