//! Normalisation of names, dates, document numbers and nationalities to the exact strings match
//! keys are built from.
//!
//! Names go through the tables in [`super::tables`]: Unicode NFKC and lower case, every script to
//! one Latin skeleton alphabet, transliteration spellings folded (`kh`/`x`/`х` → `h`), doubled
//! letters collapsed, whole-name variants merged (`Magomed` = `Muhammad`), and for family names
//! and patronymics the gender, Tajik and patronymic endings removed. The result is not meant to
//! be read by people: it is the most a name can be folded while two different common names still
//! stay apart. [`skeleton`] folds further (consonant classes, no vowels) for the loose keys.
//!
//! Every function is total (any Unicode in, ASCII out) and idempotent: folding a folded value
//! changes nothing, so values can be re-normalised safely.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::tables;
use crate::person::PartialDate;

/// Folds one name (or any free text) to lower-case ASCII tokens separated by single spaces.
/// Letters of every script are transliterated; punctuation other than apostrophes separates
/// tokens (`Abdul-Aziz` → two tokens). No name-variant table is applied.
pub fn fold(text: &str) -> String {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static FOLDED: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    }
    if let Some(folded) = FOLDED.with(|cache| cache.borrow().get(text).cloned()) {
        return folded;
    }
    let folded = stabilise(text, fold_uncached);
    if text.len() > FOLD_CACHE_TEXT_BYTES {
        return folded;
    }
    FOLDED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= FOLD_CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(text.to_string(), folded.clone());
    });
    folded
}

/// Most texts a thread remembers folded (see [`fold`]); past it the memory starts over.
const FOLD_CACHE_ENTRIES: usize = 1 << 10;

/// Longest text remembered: names, not free text.
const FOLD_CACHE_TEXT_BYTES: usize = 48;

/// One pass of [`fold`], without its memory. Records repeat the same names, and the letter
/// rules run to a fixed point over dozens of digraphs: remembered per thread (at most 1,024
/// texts of up to 48 bytes, about 150 KB), folding a name seen before costs a lookup. Deriving
/// the keys of the synthetic and FEBRL4 records went from about 90 to 21 µs per record.
///
/// [`fold`] repeats the pass until the text no longer changes ([`stabilise`]): the letter rules
/// can turn a character inside a word into a space (an apostrophe or a control character
/// between letters), and a rule that reads words (joining *ed din* to the name before it,
/// [`ad_din_joined`]) then applies on the next pass only: `q&'ed'din` folds to `k ed din`, and
/// that to `kidin`. Names fold in one pass; the second only confirms it.
fn fold_uncached(text: &str) -> String {
    let mut latin = String::with_capacity(text.len());
    let mut lower: String = text.nfkc().flat_map(char::to_lowercase).collect();
    if lower.chars().any(super::arabic::is_arabic) {
        lower = super::arabic::to_latin(&lower);
    }
    let lower = ad_din_joined(&lower);
    for word in lower.split_whitespace() {
        fold_word_letters(&allah_joined(word), &mut latin);
        latin.push(' ');
    }
    latin.split_whitespace().map(fold_token).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A lower-case word ending in one of [`tables::ALLAH_ENDINGS`] after a stem of three letters or
/// more, with the ending as the region writes it: *nurollah* → *nurullah*, *насралла* →
/// *насрулла*. Other words are returned as they are.
fn allah_joined(word: &str) -> Cow<'_, str> {
    for (ending, replacement) in tables::ALLAH_ENDINGS {
        if let Some(stem) = word.strip_suffix(ending)
            && stem.chars().count() >= 3
        {
            return Cow::Owned(format!("{stem}{replacement}"));
        }
    }
    Cow::Borrowed(word)
}

/// Whether `text` may hold *din* (or *deen*, *дин*), in any case: a d followed by i or e, or a д
/// followed by a Cyrillic letter of и's block (и among them). One pass over the bytes, nothing
/// allocated: most names have neither, and [`ad_din_joined`] and [`fold_unglued`] run for every
/// name of every record.
fn may_hold_din(text: &str) -> bool {
    text.as_bytes().windows(3).any(|w| match w {
        [d, i, _] if d | 0x20 == b'd' => matches!(i | 0x20, b'i' | b'e'),
        // д / Д (UTF-8 D0 B4 / D0 94), then a letter from D0 90 to D0 BF (и is D0 B8, И D0 98).
        [0xD0, 0xB4 | 0x94, 0xD0] => true,
        _ => false,
    })
}

/// *ad-Din* written apart from the name it completes, as Arabic and European spellings write it
/// (*Salah ad-Din*, *Салах ад-Дин*, *Nur al-Din*, *Siraj ud-Din*, *Salah Eddine*), joined to it
/// as Central Asian spellings do (*Salohiddin*, *Nuriddin*, *Sirojiddin*): the name's own last
/// letter then stays inside the word, where the letter rules keep it (a final h is dropped,
/// *Salah* = *Sala*; inside, *Salahuddin* keeps it), and a name in a vowel meets the Uzbek and
/// Russian forms (*Baha ad-Din* = *Bahauddin* = *Бахаутдин*). `text` is lower case; other text
/// is returned as it is.
fn ad_din_joined(text: &str) -> Cow<'_, str> {
    if !may_hold_din(text) {
        return Cow::Borrowed(text);
    }
    let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).collect();
    let is_din = |word: &str| tables::AD_DIN_WORDS.contains(&word);
    let is_article = |word: &str| tables::AD_DIN_ARTICLES.contains(&word);
    let is_joined = |word: &str| tables::AD_DIN_JOINED.contains(&word);
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut changed = false;
    let mut i = 0;
    while i < words.len() {
        let name_first = out.last().is_some_and(|name: &String| !is_article(name) && !is_din(name));
        let (ending, taken) = if i + 1 < words.len() && is_article(words[i]) && is_din(words[i + 1]) {
            ("uddin", 2)
        } else if is_joined(words[i]) {
            (words[i], 1)
        } else {
            ("", 0)
        };
        if let (true, Some(name)) = (name_first && taken > 0, out.last_mut()) {
            name.push_str(ending);
            changed = true;
            i += taken;
        } else {
            out.push(words[i].to_string());
            i += 1;
        }
    }
    if changed { Cow::Owned(out.join(" ")) } else { Cow::Borrowed(text) }
}

/// Kazakh Latin 2018 letters that Turkmen Latin does not write. A word with one of them is
/// Kazakh, and its `ý` is у (u), not Turkmen й.
const KAZAKH_2018_ONLY: &[char] = &['á', 'ǵ', 'ı', 'ń', 'ó', 'ú', 'q'];

/// Kazakh Latin 2021 letters that Turkmen Latin does not write. A word with one of them, or one
/// of [`KAZAKH_2018_ONLY`], is Kazakh, whose ä Russian spelling writes а (*Säule* = *Сауле*;
/// [`with_soft_front_vowels`]).
const KAZAKH_2021_ONLY: &[char] = &['ğ', 'ñ', 'ū'];

/// Transliterates the letters of one lower-case, whitespace-free word into `latin`.
fn fold_word_letters(word: &str, latin: &mut String) {
    let kazakh_2018 = word.contains(KAZAKH_2018_ONLY);
    for c in word.chars() {
        if c == 'ý' && kazakh_2018 {
            latin.push('u');
        } else if c.is_ascii_alphabetic() {
            latin.push(c);
        } else if tables::APOSTROPHES.contains(&c) {
            latin.push('\'');
        } else if let Some((_, to)) = tables::LETTERS.iter().find(|(from, _)| *from == c) {
            latin.push_str(to);
        } else if c.is_alphabetic() {
            // Latin letters with diacritics not in the table keep their base letter; letters of
            // scripts we do not read are dropped (their records match on other keys).
            latin.extend(c.to_string().nfd().filter(char::is_ascii_alphabetic).flat_map(|b| b.to_lowercase()));
        } else if !unicode_normalization::char::is_combining_mark(c) {
            latin.push(' ');
        }
    }
}

/// The letter rules on one lower-case token of ASCII letters and apostrophes, repeated until
/// nothing changes, so that folding is idempotent (a collapse can form a new digraph: `kkh`).
fn fold_token(token: &str) -> String {
    // Apostrophe digraphs first (Uzbek oʻ gʻ), then drop every other apostrophe.
    let mut text = token.to_string();
    for (from, to) in tables::APOSTROPHE_DIGRAPHS {
        if text.contains(from) {
            text = text.replace(from, to);
        }
    }
    text.retain(|c| c.is_ascii_alphabetic());
    // Every step below keeps or shortens the text and only removes letters that no step
    // re-creates from shorter text, so this reaches a fixed point in a few rounds.
    loop {
        let before = text.clone();
        for (from, to) in tables::DIGRAPHS {
            if text.contains(from) {
                text = text.replace(from, to);
            }
        }
        text = german_tz(text);
        text =
            text.chars().map(|c| tables::VOWELS.iter().find(|(from, _)| *from == c).map_or(c, |(_, to)| *to)).collect();
        text = collapse_doubles(&text);
        text = hard_u(text);
        text = kazakh_au(text);
        text = yo_written_e(text);
        text = ad_din(text);
        text = velar_n(text);
        // Abd- names and surnames lose the vowel after abd- that Kazakh, Kyrgyz and Turkmen
        // spellings drop or change: Abdrakhmanov / Abdurakhmanov, Абдыкадыр / Абдукадыр,
        // Abdolla / Abdulla.
        if let Some(rest) = text.strip_prefix("abd")
            && rest.len() >= 3
            && rest.starts_with(is_vowel)
            && !rest[1..].starts_with(is_vowel)
        {
            text = format!("abd{}", &rest[1..]);
        }
        // Abd al- names lose the article's l before a consonant, as Central Asian spellings
        // write them and Arabic assimilates it before a sun letter: Abdujabbor / Abduljabbar,
        // Абдухамид / Abdulhamid, Abdusalom / Abdessalam / Abdelsalam. Not before a vowel
        // (Abdulaziz keeps it), nor in Abdulla itself (`abdla`: too short).
        if let Some(rest) = text.strip_prefix("abdl")
            && rest.len() >= 3
            && !rest.starts_with(is_vowel)
        {
            text = format!("abd{rest}");
        }
        // Initial е written ye/ie: Yerlan / Erlan / Ерлан; Yevgeniy / Evgeniy.
        if let Some(rest) = text.strip_prefix("ie") {
            text = format!("e{rest}");
        }
        // Final h after a vowel is silent: Abdullah / Abdulla; Sarah / Sara.
        if text.len() > 2 && text.ends_with('h') && text[..text.len() - 1].ends_with(is_vowel) {
            text.pop();
        }
        // Final й after a vowel written j (ISO 9, German, Polish spellings of Russian names):
        // Sergej / Sergey, Dmitrij / Dmitriy, Nikolaj / Nikolay. Central Asian Latin j (ж, дж)
        // does not end names.
        if text.len() > 2 && text.ends_with('j') && text[..text.len() - 1].ends_with(is_vowel) {
            text.pop();
            text.push('i');
        }
        if text == before {
            return text;
        }
    }
}

/// German `tz` = ц (*Schultz* / *Шульц*, *Fritz* / *Фриц*) read as `c`, except before a vowel:
/// there it joins a stem ending in t to Tajik *-zoda* / *-zod* (*Davlatzoda* / *Давлатзода*,
/// *Nurmatzod*), which must keep its ending to meet *Davlatov*.
fn german_tz(text: String) -> String {
    if !text.contains("tz") {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == 't' && chars.get(i + 1) == Some(&'z') && !chars.get(i + 2).is_some_and(|c| is_vowel(*c)) {
            out.push('c');
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Kazakh and Kyrgyz у after `a` before a consonant, where Uzbek, Tajik and Turkmen write в
/// (*w*): the same Persian and Arabic names, *Даулет / Daulet* and *Давлат / Dovlet / Döwlet*,
/// *Шаукат* and *Shavkat*, *Firdaus* and *Firdavs*, *Наурыз* and *Navruz*, *Дәурен* and
/// *Даврон*, *Гаухар* and *Gavhar*. `au` before a consonant or at the end reads `av`; before a
/// vowel it stays (*Бауыржан*: no в-spelling there), and so does a patronymic word glued to a
/// father's name in -a (*Khamzauly* = *Hamza uly*, *Яхьяулы*, *Hamzao'g'li*).
fn kazakh_au(text: String) -> String {
    if !text.contains("au") {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    for i in 1..chars.len() {
        let glued_word = text.get(i..).is_some_and(|rest| tables::PATRONYMIC_WORDS.contains(&rest));
        if chars[i] == 'u' && chars[i - 1] == 'a' && !chars.get(i + 1).is_some_and(|c| is_vowel(*c)) && !glued_word {
            out[i] = 'v';
        }
    }
    out.into_iter().collect()
}

/// ё after и written е, as Russian spelling and ICAO passports write ё: `ie` between consonants
/// read as `ia`, the fold of `iio` (Uzbek `o` = Russian `а`): *Бахтиёр / Bakhtiyor / Бахтиер /
/// Bakhtier*, *Ниёзов / Niyozov / Niezov*. The same letters in *Aliev*, *Valiev* fold alike on
/// every spelling and keep their root once the ending is gone.
fn yo_written_e(text: String) -> String {
    if !text.contains("ie") {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<char> = chars.clone();
    for i in 1..chars.len().saturating_sub(2) {
        if chars[i] == 'i' && chars[i + 1] == 'e' && !is_vowel(chars[i - 1]) && !is_vowel(chars[i + 2]) {
            out[i + 1] = 'a';
        }
    }
    out.into_iter().collect()
}

/// Soft ю after a consonant (`iu` once folded) read as `u`. Turkic front ü is written ю in
/// Russian after a consonant and u in the region's Latin and often in its Cyrillic; Russian
/// ю after a consonant is written yu, iu or u in passports: *Гюльнара / Gülnara / Гульнара*,
/// *Мавлюда / Mavluda*, *Людмила / Lyudmila / Ludmila*. Initial and post-vowel ю keep their
/// `i` (*Юсуф* → `iusuf`, *Каюм* → `kaium`), and so does a name in -i before a glued Kazakh or
/// Kyrgyz patronymic word (*Aliuly* = *Ali uly*).
fn hard_u(text: String) -> String {
    if !text.contains("iu") {
        return text;
    }
    drop_letters(&text, |chars, i| {
        let glued_word = matches!(text.get(i + 1..), Some("uli" | "ulu"));
        chars[i] == 'i' && i > 0 && !is_vowel(chars[i - 1]) && chars.get(i + 1) == Some(&'u') && !glued_word
    })
}

/// Arabic *ad-Din* ("of the faith") names in their Russian and Tatar spellings, where дд is
/// written тд and the joining vowel u or e: *Nuriddin / Нуритдин / Nurutdin*, *Shamsiddin /
/// Шамсутдин / Shamseddin*, *Kamoliddinov / Камалетдинов*, *Jaloliddin / Jalaluddin*,
/// *Muhiddinov / Мухитдинов*, *Sadriddin / Садреддин*. `itdin`, `utdin`, `etdin`, `edin` (the
/// fold of eddin) and `udin` (of uddin) read as `idin`. After a name in a vowel, Uzbek and Tajik
/// write в where Russian and Kazakh write у (*Ziyovuddin / Зиёвуддин / Зияутдин / Ziyauddin*,
/// *Bahovuddin / Бахаутдин*); once `au` before a consonant reads `av` ([`kazakh_au`]), `avtdin`
/// and `avdin` read as `avidin`, the Uzbek spelling's fold. *Medina* and other names with
/// these letters elsewhere fold alike on every spelling.
fn ad_din(text: String) -> String {
    if !text.contains("din") && !text.ends_with("etin") {
        return text;
    }
    let mut out = text.to_string();
    for (from, to) in [("avtdin", "avidin"), ("avdin", "avidin")] {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    for from in ["itdin", "utdin", "etdin", "edin", "udin"] {
        if out.contains(from) {
            out = out.replace(from, "idin");
        }
    }
    // French spelling's final e (Noureddine, Seifeddine), the article glued to the name
    // (Nuradin, Salaheldin, Nouraldin; written apart, `ad_din_joined` joined it before the letter
    // rules), and Turkish -ettin (Nurettin, Şemsettin), at the end of a name.
    if let Some(stem) = out.strip_suffix("idine") {
        out = format!("{stem}idin");
    }
    // After a name in a: French -aeddine (Bahaeddine, Alaeddine) as Uzbek -ovuddin and Russian
    // -аутдин read (`avidin`).
    if let Some(stem) = out.strip_suffix("aidin")
        && stem.len() >= 2
    {
        out = format!("{stem}avidin");
    }
    for from in ["adin", "aldin", "eldin", "uldin", "etin"] {
        if let Some(stem) = out.strip_suffix(from)
            && stem.len() >= 3
        {
            out = format!("{stem}idin");
            break;
        }
    }
    out
}

/// Kazakh and Kyrgyz ң written ng after a vowel, as Russian spelling writes it (нг): *Zhangyl /
/// Жаңыл / Zhanyl*, *Tengiz / Теңіз / Teniz*, *Mangystau / Маңғыстау*. Uzbek Latin ng (*Mengli*)
/// is the same sound and folds alike on every spelling. Not after a consonant or at the start
/// of a word, where ng is more often a typo that moved a letter (*Нгиора* for *Нигора*).
fn velar_n(text: String) -> String {
    if !text.contains("ng") {
        return text;
    }
    // Not before Turkmen -guly (*Gurbanguly* = *Курбанкули*, see `canonical_variant`).
    let guly = |i: usize| text.get(i + 1..).is_some_and(|rest| rest.starts_with("uli") || rest.starts_with("ulu"));
    drop_letters(&text, |chars, i| {
        chars[i] == 'g' && i >= 2 && chars[i - 1] == 'n' && is_vowel(chars[i - 2]) && !guly(i)
    })
}

/// `text` without the letters at the positions `drop(letters, position)` chooses, judged on
/// the letters as they stand before any is dropped. `text` is ASCII (the letter rules' input),
/// so a position is also a byte offset.
fn drop_letters(text: &str, drop: impl Fn(&[char], usize) -> bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().filter(|&(i, _)| !drop(&chars, i)).map(|(_, c)| c).collect()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

fn collapse_doubles(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// Folded name variants → canonical spelling, built once from [`tables::NAME_VARIANTS`].
fn variants() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for row in tables::NAME_VARIANTS {
            let canonical: String = fold(row[0]).split(' ').collect();
            for variant in row.iter() {
                map.insert(fold(variant).split(' ').collect::<String>(), canonical.clone());
            }
        }
        map
    })
}

/// A place of birth or a current locality, folded, without the words that say what kind of
/// place it is ([`tables::PLACE_WORDS`]) or what follows a comma or a bracket, and under its
/// canonical name where [`tables::PLACE_VARIANTS`] knows another: *г. Ленинабад*, *Khujand*
/// and *Хуҷанд* are one value, *Al-Hawl camp, phase 5* and *Аль-Холь* another. A country
/// written before the place (*Kyrgyzstan, Osh*) is passed over. A region or a district written
/// alone is read as its name and its level ([`region_place`]): *Ташкентская область*, *Toshkent
/// viloyati* and *Tashkent region* are one value, not the city *Tashkent*. Empty for an empty
/// text.
pub fn place(text: &str) -> String {
    let chosen = chosen_part(text);
    if let Some(region) = region_place(chosen) {
        return region;
    }
    let spelled = spelling(chosen);
    places().get(&spelled).cloned().unwrap_or(spelled)
}

/// The part of a place written in parts that names it: a country or a region written before
/// the place is passed over; a part in a bracket or after the place (a country, a camp's annex
/// or phase) is dropped.
fn chosen_part(text: &str) -> &str {
    let parts: Vec<&str> = text.split([',', '(', ')', ';']).map(str::trim).filter(|part| !part.is_empty()).collect();
    let region = |part: &str| part.split_whitespace().any(|word| region_words().contains(&fold(word).replace(' ', "")));
    let passed_over = |part: &str| crate::country::nationality_codes(part).is_some() || region(part);
    match parts.as_slice() {
        [] => "",
        [first, second, ..] if passed_over(first) => second,
        [first, ..] => first,
    }
}

/// A place part folded, without kind-of-place words, its words joined.
fn spelling(part: &str) -> String {
    let folded = fold(part);
    let words: Vec<&str> = folded.split(' ').filter(|word| !place_words().contains(*word)).collect();
    // Joined words are folded again, so that a letter doubled at a joint reads once.
    fold(&if words.is_empty() { folded.replace(' ', "") } else { words.concat() })
}

/// [`place`] of a place written as a region or a district alone (a word of
/// [`tables::REGION_WORDS`] or [`tables::DISTRICT_WORDS`] and a name): the name — a Russian adjective read as the place it
/// is made from (*Ташкентская* → *Ташкент*, *Карагандинская* → *Караганда*, *Актюбинская* →
/// *Актюбинск*), then under its canonical name ([`tables::PLACE_VARIANTS`]) — followed by the
/// level, *region* or *district*. A region is not its capital: *Tashkent region* stays apart
/// from *Tashkent*. `None` when the part has no such word or nothing besides.
fn region_place(part: &str) -> Option<String> {
    let folded_word = |word: &str| fold(word).replace(' ', "");
    let words: Vec<&str> = part.split_whitespace().collect();
    let levels: Vec<String> =
        words.iter().map(|word| folded_word(word)).filter(|word| region_words().contains(word)).collect();
    if levels.is_empty() {
        return None;
    }
    let name: Vec<&str> = words
        .iter()
        .copied()
        .filter(|word| {
            let folded = folded_word(word);
            !region_words().contains(&folded) && !place_words().contains(&folded) && !folded.is_empty()
        })
        .collect();
    if name.is_empty() {
        return None;
    }
    let name = name.join(" ").to_lowercase();
    let candidates = adjective_stems(&name);
    let district = levels.iter().any(|word| district_words().contains(word));
    let known = candidates.iter().find_map(|candidate| {
        let spelled = spelling(candidate);
        match regions().get(&spelled).filter(|_| !district) {
            Some(region) => Some(places().get(region).cloned().unwrap_or_else(|| region.clone())),
            None => places().get(&spelled).cloned(),
        }
    });
    let stem = known.unwrap_or_else(|| spelling(&candidates[0]));
    let level = if district { "district" } else { "region" };
    Some(fold(&format!("{stem}{level}")))
}

/// What a region's name may be made from, most likely first: the name itself when it is no
/// Russian adjective, else the adjective without its ending, and the place names it is made
/// from (*-ская* from *-а*, *-ы*, *-я* or *-ск*: *Уральская*; *-инская* also from *-а*, *-ы*,
/// *-ья* or *-е*: *Курган-Тюбинская*; Kyrgyz *-уйский* from *-уу*).
fn adjective_stems(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for ending in tables::REGION_ADJECTIVE_ENDINGS {
        let Some(stem) = name.strip_suffix(ending) else { continue };
        if stem.chars().count() < 2 {
            continue;
        }
        out.push(stem.to_string());
        for tail in ["а", "ы", "я", "ск"] {
            out.push(format!("{stem}{tail}"));
        }
        if let Some(root) = stem.strip_suffix("ин") {
            for tail in ["а", "ы", "я", "е", ""] {
                out.push(format!("{root}{tail}"));
            }
        }
        // Kyrgyz *-суу* (water): *Кара-Суйский* from *Кара-Суу*.
        if let Some(root) = stem.strip_suffix("уй") {
            out.push(format!("{root}уу"));
        }
    }
    if out.is_empty() {
        out.push(name.to_string());
    }
    out
}

/// [`place`] of a place as the table of variants reads it (no region, see [`region_place`]).
fn place_spelling(text: &str) -> String {
    spelling(chosen_part(text))
}

type WordSet = std::collections::HashSet<String>;

/// `words` folded, made once into `cell`.
fn folded_words(cell: &'static OnceLock<WordSet>, words: &[&str]) -> &'static WordSet {
    cell.get_or_init(|| folded_words_of(words))
}

fn folded_words_of(words: &[&str]) -> WordSet {
    words.iter().map(|word| fold(word).replace(' ', "")).collect()
}

fn place_words() -> &'static WordSet {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    folded_words(&WORDS, tables::PLACE_WORDS)
}

/// Words of a region or a district.
fn region_words() -> &'static WordSet {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    WORDS.get_or_init(|| district_words().iter().cloned().chain(folded_words_of(tables::REGION_WORDS)).collect())
}

fn district_words() -> &'static WordSet {
    static WORDS: OnceLock<WordSet> = OnceLock::new();
    folded_words(&WORDS, tables::DISTRICT_WORDS)
}

/// Region names ([`tables::REGION_VARIANTS`]), spelt as places are, → the present region's.
fn regions() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| spelled_rows(tables::REGION_VARIANTS))
}

/// Place names ([`tables::PLACE_VARIANTS`]), spelt, → the canonical one's.
fn places() -> &'static HashMap<String, String> {
    static MAP: OnceLock<HashMap<String, String>> = OnceLock::new();
    MAP.get_or_init(|| spelled_rows(tables::PLACE_VARIANTS))
}

/// Every spelling of a table's rows → the spelling of its row's first.
fn spelled_rows(table: &[&[&str]]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for row in table {
        let canonical = place_spelling(row[0]);
        for variant in row.iter() {
            map.insert(place_spelling(variant), canonical.clone());
        }
    }
    map
}

/// A folded given-name token or patronymic root without endearing endings
/// ([`tables::NAME_ENDEARMENTS`]), when four letters or more remain.
fn strip_endearments(root: &str) -> String {
    let mut stem = root;
    'strip: loop {
        for ending in tables::NAME_ENDEARMENTS {
            if let Some(rest) = stem.strip_suffix(ending)
                && rest.len() >= 4
            {
                stem = rest;
                continue 'strip;
            }
        }
        break;
    }
    // -jon after a name ending in d: the letter rules read `dj` as one letter (дж).
    if stem.len() < root.len() && root[stem.len()..].starts_with('j') {
        let with_d = format!("{stem}d");
        if variants().contains_key(&with_d) || names_ending_in_d().iter().any(|name| with_d.ends_with(name.as_str())) {
            return with_d;
        }
    }
    stem.to_string()
}

/// Names of a table, folded into one word and in their canonical spelling.
fn canonical_names(names: &[&str]) -> std::collections::HashSet<String> {
    names
        .iter()
        .map(|name| {
            let folded: String = fold(name).split(' ').collect();
            variants().get(&folded).cloned().unwrap_or(folded)
        })
        .collect()
}

/// [`tables::AYN_NAMES`], folded and in their canonical spelling.
fn ayn_names() -> &'static std::collections::HashSet<String> {
    static NAMES: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| canonical_names(tables::AYN_NAMES))
}

/// [`tables::NAMES_ENDING_IN_D`], folded.
fn names_ending_in_d() -> &'static Vec<String> {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| tables::NAMES_ENDING_IN_D.iter().map(|name| fold(name)).collect())
}

/// [`tables::TWIN_NAMES`], folded.
fn twin_names() -> &'static Vec<String> {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| tables::TWIN_NAMES.iter().flatten().map(|name| fold(name)).collect())
}

/// Whether a normalised name is one of the [`tables::TWIN_NAMES`] or a compound of one.
pub fn is_twin_name(normalised: &str) -> bool {
    twin_names().iter().any(|name| {
        normalised
            .strip_prefix(name.as_str())
            .is_some_and(|rest| rest.is_empty() || tables::TWIN_NAME_COMPOUNDS.contains(&rest))
    })
}

/// The skeleton that keys use for a normalised given name: [`skeleton`], except that a twin
/// name ([`tables::TWIN_NAMES`]) keeps its letters, so that *Hasan* and *Husan* (both `ksn`),
/// *Jamil* and *Jamal* (`jml`) do not share a key. Family names use [`skeleton`].
pub fn name_skeleton(normalised: &str) -> String {
    if is_twin_name(normalised) { normalised.to_string() } else { skeleton(normalised) }
}

fn canonical_variant(token: &str) -> String {
    let softened = hard_la(token);
    // A spelling of the name table is read as it stands before the softened l (*Ilias*).
    if softened != token
        && let Some(canonical) = variants().get(token)
    {
        return canonical.clone();
    }
    let token = softened.as_str();
    if let Some(canonical) = variants().get(token) {
        return canonical.clone();
    }
    if let Some(compound) = compound_of_a_variant(token) {
        return compound;
    }
    // Turkmen -guly, Russian -кули, Uzbek -qul ("servant of"): *Gurbanguly* = *Курбанкули* =
    // *Qurbonqul*, *Annagulyýew* = *Аннакулиев*. A final g without its vowel is Uzbek and Tajik
    // *gul*, "flower" (*Oygul*), and stays.
    for ending in tables::QULI_ENDINGS {
        if let Some(stem) = token.strip_suffix(ending)
            && stem.len() >= 3
        {
            return format!("{}kuli", canonical_variant(stem));
        }
    }
    // Kazakh, Tatar and Bashkir ғ / г for an Arabic name's initial ʿayn (*Ғабдулла* = *Abdulla*,
    // *Ғалия* = *Aliya*), with a compound ending too (*Ғалымжан* = *Alimjan*).
    if let Some(rest) = token.strip_prefix('g')
        && rest.len() >= 2
        && rest.starts_with(is_vowel)
    {
        let name = canonical_variant(&fold_token(rest));
        let ayn = |name: &str| ayn_names().contains(name);
        let compound_of_ayn = tables::NAME_COMPOUND_ENDINGS
            .iter()
            .any(|ending| name.strip_suffix(ending).is_some_and(|base| base.len() >= 2 && ayn(base)));
        if name.starts_with("abd") || ayn(&name) || compound_of_ayn {
            return name;
        }
    }
    // The name inside an Abd-, ad-Din or -ullah compound in its canonical spelling: *Abdelmalek*
    // = *Abdulmalik* (*Malek* = *Malik*), *Seifeddine* = *Saifiddin* (*Seif* = *Saif*),
    // *Nimatullah* = *Nematullo* (*Nimat* = *Nemat*).
    let inner = |name: &str| variants().get(name).filter(|canonical| canonical.as_str() != name);
    if let Some(rest) = token.strip_prefix("abd")
        && rest.len() >= 3
        && let Some(canonical) = inner(rest)
    {
        return format!("abd{canonical}");
    }
    // (After a name in a vowel, ad-Din reads -vidin: *Diya al-Din* = *Ziyovuddin*.)
    for ending in ["idin", "vidin", "ula"] {
        if let Some(stem) = token.strip_suffix(ending)
            && stem.len() >= 3
            && let Some(canonical) = inner(stem)
        {
            return format!("{canonical}{ending}");
        }
    }
    // Kazakh, Kyrgyz and Tatar forms render a final Arabic f as p: Шарипов / Sharifov, Латып /
    // Latif, Арип / Arif. Applied to whole tokens and to the roots of family names and
    // patronymics, after their endings are gone.
    if token.len() >= 4
        && let Some(stem) = token.strip_suffix('p')
        && stem.ends_with(is_vowel)
    {
        return canonical_variant(&format!("{stem}f"));
    }
    // The same forms devoice a final Arabic d: Хамит / Hamid, Самат / Samad, Фархат / Farhad,
    // Рашит / Rashid, Sait / Said.
    if token.len() >= 4
        && let Some(stem) = token.strip_suffix('t')
        && stem.ends_with(is_vowel)
    {
        return canonical_variant(&format!("{stem}d"));
    }
    for (ending, part) in tables::NAME_PART_ENDINGS {
        if let Some(stem) = token.strip_suffix(ending)
            && stem.len() >= 2
        {
            return format!("{stem}{part}");
        }
    }
    token.to_string()
}

/// A folded token that is a name of [`tables::NAME_VARIANTS`] compounded with one of
/// [`tables::NAME_COMPOUND_ENDINGS`], with the name in its canonical spelling; `None` when it
/// is not, or when the name already is canonical.
fn compound_of_a_variant(token: &str) -> Option<String> {
    tables::NAME_COMPOUND_ENDINGS.iter().find_map(|ending| {
        let stem = token.strip_suffix(ending).filter(|stem| stem.len() >= 3)?;
        // A canonical name ending in a letter that the ending's h or j would join to it
        // (`zh`, `kh`, `dj` …) would not read back as itself.
        let joins = |name: &str| ending.starts_with(['h', 'j']) && name.ends_with(['z', 'k', 's', 'c', 'g', 'p', 'd']);
        if let Some(canonical) = variants().get(stem)
            && canonical != stem
            && !joins(canonical)
        {
            return Some(format!("{canonical}{ending}"));
        }
        // -jon after a name in d: the letter rules joined the d to it.
        if ending.starts_with('j')
            && let Some(canonical) = variants().get(&format!("{stem}d"))
            && let Some(without_d) = canonical.strip_suffix('d')
            && without_d != stem
        {
            return Some(format!("{without_d}{ending}"));
        }
        None
    })
}

/// Russian spelling softens the l of Turkic and Arabic names before a: *Джамиля* (Jamila),
/// *Камиля*, *Наиля*, *Дилярам* (Dilaram), *Ляззат* (Läzzat), *Билял* (Bilal), and passports
/// copy it (*Jamilya*, *Dzhamiliia*). `lia` after an i or at the start of a name reads as
/// `la`; after another letter it stays (*Aliya* is not *Alla*).
fn hard_la(token: &str) -> String {
    let token = match token.strip_prefix("lia") {
        Some(rest) => format!("la{rest}"),
        None => token.to_string(),
    };
    if token.contains("ilia") { token.replace("ilia", "ila") } else { token }
}

/// `text` with Uzbek `oʻ` (Cyrillic `ў`) written as a plain `o`, as machine-readable passport
/// lines and ASCII-only registers write it (*Poʻlatov* → *Polatov*, *Ўринбоева* → *Оринбоева*),
/// or `None` when `text` has no such letter. The letter rules read `oʻ` as `u` (Russian *Пулатов*)
/// and a plain `o` as `a` (*Sobirov* = *Сабиров*), so the two spellings of one name fold apart;
/// a record with `oʻ` makes its name keys again with this spelling
/// ([`super::keys::match_keys`]).
pub fn without_o_apostrophe(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            'ў' => {
                out.push('о');
                changed = true;
            }
            'Ў' => {
                out.push('О');
                changed = true;
            }
            'o' | 'O' if chars.peek().is_some_and(|next| tables::APOSTROPHES.contains(next)) => {
                out.push(c);
                while chars.next_if(|next| tables::APOSTROPHES.contains(next)).is_some() {}
                changed = true;
            }
            _ => out.push(c),
        }
    }
    changed.then_some(out)
}

/// `text` with Turkmen `ä` and `ö` after a consonant written `я` and `ё`, as Russian spelling
/// writes these front vowels (*Mähri* = *Мяхри*, *Bäşim* = *Бяшим*, *Näzik* = *Нязик*, *Gözel*
/// = *Гёзель*, *Gökdepe* = *Гёкдепе*), and passports copy it (*Miakhri*); or `None` when no such
/// letter follows a consonant. The letter rules read `ä` as `a` (Russian also writes *Махри*)
/// and `я` as `ia` (*Мария*, *Viacheslav*), so the two spellings of one name fold apart; a name
/// with `ä` makes its name keys again with this spelling ([`super::keys::match_keys`]), as with
/// [`without_o_apostrophe`]. The front `ü` needs none: soft `ю` after a consonant already reads
/// `u` (*Гюльнара* = *Gülnara*). A word with a letter only Kazakh Latin writes is left as it
/// is: Russian writes Kazakh `ә` as `а` (*Säule* = *Сауле*).
pub fn with_soft_front_vowels(text: &str) -> Option<String> {
    if !text.contains(['ä', 'Ä', 'ö', 'Ö']) {
        return None;
    }
    // Russian writes а, not я, after its hard hushing letters (ж, ч, ш, щ, ц: Turkmen j, ç, ş,
    // ž, c; Latin sh, ch, zh): *Jähan* = *Джахан*.
    let softens = |before: Option<char>, c: char| {
        let lower = |c: char| c.to_lowercase().next().unwrap_or(c);
        let c = lower(c);
        "bdfghklmnprstvwxzň".contains(c) && !(c == 'h' && before.map(lower).is_some_and(|b| "scz".contains(b)))
    };
    let mut out = String::with_capacity(text.len() + 4);
    let mut changed = false;
    for word in text.split_inclusive(|c: char| !c.is_alphabetic()) {
        let kazakh = |c: char| KAZAKH_2018_ONLY.contains(&c) || KAZAKH_2021_ONLY.contains(&c);
        if word.chars().flat_map(char::to_lowercase).any(kazakh) {
            out.push_str(word);
            continue;
        }
        let (mut before, mut previous) = (None, None);
        for c in word.chars() {
            let soft = match c {
                'ä' => Some('я'),
                'Ä' => Some('Я'),
                'ö' => Some('ё'),
                'Ö' => Some('Ё'),
                _ => None,
            };
            match (soft, previous) {
                (Some(soft), Some(previous)) if softens(before, previous) => {
                    out.push(soft);
                    changed = true;
                }
                _ => out.push(c),
            }
            (before, previous) = (previous, Some(c));
        }
    }
    changed.then_some(out)
}

/// Any text folded by the letter rules; kept for callers of the first version.
pub fn name(text: &str) -> String {
    fold(text)
}

/// A given name: folded, tokens joined (`Abdul Aziz` = `Abdulaziz`), name variants merged.
pub fn given_name(text: &str) -> String {
    stabilise(text, given_name_once)
}

/// Applies `step` until its output no longer changes: joining tokens can make a new double
/// letter or ending, and every normaliser must be idempotent. Names settle in one or two
/// rounds. Arbitrary text can take as many rounds as it has letters: the family name of
/// *auauau…* loses two letters a round (a final *au* folds to *av*, which goes as the ending
/// *-ov*), so the rounds are bounded by the text's length, which fields bound in turn
/// ([`crate::person::MAX_FIELD_BYTES`]).
fn stabilise(text: &str, step: fn(&str) -> String) -> String {
    let mut current = step(text);
    for _ in 0..text.len().max(current.len()) + 4 {
        let next = step(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

fn given_name_once(text: &str) -> String {
    let folded = fold(&without_xon(text, &[]));
    let joined: String = folded.split(' ').collect();
    if let Some(canonical) = variants().get(&joined) {
        return canonical.clone();
    }
    folded.split(' ').map(|token| canonical_variant(&ending_ia(&strip_endearments(token)))).collect()
}

/// `text` with the -xon ending taken off each word that, without it, still folds to four letters
/// or more ([`tables::XON_SPELLINGS`]); other words as they are. In a patronymic the ending
/// stands before the patronymic suffix (*Azizxonovich*, *Азизхоновна*), which stays.
fn without_xon<'a>(text: &'a str, after: &[&str]) -> Cow<'a, str> {
    // Every spelling of the ending holds an x, х, ҳ, һ or kh: most names have none.
    let khon = text.contains(['x', 'X', 'х', 'Х', 'ҳ', 'Ҳ', 'һ', 'Һ'])
        || text.as_bytes().windows(2).any(|w| w[0].eq_ignore_ascii_case(&b'k') && w[1].eq_ignore_ascii_case(&b'h'));
    if !khon {
        return Cow::Borrowed(text);
    }
    // `fold` normalises the stem (NFKC); the ending's letters are the same either way.
    let lower = text.to_lowercase();
    let mut changed = false;
    let words: Vec<String> = lower
        .split_whitespace()
        .map(|word| {
            let unended = after.iter().chain([&""]).find_map(|tail| {
                let rest = word.strip_suffix(tail)?;
                let stem = tables::XON_SPELLINGS.iter().find_map(|ending| rest.strip_suffix(ending))?;
                let folded = fold(stem);
                (!folded.contains(' ') && folded.len() >= 4).then(|| format!("{stem}{tail}"))
            });
            changed |= unended.is_some();
            unended.unwrap_or_else(|| word.to_string())
        })
        .collect();
    if changed { Cow::Owned(words.join(" ")) } else { Cow::Borrowed(text) }
}

/// Arabic women's names in *-iyya* end in *-iýe* in Turkmen and *-ие* in Kazakh, Kyrgyz and
/// Tatar records where Uzbek, Tajik and Russian ones write *-iya* / *-ия*: *Safiýe* / *Сафие* =
/// *Safiya*, *Rukiýe* = *Rukiya*, *Zakiýe* = *Zakiya* (and *Marie*, *Natalie* = *Maria*,
/// *Natalia*). A given-name token ending in `ie` reads `ia`.
fn ending_ia(token: &str) -> String {
    match token.strip_suffix("ie") {
        Some(stem) if stem.len() >= 2 => format!("{stem}ia"),
        _ => token.to_string(),
    }
}

/// A family name reduced to the root its male, female and Tajik forms share: *Karimov*,
/// *Karimova*, *Karimow*, *Karimzoda*, *Каримова* → `karim`; *Aliyev* / *Alieva* → `ali`.
pub fn family_name(text: &str) -> String {
    stabilise(text, family_name_once)
}

fn family_name_once(text: &str) -> String {
    let text = without_tajik_adjective_ending(text);
    fold_unglued(&text).split(' ').filter(|t| !is_patronymic_word(t)).map(family_root).collect()
}

/// A family name's words without the Tajik adjective ending written as Tajik `ӣ` (or `ī`, as
/// Tajik Latin writes it), which only that ending uses at a word's end: after a vowel too
/// (*Мирзоӣ* = *Мирзоев*), where the folded `i` of other spellings is kept
/// ([`tables::FAMILY_ADJECTIVE_ENDINGS`]). Three letters or more must remain (*Алӣ* stays).
fn without_tajik_adjective_ending(text: &str) -> Cow<'_, str> {
    if !text.contains(['ӣ', 'Ӣ', 'ī', 'Ī']) {
        return Cow::Borrowed(text);
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|word| match word.strip_suffix(['ӣ', 'Ӣ', 'ī', 'Ī']) {
            Some(stem) if stem.chars().filter(|c| c.is_alphabetic()).count() >= 3 => stem,
            _ => word,
        })
        .collect();
    Cow::Owned(words.join(" "))
}

fn family_root(token: &str) -> String {
    let mut root = canonical_variant(token);
    // Strip until no ending is left (Karimzodaeva is rare, but this keeps the fold idempotent).
    'strip: loop {
        for (suffix, replacement) in tables::FAMILY_SUFFIXES {
            if let Some(stem) = root.strip_suffix(suffix)
                && stem.len() >= 2
            {
                root = canonical_variant(&format!("{stem}{replacement}"));
                if replacement.is_empty() {
                    continue 'strip;
                }
            }
        }
        for ending in tables::TAJIK_NAME_ENDINGS {
            if let Some(stem) = root.strip_suffix(ending)
                && !names_with_tajik_endings().contains(&root)
                && let Some(stem) = stem_before(stem, ending)
            {
                return canonical_variant(&stem);
            }
        }
        for ending in tables::FAMILY_ADJECTIVE_ENDINGS {
            if let Some(stem) = root.strip_suffix(ending)
                && stem.len() >= 4
                && stem.chars().next_back().is_some_and(|c| !is_vowel(c))
            {
                return canonical_variant(stem);
            }
        }
        return root;
    }
}

/// [`fold`], with a patronymic word glued to the father's name written as a word of its own
/// before folding collapses the double letter at the joint: *Серікқызы* / *Serikkyzy* →
/// `serik kizi`, so that the root is `serik`, as in *Serik kyzy*, not `seri`. The word is the
/// shortest ending of a token that folds to one of [`tables::PATRONYMIC_WORDS`] (Kyrgyz *uulu*
/// whole: *Asanuulu*), leaving at least two letters. Each token is folded once; only one that
/// folds to a glued word has its endings folded again to find the joint.
fn fold_unglued(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    // Each word is folded alone: *ad-Din* written apart joins its name first (only a text that
    // holds the word is lower-cased for it).
    let lower = if may_hold_din(text) { Cow::Owned(text.to_lowercase()) } else { Cow::Borrowed(text) };
    for token in ad_din_joined(&lower).split_whitespace() {
        let folded = fold(token);
        let glued = !folded.contains(' ')
            && tables::PATRONYMIC_WORDS.iter().any(|w| folded.len() > w.len() && folded.ends_with(w));
        match glued.then(|| split_glued_word(token)).flatten() {
            Some((stem, word)) => out.extend([stem, word]),
            None if folded.is_empty() => {}
            None => out.push(folded),
        }
    }
    out.join(" ")
}

/// The folded stem and word of a token that ends in a glued patronymic word (see
/// [`fold_unglued`]), or `None` when too little is left before it.
fn split_glued_word(token: &str) -> Option<(String, String)> {
    let starts: Vec<usize> = token.char_indices().map(|(at, _)| at).collect();
    for (position, &at) in starts.iter().enumerate().rev() {
        let word = fold(&token[at..]);
        if !is_patronymic_word(&word) {
            continue;
        }
        // Kyrgyz uulu is the one word that itself begins with a double letter.
        let at = match position.checked_sub(1).map(|p| starts[p]) {
            Some(before) if matches!(token[before..].to_lowercase().as_str(), "uulu" | "уулу") => before,
            _ => at,
        };
        let stem = fold(&token[..at]);
        return (stem.len() >= 2).then(|| (stem, fold(&token[at..])));
    }
    None
}

fn is_patronymic_word(token: &str) -> bool {
    tables::PATRONYMIC_WORDS.contains(&token)
}

/// The father's name a patronymic is built from: *Ahmadovich*, *Ahmadovna*, *Ahmad oʻgʻli*,
/// *Ahmad ugli*, *Ahmad kyzy*, *Ahmad uulu*, *Ахмадович* → `ahmad`.
pub fn patronymic(text: &str) -> String {
    stabilise(text, patronymic_once)
}

/// A record's patronymic root or, when it records none, the root of its father's given name: a
/// patronymic is built from that name (*Rustamovich*, *Rustam oʻgʻli*, *Rustamovna* ← *Rustam*),
/// and lists with a column for the father often leave the patronymic empty.
pub fn patronymic_or_father(patronymic_root: String, father_given: &str) -> String {
    if patronymic_root.is_empty() { patronymic(father_given) } else { patronymic_root }
}

fn patronymic_once(text: &str) -> String {
    let folded = fold_unglued(&without_xon(text, tables::XON_PATRONYMIC_SUFFIXES));
    let tokens: Vec<&str> = folded.split(' ').collect();
    // An Arabic word before the father's name (*bin Ahmad*) goes as the Turkic one after it.
    let prefixed = tokens.len() >= 2 && tables::PATRONYMIC_PREFIXES.contains(&tokens[0]);
    tokens.into_iter().skip(usize::from(prefixed)).filter(|t| !is_patronymic_word(t)).map(patronymic_root).collect()
}

fn patronymic_root(token: &str) -> String {
    let mut root = token.to_string();
    'strip: loop {
        for suffix in tables::PATRONYMIC_SUFFIXES.iter().chain(tables::PATRONYMIC_WORDS) {
            if let Some(stem) = root.strip_suffix(suffix)
                && stem.len() >= 2
            {
                root = stem.to_string();
                continue 'strip;
            }
        }
        if let Some(stem) = without_tajik_patronymic_ending(&root) {
            return canonical_variant(&stem);
        }
        return canonical_variant(&strip_endearments(&root));
    }
}

/// A patronymic root without the Tajik ending of [`tables::TAJIK_PATRONYMIC_ENDINGS`], or `None`
/// when it has none to take off.
fn without_tajik_patronymic_ending(root: &str) -> Option<String> {
    let (ending, stem) =
        tables::TAJIK_PATRONYMIC_ENDINGS.iter().find_map(|ending| Some((*ending, root.strip_suffix(ending)?)))?;
    if given_names_with_family_endings().contains(root) || names_with_tajik_endings().contains(root) {
        return None;
    }
    if ending == "far" { stem_before(stem, ending) } else { (stem.len() >= 3).then(|| stem.to_string()) }
}

/// What remains of a name before a Tajik ending (folded): the stem when four letters or more
/// remain or it is a name of the table; before *-far*, the name of the table whose final f the
/// doubled letter took (*Шариффар*, `sharifar` → `sharif`); before *-iyon* / *-yon*, a short
/// name of the table in i with its i (*Набиён*).
fn stem_before(stem: &str, ending: &str) -> Option<String> {
    let with_f = format!("{stem}f");
    if ending == "far" && variants().contains_key(&with_f) {
        return Some(with_f);
    }
    if stem.len() >= 4 || (stem.len() >= 2 && variants().contains_key(stem)) {
        return Some(stem.to_string());
    }
    // A short name of the table in i before -ён reads as one word with it (*Набиён*, `nabian`:
    // Nabi, not Nab): its i comes back (`nabi`, as *Набиев* reads). Other short stems keep the
    // ending (*Sabian*, a mistyped *Sabina*, keeps its letters and its skeleton).
    let with_i = format!("{stem}i");
    (ending == "ian" && variants().contains_key(&with_i)).then_some(with_i)
}

/// Whether one folded token of a name field is in fact a patronymic (*Ahmadovich*, *Ahmadovna*,
/// or a marker word such as *ugli*, *qizi*, *uulu*).
fn looks_like_patronymic(token: &str) -> bool {
    is_patronymic_word(token)
        || tables::PATRONYMIC_SUFFIXES
            .iter()
            .filter(|s| s.len() >= 4)
            .any(|s| token.strip_suffix(s).is_some_and(|stem| stem.len() >= 2))
}

/// A person's names split into given, family and patronymic, each normalised, after moving a
/// patronymic written inside the given or family name field to where it belongs
/// (`given = "Aziz Ahmadovich"`, `family = "Karimov Ahmad oʻgʻli"`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Names {
    pub given: String,
    pub family: String,
    pub patronymic: String,
}

/// Normalises the three name fields of a record together; see [`Names`].
pub fn names(given: &str, family: &str, patronymic_field: &str) -> Names {
    let (given_text, given_patronymic) = split_patronymic(given);
    let (family_text, family_patronymic) = split_patronymic(family);
    let mut patronymic_text = patronymic_field.to_string();
    if fold(&patronymic_text).is_empty() {
        patronymic_text = if given_patronymic.is_empty() { family_patronymic } else { given_patronymic };
    }
    let mut family_text = family_text;
    // Kyrgyz "Asan uulu" as the only family name: the father's name is the family name.
    if fold(&family_text).is_empty() && !fold(family).is_empty() {
        family_text = family.to_string();
    }
    Names {
        given: given_name(&given_text),
        family: family_name(&family_text),
        patronymic: patronymic(&patronymic_text),
    }
}

/// A parent's names as a record gives them (the mother's or the father's), read as [`names`]
/// reads the record's own after [`name_fields`] has put each name in its field.
pub fn parent_names(parent: &crate::person::ParentNames) -> Names {
    let (given, family, patronymic) = name_fields(&parent.given_name, &parent.family_name, &parent.patronymic);
    names(&given, &family, &patronymic)
}

/// Splits one name field into its own text and a patronymic written inside it. A marker word
/// (`ugli`) takes the token before it; a Russian-style patronymic (`Ahmadovich`) is taken only
/// when another token remains.
pub fn split_patronymic(field: &str) -> (String, String) {
    let tokens: Vec<String> = fold(field).split(' ').filter(|t| !t.is_empty()).map(str::to_string).collect();
    if tokens.len() < 2 {
        return (field.to_string(), String::new());
    }
    if let Some(at) = tokens.iter().position(|t| is_patronymic_word(t))
        && at >= 1
    {
        let patronymic = format!("{} {}", tokens[at - 1], tokens[at]);
        let mut rest = tokens.clone();
        rest.drain(at - 1..=at);
        return (rest.join(" "), patronymic);
    }
    // *Maryam bint Yusuf*: the Arabic word stands before the father's name.
    if let Some(at) = tokens.iter().position(|t| tables::PATRONYMIC_PREFIXES.contains(&t.as_str()))
        && at >= 1
        && at + 1 < tokens.len()
    {
        let patronymic = format!("{} {}", tokens[at], tokens[at + 1]);
        let mut rest = tokens.clone();
        rest.drain(at..=at + 1);
        return (rest.join(" "), patronymic);
    }
    if let Some(at) = tokens.iter().position(|t| looks_like_patronymic(t)) {
        let mut rest = tokens.clone();
        let patronymic = rest.remove(at);
        return (rest.join(" "), patronymic);
    }
    (field.to_string(), String::new())
}

/// A loose phonetic skeleton of a normalised name: consonant classes without vowels, repeats
/// collapsed. Merges what transliteration and typing leave apart in vowels and voicing:
/// *Rustam*/*Rostam*, *Ibragim*/*Ibrohim* (г for Arabic h), *Jemşit*/*Jamshid*, *Yusup*/*Yusuf*.
/// Classes: b p f v → b; d t → d; g k h → k; s z c → s; the rest as themselves.
pub fn skeleton(normalised: &str) -> String {
    let mut out = String::with_capacity(normalised.len());
    let chars: Vec<char> = normalised.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // A v after a before a consonant may be a Kazakh у read as в (`kazakh_au`), which a
        // typo that moves or drops the u leaves a vowel (*Сауле*, *Салуе*, *Суле*): like it,
        // no consonant of the skeleton.
        if c == 'v' && i > 0 && chars[i - 1] == 'a' && !chars.get(i + 1).is_some_and(|n| is_vowel(*n)) {
            continue;
        }
        let class = match c {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | ' ' | '\'' => continue,
            'b' | 'p' | 'f' | 'v' | 'w' => 'b',
            'd' | 't' => 'd',
            'g' | 'k' | 'h' | 'q' | 'x' => 'k',
            's' | 'z' | 'c' => 's',
            c if c.is_ascii_lowercase() => c,
            _ => continue,
        };
        if !out.ends_with(class) {
            out.push(class);
        }
    }
    out
}

/// Cyrillic letters of document series (*IV-ФА*, *I-ТШ* on birth certificates of the Soviet
/// pattern) as they are read: look-alikes as the Latin letter they look like (`АВ` = `AB`,
/// whoever copies a number copies its shape), the others as transliterated (`ФА` = `FA`,
/// `ТШ` = `TSH`). `И` and `Й` are read as `I`, and so as `1`, like a Latin `I`. `Н` is both:
/// the look-alike of `H` and the sound of `N`, and a clerk at a Cyrillic keyboard types it for
/// the `N` of Kazakhstan's passports (*N12345678*) and Kyrgyzstan's series *AN*, Latin letters
/// with no Cyrillic look-alike; so `Н`, `H` and `N` are read as one letter, `N`, as `O` and
/// `0` are ([`document_number`]). No document series of the region has an `H`.
const DOCUMENT_CYRILLIC: &[(char, &str)] = &[
    ('А', "A"),
    ('В', "B"),
    ('Е', "E"),
    ('Ё', "E"),
    ('К', "K"),
    ('М', "M"),
    ('Н', "N"),
    ('О', "0"),
    ('Р', "P"),
    ('С', "C"),
    ('Т', "T"),
    ('У', "Y"),
    ('Х', "X"),
    ('І', "1"),
    ('Б', "B"),
    ('Г', "G"),
    ('Д', "D"),
    ('Ж', "ZH"),
    ('З', "Z"),
    ('И', "1"),
    ('Й', "1"),
    ('Л', "L"),
    ('П', "P"),
    ('Ф', "F"),
    ('Ц', "TS"),
    ('Ч', "CH"),
    ('Ш', "SH"),
    ('Щ', "SHCH"),
    ('Ы', "Y"),
    ('Э', "E"),
    ('Ю', "YU"),
    ('Я', "YA"),
];

/// Document numbers: letters and digits only, upper case, Cyrillic letters of a series read
/// as Latin ([`DOCUMENT_CYRILLIC`]: `АВ 123` = `AB123`, `IV-ФА` = `IVFA`), `O`/`I`/`H` read
/// as `0`/`1`/`N`, the usual misreadings (`Н12345678` = `N12345678`), the number sign `№`
/// left out (`№ 123` = `123`) as its Latin spellings are (`No. 123`, `Nº 123`, `Nr. 123`, `#123`:
/// [`without_number_sign`]), and Arabic-Indic digits read as digits (`٠١٢٣٤٥٦` = `0123456`).
pub fn document_number(text: &str) -> String {
    // The letters misread for one another, read as one: O as 0, I as 1, H as N.
    let read = |c: char| match c {
        'O' => '0',
        'I' => '1',
        'H' => 'N',
        c => c,
    };
    let mut out = String::with_capacity(text.len());
    // Before NFKC, which would spell `№` as `No`.
    let text = crate::person::western_digits(without_number_sign(text));
    for c in text.chars().filter(|&c| c != '№').collect::<String>().nfkc().flat_map(char::to_uppercase) {
        if c.is_ascii_alphanumeric() {
            out.push(read(c));
        } else if let Some((_, latin)) = DOCUMENT_CYRILLIC.iter().find(|(cyrillic, _)| *cyrillic == c) {
            out.extend(latin.chars().map(read));
        }
    }
    out
}

/// A document number without the number sign that Latin papers write before it: `No.`, `Nr.`,
/// `No:`, `Nº`, `N°`, `#`, and `No` / `no` before a space (`No. AC5395207`, `no 123456`). An
/// upper-case `NO` before a space or a digit is kept: it may be the series, as `N` is of
/// Kazakhstan's passports (`NO 012345` = `N0012345`).
fn without_number_sign(text: &str) -> &str {
    let trimmed = text.trim_start();
    let signed = |sign: &str, marks: &[char]| trimmed.strip_prefix(sign).and_then(|after| after.strip_prefix(marks));
    let rest = ["No", "no", "NO", "Nr", "nr", "NR"]
        .iter()
        .find_map(|sign| signed(sign, &['.', ':', 'º', '°']))
        .or_else(|| ["N", "n"].iter().find_map(|sign| signed(sign, &['º', '°'])))
        .or_else(|| ["No", "no"].iter().find_map(|sign| signed(sign, &[' ', '\u{a0}'])))
        .or_else(|| trimmed.strip_prefix('#'));
    rest.unwrap_or(trimmed)
}

/// Whether a normalised document number is specific enough to be a key on its own: at least
/// six characters with at least five digits, and not one repeated character (`0000000`).
pub fn document_is_selective(number: &str) -> bool {
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let first = number.chars().next();
    number.len() >= 6 && digits >= 5 && !number.chars().all(|c| Some(c) == first)
}

/// A nationality as an ISO alpha-2 code (from a code or an English/Russian name), or empty.
pub fn nationality(text: &str) -> String {
    crate::country::parse(text).map(str::to_string).unwrap_or_default()
}

/// A birth date as the keys use it. A 1 January date is read as the year only, because
/// registries write 1 January when only the year is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BirthDate {
    pub year: u16,
    /// Month and day, when both are known and the date is not 1 January.
    pub month_day: Option<(u8, u8)>,
    /// The month, when known (a full date or a year-month date), except for the 1 January
    /// placeholder.
    pub month: Option<u8>,
}

impl BirthDate {
    pub fn from_partial(date: Option<PartialDate>) -> Option<BirthDate> {
        let date = date?;
        let (month_day, month) = match (date.month, date.day) {
            (Some(1), Some(1)) => (None, None),
            (Some(month), Some(day)) => (Some((month, day)), Some(month)),
            (Some(month), None) => (None, Some(month)),
            _ => (None, None),
        };
        Some(BirthDate { year: date.year, month_day, month })
    }

    /// `YYYY-MM-DD`, or `None` when the day is not known.
    pub fn full(&self) -> Option<String> {
        self.month_day.map(|(m, d)| format!("{:04}-{m:02}-{d:02}", self.year))
    }

    /// `YYYY-DD-MM`: the full date with day and month swapped, when the day could be a month
    /// and differs from it (`None` otherwise).
    pub fn swapped(&self) -> Option<String> {
        let (m, d) = self.month_day?;
        (d <= 12 && m != d).then(|| format!("{:04}-{d:02}-{m:02}", self.year))
    }

    /// The date with day and month in ascending order, so that a day/month swap (03-07 for
    /// 07-03) gives the same text; `None` unless both could be a month.
    pub fn unordered(&self) -> Option<String> {
        let (m, d) = self.month_day?;
        (m <= 12 && d <= 12 && m != d).then(|| format!("{:04}~{:02}~{:02}", self.year, m.min(d), m.max(d)))
    }

    /// `YYYY-MM`, when the month is known (from a full date or a year-month date).
    pub fn year_month(&self) -> Option<String> {
        self.month.map(|m| format!("{:04}-{m:02}", self.year))
    }

    pub fn year(&self) -> String {
        format!("{:04}", self.year)
    }
}

/// [`tables::NAMES_WITH_TAJIK_ENDINGS`], folded and in their canonical spelling.
fn names_with_tajik_endings() -> &'static std::collections::HashSet<String> {
    static SET: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| canonical_names(tables::NAMES_WITH_TAJIK_ENDINGS))
}

/// [`tables::GIVEN_NAMES_WITH_FAMILY_ENDINGS`], folded.
fn given_names_with_family_endings() -> &'static std::collections::HashSet<String> {
    static SET: OnceLock<std::collections::HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| tables::GIVEN_NAMES_WITH_FAMILY_ENDINGS.iter().map(|name| fold(name)).collect())
}

/// Whether a name field reads as a family name: one of its tokens ends in a family ending that
/// given names do not have (*-ov*, *-ova*, *-ev*, *-eva*, *-ow*, *-owa*, *-zoda*, *-zade*,
/// *-skiy*, *-skaya*, Kazakh *-uly* / *-kyzy*) on a stem of three letters or more, or it is
/// *X uulu* / *X kyzy*. Endings shared with given names (*-in* / *-ina*: *Zarina*, *Madina*;
/// *-slav*: *Stanislav*) do not count, nor do the given names in
/// [`tables::GIVEN_NAMES_WITH_FAMILY_ENDINGS`] (*Yakov*, *Andrew*).
pub fn looks_like_family_name(text: &str) -> bool {
    family_ending_strength(text) > 0
}

/// How surely a name field reads as a family name: 0 not at all; 1 by an ending that given
/// names have too, glued to one word (*-uly*, *-ulu*: Kazakh *Aisulu*, *Nursulu* "beauty",
/// Turkmen *Gurbanguly*, *Orazguly*); 2 by an ending only family names have (*-ov*, *-ova*,
/// *-zoda*, *-skaya*, Ukrainian *-enko* …, and a glued *-kyzy* / *-qizi*, "daughter of": women's
/// given names end in *-kyz*, *Aikyz*, never in *-kyzy*) or as *X uulu* / *X kyzy* in two words. See
/// [`looks_like_family_name`].
pub fn family_ending_strength(text: &str) -> u8 {
    const ENDINGS: &[&str] = &["ava", "av", "eva", "ev", "zada", "zade", "zad", "skaia", "ski", "kizi", "enka"];
    const SHARED_ENDINGS: &[&str] = &["uli", "ulu"];
    let folded = fold(text);
    let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    let ends = |token: &str, endings: &[&str]| {
        !token.ends_with("slav") && !given_names_with_family_endings().contains(token) && ends_on_stem(token, endings)
    };
    tokens
        .iter()
        .enumerate()
        .map(|(i, token)| {
            if (i == 1 && tokens.len() == 2 && is_patronymic_word(token)) || ends(token, ENDINGS) {
                2
            } else if ends(token, SHARED_ENDINGS) {
                1
            } else {
                0
            }
        })
        .max()
        .unwrap_or(0)
}

/// The father's name that a family field holds where Arabic naming puts it (*Maryam Yusuf*,
/// daughter of Yusuf, as camp records and Arabic-language papers write the names of returnees and
/// their children): one word, a name of [`tables::NAME_VARIANTS`], without a family ending
/// ([`looks_like_family_name`]); `None` for anything else. Read as a patronymic root.
pub fn father_in_family_field(family: &str) -> Option<String> {
    let folded = fold(family);
    if folded.is_empty() || folded.contains(' ') || looks_like_family_name(family) {
        return None;
    }
    variants().contains_key(&folded).then(|| patronymic(family))
}

/// A record's given, family and patronymic fields as matching reads them: [`oriented`], and a
/// full name written in one field while the other is empty, as lists with one name column write
/// it (*Karimova Aziza Rustamovna*, *Aziza Karimova*, *Karimov Aziz Ahmad oʻgʻli*), split into
/// its parts. It is split only when a patronymic or a name with a family ending shows how: the
/// token with a family ending is the family name; without one, a patronymic marks the Russian
/// order (family, given, patronymic); three words with the family name first are read in that
/// order (*Ерланов Усмон Санжарулы*). Otherwise (*Abdul Aziz*, one word, four words or more) the
/// fields stay as written. A patronymic field already filled is kept.
pub fn name_fields(given: &str, family: &str, patronymic: &str) -> (String, String, String) {
    let (given_empty, family_empty) = (fold(given).is_empty(), fold(family).is_empty());
    if given_empty != family_empty {
        let field = if given_empty { family } else { given };
        let (rest, found_patronymic) = split_patronymic(field);
        let tokens: Vec<&str> = rest.split_whitespace().collect();
        // One name and *X uulu* / *X kyzy* / *X oʻgʻli*: Kyrgyz write the father's name with
        // uulu or kyzy where a family name would be (*Эрмек Айбек уулу*), and the record with
        // two fields puts it in the family field. As the family field it also yields the
        // patronymic (see [`names`]), so both conventions meet.
        let word_form = found_patronymic.split(' ').nth(1).is_some_and(is_patronymic_word);
        if tokens.len() == 1 && word_form {
            return (tokens[0].to_string(), found_patronymic, patronymic.to_string());
        }
        if (2..=3).contains(&tokens.len()) {
            // A Kazakh patronymic glued to the father's name (*Серікқызы*, *Nurlanuly*) beside a
            // family name of another ending is the patronymic: *Aigul Serikkyzy Baizhanova*.
            let glued = |token: &str| tokens.len() == 3 && glued_kazakh_patronymic(token);
            // The token that reads most surely as a family name, the first of equals: *Aisulu
            // Baizhanova* has its family name last.
            let family_at = tokens
                .iter()
                .enumerate()
                .map(|(at, token)| (family_ending_strength(token), !glued(token), std::cmp::Reverse(at)))
                .max()
                .filter(|(strength, _, _)| *strength > 0)
                .map(|(_, _, std::cmp::Reverse(at))| at)
                .or_else(|| (!found_patronymic.is_empty()).then_some(0));
            if let Some(at) = family_at {
                let mut given: Vec<&str> =
                    tokens.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, t)| *t).collect();
                let mut found_patronymic = found_patronymic;
                // Family, given, patronymic (the Russian order) with a patronymic the markers do
                // not know (Kazakh *Санжарұлы* glued): the last word is the patronymic. Given,
                // patronymic, family (the order of Latin papers): the glued patronymic.
                if given.len() == 2 && found_patronymic.is_empty() {
                    if at == 0 {
                        found_patronymic = given.pop().unwrap_or_default().to_string();
                    } else if let Some(i) = given.iter().position(|t| glued(t)) {
                        found_patronymic = given.remove(i).to_string();
                    }
                }
                let patronymic = if fold(patronymic).is_empty() { found_patronymic } else { patronymic.to_string() };
                return (given.join(" "), tokens[at].to_string(), patronymic);
            }
        }
    }
    let (given, family) = oriented(given, family);
    (given.to_string(), family.to_string(), patronymic.to_string())
}

/// Whether one word is a Kazakh patronymic glued to the father's name, *-uly* or *-kyzy* on a
/// stem of three letters or more (*Серікқызы*, *Nurlanuly*), and not a Turkmen given name in
/// *-guly* (*Gurbanguly*).
fn glued_kazakh_patronymic(token: &str) -> bool {
    let folded = fold(token);
    !folded.contains(' ') && !folded.ends_with("guli") && ends_on_stem(&folded, &["uli", "kizi"])
}

/// Whether a folded word ends in one of `endings` after a stem of three letters or more.
fn ends_on_stem(token: &str, endings: &[&str]) -> bool {
    endings.iter().any(|e| token.strip_suffix(e).is_some_and(|stem| stem.len() >= 3))
}

/// Given and family name fields in their proper places: swapped back when the given-name field
/// reads more surely as a family name than the family-name field does (*Karimova* / *Aziza* →
/// *Aziza* / *Karimova*; *Baizhanova* / *Aisulu* → *Aisulu* / *Baizhanova*, whose -ulu given
/// names end as Kazakh family names may), as registrars swap them in about 3 % of records.
pub fn oriented<'a>(given: &'a str, family: &'a str) -> (&'a str, &'a str) {
    if family_ending_strength(given) > family_ending_strength(family) { (family, given) } else { (given, family) }
}
