//! The user's devices as last listed (migrations/local/0005_devices.sql), and what they say
//! about each entry's delivery.

use crate::sync::devices::DeviceList;
use crate::types::{Delivery, Device, DevicesSummary, ACTIVE_DEVICE_DAYS};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Replaces the stored list; the server's times are shifted onto this computer's clock.
pub(crate) fn replace_all(
    conn: &Connection,
    list: &DeviceList,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    let offset = now - list.server_time;
    let local = |t: Option<DateTime<Utc>>| t.map(|t| (t + offset).timestamp_millis());
    conn.execute("DELETE FROM devices", [])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO devices (client_id, name, pulled_version, pulled_at, last_seen_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for d in &list.devices {
        insert.execute(params![
            d.client_id,
            d.name,
            d.pulled_version,
            local(d.pulled_at),
            local(d.last_seen_at),
            local(d.created_at),
        ])?;
    }
    Ok(())
}

/// A receipt heard live: `client_id` now holds everything up to `version`. False when the
/// device is not in the list (a listing brings it).
pub(crate) fn set_pulled(
    conn: &Connection,
    client_id: &str,
    version: i64,
    now_ms: i64,
) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE devices SET pulled_version = ?2, pulled_at = ?3, last_seen_at = ?3 WHERE client_id = ?1",
        params![client_id, version, now_ms],
    )?;
    Ok(n > 0)
}

pub(crate) fn clear(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM devices", []).map(drop)
}

/// The other devices that count: seen within [`ACTIVE_DEVICE_DAYS`]; their pulled version
/// (0 when unknown: such a device is assumed to hold nothing).
fn active_others(
    conn: &Connection,
    own: &str,
    now_ms: i64,
) -> rusqlite::Result<Vec<(String, i64)>> {
    let since = now_ms - ACTIVE_DEVICE_DAYS * DAY_MS;
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, coalesce(pulled_version, 0) FROM devices
         WHERE client_id <> ?1 AND last_seen_at >= ?2",
    )?;
    let rows = stmt.query_map(params![own, since], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Every listed device, this one first, then by last seen.
pub(crate) fn list(conn: &Connection, own: &str, now_ms: i64) -> rusqlite::Result<Vec<Device>> {
    let since = now_ms - ACTIVE_DEVICE_DAYS * DAY_MS;
    let mut stmt = conn.prepare_cached(
        "SELECT client_id, name, last_seen_at, pulled_at FROM devices
         ORDER BY client_id <> ?1, last_seen_at IS NULL, last_seen_at DESC, client_id",
    )?;
    let rows = stmt.query_map(params![own], |r| {
        let client_id: String = r.get(0)?;
        let last_seen: Option<i64> = r.get(2)?;
        Ok(Device {
            this_device: client_id == own,
            active: last_seen.is_some_and(|t| t >= since),
            client_id,
            name: r.get(1)?,
            last_seen_at: last_seen.and_then(DateTime::from_timestamp_millis),
            pulled_at: r
                .get::<_, Option<i64>>(3)?
                .and_then(DateTime::from_timestamp_millis),
        })
    })?;
    rows.collect()
}

/// Where each of `ids` has got: pending ops → this computer; else its server version against
/// the other active devices' pulled versions.
pub(crate) fn deliveries_of(
    conn: &Connection,
    ids: &[String],
    own: &str,
    now_ms: i64,
) -> rusqlite::Result<HashMap<String, Delivery>> {
    let others = active_others(conn, own, now_ms)?;
    let lowest = others.iter().map(|(_, v)| *v).min();
    let mut pending = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE table_name = 'entries' AND row_id = ?1)",
    )?;
    let mut version = conn.prepare_cached("SELECT server_version FROM entries WHERE id = ?1")?;
    let mut out = HashMap::with_capacity(ids.len());
    for id in ids {
        let delivery = if pending.query_row([id], |r| r.get::<_, bool>(0))? {
            Delivery::OnThisComputer
        } else {
            let v: Option<i64> = version.query_row([id], |r| r.get(0)).optional()?.flatten();
            match (v, lowest) {
                (None, _) => Delivery::OnThisComputer,
                (Some(v), Some(low)) if low >= v => Delivery::OnAllDevices,
                (Some(_), _) => Delivery::OnServer,
            }
        };
        out.insert(id.clone(), delivery);
    }
    Ok(out)
}

/// The other active devices that lack version `v` of an entry.
pub(crate) fn lacking(
    conn: &Connection,
    own: &str,
    v: i64,
    now_ms: i64,
) -> rusqlite::Result<Vec<Device>> {
    let behind: Vec<String> = active_others(conn, own, now_ms)?
        .into_iter()
        .filter(|(_, pulled)| *pulled < v)
        .map(|(id, _)| id)
        .collect();
    Ok(list(conn, own, now_ms)?
        .into_iter()
        .filter(|d| behind.contains(&d.client_id))
        .collect())
}

/// How many other active devices hold everything this computer knows is on the server.
pub(crate) fn summary(
    conn: &Connection,
    own: &str,
    now_ms: i64,
) -> rusqlite::Result<DevicesSummary> {
    let others = active_others(conn, own, now_ms)?;
    let top: i64 = conn.query_row(
        "SELECT coalesce(max(server_version), 0) FROM entries",
        [],
        |r| r.get(0),
    )?;
    let up_to_date = others.iter().filter(|(_, v)| *v >= top).count();
    Ok(DevicesSummary {
        other_devices: u32::try_from(others.len()).unwrap_or(u32::MAX),
        up_to_date: u32::try_from(up_to_date).unwrap_or(u32::MAX),
    })
}
