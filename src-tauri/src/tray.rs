//! The tray icon. Everything it shows comes from `jotline_core::tray_view` (a pure,
//! unit-tested function of the status); this module only maps that onto Tauri.
//! Without a tray host the app logs and runs on.

use jotline_core::types::AppStatus;
use jotline_core::{tray_view, TrayAction, TrayIconKind, TrayView};
use std::sync::Mutex;
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Runtime};

/// The installed tray icon, if the desktop has a tray.
pub struct Tray<R: Runtime>(Mutex<Option<TrayIcon<R>>>);

/// Installs the tray icon; returns whether the user can actually see it.
pub fn install<R: Runtime>(app: &AppHandle<R>, status: &AppStatus) -> bool {
    app.manage(Tray::<R>(Mutex::new(None)));
    if !host_available() {
        tracing::warn!("no tray host on this desktop; the app runs without a tray icon");
        return false;
    }
    match build(app, &tray_view(status)) {
        Ok(icon) => {
            if let Some(tray) = app.try_state::<Tray<R>>() {
                *tray.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(icon);
            }
            true
        }
        Err(err) => {
            tracing::warn!(%err, "no tray icon; the app runs without one");
            false
        }
    }
}

pub fn update<R: Runtime>(app: &AppHandle<R>, status: &AppStatus) {
    let Some(tray) = app.try_state::<Tray<R>>() else {
        return;
    };
    let guard = tray.0.lock().unwrap_or_else(|p| p.into_inner());
    let Some(icon) = guard.as_ref() else {
        return;
    };
    let view = tray_view(status);
    let applied = menu(app, &view).and_then(|menu| {
        icon.set_menu(Some(menu))?;
        icon.set_icon(Some(image(view.icon)?))?;
        icon.set_tooltip(Some(&view.tooltip))?;
        icon.set_title(Some(&view.title))
    });
    if let Err(err) = applied {
        tracing::warn!(%err, "could not update the tray");
    }
}

/// On Linux the tray is a StatusNotifierItem: without a watcher on the session bus the
/// icon would be created but never shown.
#[cfg(target_os = "linux")]
fn host_available() -> bool {
    let has_watcher = || -> zbus::Result<bool> {
        let bus = zbus::blocking::Connection::session()?;
        let dbus = zbus::blocking::fdo::DBusProxy::new(&bus)?;
        Ok(dbus.name_has_owner("org.kde.StatusNotifierWatcher".try_into()?)?)
    };
    has_watcher().unwrap_or(false)
}

#[cfg(not(target_os = "linux"))]
fn host_available() -> bool {
    true
}

fn build<R: Runtime>(app: &AppHandle<R>, view: &TrayView) -> tauri::Result<TrayIcon<R>> {
    TrayIconBuilder::with_id("jotline")
        .icon(image(view.icon)?)
        .tooltip(&view.tooltip)
        .title(&view.title)
        .menu(&menu(app, view)?)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| {
            if let Some(action) = TrayAction::from_id(event.id().as_ref()) {
                crate::actions::run_tray_action(app, action);
            }
        })
        .build(app)
}

fn menu<R: Runtime>(app: &AppHandle<R>, view: &TrayView) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for item in &view.items {
        let entry = MenuItem::with_id(
            app,
            item.action.id(),
            &item.label,
            item.enabled,
            None::<&str>,
        )?;
        menu.append(&entry)?;
    }
    Ok(menu)
}

fn image(kind: TrayIconKind) -> tauri::Result<Image<'static>> {
    let bytes: &'static [u8] = match kind {
        TrayIconKind::LocalOnly => include_bytes!("../../icons/tray/tray-local-only.png"),
        TrayIconKind::Synced => include_bytes!("../../icons/tray/tray-synced.png"),
        TrayIconKind::Syncing => include_bytes!("../../icons/tray/tray-syncing.png"),
        TrayIconKind::Pending => include_bytes!("../../icons/tray/tray-pending.png"),
        TrayIconKind::Offline => include_bytes!("../../icons/tray/tray-offline.png"),
        TrayIconKind::Error => include_bytes!("../../icons/tray/tray-error.png"),
    };
    Image::from_bytes(bytes)
}
