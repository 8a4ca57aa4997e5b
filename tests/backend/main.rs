//! The local Supabase-compatible backend (`jotline_tests::backend`) over HTTP: GoTrue-shaped
//! auth with refresh-token rotation, PostgREST-style rpc into the real `migrations/server`
//! (grants, JWT checks, row-level security between two users, the devices behind delivery
//! receipts), Storage ownership, Realtime's private channels and pokes over a WebSocket, and
//! the fault-injecting proxy. Each test starts its own backend (and Postgres).

mod auth;
mod devices;
mod official_client;
mod official_realtime;
mod phoenix;
mod proxy;
mod realtime;
mod realtime_pokes;
mod realtime_proxy;
mod realtime_tokens;
mod rpc;
mod storage;
mod support;
mod tables;
