//! `homeward dashboard`: a page for regional coordinators, served by this binary with every
//! asset inside it (it works without internet). The page asks `/api/stats`, which queries every
//! node of the roster with the coordinator's certificate — the same merge as `homeward stats` —
//! and draws the tables as charts beside the figures. Suppressed cells and missing nodes are
//! marked.
//!
//! `--demo` starts a five-node federation with synthetic returnees in this process first, writes
//! its roster and a coordinator certificate to a temporary directory (printed), and serves the
//! dashboard for it.

use crate::connect::{As, ConnectArgs};
use crate::stats::{Merged, collect};
use anyhow::Context;
use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use clap::Args;
use homeward_node::Roster;
use homeward_node::config::{PeerConfig, TlsPem};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

const INDEX: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const STYLE: &str = include_str!("../assets/style.css");

#[derive(Debug, Args)]
pub struct DashboardArgs {
    /// The roster of nodes to query (TOML with [[peer]] country/address).
    #[arg(long, required_unless_present = "demo")]
    pub roster: Option<PathBuf>,
    /// Address to serve the page on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Start a five-country demo federation in this process and show it.
    #[arg(long)]
    pub demo: bool,
    /// Synthetic persons per node for --demo.
    #[arg(long, default_value_t = 300)]
    pub persons: usize,
}

struct Sources {
    roster: Roster,
    tls: TlsPem,
}

async fn stats(sources: &Sources) -> Merged {
    collect(&sources.roster, &sources.tls).await
}

fn text(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

pub async fn run(connect: &ConnectArgs, args: DashboardArgs) -> anyhow::Result<()> {
    let mut demo_federation = None;
    let mut _demo_dir = None;
    let sources = if args.demo {
        let (federation, dir, sources) = start_demo(args.persons).await?;
        demo_federation = Some(federation);
        _demo_dir = Some(dir);
        sources
    } else {
        let roster_path = args.roster.as_ref().context("--roster is required")?;
        Sources { roster: Roster::load(roster_path)?, tls: connect.credentials(As::Coordinator)? }
    };
    let sources = Arc::new(sources);
    let app = Router::new()
        .route("/", get(|| async { text("text/html; charset=utf-8", INDEX.to_string()) }))
        .route("/app.js", get(|| async { text("text/javascript; charset=utf-8", APP_JS.to_string()) }))
        .route("/style.css", get(|| async { text("text/css; charset=utf-8", STYLE.to_string()) }))
        .route(
            "/api/stats",
            get({
                let sources = sources.clone();
                move || async move { text("application/json", stats(&sources).await.to_json().to_string()) }
            }),
        )
        .route(
            "/api/stats.csv",
            get({
                let sources = sources.clone();
                move || async move { text("text/csv; charset=utf-8", stats(&sources).await.to_csv()) }
            }),
        );
    let listener =
        tokio::net::TcpListener::bind(args.listen).await.with_context(|| format!("listen on {}", args.listen))?;
    println!("dashboard: http://{}/", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("dashboard server")?;
    if let Some(federation) = demo_federation {
        federation.shutdown().await?;
    }
    Ok(())
}

/// A demo federation with synthetic data, plus its roster and a coordinator certificate on disk
/// (so that `homeward stats --roster DIR/roster.toml --pki DIR` shows the same figures).
async fn start_demo(
    persons: usize,
) -> anyhow::Result<(homeward_node::harness::Federation, tempfile::TempDir, Sources)> {
    let countries = crate::demo::COUNTRIES;
    let mut config = homeward_core::synth::SynthConfig::demo(persons);
    config.countries = countries.iter().map(|c| c.to_string()).collect();
    let output = homeward_core::synth::generate(&config);
    let federation = homeward_node::harness::Federation::start(&countries, Default::default()).await?;
    for country in countries {
        let records: Vec<homeward_core::Person> =
            output.records.iter().filter(|r| r.node == country).map(|r| r.person.clone()).collect();
        let ids = records.iter().map(|p| p.record_id.clone()).collect();
        crate::demo::import_records(&federation, country, records).await?;
        crate::demo::seed_cases(&federation, country, ids).await?;
    }
    federation.wait_converged(std::time::Duration::from_secs(300)).await?;
    let dir = tempfile::Builder::new().prefix("homeward-dashboard-").tempdir()?;
    let tls = federation.credentials(&homeward_pki::Identity::coordinator("osce"))?;
    std::fs::write(dir.path().join("ca.pem"), &tls.ca)?;
    std::fs::write(dir.path().join("coordinator.pem"), &tls.cert)?;
    std::fs::write(dir.path().join("coordinator.key"), &tls.key)?;
    let roster = Roster {
        peers: federation
            .nodes
            .iter()
            .map(|n| PeerConfig { country: n.country.clone(), address: n.address() })
            .collect(),
    };
    let mut text = String::new();
    for peer in &roster.peers {
        text.push_str(&format!("[[peer]]\ncountry = \"{}\"\naddress = \"{}\"\n\n", peer.country, peer.address));
    }
    std::fs::write(dir.path().join("roster.toml"), text)?;
    println!("demo roster: {}", dir.path().join("roster.toml").display());
    println!("demo pki: {}", dir.path().display());
    Ok((federation, dir, Sources { roster, tls }))
}
