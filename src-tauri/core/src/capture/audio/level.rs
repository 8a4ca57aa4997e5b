//! Level metering: RMS and peak of mono samples over fixed windows, for the meter in the
//! capture window and for silence detection.

/// Loudness of one window, linear full scale (0.0 = silence, 1.0 = clipping).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    pub rms: f32,
    pub peak: f32,
}

impl Level {
    /// RMS in dB relative to full scale; −∞ for digital silence.
    pub fn rms_dbfs(&self) -> f32 {
        20.0 * self.rms.log10()
    }
}

/// Accumulates samples and yields one [`Level`] per `window_frames` samples.
#[derive(Debug, Clone)]
pub struct LevelMeter {
    window_frames: usize,
    count: usize,
    sum_squares: f64,
    peak: f32,
}

impl LevelMeter {
    pub fn new(window_frames: usize) -> Self {
        Self {
            window_frames: window_frames.max(1),
            count: 0,
            sum_squares: 0.0,
            peak: 0.0,
        }
    }

    /// Feeds mono samples; calls `on_window` for every window completed by them.
    pub fn push(&mut self, mono: &[f32], mut on_window: impl FnMut(Level)) {
        for &sample in mono {
            self.sum_squares += f64::from(sample) * f64::from(sample);
            self.peak = self.peak.max(sample.abs());
            self.count += 1;
            if self.count == self.window_frames {
                on_window(Level {
                    rms: (self.sum_squares / self.count as f64).sqrt() as f32,
                    peak: self.peak,
                });
                self.count = 0;
                self.sum_squares = 0.0;
                self.peak = 0.0;
            }
        }
    }
}
