//! Retention: the node's own policy task that erases persons whose cases have all ended
//! (closed or transferred) longer ago than the configured period. Erasure is the same as a
//! caseworker's: personal data removed, tokens withdrawn from every peer through the outbox,
//! an audit entry naming the policy as the actor.

use crate::state::NodeState;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How the audit log names the retention task.
pub const ACTOR: &str = "node:self:retention";

/// Erases every person past retention at `now` (seconds since the epoch). Returns how many.
pub fn erase_expired(state: &NodeState, period: Duration, now: i64) -> homeward_store::Result<usize> {
    let cutoff = now.saturating_sub(period.as_secs().min(i64::MAX as u64) as i64);
    let mut erased = 0;
    for record_id in state.store.persons_past_retention(cutoff)? {
        let refs = state.refs_for(&record_id);
        crate::followup::withdraw_disclosures_of(state, &record_id, ACTOR)?;
        if state.store.erase_person(&record_id, &refs, ACTOR)? {
            erased += 1;
        }
    }
    if erased > 0 {
        state.store.flush_blocking()?;
        state.wake_all();
    }
    Ok(erased)
}

/// Checks for expired persons every `period / 4` (between one second and one hour) until
/// `stop` turns true.
pub async fn run(state: Arc<NodeState>, period: Duration, mut stop: watch::Receiver<bool>) {
    let every = (period / 4).clamp(Duration::from_secs(1), Duration::from_secs(3600));
    loop {
        let now = crate::crypto::unix_now();
        let task_state = state.clone();
        match tokio::task::spawn_blocking(move || erase_expired(&task_state, period, now)).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(erased = n, "retention: erased persons whose cases ended"),
            Ok(Err(error)) => tracing::error!(%error, "retention run failed"),
            Err(error) => tracing::error!(%error, "retention task panicked"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
    }
}
