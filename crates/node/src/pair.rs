//! The pair round of same-person links (see `homeward_core::matching::pair`): for every new
//! same-person candidate, this node sends the peer its record's field tokens, salted with the
//! link's two references and blinded with its secret, through the outbox; the peer answers them
//! re-blinded and sends its own, which the Federation service re-blinds and keeps. Once both
//! sides are in, [`evidence_of`] compares them and the link is scored from the fields.

use crate::crypto::blind_inputs;
use crate::state::NodeState;
use homeward_core::matching::pair::{self, Layout, PairEvidence};
use homeward_core::matching::{KeySet, LinkKind};
use homeward_core::token::peer_ref;
use homeward_store::{PairOffer, StoredLink};
use rayon::prelude::*;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Pending links handled per store batch.
const BATCH: usize = 512;

/// Decides the pair round of waiting links and queues offers, until none wait. Returns the
/// offers queued. Runs on the blocking pool (it blinds).
pub fn drain(state: &NodeState) -> homeward_store::Result<usize> {
    let thresholds = state.thresholds(LinkKind::SamePerson);
    let mut queued = 0;
    loop {
        let pending = state.store.pending_pairs(BATCH)?;
        if pending.is_empty() {
            return Ok(queued);
        }
        let mut wanted = Vec::new();
        let mut declined = Vec::new();
        for (record_id, peer, peer_ref_bytes) in pending {
            let row = state.store.link_row(&record_id, &peer, &peer_ref_bytes, 0)?;
            let kinds = KeySet(row.as_ref().map_or(0, |row| row.kinds));
            let person = match row {
                Some(_) if pair::wants_round(kinds, &thresholds) => state.store.get_person(&record_id)?,
                _ => None,
            };
            let values = person.as_ref().map(|p| pair::pair_values(&p.person, kinds));
            match (person, values) {
                // A record whose fields all normalise to nothing has nothing to compare (and an
                // empty offer would be refused by the peer).
                (Some(person), Some(values)) if !values.values.is_empty() => {
                    wanted.push((record_id, peer, peer_ref_bytes, person.generation, values));
                }
                _ => declined.push((record_id, peer, peer_ref_bytes)),
            }
        }
        let federation = state.config.federation.as_str();
        let secret = &state.secrets.blinding;
        let offers: Vec<PairOffer> = wanted
            .par_iter()
            .map(|(record_id, peer, their_ref, generation, values)| {
                let our_ref = peer_ref(&state.secrets.ref_key, peer, record_id);
                let salt = pair::pair_salt(&our_ref, their_ref);
                PairOffer {
                    record_id: record_id.clone(),
                    generation: *generation,
                    peer: peer.clone(),
                    peer_ref: *their_ref,
                    our_ref,
                    layout: values.layout.to_vec(),
                    tokens: blind_inputs(federation, secret, &values.hash_inputs(&salt)),
                }
            })
            .collect();
        queued += state.store.queue_pair_offers(&offers, &declined)?;
    }
}

/// Runs until `stop` turns true: drains waiting links whenever woken (new links), and every
/// few seconds.
pub async fn run(state: Arc<NodeState>, mut stop: watch::Receiver<bool>) {
    let every = Duration::from_secs(2);
    loop {
        let task_state = state.clone();
        match tokio::task::spawn_blocking(move || drain(&task_state)).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => {
                tracing::debug!(offers = n, "pair-round offers queued");
                state.wake_all();
            }
            Ok(Err(error)) => tracing::error!(%error, "pair round failed"),
            Err(error) => tracing::error!(%error, "pair-round task panicked"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = state.pair_wake.notified() => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}

/// The pair round's evidence for a same-person link, once both sides' tokens are in.
pub fn evidence_of(state: &NodeState, link: &StoredLink) -> Option<PairEvidence> {
    let ((own_layout, own), (peer_layout, theirs)) =
        state.store.pair_tokens(&link.record_id, &link.peer, &link.peer_ref).ok().flatten()?;
    // Tokens of groups this version does not know (a later peer's) come last: not compared.
    let (own_layout, own_known): (Layout, usize) = pair::known_layout(&own_layout)?;
    let (peer_layout, peer_known): (Layout, usize) = pair::known_layout(&peer_layout)?;
    pair::pair_evidence(&own_layout, own.get(..own_known)?, &peer_layout, theirs.get(..peer_known)?)
}
