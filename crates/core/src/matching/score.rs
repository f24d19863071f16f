//! Scoring a candidate pair from the set of key kinds it agrees on, Fellegi–Sunter style.
//!
//! Two nodes only learn which key kinds agree, never field values. Keys overlap (every
//! `full_name_dob` agreement is also a `family_name_dob` agreement), so summing a weight per key
//! would count one field several times. Instead the agreeing kinds are read back into what they
//! prove about each field (names exact / by skeleton / not shown; date full / swapped / year /
//! not shown; document; patronymic; place; nationality), and the field-level log-likelihood
//! ratios `log2(m/u)` are summed: `m = P(field agrees | same person)`,
//! `u = P(field agrees | different persons)`. A field that no agreeing key shows costs a penalty
//! (`log2((1-m)/(1-u))` blended with how often the field is simply missing), because a true pair
//! usually shows its names and birth date somewhere.
//!
//! Where the m/u estimates come from (see the constants below for each):
//! - u values: value frequencies. A full birth date is one of ~365×60 days (u ≈ 5·10⁻⁵); a birth
//!   year one of ~60 (u ≈ 0.02 after age heaping); a folded given name in Central Asian lists has
//!   frequency up to ~3 % (*Muhammad*, *Gulnora*), a family root up to ~1 % (*Karim*, *Rahim*),
//!   both far rarer in FEBRL; document numbers of ≥ 6 characters collide about once per 10⁶
//!   pairs even when issued by different states (7-digit FEBRL ids: 10⁻⁷).
//! - m values: error rates reported for civil-registration and FEBRL-style data: ~5–10 % of
//!   true pairs differ in a given field (typo, variant, missing), ~10 % of dates are
//!   placeholders, swapped or wrong in a part; ~15 % of document pairs differ (renewed
//!   passports, different documents held).
//!
//! The sum `W` (bits of evidence) is mapped to 0..1 by a logistic curve centred on the prior
//! odds of a candidate pair ([`CENTRE_SAME_PERSON`], [`CENTRE_FAMILY`]); the resulting figures were
//! then checked on FEBRL4 (`tests/matching_febrl4.rs`).

use crate::matching::keys::KeyKind;

/// A set of key kinds, as a bitmask of their discriminants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct KeySet(pub u64);

impl KeySet {
    pub fn insert(&mut self, kind: KeyKind) {
        self.0 |= 1 << (kind as u8);
    }
    pub fn contains(self, kind: KeyKind) -> bool {
        self.0 & (1 << (kind as u8)) != 0
    }
    pub fn kinds(self) -> impl Iterator<Item = KeyKind> {
        KeyKind::ALL.iter().copied().filter(move |k| self.contains(*k))
    }
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkKind {
    SamePerson,
    Family,
}

impl LinkKind {
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::SamePerson => "same_person",
            LinkKind::Family => "family",
        }
    }
    pub fn code(self) -> u8 {
        match self {
            LinkKind::SamePerson => 0,
            LinkKind::Family => 1,
        }
    }
    pub fn from_code(code: u8) -> Option<LinkKind> {
        match code {
            0 => Some(LinkKind::SamePerson),
            1 => Some(LinkKind::Family),
            _ => None,
        }
    }
}

/// Score thresholds: at or above `auto_confirm` a link is confirmed without review; at or above
/// `review` it waits for a caseworker; below, no link is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub auto_confirm: f64,
    pub review: f64,
}

impl Default for Thresholds {
    /// The same-person defaults; see [`Thresholds::for_link`].
    fn default() -> Self {
        Thresholds::for_link(LinkKind::SamePerson)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    AutoConfirm,
    NeedsReview,
    NoLink,
}

impl Thresholds {
    /// Default thresholds per link kind. Scores are calibrated per kind (see [`score`]), so the
    /// same figures mean the same confidence: auto-confirm at 0.9 (same person: both names and
    /// a full birth date, or a document and a name/date agreement; family: the mother's names
    /// with her birth year, patronymic or full date), review at 0.2.
    pub fn for_link(kind: LinkKind) -> Thresholds {
        let _ = kind;
        Thresholds { auto_confirm: 0.9, review: 0.2 }
    }

    pub fn decide(&self, score: f64) -> Decision {
        if score >= self.auto_confirm {
            Decision::AutoConfirm
        } else if score >= self.review {
            Decision::NeedsReview
        } else {
            Decision::NoLink
        }
    }
}

/// Bits of evidence (W) at which a same-person score is 0.5.
pub const CENTRE_SAME_PERSON: f64 = 13.35;
/// Bits of evidence at which a family score is 0.5.
pub const CENTRE_FAMILY: f64 = 7.85;
/// Bits per unit of the logistic: a score of 0.9 needs `2·log2(9)` ≈ 6.3 bits above the centre.
const SPREAD: f64 = 2.4;

/// The score of a pair that agrees on `kinds`, in 0..=1. Only kinds of `link_kind` count; the
/// family kinds of either side (`…AsChild`, `…AsMother`) count the same.
pub fn score(link_kind: LinkKind, kinds: KeySet) -> f64 {
    let (bits, centre) = match link_kind {
        LinkKind::SamePerson => (same_person_bits(kinds), CENTRE_SAME_PERSON),
        LinkKind::Family => (family_bits(kinds), CENTRE_FAMILY),
    };
    if bits.is_nan() || kinds.kinds().all(|k| k.link_kind() != link_kind) {
        return 0.0;
    }
    logistic(bits, centre)
}

/// Records per node the family weights were set on: the synthetic federation of about 2,000
/// persons per node (`homeward synth`), where family links auto-confirm at precision 0.94.
pub const FAMILY_REFERENCE_RECORDS: u64 = 2048;

/// Bits a family pair loses because the mother's node holds `records` records, against a
/// reference size (the weights' own, [`FAMILY_REFERENCE_RECORDS`], unless configured): the prior
/// odds that one given woman is a child's mother fall as the women compared grow, while the
/// weights say how rare an agreement is per pair. Counted in whole doublings,
/// `⌊log2 records⌋ − ⌊log2 reference⌋` and never below 0, so that a node growing by a few
/// records does not move decisions back and forth. `reference` 0 turns it off.
pub fn family_size_bits(records: u64, reference: u64) -> f64 {
    if reference == 0 || records <= reference {
        return 0.0;
    }
    f64::from(records.ilog2().saturating_sub(reference.ilog2()))
}

/// The score of a family pair agreeing on `kinds` whose mother's node holds `mother_records`
/// (see [`family_size_bits`]); [`score`] for `LinkKind::Family` is this at the reference size.
pub fn score_family(kinds: KeySet, mother_records: u64, reference: u64) -> f64 {
    let base = score(LinkKind::Family, kinds);
    if base == 0.0 {
        return 0.0;
    }
    logistic(family_bits(kinds) - family_size_bits(mother_records, reference), CENTRE_FAMILY)
}

/// Bits of evidence mapped to 0..1 around `centre`.
pub fn logistic(bits: f64, centre: f64) -> f64 {
    if bits.is_nan() {
        return 0.0;
    }
    1.0 / (1.0 + (-(bits - centre) / SPREAD).exp2())
}

/// What a near document (`document_sorted_dob`) is worth, in bits.
pub const NEAR_DOCUMENT_BITS: f64 = same::NEAR_DOCUMENT;

/// Field-level weights for same-person links, in bits (log2 m/u).
mod same {
    /// Document agrees: m 0.85, u 10⁻⁶ → 19.6; capped at 14 because numbers get reused on
    /// re-issued or shared documents and typed into the wrong record.
    pub const DOCUMENT: f64 = 20.0;
    /// The document differs by a transposition or in its leading part (sorted characters or
    /// last four agree, with the full date): u ≈ 10⁻⁴ per pair with that date, m 0.05 → ~9.
    pub const NEAR_DOCUMENT: f64 = 9.0;
    /// Both names agree after folding: given (m 0.92, u 0.01 → 6.5) + family (m 0.92, u 0.004
    /// → 7.8) − a little for their correlation (ethnic naming).
    pub const BOTH_NAMES: f64 = 13.0;
    /// One name exact and the other by skeleton only (m 0.06, u 0.02 → +1.6 on the other).
    pub const ONE_NAME_AND_SKELETON: f64 = 11.5;
    /// Both names agree by skeleton only: the two skeletons (u ≈ 0.03 and 0.01 → ~11 bits at
    /// best) with m low (0.1) because exact agreement usually holds.
    pub const SKELETONS: f64 = 7.5;
    /// Family name exact, given not shown (typo or variant in it; m 0.06 vs u 0.9 of
    /// disagreeing given names ≈ −3.9 on top of 7.8).
    pub const FAMILY_ONLY: f64 = 4.5;
    /// Given name exact, family not shown (typo, or a family name changed at marriage).
    pub const GIVEN_ONLY: f64 = 4.5;
    /// Only the initials agree (with a document): m 0.9, u 1/50 for a pair of initials → 5.5,
    /// minus the sign that neither name agreed in full.
    pub const INITIALS: f64 = 4.5;
    /// No name evidence at all: a true pair almost always shows a name (m ≈ 0.02).
    pub const NO_NAME: f64 = -4.5;
    /// Full birth date: m 0.88, u 5·10⁻⁵ → 14.1; 13 allows for heaping on some dates.
    pub const DOB_FULL: f64 = 13.0;
    /// Day and month agree only when swapped: m 0.02, u 10⁻⁴ → 7.6.
    pub const DOB_SWAPPED: f64 = 11.0;
    /// Birth year only: m 0.97, u 0.02 → 5.6, minus the sign that the day/month disagreed or
    /// is missing on one side.
    pub const DOB_YEAR: f64 = 5.5;
    /// Both records know the date to the day, the years agree and the dates do not
    /// (`full_name_year_precise` without a full-date or swapped-date key): m ≈ 0.05 (a day or
    /// month mistyped), u ≈ 0.016 (same year, other day) → 1.6 for independent pairs; but
    /// pairs whose names agree are namesakes far more often than chance (common names run
    /// in families and villages), so the year is given no weight here: the namesake case.
    pub const DOB_YEAR_CONFLICT: f64 = 0.0;
    /// Year and month agree and one record does not know the day (`full_name_year_month`
    /// without `full_name_year_precise`): m 0.95 that the months of a true pair agree, u 1/720
    /// for a year and a month → 9.4; 9 as the day may be missing for a reason.
    pub const DOB_YEAR_MONTH: f64 = 9.0;
    /// Both records know the date to the day; year and month agree, the day does not
    /// (`full_name_year_month` with `full_name_year_precise`, no full-date key): m ≈ 0.03 (a
    /// day mistyped or off by one), u ≈ 1/12 of same-year pairs → 1.5 for independent pairs;
    /// as for [`DOB_YEAR_CONFLICT`], namesakes are far more common among pairs whose names
    /// agree than chance says, so the month is given 1 bit only.
    pub const DOB_DAY_CONFLICT: f64 = 1.0;
    /// Day and month agree and the years are one apart (`full_name_dob_near_year` without a
    /// full-date key): m ≈ 0.03 (a year computed from an age), u ≈ 1/365 × 2/60 → 12 for
    /// independent pairs; but namesakes are relatives far more often than chance, so 5: with
    /// both names it stays review and the pair round decides.
    pub const DOB_NEAR_YEAR: f64 = 5.0;
    /// No date evidence: date missing on one side (~5 %) or wrong in the year too.
    pub const NO_DOB: f64 = -3.0;
    /// Patronymic root agrees: m 0.85, u 0.03 → 4.8.
    pub const PATRONYMIC: f64 = 6.5;
    /// Place of birth agrees: m 0.7, u 0.08 (many share a capital) → 3.1.
    pub const PLACE: f64 = 3.1;
    /// The mother's given name agrees (`full_name_mother`): m 0.9 (a mother's name is copied
    /// less carefully than one's own), u 0.03 over all women's names → 4.9; but namesake
    /// children are of one people and often one family, whose mothers bear its few common
    /// names (u nearer 0.2), so 2: the key finds the pair, the pair round weighs the rest.
    pub const MOTHER_GIVEN: f64 = 2.0;
    /// Current locality agrees: m 0.6 (people move, above all returnees), u 0.1 → 2.6, less
    /// its correlation with place of birth.
    pub const LOCALITY: f64 = 2.0;
    /// Current locality agreeing together with the full birth date (`dob_locality`): a date
    /// in a small place is rarer than a name in it (u ≈ 0.01 given the date) → 3.5.
    pub const DOB_LOCALITY: f64 = 3.5;
}

/// Whether `kinds` show that the full birth dates of a same-person pair agree.
pub fn shows_full_date(kinds: KeySet) -> bool {
    use KeyKind::*;
    [
        FullNameDob,
        FamilyNameDob,
        GivenNameDob,
        SkeletonDob,
        GivenPatronymicDob,
        DocumentSortedDob,
        DocumentTailDob,
        DobLocality,
    ]
    .iter()
    .any(|k| kinds.contains(*k))
}

/// Fields that the keys of a pair show both records know and differ on: what a mark
/// (`KeyKind::is_mark`) means when no key with the field itself agrees. Same person: both
/// know the birth date to the day, the names and the year agree (`full_name_year_precise`) and
/// no key with the date does: `birth_month` differs, or `birth_day` when the month agrees too
/// (dates swapped day for month are not a difference). Family: both know the mother's birth
/// date to the day (`mother_name_full_date`) and no key with it agrees: `mother_birth_date`
/// (the year may agree: `mother_name_year` then does). Labels as the pair round's fields.
pub fn key_conflicts(link_kind: LinkKind, kinds: KeySet) -> Vec<&'static str> {
    use KeyKind::*;
    let has = |k: KeyKind| kinds.contains(k) || kinds.contains(k.counterpart());
    match link_kind {
        LinkKind::SamePerson => {
            if !has(FullNameYearPrecise) || shows_full_date(kinds) || has(FullNameDobSwapped) {
                Vec::new()
            } else if has(FullNameYearMonth) {
                vec!["birth_day"]
            } else {
                vec!["birth_month"]
            }
        }
        LinkKind::Family => {
            if has(MotherNameFullDateAsChild) && !mother_full_date_agrees(kinds) {
                vec!["mother_birth_date"]
            } else {
                Vec::new()
            }
        }
    }
}

/// Whether a family pair's keys show the mother's full birth date agreeing (either side's
/// kinds count).
fn mother_full_date_agrees(kinds: KeySet) -> bool {
    use KeyKind::*;
    [
        MotherNameDobAsChild,
        MotherSkeletonDobAsChild,
        MotherGivenPatronymicDobAsChild,
        MotherGivenDobAsChild,
        MotherFamilyDobAsChild,
    ]
    .into_iter()
    .any(|k| kinds.contains(k) || kinds.contains(k.counterpart()))
}

/// Whether `kinds` show that the names of a same-person pair agree by their consonant skeletons.
pub fn shows_skeleton(kinds: KeySet) -> bool {
    use KeyKind::*;
    [SkeletonDob, SkeletonYearSex, SkeletonYear].iter().any(|k| kinds.contains(*k))
}

/// Whether `kinds` show that both names of a same-person pair agree after folding.
pub fn shows_both_names(kinds: KeySet) -> bool {
    use KeyKind::*;
    [
        FullNameDob,
        FullNameDobSwapped,
        FullNameYear,
        FullNameYearPrecise,
        FullNamePatronymic,
        FullNamePlace,
        DocumentName,
        FullNameLocality,
        FullNameYearMonth,
        FullNameDobNearYear,
        FullNameMother,
    ]
    .iter()
    .any(|k| kinds.contains(*k))
        || (kinds.contains(FamilyNameDob) && kinds.contains(GivenNameDob))
}

/// Whether `kinds` show that the given name agrees (alone or with the family name).
pub fn shows_given_name(kinds: KeySet) -> bool {
    shows_both_names(kinds) || kinds.contains(KeyKind::GivenNameDob) || kinds.contains(KeyKind::GivenPatronymicDob)
}

/// Whether `kinds` show that the family name agrees (alone or with the given name).
pub fn shows_family_name(kinds: KeySet) -> bool {
    shows_both_names(kinds) || kinds.contains(KeyKind::FamilyNameDob)
}

/// What `kinds` show about the names of a same-person pair, in bits (see [`same`]).
pub fn same_person_name_bits(kinds: KeySet) -> f64 {
    use KeyKind::*;
    let any = |list: &[KeyKind]| list.iter().any(|k| kinds.contains(*k));
    let both_names = shows_both_names(kinds);
    let given = any(&[GivenNameDob, GivenPatronymicDob]);
    let family = kinds.contains(FamilyNameDob);
    let skeleton = shows_skeleton(kinds);
    let initials = kinds.contains(DocumentInitial);
    match (both_names, given || family, skeleton) {
        (true, _, _) => same::BOTH_NAMES,
        (false, true, true) => same::ONE_NAME_AND_SKELETON,
        (false, false, true) => same::SKELETONS,
        (false, true, false) if family => same::FAMILY_ONLY,
        (false, true, false) => same::GIVEN_ONLY,
        (false, false, false) if initials => same::INITIALS,
        (false, false, false) => same::NO_NAME,
    }
}

/// The evidence `kinds` give for a same-person pair, in bits (see [`same`]), held below
/// auto-confirmation where the keys cannot tell the pair from twins ([`TWIN_CAP`]) or from a
/// number typed into the wrong record ([`document_alone`]): the pair round decides those.
pub fn same_person_bits(kinds: KeySet) -> f64 {
    let bits = same_person_key_bits(kinds);
    if document_alone(kinds) { bits.min(DOCUMENT_ALONE_CAP) } else { bits }
}

/// Whether a same-person pair rests on its document number: the number agrees, and neither
/// name (its initials at most) nor the full birth date does. A number is the one field most
/// often copied into the wrong record: a spouse's, or a parent's whose passport carried the
/// child (CIS passports took children until recently). The keys alone score 0.913 for the
/// number and the initials, so such a pair waits for the pair round, which confirms it unless
/// it shows another person ([`pair::assess_same_person`](super::pair::assess_same_person)).
pub fn document_alone(kinds: KeySet) -> bool {
    use KeyKind::*;
    kinds.contains(Document)
        && !shows_given_name(kinds)
        && !shows_family_name(kinds)
        && !shows_skeleton(kinds)
        && !shows_full_date(kinds)
}

/// Most bits a pair resting on its document number reaches from the keys before the pair round
/// (about 0.85), as for twins.
pub const DOCUMENT_ALONE_CAP: f64 = TWIN_CAP;

/// What the keys give for a same-person pair before the document-alone hold: the bits the pair
/// round restores when it shows nothing against the number.
pub fn same_person_key_bits(kinds: KeySet) -> f64 {
    use KeyKind::*;
    let any = |list: &[KeyKind]| list.iter().any(|k| kinds.contains(*k));
    let mut bits = same_person_name_bits(kinds);
    let dob_full = shows_full_date(kinds);
    let precise = kinds.contains(FullNameYearPrecise);
    bits += if dob_full {
        same::DOB_FULL
    } else if kinds.contains(FullNameDobSwapped) {
        same::DOB_SWAPPED
    } else if kinds.contains(FullNameDobNearYear) {
        same::DOB_NEAR_YEAR
    } else if kinds.contains(FullNameYearMonth) && !precise {
        same::DOB_YEAR_MONTH
    } else if kinds.contains(FullNameYearMonth) {
        same::DOB_DAY_CONFLICT
    } else if precise {
        same::DOB_YEAR_CONFLICT
    } else if any(&[FullNameYear, SkeletonYearSex, SkeletonYear, DocumentYear]) {
        same::DOB_YEAR
    } else {
        same::NO_DOB
    };
    if kinds.contains(Document) {
        bits += same::DOCUMENT;
    } else if any(&[DocumentSortedDob, DocumentTailDob]) {
        bits += same::NEAR_DOCUMENT;
    }
    if any(&[FullNamePatronymic, GivenPatronymicDob]) {
        bits += same::PATRONYMIC;
    }
    if kinds.contains(FullNamePlace) {
        bits += same::PLACE;
    }
    if kinds.contains(FullNameMother) {
        bits += same::MOTHER_GIVEN;
    }
    if kinds.contains(DobLocality) {
        bits += same::DOB_LOCALITY;
    } else if kinds.contains(FullNameLocality) {
        bits += same::LOCALITY;
    }
    // Twins share the family name and the birth date, and twins' names often share a skeleton:
    // a boy and a girl named Aziz and Aziza, Dilshod and Dilshoda; Hasan and Husan. With the
    // given name shown by its skeleton only, the keys do not decide: the pair round compares
    // the given names and the sex (the twin guard of `pair::pair_bits`). A document decides.
    if twin_alike(kinds) {
        bits = bits.min(TWIN_CAP);
    }
    bits
}

/// Whether `kinds` are what twins make: the family name and the full birth date agree, the given
/// names only by their skeletons, and no document is in common (see [`same_person_key_bits`]).
pub fn twin_alike(kinds: KeySet) -> bool {
    use KeyKind::*;
    let document = [Document, DocumentSortedDob, DocumentTailDob].iter().any(|k| kinds.contains(*k));
    kinds.contains(FamilyNameDob) && shows_skeleton(kinds) && !shows_given_name(kinds) && !document
}

/// Whether the keys alone must not confirm a same-person pair, whatever the node's thresholds:
/// twins' keys ([`twin_alike`]) and a pair resting on its number ([`document_alone`]). Their
/// scores are capped below the default auto-confirm threshold; a node configured to
/// auto-confirm lower still holds them for the pair round
/// ([`pair::assess_same_person`](super::pair::assess_same_person)).
pub fn held_by_keys(kinds: KeySet) -> bool {
    twin_alike(kinds) || document_alone(kinds)
}

/// Most bits a pair that twins could make reaches without a document in common, from the keys
/// or the pair round: a score of about 0.85, below the default auto-confirm threshold.
pub const TWIN_CAP: f64 = CENTRE_SAME_PERSON + 6.0;

/// Field-level weights for family links, in bits.
mod family {
    /// The mother's given and family name agree: rarer pairs than a single name, but the pool
    /// is every adult woman (u ≈ 10⁻³ for a common pair) → 10.
    pub const NAMES: f64 = 10.0;
    /// The names agree by skeleton only (`mother_skeleton_dob`, no longer made).
    pub const SKELETONS: f64 = 7.5;
    /// Family name only (given missing on the child's record, or mistyped): a family root
    /// among women u ≈ 0.01 → 6.6, less the sign that the given name did not agree (m 0.1 vs
    /// u 0.97 → −3.3), plus a little because a child's record rarely mistypes both.
    pub const FAMILY_ONLY: f64 = 4.0;
    /// Given name only (family missing, a maiden or married name, or mistyped): u ≈ 0.02
    /// → 5.6, less the sign that the family name did not agree (m ≈ 0.2 → −2.3).
    pub const GIVEN_ONLY: f64 = 3.5;
    /// The mother's full birth date: m 0.9, u 5·10⁻⁵ → 14, minus the weaker name evidence.
    pub const DOB_FULL: f64 = 13.0;
    /// The mother's birth year: among women of childbearing age ~30 years → 4.5.
    pub const DOB_YEAR: f64 = 5.5;
    /// No date evidence: a child's record often lacks the mother's birth date (m of absence high).
    pub const NO_DOB: f64 = -1.0;
    /// The mother's patronymic (her father's name): m 0.85, u 0.03 → 4.8, more when a child's
    /// record has it, because it is then written from her documents.
    pub const PATRONYMIC: f64 = 6.5;
    /// Nationality agrees: five countries with unequal shares → ~1.5.
    pub const NATIONALITY: f64 = 1.5;
    /// Both records know her date of birth to the day and the dates differ
    /// (`mother_name_full_date` without a full-date key), the years differing: m ≈ 0.08 (a
    /// year from a stated age, a guessed date), u ≈ 0.95 → −3.6.
    pub const YEAR_DIFFERENT: f64 = -3.5;
    /// The same with the years agreeing (`mother_name_year` too): day or month mistyped or
    /// guessed, m ≈ 0.08, u ≈ 0.95 of the women of her name born that year → −3.6, taken
    /// from the year's weight.
    pub const DAY_OR_MONTH_DIFFERENT: f64 = -3.5;
}

/// The evidence `kinds` give for a family pair, in bits (see [`family`]). Child-side and
/// mother-side kinds count the same.
pub fn family_bits(kinds: KeySet) -> f64 {
    use KeyKind::*;
    let any = |list: &[KeyKind]| list.iter().any(|k| kinds.contains(*k) || kinds.contains(k.counterpart()));
    let both = [MotherNameDobAsChild, MotherNameYearAsChild, MotherNamePatronymicAsChild, MotherNameNationalityAsChild];
    let given = any(&both) || any(&[MotherGivenDobAsChild, MotherGivenPatronymicDobAsChild]);
    let family = any(&both) || any(&[MotherFamilyDobAsChild]);
    let mut bits = match (given, family) {
        (true, true) => family::NAMES,
        (false, true) => family::FAMILY_ONLY,
        (true, false) => family::GIVEN_ONLY,
        (false, false) if any(&[MotherSkeletonDobAsChild]) => family::SKELETONS,
        (false, false) => return f64::NAN,
    };
    // Both records know her date to the day (and it did not agree, if no full-date key did).
    let both_full = any(&[MotherNameFullDateAsChild]);
    bits += match (mother_full_date_agrees(kinds), any(&[MotherNameYearAsChild]), both_full) {
        (true, _, _) => family::DOB_FULL,
        (false, true, false) => family::DOB_YEAR,
        (false, true, true) => family::DOB_YEAR + family::DAY_OR_MONTH_DIFFERENT,
        (false, false, true) => family::YEAR_DIFFERENT,
        (false, false, false) => family::NO_DOB,
    };
    if any(&[MotherNamePatronymicAsChild, MotherGivenPatronymicDobAsChild]) {
        bits += family::PATRONYMIC;
    }
    if any(&[MotherNameNationalityAsChild]) {
        bits += family::NATIONALITY;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_without_the_field_agreeing_read_as_differences() {
        use KeyKind::*;
        let set = |kinds: &[KeyKind]| {
            let mut set = KeySet::default();
            for k in kinds {
                set.insert(*k);
            }
            set
        };
        let same = |kinds: &[KeyKind]| key_conflicts(LinkKind::SamePerson, set(kinds));
        let family = |kinds: &[KeyKind]| key_conflicts(LinkKind::Family, set(kinds));
        assert_eq!(same(&[FullNameYear, FullNameYearPrecise]), vec!["birth_month"]);
        assert_eq!(same(&[FullNameYear, FullNameYearPrecise, FullNameYearMonth]), vec!["birth_day"]);
        // The date agrees, or is swapped day for month, or one record knows only the year.
        assert!(same(&[FullNameYear, FullNameYearPrecise, FullNameDob]).is_empty());
        assert!(same(&[FullNameYear, FullNameYearPrecise, FamilyNameDob]).is_empty());
        assert!(same(&[FullNameYear, FullNameYearPrecise, FullNameDobSwapped]).is_empty());
        assert!(same(&[FullNameYear, SkeletonYear]).is_empty());
        // Either side's role of a family key.
        assert_eq!(family(&[MotherNameNationalityAsChild, MotherNameFullDateAsChild]), vec!["mother_birth_date"]);
        assert_eq!(family(&[MotherNameYearAsMother, MotherNameFullDateAsMother]), vec!["mother_birth_date"]);
        assert!(family(&[MotherNameDobAsChild, MotherNameFullDateAsChild]).is_empty());
        assert!(family(&[MotherGivenDobAsMother, MotherNameFullDateAsMother]).is_empty());
        assert!(family(&[MotherNameNationalityAsChild]).is_empty());
    }

    #[test]
    fn family_scores_fall_by_whole_doublings_of_the_mother_node() {
        let reference = FAMILY_REFERENCE_RECORDS;
        assert_eq!(family_size_bits(0, reference), 0.0);
        assert_eq!(family_size_bits(2_000, reference), 0.0);
        assert_eq!(family_size_bits(4_095, reference), 0.0);
        assert_eq!(family_size_bits(4_096, reference), 1.0);
        assert_eq!(family_size_bits(10_000, reference), 2.0);
        assert_eq!(family_size_bits(1 << 20, reference), 9.0);
        assert_eq!(family_size_bits(u64::MAX, reference), 52.0);
        assert_eq!(family_size_bits(1 << 20, 0), 0.0);
        assert_eq!(family_size_bits(40, 16), 1.0);

        // The mother's names with her birth year: auto-confirmed at the reference size, held
        // for review once her node holds twice as many records.
        let mut kinds = KeySet::default();
        kinds.insert(KeyKind::MotherNameYearAsChild);
        let at_reference = score_family(kinds, 2_000, reference);
        assert_eq!(at_reference, score(LinkKind::Family, kinds));
        let thresholds = Thresholds::for_link(LinkKind::Family);
        assert_eq!(thresholds.decide(at_reference), Decision::AutoConfirm);
        assert_eq!(thresholds.decide(score_family(kinds, 5_000, reference)), Decision::NeedsReview);
        assert_eq!(thresholds.decide(score_family(kinds, 5_000, 0)), Decision::AutoConfirm);
        // No family evidence stays no link at any size.
        assert_eq!(score_family(KeySet::default(), 10, reference), 0.0);
    }
}
