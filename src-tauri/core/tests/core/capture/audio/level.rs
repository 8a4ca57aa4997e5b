use jotline_core::capture::audio::{Level, LevelMeter};

fn windows(meter: &mut LevelMeter, samples: &[f32]) -> Vec<Level> {
    let mut levels = Vec::new();
    meter.push(samples, |level| levels.push(level));
    levels
}

#[test]
fn full_scale_square_wave_has_rms_and_peak_one() {
    let mut meter = LevelMeter::new(4);
    let levels = windows(&mut meter, &[1.0, -1.0, 1.0, -1.0]);
    assert_eq!(
        levels,
        vec![Level {
            rms: 1.0,
            peak: 1.0
        }]
    );
    assert_eq!(levels[0].rms_dbfs(), 0.0);
}

#[test]
fn sine_rms_is_peak_over_root_two() {
    let mut meter = LevelMeter::new(1600);
    let sine: Vec<f32> = (0..1600)
        .map(|i| 0.5 * (std::f32::consts::TAU * i as f32 / 16.0).sin())
        .collect();
    let levels = windows(&mut meter, &sine);
    assert_eq!(levels.len(), 1);
    assert!(
        (levels[0].rms - 0.5 / 2f32.sqrt()).abs() < 1e-3,
        "{levels:?}"
    );
    assert!((levels[0].peak - 0.5).abs() < 1e-3, "{levels:?}");
}

#[test]
fn windows_span_pushes_and_each_starts_afresh() {
    let mut meter = LevelMeter::new(3);
    assert!(windows(&mut meter, &[0.9, -0.3]).is_empty());
    // Completes the first window (0.9, -0.3, 0.0) and the whole second one (silence).
    let levels = windows(&mut meter, &[0.0, 0.0, 0.0, 0.0, 0.2]);
    assert_eq!(levels.len(), 2);
    assert_eq!(levels[0].peak, 0.9);
    assert!((levels[0].rms - ((0.81f32 + 0.09) / 3.0).sqrt()).abs() < 1e-6);
    assert_eq!(
        levels[1],
        Level {
            rms: 0.0,
            peak: 0.0
        }
    );
    assert_eq!(levels[1].rms_dbfs(), f32::NEG_INFINITY);
}
