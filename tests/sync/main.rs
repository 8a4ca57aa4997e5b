//! The app's real sync client (`jotline_core`: `LocalSync::round`, `SyncEngine`) against the
//! real server (`migrations/server` on a throwaway Postgres behind the local backend), with
//! network faults injected by a proxy in front of each device.

mod auth;
mod cli;
mod common;
mod faults;
mod keys;
mod live;
mod receipts;
mod sim;
mod users;
