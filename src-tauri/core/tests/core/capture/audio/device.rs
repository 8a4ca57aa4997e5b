//! The microphone through cpal. The test machines have no sound card, so these pin down what
//! the user sees then; on a machine with a microphone they check that it opens.

use jotline_core::capture::audio::{list_input_devices, AudioError, AudioSource, CpalSource};

#[test]
fn no_microphone_is_a_clear_error() {
    let devices = list_input_devices().unwrap();
    match CpalSource::open(None) {
        Err(error) => {
            assert!(devices.is_empty(), "default failed but {devices:?} listed");
            assert!(matches!(error, AudioError::NoInputDevice), "{error:?}");
            assert!(error.to_string().starts_with("No microphone found"));
        }
        Ok(source) => {
            assert!(devices.iter().any(|d| d.is_default), "{devices:?}");
            assert!(source.format().sample_rate > 0);
        }
    }
}

#[test]
fn an_unknown_device_name_is_reported_by_name() {
    let error = CpalSource::open(Some("Definitely Not A Microphone 3000"))
        .err()
        .expect("no such device");
    assert!(matches!(error, AudioError::DeviceNotFound(_)), "{error:?}");
    assert!(error
        .to_string()
        .contains("Definitely Not A Microphone 3000"));
}
