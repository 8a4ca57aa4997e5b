//! The `jotline` command line: what the user asked for, parsed without side effects.
//!
//! `jotline capture` opens the capture window and `jotline capture "text"` saves the text
//! directly; both reach an app already running on the journal through `instance`, which
//! reports its answer. `jotline export` and `jotline backup` read the journal directly and
//! never start the app.

use jotline_core::types::ExportFormat;
use std::path::PathBuf;

/// What one invocation of `jotline` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliCommand {
    /// Start the app (or focus the running one).
    Open,
    /// Start in the tray without showing the journal (start at login); a running app
    /// stays as it is.
    OpenMinimized,
    /// Open the capture window.
    OpenCapture,
    /// Save this text as a capture without opening a window.
    CaptureText(String),
    /// Write the whole journal to `dir` as JSON or Markdown.
    Export {
        format: ExportFormat,
        dir: PathBuf,
    },
    /// Copy the whole journal database into the new file `file`.
    Backup {
        file: PathBuf,
    },
    Version,
    Help,
}

pub const USAGE: &str = "\
Usage:
  jotline                   open the journal
  jotline capture           open the quick-capture window
  jotline capture TEXT...   save TEXT to the journal at once
  jotline export [--format json|md] DIR
                            write the whole journal to DIR: one JSON file, or
                            Markdown files (one per day); JSON when no format is given
  jotline backup FILE       copy the whole journal into the new file FILE (also while
                            Jotline runs); recordings stay in the audio folder
  jotline --minimized       start in the tray without showing the journal
  jotline --version         print the version
";

/// Parses the arguments after the program name. Unknown arguments are an error message.
pub fn parse<I, S>(args: I) -> Result<CliCommand, String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let args: Vec<String> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    match args.first().map(String::as_str) {
        None => Ok(CliCommand::Open),
        Some("--version" | "-V") => Ok(CliCommand::Version),
        Some("--minimized") if args.len() == 1 => Ok(CliCommand::OpenMinimized),
        Some("export") => parse_export(&args[1..]),
        Some("backup") => match &args[1..] {
            [file] if !file.starts_with('-') => Ok(CliCommand::Backup {
                file: PathBuf::from(file),
            }),
            _ => Err(format!("backup takes the name of a new file\n\n{USAGE}")),
        },
        Some("--help" | "-h" | "help") => Ok(CliCommand::Help),
        Some("capture") => {
            let rest = &args[1..];
            if rest.is_empty() {
                Ok(CliCommand::OpenCapture)
            } else {
                Ok(CliCommand::CaptureText(rest.join(" ")))
            }
        }
        Some(other) => Err(format!("unknown argument `{other}`\n\n{USAGE}")),
    }
}

fn parse_export(args: &[String]) -> Result<CliCommand, String> {
    let mut format = None;
    let mut dir = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let value = if let Some(value) = arg.strip_prefix("--format=") {
            value
        } else if arg == "--format" {
            rest.next()
                .ok_or_else(|| format!("`--format` needs a value: json or md\n\n{USAGE}"))?
        } else if arg.starts_with('-') {
            return Err(format!("unknown option `{arg}`\n\n{USAGE}"));
        } else if dir.replace(PathBuf::from(arg)).is_some() {
            return Err(format!("export takes one folder\n\n{USAGE}"));
        } else {
            continue;
        };
        let parsed = value.parse::<ExportFormat>().map_err(|e| e.to_string())?;
        format = Some(parsed);
    }
    let dir = dir.ok_or_else(|| format!("export needs a folder to write to\n\n{USAGE}"))?;
    Ok(CliCommand::Export {
        format: format.unwrap_or(ExportFormat::Json),
        dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_arguments_opens_the_journal() {
        assert_eq!(parse(Vec::<String>::new()), Ok(CliCommand::Open));
    }

    #[test]
    fn capture_without_text_opens_the_window() {
        assert_eq!(parse(["capture"]), Ok(CliCommand::OpenCapture));
    }

    #[test]
    fn capture_joins_the_words_of_the_text() {
        assert_eq!(
            parse(["capture", "buy", "milk #errand"]),
            Ok(CliCommand::CaptureText("buy milk #errand".into()))
        );
    }

    #[test]
    fn version_and_help_flags() {
        assert_eq!(parse(["--version"]), Ok(CliCommand::Version));
        assert_eq!(parse(["-h"]), Ok(CliCommand::Help));
    }

    #[test]
    fn backup_takes_one_new_file() {
        assert_eq!(
            parse(["backup", "journal.db"]),
            Ok(CliCommand::Backup {
                file: PathBuf::from("journal.db")
            })
        );
        assert!(parse(["backup"]).is_err());
        assert!(parse(["backup", "a.db", "b.db"]).is_err());
    }

    #[test]
    fn minimized_starts_in_the_tray() {
        assert_eq!(parse(["--minimized"]), Ok(CliCommand::OpenMinimized));
    }

    #[test]
    fn export_takes_a_format_and_a_folder() {
        let md = CliCommand::Export {
            format: ExportFormat::Markdown,
            dir: PathBuf::from("out"),
        };
        assert_eq!(parse(["export", "--format", "md", "out"]), Ok(md.clone()));
        assert_eq!(parse(["export", "out", "--format=md"]), Ok(md));
        assert_eq!(
            parse(["export", "out"]),
            Ok(CliCommand::Export {
                format: ExportFormat::Json,
                dir: PathBuf::from("out"),
            })
        );
    }

    #[test]
    fn export_errors_name_the_problem() {
        assert!(parse(["export"]).unwrap_err().contains("needs a folder"));
        assert!(parse(["export", "--format"])
            .unwrap_err()
            .contains("needs a value"));
        assert!(parse(["export", "a", "b"])
            .unwrap_err()
            .contains("one folder"));
        assert!(parse(["export", "--format", "pdf", "a"])
            .unwrap_err()
            .contains("pdf"));
        assert!(parse(["export", "--zip", "a"])
            .unwrap_err()
            .contains("--zip"));
    }

    #[test]
    fn unknown_argument_is_reported_with_usage() {
        let err = parse(["frobnicate"]).unwrap_err();
        assert!(err.contains("frobnicate") && err.contains("Usage"), "{err}");
    }
}
