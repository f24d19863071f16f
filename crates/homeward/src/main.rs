//! `homeward`: one binary for everything — run a node, make a development PKI, enrol and query
//! as a caseworker, import a CSV, query aggregates as a coordinator, and `demo`, a whole
//! five-country federation on this machine.

mod audit;
mod bench;
mod case;
mod cli;
mod connect;
mod dashboard;
mod demo;
mod eval;
mod evaluate;
mod import;
mod keys;
mod output;
mod person;
mod stats;

use clap::Parser;

/// mimalloc rather than glibc's malloc: with five nodes, their sled caches and the blocking
/// pool in one process, glibc's per-thread arenas fragmented into hundreds of MB of resident
/// memory that was free but never returned, and its malloc/free showed in profiles.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    init_tracing(cli.verbose);
    homeward_pki::install_crypto_provider();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

fn init_tracing(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info,homeward=info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOMEWARD_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
}
