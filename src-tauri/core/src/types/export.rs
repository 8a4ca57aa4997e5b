//! Exporting the journal: the formats and what an export wrote.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// What `Core::export_journal` writes: one JSON file, or one Markdown file per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ExportFormat {
    /// `jotline-journal.json`: every entry in the `Entry` shape.
    Json,
    /// `YYYY-MM-DD.md` per local day, readable in any editor.
    Markdown,
}

impl std::str::FromStr for ExportFormat {
    type Err = crate::error::CoreError;

    /// `json`, `md` or `markdown`, in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(ExportFormat::Json),
            "md" | "markdown" => Ok(ExportFormat::Markdown),
            _ => Err(crate::error::CoreError::InvalidInput(format!(
                "unknown export format `{s}`: use json, md or markdown"
            ))),
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    /// The folder written to.
    pub dir: String,
    pub format: ExportFormat,
    /// Entries exported (deleted ones never are).
    pub entries: u32,
    /// Files written, copies of voice recordings included.
    pub files: u32,
    /// Entries left out because their stored text is damaged (not valid UTF-8); everything
    /// else was written.
    pub skipped_damaged: Vec<Uuid>,
}
