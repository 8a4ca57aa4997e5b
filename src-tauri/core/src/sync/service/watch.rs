//! Follows the running engine: each status it reports becomes the sync state, and a round
//! that finished with changes from the cloud is announced as `CloudUpdated`.

use crate::types::{CoreEvent, SyncState, SyncStatus};
use crate::Core;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub(super) fn follow(
    core: Core,
    email: String,
    mut status: watch::Receiver<SyncStatus>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let current = status.borrow_and_update().clone();
            engine_status(&core, &email, current);
            if status.changed().await.is_err() {
                break;
            }
        }
    })
}

fn engine_status(core: &Core, email: &str, status: SyncStatus) {
    let before = match core.sync_state() {
        SyncState::Active { status, .. } => status.last_synced_at,
        _ => None,
    };
    let finished_round = status.last_synced_at.is_some() && status.last_synced_at != before;
    let updated = (finished_round && status.entries_updated > 0).then_some(status.entries_updated);
    core.set_sync_state(SyncState::Active {
        email: email.to_owned(),
        status,
    });
    if let Some(entries_updated) = updated {
        core.publish(CoreEvent::CloudUpdated { entries_updated });
    }
}
