//! Turning records into blinded tokens, and re-blinding a peer's tokens, on every core and off
//! the async runtime (callers run these inside `spawn_blocking`).

use homeward_core::matching::{FamilyRole, KeyKind, MatchKey, fingerprint_of, match_keys};
use homeward_core::person::Person;
use homeward_core::token::{NodeSecret, TokenError, hash_to_point};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// Tokens this process has hashed and blinded (match keys and pair-round fields) and peer tokens
/// it has re-blinded, since it started: what `homeward bench federation` compares with the
/// floor, because the pair rounds blind and re-blind tokens beyond the match keys.
static BLINDED: AtomicU64 = AtomicU64::new(0);
static REBLINDED: AtomicU64 = AtomicU64::new(0);

/// `(blinded, re-blinded)` tokens since the process started, over every node it runs.
pub fn operations() -> (u64, u64) {
    (BLINDED.load(Ordering::Relaxed), REBLINDED.load(Ordering::Relaxed))
}

/// Hashes `inputs` (`(domain, value)`) to the group and blinds them, on the calling thread.
pub fn blind_inputs(federation: &str, secret: &NodeSecret, inputs: &[(&str, Vec<u8>)]) -> Vec<[u8; 32]> {
    hash_and_blind(federation, secret, inputs.iter().map(|(domain, input)| (*domain, input.as_slice())))
}

/// Hashes `(domain, value)` pairs to the group and blinds them, counting them in
/// [`operations`]: every blinding of this process goes through here.
fn hash_and_blind<'a>(
    federation: &str,
    secret: &NodeSecret,
    inputs: impl Iterator<Item = (&'a str, &'a [u8])>,
) -> Vec<[u8; 32]> {
    let points: Vec<_> = inputs.map(|(domain, value)| hash_to_point(federation, domain, value)).collect();
    BLINDED.fetch_add(points.len() as u64, Ordering::Relaxed);
    secret.blind_batch(&points)
}

/// Most tokens hashed, multiplied and compressed together by one worker: large enough that the
/// batch compression's single inversion is amortised, small enough to spread over the cores.
pub const CRYPTO_CHUNK: usize = 512;

/// Chunk size for `n` tokens: at least two chunks per core when there is enough work.
fn chunk_size(n: usize) -> usize {
    let per_worker = n.div_ceil(2 * rayon::current_num_threads().max(1));
    per_worker.clamp(32, CRYPTO_CHUNK)
}

/// Blinds many records at once: match keys are derived in parallel, then every token of every
/// record is hashed to the group, multiplied and batch-compressed in chunks over all cores.
pub fn blind_persons(
    federation: &str,
    secret: &NodeSecret,
    persons: &[Person],
    today: (u16, u8, u8),
) -> Vec<Vec<(u8, [u8; 32])>> {
    let keys: Vec<Vec<MatchKey>> = persons.par_iter().map(|p| match_keys(p, today)).collect();
    blind_keys(federation, secret, &keys)
}

/// One record's blinded tokens with the fingerprint of the derivation that made them
/// ([`fingerprint_of`]).
pub type Fingerprinted = (Vec<(u8, [u8; 32])>, [u8; 32]);

/// [`blind_persons`], each record's tokens beside their derivation's fingerprint, kept with the
/// record so that an upgrade's remake re-sends only what the upgrade changed. The keys are
/// derived once for both.
pub fn blind_persons_fingerprinted(
    federation: &str,
    secret: &NodeSecret,
    persons: &[Person],
    today: (u16, u8, u8),
) -> Vec<Fingerprinted> {
    let keys: Vec<Vec<MatchKey>> = persons.par_iter().map(|p| match_keys(p, today)).collect();
    let fingerprints: Vec<[u8; 32]> = persons.par_iter().zip(&keys).map(|(p, k)| fingerprint_of(p, k)).collect();
    blind_keys(federation, secret, &keys).into_iter().zip(fingerprints).collect()
}

/// Every key of every record hashed to the group, multiplied and batch-compressed in chunks over
/// all cores; the tokens come back record by record. For callers that derived the keys already
/// (a remake compares fingerprints before it blinds).
pub fn blind_keys(federation: &str, secret: &NodeSecret, keys: &[Vec<MatchKey>]) -> Vec<Vec<(u8, [u8; 32])>> {
    let flat: Vec<&MatchKey> = keys.iter().flatten().collect();
    let size = chunk_size(flat.len());
    let blinded: Vec<[u8; 32]> = if flat.len() <= size {
        blind_chunk(federation, secret, &flat)
    } else {
        flat.par_chunks(size).flat_map_iter(|chunk| blind_chunk(federation, secret, chunk)).collect()
    };
    let mut answers = blinded.into_iter();
    keys.iter()
        .map(|record| record.iter().zip(answers.by_ref()).map(|(key, t)| (key.kind as u8, t)).collect())
        .collect()
}

fn blind_chunk(federation: &str, secret: &NodeSecret, keys: &[&MatchKey]) -> Vec<[u8; 32]> {
    hash_and_blind(federation, secret, keys.iter().map(|key| (key.kind.hash_domain(), key.value.as_slice())))
}

/// Re-blinded tokens, or the index of the first invalid token and why.
pub type Reblinded = Result<Vec<[u8; 32]>, (usize, TokenError)>;

/// Re-blinds a peer's tokens in parallel chunks; one invalid token refuses the whole batch
/// (the index returned is that of the first invalid token found).
pub fn reblind_all(secret: &NodeSecret, tokens: &[&[u8]]) -> Reblinded {
    REBLINDED.fetch_add(tokens.len() as u64, Ordering::Relaxed);
    let size = chunk_size(tokens.len());
    if tokens.len() <= size {
        return secret.reblind_batch(tokens);
    }
    let chunks: Vec<Reblinded> = tokens
        .par_chunks(size)
        .enumerate()
        .map(|(c, chunk)| secret.reblind_batch(chunk).map_err(|(i, e)| (c * size + i, e)))
        .collect();
    let mut out = Vec::with_capacity(tokens.len());
    for chunk in chunks {
        out.extend(chunk?);
    }
    Ok(out)
}

/// Threads the crypto runs on (rayon's global pool: one per core unless configured).
pub fn worker_threads() -> usize {
    rayon::current_num_threads()
}

/// The floor of one token's crypto on one core, in seconds: one hash-to-group plus one
/// variable-base scalar multiplication (no compression), timed over `samples` distinct keys.
pub fn floor_seconds_per_token(secret: &NodeSecret, samples: usize) -> f64 {
    let samples = samples.max(1);
    let start = std::time::Instant::now();
    for i in 0..samples as u64 {
        let point = hash_to_point("homeward-bench", "floor", &i.to_le_bytes());
        std::hint::black_box(secret.mul_point(std::hint::black_box(&point)));
    }
    start.elapsed().as_secs_f64() / samples as f64
}

/// The link kind (as stored) of a key kind (as stored).
pub fn link_kind_of(kind: u8) -> u8 {
    KeyKind::from_u8(kind).map(|k| k.link_kind().code()).unwrap_or(0)
}

/// Whether a key kind (as stored) is a mark that makes no link on its own ([`KeyKind::is_mark`]).
pub fn is_mark(kind: u8) -> bool {
    KeyKind::from_u8(kind).is_some_and(KeyKind::is_mark)
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

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

pub use homeward_core::person::{civil_from_days, today};
