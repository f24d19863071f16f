//! Key layout of the single sled tree. Record ids never contain a NUL byte (validation refuses
//! control characters), so NUL separates a record id from what follows it.
//!
//! | prefix | key                                   | value                         |
//! |--------|---------------------------------------|-------------------------------|
//! | `p`    | record                                | [`crate::PersonRow`] (JSON)   |
//! | `O`    | record 0 peer(2)                      | (D(32) key-kind(1))…: our tokens as the peer answered them |
//! | `T`    | peer(2) ref(16)                       | D(32)…: the peer's tokens as we re-blinded them |
//! | `l`    | record 0 peer(2) ref(16) link-kind(1) | [`crate::LinkRow`] (JSON)     |
//! | `L`    | peer(2) ref(16) record                | — (index of `l` by peer ref)  |
//! | `r`    | peer(2) ref(16)                       | record (our refs, resolved)   |
//! | `R`    | peer(2) ref(16) our ref(16)           | the peer's family role (1 B)  |
//! | `q`    | peer(2) seq(8, big-endian)            | [`crate::OutboxOp`]           |
//! | `m`    | name                                  | meta values                   |
//! | `a`    | seq(8, big-endian)                    | [`crate::AuditEntry`] (JSON)  |
//! | `c`    | case                                  | [`homeward_core::case::Case`] (JSON) |
//! | `C`    | record 0 case                         | — (index of `c` by person)    |
//! | `s`    | case 0 service                        | [`homeward_core::case::Service`] (JSON) |
//! | `x`    | case 0 assessment                     | [`homeward_core::case::Assessment`] (JSON) |
//! | `i`    | peer(2) seq(8, big-endian)            | a follow-up message not yet acted on |
//! | `v` `d` `f` | id                               | follow-up records: link reviews, disclosures, referrals (JSON) |
//! | `F`    | record 0 table(1) id                  | — (index of `v` `d` `f` by record)  |
//! | `y`    | peer(2) ref(16) record 0 side(1)      | pair-round tokens of a same-person link: side 0 our fields (the peer's answers), side 1 the peer's fields (our re-blinding), sides 2 and 3 the same of the round set aside when the peer last re-sent its record; layout length(1), layout, D(32)… |
//! | `Y`    | record 0 peer(2) ref(16)              | — (a new same-person link whose pair round is not yet decided) |
//! | `k`    | record                                | the derivation fingerprint (32 B) of the tokens last queued by a remake or rotation; dropped by any change of the record |
//!
//! `O` and `T` are found by `D` through an index in memory (see [`crate::tokens`]), not through
//! keys of their own: one key per token made the token tables most of the store.

pub const PERSON: u8 = b'p';
pub const FINGERPRINT: u8 = b'k';
pub const OWN_BY_RECORD: u8 = b'O';
pub const PEER_BY_REF: u8 = b'T';
pub const LINK: u8 = b'l';
pub const LINK_BY_REF: u8 = b'L';
pub const OUR_REF: u8 = b'r';
pub const PEER_ROLE: u8 = b'R';
pub const OUTBOX: u8 = b'q';
pub const META: u8 = b'm';
pub const AUDIT: u8 = b'a';
pub const CASE: u8 = b'c';
pub const CASE_BY_PERSON: u8 = b'C';
pub const SERVICE: u8 = b's';
pub const ASSESSMENT: u8 = b'x';
pub const INBOX: u8 = b'i';
pub const REVIEW: u8 = b'v';
pub const DISCLOSURE: u8 = b'd';
pub const REFERRAL: u8 = b'f';
pub const FOLLOWUP_BY_RECORD: u8 = b'F';
pub const PAIR: u8 = b'y';
pub const PAIR_PENDING: u8 = b'Y';

/// Country codes are two ASCII letters; anything else is refused before it reaches a key.
pub fn peer_bytes(peer: &str) -> [u8; 2] {
    let b = peer.as_bytes();
    [b.first().copied().unwrap_or(b'?'), b.get(1).copied().unwrap_or(b'?')]
}

pub fn build(prefix: u8, parts: &[&[u8]]) -> Vec<u8> {
    let mut key = Vec::with_capacity(1 + parts.iter().map(|p| p.len()).sum::<usize>());
    key.push(prefix);
    for part in parts {
        key.extend_from_slice(part);
    }
    key
}

pub fn person(record: &str) -> Vec<u8> {
    build(PERSON, &[record.as_bytes()])
}

/// One key per (record, peer), its value the concatenated `D`s, each with its key kind: one
/// write per record rather than one per token.
pub fn fingerprint(record: &str) -> Vec<u8> {
    build(FINGERPRINT, &[record.as_bytes()])
}

pub fn own_by_record(record: &str, peer: &str) -> Vec<u8> {
    build(OWN_BY_RECORD, &[record.as_bytes(), &[0], &peer_bytes(peer)])
}

/// (record, peer) of an `O` key.
pub fn split_own_by_record(key: &[u8]) -> Option<(String, [u8; 2])> {
    let (head, peer) = split_tail(key, 3)?;
    if peer[0] != 0 || head.first() != Some(&OWN_BY_RECORD) {
        return None;
    }
    let record = String::from_utf8(head[1..].to_vec()).ok()?;
    Some((record, array::<2>(&peer[1..])?))
}

/// (peer, reference) of a `T` key.
pub fn split_peer_by_ref(key: &[u8]) -> Option<([u8; 2], [u8; 16])> {
    if key.len() != 1 + 2 + 16 || key[0] != PEER_BY_REF {
        return None;
    }
    Some((array::<2>(&key[1..3])?, array::<16>(&key[3..])?))
}

/// Splits an `O` value into (D, key kind); `None` if its length is wrong.
pub fn own_points(value: &[u8]) -> Option<Vec<([u8; 32], u8)>> {
    value
        .len()
        .is_multiple_of(33)
        .then(|| value.chunks_exact(33).filter_map(|c| Some((array::<32>(&c[..32])?, c[32]))).collect())
}

/// Appends to an `O` value the tokens of `new` whose `D` it does not hold yet.
pub fn merge_own_points(value: &mut Vec<u8>, new: &[([u8; 32], u8)]) -> Vec<[u8; 32]> {
    let mut appended = Vec::new();
    for (d, kind) in new {
        if !value.chunks_exact(33).any(|c| &c[..32] == d) {
            value.extend_from_slice(d);
            value.push(*kind);
            appended.push(*d);
        }
    }
    appended
}

/// One key per peer reference, its value the concatenated `D`s.
pub fn peer_by_ref(peer: &str, peer_ref: &[u8; 16]) -> Vec<u8> {
    build(PEER_BY_REF, &[&peer_bytes(peer), peer_ref])
}

/// Splits a value of concatenated 32-byte points (`O`, `T`); `None` if its length is wrong.
pub fn points(value: &[u8]) -> Option<Vec<[u8; 32]>> {
    value.len().is_multiple_of(32).then(|| value.chunks_exact(32).filter_map(array::<32>).collect())
}

/// Appends the points of `new` not yet in `value`, and returns them.
pub fn merge_points(value: &mut Vec<u8>, new: &[[u8; 32]]) -> Vec<[u8; 32]> {
    let mut appended = Vec::new();
    for d in new {
        if !value.chunks_exact(32).any(|c| c == d) {
            value.extend_from_slice(d);
            appended.push(*d);
        }
    }
    appended
}

pub fn link(record: &str, peer: &str, peer_ref: &[u8; 16], link_kind: u8) -> Vec<u8> {
    build(LINK, &[record.as_bytes(), &[0], &peer_bytes(peer), peer_ref, &[link_kind]])
}

pub fn link_by_ref(peer: &str, peer_ref: &[u8; 16], record: &str) -> Vec<u8> {
    build(LINK_BY_REF, &[&peer_bytes(peer), peer_ref, record.as_bytes()])
}

pub fn pair(peer: &str, peer_ref: &[u8; 16], record: &str, side: u8) -> Vec<u8> {
    build(PAIR, &[&peer_bytes(peer), peer_ref, record.as_bytes(), &[0, side]])
}

pub fn pair_pending(record: &str, peer: &str, peer_ref: &[u8; 16]) -> Vec<u8> {
    build(PAIR_PENDING, &[record.as_bytes(), &[0], &peer_bytes(peer), peer_ref])
}

pub fn our_ref(peer: &str, our_ref: &[u8; 16]) -> Vec<u8> {
    build(OUR_REF, &[&peer_bytes(peer), our_ref])
}

/// The family role the peer declared for its record behind `peer_ref` in its hit with our
/// record behind `our_ref`: one record may be a child to one record (its mother's) and a mother
/// to another (her child's).
pub fn peer_role(peer: &str, peer_ref: &[u8; 16], our_ref: &[u8; 16]) -> Vec<u8> {
    build(PEER_ROLE, &[&peer_bytes(peer), peer_ref, our_ref])
}

/// Every role the peer declared for its record behind `peer_ref`; also the whole key of a role
/// stored before roles were kept per pair of records (one role per peer record).
pub fn peer_roles(peer: &str, peer_ref: &[u8; 16]) -> Vec<u8> {
    build(PEER_ROLE, &[&peer_bytes(peer), peer_ref])
}

pub fn outbox(peer: &str, seq: u64) -> Vec<u8> {
    build(OUTBOX, &[&peer_bytes(peer), &seq.to_be_bytes()])
}

pub fn inbox(peer: &str, seq: u64) -> Vec<u8> {
    build(INBOX, &[&peer_bytes(peer), &seq.to_be_bytes()])
}

pub fn meta(name: &str) -> Vec<u8> {
    build(META, &[name.as_bytes()])
}

pub fn audit(seq: u64) -> Vec<u8> {
    build(AUDIT, &[&seq.to_be_bytes()])
}

pub fn case(case_id: &str) -> Vec<u8> {
    build(CASE, &[case_id.as_bytes()])
}

pub fn case_by_person(record: &str, case_id: &str) -> Vec<u8> {
    build(CASE_BY_PERSON, &[record.as_bytes(), &[0], case_id.as_bytes()])
}

/// Splits the fixed-width tail off a key: returns (head, tail) or `None` if too short.
pub fn split_tail(key: &[u8], tail_len: usize) -> Option<(&[u8], &[u8])> {
    (key.len() >= tail_len).then(|| key.split_at(key.len() - tail_len))
}

pub fn array<const N: usize>(bytes: &[u8]) -> Option<[u8; N]> {
    bytes.try_into().ok()
}
