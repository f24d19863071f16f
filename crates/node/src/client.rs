//! Connecting to a node over mutual TLS, as a peer node, a caseworker or a coordinator.

use crate::config::TlsPem;
use std::time::Duration;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};

/// The server name every node certificate carries (development PKI); real deployments set
/// their own DNS names in certificates and addresses.
pub const DEFAULT_SERVER_NAME: &str = "localhost";

pub fn tls_config(tls: &TlsPem) -> ClientTlsConfig {
    ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&tls.ca))
        .identity(Identity::from_pem(&tls.cert, &tls.key))
        .domain_name(DEFAULT_SERVER_NAME)
}

/// A lazily connecting channel to `address` (`https://host:port`).
pub fn channel(address: &str, tls: &TlsPem, request_timeout: Duration) -> anyhow::Result<Channel> {
    let endpoint = Endpoint::from_shared(address.to_string())?
        .tls_config(tls_config(tls))?
        .connect_timeout(Duration::from_secs(3))
        .timeout(request_timeout)
        .tcp_nodelay(true);
    Ok(endpoint.connect_lazy())
}

/// A channel that connects now, so that a wrong address or certificate fails here.
pub async fn connect(address: &str, tls: &TlsPem) -> anyhow::Result<Channel> {
    let endpoint = Endpoint::from_shared(address.to_string())?
        .tls_config(tls_config(tls))?
        .connect_timeout(Duration::from_secs(5))
        .tcp_nodelay(true);
    Ok(endpoint.connect().await?)
}
