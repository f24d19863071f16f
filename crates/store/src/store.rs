//! The store: every read and write of a node's state.

use crate::audit::{AuditEntry, AuditVerdict, GENESIS};
use crate::keys;
use crate::outbox::{OutboxOp, PendingOp, Replaced};
use crate::tokens::{IndexOp, TokenIndex, fingerprints};
use crate::txn::Txn;
use crate::{Result, StoreError};
use homeward_core::person::Person;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Mutex;

/// A person as stored, with the generation that ties outbox answers to this version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRow {
    pub person: Person,
    pub generation: u64,
    pub create_time: i64,
    pub update_time: i64,
}

/// A link as stored: which key kinds agree, and when. Status and score are derived from the
/// kinds by the node's thresholds when read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRow {
    pub kinds: u64,
    pub create_time: i64,
    pub update_time: i64,
}

/// A link with its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLink {
    pub record_id: String,
    pub peer: String,
    pub peer_ref: [u8; 16],
    pub link_kind: u8,
    pub row: LinkRow,
}

/// A record's blinded tokens (key kind, token) and, when known, the fingerprint of the
/// derivation that made them.
pub type Derived<'a> = (&'a [(u8, [u8; 32])], Option<&'a [u8; 32]>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutMode {
    /// Refuse if the record exists.
    Create,
    /// Refuse if the record does not exist.
    Replace,
    /// Create or replace (imports).
    Upsert,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Created,
    Updated,
    Unchanged,
}

/// A peer reference with the re-blinded tokens held for it.
pub type RefTokens = ([u8; 16], Vec<[u8; 32]>);

/// One anti-entropy repair: our reference at the peer, and the record to re-send (id,
/// generation, fresh tokens), or `None` to withdraw the reference.
pub type Repair = ([u8; 16], Option<Resend>);

/// A record to send again: id, generation, fresh tokens (key kind, `a·P`).
pub type Resend = (String, u64, Vec<(u8, [u8; 32])>);

/// One operation of an incoming batch, already re-blinded by the node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncomingOp {
    Add {
        peer_ref: [u8; 16],
        reblinded: Vec<[u8; 32]>,
    },
    /// The peer withdraws its record behind `peer_ref`; `replaced` as in [`OutboxOp::Withdraw`].
    Withdraw {
        peer_ref: [u8; 16],
        replaced: Replaced,
    },
    /// The peer's family role for its record `sender_ref`, about a hit with our record behind
    /// `receiver_ref`. Applied only when both references are known here (we hold the peer's
    /// tokens for `sender_ref`, and `receiver_ref` is ours); otherwise skipped and counted, as
    /// a note can race an erasure or a withdrawal and must not jam the peer's outbox.
    Note {
        sender_ref: [u8; 16],
        receiver_ref: [u8; 16],
        role: u8,
    },
    /// The peer replaced its key: everything we sent it must be sent again (flagged here, done
    /// by the sync task; see [`Store::resend_requested`]). Sent by rotations of earlier versions;
    /// honoured at most once a day per peer ([`REKEY_MIN_INTERVAL_SECS`]).
    Rekey,
    /// The peer replaced its key: its answers to our tokens of our record `receiver_ref`, each
    /// as it was (made with its old key) and as it is now. Our record's answers are replaced
    /// where they hold the old one; its links stay as they are (they held under the old
    /// answers and hold under the new ones: the peer's records will come again under its new
    /// key and meet these). A reference not ours is skipped and counted, like a note.
    Reanswer {
        receiver_ref: [u8; 16],
        answers: Vec<crate::AnswerPair>,
    },
    /// A follow-up message: kept in the inbox, in the same batch as the applied mark, for the
    /// node to act on (see [`Store::inbox`]).
    Message(Vec<u8>),
    /// The peer's pair-round tokens for its record `sender_ref` and our record `receiver_ref`,
    /// re-blinded here. Kept when both references are known here; otherwise skipped and
    /// counted, like a note.
    Pair {
        sender_ref: [u8; 16],
        receiver_ref: [u8; 16],
        layout: Vec<u8>,
        reblinded: Vec<[u8; 32]>,
    },
}

/// Matching policy the store needs when it forms links, supplied by the node so that the store
/// stays free of it: the link kind (as stored) of a key kind, the family role (1 child,
/// 2 mother) of a key kind, whether a key kind is a mark that makes no link on its own (it
/// only qualifies a link other kinds made), and our reference for a record at a peer.
pub struct LinkPolicy<'a> {
    pub link_kind_of: fn(u8) -> u8,
    pub family_role_of: fn(u8) -> Option<u8>,
    pub is_mark: fn(u8) -> bool,
    pub our_ref: &'a (dyn Fn(&str, &str) -> [u8; 16] + Sync),
}

/// sled's cache per store (see [`Store::open`]).
const CACHE_BYTES: u64 = 16 * 1024 * 1024;

/// Opens a sled database, waiting up to two seconds for the file lock of a handle of this
/// process that is being dropped: sled releases it from a background thread, so a store closed
/// and reopened at once (a restart in-process, compaction at open) can find it still held.
/// Another process holding the lock is still refused, after the wait. sled 0.34 panics on some
/// damaged files (a truncated `db`: an index out of bounds while reading its segments); that
/// panic becomes an error here, so that a damaged store is refused with a message.
pub(crate) fn open_db(config: &sled::Config) -> sled::Result<sled::Db> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    let open = || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.open())).unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("no message");
            Err(sled::Error::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the store is damaged and cannot be read ({why}); restore it from a backup"),
            )))
        })
    };
    loop {
        match open() {
            Err(sled::Error::Io(e))
                if e.to_string().contains("could not acquire lock") && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// Meta value naming the store's format, and the format this code reads and writes: 2 keeps
/// each token once, under `O` or `T` (see [`crate::tokens`]).
const FORMAT: &str = "store.format";
const FORMAT_VERSION: u64 = 2;

/// Meta counter of the persons held.
const PERSONS: &str = "persons.count";

/// The meta entry holding what `peer` declares.
fn declared_name(peer: &str) -> String {
    format!("peer.declared.{peer}")
}

/// The stored code of the family link kind.
pub const FAMILY_LINK: u8 = 1;

pub struct Store {
    db: sled::Db,
    pub(crate) kv: sled::Tree,
    writer: Mutex<()>,
    /// Finds matching tokens (see [`crate::tokens`]); rebuilt from `O` and `T` on open.
    tokens: Mutex<TokenIndex>,
    /// Counts committed changes other than audit entries (see [`Store::data_version`]).
    version: std::sync::atomic::AtomicU64,
}

/// Lower-case hex of an opaque reference, for audit details.
fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Least time between two re-send requests (`Rekey`, sent by rotations of earlier versions)
/// of one peer that this node honours; one sooner is counted in the batch's audit entry and
/// changes nothing else.
pub const REKEY_MIN_INTERVAL_SECS: u64 = 24 * 3600;

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

pub(crate) fn corrupt(key: &[u8], reason: impl ToString) -> StoreError {
    StoreError::Corrupt { key: String::from_utf8_lossy(key).into_owned(), reason: reason.to_string() }
}

pub(crate) fn decode_json<T: for<'de> Deserialize<'de>>(key: &[u8], value: &[u8]) -> Result<T> {
    serde_json::from_slice(value).map_err(|e| corrupt(key, e))
}

pub(crate) fn encode_json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain structs of strings and numbers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

impl Store {
    pub fn open(path: &Path) -> Result<Store> {
        // A small cache: five nodes share one process in the demo and the benchmark, and
        // sled's resident memory is several times its nominal cache (measured on 5 × 2,000
        // records: 64 MB per node gave 841 MB peak RSS, 16 MB gave 621 MB at the same speed;
        // 4 MB was 1.7× slower; with the token index, 8 MB was 12% slower at 5 × 10,000 for
        // 27 MB less). HighThroughput cleans log segments lazily: on the same run it converged
        // in 55 s against 76 s in LowSpace mode, for more disk space.
        let db = open_db(&sled::Config::new().path(path).cache_capacity(CACHE_BYTES).mode(sled::Mode::HighThroughput))?;
        let kv = db.open_tree("homeward")?;
        Self::check_format(&kv)?;
        let tokens = Mutex::new(Self::build_index(&kv)?);
        Ok(Store { db, kv, writer: Mutex::new(()), tokens, version: Default::default() })
    }

    /// Refuses a store written in another format, with a message that says so (rather than a
    /// corrupt value found later), and stamps a new store with this one.
    fn check_format(kv: &sled::Tree) -> Result<()> {
        let key = keys::meta(FORMAT);
        match kv.get(&key)? {
            Some(v) if v.as_ref() == FORMAT_VERSION.to_be_bytes() => Ok(()),
            Some(v) => Err(StoreError::FailedPrecondition(format!(
                "this store has format {}, this Homeward reads format {FORMAT_VERSION}: open it with the \
                 Homeward that wrote it, or re-import its records into a new data directory",
                keys::array::<8>(&v).map(u64::from_be_bytes).map_or("?".to_string(), |f| f.to_string())
            ))),
            None if kv.iter().next().is_some() => Err(StoreError::FailedPrecondition(format!(
                "this store was written before store formats were numbered (format 1: a sled key per \
                 token); this Homeward reads format {FORMAT_VERSION}: re-import its records into a new data \
                 directory"
            ))),
            None => {
                kv.insert(key, &FORMAT_VERSION.to_be_bytes())?;
                Ok(())
            }
        }
    }

    pub(crate) fn txn(&self) -> Txn<'_> {
        Txn::new(&self.kv, &self.tokens, &self.version)
    }

    /// A number that changes whenever a change other than an audit entry has committed since
    /// the store opened: a view computed from the store while it read `v` is still current as
    /// long as it reads `v`. (A change bumps it after its batch is on disk.)
    pub fn data_version(&self) -> u64 {
        self.version.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The token index as the tables on disk give it: every `D` under `O` and `T`.
    fn build_index(kv: &sled::Tree) -> Result<TokenIndex> {
        let mut index = TokenIndex::default();
        for item in kv.scan_prefix([keys::OWN_BY_RECORD]) {
            let (k, v) = item?;
            let (record, peer) = keys::split_own_by_record(&k).ok_or_else(|| corrupt(&k, "bad key"))?;
            let points = keys::own_points(&v).ok_or_else(|| corrupt(&k, "bad token list"))?;
            let fingerprints = fingerprints(points.iter().map(|(d, _)| d));
            index.apply_one(IndexOp::AddOwn { peer, record, fingerprints }).map_err(|e| corrupt(&k, e))?;
        }
        for item in kv.scan_prefix([keys::PEER_BY_REF]) {
            let (k, v) = item?;
            let (peer, peer_ref) = keys::split_peer_by_ref(&k).ok_or_else(|| corrupt(&k, "bad key"))?;
            let points = keys::points(&v).ok_or_else(|| corrupt(&k, "bad token list"))?;
            let fingerprints = fingerprints(&points);
            index.apply_one(IndexOp::AddTheirs { peer, peer_ref, fingerprints }).map_err(|e| corrupt(&k, e))?;
        }
        Ok(index)
    }

    /// Whether the in-memory token index holds exactly what the tables on disk give (for
    /// tests: every path that writes tokens must keep it so).
    pub fn token_index_matches_tables(&self) -> Result<bool> {
        let _guard = self.lock();
        let rebuilt = Self::build_index(&self.kv)?;
        let live = self.tokens.lock().unwrap_or_else(|p| p.into_inner());
        Ok(live.entries() == rebuilt.entries())
    }

    /// Tokens the index holds, ours as answered by peers and peers' as we re-blinded them.
    #[cfg(test)]
    fn tokens_indexed(&self) -> usize {
        self.tokens.lock().unwrap_or_else(|p| p.into_inner()).tokens_held()
    }

    /// Writes everything to disk; call before acknowledging what must survive a crash.
    ///
    /// This is sled's synchronous flush, called from async code on purpose: sled 0.34's
    /// `flush_async` never wakes some of its callers when several flush the same tree at once
    /// (spacejam/sled#1308, fixed only in unreleased code), which hung nodes under concurrent
    /// writes. The synchronous flush runs on the blocking pool, so the fsync never holds one
    /// of the runtime's worker threads (this machine has two).
    pub async fn flush(&self) -> Result<()> {
        let db = self.db.clone();
        match tokio::task::spawn_blocking(move || db.flush()).await {
            Ok(flushed) => {
                flushed?;
            }
            // The blocking pool is shutting down: flush here rather than not at all.
            Err(_) => {
                self.db.flush()?;
            }
        }
        Ok(())
    }

    pub fn flush_blocking(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        // A panic while holding the lock leaves no half-written batch (batches are atomic), so
        // a poisoned lock is safe to take.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    // ---- meta -------------------------------------------------------------------------------

    pub fn meta(&self, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.kv.get(keys::meta(name))?.map(|v| v.to_vec()))
    }

    pub fn set_meta(&self, name: &str, value: &[u8]) -> Result<()> {
        let _guard = self.lock();
        self.kv.insert(keys::meta(name), value)?;
        Ok(())
    }

    pub(crate) fn meta_u64(txn: &Txn<'_>, name: &str) -> Result<u64> {
        let key = keys::meta(name);
        match txn.get(&key)? {
            None => Ok(0),
            Some(v) => keys::array::<8>(&v).map(u64::from_be_bytes).ok_or_else(|| corrupt(&key, "not a u64")),
        }
    }

    pub(crate) fn set_meta_u64(txn: &mut Txn<'_>, name: &str, value: u64) {
        txn.insert(keys::meta(name), value.to_be_bytes().to_vec());
    }

    /// Whether `record_id` is held at exactly `generation` (an answer or repair made for an
    /// older version, or for an erased record, is dropped).
    pub(crate) fn is_generation(txn: &Txn<'_>, record_id: &str, generation: u64) -> Result<bool> {
        let key = keys::person(record_id);
        match txn.get(&key)? {
            Some(v) => Ok(decode_json::<PersonRow>(&key, &v)?.generation == generation),
            None => Ok(false),
        }
    }

    // ---- audit ------------------------------------------------------------------------------

    pub(crate) fn append_audit(
        txn: &mut Txn<'_>,
        actor: &str,
        action: &str,
        record_id: &str,
        detail: &str,
    ) -> Result<()> {
        let seq = Self::meta_u64(txn, "audit.next")?;
        let prev_hash = match seq.checked_sub(1) {
            None => GENESIS.to_string(),
            Some(prev) => {
                let key = keys::audit(prev);
                let value = txn.get(&key)?.ok_or_else(|| corrupt(&key, "audit entry missing"))?;
                decode_json::<AuditEntry>(&key, &value)?.hash
            }
        };
        let mut entry = AuditEntry {
            seq,
            time: now(),
            actor: actor.to_string(),
            action: action.to_string(),
            record_id: record_id.to_string(),
            detail: detail.to_string(),
            prev_hash,
            hash: String::new(),
        };
        entry.hash = entry.compute_hash();
        txn.insert(keys::audit(seq), encode_json(&entry));
        Self::set_meta_u64(txn, "audit.next", seq + 1);
        Ok(())
    }

    /// Appends one audit entry on its own (reads of personal data, refusals).
    pub fn audit(&self, actor: &str, action: &str, record_id: &str, detail: &str) -> Result<()> {
        let _guard = self.lock();
        let mut txn = self.txn();
        Self::append_audit(&mut txn, actor, action, record_id, detail)?;
        txn.commit()
    }

    /// Audit entries from `from_seq`, at most `limit`.
    pub fn audit_entries(&self, from_seq: u64, limit: usize) -> Result<Vec<AuditEntry>> {
        let mut out = Vec::new();
        for item in self.kv.range(keys::audit(from_seq)..keys::build(keys::AUDIT + 1, &[])).take(limit) {
            let (k, v) = item?;
            out.push(decode_json(&k, &v)?);
        }
        Ok(out)
    }

    /// Checks the whole chain and names the first entry that does not fit.
    pub fn verify_audit(&self) -> Result<AuditVerdict> {
        let mut expected_seq = 0u64;
        let mut prev_hash = GENESIS.to_string();
        for item in self.kv.scan_prefix([keys::AUDIT]) {
            let (k, v) = item?;
            let seq = keys::array::<8>(&k[1..]).map(u64::from_be_bytes).unwrap_or(u64::MAX);
            let entry: AuditEntry = match serde_json::from_slice(&v) {
                Ok(entry) => entry,
                Err(e) => return Ok(AuditVerdict::Broken { seq, reason: format!("unreadable: {e}") }),
            };
            if seq != expected_seq || entry.seq != seq {
                return Ok(AuditVerdict::Broken { seq: expected_seq, reason: "entry missing or out of place".into() });
            }
            if entry.prev_hash != prev_hash {
                return Ok(AuditVerdict::Broken { seq, reason: "does not chain to the previous entry".into() });
            }
            if entry.compute_hash() != entry.hash {
                return Ok(AuditVerdict::Broken { seq, reason: "content does not match its hash".into() });
            }
            prev_hash = entry.hash;
            expected_seq += 1;
        }
        let next = self.kv.get(keys::meta("audit.next"))?.and_then(|v| keys::array::<8>(&v)).map(u64::from_be_bytes);
        if next.unwrap_or(0) != expected_seq {
            return Ok(AuditVerdict::Broken {
                seq: expected_seq,
                reason: "entries missing at the end of the log".into(),
            });
        }
        Ok(AuditVerdict::Intact { entries: expected_seq })
    }

    /// Overwrites a stored audit entry's bytes. For tamper tests and forensic drills only.
    pub fn overwrite_raw_audit(&self, seq: u64, bytes: &[u8]) -> Result<()> {
        let _guard = self.lock();
        self.kv.insert(keys::audit(seq), bytes)?;
        Ok(())
    }

    pub fn raw_audit(&self, seq: u64) -> Result<Option<Vec<u8>>> {
        Ok(self.kv.get(keys::audit(seq))?.map(|v| v.to_vec()))
    }

    // ---- persons ----------------------------------------------------------------------------

    pub fn get_person(&self, record_id: &str) -> Result<Option<PersonRow>> {
        let key = keys::person(record_id);
        match self.kv.get(&key)? {
            None => Ok(None),
            Some(v) => Ok(Some(decode_json(&key, &v)?)),
        }
    }

    /// Persons in record-id order, strictly after `after`.
    pub fn list_persons(&self, after: Option<&str>, limit: usize) -> Result<Vec<PersonRow>> {
        let start = match after {
            Some(after) => {
                let mut key = keys::person(after);
                key.push(0);
                key
            }
            None => vec![keys::PERSON],
        };
        let mut out = Vec::new();
        for item in self.kv.range(start..vec![keys::PERSON + 1]).take(limit) {
            let (k, v) = item?;
            out.push(decode_json(&k, &v)?);
        }
        Ok(out)
    }

    /// Persons held, from the counter kept in the same batch as every enrolment and erasure
    /// (no scan: the sync task declares it with every Exchange batch).
    pub fn count_persons(&self) -> Result<u64> {
        Self::meta_u64(&self.txn(), PERSONS)
    }

    /// The number of records `peer` declared in its last Exchange (0 if it never has).
    pub fn peer_declared(&self, peer: &str) -> Result<u64> {
        Self::meta_u64(&self.txn(), &declared_name(peer))
    }

    /// Keeps the number of records `peer` declares; a new number is committed like any change
    /// (views computed from the store see it), the same number writes nothing.
    pub fn set_peer_declared(&self, peer: &str, records: u64) -> Result<()> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let name = declared_name(peer);
        if Self::meta_u64(&txn, &name)? == records {
            return Ok(());
        }
        Self::set_meta_u64(&mut txn, &name, records);
        txn.commit()
    }

    /// Every person, for aggregate computations.
    pub fn for_each_person(&self, mut f: impl FnMut(&PersonRow)) -> Result<()> {
        for item in self.kv.scan_prefix([keys::PERSON]) {
            let (k, v) = item?;
            f(&decode_json(&k, &v)?);
        }
        Ok(())
    }

    /// Creates or replaces a person and, in the same atomic batch: drops the tokens and links of
    /// its previous version, queues a withdrawal (for a replaced record) and the new tokens for
    /// every peer, records our per-peer references, and writes the audit entry.
    ///
    /// `peers` holds each peer's country and our reference for this record at that peer.
    /// An unchanged person changes nothing (no outbox entries).
    pub fn put_person(
        &self,
        person: Person,
        mode: PutMode,
        tokens: &[(u8, [u8; 32])],
        peers: &[(String, [u8; 16])],
        actor: &str,
    ) -> Result<(PersonRow, PutOutcome)> {
        self.put_person_fingerprinted(person, mode, (tokens, None), peers, actor)
    }

    /// [`Store::put_person`], keeping with the record the fingerprint of the derivation that
    /// made `tokens` (`homeward_core::matching::fingerprint_of`), as a remake or rotation does
    /// when it sends a record's tokens: a later remake re-sends the record only if its
    /// derivation moved. Without one (`None`), the next remake re-sends it.
    pub fn put_person_fingerprinted(
        &self,
        person: Person,
        mode: PutMode,
        (tokens, fingerprint): Derived<'_>,
        peers: &[(String, [u8; 16])],
        actor: &str,
    ) -> Result<(PersonRow, PutOutcome)> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let key = keys::person(&person.record_id);
        let existing: Option<PersonRow> = match txn.get(&key)? {
            None => None,
            Some(v) => Some(decode_json(&key, &v)?),
        };
        match (&existing, mode) {
            (Some(_), PutMode::Create) => {
                return Err(StoreError::AlreadyExists(format!("person {}", person.record_id)));
            }
            (None, PutMode::Replace) => return Err(StoreError::NotFound(format!("person {}", person.record_id))),
            _ => {}
        }
        if let Some(row) = &existing
            && row.person == person
        {
            return Ok((row.clone(), PutOutcome::Unchanged));
        }
        let time = now();
        let generation = Self::meta_u64(&txn, "person.generation")? + 1;
        Self::set_meta_u64(&mut txn, "person.generation", generation);
        let row = PersonRow {
            person,
            generation,
            create_time: existing.as_ref().map(|r| r.create_time).unwrap_or(time),
            update_time: time,
        };
        let record_id = row.person.record_id.clone();
        if existing.is_some() {
            Self::drop_own_state(&mut txn, &record_id)?;
        } else {
            let count = Self::meta_u64(&txn, PERSONS)? + 1;
            Self::set_meta_u64(&mut txn, PERSONS, count);
        }
        txn.insert(key, encode_json(&row));
        if let Some(fingerprint) = fingerprint {
            txn.insert(keys::fingerprint(&record_id), fingerprint.to_vec());
        }
        for (peer, peer_ref) in peers {
            txn.insert(keys::our_ref(peer, peer_ref), record_id.as_bytes().to_vec());
            if existing.is_some() {
                Self::enqueue(&mut txn, peer, OutboxOp::Withdraw { peer_ref: *peer_ref, replaced: Replaced::No })?;
            }
            if !tokens.is_empty() {
                let op = OutboxOp::Add {
                    record_id: record_id.clone(),
                    generation,
                    peer_ref: *peer_ref,
                    tokens: tokens.to_vec(),
                };
                Self::enqueue(&mut txn, peer, op)?;
            }
        }
        let (outcome, action) = if existing.is_some() {
            (PutOutcome::Updated, "person.update")
        } else {
            (PutOutcome::Created, "person.enrol")
        };
        Self::append_audit(
            &mut txn,
            actor,
            action,
            &record_id,
            &format!("tokens={} peers={}", tokens.len(), peers.len()),
        )?;
        txn.commit()?;
        Ok((row, outcome))
    }

    /// Removes a person's data, own tokens and links, queues withdrawals to every peer, and
    /// audits it. Returns false if there was no such person.
    pub fn erase_person(&self, record_id: &str, peers: &[(String, [u8; 16])], actor: &str) -> Result<bool> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let key = keys::person(record_id);
        if txn.get(&key)?.is_none() {
            return Ok(false);
        }
        txn.remove(key);
        let count = Self::meta_u64(&txn, PERSONS)?.saturating_sub(1);
        Self::set_meta_u64(&mut txn, PERSONS, count);
        Self::drop_own_state(&mut txn, record_id)?;
        // Cases, services and assessments go in the same batch (see cases.rs), and so do the
        // follow-up records about the person (see followup.rs).
        Self::drop_cases_of(&mut txn, record_id)?;
        Self::drop_followups_of(&mut txn, record_id)?;
        // sled keeps removed values in its log until compaction (see compact.rs).
        let pending = Self::meta_u64(&txn, crate::compact::PENDING)? + 1;
        Self::set_meta_u64(&mut txn, crate::compact::PENDING, pending);
        for (peer, peer_ref) in peers {
            txn.remove(keys::our_ref(peer, peer_ref));
            // The family roles the peer declared for its records towards this one.
            let roles = keys::build(keys::PEER_ROLE, &[&keys::peer_bytes(peer)]);
            for (k, _) in txn.scan_prefix(&roles)? {
                if k.len() == roles.len() + 32 && k.ends_with(peer_ref) {
                    txn.remove(k);
                }
            }
            // Not-yet-sent additions of this record become withdrawals in place (sequence
            // numbers stay consecutive), so an erased person's tokens never leave after erasure.
            for (k, v) in txn.scan_prefix(&keys::build(keys::OUTBOX, &[&keys::peer_bytes(peer)]))? {
                match OutboxOp::decode(&v) {
                    Some(
                        OutboxOp::Add { record_id: queued, peer_ref: queued_ref, .. }
                        | OutboxOp::Pair { record_id: queued, our_ref: queued_ref, .. },
                    ) if queued == record_id => {
                        txn.insert(k, OutboxOp::Withdraw { peer_ref: queued_ref, replaced: Replaced::No }.encode());
                    }
                    _ => {}
                }
            }
            Self::enqueue(&mut txn, peer, OutboxOp::Withdraw { peer_ref: *peer_ref, replaced: Replaced::No })?;
        }
        Self::append_audit(&mut txn, actor, "person.erase", record_id, &format!("peers={}", peers.len()))?;
        txn.commit()?;
        Ok(true)
    }

    /// Drops a record's own tokens (all peers) and its links.
    fn drop_own_state(txn: &mut Txn<'_>, record_id: &str) -> Result<()> {
        Self::drop_own_tokens(txn, record_id)?;
        // The tokens about to be queued are this version's: no remake may count on an older
        // derivation's fingerprint.
        txn.remove(keys::fingerprint(record_id));
        let mut prefix = keys::build(keys::LINK, &[record_id.as_bytes()]);
        prefix.push(0);
        for (k, _) in txn.scan_prefix(&prefix)? {
            let tail = &k[prefix.len()..];
            if tail.len() != 2 + 16 + 1 {
                return Err(corrupt(&k, "bad link key"));
            }
            let peer = String::from_utf8_lossy(&tail[..2]).into_owned();
            let peer_ref = keys::array::<16>(&tail[2..18]).ok_or_else(|| corrupt(&k, "short key"))?;
            txn.remove(keys::link_by_ref(&peer, &peer_ref, record_id));
            Self::drop_pair(txn, record_id, &peer, &peer_ref);
            txn.remove(k);
        }
        Ok(())
    }

    /// Drops a record's links with one peer, its tokens having been made again (`replaced`).
    /// Remade or re-sent, both sides' pair-round tokens stay: a link found again gets a round
    /// again, whose tokens replace them one side at a time, and meanwhile the link keeps the
    /// evidence it had (the peer's new offer may even arrive first); a link found again that the
    /// node gives no round drops them ([`Store::queue_pair_offers`]). Old and new sides compare:
    /// a remake or a repair keeps the key, and a rotation maps the rounds' tokens to the new
    /// key ([`Store::rotate_peer_tokens`]). (The peer's side cannot map them: it sets its
    /// finished rounds aside instead, [`Store::set_rounds_aside`].) Returns the references of
    /// the links dropped: the caller drops the rounds of those not made again
    /// ([`Store::drop_unlinked_rounds`]).
    fn drop_links_with(txn: &mut Txn<'_>, record_id: &str, peer: &str, replaced: Replaced) -> Result<Vec<[u8; 16]>> {
        let mut dropped = Vec::new();
        let mut prefix = keys::build(keys::LINK, &[record_id.as_bytes()]);
        prefix.push(0);
        prefix.extend_from_slice(&keys::peer_bytes(peer));
        for (k, _) in txn.scan_prefix(&prefix)? {
            let tail = &k[prefix.len()..];
            let link_ref =
                keys::array::<16>(tail.get(..16).unwrap_or_default()).ok_or_else(|| corrupt(&k, "bad link key"))?;
            txn.remove(keys::link_by_ref(peer, &link_ref, record_id));
            match replaced {
                Replaced::Remade | Replaced::Resent => txn.remove(keys::pair_pending(record_id, peer, &link_ref)),
                Replaced::No => Self::drop_pair(txn, record_id, peer, &link_ref),
            }
            let kind = if tail.get(16) == Some(&FAMILY_LINK) { "family" } else { "same_person" };
            let detail = format!("peer={peer} peer_ref={} kind={kind} tokens made again", hex_of(&link_ref));
            Self::append_audit(txn, "node:self", "link.withdrawn", record_id, &detail)?;
            txn.remove(k);
            dropped.push(link_ref);
        }
        Ok(dropped)
    }

    /// Drops a record's own tokens as answered by every peer (`O`, and their index entries).
    fn drop_own_tokens(txn: &mut Txn<'_>, record_id: &str) -> Result<()> {
        let mut prefix = keys::build(keys::OWN_BY_RECORD, &[record_id.as_bytes()]);
        prefix.push(0);
        for (k, v) in txn.scan_prefix(&prefix)? {
            let peer = keys::array::<2>(&k[prefix.len()..]).ok_or_else(|| corrupt(&k, "bad key"))?;
            Self::unindex_own(txn, &k, &v, peer, record_id)?;
            txn.remove(k);
        }
        Ok(())
    }

    /// Stages the removal from the index of the tokens in an `O` value.
    fn unindex_own(txn: &mut Txn<'_>, key: &[u8], value: &[u8], peer: [u8; 2], record_id: &str) -> Result<()> {
        let points = keys::own_points(value).ok_or_else(|| corrupt(key, "bad token list"))?;
        let fingerprints = fingerprints(points.iter().map(|(d, _)| d));
        txn.stage(IndexOp::DropOwn { peer, record: record_id.to_string(), fingerprints });
        Ok(())
    }

    // ---- outbox -----------------------------------------------------------------------------

    pub(crate) fn enqueue(txn: &mut Txn<'_>, peer: &str, op: OutboxOp) -> Result<()> {
        let name = format!("outbox.next.{peer}");
        let seq = Self::meta_u64(txn, &name)?.max(1);
        txn.insert(keys::outbox(peer, seq), op.encode());
        Self::set_meta_u64(txn, &name, seq + 1);
        Ok(())
    }

    /// The oldest pending operations for `peer`, in sequence order, bounded by count and total
    /// tokens. A withdrawal followed by an addition for the same reference (a record's tokens
    /// made again: an update, a remake, a repair) goes in one batch or waits for the next, so
    /// the peer, which applies a batch in one transaction, replaces the record's links at once
    /// instead of showing the record unlinked in between.
    pub fn outbox_batch(&self, peer: &str, max_ops: usize, max_tokens: usize) -> Result<Vec<PendingOp>> {
        let tokens_of = |op: &OutboxOp| match op {
            OutboxOp::Add { tokens, .. } => tokens.len(),
            OutboxOp::Pair { tokens, .. } => tokens.len(),
            OutboxOp::Reanswer { answers, .. } => answers.len(),
            OutboxOp::Withdraw { .. } | OutboxOp::Note { .. } | OutboxOp::Rekey | OutboxOp::Message(_) => 0,
        };
        let mut out: Vec<PendingOp> = Vec::new();
        let mut tokens = 0;
        let mut entries = self.kv.scan_prefix(keys::build(keys::OUTBOX, &[&keys::peer_bytes(peer)])).peekable();
        let seq_of =
            |k: &[u8]| keys::array::<8>(&k[3..]).map(u64::from_be_bytes).ok_or_else(|| corrupt(k, "short key"));
        while let Some(item) = entries.next() {
            let (k, v) = item?;
            let op = OutboxOp::decode(&v).ok_or_else(|| corrupt(&k, "undecodable outbox entry"))?;
            let mut unit = vec![PendingOp { seq: seq_of(&k)?, op }];
            if let OutboxOp::Withdraw { peer_ref, .. } = unit[0].op
                && let Some(Ok((k, v))) = entries.peek()
                && let Some(readd) = OutboxOp::decode(v)
                    .filter(|op| matches!(op, OutboxOp::Add { peer_ref: next, .. } if *next == peer_ref))
            {
                unit.push(PendingOp { seq: seq_of(k)?, op: readd });
                entries.next();
            }
            let n: usize = unit.iter().map(|p| tokens_of(&p.op)).sum();
            if !out.is_empty() && (out.len() + unit.len() > max_ops || tokens + n > max_tokens) {
                break;
            }
            tokens += n;
            out.extend(unit);
        }
        Ok(out)
    }

    /// Operations queued for `peer` and not yet acknowledged. Entries are consecutive and
    /// leave from the front, so this is the next sequence number minus the oldest pending one
    /// (no scan).
    pub fn outbox_len(&self, peer: &str) -> Result<u64> {
        let Some(first) = self.kv.scan_prefix(keys::build(keys::OUTBOX, &[&keys::peer_bytes(peer)])).next() else {
            return Ok(0);
        };
        let (k, _) = first?;
        let first = keys::array::<8>(&k[3..]).map(u64::from_be_bytes).ok_or_else(|| corrupt(&k, "short key"))?;
        let next = Self::meta_u64(&self.txn(), &format!("outbox.next.{peer}"))?;
        Ok(next.saturating_sub(first).max(1))
    }

    /// The last sequence number queued for `peer` (0 if none ever was).
    pub fn outbox_last_seq(&self, peer: &str) -> Result<u64> {
        Ok(Self::meta_u64(&self.txn(), &format!("outbox.next.{peer}"))?.saturating_sub(1))
    }

    /// Applies a peer's acknowledgement of `ops` (which it applied in order), with the
    /// re-blinded tokens it returned for the additions, in order. Stores own tokens for records
    /// whose generation still matches, finds links with the peer's tokens, removes the entries
    /// from the outbox. Returns the number of links created or changed.
    pub fn ack_outbox(
        &self,
        peer: &str,
        ops: &[PendingOp],
        reblinded: &[[u8; 32]],
        policy: &LinkPolicy<'_>,
    ) -> Result<usize> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let mut answers = reblinded.iter();
        let mut changed = 0;
        let time = now();
        let mut sent_tokens = 0usize;
        let mut withdrawn: Option<([u8; 16], Replaced)> = None;
        for pending in ops {
            let just_withdrawn = withdrawn.take();
            let key = keys::outbox(peer, pending.seq);
            if txn.get(&key)?.is_none() {
                // Already acknowledged (or dropped by an erasure): skip its answers.
                let n = match &pending.op {
                    OutboxOp::Add { tokens, .. } => tokens.len(),
                    OutboxOp::Pair { tokens, .. } => tokens.len(),
                    _ => 0,
                };
                for _ in 0..n {
                    answers.next();
                }
                continue;
            }
            txn.remove(key);
            if let OutboxOp::Withdraw { peer_ref, replaced } = &pending.op {
                withdrawn = Some((*peer_ref, *replaced));
                continue;
            }
            if let OutboxOp::Pair { record_id, generation, their_ref, layout, tokens, .. } = &pending.op {
                let mut stored = Vec::with_capacity(tokens.len());
                for _ in tokens {
                    stored.push(
                        *answers
                            .next()
                            .ok_or_else(|| StoreError::FailedPrecondition("peer returned too few tokens".into()))?,
                    );
                }
                if Self::is_generation(&txn, record_id, *generation)?
                    && txn.get(&keys::link(record_id, peer, their_ref, 0))?.is_some()
                {
                    Self::store_round_side(
                        &mut txn,
                        record_id,
                        peer,
                        their_ref,
                        0,
                        crate::pair::encode(layout, &stored),
                    )?;
                }
                continue;
            }
            if let OutboxOp::Add { record_id, generation, tokens, peer_ref } = &pending.op {
                sent_tokens += tokens.len();
                let current = Self::is_generation(&txn, record_id, *generation)?;
                let mut dropped = Vec::new();
                if let Some((withdrawn_ref, replaced)) = just_withdrawn
                    && current
                    && withdrawn_ref == *peer_ref
                {
                    // The record's tokens made again (a remake, a rotation, a repair): the peer
                    // dropped its links with the record at the withdrawal and made them again
                    // from these tokens in the same transaction. So do we, here: the links
                    // found below replace those the record had with the peer, at once.
                    dropped = Self::drop_links_with(&mut txn, record_id, peer, replaced)?;
                }
                let peer_key = keys::peer_bytes(peer);
                let mut stored = Vec::with_capacity(tokens.len());
                let mut hits = Vec::new();
                for (kind, _) in tokens {
                    let d = answers
                        .next()
                        .ok_or_else(|| StoreError::FailedPrecondition("peer returned too few tokens".into()))?;
                    if !current {
                        continue;
                    }
                    stored.push((*d, *kind));
                    let candidates = txn.index().their_candidates(peer_key, d);
                    for peer_ref in candidates {
                        if Self::peer_holds(&txn, peer, &peer_ref, d)? {
                            hits.push((record_id.clone(), peer_ref, *kind));
                        }
                    }
                }
                changed += Self::add_hits(&mut txn, peer, hits, time, policy)?;
                Self::drop_unlinked_rounds(&mut txn, record_id, peer, &dropped)?;
                if !stored.is_empty() {
                    let index = keys::own_by_record(record_id, peer);
                    let mut value = txn.get(&index)?.unwrap_or_default();
                    // The index counts what the value holds: a `D` answered twice is indexed once.
                    let appended = keys::merge_own_points(&mut value, &stored);
                    txn.insert(index, value);
                    let fingerprints = fingerprints(&appended);
                    txn.stage(IndexOp::AddOwn { peer: peer_key, record: record_id.clone(), fingerprints });
                }
            }
        }
        if answers.next().is_some() {
            return Err(StoreError::FailedPrecondition("peer returned too many tokens".into()));
        }
        Self::append_audit(
            &mut txn,
            &format!("node:{peer}"),
            "tokens.acknowledged",
            "",
            &format!("ops={} tokens={sent_tokens} links_changed={changed}", ops.len()),
        )?;
        let name = format!("peer.last_success.{peer}");
        Self::set_meta_u64(&mut txn, &name, time as u64);
        txn.commit()?;
        Ok(changed)
    }

    /// Whether the peer's record behind `peer_ref` holds `d` here (confirms an index hit).
    fn peer_holds(txn: &Txn<'_>, peer: &str, peer_ref: &[u8; 16], d: &[u8; 32]) -> Result<bool> {
        Ok(txn.get(&keys::peer_by_ref(peer, peer_ref))?.is_some_and(|v| v.chunks_exact(32).any(|c| c == d)))
    }

    /// The key kind under which our record holds `d` as answered by `peer`, if it does
    /// (confirms an index hit).
    fn own_holds(txn: &Txn<'_>, record_id: &str, peer: &str, d: &[u8; 32]) -> Result<Option<u8>> {
        let Some(v) = txn.get(&keys::own_by_record(record_id, peer))? else {
            return Ok(None);
        };
        Ok(v.chunks_exact(33).find(|c| &c[..32] == d).map(|c| c[32]))
    }

    /// Adds the agreeing key kinds found for one batch of one record's tokens: `(record,
    /// peer's reference, kind)`. A pair whose only agreeing kinds are marks gets no new link (a
    /// mark qualifies what other kinds found; all of one record's tokens travel together, so
    /// the kinds that find a pair arrive in the same batch as its marks); an existing link
    /// takes them. Returns the number of kinds added.
    fn add_hits(
        txn: &mut Txn<'_>,
        peer: &str,
        hits: Vec<(String, [u8; 16], u8)>,
        time: i64,
        policy: &LinkPolicy<'_>,
    ) -> Result<usize> {
        let finding: std::collections::HashSet<(&str, [u8; 16], u8)> = hits
            .iter()
            .filter(|(_, _, kind)| !(policy.is_mark)(*kind))
            .map(|(record_id, peer_ref, kind)| (record_id.as_str(), *peer_ref, (policy.link_kind_of)(*kind)))
            .collect();
        let mut added = 0;
        for (record_id, peer_ref, kind) in &hits {
            let link_kind = (policy.link_kind_of)(*kind);
            if (policy.is_mark)(*kind)
                && !finding.contains(&(record_id.as_str(), *peer_ref, link_kind))
                && txn.get(&keys::link(record_id, peer, peer_ref, link_kind))?.is_none()
            {
                continue;
            }
            Self::add_link_kind(txn, record_id, peer, peer_ref, *kind, time, policy)?;
            added += 1;
        }
        Ok(added)
    }

    /// Adds an agreeing key kind to a link, creating the link if needed. A new family link
    /// queues a note of our side's role to the peer.
    fn add_link_kind(
        txn: &mut Txn<'_>,
        record_id: &str,
        peer: &str,
        peer_ref: &[u8; 16],
        key_kind: u8,
        time: i64,
        policy: &LinkPolicy<'_>,
    ) -> Result<()> {
        let link_kind = (policy.link_kind_of)(key_kind);
        let key = keys::link(record_id, peer, peer_ref, link_kind);
        let mut row = match txn.get(&key)? {
            Some(v) => decode_json::<LinkRow>(&key, &v)?,
            None => {
                if link_kind == FAMILY_LINK
                    && let Some(role) = (policy.family_role_of)(key_kind)
                {
                    let our_ref = (policy.our_ref)(peer, record_id);
                    Self::enqueue(txn, peer, OutboxOp::Note { our_ref, their_ref: *peer_ref, role })?;
                }
                if link_kind != FAMILY_LINK {
                    // A new same-person link: the node decides whether it gets a pair round.
                    txn.insert(keys::pair_pending(record_id, peer, peer_ref), Vec::new());
                }
                let kind = if link_kind == FAMILY_LINK { "family" } else { "same_person" };
                let detail = format!("peer={peer} peer_ref={} kind={kind}", hex_of(peer_ref));
                Self::append_audit(txn, "node:self", "link.created", record_id, &detail)?;
                LinkRow { kinds: 0, create_time: time, update_time: time }
            }
        };
        let bit = 1u64.checked_shl(key_kind as u32).unwrap_or(0);
        if row.kinds & bit == 0 {
            row.kinds |= bit;
            row.update_time = time;
        }
        txn.insert(key, encode_json(&row));
        txn.insert(keys::link_by_ref(peer, peer_ref, record_id), Vec::new());
        Ok(())
    }

    // ---- incoming ---------------------------------------------------------------------------

    /// The highest sequence number applied from `peer`.
    pub fn applied_seq(&self, peer: &str) -> Result<u64> {
        let txn = self.txn();
        Self::meta_u64(&txn, &format!("applied.{peer}"))
    }

    /// Applies a peer's batch whose first operation has sequence `first_seq`. Operations at or
    /// below the applied mark are skipped (a replay changes nothing); a gap is refused. Returns
    /// the new applied mark.
    pub fn apply_incoming(
        &self,
        peer: &str,
        first_seq: u64,
        ops: &[IncomingOp],
        policy: &LinkPolicy<'_>,
    ) -> Result<u64> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let mark_name = format!("applied.{peer}");
        let applied = Self::meta_u64(&txn, &mark_name)?;
        if first_seq == 0 {
            return Err(StoreError::FailedPrecondition("sequence numbers start at 1".into()));
        }
        if first_seq > applied + 1 {
            return Err(StoreError::FailedPrecondition(format!(
                "out-of-order batch from {peer}: expected sequence {} next, got {first_seq}",
                applied + 1
            )));
        }
        let time = now();
        let mut new_tokens = 0usize;
        let mut withdrawn = 0usize;
        let mut held_added = 0u64;
        let mut notes_skipped = 0usize;
        let mut reanswered = 0usize;
        let mut rekeys_ignored = 0usize;
        // References withdrawn as resent or remade whose family role (and, remade, pair-round
        // tokens) were kept for the addition that follows (see `Replaced`).
        let mut kept: Vec<[u8; 16]> = Vec::new();
        let mut seq = first_seq;
        for op in ops {
            if seq <= applied {
                seq += 1;
                continue;
            }
            match op {
                IncomingOp::Add { peer_ref, reblinded } => {
                    let index = keys::peer_by_ref(peer, peer_ref);
                    let mut held = txn.get(&index)?.unwrap_or_default();
                    // The index counts what the value holds: a `D` sent twice is indexed once.
                    let appended = keys::merge_points(&mut held, reblinded);
                    held_added += appended.len() as u64;
                    txn.insert(index, held);
                    new_tokens += reblinded.len();
                    let peer_key = keys::peer_bytes(peer);
                    let fingerprints = fingerprints(&appended);
                    txn.stage(IndexOp::AddTheirs { peer: peer_key, peer_ref: *peer_ref, fingerprints });
                    let mut hits = Vec::new();
                    for d in reblinded {
                        let candidates = txn.own_candidates(peer_key, d);
                        for record_id in candidates {
                            if let Some(kind) = Self::own_holds(&txn, &record_id, peer, d)? {
                                hits.push((record_id, *peer_ref, kind));
                            }
                        }
                    }
                    Self::add_hits(&mut txn, peer, hits, time, policy)?;
                    if let Some(at) = kept.iter().position(|kept| kept == peer_ref) {
                        kept.swap_remove(at);
                        let links = keys::build(keys::LINK_BY_REF, &[&keys::peer_bytes(peer), peer_ref]);
                        if txn.scan_prefix(&links)?.is_empty() {
                            Self::forget_rounds_and_role(&mut txn, peer, peer_ref)?;
                        } else {
                            Self::drop_rounds_without_link(&mut txn, peer, peer_ref)?;
                        }
                    }
                }
                IncomingOp::Withdraw { peer_ref, replaced } => {
                    withdrawn += Self::withdraw_peer_ref(&mut txn, peer, peer_ref, *replaced)?;
                    if *replaced != Replaced::No {
                        kept.push(*peer_ref);
                    }
                }
                IncomingOp::Rekey => {
                    // Each honoured request costs this node every record's tokens made and
                    // sent again: at most one a day per peer (a key rotation is an
                    // administrator's act), so that a peer cannot keep the node busy with it.
                    let at_name = format!("rekey.at.{peer}");
                    let last = Self::meta_u64(&txn, &at_name)?;
                    if last == 0 || (time.max(0) as u64).saturating_sub(last) >= REKEY_MIN_INTERVAL_SECS {
                        Self::set_meta_u64(&mut txn, &format!("resend.{peer}"), 1);
                        Self::set_meta_u64(&mut txn, &at_name, time.max(1) as u64);
                    } else {
                        rekeys_ignored += 1;
                    }
                }
                IncomingOp::Reanswer { receiver_ref, answers } => match txn.get(&keys::our_ref(peer, receiver_ref))? {
                    Some(record) => {
                        let record =
                            String::from_utf8(record).map_err(|e| corrupt(&keys::our_ref(peer, receiver_ref), e))?;
                        reanswered += Self::reanswer(&mut txn, &record, peer, answers)?;
                    }
                    None => notes_skipped += 1,
                },
                IncomingOp::Message(bytes) => {
                    txn.insert(keys::inbox(peer, seq), bytes.clone());
                }
                IncomingOp::Pair { sender_ref, receiver_ref, layout, reblinded } => {
                    let record = match txn.get(&keys::our_ref(peer, receiver_ref))? {
                        Some(record) if txn.get(&keys::peer_by_ref(peer, sender_ref))?.is_some() => Some(
                            String::from_utf8(record).map_err(|e| corrupt(&keys::our_ref(peer, receiver_ref), e))?,
                        ),
                        _ => None,
                    };
                    match record {
                        Some(record) => {
                            let side = crate::pair::encode(layout, reblinded);
                            Self::store_round_side(&mut txn, &record, peer, sender_ref, 1, side)?;
                        }
                        None => notes_skipped += 1,
                    }
                }
                IncomingOp::Note { sender_ref, receiver_ref, role } => {
                    if txn.get(&keys::peer_by_ref(peer, sender_ref))?.is_some()
                        && txn.get(&keys::our_ref(peer, receiver_ref))?.is_some()
                    {
                        txn.insert(keys::peer_role(peer, sender_ref, receiver_ref), vec![*role]);
                    } else {
                        notes_skipped += 1;
                    }
                }
            }
            seq += 1;
        }
        // A withdrawal marked as replaced whose addition did not follow in this batch (the
        // sender keeps them together, so only a peer out of step): nothing re-forms its links,
        // so nothing keeps its role or pair rounds.
        for peer_ref in kept {
            Self::forget_rounds_and_role(&mut txn, peer, &peer_ref)?;
        }
        let new_mark = applied.max(seq - 1);
        Self::set_meta_u64(&mut txn, &mark_name, new_mark);
        let total = Self::meta_u64(&txn, &format!("received.{peer}"))? + new_tokens as u64;
        Self::set_meta_u64(&mut txn, &format!("received.{peer}"), total);
        let held_name = format!("held.{peer}");
        let held = (Self::meta_u64(&txn, &held_name)? + held_added).saturating_sub(withdrawn as u64);
        Self::set_meta_u64(&mut txn, &held_name, held);
        if new_mark > applied {
            Self::append_audit(
                &mut txn,
                &format!("node:{peer}"),
                "tokens.received",
                "",
                &format!(
                    "seq={first_seq}..{new_mark} tokens={new_tokens} withdrawn_tokens={withdrawn} \
                     reanswered={reanswered} notes_skipped={notes_skipped}{}",
                    if rekeys_ignored > 0 { format!(" rekeys_ignored={rekeys_ignored}") } else { String::new() }
                ),
            )?;
        }
        txn.commit()?;
        Ok(new_mark)
    }

    /// Replaces the peer's answers to our record's tokens after the peer's key rotation: each
    /// `old` answer the record holds becomes `new` (or goes, when the record already holds
    /// `new`: answered again since). Links are not touched. Returns the answers replaced.
    fn reanswer(txn: &mut Txn<'_>, record_id: &str, peer: &str, answers: &[crate::AnswerPair]) -> Result<usize> {
        let key = keys::own_by_record(record_id, peer);
        let Some(value) = txn.get(&key)? else {
            return Ok(0);
        };
        let mut points = keys::own_points(&value).ok_or_else(|| corrupt(&key, "bad token list"))?;
        let (mut dropped, mut added) = (Vec::new(), Vec::new());
        for (old, new) in answers {
            let Some(at) = points.iter().position(|(d, _)| d == old) else { continue };
            if points.iter().any(|(d, _)| d == new) {
                dropped.push(points.remove(at).0);
            } else {
                points[at].0 = *new;
                dropped.push(*old);
                added.push(*new);
            }
        }
        if dropped.is_empty() {
            return Ok(0);
        }
        let peer_key = keys::peer_bytes(peer);
        let record = record_id.to_string();
        txn.stage(IndexOp::DropOwn { peer: peer_key, record: record.clone(), fingerprints: fingerprints(&dropped) });
        txn.stage(IndexOp::AddOwn { peer: peer_key, record, fingerprints: fingerprints(&added) });
        let mut value = Vec::with_capacity(points.len() * 33);
        for (d, kind) in &points {
            value.extend_from_slice(d);
            value.push(*kind);
        }
        txn.insert(key, value);
        Ok(dropped.len())
    }

    /// Forgets the peer's record behind `peer_ref`: its tokens, our links with it, and, as far
    /// as `replaced` says they no longer hold (see [`Replaced`]), its family role and the pair
    /// rounds' tokens about it.
    fn withdraw_peer_ref(txn: &mut Txn<'_>, peer: &str, peer_ref: &[u8; 16], replaced: Replaced) -> Result<usize> {
        let index = keys::peer_by_ref(peer, peer_ref);
        let mut n = 0;
        if let Some(v) = txn.get(&index)? {
            let points = keys::points(&v).ok_or_else(|| corrupt(&index, "bad token list"))?;
            n = points.len();
            let fingerprints = fingerprints(&points);
            txn.stage(IndexOp::DropTheirs { peer: keys::peer_bytes(peer), peer_ref: *peer_ref, fingerprints });
            txn.remove(index);
        }
        let prefix = keys::build(keys::LINK_BY_REF, &[&keys::peer_bytes(peer), peer_ref]);
        for (k, _) in txn.scan_prefix(&prefix)? {
            let record_id = String::from_utf8(k[prefix.len()..].to_vec()).map_err(|e| corrupt(&k, e))?;
            for link_kind in 0..=1u8 {
                txn.remove(keys::link(&record_id, peer, peer_ref, link_kind));
            }
            txn.remove(keys::pair_pending(&record_id, peer, peer_ref));
            let detail = format!("peer={peer} peer_ref={}", hex_of(peer_ref));
            Self::append_audit(txn, &format!("node:{peer}"), "link.withdrawn", &record_id, &detail)?;
            txn.remove(k);
        }
        match replaced {
            Replaced::No => Self::forget_rounds_and_role(txn, peer, peer_ref)?,
            Replaced::Resent => Self::set_rounds_aside(txn, peer, peer_ref)?,
            Replaced::Remade => {}
        }
        Ok(n)
    }

    /// Drops the pair-round tokens about the peer's record behind `peer_ref`, with or without
    /// a link here, and the family role it declared.
    fn forget_rounds_and_role(txn: &mut Txn<'_>, peer: &str, peer_ref: &[u8; 16]) -> Result<()> {
        for (k, _) in txn.scan_prefix(&keys::peer_roles(peer, peer_ref))? {
            txn.remove(k);
        }
        Self::forget_rounds(txn, peer, peer_ref)
    }

    /// Drops the pair-round tokens about the peer's record behind `peer_ref`, with or without
    /// a link here.
    fn forget_rounds(txn: &mut Txn<'_>, peer: &str, peer_ref: &[u8; 16]) -> Result<()> {
        for (k, _) in txn.scan_prefix(&keys::build(keys::PAIR, &[&keys::peer_bytes(peer), peer_ref]))? {
            txn.remove(k);
        }
        Ok(())
    }

    // ---- anti-entropy -----------------------------------------------------------------------

    /// Our records that hold tokens as `peer` answered them (what it should hold of ours). A
    /// background scan, for the periodic digest; the tokens are read one record at a time
    /// ([`Store::own_tokens`]), so that no peer's whole set is held in memory.
    pub fn own_records_for(&self, peer: &str) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let peer_key = keys::peer_bytes(peer);
        for item in self.kv.scan_prefix([keys::OWN_BY_RECORD]) {
            let (k, _) = item?;
            if k.len() < 4 || k[k.len() - 2..] != peer_key || k[k.len() - 3] != 0 {
                continue;
            }
            out.push(String::from_utf8(k[1..k.len() - 3].to_vec()).map_err(|e| corrupt(&k, e))?);
        }
        Ok(out)
    }

    /// Our record's tokens as `peer` answered them, if it holds any.
    pub fn own_tokens(&self, record_id: &str, peer: &str) -> Result<Option<Vec<[u8; 32]>>> {
        let key = keys::own_by_record(record_id, peer);
        let Some(v) = self.kv.get(&key)? else { return Ok(None) };
        let points = keys::own_points(&v).ok_or_else(|| corrupt(&key, "bad token list"))?;
        Ok(Some(points.into_iter().map(|(d, _)| d).collect()))
    }

    /// The peer's references held here, each with its re-blinded tokens, in reference order,
    /// all in memory at once (for tests and checks; the digest visits them one at a time with
    /// [`Store::visit_peer_tokens`]).
    pub fn peer_tokens_by_ref(&self, peer: &str) -> Result<Vec<RefTokens>> {
        let mut out = Vec::new();
        self.visit_peer_tokens(peer, |peer_ref, tokens| out.push((*peer_ref, tokens)))?;
        Ok(out)
    }

    /// Visits the peer's references held here, each with its re-blinded tokens, in reference
    /// order, one at a time (the periodic digest: no peer's whole set is held in memory).
    pub fn visit_peer_tokens(&self, peer: &str, mut visit: impl FnMut(&[u8; 16], Vec<[u8; 32]>)) -> Result<()> {
        let prefix = keys::build(keys::PEER_BY_REF, &[&keys::peer_bytes(peer)]);
        for item in self.kv.scan_prefix(&prefix) {
            let (k, v) = item?;
            let peer_ref = keys::array::<16>(&k[prefix.len()..]).ok_or_else(|| corrupt(&k, "short key"))?;
            visit(&peer_ref, keys::points(&v).ok_or_else(|| corrupt(&k, "bad token list"))?);
        }
        Ok(())
    }

    /// The peer's references held here whose first byte is `range`, in order.
    pub fn peer_refs_in_range(&self, peer: &str, range: u8) -> Result<Vec<[u8; 16]>> {
        let prefix = keys::build(keys::PEER_BY_REF, &[&keys::peer_bytes(peer)]);
        let mut out = Vec::new();
        for item in self.kv.scan_prefix(keys::build(keys::PEER_BY_REF, &[&keys::peer_bytes(peer), &[range]])) {
            let (k, _) = item?;
            out.push(keys::array::<16>(&k[prefix.len()..]).ok_or_else(|| corrupt(&k, "short key"))?);
        }
        Ok(out)
    }

    /// Anti-entropy repair, one atomic batch: for each of our references at `peer`, either
    /// re-sends the record (its own tokens as that peer answered them are dropped, then a
    /// withdrawal and a fresh addition are queued; its links with the peer stay until the
    /// acknowledgement replaces them, see [`Store::ack_outbox`]) or, when no such record exists
    /// here any more, queues a withdrawal. `(ref, Some((record, generation, tokens)))` re-sends; a
    /// record whose generation moved on since its tokens were made is skipped (its update
    /// already queued a withdrawal and new tokens). Returns the operations queued.
    pub fn requeue_for_repair(&self, peer: &str, repairs: &[Repair]) -> Result<usize> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let mut queued = 0;
        for (peer_ref, record) in repairs {
            match record {
                None => {
                    Self::enqueue(&mut txn, peer, OutboxOp::Withdraw { peer_ref: *peer_ref, replaced: Replaced::No })?;
                    queued += 1;
                }
                Some((record_id, generation, tokens)) => {
                    if !Self::is_generation(&txn, record_id, *generation)? {
                        continue;
                    }
                    // The record's links with the peer stay until the peer has the new tokens:
                    // the acknowledgement of this withdrawal and addition replaces them.
                    let index = keys::own_by_record(record_id, peer);
                    if let Some(v) = txn.get(&index)? {
                        Self::unindex_own(&mut txn, &index, &v, keys::peer_bytes(peer), record_id)?;
                        txn.remove(index);
                    }
                    let replaced = if tokens.is_empty() { Replaced::No } else { Replaced::Resent };
                    Self::enqueue(&mut txn, peer, OutboxOp::Withdraw { peer_ref: *peer_ref, replaced })?;
                    if !tokens.is_empty() {
                        let op = OutboxOp::Add {
                            record_id: record_id.clone(),
                            generation: *generation,
                            peer_ref: *peer_ref,
                            tokens: tokens.clone(),
                        };
                        Self::enqueue(&mut txn, peer, op)?;
                    }
                    queued += 2;
                }
            }
        }
        if queued > 0 {
            Self::append_audit(
                &mut txn,
                "node",
                "sync.repair",
                "",
                &format!("peer={peer} refs={} ops={queued}", repairs.len()),
            )?;
        }
        txn.commit()?;
        Ok(queued)
    }

    // ---- key rotation -----------------------------------------------------------------------

    /// Whether `peer` asked for all our tokens again (it rotated its key).
    pub fn resend_requested(&self, peer: &str) -> Result<bool> {
        Ok(Self::meta_u64(&self.txn(), &format!("resend.{peer}"))? != 0)
    }

    pub fn clear_resend(&self, peer: &str) -> Result<()> {
        self.remove_meta(&format!("resend.{peer}"))
    }

    /// Whether `peer` has yet to receive some of the answers a key rotation of ours queued for
    /// it ([`OutboxOp::Reanswer`]): until then, what it holds of our answers and what we hold of
    /// its tokens differ by design, and a digest comparison would find them all diverging.
    pub fn reanswers_pending(&self, peer: &str) -> Result<bool> {
        let through = Self::meta_u64(&self.txn(), &format!("reanswer.through.{peer}"))?;
        let Some(first) = self.kv.scan_prefix(keys::build(keys::OUTBOX, &[&keys::peer_bytes(peer)])).next() else {
            return Ok(false);
        };
        let (k, _) = first?;
        let first = keys::array::<8>(&k[3..]).map(u64::from_be_bytes).ok_or_else(|| corrupt(&k, "short key"))?;
        Ok(first <= through)
    }

    pub fn remove_meta(&self, name: &str) -> Result<()> {
        let _guard = self.lock();
        self.kv.remove(keys::meta(name))?;
        Ok(())
    }

    /// Key rotation, step 1 for one peer, atomically: every token of `peer` held here
    /// (`D = a·T`) becomes `map(D)` (`a'·T = (a'/a)·D`, computed by the caller), each
    /// reference's old and new answers are queued for the peer ([`OutboxOp::Reanswer`]: they are
    /// the answers the peer holds for its records' tokens), the pair rounds' tokens with the
    /// peer and our offers queued for it are mapped the same way, and the peer is marked done
    /// under `marker` so that a resumed rotation never maps twice. Returns the tokens mapped.
    pub fn rotate_peer_tokens(
        &self,
        peer: &str,
        marker: &str,
        map: impl Fn(&[[u8; 32]]) -> Vec<[u8; 32]>,
    ) -> Result<usize> {
        let _guard = self.lock();
        let mut txn = self.txn();
        if Self::meta_u64(&txn, marker)? == 1 {
            return Ok(0);
        }
        let map = |points: &[[u8; 32]]| -> Result<Vec<[u8; 32]>> {
            let mapped = map(points);
            if mapped.len() != points.len() {
                return Err(StoreError::FailedPrecondition("rotation: token count changed".into()));
            }
            Ok(mapped)
        };
        let prefix = keys::build(keys::PEER_BY_REF, &[&keys::peer_bytes(peer)]);
        let mut n = 0;
        for (k, v) in txn.scan_prefix(&prefix)? {
            let peer_ref = keys::array::<16>(&k[prefix.len()..]).ok_or_else(|| corrupt(&k, "short key"))?;
            let old = keys::points(&v).ok_or_else(|| corrupt(&k, "bad token list"))?;
            let new = map(&old)?;
            let peer_key = keys::peer_bytes(peer);
            txn.stage(IndexOp::DropTheirs { peer: peer_key, peer_ref, fingerprints: fingerprints(&old) });
            txn.stage(IndexOp::AddTheirs { peer: peer_key, peer_ref, fingerprints: fingerprints(&new) });
            txn.insert(k, new.concat());
            n += new.len();
            let answers = old.into_iter().zip(new).collect();
            Self::enqueue(&mut txn, peer, OutboxOp::Reanswer { their_ref: peer_ref, answers })?;
        }
        // Pair rounds with the peer: both sides of each hold our key once (`a·b·P`), and so do
        // our offers still queued for it (`a·P`). Mapped too, they compare with what the new
        // key makes, so a round made before the rotation stands beside one made after it and
        // no link's round has to wait for the peer.
        let pairs = keys::build(keys::PAIR, &[&keys::peer_bytes(peer)]);
        for (k, v) in txn.scan_prefix(&pairs)? {
            let (layout, points) = crate::pair::decode(&k, &v)?;
            let mapped = map(&points)?;
            txn.insert(k, crate::pair::encode(&layout, &mapped));
            n += mapped.len();
        }
        for (k, v) in txn.scan_prefix(&keys::build(keys::OUTBOX, &[&keys::peer_bytes(peer)]))? {
            if let Some(OutboxOp::Pair { record_id, generation, our_ref, their_ref, layout, tokens }) =
                OutboxOp::decode(&v)
            {
                let mapped = map(&tokens)?;
                let op = OutboxOp::Pair { record_id, generation, our_ref, their_ref, layout, tokens: mapped };
                txn.insert(k, op.encode());
                n += tokens.len();
            }
        }
        let last = Self::meta_u64(&txn, &format!("outbox.next.{peer}"))?.saturating_sub(1);
        Self::set_meta_u64(&mut txn, &format!("reanswer.through.{peer}"), last);
        Self::set_meta_u64(&mut txn, marker, 1);
        txn.commit()?;
        Ok(n)
    }

    /// Key rotation, step 2 for a chunk of records, atomically: drops their own tokens (they
    /// were answers to tokens made with the old key) and queues, for every peer, a withdrawal
    /// marked `replaced`, the tokens made again, and (unless `replaced` is [`Replaced::No`]) a
    /// note of our side of every family link with that peer. Links stay: the answers replace
    /// them. [`Replaced::Resent`]: a rotation. [`Replaced::Remade`]: the key is unchanged (an
    /// upgrade's remake), so a record whose kept fingerprint equals the new one is skipped (the
    /// peers hold exactly these tokens), and the peers keep the others' pair rounds until new
    /// ones replace them. [`Replaced::No`]: the record's family side changed (a child came of
    /// age), so the peers forget its role and rounds and find its links again.
    /// A record whose generation moved on is skipped (its update queued new tokens already).
    /// `fingerprints[i]` is the derivation fingerprint of `records[i]`'s tokens
    /// (`homeward_core::matching::derivation_fingerprint`), kept with the record. Returns the
    /// operations queued and the records skipped as unchanged.
    pub fn requeue_for_rotation(
        &self,
        records: &[Resend],
        fingerprints: &[[u8; 32]],
        peers: &[String],
        replaced: Replaced,
        policy: &LinkPolicy<'_>,
    ) -> Result<(usize, usize)> {
        if fingerprints.len() != records.len() {
            return Err(StoreError::FailedPrecondition("one fingerprint per record".into()));
        }
        let _guard = self.lock();
        let mut txn = self.txn();
        let (mut queued, mut unchanged) = (0, 0);
        for ((record_id, generation, tokens), fingerprint) in records.iter().zip(fingerprints) {
            if !Self::is_generation(&txn, record_id, *generation)? {
                continue;
            }
            let kept = txn.get(&keys::fingerprint(record_id))?;
            if replaced == Replaced::Remade && kept.as_deref() == Some(fingerprint.as_slice()) {
                unchanged += 1;
                continue;
            }
            txn.insert(keys::fingerprint(record_id), fingerprint.to_vec());
            Self::drop_own_tokens(&mut txn, record_id)?;
            for peer in peers {
                let our_ref = (policy.our_ref)(peer, record_id);
                Self::enqueue(&mut txn, peer, OutboxOp::Withdraw { peer_ref: our_ref, replaced })?;
                let op = OutboxOp::Add {
                    record_id: record_id.clone(),
                    generation: *generation,
                    peer_ref: our_ref,
                    tokens: tokens.clone(),
                };
                Self::enqueue(&mut txn, peer, op)?;
                queued += 2;
                if replaced == Replaced::No {
                    // Another record as far as the peer knows: its family links are found again.
                    continue;
                }
                let mut prefix = keys::build(keys::LINK, &[record_id.as_bytes()]);
                prefix.push(0);
                prefix.extend_from_slice(&keys::peer_bytes(peer));
                for (k, v) in txn.scan_prefix(&prefix)? {
                    let tail = &k[prefix.len()..];
                    if tail.len() != 17 || tail[16] != FAMILY_LINK {
                        continue;
                    }
                    let their_ref = keys::array::<16>(&tail[..16]).ok_or_else(|| corrupt(&k, "bad link key"))?;
                    let row: LinkRow = decode_json(&k, &v)?;
                    let role = (0..64u8)
                        .filter(|kind| row.kinds & (1u64 << kind) != 0)
                        .find_map(|kind| (policy.family_role_of)(kind));
                    if let Some(role) = role {
                        Self::enqueue(&mut txn, peer, OutboxOp::Note { our_ref, their_ref, role })?;
                        queued += 1;
                    }
                }
            }
        }
        txn.commit()?;
        Ok((queued, unchanged))
    }

    /// Test hook for anti-entropy: forgets the peer's tokens behind `peer_ref` here without
    /// telling anyone (as a lost write would). Returns the tokens dropped.
    pub fn forget_peer_ref_for_test(&self, peer: &str, peer_ref: &[u8; 16]) -> Result<usize> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let n = Self::withdraw_peer_ref(&mut txn, peer, peer_ref, Replaced::No)?;
        txn.commit()?;
        Ok(n)
    }

    /// Forgets every record's derivation fingerprint, so that the next remake re-sends every
    /// record: the state of a store whose records were enrolled before fingerprints were kept
    /// at enrolment. Returns how many were forgotten.
    pub fn forget_fingerprints(&self) -> Result<usize> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let found = txn.scan_prefix(&[keys::FINGERPRINT])?;
        for (k, _) in &found {
            txn.remove(k.clone());
        }
        txn.commit()?;
        Ok(found.len())
    }

    /// The derivation fingerprint kept with a record (see [`Store::requeue_for_rotation`]).
    pub fn fingerprint(&self, record_id: &str) -> Result<Option<[u8; 32]>> {
        let key = keys::fingerprint(record_id);
        match self.kv.get(&key)? {
            None => Ok(None),
            Some(v) => keys::array::<32>(&v).map(Some).ok_or_else(|| corrupt(&key, "bad fingerprint")),
        }
    }

    /// Whether any of our records holds a link to the peer's record behind `peer_ref`.
    pub fn has_link_from(&self, peer: &str, peer_ref: &[u8; 16]) -> Result<bool> {
        let prefix = keys::build(keys::LINK_BY_REF, &[&keys::peer_bytes(peer), peer_ref]);
        Ok(self.kv.scan_prefix(prefix).next().transpose()?.is_some())
    }

    /// The family role a peer declared for its record behind `peer_ref` in its hit with our
    /// record behind `our_ref`, if any; a role stored before roles were kept per pair of
    /// records stands for every pair of its record.
    pub fn peer_role(&self, peer: &str, peer_ref: &[u8; 16], our_ref: &[u8; 16]) -> Result<Option<u8>> {
        let role = match self.kv.get(keys::peer_role(peer, peer_ref, our_ref))? {
            Some(role) => Some(role),
            None => self.kv.get(keys::peer_roles(peer, peer_ref))?,
        };
        Ok(role.and_then(|v| v.first().copied()))
    }

    /// Tokens received from `peer` so far (counter, for quotas and status).
    pub fn tokens_received(&self, peer: &str) -> Result<u64> {
        let txn = self.txn();
        Self::meta_u64(&txn, &format!("received.{peer}"))
    }

    pub fn last_success(&self, peer: &str) -> Result<u64> {
        let txn = self.txn();
        Self::meta_u64(&txn, &format!("peer.last_success.{peer}"))
    }

    /// Re-blinded tokens held for `peer`, from the counter kept with every change (no scan).
    pub fn tokens_held(&self, peer: &str) -> Result<u64> {
        let txn = self.txn();
        Self::meta_u64(&txn, &format!("held.{peer}"))
    }

    /// Number of re-blinded tokens currently held for `peer` (a scan of `T`).
    pub fn peer_token_count(&self, peer: &str) -> Result<u64> {
        let mut n = 0;
        for item in self.kv.scan_prefix(keys::build(keys::PEER_BY_REF, &[&keys::peer_bytes(peer)])) {
            let (k, v) = item?;
            n += keys::points(&v).ok_or_else(|| corrupt(&k, "bad token list"))?.len() as u64;
        }
        Ok(n)
    }

    // ---- links ------------------------------------------------------------------------------

    fn decode_link(k: &[u8], v: &[u8]) -> Result<StoredLink> {
        let (head, tail) = keys::split_tail(k, 2 + 16 + 1).ok_or_else(|| corrupt(k, "short link key"))?;
        let record = head.get(1..head.len().saturating_sub(1)).ok_or_else(|| corrupt(k, "short link key"))?;
        Ok(StoredLink {
            record_id: String::from_utf8(record.to_vec()).map_err(|e| corrupt(k, e))?,
            peer: String::from_utf8_lossy(&tail[..2]).into_owned(),
            peer_ref: keys::array::<16>(&tail[2..18]).ok_or_else(|| corrupt(k, "short link key"))?,
            link_kind: tail[18],
            row: decode_json(k, v)?,
        })
    }

    /// Every link, for aggregates and tests.
    pub fn all_links(&self) -> Result<Vec<StoredLink>> {
        let mut out = Vec::new();
        for item in self.kv.scan_prefix([keys::LINK]) {
            let (k, v) = item?;
            out.push(Self::decode_link(&k, &v)?);
        }
        Ok(out)
    }

    /// Our record behind our reference at `peer`.
    pub fn resolve_our_ref(&self, peer: &str, our_ref: &[u8; 16]) -> Result<Option<String>> {
        Ok(self.kv.get(keys::our_ref(peer, our_ref))?.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }

    /// Every key and value, for tests that look for personal data on disk.
    pub fn dump_raw(&self) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut out = Vec::new();
        for item in self.kv.iter() {
            let (k, v) = item?;
            out.push((k.to_vec(), v.to_vec()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> LinkPolicy<'static> {
        LinkPolicy {
            link_kind_of: |_| 0,
            family_role_of: |_| None,
            is_mark: |kind| kind == 18,
            our_ref: &|_, _| [7; 16],
        }
    }

    /// A `D` whose fingerprint is `fp`, distinct for each `salt`.
    fn d(fp: u32, salt: u8) -> [u8; 32] {
        let mut d = [salt; 32];
        d[12..16].copy_from_slice(&fp.to_le_bytes());
        d
    }

    #[test]
    fn a_peer_record_may_be_a_child_to_one_record_and_a_mother_to_another() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        // UZ's record [9] is a child in its hit with our record [7] (her mother) and a mother
        // in its hit with our record [8] (her child).
        store.kv.insert(keys::peer_role("UZ", &[9; 16], &[7; 16]), vec![1]).unwrap();
        store.kv.insert(keys::peer_role("UZ", &[9; 16], &[8; 16]), vec![2]).unwrap();
        assert_eq!(store.peer_role("UZ", &[9; 16], &[7; 16]).unwrap(), Some(1));
        assert_eq!(store.peer_role("UZ", &[9; 16], &[8; 16]).unwrap(), Some(2));
        assert_eq!(store.peer_role("UZ", &[9; 16], &[6; 16]).unwrap(), None);
        // Withdrawn plainly: every role of the record goes.
        let mut txn = store.txn();
        Store::forget_rounds_and_role(&mut txn, "UZ", &[9; 16]).unwrap();
        txn.commit().unwrap();
        assert_eq!(store.peer_role("UZ", &[9; 16], &[7; 16]).unwrap(), None);
        assert_eq!(store.peer_role("UZ", &[9; 16], &[8; 16]).unwrap(), None);
        // A role stored before roles were kept per pair stands for every pair of its record.
        store.kv.insert(keys::peer_roles("UZ", &[5; 16]), vec![2]).unwrap();
        assert_eq!(store.peer_role("UZ", &[5; 16], &[7; 16]).unwrap(), Some(2));
        let mut txn = store.txn();
        Store::forget_rounds_and_role(&mut txn, "UZ", &[5; 16]).unwrap();
        txn.commit().unwrap();
        assert_eq!(store.peer_role("UZ", &[5; 16], &[7; 16]).unwrap(), None);
    }

    #[test]
    fn erasing_a_record_drops_the_roles_peers_declared_towards_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let person = Person { record_id: "KZ-1".into(), given_name: "Aziza".into(), ..Default::default() };
        store.put_person(person, PutMode::Create, &[(3u8, [1u8; 32])], &[("UZ".into(), [7; 16])], "t").unwrap();
        // UZ's record [9] is a child towards KZ-1 (ours behind [7]) and towards another of our
        // records (behind [8]); UZ's record [6] is a mother towards KZ-1.
        store.kv.insert(keys::peer_role("UZ", &[9; 16], &[7; 16]), vec![1]).unwrap();
        store.kv.insert(keys::peer_role("UZ", &[9; 16], &[8; 16]), vec![1]).unwrap();
        store.kv.insert(keys::peer_role("UZ", &[6; 16], &[7; 16]), vec![2]).unwrap();
        assert!(store.erase_person("KZ-1", &[("UZ".into(), [7; 16])], "t").unwrap());
        assert_eq!(store.peer_role("UZ", &[9; 16], &[7; 16]).unwrap(), None);
        assert_eq!(store.peer_role("UZ", &[6; 16], &[7; 16]).unwrap(), None);
        assert_eq!(store.peer_role("UZ", &[9; 16], &[8; 16]).unwrap(), Some(1), "another record's role stays");
    }

    #[test]
    fn tokens_answered_before_a_restart_still_link_and_a_fingerprint_collision_does_not() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let person = Person { record_id: "KZ-1".into(), given_name: "Aziza".into(), ..Default::default() };
            let tokens = [(3u8, [1u8; 32]), (5u8, [2u8; 32])];
            let (row, _) = store.put_person(person, PutMode::Create, &tokens, &[("UZ".into(), [7; 16])], "t").unwrap();
            let ops = store.outbox_batch("UZ", 10, 100).unwrap();
            assert_eq!(ops.len(), 1);
            assert!(matches!(&ops[0].op, OutboxOp::Add { generation, .. } if *generation == row.generation));
            // UZ answers the two tokens with these D's.
            assert_eq!(store.ack_outbox("UZ", &ops, &[d(10, 1), d(11, 1)], &policy()).unwrap(), 0);
            assert!(store.token_index_matches_tables().unwrap());
        }
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.tokens_indexed(), 2, "rebuilt from the tables on open");
        // A UZ token with the fingerprint of the first D but another value: no link.
        store
            .apply_incoming("UZ", 1, &[IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(10, 2)] }], &policy())
            .unwrap();
        assert!(store.all_links().unwrap().is_empty(), "a fingerprint collision made a link");
        // The same D as the second answer: a link, with the key kind stored beside the D.
        store
            .apply_incoming("UZ", 2, &[IncomingOp::Add { peer_ref: [8; 16], reblinded: vec![d(11, 1)] }], &policy())
            .unwrap();
        let links = store.all_links().unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!((links[0].record_id.as_str(), links[0].peer_ref, links[0].row.kinds), ("KZ-1", [8; 16], 1 << 5));
        assert!(store.token_index_matches_tables().unwrap());
        // Erasure drops our tokens from the index with the tables.
        assert!(store.erase_person("KZ-1", &[("UZ".into(), [7; 16])], "t").unwrap());
        assert!(store.token_index_matches_tables().unwrap());
        assert_eq!(store.tokens_indexed(), 2, "the peer's two tokens stay");
    }

    #[test]
    fn a_mark_alone_makes_no_link_and_joins_one_that_other_kinds_made() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let person = Person { record_id: "KZ-1".into(), given_name: "Aziza".into(), ..Default::default() };
        // Kind 18 is a mark in `policy()`; kind 5 finds links.
        let tokens = [(18u8, [1u8; 32]), (5u8, [2u8; 32])];
        store.put_person(person, PutMode::Create, &tokens, &[("UZ".into(), [7; 16])], "t").unwrap();
        let ops = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &ops, &[d(10, 1), d(11, 1)], &policy()).unwrap();
        // A peer record agreeing on the mark only: no link.
        let mark_only = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(10, 1)] };
        store.apply_incoming("UZ", 1, &[mark_only], &policy()).unwrap();
        assert!(store.all_links().unwrap().is_empty(), "a mark alone made a link");
        // A peer record agreeing on both: one link holding both kinds.
        let both = IncomingOp::Add { peer_ref: [8; 16], reblinded: vec![d(10, 1), d(11, 1)] };
        store.apply_incoming("UZ", 2, &[both], &policy()).unwrap();
        let links = store.all_links().unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!((links[0].peer_ref, links[0].row.kinds), ([8; 16], (1 << 18) | (1 << 5)));
        // The first record's mark arriving again once a finding kind linked it joins the link.
        let finding = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(11, 1)] };
        store.apply_incoming("UZ", 3, &[finding], &policy()).unwrap();
        let again = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(10, 1)] };
        store.apply_incoming("UZ", 4, &[again], &policy()).unwrap();
        let links = store.all_links().unwrap();
        let nine = links.iter().find(|l| l.peer_ref == [9; 16]).unwrap();
        assert_eq!(nine.row.kinds, (1 << 18) | (1 << 5));
    }

    #[test]
    fn a_record_sent_again_keeps_its_links_on_both_sides_until_they_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut generations = Vec::new();
        for (id, token, our_ref) in [("KZ-1", [1u8; 32], [7u8; 16]), ("KZ-2", [2u8; 32], [8u8; 16])] {
            let person = Person { record_id: id.into(), given_name: "Aziza".into(), ..Default::default() };
            let refs = [("UZ".to_string(), our_ref)];
            let (row, _) = store.put_person(person, PutMode::Create, &[(3u8, token)], &refs, "t").unwrap();
            generations.push(row.generation);
        }
        let ops = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &ops, &[d(10, 1), d(11, 1)], &policy()).unwrap();
        // UZ's record [9] meets KZ-1; UZ's pair-round tokens for the link arrive.
        let add = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(10, 1)] };
        store.apply_incoming("UZ", 1, std::slice::from_ref(&add), &policy()).unwrap();
        let pair =
            IncomingOp::Pair { sender_ref: [9; 16], receiver_ref: [7; 16], layout: vec![1], reblinded: vec![d(50, 5)] };
        store.apply_incoming("UZ", 2, std::slice::from_ref(&pair), &policy()).unwrap();
        let note = IncomingOp::Note { sender_ref: [9; 16], receiver_ref: [7; 16], role: 2 };
        store.apply_incoming("UZ", 3, &[note], &policy()).unwrap();
        let peer_side = keys::pair("UZ", &[9; 16], "KZ-1", 1);
        assert!(store.kv.get(&peer_side).unwrap().is_some());
        assert_eq!(store.all_links().unwrap().len(), 1);

        // Both records made again (a remake): each withdrawal travels with its addition.
        let remade: Vec<Resend> = vec![
            ("KZ-1".into(), generations[0], vec![(3u8, [1u8; 32])]),
            ("KZ-2".into(), generations[1], vec![(3u8, [2u8; 32])]),
        ];
        let fingerprints = [[1u8; 32], [2u8; 32]];
        let uz = ["UZ".to_string()];
        assert_eq!(
            store.requeue_for_rotation(&remade, &fingerprints, &uz, Replaced::Remade, &policy()).unwrap(),
            (4, 0)
        );
        assert_eq!(store.all_links().unwrap().len(), 1, "the link stays until the answer replaces it");
        for max_ops in [1, 3] {
            let batch = store.outbox_batch("UZ", max_ops, 100).unwrap();
            assert_eq!(batch.len(), 2, "a withdrawal and its addition split at {max_ops} operations");
            assert!(matches!(batch[0].op, OutboxOp::Withdraw { replaced: Replaced::Remade, .. }));
            assert!(matches!(batch[1].op, OutboxOp::Add { .. }));
        }
        let batch = store.outbox_batch("UZ", 3, 100).unwrap();
        store.ack_outbox("UZ", &batch, &[d(10, 1)], &policy()).unwrap();
        let links = store.all_links().unwrap();
        assert_eq!(links.len(), 1);
        assert_eq!((links[0].record_id.as_str(), links[0].peer_ref), ("KZ-1", [9; 16]));
        assert!(store.kv.get(keys::pair_pending("KZ-1", "UZ", &[9; 16])).unwrap().is_some(), "no new pair round");
        assert!(store.kv.get(&peer_side).unwrap().is_some(), "the round's tokens went before new ones came");
        let replaced = store.audit_entries(0, usize::MAX).unwrap();
        assert!(replaced.iter().any(|e| e.action == "link.withdrawn" && e.detail.contains("tokens made again")));

        // The receiving side: UZ's record [9] remade keeps the round; withdrawn plainly, or
        // remade into tokens that no longer meet KZ-1, it does not.
        let remade_withdrawal = IncomingOp::Withdraw { peer_ref: [9; 16], replaced: Replaced::Remade };
        store.apply_incoming("UZ", 4, &[remade_withdrawal.clone(), add.clone()], &policy()).unwrap();
        assert!(store.kv.get(&peer_side).unwrap().is_some());
        assert_eq!(store.all_links().unwrap().len(), 1);
        assert_eq!(store.peer_role("UZ", &[9; 16], &[7; 16]).unwrap(), Some(2), "the record's role went");
        let elsewhere = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(70, 7)] };
        store.apply_incoming("UZ", 6, &[remade_withdrawal, elsewhere], &policy()).unwrap();
        assert!(store.kv.get(&peer_side).unwrap().is_none());
        assert_eq!(store.peer_role("UZ", &[9; 16], &[7; 16]).unwrap(), None);
        assert!(store.all_links().unwrap().is_empty());
        let note = IncomingOp::Note { sender_ref: [9; 16], receiver_ref: [7; 16], role: 2 };
        store.apply_incoming("UZ", 8, &[add.clone(), pair, note], &policy()).unwrap();
        assert!(store.kv.get(&peer_side).unwrap().is_some());
        // Re-sent (a repair, a rotation): the role holds, the round does not.
        let resent = IncomingOp::Withdraw { peer_ref: [9; 16], replaced: Replaced::Resent };
        store.apply_incoming("UZ", 11, &[resent, add], &policy()).unwrap();
        assert!(store.kv.get(&peer_side).unwrap().is_none());
        assert_eq!(store.peer_role("UZ", &[9; 16], &[7; 16]).unwrap(), Some(2));
        assert_eq!(store.all_links().unwrap().len(), 1);
        let plain = IncomingOp::Withdraw { peer_ref: [9; 16], replaced: Replaced::No };
        store.apply_incoming("UZ", 13, &[plain], &policy()).unwrap();
        assert_eq!(store.peer_role("UZ", &[9; 16], &[7; 16]).unwrap(), None);
        assert!(store.all_links().unwrap().is_empty());
        assert!(store.token_index_matches_tables().unwrap());

        // Remade again with the same derivation: nothing to send. A rotation sends all; a
        // record changed since loses its fingerprint and is sent at the next remake.
        let queued = store.outbox_len("UZ").unwrap();
        assert_eq!(
            store.requeue_for_rotation(&remade, &fingerprints, &uz, Replaced::Remade, &policy()).unwrap(),
            (0, 2)
        );
        assert_eq!(store.outbox_len("UZ").unwrap(), queued);
        let other = [[1u8; 32], [9u8; 32]];
        assert_eq!(store.requeue_for_rotation(&remade, &other, &uz, Replaced::Remade, &policy()).unwrap(), (2, 1));
        let changed = Person { record_id: "KZ-1".into(), given_name: "Aziza Karimova".into(), ..Default::default() };
        let (row, _) = store.put_person(changed, PutMode::Replace, &[(3u8, [5u8; 32])], &[], "t").unwrap();
        assert_eq!(store.fingerprint("KZ-1").unwrap(), None);
        let again: Vec<Resend> = vec![("KZ-1".into(), row.generation, vec![(3u8, [5u8; 32])]), remade[1].clone()];
        assert_eq!(store.requeue_for_rotation(&again, &other, &uz, Replaced::Remade, &policy()).unwrap(), (2, 1));
        assert_eq!(store.requeue_for_rotation(&again, &other, &uz, Replaced::Resent, &policy()).unwrap(), (4, 0));
        assert_eq!(store.fingerprint("KZ-2").unwrap(), Some([9u8; 32]));
    }

    /// KZ-1 (our reference [7]) linked with UZ's record [9] through one token; returns KZ-1's
    /// generation and UZ's addition, to send again.
    fn kz1_linked_with_uz(store: &Store) -> (u64, IncomingOp) {
        let person = Person { record_id: "KZ-1".into(), given_name: "Aziza".into(), ..Default::default() };
        let refs = [("UZ".to_string(), [7u8; 16])];
        let (row, _) = store.put_person(person, PutMode::Create, &[(3u8, [1u8; 32])], &refs, "t").unwrap();
        let ops = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &ops, &[d(10, 1)], &policy()).unwrap();
        let add = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(10, 1)] };
        store.apply_incoming("UZ", 1, std::slice::from_ref(&add), &policy()).unwrap();
        (row.generation, add)
    }

    /// KZ-1's pair-round offer for its link with UZ's record [9].
    fn kz1_offer(generation: u64) -> crate::PairOffer {
        crate::PairOffer {
            record_id: "KZ-1".into(),
            generation,
            peer: "UZ".into(),
            peer_ref: [9; 16],
            our_ref: [7; 16],
            layout: vec![1],
            tokens: vec![[3; 32]],
        }
    }

    #[test]
    fn a_finished_pair_round_holds_across_a_resend_until_the_new_one_is_finished() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (generation, add) = kz1_linked_with_uz(&store);
        // One round: our offer answered by UZ (side 0), UZ's offer re-blinded here (side 1).
        let round = |store: &Store, seq: u64, ours: [u8; 32], theirs: [u8; 32]| {
            let pending = ("KZ-1".to_string(), "UZ".to_string(), [9u8; 16]);
            assert_eq!(store.pending_pairs(10).unwrap(), [pending], "the link waits for a round");
            let offer = kz1_offer(generation);
            assert_eq!(store.queue_pair_offers(&[offer], &[]).unwrap(), 1);
            let batch = store.outbox_batch("UZ", 10, 100).unwrap();
            store.ack_outbox("UZ", &batch, &[ours], &policy()).unwrap();
            let pair = IncomingOp::Pair {
                sender_ref: [9; 16],
                receiver_ref: [7; 16],
                layout: vec![1],
                reblinded: vec![theirs],
            };
            store.apply_incoming("UZ", seq, &[pair], &policy()).unwrap();
        };
        let tokens = |store: &Store| {
            let ((_, own), (_, theirs)) = store.pair_tokens("KZ-1", "UZ", &[9; 16]).unwrap()?;
            Some((own[0], theirs[0]))
        };
        round(&store, 2, d(60, 6), d(50, 5));
        assert_eq!(tokens(&store), Some((d(60, 6), d(50, 5))));

        // UZ's record re-sent (UZ rotated its key): the link is made again at once, and until
        // its new round is finished it shows the old one, whose two sides still compare.
        let resent = IncomingOp::Withdraw { peer_ref: [9; 16], replaced: Replaced::Resent };
        store.apply_incoming("UZ", 3, &[resent, add.clone()], &policy()).unwrap();
        assert_eq!(store.all_links().unwrap().len(), 1);
        assert!(store.kv.get(keys::pair("UZ", &[9; 16], "KZ-1", 1)).unwrap().is_none());
        assert_eq!(tokens(&store), Some((d(60, 6), d(50, 5))), "the round set aside shows");
        round(&store, 5, d(61, 6), d(51, 5));
        assert_eq!(tokens(&store), Some((d(61, 6), d(51, 5))), "the new round replaces it");
        assert!(store.kv.get(keys::pair("UZ", &[9; 16], "KZ-1", 2)).unwrap().is_none(), "nothing set aside left");

        // KZ-1 re-sent (our rotation, which mapped the round's tokens to the new key): when
        // UZ's answer makes the link again here, the round stays in place, and each side of the
        // new one replaces its counterpart as it comes (both compare under the new key).
        let resend: Vec<Resend> = vec![("KZ-1".into(), generation, vec![(3u8, [1u8; 32])])];
        let uz = ["UZ".to_string()];
        store.requeue_for_rotation(&resend, &[[1u8; 32]], &uz, Replaced::Resent, &policy()).unwrap();
        let batch = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &batch, &[d(10, 1)], &policy()).unwrap();
        assert_eq!(store.all_links().unwrap().len(), 1);
        assert_eq!(tokens(&store), Some((d(61, 6), d(51, 5))));
        assert_eq!(store.pending_pairs(10).unwrap().len(), 1, "the link waits for a new round");
        let pair =
            IncomingOp::Pair { sender_ref: [9; 16], receiver_ref: [7; 16], layout: vec![1], reblinded: vec![d(52, 5)] };
        store.apply_incoming("UZ", 6, &[pair], &policy()).unwrap();
        assert_eq!(tokens(&store), Some((d(61, 6), d(52, 5))));

        // Re-sent once more, its tokens now meeting nothing at UZ: the link goes, and with it
        // every round it had, so none is shown should the two records meet again.
        store.requeue_for_rotation(&resend, &[[1u8; 32]], &uz, Replaced::Resent, &policy()).unwrap();
        let batch = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &batch, &[d(99, 9)], &policy()).unwrap();
        assert!(store.all_links().unwrap().is_empty());
        assert_eq!(tokens(&store), None);
        assert!(store.kv.scan_prefix([keys::PAIR]).next().is_none(), "no pair-round tokens left");
        assert!(store.pending_pairs(10).unwrap().is_empty());

        // A plain withdrawal (UZ's record changed) takes everything.
        let plain = IncomingOp::Withdraw { peer_ref: [9; 16], replaced: Replaced::No };
        store.apply_incoming("UZ", 7, &[plain], &policy()).unwrap();
        assert!(store.all_links().unwrap().is_empty());
        assert_eq!(tokens(&store), None);
        assert!(store.kv.scan_prefix([keys::PAIR]).next().is_none(), "no pair-round tokens left");
    }

    #[test]
    fn a_link_made_again_that_gets_no_round_keeps_no_old_round() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (generation, add) = kz1_linked_with_uz(&store);
        let pending = ("KZ-1".to_string(), "UZ".to_string(), [9u8; 16]);
        let offer = kz1_offer(generation);
        assert_eq!(store.queue_pair_offers(std::slice::from_ref(&offer), &[]).unwrap(), 1);
        let batch = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &batch, &[d(60, 6)], &policy()).unwrap();
        let pair =
            IncomingOp::Pair { sender_ref: [9; 16], receiver_ref: [7; 16], layout: vec![1], reblinded: vec![d(50, 5)] };
        store.apply_incoming("UZ", 2, &[pair], &policy()).unwrap();
        assert!(store.pair_tokens("KZ-1", "UZ", &[9; 16]).unwrap().is_some());

        // UZ remakes its record (an upgrade): the link is made again and waits for the node's
        // decision, showing the old round meanwhile.
        let remade = IncomingOp::Withdraw { peer_ref: [9; 16], replaced: Replaced::Remade };
        store.apply_incoming("UZ", 3, &[remade, add.clone()], &policy()).unwrap();
        assert_eq!(store.pending_pairs(10).unwrap(), std::slice::from_ref(&pending));
        assert!(store.pair_tokens("KZ-1", "UZ", &[9; 16]).unwrap().is_some(), "the old round shows meanwhile");
        // The node decides that its new keys need no round: the link keeps none, as a link
        // found for the first time would have none.
        assert_eq!(store.queue_pair_offers(&[], std::slice::from_ref(&pending)).unwrap(), 0);
        assert!(store.pending_pairs(10).unwrap().is_empty());
        assert_eq!(store.all_links().unwrap().len(), 1);
        assert!(store.pair_tokens("KZ-1", "UZ", &[9; 16]).unwrap().is_none(), "an old round kept");
        assert!(store.kv.scan_prefix([keys::PAIR]).next().is_none(), "pair-round tokens left");
        // A decision on a link no longer waiting (decided before) changes nothing.
        assert_eq!(store.queue_pair_offers(&[offer], &[pending]).unwrap(), 0);
        assert!(store.outbox_batch("UZ", 10, 100).unwrap().is_empty());
    }

    #[test]
    fn a_peers_record_sent_again_keeps_the_rounds_of_the_links_it_makes_again_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut offers = Vec::new();
        for (id, token, our_ref) in [("KZ-1", [1u8; 32], [7u8; 16]), ("KZ-2", [2u8; 32], [8u8; 16])] {
            let person = Person { record_id: id.into(), given_name: "Aziza".into(), ..Default::default() };
            let refs = [("UZ".to_string(), our_ref)];
            let (row, _) = store.put_person(person, PutMode::Create, &[(3u8, token)], &refs, "t").unwrap();
            offers.push(crate::PairOffer {
                record_id: id.into(),
                generation: row.generation,
                peer: "UZ".into(),
                peer_ref: [9; 16],
                our_ref,
                layout: vec![1],
                tokens: vec![[3; 32]],
            });
        }
        let ops = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &ops, &[d(10, 1), d(11, 1)], &policy()).unwrap();
        // UZ's record [9] meets both; both links' rounds are finished.
        let add = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(10, 1), d(11, 1)] };
        store.apply_incoming("UZ", 1, &[add], &policy()).unwrap();
        assert_eq!(store.queue_pair_offers(&offers, &[]).unwrap(), 2);
        let batch = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &batch, &[d(60, 6), d(61, 6)], &policy()).unwrap();
        let pairs: Vec<IncomingOp> = [[7u8; 16], [8u8; 16]]
            .into_iter()
            .map(|receiver_ref| IncomingOp::Pair {
                sender_ref: [9; 16],
                receiver_ref,
                layout: vec![1],
                reblinded: vec![d(50, 5)],
            })
            .collect();
        store.apply_incoming("UZ", 2, &pairs, &policy()).unwrap();
        for record in ["KZ-1", "KZ-2"] {
            assert!(store.pair_tokens(record, "UZ", &[9; 16]).unwrap().is_some(), "{record}");
        }
        // Sent again, its tokens now meeting KZ-1 only: KZ-1's round holds, KZ-2's goes.
        let resent = IncomingOp::Withdraw { peer_ref: [9; 16], replaced: Replaced::Resent };
        let again = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(10, 1)] };
        store.apply_incoming("UZ", 4, &[resent, again], &policy()).unwrap();
        let links: Vec<String> = store.all_links().unwrap().into_iter().map(|l| l.record_id).collect();
        assert_eq!(links, ["KZ-1"]);
        assert!(store.pair_tokens("KZ-1", "UZ", &[9; 16]).unwrap().is_some());
        assert!(store.pair_tokens("KZ-2", "UZ", &[9; 16]).unwrap().is_none());
        for side in 0..4 {
            assert!(store.kv.get(keys::pair("UZ", &[9; 16], "KZ-2", side)).unwrap().is_none(), "side {side}");
        }
    }

    #[test]
    fn a_peers_resend_request_is_honoured_once_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.apply_incoming("UZ", 1, &[IncomingOp::Rekey], &policy()).unwrap();
        assert!(store.resend_requested("UZ").unwrap());
        store.clear_resend("UZ").unwrap();
        // Again at once (another Rekey in the same batch and one in the next): counted, not
        // honoured; another peer's is its own.
        store.apply_incoming("UZ", 2, &[IncomingOp::Rekey, IncomingOp::Rekey], &policy()).unwrap();
        assert!(!store.resend_requested("UZ").unwrap());
        let audit = store.audit_entries(0, usize::MAX).unwrap();
        assert!(audit.last().is_some_and(|e| e.detail.ends_with("rekeys_ignored=2")), "{audit:?}");
        store.apply_incoming("TJ", 1, &[IncomingOp::Rekey], &policy()).unwrap();
        assert!(store.resend_requested("TJ").unwrap());
        // A day later it is honoured again.
        let day_ago = (now() as u64).saturating_sub(REKEY_MIN_INTERVAL_SECS);
        let mut txn = store.txn();
        Store::set_meta_u64(&mut txn, "rekey.at.UZ", day_ago);
        txn.commit().unwrap();
        store.apply_incoming("UZ", 4, &[IncomingOp::Rekey], &policy()).unwrap();
        assert!(store.resend_requested("UZ").unwrap());
    }

    #[test]
    fn a_peers_key_rotation_replaces_our_answers_in_place_and_its_tokens_then_meet_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        for (id, token, our_ref) in [("KZ-1", [1u8; 32], [7u8; 16]), ("KZ-2", [2u8; 32], [8u8; 16])] {
            let person = Person { record_id: id.into(), given_name: "Aziza".into(), ..Default::default() };
            let refs = [("UZ".to_string(), our_ref)];
            store.put_person(person, PutMode::Create, &[(3u8, token), (4u8, token)], &refs, "t").unwrap();
        }
        let ops = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &ops, &[d(10, 1), d(12, 1), d(11, 1), d(13, 1)], &policy()).unwrap();
        let add = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(10, 1)] };
        store.apply_incoming("UZ", 1, &[add], &policy()).unwrap();
        let links = |store: &Store| store.all_links().unwrap().iter().map(|l| l.record_id.clone()).collect::<Vec<_>>();
        assert_eq!(links(&store), ["KZ-1"]);

        // UZ rotated its key: its new answers for KZ-1 (one of them; an unknown old answer and
        // a reference not ours are skipped), then its record [9] re-sent under the new key, in
        // one batch. The link never goes and is made again from the new answers.
        let reanswer =
            IncomingOp::Reanswer { receiver_ref: [7; 16], answers: vec![(d(10, 1), d(20, 2)), (d(99, 9), d(98, 9))] };
        let stranger = IncomingOp::Reanswer { receiver_ref: [5; 16], answers: vec![(d(11, 1), d(21, 2))] };
        let resent = IncomingOp::Withdraw { peer_ref: [9; 16], replaced: Replaced::Resent };
        let add = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(20, 2)] };
        store.apply_incoming("UZ", 2, &[reanswer.clone(), stranger, resent, add], &policy()).unwrap();
        assert_eq!(links(&store), ["KZ-1"]);
        let own = |record: &str| keys::own_points(&store.kv.get(keys::own_by_record(record, "UZ")).unwrap().unwrap());
        assert_eq!(own("KZ-1"), Some(vec![(d(20, 2), 3), (d(12, 1), 4)]), "kinds kept, order kept");
        assert_eq!(own("KZ-2"), Some(vec![(d(11, 1), 3), (d(13, 1), 4)]));
        let audit = store.audit_entries(0, usize::MAX).unwrap();
        assert!(audit.iter().any(|e| e.detail.contains("reanswered=1 notes_skipped=1")), "{audit:?}");
        // Answered again with the new key before the re-answer came: the old answer goes.
        let generation = store.get_person("KZ-2").unwrap().unwrap().generation;
        let tokens = vec![(3, [2; 32])];
        let op = OutboxOp::Add { record_id: "KZ-2".into(), generation, peer_ref: [8; 16], tokens };
        let ops = vec![PendingOp { seq: 100, op }];
        store.kv.insert(keys::outbox("UZ", 100), ops[0].op.encode()).unwrap();
        store.ack_outbox("UZ", &ops, &[d(21, 2)], &policy()).unwrap();
        let reanswer = IncomingOp::Reanswer { receiver_ref: [8; 16], answers: vec![(d(11, 1), d(21, 2))] };
        store.apply_incoming("UZ", 6, &[reanswer], &policy()).unwrap();
        assert_eq!(own("KZ-2"), Some(vec![(d(13, 1), 4), (d(21, 2), 3)]));
        assert!(store.token_index_matches_tables().unwrap());

        // Our own rotation: what we hold of UZ moves to the new key, and UZ is sent each
        // reference's old and new answers; a digest waits until UZ has them.
        assert!(!store.reanswers_pending("UZ").unwrap());
        let rewritten = store
            .rotate_peer_tokens("UZ", "rotation.done.UZ", |ds| ds.iter().map(|d| [d[0] ^ 0xff; 32]).collect())
            .unwrap();
        assert_eq!(rewritten, 1);
        assert!(store.reanswers_pending("UZ").unwrap());
        let batch = store.outbox_batch("UZ", 10, 100).unwrap();
        let expected = OutboxOp::Reanswer { their_ref: [9; 16], answers: vec![(d(20, 2), [0xfd; 32])] };
        assert_eq!(batch.iter().map(|p| &p.op).collect::<Vec<_>>(), [&expected]);
        assert_eq!(store.rotate_peer_tokens("UZ", "rotation.done.UZ", |ds| ds.to_vec()).unwrap(), 0, "done once");
        store.ack_outbox("UZ", &batch, &[], &policy()).unwrap();
        assert!(!store.reanswers_pending("UZ").unwrap());
        assert!(store.token_index_matches_tables().unwrap());
    }

    #[test]
    fn tokens_sent_or_answered_twice_leave_nothing_interned_once_gone() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let interned = || store.tokens.lock().unwrap().interned();
        // A peer sends the same reference's tokens twice, then withdraws it.
        let add = IncomingOp::Add { peer_ref: [9; 16], reblinded: vec![d(20, 1), d(21, 1)] };
        store.apply_incoming("UZ", 1, std::slice::from_ref(&add), &policy()).unwrap();
        store.apply_incoming("UZ", 2, &[add], &policy()).unwrap();
        assert_eq!(interned(), 1);
        store
            .apply_incoming("UZ", 3, &[IncomingOp::Withdraw { peer_ref: [9; 16], replaced: Replaced::No }], &policy())
            .unwrap();
        assert_eq!((store.tokens_indexed(), interned()), (0, 0), "the reference is freed with its tokens");
        // A peer answers our record's tokens twice; erasing the record frees its id.
        let person = Person { record_id: "KZ-1".into(), given_name: "Aziza".into(), ..Default::default() };
        store.put_person(person, PutMode::Create, &[(3u8, [1u8; 32])], &[("UZ".into(), [7; 16])], "t").unwrap();
        let ops = store.outbox_batch("UZ", 10, 100).unwrap();
        store.ack_outbox("UZ", &ops, &[d(30, 1)], &policy()).unwrap();
        store.ack_outbox("UZ", &ops, &[d(30, 1)], &policy()).unwrap();
        assert_eq!(interned(), 1);
        assert!(store.erase_person("KZ-1", &[("UZ".into(), [7; 16])], "t").unwrap());
        assert_eq!((store.tokens_indexed(), interned()), (0, 0), "the record is freed with its tokens");
        assert!(store.token_index_matches_tables().unwrap());
    }

    #[test]
    fn the_data_version_moves_with_changes_but_not_with_audit_entries() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let start = store.data_version();
        store.audit("caseworker", "link.list", "", "count=0").unwrap();
        assert_eq!(store.data_version(), start, "an audit entry changes no data");
        let person = Person { record_id: "KZ-1".into(), given_name: "Aziza".into(), ..Default::default() };
        store.put_person(person, PutMode::Create, &[(3u8, [1u8; 32])], &[("UZ".into(), [7; 16])], "t").unwrap();
        let after_enrolment = store.data_version();
        assert!(after_enrolment > start);
        // A refused change commits nothing and moves nothing.
        let again = Person { record_id: "KZ-1".into(), ..Default::default() };
        assert!(store.put_person(again, PutMode::Create, &[], &[], "t").is_err());
        assert_eq!(store.data_version(), after_enrolment);
        assert!(store.erase_person("KZ-1", &[("UZ".into(), [7; 16])], "t").unwrap());
        assert!(store.data_version() > after_enrolment);
    }

    #[test]
    fn a_store_closed_and_reopened_at_once_opens() {
        // sled releases its file lock from a background thread after the last handle drops.
        let dir = tempfile::tempdir().unwrap();
        for _ in 0..20 {
            let store = Store::open(dir.path()).expect("reopened at once");
            store
                .put_person(
                    Person { record_id: "KZ-1".into(), given_name: "Aziza".into(), ..Default::default() },
                    PutMode::Upsert,
                    &[],
                    &[],
                    "t",
                )
                .unwrap();
        }
    }

    #[test]
    fn a_store_of_another_format_is_refused_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = sled::Config::new().path(dir.path()).open().unwrap();
            let kv = db.open_tree("homeward").unwrap();
            kv.insert(keys::person("KZ-1"), b"{}".to_vec()).unwrap();
            db.flush().unwrap();
        }
        let err = Store::open(dir.path()).err().expect("an unnumbered store with data is refused").to_string();
        assert!(err.contains("before store formats were numbered"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        drop(Store::open(dir.path()).expect("a store this code made opens again"));
    }

    #[test]
    fn a_damaged_store_is_refused_with_an_error_not_a_panic() {
        // Several log segments and a snapshot that points into them, then the file cut in half:
        // sled 0.34 often panics reading the segments (an index out of bounds).
        let dir = tempfile::tempdir().unwrap();
        {
            let db = sled::Config::new().path(dir.path()).open().unwrap();
            let tree = db.open_tree("homeward").unwrap();
            for i in 0u32..4_000 {
                tree.insert(i.to_be_bytes(), vec![(i % 251) as u8; 1_000]).unwrap();
            }
            db.flush().unwrap();
        }
        // Opened and closed again: the recovery writes a snapshot over the segments.
        drop(sled::Config::new().path(dir.path()).open().unwrap());
        let db_file = dir.path().join("db");
        let length = std::fs::metadata(&db_file).unwrap().len();
        std::fs::OpenOptions::new().write(true).open(&db_file).unwrap().set_len(length / 2).unwrap();
        let err = Store::open(dir.path()).err().expect("a damaged store is refused").to_string();
        // Which of the two sled meets depends on how its flusher laid the segments out: a
        // panic (made an error by `open_db`) or its own corruption error.
        assert!(err.contains("damaged") || err.contains("corrupted"), "{err}");
    }
}
