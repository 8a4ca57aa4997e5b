//! The token store of each backend, used off the async threads (the OS keyring blocks on
//! D-Bus).

use crate::auth::{KeyringTokenStore, Session, TokenStore, TokenStoreError};
use crate::types::ApiError;
use std::sync::Arc;

/// The token store of one backend URL.
pub type TokenStoreFactory = Arc<dyn Fn(&str) -> Arc<dyn TokenStore> + Send + Sync>;

/// Sessions in the OS keyring, one entry per backend URL (the app).
pub fn keyring_tokens() -> TokenStoreFactory {
    Arc::new(|url: &str| Arc::new(KeyringTokenStore::new(url)) as Arc<dyn TokenStore>)
}

/// One store for every backend (tests).
pub fn shared_tokens(store: Arc<dyn TokenStore>) -> TokenStoreFactory {
    Arc::new(move |_: &str| store.clone())
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, TokenStoreError> + Send + 'static,
) -> Result<T, ApiError> {
    Ok(tokio::task::spawn_blocking(f).await??)
}

pub(super) async fn load(tokens: Arc<dyn TokenStore>) -> Result<Option<Session>, ApiError> {
    blocking(move || tokens.load()).await
}

pub(super) async fn save(tokens: Arc<dyn TokenStore>, session: Session) -> Result<(), ApiError> {
    blocking(move || tokens.save(&session)).await
}

pub(super) async fn clear(tokens: Arc<dyn TokenStore>) -> Result<(), ApiError> {
    blocking(move || tokens.clear()).await
}
