//! The microphone, through cpal (ALSA on Linux, CoreAudio, WASAPI).
//!
//! A cpal stream is not `Send` on every platform, so each running stream lives on a small
//! thread of its own that builds it, plays it and drops it when told to stop.

use super::{AudioError, AudioSource, SampleSink, SourceEvent, SourceFormat};
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{Device, FromSample, Sample, SampleFormat, SizedSample, StreamConfig, StreamError};
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;

/// An input device as the settings screen lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDevice {
    pub name: String,
    pub is_default: bool,
}

/// The system's input devices; empty when there is no microphone.
pub fn list_input_devices() -> Result<Vec<InputDevice>, AudioError> {
    let host = cpal::default_host();
    let default_name = host.default_input_device().and_then(|d| d.name().ok());
    let devices = host
        .input_devices()
        .map_err(|error| AudioError::Device(error.to_string()))?;
    Ok(devices
        // A device that cannot say what it records is no microphone the user can pick.
        .filter(|device| device.default_input_config().is_ok())
        .filter_map(|device| device.name().ok())
        .map(|name| InputDevice {
            is_default: Some(&name) == default_name.as_ref(),
            name,
        })
        .collect())
}

pub struct CpalSource {
    device: Device,
    name: String,
    config: StreamConfig,
    sample_format: SampleFormat,
    running: Option<RunningStream>,
}

struct RunningStream {
    stop: Sender<()>,
    thread: JoinHandle<()>,
}

impl CpalSource {
    /// Opens the device called `name`, or the system default when `None`.
    pub fn open(name: Option<&str>) -> Result<Self, AudioError> {
        let host = cpal::default_host();
        let device = match name {
            None => host
                .default_input_device()
                .ok_or(AudioError::NoInputDevice)?,
            Some(wanted) => host
                .input_devices()
                .map_err(|error| AudioError::Device(error.to_string()))?
                .find(|device| device.name().is_ok_and(|n| n == wanted))
                .ok_or_else(|| AudioError::DeviceNotFound(wanted.to_string()))?,
        };
        // ALSA names a "default" device even on a machine without any sound card; it is only
        // found out when asked for its format.
        let supported = device.default_input_config().map_err(|error| match name {
            None => AudioError::NoInputDevice,
            Some(_) => AudioError::Device(error.to_string()),
        })?;
        Ok(Self {
            name: device.name().unwrap_or_else(|_| "microphone".to_string()),
            device,
            sample_format: supported.sample_format(),
            config: supported.config(),
            running: None,
        })
    }
}

impl AudioSource for CpalSource {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn format(&self) -> SourceFormat {
        SourceFormat {
            sample_rate: self.config.sample_rate.0,
            channels: self.config.channels,
        }
    }

    fn start(&mut self, sink: SampleSink, events: Sender<SourceEvent>) -> Result<(), AudioError> {
        self.stop();
        let device = self.device.clone();
        let config = self.config.clone();
        let sample_format = self.sample_format;
        let (started_tx, started_rx) = mpsc::channel();
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("jotline-microphone".into())
            .spawn(move || {
                let stream = build_stream(&device, &config, sample_format, sink, events).and_then(
                    |stream| {
                        stream
                            .play()
                            .map(|()| stream)
                            .map_err(|error| AudioError::Device(error.to_string()))
                    },
                );
                match stream {
                    Ok(stream) => {
                        let _ = started_tx.send(Ok(()));
                        // Blocks until stop() sends or drops the sender.
                        let _ = stop_rx.recv();
                        drop(stream);
                    }
                    Err(error) => {
                        let _ = started_tx.send(Err(error));
                    }
                }
            })?;
        match started_rx.recv() {
            Ok(Ok(())) => {
                self.running = Some(RunningStream {
                    stop: stop_tx,
                    thread,
                });
                Ok(())
            }
            Ok(Err(error)) => {
                let _ = thread.join();
                Err(error)
            }
            Err(_) => Err(AudioError::Device("the audio thread ended".to_string())),
        }
    }

    fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.stop.send(());
            let _ = running.thread.join();
        }
    }

    fn fallback(&self) -> Option<Box<dyn AudioSource>> {
        // A named device falls back to the default; a lost default may have been replaced by
        // another default (e.g. the laptop's built-in microphone).
        CpalSource::open(None)
            .ok()
            .map(|source| Box::new(source) as Box<dyn AudioSource>)
    }
}

impl Drop for CpalSource {
    fn drop(&mut self) {
        self.stop();
    }
}

fn build_stream(
    device: &Device,
    config: &StreamConfig,
    sample_format: SampleFormat,
    sink: SampleSink,
    events: Sender<SourceEvent>,
) -> Result<cpal::Stream, AudioError> {
    match sample_format {
        SampleFormat::F32 => build_typed::<f32>(device, config, sink, events),
        SampleFormat::I16 => build_typed::<i16>(device, config, sink, events),
        SampleFormat::U16 => build_typed::<u16>(device, config, sink, events),
        SampleFormat::I32 => build_typed::<i32>(device, config, sink, events),
        SampleFormat::I8 => build_typed::<i8>(device, config, sink, events),
        SampleFormat::U8 => build_typed::<u8>(device, config, sink, events),
        other => Err(AudioError::UnsupportedFormat(other.to_string())),
    }
}

/// Samples converted per step; the scratch buffer is allocated once, outside the callback.
const SCRATCH_SAMPLES: usize = 4096;

fn build_typed<T>(
    device: &Device,
    config: &StreamConfig,
    mut sink: SampleSink,
    events: Sender<SourceEvent>,
) -> Result<cpal::Stream, AudioError>
where
    T: SizedSample + Send + 'static,
    f32: FromSample<T>,
{
    let channels = usize::from(config.channels.max(1));
    // Whole frames per step so the sink never sees half a frame.
    let step = SCRATCH_SAMPLES - SCRATCH_SAMPLES % channels;
    let mut scratch = vec![0.0f32; step];
    let on_data = move |data: &[T], _: &cpal::InputCallbackInfo| {
        for chunk in data.chunks(step) {
            for (out, sample) in scratch.iter_mut().zip(chunk) {
                *out = f32::from_sample(*sample);
            }
            sink.push(&scratch[..chunk.len()]);
        }
    };
    let on_error = move |error: StreamError| {
        let event = match error {
            StreamError::DeviceNotAvailable => SourceEvent::DeviceLost,
            other => SourceEvent::Failed(other.to_string()),
        };
        let _ = events.send(event);
    };
    device
        .build_input_stream(config, on_data, on_error, None)
        .map_err(|error| match error {
            cpal::BuildStreamError::DeviceNotAvailable => AudioError::NoInputDevice,
            other => AudioError::Device(other.to_string()),
        })
}
