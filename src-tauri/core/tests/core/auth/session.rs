use crate::sync::http::session;
use jotline_core::auth::{BackendConfig, MemoryTokenStore, TokenStore};

#[test]
fn memory_store_saves_loads_and_clears() {
    let store = MemoryTokenStore::new();
    assert_eq!(store.load().unwrap(), None);
    let s = session();
    store.save(&s).unwrap();
    assert_eq!(store.load().unwrap(), Some(s.clone()));
    let mut rotated = s.clone();
    rotated.refresh_token = "refresh-789".into();
    store.save(&rotated).unwrap();
    assert_eq!(store.load().unwrap(), Some(rotated));
    store.clear().unwrap();
    store.clear().unwrap();
    assert_eq!(store.load().unwrap(), None);
}

#[test]
fn session_debug_redacts_both_tokens() {
    let s = session();
    let shown = format!("{s:?} {s:#?}");
    assert!(!shown.contains("access-123"), "{shown}");
    assert!(!shown.contains("refresh-456"), "{shown}");
    assert!(shown.contains("<redacted>"));
    assert!(shown.contains(&s.user_id.to_string()));
}

#[test]
fn backend_config_debug_redacts_the_key_and_joins_paths() {
    let cfg = BackendConfig::new("http://localhost:54321/", "anon-secretish");
    assert!(!format!("{cfg:?}").contains("anon-secretish"));
    assert_eq!(
        cfg.endpoint("/auth/v1/logout"),
        "http://localhost:54321/auth/v1/logout"
    );
}

#[test]
fn session_knows_when_it_is_about_to_expire() {
    let s = session();
    let now = chrono::Utc::now();
    assert!(!s.expires_within(now, chrono::Duration::minutes(1)));
    assert!(s.expires_within(now, chrono::Duration::hours(2)));
}
