// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use jotline_shell::cli::{self, CliCommand};
use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("JOTLINE_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let command = match cli::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("jotline: {message}");
            return ExitCode::from(2);
        }
    };
    match command {
        CliCommand::Version => println!("jotline {}", env!("CARGO_PKG_VERSION")),
        CliCommand::Help => print!("{}", cli::USAGE),
        command => return ExitCode::from(jotline_shell::app::run(command).clamp(0, 255) as u8),
    }
    ExitCode::SUCCESS
}
