//! What the tray shows, as a pure function of the app status (the shell draws it).

use crate::types::{AppStatus, DevicesSummary, LiveUpdates, SyncPhase, SyncState, SyncStatus};
use chrono::{DateTime, Local, TimeZone, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayIconKind {
    LocalOnly,
    Synced,
    Syncing,
    Pending,
    Offline,
    Error,
}

impl TrayIconKind {
    /// File in `icons/` the shell loads for this state.
    pub fn file_name(&self) -> &'static str {
        match self {
            TrayIconKind::LocalOnly => "tray-local-only.png",
            TrayIconKind::Synced => "tray-synced.png",
            TrayIconKind::Syncing => "tray-syncing.png",
            TrayIconKind::Pending => "tray-pending.png",
            TrayIconKind::Offline => "tray-offline.png",
            TrayIconKind::Error => "tray-error.png",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    QuickCapture,
    OpenJournal,
    SyncNow,
    PauseSync,
    ResumeSync,
    Quit,
}

impl TrayAction {
    pub const ALL: [TrayAction; 6] = [
        TrayAction::QuickCapture,
        TrayAction::OpenJournal,
        TrayAction::SyncNow,
        TrayAction::PauseSync,
        TrayAction::ResumeSync,
        TrayAction::Quit,
    ];

    /// Menu item id used by the shell.
    pub fn id(&self) -> &'static str {
        match self {
            TrayAction::QuickCapture => "quick-capture",
            TrayAction::OpenJournal => "open-journal",
            TrayAction::SyncNow => "sync-now",
            TrayAction::PauseSync => "pause-sync",
            TrayAction::ResumeSync => "resume-sync",
            TrayAction::Quit => "quit",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayMenuItem {
    pub action: TrayAction,
    pub label: String,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayView {
    pub icon: TrayIconKind,
    /// Short text next to the icon (where the platform shows one).
    pub title: String,
    pub tooltip: String,
    pub items: Vec<TrayMenuItem>,
}

/// "1 change not synced", "3 changes not synced".
pub fn pending_label(n: u64) -> String {
    if n == 1 {
        "1 change not synced".to_string()
    } else {
        format!("{n} changes not synced")
    }
}

/// "1 change failed to sync", "6 changes failed to sync".
pub fn failed_label(n: u64) -> String {
    if n == 1 {
        "1 change failed to sync".to_string()
    } else {
        format!("{n} changes failed to sync")
    }
}

/// The tray for `status`, times in the local time zone.
pub fn tray_view(status: &AppStatus) -> TrayView {
    tray_view_at(status, &Local::now())
}

/// "14:05" today, "3 Mar 14:05" another day (in `now`'s time zone).
pub fn sync_time_label<Tz: TimeZone>(at: DateTime<Utc>, now: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let local = at.with_timezone(&now.timezone());
    if local.date_naive() == now.date_naive() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%-d %b %H:%M").to_string()
    }
}

/// As the status bar says it (ui/src/lib/sync.ts): "your server" once other devices are
/// counted too.
fn synced_tooltip(devices: Option<DevicesSummary>, last: &str) -> String {
    match other_devices(devices) {
        others if others.is_empty() => format!("Jotline — everything is on the server ({last})"),
        others => format!("Jotline — everything is on your server{others} ({last})"),
    }
}

/// " and on 2 other devices", "; 1 of 2 other devices not up to date", or nothing.
fn other_devices(devices: Option<DevicesSummary>) -> String {
    match devices {
        Some(d) if d.other_devices > 0 && d.up_to_date == d.other_devices => {
            format!(" and on {}", devices_label(d.other_devices))
        }
        Some(d) if d.other_devices > 0 => format!(
            "; {} of {} not up to date",
            d.other_devices - d.up_to_date,
            devices_label(d.other_devices)
        ),
        _ => String::new(),
    }
}

fn devices_label(n: u32) -> String {
    if n == 1 {
        "1 other device".to_string()
    } else {
        format!("{n} other devices")
    }
}

/// Pure: the tray for `status` as seen at `now` (whose time zone formats the times).
pub fn tray_view_at<Tz: TimeZone>(status: &AppStatus, now: &DateTime<Tz>) -> TrayView
where
    Tz::Offset: std::fmt::Display,
{
    // Failed (dead-lettered) changes are not on the server either: every count includes them.
    let pending = status.unsynced_ops();
    let last = |s: &SyncStatus| {
        let synced = match s.last_synced_at {
            Some(at) => format!("last synced {}", sync_time_label(at, now)),
            None => "not synced yet".to_string(),
        };
        // Not an error: the journal is polled instead.
        match s.live_updates {
            LiveUpdates::Off => format!("{synced}; live updates off"),
            LiveUpdates::On | LiveUpdates::Connecting => synced,
        }
    };
    let waiting = |what: &str| {
        if pending == 0 {
            what.to_string()
        } else {
            format!("{what}; {} on this computer", changes(pending))
        }
    };
    let (icon, title, tooltip, can_sync) = match &status.sync {
        SyncState::LocalOnly if pending == 0 => (
            TrayIconKind::LocalOnly,
            "Local only".to_string(),
            "Jotline — saved on this computer; sync is not set up".to_string(),
            false,
        ),
        SyncState::LocalOnly => {
            let label = pending_label(pending);
            (
                TrayIconKind::LocalOnly,
                label.clone(),
                format!("Jotline — {label}: saved on this computer only; sign in to sync"),
                false,
            )
        }
        SyncState::SignedOut { reason } => signed_out(pending, reason.as_deref()),
        SyncState::Paused { email } => (
            TrayIconKind::LocalOnly,
            if pending == 0 {
                "Sync paused".to_string()
            } else {
                format!("Sync paused · {}", pending_label(pending))
            },
            format!(
                "Jotline — sync paused ({email}): {}; choose Resume sync to continue",
                waiting("nothing is sent or fetched")
            ),
            false,
        ),
        SyncState::Active { status: s, .. } => match s.phase {
            SyncPhase::SignedOut => signed_out(pending, s.last_error.as_deref()),
            SyncPhase::Pushing | SyncPhase::Pulling => (
                TrayIconKind::Syncing,
                "Syncing…".to_string(),
                format!("Jotline — syncing ({})", last(s)),
                false,
            ),
            SyncPhase::Offline => (
                TrayIconKind::Offline,
                "Offline".to_string(),
                format!(
                    "Jotline — offline: {} ({})",
                    waiting("no connection"),
                    last(s)
                ),
                true,
            ),
            SyncPhase::Limited => (
                TrayIconKind::Offline,
                "Server unreachable".to_string(),
                format!(
                    "Jotline — the sync server does not answer: {} ({})",
                    waiting("retrying"),
                    last(s)
                ),
                true,
            ),
            SyncPhase::Backoff | SyncPhase::Error => (
                TrayIconKind::Error,
                "Sync error".to_string(),
                format!(
                    "Jotline — sync failed: {}; {} ({})",
                    s.last_error.as_deref().unwrap_or("unknown error"),
                    waiting("retrying"),
                    last(s)
                ),
                true,
            ),
            SyncPhase::Idle if status.failed_ops > 0 => {
                let label = failed_label(status.failed_ops);
                (
                    TrayIconKind::Error,
                    label.clone(),
                    format!(
                        "Jotline — {label}: the server refused them; retry or discard them in \
                         the journal's sync details ({})",
                        last(s)
                    ),
                    true,
                )
            }
            SyncPhase::Idle if pending > 0 => {
                let label = pending_label(pending);
                (
                    TrayIconKind::Pending,
                    label.clone(),
                    format!("Jotline — {label} ({})", last(s)),
                    true,
                )
            }
            SyncPhase::Idle => match s.last_synced_at {
                Some(_) => (
                    TrayIconKind::Synced,
                    "Synced".to_string(),
                    synced_tooltip(status.devices, &last(s)),
                    true,
                ),
                None => (
                    TrayIconKind::Syncing,
                    "Not synced yet".to_string(),
                    "Jotline — signed in; the first sync starts now".to_string(),
                    true,
                ),
            },
        },
    };
    let item = |action, label: &str, enabled| TrayMenuItem {
        action,
        label: label.to_string(),
        enabled,
    };
    // Pausing needs an account; resuming is offered exactly while paused.
    let pause_item = match &status.sync {
        SyncState::Paused { .. } => item(TrayAction::ResumeSync, "Resume sync", true),
        SyncState::Active { status: s, .. } => item(
            TrayAction::PauseSync,
            "Pause sync",
            s.phase != SyncPhase::SignedOut,
        ),
        _ => item(TrayAction::PauseSync, "Pause sync", false),
    };
    TrayView {
        icon,
        title,
        tooltip,
        items: vec![
            item(TrayAction::QuickCapture, "Quick capture", true),
            item(TrayAction::OpenJournal, "Open journal", true),
            item(TrayAction::SyncNow, "Sync now", can_sync),
            pause_item,
            item(TrayAction::Quit, "Quit Jotline", true),
        ],
    }
}

/// "1 change waits", "3 changes wait".
fn changes(n: u64) -> String {
    if n == 1 {
        "1 change waits".to_string()
    } else {
        format!("{n} changes wait")
    }
}

fn signed_out(pending: u64, reason: Option<&str>) -> (TrayIconKind, String, String, bool) {
    let why = reason.map(|r| format!(" ({r})")).unwrap_or_default();
    let title = if pending == 0 {
        "Signed out".to_string()
    } else {
        pending_label(pending)
    };
    let tooltip = if pending == 0 {
        format!("Jotline — signed out{why}: sign in to sync")
    } else {
        format!(
            "Jotline — signed out{why}: {} on this computer; sign in to sync",
            changes(pending)
        )
    };
    (TrayIconKind::LocalOnly, title, tooltip, false)
}
