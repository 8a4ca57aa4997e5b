//! "The network came back": on Linux, NetworkManager's `StateChanged` signal on the system
//! bus calls back (the app sends `Trigger::Reconnect` to the running sync engine). Without a
//! system bus or NetworkManager this logs once and does nothing; the engine's backoff still
//! retries.

/// NM_STATE_CONNECTED_SITE: a network is up, maybe without a route to the internet.
const NM_STATE_CONNECTED_SITE: u32 = 60;

/// Whether NetworkManager's move from `previous` to `current` means the network came back.
/// An unknown `previous` is not a reconnect (the engine syncs at start-up anyway); 60
/// (CONNECTED_SITE) and 70 (CONNECTED_GLOBAL) count as up.
pub fn is_reconnect(previous: Option<u32>, current: u32) -> bool {
    matches!(previous, Some(previous) if previous < NM_STATE_CONNECTED_SITE)
        && current >= NM_STATE_CONNECTED_SITE
}

/// Starts watching connectivity in a background thread (Linux; a no-op elsewhere). Never
/// fails: problems are logged.
pub fn watch(on_reconnect: impl Fn() + Send + 'static) {
    #[cfg(target_os = "linux")]
    {
        let spawned = std::thread::Builder::new()
            .name("jotline-connectivity".into())
            .spawn(move || {
                if let Err(err) = linux::watch_network_manager(on_reconnect) {
                    tracing::info!(%err, "no NetworkManager on the system bus: no reconnect trigger");
                }
            });
        if let Err(err) = spawned {
            tracing::warn!(%err, "connectivity watcher not started");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = on_reconnect;
}

#[cfg(target_os = "linux")]
mod linux {
    use super::is_reconnect;
    use zbus::blocking::{proxy::Builder, Connection, Proxy};
    use zbus::proxy::CacheProperties;

    /// Blocks for as long as the system bus delivers `StateChanged`; calls `on_reconnect`
    /// for each reconnect. Returns an error when there is no bus or no NetworkManager.
    pub fn watch_network_manager(on_reconnect: impl Fn()) -> zbus::Result<()> {
        let bus = Connection::system()?;
        let nm: Proxy<'_> = Builder::new(&bus)
            .destination("org.freedesktop.NetworkManager")?
            .path("/org/freedesktop/NetworkManager")?
            .interface("org.freedesktop.NetworkManager")?
            .cache_properties(CacheProperties::No)
            .build()?;
        // Subscribe before reading the state so no change falls in between.
        let changes = nm.receive_signal("StateChanged")?;
        let mut previous = Some(nm.get_property::<u32>("State")?);
        tracing::debug!(state = ?previous, "watching NetworkManager for reconnects");
        for message in changes {
            let current: u32 = match message.body().deserialize() {
                Ok(state) => state,
                Err(err) => {
                    tracing::debug!(%err, "unexpected StateChanged body");
                    continue;
                }
            };
            if is_reconnect(previous, current) {
                on_reconnect();
            }
            previous = Some(current);
        }
        tracing::debug!("NetworkManager signal stream ended");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::is_reconnect;

    const ASLEEP: u32 = 10;
    const DISCONNECTED: u32 = 20;
    const DISCONNECTING: u32 = 30;
    const CONNECTING: u32 = 40;
    const CONNECTED_LOCAL: u32 = 50;
    const CONNECTED_SITE: u32 = 60;
    const CONNECTED_GLOBAL: u32 = 70;

    #[test]
    fn coming_up_is_a_reconnect() {
        for down in [
            0,
            ASLEEP,
            DISCONNECTED,
            DISCONNECTING,
            CONNECTING,
            CONNECTED_LOCAL,
        ] {
            assert!(is_reconnect(Some(down), CONNECTED_GLOBAL), "{down} -> 70");
            assert!(is_reconnect(Some(down), CONNECTED_SITE), "{down} -> 60");
        }
    }

    #[test]
    fn staying_up_is_not() {
        assert!(!is_reconnect(Some(CONNECTED_SITE), CONNECTED_GLOBAL));
        assert!(!is_reconnect(Some(CONNECTED_GLOBAL), CONNECTED_SITE));
        assert!(!is_reconnect(Some(CONNECTED_GLOBAL), CONNECTED_GLOBAL));
    }

    #[test]
    fn going_or_staying_down_is_not() {
        assert!(!is_reconnect(Some(CONNECTED_GLOBAL), DISCONNECTED));
        assert!(!is_reconnect(Some(DISCONNECTED), CONNECTING));
        assert!(!is_reconnect(Some(CONNECTING), CONNECTED_LOCAL));
    }

    #[test]
    fn unknown_previous_state_is_not() {
        assert!(!is_reconnect(None, CONNECTED_GLOBAL));
        assert!(!is_reconnect(None, DISCONNECTED));
    }
}
