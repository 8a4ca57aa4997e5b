//! Handing the journal to another account: the previous user's local copy is emptied (it is
//! on their server) and the sync state starts over for the new one. The one place that
//! empties the journal's tables.

use rusqlite::Connection;

/// Call inside the transaction that decided the switch.
pub(crate) fn hand_over(conn: &Connection, user_id: &str) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DELETE FROM outbox;
         DELETE FROM sync_parked;
         DELETE FROM pending_captures;
         DELETE FROM entries;",
    )?;
    conn.execute(
        "UPDATE sync_meta SET user_id = ?1, cursor = NULL, last_pull_at = NULL,
             last_push_at = NULL WHERE id = 1",
        [user_id],
    )?;
    Ok(())
}
