//! `Core`: the facade the shell calls. Owns the connection, the clock, the data dir and the
//! event bus; every method is a short transaction over the store modules.

use crate::capture::{draft, text};
use crate::clock::Clock;
use crate::edit;
use crate::error::CoreError;
use crate::events::EventBus;
use crate::settings::{self, HeldSettings};
use crate::store::checkpointer;
use crate::store::entries::{self, EntryRow, ENTRY_FIELDS};
use crate::store::outbox::{self, Op};
use crate::store::pending_captures::voice as voice_captures;
use crate::store::search::{self, SearchQuery};
use crate::store::{self, to_ms, truncate_ms};
use crate::types::{
    AppStatus, CaptureSaved, CoreEvent, Entry, EntryPatch, Settings, Surface, SyncState,
    TimelineCursor, TimelinePage,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::broadcast;
use uuid::Uuid;

pub const DATABASE_FILE: &str = "jotline.db";
/// Largest page or result list one call returns.
pub const MAX_PAGE: u32 = 500;

pub struct CoreConfig {
    pub data_dir: PathBuf,
    pub clock: Arc<dyn Clock>,
}

#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Mutex<Connection>,
    /// Tells the checkpoint thread that a write was committed.
    wrote: std::sync::mpsc::Sender<()>,
    /// What the full integrity check found wrong, once it ran (`journal_health`).
    damage: Mutex<Option<String>>,
    settings: HeldSettings,
    /// Written by the sync service (`sync::SyncService`); `LocalOnly` until it starts.
    sync_state: Mutex<SyncState>,
    data_dir: PathBuf,
    db_path: PathBuf,
    clock: Arc<dyn Clock>,
    events: EventBus,
}

/// An entry to import in bulk (see [`Core::import_entries`]).
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub kind: String,
    pub title: Option<String>,
    pub body: String,
    pub occurred_at: DateTime<Utc>,
}

impl Core {
    /// Creates `data_dir` if needed and opens `data_dir/jotline.db`.
    #[tracing::instrument(skip_all, fields(data_dir = %config.data_dir.display()))]
    pub fn open(config: CoreConfig) -> Result<Core, CoreError> {
        std::fs::create_dir_all(&config.data_dir)?;
        let db_path = config.data_dir.join(DATABASE_FILE);
        let conn = store::open(&db_path)?;
        let (wrote, closed) = std::sync::mpsc::channel();
        let core = Core {
            inner: Arc::new(Inner {
                conn: Mutex::new(conn),
                wrote,
                damage: Mutex::new(None),
                settings: HeldSettings::load(config.data_dir.join(settings::SETTINGS_FILE)),
                sync_state: Mutex::new(SyncState::LocalOnly),
                data_dir: config.data_dir,
                db_path,
                clock: config.clock,
                events: EventBus::new(),
            }),
        };
        core.start_checkpoints(closed);
        Ok(core)
    }

    /// Checkpoints from a thread that holds the core only while it works.
    fn start_checkpoints(&self, writes: std::sync::mpsc::Receiver<()>) {
        let core = Arc::downgrade(&self.inner);
        checkpointer::spawn(writes, move || {
            let core = Core {
                inner: core.upgrade()?,
            };
            if let Err(e) = core.checkpoint() {
                tracing::warn!(error = %e, "checkpoint failed; retried on the next tick");
            }
            Some(())
        });
    }

    /// A write was committed: a checkpoint follows once writes pause.
    pub(crate) fn note_write(&self) {
        // The thread is gone only if it could not start; the idle tick is then missing too.
        let _ = self.inner.wrote.send(());
    }

    pub fn database_path(&self) -> &Path {
        &self.inner.db_path
    }

    pub fn data_dir(&self) -> &Path {
        &self.inner.data_dir
    }

    pub fn subscribe(&self) -> broadcast::Receiver<CoreEvent> {
        self.inner.events.subscribe()
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (transactions roll back on drop).
        self.inner.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn now_ms(&self) -> i64 {
        to_ms(self.inner.clock.now())
    }

    /// Publishes `EntriesChanged` then `StatusChanged` after a committed write.
    pub(crate) fn entries_changed(&self, ids: Vec<Uuid>) {
        self.note_write();
        self.inner.events.publish(CoreEvent::EntriesChanged { ids });
        self.publish_status();
    }

    pub(crate) fn publish(&self, event: CoreEvent) {
        self.inner.events.publish(event);
    }

    /// The sync service's new state; the windows and the tray hear it as a status change.
    pub(crate) fn set_sync_state(&self, state: SyncState) {
        *self
            .inner
            .sync_state
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = state;
        self.publish_status();
    }

    pub fn sync_state(&self) -> SyncState {
        self.inner
            .sync_state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Publishes `StatusChanged` with the current status.
    pub(crate) fn publish_status(&self) {
        match self.status() {
            Ok(status) => self
                .inner
                .events
                .publish(CoreEvent::StatusChanged { status }),
            Err(e) => tracing::warn!(error = %e, "status not published"),
        }
    }

    #[tracing::instrument(skip_all, fields(?surface, bytes = text.len()))]
    pub fn capture_text(&self, text: &str, surface: Surface) -> Result<CaptureSaved, CoreError> {
        let saved = {
            let mut conn = self.conn();
            text::commit(&mut conn, text, surface, self.now_ms())?
        };
        self.entries_changed(vec![saved.entry.id]);
        Ok(saved)
    }

    pub fn timeline_page(
        &self,
        before: Option<&TimelineCursor>,
        limit: u32,
    ) -> Result<TimelinePage, CoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let before = before.map(|c| TimelineCursor {
            occurred_at: truncate_ms(c.occurred_at),
            id: c.id,
        });
        let mut rows = entries::timeline(&self.conn(), before.as_ref(), limit + 1)?;
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let entries = self.with_voice(rows.into_iter().map(EntryRow::into_entry).collect())?;
        let next = if more {
            entries.last().map(|e| TimelineCursor {
                occurred_at: e.occurred_at,
                id: e.id,
            })
        } else {
            None
        };
        Ok(TimelinePage { entries, next })
    }

    /// `#tag` and `@person` tokens filter; other words match title and body (last one as a
    /// prefix). An empty query returns nothing.
    pub fn search(&self, query: &str, limit: u32) -> Result<Vec<Entry>, CoreError> {
        let q = SearchQuery::parse(query);
        let rows = search::search(&self.conn(), &q, limit.clamp(1, MAX_PAGE))?;
        self.with_voice(rows.into_iter().map(EntryRow::into_entry).collect())
    }

    pub fn get_entry(&self, id: Uuid) -> Result<Entry, CoreError> {
        let entry = entries::get_live(&self.conn(), id)?
            .map(EntryRow::into_entry)
            .ok_or(CoreError::NotFound(id))?;
        self.with_voice(vec![entry])?
            .pop()
            .ok_or(CoreError::NotFound(id))
    }

    /// Writes only when something changed; the outbox op lists just the changed fields.
    #[tracing::instrument(skip_all, fields(%id))]
    pub fn update_entry(&self, id: Uuid, patch: EntryPatch) -> Result<Entry, CoreError> {
        let updated = {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current = entries::get_live(&tx, id)?.ok_or(CoreError::NotFound(id))?;
            let now = self.now_ms();
            let Some((next, changed)) = edit::apply(&current, &patch, now)? else {
                drop(tx);
                drop(conn);
                return self.get_entry(id);
            };
            let text_changed = changed.contains(&"title") || changed.contains(&"body");
            entries::update(&tx, &next, text_changed)?;
            outbox::record(&tx, "entries", &id.to_string(), Op::Upsert, &changed, now)?;
            // Damaged text the edit left alone keeps its bytes and its flag: return what
            // is stored now.
            let next = if current.damaged.any() {
                entries::get_live(&tx, id)?.ok_or(CoreError::NotFound(id))?
            } else {
                next
            };
            tx.commit()?;
            next
        };
        self.entries_changed(vec![id]);
        let entry = self.with_voice(vec![updated.into_entry()])?.pop();
        entry.ok_or(CoreError::NotFound(id))
    }

    /// Tombstones the entry (kept for sync, hidden everywhere) and queues a delete op.
    #[tracing::instrument(skip_all, fields(%id))]
    pub fn delete_entry(&self, id: Uuid) -> Result<(), CoreError> {
        {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let now = self.now_ms();
            if !entries::tombstone(&tx, id, now)? {
                return Err(CoreError::NotFound(id));
            }
            outbox::record(
                &tx,
                "entries",
                &id.to_string(),
                Op::Delete,
                &["deleted_at"],
                now,
            )?;
            // A spoken entry takes its capture along (the recording itself stays on disk).
            for capture in voice_captures::tombstone_of_entry(&tx, &id.to_string(), now)? {
                outbox::record(
                    &tx,
                    "pending_captures",
                    &capture,
                    Op::Delete,
                    &["deleted_at"],
                    now,
                )?;
            }
            tx.commit()?;
        }
        self.entries_changed(vec![id]);
        Ok(())
    }

    /// Bulk import in one transaction (each entry with its outbox op). Returns the new ids.
    pub fn import_entries(&self, items: &[NewEntry]) -> Result<Vec<Uuid>, CoreError> {
        let mut ids = Vec::with_capacity(items.len());
        {
            let mut conn = self.conn();
            let now = self.now_ms();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for item in items {
                text::validate(&item.body).or_else(|e| match e {
                    CoreError::EmptyCapture if item.title.is_some() => Ok(()),
                    other => Err(other),
                })?;
                let row = EntryRow {
                    id: Uuid::now_v7(),
                    kind: item.kind.clone(),
                    title: item.title.clone(),
                    body: item.body.clone(),
                    occurred_at: to_ms(item.occurred_at),
                    created_at: now,
                    updated_at: now,
                    damaged: Default::default(),
                };
                entries::insert(&tx, &row)?;
                outbox::record(
                    &tx,
                    "entries",
                    &row.id.to_string(),
                    Op::Upsert,
                    ENTRY_FIELDS,
                    now,
                )?;
                ids.push(row.id);
            }
            tx.commit()?;
        }
        if !ids.is_empty() {
            self.entries_changed(ids.clone());
        }
        Ok(ids)
    }

    pub fn status(&self) -> Result<AppStatus, CoreError> {
        let conn = self.conn();
        Ok(AppStatus {
            entry_count: entries::count_live(&conn)?,
            pending_ops: outbox::pending_count(&conn)?,
            failed_ops: outbox::dead_count(&conn)?,
            devices: match self.sync_state() {
                SyncState::Active { .. } => Some(crate::store::devices::summary(
                    &conn,
                    &crate::sync::receipts::own_id(&conn)?,
                    self.now_ms(),
                )?),
                _ => None,
            },
            sync: self.sync_state(),
            journal_damage: self.journal_damage(),
        })
    }

    pub(crate) fn journal_damage(&self) -> Option<String> {
        self.inner
            .damage
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Records what the integrity check found and tells the windows.
    pub(crate) fn set_journal_damage(&self, damage: Option<String>) {
        *self.inner.damage.lock().unwrap_or_else(|e| e.into_inner()) = damage;
        self.publish_status();
    }

    fn draft_path(&self) -> PathBuf {
        self.inner.data_dir.join(draft::DRAFT_FILE)
    }

    pub fn save_draft(&self, text: &str) -> Result<(), CoreError> {
        draft::save(&self.draft_path(), text)
    }

    pub fn load_draft(&self) -> Result<Option<String>, CoreError> {
        draft::load(&self.draft_path())
    }

    pub fn clear_draft(&self) -> Result<(), CoreError> {
        draft::clear(&self.draft_path())
    }

    /// The settings as loaded at open and changed since; an error while `settings.json` is
    /// malformed (it names the file, which Jotline leaves alone).
    pub fn settings(&self) -> Result<Settings, CoreError> {
        self.inner.settings.get()
    }

    /// The one way to change settings: `change` edits a copy, the rules of
    /// `settings::rules` normalise and check it, the file is written atomically, and
    /// `SettingsChanged` tells the windows. Concurrent updates are serialised.
    pub fn update_settings(
        &self,
        change: impl FnOnce(&mut Settings) -> Result<(), CoreError>,
    ) -> Result<Settings, CoreError> {
        self.inner.settings.update(change, |settings| {
            self.inner.events.publish(CoreEvent::SettingsChanged {
                settings: settings.clone(),
            })
        })
    }

    /// Test hook: runs raw SQL on the core's own connection (e.g. a TEMP trigger that injects
    /// a failure). Not for application use.
    #[doc(hidden)]
    pub fn execute_batch_for_tests(&self, sql: &str) -> Result<(), CoreError> {
        self.conn().execute_batch(sql)?;
        Ok(())
    }
}
