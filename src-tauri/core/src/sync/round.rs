//! One sync round: push the whole due outbox, then pull every page.

use super::error::SyncError;
use super::http::SyncClient;
use super::local::LocalSync;
use super::local::{PULL_PAGE, PUSH_BATCH};
use crate::auth::Session;
use crate::types::SyncPhase;
use std::collections::BTreeSet;
use std::time::Duration;
use uuid::Uuid;

/// What a successful round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundReport {
    /// Ops the server acknowledged (applied or duplicate).
    pub pushed: usize,
    /// Ops the server rejected for good (now dead letters).
    pub rejected: usize,
    /// Pages pulled.
    pub pages: usize,
    /// Distinct entries changed by the pull ("N entries updated from the cloud").
    pub entries_updated: Vec<Uuid>,
    /// The server asked for a full resync and the round pulled from scratch.
    pub resynced: bool,
}

impl LocalSync<'_> {
    /// Pushes every due batch, then pulls until `has_more` is false.
    ///
    /// A failed push request sets the retry time of its ops to now + `retry_delay`, and a
    /// definitive refusal also counts one attempt against each (nothing for 401: the caller
    /// refreshes the token and calls again). A pull error leaves rows and cursor as they were.
    #[tracing::instrument(skip_all)]
    pub async fn round(
        &self,
        client: &SyncClient,
        session: &Session,
        retry_delay: Duration,
        ignore_backoff: bool,
    ) -> Result<RoundReport, SyncError> {
        let mut report = RoundReport::default();
        self.round_into(
            client,
            session,
            retry_delay,
            ignore_backoff,
            &mut report,
            &mut |_| {},
        )
        .await?;
        Ok(report)
    }

    /// [`LocalSync::round`] (the engine's round) telling `on_phase` when it pushes and when
    /// it pulls, and adding to `report`: a round tried again after a token refresh keeps what
    /// the first try did.
    pub async fn round_into(
        &self,
        client: &SyncClient,
        session: &Session,
        retry_delay: Duration,
        ignore_backoff: bool,
        report: &mut RoundReport,
        on_phase: &mut (dyn FnMut(SyncPhase) + Send),
    ) -> Result<(), SyncError> {
        on_phase(SyncPhase::Pushing);
        self.push_all(client, session, retry_delay, ignore_backoff, report)
            .await?;
        on_phase(SyncPhase::Pulling);
        self.pull_all(client, session, report).await
    }

    /// The push half of [`LocalSync::round`].
    pub async fn push_all(
        &self,
        client: &SyncClient,
        session: &Session,
        retry_delay: Duration,
        ignore_backoff: bool,
        report: &mut RoundReport,
    ) -> Result<(), SyncError> {
        while let Some(req) = self.push_request(PUSH_BATCH, ignore_backoff)? {
            match client.push(session, &req).await {
                Ok(resp) => {
                    let outcome = self.apply_push(&req, &resp)?;
                    report.pushed += outcome.acknowledged.len();
                    report.rejected += outcome.rejected.len();
                    if outcome.acknowledged.is_empty() && outcome.rejected.is_empty() {
                        // The server answered but settled nothing: try again later.
                        break;
                    }
                }
                Err(e @ SyncError::Unauthorized(_)) => return Err(e),
                Err(e) => {
                    let retry_at = chrono::Duration::from_std(retry_delay)
                        .ok()
                        .map(|d| crate::store::from_ms(self.core.now_ms()) + d);
                    let dead = self.push_failed(&req, &e, retry_at)?;
                    if !dead.is_empty() {
                        tracing::warn!(count = dead.len(), "ops dead-lettered after refusals");
                    }
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The pull half of [`LocalSync::round`]: every page, restarting once from scratch on
    /// `must_resync`. Adds the changed entries to `report.entries_updated` (deduplicated).
    pub async fn pull_all(
        &self,
        client: &SyncClient,
        session: &Session,
        report: &mut RoundReport,
    ) -> Result<(), SyncError> {
        let mut changed: BTreeSet<Uuid> = report.entries_updated.drain(..).collect();
        let mut resynced_now = false;
        loop {
            let req = self.pull_request(PULL_PAGE)?;
            let page = client.pull(session, &req).await?;
            let applied = self.apply_pull(&page)?;
            report.pages += 1;
            if applied.must_resync {
                if resynced_now {
                    return Err(SyncError::Malformed(
                        "server asked for a resync twice in one round".into(),
                    ));
                }
                tracing::info!("server asked for a full resync");
                resynced_now = true;
                report.resynced = true;
                continue;
            }
            changed.extend(applied.changed_entries);
            report.entries_updated = changed.iter().copied().collect();
            if !page.has_more {
                break;
            }
            if page.next_cursor == req.cursor {
                return Err(SyncError::Malformed(
                    "sync_pull said has_more but the cursor did not advance".into(),
                ));
            }
        }
        Ok(())
    }
}
