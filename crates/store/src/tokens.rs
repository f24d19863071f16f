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
//! Memory: about 8 bytes per token held (see [`Multi`]), plus the interned record ids and peer
//! references, each freed when its last token leaves the index.

use std::collections::{HashMap, HashSet};

/// The fingerprint of a `D`: four bytes from its middle. A compressed Ristretto point's first
/// byte has a fixed low bit, its middle bytes are uniform.
pub(crate) fn fingerprint(d: &[u8; 32]) -> u32 {
    u32::from_le_bytes([d[12], d[13], d[14], d[15]])
}

/// A multimap `u32 → u32` in a hash table, one `u32` per key where it can be: values below
/// `SPILL` are held inline, values at or above it index a list in `spill`. It holds what was
/// added to a [`Multi`] since its last merge.
#[derive(Default, Debug, Clone)]
struct Recent {
    map: HashMap<u32, u32>,
    spill: Vec<Vec<u32>>,
    free: Vec<u32>,
    len: usize,
}

const SPILL: u32 = 1 << 31;

impl Recent {
    /// Whether the entry was new.
    fn insert(&mut self, key: u32, value: u32) -> bool {
        debug_assert!(value < SPILL);
        match self.map.get(&key).copied() {
            None => {
                self.map.insert(key, value);
            }
            Some(v) if v < SPILL => {
                if v == value {
                    return false;
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
                    return false;
                }
                list.push(value);
            }
        }
        self.len += 1;
        true
    }

    /// Whether the entry was there.
    fn remove(&mut self, key: u32, value: u32) -> bool {
        match self.map.get(&key).copied() {
            Some(v) if v == value => {
                self.map.remove(&key);
                self.len -= 1;
                true
            }
            None => false,
            Some(v) if v < SPILL => false,
            Some(v) => {
                let slot = v & !SPILL;
                let list = &mut self.spill[slot as usize];
                let Some(at) = list.iter().position(|x| *x == value) else {
                    return false;
                };
                list.swap_remove(at);
                self.len -= 1;
                if list.len() == 1 {
                    let last = list[0];
                    self.spill[slot as usize] = Vec::new();
                    self.free.push(slot);
                    self.map.insert(key, last);
                }
                true
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

    fn entries(&self) -> impl Iterator<Item = u64> + '_ {
        self.map.keys().flat_map(|k| self.get(*k).iter().map(move |v| entry(*k, *v)))
    }
}

fn entry(key: u32, value: u32) -> u64 {
    (u64::from(key) << 32) | u64::from(value)
}

/// A multimap `u32 → u32` in about 8 bytes per entry: a sorted array of `key << 32 | value`,
/// with what was added since the last merge in a small hash table ([`Recent`]) and what was
/// removed from the array in a set of dead entries. It merges when those two reach an eighth
/// of the array, so each entry is copied a bounded number of times on average. (A hash table
/// for everything took about 14 bytes per entry at its load factor.)
#[derive(Default, Debug, Clone)]
struct Multi {
    sorted: Vec<u64>,
    dead: HashSet<u64>,
    recent: Recent,
}

impl Multi {
    fn in_sorted(&self, e: u64) -> bool {
        self.sorted.binary_search(&e).is_ok()
    }

    fn insert(&mut self, key: u32, value: u32) {
        let e = entry(key, value);
        if self.in_sorted(e) {
            self.dead.remove(&e);
        } else {
            self.recent.insert(key, value);
        }
        self.maybe_merge();
    }

    fn remove(&mut self, key: u32, value: u32) {
        if !self.recent.remove(key, value) {
            let e = entry(key, value);
            if self.in_sorted(e) {
                self.dead.insert(e);
            }
        }
        self.maybe_merge();
    }

    fn get(&self, key: u32) -> Vec<u32> {
        let from = self.sorted.partition_point(|e| *e < entry(key, 0));
        let mut out: Vec<u32> = self.sorted[from..]
            .iter()
            .take_while(|e| (*e >> 32) as u32 == key)
            .filter(|e| !self.dead.contains(e))
            .map(|e| *e as u32)
            .collect();
        out.extend_from_slice(self.recent.get(key));
        out
    }

    fn len(&self) -> usize {
        self.sorted.len() - self.dead.len() + self.recent.len
    }

    fn maybe_merge(&mut self) {
        if self.recent.len + self.dead.len() > (self.sorted.len() / 8).max(1024) {
            self.merge();
        }
    }

    fn merge(&mut self) {
        let mut merged = Vec::with_capacity(self.len());
        merged.extend(self.sorted.iter().filter(|e| !self.dead.contains(e)));
        merged.extend(self.recent.entries());
        merged.sort_unstable();
        self.sorted = merged;
        self.dead = HashSet::new();
        self.recent = Recent::default();
    }

    /// Every (key, value), sorted: for comparing two indexes.
    fn pairs(&self) -> Vec<(u32, u32)> {
        let mut all: Vec<u64> = self.sorted.iter().filter(|e| !self.dead.contains(e)).copied().collect();
        all.extend(self.recent.entries());
        all.sort_unstable();
        all.into_iter().map(|e| ((e >> 32) as u32, e as u32)).collect()
    }
}

/// Values interned to dense ids below [`SPILL`], each with the number of index entries that
/// name it: an id no entry names any more is freed and reused, so erasures and re-exchanged
/// references do not leave their ids behind while the store is open.
#[derive(Debug, Clone)]
struct Interner<T> {
    ids: HashMap<T, u32>,
    values: Vec<Option<T>>,
    uses: Vec<u32>,
    free: Vec<u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner { ids: HashMap::new(), values: Vec::new(), uses: Vec::new(), free: Vec::new() }
    }
}

impl<T: std::hash::Hash + Eq + Clone> Interner<T> {
    /// The id of `value`, interning it if new, counted `n` more uses.
    fn acquire(&mut self, value: &T, n: u32) -> Option<u32> {
        let id = match self.ids.get(value) {
            Some(id) => *id,
            None => {
                let id = match self.free.pop() {
                    Some(id) => id,
                    None => {
                        let id = u32::try_from(self.values.len()).ok().filter(|id| *id < SPILL)?;
                        self.values.push(None);
                        self.uses.push(0);
                        id
                    }
                };
                self.values[id as usize] = Some(value.clone());
                self.ids.insert(value.clone(), id);
                id
            }
        };
        self.uses[id as usize] = self.uses[id as usize].saturating_add(n);
        Some(id)
    }

    /// The id of `value`, if interned, counted `n` fewer uses; freed (after the caller has
    /// dropped its entries) when no use is left.
    fn release(&mut self, value: &T, n: u32) -> Option<u32> {
        let id = *self.ids.get(value)?;
        let uses = &mut self.uses[id as usize];
        *uses = uses.saturating_sub(n);
        if *uses == 0 {
            self.ids.remove(value);
            self.values[id as usize] = None;
            self.free.push(id);
        }
        Some(id)
    }

    fn value(&self, id: u32) -> Option<&T> {
        self.values.get(id as usize)?.as_ref()
    }

    /// Values interned now.
    #[cfg(test)]
    fn live(&self) -> usize {
        self.ids.len()
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

/// The fingerprints of some `D`s.
pub(crate) fn fingerprints<'a>(ds: impl IntoIterator<Item = &'a [u8; 32]>) -> Vec<u32> {
    ds.into_iter().map(fingerprint).collect()
}

/// One change to the index, for one record's or one peer reference's tokens, staged with the
/// batch that makes it true on disk.
#[derive(Debug, Clone)]
pub(crate) enum IndexOp {
    AddOwn { peer: [u8; 2], record: String, fingerprints: Vec<u32> },
    DropOwn { peer: [u8; 2], record: String, fingerprints: Vec<u32> },
    AddTheirs { peer: [u8; 2], peer_ref: [u8; 16], fingerprints: Vec<u32> },
    DropTheirs { peer: [u8; 2], peer_ref: [u8; 16], fingerprints: Vec<u32> },
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
        ops.into_iter().try_for_each(|op| self.apply_one(op))
    }

    pub(crate) fn apply_one(&mut self, op: IndexOp) -> Result<(), &'static str> {
        match op {
            // Empty lists intern nothing: an id is freed when its last entry goes.
            IndexOp::AddOwn { fingerprints, .. }
            | IndexOp::DropOwn { fingerprints, .. }
            | IndexOp::AddTheirs { fingerprints, .. }
            | IndexOp::DropTheirs { fingerprints, .. }
                if fingerprints.is_empty() => {}
            IndexOp::AddOwn { peer, record, fingerprints } => {
                let uses = fingerprints.len() as u32;
                let id = self.records.acquire(&record.into_boxed_str(), uses).ok_or("too many records")?;
                let own = &mut self.peers.entry(peer).or_default().own;
                fingerprints.into_iter().for_each(|fp| own.insert(fp, id));
            }
            IndexOp::DropOwn { peer, record, fingerprints } => {
                if let Some(tokens) = self.peers.get_mut(&peer)
                    && let Some(id) = self.records.release(&record.into_boxed_str(), fingerprints.len() as u32)
                {
                    fingerprints.into_iter().for_each(|fp| tokens.own.remove(fp, id));
                }
            }
            IndexOp::AddTheirs { peer, peer_ref, fingerprints } => {
                let tokens = self.peers.entry(peer).or_default();
                let id = tokens.refs.acquire(&peer_ref, fingerprints.len() as u32).ok_or("too many peer references")?;
                fingerprints.into_iter().for_each(|fp| tokens.theirs.insert(fp, id));
            }
            IndexOp::DropTheirs { peer, peer_ref, fingerprints } => {
                if let Some(tokens) = self.peers.get_mut(&peer)
                    && let Some(id) = tokens.refs.release(&peer_ref, fingerprints.len() as u32)
                {
                    fingerprints.into_iter().for_each(|fp| tokens.theirs.remove(fp, id));
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
        tokens
            .own
            .get(fingerprint(d))
            .into_iter()
            .filter_map(|id| self.records.value(id))
            .map(|r| r.to_string())
            .collect()
    }

    /// The peer's references that may hold `d` (to be confirmed against `T`).
    pub(crate) fn their_candidates(&self, peer: [u8; 2], d: &[u8; 32]) -> Vec<[u8; 16]> {
        let Some(tokens) = self.peers.get(&peer) else {
            return Vec::new();
        };
        tokens.theirs.get(fingerprint(d)).into_iter().filter_map(|id| tokens.refs.value(id)).copied().collect()
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

    /// Record ids and peer references interned now.
    #[cfg(test)]
    pub(crate) fn interned(&self) -> usize {
        self.records.live() + self.peers.values().map(|t| t.refs.live()).sum::<usize>()
    }

    #[cfg(test)]
    pub(crate) fn tokens_held(&self) -> usize {
        self.peers.values().map(|t| t.own.len() + t.theirs.len()).sum()
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
    fn recent_spills_and_folds_back() {
        let mut m = Recent::default();
        assert!(m.insert(7, 1));
        assert!(!m.insert(7, 1));
        assert_eq!(m.get(7), &[1]);
        m.insert(7, 2);
        m.insert(7, 3);
        assert_eq!(m.len, 3);
        let mut got = m.get(7).to_vec();
        got.sort();
        assert_eq!(got, vec![1, 2, 3]);
        assert!(m.remove(7, 2));
        m.remove(7, 3);
        assert_eq!(m.get(7), &[1]);
        assert_eq!(m.free.len(), 1, "the spilled list is free again");
        m.insert(9, 4);
        m.insert(9, 5);
        assert!(m.free.is_empty(), "a free list is reused");
        assert!(m.remove(7, 1));
        assert!(!m.remove(7, 1));
        assert!(m.get(7).is_empty());
        assert_eq!(m.len, 2);
    }

    /// Random inserts and removals over few keys (so that keys hold several values), many
    /// enough to merge several times, against a sorted set.
    #[test]
    fn multi_agrees_with_a_plain_set_across_merges() {
        let mut m = Multi::default();
        let mut model = std::collections::BTreeSet::new();
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for step in 0..40_000 {
            let r = next();
            let (key, value) = ((r % 2_000) as u32, ((r >> 20) % 4) as u32);
            if r >> 60 < 11 {
                m.insert(key, value);
                model.insert((key, value));
            } else {
                m.remove(key, value);
                model.remove(&(key, value));
            }
            if step % 997 == 0 {
                let mut got = m.get(key);
                got.sort();
                let want: Vec<u32> = model.range((key, 0)..=(key, u32::MAX)).map(|(_, v)| *v).collect();
                assert_eq!(got, want, "key {key} at step {step}");
            }
        }
        assert!(m.sorted.len() > 1_024, "the test merged at least once");
        assert_eq!(m.len(), model.len());
        assert_eq!(m.pairs(), model.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn candidates_follow_adds_and_drops() {
        let mut index = TokenIndex::default();
        let a = d(42, 1);
        let same_fp = d(42, 2);
        index
            .apply(vec![
                IndexOp::AddOwn { peer: *b"UZ", record: "KZ-1".into(), fingerprints: fingerprints([&a]) },
                IndexOp::AddOwn { peer: *b"UZ", record: "KZ-2".into(), fingerprints: fingerprints([&same_fp]) },
                IndexOp::AddTheirs { peer: *b"UZ", peer_ref: [9; 16], fingerprints: fingerprints([&a]) },
            ])
            .unwrap();
        let mut own = index.own_candidates(*b"UZ", &a);
        own.sort();
        assert_eq!(own, vec!["KZ-1".to_string(), "KZ-2".to_string()]);
        assert!(index.own_candidates(*b"KG", &a).is_empty(), "per peer");
        assert_eq!(index.their_candidates(*b"UZ", &a), vec![[9; 16]]);
        index
            .apply(vec![
                IndexOp::DropOwn { peer: *b"UZ", record: "KZ-1".into(), fingerprints: fingerprints([&a]) },
                IndexOp::DropTheirs { peer: *b"UZ", peer_ref: [9; 16], fingerprints: fingerprints([&a]) },
                IndexOp::DropTheirs { peer: *b"KG", peer_ref: [9; 16], fingerprints: fingerprints([&a]) },
            ])
            .unwrap();
        assert_eq!(index.own_candidates(*b"UZ", &a), vec!["KZ-2".to_string()]);
        assert!(index.their_candidates(*b"UZ", &a).is_empty());
        assert_eq!(index.tokens_held(), 1);
    }

    #[test]
    fn ids_are_freed_with_their_last_token_and_reused() {
        let mut index = TokenIndex::default();
        // A record held for two peers, with a fingerprint repeated: its id lives until the last
        // of its tokens goes.
        let (a, b) = (d(7, 1), d(8, 1));
        index
            .apply(vec![
                IndexOp::AddOwn { peer: *b"UZ", record: "KZ-1".into(), fingerprints: fingerprints([&a, &a, &b]) },
                IndexOp::AddOwn { peer: *b"KG", record: "KZ-1".into(), fingerprints: fingerprints([&b]) },
            ])
            .unwrap();
        index
            .apply(vec![IndexOp::DropOwn {
                peer: *b"UZ",
                record: "KZ-1".into(),
                fingerprints: fingerprints([&a, &a, &b]),
            }])
            .unwrap();
        assert_eq!(index.records.live(), 1, "still held for KG");
        assert_eq!(index.own_candidates(*b"KG", &b), vec!["KZ-1".to_string()]);
        index
            .apply(vec![IndexOp::DropOwn { peer: *b"KG", record: "KZ-1".into(), fingerprints: fingerprints([&b]) }])
            .unwrap();
        assert_eq!(index.records.live(), 0);
        // Records and references coming and going (erasures, updates) reuse the freed ids.
        for round in 0..1_000u32 {
            let record = format!("KZ-{round}");
            let token = d(round, 3);
            index
                .apply(vec![
                    IndexOp::AddOwn { peer: *b"UZ", record: record.clone(), fingerprints: fingerprints([&token]) },
                    IndexOp::AddTheirs {
                        peer: *b"UZ",
                        peer_ref: [round as u8; 16],
                        fingerprints: fingerprints([&token]),
                    },
                ])
                .unwrap();
            assert_eq!(index.own_candidates(*b"UZ", &token), vec![record.clone()]);
            index
                .apply(vec![
                    IndexOp::DropOwn { peer: *b"UZ", record, fingerprints: fingerprints([&token]) },
                    IndexOp::DropTheirs {
                        peer: *b"UZ",
                        peer_ref: [round as u8; 16],
                        fingerprints: fingerprints([&token]),
                    },
                ])
                .unwrap();
        }
        assert_eq!(index.records.values.len(), 1, "one slot, reused");
        assert_eq!(index.peers[b"UZ"].refs.values.len(), 1);
        assert_eq!(index.tokens_held(), 0);
        // A list with no tokens interns nothing.
        index.apply(vec![IndexOp::AddOwn { peer: *b"UZ", record: "KZ-x".into(), fingerprints: vec![] }]).unwrap();
        assert_eq!(index.records.live(), 0);
    }
}
