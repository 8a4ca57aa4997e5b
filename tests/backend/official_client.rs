//! Supabase's official JavaScript client (`@supabase/supabase-js`, pinned in
//! `tests/supabase-tools`) against the stand-in: sign-up, a wrong password
//! (`error.code === "invalid_credentials"`), sign-in, refresh, `rpc('sync_push')`,
//! `rpc('sync_pull')`, a refused direct write, and Storage upload / download / refused upload,
//! each asserted on what the client parses (`tests/supabase-tools/official-client.mjs`).

use jotline_tests::backend::LocalBackend;
use std::path::Path;

#[tokio::test]
async fn supabase_js_reads_the_stand_in_as_it_reads_supabase() {
    let backend = LocalBackend::start().await.unwrap();
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("supabase-tools");
    assert!(
        tools.join("node_modules/@supabase/supabase-js").exists(),
        "scripts/ensure-deps.sh (make test) installs tests/supabase-tools"
    );
    let out = tokio::process::Command::new("node")
        .arg("official-client.mjs")
        .current_dir(&tools)
        .env("JOTLINE_URL", backend.url())
        .env("JOTLINE_ANON_KEY", backend.anon_key())
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for step in [
        "sign-up",
        "wrong password is invalid_credentials",
        "refresh",
        "rpc sync_push",
        "rpc sync_pull",
        "a direct write of a sync table is refused",
        "storage download",
        "storage refuses another folder",
    ] {
        assert!(stdout.contains(&format!("ok: {step}")), "{step}: {stdout}");
    }
}
