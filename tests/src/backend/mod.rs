//! A local stand-in for the Supabase services Jotline talks to (GoTrue auth, PostgREST rpc,
//! Storage objects, Realtime's private channels and broadcasts from the database, plus a
//! stand-in for an OpenAI-compatible transcription service), for tests and development only;
//! never shipped in the app.
//!
//! It applies the real `migrations/server` to a throwaway Postgres ([`crate::pg::TempPostgres`]),
//! signs and verifies HS256 JWTs like GoTrue/PostgREST, and serves on `127.0.0.1` from its own
//! thread and Tokio runtime, so a [`LocalBackend`] works from any test runtime and its `Drop`
//! can shut the server down and wait for it before the database goes away.
//!
//! [`proxy::FaultProxy`] sits in front of it (or anything HTTP) to inject network faults.

mod auth;
mod caller;
mod db;
pub mod errors;
mod faults;
pub mod jwt;
mod password;
pub mod proxy;
mod realtime;
mod rest;
mod role;
mod storage;
mod tables;
mod transcribe;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;

pub use errors::AuthErrorStyle;
pub use jwt::JwtKeys;
pub use proxy::{Fault, FaultProxy};
pub use transcribe::transcript_of;

use crate::pg::TempPostgres;
use faults::Faults;

/// How a [`LocalBackend`] behaves; `Default` is what a Supabase project does out of the box.
#[derive(Debug, Clone)]
pub struct BackendOptions {
    /// Lifetime of issued access tokens (GoTrue's `JWT_EXP`, default 3600 s). Tests of expiry
    /// and refresh use a second or two.
    pub access_token_ttl: Duration,
    /// Which GoTrue error shape `/auth/v1` answers with.
    pub auth_error_style: AuthErrorStyle,
    /// Port to listen on (127.0.0.1); 0 picks a free one.
    pub port: u16,
    /// A Supabase publishable key (`sb_publishable_…`, not a JWT) handed out instead of the
    /// legacy anon JWT; both are accepted as the anon role, as Supabase's gateway does.
    pub publishable_key: Option<String>,
    /// Apply `migrations/server` with Supabase's CLI (`supabase db push`) instead of running
    /// the files directly.
    pub migrations_by_supabase_cli: bool,
    /// How long Realtime holds back a refused channel join (its `CHANNEL_ERROR_BACKOFF_MS`,
    /// 5 s); the socket answers nothing else meanwhile, as on Supabase.
    pub realtime_join_error_delay: Duration,
    /// A Realtime socket that sends no frame for this long is closed (Phoenix's WebSocket
    /// timeout, 60 s; clients heartbeat every 25-30 s).
    pub realtime_idle_timeout: Duration,
}

impl Default for BackendOptions {
    fn default() -> Self {
        BackendOptions {
            access_token_ttl: Duration::from_secs(3600),
            auth_error_style: AuthErrorStyle::Legacy,
            port: 0,
            publishable_key: None,
            migrations_by_supabase_cli: false,
            realtime_join_error_delay: Duration::from_secs(5),
            realtime_idle_timeout: Duration::from_secs(60),
        }
    }
}

/// What every handler shares.
pub(crate) struct AppState {
    pub keys: JwtKeys,
    pub options: BackendOptions,
    /// Superuser connections: GoTrue's own tables (`auth.*`).
    pub admin: deadpool_postgres::Pool,
    /// Connections as PostgREST's `authenticator`, which switches to the caller's role.
    pub api: deadpool_postgres::Pool,
    pub storage_dir: PathBuf,
    /// Bearer key `/v1/audio/transcriptions` requires.
    pub transcription_key: String,
    pub faults: Arc<Faults>,
    pub(crate) realtime: Arc<realtime::Realtime>,
}

/// A running local backend. Dropping it stops the server, then removes the database and the
/// stored objects.
pub struct LocalBackend {
    addr: SocketAddr,
    keys: JwtKeys,
    anon_key: String,
    service_key: String,
    database_url: String,
    options: BackendOptions,
    transcription_key: String,
    faults: Arc<Faults>,
    realtime_sockets: Arc<AtomicUsize>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    // Dropped after the server thread has been joined (see `Drop`), in this order.
    storage: tempfile::TempDir,
    pg: TempPostgres,
}

impl LocalBackend {
    /// Starts Postgres, applies the server schema, picks a random JWT secret and serves on a
    /// free port of 127.0.0.1, with default options.
    pub async fn start() -> anyhow::Result<LocalBackend> {
        Self::start_with(BackendOptions::default()).await
    }

    /// Like [`LocalBackend::start`] with explicit options (e.g. short-lived access tokens).
    pub async fn start_with(options: BackendOptions) -> anyhow::Result<LocalBackend> {
        let pg = TempPostgres::start().context("starting a throwaway Postgres")?;
        if options.migrations_by_supabase_cli {
            pg.apply_server_schema_with_supabase_cli()
                .await
                .context("applying the server schema with the Supabase CLI")?;
        } else {
            pg.apply_server_schema()
                .await
                .context("applying the server schema")?;
        }
        let keys = JwtKeys::random();
        let storage = tempfile::Builder::new()
            .prefix("jotline-backend-storage-")
            .tempdir()
            .context("creating the storage directory")?;
        let database_url = pg.url(crate::pg::SUPERUSER, crate::pg::DATABASE);
        let api_url = db::api_url(&pg).await?;

        let listener = std::net::TcpListener::bind(("127.0.0.1", options.port))
            .with_context(|| format!("binding 127.0.0.1:{}", options.port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;

        let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<anyhow::Result<()>>();
        let transcription_key = format!("sk-local-{:032x}", rand::random::<u128>());
        let faults = Arc::new(Faults::default());
        let realtime_sockets = Arc::new(AtomicUsize::new(0));
        let state_parts = (
            keys.clone(),
            options.clone(),
            database_url.clone(),
            api_url,
            storage.path().to_path_buf(),
            (
                transcription_key.clone(),
                faults.clone(),
                realtime_sockets.clone(),
            ),
        );
        let thread = std::thread::Builder::new()
            .name("jotline-backend".into())
            .spawn(move || serve_thread(listener, state_parts, ready_tx, shutdown_rx))
            .context("spawning the backend thread")?;
        let backend = LocalBackend {
            addr,
            anon_key: options
                .publishable_key
                .clone()
                .unwrap_or_else(|| keys.api_key("anon")),
            service_key: keys.api_key("service_role"),
            keys,
            database_url,
            options,
            transcription_key,
            faults,
            realtime_sockets,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
            storage,
            pg,
        };
        ready_rx
            .await
            .context("backend thread ended before it was ready")??;
        Ok(backend)
    }

    /// Base URL, e.g. `http://127.0.0.1:54321` (what the app calls the Supabase URL).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The Realtime WebSocket a client opens, as on Supabase:
    /// `ws://…/realtime/v1/websocket?apikey=<anon key>&vsn=1.0.0`.
    pub fn realtime_url(&self) -> String {
        format!(
            "ws://{}/realtime/v1/websocket?apikey={}&vsn=1.0.0",
            self.addr, self.anon_key
        )
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The project's anon key: an HS256 JWT with `role: "anon"`.
    pub fn anon_key(&self) -> String {
        self.anon_key.clone()
    }

    /// The service key: an HS256 JWT with `role: "service_role"` (bypasses row-level security).
    pub fn service_key(&self) -> String {
        self.service_key.clone()
    }

    /// The JWT secret, to forge tokens in tests (expired, other roles, ...).
    pub fn jwt_secret(&self) -> String {
        self.keys.secret().to_string()
    }

    /// Signs arbitrary claims with the backend's secret (HS256).
    pub fn sign_claims(&self, claims: &serde_json::Value) -> String {
        self.keys.sign(claims)
    }

    /// tokio-postgres connection string of the database, as the superuser `postgres`.
    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }

    /// Connects to the database as the superuser (the connection task is spawned on the
    /// caller's runtime).
    pub async fn connect_db(&self) -> anyhow::Result<tokio_postgres::Client> {
        let (client, conn) = tokio_postgres::connect(&self.database_url, tokio_postgres::NoTls)
            .await
            .context("connecting to the backend database")?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(client)
    }

    /// Where uploaded objects live: `<dir>/<bucket>/<path>`.
    pub fn storage_dir(&self) -> &Path {
        self.storage.path()
    }

    pub fn options(&self) -> &BackendOptions {
        &self.options
    }

    /// The Postgres cluster behind the backend.
    pub fn postgres(&self) -> &TempPostgres {
        &self.pg
    }

    /// The API key `/v1/audio/transcriptions` accepts (random per backend).
    pub fn transcription_key(&self) -> String {
        self.transcription_key.clone()
    }

    /// How many Realtime WebSockets are open on the backend (each is one task; a socket that
    /// goes away is gone from this count).
    pub fn realtime_sockets(&self) -> usize {
        self.realtime_sockets.load(Ordering::SeqCst)
    }

    /// The next `n` storage uploads answer `500` and store nothing (downloads still work).
    pub fn fail_next_uploads(&self, n: u32) {
        self.faults.fail_uploads(n);
    }

    /// The next `n` transcription requests answer `status` (e.g. 500, 503) before any check.
    pub fn fail_next_transcriptions(&self, n: u32, status: u16) {
        self.faults.fail_transcriptions(n, status);
    }

    /// The next `n` valid transcription requests answer `200` with an HTML body, not JSON.
    pub fn garble_next_transcriptions(&self, n: u32) {
        self.faults.garble_transcriptions(n);
    }
}

impl Drop for LocalBackend {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        // `storage` and `pg` drop after this, removing the objects and the cluster.
    }
}

type StateParts = (
    JwtKeys,
    BackendOptions,
    String,
    String,
    PathBuf,
    (String, Arc<Faults>, Arc<AtomicUsize>),
);

/// Body of the backend thread: its own runtime, pools and server, until shutdown.
fn serve_thread(
    listener: std::net::TcpListener,
    (keys, options, admin_url, api_url, storage_dir, (transcription_key, faults, realtime_sockets)): StateParts,
    ready: tokio::sync::oneshot::Sender<anyhow::Result<()>>,
    shutdown: tokio::sync::oneshot::Receiver<()>,
) {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("jotline-backend-rt")
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            let _ = ready.send(Err(e.into()));
            return;
        }
    };
    runtime.block_on(async move {
        let setup = async {
            let admin = db::pool(&admin_url)?;
            let api = db::pool(&api_url)?;
            db::check(&admin).await.context("admin pool")?;
            db::check(&api).await.context("api pool")?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            let realtime = Arc::new(realtime::Realtime::start(
                admin_url.clone(),
                realtime_sockets,
            ));
            let state = Arc::new(AppState {
                keys,
                options,
                admin,
                api,
                storage_dir,
                transcription_key,
                faults,
                realtime,
            });
            anyhow::Ok((listener, router(state)))
        };
        let (listener, app) = match setup.await {
            Ok(parts) => parts,
            Err(e) => {
                let _ = ready.send(Err(e));
                return;
            }
        };
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop_rx.await;
                })
                .await
        });
        let _ = ready.send(Ok(()));
        // Fires on `send` and when the sender is dropped.
        let _ = shutdown.await;
        let _ = stop_tx.send(());
        // Graceful, but bounded: a client holding a request open must not hang the test.
        let _ = tokio::time::timeout(Duration::from_secs(3), server).await;
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
}

fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/auth/v1/signup", post(auth::signup))
        .route("/auth/v1/token", post(auth::token))
        .route("/auth/v1/logout", post(auth::logout))
        .route("/auth/v1/user", get(auth::user))
        .route(
            "/rest/v1/rpc/{function}",
            post(rest::rpc).get(rest::rpc_get),
        )
        .route("/rest/v1/{table}", axum::routing::any(tables::table))
        .route(
            "/storage/v1/object/{bucket}/{*path}",
            post(storage::upload)
                .put(storage::upload)
                .get(storage::download)
                .route_layer(from_fn_with_state(state.clone(), faults::storage_uploads)),
        )
        .route("/realtime/v1/websocket", get(realtime::websocket))
        .route("/v1/audio/transcriptions", post(transcribe::transcriptions))
        .route("/health", get(|| async { "ok" }))
        // Audio uploads are larger than axum's 2 MB default.
        .layer(DefaultBodyLimit::max(256 * 1024 * 1024))
        .with_state(state)
}
