//! The capture processor as one background task: a pass at start, after every `kick()`
//! (a new recording, sign-in, settings changed, Retry), when a retry falls due, and every
//! minute while something waits for a backend (so a capture moves on when the network is back
//! even if nothing else happens).

use super::processor::ProcessorDeps;
use crate::Core;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{sleep_until, Instant};

/// Pass interval while captures wait without a retry time.
const WAITING_POLL: Duration = Duration::from_secs(60);

enum Msg {
    Deps(ProcessorDeps),
    Kick,
}

/// Handle of the running task; dropping it stops the task.
pub struct CaptureProcessor {
    tx: mpsc::UnboundedSender<Msg>,
    task: JoinHandle<()>,
}

impl CaptureProcessor {
    /// Starts the task (inside a tokio runtime) with what it can reach now.
    pub fn spawn(core: Core, deps: ProcessorDeps) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(core, deps, rx));
        Self { tx, task }
    }

    /// A pass soon.
    pub fn kick(&self) {
        let _ = self.tx.send(Msg::Kick);
    }

    /// New uploader / transcriber (sign-in, sign-out, pause, settings), then a pass.
    pub fn set_deps(&self, deps: ProcessorDeps) {
        let _ = self.tx.send(Msg::Deps(deps));
    }
}

impl Drop for CaptureProcessor {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn run(core: Core, mut deps: ProcessorDeps, mut rx: mpsc::UnboundedReceiver<Msg>) {
    let mut due = Some(Instant::now());
    loop {
        let wake = due.unwrap_or_else(|| Instant::now() + Duration::from_secs(24 * 3600));
        tokio::select! {
            msg = rx.recv() => match msg {
                None => break,
                Some(Msg::Deps(d)) => {
                    deps = d;
                    due = Some(Instant::now());
                }
                Some(Msg::Kick) => due = Some(Instant::now()),
            },
            _ = sleep_until(wake), if due.is_some() => {
                due = match core.process_voice_captures(&deps).await {
                    Ok(report) => {
                        let retry = report.next_retry_at.map(|at| {
                            let wait = (at - core.now_ms()).max(0);
                            Instant::now() + Duration::from_millis(wait.unsigned_abs())
                        });
                        let poll = (report.waiting > 0).then(|| Instant::now() + WAITING_POLL);
                        match (retry, poll) {
                            (Some(r), Some(p)) => Some(r.min(p)),
                            (r, p) => r.or(p),
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "capture processing failed; trying again later");
                        Some(Instant::now() + WAITING_POLL)
                    }
                };
            }
        }
    }
}
