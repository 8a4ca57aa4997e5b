use jotline_core::{ApiError, CoreError, ErrorCode};
use std::path::PathBuf;

#[test]
fn codes_and_messages() {
    let path = PathBuf::from("/home/u/.local/share/jotline/jotline.db");
    let cases = [
        (
            CoreError::DatabaseLocked { path: path.clone() },
            ErrorCode::DatabaseLocked,
        ),
        (
            CoreError::DatabaseCorrupt {
                path: path.clone(),
                detail: "file is not a database".into(),
            },
            ErrorCode::DatabaseCorrupt,
        ),
        (
            CoreError::DatabaseTooNew {
                path: path.clone(),
                found: 7,
                supported: 1,
            },
            ErrorCode::DatabaseTooNew,
        ),
    ];
    for (err, code) in cases {
        assert_eq!(err.code(), code);
        let startup = err.startup_error(std::path::Path::new("/elsewhere"));
        assert_eq!(startup.path, path.display().to_string());
        let api: ApiError = err.into();
        assert_eq!(api.code, code);
        assert!(
            api.message
                .contains("/home/u/.local/share/jotline/jotline.db"),
            "{}",
            api.message
        );
    }
    let api: ApiError = CoreError::EmptyCapture.into();
    assert_eq!(api.code, ErrorCode::EmptyCapture);
    let api: ApiError = CoreError::TooLarge {
        size: 2 * 1024 * 1024,
        limit: 1024 * 1024,
    }
    .into();
    assert_eq!(api.code, ErrorCode::TooLarge);
    assert!(api.message.contains("2048 KiB"), "{}", api.message);
    let api: ApiError = CoreError::Io(std::io::Error::other("disk full")).into();
    assert_eq!(api.code, ErrorCode::Storage);
}
