//! Delivery receipts on this computer: the stored device list, kept current by listings and
//! by `pulled` broadcasts, and what it says about entries.

use super::devices::DeviceList;
use super::error::SyncError;
use super::local::LocalSync;
use crate::error::CoreError;
use crate::store::{devices, entries, sync_meta};
use crate::types::{Delivery, Device, DevicesSummary, Entry, EntryDelivery, SyncState};
use crate::Core;
use chrono::DateTime;
use rusqlite::Connection;
use uuid::Uuid;

impl LocalSync<'_> {
    /// Stores a listing (replacing the previous one).
    pub fn store_devices(&self, list: &DeviceList) -> Result<(), SyncError> {
        let now = DateTime::from_timestamp_millis(self.core.now_ms()).unwrap_or_default();
        devices::replace_all(&self.core.conn(), list, now)?;
        Ok(())
    }

    /// A `pulled` broadcast: false when the device is not listed yet (list again).
    pub fn device_pulled(&self, client_id: &str, version: i64) -> Result<bool, SyncError> {
        Ok(devices::set_pulled(
            &self.core.conn(),
            client_id,
            version,
            self.core.now_ms(),
        )?)
    }

    /// The user's devices as last listed, this one first.
    pub fn devices(&self) -> Result<Vec<Device>, SyncError> {
        let own = self.client_id()?;
        Ok(devices::list(&self.core.conn(), &own, self.core.now_ms())?)
    }

    /// Forgets the listing (sign-out: another account's devices must not show).
    pub fn clear_devices(&self) -> Result<(), SyncError> {
        Ok(devices::clear(&self.core.conn())?)
    }

    pub fn devices_summary(&self) -> Result<DevicesSummary, SyncError> {
        let own = self.client_id()?;
        Ok(devices::summary(
            &self.core.conn(),
            &own,
            self.core.now_ms(),
        )?)
    }
}

impl Core {
    /// The receipts of `list` while sync runs (signed in, not paused); untouched otherwise.
    pub(crate) fn with_delivery(&self, mut list: Vec<Entry>) -> Result<Vec<Entry>, CoreError> {
        if !matches!(self.sync_state(), SyncState::Active { .. }) || list.is_empty() {
            return Ok(list);
        }
        let own = own_id(&self.conn())?;
        let ids: Vec<String> = list.iter().map(|e| e.id.to_string()).collect();
        let mut found = devices::deliveries_of(&self.conn(), &ids, &own, self.now_ms())?;
        for e in &mut list {
            e.delivery = found.remove(&e.id.to_string());
        }
        Ok(list)
    }

    /// One entry's receipt in words: its state and the devices that still lack it.
    pub fn entry_delivery(&self, id: Uuid) -> Result<EntryDelivery, CoreError> {
        let conn = self.conn();
        let own = own_id(&conn)?;
        let key = id.to_string();
        let delivery =
            devices::deliveries_of(&conn, std::slice::from_ref(&key), &own, self.now_ms())?
                .remove(&key)
                .unwrap_or(Delivery::OnThisComputer);
        let missing = match (delivery, entries::server_version(&conn, &key)?) {
            (Delivery::OnServer, Some(v)) => devices::lacking(&conn, &own, v, self.now_ms())?,
            _ => Vec::new(),
        };
        Ok(EntryDelivery { delivery, missing })
    }
}

/// This installation's client id ("" before sync ever ran: then every device is another).
pub(crate) fn own_id(conn: &Connection) -> rusqlite::Result<String> {
    Ok(sync_meta::client_id(conn)?.unwrap_or_default())
}
