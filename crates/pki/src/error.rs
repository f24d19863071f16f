//! The one error type of this crate.

use std::path::PathBuf;

/// Everything that can go wrong while issuing, loading or reading Homeward certificates.
#[derive(Debug, thiserror::Error)]
pub enum PkiError {
    /// An identity (role, country, name) or its URI form is malformed.
    #[error("invalid identity: {0}")]
    InvalidIdentity(String),
    /// The certificate carries no `urn:homeward:` URI SAN.
    #[error("certificate carries no homeward identity (no urn:homeward: URI SAN)")]
    MissingIdentity,
    /// The certificate carries more than one `urn:homeward:` URI SAN; it is ambiguous.
    #[error("certificate carries {0} homeward identities; exactly one is required")]
    MultipleIdentities(usize),
    /// The certificate (or key) could not be parsed, or is unfit for its use.
    #[error("bad certificate: {0}")]
    Certificate(String),
    /// Certificate generation or signing failed.
    #[error("certificate generation: {0}")]
    Rcgen(#[from] rcgen::Error),
    /// A rustls configuration could not be built.
    #[error("tls configuration: {0}")]
    Tls(String),
    /// `init_dev_pki` found a CA it was not allowed to replace.
    #[error("a CA already exists at {0} (refusing to overwrite it)")]
    CaExists(PathBuf),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl PkiError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        PkiError::Io { path: path.into(), source }
    }
}
