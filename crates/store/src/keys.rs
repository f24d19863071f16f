//! Key layout of the single sled tree. Record ids never contain a NUL byte (validation refuses
//! control characters), so NUL separates a record id from what follows it.
//!
//! | prefix | key                                   | value                         |
//! |--------|---------------------------------------|-------------------------------|
//! | `p`    | record                                | [`crate::PersonRow`] (JSON)   |
//! | `o`    | peer(2) D(32) record                  | key kind (1 byte)             |
//! | `O`    | record 0 peer(2)                      | D(32)… (index of `o` by record)|
//! | `t`    | peer(2) D(32) ref(16)                 | — (a peer's re-blinded token) |
//! | `T`    | peer(2) ref(16)                       | D(32)… (index of `t` by ref)  |
//! | `l`    | record 0 peer(2) ref(16) link-kind(1) | [`crate::LinkRow`] (JSON)     |
//! | `L`    | peer(2) ref(16) record                | — (index of `l` by peer ref)  |
//! | `r`    | peer(2) ref(16)                       | record (our refs, resolved)   |
//! | `R`    | peer(2) ref(16)                       | the peer's family role (1 B)  |
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
//! | `y`    | peer(2) ref(16) record 0 side(1)      | pair-round tokens of a same-person link: side 0 our fields (the peer's answers), side 1 the peer's fields (our re-blinding); layout length(1), layout, D(32)… |
//! | `Y`    | record 0 peer(2) ref(16)              | — (a new same-person link whose pair round is not yet decided) |

pub const PERSON: u8 = b'p';
pub const OWN_TOKEN: u8 = b'o';
pub const OWN_BY_RECORD: u8 = b'O';
pub const PEER_TOKEN: u8 = b't';
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

pub fn own_token(peer: &str, d: &[u8; 32], record: &str) -> Vec<u8> {
    build(OWN_TOKEN, &[&peer_bytes(peer), d, record.as_bytes()])
}

/// One key per (record, peer), its value the concatenated `D`s: one write per record rather
/// than one per token.
pub fn own_by_record(record: &str, peer: &str) -> Vec<u8> {
    build(OWN_BY_RECORD, &[record.as_bytes(), &[0], &peer_bytes(peer)])
}

pub fn peer_token(peer: &str, d: &[u8; 32], peer_ref: &[u8; 16]) -> Vec<u8> {
    build(PEER_TOKEN, &[&peer_bytes(peer), d, peer_ref])
}

/// One key per peer reference, its value the concatenated `D`s.
pub fn peer_by_ref(peer: &str, peer_ref: &[u8; 16]) -> Vec<u8> {
    build(PEER_BY_REF, &[&peer_bytes(peer), peer_ref])
}

/// Splits a value of concatenated 32-byte points (`O`, `T`); `None` if its length is wrong.
pub fn points(value: &[u8]) -> Option<Vec<[u8; 32]>> {
    value.len().is_multiple_of(32).then(|| value.chunks_exact(32).filter_map(array::<32>).collect())
}

/// Appends the points of `new` not yet in `value`.
pub fn merge_points(value: &mut Vec<u8>, new: &[[u8; 32]]) {
    for d in new {
        if !value.chunks_exact(32).any(|c| c == d) {
            value.extend_from_slice(d);
        }
    }
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

pub fn peer_role(peer: &str, peer_ref: &[u8; 16]) -> Vec<u8> {
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
