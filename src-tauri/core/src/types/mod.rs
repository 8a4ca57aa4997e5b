//! Values that cross the boundary to the UI. Their TypeScript twins in
//! `ui/src/lib/bindings.ts` are generated from these (ts-rs) by `tests/bindings.rs`, which
//! fails when the file is out of date.
//!
//! One file per domain; everything is re-exported here (`jotline_core::types::*`).

mod devices;
mod entries;
mod errors;
mod events;
mod export;
mod settings;
mod status;
mod sync;
mod voice;

pub use devices::*;
pub use entries::*;
pub use errors::*;
pub use events::*;
pub use export::*;
pub use settings::*;
pub use status::*;
pub use sync::*;
pub use voice::*;
