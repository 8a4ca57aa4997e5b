//! The devices behind delivery receipts (`migrations/server/0011_delivery_receipts.sql`):
//! a device names itself, lists the user's devices with how far each has pulled, and forgets
//! one. The listing is kept in the local database (`store::devices`) for the receipts.

use super::error::SyncError;
use super::http::SyncClient;
use super::protocol::excerpt;
use crate::auth::Session;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// One device as `list_devices` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedDevice {
    pub client_id: String,
    pub name: Option<String>,
    pub pulled_version: Option<i64>,
    pub pulled_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub created_at: Option<DateTime<Utc>>,
}

/// `list_devices`: the user's version and devices, with the server's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceList {
    pub version: i64,
    pub server_time: DateTime<Utc>,
    pub devices: Vec<ListedDevice>,
}

impl SyncClient {
    pub async fn list_devices(&self, session: &Session) -> Result<DeviceList, SyncError> {
        let body = self
            .call("rest/v1/rpc/list_devices", session, &json!({}))
            .await?;
        serde_json::from_slice(&body)
            .map_err(|e| SyncError::Malformed(format!("list_devices: {e}: {}", excerpt(&body))))
    }

    /// Names this installation (upsert); `name` is trimmed by the server, 1–100 characters.
    pub async fn register_device(
        &self,
        session: &Session,
        client_id: &str,
        name: &str,
    ) -> Result<(), SyncError> {
        self.call(
            "rest/v1/rpc/register_device",
            session,
            &json!({"client_id": client_id, "name": name}),
        )
        .await
        .map(drop)
    }

    /// The user forgets a device: it no longer holds receipts back. False: none was listed.
    pub async fn forget_device(
        &self,
        session: &Session,
        client_id: &str,
    ) -> Result<bool, SyncError> {
        let body = self
            .call(
                "rest/v1/rpc/forget_device",
                session,
                &json!({"client_id": client_id}),
            )
            .await?;
        serde_json::from_slice(&body)
            .map_err(|e| SyncError::Malformed(format!("forget_device: {e}: {}", excerpt(&body))))
    }
}
