//! The settings (`settings.json`) and their defaults.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// User settings persisted in `settings.json` in the data dir.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Global shortcut that opens the capture window, e.g. `Ctrl+Shift+Space`.
    pub capture_hotkey: String,
    /// Base URL of the Supabase-compatible backend; empty: sync is not set up.
    pub backend_url: String,
    /// The backend's anon key (public by design; the user's tokens live in the keyring).
    pub anon_key: String,
    /// Minutes between background sync rounds while idle.
    pub sync_interval_minutes: u32,
    /// This computer's name on the user's other devices ("not yet on desktop"); empty: the
    /// host name.
    pub device_name: String,
    /// Global shortcut that starts (and, in toggle mode, stops) a voice memo.
    pub voice_hotkey: String,
    pub voice_mode: VoiceMode,
    /// A recording stops by itself after this many minutes.
    pub voice_max_minutes: u32,
    /// Input device name; `None`: the system default.
    pub microphone: Option<String>,
    /// Base URL of an OpenAI-compatible `/v1/audio/transcriptions` service; empty: the
    /// server transcribes (when signed in). Its API key lives in the OS keyring.
    pub transcription_url: String,
    pub transcription_model: String,
    /// Start Jotline at login, minimised to the tray.
    pub start_at_login: bool,
    /// The first-run welcome was dismissed.
    pub welcome_done: bool,
}

fn default_voice_hotkey() -> String {
    "Ctrl+Shift+R".to_string()
}

fn default_voice_max_minutes() -> u32 {
    10
}

fn default_transcription_model() -> String {
    "whisper-1".to_string()
}

/// How the voice hotkey records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum VoiceMode {
    /// Press to start, press again to stop and save.
    #[default]
    Toggle,
    /// Record while the hotkey is held; releasing it saves.
    PushToTalk,
}

impl Settings {
    pub const DEFAULT_SYNC_INTERVAL_MINUTES: u32 = 5;

    /// The name this computer registers under: [`Settings::device_name`], else the host name.
    pub fn effective_device_name(&self) -> String {
        let own = self.device_name.trim();
        if !own.is_empty() {
            return own.to_owned();
        }
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "this computer".to_owned())
    }

    /// True when a backend URL and anon key are set.
    pub fn backend_configured(&self) -> bool {
        !self.backend_url.trim().is_empty() && !self.anon_key.trim().is_empty()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            capture_hotkey: "Ctrl+Shift+Space".to_string(),
            backend_url: String::new(),
            anon_key: String::new(),
            sync_interval_minutes: Self::DEFAULT_SYNC_INTERVAL_MINUTES,
            device_name: String::new(),
            voice_hotkey: default_voice_hotkey(),
            voice_mode: VoiceMode::Toggle,
            voice_max_minutes: default_voice_max_minutes(),
            microphone: None,
            transcription_url: String::new(),
            transcription_model: default_transcription_model(),
            start_at_login: false,
            welcome_done: false,
        }
    }
}
