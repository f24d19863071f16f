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
    pub fn scan_prefix(&self, prefix: &[u8]) -> crate::Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for item in self.tree.scan_prefix(prefix) {
            let (k, v) = item?;
            merged.insert(k.to_vec(), v.to_vec());
        }
        for (k, v) in self.writes.range(prefix.to_vec()..) {
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
