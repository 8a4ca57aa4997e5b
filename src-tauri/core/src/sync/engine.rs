//! The background sync engine: one tokio task, driven by triggers, pushing before pulling,
//! retrying with backoff, refreshing the access token once on 401.

use super::backoff::Backoff;
use super::error::SyncError;
use super::http::SyncClient;
use super::realtime::{self, RealtimeConfig};
use super::round::RoundReport;
use crate::auth::{AuthClient, AuthError, Session, SessionError, SessionProvider, TokenStore};
use crate::types::{CoreEvent, LiveUpdates, SyncPhase, SyncStatus};
use crate::Core;
use chrono::Utc;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, Instant};

/// Why the engine should sync (or stop).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// A local write: a round starts at most `debounce` later, so a burst of edits is one
    /// round. The engine also notices the core's own writes (its status events).
    LocalWrite,
    /// The network came back.
    Reconnect,
    /// "Sync now": runs at once, even while backing off.
    Manual,
    /// Forget the cursor and pull everything again (nothing local is deleted).
    FullResync,
    /// The session in the token store changed (signed in or out).
    SessionChanged,
    /// Another device changed the journal (a Realtime poke): pull now.
    Poke,
    /// The Realtime connection changed state; joining (again) runs a pull.
    Live(LiveUpdates),
    /// The journal window gained focus: pull if the last round is older than
    /// [`EngineConfig::focus_staleness`].
    Focus,
    /// Another device pulled (a receipt): list the devices again.
    DevicesChanged,
}

#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// Periodic round while idle.
    pub interval: Duration,
    /// Delay after a local write before the round starts: short, so a capture reaches the
    /// other devices at once, but a burst of writes is still one push.
    pub debounce: Duration,
    /// A focus pulls only when the last round ended longer ago than this.
    pub focus_staleness: Duration,
    /// Live updates from Supabase Realtime; `None`: polling only.
    pub realtime: Option<RealtimeConfig>,
    /// The name this installation registers under for delivery receipts; `None`: no
    /// receipts (it neither registers nor lists the devices; the server still records its
    /// pulls).
    pub device_name: Option<String>,
    /// Seed of the backoff jitter.
    pub seed: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(5 * 60),
            debounce: Duration::from_millis(250),
            focus_staleness: Duration::from_secs(30),
            realtime: None,
            device_name: None,
            seed: super::backoff::time_seed(),
        }
    }
}

/// Handle of the running engine; dropping every handle stops it.
pub struct SyncEngine {
    triggers: mpsc::UnboundedSender<Trigger>,
    status: watch::Receiver<SyncStatus>,
    task: JoinHandle<()>,
}

impl SyncEngine {
    /// Starts the task (call inside a tokio runtime); it runs a round at once (start-up).
    pub fn spawn(
        core: Core,
        sync: SyncClient,
        auth: AuthClient,
        tokens: Arc<dyn TokenStore>,
        config: EngineConfig,
    ) -> SyncEngine {
        let session = Arc::new(SessionProvider::new(auth, tokens));
        Self::spawn_with(core, sync, session, config)
    }

    /// [`SyncEngine::spawn`] sharing `session` with the other clients of the signed-in user
    /// (the audio uploader), so their refreshes never spend one refresh token twice.
    pub fn spawn_with(
        core: Core,
        sync: SyncClient,
        session: Arc<SessionProvider>,
        config: EngineConfig,
    ) -> SyncEngine {
        let (tx, rx) = mpsc::unbounded_channel();
        let (live_tx, live_rx) = mpsc::unbounded_channel();
        let (status_tx, status) = watch::channel(SyncStatus {
            phase: SyncPhase::Idle,
            last_synced_at: None,
            last_error: None,
            retry_at: None,
            entries_updated: 0,
            live_updates: match config.realtime {
                Some(_) => LiveUpdates::Connecting,
                None => LiveUpdates::Off,
            },
        });
        // Its own channel: the engine stops when the last handle's sender is dropped.
        let live = config
            .realtime
            .clone()
            .map(|c| AbortOnDrop(realtime::spawn(c, session.clone(), live_tx)));
        let worker = Worker {
            _live: live,
            devices: DevicesState::default(),
            backoff: Backoff::new(config.seed),
            config,
            core,
            sync,
            session,
            status: status_tx,
        };
        let task = tokio::spawn(worker.run(rx, live_rx));
        SyncEngine {
            triggers: tx,
            status,
            task,
        }
    }

    pub fn trigger(&self, t: Trigger) {
        let _ = self.triggers.send(t);
    }

    /// Current status, and `changed()` to wait for the next one.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Stops the task after the round in progress (if any) has finished.
    pub async fn shutdown(self) {
        drop(self.triggers);
        let _ = self.task.await;
    }

    /// Stops the task now, mid-round if need be (sign-out, pause): the user should not wait
    /// for a slow backend. Safe because the task only stops at an await: every local change
    /// is one SQLite transaction that has committed or not started, and a push whose answer
    /// is lost is re-sent under the same op_seq, which the server applies once.
    pub async fn abort(self) {
        self.task.abort();
        let _ = self.task.await;
    }
}

struct Worker {
    /// The Realtime task, stopped with the engine.
    _live: Option<AbortOnDrop>,
    devices: DevicesState,
    config: EngineConfig,
    backoff: Backoff,
    core: Core,
    sync: SyncClient,
    session: Arc<SessionProvider>,
    status: watch::Sender<SyncStatus>,
}

/// How a round ended, for scheduling.
enum Next {
    Interval,
    Retry,
    Wait,
}

impl Worker {
    async fn run(
        mut self,
        mut rx: mpsc::UnboundedReceiver<Trigger>,
        mut live: mpsc::UnboundedReceiver<Trigger>,
    ) {
        let mut due = Some(Instant::now());
        let mut ignore_backoff = true;
        let mut events = self.core.subscribe();
        loop {
            let wake = due.unwrap_or_else(|| Instant::now() + Duration::from_secs(24 * 3600));
            tokio::select! {
                ev = events.recv() => {
                    // A committed local write shows as pending ops in the status it publishes.
                    let local_write = match ev {
                        Ok(CoreEvent::StatusChanged { status }) => status.pending_ops > 0,
                        Ok(_) => false,
                        Err(broadcast::error::RecvError::Lagged(_)) => true,
                        Err(broadcast::error::RecvError::Closed) => false,
                    };
                    if local_write {
                        due = self.after_local_write(due);
                    }
                }
                t = rx.recv() => match t {
                    None => break,
                    Some(Trigger::LocalWrite) => due = self.after_local_write(due),
                    Some(Trigger::FullResync) => {
                        if let Err(e) = self.core.sync().reset_cursor() {
                            tracing::warn!(error = %e, "reset cursor");
                        }
                        due = Some(Instant::now());
                        ignore_backoff = true;
                    }
                    Some(Trigger::Manual | Trigger::Reconnect | Trigger::SessionChanged) => {
                        due = Some(Instant::now());
                        ignore_backoff = true;
                    }
                    Some(t) => due = self.remote(t, due),
                },
                Some(t) = live.recv() => due = self.remote(t, due),
                _ = sleep_until(wake), if due.is_some() => {
                    let next = self.round(ignore_backoff).await;
                    ignore_backoff = false;
                    due = match next {
                        Next::Interval => Some(Instant::now() + self.config.interval),
                        Next::Retry => {
                            let delay = self.backoff.next_delay();
                            self.set(|s| {
                                s.retry_at = chrono::Duration::from_std(delay)
                                    .ok()
                                    .map(|d| Utc::now() + d)
                            });
                            Some(Instant::now() + delay)
                        }
                        Next::Wait => None,
                    };
                }
            }
        }
    }

    /// A round within `debounce`, unless a retry timer (backoff, offline...) is in charge or
    /// nobody is signed in.
    fn after_local_write(&self, due: Option<Instant>) -> Option<Instant> {
        let phase = self.status.borrow().phase;
        if !matches!(
            phase,
            SyncPhase::Idle | SyncPhase::Pushing | SyncPhase::Pulling
        ) {
            return due;
        }
        let at = Instant::now() + self.config.debounce;
        Some(due.map_or(at, |d| d.min(at)))
    }

    /// Pokes, the Realtime state and focus: reasons to pull. A pull waiting for its turn
    /// (due now) takes them all, so a burst of pokes is one round.
    fn remote(&mut self, t: Trigger, due: Option<Instant>) -> Option<Instant> {
        let now = Instant::now();
        match t {
            Trigger::Live(state) => {
                self.set(|s| s.live_updates = state);
                if state != LiveUpdates::On {
                    return due;
                }
            }
            Trigger::DevicesChanged => {
                self.devices.stale = true;
            }
            Trigger::Focus => {
                let last = self.status.borrow().last_synced_at;
                let stale = chrono::Duration::from_std(self.config.focus_staleness)
                    .ok()
                    .zip(last)
                    .is_none_or(|(limit, at)| Utc::now() - at > limit);
                if !stale {
                    return due;
                }
            }
            _ => {}
        }
        if self.status.borrow().phase == SyncPhase::SignedOut {
            return due;
        }
        Some(now)
    }

    fn set(&self, f: impl FnOnce(&mut SyncStatus)) {
        self.status.send_modify(f);
    }

    fn phase(&self, phase: SyncPhase) {
        self.set(|s| s.phase = phase);
    }

    #[tracing::instrument(skip_all)]
    async fn round(&mut self, ignore_backoff: bool) -> Next {
        let mut session = match self.session.session().await {
            Ok(s) => s,
            Err(e) => return self.no_session(e),
        };
        let mut refreshed = false;
        match self.core.sync().claim_user(session.user_id) {
            Ok(()) => {}
            Err(e @ SyncError::OtherAccount) => {
                // Retrying cannot help; a new sign-in (SessionChanged) wakes the engine.
                self.failed(SyncPhase::Error, e.to_string());
                return Next::Wait;
            }
            Err(e) => return self.failed(SyncPhase::Error, e.to_string()),
        }
        let mut report = RoundReport::default();
        loop {
            // The delay the next failure will wait: a failed push stamps it on its ops
            // (a clone, so the engine's own next_delay() below returns the same value).
            let delay = self.backoff.clone().next_delay();
            let result = self
                .core
                .sync()
                .round_into(
                    &self.sync,
                    &session,
                    delay,
                    ignore_backoff,
                    &mut report,
                    &mut |phase| self.phase(phase),
                )
                .await;
            match result {
                Ok(()) => {
                    self.after_round(&session, &report).await;
                    self.backoff.reset();
                    self.set(|s| {
                        s.phase = SyncPhase::Idle;
                        s.last_synced_at = Some(Utc::now());
                        s.last_error = None;
                        s.retry_at = None;
                        s.entries_updated =
                            u32::try_from(report.entries_updated.len()).unwrap_or(u32::MAX);
                    });
                    return Next::Interval;
                }
                Err(SyncError::Unauthorized(_)) if !refreshed => {
                    refreshed = true;
                    match self.session.after_rejection(&session).await {
                        Ok(s) => session = s,
                        Err(e) => return self.no_session(e),
                    }
                }
                Err(SyncError::Unauthorized(_)) => return self.signed_out(),
                Err(e @ SyncError::Network(_)) => {
                    return self.failed(SyncPhase::Offline, e.to_string())
                }
                Err(e @ SyncError::Timeout) => {
                    return self.failed(SyncPhase::Limited, e.to_string())
                }
                Err(e) if e.is_transient() => {
                    return self.failed(SyncPhase::Backoff, e.to_string())
                }
                Err(e) => return self.failed(SyncPhase::Error, e.to_string()),
            }
        }
    }

    /// Delivery receipts after a successful round: the device names itself once per engine,
    /// and the devices are listed again when the round moved something or a receipt came.
    /// Failures only log: receipts must never fail sync.
    async fn after_round(&mut self, session: &Session, report: &RoundReport) {
        let Some(name) = &self.config.device_name else {
            return;
        };
        if self.devices.unsupported {
            return;
        }
        if !self.devices.registered {
            if let Ok(id) = self.core.sync().client_id() {
                match self.sync.register_device(session, &id, name).await {
                    Ok(()) => self.devices.registered = true,
                    Err(e) => return self.devices_failed(e),
                }
            }
        }
        let moved = report.pushed > 0 || !report.entries_updated.is_empty();
        if !(moved || self.devices.stale || !self.devices.listed) {
            return;
        }
        match self.sync.list_devices(session).await {
            Ok(list) => {
                if let Err(e) = self.core.sync().store_devices(&list) {
                    tracing::warn!(error = %e, "devices not stored");
                    return;
                }
                self.devices.stale = false;
                self.devices.listed = true;
                self.core.publish(CoreEvent::ReceiptsChanged);
                self.core.republish_status();
            }
            Err(e) => self.devices_failed(e),
        }
    }

    fn devices_failed(&mut self, e: SyncError) {
        // A server without migration 0011 has no device rpcs (PostgREST's 404): stop asking.
        if matches!(e, SyncError::Rejected { status: 404, .. }) {
            self.devices.unsupported = true;
        }
        tracing::warn!(error = %e, "delivery receipts not updated");
    }

    fn failed(&self, phase: SyncPhase, error: String) -> Next {
        tracing::warn!(?phase, %error, "sync round failed");
        self.set(|s| {
            s.phase = phase;
            s.last_error = Some(error);
        });
        Next::Retry
    }

    fn auth_failed(&self, e: AuthError) -> Next {
        let phase = match e {
            AuthError::Network(_) => SyncPhase::Offline,
            _ => SyncPhase::Error,
        };
        self.failed(phase, e.to_string())
    }

    fn no_session(&self, e: SessionError) -> Next {
        match e {
            SessionError::SignedOut => {
                self.phase(SyncPhase::SignedOut);
                Next::Wait
            }
            SessionError::Expired => self.signed_out(),
            SessionError::Keyring(e) => self.failed(SyncPhase::Error, format!("keyring: {e}")),
            SessionError::Auth(e) => self.auth_failed(e),
        }
    }

    fn signed_out(&self) -> Next {
        self.set(|s| {
            s.phase = SyncPhase::SignedOut;
            s.last_error = Some("the session expired: sign in again".into());
            s.retry_at = None;
        });
        Next::Wait
    }
}

/// Aborts its task when dropped.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What the engine knows about the device list.
#[derive(Default)]
struct DevicesState {
    registered: bool,
    listed: bool,
    /// A receipt arrived: list again after the next round.
    stale: bool,
    /// The server has no device rpcs.
    unsupported: bool,
}
