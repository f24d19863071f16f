//! Matching: from a person record to match keys, and from agreeing key kinds to a score.
//!
//! The federation can only compare blinded tokens for equality, so every bit of fuzziness lives
//! here: in [`normalise`] (scripts, transliterations, name forms, driven by the data in
//! [`tables`]) and in the choice of keys ([`keys`]). [`score`] turns the set of key kinds two
//! records agree on into a score and a decision; [`resolve`] keeps one partner per record.
//! Nothing in this module does IO.
//!
//! ## Family links: what the node must check
//!
//! Family keys have one hash domain for both sides, so equality alone cannot tell a
//! child↔mother hit from a child↔child hit (two children of one mother, or one child recorded
//! twice) or a mother↔mother hit (one woman recorded twice). A family link is real only when one
//! side's agreeing kinds have role [`FamilyRole::Child`] and the other side's
//! [`FamilyRole::Mother`]; nodes exchange the roles (or kinds) with the link and drop the rest
//! ([`family_roles_complement`]).

/// The version of normalisation and match keys. Raise it with every change that makes other
/// tokens for some record (a folding rule, a table row, a key kind): a node whose tokens an
/// earlier version made remakes them all when it starts (`homeward_node::rotation`), so that an
/// upgraded federation meets on one derivation. 1: document numbers read `Н`, `H` and `N` as
/// one letter (this version's first record of itself; nodes that kept no version remake theirs).
pub const KEYS_VERSION: u32 = 1;

pub mod keys;
pub mod normalise;
pub mod pair;
pub mod resolve;
pub mod score;
pub mod tables;

pub use keys::{FamilyRole, KeyKind, MatchKey, match_keys};
pub use resolve::resolve_one_to_one;
pub use score::{Decision, KeySet, LinkKind, Thresholds, score};

/// The family role of the local side of a hit from its agreeing kinds: `Some` when all its
/// family kinds have the same role.
pub fn family_role_of(kinds: KeySet) -> Option<FamilyRole> {
    let mut roles = kinds.kinds().filter_map(KeyKind::family_role);
    let first = roles.next()?;
    roles.all(|r| r == first).then_some(first)
}

/// Whether the two sides of a family hit are a child and a mother (in either order), as a
/// family link requires; see the module notes.
pub fn family_roles_complement(one_side: KeySet, other_side: KeySet) -> bool {
    matches!(
        (family_role_of(one_side), family_role_of(other_side)),
        (Some(FamilyRole::Child), Some(FamilyRole::Mother)) | (Some(FamilyRole::Mother), Some(FamilyRole::Child))
    )
}
