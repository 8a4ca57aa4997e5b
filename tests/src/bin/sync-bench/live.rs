//! Live updates, measured: how fast a capture on one computer is in the other's database
//! (two cores with their engines and Realtime connections, the stand-in on loopback), and
//! what the Realtime connection costs an idle client.
//!
//! - `cross_device_capture_p50_ms` / `_p95_ms`: [`CAPTURES`] captures on A, one after the
//!   other; each from the committed capture on A to B's `EntriesChanged` naming it (its pull
//!   has committed the entry in B's database). Nothing polls: the engines' interval is an hour.
//! - `realtime_idle_wakeups_per_s`: a CHILD process (`live-idle-child`) runs one signed-in
//!   engine with its Realtime connection joined and counts its threads' context switches over
//!   [`IDLE_WINDOW`] of doing nothing (heartbeats only).

use anyhow::{ensure, Context};
use jotline_core::auth::{AuthClient, BackendConfig, MemoryTokenStore, Session, TokenStore};
use jotline_core::sync::{EngineConfig, RealtimeConfig, SyncClient, SyncEngine};
use jotline_core::{Core, CoreEvent, LiveUpdates, Surface};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const CAPTURES: usize = 50;
pub const IDLE_WINDOW: Duration = Duration::from_secs(30);
const ARRIVAL_TIMEOUT: Duration = Duration::from_secs(10);

/// An engine with live updates on `url`, polling only hourly.
pub fn live_engine(
    core: &Core,
    url: &str,
    anon_key: &str,
    session: &Session,
) -> anyhow::Result<SyncEngine> {
    let tokens = Arc::new(MemoryTokenStore::new());
    tokens.save(session)?;
    let config = BackendConfig::new(url, anon_key);
    let realtime =
        RealtimeConfig::new(url, anon_key, core.sync().client_id()?).map_err(anyhow::Error::msg)?;
    Ok(SyncEngine::spawn(
        core.clone(),
        SyncClient::new(config.clone())?,
        AuthClient::new(config)?,
        tokens,
        EngineConfig {
            interval: Duration::from_secs(3600),
            realtime: Some(realtime),
            ..EngineConfig::default()
        },
    ))
}

pub async fn wait_live(engine: &SyncEngine) -> anyhow::Result<()> {
    let mut status = engine.status();
    tokio::time::timeout(Duration::from_secs(20), async {
        while status.borrow_and_update().live_updates != LiveUpdates::On {
            status.changed().await?;
        }
        anyhow::Ok(())
    })
    .await
    .context("live updates never came on")?
}

/// (p50, p95) in milliseconds.
pub async fn cross_device(a: &Core, b: &Core) -> anyhow::Result<(f64, f64)> {
    let mut arrivals = b.subscribe();
    let mut samples = Vec::with_capacity(CAPTURES);
    for i in 0..CAPTURES {
        let saved = a.capture_text(&format!("live capture {i}"), Surface::InApp)?;
        let committed = Instant::now();
        let id = saved.entry.id;
        tokio::time::timeout(ARRIVAL_TIMEOUT, async {
            loop {
                match arrivals.recv().await {
                    Ok(CoreEvent::EntriesChanged { ids }) if ids.contains(&id) => return Ok(()),
                    Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                    Err(e) => return Err(anyhow::Error::from(e)),
                }
            }
        })
        .await
        .with_context(|| format!("capture {i} never reached the other computer"))??;
        samples.push(committed.elapsed().as_secs_f64() * 1000.0);
        // The next thought a moment later, not in the same push.
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    samples.sort_by(f64::total_cmp);
    let at =
        |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1];
    eprintln!(
        "cross-device: {CAPTURES} captures, min {:.1} ms, max {:.1} ms",
        samples[0],
        samples[samples.len() - 1]
    );
    Ok((at(0.50), at(0.95)))
}

/// The child: one signed-in engine, live, idle; prints `IDLE <context switches per second>`.
pub async fn idle_child(
    url: &str,
    anon_key: &str,
    email: &str,
    password: &str,
    dir: &Path,
) -> anyhow::Result<()> {
    let session = AuthClient::new(BackendConfig::new(url, anon_key))?
        .sign_in(email, password)
        .await?;
    let core = super::open_core(dir)?;
    let engine = live_engine(&core, url, anon_key, &session)?;
    wait_live(&engine).await?;
    // The join's pull and its status events settle first.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = context_switches()?;
    tokio::time::sleep(IDLE_WINDOW).await;
    let after = context_switches()?;
    ensure!(
        engine.status().borrow().live_updates == LiveUpdates::On,
        "the connection dropped while idle"
    );
    println!(
        "IDLE {:.3}",
        (after - before) as f64 / IDLE_WINDOW.as_secs_f64()
    );
    engine.abort().await;
    Ok(())
}

/// Voluntary and involuntary context switches of every thread of this process.
fn context_switches() -> anyhow::Result<u64> {
    let mut total = 0;
    for task in std::fs::read_dir("/proc/self/task")? {
        let status = std::fs::read_to_string(task?.path().join("status"))?;
        total += status
            .lines()
            .filter(|l| {
                l.starts_with("voluntary_ctxt_switches")
                    || l.starts_with("nonvoluntary_ctxt_switches")
            })
            .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum::<u64>();
    }
    Ok(total)
}
