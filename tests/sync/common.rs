//! What the sync tests share: devices (a `Core` on its own data dir behind its own fault
//! proxy), sign-up, and reading both sides (the device's SQLite, the server's Postgres).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jotline_core::auth::{AuthClient, BackendConfig, Session};
use jotline_core::sync::{RoundReport, SyncClient, SyncError};
use jotline_core::{Core, CoreConfig, NewEntry, SystemClock};
use jotline_tests::backend::{BackendOptions, FaultProxy, LocalBackend};
use uuid::Uuid;

pub const PUSH: &str = "/rest/v1/rpc/sync_push";
pub const PULL: &str = "/rest/v1/rpc/sync_pull";
pub const PASSWORD: &str = "correct horse battery";

/// One entry as both sides can show it: content of a live row, or just "deleted".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Live {
        kind: String,
        title: Option<String>,
        body: String,
        occurred_at_ms: i64,
    },
    Deleted,
}

/// The stand-in on a database whose migrations Supabase's own CLI applied (`supabase db
/// push`), the way a user's project gets them.
pub async fn backend_with(options: BackendOptions) -> LocalBackend {
    LocalBackend::start_with(BackendOptions {
        migrations_by_supabase_cli: true,
        ..options
    })
    .await
    .unwrap()
}

pub async fn backend() -> LocalBackend {
    backend_with(BackendOptions::default()).await
}

/// Signs a new user up directly at the backend (no proxy).
pub async fn sign_up(backend: &LocalBackend, email: &str) -> Session {
    let auth = AuthClient::new(BackendConfig::new(backend.url(), backend.anon_key())).unwrap();
    match auth.sign_up(email, PASSWORD).await.unwrap() {
        jotline_core::auth::SignUpOutcome::SignedIn(s) => s,
        other => panic!("sign-up of {email} did not sign in: {other:?}"),
    }
}

/// A device: its data dir, its open core (None while "killed"), its proxy and sync client.
pub struct Device {
    pub name: String,
    dir: tempfile::TempDir,
    pub core: Option<Core>,
    pub proxy: FaultProxy,
    pub client: SyncClient,
}

impl Device {
    /// A fresh data dir and core, a proxy in front of `backend`, a client with `timeout`.
    pub fn new(backend: &LocalBackend, name: &str, timeout: Duration) -> Device {
        let dir = tempfile::Builder::new()
            .prefix(&format!("jotline-sync-{name}-"))
            .tempdir()
            .unwrap();
        let proxy = FaultProxy::start(&backend.url()).unwrap();
        let mut config = BackendConfig::new(proxy.url(), backend.anon_key());
        config.timeout = timeout;
        let client = SyncClient::new(config).unwrap();
        let mut device = Device {
            name: name.to_string(),
            dir,
            core: None,
            proxy,
            client,
        };
        device.reopen();
        device
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Drops the core (as if the app were killed between two writes) ...
    pub fn kill(&mut self) {
        self.core = None;
    }

    /// ... and opens it again from the same data dir.
    pub fn reopen(&mut self) {
        self.core = Some(
            Core::open(CoreConfig {
                data_dir: self.data_dir(),
                clock: Arc::new(SystemClock),
            })
            .unwrap(),
        );
    }

    pub fn core(&self) -> &Core {
        self.core
            .as_ref()
            .unwrap_or_else(|| panic!("{} is not open", self.name))
    }

    /// One round through the proxy, backoff ignored, failed pushes retryable at once.
    pub async fn round(&self, session: &Session) -> Result<RoundReport, SyncError> {
        self.core()
            .sync()
            .round(&self.client, session, Duration::ZERO, true)
            .await
    }

    pub fn create(&self, title: Option<&str>, body: &str) -> Uuid {
        self.core()
            .import_entries(&[NewEntry {
                kind: "note".into(),
                title: title.map(str::to_string),
                body: body.to_string(),
                occurred_at: Utc::now(),
            }])
            .unwrap()[0]
    }

    /// Every entry of the local database (live rows and tombstones).
    pub fn entries(&self) -> BTreeMap<Uuid, Row> {
        let conn = self.sqlite();
        let mut stmt = conn
            .prepare("SELECT id, kind, title, body, occurred_at, deleted_at FROM entries")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                let id: String = r.get(0)?;
                let deleted: Option<i64> = r.get(5)?;
                let row = if deleted.is_some() {
                    Row::Deleted
                } else {
                    Row::Live {
                        kind: r.get(1)?,
                        title: r.get(2)?,
                        body: r.get(3)?,
                        occurred_at_ms: r.get(4)?,
                    }
                };
                Ok((Uuid::parse_str(&id).unwrap(), row))
            })
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }

    /// `(op_seq, op, row_id, dead)` of every queued op.
    pub fn outbox(&self) -> Vec<(i64, String, String, bool)> {
        let conn = self.sqlite();
        let mut stmt = conn
            .prepare("SELECT op_seq, op, row_id, dead FROM outbox ORDER BY op_seq")
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    }

    /// `(client_id, last_op_seq)` of this installation.
    pub fn sync_meta(&self) -> (Uuid, i64) {
        let conn = self.sqlite();
        conn.query_row(
            "SELECT client_id, last_op_seq FROM sync_meta WHERE id = 1",
            [],
            |r| {
                let id: String = r.get(0)?;
                Ok((Uuid::parse_str(&id).unwrap(), r.get(1)?))
            },
        )
        .unwrap()
    }

    fn sqlite(&self) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_with_flags(
            self.data_dir().join(jotline_core::DATABASE_FILE),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        conn.busy_timeout(Duration::from_secs(5)).unwrap();
        conn
    }
}

/// Every entry row of `user` on the server.
pub async fn server_entries(db: &tokio_postgres::Client, user: Uuid) -> BTreeMap<Uuid, Row> {
    let rows = db
        .query(
            "select id, kind, title, body, occurred_at, deleted_at is not null
             from public.entries where user_id = $1",
            &[&user],
        )
        .await
        .unwrap();
    let mut out = BTreeMap::new();
    for r in rows {
        let id: Uuid = r.get(0);
        let deleted: bool = r.get(5);
        let row = if deleted {
            Row::Deleted
        } else {
            let at: DateTime<Utc> = r.get(4);
            Row::Live {
                kind: r.get(1),
                title: r.get(2),
                body: r.get(3),
                occurred_at_ms: at.timestamp_millis(),
            }
        };
        assert!(out.insert(id, row).is_none(), "entry {id} twice");
    }
    out
}

/// How many entry rows the server holds for `user`, counting every row (no dedup).
pub async fn server_entry_count(db: &tokio_postgres::Client, user: Uuid) -> i64 {
    db.query_one(
        "select count(*) from public.entries where user_id = $1",
        &[&user],
    )
    .await
    .unwrap()
    .get(0)
}

/// `last_op_seq` the server recorded for (user, client), if any.
pub async fn server_last_op_seq(
    db: &tokio_postgres::Client,
    user: Uuid,
    client: Uuid,
) -> Option<i64> {
    db.query_opt(
        "select last_op_seq from public.sync_clients where user_id = $1 and client_id = $2",
        &[&user, &client],
    )
    .await
    .unwrap()
    .map(|r| r.get(0))
}

/// `(op_seq, reason)` of the server's dead letters of `user`.
pub async fn server_dead_letters(db: &tokio_postgres::Client, user: Uuid) -> Vec<(i64, String)> {
    db.query(
        "select op_seq, reason from public.dead_letters where user_id = $1 order by id",
        &[&user],
    )
    .await
    .unwrap()
    .into_iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect()
}
