//! The sync session: the signed-in account, pause and resume, sign-in/up/out with the
//! account-switch rule, the backend settings, and the engine's lifetime. Its state is the
//! core's `SyncState` (so every `StatusChanged` carries it); tokens go only to the token
//! store (the OS keyring in the app, an in-memory store in tests).

mod clients;
mod devices;
mod tokens;
mod watch;

pub use tokens::{keyring_tokens, shared_tokens, TokenStoreFactory};

use crate::auth::{Session, SessionProvider, SignUpOutcome, TokenStore};
use crate::capture::uploader::AudioUploader;
use crate::sync::{SyncEngine, Trigger};
use crate::sync_account::AccountSwitch;
use crate::types::{Account, ApiError, AppStatus, ErrorCode, Settings, SyncPhase, SyncState};
use crate::{Core, CoreError};
use std::sync::{Arc, Mutex};

/// How a sign-in starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInKind {
    SignIn,
    SignUp,
}

/// Cheap to clone: every clone is the same session.
#[derive(Clone)]
pub struct SyncService {
    inner: Arc<Inner>,
}

struct Inner {
    core: Core,
    tokens_for: TokenStoreFactory,
    account: Mutex<Option<Account>>,
    /// The running engine's session, shared with the audio uploader.
    session: Mutex<Option<Arc<SessionProvider>>>,
    /// "Pause sync" until "Resume sync" or the next start of the app: a pause is for the
    /// moment (a metered connection, a demo), and a forgotten one must not stop sync for good.
    paused: Mutex<bool>,
    engine: tokio::sync::Mutex<Option<Running>>,
}

struct Running {
    engine: SyncEngine,
    watcher: tokio::task::JoinHandle<()>,
}

impl SyncService {
    /// Nothing runs until [`SyncService::start`].
    pub fn new(core: Core, tokens_for: TokenStoreFactory) -> Self {
        Self {
            inner: Arc::new(Inner {
                core,
                tokens_for,
                account: Mutex::new(None),
                session: Mutex::new(None),
                paused: Mutex::new(false),
                engine: tokio::sync::Mutex::new(None),
            }),
        }
    }

    fn core(&self) -> &Core {
        &self.inner.core
    }

    pub fn state(&self) -> SyncState {
        self.core().sync_state()
    }

    pub fn paused(&self) -> bool {
        *lock(&self.inner.paused)
    }

    /// The signed-in account; `None` once the session expired.
    pub fn account(&self) -> Option<Account> {
        if let SyncState::Active { status, .. } = &self.state() {
            if status.phase == SyncPhase::SignedOut {
                return None;
            }
        }
        lock(&self.inner.account).clone()
    }

    /// Where voice memos are uploaded: Storage of the signed-in account; `None` while signed
    /// out or paused (memos then wait on this computer).
    pub fn uploader(&self, settings: &Settings) -> Option<Arc<dyn AudioUploader>> {
        if self.paused() || self.account().is_none() || !settings.backend_configured() {
            return None;
        }
        let session = lock(&self.inner.session).clone()?;
        clients::uploader(settings, session).map(|u| Arc::new(u) as Arc<dyn AudioUploader>)
    }

    /// Start-up (and after the backend settings changed): runs the engine if a session for
    /// the configured backend is in the token store.
    pub async fn start(&self) -> Result<(), ApiError> {
        let mut running = self.inner.engine.lock().await;
        stop_engine(&mut running).await;
        let settings = self.core().settings()?;
        if !settings.backend_configured() {
            self.set(SyncState::LocalOnly, None);
            return Ok(());
        }
        let tokens = self.tokens(&settings);
        match tokens::load(tokens.clone()).await {
            Ok(Some(session)) if self.paused() => {
                let account = clients::account_of(&session);
                let email = account.email.clone();
                self.set(SyncState::Paused { email }, Some(account));
                Ok(())
            }
            Ok(Some(session)) => {
                *running = Some(self.spawn(&settings, tokens, &session)?);
                Ok(())
            }
            Ok(None) => {
                self.set(SyncState::SignedOut { reason: None }, None);
                Ok(())
            }
            Err(err) => {
                let reason = Some(err.message.clone());
                self.set(SyncState::SignedOut { reason }, None);
                Err(err)
            }
        }
    }

    /// Saves the backend URL, anon key and interval, then restarts sync with them. The
    /// backend cannot change while signed in (the session belongs to it).
    pub async fn set_backend(
        &self,
        backend_url: String,
        anon_key: String,
        sync_interval_minutes: u32,
    ) -> Result<Settings, ApiError> {
        let signed_in = self.account().is_some();
        let settings = self.core().update_settings(|s| {
            let url = backend_url.trim().trim_end_matches('/');
            if signed_in && (url != s.backend_url || anon_key.trim() != s.anon_key) {
                return Err(CoreError::InvalidInput(
                    "Sign out before changing the backend URL or anon key.".into(),
                ));
            }
            s.backend_url = backend_url;
            s.anon_key = anon_key;
            s.sync_interval_minutes = sync_interval_minutes;
            Ok(())
        })?;
        if let Err(err) = self.start().await {
            tracing::warn!(code = ?err.code, "sync not started after the settings changed");
        }
        Ok(settings)
    }

    /// Signs in (or up) and starts syncing. Another user than the journal's previous one
    /// replaces the local journal; refused while it holds unsynced changes unless
    /// `discard_pending`.
    pub async fn sign_in(
        &self,
        kind: SignInKind,
        email: &str,
        password: &str,
        discard_pending: bool,
    ) -> Result<Account, ApiError> {
        let mut running = self.inner.engine.lock().await;
        let settings = self.core().settings()?;
        if !settings.backend_configured() {
            return Err(ApiError::invalid(
                "Enter the backend URL and anon key (and save them) before signing in.",
            ));
        }
        let email = email.trim();
        if email.is_empty() || password.is_empty() {
            return Err(ApiError::invalid("Enter your email address and password."));
        }
        let auth = clients::auth(&settings)?;
        let session = match kind {
            SignInKind::SignIn => auth.sign_in(email, password).await?,
            SignInKind::SignUp => match auth.sign_up(email, password).await? {
                SignUpOutcome::SignedIn(session) => session,
                SignUpOutcome::ConfirmationRequired { email } => {
                    return Err(ApiError::invalid(format!(
                        "Account created. Confirm it with the link sent to {email}, then sign in."
                    )))
                }
            },
        };
        // No round may run while the journal changes hands.
        stop_engine(&mut running).await;
        let switch = self
            .core()
            .switch_journal_user(session.user_id, discard_pending)?;
        if let AccountSwitch::Refused { unsynced } = switch {
            if let Err(err) = auth.sign_out(&session.access_token).await {
                tracing::warn!(%err, "could not end the refused session");
            }
            drop(running);
            if let Err(err) = self.start().await {
                tracing::warn!(code = ?err.code, "previous session not resumed");
            }
            return Err(other_account_pending(unsynced, email));
        }
        let tokens = self.tokens(&settings);
        tokens::save(tokens.clone(), session.clone()).await?;
        // Signing in is asking to sync: it ends a pause.
        *lock(&self.inner.paused) = false;
        let account = clients::account_of(&session);
        *running = Some(self.spawn(&settings, tokens, &session)?);
        tracing::info!(user = %session.user_id, "signed in");
        Ok(account)
    }

    /// Stops syncing, revokes the session (best effort) and forgets the tokens. The journal
    /// stays on this computer.
    pub async fn sign_out(&self) -> Result<(), ApiError> {
        let mut running = self.inner.engine.lock().await;
        stop_engine(&mut running).await;
        let settings = self.core().settings()?;
        let configured = settings.backend_configured();
        if configured {
            let tokens = self.tokens(&settings);
            if let Ok(Some(session)) = tokens::load(tokens.clone()).await {
                revoke(&settings, &session).await;
            }
            tokens::clear(tokens).await?;
        }
        let state = if configured {
            SyncState::SignedOut { reason: None }
        } else {
            SyncState::LocalOnly
        };
        self.set(state, None);
        tracing::info!("signed out");
        Ok(())
    }

    /// Pauses or resumes sync. Pausing stops a round in progress at once (nothing is lost:
    /// see `SyncEngine::abort`); resuming starts the engine, whose first round runs at once.
    pub async fn set_paused(&self, paused: bool) -> Result<(), ApiError> {
        if self.account().is_none() {
            return Err(sign_in_first());
        }
        *lock(&self.inner.paused) = paused;
        tracing::info!(paused, "sync pause changed");
        self.start().await
    }

    /// Passes a trigger to the running engine; false when nobody is signed in.
    pub async fn trigger(&self, trigger: Trigger) -> bool {
        match self.inner.engine.lock().await.as_ref() {
            Some(running) => {
                running.engine.trigger(trigger);
                true
            }
            None => false,
        }
    }

    /// Refresh / "Sync now": a round at once when signed in, and the status told again to
    /// every window and the tray.
    pub async fn sync_now(&self) -> Result<AppStatus, ApiError> {
        self.trigger(Trigger::Manual).await;
        self.core().publish_status();
        Ok(self.core().status()?)
    }

    /// Forgets the pull cursor and pulls everything again (nothing local is deleted).
    pub async fn full_resync(&self) -> Result<(), ApiError> {
        if self.trigger(Trigger::FullResync).await {
            Ok(())
        } else {
            Err(sign_in_first())
        }
    }

    /// Queues a dead letter again; the engine tries it at once.
    pub async fn retry_dead(&self, op_seq: i64) -> Result<(), ApiError> {
        if self.core().sync().retry_dead(op_seq)?.is_none() {
            return Err(no_failed_change(op_seq));
        }
        self.outbox_changed().await;
        Ok(())
    }

    /// "Retry all": how many were requeued (none to retry is not an error).
    pub async fn retry_all_dead(&self) -> Result<u64, ApiError> {
        let requeued = self.core().sync().retry_all_dead()?;
        if requeued > 0 {
            self.outbox_changed().await;
        }
        Ok(requeued)
    }

    /// Drops a dead letter for good; the next round (started at once) pulls everything
    /// again, so the row returns to the server's version.
    pub async fn discard_dead(&self, op_seq: i64) -> Result<(), ApiError> {
        if !self.core().sync().discard_dead(op_seq)? {
            return Err(no_failed_change(op_seq));
        }
        self.outbox_changed().await;
        Ok(())
    }

    async fn outbox_changed(&self) {
        self.core().republish_status();
        self.trigger(Trigger::Manual).await;
    }

    fn tokens(&self, settings: &Settings) -> Arc<dyn TokenStore> {
        (self.inner.tokens_for)(clients::backend_url(settings))
    }

    fn set(&self, state: SyncState, account: Option<Account>) {
        if account.is_none() {
            lock(&self.inner.session).take();
        }
        *lock(&self.inner.account) = account;
        self.core().set_sync_state(state);
    }

    fn spawn(
        &self,
        settings: &Settings,
        tokens: Arc<dyn TokenStore>,
        session: &Session,
    ) -> Result<Running, ApiError> {
        let session_provider = clients::session(settings, tokens)?;
        let engine = SyncEngine::spawn_with(
            self.core().clone(),
            clients::sync(settings)?,
            session_provider.clone(),
            clients::engine_config(settings, self.core().sync().client_id()?),
        );
        *lock(&self.inner.session) = Some(session_provider);
        let account = clients::account_of(session);
        let email = account.email.clone();
        // Active from the moment sign-in (or resume) returns, before the watcher first runs.
        let status = engine.status().borrow().clone();
        self.set(
            SyncState::Active {
                email: email.clone(),
                status,
            },
            Some(account),
        );
        let watcher = watch::follow(self.core().clone(), email, engine.status());
        Ok(Running { engine, watcher })
    }
}

/// Stops the engine at once, even mid-round: sign-out, sign-in, pause and new backend
/// settings should not wait for a slow backend.
async fn stop_engine(running: &mut Option<Running>) {
    if let Some(Running { engine, watcher }) = running.take() {
        watcher.abort();
        engine.abort().await;
    }
}

/// Ends the session at the backend; signing out here goes on whatever it answers.
async fn revoke(settings: &Settings, session: &Session) {
    match clients::auth(settings) {
        Ok(auth) => {
            if let Err(err) = auth.sign_out(&session.access_token).await {
                tracing::warn!(%err, "the backend did not confirm the sign-out");
            }
        }
        Err(err) => tracing::warn!(code = ?err.code, "no auth client for the sign-out"),
    }
}

fn other_account_pending(unsynced: u64, email: &str) -> ApiError {
    ApiError::new(
        ErrorCode::PendingChangesOfOtherUser,
        format!(
            "This journal holds {unsynced} unsynced change{} of another account. Sign in to \
             that account and sync first, or sign in again and choose to discard them (the \
             other account's journal on this computer is then replaced by {email}'s).",
            if unsynced == 1 { "" } else { "s" }
        ),
    )
}

fn sign_in_first() -> ApiError {
    ApiError::invalid("Sign in to sync first.")
}

fn no_failed_change(op_seq: i64) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("There is no failed change #{op_seq} (already retried or discarded?)."),
    )
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
