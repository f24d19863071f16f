//! The in-memory index that finds matching tokens.
//!
//! A link forms when a token of ours, as the peer answered it (`D` under `O`, by record), equals
//! a peer's token as we re-blinded it (`D` under `T`, by peer reference). Those two tables hold
//! every `D` on disk, one key per record and per peer reference. Looking a `D` up among all of
//! them needs an index by `D`; keeping that index in sled (one key per token) made the token
//! tables an order of magnitude larger than everything else the store holds, and sled's time
//! and memory grow with its number of keys.
//!
//! So the index lives in memory, rebuilt from `O` and `T` when the store opens. It maps a 32-bit
//! fingerprint of each `D` to the records (ours) or peer references (theirs) holding a `D` with
//! that fingerprint. It is only a filter: every hit is confirmed against the `O` or `T` value
//! on disk (through the change's overlay), so a fingerprint collision costs one read and can
//! never make a link. It cannot miss: every write to `O` or `T` stages the matching index
//! change on its [`crate::txn::Txn`], applied when the batch has committed (under the writer
//! lock, so no reader sees it half-applied).
//!
//! Memory: about 14 bytes per token held (a `u32 → u32` hash entry at hashbrown's load), plus
//! the interned record ids and peer references. Interned ids are never freed while the store
//! is open (an erased record's id stays until the next restart).

use std::collections::HashMap;

/// The fingerprint of a `D`: four bytes from its middle. A compressed Ristretto point's first
/// byte has a fixed low bit, its middle bytes are uniform.
pub(crate) fn fingerprint(d: &[u8; 32]) -> u32 {
    u32::from_le_bytes([d[12], d[13], d[14], d[15]])
}

/// A multimap `u32 → u32` stored as one `u32` per key where it can be: values below `SPILL` are
/// held inline, values at or above it index a list in `spill`.
#[derive(Default, Debug, Clone)]
struct Multi {
    map: HashMap<u32, u32>,
    spill: Vec<Vec<u32>>,
    free: Vec<u32>,
    len: usize,
}

const SPILL: u32 = 1 << 31;

impl Multi {
    fn insert(&mut self, key: u32, value: u32) {
        debug_assert!(value < SPILL);
        match self.map.get(&key).copied() {
            None => {
                self.map.insert(key, value);
            }
            Some(v) if v < SPILL => {
                if v == value {
                    return;
                }
                let list = vec![v, value];
                let slot = match self.free.pop() {
                    Some(slot) => {
                        self.spill[slot as usize] = list;
                        slot
                    }
                    None => {
                        self.spill.push(list);
                        (self.spill.len() - 1) as u32
                    }
                };
                self.map.insert(key, SPILL | slot);
            }
            Some(v) => {
                let list = &mut self.spill[(v & !SPILL) as usize];
                if list.contains(&value) {
                    return;
                }
                list.push(value);
            }
        }
        self.len += 1;
    }

    fn remove(&mut self, key: u32, value: u32) {
        match self.map.get(&key).copied() {
            Some(v) if v == value => {
                self.map.remove(&key);
                self.len -= 1;
            }
            None => {}
            Some(v) if v < SPILL => {}
            Some(v) => {
                let slot = v & !SPILL;
                let list = &mut self.spill[slot as usize];
                let Some(at) = list.iter().position(|x| *x == value) else {
                    return;
                };
                list.swap_remove(at);
                self.len -= 1;
                if list.len() == 1 {
                    let last = list[0];
                    self.spill[slot as usize] = Vec::new();
                    self.free.push(slot);
                    self.map.insert(key, last);
                }
            }
        }
    }

    fn get(&self, key: u32) -> &[u32] {
        match self.map.get(&key) {
            None => &[],
            Some(v) if *v < SPILL => std::slice::from_ref(v),
            Some(v) => &self.spill[(v & !SPILL) as usize],
        }
    }

    /// Every (key, value), sorted: for comparing two indexes.
    fn pairs(&self) -> Vec<(u32, u32)> {
        let mut out: Vec<(u32, u32)> =
            self.map.keys().flat_map(|k| self.get(*k).iter().map(move |v| (*k, *v))).collect();
        out.sort_unstable();
        out
    }
}

/// Values interned to dense ids below [`SPILL`].
#[derive(Debug, Clone)]
struct Interner<T> {
    ids: HashMap<T, u32>,
    values: Vec<T>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner { ids: HashMap::new(), values: Vec::new() }
    }
}

impl<T: std::hash::Hash + Eq + Clone> Interner<T> {
    fn id(&mut self, value: &T) -> Option<u32> {
        if let Some(id) = self.ids.get(value) {
            return Some(*id);
        }
        let id = u32::try_from(self.values.len()).ok().filter(|id| *id < SPILL)?;
        self.values.push(value.clone());
        self.ids.insert(value.clone(), id);
        Some(id)
    }

    fn known(&self, value: &T) -> Option<u32> {
        self.ids.get(value).copied()
    }

    fn value(&self, id: u32) -> Option<&T> {
        self.values.get(id as usize)
    }
}

#[derive(Default, Debug, Clone)]
struct PeerTokens {
    refs: Interner<[u8; 16]>,
    /// fingerprint → our records holding a `D` answered by this peer with it.
    own: Multi,
    /// fingerprint → this peer's references holding a `D` we re-blinded to it.
    theirs: Multi,
}

/// One change to the index, staged with the batch that makes it true on disk.
#[derive(Debug, Clone)]
pub(crate) enum IndexOp {
    AddOwn { peer: [u8; 2], fingerprint: u32, record: String },
    DropOwn { peer: [u8; 2], fingerprint: u32, record: String },
    AddTheirs { peer: [u8; 2], fingerprint: u32, peer_ref: [u8; 16] },
    DropTheirs { peer: [u8; 2], fingerprint: u32, peer_ref: [u8; 16] },
}

#[derive(Default, Debug, Clone)]
pub(crate) struct TokenIndex {
    records: Interner<Box<str>>,
    peers: HashMap<[u8; 2], PeerTokens>,
}

impl TokenIndex {
    /// Applies staged changes. Fails only when a table outgrows 2³¹ ids, which the caller
    /// reports (the batch is on disk; the index is rebuilt when the store next opens).
    pub(crate) fn apply(&mut self, ops: Vec<IndexOp>) -> Result<(), &'static str> {
        for op in ops {
            match op {
                IndexOp::AddOwn { peer, fingerprint, record } => {
                    let id = self.records.id(&record.into_boxed_str()).ok_or("too many records")?;
                    self.peers.entry(peer).or_default().own.insert(fingerprint, id);
                }
                IndexOp::DropOwn { peer, fingerprint, record } => {
                    if let (Some(id), Some(tokens)) =
                        (self.records.known(&record.into_boxed_str()), self.peers.get_mut(&peer))
                    {
                        tokens.own.remove(fingerprint, id);
                    }
                }
                IndexOp::AddTheirs { peer, fingerprint, peer_ref } => {
                    let tokens = self.peers.entry(peer).or_default();
                    let id = tokens.refs.id(&peer_ref).ok_or("too many peer references")?;
                    tokens.theirs.insert(fingerprint, id);
                }
                IndexOp::DropTheirs { peer, fingerprint, peer_ref } => {
                    if let Some(tokens) = self.peers.get_mut(&peer)
                        && let Some(id) = tokens.refs.known(&peer_ref)
                    {
                        tokens.theirs.remove(fingerprint, id);
                    }
                }
            }
        }
        Ok(())
    }

    /// Our records that may hold `d` as answered by `peer` (to be confirmed against `O`).
    pub(crate) fn own_candidates(&self, peer: [u8; 2], d: &[u8; 32]) -> Vec<String> {
        let Some(tokens) = self.peers.get(&peer) else {
            return Vec::new();
        };
        tokens.own.get(fingerprint(d)).iter().filter_map(|id| self.records.value(*id)).map(|r| r.to_string()).collect()
    }

    /// The peer's references that may hold `d` (to be confirmed against `T`).
    pub(crate) fn their_candidates(&self, peer: [u8; 2], d: &[u8; 32]) -> Vec<[u8; 16]> {
        let Some(tokens) = self.peers.get(&peer) else {
            return Vec::new();
        };
        tokens.theirs.get(fingerprint(d)).iter().filter_map(|id| tokens.refs.value(*id)).copied().collect()
    }

    /// Every entry as (peer, side, fingerprint, record or reference), sorted: two indexes of
    /// the same tables give the same list whatever order they were built in.
    pub(crate) fn entries(&self) -> Vec<([u8; 2], u8, u32, Vec<u8>)> {
        let mut out = Vec::new();
        for (peer, tokens) in &self.peers {
            for (fp, id) in tokens.own.pairs() {
                let record = self.records.value(id).map(|r| r.as_bytes().to_vec()).unwrap_or_default();
                out.push((*peer, 0, fp, record));
            }
            for (fp, id) in tokens.theirs.pairs() {
                out.push((*peer, 1, fp, tokens.refs.value(id).map(|r| r.to_vec()).unwrap_or_default()));
            }
        }
        out.sort_unstable();
        out
    }

    pub(crate) fn tokens_held(&self) -> usize {
        self.peers.values().map(|t| t.own.len + t.theirs.len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(fp: u32, salt: u8) -> [u8; 32] {
        let mut d = [salt; 32];
        d[12..16].copy_from_slice(&fp.to_le_bytes());
        d
    }

    #[test]
    fn multimap_spills_and_folds_back() {
        let mut m = Multi::default();
        m.insert(7, 1);
        m.insert(7, 1);
        assert_eq!(m.get(7), &[1]);
        m.insert(7, 2);
        m.insert(7, 3);
        assert_eq!(m.len, 3);
        let mut got = m.get(7).to_vec();
        got.sort();
        assert_eq!(got, vec![1, 2, 3]);
        m.remove(7, 2);
        m.remove(7, 3);
        assert_eq!(m.get(7), &[1]);
        assert_eq!(m.free.len(), 1, "the spilled list is free again");
        m.insert(9, 4);
        m.insert(9, 5);
        assert!(m.free.is_empty(), "a free list is reused");
        m.remove(7, 1);
        m.remove(7, 1);
        assert!(m.get(7).is_empty());
        assert_eq!(m.len, 2);
    }

    #[test]
    fn candidates_follow_adds_and_drops() {
        let mut index = TokenIndex::default();
        let a = d(42, 1);
        let same_fp = d(42, 2);
        index
            .apply(vec![
                IndexOp::AddOwn { peer: *b"UZ", fingerprint: fingerprint(&a), record: "KZ-1".into() },
                IndexOp::AddOwn { peer: *b"UZ", fingerprint: fingerprint(&same_fp), record: "KZ-2".into() },
                IndexOp::AddTheirs { peer: *b"UZ", fingerprint: fingerprint(&a), peer_ref: [9; 16] },
            ])
            .unwrap();
        let mut own = index.own_candidates(*b"UZ", &a);
        own.sort();
        assert_eq!(own, vec!["KZ-1".to_string(), "KZ-2".to_string()]);
        assert!(index.own_candidates(*b"KG", &a).is_empty(), "per peer");
        assert_eq!(index.their_candidates(*b"UZ", &a), vec![[9; 16]]);
        index
            .apply(vec![
                IndexOp::DropOwn { peer: *b"UZ", fingerprint: fingerprint(&a), record: "KZ-1".into() },
                IndexOp::DropTheirs { peer: *b"UZ", fingerprint: fingerprint(&a), peer_ref: [9; 16] },
                IndexOp::DropTheirs { peer: *b"KG", fingerprint: fingerprint(&a), peer_ref: [9; 16] },
            ])
            .unwrap();
        assert_eq!(index.own_candidates(*b"UZ", &a), vec!["KZ-2".to_string()]);
        assert!(index.their_candidates(*b"UZ", &a).is_empty());
        assert_eq!(index.tokens_held(), 1);
    }
}
