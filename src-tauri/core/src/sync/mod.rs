//! The client side of sync: protocol types, the HTTP client, backoff, and applying pushes
//! and pulls to the local database (see `migrations/server/README.md`, the contract).

pub mod backoff;
pub mod devices;
mod engine;
mod error;
pub mod http;
mod local;
pub mod protocol;
mod pull;
mod push;
pub mod realtime;
pub(crate) mod receipts;
mod round;
mod rows;
mod service;
pub mod storage;
mod storage_error;

pub use backoff::Backoff;
pub use engine::{EngineConfig, SyncEngine, Trigger};
pub use error::SyncError;
pub use http::SyncClient;
pub use local::{LastSync, LocalSync, PULL_PAGE, PUSH_BATCH};
pub use pull::PullApplied;
pub use push::PushOutcome;
pub use realtime::RealtimeConfig;
pub use round::RoundReport;
pub use service::{keyring_tokens, shared_tokens, SignInKind, SyncService, TokenStoreFactory};
