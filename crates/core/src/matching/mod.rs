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
/// 2: a kunya alias (*Абу Хамза*) yields only the keys with the full birth date. 3: Kazakh and
/// Kyrgyz `au` before a consonant reads `av` (*Daulet* = *Dovlet*, *Shaukat* = *Shavkat*).
/// 4: a child's record naming its mother by family name and date of birth, without her given
/// name, yields `mother_family_dob`. 5: a given name ending in *-ie* reads *-ia* (*Safiýe*,
/// *Сафие* = *Safiya*). 6: a child's record of its mother's full date of birth is also tried
/// with day and month swapped. 7: English `ee` / `oo` spellings of Arabic names (*Rasheed*,
/// *Mansoor*) read as the names they spell. 8: Tajik surnames in *-ӣ* / *-i* read as the root
/// (*Шарифи* = *Шарифов*). 9: a family name ending in Tajik `ӣ` drops it after a vowel too
/// (*Мирзоӣ* = *Мирзоев*). 10: the -xon ending of a given name or patronymic is taken off before
/// the letter rules (*Azizxon* = *Aziz*, *Malikxon* = *Malik*), and a name-table spelling is read
/// before Russian's softened l (*Ilyosjon* = *Ilyos*). 11: *ad-Din* names in -eddin and, after a
/// vowel, -vuddin / -утдин read alike (*Sadreddin* = *Sadriddin*, *Ziyovuddin* = *Зияутдин*).
/// 12: a name with Uzbek `oʻ` / `ў` makes its name keys (and a woman's family keys) again with a
/// plain `o` (*Poʻlatov* = *POLATOV*, as a passport's machine-readable line writes it). 13: a name
/// of the name table compounded with -jon, -xon, -bek, -boy or -ali reads the name in its
/// canonical spelling (*Мухамеджанов* = *Muhammadjonov*, *Ахмедбеков* = *Ahmadbekov*). 14: an `o`
/// followed by two apostrophes (a typing slip, `oʻʻ`) loses both in the plain-o spelling. 15:
/// Arab, French and English spellings of Arabic names (*Mostafa*, *Daoud*, *Othman*, *Aicha*,
/// *Abdelkader*) in the name table. 16: Abd al- names lose the l before a consonant (*Abdujabbor*
/// = *Abduljabbar*), and *ad-Din* names their French final e and a separately written article
/// (*Noureddine*, *Nur ad-Din* = *Nuriddin*). 17: Arabic patronymic words before the father's
/// name (*bint Yusuf* = *Yusufovna*, *Ahmad bin Abdulla* in one field). 18: a family field that
/// holds a father's name, Arabic style (*Maryam Yusuf*), gives `given_patronymic_dob` with it.
/// 19: an alias loses a final nisba (*Abu Hamza al-Tajiki* is the kunya *Abu Hamza*). 20: Turkish
/// and Azerbaijani forms of Arabic names (*Cemal*, *Hacer*, *Mehmet*, *Emine*, *Fadime*) in the
/// name table, and Turkish *-ettin* read as *-iddin* (*Nurettin* = *Nuriddin*). 21: Turkmen
/// `ä`, `ö` after a consonant make the name keys again with Russian `я`, `ё` (*Mähri* =
/// *Мяхри*), and Russian names with `ё` written `е` in the name table (*Артём* = *Artem*). 22:
/// *ad-Din* written apart joins its name (*Salah ad-Din* = *Salohiddin*), French *-aeddine* and
/// Tajik *-оуддин* after a name in a vowel read as Uzbek *-ovuddin* (*Bahaeddine* = *Bahouddin*
/// = *Bahovuddin*), and the name inside an *ad-Din* or *Abd-* compound is read through the name
/// table (*Seifeddine* = *Saifiddin*, *Abdelmalek* = *Abdulmalik*). 23: Turkmen *-guly* =
/// Russian *-кули* = Uzbek *-qul* (*Gurbanguly* = *Курбанкули*), and Turkish *Kemal*, *Recep*,
/// *Eyüp*, *Cafer*, *Şems-*, *Necm-* in the name table. 24: Kazakh, Tatar and Bashkir ғ / г for
/// an Arabic name's initial ʿayn (*Ғабдулла* = *Abdulla*, *Ғалия* = *Aliya*), and Kazakh ш for ч
/// (*Шолпан* = *Cholpon*) and Turkish *Nilüfer* in the name table. 25: the name inside an
/// *-ullah* compound through the name table (*Nimatullah* = *Nematullo*, *Seyfullah* =
/// *Saifullo*), and Dari and Turkish e for i in the name table (*Hekmat*, *Esmat*, *Ehsan*). 26:
/// Turkish c = дж in more names of the table (*Celal*, *Cuma*, *Cihan*, *Cevdet*, *Canan*,
/// *Ceylan* = *Jeren*), *Tayyip*, *Ebubekir*. 27: Persian, Dari and Arabic *-ollah*, *-allah*
/// read as *-ullah* (*Nurollah* = *Nurullo*, *Nasrallah* = *Насрулло*), ad-Din after a name in a
/// vowel read through the name table (*Diya al-Din* = *Ziyovuddin*), and in the name table the
/// Arabic ض ذ ظ written d or dh (*Ramadan* = *Рамазан*, *Ridwan* = *Rizvan*, *Fadl* = *Fazl*,
/// *Murtada*, *Rida*, *Dhakir*, *Hafidh*, *Diya*), *Zabiullah*, *Hedayat*, Turkish *Ömer*,
/// *Hüsnü*, *Şükrü*, *Lütfü*, *Zöhre* and Kazakh *Кемел* = *Kamal*. 28: places of birth and
/// localities read as places (`normalise::place`: without *г.*, *shahri*, *camp* or what
/// follows a comma, under one name for their Soviet, Russian and national names and the camps'
/// spellings: *Ленинабад* = *Khujand*, *Al-Hawl camp* = *Аль-Холь*), a patronymic that repeats
/// the family name's root (*Erlan kyzy*, *Erlanovna*) no key and no round evidence of its own,
/// Turkmen *Aýşe* = *Aisha*, and `full_name_mother`: a child's names with its mother's given
/// name. 29: a record that names a mother and was a minor when the returns began
/// (`keys::RETURNS_BEGAN`) describes its mother at any age, and a woman's such record herself
/// as well; words of a place joined are folded again (a letter doubled at the joint reads once).
/// 30: *Medina*, *Medine* = *Madina* in the name table. 31: Kyrgyz *Kara-Suu* no longer read
/// as Uzbek *Qorasuv* or a Kazakh *Karasu* (other places of one name). 32: a region or a
/// district written alone read as its name and level in any language (*Ташкентская область* =
/// *Toshkent viloyati* = *Tashkent region*, still not *Tashkent*). 33: Kyrgyz *Кара-Суйский
/// район* read as *Кара-Суу району*. 34: a region under its Soviet name, or one merged or
/// renamed, read as the region of today (*Ленинабадская область* = *Sughd region*, *Чарджоуская*
/// = *Lebap*, *Уральская* = *West Kazakhstan*). 35: names in Arabic script read in Latin letters
/// (`arabic`: *خديجة كاريموفا* = *Хадича Каримова*), where every Arabic letter was dropped, and
/// Arabic-Indic digits in dates and document numbers read as digits; the camps and towns of
/// Syria and Iraq under their Arabic names (*الرقة* = *Raqqa*), Idlib, Hasakah and Tal Afar
/// among them. 36: Tajik surnames in the law's other endings, *-far*, *-pur*, *-iyon* / *-yon*,
/// read as *-ov* (*Каримфар* = *Karimpur* = *Каримиён* = *Каримов*; Armenian *-yan* too), names
/// that end so themselves excepted (*Nilufar*, *Muzaffar*, *Shahpur*). 37: Tajik patronymics
/// of the law, the father's name with *-zod*, *-zoda* or *-far*, read as *-ovich*
/// (*Шарифзода* = *Шариффар* = *Шарифович*). 38: the same endings in Arabic script (*نابيبور*
/// = *Nabipur*, *كريمفر* = *Karimfar*, *نيلوفر* = *Nilufar*). 39: a short name in i before
/// *-ён* keeps its i (*Набиён* = *Набиев*, *Алиён* = *Алиев*). 40: only a name of the table
/// does (a mistyped *Sabian* keeps its letters); *Nabi* = *Nabiy* = *Набӣ*, *Vali* = *Valiy*.
/// 41: names given to twins a vowel apart (*Jamil* / *Jamal*, *Kamil* / *Kamal*, *Azim* /
/// *Azam*, *Amir* / *Umar*, *Said* / *Saad*) keep their letters in the skeleton, as *Hasan* /
/// *Husein* did, and the pair round compares them whole; *Emir* = *Amir*.
/// 42: a given name that ends as a family name may (Kazakh *Aisulu*, Turkmen *Gurbanguly*)
/// no longer keeps a swapped record's fields swapped when the other field ends as only family
/// names do (*Baizhanova* / *Aisulu*); such a record in order sends the pair round's
/// family-form token (*Gurbanguly Orazov*). *Chingis* = *Chingiz*, *Farangiz* = *Farangis*.
/// 43: a glued *-kyzy* / *-qizi* ("daughter of") reads as surely a family name as *-ova* does,
/// so *Serikkyzy* / *Aisulu* is put back in order and *Aisulu Serikkyzy* in one field is split
/// at *Serikkyzy*; beside a family name of another ending it is the patronymic (*Aigul
/// Serikkyzy Baizhanova*, *Nurlan Serikuly Baizhanov*, the order of Latin papers).
/// 44: a document number's Latin number sign is no part of it (*No. AC5395207* = *AC5395207*;
/// *Nº*, *Nr.*, *#*); French *tch* for ч (*Tkatchenko* = *Ткаченко*); Ukrainian *-enko* reads as
/// a family name, so *Tkatchenko* / *Pavel* is put back in order. 45: a mother's patronymic
/// that repeats her family root (*Айгуль Мухаммед кызы*, the Kyrgyz family name being her
/// father's name) makes no `mother_name_patronymic`: it is her names alone.
pub const KEYS_VERSION: u32 = 45;

pub mod arabic;
pub mod keys;
pub mod normalise;
pub mod pair;
pub mod resolve;
pub mod score;
pub mod tables;

pub use keys::{FamilyRole, KeyKind, MatchKey, match_keys};
pub use resolve::{resolve_keeping_ties, resolve_one_to_one};
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

/// A fingerprint of everything this version of Homeward derives from a record for the
/// federation: each match key (kind, hashing label and normalised value, in the order made,
/// under the token hash's own domain) and the values its pair rounds compare. Two derivations
/// with one fingerprint make the same tokens under one key and federation, whichever version
/// made them, so an upgrade's remake need not re-send a record whose fingerprint did not move.
/// Personal data in, 32 opaque bytes out; kept on the record's own node only.
pub fn derivation_fingerprint(person: &crate::Person, today: (u16, u8, u8)) -> [u8; 32] {
    fingerprint_of(person, &match_keys(person, today))
}

/// [`derivation_fingerprint`] of a record whose match keys are already made (`keys`, as
/// [`match_keys`] made them for the same day), so that enrolment derives them once.
pub fn fingerprint_of(person: &crate::Person, keys: &[MatchKey]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new_derive_key("homeward 2026-11 derivation fingerprint");
    let mut part = |bytes: &[u8]| {
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part(crate::token::HASH_DOMAIN);
    for key in keys {
        part(&[key.kind as u8]);
        part(key.kind.hash_domain().as_bytes());
        part(&key.value);
    }
    let round = pair::pair_values(person, KeySet::default());
    part(&round.layout);
    for (group, value) in &round.values {
        part(&[*group as u8]);
        part(value);
    }
    *hasher.finalize().as_bytes()
}

#[cfg(test)]
mod fingerprint_tests {
    use super::*;
    use crate::{PartialDate, Person};

    #[test]
    fn a_derivation_fingerprint_moves_with_what_the_federation_sees_and_nothing_else() {
        let today = (2026, 11, 28);
        let base = Person {
            record_id: "KZ-1".into(),
            given_name: "Aziza".into(),
            family_name: "Karimova".into(),
            date_of_birth: PartialDate::parse("1990-03-14").unwrap(),
            ..Default::default()
        };
        let fingerprint = derivation_fingerprint(&base, today);
        // Another record id, or the same names in another script: the same keys and values.
        let same = Person {
            record_id: "KZ-2".into(),
            given_name: "Азиза".into(),
            family_name: "Каримова".into(),
            ..base.clone()
        };
        assert_eq!(derivation_fingerprint(&same, today), fingerprint);
        // A field the keys or the round read: another fingerprint.
        let locality = Person { locality: "Tashkent".into(), ..base.clone() };
        let date = Person { date_of_birth: PartialDate::parse("1990-03-15").unwrap(), ..base.clone() };
        for other in [&locality, &date] {
            assert_ne!(derivation_fingerprint(other, today), fingerprint);
        }
    }
}
