//! rustls configuration for Homeward's mutual TLS, so other crates need not know rustls.
//!
//! Both sides verify the other against the federation CA only (no system roots). The configs
//! are pinned to rustls' *ring* provider and advertise ALPN `h2` (gRPC). tonic users can instead
//! hand plain PEM to `ServerTlsConfig` / `ClientTlsConfig`; call [`install_crypto_provider`]
//! first in that case.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConfig, RootCertStore, ServerConfig};

use crate::{Pem, PkiError};

/// Installs rustls' ring crypto provider as the process default, ignoring "already installed".
///
/// Call at the start of `main` and of tests that use tonic TLS: rustls cannot choose a default
/// by itself when both ring and aws-lc-rs are compiled in, and panics at server start.
pub fn install_crypto_provider() {
    // Err means a provider is already installed (possibly by another test): that is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// All certificates in a PEM text, in order (leaf first for a chain). Errors if there is none.
pub fn certs_from_pem(pem: &str) -> Result<Vec<CertificateDer<'static>>, PkiError> {
    let certs = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PkiError::Certificate(format!("certificate PEM: {e}")))?;
    if certs.is_empty() {
        return Err(PkiError::Certificate("no certificate in PEM".into()));
    }
    Ok(certs)
}

/// The private key in a PEM text (PKCS#8, SEC1 or PKCS#1).
pub fn key_from_pem(pem: &str) -> Result<PrivateKeyDer<'static>, PkiError> {
    PrivateKeyDer::from_pem_slice(pem.as_bytes()).map_err(|e| PkiError::Certificate(format!("private key PEM: {e}")))
}

/// A root store holding the CA certificate(s) in `ca_pem`, and nothing else.
pub fn root_store(ca_pem: &str) -> Result<RootCertStore, PkiError> {
    let mut roots = RootCertStore::empty();
    for cert in certs_from_pem(ca_pem)? {
        roots.add(cert).map_err(|e| PkiError::Certificate(format!("CA certificate: {e}")))?;
    }
    Ok(roots)
}

/// Server side: presents `own` (a node certificate) and **requires** a client certificate
/// chaining to the CA in `ca_pem`. Read the caller's identity afterwards with
/// [`crate::identity_from_cert_der`] on the first peer certificate.
pub fn server_config(ca_pem: &str, own: &Pem) -> Result<ServerConfig, PkiError> {
    let provider = provider();
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(root_store(ca_pem)?), provider.clone())
        .build()
        .map_err(|e| PkiError::Tls(format!("client verifier: {e}")))?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| PkiError::Tls(e.to_string()))?
        .with_client_cert_verifier(verifier)
        .with_single_cert(certs_from_pem(&own.cert)?, key_from_pem(&own.key)?)
        .map_err(|e| PkiError::Tls(format!("server certificate: {e}")))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}

/// Checks, before a node serves, that `own` can work: its key matches its certificate, and the
/// certificate chains to the CA in `ca_pem` and is valid now. Without this, a node with a wrong
/// file starts, says it listens, and fails every handshake.
pub fn check_own(ca_pem: &str, own: &Pem) -> Result<(), PkiError> {
    server_config(ca_pem, own)?;
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(root_store(ca_pem)?), provider())
        .build()
        .map_err(|e| PkiError::Tls(format!("client verifier: {e}")))?;
    let certs = certs_from_pem(&own.cert)?;
    verifier
        .verify_client_cert(&certs[0], &certs[1..], rustls::pki_types::UnixTime::now())
        .map_err(|e| PkiError::Tls(format!("the certificate does not chain to the CA given ({e})")))?;
    Ok(())
}

/// Client side: trusts only the CA in `ca_pem` and authenticates with `own`.
pub fn client_config(ca_pem: &str, own: &Pem) -> Result<ClientConfig, PkiError> {
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| PkiError::Tls(e.to_string()))?
        .with_root_certificates(root_store(ca_pem)?)
        .with_client_auth_cert(certs_from_pem(&own.cert)?, key_from_pem(&own.key)?)
        .map_err(|e| PkiError::Tls(format!("client certificate: {e}")))?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(config)
}
