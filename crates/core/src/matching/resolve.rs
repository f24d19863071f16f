//! One-to-one resolution: a node holds each person at most once, so among the candidate links
//! between two nodes each record should keep at most its best partner.

use std::collections::{HashMap, HashSet};
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

/// One-to-one resolution that keeps ties whole and so does not depend on the order of the
/// candidates (a node orders them by references its secrets key, which differ between runs and
/// between federations). Candidates are taken best score first, one score at a time: those of
/// that score whose records are both still free form groups, joined by a record they share.
/// A group of one is a pair kept; a larger group is a tie, kept whole with every member marked
/// `true` (equally good candidates, none preferred). Either way the group's records are taken:
/// a record whose best partners tie keeps them, not a worse partner besides. Returns `(index,
/// tied)` for every candidate kept.
pub fn resolve_keeping_ties<A: Eq + Hash, B: Eq + Hash>(candidates: &[(A, B, f64)]) -> Vec<(usize, bool)> {
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by(|&x, &y| candidates[y].2.total_cmp(&candidates[x].2));
    let mut left_taken: HashSet<&A> = HashSet::new();
    let mut right_taken: HashSet<&B> = HashSet::new();
    let mut kept = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let score = candidates[order[start]].2;
        let end = start + order[start..].iter().take_while(|&&c| candidates[c].2.total_cmp(&score).is_eq()).count();
        let group: Vec<usize> = order[start..end]
            .iter()
            .copied()
            .filter(|&c| !left_taken.contains(&candidates[c].0) && !right_taken.contains(&candidates[c].1))
            .collect();
        // Union–find over the group's members, joined through the records they share.
        let mut parent: Vec<usize> = (0..group.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let (mut by_left, mut by_right): (HashMap<&A, usize>, HashMap<&B, usize>) = Default::default();
        for (member, &c) in group.iter().enumerate() {
            for other in
                [by_left.get(&candidates[c].0).copied(), by_right.get(&candidates[c].1).copied()].into_iter().flatten()
            {
                let (a, b) = (root(&mut parent, member), root(&mut parent, other));
                parent[a] = b;
            }
            by_left.entry(&candidates[c].0).or_insert(member);
            by_right.entry(&candidates[c].1).or_insert(member);
        }
        let mut sizes: HashMap<usize, usize> = HashMap::new();
        for member in 0..group.len() {
            *sizes.entry(root(&mut parent, member)).or_default() += 1;
        }
        for (member, &c) in group.iter().enumerate() {
            kept.push((c, sizes[&root(&mut parent, member)] > 1));
            left_taken.insert(&candidates[c].0);
            right_taken.insert(&candidates[c].1);
        }
        start = end;
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

    fn sorted(mut kept: Vec<(usize, bool)>) -> Vec<(usize, bool)> {
        kept.sort();
        kept
    }

    #[test]
    fn ties_are_kept_whole_and_take_their_records_whatever_the_order() {
        // r1 and r2 are equally good partners of l1; l2's best is r1, worse than l1's.
        let candidates = [("l1", "r1", 0.9), ("l1", "r2", 0.9), ("l2", "r1", 0.7), ("l3", "r3", 0.8)];
        let expected = vec![(0, true), (1, true), (3, false)];
        assert_eq!(sorted(resolve_keeping_ties(&candidates)), expected);
        // The same candidates in every order give the same links.
        let mut permuted = candidates.to_vec();
        for rotation in 0..permuted.len() {
            permuted.rotate_left(1);
            let kept = resolve_keeping_ties(&permuted);
            let mut named: Vec<(&str, &str, bool)> =
                kept.iter().map(|&(i, tied)| (permuted[i].0, permuted[i].1, tied)).collect();
            named.sort();
            assert_eq!(named, vec![("l1", "r1", true), ("l1", "r2", true), ("l3", "r3", false)], "rotation {rotation}");
        }
        // A better pair takes a record out of a would-be tie, which then is no tie.
        let candidates = [("l1", "r1", 0.95), ("l1", "r2", 0.9), ("l2", "r2", 0.9)];
        assert_eq!(sorted(resolve_keeping_ties(&candidates)), vec![(0, false), (2, false)]);
        // A chain of equal candidates is one tie.
        let candidates = [("l1", "r1", 0.5), ("l1", "r2", 0.5), ("l2", "r2", 0.5), ("l3", "r3", 0.5)];
        assert_eq!(sorted(resolve_keeping_ties(&candidates)), vec![(0, true), (1, true), (2, true), (3, false)]);
        assert!(resolve_keeping_ties::<u8, u8>(&[]).is_empty());
    }
}
