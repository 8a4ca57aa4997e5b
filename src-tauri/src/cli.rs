//! The `jotline` command line: what the user asked for, parsed without side effects.
//!
//! `jotline capture` opens the capture window and `jotline capture "text"` saves the text
//! directly; both reach an already running instance through the single-instance plugin,
//! which hands the primary the same argument list.

/// What one invocation of `jotline` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliCommand {
    /// Start the app (or focus the running one).
    Open,
    /// Open the capture window.
    OpenCapture,
    /// Save this text as a capture without opening a window.
    CaptureText(String),
    Version,
    Help,
}

pub const USAGE: &str = "\
Usage:
  jotline                   open the journal
  jotline capture           open the quick-capture window
  jotline capture TEXT...   save TEXT to the journal at once
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
    fn unknown_argument_is_reported_with_usage() {
        let err = parse(["frobnicate"]).unwrap_err();
        assert!(err.contains("frobnicate") && err.contains("Usage"), "{err}");
    }
}
