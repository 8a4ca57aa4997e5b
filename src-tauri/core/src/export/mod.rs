//! Exporting the whole journal to a folder, as one JSON file or as Markdown day files, and
//! reading both back (for tests, and for a future import). The formats are described in
//! [`json`] and [`markdown`].
//!
//! Decisions a user of the export folder can rely on:
//! - **Read-only on the journal.** The live entries and their voice memos are read in one
//!   read transaction (a consistent snapshot: one query for the entries, one per 500 entries
//!   for their memos); the files are written after the database is released, so a capture
//!   never waits for an export. Nothing in the data dir is written, and no event is sent.
//! - **Atomic files.** Every file is replaced through a temp file, fsync and rename. A failed
//!   export (full disk, no permission, a file where a folder should be) returns an error that
//!   names the path; the files written before it are complete, the one that failed is not
//!   there at all (its temp file is removed), and the journal is untouched.
//! - **Voice memos.** The WAV of each memo recorded on this computer is copied to
//!   `audio/<capture_id>.wav`; memos recorded on another device have no local audio to copy.
//! - **Re-exporting into the same folder** overwrites Jotline's own files. A Markdown day
//!   file of a day that no longer has entries (they were deleted or moved) would be stale, so
//!   it is removed — but only a file named `YYYY-MM-DD.md` whose first line is Jotline's day
//!   marker. Every other file is left alone, including audio copies of memos deleted since
//!   (a WAV carries no mark saying Jotline wrote it, and the folder may hold the user's own).
//! - The export folder may not be Jotline's data folder or inside it.
//! - **Damaged entries** (stored text that is not valid UTF-8, see `store::damaged_text`)
//!   are left out and listed in [`ExportSummary::skipped_damaged`]; every other entry is
//!   written. Their lossy text would look like a faithful copy, and an importer could not
//!   tell it from the user's words.

mod files;
pub mod folder;
pub mod json;
pub mod markdown;
mod read;

pub use json::{read_json, JSON_FILE};
pub use read::read_markdown;

use crate::error::CoreError;
use crate::store::entries::{self, EntryRow};
use crate::store::from_ms;
use crate::store::pending_captures::voice as voice_captures;
use crate::types::{Entry, ExportFormat, ExportSummary, VoiceMemo};
use crate::Core;
use chrono::{DateTime, Local, TimeZone, Utc};
use std::collections::HashMap;
use std::path::Path;
use uuid::Uuid;

/// Version of both formats; readers refuse newer ones.
pub const FORMAT_VERSION: u32 = 1;
/// Folder (inside the export folder) that holds the copies of the voice recordings.
pub const AUDIO_DIR: &str = "audio";
/// Entries whose voice memos are looked up in one query.
const MEMO_BATCH: usize = 500;

/// An entry as a Markdown day file carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedEntry {
    pub id: Uuid,
    pub kind: String,
    pub title: Option<String>,
    /// Markdown, exactly as in the journal.
    pub body: String,
    pub occurred_at: DateTime<Utc>,
    /// The copy of the voice recording, relative to the export folder
    /// (`audio/<capture_id>.wav`), when there was one to copy.
    pub audio: Option<String>,
}

impl Core {
    /// Exports every live entry to `dir` (created if missing), grouping Markdown days in the
    /// computer's local time zone. See the module documentation for the guarantees.
    pub fn export_journal(
        &self,
        format: ExportFormat,
        dir: &Path,
    ) -> Result<ExportSummary, CoreError> {
        self.export_journal_in(format, dir, &Local)
    }

    /// [`Core::export_journal`] with the time zone that decides which day an entry belongs to.
    #[tracing::instrument(skip_all, fields(?format, dir = %dir.display()))]
    pub fn export_journal_in<Tz: TimeZone + Sync>(
        &self,
        format: ExportFormat,
        dir: &Path,
        tz: &Tz,
    ) -> Result<ExportSummary, CoreError> {
        files::check_outside(dir, self.data_dir())?;
        // A damaged entry's lossy text is not the user's text: writing it would pass it off
        // as a faithful copy. It stays out, is named in the summary, and the rest is written.
        let (damaged, entries): (Vec<Entry>, Vec<Entry>) =
            self.export_snapshot()?.into_iter().partition(|e| e.damaged);
        let skipped_damaged: Vec<Uuid> = damaged.iter().map(|e| e.id).collect();
        if !skipped_damaged.is_empty() {
            tracing::warn!(
                count = skipped_damaged.len(),
                ids = ?skipped_damaged,
                "damaged entries left out of the export"
            );
        }
        files::create_dir(dir)?;
        let audio = files::copy_audio(dir, &entries)?;
        let written = match format {
            ExportFormat::Json => {
                json::write(dir, &entries, from_ms(self.now_ms()))?;
                1
            }
            ExportFormat::Markdown => markdown::write_days(dir, &entries, &audio, tz)?,
        };
        let summary = ExportSummary {
            dir: dir.display().to_string(),
            format,
            entries: count(entries.len()),
            files: count(written + audio.len()),
            skipped_damaged,
        };
        tracing::info!(
            entries = summary.entries,
            files = summary.files,
            "journal exported"
        );
        Ok(summary)
    }

    /// Every live entry with its voice memo, oldest first by (occurred_at, id).
    fn export_snapshot(&self) -> Result<Vec<Entry>, CoreError> {
        let audio_dir = self.audio_dir();
        let (rows, mut memos) = {
            let mut conn = self.conn();
            // Deferred: a read transaction, so both queries see the same snapshot.
            let tx = conn.transaction()?;
            let rows = entries::all_live(&tx)?;
            let mut memos: HashMap<String, VoiceMemo> = HashMap::new();
            for batch in rows.chunks(MEMO_BATCH) {
                let ids: Vec<String> = batch.iter().map(|r| r.id.to_string()).collect();
                memos.extend(voice_captures::memos_of(&tx, &ids, &audio_dir)?);
            }
            tx.commit()?;
            (rows, memos)
        };
        Ok(rows
            .into_iter()
            .map(|row| {
                let voice = memos.remove(&row.id.to_string());
                Entry {
                    voice,
                    ..EntryRow::into_entry(row)
                }
            })
            .collect())
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
