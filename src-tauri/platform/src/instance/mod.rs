//! One app per journal, and a second `jotline` that hands its request to it and reports the
//! answer. The first process takes the journal's lock (`JournalLock`, an OS lock on the
//! canonical folder) and listens on a local socket; a later one finds the lock held, sends its
//! request over the socket and waits for the reply, so `jotline capture TEXT` says whether the
//! text was saved and never exits 0 on a refusal.

mod hand_off;
mod listener;
mod message;
mod primary;
mod socket_path;

pub use hand_off::{send, HandOffError};
pub use listener::Listener;
pub use message::{Reply, Request};
pub use socket_path::socket_path;

use crate::cli::CliCommand;
use crate::data_dir;
use jotline_core::{JournalLock, JournalLockError};
use std::time::{Duration, Instant};

/// How long a second launch keeps trying to reach a running app that is still starting.
const REACH_RUNNING_APP: Duration = Duration::from_secs(20);

/// What becomes the journal's app: gets the command and the listener for later launches
/// (if the socket could be bound), returns the exit code.
pub type RunApp = Box<dyn FnOnce(CliCommand, Option<Listener>) -> i32>;

/// Runs `command` (anything but export, backup, version, help) as this journal's app through
/// `app`, or hands it to the app already running on the journal. Returns the process exit
/// code.
pub fn run(command: CliCommand, app: RunApp) -> i32 {
    let Some(dir) = data_dir::resolve() else {
        return refused(&command, "no home folder for the journal");
    };
    let Some(request) = Request::from_command(&command) else {
        return refused(&command, "this command does not start Jotline");
    };
    let deadline = Instant::now() + REACH_RUNNING_APP;
    loop {
        match JournalLock::acquire(&dir) {
            Ok(lock) => return primary::run(command, &lock, &dir, app),
            Err(JournalLockError::Held(canonical)) => {
                match send(&socket_path(&canonical), &request) {
                    Ok(reply) => return reply.report(&command),
                    // The running app is still starting (or just quitting): try again shortly.
                    Err(HandOffError::NotListening(_)) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(100));
                    }
                    Err(err) => return refused(&command, &err.to_string()),
                }
            }
            Err(err @ JournalLockError::Io { .. }) => return refused(&command, &err.to_string()),
        }
    }
}

/// Nothing was saved: the reason on stderr and, for a capture, the text on stdout so the
/// caller still has it. Exit code 1.
fn refused(command: &CliCommand, reason: &str) -> i32 {
    eprintln!("jotline: {reason}");
    if let CliCommand::CaptureText(text) = command {
        eprintln!("jotline: the text was not saved; it follows on standard output");
        println!("{text}");
    }
    1
}
