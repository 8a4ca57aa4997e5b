use jotline_core::{CoreError, ExportFormat, ExportSummary};

#[test]
fn export_format_parses_json_md_and_markdown_in_any_case() {
    for (text, format) in [
        ("json", ExportFormat::Json),
        ("JSON", ExportFormat::Json),
        ("md", ExportFormat::Markdown),
        ("MD", ExportFormat::Markdown),
        ("markdown", ExportFormat::Markdown),
        ("Markdown", ExportFormat::Markdown),
        (" md ", ExportFormat::Markdown),
    ] {
        assert_eq!(text.parse::<ExportFormat>().unwrap(), format, "{text:?}");
    }
}

#[test]
fn an_unknown_export_format_is_named_with_the_accepted_ones() {
    for bad in ["pdf", "", "jsonl", "m d"] {
        let err = bad.parse::<ExportFormat>().unwrap_err();
        assert!(matches!(err, CoreError::InvalidInput(_)), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains(&format!("`{bad}`")), "{msg}");
        for accepted in ["json", "md", "markdown"] {
            assert!(msg.contains(accepted), "{msg}");
        }
    }
}

#[test]
fn export_types_cross_to_the_ui_in_camel_case() {
    assert_eq!(serde_json::to_value(ExportFormat::Json).unwrap(), "json");
    assert_eq!(
        serde_json::to_value(ExportFormat::Markdown).unwrap(),
        "markdown"
    );
    let summary = ExportSummary {
        dir: "/home/me/Jotline export".into(),
        format: ExportFormat::Markdown,
        entries: 3,
        files: 4,
        skipped_damaged: vec![uuid::Uuid::nil()],
    };
    assert_eq!(
        serde_json::to_value(&summary).unwrap(),
        serde_json::json!({
            "dir": "/home/me/Jotline export", "format": "markdown", "entries": 3, "files": 4,
            "skippedDamaged": ["00000000-0000-0000-0000-000000000000"]
        })
    );
}
