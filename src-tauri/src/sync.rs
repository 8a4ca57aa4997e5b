//! Sync in the app: the signed-in account, the core's `SyncEngine` while someone is signed
//! in, and the `SyncState` the status bar and the tray show. Tokens go only to the token
//! store (the OS keyring in the app; an in-memory store in tests).

use jotline_core::auth::{
    AuthClient, AuthError, BackendConfig, KeyringTokenStore, Session, SignUpOutcome, TokenStore,
};
use jotline_core::capture::uploader::{AudioUploader, StorageUploader};
use jotline_core::sync::storage::StorageClient;
use jotline_core::sync::{EngineConfig, SyncClient, SyncEngine, Trigger};
use jotline_core::sync_account::AccountSwitch;
use jotline_core::types::{
    Account, ApiError, ErrorCode, Settings, SyncPhase, SyncState, SyncStatus,
};
use jotline_core::Core;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

/// The token store of one backend URL.
pub type TokenStoreFactory = Arc<dyn Fn(&str) -> Arc<dyn TokenStore> + Send + Sync>;

/// What the shell forwards to the windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncNotice {
    /// The sync state changed: re-publish the status.
    StateChanged,
    /// A round pulled changes to this many entries.
    CloudUpdated(u32),
}

/// How a sign-in starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInKind {
    SignIn,
    SignUp,
}

pub struct SyncManager {
    tokens_for: TokenStoreFactory,
    shared: Arc<Shared>,
    engine: tokio::sync::Mutex<Option<Running>>,
}

struct Shared {
    state: Mutex<SyncState>,
    account: Mutex<Option<Account>>,
    /// "Pause sync" until "Resume sync" or the next start of the app: a pause is for the
    /// moment (a metered connection, a demo), and a forgotten one must not stop sync for good.
    paused: Mutex<bool>,
    notices: broadcast::Sender<SyncNotice>,
}

struct Running {
    engine: SyncEngine,
    watcher: tokio::task::JoinHandle<()>,
}

impl SyncManager {
    /// Sessions in the OS keyring, one entry per backend URL.
    pub fn with_keyring() -> Self {
        Self::new(Arc::new(|url: &str| {
            Arc::new(KeyringTokenStore::new(url)) as Arc<dyn TokenStore>
        }))
    }

    /// One store for every backend (tests).
    pub fn with_token_store(store: Arc<dyn TokenStore>) -> Self {
        Self::new(Arc::new(move |_: &str| store.clone()))
    }

    fn new(tokens_for: TokenStoreFactory) -> Self {
        let (notices, _) = broadcast::channel(64);
        Self {
            tokens_for,
            shared: Arc::new(Shared {
                state: Mutex::new(SyncState::LocalOnly),
                account: Mutex::new(None),
                paused: Mutex::new(false),
                notices,
            }),
            engine: tokio::sync::Mutex::new(None),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<SyncNotice> {
        self.shared.notices.subscribe()
    }

    pub fn state(&self) -> SyncState {
        lock(&self.shared.state).clone()
    }

    pub fn paused(&self) -> bool {
        *lock(&self.shared.paused)
    }

    /// Pauses or resumes sync. Pausing stops a round in progress at once (nothing is lost:
    /// see `SyncEngine::abort`); resuming starts the engine, whose first round runs at once.
    pub async fn set_paused(&self, core: &Core, paused: bool) -> Result<(), ApiError> {
        *lock(&self.shared.paused) = paused;
        tracing::info!(paused, "sync pause changed");
        self.start(core).await
    }

    /// Where voice memos are uploaded: Storage of the signed-in account; `None` while signed
    /// out or paused (memos then wait on this computer).
    pub fn uploader(&self, settings: &Settings) -> Option<Arc<dyn AudioUploader>> {
        if self.paused() || self.account().is_none() || !settings.backend_configured() {
            return None;
        }
        let config = backend(settings);
        let storage = StorageClient::new(config.clone()).ok()?;
        let auth = AuthClient::new(config).ok()?;
        Some(Arc::new(StorageUploader {
            storage,
            auth,
            tokens: (self.tokens_for)(backend_url(settings)),
        }))
    }

    /// The signed-in account; `None` once the session expired.
    pub fn account(&self) -> Option<Account> {
        if let SyncState::Active { status, .. } = &self.state() {
            if status.phase == SyncPhase::SignedOut {
                return None;
            }
        }
        lock(&self.shared.account).clone()
    }

    /// Start-up (and after the backend settings changed): runs the engine if a session for
    /// the configured backend is in the token store.
    pub async fn start(&self, core: &Core) -> Result<(), ApiError> {
        let mut running = self.engine.lock().await;
        stop_engine(&mut running).await;
        let settings = core.settings()?;
        if !settings.backend_configured() {
            self.shared.set(SyncState::LocalOnly, None);
            return Ok(());
        }
        let tokens = (self.tokens_for)(backend_url(&settings));
        match load(tokens.clone()).await {
            Ok(Some(session)) if self.paused() => {
                let account = account_of(&session);
                self.shared.set(
                    SyncState::Paused {
                        email: account.email.clone(),
                    },
                    Some(account),
                );
                Ok(())
            }
            Ok(Some(session)) => {
                *running = Some(self.spawn(core, &settings, tokens, &session)?);
                Ok(())
            }
            Ok(None) => {
                self.shared.set(SyncState::SignedOut { reason: None }, None);
                Ok(())
            }
            Err(err) => {
                self.shared.set(
                    SyncState::SignedOut {
                        reason: Some(err.message.clone()),
                    },
                    None,
                );
                Err(err)
            }
        }
    }

    /// Signs in (or up) and starts syncing. Another user than the journal's previous one
    /// replaces the local journal; refused while it holds unsynced changes unless
    /// `discard_pending`.
    pub async fn sign_in(
        &self,
        core: &Core,
        kind: SignInKind,
        email: &str,
        password: &str,
        discard_pending: bool,
    ) -> Result<Account, ApiError> {
        let mut running = self.engine.lock().await;
        let settings = core.settings()?;
        if !settings.backend_configured() {
            return Err(api(
                ErrorCode::InvalidInput,
                "Enter the backend URL and anon key (and save them) before signing in.",
            ));
        }
        let email = email.trim();
        if email.is_empty() || password.is_empty() {
            return Err(api(
                ErrorCode::InvalidInput,
                "Enter your email address and password.",
            ));
        }
        let auth = AuthClient::new(backend(&settings)).map_err(auth_error)?;
        let session = match kind {
            SignInKind::SignIn => auth.sign_in(email, password).await,
            SignInKind::SignUp => match auth.sign_up(email, password).await {
                Ok(SignUpOutcome::SignedIn(session)) => Ok(session),
                Ok(SignUpOutcome::ConfirmationRequired { email }) => {
                    return Err(confirmation_required(&email))
                }
                Err(err) => Err(err),
            },
        }
        .map_err(auth_error)?;
        // No round may run while the journal changes hands.
        stop_engine(&mut running).await;
        match core.switch_journal_user(session.user_id, discard_pending)? {
            AccountSwitch::Keep | AccountSwitch::Replaced => {}
            AccountSwitch::Refused { unsynced } => {
                if let Err(err) = auth.sign_out(&session.access_token).await {
                    tracing::warn!(%err, "could not end the refused session");
                }
                drop(running);
                if let Err(err) = self.start(core).await {
                    tracing::warn!(code = ?err.code, "previous session not resumed");
                }
                return Err(api(
                    ErrorCode::PendingChangesOfOtherUser,
                    format!(
                        "This journal holds {unsynced} unsynced change{} of another account. \
                         Sign in to that account and sync first, or sign in again and choose \
                         to discard them (the other account's journal on this computer is \
                         then replaced by {email}'s).",
                        if unsynced == 1 { "" } else { "s" }
                    ),
                ));
            }
        }
        let tokens = (self.tokens_for)(backend_url(&settings));
        save(tokens.clone(), session.clone()).await?;
        // Signing in is asking to sync: it ends a pause.
        *lock(&self.shared.paused) = false;
        let account = account_of(&session);
        *running = Some(self.spawn(core, &settings, tokens, &session)?);
        tracing::info!(user = %session.user_id, "signed in");
        Ok(account)
    }

    /// Stops syncing, revokes the session (best effort) and forgets the tokens. The journal
    /// stays on this computer.
    pub async fn sign_out(&self, core: &Core) -> Result<(), ApiError> {
        let mut running = self.engine.lock().await;
        stop_engine(&mut running).await;
        let settings = core.settings()?;
        let configured = settings.backend_configured();
        if configured {
            let tokens = (self.tokens_for)(backend_url(&settings));
            if let Ok(Some(session)) = load(tokens.clone()).await {
                match AuthClient::new(backend(&settings)) {
                    Ok(auth) => {
                        if let Err(err) = auth.sign_out(&session.access_token).await {
                            tracing::warn!(%err, "the backend did not confirm the sign-out");
                        }
                    }
                    Err(err) => tracing::warn!(%err, "no auth client for the sign-out"),
                }
            }
            clear(tokens).await?;
        }
        let state = if configured {
            SyncState::SignedOut { reason: None }
        } else {
            SyncState::LocalOnly
        };
        self.shared.set(state, None);
        tracing::info!("signed out");
        Ok(())
    }

    /// Passes a trigger to the running engine; false when nobody is signed in.
    pub async fn trigger(&self, trigger: Trigger) -> bool {
        match self.engine.lock().await.as_ref() {
            Some(running) => {
                running.engine.trigger(trigger);
                true
            }
            None => false,
        }
    }

    fn spawn(
        &self,
        core: &Core,
        settings: &Settings,
        tokens: Arc<dyn TokenStore>,
        session: &Session,
    ) -> Result<Running, ApiError> {
        let config = backend(settings);
        let sync =
            SyncClient::new(config.clone()).map_err(|e| api(ErrorCode::Internal, e.to_string()))?;
        let auth = AuthClient::new(config).map_err(auth_error)?;
        let engine = SyncEngine::spawn(
            core.clone(),
            sync,
            auth,
            tokens,
            EngineConfig {
                interval: Duration::from_secs(u64::from(settings.sync_interval_minutes) * 60),
                ..EngineConfig::default()
            },
        );
        let account = account_of(session);
        let email = account.email.clone();
        *lock(&self.shared.account) = Some(account.clone());
        let mut status = engine.status();
        let shared = self.shared.clone();
        let watcher = tokio::spawn(async move {
            loop {
                let current = status.borrow_and_update().clone();
                shared.engine_status(&email, current);
                if status.changed().await.is_err() {
                    break;
                }
            }
        });
        Ok(Running { engine, watcher })
    }
}

impl Shared {
    fn set(&self, state: SyncState, account: Option<Account>) {
        *lock(&self.account) = account;
        *lock(&self.state) = state;
        let _ = self.notices.send(SyncNotice::StateChanged);
    }

    fn engine_status(&self, email: &str, status: SyncStatus) {
        let updated = {
            let mut state = lock(&self.state);
            let before = match &*state {
                SyncState::Active { status, .. } => status.last_synced_at,
                _ => None,
            };
            let finished_round = status.last_synced_at.is_some() && status.last_synced_at != before;
            let updated =
                (finished_round && status.entries_updated > 0).then_some(status.entries_updated);
            *state = SyncState::Active {
                email: email.to_owned(),
                status,
            };
            updated
        };
        let _ = self.notices.send(SyncNotice::StateChanged);
        if let Some(n) = updated {
            let _ = self.notices.send(SyncNotice::CloudUpdated(n));
        }
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

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn backend_url(settings: &Settings) -> &str {
    settings.backend_url.trim().trim_end_matches('/')
}

fn backend(settings: &Settings) -> BackendConfig {
    BackendConfig::new(backend_url(settings), settings.anon_key.trim())
}

fn account_of(session: &Session) -> Account {
    Account {
        email: session.email.clone().unwrap_or_default(),
        user_id: session.user_id,
    }
}

pub fn api(code: ErrorCode, message: impl Into<String>) -> ApiError {
    ApiError {
        code,
        message: message.into(),
    }
}

/// Auth failures as the settings view shows them (never with a token or password).
pub fn auth_error(err: AuthError) -> ApiError {
    match err {
        AuthError::InvalidCredentials(msg) => api(
            ErrorCode::InvalidCredentials,
            format!("Wrong email or password ({msg})."),
        ),
        AuthError::Network(msg) => api(
            ErrorCode::Network,
            format!("Could not reach the backend: {msg}. Check the URL and your connection."),
        ),
        AuthError::Server { status, message } => api(
            ErrorCode::Backend,
            format!("The backend refused ({status}): {message}"),
        ),
        AuthError::Malformed(msg) => api(
            ErrorCode::Backend,
            format!("The backend's answer was not understood ({msg}). Is the URL right?"),
        ),
    }
}

fn confirmation_required(email: &str) -> ApiError {
    api(
        ErrorCode::InvalidInput,
        format!("Account created. Confirm it with the link sent to {email}, then sign in."),
    )
}

fn keyring_error(err: impl std::fmt::Display) -> ApiError {
    api(
        ErrorCode::Keyring,
        format!(
            "The system keyring is not available ({err}); Jotline keeps sign-in tokens only there."
        ),
    )
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, jotline_core::auth::TokenStoreError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| api(ErrorCode::Internal, e.to_string()))?
        .map_err(keyring_error)
}

async fn load(tokens: Arc<dyn TokenStore>) -> Result<Option<Session>, ApiError> {
    blocking(move || tokens.load()).await
}

async fn save(tokens: Arc<dyn TokenStore>, session: Session) -> Result<(), ApiError> {
    blocking(move || tokens.save(&session)).await
}

async fn clear(tokens: Arc<dyn TokenStore>) -> Result<(), ApiError> {
    blocking(move || tokens.clear()).await
}
