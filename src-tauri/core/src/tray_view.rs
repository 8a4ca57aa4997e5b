//! What the tray shows, as a pure function of the app status (the shell draws it).

use crate::types::{AppStatus, SyncState};

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
    Quit,
}

impl TrayAction {
    pub const ALL: [TrayAction; 4] = [
        TrayAction::QuickCapture,
        TrayAction::OpenJournal,
        TrayAction::SyncNow,
        TrayAction::Quit,
    ];

    /// Menu item id used by the shell.
    pub fn id(&self) -> &'static str {
        match self {
            TrayAction::QuickCapture => "quick-capture",
            TrayAction::OpenJournal => "open-journal",
            TrayAction::SyncNow => "sync-now",
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

pub fn tray_view(status: &AppStatus) -> TrayView {
    let (icon, title, tooltip, can_sync) = match status.sync {
        SyncState::LocalOnly if status.pending_ops == 0 => (
            TrayIconKind::LocalOnly,
            "Local only".to_string(),
            "Jotline — saved on this computer; sync is not set up".to_string(),
            false,
        ),
        SyncState::LocalOnly => {
            let pending = pending_label(status.pending_ops);
            (
                TrayIconKind::LocalOnly,
                pending.clone(),
                format!("Jotline — {pending}: saved on this computer only; sign in to sync"),
                false,
            )
        }
    };
    let item = |action, label: &str, enabled| TrayMenuItem {
        action,
        label: label.to_string(),
        enabled,
    };
    TrayView {
        icon,
        title,
        tooltip,
        items: vec![
            item(TrayAction::QuickCapture, "Quick capture", true),
            item(TrayAction::OpenJournal, "Open journal", true),
            item(TrayAction::SyncNow, "Sync now", can_sync),
            item(TrayAction::Quit, "Quit Jotline", true),
        ],
    }
}
