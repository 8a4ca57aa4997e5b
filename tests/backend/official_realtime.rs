//! Supabase's official Realtime client (`@supabase/realtime-js` 2.109.0 through supabase-js,
//! pinned in `tests/supabase-tools`) against the stand-in Realtime: subscribed to the user's
//! private topic after `setAuth`, the poke of another device's `sync_push` arrives with its
//! version and client id, and another user's join is a `CHANNEL_ERROR` with Realtime's reason
//! (`tests/supabase-tools/official-realtime.mjs`). Both protocol versions: realtime-js's
//! default (2.0.0, binary broadcasts) and the app's (1.0.0).

use crate::realtime::backend;
use crate::support::run_official_script;

async fn official_realtime_client(vsn: &str) {
    let backend = backend().await;
    let steps = [
        "subscribed to the private topic",
        "the poke of another device arrives",
        "another user's join is refused",
    ];
    run_official_script(
        "official-realtime.mjs",
        &backend,
        &[("JOTLINE_VSN", vsn)],
        &steps,
    )
    .await;
}

#[tokio::test]
async fn realtime_js_subscribes_hears_pokes_and_is_refused_on_vsn_2() {
    official_realtime_client("2.0.0").await;
}

#[tokio::test]
async fn realtime_js_subscribes_hears_pokes_and_is_refused_on_vsn_1() {
    official_realtime_client("1.0.0").await;
}
