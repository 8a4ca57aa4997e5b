//! Repairing WAVs that a crash left unfinished.
//!
//! While recording, the header's lengths describe the audio up to the last sync; after a
//! kill or power loss the file holds more (or, rarely, fewer) bytes than the header says.
//! Repair rewrites the RIFF and data lengths from the file's real length, dropping only a
//! trailing partial frame. Audio is never deleted.
//!
//! Telling unfinished recordings apart: the recorder writes `<capture id>.wav`; the caller
//! knows which capture ids were finished (stored) and passes them to [`recover_unfinished`],
//! which repairs and returns every other WAV in the directory. Run it at start-up, before any
//! recording begins.

use super::AudioError;
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A WAV whose recording did not finish, now readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveredWav {
    /// The file stem: the capture id the recorder was given.
    pub id: String,
    pub path: PathBuf,
    pub duration_ms: u64,
    /// Whether the header had to be rewritten (false: it was already consistent).
    pub header_repaired: bool,
}

/// Repairs and returns every `*.wav` in `dir` whose stem is not in `finished_ids`.
/// Files that cannot be repaired are logged and left untouched.
pub fn recover_unfinished(
    dir: &Path,
    finished_ids: &HashSet<String>,
) -> Result<Vec<RecoveredWav>, AudioError> {
    let mut recovered = Vec::new();
    if !dir.exists() {
        return Ok(recovered);
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let is_wav = path.extension().is_some_and(|ext| ext == "wav");
        let Some(id) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        if !is_wav || finished_ids.contains(&id) {
            continue;
        }
        match repair_wav(&path) {
            Ok(wav) => recovered.push(wav),
            Err(error) => tracing::warn!(path = %path.display(), %error, "unrecoverable WAV"),
        }
    }
    recovered.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(recovered)
}

/// Makes the header of one WAV match its contents; a no-op for a consistent file.
pub fn repair_wav(path: &Path) -> Result<RecoveredWav, AudioError> {
    let not_repairable = |reason: &str| AudioError::NotRepairable {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let mut file = OpenOptions::new().read(true).write(true).open(path)?;
    let file_len = file.metadata()?.len();
    let layout = read_layout(&mut file, file_len).map_err(|reason| not_repairable(&reason))?;

    let available = file_len - layout.data_offset;
    let block = u64::from(layout.block_align.max(1));
    let data_len = available - available % block;
    if data_len > u64::from(u32::MAX) - layout.data_offset {
        // Larger than a WAV can describe; cutting it to fit would delete audio.
        return Err(not_repairable("larger than 4 GiB"));
    }
    let riff_len = layout.data_offset + data_len - 8;
    let consistent = layout.declared_data_len == data_len
        && layout.declared_riff_len == riff_len
        && file_len == layout.data_offset + data_len;
    if !consistent {
        // Only a partial trailing frame (less than one sample per channel) is cut.
        file.set_len(layout.data_offset + data_len)?;
        write_u32_at(&mut file, 4, riff_len as u32)?;
        write_u32_at(&mut file, layout.data_offset - 4, data_len as u32)?;
        file.sync_all()?;
    }
    let frames = data_len / block;
    Ok(RecoveredWav {
        id: path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.to_path_buf(),
        duration_ms: frames * 1000 / u64::from(layout.sample_rate.max(1)),
        header_repaired: !consistent,
    })
}

/// Where the pieces of a RIFF/WAVE file are, and what its header claims.
struct Layout {
    declared_riff_len: u64,
    declared_data_len: u64,
    /// First byte of the samples.
    data_offset: u64,
    sample_rate: u32,
    block_align: u16,
}

fn read_layout(file: &mut File, file_len: u64) -> Result<Layout, String> {
    let mut head = [0u8; 12];
    file.read_exact(&mut head)
        .map_err(|_| "shorter than a WAV header".to_string())?;
    if &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE" {
        return Err("no RIFF/WAVE signature".to_string());
    }
    let declared_riff_len = u64::from(le_u32(&head[4..8]));
    let mut format: Option<(u32, u16)> = None;
    let mut offset = 12u64;
    // Walk the chunks up to `data`; the header is never trusted past the file's end.
    while offset + 8 <= file_len {
        let mut chunk = [0u8; 8];
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut chunk))
            .map_err(|error| error.to_string())?;
        let size = u64::from(le_u32(&chunk[4..8]));
        match &chunk[0..4] {
            b"fmt " => {
                let mut fmt = [0u8; 16];
                file.read_exact(&mut fmt)
                    .map_err(|_| "truncated fmt chunk".to_string())?;
                format = Some((le_u32(&fmt[4..8]), u16::from_le_bytes([fmt[12], fmt[13]])));
            }
            b"data" => {
                let (sample_rate, block_align) =
                    format.ok_or_else(|| "data before fmt".to_string())?;
                return Ok(Layout {
                    declared_riff_len,
                    declared_data_len: size,
                    data_offset: offset + 8,
                    sample_rate,
                    block_align,
                });
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        offset += 8 + size + size % 2;
    }
    Err("no data chunk".to_string())
}

fn le_u32(bytes: &[u8]) -> u32 {
    u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fn write_u32_at(file: &mut File, offset: u64, value: u32) -> std::io::Result<()> {
    file.seek(SeekFrom::Start(offset))?;
    file.write_all(&value.to_le_bytes())
}
