//! How fast a non-device source (file, synthetic) delivers its samples, and the thread that
//! does it.

use super::{SampleSink, SourceEvent, SourceFormat};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pacing {
    /// Like a microphone: one block per block duration (samples dropped if the writer lags).
    RealTime,
    /// As fast as the recorder consumes, never dropping: for tests and benchmarks.
    AsFastAsConsumed,
}

/// Frames per delivered block: 10 ms, like a typical device period.
pub fn block_frames(format: SourceFormat) -> usize {
    (format.sample_rate as usize / 100).max(1)
}

/// What a generator reports after filling a block.
pub enum Fill {
    /// This many frames were written to the start of the block.
    Frames(usize),
    /// The device "disappeared" (a simulation for tests); nothing was written.
    DeviceLost,
}

/// A running player thread; stopping joins it so no sample arrives afterwards.
pub struct Player {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Player {
    /// Calls `fill` for each block and pushes the result into `sink` at `pacing`, until `fill`
    /// returns 0 frames (→ [`SourceEvent::Ended`]), reports loss, or the player is stopped.
    pub fn spawn(
        format: SourceFormat,
        pacing: Pacing,
        mut sink: SampleSink,
        events: Sender<SourceEvent>,
        mut fill: impl FnMut(&mut [f32]) -> Fill + Send + 'static,
    ) -> std::io::Result<Player> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("jotline-audio-player".into())
            .spawn(move || {
                let channels = usize::from(format.channels);
                let mut block = vec![0.0f32; block_frames(format) * channels];
                let started = Instant::now();
                let mut delivered_frames: u64 = 0;
                while !stopped.load(Ordering::Relaxed) {
                    let frames = match fill(&mut block) {
                        Fill::Frames(0) => {
                            let _ = events.send(SourceEvent::Ended);
                            return;
                        }
                        Fill::Frames(n) => n,
                        Fill::DeviceLost => {
                            let _ = events.send(SourceEvent::DeviceLost);
                            return;
                        }
                    };
                    let samples = &block[..frames * channels];
                    match pacing {
                        Pacing::RealTime => {
                            sink.push(samples);
                            delivered_frames += frames as u64;
                            let due = Duration::from_secs_f64(
                                delivered_frames as f64 / f64::from(format.sample_rate),
                            );
                            // Absolute schedule: sleeping "one block" each time would drift.
                            if let Some(wait) = due.checked_sub(started.elapsed()) {
                                std::thread::sleep(wait);
                            }
                        }
                        Pacing::AsFastAsConsumed => {
                            while sink.free_slots() < samples.len() {
                                if stopped.load(Ordering::Relaxed) {
                                    return;
                                }
                                std::thread::sleep(Duration::from_millis(1));
                            }
                            sink.push(samples);
                        }
                    }
                }
            })?;
        Ok(Player {
            stop,
            thread: Some(thread),
        })
    }

    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        self.stop();
    }
}
