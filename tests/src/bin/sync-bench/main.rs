//! `make bench` part for sync: the real client (`jotline_core` `Core` + `SyncClient`) against
//! the local Supabase-compatible backend (`jotline_tests::backend`, the real
//! `migrations/server` on a throwaway Postgres), all measured in one run. Prints
//! `METRIC <name> <value> <unit>` lines on stdout; details go to stderr.
//!
//! Run: `cargo run --release -p jotline-tests --bin sync-bench`.
//!
//! - `push_10k_s`: a client with 10,000 created entries (one bulk import, so 10,000 pending
//!   ops) runs `LocalSync::push_all` until the outbox is empty (batches of `PUSH_BATCH`).
//! - `push_10k_naive_s`: the naive baseline on a fresh user: one `sync_push` rpc per row,
//!   sequentially (a per-row REST upsert), requests built before the clock starts. It only
//!   sends (no local bookkeeping), which favours the baseline. If the first 1,000 rows project
//!   to more than [`NAIVE_BUDGET`] for 10,000, the rest is skipped and the time is the
//!   1,000-row sample ×10, announced by `METRIC push_naive_sample_rows 1000 rows`.
//! - `pull_100k_s` / `pull_100k_peak_rss_growth_mb`: the server is seeded directly by SQL as
//!   the superuser with 100,000 entries of a third user, stamped as 200 pushes of 500 ops
//!   would have been (versions 1..=200, `sync_state.version = 200`), then analyzed. A fresh
//!   client in a CHILD process (this binary re-run as `pull-child`; the backend and Postgres
//!   stay in this process and its children) signs in, resets its peak-RSS mark
//!   (`/proc/self/clear_refs` ← 5), runs `LocalSync::pull_all` and reports the time and
//!   `VmHWM − VmRSS before the pull`. The parent then counts the rows in the child's database.
//! - `sync_noop_ms`: median of [`NOOP_ROUNDS`] full `LocalSync::round`s of the 10k client
//!   once it is caught up (nothing to push, nothing to pull), straight to the backend.
//! - `cross_device_capture_p50_ms` / `_p95_ms` and `realtime_idle_wakeups_per_s`: live
//!   updates, see `live.rs`.
//! - `sync_requests_per_round`: the same rounds through a `FaultProxy` without faults, which
//!   counts every HTTP request it forwards.

use anyhow::{bail, ensure, Context};
use chrono::{DateTime, Duration as ChronoDuration, SecondsFormat, TimeZone, Utc};
use jotline_core::auth::{AuthClient, BackendConfig, Session, SignUpOutcome};
use jotline_core::sync::protocol::{OpKind, OpStatus, PushOp, PushRequest};
use jotline_core::sync::{RoundReport, SyncClient};
use jotline_core::{Core, CoreConfig, NewEntry, SystemClock};
use jotline_tests::backend::{FaultProxy, LocalBackend};
use serde_json::{json, Map, Value};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

mod live;

// The same text generator as jotline-core's store bench.
#[path = "../../../../src-tauri/core/benches/support/sample_text.rs"]
mod sample_text;
use sample_text::{sentence, Rng};

const PUSH_ROWS: usize = 10_000;
const NAIVE_SAMPLE: usize = 1_000;
/// Longest the naive baseline may take before it is extrapolated from its sample.
const NAIVE_BUDGET: Duration = Duration::from_secs(120);
const PULL_ROWS: usize = 100_000;
/// Rows per simulated push when seeding the pull (the client's `PUSH_BATCH`).
const SEED_ROWS_PER_VERSION: usize = 500;
const NOOP_WARMUP: usize = 5;
const NOOP_ROUNDS: usize = 50;
const PASSWORD: &str = "bench-password-1234";
const RETRY_DELAY: Duration = Duration::from_secs(5);

fn metric(name: &str, value: f64, unit: &str, decimals: usize) {
    println!("METRIC {name} {value:.decimals$} {unit}");
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    if args.get(1).map(String::as_str) == Some("live-idle-child") {
        let [_, _, url, anon_key, email, data_dir] = args.as_slice() else {
            bail!("usage: sync-bench live-idle-child <url> <anon key> <email> <data dir>");
        };
        return runtime.block_on(live::idle_child(
            url,
            anon_key,
            email,
            PASSWORD,
            Path::new(data_dir),
        ));
    }
    if args.get(1).map(String::as_str) == Some("pull-child") {
        let [_, _, url, anon_key, email, data_dir] = args.as_slice() else {
            bail!("usage: sync-bench pull-child <url> <anon key> <email> <data dir>");
        };
        return runtime.block_on(pull_child(url, anon_key, email, Path::new(data_dir)));
    }
    runtime.block_on(parent())
}

async fn parent() -> anyhow::Result<()> {
    let backend = LocalBackend::start()
        .await
        .context("starting the backend")?;
    let config = BackendConfig::new(backend.url(), backend.anon_key());
    let auth = AuthClient::new(config.clone())?;
    let client = SyncClient::new(config.clone())?;
    let mut rng = Rng(0x5eed);

    // --- push: 10,000 pending ops, batched ---
    let push_session = sign_up(&auth, "push").await?;
    let push_dir = tempfile::tempdir()?;
    let core = open_core(push_dir.path())?;
    core.sync().set_user(push_session.user_id)?;
    let items = new_entries(&mut rng, PUSH_ROWS);
    core.import_entries(&items)?;
    let mut report = RoundReport::default();
    let started = Instant::now();
    core.sync()
        .push_all(&client, &push_session, RETRY_DELAY, false, &mut report)
        .await?;
    let push_s = started.elapsed().as_secs_f64();
    ensure!(
        report.pushed == PUSH_ROWS && report.rejected == 0,
        "batched push acknowledged {} and rejected {} of {PUSH_ROWS}",
        report.pushed,
        report.rejected
    );
    let db = backend.connect_db().await?;
    let on_server: i64 = db
        .query_one(
            "select count(*) from public.entries where user_id = $1",
            &[&push_session.user_id],
        )
        .await?
        .get(0);
    ensure!(
        on_server == PUSH_ROWS as i64,
        "server holds {on_server} rows"
    );
    eprintln!("push: {PUSH_ROWS} ops in {push_s:.3} s");

    // --- naive: one request per row ---
    let naive_session = sign_up(&auth, "naive").await?;
    let (naive_s, sample) = naive_push(&client, &naive_session, &mut rng).await?;

    // --- no-op rounds on the caught-up 10k client ---
    let mut catch_up = RoundReport::default();
    core.sync()
        .pull_all(&client, &push_session, &mut catch_up)
        .await?;
    eprintln!("catch-up pull: {} pages", catch_up.pages);
    let noop_ms = noop_rounds(&core, &client, &push_session).await?;
    let proxy = FaultProxy::start(&backend.url())?;
    let proxied = SyncClient::new(BackendConfig::new(proxy.url(), backend.anon_key()))?;
    let before = proxy.requests().len();
    for _ in 0..NOOP_ROUNDS {
        let r = core
            .sync()
            .round(&proxied, &push_session, RETRY_DELAY, false)
            .await?;
        ensure!(
            r.pushed == 0 && r.entries_updated.is_empty(),
            "round was not a no-op"
        );
    }
    let seen = proxy.requests();
    let per_round = (seen.len() - before) as f64 / NOOP_ROUNDS as f64;
    let mut paths: Vec<&str> = seen[before..].iter().map(|r| r.path.as_str()).collect();
    paths.dedup();
    eprintln!("no-op round: median {noop_ms:.3} ms; requests per round {per_round} ({paths:?})");
    drop(proxy);

    // --- live: a capture on A reaches B through a poke; an idle live client ---
    let live_session = sign_up(&auth, "live").await?;
    let (a_dir, b_dir) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let (a, b) = (open_core(a_dir.path())?, open_core(b_dir.path())?);
    let b_session = auth
        .sign_in(live_session.email.as_deref().context("no email")?, PASSWORD)
        .await?;
    let a_engine = live::live_engine(&a, &backend.url(), &backend.anon_key(), &live_session)?;
    let b_engine = live::live_engine(&b, &backend.url(), &backend.anon_key(), &b_session)?;
    live::wait_live(&a_engine).await?;
    live::wait_live(&b_engine).await?;
    let (live_p50, live_p95) = live::cross_device(&a, &b).await?;
    a_engine.abort().await;
    b_engine.abort().await;
    let idle_dir = tempfile::tempdir()?;
    let idle = Command::new(std::env::current_exe()?)
        .arg("live-idle-child")
        .arg(backend.url())
        .arg(backend.anon_key())
        .arg(live_session.email.as_deref().context("no email")?)
        .arg(idle_dir.path())
        .output()
        .context("running the idle child")?;
    eprint!("{}", String::from_utf8_lossy(&idle.stderr));
    ensure!(idle.status.success(), "idle child failed: {}", idle.status);
    let idle_wakeups: f64 = String::from_utf8(idle.stdout)?
        .lines()
        .find_map(|l| l.strip_prefix("IDLE "))
        .context("idle child printed no result")?
        .trim()
        .parse()?;

    // --- pull: 100,000 entries seeded by SQL, pulled by a fresh client in a child process ---
    let pull_session = sign_up(&auth, "pull").await?;
    let seeded = Instant::now();
    seed_entries(&db, pull_session.user_id, &mut rng).await?;
    eprintln!(
        "seeded {PULL_ROWS} entries in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let pull_dir = tempfile::tempdir()?;
    let output = Command::new(std::env::current_exe()?)
        .arg("pull-child")
        .arg(backend.url())
        .arg(backend.anon_key())
        .arg(
            pull_session
                .email
                .as_deref()
                .context("session without email")?,
        )
        .arg(pull_dir.path())
        .output()
        .context("running the pull child")?;
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    ensure!(
        output.status.success(),
        "pull child failed: {}",
        output.status
    );
    let stdout = String::from_utf8(output.stdout)?;
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("PULL "))
        .context("pull child printed no result")?;
    let values: Vec<f64> = line
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [pull_s, growth_mb] = values.as_slice() else {
        bail!("unexpected pull child result {line:?}");
    };
    let local = rusqlite::Connection::open(pull_dir.path().join(jotline_core::DATABASE_FILE))?;
    let pulled: i64 = local.query_row("SELECT count(*) FROM entries", [], |r| r.get(0))?;
    ensure!(
        pulled == PULL_ROWS as i64,
        "the child's database holds {pulled} entries"
    );

    metric("push_10k_s", push_s, "s", 3);
    if let Some(rows) = sample {
        metric("push_naive_sample_rows", rows as f64, "rows", 0);
    }
    metric("push_10k_naive_s", naive_s, "s", 3);
    metric("cross_device_capture_p50_ms", live_p50, "ms", 1);
    metric("cross_device_capture_p95_ms", live_p95, "ms", 1);
    metric("realtime_idle_wakeups_per_s", idle_wakeups, "/s", 2);
    metric("push_speedup_vs_naive", naive_s / push_s, "x", 1);
    metric("pull_100k_s", *pull_s, "s", 3);
    metric("pull_100k_peak_rss_growth_mb", *growth_mb, "MB", 1);
    metric("sync_noop_ms", noop_ms, "ms", 3);
    metric("sync_requests_per_round", per_round, "requests", 2);
    drop(db);
    Ok(())
}

/// One `sync_push` call per row, in sequence. Returns (seconds for 10,000 rows, the sample
/// size when extrapolated).
async fn naive_push(
    client: &SyncClient,
    session: &Session,
    rng: &mut Rng,
) -> anyhow::Result<(f64, Option<usize>)> {
    let client_id = Uuid::now_v7().to_string();
    let now = Utc::now();
    let requests: Vec<PushRequest> = new_entries(rng, PUSH_ROWS)
        .into_iter()
        .enumerate()
        .map(|(i, e)| PushRequest {
            client_id: client_id.clone(),
            ops: vec![PushOp {
                op_seq: i as i64 + 1,
                table: "entries".into(),
                row_id: Uuid::now_v7().to_string(),
                op: OpKind::Upsert,
                fields: entry_fields(&e, now),
            }],
        })
        .collect();
    let started = Instant::now();
    let mut sent = 0;
    for (i, req) in requests.iter().enumerate() {
        if i == NAIVE_SAMPLE && started.elapsed() * (PUSH_ROWS / NAIVE_SAMPLE) as u32 > NAIVE_BUDGET
        {
            break;
        }
        let resp = client.push(session, req).await?;
        ensure!(
            resp.results.len() == 1 && resp.results[0].status == OpStatus::Applied,
            "naive push of row {i} was not applied: {resp:?}"
        );
        sent += 1;
    }
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!("naive: {sent} single-op requests in {elapsed:.3} s");
    Ok(if sent == PUSH_ROWS {
        (elapsed, None)
    } else {
        (elapsed * PUSH_ROWS as f64 / sent as f64, Some(sent))
    })
}

/// Median milliseconds of a full round with nothing to do.
async fn noop_rounds(core: &Core, client: &SyncClient, session: &Session) -> anyhow::Result<f64> {
    let mut samples = Vec::with_capacity(NOOP_ROUNDS);
    for i in 0..NOOP_WARMUP + NOOP_ROUNDS {
        let started = Instant::now();
        let r = core
            .sync()
            .round(client, session, RETRY_DELAY, false)
            .await?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        ensure!(
            r.pushed == 0 && r.entries_updated.is_empty(),
            "round was not a no-op"
        );
        if i >= NOOP_WARMUP {
            samples.push(ms);
        }
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples[samples.len() / 2])
}

/// 100,000 entries of `user_id`, stamped like 200 pushes of 500 ops, in 20 inserts.
async fn seed_entries(
    db: &tokio_postgres::Client,
    user_id: Uuid,
    rng: &mut Rng,
) -> anyhow::Result<()> {
    const CHUNK: usize = 5_000;
    let created = Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).unwrap();
    for start in (0..PULL_ROWS).step_by(CHUNK) {
        let items = new_entries(rng, CHUNK);
        let n = items.len();
        let ids: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
        let kinds: Vec<&str> = items.iter().map(|e| e.kind.as_str()).collect();
        let titles: Vec<Option<&str>> = items.iter().map(|e| e.title.as_deref()).collect();
        let bodies: Vec<&str> = items.iter().map(|e| e.body.as_str()).collect();
        let occurred: Vec<DateTime<Utc>> = items.iter().map(|e| e.occurred_at).collect();
        let stamps: Vec<DateTime<Utc>> = (0..n)
            .map(|i| created + ChronoDuration::minutes((start + i) as i64))
            .collect();
        let versions: Vec<i64> = (0..n)
            .map(|i| ((start + i) / SEED_ROWS_PER_VERSION) as i64 + 1)
            .collect();
        db.execute(
            "insert into public.entries
                 (id, user_id, kind, title, body, occurred_at, created_at, updated_at, version)
             select id, $2, kind, title, body, occurred_at, stamp, stamp, version
             from unnest($1::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[],
                         $7::timestamptz[], $8::int8[])
                  as t(id, kind, title, body, occurred_at, stamp, version)",
            &[
                &ids, &user_id, &kinds, &titles, &bodies, &occurred, &stamps, &versions,
            ],
        )
        .await?;
    }
    let top = PULL_ROWS.div_ceil(SEED_ROWS_PER_VERSION) as i64;
    db.execute(
        "insert into public.sync_state (user_id, version) values ($1, $2)
         on conflict (user_id) do update set version = excluded.version",
        &[&user_id, &top],
    )
    .await?;
    // What autovacuum's analyze would have done after such a bulk load.
    db.batch_execute("analyze public.entries").await?;
    Ok(())
}

/// The child: signs in, pulls everything into a fresh client, prints
/// `PULL <seconds> <peak RSS growth MB>`.
async fn pull_child(url: &str, anon_key: &str, email: &str, data_dir: &Path) -> anyhow::Result<()> {
    let config = BackendConfig::new(url, anon_key);
    let session = AuthClient::new(config.clone())?
        .sign_in(email, PASSWORD)
        .await?;
    let core = open_core(data_dir)?;
    core.sync().set_user(session.user_id)?;
    let client = SyncClient::new(config)?;
    let reset = std::fs::write("/proc/self/clear_refs", "5");
    let base_kb = proc_status_kb("VmRSS")?;
    if let Err(e) = &reset {
        // Then VmHWM is the peak since the process started: an upper bound.
        eprintln!("pull child: could not reset the peak RSS mark ({e}); growth is an upper bound");
    }
    let mut report = RoundReport::default();
    let started = Instant::now();
    core.sync().pull_all(&client, &session, &mut report).await?;
    let secs = started.elapsed().as_secs_f64();
    let peak_kb = proc_status_kb("VmHWM")?;
    eprintln!(
        "pull child: {} pages, {} entries updated in {secs:.3} s; RSS {:.1} MB before, peak {:.1} MB",
        report.pages,
        report.entries_updated.len(),
        base_kb as f64 / 1024.0,
        peak_kb as f64 / 1024.0
    );
    println!(
        "PULL {secs} {}",
        peak_kb.saturating_sub(base_kb) as f64 / 1024.0
    );
    Ok(())
}

fn proc_status_kb(field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .with_context(|| format!("no {field} in /proc/self/status"))
}

async fn sign_up(auth: &AuthClient, who: &str) -> anyhow::Result<Session> {
    let email = format!("bench-{who}-{}@example.com", Uuid::now_v7().simple());
    match auth.sign_up(&email, PASSWORD).await? {
        SignUpOutcome::SignedIn(session) => Ok(session),
        other => bail!("sign-up did not sign in: {other:?}"),
    }
}

fn open_core(dir: &Path) -> anyhow::Result<Core> {
    Ok(Core::open(CoreConfig {
        data_dir: dir.to_path_buf(),
        clock: Arc::new(SystemClock),
    })?)
}

/// Short journal notes (12–40 words, sometimes a title), one a day going back.
fn new_entries(rng: &mut Rng, n: usize) -> Vec<NewEntry> {
    let start = Utc.with_ymd_and_hms(2020, 1, 1, 9, 0, 0).unwrap();
    (0..n)
        .map(|i| NewEntry {
            kind: "note".into(),
            title: (rng.below(5) == 0).then(|| sentence(rng, 2, 6)),
            body: sentence(rng, 12, 40),
            occurred_at: start + ChronoDuration::minutes(i as i64 * 97),
        })
        .collect()
}

/// The fields of a create, as the client sends them.
fn entry_fields(e: &NewEntry, now: DateTime<Utc>) -> Map<String, Value> {
    let time = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Millis, true);
    let Value::Object(map) = json!({
        "kind": e.kind,
        "title": e.title,
        "body": e.body,
        "occurred_at": time(e.occurred_at),
        "created_at": time(now),
        "updated_at": time(now),
    }) else {
        unreachable!("a json object")
    };
    map
}
