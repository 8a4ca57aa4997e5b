//! What reaches every open socket: broadcasts from the database (the listener) and from
//! clients (another socket's channel). Each socket keeps what is for the channels it joined,
//! the way Realtime's PubSub hands a tenant topic's messages to its subscribers.

use serde_json::Value;

/// One message for the sockets; each checks the topic and `private` against its channels.
#[derive(Debug, Clone)]
pub enum HubMessage {
    Database(DatabaseBroadcast),
    Client(ClientBroadcast),
}

/// A row `realtime.send` inserted, after its transaction committed.
#[derive(Debug, Clone)]
pub struct DatabaseBroadcast {
    /// The row's id, sent as `meta.id` (and in the payload, by realtime.send).
    pub id: String,
    /// Without `realtime:`.
    pub topic: String,
    pub event: String,
    /// Private messages go to private channels only, public ones to public channels only.
    pub private: bool,
    pub payload: Value,
}

/// A client's `broadcast` on a channel it may send on.
#[derive(Debug, Clone)]
pub struct ClientBroadcast {
    /// Without `realtime:`.
    pub topic: String,
    pub private: bool,
    /// As the client sent it: `{type: "broadcast", event, payload}`.
    pub payload: Value,
    /// The sending channel, left out unless it joined with `broadcast.self`.
    pub from_channel: u64,
}
