//! Names in Arabic script read into the Latin letters that [`super::normalise::fold`] takes:
//! camp registers kept in Arabic, Syrian and Iraqi papers of children born there, Persian-script
//! papers of Afghan Tajiks. Before, every Arabic letter was dropped and such a record had no
//! name keys at all.
//!
//! Arabic writes long vowels and leaves short ones out (*محمد* is m-h-m-d), so a word is first
//! looked up among whole names ([`tables::ARABIC_NAMES`]: *محمد* → *muhammad*). Other words are
//! read letter by letter ([`tables::ARABIC_LETTERS`]), `و` and `ي` as the vowels *u* and *i* after
//! a consonant and as *v* and *y* elsewhere, the vowel marks where a text has them, and the
//! Russian-style endings Arabic letters give a Central Asian surname read back
//! ([`tables::ARABIC_ENDINGS`]: *كاريموفا* → *karimova*). *عبد*, and the article before a name of
//! the table, glued to the name are written apart, as Latin spellings write them (*عبدالرحمن* →
//! *abd al rahman*); other words that begin with the article's letters are Central Asian names
//! in Al- (*اليموف*, *Alimov*). A name whose short vowels are left out and whose stem is no name
//! of the table (*اكموردوف* for *Акмурадов*) meets its other spellings through the skeleton keys,
//! which keep consonants only; so does a Russian *е*, which Arabic writes as `ي` and is read *i*.

use super::tables;

/// Whether `c` is a letter or mark of the Arabic script blocks (presentation forms are folded to
/// these by NFKC before).
pub fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// `text` (lower case, NFKC) with every word that holds Arabic letters read in Latin letters;
/// other words as they are.
pub fn to_latin(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    // A zero-width non-joiner only shapes letters (Persian *رحیم‌زاده*); tatweel only stretches them.
    let text: String = text.chars().filter(|c| !matches!(c, '\u{200C}' | '\u{0640}')).collect();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.chars().any(is_arabic) {
            // Punctuation inside the word (an Arabic comma، a hyphen) separates names, as it
            // does in the other scripts.
            let pieces = word.split(|c: char| !(c.is_alphabetic() || is_vowel_mark(c))).filter(|p| !p.is_empty());
            for (i, piece) in pieces.enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                read_word(piece, &mut out);
            }
        } else {
            out.push_str(word);
        }
    }
    out
}

/// One word, which may carry a glued article or *عبد*.
fn read_word(word: &str, out: &mut String) {
    let bare = bare(word);
    if let Some(latin) = whole_name(&bare) {
        out.push_str(latin);
        return;
    }
    // عبد glued to the name it serves (عبدالله, عبدالرحمن): apart, with its article.
    if let Some(rest) = bare.strip_prefix("عبد")
        && rest.chars().count() >= 2
    {
        out.push_str("abd ");
        read_word(rest, out);
        return;
    }
    // The article glued to a name of the table (الحسن → al hasan, الرحمن); otherwise the
    // letters are a name's own, as Central Asian names that begin with Al- are written
    // (اليموف, Alimov; الييا, Aliya).
    if let Some(rest) = bare.strip_prefix("ال")
        && whole_name(rest).is_some()
    {
        out.push_str("al ");
        read_word(rest, out);
        return;
    }
    for (ending, latin) in tables::ARABIC_ENDINGS {
        // A stem of two letters is more often a name that ends so (شريف, Sharif).
        if let Some(stem) = bare.strip_suffix(ending)
            && (stem.chars().count() >= 3 || whole_name(stem).is_some())
        {
            // The stem may be a name of its own (كريموف: كريم, Karim); else its letters as
            // written, hamza and vowel marks included (إيسكاكوف, Iskakov).
            match whole_name(stem) {
                Some(name) => out.push_str(name),
                None => read_letters(without_last_letters(word, ending.chars().count()), out),
            }
            out.push_str(latin);
            return;
        }
    }
    read_letters(word, out);
}

/// `word` without its last `count` letters and the vowel marks on the letter before them.
fn without_last_letters(word: &str, count: usize) -> &str {
    let mut seen = 0;
    for (at, c) in word.char_indices().rev() {
        if !is_vowel_mark(c) {
            seen += 1;
            if seen == count {
                return word[..at].trim_end_matches(is_vowel_mark);
            }
        }
    }
    ""
}

/// A word's letters without vowel marks, with the letters that writers use for one another read
/// as one (hamza carriers as their bare letter, `ة` as `ه`, `ى` as `ي`, Persian `ک` `ی` as
/// Arabic `ك` `ي`): the form [`tables::ARABIC_NAMES`] and [`tables::ARABIC_ENDINGS`] are looked
/// up in.
fn bare(word: &str) -> String {
    word.chars()
        .filter(|c| !is_vowel_mark(*c))
        .map(|c| match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            'ؤ' => 'و',
            'ئ' | 'ى' | 'ی' => 'ي',
            'ة' | 'ۀ' => 'ه',
            'ک' => 'ك',
            c => c,
        })
        .collect()
}

fn whole_name(bare_word: &str) -> Option<&'static str> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static NAMES: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    NAMES
        .get_or_init(|| tables::ARABIC_NAMES.iter().map(|(arabic, latin)| (bare(arabic), *latin)).collect())
        .get(bare_word)
        .copied()
}

/// The short-vowel marks and the other marks over and under letters (U+064B–U+065F, the
/// superscript alif U+0670).
fn is_vowel_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}')
}

fn ends_in_vowel(out: &str) -> bool {
    out.ends_with(['a', 'e', 'i', 'o', 'u'])
}

/// Letter by letter (see the module comment).
fn read_letters(word: &str, out: &mut String) {
    let chars: Vec<char> = word.chars().collect();
    let start = out.len();
    for (i, &c) in chars.iter().enumerate() {
        let first = out.len() == start;
        let last = chars[i + 1..].iter().all(|c| is_vowel_mark(*c));
        // A vowel mark after و or ي makes it a consonant (مَرْيَم, Maryam).
        let voweled = matches!(chars.get(i + 1), Some('\u{064E}' | '\u{064F}' | '\u{0650}'));
        // Before a vowel's letter, و or ي is a consonant (تييور, Tiyor; الييا, Aliya).
        let before_vowel_letter = matches!(chars.get(i + 1), Some('ا' | 'و' | 'ي' | 'ی' | 'ى' | 'ة'));
        match c {
            // Vowel marks, where a text carries them.
            '\u{064E}' | '\u{0670}' => out.push('a'),
            '\u{064F}' => out.push('u'),
            '\u{0650}' => out.push('i'),
            c if is_vowel_mark(c) => {}
            // A word-initial alif before و only carries the vowel it writes (اوزبك, Uzbek); before
            // ي it is an a, as the Central Asian names written so begin (اينور, Aynur).
            'ا' if first && chars.get(i + 1) == Some(&'و') => {}
            'إ' => out.push('i'),
            // A long vowel's letter after the same vowel (its mark, or the i of إ) writes it
            // once (مُو, mū; إي, ī).
            'ا' if !first && out.ends_with('a') => {}
            'و' | 'ؤ' if !first && !voweled && !before_vowel_letter && out.ends_with('u') => {}
            'ي' | 'ی' | 'ئ' if !first && !voweled && !before_vowel_letter && out.ends_with('i') => {}
            'ا' | 'أ' | 'آ' | 'ٱ' => out.push('a'),
            // After a consonant, or after an initial alif that only carries it, a vowel; at the
            // start of a word, after a vowel or before a vowel mark, a consonant.
            'و' | 'ؤ' => {
                let vowel = !voweled && (if first { i > 0 } else { !ends_in_vowel(out) });
                out.push(if vowel { 'u' } else { 'v' });
            }
            'ي' | 'ی' | 'ئ' => {
                let vowel = !voweled && (if first { i > 0 } else { !ends_in_vowel(out) });
                out.push(if vowel { 'i' } else { 'y' });
            }
            // Final alif maqsura and ta marbuta are an a (موسى, فاطمة); so is a final ه after a
            // consonant in Persian spelling (زهره).
            'ى' | 'ة' | 'ۀ' => out.push('a'),
            'ه' if last && !first && !ends_in_vowel(out) => out.push('a'),
            c => {
                if let Some((_, latin)) = tables::ARABIC_LETTERS.iter().find(|(from, _)| *from == c) {
                    out.push_str(latin);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_names_letters_endings_and_glued_words() {
        let cases = [
            // Whole names, with or without vowel marks and hamza.
            ("محمد", "muhammad"),
            ("مُحَمَّد", "muhammad"),
            ("عائشة", "aisha"),
            ("عايشه", "aisha"),
            ("إبراهيم", "ibrahim"),
            ("ابراهيم", "ibrahim"),
            // Letter by letter: long vowels written, و and ي as vowels after a consonant.
            ("نورلان", "nurlan"),
            ("كازاخستان", "kazakhstan"),
            ("اوزبكستان", "uzbkstan"),
            ("داوران", "davran"),
            // Endings of Russian-style surnames, with and without the vowels written.
            ("كاريموفا", "karimova"),
            ("كريموف", "karimov"),
            ("يوسوبوف", "yusubov"),
            ("علييف", "aliev"),
            ("رحيم‌زاده", "rahimzoda"),
            // The Tajik law's -pur (p written ب in Arabic, پ in Persian) and -far.
            ("نابيبور", "nabipur"),
            ("كريمپور", "karimpur"),
            ("كريمفر", "karimfar"),
            ("نيلوفر", "nilufar"),
            // The same letters inside or before a short stem are the name's own.
            ("صبور", "sbur"),
            ("جعفر", "jafar"),
            // The article and عبد glued to a name.
            ("شريف", "shrif"),
            ("معروف", "maruf"),
            ("الحسن", "al hasan"),
            ("عبد-الله", "abd allah"),
            ("محمد،أحمد", "muhammad ahmad"),
            ("اليموف", "alimov"),
            ("الييا", "aliya"),
            ("باختييور", "bakhtiyur"),
            ("اينور", "aynur"),
            ("إيسكاكوف", "iskakov"),
            ("كَرِيمُوف", "karimov"),
            ("مُورَادُوف", "muradov"),
            ("عبدالله", "abd allah"),
            ("عبدالرحمن", "abd al rahman"),
            ("مَرْيَم", "maryam"),
            ("مرىم", "maryam"),
            // Persian letters and spellings.
            ("گلنارا", "glnara"),
            ("جمشید", "jamshid"),
            ("زهره", "zuhra"),
            ("چنگیز", "chngiz"),
            // Latin words are left as they are.
            ("karimov محمد", "karimov muhammad"),
        ];
        let wrong: Vec<String> = cases
            .iter()
            .filter(|(arabic, latin)| to_latin(arabic) != *latin)
            .map(|(arabic, latin)| format!("{arabic}: {:?}, not {latin:?}", to_latin(arabic)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    /// A spelling read as one with another row's would stand for whichever row was read last.
    #[test]
    fn no_two_names_share_a_spelling() {
        let mut seen = std::collections::HashMap::new();
        for (arabic, latin) in tables::ARABIC_NAMES {
            if let Some(other) = seen.insert(bare(arabic), latin) {
                panic!("{arabic} is read as {latin} and as {other}");
            }
        }
    }
}
