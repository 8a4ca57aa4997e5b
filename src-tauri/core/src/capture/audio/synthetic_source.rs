//! A generated signal (sine tone or silence) standing in for a microphone in tests and
//! benchmarks; it can simulate the device disappearing.

use super::pacing::{Fill, Player};
use super::{AudioError, AudioSource, Pacing, SampleSink, SourceEvent, SourceFormat};
use std::f64::consts::TAU;
use std::sync::mpsc::Sender;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Signal {
    /// The same sine on every channel.
    Sine {
        frequency_hz: f64,
        amplitude: f32,
    },
    Silence,
}

pub struct SyntheticSource {
    spec: Spec,
    player: Option<Player>,
}

/// Everything but the running thread, so a fallback source can be made from it.
#[derive(Debug, Clone)]
struct Spec {
    name: String,
    format: SourceFormat,
    signal: Signal,
    pacing: Pacing,
    lose_device_after: Option<Duration>,
    fallback: Option<Box<Spec>>,
}

impl SyntheticSource {
    pub fn new(format: SourceFormat, signal: Signal, pacing: Pacing) -> Self {
        Self {
            spec: Spec {
                name: "synthetic".to_string(),
                format,
                signal,
                pacing,
                lose_device_after: None,
                fallback: None,
            },
            player: None,
        }
    }

    /// A 1 kHz tone at half scale.
    pub fn tone(sample_rate: u32, channels: u16, pacing: Pacing) -> Self {
        let signal = Signal::Sine {
            frequency_hz: 1000.0,
            amplitude: 0.5,
        };
        Self::new(
            SourceFormat {
                sample_rate,
                channels,
            },
            signal,
            pacing,
        )
    }

    pub fn named(mut self, name: &str) -> Self {
        self.spec.name = name.to_string();
        self
    }

    /// Simulates the device vanishing after this much audio.
    pub fn losing_device_after(mut self, after: Duration) -> Self {
        self.spec.lose_device_after = Some(after);
        self
    }

    /// What the recorder continues with after a loss (like the system's default device).
    pub fn with_fallback(mut self, fallback: SyntheticSource) -> Self {
        self.spec.fallback = Some(Box::new(fallback.spec));
        self
    }
}

impl AudioSource for SyntheticSource {
    fn name(&self) -> String {
        self.spec.name.clone()
    }

    fn format(&self) -> SourceFormat {
        self.spec.format
    }

    fn start(&mut self, sink: SampleSink, events: Sender<SourceEvent>) -> Result<(), AudioError> {
        let spec = &self.spec;
        let channels = usize::from(spec.format.channels);
        let rate = f64::from(spec.format.sample_rate);
        let signal = spec.signal;
        let frames_until_loss = spec
            .lose_device_after
            .map(|after| (after.as_secs_f64() * rate) as u64);
        let mut frame_index: u64 = 0;
        let fill = move |block: &mut [f32]| {
            if frames_until_loss.is_some_and(|limit| frame_index >= limit) {
                return Fill::DeviceLost;
            }
            let frames = block.len() / channels;
            for frame in block.chunks_exact_mut(channels) {
                let value = match signal {
                    Signal::Sine {
                        frequency_hz,
                        amplitude,
                    } => {
                        // Phase from the absolute index keeps the tone exact over hours.
                        let phase = (frame_index as f64 * frequency_hz / rate).fract();
                        amplitude * (TAU * phase).sin() as f32
                    }
                    Signal::Silence => 0.0,
                };
                frame.fill(value);
                frame_index += 1;
            }
            Fill::Frames(frames)
        };
        self.player = Some(Player::spawn(spec.format, spec.pacing, sink, events, fill)?);
        Ok(())
    }

    fn stop(&mut self) {
        if let Some(mut player) = self.player.take() {
            player.stop();
        }
    }

    fn fallback(&self) -> Option<Box<dyn AudioSource>> {
        self.spec.fallback.as_ref().map(|next| {
            Box::new(SyntheticSource {
                spec: next.as_ref().clone(),
                player: None,
            }) as Box<dyn AudioSource>
        })
    }
}
