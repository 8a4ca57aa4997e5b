//! Store benchmarks. Prints `METRIC <name> <value> <unit>` lines.
//!
//! Run: `cargo bench -p jotline-core --bench store`. The capture and fsync probes share one
//! directory (`JOTLINE_BENCH_DIR`, default: the system temp dir), so their ratio compares
//! like with like.

use chrono::{Duration as ChronoDuration, TimeZone, Utc};
use jotline_core::{Core, CoreConfig, NewEntry, Surface, SystemClock};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[path = "support/sample_text.rs"]
mod sample_text;
use sample_text::{sentence, Rng};

const CAPTURES: usize = 1_000;
const FSYNC_SAMPLES: usize = 1_000;
const SEED: usize = 100_000;

fn metric(name: &str, value: f64, unit: &str) {
    println!("METRIC {name} {value:.3} {unit}");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    let idx = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[idx]
}

fn open(dir: &Path) -> Core {
    Core::open(CoreConfig {
        data_dir: dir.to_path_buf(),
        clock: Arc::new(SystemClock),
    })
    .expect("open core")
}

/// Capture commits and raw fsyncs (4 KiB write + `sync_all`) in the same directory,
/// interleaved sample by sample so both see the same disk conditions.
fn capture_and_fsync_probe(dir: &Path) -> (Vec<f64>, Vec<f64>) {
    let core = open(&dir.join("capture"));
    let path = dir.join("fsync-probe.bin");
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&path)
        .expect("probe file");
    let block = vec![0x5au8; 4096];
    let mut rng = Rng(7);
    let mut captures = Vec::with_capacity(CAPTURES);
    let mut fsyncs = Vec::with_capacity(FSYNC_SAMPLES);
    for i in 0..CAPTURES.max(FSYNC_SAMPLES) {
        if i < FSYNC_SAMPLES {
            let t = Instant::now();
            file.write_all(&block).expect("write");
            file.sync_all().expect("fsync");
            fsyncs.push(ms(t.elapsed()));
        }
        if i < CAPTURES {
            let text = sentence(&mut rng, 12, 40);
            let t = Instant::now();
            core.capture_text(&text, Surface::DesktopHotkey)
                .expect("capture");
            captures.push(ms(t.elapsed()));
        }
    }
    (captures, fsyncs)
}

fn seed(core: &Core) -> Duration {
    let mut rng = Rng(42);
    let start = Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).unwrap();
    let t = Instant::now();
    let items: Vec<NewEntry> = (0..SEED)
        .map(|_| NewEntry {
            kind: "note".into(),
            title: (rng.below(5) == 0).then(|| sentence(&mut rng, 2, 6)),
            body: sentence(&mut rng, 8, 80),
            // Five years, in random order relative to insertion.
            occurred_at: start + ChronoDuration::seconds(rng.below(5 * 365 * 86_400) as i64),
        })
        .collect();
    core.import_entries(&items).expect("seed");
    t.elapsed()
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut samples: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            ms(t.elapsed())
        })
        .collect();
    percentile(&mut samples, 0.5)
}

fn main() {
    let base = std::env::var_os("JOTLINE_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    std::fs::create_dir_all(&base).expect("bench dir");
    let dir = tempfile::tempdir_in(&base).expect("temp dir");
    eprintln!("bench dir: {}", dir.path().display());

    let (mut capture, mut fsync) = capture_and_fsync_probe(dir.path());
    let fsync_p50 = percentile(&mut fsync, 0.5);
    let capture_p50 = percentile(&mut capture, 0.5);
    metric("capture_commit_p50_ms", capture_p50, "ms");
    metric(
        "capture_commit_p99_ms",
        percentile(&mut capture, 0.99),
        "ms",
    );
    metric("fsync_p50_ms", fsync_p50, "ms");
    metric(
        "capture_commit_vs_fsync_ratio",
        capture_p50 / fsync_p50,
        "ratio",
    );

    let big_dir = dir.path().join("big");
    let core = open(&big_dir);
    let seeded = seed(&core);
    metric("seed_100k_s", seeded.as_secs_f64(), "s");
    drop(core);
    let t = Instant::now();
    let core = open(&big_dir);
    metric("open_100k_ms", ms(t.elapsed()), "ms");

    let timeline = median_ms(200, || {
        let page = core.timeline_page(None, 50).expect("timeline");
        assert_eq!(page.entries.len(), 50);
    });
    metric("timeline_first_page_100k_ms", timeline, "ms");

    // A typical one-word query: a mid-frequency word ("coffee").
    let search = median_ms(100, || {
        let hits = core.search("coffee", 50).expect("search");
        assert_eq!(hits.len(), 50);
    });
    metric("search_100k_ms", search, "ms");
    for word in ["the", "meeting", "#work", "zzzz"] {
        let mut n = 0;
        let t = median_ms(20, || n = core.search(word, 50).expect("search").len());
        let name = word.trim_start_matches('#');
        eprintln!("search {word:?}: {t:.3} ms ({n} hits)");
        metric(&format!("search_100k_{name}_ms"), t, "ms");
    }
}
