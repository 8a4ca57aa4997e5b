//! Which folder an export goes to: the one suggested, and what a typed folder means.

use crate::error::CoreError;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// `<documents>/Jotline export YYYY-MM-DD`, in the home folder when there is no Documents.
pub fn suggested_folder(
    documents: Option<PathBuf>,
    home: Option<PathBuf>,
    today: NaiveDate,
) -> Result<PathBuf, CoreError> {
    let base = documents.or(home).ok_or_else(|| {
        CoreError::InvalidInput("There is no home folder; type a folder to export to.".into())
    })?;
    Ok(base.join(format!("Jotline export {}", today.format("%Y-%m-%d"))))
}

/// A typed folder as a full path: `~/` means `home`; anything else must be absolute (the
/// app has no working directory the user could mean).
pub fn typed_folder(dir: &str, home: Option<&Path>) -> Result<PathBuf, CoreError> {
    let dir = dir.trim();
    if dir.is_empty() {
        return Err(CoreError::InvalidInput(
            "Choose a folder to export to.".into(),
        ));
    }
    let path = match (dir.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(dir),
    };
    if !path.is_absolute() {
        return Err(CoreError::InvalidInput(format!(
            "`{dir}` is not a full path; choose the folder with Choose… or type a path starting \
             with /."
        )));
    }
    Ok(path)
}
