//! Several nodes in one process on loopback, with a PKI made on the fly: what `homeward demo`,
//! `homeward eval`, the benchmarks and the integration tests run. Every node is a real gRPC
//! server with real mutual TLS and its own sled store in a temporary directory; they talk to
//! each other only through the Federation service.

use crate::config::{Limits, MatchingConfig, PeerConfig, Resolved, TlsPem};
use crate::server::{RunningNode, spawn};
use crate::state::WireTap;
use anyhow::Context;
use homeward_pki::{Ca, Identity};
use homeward_proto::pb;
use homeward_proto::pb::coordination_client::CoordinationClient;
use homeward_proto::pb::registry_client::RegistryClient;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tonic::transport::Channel;

/// Options for [`Federation::start`].
#[derive(Clone)]
pub struct Options {
    pub federation: String,
    pub matching: MatchingConfig,
    pub limits: Limits,
    pub suppression_k: u32,
    pub sync_poll: Duration,
    /// Interval of each node's anti-entropy check with each peer.
    pub anti_entropy: Duration,
    /// Retention period of every node (none when `None`).
    pub retention: Option<Duration>,
    /// Disclosure expiry and retention of disclosed values.
    pub followup: crate::config::FollowUpTimes,
    /// Where the nodes keep their data; a fresh temporary directory when `None`.
    pub data_root: Option<PathBuf>,
    pub wire_tap: Option<WireTap>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            federation: "homeward-demo".into(),
            matching: MatchingConfig::default(),
            limits: Limits::default(),
            suppression_k: 10,
            sync_poll: Duration::from_millis(200),
            anti_entropy: Duration::from_secs(300),
            retention: None,
            followup: crate::config::FollowUpConfig::default().into(),
            data_root: None,
            wire_tap: None,
        }
    }
}

pub struct Federation {
    pub nodes: Vec<RunningNode>,
    pub ca: Ca,
    pub ca_pem: String,
    options: Options,
    _temp: Option<tempfile::TempDir>,
}

impl Federation {
    /// Starts one node per country, each knowing all the others.
    pub async fn start(countries: &[&str], options: Options) -> anyhow::Result<Federation> {
        homeward_pki::install_crypto_provider();
        let ca = Ca::generate(&options.federation).context("make federation CA")?;
        let ca_pem = ca.cert_pem();
        let (temp, root) = match &options.data_root {
            Some(root) => (None, root.clone()),
            None => {
                let temp = tempfile::Builder::new().prefix("homeward-").tempdir()?;
                let root = temp.path().to_path_buf();
                (Some(temp), root)
            }
        };
        let mut listeners = Vec::new();
        for _ in countries {
            listeners.push(tokio::net::TcpListener::bind("127.0.0.1:0").await?);
        }
        let roster: Vec<PeerConfig> = countries
            .iter()
            .zip(&listeners)
            .map(|(c, l)| Ok(PeerConfig { country: c.to_string(), address: format!("https://{}", l.local_addr()?) }))
            .collect::<anyhow::Result<_>>()?;
        let mut nodes = Vec::new();
        for (country, listener) in countries.iter().zip(listeners) {
            let pem = ca.issue(&Identity::node(country), &["localhost", "127.0.0.1"])?;
            let config = Resolved {
                country: country.to_string(),
                federation: options.federation.clone(),
                data_dir: root.join(country),
                tls: TlsPem { ca: ca_pem.clone(), cert: pem.cert, key: pem.key },
                peers: roster.iter().filter(|p| p.country != *country).cloned().collect(),
                matching: options.matching,
                limits: options.limits,
                suppression_k: options.suppression_k,
                sync_poll: options.sync_poll,
                anti_entropy: options.anti_entropy,
                retention: options.retention,
                followup: options.followup,
            };
            // Each node's tap names the node first ("KZ federation.request"), so a test can tell
            // which node sent or received a message.
            let tap = options.wire_tap.clone().map(|tap| {
                let country = country.to_string();
                let named: WireTap =
                    Arc::new(move |direction: &str, bytes: &[u8]| tap(&format!("{country} {direction}"), bytes));
                named
            });
            nodes.push(spawn(config, listener, tap).await?);
        }
        Ok(Federation { nodes, ca, ca_pem, options, _temp: temp })
    }

    pub fn node(&self, country: &str) -> anyhow::Result<&RunningNode> {
        self.nodes.iter().find(|n| n.country == country).with_context(|| format!("no node {country}"))
    }

    /// TLS material for a caller with this identity.
    pub fn credentials(&self, identity: &Identity) -> anyhow::Result<TlsPem> {
        let pem = self.ca.issue(identity, &[])?;
        Ok(TlsPem { ca: self.ca_pem.clone(), cert: pem.cert, key: pem.key })
    }

    pub async fn channel_as(&self, country: &str, identity: &Identity) -> anyhow::Result<Channel> {
        let node = self.node(country)?;
        crate::client::connect(&node.address(), &self.credentials(identity)?).await
    }

    /// A Registry client with a caseworker certificate of `country`.
    pub async fn registry(&self, country: &str) -> anyhow::Result<RegistryClient<Channel>> {
        let channel = self.channel_as(country, &Identity::caseworker(country, "demo")).await?;
        let max = self.options.limits.max_message_bytes;
        Ok(RegistryClient::new(channel).max_decoding_message_size(max).max_encoding_message_size(max))
    }

    /// A Coordination client with a coordinator certificate.
    pub async fn coordination(&self, country: &str) -> anyhow::Result<CoordinationClient<Channel>> {
        let channel = self.channel_as(country, &Identity::coordinator("osce")).await?;
        Ok(CoordinationClient::new(channel))
    }

    /// Waits until every node's outboxes are empty and the link counts have stopped moving
    /// (two consecutive identical readings), or the deadline passes.
    pub async fn wait_converged(&self, deadline: Duration) -> anyhow::Result<Duration> {
        let start = Instant::now();
        let mut last: Option<Vec<u64>> = None;
        loop {
            // Cheap readings (no scans): links form synchronously when a batch is applied or
            // acknowledged, so empty outboxes with unchanged counters mean nothing is in flight.
            let mut backlog = 0u64;
            let mut links = Vec::new();
            for node in &self.nodes {
                // New same-person links wait for their pair round.
                backlog += u64::from(node.state.store.pairs_pending()?);
                for peer in node.state.peers() {
                    backlog += node.state.store.outbox_len(&peer.country)?;
                    // A peer that asked for every token again (after its rotation or remake)
                    // is owed a re-send that this node's sync task has not queued yet.
                    backlog += u64::from(node.state.store.resend_requested(&peer.country)?);
                    links.push(node.state.store.tokens_received(&peer.country)?);
                    links.push(node.state.store.applied_seq(&peer.country)?);
                }
            }
            if backlog == 0 {
                if last.as_ref() == Some(&links) {
                    return Ok(start.elapsed());
                }
                last = Some(links);
            } else {
                last = None;
            }
            anyhow::ensure!(
                start.elapsed() < deadline,
                "federation did not converge within {deadline:?} (backlog {backlog})"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether every node's in-memory token index holds exactly what its tables give (tests
    /// call it after a scenario: every path that writes tokens must keep the index so).
    pub fn token_indexes_match(&self) -> anyhow::Result<bool> {
        for node in &self.nodes {
            if !node.state.store.token_index_matches_tables()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Every link of `country`'s node, read through the Registry API.
    pub async fn links(&self, country: &str, include_below_threshold: bool) -> anyhow::Result<Vec<pb::Link>> {
        self.links_as(country, include_below_threshold, |link| link).await
    }

    /// [`Federation::links`], each link made into what the caller keeps as its page arrives
    /// (a federation's links, whole, are large).
    pub async fn links_as<T>(
        &self,
        country: &str,
        include_below_threshold: bool,
        mut keep: impl FnMut(pb::Link) -> T,
    ) -> anyhow::Result<Vec<T>> {
        let mut client = self.registry(country).await?;
        let mut out = Vec::new();
        let mut page_token = String::new();
        loop {
            let page = client
                .list_links(pb::ListLinksRequest {
                    page_size: 1000,
                    page_token,
                    include_below_threshold,
                    ..Default::default()
                })
                .await?
                .into_inner();
            out.extend(page.links.into_iter().map(&mut keep));
            if page.next_page_token.is_empty() {
                return Ok(out);
            }
            page_token = page.next_page_token;
        }
    }

    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        // Every node is told first, so that none is still syncing with one already stopped.
        for node in &mut self.nodes {
            node.request_stop();
        }
        for node in self.nodes {
            node.shutdown().await?;
        }
        Ok(())
    }
}
