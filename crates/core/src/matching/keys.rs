//! Match keys: combinations of normalised fields, from strict to loose, in the manner of the UK
//! Census match keys. Two records can only be compared through keys whose `(hash_domain, value)`
//! is exactly equal, so tolerance comes from having several keys that each leave one field out
//! or fold it further: a typo in the given name still leaves `family_name_dob`, a swapped day and
//! month still leaves `full_name_dob_swapped`, a transliteration the tables miss still leaves the
//! skeleton keys, a renewed passport leaves every name key.
//!
//! Every key is selective on its own: it always joins a name with a birth date, a second name,
//! a patronymic or a place, or is a document number. No key is a sex, a nationality, a birth year
//! or a single common name alone.
//!
//! ## Same-person keys
//!
//! | kind | value | survives |
//! |---|---|---|
//! | `document` | document number (≥ 6 chars, ≥ 5 digits) | every name change, transliteration |
//! | `document_initial` | document number + initial of one name (a key per name) | wrong date, names mistyped beyond the first letter |
//! | `document_sorted_dob` | document characters sorted + full date | transposed digits |
//! | `family_name_dob` | family + full date | typo or variant in the given name |
//! | `given_name_dob` | given + full date | typo in or change of the family name |
//! | `given_patronymic_dob` | given + patronymic root + full date (or the father's name in the family field, Arabic style) | family name changed at marriage; *Maryam Yusuf* for *Maryam Yusufovna* |
//! | `full_name_dob_swapped` | {given, family} + year + {day, month} | day and month swapped |
//! | `full_name_dob_near_year` | {given, family} + day and month + year/2, and again with (year+1)/2 | a birth year one off (computed from a stated age) with day and month right (review; the pair round confirms) |
//! | `full_name_year` | {given, family} + year | wrong or placeholder day/month, year-only dates |
//! | `full_name_year_precise` | {given, family} + year, only from day-precise dates | finds nothing alone: with `full_name_year` and no date key it shows two known, different dates (a namesake) |
//! | `skeleton_year` | {skeleton(given), skeleton(family)} + year | vowel/voicing variants and typos, with any date precision |
//! | `full_name_patronymic` | {given, family} + patronymic root | missing birth date |
//! | `full_name_place` | {given, family} + place of birth | missing birth date |
//! | `full_name_locality` | {given, family} + current locality | wrong document and date |
//! | `dob_locality` | full date + current locality | names and document all mistyped (review only) |
//! | `full_name_mother` | {given, family} + the mother's given name, from a child's record | a child's record without a date, place or locality (camp lists) |
//!
//! No longer made (the kinds stay known so that links stored before still score):
//! `full_name_dob`, `skeleton_dob`, `document_year`, `document_name`, `document_tail_dob`, and
//! `skeleton_year_sex` (now `skeleton_year`: a missing sex broke it), and `full_name_year_month`
//! (the pair round sees the month; leaving it out lost 1 synthetic pair of 2,625 and saved 0.95
//! tokens per record).
//! `tests/matching_ablation.rs` measured each of them on FEBRL4 and two synthetic federations:
//! every pair they found was found as well by the keys above (or, for `skeleton_dob` and
//! `document_tail_dob`, 0.2 % and 0.02 % of true pairs lost auto-confirmation), for 3.8
//! tokens per record.
//!
//! "Full date" is a day-precise date other than 1 January (see
//! [`normalise::BirthDate`]). Aliases give the full-name keys again with their own names, and
//! so does a name with Uzbek `oʻ` / `ў` written with a plain `o`
//! ([`normalise::without_o_apostrophe`]) and one with Turkmen `ä` / `ö` after a consonant
//! written as Russian does, `я` / `ё` ([`normalise::with_soft_front_vowels`]).
//!
//! ## Family keys (mother ↔ child)
//!
//! A minor's record (under 18 on `today`, or without a birth date but naming a mother)
//! describes its mother; an adult woman's record describes herself. A record that names a
//! mother and was under 18 when the returns began ([`RETURNS_BEGAN`]), or born since,
//! describes its mother at any age, and a woman's such record herself as well: a child of the
//! return who came of age. Each family key exists
//! twice, `…AsChild` and `…AsMother`, with one shared
//! [`KeyKind::hash_domain`], so the two sides meet while each node knows which side its own
//! record is on ([`KeyKind::family_role`]). On the child side, the mother's family name is taken
//! as written and, when it is missing or different, also as the child's own family name (most
//! mothers in the region share the family root of their children once gender endings are
//! folded: *Karimova* / *Karimov* → `karim`).
//!
//! | kind | value | precision it buys |
//! |---|---|---|
//! | `mother_given_dob` | mother given + full date | survives a missing, maiden or mistyped family name; with `mother_family_dob`: both names and the date, near certain |
//! | `mother_family_dob` | mother family (recorded or the child's own) + full date | survives a missing or mistyped given name |
//! | `mother_given_patronymic_dob` | given + patronymic + full date | survives maiden/married names |
//! | `mother_name_patronymic` | given + family + patronymic | father's name divides a common name by ~50 |
//! | `mother_name_year` | given + family + birth year | divides a name by ~30 (childbearing years) |
//! | `mother_name_nationality` | given + family + nationality | divides by ~3 only: review, never auto |
//!
//! The child's side makes the three full-date keys also with the mother's day and month
//! swapped, when the day could be a month (a list written month first, read day first); her own
//! record makes them with her date only, so two women never meet that way and only children's
//! records pay the extra tokens.
//!
//! `mother_name_dob` and `mother_skeleton_dob` (kinds 32–35) are no longer made: the two
//! single-name date keys show everything they showed and survive more; the kinds stay known
//! for links stored before. Given and family name fields swapped by a registrar are put back
//! before any key is made ([`normalise::oriented`]).
//!
//! A mother's name alone is no key: in a region of common names it finds many women.
//! Children of one mother (siblings) meet each other through their `…AsChild` keys, and one
//! woman recorded twice meets herself through `…AsMother` keys; such hits are not family links
//! and the node must drop them (see [`family_roles_complement`](super::family_roles_complement)).

use crate::matching::normalise::{self, BirthDate, Names};
use crate::matching::score::LinkKind;
use crate::person::{Person, Sex};

/// The kinds of match key. The discriminant is stored on disk and in bitmasks: never reuse one.
/// Discriminants stay below 64 (a [`KeySet`](super::KeySet) is a `u64`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum KeyKind {
    /// Document number (normalised; see [`normalise::document_number`]).
    Document = 0,
    /// Given and family name (in either order) + full date of birth. No longer made: a pair
    /// that agrees on it also agrees on `family_name_dob` and `given_name_dob` (or, when the
    /// names are swapped, on `skeleton_dob` and `full_name_year`); still scored for links
    /// stored before.
    FullNameDob = 1,
    /// Family name + full date of birth.
    FamilyNameDob = 2,
    /// Given name + full date of birth.
    GivenNameDob = 3,
    /// Given and family name + year + day and month in either order.
    FullNameDobSwapped = 4,
    /// Given and family name + birth year.
    FullNameYear = 5,
    /// Skeletons of given and family name + full date of birth. No longer made: a typo in
    /// one name with a full date still shows `given_name_dob` or `family_name_dob` together
    /// with `skeleton_year`; only typos in both names with a full date needed it (0.2 %
    /// of synthetic true pairs). Still scored for links stored before.
    SkeletonDob = 6,
    /// Skeletons of given and family name + birth year + sex. No longer made: replaced by
    /// `skeleton_year`, which a missing sex does not break; still scored for links stored
    /// before.
    SkeletonYearSex = 7,
    /// Given and family name + patronymic root.
    FullNamePatronymic = 8,
    /// Given name + patronymic root + full date of birth.
    GivenPatronymicDob = 9,
    /// Given and family name + place of birth.
    FullNamePlace = 10,
    /// Document number + birth year. No longer made: it found nothing and corroborated
    /// nothing that the name and date keys did not (see `tests/matching_ablation.rs`); still
    /// scored for links stored before.
    DocumentYear = 11,
    /// Document number + the initial of one name (one key per name): a name replaced or
    /// mistyped beyond its first letter still corroborates the document.
    DocumentInitial = 12,
    /// Document number + given and family name (either order). No longer made: the names
    /// are shown by the name keys without the document; still scored for links stored before.
    DocumentName = 13,
    /// Given and family name + current locality.
    FullNameLocality = 14,
    /// The document's characters in sorted order + full date of birth: survives a
    /// transposition in the number (consecutive numbers never share it).
    DocumentSortedDob = 15,
    /// The document's last four characters + full date of birth. No longer made: one true
    /// pair of FEBRL4's 5,000 and none of the synthetic ones needed it. Still scored for links
    /// stored before.
    DocumentTailDob = 16,
    /// Full date of birth + current locality: finds a record whose names and document were
    /// both mistyped; review only (twins share it).
    DobLocality = 17,
    /// Given and family name + birth year, made only by records whose birth date is known to
    /// the day. It never finds a pair on its own (`full_name_year` does); agreeing together
    /// with `full_name_year` but without a full-date key or `full_name_dob_swapped`, it shows
    /// that both records know the date and the dates differ: a namesake born the same year,
    /// not a year-only record of the same person.
    FullNameYearPrecise = 18,
    /// Given and family name + year and month of birth. No longer made: the pair round compares
    /// the month of every candidate waiting for review; still scored for links stored before.
    FullNameYearMonth = 20,
    /// Skeletons of given and family name + birth year: a spelling the tables do not fold or
    /// a typo that keeps the consonants, with any date precision. (The given name's skeleton
    /// mostly tells the sex, so leaving sex out costs little selectivity and survives a
    /// missing sex.)
    SkeletonYear = 21,
    /// Given and family name + day and month + the birth year halved, twice: `year / 2` and
    /// `(year + 1) / 2`, so two dates one year apart with the same day and month agree on one
    /// of the two (a year computed from a stated age is often one off). Review on its own; the
    /// pair round confirms or not.
    FullNameDobNearYear = 22,
    /// Given and family name + the mother's given name, from a child's record that names its
    /// mother: a child without a birth date, a place or a locality (as camp lists record
    /// children) meets its other record. Siblings and twins have other given names.
    FullNameMother = 23,

    /// Mother's given + family name + her full date of birth, from the child's record. No
    /// longer made (see the module notes); still scored for links stored before.
    MotherNameDobAsChild = 32,
    /// The same key from an adult woman's own record.
    MotherNameDobAsMother = 33,
    MotherSkeletonDobAsChild = 34,
    MotherSkeletonDobAsMother = 35,
    MotherGivenPatronymicDobAsChild = 36,
    MotherGivenPatronymicDobAsMother = 37,
    MotherNamePatronymicAsChild = 38,
    MotherNamePatronymicAsMother = 39,
    MotherNameYearAsChild = 40,
    MotherNameYearAsMother = 41,
    MotherNameNationalityAsChild = 42,
    MotherNameNationalityAsMother = 43,
    /// Mother's given name + her full date of birth: survives a missing, maiden or mistyped
    /// family name.
    MotherGivenDobAsChild = 44,
    MotherGivenDobAsMother = 45,
    /// Mother's family name (as recorded, or the child's own) + her full date of birth:
    /// survives a missing or mistyped given name.
    MotherFamilyDobAsChild = 46,
    MotherFamilyDobAsMother = 47,
    /// Mother's given + family name + a mark that her full date of birth is known. It finds
    /// nothing on its own; agreeing without a full-date key, it shows that both records know
    /// her date of birth to the day and the dates differ: another woman of the same name (or
    /// a date the child's record got wrong), which the other keys cannot tell from a date
    /// missing on one side.
    MotherNameFullDateAsChild = 48,
    MotherNameFullDateAsMother = 49,
}

/// Which side of a family link a key describes. Both sides hash with the same domain, so a
/// child's record of its mother meets the mother's own record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyRole {
    /// A minor's record, describing its mother.
    Child,
    /// An adult woman's own record.
    Mother,
}

impl KeyKind {
    pub const ALL: &'static [KeyKind] = &[
        KeyKind::Document,
        KeyKind::FullNameDob,
        KeyKind::FamilyNameDob,
        KeyKind::GivenNameDob,
        KeyKind::FullNameDobSwapped,
        KeyKind::FullNameYear,
        KeyKind::SkeletonDob,
        KeyKind::SkeletonYearSex,
        KeyKind::FullNamePatronymic,
        KeyKind::GivenPatronymicDob,
        KeyKind::FullNamePlace,
        KeyKind::DocumentYear,
        KeyKind::DocumentInitial,
        KeyKind::DocumentName,
        KeyKind::FullNameLocality,
        KeyKind::DocumentSortedDob,
        KeyKind::DocumentTailDob,
        KeyKind::DobLocality,
        KeyKind::FullNameYearPrecise,
        KeyKind::FullNameYearMonth,
        KeyKind::SkeletonYear,
        KeyKind::FullNameDobNearYear,
        KeyKind::FullNameMother,
        KeyKind::MotherNameDobAsChild,
        KeyKind::MotherNameDobAsMother,
        KeyKind::MotherSkeletonDobAsChild,
        KeyKind::MotherSkeletonDobAsMother,
        KeyKind::MotherGivenPatronymicDobAsChild,
        KeyKind::MotherGivenPatronymicDobAsMother,
        KeyKind::MotherNamePatronymicAsChild,
        KeyKind::MotherNamePatronymicAsMother,
        KeyKind::MotherNameYearAsChild,
        KeyKind::MotherNameYearAsMother,
        KeyKind::MotherNameNationalityAsChild,
        KeyKind::MotherNameNationalityAsMother,
        KeyKind::MotherGivenDobAsChild,
        KeyKind::MotherGivenDobAsMother,
        KeyKind::MotherFamilyDobAsChild,
        KeyKind::MotherFamilyDobAsMother,
        KeyKind::MotherNameFullDateAsChild,
        KeyKind::MotherNameFullDateAsMother,
    ];

    pub fn from_u8(value: u8) -> Option<KeyKind> {
        KeyKind::ALL.iter().copied().find(|k| *k as u8 == value)
    }

    /// Stable name used in APIs and the audit log.
    pub fn label(self) -> &'static str {
        match self {
            KeyKind::Document => "document",
            KeyKind::FullNameDob => "full_name_dob",
            KeyKind::FamilyNameDob => "family_name_dob",
            KeyKind::GivenNameDob => "given_name_dob",
            KeyKind::FullNameDobSwapped => "full_name_dob_swapped",
            KeyKind::FullNameYear => "full_name_year",
            KeyKind::SkeletonDob => "skeleton_dob",
            KeyKind::SkeletonYearSex => "skeleton_year_sex",
            KeyKind::FullNamePatronymic => "full_name_patronymic",
            KeyKind::GivenPatronymicDob => "given_patronymic_dob",
            KeyKind::FullNamePlace => "full_name_place",
            KeyKind::DocumentYear => "document_year",
            KeyKind::DocumentInitial => "document_initial",
            KeyKind::DocumentName => "document_name",
            KeyKind::FullNameLocality => "full_name_locality",
            KeyKind::DocumentSortedDob => "document_sorted_dob",
            KeyKind::DocumentTailDob => "document_tail_dob",
            KeyKind::DobLocality => "dob_locality",
            KeyKind::FullNameYearPrecise => "full_name_year_precise",
            KeyKind::FullNameYearMonth => "full_name_year_month",
            KeyKind::SkeletonYear => "skeleton_year",
            KeyKind::FullNameDobNearYear => "full_name_dob_near_year",
            KeyKind::FullNameMother => "full_name_mother",
            KeyKind::MotherNameDobAsChild => "mother_name_dob.child",
            KeyKind::MotherNameDobAsMother => "mother_name_dob.mother",
            KeyKind::MotherSkeletonDobAsChild => "mother_skeleton_dob.child",
            KeyKind::MotherSkeletonDobAsMother => "mother_skeleton_dob.mother",
            KeyKind::MotherGivenPatronymicDobAsChild => "mother_given_patronymic_dob.child",
            KeyKind::MotherGivenPatronymicDobAsMother => "mother_given_patronymic_dob.mother",
            KeyKind::MotherNamePatronymicAsChild => "mother_name_patronymic.child",
            KeyKind::MotherNamePatronymicAsMother => "mother_name_patronymic.mother",
            KeyKind::MotherNameYearAsChild => "mother_name_year.child",
            KeyKind::MotherNameYearAsMother => "mother_name_year.mother",
            KeyKind::MotherNameNationalityAsChild => "mother_name_nationality.child",
            KeyKind::MotherNameNationalityAsMother => "mother_name_nationality.mother",
            KeyKind::MotherGivenDobAsChild => "mother_given_dob.child",
            KeyKind::MotherGivenDobAsMother => "mother_given_dob.mother",
            KeyKind::MotherFamilyDobAsChild => "mother_family_dob.child",
            KeyKind::MotherFamilyDobAsMother => "mother_family_dob.mother",
            KeyKind::MotherNameFullDateAsChild => "mother_name_full_date.child",
            KeyKind::MotherNameFullDateAsMother => "mother_name_full_date.mother",
        }
    }

    /// The label mixed into the hash-to-group input. The two sides of a family key share it.
    pub fn hash_domain(self) -> &'static str {
        match self {
            KeyKind::MotherNameDobAsChild | KeyKind::MotherNameDobAsMother => "mother_name_dob",
            KeyKind::MotherSkeletonDobAsChild | KeyKind::MotherSkeletonDobAsMother => "mother_skeleton_dob",
            KeyKind::MotherGivenPatronymicDobAsChild | KeyKind::MotherGivenPatronymicDobAsMother => {
                "mother_given_patronymic_dob"
            }
            KeyKind::MotherNamePatronymicAsChild | KeyKind::MotherNamePatronymicAsMother => "mother_name_patronymic",
            KeyKind::MotherNameYearAsChild | KeyKind::MotherNameYearAsMother => "mother_name_year",
            KeyKind::MotherNameNationalityAsChild | KeyKind::MotherNameNationalityAsMother => "mother_name_nationality",
            KeyKind::MotherGivenDobAsChild | KeyKind::MotherGivenDobAsMother => "mother_given_dob",
            KeyKind::MotherFamilyDobAsChild | KeyKind::MotherFamilyDobAsMother => "mother_family_dob",
            KeyKind::MotherNameFullDateAsChild | KeyKind::MotherNameFullDateAsMother => "mother_name_full_date",
            other => other.label(),
        }
    }

    pub fn link_kind(self) -> LinkKind {
        if self.family_role().is_some() { LinkKind::Family } else { LinkKind::SamePerson }
    }

    /// Whether this kind is a mark that only qualifies other agreements (it shows that both
    /// records know a field and differ on it) and must not make a candidate on its own:
    /// `full_name_year_precise`, `mother_name_full_date`.
    pub fn is_mark(self) -> bool {
        matches!(
            self,
            KeyKind::FullNameYearPrecise | KeyKind::MotherNameFullDateAsChild | KeyKind::MotherNameFullDateAsMother
        )
    }

    /// For family kinds, which side this key describes.
    pub fn family_role(self) -> Option<FamilyRole> {
        let code = self as u8;
        if code < 32 {
            None
        } else if code.is_multiple_of(2) {
            Some(FamilyRole::Child)
        } else {
            Some(FamilyRole::Mother)
        }
    }

    /// The same key as seen from the other side of a family link (`…AsChild` ↔ `…AsMother`);
    /// same-person kinds are their own counterpart.
    pub fn counterpart(self) -> KeyKind {
        match self.family_role() {
            None => self,
            Some(FamilyRole::Child) => KeyKind::from_u8(self as u8 + 1).unwrap_or(self),
            Some(FamilyRole::Mother) => KeyKind::from_u8(self as u8 - 1).unwrap_or(self),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchKey {
    pub kind: KeyKind,
    pub value: Vec<u8>,
}

/// Most aliases that yield keys, so that one record cannot flood a peer with tokens.
const MAX_ALIASES: usize = 4;

/// Every match key of a record, deduplicated. `today` decides who is a minor.
pub fn match_keys(person: &Person, today: (u16, u8, u8)) -> Vec<MatchKey> {
    let mut keys = KeyBuilder::default();
    let dob = BirthDate::from_partial(person.date_of_birth);
    let (given_field, family_field, patronymic_field) =
        normalise::name_fields(&person.given_name, &person.family_name, &person.patronymic);
    let (given_field, family_field) = (given_field.as_str(), family_field.as_str());
    let mut names = normalise::names(given_field, family_field, &patronymic_field);
    names.patronymic = normalise::patronymic_or_father(names.patronymic, &person.father.given_name);
    let (first, second) = pair_parts(given_field, family_field);
    let initial = |name: &str| {
        normalise::skeleton(name).chars().next().or_else(|| name.chars().next()).map(String::from).unwrap_or_default()
    };
    let initials = [initial(&first), initial(&second)];
    for document in &person.documents {
        let number = normalise::document_number(&document.number);
        if normalise::document_is_selective(&number) {
            keys.push(KeyKind::Document, &[&number]);
            for initial in &initials {
                keys.push(KeyKind::DocumentInitial, &[&number, initial]);
            }
            if let Some(full) = dob.and_then(|d| d.full()) {
                let mut sorted_chars: Vec<char> = number.chars().collect();
                sorted_chars.sort_unstable();
                keys.push(KeyKind::DocumentSortedDob, &[&sorted_chars.into_iter().collect::<String>(), &full]);
            }
        }
    }

    let place = normalise::place(&person.place_of_birth);
    let locality = normalise::place(&person.locality);
    // Children's records only (with the children of the return): camp lists record children
    // without a date, a place or a locality; an adult's record has other keys, and the mother's
    // name would cost a token for every adult who names one.
    let child = describes_a_child(person, today);
    let describes_its_mother = child || child_of_the_return(person);
    let mother_given = if describes_its_mother { normalise::parent_names(&person.mother).given } else { String::new() };
    // The record's own names, then each alias as another (given, family) pair.
    if let (Some(full), true) = (dob.and_then(|d| d.full()), locality.len() >= 3) {
        keys.push(KeyKind::DobLocality, &[&full, &locality]);
    }
    let mut pairs = vec![(names.given.clone(), names.family.clone(), (first.clone(), second.clone()))];
    // Which of `pairs` are kunyas (see `is_kunya`).
    let mut kunyas = vec![false];
    for alias in person.aliases.iter().take(MAX_ALIASES) {
        let alias = without_nisba(alias);
        if let Some(pair) = alias_names(&alias) {
            pairs.push(pair);
            kunyas.push(is_kunya(&alias));
        }
    }
    // Uzbek oʻ written as a plain o (a passport's machine-readable line, an ASCII-only
    // register), Turkmen ä and ö as Russian writes them: the record's names again in that
    // spelling, as an alias would be.
    let other_given = other_spelling(given_field);
    let other_family = other_spelling(family_field);
    if other_given.is_some() || other_family.is_some() {
        let given = other_given.as_deref().unwrap_or(given_field);
        let family = other_family.as_deref().unwrap_or(family_field);
        pairs.push((normalise::given_name(given), normalise::family_name(family), pair_parts(given, family)));
        kunyas.push(false);
    }
    // A family field of several names stands for each of them too, as an alias would.
    let parts = family_parts(family_field);
    for part in &parts {
        pairs.push((names.given.clone(), normalise::family_name(part), pair_parts(given_field, part)));
        kunyas.push(false);
    }
    for (index, (given, family, (first, second))) in pairs.iter().enumerate() {
        let primary = index == 0;
        let both = !first.is_empty() && !second.is_empty();
        if kunyas[index] {
            // A kunya is shared by every man whose son has one common name: with the full
            // birth date it is as selective as a name, with a year, a place or a patronymic it
            // is not.
            if let Some(full) = dob.and_then(|d| d.full()) {
                keys.push_named(KeyKind::FamilyNameDob, family, &[&full]);
                keys.push_named(KeyKind::GivenNameDob, given, &[&full]);
            }
            continue;
        }
        if let Some(date) = dob {
            if let Some(full) = date.full() {
                if primary || family.len() >= 2 {
                    keys.push_named(KeyKind::FamilyNameDob, family, &[&full]);
                }
                if primary || given.len() >= 2 {
                    keys.push_named(KeyKind::GivenNameDob, given, &[&full]);
                }
                if primary && !names.patronymic.is_empty() {
                    keys.push_named(KeyKind::GivenPatronymicDob, given, &[&names.patronymic, &full]);
                }
                // A family field that holds the father's name (*Maryam Yusuf*) meets the
                // patronymic of a record in the region's form (*Karimova Maryam Yusufovna*).
                if primary
                    && names.patronymic.is_empty()
                    && let Some(father) = normalise::father_in_family_field(family_field)
                {
                    keys.push_named(KeyKind::GivenPatronymicDob, given, &[&father, &full]);
                }
            }
            if let (Some(unordered), true) = (date.unordered(), both) {
                keys.push(KeyKind::FullNameDobSwapped, &[first, second, &unordered]);
            }
            if both {
                keys.push(KeyKind::FullNameYear, &[first, second, &date.year()]);
                if date.full().is_some() {
                    keys.push(KeyKind::FullNameYearPrecise, &[first, second, &date.year()]);
                }
                if let Some((month, day)) = date.month_day
                    && primary
                {
                    let day_month = format!("{month:02}-{day:02}");
                    for half in [format!("a{}", date.year / 2), format!("b{}", date.year.div_ceil(2))] {
                        keys.push(KeyKind::FullNameDobNearYear, &[first, second, &day_month, &half]);
                    }
                }
            }
            // A twin name keeps its letters as the given name only: twins share their family
            // name, and surnames built on such names (*Umarova*, *Saidov*) meet through their
            // skeletons as others do.
            let twin = normalise::is_twin_name(given).then(|| normalise::family_name(given));
            let skeleton_of = |part: &String| {
                if twin.as_ref() == Some(part) { normalise::name_skeleton(part) } else { normalise::skeleton(part) }
            };
            let (s1, s2) = sorted(skeleton_of(first), skeleton_of(second));
            if !s1.is_empty() && !s2.is_empty() && s1.len() + s2.len() >= 4 {
                keys.push(KeyKind::SkeletonYear, &[&s1, &s2, &date.year()]);
            }
        }
        // A patronymic that repeats the family name's root (*Erlan kyzy* with *Erlanovna*: the
        // Kyrgyz family name is the father's name) adds nothing to the full name.
        if both && !names.patronymic.is_empty() && names.patronymic != names.family {
            keys.push(KeyKind::FullNamePatronymic, &[first, second, &names.patronymic]);
        }
        if both && place.len() >= 3 {
            keys.push(KeyKind::FullNamePlace, &[first, second, &place]);
        }
        if both && locality.len() >= 3 {
            keys.push(KeyKind::FullNameLocality, &[first, second, &locality]);
        }
        if both && mother_given.len() >= 2 {
            keys.push(KeyKind::FullNameMother, &[first, second, &mother_given]);
        }
    }

    if describes_its_mother {
        child_keys(person, &names, &mut keys);
    }
    if !child && is_woman(person.sex, family_field, &patronymic_field) {
        mother_keys(person, &names, (given_field, family_field), &parts, &mut keys);
    }
    keys.keys
}

fn names_a_mother(person: &Person) -> bool {
    !person.mother.given_name.trim().is_empty() || !person.mother.family_name.trim().is_empty()
}

/// Whether a record is a child's, whose family keys describe its recorded mother: a minor on
/// `today`, or a record without a birth date that names a mother (records give a mother's name
/// to find her; a child registered without its date would otherwise never meet her).
fn describes_a_child(person: &Person, today: (u16, u8, u8)) -> bool {
    person.is_minor_on(today) || (person.date_of_birth.is_none() && names_a_mother(person))
}

/// The day the returns from Syria and Iraq began (Kazakhstan's first repatriation flights,
/// January 2019): see [`child_of_the_return`].
pub const RETURNS_BEGAN: (u16, u8, u8) = (2019, 1, 1);

/// Whether a record that names a mother is a child of the return: under 18 when the returns
/// began ([`RETURNS_BEGAN`]) or born since, an adult by now or one day. Its family keys
/// describe its mother as a minor's do — a mother and her child who came back as one are a
/// family link whatever the child's age today — and a woman's record describes herself as
/// well, for she may be a mother too. Records of older adults make no keys for a mother they
/// name: registers that write every adult's parents would double the family tokens for links
/// no one is looking for.
fn child_of_the_return(person: &Person) -> bool {
    let young = |date: crate::PartialDate| date.age_on(RETURNS_BEGAN).is_none_or(|age| age < 18);
    names_a_mother(person) && person.date_of_birth.is_some_and(young)
}

/// The child's side of the family keys: its recorded mother.
fn child_keys(person: &Person, own: &Names, keys: &mut KeyBuilder) {
    let mother = &person.mother;
    let (given_field, family_field, patronymic_field) =
        normalise::name_fields(&mother.given_name, &mother.family_name, &mother.patronymic);
    let family_field = family_field.as_str();
    let names = normalise::names(&given_field, family_field, &patronymic_field);
    // A record may name the mother by her family name alone (with her date of birth): the keys
    // that need no given name still find her.
    if names.given.len() < 2 && names.family.len() < 2 {
        return;
    }
    // The mother's family root as recorded (and each of its names if it holds several) and,
    // when missing or different, the child's own.
    let mut families = Vec::new();
    let parts: Vec<String> = family_parts(family_field).iter().map(|p| normalise::family_name(p)).collect();
    for family in [&names.family].into_iter().chain(&parts).chain([&own.family]) {
        if family.len() >= 2 && !families.contains(family) {
            families.push(family.clone());
        }
    }
    let woman = Woman {
        given: names.given,
        families,
        patronymic: names.patronymic,
        dob: BirthDate::from_partial(mother.date_of_birth),
        nationalities: nationalities(person),
    };
    woman.push_keys_with_other_spelling(FamilyRole::Child, &given_field, family_field, keys);
}

/// The mother's side of the family keys: an adult woman's own names, the names of a family field
/// that holds several (`family_parts`), and her aliases' family names (a maiden or married name).
fn mother_keys(
    person: &Person,
    names: &Names,
    (given_field, family_field): (&str, &str),
    family_parts: &[String],
    keys: &mut KeyBuilder,
) {
    if names.given.len() < 2 && names.family.len() < 2 {
        return;
    }
    let mut families = Vec::new();
    if names.family.len() >= 2 {
        families.push(names.family.clone());
    }
    for part in family_parts {
        let family = normalise::family_name(part);
        if !families.contains(&family) {
            families.push(family);
        }
    }
    for alias in person.aliases.iter().take(MAX_ALIASES) {
        if let Some((given, family, _)) = alias_names(alias)
            && given == names.given
            && family.len() >= 2
            && !families.contains(&family)
        {
            families.push(family);
        }
    }
    let woman = Woman {
        given: names.given.clone(),
        families,
        patronymic: names.patronymic.clone(),
        dob: BirthDate::from_partial(person.date_of_birth),
        nationalities: nationalities(person),
    };
    woman.push_keys_with_other_spelling(FamilyRole::Mother, given_field, family_field, keys);
}

/// The fields of a (possible) mother that family keys are built from, from either side.
struct Woman {
    given: String,
    families: Vec<String>,
    patronymic: String,
    dob: Option<BirthDate>,
    nationalities: Vec<String>,
}

impl Woman {
    /// [`push_keys`](Self::push_keys), and again with her names in their other spelling when
    /// they have one (Uzbek `oʻ` as a plain `o`, Turkmen `ä` as Russian `я`: [`other_spelling`]),
    /// as the record's own name keys are.
    fn push_keys_with_other_spelling(
        self,
        role: FamilyRole,
        given_field: &str,
        family_field: &str,
        keys: &mut KeyBuilder,
    ) {
        let other_given = other_spelling(given_field);
        let other_family = other_spelling(family_field);
        self.push_keys(role, keys);
        if other_given.is_none() && other_family.is_none() {
            return;
        }
        let mut other = self;
        if let Some(given) = other_given {
            other.given = normalise::given_name(&given);
        }
        if let Some(family) = other_family {
            let family = normalise::family_name(&family);
            if family.len() >= 2 && !other.families.contains(&family) {
                other.families.insert(0, family);
            }
        }
        other.push_keys(role, keys);
    }

    fn push_keys(&self, role: FamilyRole, keys: &mut KeyBuilder) {
        let kind = |child: KeyKind| {
            if role == FamilyRole::Child { child } else { child.counterpart() }
        };
        let given = &self.given;
        let full = self.dob.and_then(|d| d.full());
        let year = self.dob.map(|d| d.year());
        // The child's record of her date is also tried with day and month swapped (a list
        // written MM/DD, a registrar reading it DD.MM), in the same kinds: her own record has
        // one date, so only the child's side pays the extra tokens.
        let swapped = if role == FamilyRole::Child { self.dob.and_then(|d| d.swapped()) } else { None };
        let full_dates: Vec<&String> = full.iter().chain(swapped.iter()).collect();
        // Given name and family name each with the full date: together they show both names
        // and the date (what `mother_name_dob` showed), apart they survive an error in the
        // other name or its absence.
        for full in &full_dates {
            if given.len() >= 2 {
                keys.push(kind(KeyKind::MotherGivenDobAsChild), &[given, full]);
            }
            for family in &self.families {
                keys.push(kind(KeyKind::MotherFamilyDobAsChild), &[family, full]);
            }
        }
        if given.len() < 2 {
            return;
        }
        for family in &self.families {
            if let Some(year) = &year {
                keys.push(kind(KeyKind::MotherNameYearAsChild), &[given, family, year]);
            }
            // A mark, not a value: tells dates that differ from a date missing on one side.
            if full.is_some() {
                keys.push(kind(KeyKind::MotherNameFullDateAsChild), &[given, family]);
            }
            // A patronymic that repeats the family root (*Aigul Muhammed kyzy*, whose Kyrgyz
            // family name is her father's name and yields her patronymic too) adds nothing to
            // her names, and her names alone are no key.
            if !self.patronymic.is_empty() && self.patronymic != *family {
                keys.push(kind(KeyKind::MotherNamePatronymicAsChild), &[given, family, &self.patronymic]);
            }
            for nationality in &self.nationalities {
                keys.push(kind(KeyKind::MotherNameNationalityAsChild), &[given, family, nationality]);
            }
        }
        if !self.patronymic.is_empty() {
            for full in &full_dates {
                keys.push(kind(KeyKind::MotherGivenPatronymicDobAsChild), &[given, &self.patronymic, full]);
            }
        }
    }
}

/// Whether an adult record may be a mother: sex female, or sex unknown with a female family
/// name or patronymic ending (*-ova*, *-eva*, *-ina*, *-skaya*, *-kyzy*, *-ovna*, *qizi*, *kyzy*),
/// or an Arabic *bint* before the father's name, in its fields as [`normalise::name_fields`]
/// reads them.
fn is_woman(sex: Sex, family_field: &str, patronymic_field: &str) -> bool {
    match sex {
        Sex::Female => true,
        Sex::Male => false,
        Sex::Unknown => {
            let family = normalise::fold(family_field);
            let patronymic = normalise::fold(patronymic_field);
            // Kazakh and Kyrgyz women's surnames of the new style end in -қызы / кызы.
            ["ava", "eva", "ina", "skaia", "kizi", "gizi"].iter().any(|e| family.ends_with(e))
                || ["avna", "evna", "ichna", "kizi", "gizi"].iter().any(|e| patronymic.ends_with(e))
                || ["bint ", "binti "].iter().any(|p| patronymic.starts_with(p))
        }
    }
}

fn nationalities(person: &Person) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for text in &person.nationalities {
        let code = normalise::nationality(text);
        if !code.is_empty() && !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// The two names of a pair in a fixed order, so that keys do not depend on which field holds
/// which name. Both fields are normalised as family names (gender endings off) because either
/// may hold the family name when the order was swapped.
/// A name field in the spelling that its letters may also be written in and the letter rules
/// do not fold to the same name: Uzbek `oʻ` as a plain `o`
/// ([`normalise::without_o_apostrophe`]), Turkmen `ä`, `ö` after a consonant as Russian `я`, `ё`
/// ([`normalise::with_soft_front_vowels`]). `None` when the field has neither.
fn other_spelling(field: &str) -> Option<String> {
    let plain = normalise::without_o_apostrophe(field);
    normalise::with_soft_front_vowels(plain.as_deref().unwrap_or(field)).or(plain)
}

fn pair_parts(given: &str, family: &str) -> (String, String) {
    let names = normalise::names(given, family, "");
    let (g, f) = (normalise::family_name(&names.given), names.family);
    if g.is_empty() || f.is_empty() {
        return (g, f);
    }
    sorted(g, f)
}

fn sorted(a: String, b: String) -> (String, String) {
    if a <= b { (a, b) } else { (b, a) }
}

/// The first words of a kunya, folded (*Абу*, *Abu*, *Abou* fold to `abu`, "father of"; *Умм*,
/// *Umm* to `um`, *Ummu* to `umu`, "mother of"), with the spellings folding leaves apart.
const KUNYA_PARTICLES: &[&str] = &["abu", "abo", "ebu", "um", "umu", "umi"];

/// Whether an alias is a kunya — *Абу Хамза* "father of Hamza", *Умм Салама* "mother of
/// Salama", the names many returnees were known by: a particle and one name, nothing else
/// (*Abu Bakr Karimov* is a given and a family name). Many men share a kunya (every father of
/// a Hamza may be called Abu Hamza), so it yields only the keys with the full birth date.
fn is_kunya(alias: &str) -> bool {
    let (rest, _patronymic) = normalise::split_patronymic(alias);
    let folded = normalise::fold(&rest);
    let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    tokens.len() == 2 && KUNYA_PARTICLES.contains(&tokens[0])
}

/// The article of a nisba, folded, also as it is written before a sun letter: *al-Uzbeki*,
/// *el-Kazakhi*, *at-Tajiki*, *ash-Shishani*, *as-Samarkandi*.
const NISBA_ARTICLES: &[&str] = &["al", "el", "at", "ash", "as", "ad", "az", "an", "ar"];

/// An alias without a final nisba, the adjective of origin that the names many returnees were
/// known by end in (*Abu Hamza al-Tajiki*, *Umm Maryam al-Uzbekiya*, *Abdulla al-Kazakhi*):
/// "the Tajik" is shared by every Tajik so known and is no family name, so *Abu Hamza
/// al-Tajiki* is read as the kunya *Abu Hamza* and *Abdulla al-Kazakhi* as a given name alone
/// (no keys: an alias needs two names). An *ad-Din* name written apart (*Nur al-Din*) keeps its
/// article, and so does an *Abd al-* name (*Abd ar-Rahman*): a nisba ends in -i, or -iya for a
/// woman. Returned folded when a nisba was taken off.
fn without_nisba(alias: &str) -> String {
    let folded = normalise::fold(alias);
    let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    match tokens.as_slice() {
        [rest @ .., before, article, nisba]
            if NISBA_ARTICLES.contains(article)
                && (nisba.ends_with('i') || nisba.ends_with("ia"))
                && !["abd", "abdu", "abdul", "abdl", "abdel", "abdal"].contains(before)
                && !rest.iter().chain([before]).all(|t| NISBA_ARTICLES.contains(t)) =>
        {
            rest.iter().chain([before]).copied().collect::<Vec<_>>().join(" ")
        }
        _ => alias.to_string(),
    }
}

/// An alias ("given family" in any order, perhaps with a patronymic) as (given, family, pair).
/// A token with a family ending (*-ov*, *-ova*, *-zoda* …) is the family name; otherwise the
/// last token is.
fn alias_names(alias: &str) -> Option<(String, String, (String, String))> {
    let (rest, _patronymic) = normalise::split_patronymic(alias);
    let folded = normalise::fold(&rest);
    let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    if tokens.len() < 2 {
        return None;
    }
    let family_at =
        tokens.iter().position(|t| normalise::family_name(t) != normalise::given_name(t)).unwrap_or(tokens.len() - 1);
    let given_at = if family_at == 0 { 1 } else { 0 };
    let (given, family) = (tokens[given_at], tokens[family_at]);
    Some((normalise::given_name(given), normalise::family_name(family), pair_parts(given, family)))
}

/// Most names of one family field that yield keys of their own.
const MAX_FAMILY_PARTS: usize = 3;

/// Particles that are not family names on their own (*ibn*, *al-*, *van der* …), folded.
const FAMILY_PARTICLES: &[&str] =
    &["ibn", "bin", "bint", "al", "el", "ul", "abu", "abd", "abdul", "van", "von", "de", "der"];

/// The names of a family field that holds several, as written: a maiden or former name in
/// brackets or after a slash, a double name (*Karimova (Rahimova)*, *Karimova-Rahimova*,
/// *Каримова / Рахимова*); empty for a field of one name. The field as a whole stays the
/// record's family name; each part also yields keys, so that a record elsewhere holding one of
/// the names meets it. A patronymic inside the field is not a part; particles and roots of fewer
/// than three letters are not either.
fn family_parts(field: &str) -> Vec<String> {
    let (names, _patronymic) = normalise::split_patronymic(field);
    let folded = normalise::fold(&names);
    let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    if tokens.len() < 2 {
        return Vec::new();
    }
    tokens
        .into_iter()
        .filter(|t| !FAMILY_PARTICLES.contains(t) && normalise::family_name(t).len() >= 3)
        .take(MAX_FAMILY_PARTS)
        .map(str::to_string)
        .collect()
}

/// Collects keys without duplicates; a key with an empty part is not made.
#[derive(Default)]
struct KeyBuilder {
    keys: Vec<MatchKey>,
}

impl KeyBuilder {
    fn push(&mut self, kind: KeyKind, parts: &[&str]) {
        if parts.iter().any(|p| p.is_empty()) {
            return;
        }
        let value = parts.join("|").into_bytes();
        if !self.keys.iter().any(|k| k.kind == kind && k.value == value) {
            self.keys.push(MatchKey { kind, value });
        }
    }

    /// A key led by one name: the name must have at least two letters to be selective with a
    /// date.
    fn push_named(&mut self, kind: KeyKind, name: &str, rest: &[&str]) {
        if name.len() < 2 {
            return;
        }
        let mut parts = vec![name];
        parts.extend_from_slice(rest);
        self.push(kind, &parts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kunyas_are_told_from_names() {
        for kunya in ["Абу Хамза", "Abu Hamza", "ABU HAMZA", "Abou Hamza", "Умм Салама", "Umm Salama", "Ummu Salama"]
        {
            assert!(is_kunya(kunya), "{kunya}");
        }
        for name in ["Abu Bakr Karimov", "Abubakr Karimov", "Hamza Abdullaev", "Abdulla Hamza", "Hamza", "Умид Саидов"]
        {
            assert!(!is_kunya(name), "{name}");
        }
    }
}
