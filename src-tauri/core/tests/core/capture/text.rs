use crate::common::{fixture, outbox, t0};
use jotline_core::{CoreError, ErrorCode, Surface, MAX_CAPTURE_BYTES};

#[test]
fn capture_writes_capture_entry_and_both_ops_in_one_go() {
    let f = fixture();
    let text = "  Call @Mia about #garden-plans.\n\n";
    let saved = f.core.capture_text(text, Surface::DesktopHotkey).unwrap();
    let e = &saved.entry;
    assert_eq!(e.body, text, "stored exactly as typed");
    assert_eq!((e.kind.as_str(), e.title.clone()), ("note", None));
    assert_eq!(
        (e.occurred_at, e.created_at, e.updated_at),
        (t0(), t0(), t0())
    );
    assert_eq!(e.tags, vec!["garden-plans"]);
    assert_eq!(e.people, vec!["mia"]);
    assert_eq!(f.core.get_entry(e.id).unwrap(), *e);

    let (surface, status, entry_id, stored_text): (String, String, String, String) = f
        .db()
        .query_row(
            "SELECT surface, parse_status, entry_id, text FROM pending_captures WHERE id = ?1",
            [saved.capture_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(surface, "desktop_hotkey");
    assert_eq!(status, "ready");
    assert_eq!(entry_id, e.id.to_string());
    assert_eq!(stored_text, text);

    let ops = outbox(&f);
    assert_eq!(ops.len(), 2);
    assert_eq!(
        (ops[0].table_name.as_str(), ops[0].row_id.clone()),
        ("entries", e.id.to_string())
    );
    assert_eq!(
        (ops[1].table_name.as_str(), ops[1].row_id.clone()),
        ("pending_captures", saved.capture_id.to_string())
    );
    assert!(ops.iter().all(|o| o.op == "upsert"));
    assert_eq!(f.core.status().unwrap().entry_count, 1);
}

#[test]
fn each_surface_is_recorded() {
    let f = fixture();
    for (s, name) in [
        (Surface::DesktopHotkey, "desktop_hotkey"),
        (Surface::InApp, "in_app"),
        (Surface::Cli, "cli"),
    ] {
        let id = f.core.capture_text("x", s).unwrap().capture_id;
        let got: String = f
            .db()
            .query_row(
                "SELECT surface FROM pending_captures WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(got, name);
    }
}

#[test]
fn empty_or_blank_capture_writes_nothing() {
    let f = fixture();
    for text in ["", " ", "\n\t  \r\n", "\u{3000}"] {
        let err = f.core.capture_text(text, Surface::InApp).unwrap_err();
        assert!(matches!(err, CoreError::EmptyCapture), "{text:?}");
        assert_eq!(err.code(), ErrorCode::EmptyCapture);
    }
    assert_eq!(f.count("SELECT count(*) FROM entries"), 0);
    assert_eq!(f.count("SELECT count(*) FROM pending_captures"), 0);
    assert_eq!(f.count("SELECT count(*) FROM outbox"), 0);
}

#[test]
fn oversized_capture_writes_nothing_and_limit_is_inclusive() {
    let f = fixture();
    let big = "a".repeat(MAX_CAPTURE_BYTES + 1);
    let err = f.core.capture_text(&big, Surface::InApp).unwrap_err();
    assert!(
        matches!(err, CoreError::TooLarge { size, limit } if size == MAX_CAPTURE_BYTES + 1 && limit == MAX_CAPTURE_BYTES)
    );
    assert_eq!(f.count("SELECT count(*) FROM entries"), 0);
    assert_eq!(f.count("SELECT count(*) FROM outbox"), 0);
    let exact = "b".repeat(MAX_CAPTURE_BYTES);
    assert!(f.core.capture_text(&exact, Surface::InApp).is_ok());
}
