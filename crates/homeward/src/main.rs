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
mod demo_followup;
mod eval;
mod evaluate;
mod followup;
mod import;
mod keys;
mod output;
mod person;
mod stats;

use clap::Parser;

/// A reader that stops early (`homeward links | head`) closes stdout; printing then fails with
/// a broken pipe. Exit quietly as other command-line tools do (128 + SIGPIPE), rather than
/// report a panic. SIGPIPE itself stays ignored, so sockets keep reporting EPIPE as errors.
fn exit_quietly_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info);
    }));
}

/// Caps glibc's malloc at two arenas (its default is eight per core), before any thread starts.
/// Five nodes in one process (demo, bench) allocate from many threads: the tokio workers, the
/// blocking pool and sled's. With an arena per thread, freed memory stayed scattered and
/// resident. Measured with `homeward bench federation` at 5 × 10,000: peak RSS 774 MB with the
/// default, 496 MB with two arenas, at the same speed (215 s). (mimalloc, tried before, held
/// 595 MB at 5 × 2,000 where glibc with the default held 304 MB.)
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tunable of the C allocator; it is called first thing in main,
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    exit_quietly_on_closed_stdout();
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
