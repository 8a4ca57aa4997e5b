//! The devices list in Settings → Sync: this computer's name, and forgetting a device (a
//! sold or reinstalled computer) so that it no longer holds receipts back.

use super::{clients, lock, SyncService};
use crate::types::{ApiError, CoreEvent, ErrorCode, Settings};

impl SyncService {
    /// Saves this computer's name (empty: the host name) and registers it with the server
    /// when signed in (sync restarts; the engine registers first thing).
    pub async fn set_device_name(&self, name: String) -> Result<Settings, ApiError> {
        let settings = self.core().update_settings(|s| {
            s.device_name = name;
            Ok(())
        })?;
        if self.account().is_some() {
            if let Err(err) = self.start().await {
                tracing::warn!(code = ?err.code, "sync not restarted after the rename");
            }
        }
        Ok(settings)
    }

    /// Forgets `client_id` on the server, then lists the devices again.
    pub async fn forget_device(&self, client_id: &str) -> Result<(), ApiError> {
        let Some(session) = lock(&self.inner.session).clone() else {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "Sign in to manage your devices.",
            ));
        };
        let settings = self.core().settings()?;
        let client = clients::sync(&settings)?;
        let current = session
            .session()
            .await
            .map_err(|e| ApiError::new(ErrorCode::InvalidCredentials, e.to_string()))?;
        client.forget_device(&current, client_id).await?;
        let list = client.list_devices(&current).await?;
        self.core().sync().store_devices(&list)?;
        self.core().publish(CoreEvent::ReceiptsChanged);
        self.core().republish_status();
        Ok(())
    }
}
