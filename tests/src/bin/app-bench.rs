//! `make bench` part for the whole app: start to first paint of the journal window, and the
//! idle memory of all the app's processes (the app and its WebKit web and network
//! processes). Prints `METRIC <name> <value> <unit>` lines.
//!
//! First paint is taken as the main window's page-load-finished signal that the app logs
//! (`main window loaded`), measured from process spawn.

use jotline_tests::{app, process::tree_memory_mb};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn main() -> anyhow::Result<()> {
    let binary = app::binary();
    let mut paints = Vec::new();
    let mut memory = None;
    for run in 0..RUNS {
        let data = tempfile::tempdir()?;
        let started = Instant::now();
        let mut child = Command::new(&binary)
            .env("JOTLINE_DATA_DIR", data.path())
            .env("JOTLINE_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()?;
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("main window loaded") {
                    let _ = tx.send(started.elapsed());
                }
            }
        });
        let paint = rx.recv_timeout(Duration::from_secs(60));
        if let Ok(paint) = paint {
            paints.push(paint.as_secs_f64() * 1000.0);
            if run == 0 {
                // Idle: let start-up work settle, then sum the app and its web processes.
                std::thread::sleep(Duration::from_secs(5));
                let pid = child.id();
                memory = Some((tree_memory_mb(pid, "Rss"), tree_memory_mb(pid, "Pss")));
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        anyhow::ensure!(paint.is_ok(), "the app never reported its first paint");
    }
    paints.sort_by(f64::total_cmp);
    let (rss, pss) = memory.expect("measured on the first run");
    println!(
        "METRIC app_first_paint_ms {:.0} ms",
        paints[paints.len() / 2]
    );
    println!("METRIC app_idle_rss_mb {rss:.1} MB");
    // RSS counts the shared WebKit libraries once per process; PSS shares them out.
    println!("METRIC app_idle_pss_mb {pss:.1} MB");
    Ok(())
}
