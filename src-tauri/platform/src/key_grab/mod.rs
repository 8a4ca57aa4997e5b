//! Global hotkeys on X11, grabbed on the root window. A thread blocks on the X connection and
//! wakes only when a grabbed key is pressed or released: nothing polls while the app is idle
//! (the listener of the global-hotkey crate wakes 20 times a second to look for events).
//! Registration runs on the caller's thread; x11rb lets it share the connection with the
//! blocked listener.

mod keysyms;
mod listener;

use global_hotkey::hotkey::{HotKey, Modifiers};
use global_hotkey::HotKeyState;
use std::sync::{Arc, Mutex, PoisonError};
use x11rb::connection::Connection;
use x11rb::errors::ReplyError;
use x11rb::protocol::xkb::{self, ConnectionExt as _};
use x11rb::protocol::xproto::{ConnectionExt as _, GrabMode, Keycode, ModMask, Window};
use x11rb::protocol::ErrorKind;
use x11rb::rust_connection::RustConnection;

/// Why a hotkey could not be grabbed.
#[derive(Debug, thiserror::Error)]
pub enum GrabError {
    #[error("already registered by another program")]
    Taken,
    #[error("{0}")]
    Unsupported(String),
    #[error("the X server: {0}")]
    Server(String),
}

/// Called with each press and release of a registered hotkey, on the listener thread.
pub type KeyHandler = dyn Fn(&HotKey, HotKeyState) + Send + Sync;

struct Grab {
    hotkey: HotKey,
    keycode: Keycode,
    mods: ModMask,
    /// Pressed and not yet released (a held key's repeats are not new presses).
    pressed: bool,
}

/// The app's global hotkeys (managed as Tauri state when the display allows them).
pub struct KeyGrabber {
    conn: Arc<RustConnection>,
    root: Window,
    grabs: Arc<Mutex<Vec<Grab>>>,
}

/// The modifiers a shortcut may use; the others (Num Lock, Caps Lock) are ignored.
const SHORTCUT_MODS: [ModMask; 4] = [ModMask::SHIFT, ModMask::CONTROL, ModMask::M1, ModMask::M4];
/// Each grab is repeated with these lock states (none, Num Lock, Caps Lock, both), since X
/// matches modifiers exactly.
fn lock_states() -> [ModMask; 4] {
    [
        ModMask::from(0u16),
        ModMask::M2,
        ModMask::LOCK,
        ModMask::M2 | ModMask::LOCK,
    ]
}

impl KeyGrabber {
    /// Connects to the X display and starts the listener; fails where there is no X server
    /// (e.g. a Wayland session without Xwayland).
    pub fn start(handler: Arc<KeyHandler>) -> Result<Self, GrabError> {
        let (conn, screen) =
            x11rb::connect(None).map_err(|err| GrabError::Server(err.to_string()))?;
        let conn = Arc::new(conn);
        let root = conn.setup().roots[screen].root;
        // A held key then repeats as presses only, so push-to-talk sees one release at the end.
        let detectable = xkb::PerClientFlag::DETECTABLE_AUTO_REPEAT;
        conn.xkb_use_extension(1, 0)
            .map_err(server)?
            .reply()
            .map_err(server)?;
        conn.xkb_per_client_flags(
            xkb::ID::USE_CORE_KBD.into(),
            detectable,
            detectable,
            Default::default(),
            Default::default(),
            Default::default(),
        )
        .map_err(server)?
        .reply()
        .map_err(server)?;
        let grabs = Arc::new(Mutex::new(Vec::new()));
        let listener = (conn.clone(), grabs.clone());
        std::thread::Builder::new()
            .name("hotkeys".into())
            .spawn(move || listener::listen(&listener.0, &listener.1, &*handler))
            .map_err(|err| GrabError::Server(err.to_string()))?;
        Ok(Self { conn, root, grabs })
    }

    /// Grabs `hotkey` for this app.
    pub fn register(&self, hotkey: &HotKey) -> Result<(), GrabError> {
        let keysym = keysyms::keysym_of(hotkey.key).ok_or_else(|| {
            GrabError::Unsupported(format!("{} cannot be a global shortcut key", hotkey.key))
        })?;
        let keycode = self.keycode_of(keysym)?.ok_or_else(|| {
            GrabError::Unsupported(format!("no key on this keyboard types {}", hotkey.key))
        })?;
        let mods = mod_mask(hotkey.mods);
        let locks = lock_states();
        for (n, lock) in locks.iter().enumerate() {
            let grabbed = self
                .conn
                .grab_key(
                    false,
                    self.root,
                    mods | *lock,
                    keycode,
                    GrabMode::ASYNC,
                    GrabMode::ASYNC,
                )
                .map_err(server)?
                .check();
            if let Err(err) = grabbed {
                // Release the lock states already grabbed: all or nothing.
                for lock in &locks[..n] {
                    self.ungrab(keycode, mods | *lock);
                }
                return Err(match err {
                    ReplyError::X11Error(e) if e.error_kind == ErrorKind::Access => {
                        GrabError::Taken
                    }
                    other => server(other),
                });
            }
        }
        self.grabs().push(Grab {
            hotkey: *hotkey,
            keycode,
            mods,
            pressed: false,
        });
        Ok(())
    }

    /// Releases every hotkey this app grabbed.
    pub fn unregister_all(&self) {
        let released: Vec<Grab> = std::mem::take(&mut *self.grabs());
        for grab in released {
            for lock in lock_states() {
                self.ungrab(grab.keycode, grab.mods | lock);
            }
        }
    }

    fn ungrab(&self, keycode: Keycode, mods: ModMask) {
        if let Ok(cookie) = self.conn.ungrab_key(keycode, self.root, mods) {
            if let Err(err) = cookie.check() {
                tracing::warn!(%err, "could not release a hotkey");
            }
        }
    }

    fn grabs(&self) -> std::sync::MutexGuard<'_, Vec<Grab>> {
        self.grabs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first keycode whose mapping holds `keysym`.
    fn keycode_of(&self, keysym: u32) -> Result<Option<Keycode>, GrabError> {
        let setup = self.conn.setup();
        let (min, max) = (setup.min_keycode, setup.max_keycode);
        let mapping = self
            .conn
            .get_keyboard_mapping(min, max - min + 1)
            .map_err(server)?
            .reply()
            .map_err(server)?;
        let per = usize::from(mapping.keysyms_per_keycode.max(1));
        Ok(mapping
            .keysyms
            .chunks(per)
            .position(|syms| syms.contains(&keysym))
            .and_then(|i| u8::try_from(i).ok())
            .map(|i| min + i))
    }
}

fn mod_mask(mods: Modifiers) -> ModMask {
    let wanted = [
        Modifiers::SHIFT,
        Modifiers::CONTROL,
        Modifiers::ALT,
        Modifiers::SUPER,
    ];
    wanted
        .iter()
        .zip(SHORTCUT_MODS)
        .filter(|(m, _)| mods.contains(**m))
        .fold(ModMask::from(0u16), |acc, (_, x)| acc | x)
}

fn server(err: impl std::fmt::Display) -> GrabError {
    GrabError::Server(err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn shortcut_modifiers_map_to_the_x_modifier_bits() {
        let hotkey = HotKey::from_str("Ctrl+Shift+Space").unwrap();
        assert_eq!(mod_mask(hotkey.mods), ModMask::CONTROL | ModMask::SHIFT);
        let hotkey = HotKey::from_str("Alt+Super+J").unwrap();
        assert_eq!(mod_mask(hotkey.mods), ModMask::M1 | ModMask::M4);
    }
}
