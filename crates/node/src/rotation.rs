//! Key rotation: replaces the node's secret blinding scalar `a` by a fresh `a'`, offline (the
//! node stopped; sled's lock refuses a second opener).
//!
//! 1. The tokens this node holds for each peer (`D = a·T`) are rewritten in place to
//!    `a'·T = (a'/a)·D`, one atomic batch per peer, marked done so a resumed rotation never
//!    applies the factor twice. These are also the answers the peer holds for its own tokens,
//!    so each reference's old and new answers are queued for the peer in the same batch
//!    (`Reanswer`): the peer replaces its answers without re-sending anything. The factor
//!    never leaves the node (from `D` and `(a'/a)·D` it cannot be computed).
//! 2. Every record's tokens are made again with `a'` and queued for every peer as a withdrawal
//!    and an addition (plus a note of our side of each family link); the peers re-blind them
//!    as usual when the node is back. Queued after the re-answers, they reach each peer when
//!    its records' answers are already the new key's, so the peer replaces each record's links
//!    with the same links, in one transaction: no link disappears on either side.
//! 3. The new key replaces the old file atomically; the old key's bytes are overwritten.
//!
//! A crash at any point is finished by running the rotation again; the node refuses to start
//! while a rotation is unfinished.

use crate::config::Resolved;
use crate::crypto::{blind_keys, reblind_all, today};
use crate::secrets::{Secrets, read_32, write_private};
use crate::state::NodeState;
use anyhow::Context;
use homeward_core::matching::{MatchKey, fingerprint_of, match_keys};
use homeward_core::token::NodeSecret;
use homeward_store::{Replaced, Store};
use rayon::prelude::*;
use std::io::Write;
use std::sync::atomic::Ordering;

pub const PENDING: &str = "rotation.pending";
const CHUNK: usize = 256;

#[derive(Debug, Default, serde::Serialize)]
pub struct RotationReport {
    pub peer_tokens_rewritten: usize,
    pub records_requeued: usize,
    pub operations_queued: usize,
}

pub fn rotate(config: &Resolved) -> anyhow::Result<RotationReport> {
    let dir = &config.data_dir;
    let key_path = dir.join("blinding.key");
    let next_path = dir.join("blinding.key.next");
    anyhow::ensure!(
        dir.join("store").join("db").is_file(),
        "{} holds no store: a node rotates its key once it has started (is data_dir the node's?)",
        dir.display()
    );
    let store = Store::open(&dir.join("store")).context("open the store (is the node still running?)")?;
    let pending = store.meta(PENDING)?.is_some();
    let mut report = RotationReport::default();
    let peers = config.peer_countries();
    if pending && !next_path.exists() {
        // The new key is already in place: only the bookkeeping is left.
        finish(&store, &peers)?;
        return Ok(report);
    }
    let current = Secrets::load(dir, false)?;
    let next = match read_32(&next_path)? {
        Some(bytes) => NodeSecret::from_bytes(bytes).context("blinding.key.next holds no valid scalar")?,
        None => {
            let secret = NodeSecret::generate()?;
            write_private(&next_path, &secret.to_bytes())?;
            secret
        }
    };
    store.set_meta(PENDING, b"1")?;
    store.flush_blocking()?;

    // 1. What we hold of every peer, moved to the new key.
    let factor = NodeSecret::rotation_factor(&current.blinding, &next);
    for peer in &peers {
        report.peer_tokens_rewritten += store.rotate_peer_tokens(peer, &format!("rotation.done.{peer}"), |ds| {
            let refs: Vec<&[u8]> = ds.iter().map(|d| d.as_slice()).collect();
            // Stored tokens were checked when they arrived; a failure here is corruption.
            reblind_all(&factor, &refs).unwrap_or_default()
        })?;
    }

    // 2. Our tokens, made again with the new key and queued for every peer.
    let requeued =
        requeue_all(config, &store, &next, current.ref_key, &peers, Replaced::Resent, today(), |_| true, |_| true)?;
    report.records_requeued = requeued.requeued;
    report.operations_queued = requeued.operations;
    // The tokens are this version's now.
    store.set_meta(KEYS_VERSION_META, homeward_core::matching::KEYS_VERSION.to_string().as_bytes())?;
    store.audit(
        "admin:keys",
        "keys.rotate",
        "",
        &format!(
            "peer_tokens={} records={} ops={}",
            report.peer_tokens_rewritten, report.records_requeued, report.operations_queued
        ),
    )?;
    store.flush_blocking()?;

    // 3. The new key in place; the old one's bytes overwritten.
    let old = std::fs::OpenOptions::new().write(true).open(&key_path).context("open the old key")?;
    std::fs::rename(&next_path, &key_path).context("put the new key in place")?;
    if let Ok(parent) = std::fs::File::open(dir) {
        let _ = parent.sync_all();
    }
    let mut old = old;
    old.write_all(&[0u8; 32])?;
    old.sync_all()?;
    finish(&store, &peers)?;
    Ok(report)
}

/// Makes the tokens of every record that `select` takes again with `secret`, as on `today`,
/// and queues them for every peer as a withdrawal marked `replaced` and an addition (see
/// [`Store::requeue_for_rotation`]). [`Replaced::Remade`]: `secret` is the key that made them
/// before (a remake), so a record whose derivation fingerprint has not moved since its tokens
/// were last queued is left alone (not even blinded). `chunk_done` is told the records of each
/// chunk read and stops the work when it returns false.
#[allow(clippy::too_many_arguments)]
pub(crate) fn requeue_all(
    config: &Resolved,
    store: &Store,
    secret: &NodeSecret,
    ref_key: [u8; 32],
    peers: &[String],
    replaced: Replaced,
    today: (u16, u8, u8),
    select: impl Fn(&homeward_core::Person) -> bool,
    mut chunk_done: impl FnMut(usize) -> bool,
) -> anyhow::Result<Requeued> {
    let mut done = Requeued::default();
    let mut after: Option<String> = None;
    let remade = replaced == Replaced::Remade;
    loop {
        let read = store.list_persons(after.as_deref(), CHUNK)?;
        let Some(last) = read.last() else { break };
        after = Some(last.person.record_id.clone());
        let rows: Vec<_> = read.iter().filter(|r| select(&r.person)).collect();
        // Each record's keys are derived once: for its fingerprint, and to blind it if changed.
        let derived: Vec<(Vec<MatchKey>, [u8; 32])> = rows
            .par_iter()
            .map(|r| {
                let keys = match_keys(&r.person, today);
                let fingerprint = fingerprint_of(&r.person, &keys);
                (keys, fingerprint)
            })
            .collect();
        let mut changed = Vec::with_capacity(rows.len());
        let mut changed_keys = Vec::with_capacity(rows.len());
        for (row, (keys, fingerprint)) in rows.iter().zip(derived) {
            if remade && store.fingerprint(&row.person.record_id)? == Some(fingerprint) {
                done.unchanged += 1;
            } else {
                changed.push((row, fingerprint));
                changed_keys.push(keys);
            }
        }
        let tokens = blind_keys(&config.federation, secret, &changed_keys);
        let (records, fingerprints): (Vec<homeward_store::Resend>, Vec<[u8; 32]>) = changed
            .iter()
            .zip(tokens)
            .filter(|(_, t)| !t.is_empty())
            .map(|((r, fingerprint), t)| ((r.person.record_id.clone(), r.generation, t), *fingerprint))
            .unzip();
        // Nothing to queue (the usual day of the coming-of-age check): no empty commit either.
        let (operations, unchanged) = if records.is_empty() {
            (0, 0)
        } else {
            crate::state::with_link_policy(ref_key, |policy| {
                store.requeue_for_rotation(&records, &fingerprints, peers, replaced, policy)
            })?
        };
        done.records += read.len();
        done.unchanged += unchanged;
        done.requeued += records.len() - unchanged;
        done.operations += operations;
        if !chunk_done(read.len()) {
            break;
        }
    }
    Ok(done)
}

/// What [`requeue_all`] did: records read, left alone as unchanged, queued again, and the
/// operations queued.
#[derive(Debug, Default)]
pub(crate) struct Requeued {
    pub records: usize,
    pub unchanged: usize,
    pub requeued: usize,
    pub operations: usize,
}

/// Meta key: the version of normalisation and match keys
/// ([`KEYS_VERSION`](homeward_core::matching::KEYS_VERSION)) that made the node's tokens.
pub const KEYS_VERSION_META: &str = "keys.version";

/// Whether the node's tokens must be made again because an earlier version of Homeward made
/// them (or one that kept no version): a changed folding rule or key kind makes other tokens
/// for some records, which the peers' tokens of the same person, made by the new version, would
/// no longer meet. Returns the version that made them (`Some(None)`: none recorded) when a
/// remake is due, `None` when the tokens are this version's. A store with no records is
/// simply marked as this version's. A store that a newer version wrote is refused.
pub fn stale_tokens(store: &Store) -> anyhow::Result<Option<Option<u32>>> {
    let current = homeward_core::matching::KEYS_VERSION;
    let stored = match store.meta(KEYS_VERSION_META)? {
        None => None,
        Some(bytes) => Some(
            std::str::from_utf8(&bytes)
                .ok()
                .and_then(|text| text.parse::<u32>().ok())
                .with_context(|| format!("the store's {KEYS_VERSION_META} is not a version number"))?,
        ),
    };
    match stored {
        Some(version) if version == current => return Ok(None),
        Some(version) if version > current => anyhow::bail!(
            "the node's tokens were made by a newer Homeward (match keys version {version}, this one {current}); \
             run the newer version"
        ),
        _ => {}
    }
    if store.count_persons()? == 0 {
        store.set_meta(KEYS_VERSION_META, current.to_string().as_bytes())?;
        store.flush_blocking()?;
        return Ok(None);
    }
    Ok(Some(stored))
}

/// Makes the node's tokens again with this version's match keys, while the node serves (see
/// [`stale_tokens`]): every record whose derivation fingerprint
/// ([`derivation_fingerprint`]) moved since its tokens were last queued by a remake or rotation
/// (or that has none: enrolled or changed since, or made before fingerprints were kept) has its
/// tokens made with the same key and queued for every peer as in a rotation (withdraw, add,
/// family notes), a chunk at a time; the others are left alone. The peers re-blind
/// them when they are next reached, and each side replaces the record's links with those the
/// new tokens find in one transaction (the peer when it applies the batch, this node when it
/// applies the answer), so the links do not disappear meanwhile. Unlike a rotation, the peers
/// need not re-send theirs: the key is the same (a peer whose own tokens are stale remakes them
/// at its own upgrade). `state.records_to_remake` counts down as chunks are
/// queued (`homeward status` shows it). Enrolments, updates and erasures meanwhile queue their
/// own tokens (a record changed since its chunk was read is skipped). When `stop` turns true
/// the work ends between chunks without recording the version, so the next start goes over the
/// records again from the beginning, and the fingerprints kept with the chunks already queued
/// leave those alone (queueing them again would change no outcome either).
pub fn remake_stale_tokens(
    state: &NodeState,
    from: Option<u32>,
    stop: &tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let (config, store) = (&state.config, &state.store);
    let current = homeward_core::matching::KEYS_VERSION;
    let peers = config.peer_countries();
    let mut stopped = false;
    let (secret, ref_key) = (&state.secrets.blinding, state.secrets.ref_key);
    let done = requeue_all(
        config,
        store,
        secret,
        ref_key,
        &peers,
        Replaced::Remade,
        today(),
        |_| true,
        |chunk| {
            let left = state.records_to_remake.load(Ordering::Relaxed).saturating_sub(chunk as u64);
            state.records_to_remake.store(left, Ordering::Relaxed);
            state.wake_all();
            stopped = *stop.borrow();
            !stopped
        },
    )?;
    if stopped {
        tracing::info!(records = done.records, "node stopping: the tokens' remake goes on at the next start");
        return Ok(());
    }
    // No request that the peers re-send theirs: with the key unchanged, what we hold of them
    // still meets what we now send. Each peer replaces its links with a record when the
    // record's withdrawal and addition arrive (together, in one batch), and we replace ours
    // when it acknowledges them; both sides then run the links' pair rounds again.
    let from = from.map_or_else(|| "none recorded".to_string(), |v| v.to_string());
    store.audit(
        "node",
        "keys.remake",
        "",
        &format!(
            "match keys version {from} -> {current}: records={} remade={} unchanged={} ops={}",
            done.records, done.requeued, done.unchanged, done.operations
        ),
    )?;
    store.set_meta(KEYS_VERSION_META, current.to_string().as_bytes())?;
    store.flush_blocking()?;
    state.records_to_remake.store(0, Ordering::Relaxed);
    state.wake_all();
    tracing::info!(
        records = done.records,
        remade = done.requeued,
        unchanged = done.unchanged,
        operations = done.operations,
        from = %from,
        to = current,
        "tokens made again by this version's match keys"
    );
    Ok(())
}

fn finish(store: &Store, peers: &[String]) -> anyhow::Result<()> {
    for peer in peers {
        store.remove_meta(&format!("rotation.done.{peer}"))?;
    }
    store.remove_meta(PENDING)?;
    store.flush_blocking()?;
    Ok(())
}
