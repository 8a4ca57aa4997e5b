//! Whose journal this is, and what the sync panel lists: the account switch that never
//! mixes two users' journals, and the outbox as the user sees it.

use crate::error::CoreError;
use crate::store::outbox::{self, OutboxOp};
use crate::store::{entries, from_ms, journal_reset, sync_meta};
use crate::types::{OutboxItem, SyncDetails};
use crate::Core;
use rusqlite::TransactionBehavior;
use uuid::Uuid;

/// Longest pending list the sync panel gets (the total is reported separately).
pub const PENDING_LIST_LIMIT: u32 = 200;

/// What signing in as `user` does to the local journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountSwitch {
    /// Same user as before, or the first user of a local-only journal (it is adopted).
    Keep,
    /// Another user, nothing unsynced: the previous user's local copy was removed (it is
    /// on their server) and this user's journal will be pulled.
    Replaced,
    /// Another user while `unsynced` changes of the previous one wait: nothing was done.
    Refused { unsynced: u64 },
}

impl Core {
    /// The user whose journal this database holds (the last one that synced), if any.
    pub fn journal_user(&self) -> Result<Option<Uuid>, CoreError> {
        let id = sync_meta::user_id(&self.conn())?;
        Ok(id.and_then(|s| Uuid::parse_str(&s).ok()))
    }

    /// Makes this journal `user`'s. A journal of another user is replaced (never merged):
    /// refused while it holds unsynced changes unless `discard_pending`.
    #[tracing::instrument(skip(self))]
    pub fn switch_journal_user(
        &self,
        user: Uuid,
        discard_pending: bool,
    ) -> Result<AccountSwitch, CoreError> {
        let wiped = {
            let mut conn = self.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let previous = sync_meta::user_id(&tx)?;
            let same = previous.as_deref() == Some(user.to_string().as_str());
            if previous.is_none() || same {
                if previous.is_none() {
                    sync_meta::set_user_id(&tx, &user.to_string())?;
                }
                tx.commit()?;
                return Ok(AccountSwitch::Keep);
            }
            let unsynced = outbox::total_count(&tx)?;
            if unsynced > 0 && !discard_pending {
                return Ok(AccountSwitch::Refused { unsynced });
            }
            let ids = entries::live_ids(&tx)?;
            journal_reset::hand_over(&tx, &user.to_string())?;
            tx.commit()?;
            tracing::info!(
                removed = ids.len(),
                discarded = unsynced,
                "journal of the previous user replaced"
            );
            ids
        };
        self.entries_changed(wiped);
        Ok(AccountSwitch::Replaced)
    }

    /// Publishes the status again after the outbox changed outside the core's own writes
    /// (a dead letter retried or discarded).
    pub fn republish_status(&self) {
        self.entries_changed(Vec::new());
    }

    /// The sync panel: pending ops (first [`PENDING_LIST_LIMIT`]) and dead letters.
    pub fn sync_details(&self) -> Result<SyncDetails, CoreError> {
        let conn = self.conn();
        let pending = outbox::live_batch(&conn, PENDING_LIST_LIMIT)?;
        let errors = outbox::last_errors(&conn, &pending)?;
        let pending = pending
            .into_iter()
            .zip(errors)
            .map(|(op, err)| item(op, err))
            .collect();
        let dead_letters = outbox::dead_letters(&conn)?
            .into_iter()
            .map(|d| item(d.op, d.last_error))
            .collect();
        Ok(SyncDetails {
            pending,
            pending_total: outbox::pending_count(&conn)?,
            dead_letters,
        })
    }
}

fn item(op: OutboxOp, last_error: Option<String>) -> OutboxItem {
    OutboxItem {
        op_seq: op.op_seq,
        table: op.table_name,
        row_id: op.row_id,
        op: op.op.as_str().to_string(),
        fields: op.changed_fields,
        attempts: op.attempts,
        next_attempt_at: op.next_attempt_at.map(from_ms),
        last_error,
    }
}
