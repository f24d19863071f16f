//! Homeward's durable state on sled: persons, own and peer tokens, links, per-peer outboxes,
//! the applied-sequence marks of incoming batches, and the hash-chained audit log.
//!
//! Everything lives in one sled tree under one-byte key prefixes (see [`keys`]), so that every
//! change and its consequences (a person, the outbox entries it causes, its audit entry) are
//! written by one atomic batch. Writers are serialised by a mutex: a change reads what it needs,
//! stages its writes in a [`txn::Txn`] overlay, and commits them at once. Only this crate knows
//! sled.

pub mod aggregate;
pub mod audit;
pub mod cases;
pub mod compact;
pub mod followup;
pub mod keys;
pub mod outbox;
pub mod pair;
pub mod store;
pub(crate) mod tokens;
pub mod txn;

pub use audit::{AuditEntry, AuditVerdict};
pub use cases::{CaseFilter, Checked, Page};
pub use outbox::{AnswerPair, OutboxOp, PendingOp, Replaced};
pub use pair::{PairOffer, PairSide, PendingPair};
pub use store::{
    FAMILY_LINK, IncomingOp, LinkPolicy, LinkRow, PersonRow, PutMode, PutOutcome, RefTokens, Repair, Resend, Store,
    StoredLink,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage: {0}")]
    Sled(#[from] sled::Error),
    #[error("corrupt record under key {key}: {reason}")]
    Corrupt { key: String, reason: String },
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("{0}")]
    FailedPrecondition(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;
