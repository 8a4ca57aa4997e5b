//! The server side of sync (migrations/server) against a real, throwaway PostgreSQL 15:
//! row-level security, the commit-ordered cursor, idempotent push, rejections, field-level
//! last-writer-wins, delete wins, paging, tombstone cleanup and Realtime pokes. Each test starts its own cluster.

mod common;
mod cursor;
mod lint;
mod paging;
mod pokes;
mod push;
mod rls;
mod storage;
mod tombstones;
