//! `make bench` part for the whole app, on the release build `make package` bundles.
//! Prints `METRIC <name> <value> <unit>` lines:
//! - `release_binary_mb`, `deb_mb`: what a user downloads and installs;
//! - `cold_start_first_paint_ms`: the first start on a new journal with the page cache
//!   dropped first (when allowed, i.e. as root), spawn → the main window's page-load-finished
//!   signal the app logs (`main window loaded`); `app_first_paint_ms`: the median of the
//!   warm starts that follow;
//! - `idle_rss_60s_mb` / `idle_pss_60s_mb`: memory of the app and its WebKit processes 60 s
//!   after first paint (RSS counts shared libraries once per process; PSS shares them out);
//! - `startup_cpu_after_paint_s`: CPU seconds the tree still spends in the `SETTLE` after
//!   first paint (the tail of start-up: software rendering threads, the capture page);
//! - `idle_cpu_pct`: CPU of that process tree over the 60 s after it settled, in % of one
//!   core (should be ~0: nothing polls); `idle_wakeups_per_s`: its threads' context switches
//!   per second over the same 60 s.

use jotline_tests::{app, process};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WARM_RUNS: usize = 4;
/// After first paint start-up still has a tail (rendering, the capture window's page): idle
/// is measured after this.
const SETTLE: Duration = Duration::from_secs(10);
const IDLE: Duration = Duration::from_secs(60);
/// Memory is read this long after first paint.
const MEMORY_AT: Duration = Duration::from_secs(60);

fn main() -> anyhow::Result<()> {
    let binary = app::binary();
    let deb = std::env::var_os("JOTLINE_DEB").map(PathBuf::from);
    println!("METRIC release_binary_mb {:.2} MB", size_mb(&binary)?);
    if let Some(deb) = deb {
        println!("METRIC deb_mb {:.2} MB", size_mb(&deb)?);
    }

    let dropped = drop_page_cache();
    if !dropped {
        eprintln!("app-bench: page cache not dropped (needs root); the cold start is warm-ish");
    }
    let data = tempfile::tempdir()?;
    let (mut child, cold) = start(&binary, data.path())?;
    println!("METRIC cold_start_first_paint_ms {cold:.0} ms");
    let pid = child.id();
    let painted = Instant::now();
    let cpu_at_paint = process::tree_cpu_ticks(pid);
    std::thread::sleep(SETTLE);
    let cpu_before = process::tree_cpu_ticks(pid);
    let switches_before = process::tree_context_switches(pid);
    std::thread::sleep(MEMORY_AT.saturating_sub(painted.elapsed()));
    let rss = process::tree_memory_mb(pid, "Rss");
    let pss = process::tree_memory_mb(pid, "Pss");
    std::thread::sleep((SETTLE + IDLE).saturating_sub(painted.elapsed()));
    let cpu_after = process::tree_cpu_ticks(pid);
    let switches_after = process::tree_context_switches(pid);
    stop(&mut child);
    let ticks_per_s = process::clock_ticks_per_second() as f64;
    let startup_s = cpu_before.saturating_sub(cpu_at_paint) as f64 / ticks_per_s;
    let cpu_pct =
        (cpu_after.saturating_sub(cpu_before)) as f64 / ticks_per_s / IDLE.as_secs_f64() * 100.0;
    let wakeups =
        process::switches_between(&switches_before, &switches_after) as f64 / IDLE.as_secs_f64();
    println!("METRIC idle_rss_60s_mb {rss:.1} MB");
    println!("METRIC idle_pss_60s_mb {pss:.1} MB");
    println!("METRIC startup_cpu_after_paint_s {startup_s:.2} s");
    println!("METRIC idle_cpu_pct {cpu_pct:.2} %");
    println!("METRIC idle_wakeups_per_s {wakeups:.1} /s");

    let mut paints = Vec::new();
    for _ in 0..WARM_RUNS {
        let data = tempfile::tempdir()?;
        let (mut child, paint) = start(&binary, data.path())?;
        stop(&mut child);
        paints.push(paint);
    }
    paints.sort_by(f64::total_cmp);
    println!(
        "METRIC app_first_paint_ms {:.0} ms",
        paints[paints.len() / 2]
    );
    Ok(())
}

/// Starts the app on a new journal in `data`; returns it and the ms to its first paint.
fn start(binary: &std::path::Path, data: &std::path::Path) -> anyhow::Result<(Child, f64)> {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .env("JOTLINE_DATA_DIR", data)
        .env("JOTLINE_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Keep reading to the end so the app never blocks on a full pipe.
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("main window loaded") {
                let _ = tx.send(started.elapsed());
            }
        }
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(paint) => Ok((child, paint.as_secs_f64() * 1000.0)),
        Err(_) => {
            stop(&mut child);
            anyhow::bail!("the app never reported its first paint")
        }
    }
}

fn stop(child: &mut Child) {
    process::kill_tree(child.id());
    let _ = child.wait();
}

fn size_mb(path: &std::path::Path) -> anyhow::Result<f64> {
    let bytes = std::fs::metadata(path)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        .len();
    Ok(bytes as f64 / (1024.0 * 1024.0))
}

fn drop_page_cache() -> bool {
    let _ = Command::new("sync").status();
    std::fs::write("/proc/sys/vm/drop_caches", b"3\n").is_ok()
}
