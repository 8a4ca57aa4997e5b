//! Mono resampling from the source's rate to the WAV's 16 kHz, with the resampler's delay
//! removed and its tail flushed, so the output lasts exactly as long as the input.

use super::AudioError;
use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

/// Input frames per resampler call: ~10 ms at 48 kHz, so the first samples reach the file soon.
const CHUNK_FRAMES: usize = 512;

pub struct MonoResampler {
    /// `None` when the rates match: samples pass through untouched.
    fft: Option<Fft<f32>>,
    ratio: f64,
    pending: Vec<f32>,
    output: Vec<f32>,
    /// Output frames still to discard: the resampler's delay.
    to_skip: usize,
    input_frames: u64,
    output_frames: u64,
}

impl MonoResampler {
    pub fn new(from_rate: u32, to_rate: u32) -> Result<Self, AudioError> {
        let fft = if from_rate == to_rate {
            None
        } else {
            Some(
                Fft::<f32>::new(
                    from_rate as usize,
                    to_rate as usize,
                    CHUNK_FRAMES,
                    1,
                    FixedSync::Input,
                )
                .map_err(|error| AudioError::Resample(error.to_string()))?,
            )
        };
        let (output_len, to_skip) = fft
            .as_ref()
            .map_or((0, 0), |fft| (fft.output_frames_max(), fft.output_delay()));
        Ok(Self {
            fft,
            ratio: f64::from(to_rate) / f64::from(from_rate),
            pending: Vec::with_capacity(CHUNK_FRAMES * 2),
            output: vec![0.0; output_len],
            to_skip,
            input_frames: 0,
            output_frames: 0,
        })
    }

    /// Resamples `mono` and appends whatever output is ready to `out`.
    pub fn push(&mut self, mono: &[f32], out: &mut Vec<f32>) -> Result<(), AudioError> {
        self.input_frames += mono.len() as u64;
        if self.fft.is_none() {
            self.emit_from(mono, out);
            return Ok(());
        }
        self.pending.extend_from_slice(mono);
        while self.pending.len() >= CHUNK_FRAMES {
            self.process_chunk(CHUNK_FRAMES, out)?;
            self.pending.drain(..CHUNK_FRAMES);
        }
        Ok(())
    }

    /// Flushes the buffered input and the resampler's delay line; `out` then holds exactly
    /// `input × ratio` frames in total.
    pub fn finish(&mut self, out: &mut Vec<f32>) -> Result<(), AudioError> {
        if self.fft.is_none() {
            return Ok(());
        }
        let expected = (self.input_frames as f64 * self.ratio).round() as u64;
        while self.output_frames < expected {
            let valid = self.pending.len().min(CHUNK_FRAMES);
            self.pending.resize(CHUNK_FRAMES, 0.0);
            let before = out.len();
            self.process_chunk(valid, out)?;
            self.pending.clear();
            // Trim the zero-padded overshoot so the total is exact.
            let over = self.output_frames.saturating_sub(expected) as usize;
            out.truncate(out.len() - over.min(out.len() - before));
            self.output_frames -= over as u64;
        }
        Ok(())
    }

    fn process_chunk(&mut self, valid: usize, out: &mut Vec<f32>) -> Result<(), AudioError> {
        let Some(fft) = self.fft.as_mut() else {
            return Ok(());
        };
        let input = InterleavedSlice::new(&self.pending[..CHUNK_FRAMES], 1, CHUNK_FRAMES)
            .map_err(|error| AudioError::Resample(error.to_string()))?;
        let output_len = self.output.len();
        let mut output = InterleavedSlice::new_mut(&mut self.output, 1, output_len)
            .map_err(|error| AudioError::Resample(error.to_string()))?;
        let indexing = (valid < CHUNK_FRAMES).then(|| Indexing::new().partial_len(valid));
        let (_, written) = fft
            .process_into_buffer(&input, &mut output, indexing.as_ref())
            .map_err(|error| AudioError::Resample(error.to_string()))?;
        let produced = std::mem::take(&mut self.output);
        self.emit_from(&produced[..written], out);
        self.output = produced;
        Ok(())
    }

    /// Appends `frames` to `out` after dropping what remains of the initial delay.
    fn emit_from(&mut self, frames: &[f32], out: &mut Vec<f32>) {
        let skip = self.to_skip.min(frames.len());
        self.to_skip -= skip;
        out.extend_from_slice(&frames[skip..]);
        self.output_frames += (frames.len() - skip) as u64;
    }
}
