//! Pair rounds of same-person links: which new links wait for the node's decision, the offers
//! it queues, and the two sides' double-blinded field tokens (see
//! `homeward_core::matching::pair`). The store keeps layouts and tokens opaque.

use crate::Result;
use crate::keys;
use crate::outbox::OutboxOp;
use crate::store::{LinkRow, Store, corrupt, decode_json};
use crate::txn::Txn;

/// The sides of a link's pair round in its keys (`keys::pair`): ours (the peer's answers), the
/// peer's (our re-blinding), and the same two of the round set aside at a re-send.
const OWN: u8 = 0;
const THEIRS: u8 = 1;
const KEPT_OWN: u8 = 2;
const KEPT_THEIRS: u8 = 3;

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

pub(crate) fn decode(key: &[u8], value: &[u8]) -> Result<PairSide> {
    let len = *value.first().ok_or_else(|| corrupt(key, "empty pair entry"))? as usize;
    let layout = value.get(1..1 + len).ok_or_else(|| corrupt(key, "short pair layout"))?.to_vec();
    let points = keys::points(&value[1 + len..]).ok_or_else(|| corrupt(key, "bad pair tokens"))?;
    Ok((layout, points))
}

impl Store {
    /// Drops a link's pair-round state (both sides' tokens, a round set aside, the pending mark).
    pub(crate) fn drop_pair(txn: &mut Txn<'_>, record_id: &str, peer: &str, peer_ref: &[u8; 16]) {
        txn.remove(keys::pair_pending(record_id, peer, peer_ref));
        for side in [OWN, THEIRS, KEPT_OWN, KEPT_THEIRS] {
            txn.remove(keys::pair(peer, peer_ref, record_id, side));
        }
    }

    /// Sets a link's finished pair round aside when the peer sends its record again (its
    /// rotation, its repair): the new round's tokens may hold the peer's new key and not
    /// compare with the old ones, but the old round's two sides still compare with each other,
    /// and the two records are unchanged (a change withdraws them for good), so the link keeps
    /// the old round's evidence until the new round is finished. An unfinished round is
    /// dropped (a round set aside before it stays).
    fn set_round_aside(txn: &mut Txn<'_>, record_id: &str, peer: &str, peer_ref: &[u8; 16]) -> Result<()> {
        txn.remove(keys::pair_pending(record_id, peer, peer_ref));
        let (own_key, peer_key) =
            (keys::pair(peer, peer_ref, record_id, OWN), keys::pair(peer, peer_ref, record_id, THEIRS));
        if let (Some(own), Some(theirs)) = (txn.get(&own_key)?, txn.get(&peer_key)?) {
            txn.insert(keys::pair(peer, peer_ref, record_id, KEPT_OWN), own);
            txn.insert(keys::pair(peer, peer_ref, record_id, KEPT_THEIRS), theirs);
        }
        txn.remove(own_key);
        txn.remove(peer_key);
        Ok(())
    }

    /// Our records holding pair-round state about the peer's record behind `peer_ref`.
    fn round_records(txn: &Txn<'_>, peer: &str, peer_ref: &[u8; 16]) -> Result<Vec<String>> {
        let prefix = keys::build(keys::PAIR, &[&keys::peer_bytes(peer), peer_ref]);
        let mut records = Vec::new();
        for (k, _) in txn.scan_prefix(&prefix)? {
            // The key ends with the record, a 0 and the side.
            let (record, _) = keys::split_tail(&k[prefix.len()..], 2).ok_or_else(|| corrupt(&k, "short pair key"))?;
            let record = String::from_utf8(record.to_vec()).map_err(|e| corrupt(&k, e))?;
            if records.last() != Some(&record) {
                records.push(record);
            }
        }
        Ok(records)
    }

    /// [`Store::set_round_aside`] for every link with the peer's record behind `peer_ref`.
    pub(crate) fn set_rounds_aside(txn: &mut Txn<'_>, peer: &str, peer_ref: &[u8; 16]) -> Result<()> {
        for record in Self::round_records(txn, peer, peer_ref)? {
            Self::set_round_aside(txn, &record, peer, peer_ref)?;
        }
        Ok(())
    }

    /// Drops a link's pair-round state unless the link was made again: a round whose link is
    /// gone must not wait to be shown should the two records meet again later.
    fn drop_round_unless_linked(txn: &mut Txn<'_>, record_id: &str, peer: &str, peer_ref: &[u8; 16]) -> Result<()> {
        if txn.get(&keys::link(record_id, peer, peer_ref, 0))?.is_none() {
            Self::drop_pair(txn, record_id, peer, peer_ref);
        }
        Ok(())
    }

    /// Once the peer's re-sent record behind `peer_ref` has made its links again: drops the
    /// rounds of our records it no longer links with.
    pub(crate) fn drop_rounds_without_link(txn: &mut Txn<'_>, peer: &str, peer_ref: &[u8; 16]) -> Result<()> {
        for record in Self::round_records(txn, peer, peer_ref)? {
            Self::drop_round_unless_linked(txn, &record, peer, peer_ref)?;
        }
        Ok(())
    }

    /// Once our re-sent record has made its links with `peer` again: drops the rounds of the
    /// links (`dropped`, as [`Store::drop_links_with`] returned them) it did not make again.
    pub(crate) fn drop_unlinked_rounds(
        txn: &mut Txn<'_>,
        record_id: &str,
        peer: &str,
        dropped: &[[u8; 16]],
    ) -> Result<()> {
        for peer_ref in dropped {
            Self::drop_round_unless_linked(txn, record_id, peer, peer_ref)?;
        }
        Ok(())
    }

    /// Stores one side of a link's pair round; once both sides are in, a round set aside for
    /// the link is no longer needed.
    pub(crate) fn store_round_side(
        txn: &mut Txn<'_>,
        record_id: &str,
        peer: &str,
        peer_ref: &[u8; 16],
        side: u8,
        value: Vec<u8>,
    ) -> Result<()> {
        txn.insert(keys::pair(peer, peer_ref, record_id, side), value);
        let other = if side == OWN { THEIRS } else { OWN };
        if txn.get(&keys::pair(peer, peer_ref, record_id, other))?.is_some() {
            txn.remove(keys::pair(peer, peer_ref, record_id, KEPT_OWN));
            txn.remove(keys::pair(peer, peer_ref, record_id, KEPT_THEIRS));
        }
        Ok(())
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
    /// still the version the offer was made from) and clears the pending marks of `offers`;
    /// `declined` links (that get no pair round) lose their mark and any round kept from before
    /// their tokens were made again. Returns the offers queued.
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
        // A link made again (a remake, a re-send) keeps its old round until a new one replaces
        // it; one that now gets no round (its new keys settle it) drops the old one, as a link
        // found for the first time has none.
        for (record_id, peer, peer_ref) in declined {
            if txn.get(&keys::pair_pending(record_id, peer, peer_ref))?.is_some() {
                Self::drop_pair(&mut txn, record_id, peer, peer_ref);
            }
        }
        txn.commit()?;
        Ok(queued)
    }

    /// Both sides' field tokens of a link's pair round — ours (answered by the peer) and the
    /// peer's (re-blinded here) — when both have arrived; until then, those of the round set
    /// aside when the link's tokens were last sent again, if any.
    pub fn pair_tokens(
        &self,
        record_id: &str,
        peer: &str,
        peer_ref: &[u8; 16],
    ) -> Result<Option<(PairSide, PairSide)>> {
        for (own_side, peer_side) in [(OWN, THEIRS), (KEPT_OWN, KEPT_THEIRS)] {
            let own_key = keys::pair(peer, peer_ref, record_id, own_side);
            let peer_key = keys::pair(peer, peer_ref, record_id, peer_side);
            if let (Some(own), Some(theirs)) = (self.kv.get(&own_key)?, self.kv.get(&peer_key)?) {
                return Ok(Some((decode(&own_key, &own)?, decode(&peer_key, &theirs)?)));
            }
        }
        Ok(None)
    }
}
