//! One-to-one resolution: a node holds each person at most once, so among the candidate links
//! between two nodes each record should keep at most its best partner.

use std::collections::HashSet;
use std::hash::Hash;

/// Greedy one-to-one assignment. `candidates` are `(left record, right record, score)`; the
/// result is the indices of the candidates kept, best score first. Candidates are taken in
/// order of descending score (ties: input order) and kept when neither record is already taken.
///
/// Greedy by score is what the data supports here: scores come from a handful of key kinds, so
/// they tie often and an optimal assignment (Hungarian) would only choose among ties. A record
/// that loses its best partner to a better pair may still take its second-best partner, which
/// is right when a node really holds two people with similar names.
pub fn resolve_one_to_one<A: Eq + Hash, B: Eq + Hash>(candidates: &[(A, B, f64)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&x, &y| candidates[y].2.total_cmp(&candidates[x].2).then(x.cmp(&y)));
    let mut left_taken: HashSet<&A> = HashSet::new();
    let mut right_taken: HashSet<&B> = HashSet::new();
    let mut kept = Vec::new();
    for index in order {
        let (left, right, _) = &candidates[index];
        if left_taken.contains(left) || right_taken.contains(right) {
            continue;
        }
        left_taken.insert(left);
        right_taken.insert(right);
        kept.push(index);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_pair_wins_and_each_side_is_used_once() {
        let candidates = [("a1", "b1", 0.5), ("a1", "b2", 0.9), ("a2", "b2", 0.8), ("a2", "b1", 0.4)];
        // a1–b2 (0.9) first; a2–b2 and a1–b1 lose a side; a2–b1 remains.
        assert_eq!(resolve_one_to_one(&candidates), vec![1, 3]);
        assert!(resolve_one_to_one::<u8, u8>(&[]).is_empty());
    }
}
