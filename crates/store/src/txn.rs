//! A write overlay over the tree: reads see the overlay first, so later steps of one change see
//! earlier ones; `commit` writes everything as one atomic sled batch.

use std::collections::BTreeMap;

pub struct Txn<'a> {
    tree: &'a sled::Tree,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl<'a> Txn<'a> {
    pub fn new(tree: &'a sled::Tree) -> Txn<'a> {
        Txn { tree, writes: BTreeMap::new() }
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
        let mut batch = sled::Batch::default();
        for (k, v) in self.writes {
            match v {
                Some(v) => batch.insert(k, v),
                None => batch.remove(k),
            }
        }
        self.tree.apply_batch(batch)?;
        Ok(())
    }
}
