//! Realistic journal text for benchmarks: a deterministic generator (xorshift64*) over a
//! Zipf-weighted vocabulary. Shared by `benches/store.rs` and `tests/src/bin/sync-bench.rs`
//! (included with `#[path]`), so both measure with the same kind of text.

/// xorshift64*: deterministic, dependency-free.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Roughly Zipf-distributed index in 0..n (common words are common).
    pub fn zipf(&mut self, n: usize) -> usize {
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

pub fn sentence(rng: &mut Rng, min: usize, max: usize) -> String {
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
