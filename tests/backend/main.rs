//! The local Supabase-compatible backend (`jotline_tests::backend`) over HTTP: GoTrue-shaped
//! auth with refresh-token rotation, PostgREST-style rpc into the real `migrations/server`
//! (grants, JWT checks, row-level security between two users, the devices behind delivery
//! receipts), Storage ownership, and the fault-injecting proxy. Each test starts its own
//! backend (and Postgres).

mod auth;
mod devices;
mod official_client;
mod proxy;
mod rpc;
mod storage;
mod support;
mod tables;
