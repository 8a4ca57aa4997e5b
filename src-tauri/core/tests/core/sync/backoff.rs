use jotline_core::sync::backoff::{Backoff, BASE_BACKOFF, MAX_BACKOFF};
use std::time::Duration;

fn delays(seed: u64, n: usize) -> Vec<Duration> {
    let mut b = Backoff::new(seed);
    (0..n).map(|_| b.next_delay()).collect()
}

#[test]
fn same_seed_same_delays_and_different_seeds_differ() {
    assert_eq!(delays(7, 20), delays(7, 20));
    assert_ne!(delays(7, 20), delays(8, 20));
}

#[test]
fn delays_grow_within_jitter_bounds_and_never_pass_the_cap() {
    let mut b = Backoff::new(42);
    for attempt in 0..40u32 {
        let d = b.next_delay();
        let exp = BASE_BACKOFF
            .checked_mul(2u32.saturating_pow(attempt))
            .unwrap_or(MAX_BACKOFF)
            .min(MAX_BACKOFF);
        assert!(
            d >= exp / 2 && d <= exp,
            "attempt {attempt}: {d:?} vs {exp:?}"
        );
        assert!(d <= Duration::from_secs(300));
    }
    assert_eq!(b.attempt(), 40);
}

#[test]
fn reset_starts_over_at_the_base() {
    let mut b = Backoff::new(1);
    for _ in 0..10 {
        b.next_delay();
    }
    b.reset();
    assert!(b.next_delay() <= BASE_BACKOFF);
}

#[test]
fn custom_cap_is_respected_but_never_above_five_minutes() {
    let mut b = Backoff::with_limits(Duration::from_secs(1), Duration::from_secs(3600), 3);
    for _ in 0..30 {
        assert!(b.next_delay() <= MAX_BACKOFF);
    }
    let mut b = Backoff::with_limits(Duration::from_millis(100), Duration::from_secs(1), 3);
    for _ in 0..30 {
        assert!(b.next_delay() <= Duration::from_secs(1));
    }
}
