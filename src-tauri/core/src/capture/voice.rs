//! Voice captures in the journal: a finished (or rescued) recording becomes a capture row and
//! an entry at once, so it shows in the timeline while its audio is uploaded and transcribed.
//! The recording itself is `capture::audio`; moving a capture on is `capture::processor`.

use super::audio::{recover_unfinished, RecoveredWav};
use crate::error::CoreError;
use crate::store::entries::{self, EntryRow, ENTRY_FIELDS};
use crate::store::outbox::{self, Op};
use crate::store::pending_captures::voice::{
    self as voice_captures, NewVoiceCapture, VOICE_CAPTURE_FIELDS,
};
use crate::types::{CaptureSaved, Entry, Surface};
use crate::Core;
use rusqlite::TransactionBehavior;
use std::collections::HashSet;
use std::path::PathBuf;
use uuid::Uuid;

/// Folder (inside the data dir) that holds the WAVs; the only folder the UI may play from.
pub const AUDIO_DIR: &str = "audio";

/// A recording as the recorder finished it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoiceRecording {
    pub capture_id: Uuid,
    pub duration_ms: i64,
    pub surface: Surface,
}

impl Core {
    pub fn audio_dir(&self) -> PathBuf {
        self.data_dir().join(AUDIO_DIR)
    }

    /// A new capture id and the file its recording goes to (the folder is created).
    pub fn new_voice_file(&self) -> Result<(Uuid, PathBuf), CoreError> {
        let dir = self.audio_dir();
        std::fs::create_dir_all(&dir)?;
        let id = Uuid::now_v7();
        Ok((id, dir.join(file_name(id))))
    }

    /// Commits a finished recording as a pending capture and its (still empty) entry.
    pub fn save_voice_capture(&self, rec: VoiceRecording) -> Result<CaptureSaved, CoreError> {
        let saved = self.commit_voice(rec, false)?;
        self.entries_changed(vec![saved.entry.id]);
        Ok(saved)
    }

    /// Start-up: every WAV in the audio folder that no capture refers to is an unfinished
    /// recording (the app was killed or the power went). Each is repaired and becomes a
    /// pending capture marked "recovered". Nothing is deleted.
    pub fn recover_voice_captures(&self) -> Result<Vec<CaptureSaved>, CoreError> {
        let finished: HashSet<String> = voice_captures::audio_files(&self.conn())?
            .into_iter()
            .filter_map(|f| f.strip_suffix(".wav").map(str::to_string))
            .collect();
        let rescued = recover_unfinished(&self.audio_dir(), &finished)
            .map_err(|e| CoreError::InvalidInput(format!("recovering recordings: {e}")))?;
        let mut saved = Vec::new();
        for RecoveredWav {
            id, duration_ms, ..
        } in rescued
        {
            let Ok(capture_id) = Uuid::parse_str(&id) else {
                tracing::warn!(file = %id, "a WAV not named by a capture id was left alone");
                continue;
            };
            let rec = VoiceRecording {
                capture_id,
                duration_ms: i64::try_from(duration_ms).unwrap_or(i64::MAX),
                surface: Surface::DesktopHotkey,
            };
            saved.push(self.commit_voice(rec, true)?);
            tracing::info!(capture = %capture_id, duration_ms, "unfinished recording recovered");
        }
        if !saved.is_empty() {
            self.entries_changed(saved.iter().map(|s| s.entry.id).collect());
        }
        Ok(saved)
    }

    /// A capture that failed for good goes back to the queue; false if it had not failed.
    pub fn retry_capture(&self, capture_id: Uuid) -> Result<bool, CoreError> {
        let key = capture_id.to_string();
        let retried = voice_captures::reset_for_retry(&self.conn(), &key)?;
        if retried {
            self.voice_entry_changed(&key)?;
        }
        Ok(retried)
    }

    /// Publishes `EntriesChanged` for the entry of a capture whose status moved.
    pub(crate) fn voice_entry_changed(&self, capture_id: &str) -> Result<(), CoreError> {
        let entry = voice_captures::entry_of(&self.conn(), capture_id)?;
        if let Some(id) = entry.and_then(|s| Uuid::parse_str(&s).ok()) {
            self.entries_changed(vec![id]);
        }
        Ok(())
    }

    /// Fills in `voice` for the entries that were spoken, and their receipts.
    pub(crate) fn with_voice(&self, mut list: Vec<Entry>) -> Result<Vec<Entry>, CoreError> {
        let ids: Vec<String> = list.iter().map(|e| e.id.to_string()).collect();
        let mut memos = voice_captures::memos_of(&self.conn(), &ids, &self.audio_dir())?;
        for e in &mut list {
            e.voice = memos.remove(&e.id.to_string());
        }
        self.with_delivery(list)
    }

    fn commit_voice(
        &self,
        rec: VoiceRecording,
        recovered: bool,
    ) -> Result<CaptureSaved, CoreError> {
        let now = self.now_ms();
        let row = EntryRow {
            id: Uuid::now_v7(),
            kind: "note".to_string(),
            title: None,
            body: String::new(),
            occurred_at: now,
            created_at: now,
            updated_at: now,
            damaged: Default::default(),
        };
        let entry_id = row.id.to_string();
        let capture_key = rec.capture_id.to_string();
        let audio_file = file_name(rec.capture_id);
        let context = recovered.then_some(r#"{"recovered":true}"#);
        {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            entries::insert(&tx, &row)?;
            voice_captures::insert(
                &tx,
                &NewVoiceCapture {
                    id: &capture_key,
                    created_at_ms: now,
                    surface: rec.surface,
                    audio_file: &audio_file,
                    duration_ms: rec.duration_ms,
                    entry_id: &entry_id,
                    recovered,
                    context,
                },
            )?;
            outbox::record(&tx, "entries", &entry_id, Op::Upsert, ENTRY_FIELDS, now)?;
            outbox::record(
                &tx,
                "pending_captures",
                &capture_key,
                Op::Upsert,
                VOICE_CAPTURE_FIELDS,
                now,
            )?;
            tx.commit()?;
        }
        tracing::debug!(capture = %rec.capture_id, entry = %entry_id, recovered, "voice capture committed");
        let entry = self
            .with_voice(vec![row.into_entry()])?
            .pop()
            .ok_or(CoreError::NotFound(rec.capture_id))?;
        Ok(CaptureSaved {
            capture_id: rec.capture_id,
            entry,
        })
    }
}

fn file_name(id: Uuid) -> String {
    format!("{id}.wav")
}
