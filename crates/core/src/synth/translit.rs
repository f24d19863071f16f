//! Renderers from Cyrillic (Russian or national) to the Latin scripts that agencies in the
//! region write names in. Each one takes every Cyrillic letter of the five national alphabets,
//! so that a Kazakh name on an Uzbek node still renders in Uzbek Latin.
//!
//! | scheme | example input | output |
//! |---|---|---|
//! | Uzbek Latin (1995, oʻ gʻ with a chosen apostrophe) | Жўраев, Ғафуров, Хуршида | Joʻrayev, Gʻafurov, Xurshida |
//! | Turkmen Latin (1993) | Мырадов, Җумаев, Аннаев | Myradow, Jumaýew, Annaýew |
//! | Kazakh Latin 2018 (acute) | Нұрланұлы, Әсел | Nurlanuly, Ásel |
//! | Kazakh Latin 2021 | Нұрланұлы, Әсел, Қарлығаш | Nūrlanūly, Äsel, Qarlyğaş |
//! | ICAO 9303 (Russian passports since 2013) | Юсупов, Ахметов, Ерлан | Iusupov, Akhmetov, Erlan |
//! | legacy passport (before 2013) | Юсупов, Алиев, Ерлан | Yusupov, Aliyev, Yerlan |
//! | informal Latin | Ахметов, Джураев | Ahmetov, Juraev |

/// Which character stands for the Uzbek modifier in oʻ and gʻ (and for ъ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Apostrophe {
    /// U+02BB, the official character.
    Turned,
    /// U+0027, what most keyboards give.
    Ascii,
    /// U+2019, what word processors substitute.
    Right,
    /// U+0060.
    Grave,
    /// U+02BC.
    Modifier,
}

impl Apostrophe {
    pub const ALL: [Apostrophe; 5] =
        [Apostrophe::Turned, Apostrophe::Ascii, Apostrophe::Right, Apostrophe::Grave, Apostrophe::Modifier];

    pub fn char(self) -> char {
        match self {
            Apostrophe::Turned => '\u{02BB}',
            Apostrophe::Ascii => '\'',
            Apostrophe::Right => '\u{2019}',
            Apostrophe::Grave => '`',
            Apostrophe::Modifier => '\u{02BC}',
        }
    }
}

/// A Latin transliteration scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latin {
    Uzbek(Apostrophe),
    Turkmen,
    Kazakh2018,
    Kazakh2021,
    /// ICAO Doc 9303 (2013): ж zh, х kh, ц ts, й i, ю iu, я ia, ъ ie.
    Icao2013,
    /// Older passport style: й y, ю yu, я ya, ye at the start of a word and after a vowel.
    Legacy,
    /// Informal Latin: х h, ж and дж j, й y, ю yu, я ya.
    Informal,
}

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'а' | 'е'
            | 'ё'
            | 'и'
            | 'о'
            | 'у'
            | 'ы'
            | 'э'
            | 'ю'
            | 'я'
            | 'ә'
            | 'ө'
            | 'ұ'
            | 'ү'
            | 'і'
            | 'ӣ'
            | 'ӯ'
            | 'ў'
            | 'a'
            | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'ä'
            | 'ö'
            | 'ü'
            | 'ı'
    )
}

/// Lower case, with a fast path for ASCII and Cyrillic (this runs for every letter generated).
fn lower(c: char) -> char {
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        'А'..='Я' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
        '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
        '\u{0460}'..='\u{04BF}' | '\u{04D0}'..='\u{04FF}' if (c as u32).is_multiple_of(2) => {
            char::from_u32(c as u32 + 1).unwrap_or(c)
        }
        c if c.is_ascii() || ('\u{0430}'..='\u{04FF}').contains(&c) => c,
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || ('\u{0400}'..='\u{04FF}').contains(&c) || (!c.is_ascii() && c.is_alphabetic())
}

/// Transliterates `text` (Cyrillic, possibly mixed with Latin) with `scheme`. Case follows the
/// source: a capital letter gives a capitalised digraph (Ж → Zh), an all-capital word gives
/// capitals (ЖАН → ZHAN).
pub fn to_latin(text: &str, scheme: Latin) -> String {
    // Names are short: keep the characters on the stack unless the text is long.
    let mut stack_chars = ['\0'; 48];
    let mut stack_lowered = ['\0'; 48];
    let heap: (Vec<char>, Vec<char>);
    let count = text.chars().count();
    let (chars, lowered): (&[char], &[char]) = if count <= stack_chars.len() {
        for (i, c) in text.chars().enumerate() {
            stack_chars[i] = c;
            stack_lowered[i] = lower(c);
        }
        (&stack_chars[..count], &stack_lowered[..count])
    } else {
        heap = (text.chars().collect(), text.chars().map(lower).collect());
        (&heap.0, &heap.1)
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let lower = lowered[i];
        let prev = if i > 0 { Some(lowered[i - 1]) } else { None };
        let next = lowered.get(i + 1).copied();
        let word_start = prev.is_none_or(|p| !is_letter(p));
        let after_vowel = prev.is_some_and(|p| is_vowel(p) || p == 'ъ' || p == 'ь');
        let mut consumed = 1;
        let mut buffer = [0u8; 8];
        let (base, apostrophe) = if lower == 'д'
            && next == Some('ж')
            && matches!(scheme, Latin::Uzbek(_) | Latin::Turkmen | Latin::Informal)
        {
            consumed = 2;
            ("j", None)
        } else {
            match map_letter(lower, scheme, word_start, after_vowel) {
                Some(mapped) => mapped,
                None => (&*c.encode_utf8(&mut buffer), None),
            }
        };
        let mut joined = [0u8; 16];
        let mapped: &str = match apostrophe {
            None => base,
            Some(a) => {
                let len = base.len();
                joined[..len].copy_from_slice(base.as_bytes());
                let alen = a.encode_utf8(&mut joined[len..]).len();
                std::str::from_utf8(&joined[..len + alen]).unwrap_or(base)
            }
        };
        let is_upper = |j: usize| lowered[j] != chars[j];
        let upper_source = is_upper(i);
        let all_caps =
            upper_source && ((i + consumed < chars.len() && is_upper(i + consumed)) || (i > 0 && is_upper(i - 1)));
        if all_caps {
            out.extend(mapped.chars().flat_map(char::to_uppercase));
        } else if upper_source {
            let mut m = mapped.chars();
            if let Some(first) = m.next() {
                if first == '\u{02BB}' || first == '\'' {
                    out.push(first);
                    out.extend(m.next().into_iter().flat_map(char::to_uppercase));
                } else {
                    out.extend(first.to_uppercase());
                }
                out.extend(m);
            }
        } else {
            out.push_str(mapped);
        }
        i += consumed;
    }
    out
}

/// The Latin for one lower-case letter, with the Uzbek apostrophe to append if any; `None`
/// for characters that pass through unchanged.
fn map_letter(c: char, scheme: Latin, word_start: bool, after_vowel: bool) -> Option<(&'static str, Option<char>)> {
    use Latin::*;
    let s: &str = match (scheme, c) {
        // Letters that are the same in every scheme.
        (_, 'а') => "a",
        (_, 'б') => "b",
        (_, 'д') => "d",
        (_, 'з') => "z",
        (_, 'к') => "k",
        (_, 'л') => "l",
        (_, 'м') => "m",
        (_, 'н') => "n",
        (_, 'о') => "o",
        (_, 'п') => "p",
        (_, 'р') => "r",
        (_, 'с') => "s",
        (_, 'т') => "t",
        (_, 'ф') => "f",
        (_, 'г') => "g",
        (_, 'ь') => "",
        (_, 'э') => "e",

        (Uzbek(_), 'в') => "v",
        (Uzbek(_), 'е') if word_start || after_vowel => "ye",
        (Uzbek(_), 'е') => "e",
        (Uzbek(_), 'ё') => "yo",
        (Uzbek(_), 'ж' | 'җ' | 'ҷ') => "j",
        (Uzbek(_), 'и' | 'і' | 'ӣ' | 'ы') => "i",
        (Uzbek(_), 'й') => "y",
        (Uzbek(_), 'у' | 'ұ' | 'ү') => "u",
        (Uzbek(_), 'х') => "x",
        (Uzbek(_), 'ҳ' | 'һ') => "h",
        (Uzbek(_), 'ц') => "ts",
        (Uzbek(_), 'ч') => "ch",
        (Uzbek(_), 'ш' | 'щ') => "sh",
        (Uzbek(_), 'ю') => "yu",
        (Uzbek(_), 'я') => "ya",
        (Uzbek(_), 'қ') => "q",
        (Uzbek(_), 'ң') => "ng",
        (Uzbek(_), 'ә') => "a",
        (Uzbek(_), 'ө') => "o",
        (Uzbek(a), 'ў' | 'ӯ') => return Some(("o", Some(a.char()))),
        (Uzbek(a), 'ғ') => return Some(("g", Some(a.char()))),
        (Uzbek(a), 'ъ') => return Some(("", Some(a.char()))),

        (Turkmen, 'в') => "w",
        (Turkmen, 'е') if after_vowel => "ýe",
        (Turkmen, 'е') => "e",
        (Turkmen, 'ё') => "ýo",
        (Turkmen, 'ж') => "ž",
        (Turkmen, 'җ' | 'ҷ') => "j",
        (Turkmen, 'и' | 'і' | 'ӣ') => "i",
        (Turkmen, 'й') => "ý",
        (Turkmen, 'у' | 'ұ') => "u",
        (Turkmen, 'ү' | 'ӯ') => "ü",
        (Turkmen, 'х' | 'ҳ' | 'һ') => "h",
        (Turkmen, 'ц') => "ts",
        (Turkmen, 'ч') => "ç",
        (Turkmen, 'ш') => "ş",
        (Turkmen, 'щ') => "şç",
        (Turkmen, 'ъ') => "",
        (Turkmen, 'ы') => "y",
        (Turkmen, 'ю') => "ýu",
        (Turkmen, 'я') => "ýa",
        (Turkmen, 'қ') => "k",
        (Turkmen, 'ғ') => "g",
        (Turkmen, 'ң') => "ň",
        (Turkmen, 'ә') => "ä",
        (Turkmen, 'ө' | 'ў') => "ö",

        (Kazakh2018, 'в') => "v",
        (Kazakh2018, 'е') => "e",
        (Kazakh2018, 'ё') => "ıo",
        (Kazakh2018, 'ж' | 'җ' | 'ҷ') => "j",
        (Kazakh2018, 'и' | 'й' | 'ӣ') => "ı",
        (Kazakh2018, 'і') => "i",
        (Kazakh2018, 'у') => "ý",
        (Kazakh2018, 'ұ' | 'ӯ') => "u",
        (Kazakh2018, 'ү') => "ú",
        (Kazakh2018, 'х' | 'ҳ' | 'һ') => "h",
        (Kazakh2018, 'ц') => "ts",
        (Kazakh2018, 'ч') => "ch",
        (Kazakh2018, 'ш') => "sh",
        (Kazakh2018, 'щ') => "shch",
        (Kazakh2018, 'ъ') => "",
        (Kazakh2018, 'ы') => "y",
        (Kazakh2018, 'ю') => "ıý",
        (Kazakh2018, 'я') => "ıa",
        (Kazakh2018, 'қ') => "q",
        (Kazakh2018, 'ғ') => "ǵ",
        (Kazakh2018, 'ң') => "ń",
        (Kazakh2018, 'ә') => "á",
        (Kazakh2018, 'ө' | 'ў') => "ó",

        (Kazakh2021, 'в') => "v",
        (Kazakh2021, 'е') => "e",
        (Kazakh2021, 'ё') => "io",
        (Kazakh2021, 'ж' | 'җ' | 'ҷ') => "j",
        (Kazakh2021, 'и' | 'й' | 'ӣ') => "i",
        (Kazakh2021, 'і') => "ı",
        (Kazakh2021, 'у') => "u",
        (Kazakh2021, 'ұ' | 'ӯ') => "ū",
        (Kazakh2021, 'ү') => "ü",
        (Kazakh2021, 'х' | 'ҳ' | 'һ') => "h",
        (Kazakh2021, 'ц') => "ts",
        (Kazakh2021, 'ч') => "ç",
        (Kazakh2021, 'ш') => "ş",
        (Kazakh2021, 'щ') => "şş",
        (Kazakh2021, 'ъ') => "",
        (Kazakh2021, 'ы') => "y",
        (Kazakh2021, 'ю') => "iu",
        (Kazakh2021, 'я') => "ia",
        (Kazakh2021, 'қ') => "q",
        (Kazakh2021, 'ғ') => "ğ",
        (Kazakh2021, 'ң') => "ñ",
        (Kazakh2021, 'ә') => "ä",
        (Kazakh2021, 'ө' | 'ў') => "ö",

        // Passport styles share most letters.
        (_, 'в') => "v",
        (_, 'и' | 'і' | 'ӣ') => "i",
        (_, 'у' | 'ұ' | 'ү' | 'ӯ' | 'ў') => "u",
        (_, 'ә') => "a",
        (_, 'ө') => "o",
        (_, 'ң') => "n",
        (_, 'ы') => "y",
        (_, 'ц') => "ts",
        (_, 'ч') => "ch",
        (_, 'ш') => "sh",
        (_, 'һ') => "h",
        (_, 'җ' | 'ҷ') => "j",
        (Icao2013, 'е' | 'ё') => "e",
        (Icao2013, 'ж') => "zh",
        (Icao2013, 'й') => "i",
        (Icao2013, 'х' | 'ҳ') => "kh",
        (Icao2013, 'щ') => "shch",
        (Icao2013, 'ъ') => "ie",
        (Icao2013, 'ю') => "iu",
        (Icao2013, 'я') => "ia",
        (Icao2013, 'қ') => "k",
        (Icao2013, 'ғ') => "g",
        (Legacy, 'е') if word_start || after_vowel => "ye",
        (Legacy, 'е') => "e",
        (Legacy, 'ё') => "yo",
        (Legacy, 'ж') => "zh",
        (Legacy, 'й') => "y",
        (Legacy, 'х') => "kh",
        (Legacy, 'ҳ') => "h",
        (Legacy, 'щ') => "shch",
        (Legacy, 'ъ') => "",
        (Legacy, 'ю') => "yu",
        (Legacy, 'я') => "ya",
        (Legacy, 'қ') => "q",
        (Legacy, 'ғ') => "gh",
        (Informal, 'е') => "e",
        (Informal, 'ё') => "yo",
        (Informal, 'ж') => "j",
        (Informal, 'й') => "y",
        (Informal, 'х' | 'ҳ') => "h",
        (Informal, 'щ') => "sh",
        (Informal, 'ъ') => "",
        (Informal, 'ю') => "yu",
        (Informal, 'я') => "ya",
        (Informal, 'қ') => "k",
        (Informal, 'ғ') => "g",
        // Anything else (spaces, hyphens, Latin letters) passes through.
        _ => return None,
    };
    Some((s, None))
}

/// Writes a Cyrillic name (Russian or national letters) in Arabic letters, as a camp register's
/// clerk writes a foreign name by ear: every long or stressed vowel as a letter (`а` ا, `и` `е`
/// `ы` ي, `о` `у` و), initial vowels on an alif (`Ораз` → اوراز), consonants by their nearest
/// Arabic letter (`г` غ, `ж` ج, `п` ب, `ч` تش, `ц` تس, `ң` نغ), a doubled consonant once, and the
/// surname endings as Arabic spellings of Russian names write them (`-ов` وف, `-ова` وفا, `-ев`
/// يف, `-ева` يفا, `-зода` زاده). With `unvoweled`, an `а` between two consonants is left
/// out, as Arabic leaves short vowels out (`Каримова` → كريموفا rather than كاريموفا).
pub fn to_arabic(text: &str, unvoweled: bool) -> String {
    let words: Vec<String> = text.split_whitespace().map(|word| arabic_word(word, unvoweled)).collect();
    words.join(" ")
}

fn arabic_word(word: &str, unvoweled: bool) -> String {
    let lowered: Vec<char> = word.chars().map(lower).filter(|c| is_letter(*c)).collect();
    let text: String = lowered.iter().collect();
    let (stem, ending) = [("зода", "زاده"), ("ова", "وفا"), ("ева", "يفا"), ("ов", "وف"), ("ев", "يف")]
        .iter()
        .find_map(|(end, arabic)| {
            text.strip_suffix(end).filter(|stem| stem.chars().count() >= 2).map(|stem| (stem.to_string(), *arabic))
        })
        .unwrap_or((text.clone(), ""));
    let chars: Vec<char> = stem.chars().collect();
    let mut out = String::with_capacity(word.len() * 2);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && chars[i - 1] == c && !is_vowel(c) {
            continue;
        }
        let consonant = |j: Option<&char>| j.is_some_and(|c| !is_vowel(*c));
        let between_consonants = i > 0 && consonant(chars.get(i - 1)) && consonant(chars.get(i + 1));
        let initial = i == 0;
        let letters = match c {
            'а' | 'ә' if unvoweled && between_consonants => "",
            'а' | 'ә' | 'э' => "ا",
            'и' | 'і' | 'ӣ' | 'ы' if initial => "إي",
            'е' if initial => "ي",
            'и' | 'і' | 'ӣ' | 'ы' | 'е' | 'й' => "ي",
            'о' | 'у' | 'ө' | 'ү' | 'ұ' | 'ӯ' | 'ў' if initial => "او",
            'о' | 'у' | 'ө' | 'ү' | 'ұ' | 'ӯ' | 'ў' | 'в' => "و",
            'ё' | 'ю' => "يو",
            'я' => "يا",
            'б' | 'п' => "ب",
            'г' | 'ғ' => "غ",
            'д' => "د",
            'ж' | 'ҷ' => "ج",
            'з' => "ز",
            'к' => "ك",
            'қ' => "ق",
            'л' => "ل",
            'м' => "م",
            'н' => "ن",
            'ң' => "نغ",
            'р' => "ر",
            'с' => "س",
            'т' => "ت",
            'ф' => "ف",
            'х' | 'ҳ' => "خ",
            'һ' => "ه",
            'ц' => "تس",
            'ч' => "تش",
            'ш' | 'щ' => "ش",
            _ => "",
        };
        out.push_str(letters);
    }
    out.push_str(ending);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_render_the_documented_examples() {
        let cases: &[(&str, Latin, &str)] = &[
            ("Жўраев", Latin::Uzbek(Apostrophe::Turned), "Joʻrayev"),
            ("Ғафуров", Latin::Uzbek(Apostrophe::Ascii), "G'afurov"),
            ("Хуршида", Latin::Uzbek(Apostrophe::Ascii), "Xurshida"),
            ("Акмал ўғли", Latin::Uzbek(Apostrophe::Right), "Akmal o’g’li"),
            ("Мырадов", Latin::Turkmen, "Myradow"),
            ("Җумаев", Latin::Turkmen, "Jumaýew"),
            ("Мырадовна", Latin::Turkmen, "Myradowna"),
            ("Сердарович", Latin::Turkmen, "Serdarowiç"),
            ("Нұрланұлы", Latin::Kazakh2018, "Nurlanuly"),
            ("Әсел", Latin::Kazakh2018, "Ásel"),
            ("Нұрланұлы", Latin::Kazakh2021, "Nūrlanūly"),
            ("Қарлығаш", Latin::Kazakh2021, "Qarlyğaş"),
            ("Юсупов", Latin::Icao2013, "Iusupov"),
            ("Ахметов", Latin::Icao2013, "Akhmetov"),
            ("Ерлан", Latin::Icao2013, "Erlan"),
            ("Юсупов", Latin::Legacy, "Yusupov"),
            ("Алиев", Latin::Legacy, "Aliyev"),
            ("Ерлан", Latin::Legacy, "Yerlan"),
            ("Ахметов", Latin::Informal, "Ahmetov"),
            ("Джураев", Latin::Informal, "Juraev"),
            ("Джураев", Latin::Icao2013, "Dzhuraev"),
            ("ЮСУПОВ", Latin::Icao2013, "IUSUPOV"),
            ("Джалал-Абад", Latin::Legacy, "Dzhalal-Abad"),
        ];
        for (input, scheme, expected) in cases {
            assert_eq!(to_latin(input, *scheme), *expected, "{input} {scheme:?}");
        }
    }

    #[test]
    fn names_written_in_arabic_letters_by_ear() {
        let cases = [
            ("Каримова", false, "كاريموفا"),
            ("Каримова", true, "كريموفا"),
            ("Ораз", false, "اوراز"),
            ("Рахимзода", false, "راخيمزاده"),
            ("Алиев", false, "الييف"),
            ("Мухаммад", false, "موخاماد"),
            ("Нұрлан", false, "نورلان"),
            ("Абдулла Юсупов", false, "ابدولا يوسوبوف"),
        ];
        for (input, unvoweled, expected) in cases {
            assert_eq!(to_arabic(input, unvoweled), expected, "{input} {unvoweled}");
        }
    }
}
