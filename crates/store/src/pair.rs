//! Pair rounds of same-person links: which new links wait for the node's decision, the offers
//! it queues, and the two sides' double-blinded field tokens (see
//! `homeward_core::matching::pair`). The store keeps layouts and tokens opaque.

use crate::Result;
use crate::keys;
use crate::outbox::OutboxOp;
use crate::store::{LinkRow, Store, corrupt, decode_json};
use crate::txn::Txn;

/// A new same-person link waiting for the node's decision: our record, the peer, its reference.
pub type PendingPair = (String, String, [u8; 16]);

/// One side's field tokens: the layout and the double-blinded tokens, in layout order.
pub type PairSide = (Vec<u8>, Vec<[u8; 32]>);

/// Our record's offer for one link, blinded by the node.
#[derive(Debug, Clone)]
pub struct PairOffer {
    pub record_id: String,
    pub generation: u64,
    pub peer: String,
    pub peer_ref: [u8; 16],
    pub our_ref: [u8; 16],
    pub layout: Vec<u8>,
    pub tokens: Vec<[u8; 32]>,
}

pub(crate) fn encode(layout: &[u8], points: &[[u8; 32]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + layout.len() + 32 * points.len());
    out.push(layout.len() as u8);
    out.extend_from_slice(layout);
    for point in points {
        out.extend_from_slice(point);
    }
    out
}

fn decode(key: &[u8], value: &[u8]) -> Result<PairSide> {
    let len = *value.first().ok_or_else(|| corrupt(key, "empty pair entry"))? as usize;
    let layout = value.get(1..1 + len).ok_or_else(|| corrupt(key, "short pair layout"))?.to_vec();
    let points = keys::points(&value[1 + len..]).ok_or_else(|| corrupt(key, "bad pair tokens"))?;
    Ok((layout, points))
}

impl Store {
    /// Drops a link's pair-round state (both sides' tokens and the pending mark).
    pub(crate) fn drop_pair(txn: &mut Txn<'_>, record_id: &str, peer: &str, peer_ref: &[u8; 16]) {
        txn.remove(keys::pair_pending(record_id, peer, peer_ref));
        txn.remove(keys::pair(peer, peer_ref, record_id, 0));
        txn.remove(keys::pair(peer, peer_ref, record_id, 1));
    }

    /// New same-person links whose pair round the node has not decided yet, at most `limit`.
    pub fn pending_pairs(&self, limit: usize) -> Result<Vec<PendingPair>> {
        let mut out = Vec::new();
        for item in self.kv.scan_prefix([keys::PAIR_PENDING]).take(limit) {
            let (k, _) = item?;
            let (head, tail) = keys::split_tail(&k, 2 + 16).ok_or_else(|| corrupt(&k, "short pending key"))?;
            let record = head.get(1..head.len().saturating_sub(1)).ok_or_else(|| corrupt(&k, "short pending key"))?;
            out.push((
                String::from_utf8(record.to_vec()).map_err(|e| corrupt(&k, e))?,
                String::from_utf8_lossy(&tail[..2]).into_owned(),
                keys::array::<16>(&tail[2..]).ok_or_else(|| corrupt(&k, "short pending key"))?,
            ));
        }
        Ok(out)
    }

    /// Whether any pair round waits for the node's decision (for convergence checks).
    pub fn pairs_pending(&self) -> Result<bool> {
        Ok(self.kv.scan_prefix([keys::PAIR_PENDING]).next().transpose()?.is_some())
    }

    /// A link's stored row, if it exists.
    pub fn link_row(&self, record_id: &str, peer: &str, peer_ref: &[u8; 16], link_kind: u8) -> Result<Option<LinkRow>> {
        let key = keys::link(record_id, peer, peer_ref, link_kind);
        match self.kv.get(&key)? {
            None => Ok(None),
            Some(v) => Ok(Some(decode_json(&key, &v)?)),
        }
    }

    /// In one batch: queues each offer to its peer (when its link still waits and the record is
    /// still the version the offer was made from) and clears the pending marks of `offers` and
    /// of `declined` (links that get no pair round). Returns the offers queued.
    pub fn queue_pair_offers(&self, offers: &[PairOffer], declined: &[PendingPair]) -> Result<usize> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let mut queued = 0;
        for offer in offers {
            let pending = keys::pair_pending(&offer.record_id, &offer.peer, &offer.peer_ref);
            if txn.get(&pending)?.is_none() {
                continue;
            }
            txn.remove(pending);
            if !Self::is_generation(&txn, &offer.record_id, offer.generation)?
                || txn.get(&keys::link(&offer.record_id, &offer.peer, &offer.peer_ref, 0))?.is_none()
            {
                continue;
            }
            let op = OutboxOp::Pair {
                record_id: offer.record_id.clone(),
                generation: offer.generation,
                our_ref: offer.our_ref,
                their_ref: offer.peer_ref,
                layout: offer.layout.clone(),
                tokens: offer.tokens.clone(),
            };
            Self::enqueue(&mut txn, &offer.peer, op)?;
            queued += 1;
        }
        for (record_id, peer, peer_ref) in declined {
            txn.remove(keys::pair_pending(record_id, peer, peer_ref));
        }
        txn.commit()?;
        Ok(queued)
    }

    /// Both sides' field tokens of a link's pair round — ours (answered by the peer) and the
    /// peer's (re-blinded here) — when both have arrived.
    pub fn pair_tokens(
        &self,
        record_id: &str,
        peer: &str,
        peer_ref: &[u8; 16],
    ) -> Result<Option<(PairSide, PairSide)>> {
        let own_key = keys::pair(peer, peer_ref, record_id, 0);
        let peer_key = keys::pair(peer, peer_ref, record_id, 1);
        let (Some(own), Some(theirs)) = (self.kv.get(&own_key)?, self.kv.get(&peer_key)?) else {
            return Ok(None);
        };
        Ok(Some((decode(&own_key, &own)?, decode(&peer_key, &theirs)?)))
    }
}
