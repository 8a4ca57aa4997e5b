//! The sync client's view of the local database, a handle on [`Core`]: each method one short
//! transaction on the core's connection, publishing `EntriesChanged` after a pull that
//! changed entries.

use super::error::SyncError;
use super::protocol::{PullRequest, PullResponse, PushRequest, PushResponse};
use super::pull::{self, PullApplied};
use super::push::{self, PushOutcome};
use crate::store::outbox::{self, DeadLetter};
use crate::store::{sync_meta, to_ms};
use crate::Core;
use chrono::{DateTime, Utc};
use rusqlite::TransactionBehavior;
use uuid::Uuid;

/// Ops per push request.
pub const PUSH_BATCH: u32 = 500;
/// Rows per pull page.
pub const PULL_PAGE: u32 = 500;

/// When this device last pulled and pushed successfully.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LastSync {
    pub pull: Option<DateTime<Utc>>,
    pub push: Option<DateTime<Utc>>,
}

/// The sync client's view of the local database (`core.sync()`): what to push, applying
/// what the server answered and sent, the cursor, the account, the dead letters. The engine
/// and the tests drive a round through it.
#[derive(Clone, Copy)]
pub struct LocalSync<'a> {
    pub(super) core: &'a Core,
}

impl Core {
    pub fn sync(&self) -> LocalSync<'_> {
        LocalSync { core: self }
    }
}

impl LocalSync<'_> {
    /// This installation's id (sent as `client_id`).
    pub fn client_id(&self) -> Result<String, SyncError> {
        sync_meta::client_id(&self.core.conn())?
            .ok_or_else(|| SyncError::Malformed("sync_meta has no client id".into()))
    }

    /// The next push batch (current values of the changed fields), or `None` when the outbox
    /// is empty or waiting for its retry time (unless `ignore_backoff`, e.g. "Sync now").
    pub fn push_request(
        &self,
        limit: u32,
        ignore_backoff: bool,
    ) -> Result<Option<PushRequest>, SyncError> {
        let now = self.core.now_ms();
        let mut conn = self.core.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let req = push::build_request(&tx, now, limit.clamp(1, PUSH_BATCH), ignore_backoff)?;
        tx.commit()?;
        Ok(req)
    }

    /// Applies the server's answer to `sent` in one transaction.
    pub fn apply_push(
        &self,
        sent: &PushRequest,
        resp: &PushResponse,
    ) -> Result<PushOutcome, SyncError> {
        let now = self.core.now_ms();
        let outcome = {
            let mut conn = self.core.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let outcome = push::apply_response(&tx, sent, resp, now)?;
            tx.commit()?;
            outcome
        };
        tracing::info!(
            acknowledged = outcome.acknowledged.len(),
            rejected = outcome.rejected.len(),
            missing = outcome.missing.len(),
            "push applied"
        );
        Ok(outcome)
    }

    /// Records a failed push request: every op of `sent` waits until `retry_at`; a definitive
    /// refusal also counts one attempt against each, a transient `error` never does. Returns
    /// the ops that went dead (after [`outbox::MAX_ATTEMPTS`] refusals).
    pub fn push_failed(
        &self,
        sent: &PushRequest,
        error: &SyncError,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<i64>, SyncError> {
        let mut conn = self.core.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let dead = push::record_failure(&tx, sent, error, retry_at.map(to_ms))?;
        tx.commit()?;
        Ok(dead)
    }

    /// The next pull request from the stored cursor.
    pub fn pull_request(&self, page_size: u32) -> Result<PullRequest, SyncError> {
        let conn = self.core.conn();
        Ok(PullRequest {
            cursor: sync_meta::cursor(&conn)?,
            page_size: page_size.clamp(1, PULL_PAGE),
            client_id: sync_meta::client_id(&conn)?,
        })
    }

    /// Applies one pulled page and its cursor in one transaction; nothing changes on error.
    pub fn apply_pull(&self, page: &PullResponse) -> Result<PullApplied, SyncError> {
        let now = self.core.now_ms();
        let applied = {
            let mut conn = self.core.conn();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let applied = pull::apply_page(&tx, page, now)?;
            tx.commit()?;
            applied
        };
        if !applied.changed_entries.is_empty() {
            self.core.entries_changed(applied.changed_entries.clone());
        }
        Ok(applied)
    }

    /// The stored pull cursor (`None`: from the beginning).
    pub fn cursor(&self) -> Result<Option<String>, SyncError> {
        Ok(sync_meta::cursor(&self.core.conn())?)
    }

    /// Forgets the pull cursor: the next pull starts from scratch and reconciles (rows are
    /// upserted; nothing local is deleted).
    pub fn reset_cursor(&self) -> Result<(), SyncError> {
        sync_meta::reset_cursor(&self.core.conn())?;
        Ok(())
    }

    /// Records the signed-in user; returns true when it differs from the last one (the
    /// cursor was reset).
    pub fn set_user(&self, user_id: Uuid) -> Result<bool, SyncError> {
        Ok(sync_meta::set_user_id(
            &self.core.conn(),
            &user_id.to_string(),
        )?)
    }

    /// Makes sure this journal is `user_id`'s before anything is pushed: a journal without a
    /// user is adopted; another user's is refused ([`SyncError::OtherAccount`]). Switching
    /// accounts is the sign-in flow's job (`switch_journal_user`), never the engine's.
    pub fn claim_user(&self, user_id: Uuid) -> Result<(), SyncError> {
        let mut conn = self.core.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        match sync_meta::user_id(&tx)? {
            None => {
                sync_meta::set_user_id(&tx, &user_id.to_string())?;
            }
            Some(current) if current == user_id.to_string() => {}
            Some(_) => return Err(SyncError::OtherAccount),
        }
        tx.commit()?;
        Ok(())
    }

    /// Times of the last successful pull and push.
    pub fn last_times(&self) -> Result<LastSync, SyncError> {
        let (pull, push) = sync_meta::last_sync_times(&self.core.conn())?;
        Ok(LastSync {
            pull: pull.map(crate::store::from_ms),
            push: push.map(crate::store::from_ms),
        })
    }

    /// Dead-lettered ops with their reasons.
    pub fn dead_letters(&self) -> Result<Vec<DeadLetter>, SyncError> {
        Ok(outbox::dead_letters(&self.core.conn())?)
    }

    /// Queues a dead op again under a new op_seq; `None` if there is no such dead op.
    pub fn retry_dead(&self, op_seq: i64) -> Result<Option<i64>, SyncError> {
        let mut conn = self.core.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = outbox::requeue_dead(&tx, op_seq)?;
        tx.commit()?;
        Ok(seq)
    }

    /// "Retry all": queues every dead op again (each under a new op_seq, with the later ops
    /// of its row after it); returns how many.
    pub fn retry_all_dead(&self) -> Result<u64, SyncError> {
        let mut conn = self.core.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let requeued = outbox::requeue_all_dead(&tx)?;
        tx.commit()?;
        Ok(requeued)
    }

    /// Drops a dead op for good; false if there is no such dead op. The fields it protected
    /// from pulls are the server's again: the pull cursor is forgotten so the next round
    /// pulls every row and the discarded change gives way to the server's value (a full
    /// pull is heavy, but discarding is a rare, explicit choice and needs no extra protocol).
    pub fn discard_dead(&self, op_seq: i64) -> Result<bool, SyncError> {
        let mut conn = self.core.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let discarded = outbox::discard_dead(&tx, op_seq)?;
        if discarded {
            sync_meta::reset_cursor(&tx)?;
        }
        tx.commit()?;
        Ok(discarded)
    }
}
