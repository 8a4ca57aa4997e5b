// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use jotline_platform::cli::{self, CliCommand};
use jotline_platform::{backup_cli, data_dir, export_cli, logging, private_files};
use std::process::ExitCode;

fn main() -> ExitCode {
    private_files::restrict_new_files();
    let command = match cli::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("jotline: {message}");
            return ExitCode::from(2);
        }
    };
    if !matches!(command, CliCommand::Version | CliCommand::Help) {
        if let Some(dir) = data_dir::resolve() {
            // An install from before files were private; never a reason not to start.
            if let Err(err) = private_files::tighten_data_dir(&dir) {
                eprintln!("jotline: could not make {} private: {err}", dir.display());
            }
        }
    }
    let code = match command {
        CliCommand::Version => {
            println!("jotline {}", env!("CARGO_PKG_VERSION"));
            0
        }
        CliCommand::Help => {
            print!("{}", cli::USAGE);
            0
        }
        CliCommand::Export { format, dir } => {
            let _ = logging::init(None);
            export_cli::run(format, &dir)
        }
        CliCommand::Backup { file } => {
            let _ = logging::init(None);
            backup_cli::run(&file)
        }
        command => {
            // The app itself also logs to files; without them it still runs.
            let log_dir = data_dir::log_dir();
            if let Err(reason) = logging::init(log_dir.as_deref()) {
                eprintln!("jotline: {reason}");
            }
            logging::log_panics();
            jotline_platform::instance::run(command, Box::new(jotline_shell::app::run))
        }
    };
    ExitCode::from(code.clamp(0, 255) as u8)
}
