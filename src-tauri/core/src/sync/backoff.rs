//! Capped exponential backoff with jitter; the RNG is seeded so tests are deterministic.

use std::time::Duration;

/// Never wait longer than this between retries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);
/// First retry delay (before jitter).
pub const BASE_BACKOFF: Duration = Duration::from_secs(2);

/// "Equal jitter": attempt n waits `d/2 + rand(0..=d/2)` with `d = min(cap, base * 2^n)`,
/// so a delay grows, never exceeds the cap, and clients that failed together spread out.
#[derive(Debug, Clone)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    attempt: u32,
    rng: SplitMix64,
}

impl Backoff {
    pub fn new(seed: u64) -> Self {
        Self::with_limits(BASE_BACKOFF, MAX_BACKOFF, seed)
    }

    /// Seeded from the wall clock (the app; tests pass a fixed seed to `new`).
    pub fn from_time() -> Self {
        Self::new(time_seed())
    }

    pub fn with_limits(base: Duration, cap: Duration, seed: u64) -> Self {
        Self {
            base,
            cap: cap.min(MAX_BACKOFF),
            attempt: 0,
            rng: SplitMix64(seed),
        }
    }

    /// Failures since the last success.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The delay before the next try, and counts one more failure.
    pub fn next_delay(&mut self) -> Duration {
        let exp = self
            .base
            .checked_mul(1u32.checked_shl(self.attempt.min(31)).unwrap_or(u32::MAX))
            .unwrap_or(self.cap)
            .min(self.cap);
        self.attempt = self.attempt.saturating_add(1);
        let half = exp / 2;
        let jitter_ms = self.rng.next() % (half.as_millis() as u64 + 1);
        half + Duration::from_millis(jitter_ms)
    }

    /// After a success: the next failure starts again at `base`.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

/// A seed that differs between runs and devices (the clock's nanoseconds).
pub fn time_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x5eed)
}

/// A tiny, good-enough PRNG (SplitMix64) so the core needs no `rand`.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
