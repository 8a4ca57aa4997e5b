//! The server side of sync (migrations/server) against a real, throwaway PostgreSQL 15:
//! row-level security, the commit-ordered cursor, idempotent push, rejections, field-level
//! last-writer-wins, delete wins, paging, tombstone cleanup, Realtime pokes, and the devices
//! and pulled versions behind delivery receipts. Each test starts its own cluster.

mod common;
mod cursor;
mod devices;
mod lint;
mod paging;
mod pokes;
mod push;
mod receipts;
mod rls;
mod storage;
mod tombstones;
