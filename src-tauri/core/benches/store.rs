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

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Roughly Zipf-distributed index in 0..n (common words are common).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
}

const COMMON: &[&str] = &[
    "the", "a", "and", "to", "of", "in", "i", "it", "with", "for", "on", "that", "was", "is",
    "today", "meeting", "call", "idea", "need", "remember", "project", "team", "talked", "about",
    "tomorrow", "buy", "read", "book", "coffee", "walk", "plan", "write", "email", "review",
    "garden", "kids", "dinner", "lunch", "weekend", "travel", "budget", "doctor", "gym", "run",
    "sleep", "music", "film", "notes", "draft", "design", "bug", "release", "deadline", "client",
    "invoice", "friend", "birthday", "gift", "trip", "train", "weather", "rain", "sun", "morning",
    "evening", "quiet", "tired", "happy", "worried", "grateful", "learned", "started", "finished",
];

fn vocabulary() -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "ka", "lo", "mi", "ren", "sa", "tor", "vel", "qui", "dan", "por", "ex", "lin", "mar",
        "zen", "ta", "ri", "bo", "nel", "fa", "ugo",
    ];
    let mut words: Vec<String> = COMMON.iter().map(|s| s.to_string()).collect();
    let mut rng = Rng(99);
    while words.len() < 6_000 {
        let n = 2 + rng.below(3);
        let w: String = (0..n)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
            .collect();
        words.push(w);
    }
    words
}

fn sentence(rng: &mut Rng, min: usize, max: usize) -> String {
    thread_local! { static VOCAB: Vec<String> = vocabulary(); }
    VOCAB.with(|v| {
        let n = min + rng.below(max - min);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            match rng.below(40) {
                0 => out.push_str(&format!(
                    "#{}",
                    ["work", "home", "health", "ideas", "family"][rng.below(5)]
                )),
                1 => out.push_str(&format!(
                    "@{}",
                    ["ana", "bob", "mia", "leo", "sam", "kim"][rng.below(6)]
                )),
                _ => out.push_str(&v[rng.zipf(v.len())]),
            }
        }
        out
    })
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
