//! The lock-free hand-off from a source's thread to the writer thread.
//!
//! Overflow policy: the producer never blocks. When the ring is full (the writer fell more than
//! [`RING_SECONDS`] behind) the samples that do not fit are dropped and counted; the writer
//! reports the count as `RecorderEvent::Overflow`. Dropping whole frames keeps channels aligned.

use super::SourceFormat;
use rtrb::{Consumer, Producer, RingBuffer};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How much audio the ring holds: the writer may stall this long (slow disk) before loss.
pub const RING_SECONDS: u32 = 4;

/// The producing end, handed to a source. `push` is real-time safe: no locks, no allocation.
pub struct SampleSink {
    producer: Producer<f32>,
    channels: usize,
    dropped: Arc<AtomicU64>,
}

/// The consuming end, kept by the writer thread.
pub struct SampleStream {
    pub consumer: Consumer<f32>,
    pub format: SourceFormat,
    pub dropped: Arc<AtomicU64>,
}

pub fn sample_ring(format: SourceFormat) -> (SampleSink, SampleStream) {
    let capacity = (format.sample_rate * u32::from(format.channels) * RING_SECONDS) as usize;
    let (producer, consumer) = RingBuffer::new(capacity);
    let dropped = Arc::new(AtomicU64::new(0));
    let sink = SampleSink {
        producer,
        channels: usize::from(format.channels.max(1)),
        dropped: dropped.clone(),
    };
    let stream = SampleStream {
        consumer,
        format,
        dropped,
    };
    (sink, stream)
}

impl SampleSink {
    /// Copies as many whole frames of `interleaved` as fit; counts the rest as dropped.
    /// Returns the number of samples accepted.
    pub fn push(&mut self, interleaved: &[f32]) -> usize {
        let room = self.producer.slots().min(interleaved.len());
        let accepted = room - room % self.channels;
        if accepted > 0 {
            // `accepted` fits the free slots, so nothing is left over.
            let (_pushed, _left) = self.producer.push_partial_slice(&interleaved[..accepted]);
        }
        let lost = interleaved.len() - accepted;
        if lost > 0 {
            self.dropped.fetch_add(lost as u64, Ordering::Relaxed);
        }
        accepted
    }

    /// Free room in samples; non-real-time sources (files, tests) wait on this instead of
    /// overflowing.
    pub fn free_slots(&self) -> usize {
        self.producer.slots()
    }

    /// Interleaved channel count this sink expects.
    pub fn channels(&self) -> usize {
        self.channels
    }
}
