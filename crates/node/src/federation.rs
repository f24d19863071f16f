//! The Federation service: a peer's outbox batches arrive here. Tokens are re-blinded with this
//! node's secret and stored against the sender's opaque reference; the answers go back in
//! order. Everything is checked before anything is stored: one bad token, reference or
//! operation refuses the whole batch.

use crate::auth::caller;
use crate::crypto::reblind_all;
use crate::error::{internal, store_status};
use crate::state::NodeState;
use homeward_core::matching::KEYS_VERSION;
use homeward_core::token::REF_LEN;
use homeward_proto::pb;
use homeward_proto::pb::federation_server::Federation;
use homeward_store::{AnswerPair, IncomingOp, Replaced};
use prost::Message;
use std::sync::Arc;
use tonic::{Request, Response, Status};

/// An operation's shape, checked before any crypto or storage.
enum Shape {
    Add([u8; REF_LEN], usize),
    Withdraw([u8; REF_LEN], Replaced),
    Note([u8; REF_LEN], [u8; REF_LEN], u8),
    Rekey,
    Reanswer([u8; REF_LEN], Vec<AnswerPair>),
    FollowUp(Vec<u8>),
    Pair([u8; REF_LEN], [u8; REF_LEN], Vec<u8>, usize),
}

pub struct FederationService {
    pub state: Arc<NodeState>,
    pub meter: crate::quota::Meter,
    /// When each peer last asked for a digest comparison (a full scan of its tokens here).
    last_digest: std::sync::Mutex<std::collections::HashMap<String, std::time::Instant>>,
}

/// Least time between two digest comparisons asked by one peer: half this node's own
/// anti-entropy interval (a peer asks once per its interval, which a federation sets alike),
/// at least 0.5 s and at most a minute. Each comparison reads every token the peer holds here,
/// so this bounds what a peer asking in a loop can cost.
fn digest_min_interval(anti_entropy: std::time::Duration) -> std::time::Duration {
    (anti_entropy / 2).clamp(std::time::Duration::from_millis(500), std::time::Duration::from_secs(60))
}

impl FederationService {
    pub fn new(state: Arc<NodeState>) -> FederationService {
        FederationService { state, meter: crate::quota::Meter::default(), last_digest: Default::default() }
    }
}

fn reference(bytes: &[u8], index: usize) -> Result<[u8; REF_LEN], Status> {
    bytes.try_into().map_err(|_| {
        Status::invalid_argument(format!("ops[{index}].ref: must be {REF_LEN} bytes, got {}", bytes.len()))
    })
}

/// A re-answer's pairs, checked in shape: as many old as new answers, at least one, each a
/// 32-byte point. (That the new ones are ristretto255 encodings is checked with the batch's
/// other crypto, off the async runtime: [`invalid_new_answer`].)
fn reanswer_pairs(reanswer: &pb::Reanswer, index: usize) -> Result<Vec<AnswerPair>, Status> {
    if reanswer.old.len() != reanswer.new.len() || reanswer.new.is_empty() {
        return Err(Status::invalid_argument(format!(
            "ops[{index}]: a re-answer needs as many old as new answers, at least one (got {} and {})",
            reanswer.old.len(),
            reanswer.new.len()
        )));
    }
    let point = |bytes: &[u8], which: &str, i: usize| -> Result<[u8; 32], Status> {
        bytes.try_into().map_err(|_| {
            Status::invalid_argument(format!("ops[{index}].{which}[{i}]: must be 32 bytes, got {}", bytes.len()))
        })
    };
    let mut pairs = Vec::with_capacity(reanswer.new.len());
    for (i, (old, new)) in reanswer.old.iter().zip(&reanswer.new).enumerate() {
        pairs.push((point(old, "old", i)?, point(new, "new", i)?));
    }
    Ok(pairs)
}

/// The first re-answer whose new answer is no ristretto255 encoding, as an error (a
/// decompression per answer: run on the blocking pool).
fn invalid_new_answer(shapes: &[Shape]) -> Option<Status> {
    shapes.iter().enumerate().find_map(|(index, shape)| match shape {
        Shape::Reanswer(_, answers) => answers
            .iter()
            .position(|(_, new)| !homeward_core::token::is_valid_token(new))
            .map(|i| Status::invalid_argument(format!("ops[{index}].new[{i}]: not a ristretto255 point"))),
        _ => None,
    })
}

#[tonic::async_trait]
impl Federation for FederationService {
    async fn exchange(&self, request: Request<pb::ExchangeRequest>) -> Result<Response<pb::ExchangeResponse>, Status> {
        let peer = caller(&request)?.country;
        let request = request.into_inner();
        self.state.tap("federation.request", &request.encode_to_vec());
        let limits = self.state.config.limits;
        if request.ops.len() > limits.max_batch_ops {
            return Err(Status::invalid_argument(format!(
                "batch of {} operations exceeds the limit of {}",
                request.ops.len(),
                limits.max_batch_ops
            )));
        }
        let total_tokens: usize = request
            .ops
            .iter()
            .map(|op| match &op.op {
                Some(pb::exchange_op::Op::Add(add)) => add.tokens.len(),
                Some(pb::exchange_op::Op::Pair(pair)) => pair.tokens.len(),
                _ => 0,
            })
            .sum();
        // Answers replaced after the peer's key rotation cost no re-blinding (not metered) but
        // count against the batch's size.
        let reanswers: usize = request
            .ops
            .iter()
            .map(|op| match &op.op {
                Some(pb::exchange_op::Op::Reanswer(reanswer)) => reanswer.new.len(),
                _ => 0,
            })
            .sum();
        if total_tokens + reanswers > limits.max_batch_tokens {
            return Err(Status::invalid_argument(format!(
                "batch of {} tokens exceeds the limit of {}",
                total_tokens + reanswers,
                limits.max_batch_tokens
            )));
        }
        // Check the shape of every operation before any crypto or storage.
        let mut shapes = Vec::with_capacity(request.ops.len());
        for (index, op) in request.ops.iter().enumerate() {
            match &op.op {
                Some(pb::exchange_op::Op::Add(add)) => {
                    if add.tokens.is_empty() {
                        return Err(Status::invalid_argument(format!("ops[{index}]: a token set with no tokens")));
                    }
                    shapes.push(Shape::Add(reference(&add.r#ref, index)?, add.tokens.len()));
                }
                Some(pb::exchange_op::Op::Withdraw(w)) => {
                    let replaced = match pb::Replacement::try_from(w.replacement) {
                        Ok(pb::Replacement::Resent) => Replaced::Resent,
                        Ok(pb::Replacement::Remade) => Replaced::Remade,
                        _ => Replaced::No,
                    };
                    shapes.push(Shape::Withdraw(reference(&w.r#ref, index)?, replaced))
                }
                Some(pb::exchange_op::Op::Note(note)) => {
                    let role = match pb::FamilyRole::try_from(note.family_role) {
                        Ok(pb::FamilyRole::Child) => 1,
                        Ok(pb::FamilyRole::Mother) => 2,
                        _ => {
                            return Err(Status::invalid_argument(format!(
                                "ops[{index}].family_role: must be child or mother"
                            )));
                        }
                    };
                    let receiver_ref = reference(&note.receiver_ref, index)?;
                    shapes.push(Shape::Note(reference(&note.sender_ref, index)?, receiver_ref, role));
                }
                Some(pb::exchange_op::Op::Rekey(_)) => shapes.push(Shape::Rekey),
                Some(pb::exchange_op::Op::Reanswer(reanswer)) => shapes
                    .push(Shape::Reanswer(reference(&reanswer.receiver_ref, index)?, reanswer_pairs(reanswer, index)?)),
                Some(pb::exchange_op::Op::Pair(pair)) => {
                    let announced = homeward_core::matching::pair::layout_tokens(&pair.layout)
                        .map_err(|e| Status::invalid_argument(format!("ops[{index}].{e}")))?;
                    if announced != pair.tokens.len() || announced == 0 {
                        return Err(Status::invalid_argument(format!(
                            "ops[{index}]: layout announces {announced} tokens, got {}",
                            pair.tokens.len()
                        )));
                    }
                    let receiver_ref = reference(&pair.receiver_ref, index)?;
                    shapes.push(Shape::Pair(
                        reference(&pair.sender_ref, index)?,
                        receiver_ref,
                        pair.layout.clone(),
                        pair.tokens.len(),
                    ));
                }
                Some(pb::exchange_op::Op::FollowUp(message)) => {
                    if message.body.is_none() {
                        return Err(Status::invalid_argument(format!("ops[{index}]: an empty follow-up message")));
                    }
                    shapes.push(Shape::FollowUp(message.encode_to_vec()));
                }
                None => return Err(Status::invalid_argument(format!("ops[{index}]: empty operation"))),
            }
        }
        // Quotas, before any crypto: every re-blinded token (replays included) is metered.
        let held = self.state.store.tokens_held(&peer).map_err(store_status)?;
        let messages = shapes.iter().filter(|shape| matches!(shape, Shape::FollowUp(_))).count() as u64;
        if let Err(refusal) =
            self.meter.charge(&peer, total_tokens as u64, messages, held, request.declared_records, &limits)
        {
            tracing::warn!(peer, "{}", refusal.message);
            if let Some(count) = refusal.audit {
                let _ = self.state.store.audit(
                    &format!("node:{peer}"),
                    "quota.exceeded",
                    "",
                    &format!("{} (refusals since last entry: {count})", refusal.message),
                );
            }
            return Err(Status::resource_exhausted(refusal.message));
        }
        let state = self.state.clone();
        let peer_for_task = peer.clone();
        let response = tokio::task::spawn_blocking(move || -> Result<pb::ExchangeResponse, Status> {
            if let Some(status) = invalid_new_answer(&shapes) {
                return Err(status);
            }
            let tokens: Vec<&[u8]> = request
                .ops
                .iter()
                .flat_map(|op| match &op.op {
                    Some(pb::exchange_op::Op::Add(add)) => add.tokens.as_slice(),
                    Some(pb::exchange_op::Op::Pair(pair)) => pair.tokens.as_slice(),
                    _ => &[],
                })
                .map(|t| t.as_slice())
                .collect();
            let reblinded = reblind_all(&state.secrets.blinding, &tokens).map_err(|(i, e)| {
                let _ = state.store.audit(
                    &format!("node:{peer_for_task}"),
                    "tokens.refused",
                    "",
                    &format!("token {i}: {e}"),
                );
                Status::invalid_argument(format!("token {i}: {e}"))
            })?;
            let mut answers = reblinded.iter();
            let ops: Vec<IncomingOp> = shapes
                .iter()
                .map(|shape| match shape {
                    Shape::Add(peer_ref, n) => {
                        IncomingOp::Add { peer_ref: *peer_ref, reblinded: answers.by_ref().take(*n).copied().collect() }
                    }
                    Shape::Withdraw(peer_ref, replaced) => {
                        IncomingOp::Withdraw { peer_ref: *peer_ref, replaced: *replaced }
                    }
                    Shape::Rekey => IncomingOp::Rekey,
                    Shape::Reanswer(receiver_ref, answers) => {
                        IncomingOp::Reanswer { receiver_ref: *receiver_ref, answers: answers.clone() }
                    }
                    Shape::FollowUp(bytes) => IncomingOp::Message(bytes.clone()),
                    Shape::Pair(sender_ref, receiver_ref, layout, n) => IncomingOp::Pair {
                        sender_ref: *sender_ref,
                        receiver_ref: *receiver_ref,
                        layout: layout.clone(),
                        reblinded: answers.by_ref().take(*n).copied().collect(),
                    },
                    Shape::Note(sender_ref, receiver_ref, role) => {
                        IncomingOp::Note { sender_ref: *sender_ref, receiver_ref: *receiver_ref, role: *role }
                    }
                })
                .collect();
            let applied_seq = state
                .with_policy(|policy| state.store.apply_incoming(&peer_for_task, request.first_seq, &ops, policy))
                .map_err(store_status)?;
            // The size of the peer's node weighs family links whose mother it holds.
            state.store.set_peer_declared(&peer_for_task, request.declared_records).map_err(store_status)?;
            Ok(pb::ExchangeResponse {
                reblinded: reblinded.iter().map(|d| d.to_vec()).collect(),
                applied_seq,
                keys_version: KEYS_VERSION,
            })
        })
        .await
        .map_err(|e| internal("exchange task", e))??;
        self.state.store.flush().await.map_err(store_status)?;
        self.state.tap("federation.response", &response.encode_to_vec());
        // Applying may have queued notes for this peer (new family hits), and follow-up
        // messages wait in the inbox.
        self.state.wake(&peer);
        self.state.followup_wake.notify_one();
        self.state.pair_wake.notify_one();
        tracing::debug!(peer, applied = response.applied_seq, "exchange applied");
        Ok(Response::new(response))
    }

    async fn digest(&self, request: Request<pb::DigestRequest>) -> Result<Response<pb::DigestResponse>, Status> {
        let peer = caller(&request)?.country;
        let request = request.into_inner();
        if request.ranges.len() > 256 {
            return Err(Status::invalid_argument("ranges: at most 256"));
        }
        let theirs = crate::antientropy::from_pb(&request.ranges).map_err(Status::invalid_argument)?;
        {
            let mut last = self.last_digest.lock().unwrap_or_else(|p| p.into_inner());
            let now = std::time::Instant::now();
            if let Some(at) = last.get(&peer)
                && now.duration_since(*at) < digest_min_interval(self.state.config.anti_entropy)
            {
                return Err(Status::resource_exhausted("digest: asked too often"));
            }
            last.insert(peer.clone(), now);
        }
        let state = self.state.clone();
        let response = tokio::task::spawn_blocking(move || -> Result<pb::DigestResponse, Status> {
            state.store.set_peer_declared(&peer, request.declared_records).map_err(store_status)?;
            // Not settled either while the peer has yet to receive the answers our key rotation
            // replaced: until then its answers and our tokens differ by design.
            if state.store.applied_seq(&peer).map_err(store_status)? != request.through_seq
                || state.store.reanswers_pending(&peer).map_err(store_status)?
            {
                return Ok(pb::DigestResponse { settled: false, diverging: Vec::new(), keys_version: KEYS_VERSION });
            }
            // One reference's tokens in memory at a time, in reference order (the store's).
            let mut builder = crate::antientropy::DigestBuilder::default();
            state
                .store
                .visit_peer_tokens(&peer, |reference, mut tokens| builder.add(reference, &mut tokens))
                .map_err(store_status)?;
            let ours = builder.finish();
            let ranges = crate::antientropy::diverging(&ours, &theirs);
            let mut diverging = Vec::with_capacity(ranges.len());
            for range in &ranges {
                let refs = state.store.peer_refs_in_range(&peer, *range).map_err(store_status)?;
                diverging
                    .push(pb::RangeRefs { range: u32::from(*range), refs: refs.iter().map(|r| r.to_vec()).collect() });
            }
            if !diverging.is_empty() {
                let _ = state.store.audit(
                    &format!("node:{peer}"),
                    "sync.digest.diverged",
                    "",
                    &format!("ranges={ranges:?}"),
                );
            }
            Ok(pb::DigestResponse { settled: true, diverging, keys_version: KEYS_VERSION })
        })
        .await
        .map_err(|e| internal("digest task", e))??;
        Ok(Response::new(response))
    }
}

#[cfg(test)]
mod tests {
    use super::digest_min_interval;
    use std::time::Duration;

    #[test]
    fn a_peer_may_ask_for_a_digest_at_most_twice_per_anti_entropy_interval_within_bounds() {
        assert_eq!(digest_min_interval(Duration::from_secs(300)), Duration::from_secs(60));
        assert_eq!(digest_min_interval(Duration::from_secs(60)), Duration::from_secs(30));
        assert_eq!(digest_min_interval(Duration::from_millis(300)), Duration::from_millis(500));
    }
}
