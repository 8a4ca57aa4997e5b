//! What a second launch asks the running app, and the answer: one JSON line each way.

use crate::cli::CliCommand;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum Request {
    /// Show the journal.
    Open,
    /// Start at login found the app running: leave it as it is.
    OpenMinimized,
    OpenCapture,
    CaptureText {
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Reply {
    Done,
    Saved {
        message: String,
    },
    /// Not in the journal. `draft`: kept as the capture window's draft (and shown there).
    NotSaved {
        reason: String,
        draft: bool,
    },
}

impl Request {
    /// The request for a command a running app can take; `None` for the ones that never
    /// start the app (export, backup, version, help).
    pub fn from_command(command: &CliCommand) -> Option<Request> {
        match command {
            CliCommand::Open => Some(Request::Open),
            CliCommand::OpenMinimized => Some(Request::OpenMinimized),
            CliCommand::OpenCapture => Some(Request::OpenCapture),
            CliCommand::CaptureText(text) => Some(Request::CaptureText { text: text.clone() }),
            CliCommand::Export { .. }
            | CliCommand::Backup { .. }
            | CliCommand::Version
            | CliCommand::Help => None,
        }
    }
}

impl Reply {
    /// Tells the user what the running app did; the exit code. Text that is neither in the
    /// journal nor in the draft is printed on stdout so it is not lost.
    pub fn report(&self, command: &CliCommand) -> i32 {
        match self {
            Reply::Done => 0,
            Reply::Saved { message } => {
                println!("{message}");
                0
            }
            Reply::NotSaved {
                reason,
                draft: true,
            } => {
                eprintln!("jotline: not saved: {reason}");
                eprintln!("jotline: the text is kept in the capture window of the running Jotline");
                1
            }
            Reply::NotSaved {
                reason,
                draft: false,
            } => super::refused(command, &format!("not saved: {reason}")),
        }
    }
}
