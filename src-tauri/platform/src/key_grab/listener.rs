//! The listener thread: sleeps in `wait_for_event` and turns key events of grabbed keys into
//! presses and releases of hotkeys.

use super::{Grab, KeyHandler};
use global_hotkey::hotkey::HotKey;
use global_hotkey::HotKeyState;
use std::sync::{Mutex, PoisonError};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{KeyButMask, Keycode, ModMask};
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;

/// Blocks on the connection; reports presses and releases of grabbed keys to `handler`.
pub(super) fn listen(conn: &RustConnection, grabs: &Mutex<Vec<Grab>>, handler: &KeyHandler) {
    let shortcut_state =
        KeyButMask::SHIFT | KeyButMask::CONTROL | KeyButMask::MOD1 | KeyButMask::MOD4;
    loop {
        let event = match conn.wait_for_event() {
            Ok(event) => event,
            Err(err) => {
                tracing::warn!(%err, "the X connection of the hotkeys closed");
                return;
            }
        };
        let (keycode, state, pressed) = match event {
            Event::KeyPress(e) => (e.detail, e.state, true),
            Event::KeyRelease(e) => (e.detail, e.state, false),
            _ => continue,
        };
        let mods = ModMask::from((state & shortcut_state).bits());
        let fired = {
            let mut grabs = grabs.lock().unwrap_or_else(PoisonError::into_inner);
            key_event(&mut grabs, keycode, mods, pressed)
        };
        let state = if pressed {
            HotKeyState::Pressed
        } else {
            HotKeyState::Released
        };
        for hotkey in fired {
            handler(&hotkey, state);
        }
    }
}

/// The hotkeys a key event presses or releases. A press needs the grab's exact modifiers; a
/// repeat of a held key is no new press; a release ends the press whatever the modifiers
/// are by then (Ctrl may have been let go first).
fn key_event(grabs: &mut [Grab], keycode: Keycode, mods: ModMask, pressed: bool) -> Vec<HotKey> {
    grabs
        .iter_mut()
        .filter(|g| g.keycode == keycode && (!pressed || g.pressed || g.mods == mods))
        .filter_map(|g| {
            let changed = g.pressed != pressed;
            g.pressed = pressed;
            changed.then_some(g.hotkey)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    const R: Keycode = 27;
    const SPACE: Keycode = 65;

    fn grabs() -> Vec<Grab> {
        [("Ctrl+Shift+R", R), ("Ctrl+Shift+Space", SPACE)]
            .into_iter()
            .map(|(text, keycode)| Grab {
                hotkey: HotKey::from_str(text).unwrap(),
                keycode,
                mods: ModMask::CONTROL | ModMask::SHIFT,
                pressed: false,
            })
            .collect()
    }

    fn voice() -> HotKey {
        HotKey::from_str("Ctrl+Shift+R").unwrap()
    }

    #[test]
    fn a_held_key_is_one_press_and_one_release() {
        let mut grabs = grabs();
        let mods = ModMask::CONTROL | ModMask::SHIFT;
        assert_eq!(key_event(&mut grabs, R, mods, true), vec![voice()]);
        // Auto-repeat while held.
        assert!(key_event(&mut grabs, R, mods, true).is_empty());
        assert!(key_event(&mut grabs, R, mods, true).is_empty());
        // Released after Shift was let go: still the end of this press.
        assert_eq!(
            key_event(&mut grabs, R, ModMask::CONTROL, false),
            vec![voice()]
        );
        assert!(key_event(&mut grabs, R, mods, false).is_empty());
    }

    #[test]
    fn other_keys_and_other_modifiers_do_nothing() {
        let mut grabs = grabs();
        assert!(key_event(&mut grabs, R, ModMask::CONTROL, true).is_empty());
        assert!(key_event(&mut grabs, 30, ModMask::CONTROL | ModMask::SHIFT, true).is_empty());
        assert!(key_event(&mut grabs, SPACE, ModMask::CONTROL, false).is_empty());
    }
}
