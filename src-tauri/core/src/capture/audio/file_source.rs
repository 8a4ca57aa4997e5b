//! A WAV file played as if it were a microphone: for tests, benchmarks and importing.

use super::pacing::{Fill, Player};
use super::{AudioError, AudioSource, Pacing, SampleSink, SourceEvent, SourceFormat};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::Arc;

pub struct FileSource {
    path: PathBuf,
    format: SourceFormat,
    /// Interleaved samples, decoded once at open so playback never touches the disk.
    samples: Arc<Vec<f32>>,
    pacing: Pacing,
    player: Option<Player>,
}

impl FileSource {
    pub fn open(path: &Path, pacing: Pacing) -> Result<Self, AudioError> {
        let reader = hound::WavReader::open(path)?;
        let spec = reader.spec();
        let samples = decode(reader)?;
        Ok(Self {
            path: path.to_path_buf(),
            format: SourceFormat {
                sample_rate: spec.sample_rate,
                channels: spec.channels,
            },
            samples: Arc::new(samples),
            pacing,
            player: None,
        })
    }

    /// Length of the file's audio.
    pub fn duration_ms(&self) -> u64 {
        let frames = self.samples.len() as u64 / u64::from(self.format.channels.max(1));
        frames * 1000 / u64::from(self.format.sample_rate.max(1))
    }
}

fn decode<R: std::io::Read>(reader: hound::WavReader<R>) -> Result<Vec<f32>, AudioError> {
    let spec = reader.spec();
    Ok(match spec.sample_format {
        hound::SampleFormat::Float => reader.into_samples::<f32>().collect::<Result<_, _>>()?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
            reader
                .into_samples::<i32>()
                .map(|sample| sample.map(|value| value as f32 * scale))
                .collect::<Result<_, _>>()?
        }
    })
}

impl AudioSource for FileSource {
    fn name(&self) -> String {
        self.path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    fn format(&self) -> SourceFormat {
        self.format
    }

    fn start(&mut self, sink: SampleSink, events: Sender<SourceEvent>) -> Result<(), AudioError> {
        let samples = self.samples.clone();
        let channels = usize::from(self.format.channels);
        let mut position = 0;
        let fill = move |block: &mut [f32]| {
            let take = block.len().min(samples.len() - position);
            block[..take].copy_from_slice(&samples[position..position + take]);
            position += take;
            Fill::Frames(take / channels)
        };
        self.player = Some(Player::spawn(self.format, self.pacing, sink, events, fill)?);
        Ok(())
    }

    fn stop(&mut self) {
        if let Some(mut player) = self.player.take() {
            player.stop();
        }
    }
}
