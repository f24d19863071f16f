//! Outbox operations: what a node owes each peer, in order. Stored in a compact binary form
//! (an outbox holds one entry per record per peer, each with tens of 32-byte tokens).

/// A peer's answer to one token as it was before our key rotation and as our new key gives it.
pub type AnswerPair = ([u8; 32], [u8; 32]);

/// One queued operation for one peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxOp {
    /// The blinded tokens of a record. `generation` ties the answer to the version of the record
    /// that produced it: an answer for an older version is dropped.
    Add { record_id: String, generation: u64, peer_ref: [u8; 16], tokens: Vec<(u8, [u8; 32])> },
    /// Withdraw every token of this reference at the peer; `replaced` says whether the same
    /// record's tokens follow, and so what the peer may keep meanwhile.
    Withdraw { peer_ref: [u8; 16], replaced: Replaced },
    /// Tell the peer which side of a family hit our record is on (1 child, 2 mother).
    Note { our_ref: [u8; 16], their_ref: [u8; 16], role: u8 },
    /// We replaced our key: the peer must re-send all of its tokens. (Queued by rotations
    /// before [`OutboxOp::Reanswer`]; still applied when a peer sends it.)
    Rekey,
    /// We replaced our key: our answers to the peer's tokens of its record `their_ref`, each
    /// as it was (`old`, made with the old key) and as it is now (`new`), so that the peer
    /// holds the answers our new key gives without sending anything again.
    Reanswer { their_ref: [u8; 16], answers: Vec<AnswerPair> },
    /// A follow-up message (link review, disclosure, referral), encoded by the node; the store
    /// does not read it.
    Message(Vec<u8>),
    /// Our record's pair-round tokens for the same-person link with the peer's `their_ref`
    /// (`layout` as the matching code made it; the store does not read it).
    Pair {
        record_id: String,
        generation: u64,
        our_ref: [u8; 16],
        their_ref: [u8; 16],
        layout: Vec<u8>,
        tokens: Vec<[u8; 32]>,
    },
}

/// What follows a withdrawal, for the peer to keep until the addition that follows replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaced {
    /// A plain withdrawal: the record was erased, or changed (its new tokens may follow, but
    /// they describe another record): the peer forgets everything about it.
    No,
    /// The same record's tokens sent again (an anti-entropy repair, a re-send after the peer's
    /// rotation, our own rotation): the family role the record declared still holds, and so do
    /// the finished pair rounds of its links, which the peer sets aside until new ones are
    /// finished (the new ones may hold the sender's new key).
    Resent,
    /// The same record's tokens made again with the same key (an upgrade's remake): its role
    /// and the pair rounds of its links still hold until new ones replace them (or the node
    /// decides that a link found again needs none).
    Remade,
}

/// An outbox entry with its sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingOp {
    pub seq: u64,
    pub op: OutboxOp,
}

impl OutboxOp {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            OutboxOp::Add { record_id, generation, peer_ref, tokens } => {
                out.push(1);
                out.extend_from_slice(&generation.to_be_bytes());
                out.extend_from_slice(peer_ref);
                out.extend_from_slice(&(record_id.len() as u32).to_be_bytes());
                out.extend_from_slice(record_id.as_bytes());
                out.extend_from_slice(&(tokens.len() as u32).to_be_bytes());
                for (kind, token) in tokens {
                    out.push(*kind);
                    out.extend_from_slice(token);
                }
            }
            OutboxOp::Withdraw { peer_ref, replaced } => {
                out.push(match replaced {
                    Replaced::No => 2,
                    Replaced::Remade => 7,
                    Replaced::Resent => 8,
                });
                out.extend_from_slice(peer_ref);
            }
            OutboxOp::Note { our_ref, their_ref, role } => {
                out.push(3);
                out.extend_from_slice(our_ref);
                out.extend_from_slice(their_ref);
                out.push(*role);
            }
            OutboxOp::Rekey => out.push(4),
            OutboxOp::Message(bytes) => {
                out.push(5);
                out.extend_from_slice(bytes);
            }
            OutboxOp::Pair { record_id, generation, our_ref, their_ref, layout, tokens } => {
                out.push(6);
                out.extend_from_slice(&generation.to_be_bytes());
                out.extend_from_slice(our_ref);
                out.extend_from_slice(their_ref);
                out.extend_from_slice(&(record_id.len() as u32).to_be_bytes());
                out.extend_from_slice(record_id.as_bytes());
                out.push(layout.len() as u8);
                out.extend_from_slice(layout);
                out.extend_from_slice(&(tokens.len() as u32).to_be_bytes());
                for token in tokens {
                    out.extend_from_slice(token);
                }
            }
            OutboxOp::Reanswer { their_ref, answers } => {
                out.push(9);
                out.extend_from_slice(their_ref);
                out.extend_from_slice(&(answers.len() as u32).to_be_bytes());
                for (old, new) in answers {
                    out.extend_from_slice(old);
                    out.extend_from_slice(new);
                }
            }
        }
        out
    }

    pub fn decode(bytes: &[u8]) -> Option<OutboxOp> {
        let mut reader = Reader { bytes, at: 0 };
        match reader.take(1)?[0] {
            1 => {
                let generation = u64::from_be_bytes(reader.take(8)?.try_into().ok()?);
                let peer_ref: [u8; 16] = reader.take(16)?.try_into().ok()?;
                let len = u32::from_be_bytes(reader.take(4)?.try_into().ok()?) as usize;
                let record_id = String::from_utf8(reader.take(len)?.to_vec()).ok()?;
                let count = u32::from_be_bytes(reader.take(4)?.try_into().ok()?) as usize;
                let mut tokens = Vec::with_capacity(count.min(1024));
                for _ in 0..count {
                    let kind = reader.take(1)?[0];
                    tokens.push((kind, reader.take(32)?.try_into().ok()?));
                }
                reader.done().then_some(OutboxOp::Add { record_id, generation, peer_ref, tokens })
            }
            tag @ (2 | 7 | 8) => {
                let peer_ref: [u8; 16] = reader.take(16)?.try_into().ok()?;
                let replaced = match tag {
                    7 => Replaced::Remade,
                    8 => Replaced::Resent,
                    _ => Replaced::No,
                };
                reader.done().then_some(OutboxOp::Withdraw { peer_ref, replaced })
            }
            3 => {
                let our_ref: [u8; 16] = reader.take(16)?.try_into().ok()?;
                let their_ref: [u8; 16] = reader.take(16)?.try_into().ok()?;
                let role = reader.take(1)?[0];
                reader.done().then_some(OutboxOp::Note { our_ref, their_ref, role })
            }
            4 => reader.done().then_some(OutboxOp::Rekey),
            5 => Some(OutboxOp::Message(bytes[1..].to_vec())),
            6 => {
                let generation = u64::from_be_bytes(reader.take(8)?.try_into().ok()?);
                let our_ref: [u8; 16] = reader.take(16)?.try_into().ok()?;
                let their_ref: [u8; 16] = reader.take(16)?.try_into().ok()?;
                let len = u32::from_be_bytes(reader.take(4)?.try_into().ok()?) as usize;
                let record_id = String::from_utf8(reader.take(len)?.to_vec()).ok()?;
                let layout_len = reader.take(1)?[0] as usize;
                let layout = reader.take(layout_len)?.to_vec();
                let count = u32::from_be_bytes(reader.take(4)?.try_into().ok()?) as usize;
                let mut tokens = Vec::with_capacity(count.min(256));
                for _ in 0..count {
                    tokens.push(reader.take(32)?.try_into().ok()?);
                }
                reader.done().then_some(OutboxOp::Pair { record_id, generation, our_ref, their_ref, layout, tokens })
            }
            9 => {
                let their_ref: [u8; 16] = reader.take(16)?.try_into().ok()?;
                let count = u32::from_be_bytes(reader.take(4)?.try_into().ok()?) as usize;
                let mut answers = Vec::with_capacity(count.min(256));
                for _ in 0..count {
                    answers.push((reader.take(32)?.try_into().ok()?, reader.take(32)?.try_into().ok()?));
                }
                reader.done().then_some(OutboxOp::Reanswer { their_ref, answers })
            }
            _ => None,
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }
    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_garbage() {
        let add = OutboxOp::Add {
            record_id: "KZ-1".into(),
            generation: 3,
            peer_ref: [7; 16],
            tokens: vec![(1, [9; 32]), (2, [8; 32])],
        };
        assert_eq!(OutboxOp::decode(&add.encode()), Some(add.clone()));
        for replaced in [Replaced::No, Replaced::Resent, Replaced::Remade] {
            let withdraw = OutboxOp::Withdraw { peer_ref: [1; 16], replaced };
            assert_eq!(OutboxOp::decode(&withdraw.encode()), Some(withdraw));
        }
        let note = OutboxOp::Note { our_ref: [1; 16], their_ref: [2; 16], role: 1 };
        assert_eq!(OutboxOp::decode(&note.encode()), Some(note));
        let message = OutboxOp::Message(b"follow-up".to_vec());
        assert_eq!(OutboxOp::decode(&message.encode()), Some(message));
        let pair = OutboxOp::Pair {
            record_id: "KZ-1".into(),
            generation: 2,
            our_ref: [3; 16],
            their_ref: [4; 16],
            layout: vec![1, 0, 2],
            tokens: vec![[5; 32], [6; 32], [7; 32]],
        };
        assert_eq!(OutboxOp::decode(&pair.encode()), Some(pair.clone()));
        let reanswer = OutboxOp::Reanswer { their_ref: [5; 16], answers: vec![([1; 32], [2; 32]), ([3; 32], [4; 32])] };
        assert_eq!(OutboxOp::decode(&reanswer.encode()), Some(reanswer.clone()));
        let mut cut = reanswer.encode();
        cut.pop();
        assert_eq!(OutboxOp::decode(&cut), None);
        let mut short = pair.encode();
        short.pop();
        assert_eq!(OutboxOp::decode(&short), None);
        let mut truncated = add.encode();
        truncated.pop();
        assert_eq!(OutboxOp::decode(&truncated), None);
        assert_eq!(OutboxOp::decode(&[]), None);
        assert_eq!(OutboxOp::decode(&[10]), None);
    }
}
