//! Supabase's official JavaScript client (`@supabase/supabase-js`, pinned in
//! `tests/supabase-tools`) against the stand-in: sign-up, a wrong password
//! (`error.code === "invalid_credentials"`), sign-in, refresh, `rpc('sync_push')`,
//! `rpc('sync_pull')`, a refused direct write, and Storage upload / download / refused upload,
//! each asserted on what the client parses (`tests/supabase-tools/official-client.mjs`).

use crate::support::run_official_script;
use jotline_tests::backend::LocalBackend;

#[tokio::test]
async fn supabase_js_reads_the_stand_in_as_it_reads_supabase() {
    let backend = LocalBackend::start().await.unwrap();
    let steps = [
        "sign-up",
        "wrong password is invalid_credentials",
        "refresh",
        "rpc sync_push",
        "rpc sync_pull",
        "a direct write of a sync table is refused",
        "storage download",
        "storage refuses another folder",
    ];
    run_official_script("official-client.mjs", &backend, &[], &steps).await;
}
