//! Scoring links read back through the Registry API against a truth file.
//!
//! Each node shows its side of a link: its own record, the peer, its own opaque reference and
//! the peer's. The two sides of one link are joined on the references (never on record ids),
//! giving cross-node record pairs that are compared with the pairs the truth implies.

use homeward_proto::pb;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A record in the federation: (node label, record id).
pub type RecordAt = (String, String);
/// An unordered pair of records, stored smaller first.
pub type Pair = (RecordAt, RecordAt);

fn pair(a: RecordAt, b: RecordAt) -> Pair {
    if a <= b { (a, b) } else { (b, a) }
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub true_positives: u64,
    pub predicted: u64,
    pub expected: u64,
}

impl Prf {
    pub fn of(predicted: &HashSet<Pair>, expected: &HashSet<Pair>) -> Prf {
        let tp = predicted.intersection(expected).count() as u64;
        let precision = if predicted.is_empty() { 1.0 } else { tp as f64 / predicted.len() as f64 };
        let recall = if expected.is_empty() { 1.0 } else { tp as f64 / expected.len() as f64 };
        let f1 = if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Prf {
            precision,
            recall,
            f1,
            true_positives: tp,
            predicted: predicted.len() as u64,
            expected: expected.len() as u64,
        }
    }
}

/// What a link showed about its pair, as the first of its two sides read it.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LinkInfo {
    pub score: f64,
    pub auto: bool,
    pub agreeing_keys: Vec<String>,
    pub keys_differing: Vec<String>,
    pub pair_agreeing: Vec<String>,
    pub pair_close: Vec<String>,
    pub pair_differing: Vec<String>,
}

impl LinkInfo {
    fn of(link: &pb::Link, auto: bool) -> LinkInfo {
        LinkInfo {
            score: link.score,
            auto,
            agreeing_keys: link.agreeing_keys.clone(),
            keys_differing: link.keys_differing.clone(),
            pair_agreeing: link.pair_agreeing.clone(),
            pair_close: link.pair_close.clone(),
            pair_differing: link.pair_differing.clone(),
        }
    }

    /// One line: score, decision, keys (`!` what they show to differ) and the pair round (`~`
    /// close, `!` differs).
    pub fn describe(&self) -> String {
        let decision = if self.auto { "auto-confirmed" } else { "for review" };
        let mut fields: Vec<String> = self.pair_agreeing.clone();
        fields.extend(self.pair_close.iter().map(|f| format!("~{f}")));
        fields.extend(crate::person::differing_cells(&self.pair_differing, &self.agreeing_keys));
        let round = if fields.is_empty() { String::new() } else { format!("; pair round {}", fields.join(",")) };
        let mut keys = self.agreeing_keys.clone();
        keys.extend(self.keys_differing.iter().map(|f| format!("!{f}")));
        format!("{:.3} {decision}; keys {}{round}", self.score, keys.join(","))
    }
}

/// One node's side of a link, as the evaluation reads it: what joins it to the other side and
/// its decision, and what it showed only when errors are listed. A federation of 5 × 10,000
/// shows some 140,000 sides; kept whole (`pb::Link`, with its keys and the pair round's
/// fields) they took about 130 MB more than the nodes themselves.
#[derive(Debug, Clone)]
pub struct Side {
    kind: i32,
    status: i32,
    record_id: Box<str>,
    peer_country: Box<str>,
    own_ref: Box<str>,
    peer_ref: Box<str>,
    info: Option<Box<LinkInfo>>,
}

impl Side {
    /// `with_info` keeps what the link showed, for listing errors ([`Predicted::info`]).
    pub fn of(link: pb::Link, with_info: bool) -> Side {
        let auto = is_auto(link.status);
        let info = with_info.then(|| Box::new(LinkInfo::of(&link, auto)));
        Side {
            kind: link.kind,
            status: link.status,
            record_id: link.record_id.into(),
            peer_country: link.peer_country.into(),
            own_ref: link.own_ref.into(),
            peer_ref: link.peer_ref.into(),
            info,
        }
    }
}

fn is_auto(status: i32) -> bool {
    status == pb::LinkStatus::AutoConfirmed as i32 || status == pb::LinkStatus::Confirmed as i32
}

/// Links of one kind, resolved to record pairs: auto-confirmed and all candidates.
#[derive(Debug, Default)]
pub struct Predicted {
    pub auto: HashSet<Pair>,
    pub candidates: HashSet<Pair>,
    /// What each candidate's link showed, when its sides kept it ([`Side::of`] `with_info`).
    pub info: HashMap<Pair, LinkInfo>,
    /// Links whose other side was not found (a federation that has not converged).
    pub unresolved: u64,
}

/// Joins the two sides of every link. `links` maps a node label to its sides of links;
/// `country_of` maps a node label to its country code (the peer_country in links).
pub fn resolve(
    links: &BTreeMap<String, Vec<Side>>,
    country_of: &HashMap<String, String>,
    kind: pb::LinkKind,
) -> Predicted {
    let label_of: HashMap<&str, &str> = country_of.iter().map(|(label, c)| (c.as_str(), label.as_str())).collect();
    // (node label, peer country, own_ref) → record id
    let mut by_ref: HashMap<(&str, &str, &str), &str> = HashMap::new();
    for (label, node_links) in links {
        for l in node_links {
            by_ref.insert((label.as_str(), &l.peer_country, &l.own_ref), &l.record_id);
        }
    }
    let mut out = Predicted::default();
    for (label, node_links) in links {
        let Some(own_country) = country_of.get(label) else { continue };
        for l in node_links.iter().filter(|l| l.kind == kind as i32) {
            let Some(peer_label) = label_of.get(&*l.peer_country) else { continue };
            let Some(peer_record) = by_ref.get(&(*peer_label, own_country.as_str(), &l.peer_ref)) else {
                out.unresolved += 1;
                continue;
            };
            let p = pair((label.clone(), l.record_id.to_string()), (peer_label.to_string(), peer_record.to_string()));
            if is_auto(l.status) {
                out.auto.insert(p.clone());
            }
            if l.status != pb::LinkStatus::Rejected as i32 {
                if let Some(info) = &l.info {
                    out.info.entry(p.clone()).or_insert_with(|| (**info).clone());
                }
                out.candidates.insert(p);
            }
        }
    }
    out
}

/// Cross-node pairs of records that the truth says are one person.
pub fn truth_pairs(rows: &[(String, String, String)]) -> HashSet<Pair> {
    let mut by_person: HashMap<&str, Vec<RecordAt>> = HashMap::new();
    for (person, node, record) in rows {
        by_person.entry(person.as_str()).or_default().push((node.clone(), record.clone()));
    }
    let mut out = HashSet::new();
    for records in by_person.values() {
        for (i, a) in records.iter().enumerate() {
            for b in &records[i + 1..] {
                if a.0 != b.0 {
                    out.insert(pair(a.clone(), b.clone()));
                }
            }
        }
    }
    out
}

/// Cross-node child–mother pairs from a family truth: (child node, child record, mother node,
/// mother record). Family links, like same-person links, are made across nodes only (a node
/// records a mother it holds itself on the child's case), so a row with both records on one
/// node is left out, as [`truth_pairs`] leaves out one person's records on one node.
pub fn family_pairs(rows: &[(String, String, String, String)]) -> HashSet<Pair> {
    rows.iter()
        .filter(|(child_node, _, mother_node, _)| child_node != mother_node)
        .map(|(cn, cr, mn, mr)| pair((cn.clone(), cr.clone()), (mn.clone(), mr.clone())))
        .collect()
}

/// How many rows of a family truth have the child and the mother on one node.
pub fn family_rows_within_node(rows: &[(String, String, String, String)]) -> usize {
    rows.iter().filter(|(child_node, _, mother_node, _)| child_node == mother_node).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cn: &str, cr: &str, mn: &str, mr: &str) -> (String, String, String, String) {
        (cn.into(), cr.into(), mn.into(), mr.into())
    }

    #[test]
    fn family_truth_keeps_cross_node_pairs_only() {
        let rows = [row("KZ", "c1", "UZ", "m1"), row("KZ", "c2", "KZ", "m2"), row("TJ", "c3", "UZ", "m1")];
        let pairs = family_pairs(&rows);
        assert_eq!(pairs.len(), 2);
        assert!(pairs.contains(&pair(("KZ".into(), "c1".into()), ("UZ".into(), "m1".into()))));
        assert!(!pairs.iter().any(|(a, b)| a.0 == b.0));
        assert_eq!(family_rows_within_node(&rows), 1);
    }

    #[test]
    fn same_person_truth_keeps_cross_node_pairs_only() {
        let rows: Vec<(String, String, String)> = [("p1", "KZ", "a"), ("p1", "KZ", "b"), ("p1", "UZ", "c")]
            .iter()
            .map(|(p, n, r)| (p.to_string(), n.to_string(), r.to_string()))
            .collect();
        assert_eq!(truth_pairs(&rows).len(), 2);
    }
}
