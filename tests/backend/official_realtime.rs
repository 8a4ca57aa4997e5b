//! Supabase's official Realtime client (`@supabase/realtime-js` 2.109.0 through supabase-js,
//! pinned in `tests/supabase-tools`) against the stand-in Realtime: subscribed to the user's
//! private topic after `setAuth`, the poke of another device's `sync_push` arrives with its
//! version and client id, and another user's join is a `CHANNEL_ERROR` with Realtime's reason
//! (`tests/supabase-tools/official-realtime.mjs`). Both protocol versions: realtime-js's
//! default (2.0.0, binary broadcasts) and the app's (1.0.0).

use std::path::Path;

use crate::realtime::backend;

async fn official_realtime_client(vsn: &str) {
    let backend = backend().await;
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("supabase-tools");
    assert!(
        tools.join("node_modules/@supabase/realtime-js").exists(),
        "scripts/ensure-deps.sh (make test) installs tests/supabase-tools"
    );
    let out = tokio::process::Command::new("node")
        .arg("official-realtime.mjs")
        .current_dir(&tools)
        .env("JOTLINE_URL", backend.url())
        .env("JOTLINE_ANON_KEY", backend.anon_key())
        .env("JOTLINE_VSN", vsn)
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for step in [
        "subscribed to the private topic",
        "the poke of another device arrives",
        "another user's join is refused",
    ] {
        assert!(stdout.contains(&format!("ok: {step}")), "{step}: {stdout}");
    }
}

#[tokio::test]
async fn realtime_js_subscribes_hears_pokes_and_is_refused_on_vsn_2() {
    official_realtime_client("2.0.0").await;
}

#[tokio::test]
async fn realtime_js_subscribes_hears_pokes_and_is_refused_on_vsn_1() {
    official_realtime_client("1.0.0").await;
}
