//! How client commands find a node and prove who they are: an endpoint and a certificate, given
//! as flags, environment variables, or a development PKI directory and a country.

use anyhow::Context;
use clap::Args;
use homeward_node::config::TlsPem;
use homeward_proto::pb::registry_client::RegistryClient;
use std::path::PathBuf;
use tonic::transport::Channel;

#[derive(Debug, Clone, Args)]
pub struct ConnectArgs {
    /// The node's address, e.g. https://127.0.0.1:7001
    #[arg(long, env = "HOMEWARD_ENDPOINT", global = true)]
    pub endpoint: Option<String>,
    /// A development PKI directory (from `homeward pki init`); with --country picks the CA and
    /// the caseworker certificate of that country.
    #[arg(long, env = "HOMEWARD_PKI", global = true)]
    pub pki: Option<PathBuf>,
    /// Country whose caseworker certificate to use from --pki.
    #[arg(long, env = "HOMEWARD_COUNTRY", global = true)]
    pub country: Option<String>,
    /// Federation CA certificate (PEM).
    #[arg(long, env = "HOMEWARD_CA", global = true)]
    pub ca: Option<PathBuf>,
    /// Client certificate (PEM).
    #[arg(long, env = "HOMEWARD_CERT", global = true)]
    pub cert: Option<PathBuf>,
    /// Client key (PEM).
    #[arg(long, env = "HOMEWARD_KEY", global = true)]
    pub key: Option<PathBuf>,
}

/// Which certificate of a development PKI to use.
#[derive(Debug, Clone, Copy)]
pub enum As {
    Caseworker,
    Coordinator,
}

impl ConnectArgs {
    pub fn credentials(&self, who: As) -> anyhow::Result<TlsPem> {
        let (ca, cert, key) = match (&self.ca, &self.cert, &self.key, &self.pki) {
            (Some(ca), Some(cert), Some(key), _) => (ca.clone(), cert.clone(), key.clone()),
            (_, _, _, Some(pki)) => {
                let (cert, key) = match who {
                    As::Caseworker => {
                        let country =
                            self.country.as_deref().context("--pki needs --country (whose caseworker are you?)")?;
                        (pki.join(country).join("caseworker.pem"), pki.join(country).join("caseworker.key"))
                    }
                    As::Coordinator => (pki.join("coordinator.pem"), pki.join("coordinator.key")),
                };
                (self.ca.clone().unwrap_or_else(|| pki.join("ca.pem")), cert, key)
            }
            _ => anyhow::bail!("say who you are: --pki DIR --country CC, or --ca, --cert and --key"),
        };
        let read = |p: &PathBuf| std::fs::read_to_string(p).with_context(|| format!("read {}", p.display()));
        Ok(TlsPem { ca: read(&ca)?, cert: read(&cert)?, key: read(&key)? })
    }

    pub fn endpoint(&self) -> anyhow::Result<String> {
        self.endpoint.clone().context("which node? give --endpoint https://HOST:PORT (or HOMEWARD_ENDPOINT)")
    }

    pub async fn registry(&self) -> anyhow::Result<RegistryClient<Channel>> {
        let endpoint = self.endpoint()?;
        let channel = homeward_node::client::connect(&endpoint, &self.credentials(As::Caseworker)?)
            .await
            .with_context(|| format!("connect to {endpoint}"))?;
        Ok(RegistryClient::new(channel).max_decoding_message_size(16 << 20))
    }
}
