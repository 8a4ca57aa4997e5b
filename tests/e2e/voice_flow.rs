//! A voice memo through the real window: the voice hotkey opens the capture window
//! recording (a speech WAV made with espeak-ng stands in for the microphone, played in real
//! time), the window shows the running time and the level, Stop saves it to disk before the
//! window hides, and the journal shows the memo waiting for its transcript.

use jotline_tests::app;
use jotline_tests::driver::{hold_keys, press_keys, AppSession, VOICE_HOTKEY};
use std::process::Command;

#[tokio::test(flavor = "multi_thread")]
async fn voice_hotkey_records_a_memo_that_is_saved_and_shown() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let speech = speak(
        data.path(),
        "Pick up the dry cleaning on Friday, then call the garage about the brakes, \
         and remember to water the tomatoes before the weekend.",
    )?;
    let artifacts = app::artifacts_dir();
    let session = AppSession::launch_with_env(
        &app::binary(),
        &data.path().join("journal"),
        &artifacts.join("voice-flow.log"),
        &[("JOTLINE_AUDIO_FILE", speech.as_path())],
    )
    .await?;

    session.switch_to_main().await?;
    session.wait_for("[data-testid=status-bar]").await?;
    session.switch_to_capture().await?;
    press_keys(VOICE_HOTKEY)?;
    session
        .wait_until(
            "the capture window is shown",
            "return document.visibilityState === 'visible'",
        )
        .await?;
    session
        .wait_until(
            "a second recorded, with a level on the meter",
            "const t = document.querySelector('[data-testid=voice-elapsed]')?.textContent;\
             const m = document.querySelector('[data-testid=voice-level]');\
             return !!t && t !== '00:00' && Number(m?.getAttribute('aria-valuenow')) > 0",
        )
        .await?;
    session
        .screenshot(artifacts.join("voice-recording.png"))
        .await?;
    session
        .wait_for("[data-testid=voice-stop]")
        .await?
        .click()
        .await?;
    session
        .wait_until(
            "the capture window hides after saving",
            "return document.visibilityState === 'hidden'",
        )
        .await?;

    // On disk before the window hid: a pending capture and a valid 16 kHz WAV.
    let db = rusqlite::Connection::open(data.path().join("journal").join("jotline.db"))?;
    let (file, status, duration): (String, String, i64) = db.query_row(
        "SELECT audio_file, parse_status, audio_duration_ms FROM pending_captures
         WHERE audio_file IS NOT NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    assert_eq!(status, "pending", "signed out, no service: it waits");
    assert!(duration >= 1000, "{duration} ms");
    let wav = hound::WavReader::open(data.path().join("journal").join("audio").join(&file))?;
    assert_eq!(wav.spec().sample_rate, 16_000);
    assert!(i64::from(wav.duration()) >= duration * 16 - 16);

    session.switch_to_main().await?;
    session
        .wait_until(
            "the timeline shows the memo waiting",
            "return [...document.querySelectorAll('[data-testid=timeline-entry] [data-testid=voice-status]')]\
             .some(e => e.textContent.length > 0)",
        )
        .await?;
    // Playback: the recording is read through the asset protocol (audio folder only).
    session
        .wait_for("[data-testid=timeline-entry] [data-testid=voice-play]")
        .await?
        .click()
        .await?;
    session
        .wait_until(
            "the recording loads in the player",
            "const a = document.querySelector('[data-testid=voice-audio]');\
             return !!a && a.readyState >= 1 && a.duration > 0.5",
        )
        .await?;
    session
        .screenshot(artifacts.join("voice-timeline.png"))
        .await?;
    session.close().await
}

/// Push-to-talk: holding the voice hotkey records for as long as it is held (key repeat does
/// not cut it short), and letting go saves the memo.
#[tokio::test(flavor = "multi_thread")]
async fn push_to_talk_records_while_the_hotkey_is_held() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let speech = speak(
        data.path(),
        "Hold the key, say the thing, let go of the key, and the memo is kept.",
    )?;
    let journal = data.path().join("journal");
    std::fs::create_dir_all(&journal)?;
    std::fs::write(
        journal.join("settings.json"),
        r#"{"voiceMode": "pushToTalk"}"#,
    )?;
    let session = AppSession::launch_with_env(
        &app::binary(),
        &journal,
        &app::artifacts_dir().join("push-to-talk.log"),
        &[("JOTLINE_AUDIO_FILE", speech.as_path())],
    )
    .await?;
    session.switch_to_main().await?;
    session.wait_for("[data-testid=status-bar]").await?;
    session.switch_to_capture().await?;

    hold_keys(VOICE_HOTKEY, std::time::Duration::from_millis(2500)).await?;
    let db = rusqlite::Connection::open(journal.join("jotline.db"))?;
    let saved = "SELECT count(*), max(audio_duration_ms) FROM pending_captures
                 WHERE audio_file IS NOT NULL AND audio_duration_ms IS NOT NULL";
    let mut found = (0i64, None::<i64>);
    for _ in 0..100 {
        found = db.query_row(saved, [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if found.0 > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (count, duration) = (found.0, found.1.unwrap_or(0));
    assert_eq!(count, 1, "one memo per hold");
    // Started at the press and stopped at the release: about as long as the key was held.
    assert!((1500..=4000).contains(&duration), "{duration} ms");
    session
        .wait_until(
            "the capture window hides after saving",
            "return document.visibilityState === 'hidden'",
        )
        .await?;
    session.close().await
}

/// `text` spoken by espeak-ng into `dir/speech.wav`: the microphone's stand-in.
fn speak(dir: &std::path::Path, text: &str) -> anyhow::Result<std::path::PathBuf> {
    let speech = dir.join("speech.wav");
    let status = Command::new("espeak-ng")
        .arg("-w")
        .arg(&speech)
        .arg(text)
        .status()?;
    anyhow::ensure!(status.success(), "espeak-ng failed");
    Ok(speech)
}
