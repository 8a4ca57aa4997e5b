//! `cargo run -p jotline-tests --bin backend [-- --port N] [--token-ttl SECONDS]`: runs the
//! local Supabase-compatible backend (throwaway Postgres + auth + rpc + storage, and a
//! transcription test double) until Ctrl+C, then removes its database and stored objects.
//! For development only.
//!
//! `JOTLINE_BACKEND_PORT` also sets the port (default: a free one).

use std::time::Duration;

use anyhow::{bail, Context};
use jotline_tests::backend::{BackendOptions, LocalBackend};

fn parse_args() -> anyhow::Result<BackendOptions> {
    let mut options = BackendOptions::default();
    if let Ok(port) = std::env::var("JOTLINE_BACKEND_PORT") {
        options.port = port.parse().context("JOTLINE_BACKEND_PORT")?;
    }
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().with_context(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => options.port = value("--port")?.parse().context("--port")?,
            "--token-ttl" => {
                let secs: u64 = value("--token-ttl")?.parse().context("--token-ttl")?;
                options.access_token_ttl = Duration::from_secs(secs);
            }
            "-h" | "--help" => {
                println!("usage: backend [--port N] [--token-ttl SECONDS]");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other:?} (try --help)"),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = parse_args()?;
    let backend = LocalBackend::start_with(options).await?;
    println!("Jotline local backend");
    println!("URL: {}", backend.url());
    println!("Realtime: {}", backend.realtime_url());
    println!("anon key: {}", backend.anon_key());
    println!("service key: {}", backend.service_key());
    println!("JWT secret: {}", backend.jwt_secret());
    println!(
        "transcription (test double, OpenAI shape): {}/v1/audio/transcriptions, key: {}",
        backend.url(),
        backend.transcription_key()
    );
    println!("database: {}", backend.database_url());
    println!("Press Ctrl+C to stop (the database is deleted).");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl+C")?;
    println!("stopping");
    drop(backend);
    Ok(())
}
