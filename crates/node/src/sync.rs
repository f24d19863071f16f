//! Draining each peer's outbox: one task per peer sends the oldest pending operations as one
//! Exchange batch, stores the answers, removes what was acknowledged, and repeats. Delivery is
//! at least once: an answer lost in transit means the same batch is sent again, and the peer's
//! applied mark makes the repeat change nothing. Failures back off exponentially (capped, with
//! jitter) and are visible in the node status.

use crate::client::channel;
use crate::state::NodeState;
use homeward_proto::pb;
use homeward_proto::pb::federation_client::FederationClient;
use homeward_store::{OutboxOp, PendingOp};
use prost::Message;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, watch};

const MAX_BACKOFF: Duration = Duration::from_secs(30);
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// Runs until `shutdown` turns true.
pub async fn run_peer(
    state: Arc<NodeState>,
    peer: String,
    address: String,
    wake: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let limits = state.config.limits;
    let channel = match channel(&address, &state.config.tls, Duration::from_secs(60)) {
        Ok(channel) => channel,
        Err(e) => {
            state.set_health(&peer, false, Some(format!("bad peer address {address}: {e}")));
            return;
        }
    };
    let mut client = FederationClient::new(channel)
        .max_decoding_message_size(limits.max_message_bytes)
        .max_encoding_message_size(limits.max_message_bytes);
    let mut backoff = FIRST_BACKOFF;
    let mut last_check = tokio::time::Instant::now();
    let mut repairs = crate::antientropy::Repairs::default();
    // The highest sequence number known to be on disk: an outbox entry is sent only once it is.
    let mut durable_through = 0u64;
    loop {
        if *shutdown.borrow() {
            return;
        }
        let batch = {
            let state = state.clone();
            let peer = peer.clone();
            tokio::task::spawn_blocking(move || {
                state.store.outbox_batch(&peer, limits.max_batch_ops / 2, limits.max_batch_tokens / 2)
            })
            .await
        };
        let batch = match batch {
            Ok(Ok(batch)) => batch,
            Ok(Err(e)) => {
                tracing::error!(peer, error = %e, "reading the outbox failed");
                state.set_health(&peer, false, Some(format!("outbox: {e}")));
                wait(&wake, &mut shutdown, MAX_BACKOFF).await;
                continue;
            }
            Err(_) => return,
        };
        if batch.is_empty() {
            if state.store.resend_requested(&peer).unwrap_or(false) {
                match crate::antientropy::resend_all(&state, &peer).await {
                    Ok(queued) => {
                        tracing::info!(peer, queued, "peer rotated its key; re-sending every token");
                        continue;
                    }
                    Err(error) => tracing::warn!(peer, %error, "re-sending after the peer's key rotation failed"),
                }
            }
            // While an upgrade's remake queues new tokens the two sides differ by design.
            if last_check.elapsed() >= state.config.anti_entropy && !state.remaking() {
                last_check = tokio::time::Instant::now();
                match crate::antientropy::round(&state, &mut client, &peer, &mut repairs).await {
                    Ok(0) => {}
                    Ok(queued) => {
                        tracing::warn!(peer, queued, "anti-entropy found divergence; re-sending");
                        continue;
                    }
                    Err(error) => tracing::warn!(peer, %error, "anti-entropy check failed"),
                }
            }
            wait(&wake, &mut shutdown, state.config.sync_poll).await;
            continue;
        }
        // Entries not yet flushed must not leave the node. A peer applies each sequence number
        // once; if this node crashed after sending entries it had not written to disk, it would
        // number its next entries from where the disk left off, and the peer would take them
        // for replays of what it already applied and skip them: those tokens, and the links
        // they make, would be lost on the peer (the likely cause of family links missing once
        // after a SIGKILL mid-import in `tests/faults.rs`). So the store is flushed before the
        // first send of a higher number.
        let last_seq = batch.last().map_or(0, |pending| pending.seq);
        if last_seq > durable_through {
            if let Err(e) = state.store.flush().await {
                tracing::error!(peer, error = %e, "flushing the outbox failed");
                state.set_health(&peer, false, Some(format!("outbox flush: {e}")));
                wait(&wake, &mut shutdown, MAX_BACKOFF).await;
                continue;
            }
            durable_through = last_seq;
        }
        match send(&state, &mut client, &peer, &batch).await {
            Ok(()) => {
                backoff = FIRST_BACKOFF;
                state.set_health(&peer, true, None);
            }
            // An exchange cut off because this node is stopping is not a peer's failure; the
            // batch stays in the outbox for the next start.
            Err(_) if *shutdown.borrow() => return,
            Err(error) => {
                tracing::warn!(peer, %error, "exchange failed; will retry");
                state.set_health(&peer, false, Some(error));
                let jitter = jitter_fraction(&peer) * backoff.as_secs_f64() * 0.5;
                let delay = backoff + Duration::from_secs_f64(jitter);
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = shutdown.changed() => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

async fn wait(wake: &Notify, shutdown: &mut watch::Receiver<bool>, at_most: Duration) {
    tokio::select! {
        _ = wake.notified() => {}
        _ = tokio::time::sleep(at_most) => {}
        _ = shutdown.changed() => {}
    }
}

/// A pseudo-random fraction in [0, 1) that differs per peer and per call.
fn jitter_fraction(peer: &str) -> f64 {
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let hash = blake3::hash(&[peer.as_bytes(), &nanos.to_le_bytes()].concat());
    f64::from(u32::from_le_bytes([hash.as_bytes()[0], hash.as_bytes()[1], hash.as_bytes()[2], hash.as_bytes()[3]]))
        / f64::from(u32::MAX)
}

async fn send(
    state: &Arc<NodeState>,
    client: &mut FederationClient<tonic::transport::Channel>,
    peer: &str,
    batch: &[PendingOp],
) -> Result<(), String> {
    let first_seq = batch[0].seq;
    let mut expected_tokens = 0;
    let ops = batch
        .iter()
        .map(|pending| pb::ExchangeOp {
            op: Some(match &pending.op {
                OutboxOp::Add { peer_ref, tokens, .. } => {
                    expected_tokens += tokens.len();
                    pb::exchange_op::Op::Add(pb::TokenSet {
                        r#ref: peer_ref.to_vec(),
                        tokens: tokens.iter().map(|(_, t)| t.to_vec()).collect(),
                    })
                }
                OutboxOp::Withdraw { peer_ref, replaced } => {
                    let replacement = match replaced {
                        homeward_store::Replaced::No => pb::Replacement::None,
                        homeward_store::Replaced::Resent => pb::Replacement::Resent,
                        homeward_store::Replaced::Remade => pb::Replacement::Remade,
                    };
                    pb::exchange_op::Op::Withdraw(pb::Withdrawal {
                        r#ref: peer_ref.to_vec(),
                        replacement: replacement as i32,
                    })
                }
                OutboxOp::Rekey => pb::exchange_op::Op::Rekey(pb::Rekey {}),
                OutboxOp::Reanswer { their_ref, answers } => pb::exchange_op::Op::Reanswer(pb::Reanswer {
                    receiver_ref: their_ref.to_vec(),
                    old: answers.iter().map(|(old, _)| old.to_vec()).collect(),
                    new: answers.iter().map(|(_, new)| new.to_vec()).collect(),
                }),
                OutboxOp::Pair { our_ref, their_ref, layout, tokens, .. } => {
                    expected_tokens += tokens.len();
                    pb::exchange_op::Op::Pair(pb::PairFields {
                        sender_ref: our_ref.to_vec(),
                        receiver_ref: their_ref.to_vec(),
                        layout: layout.clone(),
                        tokens: tokens.iter().map(|t| t.to_vec()).collect(),
                    })
                }
                // Encoded by this node from a `pb::FollowUp`; an undecodable one (a damaged
                // store) goes as an empty message, which the peer refuses loudly.
                OutboxOp::Message(bytes) => {
                    pb::exchange_op::Op::FollowUp(pb::FollowUp::decode(bytes.as_slice()).unwrap_or_default())
                }
                OutboxOp::Note { our_ref, their_ref, role } => pb::exchange_op::Op::Note(pb::LinkNote {
                    sender_ref: our_ref.to_vec(),
                    receiver_ref: their_ref.to_vec(),
                    family_role: if *role == 1 { pb::FamilyRole::Child } else { pb::FamilyRole::Mother } as i32,
                }),
            }),
        })
        .collect();
    let declared_records = state.store.count_persons().unwrap_or(0);
    let request = pb::ExchangeRequest { first_seq, ops, declared_records };
    state.tap("federation.request.sent", &request.encode_to_vec());
    let mut grpc_request = tonic::Request::new(request);
    if let Ok(value) = state.config.country.parse() {
        grpc_request.metadata_mut().insert(crate::auth::COUNTRY_HEADER, value);
    }
    let response =
        client.exchange(grpc_request).await.map_err(|s| format!("{:?}: {}", s.code(), s.message()))?.into_inner();
    state.tap("federation.response.received", &response.encode_to_vec());
    state.set_peer_keys_version(peer, response.keys_version);
    if response.reblinded.len() != expected_tokens {
        return Err(format!("peer answered {} tokens for {expected_tokens}", response.reblinded.len()));
    }
    let mut answers = Vec::with_capacity(expected_tokens);
    for d in &response.reblinded {
        let d: [u8; 32] =
            d.as_slice().try_into().map_err(|_| "peer answered a token that is not 32 bytes".to_string())?;
        answers.push(d);
    }
    let state = state.clone();
    let peer = peer.to_string();
    let batch = batch.to_vec();
    // No flush here: an acknowledgement lost in a crash only means the batch is sent again, and
    // the peer answers a replay with the same tokens (re-blinding is deterministic).
    let task_state = state.clone();
    tokio::task::spawn_blocking(move || {
        task_state.with_policy(|policy| task_state.store.ack_outbox(&peer, &batch, &answers, policy)).map(|_| ())
    })
    .await
    .map_err(|e| format!("acknowledgement task: {e}"))?
    .map_err(|e| format!("storing the acknowledgement: {e}"))?;
    // New links wait for their pair round.
    state.pair_wake.notify_one();
    Ok(())
}
