//! Turning records into blinded tokens, and re-blinding a peer's tokens, on every core and off
//! the async runtime (callers run these inside `spawn_blocking`).

use homeward_core::matching::{FamilyRole, KeyKind, match_keys};
use homeward_core::person::Person;
use homeward_core::token::{NodeSecret, TokenError, hash_to_point};
use rayon::prelude::*;

/// The blinded tokens of one record: (key kind, `a·P`).
pub fn blind_person(
    federation: &str,
    secret: &NodeSecret,
    person: &Person,
    today: (u16, u8, u8),
) -> Vec<(u8, [u8; 32])> {
    match_keys(person, today)
        .into_iter()
        .map(|key| {
            let point = hash_to_point(federation, key.kind.hash_domain(), &key.value);
            (key.kind as u8, secret.blind(&point))
        })
        .collect()
}

/// Blinds many records at once, in parallel.
pub fn blind_persons(
    federation: &str,
    secret: &NodeSecret,
    persons: &[Person],
    today: (u16, u8, u8),
) -> Vec<Vec<(u8, [u8; 32])>> {
    persons.par_iter().map(|p| blind_person(federation, secret, p, today)).collect()
}

/// Re-blinds a peer's tokens in parallel; one invalid token refuses the whole batch.
pub fn reblind_all(secret: &NodeSecret, tokens: &[&[u8]]) -> Result<Vec<[u8; 32]>, (usize, TokenError)> {
    tokens.par_iter().enumerate().map(|(i, t)| secret.reblind(t).map_err(|e| (i, e))).collect()
}

/// The link kind (as stored) of a key kind (as stored).
pub fn link_kind_of(kind: u8) -> u8 {
    KeyKind::from_u8(kind).map(|k| k.link_kind().code()).unwrap_or(0)
}

/// The family role code (1 child, 2 mother) of a key kind (as stored), if it is a family kind.
pub fn family_role_of(kind: u8) -> Option<u8> {
    KeyKind::from_u8(kind).and_then(KeyKind::family_role).map(role_code)
}

pub fn role_code(role: FamilyRole) -> u8 {
    match role {
        FamilyRole::Child => 1,
        FamilyRole::Mother => 2,
    }
}

/// Today's civil date (UTC) as (year, month, day).
pub fn today() -> (u16, u8, u8) {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    civil_from_days((secs / 86_400) as i64)
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's algorithm.
pub fn civil_from_days(days: i64) -> (u16, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((if m <= 2 { y + 1 } else { y }) as u16, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1, 1));
        assert_eq!(super::civil_from_days(20_785), (2026, 11, 28));
    }
}
