//! Homeward's public-key infrastructure: who a caller is, and the certificates that say so.
//!
//! Every Homeward caller — a peer node, a caseworker, a node administrator, a regional
//! coordinator — is identified by its mutual-TLS client certificate, and **only** by it: the
//! role and country used for authorisation come from the certificate, never from a request
//! field, so a node certified for `KZ` cannot speak as `UZ`. This crate owns that contract in
//! one place:
//!
//! - [`Identity`] / [`Role`]: the identity model and its single canonical encoding, the SAN URI
//!   `urn:homeward:<role>:<country>:<name>` (the subject DN repeats it for humans only);
//! - [`identity_from_cert_der`]: reading the identity back from a peer certificate. It does
//!   **not** verify the chain — rustls does that during the handshake — so it must only be fed
//!   certificates a handshake has verified;
//! - [`Ca`]: generating/loading the federation CA and issuing identity certificates (rcgen);
//! - [`init_dev_pki`]: a complete development PKI on disk for local federations and the demo;
//! - [`server_config`] / [`client_config`] / [`install_crypto_provider`]: rustls configuration
//!   pinned to the ring provider, so no other crate needs to know rustls or x509 details.
//!
//! Keeping issuance and parsing together means the format written is exactly the format read.

mod ca;
mod dev;
mod error;
mod identity;
mod tls;

pub use ca::{CA_VALIDITY_DAYS, Ca, LEAF_VALIDITY_DAYS, Pem};
pub use dev::{
    CountryPaths, DEV_ADMIN, DEV_CASEWORKER, DEV_COORDINATOR, ExistingCa, PemPaths, PkiLayout, init_dev_pki,
    init_dev_pki_with,
};
pub use error::PkiError;
pub use identity::{Identity, NAME_MAX_LEN, Role, URI_PREFIX, identity_from_cert_der};
pub use tls::{
    certs_from_pem, check_own, client_config, install_crypto_provider, key_from_pem, root_store, server_config,
};
