//! The WAV file being recorded: 16 kHz mono 16-bit PCM, made durable every `sync()`.
//!
//! hound's `flush()` rewrites the header's lengths and flushes its writer; the writer here is a
//! `BufWriter` over [`SyncingFile`], whose `flush` is `fdatasync`, so one call makes both the
//! samples and a header that describes them durable.

use super::AudioError;
use hound::{SampleFormat, WavSpec, WavWriter};
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The rate every recording is stored at: plenty for speech, a third of a 48 kHz file's size.
pub const OUTPUT_SAMPLE_RATE: u32 = 16_000;

pub const OUTPUT_SPEC: WavSpec = WavSpec {
    channels: 1,
    sample_rate: OUTPUT_SAMPLE_RATE,
    bits_per_sample: 16,
    sample_format: SampleFormat::Int,
};

/// A file whose `flush` reaches the disk.
pub struct SyncingFile(File);

impl Write for SyncingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.sync_data()
    }
}

impl Seek for SyncingFile {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

pub struct WavSink {
    path: PathBuf,
    writer: WavWriter<BufWriter<SyncingFile>>,
    frames: u64,
}

impl WavSink {
    /// Creates `path` (never overwriting: an existing file is somebody's audio) and makes its
    /// directory entry durable, so the file survives a power loss from the first second.
    pub fn create(path: &Path) -> Result<Self, AudioError> {
        let file = OpenOptions::new()
            .write(true)
            .read(true)
            .create_new(true)
            .open(path)
            .map_err(|error| match error.kind() {
                io::ErrorKind::AlreadyExists => AudioError::AlreadyExists(path.to_path_buf()),
                _ => AudioError::Io(error),
            })?;
        let mut writer = WavWriter::new(BufWriter::new(SyncingFile(file)), OUTPUT_SPEC)?;
        writer.flush()?;
        sync_parent_dir(path);
        Ok(Self {
            path: path.to_path_buf(),
            writer,
            frames: 0,
        })
    }

    /// Appends mono samples in −1.0…1.0 (clipped), converted to 16-bit.
    pub fn write(&mut self, mono: &[f32]) -> Result<(), AudioError> {
        for &sample in mono {
            let value = (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)).round() as i16;
            self.writer.write_sample(value)?;
        }
        self.frames += mono.len() as u64;
        Ok(())
    }

    /// Rewrites the header for what has been written so far and syncs the file to disk.
    pub fn sync(&mut self) -> Result<(), AudioError> {
        self.writer.flush()?;
        Ok(())
    }

    /// Samples (= frames, mono) written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Audio written so far.
    pub fn duration_ms(&self) -> u64 {
        self.frames * 1000 / u64::from(OUTPUT_SAMPLE_RATE)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes the final header, syncs, and returns the file's size in bytes.
    pub fn finalize(self) -> Result<u64, AudioError> {
        self.writer.finalize()?;
        Ok(std::fs::metadata(&self.path)?.len())
    }
}

#[cfg(unix)]
fn sync_parent_dir(path: &Path) {
    if let Some(dir) = path.parent() {
        if let Err(error) = File::open(dir).and_then(|dir| dir.sync_all()) {
            tracing::warn!(%error, "could not sync the audio directory");
        }
    }
}

#[cfg(not(unix))]
fn sync_parent_dir(_path: &Path) {}
