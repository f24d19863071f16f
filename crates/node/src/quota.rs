//! Metering what each peer asks this node to re-blind. Every re-blinded token is an online
//! guess the peer could test, so a peer gets a rate (tokens per hour, a continuously refilling
//! bucket) and a ceiling on what it may hold here relative to the records it says it has.
//! Follow-up messages, which cost no re-blinding but are each stored, acted on and audited,
//! have a bucket of their own (messages per hour).
//! Refusals are `ResourceExhausted` and go to the audit log (at most once a minute per peer,
//! with a count, so that a flood cannot flood the log).

use crate::config::Limits;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const AUDIT_EVERY: Duration = Duration::from_secs(60);

struct Bucket {
    available: f64,
    messages_available: f64,
    at: Instant,
    last_audit: Option<Instant>,
    refused_since_audit: u64,
}

#[derive(Default)]
pub struct Meter {
    buckets: Mutex<HashMap<String, Bucket>>,
}

/// Why a batch was refused, and whether this refusal should be written to the audit log (with
/// how many refusals it stands for).
#[derive(Debug)]
pub struct Refusal {
    pub message: String,
    pub audit: Option<u64>,
}

impl Meter {
    /// Charges `tokens` re-blinds and `messages` follow-up messages to `peer`, which holds
    /// `held` tokens here and declares `declared` records. Nothing is charged when the batch is
    /// refused.
    pub fn charge(
        &self,
        peer: &str,
        tokens: u64,
        messages: u64,
        held: u64,
        declared: u64,
        limits: &Limits,
    ) -> Result<(), Refusal> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let capacity = limits.tokens_per_hour as f64;
        let message_capacity = limits.followups_per_hour as f64;
        let bucket = buckets.entry(peer.to_string()).or_insert(Bucket {
            available: capacity,
            messages_available: message_capacity,
            at: now,
            last_audit: None,
            refused_since_audit: 0,
        });
        let hours = now.duration_since(bucket.at).as_secs_f64() / 3600.0;
        bucket.available = (bucket.available + hours * capacity).min(capacity);
        bucket.messages_available = (bucket.messages_available + hours * message_capacity).min(message_capacity);
        bucket.at = now;
        let ceiling =
            declared.min(limits.max_declared_records).saturating_mul(limits.max_tokens_per_record) + limits.token_slack;
        let message = if held.saturating_add(tokens) > ceiling {
            Some(format!(
                "quota: {peer} would hold {} tokens here, more than its {declared} declared records allow ({ceiling})",
                held.saturating_add(tokens)
            ))
        } else if tokens as f64 > bucket.available {
            let wait = (tokens as f64 - bucket.available) * 3600.0 / capacity.max(1.0);
            Some(format!("quota: {peer} exceeded {} tokens per hour; retry in {wait:.0} s", limits.tokens_per_hour))
        } else if messages as f64 > bucket.messages_available {
            let wait = (messages as f64 - bucket.messages_available) * 3600.0 / message_capacity.max(1.0);
            Some(format!(
                "quota: {peer} exceeded {} follow-up messages per hour; retry in {wait:.0} s",
                limits.followups_per_hour
            ))
        } else {
            None
        };
        match message {
            None => {
                bucket.available -= tokens as f64;
                bucket.messages_available -= messages as f64;
                Ok(())
            }
            Some(message) => {
                bucket.refused_since_audit += 1;
                let audit = match bucket.last_audit {
                    Some(at) if now.duration_since(at) < AUDIT_EVERY => None,
                    _ => {
                        bucket.last_audit = Some(now);
                        Some(std::mem::take(&mut bucket.refused_since_audit))
                    }
                };
                Err(Refusal { message, audit })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_and_ceiling() {
        let limits = Limits { tokens_per_hour: 1000, max_tokens_per_record: 10, token_slack: 0, ..Limits::default() };
        let meter = Meter::default();
        assert!(meter.charge("KZ", 600, 0, 0, 100, &limits).is_ok());
        let refused = meter.charge("KZ", 600, 0, 600, 1000, &limits).unwrap_err();
        assert!(refused.message.contains("per hour"), "{}", refused.message);
        assert_eq!(refused.audit, Some(1));
        // Refused again within the minute: not audited again.
        assert!(meter.charge("KZ", 600, 0, 600, 1000, &limits).unwrap_err().audit.is_none());
        // Another peer has its own bucket.
        assert!(meter.charge("UZ", 400, 0, 0, 100, &limits).is_ok());
        // Ceiling: 100 records × 10 tokens.
        let refused = meter.charge("UZ", 200, 0, 900, 100, &limits).unwrap_err();
        assert!(refused.message.contains("declared"), "{}", refused.message);
        // What was refused was not charged.
        assert!(meter.charge("KZ", 400, 0, 600, 1000, &limits).is_ok());
    }

    #[test]
    fn follow_up_messages_have_a_rate_of_their_own() {
        let limits = Limits { tokens_per_hour: 1000, followups_per_hour: 100, ..Limits::default() };
        let meter = Meter::default();
        assert!(meter.charge("KZ", 10, 80, 0, 100, &limits).is_ok());
        let refused = meter.charge("KZ", 10, 30, 10, 100, &limits).unwrap_err();
        assert!(refused.message.contains("100 follow-up messages per hour"), "{}", refused.message);
        // Neither the tokens nor the messages of the refused batch were charged.
        assert!(meter.charge("KZ", 990, 20, 10, 100, &limits).is_ok());
        assert!(meter.charge("UZ", 0, 100, 0, 100, &limits).is_ok());
    }
}
