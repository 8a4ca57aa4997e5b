//! Keeping the journal file whole and knowing when it is not: checkpoints (the data in
//! `jotline.db` itself, not only in its log) and the full integrity check after start-up.

use crate::error::CoreError;
use crate::journal::Core;
use crate::store::{integrity, wal};

pub use crate::store::wal::Checkpoint;

impl Core {
    /// Copies the write-ahead log into the database file now (also run by the checkpoint
    /// thread, and by the shell on exit).
    pub fn checkpoint(&self) -> Result<Checkpoint, CoreError> {
        let outcome = wal::checkpoint(&self.conn(), self.database_path())?;
        if outcome == Checkpoint::Recovered {
            tracing::warn!("journal log recovered after it was deleted");
        }
        Ok(outcome)
    }

    /// SQLite's full integrity check (indexes against tables, every page); the problems it
    /// found, empty when the journal is sound. Slow on a large journal: run it off the UI
    /// thread. Captures go on meanwhile (it reads on its own connection).
    pub fn check_integrity(&self) -> Result<Vec<String>, CoreError> {
        let problems = integrity::full_check(self.database_path())?;
        if !problems.is_empty() {
            tracing::error!(
                problems = problems.join("; "),
                "journal integrity check failed"
            );
            self.set_journal_damage(Some(damage_message(self, &problems)));
        }
        Ok(problems)
    }
}

/// The sentence for the status bar: what is wrong, that nothing was changed, what to do.
fn damage_message(core: &Core, problems: &[String]) -> String {
    format!(
        "The journal file {} is damaged ({}). Your entries are still shown, but some may be \
         missing from search or lists. Make a backup now (jotline backup FILE) and keep the \
         file; Jotline changed nothing.",
        core.database_path().display(),
        problems
            .first()
            .map(String::as_str)
            .unwrap_or("integrity check failed")
    )
}
