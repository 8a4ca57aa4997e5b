//! Delivery receipts as the UI shows them: where an entry is (this computer, the server, all
//! the user's devices) and which devices the user has.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How far an entry has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Delivery {
    /// Changes wait to be pushed: only this computer has them.
    OnThisComputer,
    /// The server acknowledged it; some other device has not pulled it yet (or there is
    /// no other device).
    OnServer,
    /// Every other device seen in the last [`ACTIVE_DEVICE_DAYS`] days has pulled it.
    OnAllDevices,
}

/// A device not heard from for this long does not hold receipts back.
pub const ACTIVE_DEVICE_DAYS: i64 = 30;

/// One of the user's devices, as last listed by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub client_id: String,
    /// Its own name (host name unless renamed); `None` for a device that never named itself.
    pub name: Option<String>,
    pub this_device: bool,
    /// Seen within [`ACTIVE_DEVICE_DAYS`] days: it counts for "on all your devices".
    pub active: bool,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub pulled_at: Option<DateTime<Utc>>,
}

/// An entry's receipt in words: its state and the active devices that still lack it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EntryDelivery {
    pub delivery: Delivery,
    pub missing: Vec<Device>,
}

/// For the status bar and the tray: how many other active devices there are and how many
/// of them hold everything the server has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DevicesSummary {
    pub other_devices: u32,
    pub up_to_date: u32,
}
