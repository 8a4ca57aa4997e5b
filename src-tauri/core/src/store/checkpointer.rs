//! When checkpoints run: shortly after writes pause (so a capture never waits for one), and
//! on a slow idle tick that also covers writes made elsewhere (sync) and notices a deleted
//! log. The thread sleeps on a channel, so an idle app gets one wake-up per tick.

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

/// Writes closer together than this are checkpointed together.
const QUIET: Duration = Duration::from_secs(1);
/// The idle tick.
const IDLE: Duration = Duration::from_secs(30);

/// Starts the thread, woken by a message on `writes` after each write; it ends when every
/// sender is gone (the journal closed) or `checkpoint` returns `None`.
pub(crate) fn spawn(writes: Receiver<()>, checkpoint: impl Fn() -> Option<()> + Send + 'static) {
    let started = std::thread::Builder::new()
        .name("jotline-checkpoint".into())
        .spawn(move || run(&writes, checkpoint));
    if let Err(e) = started {
        tracing::error!(error = %e, "no checkpoint thread; the log is copied on exit only");
    }
}

fn run(writes: &Receiver<()>, checkpoint: impl Fn() -> Option<()>) {
    loop {
        match writes.recv_timeout(IDLE) {
            Ok(()) => {
                if !wait_until_quiet(writes) {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if checkpoint().is_none() {
            return;
        }
    }
}

/// False when the journal closed meanwhile.
fn wait_until_quiet(writes: &Receiver<()>) -> bool {
    loop {
        match writes.recv_timeout(QUIET) {
            Ok(()) => continue,
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}
