//! The append-only audit log: one entry per access to personal data, token batch, link and
//! decision, chained with BLAKE3 so that changing or removing any entry breaks verification at
//! that entry. Entries hold ids and counts, never personal data.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// Who, from the caller's certificate (e.g. `caseworker:KZ:alice`, `node:UZ`, `node:self`).
    pub actor: String,
    /// What, e.g. `person.enrol`, `tokens.received`.
    pub action: String,
    /// Which record, by id, when one is concerned.
    pub record_id: String,
    /// Counts and ids only.
    pub detail: String,
    /// Hex BLAKE3 of the previous entry (zeros for the first).
    pub prev_hash: String,
    /// Hex BLAKE3 over this entry's fields and `prev_hash`.
    pub hash: String,
}

/// The genesis value of `prev_hash`.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl AuditEntry {
    pub fn compute_hash(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(b"homeward.v1.audit");
        for field in [
            self.seq.to_string().as_str(),
            self.time.to_string().as_str(),
            &self.actor,
            &self.action,
            &self.record_id,
            &self.detail,
            &self.prev_hash,
        ] {
            hasher.update(&(field.len() as u64).to_le_bytes());
            hasher.update(field.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerdict {
    Intact {
        entries: u64,
    },
    /// The first entry (by sequence) that does not fit the chain, and why.
    Broken {
        seq: u64,
        reason: String,
    },
}
