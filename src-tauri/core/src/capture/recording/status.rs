//! What each recorder event does to the recording's status, and which events end it.

use crate::capture::audio::{RecorderEvent, SILENCE_RMS};
use crate::types::RecordingStatus;

/// What the windows should hear after an event.
#[derive(Debug, PartialEq)]
pub(super) enum Change {
    /// Nothing to tell (elapsed time is told with the next level).
    Quiet,
    Tell,
    /// The recording ended by itself: tell, then save it like a Stop.
    Ended,
}

pub(super) fn apply(status: &mut RecordingStatus, event: RecorderEvent) -> Change {
    match event {
        RecorderEvent::Level { rms, peak } => {
            status.rms = rms;
            status.peak = peak;
            // The writer's own threshold: the warning and its clearing agree.
            if rms >= SILENCE_RMS {
                status.silent = false;
            }
            Change::Tell
        }
        RecorderEvent::Elapsed { ms } => {
            status.elapsed_ms = ms;
            Change::Quiet
        }
        RecorderEvent::SilenceWarning => {
            status.silent = true;
            Change::Tell
        }
        RecorderEvent::MaxLengthReached => {
            status.notice = Some("The recording reached its maximum length and stopped.".into());
            Change::Ended
        }
        RecorderEvent::DeviceLost {
            fell_back_to: Some(name),
        } => {
            status.notice = Some(format!(
                "The microphone was lost; recording continues from {name}."
            ));
            Change::Tell
        }
        RecorderEvent::DeviceLost { fell_back_to: None } => {
            status.notice = Some("The microphone was lost; what was recorded is kept.".into());
            Change::Ended
        }
        RecorderEvent::SourceEnded => Change::Ended,
        RecorderEvent::Overflow { dropped } => {
            tracing::warn!(dropped, "audio frames dropped: the disk could not keep up");
            Change::Quiet
        }
        RecorderEvent::Failed { message } => {
            status.notice = Some(format!("Recording problem: {message}"));
            Change::Tell
        }
        RecorderEvent::FirstSampleWritten => Change::Quiet,
    }
}
