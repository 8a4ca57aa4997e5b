//! Where a recording's audio comes from: the microphone of the settings, the default one if
//! it is gone (said in a notice), or the file of [`AUDIO_FILE_ENV`].

use crate::capture::audio::{AudioError, AudioSource, CpalSource, FileSource, Pacing};
use crate::types::Settings;
use std::sync::Arc;

/// Plays this WAV instead of opening a microphone: for machines without one (CI, the
/// end-to-end test). The file is played in real time, exactly as a microphone would deliver it.
pub const AUDIO_FILE_ENV: &str = "JOTLINE_AUDIO_FILE";

/// An opened source and, when it is not the one asked for, why.
pub type OpenedSource = (Box<dyn AudioSource>, Option<String>);

/// Opens the source of a new recording.
pub type SourceOpener = Arc<dyn Fn(&Settings) -> Result<OpenedSource, AudioError> + Send + Sync>;

/// The app's opener: [`AUDIO_FILE_ENV`], else the chosen microphone, else the default one.
pub fn system_audio() -> SourceOpener {
    Arc::new(open_system_source)
}

fn open_system_source(settings: &Settings) -> Result<OpenedSource, AudioError> {
    if let Some(path) = std::env::var_os(AUDIO_FILE_ENV) {
        let source = FileSource::open(std::path::Path::new(&path), Pacing::RealTime)?;
        return Ok((Box::new(source), None));
    }
    let Some(name) = settings.microphone.as_deref() else {
        return Ok((Box::new(CpalSource::open(None)?), None));
    };
    match CpalSource::open(Some(name)) {
        Ok(source) => Ok((Box::new(source), None)),
        Err(err) => {
            tracing::warn!(%err, "chosen microphone unavailable; using the default");
            let source = CpalSource::open(None)?;
            Ok((
                Box::new(source),
                Some(format!(
                    "{name} is not available; recording from the default microphone."
                )),
            ))
        }
    }
}
