//! The command line: what each subcommand takes, and dispatch.

use crate::connect::ConnectArgs;
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "homeward",
    version,
    about = "Homeward: a federated registry for the rehabilitation and reintegration of returnees"
)]
pub struct Cli {
    /// More log output on stderr (-v info, -vv debug); HOMEWARD_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    #[command(flatten)]
    pub connect: ConnectArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a node.
    Node {
        /// The node's configuration (TOML); see deploy/kz/node.toml.
        #[arg(long)]
        config: PathBuf,
    },
    /// Development PKI.
    #[command(subcommand)]
    Pki(PkiCommand),
    /// A five-country federation on this machine with synthetic returnees: import, exchange,
    /// links, and a summary with precision and recall against the generator's truth.
    Demo(Box<crate::demo::DemoArgs>),
    /// Score the real pipeline (nodes on loopback, import, blinded exchange, links through the
    /// API) against a truth file.
    Eval(Box<crate::eval::EvalArgs>),
    /// Write synthetic returnees: one import CSV per node plus the truth files.
    Synth(Box<crate::demo::SynthArgs>),
    /// Persons of the node (caseworker).
    #[command(subcommand)]
    Person(Box<crate::person::PersonCommand>),
    /// Cross-border links of the node's records (caseworker).
    Links(crate::person::LinksArgs),
    /// Confirm, reject or reopen a link; the decision travels to the peer (caseworker).
    Review(Box<crate::followup::ReviewArgs>),
    /// Disclosure requests (step 2 after a hit): ask a peer for named fields, answer its
    /// requests (caseworker).
    #[command(subcommand)]
    Disclosure(Box<crate::followup::DisclosureCommand>),
    /// Referrals of linked cases: family reunification, service, transfer (caseworker).
    #[command(subcommand)]
    Referral(Box<crate::followup::ReferralCommand>),
    /// What waits for this node: links to review, disclosures and referrals to answer.
    Waiting {
        #[arg(long)]
        json: bool,
    },
    /// Cases of the node: open, follow through the lifecycle, close, reopen (caseworker).
    #[command(subcommand)]
    Case(Box<crate::case::CaseCommand>),
    /// Services planned and delivered within a case (caseworker).
    #[command(subcommand)]
    Service(Box<crate::case::ServiceCommand>),
    /// Reintegration assessments of a case (caseworker).
    #[command(subcommand)]
    Assessment(Box<crate::case::AssessmentCommand>),
    /// Verify or export a stopped node's hash-chained audit log (administrator).
    #[command(subcommand)]
    Audit(crate::audit::AuditCommand),
    /// Import a person-import CSV into the node (caseworker).
    Import(crate::import::ImportArgs),
    /// The node's view of its peers: reachability, outbox backlog, last exchange (caseworker).
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Serve the coordinators' dashboard page (charts and tables of `stats`).
    Dashboard(Box<crate::dashboard::DashboardArgs>),
    /// Aggregate figures from every node of a roster (coordinator).
    Stats(crate::stats::StatsArgs),
    /// Benchmarks (build with --release): token crypto, a whole federation.
    #[command(subcommand)]
    Bench(crate::bench::BenchCommand),
    /// Key operations of the node administrator.
    #[command(subcommand)]
    Keys(crate::keys::KeysCommand),
}

#[derive(Debug, Subcommand)]
pub enum PkiCommand {
    /// Make a federation CA and, per country, node, caseworker and admin certificates, plus a
    /// coordinator certificate.
    Init {
        /// Directory to write into.
        #[arg(long, default_value = "pki")]
        dir: PathBuf,
        /// Countries (alpha-2), comma separated.
        #[arg(long, value_delimiter = ',', default_value = "KZ,KG,TJ,TM,UZ")]
        countries: Vec<String>,
        #[arg(long, default_value = "homeward")]
        federation: String,
        /// Names the node certificates are valid for, comma separated.
        #[arg(long, value_delimiter = ',', default_value = "localhost,127.0.0.1")]
        hosts: Vec<String>,
        /// Keep an existing CA and add what is missing.
        #[arg(long)]
        reuse_ca: bool,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Node { config } => run_node(&config).await,
        Command::Pki(PkiCommand::Init { dir, countries, federation, hosts, reuse_ca }) => {
            let countries: Vec<&str> = countries.iter().map(|s| s.as_str()).collect();
            let hosts: Vec<&str> = hosts.iter().map(|s| s.as_str()).collect();
            let existing = if reuse_ca { homeward_pki::ExistingCa::Reuse } else { homeward_pki::ExistingCa::Refuse };
            let layout = homeward_pki::init_dev_pki_with(&dir, &federation, &countries, &hosts, existing)
                .with_context(|| format!("make a development PKI in {}", dir.display()))?;
            println!("federation CA: {}", layout.ca.cert.display());
            for (country, paths) in &layout.countries {
                println!(
                    "{country}: node {}  caseworker {}",
                    paths.node.cert.display(),
                    paths.caseworker.cert.display()
                );
            }
            println!("coordinator: {}", layout.coordinator.cert.display());
            Ok(())
        }
        Command::Demo(args) => crate::demo::run(*args).await,
        Command::Eval(args) => crate::eval::run(*args).await,
        Command::Synth(args) => crate::demo::synth(*args),
        Command::Person(command) => crate::person::run(&cli.connect, *command).await,
        Command::Links(args) => crate::person::links(&cli.connect, args).await,
        Command::Review(args) => crate::followup::review(&cli.connect, *args).await,
        Command::Disclosure(command) => crate::followup::disclosure(&cli.connect, *command).await,
        Command::Referral(command) => crate::followup::referral(&cli.connect, *command).await,
        Command::Waiting { json } => crate::followup::waiting(&cli.connect, json).await,
        Command::Import(args) => crate::import::run(&cli.connect, args).await,
        Command::Case(command) => crate::case::run_case(&cli.connect, *command).await,
        Command::Service(command) => crate::case::run_service(&cli.connect, *command).await,
        Command::Assessment(command) => crate::case::run_assessment(&cli.connect, *command).await,
        Command::Audit(command) => crate::audit::run(command),
        Command::Status { json } => crate::person::status(&cli.connect, json).await,
        Command::Dashboard(args) => crate::dashboard::run(&cli.connect, *args).await,
        Command::Stats(args) => crate::stats::run(&cli.connect, args).await,
        Command::Bench(command) => crate::bench::run(command).await,
        Command::Keys(command) => crate::keys::run(command),
    }
}

async fn run_node(path: &std::path::Path) -> anyhow::Result<()> {
    let config = homeward_node::NodeConfig::load(path)?;
    let resolved = homeward_node::config::Resolved::from_config(&config)?;
    let listener =
        tokio::net::TcpListener::bind(config.listen).await.with_context(|| format!("listen on {}", config.listen))?;
    let state = homeward_node::server::open_state(resolved, None)?;
    eprintln!(
        "homeward node {} listening on {} with {} peers; data in {}",
        config.country,
        listener.local_addr()?,
        state.peers().len(),
        config.data_dir.display()
    );
    homeward_node::serve(state, listener, shutdown_signal()).await
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    eprintln!("shutting down: draining calls, stopping sync, flushing the store");
}
