//! The stand-in's "replication connection": Supabase's Realtime reads the committed inserts of
//! `realtime.messages` from a logical replication slot; the stand-in LISTENs on the channel its
//! `realtime.send` notifies (tests/sql/supabase_bootstrap.sql), after commit, and hands each
//! message to every socket through the hub. It reconnects when the connection drops, and says
//! whether it is listening (what `replication_ready` waits for).

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;
use tokio::sync::{broadcast, watch};
use tokio_postgres::{AsyncMessage, NoTls};

use super::hub::{DatabaseBroadcast, HubMessage};

/// The channel `realtime.send` notifies in the stand-in.
const NOTIFY_CHANNEL: &str = "jotline_standin_realtime";

/// Runs until the runtime stops.
pub async fn run(
    database_url: String,
    hub: broadcast::Sender<Arc<HubMessage>>,
    listening: watch::Sender<bool>,
) {
    loop {
        if let Err(e) = listen(&database_url, &hub, &listening).await {
            eprintln!("jotline backend: realtime listener: {e:#}");
        }
        listening.send_replace(false);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn listen(
    database_url: &str,
    hub: &broadcast::Sender<Arc<HubMessage>>,
    listening: &watch::Sender<bool>,
) -> anyhow::Result<()> {
    let (client, mut connection) = tokio_postgres::connect(database_url, NoTls).await?;
    let (tx, mut notifications) = tokio::sync::mpsc::unbounded_channel();
    // The connection must be polled for LISTEN to complete and for notifications to arrive.
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(Ok(message)) = messages.next().await {
            if let AsyncMessage::Notification(n) = message {
                if tx.send(n.payload().to_string()).is_err() {
                    break;
                }
            }
        }
    });
    client
        .batch_execute(&format!("listen {NOTIFY_CHANNEL}"))
        .await?;
    listening.send_replace(true);
    while let Some(payload) = notifications.recv().await {
        match parse(&payload) {
            // No receiver (no socket open) is fine.
            Some(message) => drop(hub.send(Arc::new(HubMessage::Database(message)))),
            None => eprintln!("jotline backend: realtime listener: unreadable message"),
        }
    }
    driver.abort();
    anyhow::bail!("the listening connection closed")
}

/// A notified row; like Realtime's replication, one without an event, a topic, `private` or a
/// payload is dropped.
fn parse(payload: &str) -> Option<DatabaseBroadcast> {
    let row: Value = serde_json::from_str(payload).ok()?;
    Some(DatabaseBroadcast {
        id: row.get("id")?.as_str()?.to_string(),
        topic: row.get("topic")?.as_str()?.to_string(),
        event: row.get("event")?.as_str()?.to_string(),
        private: row.get("private")?.as_bool()?,
        payload: row.get("payload").filter(|p| !p.is_null())?.clone(),
    })
}
