//! A throwaway PostgreSQL cluster for tests: `initdb` into a temp dir, start on a free port on
//! 127.0.0.1, apply the Supabase stand-in and `migrations/server`, stop and delete on drop.
//!
//! Postgres refuses to run as root; when the tests run as root the server binaries run as the
//! `postgres` user (`runuser -u postgres`) in a temp dir that user owns.
//! The binaries are taken from `$JOTLINE_PG_BIN` if set, else from PATH, else from the newest
//! `/usr/lib/postgresql/<n>/bin`.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tokio_postgres::{Client, NoTls, Transaction};
use uuid::Uuid;

/// The database that `apply_server_schema` sets up (the cluster's default one).
pub const DATABASE: &str = "postgres";
/// The superuser `initdb` creates (Supabase's name for its own).
pub const SUPERUSER: &str = "supabase_admin";
/// The role migrations run as: Supabase's `postgres`, not a superuser (the bootstrap makes it).
pub const MIGRATOR: &str = "postgres";

pub struct TempPostgres {
    port: u16,
    bin: PathBuf,
    data: PathBuf,
    run_as: Option<String>,
    // Dropped (removed) after `Drop::drop` has stopped the server.
    _dir: tempfile::TempDir,
}

impl TempPostgres {
    /// Creates a cluster (`initdb -A trust`), starts it with `fsync=off` on a free port on
    /// 127.0.0.1 and waits until it accepts connections.
    pub fn start() -> anyhow::Result<Self> {
        let bin = pg_bin_dir()?;
        let run_as = is_root()?.then(|| "postgres".to_string());
        let dir = tempfile::Builder::new().prefix("jotline-pg-").tempdir()?;
        if run_as.is_some() {
            let (uid, gid) = postgres_ids()?;
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .context("chown the temp dir to the postgres user")?;
        }
        let data = dir.path().join("data");
        let mut pg = TempPostgres {
            port: 0,
            bin,
            data,
            run_as,
            _dir: dir,
        };
        pg.run_checked(
            "initdb",
            &[
                "-D",
                path_str(&pg.data)?,
                "-A",
                "trust",
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )?;
        // A free port can be taken between our probe and the server's bind: retry a few times.
        let mut last_err = None;
        for _ in 0..5 {
            pg.port = crate::process::free_port();
            match pg.start_server() {
                Ok(()) => return Ok(pg),
                Err(e) => last_err = Some(e),
            }
        }
        Err(last_err.unwrap_or_else(|| anyhow::anyhow!("postgres did not start")))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A tokio-postgres connection string (trust auth: no password).
    pub fn url(&self, user: &str, database: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user={user} dbname={database} connect_timeout=10",
            self.port
        )
    }

    /// Connects and drives the connection on a spawned tokio task.
    pub async fn connect(&self, user: &str, database: &str) -> anyhow::Result<Client> {
        let (client, conn) = tokio_postgres::connect(&self.url(user, database), NoTls)
            .await
            .with_context(|| format!("connect to postgres as {user}"))?;
        tokio::spawn(async move {
            // The error (if any) surfaces on the client's next call.
            let _ = conn.await;
        });
        Ok(client)
    }

    /// In database [`DATABASE`]: `tests/sql/supabase_bootstrap.sql` as the superuser, then
    /// every `migrations/server/*.sql` in file-name order as [`MIGRATOR`], as on Supabase.
    pub async fn apply_server_schema(&self) -> anyhow::Result<()> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let bootstrap = root.join("sql/supabase_bootstrap.sql");
        let admin = self.connect(SUPERUSER, DATABASE).await?;
        apply(&admin, &bootstrap).await?;
        let migrator = self.connect(MIGRATOR, DATABASE).await?;
        for file in server_migrations(&root.join("../migrations/server"))? {
            apply(&migrator, &file).await?;
        }
        Ok(())
    }

    /// Like [`TempPostgres::apply_server_schema`], except that `migrations/server` is applied
    /// by Supabase's own CLI (`supabase db push --db-url`, from `tests/supabase-tools`), through
    /// the repo's `supabase/migrations` entry that points at `migrations/server`.
    pub async fn apply_server_schema_with_supabase_cli(&self) -> anyhow::Result<()> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let admin = self.connect(SUPERUSER, DATABASE).await?;
        apply(&admin, &root.join("sql/supabase_bootstrap.sql")).await?;
        let cli = root.join("supabase-tools/node_modules/.bin/supabase");
        if !cli.exists() {
            bail!(
                "{} is missing: scripts/ensure-deps.sh (make test) installs it",
                cli.display()
            );
        }
        let url = format!(
            "postgresql://{MIGRATOR}@127.0.0.1:{}/{DATABASE}?sslmode=disable",
            self.port
        );
        let workdir = root.join("..");
        let out = tokio::process::Command::new(&cli)
            .args(["db", "push", "--yes", "--db-url", &url, "--workdir"])
            .arg(&workdir)
            .env("DO_NOT_TRACK", "1")
            .env("SUPABASE_TELEMETRY_DISABLED", "1")
            .output()
            .await
            .with_context(|| format!("run {}", cli.display()))?;
        if !out.status.success() {
            bail!(
                "supabase db push failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }

    fn start_server(&self) -> anyhow::Result<()> {
        let socket_dir = self.data.parent().context("data dir has a parent")?;
        let opts = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=50 -c shared_buffers=32MB",
            self.port,
            path_str(socket_dir)?
        );
        let log = socket_dir.join("server.log");
        let started = self.run(
            "pg_ctl",
            &[
                "start",
                "-w",
                "-t",
                "30",
                "-D",
                path_str(&self.data)?,
                "-l",
                path_str(&log)?,
                "-o",
                &opts,
            ],
        )?;
        if !started.status.success() {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            bail!(
                "pg_ctl start failed: {}\n{}",
                String::from_utf8_lossy(&started.stderr),
                log
            );
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if Instant::now() > deadline {
                bail!("postgres does not accept connections on port {}", self.port);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        }
    }

    fn run(&self, program: &str, args: &[&str]) -> anyhow::Result<Output> {
        self.command(program)
            .args(args)
            .current_dir(self.data.parent().unwrap_or(Path::new("/")))
            .output()
            .with_context(|| format!("run {program}"))
    }

    fn run_checked(&self, program: &str, args: &[&str]) -> anyhow::Result<()> {
        let out = self.run(program, args)?;
        if !out.status.success() {
            bail!(
                "{program} failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }
}

impl Drop for TempPostgres {
    fn drop(&mut self) {
        if self.data.join("postmaster.pid").exists() {
            if let Ok(data) = path_str(&self.data) {
                let _ = self.run("pg_ctl", &["stop", "-m", "immediate", "-w", "-D", data]);
            }
        }
        // `_dir` (the whole cluster) is removed when the field drops, right after this.
    }
}

async fn apply(client: &Client, file: &Path) -> anyhow::Result<()> {
    let sql = std::fs::read_to_string(file).with_context(|| format!("read {}", file.display()))?;
    client
        .batch_execute(&sql)
        .await
        .map_err(|e| anyhow::anyhow!("apply {}: {}", file.display(), db_error(&e)))
}

/// Opens a transaction that runs as the Supabase role `authenticated` with the JWT claims of
/// `user_id`, as PostgREST does for a request. Roll back or commit it when done.
pub async fn as_user(client: &mut Client, user_id: Uuid) -> anyhow::Result<Transaction<'_>> {
    let claims = serde_json::json!({
        "sub": user_id.to_string(),
        "role": "authenticated",
        "aud": "authenticated",
    });
    as_role(client, "authenticated", &claims).await
}

/// Opens a transaction as `role` (e.g. `anon`, `service_role`) with the given JWT claims.
pub async fn as_role<'a>(
    client: &'a mut Client,
    role: &str,
    claims: &serde_json::Value,
) -> anyhow::Result<Transaction<'a>> {
    if !role.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        bail!("bad role name {role:?}");
    }
    let tx = client.transaction().await?;
    tx.batch_execute(&format!("set local role {role}")).await?;
    tx.execute(
        "select set_config('request.jwt.claims', $1, true)",
        &[&claims.to_string()],
    )
    .await?;
    Ok(tx)
}

/// The message, detail and hint of a database error (tokio-postgres' Display says only "db error").
pub fn db_error(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut s = format!("{}: {}", db.code().code(), db.message());
            if let Some(d) = db.detail() {
                s.push_str(&format!(" (detail: {d})"));
            }
            if let Some(w) = db.where_() {
                s.push_str(&format!(" (where: {w})"));
            }
            s
        }
        None => e.to_string(),
    }
}

fn server_migrations(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    Ok(files)
}

fn pg_bin_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = std::env::var_os("JOTLINE_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let initdb = dir.join("initdb");
            if initdb.is_file() {
                // Resolve symlinks (Debian links /usr/local/bin → /usr/lib/postgresql/N/bin) so
                // the sibling binaries (pg_ctl, postgres) are found together.
                let real = initdb.canonicalize().unwrap_or(initdb);
                return Ok(real.parent().unwrap_or(&dir).to_path_buf());
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).context(
        "PostgreSQL binaries (initdb, pg_ctl) not found: install postgresql or set JOTLINE_PG_BIN",
    )
}

fn is_root() -> anyhow::Result<bool> {
    // /proc/self belongs to the effective user (no unsafe geteuid needed).
    Ok(std::fs::metadata("/proc/self")?.uid() == 0)
}

fn postgres_ids() -> anyhow::Result<(u32, u32)> {
    let id = |flag: &str| -> anyhow::Result<u32> {
        let out = Command::new("id").args([flag, "postgres"]).output()?;
        if !out.status.success() {
            bail!("running as root, but there is no `postgres` user to run the server as");
        }
        Ok(String::from_utf8(out.stdout)?.trim().parse()?)
    };
    Ok((id("-u")?, id("-g")?))
}

fn path_str(p: &Path) -> anyhow::Result<&str> {
    p.to_str().context("non-UTF-8 temp path")
}
