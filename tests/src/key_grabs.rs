//! Waits until no X client holds a global key grab. A killed app's grabs last until the X
//! server has read the end of its connection, and a busy Xvfb may first serve the next test's
//! app, which would then find its hotkeys taken.

use std::time::{Duration, Instant};
use x11rb::connection::Connection;
use x11rb::errors::ReplyError;
use x11rb::protocol::xproto::{ConnectionExt, Grab, GrabMode, ModMask};
use x11rb::protocol::ErrorKind;

/// Polls until a grab of every key with any modifiers on the root window succeeds (X refuses
/// it while any other client holds a conflicting grab), then releases it.
pub fn wait_until_no_key_grabs(timeout: Duration) -> anyhow::Result<()> {
    let (conn, screen) = x11rb::connect(None)?;
    let root = conn.setup().roots[screen].root;
    let deadline = Instant::now() + timeout;
    loop {
        let any_key = u8::from(Grab::ANY);
        match conn
            .grab_key(
                false,
                root,
                ModMask::ANY,
                any_key,
                GrabMode::ASYNC,
                GrabMode::ASYNC,
            )?
            .check()
        {
            Ok(()) => {
                conn.ungrab_key(any_key, root, ModMask::ANY)?.check()?;
                return Ok(());
            }
            Err(ReplyError::X11Error(err)) if err.error_kind == ErrorKind::Access => {
                anyhow::ensure!(Instant::now() < deadline, "a key grab outlived its program");
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(err) => return Err(err.into()),
        }
    }
}
