use jotline_core::transcribe::{MemoryTranscriberKeyStore, TranscriberConfig, TranscriberKeyStore};

#[test]
fn memory_store_saves_loads_and_clears_the_key() {
    let store = MemoryTranscriberKeyStore::new();
    assert_eq!(store.load().unwrap(), None);
    store.save("sk-secret-1").unwrap();
    assert_eq!(store.load().unwrap().as_deref(), Some("sk-secret-1"));
    store.clear().unwrap();
    store.clear().unwrap();
    assert_eq!(store.load().unwrap(), None);
}

#[test]
fn debug_output_never_shows_the_key() {
    let store = MemoryTranscriberKeyStore::new();
    store.save("sk-secret-1").unwrap();
    let config = TranscriberConfig::new("http://x", "whisper-1").with_api_key("sk-secret-2");
    let printed = format!("{store:?} {config:?}");
    assert!(!printed.contains("sk-secret"), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");
}
