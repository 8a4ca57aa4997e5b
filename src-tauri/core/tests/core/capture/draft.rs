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

#[test]
fn a_capture_from_outside_that_cannot_be_saved_is_kept_as_the_draft_where_it_fits() {
    use jotline_core::{ErrorCode, Surface, MAX_CAPTURE_BYTES};
    let f = fixture();
    f.core
        .execute_batch_for_tests(
            "CREATE TEMP TRIGGER fail_insert BEFORE INSERT ON main.entries
             BEGIN SELECT RAISE(ABORT, 'injected'); END;",
        )
        .unwrap();
    let not_saved = f
        .core
        .capture_text_or_keep_draft("sent from the terminal", Surface::Cli)
        .unwrap_err();
    assert_eq!(not_saved.error.code(), ErrorCode::Storage);
    assert!(not_saved.drafted);
    assert_eq!(
        f.core.load_draft().unwrap().as_deref(),
        Some("sent from the terminal")
    );

    for (text, code) in [
        ("   ", ErrorCode::EmptyCapture),
        (&*"x".repeat(MAX_CAPTURE_BYTES + 1), ErrorCode::TooLarge),
    ] {
        let not_saved = f
            .core
            .capture_text_or_keep_draft(text, Surface::Cli)
            .unwrap_err();
        assert_eq!(not_saved.error.code(), code);
        assert!(!not_saved.drafted, "nothing that fits to keep");
    }
    assert_eq!(
        f.core.load_draft().unwrap().as_deref(),
        Some("sent from the terminal"),
        "the kept draft is not overwritten"
    );
    f.core
        .execute_batch_for_tests("DROP TRIGGER temp.fail_insert")
        .unwrap();
    let saved = f
        .core
        .capture_text_or_keep_draft("now it fits", Surface::Cli)
        .unwrap();
    assert_eq!(saved.entry.body, "now it fits");
}
