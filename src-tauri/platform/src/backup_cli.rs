//! `jotline backup FILE`: one complete copy of the journal database, taken with SQLite's
//! backup API, so it holds what is still in the write-ahead log and can be made while the app
//! runs (copying `jotline.db` by hand misses that). Recordings are files in `audio/`; the
//! README says to copy that folder too.

use crate::data_dir;
use jotline_core::store::backup;
use jotline_core::DATABASE_FILE;
use std::path::Path;

/// Writes the backup; returns the process exit code.
pub fn run(file: &Path) -> i32 {
    let Some(data) = data_dir::resolve() else {
        eprintln!("jotline: no home folder, so no journal to back up");
        return 1;
    };
    let target = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    match backup::write(&data.join(DATABASE_FILE), &target) {
        Ok(entries) => {
            println!(
                "Backed up the journal ({entries} {}) to {}.",
                if entries == 1 { "entry" } else { "entries" },
                target.display()
            );
            0
        }
        Err(err) => {
            eprintln!("jotline: no backup made: {}", err.user_message());
            1
        }
    }
}
