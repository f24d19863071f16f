//! Children who come of age. A record's family keys depend on the day they are made: a minor's
//! record describes its recorded mother, an adult woman's record describes herself (see
//! `homeward_core::matching::keys`). Tokens are made when a record is enrolled or changed, so a
//! girl enrolled at 17 would go on looking for her mother, and never be found by her own
//! children's records, until something made her tokens again. Once a day (and when the node
//! starts) this task finds the records whose side changed since the last check — those whose
//! 18th birthday fell in between — makes their tokens again as on that day and queues them for
//! every peer as a changed record's are (withdrawal, addition: the peers forget the record's
//! family role and find its links again).

use crate::rotation::requeue_all;
use crate::state::NodeState;
use homeward_store::Replaced;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Meta key: the last day (`YYYY-MM-DD`) whose comings of age were queued.
pub const CHECKED_META: &str = "age.checked";

/// How often the task looks whether the day has changed.
const EVERY: Duration = Duration::from_secs(3600);

/// Queues again the tokens of every record that was a minor on `since` and is not on `today`
/// (or the reverse, were a birth date to move that way), made as on `today`. Returns how many.
pub fn requeue_come_of_age(state: &NodeState, since: (u16, u8, u8), today: (u16, u8, u8)) -> anyhow::Result<usize> {
    let config = &state.config;
    let peers = config.peer_countries();
    let (secret, ref_key) = (&state.secrets.blinding, state.secrets.ref_key);
    let select = |person: &homeward_core::Person| person.is_minor_on(since) != person.is_minor_on(today);
    let done = requeue_all(config, &state.store, secret, ref_key, &peers, Replaced::No, today, select, |_| true)?;
    if done.requeued > 0 {
        state.store.audit(
            "node",
            "records.came_of_age",
            "",
            &format!(
                "from {} to {}: records={} ops={}",
                format_day(since),
                format_day(today),
                done.requeued,
                done.operations
            ),
        )?;
        state.store.flush_blocking()?;
        state.wake_all();
    }
    Ok(done.requeued)
}

/// One check: when the day moved on since the last one, queues the records that came of age
/// in between and records the day. A node without a day recorded records today (its records'
/// tokens were made on or after their enrolment, by this or an upgrade's remake).
pub fn check(state: &NodeState, today: (u16, u8, u8)) -> anyhow::Result<usize> {
    let checked = match state.store.meta(CHECKED_META)? {
        Some(bytes) => Some(parse_day(&bytes).ok_or_else(|| {
            anyhow::anyhow!("the store's {CHECKED_META} is not a date: {}", String::from_utf8_lossy(&bytes))
        })?),
        None => None,
    };
    let queued = match checked {
        Some(since) if since < today => requeue_come_of_age(state, since, today)?,
        Some(_) => return Ok(0),
        None => 0,
    };
    state.store.set_meta(CHECKED_META, format_day(today).as_bytes())?;
    state.store.flush_blocking()?;
    Ok(queued)
}

/// Records `today` as checked on a store that has no day recorded (a new node: its records'
/// tokens will all be made from today on), before the node serves, so that the first check
/// finds nothing to do and writes nothing while the node already answers. A store with a day
/// recorded is left to [`run`], which may have records to queue.
pub fn record_first_day(state: &NodeState, today: (u16, u8, u8)) -> anyhow::Result<()> {
    if state.store.meta(CHECKED_META)?.is_none() {
        state.store.set_meta(CHECKED_META, format_day(today).as_bytes())?;
    }
    Ok(())
}

/// Checks when the node starts and every hour until `stop` turns true.
pub async fn run(state: Arc<NodeState>, mut stop: watch::Receiver<bool>) {
    loop {
        let task_state = state.clone();
        match tokio::task::spawn_blocking(move || check(&task_state, crate::crypto::today())).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(records = n, "records that came of age sent again with their new family keys"),
            Ok(Err(error)) => {
                tracing::warn!(error = format!("{error:#}"), "checking for records that came of age failed")
            }
            Err(_) => return,
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}

fn format_day((y, m, d): (u16, u8, u8)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn parse_day(bytes: &[u8]) -> Option<(u16, u8, u8)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut parts = text.split('-');
    let day = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    parts.next().is_none().then_some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_and_garbage_is_refused() {
        assert_eq!(parse_day(format_day((2026, 11, 29)).as_bytes()), Some((2026, 11, 29)));
        for bad in ["", "2026-11", "2026-11-29-1", "2026-xx-29", "yesterday"] {
            assert_eq!(parse_day(bad.as_bytes()), None, "{bad}");
        }
    }
}
