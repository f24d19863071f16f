//! Anti-entropy: a periodic check that a peer holds exactly the tokens of ours it acknowledged.
//!
//! Both sides know the same `D = ab·P` values: the sender keeps them as its own tokens per
//! record (with its reference for the record at that peer), the receiver keeps them per
//! reference. So each side can compute, per range of references (the first byte), a count and
//! a BLAKE3 hash over the range's (reference, sorted tokens) in reference order. The sender
//! sends its digest when nothing is in flight; the receiver answers with the ranges that
//! differ and the references it holds there; the sender re-sends every record of those ranges
//! (withdraw, then add, through the ordinary outbox) and withdraws references it no longer has.
//!
//! What it repairs: a receiver that lost or gained tokens, a sender that lost its own tokens.
//! What it does not see: a record neither side holds tokens for (never sent, and the outbox
//! entry lost too).
//!
//! A repair costs the sender a derivation and blinding of every token of the range's records,
//! and the receiver chooses the ranges. A range repaired once and reported diverging again is
//! not repaired again for [`REPAIR_REPEAT_INTERVAL`] ([`Repairs`]): a peer that applies what it
//! is sent agrees after one repair, and one that does not (broken or hostile) could otherwise
//! make this node re-blind a sixteenth of its records every round. Ranges never repaired are
//! always repaired, so a peer that lost much catches up in one round per 16 ranges.

use crate::crypto::{blind_persons, today};
use crate::state::NodeState;
use homeward_core::token::peer_ref;
use homeward_proto::pb;
use homeward_proto::pb::federation_client::FederationClient;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Most diverging ranges answered at once (each carries the references of its range); the
/// rest are found by the next round.
pub const MAX_DIVERGING: usize = 16;

/// How long a range stays unrepaired after a repair when the peer reports it diverging again.
pub const REPAIR_REPEAT_INTERVAL: Duration = Duration::from_secs(24 * 3600);

/// When each range was last repaired for one peer; the peer's sync task keeps it (in memory: a
/// restart of this node, an operator's act, repairs again).
#[derive(Debug, Default)]
pub struct Repairs {
    last: HashMap<u8, Instant>,
}

impl Repairs {
    /// Whether `range` may be repaired at `now`: never repaired, or not within
    /// [`REPAIR_REPEAT_INTERVAL`].
    pub fn allowed(&self, range: u8, now: Instant) -> bool {
        self.last.get(&range).is_none_or(|at| now.saturating_duration_since(*at) >= REPAIR_REPEAT_INTERVAL)
    }

    /// Records that `ranges` were repaired at `now`.
    pub fn record(&mut self, ranges: &[u8], now: Instant) {
        for range in ranges {
            self.last.insert(*range, now);
        }
    }
}

/// Per range: (references, tokens, hash).
pub type Digest = BTreeMap<u8, (u64, u64, [u8; 32])>;

/// Digest of (reference, tokens) entries, in any order: what [`DigestBuilder`] makes from the
/// store one entry at a time, all at once (for tests).
#[cfg(test)]
pub fn digest(entries: &mut [([u8; 16], Vec<[u8; 32]>)]) -> Digest {
    entries.sort_unstable_by_key(|e| e.0);
    let mut builder = DigestBuilder::default();
    for (reference, tokens) in entries.iter_mut() {
        builder.add(reference, tokens);
    }
    builder.finish()
}

/// A [`Digest`] made one entry at a time, the entries given in reference order, so that a
/// digest of a peer's tokens needs only one reference's tokens in memory at once.
#[derive(Default)]
pub struct DigestBuilder {
    out: Digest,
    current: Option<(u8, u64, u64, blake3::Hasher)>,
}

impl DigestBuilder {
    /// Adds one reference's tokens (sorted here). References must come in ascending order.
    pub fn add(&mut self, reference: &[u8; 16], tokens: &mut [[u8; 32]]) {
        tokens.sort_unstable();
        let range = reference[0];
        if self.current.as_ref().map(|c| c.0) != Some(range) {
            self.close_range();
            self.current = Some((range, 0, 0, blake3::Hasher::new()));
        }
        if let Some((_, refs, n, hasher)) = self.current.as_mut() {
            *refs += 1;
            *n += tokens.len() as u64;
            hasher.update(reference);
            hasher.update(&(tokens.len() as u32).to_le_bytes());
            for t in tokens.iter() {
                hasher.update(t);
            }
        }
    }

    fn close_range(&mut self) {
        if let Some((r, refs, n, hasher)) = self.current.take() {
            self.out.insert(r, (refs, n, *hasher.finalize().as_bytes()));
        }
    }

    pub fn finish(mut self) -> Digest {
        self.close_range();
        self.out
    }
}

pub fn to_pb(digest: &Digest) -> Vec<pb::RangeDigest> {
    digest
        .iter()
        .map(|(range, (refs, tokens, hash))| pb::RangeDigest {
            range: u32::from(*range),
            refs: *refs,
            tokens: *tokens,
            hash: hash.to_vec(),
        })
        .collect()
}

/// Receiver side: the ranges where `theirs` (what the sender believes we hold) differs from
/// `ours`, at most [`MAX_DIVERGING`].
pub fn diverging(ours: &Digest, theirs: &Digest) -> Vec<u8> {
    let mut out: Vec<u8> =
        ours.keys().chain(theirs.keys()).copied().filter(|range| ours.get(range) != theirs.get(range)).collect();
    out.sort_unstable();
    out.dedup();
    out.truncate(MAX_DIVERGING);
    out
}

/// Parses a peer's digest, refusing malformed ranges.
pub fn from_pb(ranges: &[pb::RangeDigest]) -> Result<Digest, String> {
    let mut out = Digest::new();
    for (i, r) in ranges.iter().enumerate() {
        let range = u8::try_from(r.range).map_err(|_| format!("ranges[{i}].range: must be below 256"))?;
        let hash: [u8; 32] = r.hash.as_slice().try_into().map_err(|_| format!("ranges[{i}].hash: must be 32 bytes"))?;
        if out.insert(range, (r.refs, r.tokens, hash)).is_some() {
            return Err(format!("ranges[{i}]: range {range} given twice"));
        }
    }
    Ok(out)
}

/// Sender side: one anti-entropy round with `peer`. Returns the operations queued for repair
/// (0 when everything agrees or something is in flight).
pub async fn round(
    state: &Arc<NodeState>,
    client: &mut FederationClient<tonic::transport::Channel>,
    peer: &str,
    repairs: &mut Repairs,
) -> Result<usize, String> {
    let task_state = state.clone();
    let task_peer = peer.to_string();
    let prepared = tokio::task::spawn_blocking(move || -> Result<Option<_>, String> {
        let store = &task_state.store;
        let err = |e: homeward_store::StoreError| e.to_string();
        if store.outbox_len(&task_peer).map_err(err)? != 0 {
            return Ok(None);
        }
        let through = store.outbox_last_seq(&task_peer).map_err(err)?;
        // Our references in order, then each record's tokens read as the digest reaches it:
        // never the peer's whole set in memory.
        let ref_key = task_state.secrets.ref_key;
        let mut refs: Vec<([u8; 16], String)> = store
            .own_records_for(&task_peer)
            .map_err(err)?
            .into_iter()
            .map(|record| (peer_ref(&ref_key, &task_peer, &record), record))
            .collect();
        refs.sort_unstable();
        let mut builder = DigestBuilder::default();
        for (reference, record) in &refs {
            // A record changed since the scan is caught by the outbox check below.
            if let Some(mut tokens) = store.own_tokens(record, &task_peer).map_err(err)? {
                builder.add(reference, &mut tokens);
            }
        }
        let digest = builder.finish();
        let by_ref: HashMap<[u8; 16], String> = refs.into_iter().collect();
        // Something queued meanwhile: the digest may be stale; try next time.
        if store.outbox_len(&task_peer).map_err(err)? != 0 || store.outbox_last_seq(&task_peer).map_err(err)? != through
        {
            return Ok(None);
        }
        let declared_records = store.count_persons().map_err(err)?;
        Ok(Some((through, digest, by_ref, declared_records)))
    })
    .await
    .map_err(|e| format!("digest task: {e}"))??;
    let Some((through, digest, by_ref, declared_records)) = prepared else { return Ok(0) };
    let mut request =
        tonic::Request::new(pb::DigestRequest { through_seq: through, ranges: to_pb(&digest), declared_records });
    if let Ok(value) = state.config.country.parse() {
        request.metadata_mut().insert(crate::auth::COUNTRY_HEADER, value);
    }
    let response = client.digest(request).await.map_err(|s| format!("{:?}: {}", s.code(), s.message()))?.into_inner();
    state.set_peer_keys_version(peer, response.keys_version);
    if !response.settled || response.diverging.is_empty() {
        return Ok(0);
    }
    let now = Instant::now();
    let (mut ranges, mut withheld) = (Vec::new(), Vec::new());
    for range in response.diverging.iter().filter_map(|d| u8::try_from(d.range).ok()) {
        if repairs.allowed(range, now) { ranges.push(range) } else { withheld.push(range) }
    }
    for list in [&mut ranges, &mut withheld] {
        list.sort_unstable();
        list.dedup();
    }
    if !withheld.is_empty() {
        let list = withheld.iter().map(u8::to_string).collect::<Vec<_>>().join(",");
        let hours = REPAIR_REPEAT_INTERVAL.as_secs() / 3600;
        tracing::warn!(peer, ranges = %list, "peer reports ranges diverging again after their repair; not repaired again within {hours} h");
        let (audit_state, actor) = (state.clone(), format!("node:{peer}"));
        let detail = format!("ranges={list} (diverging again after a repair; next repair after {hours} h)");
        let _ =
            tokio::task::spawn_blocking(move || audit_state.store.audit(&actor, "sync.repair.withheld", "", &detail))
                .await;
        state.set_health(
            peer,
            true,
            Some(format!("anti-entropy: {} range(s) diverging again after their repair ({list}); not repaired again within {hours} h", withheld.len())),
        );
    }
    if ranges.is_empty() {
        return Ok(0);
    }
    let repaired = ranges.clone();
    let state = state.clone();
    let peer = peer.to_string();
    let queued = tokio::task::spawn_blocking(move || -> Result<usize, String> {
        let store = &state.store;
        let err = |e: homeward_store::StoreError| e.to_string();
        // Every reference of a diverging range repaired now, from both sides.
        let mut references: Vec<[u8; 16]> = Vec::new();
        for range in &response.diverging {
            let Ok(r) = u8::try_from(range.range) else { continue };
            if !ranges.contains(&r) {
                continue;
            }
            references.extend(by_ref.keys().filter(|k| k[0] == r));
            for reference in &range.refs {
                if let Ok(reference) = <[u8; 16]>::try_from(reference.as_slice())
                    && reference[0] == r
                {
                    references.push(reference);
                }
            }
        }
        references.sort_unstable();
        references.dedup();
        let mut persons = Vec::new();
        let mut resend = Vec::new();
        let mut gone = Vec::new();
        for reference in references {
            let record = match by_ref.get(&reference) {
                Some(record) => Some(record.clone()),
                None => store.resolve_our_ref(&peer, &reference).map_err(err)?,
            };
            match record.map(|r| store.get_person(&r)).transpose().map_err(err)?.flatten() {
                Some(row) => {
                    resend.push((reference, row.person.record_id.clone(), row.generation));
                    persons.push(row.person);
                }
                None => gone.push(reference),
            }
        }
        let tokens = blind_persons(&state.config.federation, &state.secrets.blinding, &persons, today());
        let mut repairs: Vec<homeward_store::Repair> = gone.into_iter().map(|r| (r, None)).collect();
        for ((reference, record, generation), tokens) in resend.into_iter().zip(tokens) {
            repairs.push((reference, Some((record, generation, tokens))));
        }
        let queued = store.requeue_for_repair(&peer, &repairs).map_err(err)?;
        tracing::info!(peer, refs = repairs.len(), queued, "anti-entropy: repairing diverging ranges");
        Ok(queued)
    })
    .await
    .map_err(|e| format!("repair task: {e}"))??;
    repairs.record(&repaired, now);
    Ok(queued)
}

/// Re-sends every record to `peer` (withdraw, then fresh tokens), after the peer rotated its
/// key; clears the request when all is queued. Returns the operations queued.
pub async fn resend_all(state: &Arc<NodeState>, peer: &str) -> Result<usize, String> {
    let state = state.clone();
    let peer = peer.to_string();
    tokio::task::spawn_blocking(move || -> Result<usize, String> {
        let store = &state.store;
        let err = |e: homeward_store::StoreError| e.to_string();
        let mut after: Option<String> = None;
        let mut queued = 0;
        loop {
            let rows = store.list_persons(after.as_deref(), 256).map_err(err)?;
            let Some(last) = rows.last() else { break };
            after = Some(last.person.record_id.clone());
            let persons: Vec<_> = rows.iter().map(|r| r.person.clone()).collect();
            let tokens = blind_persons(&state.config.federation, &state.secrets.blinding, &persons, today());
            let repairs: Vec<homeward_store::Repair> = rows
                .iter()
                .zip(tokens)
                .filter(|(_, t)| !t.is_empty())
                .map(|(r, t)| {
                    let reference = peer_ref(&state.secrets.ref_key, &peer, &r.person.record_id);
                    (reference, Some((r.person.record_id.clone(), r.generation, t)))
                })
                .collect();
            queued += store.requeue_for_repair(&peer, &repairs).map_err(err)?;
        }
        store.clear_resend(&peer).map_err(err)?;
        Ok(queued)
    })
    .await
    .map_err(|e| format!("resend task: {e}"))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_repaired_again_only_after_the_interval() {
        let start = Instant::now();
        let mut repairs = Repairs::default();
        assert!(repairs.allowed(7, start) && repairs.allowed(8, start));
        repairs.record(&[7], start);
        assert!(!repairs.allowed(7, start + Duration::from_secs(60)));
        assert!(!repairs.allowed(7, start + REPAIR_REPEAT_INTERVAL - Duration::from_secs(1)));
        assert!(repairs.allowed(7, start + REPAIR_REPEAT_INTERVAL));
        // Other ranges are not held back by it.
        assert!(repairs.allowed(8, start + Duration::from_secs(60)));
    }

    #[test]
    fn digests_ignore_order_and_see_differences() {
        let mut a = vec![([1u8; 16], vec![[3u8; 32], [2u8; 32]]), ([200u8; 16], vec![[9u8; 32]])];
        let mut b = vec![([200u8; 16], vec![[9u8; 32]]), ([1u8; 16], vec![[2u8; 32], [3u8; 32]])];
        let (da, db) = (digest(&mut a), digest(&mut b));
        assert_eq!(da, db);
        assert!(diverging(&da, &db).is_empty());
        let mut c = vec![([1u8; 16], vec![[3u8; 32]]), ([200u8; 16], vec![[9u8; 32]])];
        let dc = digest(&mut c);
        assert_eq!(diverging(&da, &dc), vec![1]);
        assert_eq!(diverging(&da, &Digest::new()), vec![1, 200]);
        assert_eq!(from_pb(&to_pb(&da)).unwrap(), da);
    }

    #[test]
    fn a_digest_made_while_visiting_the_store_equals_one_of_everything_held() {
        use homeward_store::{IncomingOp, LinkPolicy, Store};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let policy =
            LinkPolicy { link_kind_of: |_| 0, family_role_of: |_| None, is_mark: |_| false, our_ref: &|_, _| [0; 16] };
        // References out of order, in three ranges, tokens out of order.
        let ops: Vec<IncomingOp> =
            [[9u8; 16], [1; 16], [200; 16], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]]
                .iter()
                .enumerate()
                .map(|(i, r)| IncomingOp::Add { peer_ref: *r, reblinded: vec![[i as u8 + 7; 32], [3; 32]] })
                .collect();
        store.apply_incoming("UZ", 1, &ops, &policy).unwrap();
        let mut builder = DigestBuilder::default();
        store.visit_peer_tokens("UZ", |reference, mut tokens| builder.add(reference, &mut tokens)).unwrap();
        let streamed = builder.finish();
        assert_eq!(streamed, digest(&mut store.peer_tokens_by_ref("UZ").unwrap()));
        assert_eq!(streamed.len(), 3);
        assert_eq!(store.peer_refs_in_range("UZ", 1).unwrap().len(), 2);
        assert_eq!(store.peer_refs_in_range("UZ", 7).unwrap(), Vec::<[u8; 16]>::new());
    }
}
