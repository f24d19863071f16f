//! Follow-up records (link reviews, disclosure requests, referrals) and the inbox of follow-up
//! messages from peers.
//!
//! The store keeps these records as JSON under their table's prefix (`v`, `d`, `f`) with an
//! index by the local record (`F`), so erasing a person erases everything about it. It does not
//! interpret them: the node's follow-up logic reads and changes them inside a [`Work`], one
//! atomic batch under the writer lock that may also queue messages to a peer's outbox, open or
//! change a case, and append audit entries. Either all of it is written or nothing.
//!
//! A follow-up message from a peer is stored in the inbox (`i`, by peer and sequence number) in
//! the same batch as the applied mark of its Exchange, so it is never lost and never applied
//! twice; the node acts on it with [`Store::follow_up_inbox`], which removes it in the batch of
//! the action.

use crate::keys;
use crate::outbox::OutboxOp;
use crate::store::{PersonRow, Store, corrupt, decode_json, encode_json, now};
use crate::txn::Txn;
use crate::{Result, StoreError};
use homeward_core::case::{Case, CaseDetails};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The follow-up tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Review,
    Disclosure,
    Referral,
}

impl Table {
    fn prefix(self) -> u8 {
        match self {
            Table::Review => keys::REVIEW,
            Table::Disclosure => keys::DISCLOSURE,
            Table::Referral => keys::REFERRAL,
        }
    }

    fn from_prefix(prefix: u8) -> Option<Table> {
        [Table::Review, Table::Disclosure, Table::Referral].into_iter().find(|t| t.prefix() == prefix)
    }
}

fn row_key(table: Table, id: &str) -> Vec<u8> {
    keys::build(table.prefix(), &[id.as_bytes()])
}

fn index_key(record_id: &str, table: Table, id: &str) -> Vec<u8> {
    keys::build(keys::FOLLOWUP_BY_RECORD, &[record_id.as_bytes(), &[0, table.prefix()], id.as_bytes()])
}

/// One atomic change of follow-up state; see the module documentation.
pub struct Work<'t, 'a> {
    txn: &'t mut Txn<'a>,
}

impl Work<'_, '_> {
    pub fn get<T: DeserializeOwned>(&self, table: Table, id: &str) -> Result<Option<T>> {
        let key = row_key(table, id);
        self.txn.get(&key)?.map(|v| decode_json(&key, &v)).transpose()
    }

    /// Writes a record about the local record `record_id`.
    pub fn put<T: Serialize>(&mut self, table: Table, id: &str, record_id: &str, value: &T) {
        self.txn.insert(row_key(table, id), encode_json(value));
        self.txn.insert(index_key(record_id, table, id), Vec::new());
    }

    /// The records of `table` about the local record `record_id`, through the index [`Work::put`]
    /// keeps (no scan of the whole table).
    pub fn about<T: DeserializeOwned>(&self, table: Table, record_id: &str) -> Result<Vec<T>> {
        let prefix = keys::build(keys::FOLLOWUP_BY_RECORD, &[record_id.as_bytes(), &[0, table.prefix()]]);
        let mut out = Vec::new();
        for (k, _) in self.txn.scan_prefix(&prefix)? {
            let id = std::str::from_utf8(&k[prefix.len()..]).map_err(|e| corrupt(&k, e))?;
            if let Some(row) = self.get(table, id)? {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// Queues a follow-up message for `peer`, after everything already queued for it.
    pub fn send(&mut self, peer: &str, message: Vec<u8>) -> Result<()> {
        Store::enqueue(self.txn, peer, OutboxOp::Message(message))
    }

    pub fn audit(&mut self, actor: &str, action: &str, record_id: &str, detail: &str) -> Result<()> {
        Store::append_audit(self.txn, actor, action, record_id, detail)
    }

    pub fn person(&self, record_id: &str) -> Result<Option<PersonRow>> {
        let key = keys::person(record_id);
        self.txn.get(&key)?.map(|v| decode_json(&key, &v)).transpose()
    }

    /// The cases of a person, in case-id order.
    pub fn cases_of(&self, record_id: &str) -> Result<Vec<Case>> {
        let prefix = keys::build(keys::CASE_BY_PERSON, &[record_id.as_bytes(), &[0]]);
        let mut cases = Vec::new();
        for (k, _) in self.txn.scan_prefix(&prefix)? {
            let case_id = std::str::from_utf8(&k[prefix.len()..]).map_err(|e| corrupt(&k, e))?;
            if let Some(case) = self.case(case_id)? {
                cases.push(case);
            }
        }
        Ok(cases)
    }

    pub fn case(&self, case_id: &str) -> Result<Option<Case>> {
        let key = keys::case(case_id);
        self.txn.get(&key)?.map(|v| decode_json(&key, &v)).transpose()
    }

    /// Opens a case at intake for an enrolled person (audited as `case.open`).
    pub fn open_case(&mut self, record_id: &str, details: CaseDetails, actor: &str) -> Result<Case> {
        Store::open_case_in(self.txn, record_id, details, actor)
    }

    /// Writes back a case changed by the caller (e.g. a transition), audited as `action`.
    pub fn save_case(&mut self, case: &Case, action: &str, actor: &str, detail: &str) -> Result<()> {
        let mut case = case.clone();
        case.update_time = now();
        self.txn.insert(keys::case(&case.case_id), encode_json(&case));
        Store::append_audit(self.txn, actor, action, &case.record_id, &format!("case={} {detail}", case.case_id))
    }

    /// The next id from a named counter: `<prefix><number>`.
    pub fn next_id(&mut self, counter: &str, prefix: &str) -> Result<String> {
        let name = format!("followup.next.{counter}");
        let n = Store::meta_u64(self.txn, &name)? + 1;
        Store::set_meta_u64(self.txn, &name, n);
        Ok(format!("{prefix}{n:06}"))
    }

    /// Our record behind our reference at `peer`, if we still hold it.
    pub fn resolve_our_ref(&self, peer: &str, our_ref: &[u8; 16]) -> Result<Option<String>> {
        let key = keys::our_ref(peer, our_ref);
        self.txn.get(&key)?.map(|v| String::from_utf8(v).map_err(|e| corrupt(&key, e))).transpose()
    }
}

impl Store {
    /// Runs `change` as one atomic batch under the writer lock: it commits when `change`
    /// returns `Ok(Ok(_))`, and writes nothing on a refusal (`Ok(Err(_))`) or an error.
    pub fn follow_up<R, E>(
        &self,
        change: impl FnOnce(&mut Work<'_, '_>) -> Result<std::result::Result<R, E>>,
    ) -> Result<std::result::Result<R, E>> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let outcome = change(&mut Work { txn: &mut txn })?;
        if outcome.is_ok() {
            txn.commit()?;
        }
        Ok(outcome)
    }

    /// Acts on the inbox message `seq` from `peer`: runs `act` and removes the message in one
    /// batch. Returns false, without running `act`, when the message is gone (acted on
    /// already).
    pub fn follow_up_inbox(
        &self,
        peer: &str,
        seq: u64,
        act: impl FnOnce(&mut Work<'_, '_>) -> Result<()>,
    ) -> Result<bool> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let key = keys::inbox(peer, seq);
        if txn.get(&key)?.is_none() {
            return Ok(false);
        }
        act(&mut Work { txn: &mut txn })?;
        txn.remove(key);
        txn.commit()?;
        Ok(true)
    }

    /// Follow-up messages not yet acted on, oldest first per peer: (peer, sequence, message).
    pub fn inbox(&self, limit: usize) -> Result<Vec<(String, u64, Vec<u8>)>> {
        let mut out = Vec::new();
        for item in self.kv.scan_prefix([keys::INBOX]).take(limit) {
            let (k, v) = item?;
            if k.len() != 1 + 2 + 8 {
                return Err(corrupt(&k, "bad inbox key"));
            }
            let peer = String::from_utf8(k[1..3].to_vec()).map_err(|e| corrupt(&k, e))?;
            let seq = keys::array::<8>(&k[3..]).map(u64::from_be_bytes).ok_or_else(|| corrupt(&k, "short key"))?;
            out.push((peer, seq, v.to_vec()));
        }
        Ok(out)
    }

    /// One follow-up record, read outside any change.
    pub fn follow_up_get<T: DeserializeOwned>(&self, table: Table, id: &str) -> Result<Option<T>> {
        let key = row_key(table, id);
        self.kv.get(&key)?.map(|v| decode_json(&key, &v)).transpose()
    }

    /// Every record of a table, in id order.
    pub fn follow_up_list<T: DeserializeOwned>(&self, table: Table) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for item in self.kv.scan_prefix([table.prefix()]) {
            let (k, v) = item?;
            out.push(decode_json(&k, &v)?);
        }
        Ok(out)
    }

    /// Whether a link between our record and the peer's reference exists (of the stored kind).
    pub fn link_exists(&self, record_id: &str, peer: &str, peer_ref: &[u8; 16], link_kind: u8) -> Result<bool> {
        Ok(self.kv.get(keys::link(record_id, peer, peer_ref, link_kind))?.is_some())
    }

    /// Whether we hold the peer's tokens for its reference (it told us of that record).
    pub fn holds_peer_ref(&self, peer: &str, peer_ref: &[u8; 16]) -> Result<bool> {
        Ok(self.kv.get(keys::peer_by_ref(peer, peer_ref))?.is_some())
    }

    /// Erasure: removes every follow-up record about a person.
    pub(crate) fn drop_followups_of(txn: &mut Txn<'_>, record_id: &str) -> Result<()> {
        let prefix = keys::build(keys::FOLLOWUP_BY_RECORD, &[record_id.as_bytes(), &[0]]);
        for (k, _) in txn.scan_prefix(&prefix)? {
            let tail = &k[prefix.len()..];
            let table = tail.first().copied().and_then(Table::from_prefix).ok_or_else(|| corrupt(&k, "bad table"))?;
            let id = std::str::from_utf8(&tail[1..]).map_err(|e| corrupt(&k, e))?;
            txn.remove(row_key(table, id));
            txn.remove(k);
        }
        Ok(())
    }

    /// A case opened inside another change (see [`Work::open_case`]).
    pub(crate) fn open_case_in(txn: &mut Txn<'_>, record_id: &str, details: CaseDetails, actor: &str) -> Result<Case> {
        if txn.get(&keys::person(record_id))?.is_none() {
            return Err(StoreError::NotFound(format!("person {record_id}")));
        }
        let case_id = crate::cases::next_case_id(txn)?;
        let case = Case::open(case_id.clone(), record_id.to_string(), details, now());
        txn.insert(keys::case(&case_id), encode_json(&case));
        txn.insert(keys::case_by_person(record_id, &case_id), Vec::new());
        Self::append_audit(txn, actor, "case.open", record_id, &format!("case={case_id}"))?;
        Ok(case)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Serialize, Deserialize, PartialEq)]
    struct Note {
        text: String,
    }

    #[test]
    fn a_refused_change_writes_nothing_and_an_accepted_one_everything() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("open");
        let before = store.dump_raw().expect("dump");
        let refused: std::result::Result<(), &str> = store
            .follow_up(|work| {
                work.put(Table::Review, "x", "KZ-1", &Note { text: "a".into() });
                work.send("UZ", b"message".to_vec())?;
                Ok(Err("refused"))
            })
            .expect("store works");
        assert_eq!(refused, Err("refused"));
        assert_eq!(store.dump_raw().expect("dump"), before);

        store
            .follow_up(|work| -> Result<std::result::Result<(), ()>> {
                work.put(Table::Review, "x", "KZ-1", &Note { text: "a".into() });
                work.send("UZ", b"message".to_vec())?;
                work.audit("tester", "review.test", "KZ-1", "")?;
                Ok(Ok(()))
            })
            .expect("store works")
            .expect("accepted");
        assert_eq!(store.follow_up_get::<Note>(Table::Review, "x").expect("read"), Some(Note { text: "a".into() }));
        assert_eq!(store.outbox_len("UZ").expect("outbox"), 1);
    }
}
