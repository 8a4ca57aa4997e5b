//! The writer thread: drains the ring, downmixes, meters, resamples and streams to the WAV;
//! watches the source for loss and the clock for syncing, silence and the length limit.

use super::recording_spec::{FinishedRecording, RecorderConfig, RecorderEvent};
use super::resample::MonoResampler;
use super::ring::{sample_ring, SampleStream};
use super::{
    AudioError, AudioSource, LevelMeter, SourceEvent, SourceFormat, WavSink, OUTPUT_SAMPLE_RATE,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How often the header is rewritten and the file synced: a crash loses less than this plus
/// one poll.
pub const SYNC_INTERVAL: Duration = Duration::from_millis(500);
/// How long the writer sleeps when the ring is empty (a device period is ~10 ms).
const POLL_INTERVAL: Duration = Duration::from_millis(10);
/// Frames read from the ring per step.
const READ_FRAMES: usize = 4096;
/// Below this RMS (−50 dBFS, under a quiet room's microphone noise) a window counts as silent.
pub(crate) const SILENCE_RMS: f32 = 0.003;
/// `Elapsed` is reported each time the recording grows by this much.
const ELAPSED_STEP_MS: u64 = 250;

pub type EventSink = Box<dyn FnMut(RecorderEvent) + Send>;

/// Asks the writer to end the recording.
#[derive(Default)]
pub struct Control {
    pub stop: AtomicBool,
}

pub struct Writer {
    config: RecorderConfig,
    sink: WavSink,
    source: Box<dyn AudioSource>,
    stream: SampleStream,
    source_events: Receiver<SourceEvent>,
    resampler: MonoResampler,
    meter: LevelMeter,
    on_event: EventSink,
    max_frames: u64,
    read_buf: Vec<f32>,
    mono: Vec<f32>,
    out: Vec<f32>,
    silent_ms: u64,
    silence_warned: bool,
    reported_dropped: u64,
    next_elapsed_ms: u64,
    first_sample_written: bool,
}

impl Writer {
    pub fn new(
        config: RecorderConfig,
        sink: WavSink,
        source: Box<dyn AudioSource>,
        stream: SampleStream,
        source_events: Receiver<SourceEvent>,
        on_event: EventSink,
    ) -> Result<Self, AudioError> {
        let format = stream.format;
        let max_frames =
            config.max_duration.as_millis() as u64 * u64::from(OUTPUT_SAMPLE_RATE) / 1000;
        Ok(Self {
            resampler: MonoResampler::new(format.sample_rate, OUTPUT_SAMPLE_RATE)?,
            meter: LevelMeter::new(window_frames(&config, format)),
            read_buf: vec![0.0; READ_FRAMES * usize::from(format.channels.max(1))],
            mono: Vec::with_capacity(READ_FRAMES),
            out: Vec::with_capacity(READ_FRAMES * 2),
            config,
            sink,
            source,
            stream,
            source_events,
            on_event,
            max_frames,
            silent_ms: 0,
            silence_warned: false,
            reported_dropped: 0,
            next_elapsed_ms: ELAPSED_STEP_MS,
            first_sample_written: false,
        })
    }

    /// Records until stopped, the length limit, or the loss of every device; then finalizes.
    pub fn run(mut self, control: &Control) -> Result<FinishedRecording, AudioError> {
        let recorded = self.record(control);
        if let Err(error) = &recorded {
            (self.on_event)(RecorderEvent::Failed {
                message: error.to_string(),
            });
        }
        // Even after an error, keep whatever reached the file.
        let finished = self.finish();
        recorded.and(finished)
    }

    fn record(&mut self, control: &Control) -> Result<(), AudioError> {
        let mut last_sync = Instant::now();
        loop {
            let stopping = control.stop.load(Ordering::Acquire);
            let drained = self.drain()?;
            self.report_overflow();
            if self.sink_full() {
                (self.on_event)(RecorderEvent::MaxLengthReached);
                return Ok(());
            }
            if stopping {
                return Ok(());
            }
            while let Ok(event) = self.source_events.try_recv() {
                match event {
                    SourceEvent::DeviceLost => {
                        if !self.switch_to_fallback()? {
                            return Ok(());
                        }
                    }
                    SourceEvent::Ended => (self.on_event)(RecorderEvent::SourceEnded),
                    SourceEvent::Failed(message) => {
                        tracing::warn!(%message, "audio source error");
                        (self.on_event)(RecorderEvent::Failed { message });
                    }
                }
            }
            if last_sync.elapsed() >= SYNC_INTERVAL {
                self.sink.sync()?;
                last_sync = Instant::now();
            }
            if drained == 0 {
                std::thread::park_timeout(POLL_INTERVAL);
            }
        }
    }

    /// Stops the source, writes what it had delivered and the resampler's tail, finalizes.
    fn finish(mut self) -> Result<FinishedRecording, AudioError> {
        self.source.stop();
        self.drain()?;
        self.out.clear();
        self.resampler.finish(&mut self.out)?;
        self.write_out()?;
        let duration_ms = self.sink.duration_ms();
        let path = self.sink.path().to_path_buf();
        let bytes = self.sink.finalize()?;
        Ok(FinishedRecording {
            path,
            duration_ms,
            bytes,
        })
    }

    /// Processes what the ring held on entry (not more: a source faster than real time would
    /// keep it from ever being empty); returns the frames read.
    fn drain(&mut self) -> Result<usize, AudioError> {
        let channels = usize::from(self.stream.format.channels.max(1));
        let mut left = self.stream.consumer.slots();
        let mut total = 0;
        // Past the length limit nothing more is metered or written.
        while left > 0 && !self.sink_full() {
            let want = left.min(self.read_buf.len());
            let (popped, _) = self
                .stream
                .consumer
                .pop_partial_slice(&mut self.read_buf[..want]);
            let samples = popped.len();
            if samples == 0 {
                break;
            }
            left -= samples;
            self.mono.clear();
            self.mono.extend(
                self.read_buf[..samples]
                    .chunks_exact(channels)
                    .map(|frame| frame.iter().sum::<f32>() / channels as f32),
            );
            total += samples / channels;
            self.meter_mono();
            self.out.clear();
            self.resampler.push(&self.mono, &mut self.out)?;
            self.write_out()?;
        }
        Ok(total)
    }

    fn meter_mono(&mut self) {
        let window_ms = self.config.level_interval.as_millis() as u64;
        let warn_after_ms = self.config.silence_warning_after.as_millis() as u64;
        let on_event = &mut self.on_event;
        let silent_ms = &mut self.silent_ms;
        let silence_warned = &mut self.silence_warned;
        self.meter.push(&self.mono, |level| {
            on_event(RecorderEvent::Level {
                rms: level.rms,
                peak: level.peak,
            });
            if level.rms < SILENCE_RMS {
                *silent_ms += window_ms;
                if *silent_ms >= warn_after_ms && !*silence_warned {
                    *silence_warned = true;
                    on_event(RecorderEvent::SilenceWarning);
                }
            } else {
                *silent_ms = 0;
                *silence_warned = false;
            }
        });
    }

    /// Appends `self.out` to the file, cut at the length limit.
    fn write_out(&mut self) -> Result<(), AudioError> {
        let room = self.max_frames.saturating_sub(self.sink.frames()) as usize;
        let take = self.out.len().min(room);
        if take == 0 {
            return Ok(());
        }
        self.sink.write(&self.out[..take])?;
        if !self.first_sample_written {
            self.first_sample_written = true;
            (self.on_event)(RecorderEvent::FirstSampleWritten);
        }
        let elapsed_ms = self.sink.duration_ms();
        if elapsed_ms >= self.next_elapsed_ms {
            self.next_elapsed_ms = (elapsed_ms / ELAPSED_STEP_MS + 1) * ELAPSED_STEP_MS;
            (self.on_event)(RecorderEvent::Elapsed { ms: elapsed_ms });
        }
        Ok(())
    }

    fn sink_full(&self) -> bool {
        self.sink.frames() >= self.max_frames
    }

    fn report_overflow(&mut self) {
        let dropped = self.stream.dropped.load(Ordering::Relaxed);
        if dropped > self.reported_dropped {
            let channels = u64::from(self.stream.format.channels.max(1));
            (self.on_event)(RecorderEvent::Overflow {
                dropped: (dropped - self.reported_dropped) / channels,
            });
            self.reported_dropped = dropped;
        }
    }

    /// After device loss: keeps what the lost source delivered, then continues the same file
    /// from the fallback source. Returns false when there is nothing to continue with.
    fn switch_to_fallback(&mut self) -> Result<bool, AudioError> {
        self.source.stop();
        self.drain()?;
        self.report_overflow();
        let Some(mut next) = self.source.fallback() else {
            (self.on_event)(RecorderEvent::DeviceLost { fell_back_to: None });
            return Ok(false);
        };
        let format = next.format();
        let (ring_sink, stream) = sample_ring(format);
        // A fresh channel, so late errors of the lost stream cannot trigger a second switch.
        let (events_tx, events_rx) = mpsc::channel();
        if let Err(error) = next.start(ring_sink, events_tx) {
            tracing::warn!(%error, "fallback audio source failed to start");
            (self.on_event)(RecorderEvent::DeviceLost { fell_back_to: None });
            return Ok(false);
        }
        if format.sample_rate != self.stream.format.sample_rate {
            self.out.clear();
            self.resampler.finish(&mut self.out)?;
            self.write_out()?;
            self.resampler = MonoResampler::new(format.sample_rate, OUTPUT_SAMPLE_RATE)?;
        }
        self.meter = LevelMeter::new(window_frames(&self.config, format));
        self.read_buf = vec![0.0; READ_FRAMES * usize::from(format.channels.max(1))];
        self.stream = stream;
        self.source_events = events_rx;
        self.reported_dropped = 0;
        let name = next.name();
        self.source = next;
        tracing::info!(device = %name, "audio device lost; continuing with the fallback");
        (self.on_event)(RecorderEvent::DeviceLost {
            fell_back_to: Some(name),
        });
        Ok(true)
    }
}

fn window_frames(config: &RecorderConfig, format: SourceFormat) -> usize {
    (config.level_interval.as_secs_f64() * f64::from(format.sample_rate)).round() as usize
}
