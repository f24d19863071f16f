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
        fields.extend(self.pair_differing.iter().map(|f| format!("!{f}")));
        let round = if fields.is_empty() { String::new() } else { format!("; pair round {}", fields.join(",")) };
        let mut keys = self.agreeing_keys.clone();
        keys.extend(self.keys_differing.iter().map(|f| format!("!{f}")));
        format!("{:.3} {decision}; keys {}{round}", self.score, keys.join(","))
    }
}

/// Links of one kind, resolved to record pairs: auto-confirmed and all candidates.
#[derive(Debug, Default)]
pub struct Predicted {
    pub auto: HashSet<Pair>,
    pub candidates: HashSet<Pair>,
    /// What each candidate's link showed (from [`resolve_with_info`] only).
    pub info: HashMap<Pair, LinkInfo>,
    /// Links whose other side was not found (a federation that has not converged).
    pub unresolved: u64,
}

/// Joins the two sides of every link. `links` maps a node label to its links; `country_of`
/// maps a node label to its country code (the peer_country in links).
pub fn resolve(
    links: &BTreeMap<String, Vec<pb::Link>>,
    country_of: &HashMap<String, String>,
    kind: pb::LinkKind,
) -> Predicted {
    resolve_links(links, country_of, kind, false)
}

/// [`resolve`], keeping what each candidate's link showed ([`Predicted::info`]): for listing
/// errors; a federation of 5 × 10,000 holds some 70,000 links, so it is not kept otherwise.
pub fn resolve_with_info(
    links: &BTreeMap<String, Vec<pb::Link>>,
    country_of: &HashMap<String, String>,
    kind: pb::LinkKind,
) -> Predicted {
    resolve_links(links, country_of, kind, true)
}

fn resolve_links(
    links: &BTreeMap<String, Vec<pb::Link>>,
    country_of: &HashMap<String, String>,
    kind: pb::LinkKind,
    with_info: bool,
) -> Predicted {
    let label_of: HashMap<&str, &str> = country_of.iter().map(|(label, c)| (c.as_str(), label.as_str())).collect();
    // (node label, peer country, own_ref) → record id
    let mut by_ref: HashMap<(&str, &str, &str), &str> = HashMap::new();
    for (label, node_links) in links {
        for l in node_links {
            by_ref.insert((label.as_str(), l.peer_country.as_str(), l.own_ref.as_str()), l.record_id.as_str());
        }
    }
    let mut out = Predicted::default();
    for (label, node_links) in links {
        let Some(own_country) = country_of.get(label) else { continue };
        for l in node_links.iter().filter(|l| l.kind == kind as i32) {
            let Some(peer_label) = label_of.get(l.peer_country.as_str()) else { continue };
            let Some(peer_record) = by_ref.get(&(*peer_label, own_country.as_str(), l.peer_ref.as_str())) else {
                out.unresolved += 1;
                continue;
            };
            let p = pair((label.clone(), l.record_id.clone()), (peer_label.to_string(), peer_record.to_string()));
            let auto = l.status == pb::LinkStatus::AutoConfirmed as i32 || l.status == pb::LinkStatus::Confirmed as i32;
            if auto {
                out.auto.insert(p.clone());
            }
            if l.status != pb::LinkStatus::Rejected as i32 {
                if with_info {
                    out.info.entry(p.clone()).or_insert_with(|| LinkInfo::of(l, auto));
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
