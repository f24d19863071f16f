//! A write overlay over the tree: reads see the overlay first, so later steps of one change see
//! earlier ones; `commit` writes everything as one atomic sled batch, then applies the change's
//! staged token-index operations (see [`crate::tokens`]).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::tokens::{IndexOp, TokenIndex};

pub struct Txn<'a> {
    tree: &'a sled::Tree,
    index: &'a Mutex<TokenIndex>,
    version: &'a AtomicU64,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    index_ops: Vec<IndexOp>,
    /// Whether this change gave our records tokens (see [`Txn::own_candidates`]).
    staged_own: bool,
}

impl<'a> Txn<'a> {
    pub(crate) fn new(tree: &'a sled::Tree, index: &'a Mutex<TokenIndex>, version: &'a AtomicU64) -> Txn<'a> {
        Txn { tree, index, version, writes: BTreeMap::new(), index_ops: Vec::new(), staged_own: false }
    }

    /// Stages a token-index change, applied once the batch has committed. An answer adds our
    /// tokens and looks up theirs, an incoming batch adds theirs and looks up ours, so their
    /// side's lookups need not see staged operations; ours must, as an incoming batch can
    /// replace our answers (a peer's key rotation) before additions that meet them.
    pub(crate) fn stage(&mut self, op: IndexOp) {
        self.staged_own |= matches!(op, IndexOp::AddOwn { .. });
        self.index_ops.push(op);
    }

    /// Our records that may hold `d` as answered by `peer`: the index's candidates and those
    /// this change gave tokens. A filter, like the index: the caller confirms each against the
    /// value (a record whose tokens this change dropped is a candidate that holds nothing).
    /// Staged operations are searched only when the change gave our records tokens: in an
    /// incoming batch, only a peer's re-answers do, bounded by the batch's size.
    pub(crate) fn own_candidates(&self, peer: [u8; 2], d: &[u8; 32]) -> Vec<String> {
        let mut out = self.index().own_candidates(peer, d);
        if self.staged_own {
            let fp = crate::tokens::fingerprint(d);
            for op in &self.index_ops {
                if let IndexOp::AddOwn { peer: p, record, fingerprints } = op
                    && *p == peer
                    && fingerprints.contains(&fp)
                    && !out.contains(record)
                {
                    out.push(record.clone());
                }
            }
        }
        out
    }

    pub(crate) fn index(&self) -> std::sync::MutexGuard<'a, TokenIndex> {
        // Applying operations does not panic; were it to, the index would lack part of one
        // change until the store next opens (a missed link, never a wrong one).
        self.index.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn get(&self, key: &[u8]) -> crate::Result<Option<Vec<u8>>> {
        if let Some(value) = self.writes.get(key) {
            return Ok(value.clone());
        }
        Ok(self.tree.get(key)?.map(|v| v.to_vec()))
    }

    pub fn insert(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.writes.insert(key, Some(value));
    }

    pub fn remove(&mut self, key: Vec<u8>) {
        self.writes.insert(key, None);
    }

    /// Keys and values under `prefix`, merged with the overlay, in key order.
    ///
    /// The common case on the token paths is a point-like prefix with nothing staged under it:
    /// that case reads the tree once and allocates only for what it finds.
    pub fn scan_prefix(&self, prefix: &[u8]) -> crate::Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut found = Vec::new();
        for item in self.tree.scan_prefix(prefix) {
            let (k, v) = item?;
            found.push((k.to_vec(), v.to_vec()));
        }
        let mut staged = self.writes.range::<[u8], _>((std::ops::Bound::Included(prefix), std::ops::Bound::Unbounded));
        let Some(first) = staged.next().filter(|(k, _)| k.starts_with(prefix)) else {
            return Ok(found);
        };
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = found.into_iter().collect();
        for (k, v) in std::iter::once(first).chain(staged) {
            if !k.starts_with(prefix) {
                break;
            }
            match v {
                Some(v) => {
                    merged.insert(k.clone(), v.clone());
                }
                None => {
                    merged.remove(k);
                }
            }
        }
        Ok(merged.into_iter().collect())
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    pub fn commit(self) -> crate::Result<()> {
        let audit_next = crate::keys::meta("audit.next");
        let changes_data = self.writes.keys().any(|k| k.first() != Some(&crate::keys::AUDIT) && *k != audit_next);
        let mut batch = sled::Batch::default();
        for (k, v) in self.writes {
            match v {
                Some(v) => batch.insert(k, v),
                None => batch.remove(k),
            }
        }
        self.tree.apply_batch(batch)?;
        if changes_data {
            self.version.fetch_add(1, Ordering::SeqCst);
        }
        if !self.index_ops.is_empty() {
            let mut index = self.index.lock().unwrap_or_else(|p| p.into_inner());
            index.apply(self.index_ops).map_err(|reason| crate::StoreError::FailedPrecondition(reason.into()))?;
        }
        Ok(())
    }
}
