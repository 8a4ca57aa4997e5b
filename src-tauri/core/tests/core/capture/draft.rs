use crate::common::fixture;

#[test]
fn draft_round_trip_and_clear() {
    let f = fixture();
    assert_eq!(f.core.load_draft().unwrap(), None);
    f.core.save_draft("half a thought").unwrap();
    assert_eq!(
        f.core.load_draft().unwrap().as_deref(),
        Some("half a thought")
    );
    f.core.save_draft("half a thought, finished\n").unwrap();
    assert_eq!(
        f.core.load_draft().unwrap().as_deref(),
        Some("half a thought, finished\n")
    );
    // Survives a restart.
    assert_eq!(
        f.reopen().load_draft().unwrap().as_deref(),
        Some("half a thought, finished\n")
    );
    f.core.clear_draft().unwrap();
    assert_eq!(f.core.load_draft().unwrap(), None);
    f.core.clear_draft().unwrap();
}

#[test]
fn blank_draft_loads_as_none_and_no_temp_file_is_left() {
    let f = fixture();
    f.core.save_draft("x").unwrap();
    f.core.save_draft("   ").unwrap();
    assert_eq!(f.core.load_draft().unwrap(), None);
    std::fs::write(f.core.data_dir().join("capture-draft.md"), "").unwrap();
    assert_eq!(f.core.load_draft().unwrap(), None);
    f.core.save_draft("y").unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(f.core.data_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
