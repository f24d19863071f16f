//! The person record a caseworker enrols: names in any script, partial birth dates, documents,
//! parents. Validation lives here so that every entry point (gRPC, CSV import, CLI) refuses the
//! same things with the same message, naming the field at fault.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::OnceLock;

/// Longest accepted text field, in bytes; longer input is refused rather than truncated.
pub const MAX_FIELD_BYTES: usize = 512;
/// Most aliases, nationalities or documents one record may carry.
pub const MAX_REPEATED: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Sex {
    #[default]
    Unknown,
    Male,
    Female,
}

impl Sex {
    /// Parses `M`/`F`/empty (and the words), as the import format allows.
    pub fn parse(text: &str) -> Result<Sex, PersonError> {
        let written = text.trim();
        if means_unknown(text) {
            return Ok(Sex::Unknown);
        }
        let text = text.trim().to_lowercase();
        match text.trim_end_matches('.') {
            // ISO/IEC 5218: 0 not known, 9 not applicable.
            "" | "u" | "x" | "0" | "9" => Ok(Sex::Unknown),
            // ISO/IEC 5218 (1 male, 2 female), English, Russian, and the words of the region's
            // languages: Uzbek erkak, Kazakh ер, Kyrgyz эркек, Tajik мард, Turkmen erkek; and a
            // child's: boy, мальчик, Uzbek oʻgʻil, Kazakh ұл, Kyrgyz уул, Tajik писар, Turkmen oglan.
            "m" | "male" | "man" | "1" | "м" | "муж" | "мужской" | "мужчина" | "erkak" | "эркак" | "ер" | "er"
            | "эркек" | "erkek" | "мард" | "mard" | "boy" | "мальчик" | "o'g'il" | "oʻgʻil" | "ўғил" | "ұл" | "ul"
            | "уул" | "писар" | "pisar" | "oglan"
            // Turkish (E on a Turkish identity card, erkek çocuk a boy), Arabic ذكر.
            | "e" | "erkek çocuk" | "ذكر" => Ok(Sex::Male),
            // Uzbek ayol, Kazakh әйел, Kyrgyz аял, Tajik зан, Turkmen aýal; a girl: девочка,
            // Uzbek qiz, Kazakh қыз, Kyrgyz кыз, Tajik духтар, Turkmen gyz.
            "f" | "female" | "woman" | "w" | "2" | "ж" | "жен" | "женский" | "женщина" | "ayol" | "аёл" | "әйел"
            | "ayel" | "аял" | "ayal" | "aýal" | "зан" | "zan" | "girl" | "девочка" | "девушка" | "qiz" | "қиз"
            | "қыз" | "кыз" | "kyz" | "qyz" | "духтар" | "dukhtar" | "gyz"
            // Turkish kadın (K on a Turkish identity card), kız; Arabic أنثى.
            | "k" | "kadın" | "kadin" | "kız" | "kiz" | "kız çocuk" | "أنثى" | "انثى" => Ok(Sex::Female),
            _ => Err(PersonError::invalid("sex", format!("expected M, F or empty, got {written:?}"))),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sex::Unknown => "",
            Sex::Male => "M",
            Sex::Female => "F",
        }
    }
}

/// A birth date that may be known only to the year or the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// What lists write in a field nobody knows (compared in [`comparison_form`]), in English,
/// Russian and the region's languages: Uzbek and Tajik *nomaʼlum* / *номаълум*, Kazakh
/// *белгісіз*, Kyrgyz *белгисиз*, Turkmen *näbelli*. Read as an empty field by the date, the
/// sex and (with its own words for statelessness) the nationality. Not `unk` (ICAO's code on
/// UNMIK travel documents) nor `na` (Namibia).
const UNKNOWN_WORDS: &[&str] = &[
    "unknown",
    "not known",
    "n/a",
    "n.a",
    "not stated",
    "not specified",
    "неизвестно",
    "не известно",
    "нет данных",
    "нет сведений",
    "н/д",
    "не указан",
    "не указана",
    "не указано",
    "nomalum",
    "номалум",
    "белгісіз",
    "belgisiz",
    "белгисиз",
    "näbelli",
    // Tajik, Turkish and Arabic.
    "маълум нест",
    "номаълум аст",
    "bilinmiyor",
    "bilinmeyen",
    "belirtilmemiş",
    "غير معروف",
    "مجهول",
];

/// Whether a field's text says that its value is not known: one of [`UNKNOWN_WORDS`] (case,
/// apostrophes and a final dot aside), or punctuation only (`-`, `?`, `—`, `…`). Empty text is
/// not "unknown": it is empty.
pub fn means_unknown(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() {
        return false;
    }
    if !text.chars().any(char::is_alphanumeric) {
        return true;
    }
    static WORDS: OnceLock<HashSet<String>> = OnceLock::new();
    let words = WORDS.get_or_init(|| UNKNOWN_WORDS.iter().map(|w| comparison_form(w)).collect());
    words.contains(&comparison_form(text.trim_end_matches('.')))
}

/// How [`UNKNOWN_WORDS`] and [`MONTH_NAMES`] are compared: lower case, accents dropped (*ё* =
/// *е*, *й* = *и*, *ý* = *y*, *ä* = *a*) and apostrophes and *ъ* dropped (*nomaʼlum* =
/// *noma'lum* = *nomalum*, *номаълум* = *номалум*), so one spelling in a table stands for its
/// accented and apostrophe forms.
fn comparison_form(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    word.nfd()
        .filter(|c| {
            !is_combining_mark(*c) && !matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BB}' | '\u{02BC}' | 'ъ' | '`')
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Month names as lists of the region write them, one line per month: English (and its
/// abbreviations), Russian (nominative, genitive as in *12 марта 1990*, abbreviations), Uzbek
/// Latin, Uzbek and Tajik Cyrillic, Kazakh (Cyrillic, Latin 2018 and 2021), Turkmen (and
/// Turkish: [`TURKISH_MONTH_NAMES`]). Compared
/// in [`comparison_form`]: lower case, accents and apostrophes dropped (*ё* = *е*, *й* = *и*,
/// *ý* = *y*), so one spelling stands for its accented forms. Add a name to its month's line.
const MONTH_NAMES: [&str; 12] = [
    "january jan январь января янв yanvar январ қаңтар qantar qañtar ýanwar",
    "february feb фев февр февраль февраля fevral феврал ақпан aqpan fewral",
    "march mar март марта мар mart наурыз nauryz",
    "april apr апрель апреля апр aprel апрел сәуір sauir säuır",
    "may май мая mai мамыр mamyr",
    "june jun июнь июня июн iyun маусым mausym iýun",
    "july jul июль июля июл iyul шілде shilde şılde iýul",
    "august aug август августа авг avgust тамыз tamyz awgust",
    "september sep sept сентябрь сентября сен сент sentabr sentyabr сентябр қыркүйек qyrkuiek qyrkúiek sentýabr",
    "october oct октябрь октября окт oktabr oktyabr октябр қазан qazan oktýabr",
    "november nov ноябрь ноября ноя нояб noyabr ноябр қараша qarasha qaraşa noýabr",
    "december dec декабрь декабря дек dekabr декабр желтоқсан jeltoqsan",
];

/// Turkish month names (papers issued in Turkey), added to [`MONTH_NAMES`]' months; `mart` is
/// there already.
const TURKISH_MONTH_NAMES: [&str; 12] =
    ["ocak", "şubat", "", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım", "aralık"];

/// Year marks after a date, longest first (see [`without_date_decorations`]).
const YEAR_MARKS: &[&str] =
    &["жылы", "ж.т.", "жыл", "ж.т", "ж.", "ж", "yili", "yil", "y.", "йил", "й.", "ýyl", "ý.", "сол", "с."];

/// The month (1–12) a word names, if it is one of [`MONTH_NAMES`].
fn month_named(word: &str) -> Option<u8> {
    static MONTHS: OnceLock<HashMap<String, u8>> = OnceLock::new();
    let months = MONTHS.get_or_init(|| {
        let mut months = HashMap::new();
        for (index, line) in MONTH_NAMES.iter().enumerate() {
            for name in line.split(' ').chain([TURKISH_MONTH_NAMES[index]]).filter(|name| !name.is_empty()) {
                months.insert(comparison_form(name), index as u8 + 1);
            }
        }
        months
    });
    months.get(&comparison_form(word)).copied()
}

/// A date with its month written as a word: `12 March 1990`, `12-Mar-1990` (as spreadsheets
/// write it), `March 12, 1990`, `12 марта 1990`, `March 1990`, `1990 March 12`. `None` when
/// the text has no month name where one fits.
fn parse_named_month(text: &str) -> Option<(u16, u8, Option<u8>)> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '-' | '.' | '/'))
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())).then(|| w.parse::<u16>().ok()).flatten()
    };
    let day = |w: &str| number(w, 1..=2).map(|d| d as u8);
    let year = |w: &str| number(w, 4..=4);
    match words.as_slice() {
        [d, m, y] if day(d).is_some() => Some((year(y)?, month_named(m)?, day(d))),
        [m, d, y] if day(d).is_some() => Some((year(y)?, month_named(m)?, day(d))),
        [y, m, d] => Some((year(y)?, month_named(m)?, Some(day(d)?))),
        [m, y] if year(y).is_some() => Some((year(y)?, month_named(m)?, None)),
        [y, m] => Some((year(y)?, month_named(m)?, None)),
        _ => None,
    }
}

/// A date as registers and spreadsheets decorate it, without the decoration: a time of day
/// after an ISO date (`1990-03-12T00:00:00`, `1990-03-12 00:00:00`, as spreadsheet exports
/// write dates), the Russian year mark (`1990 г.`, `12.03.1990 г.р.`), and an approximation
/// (`ок. 1990`, `около 1990`, `~1990`, `circa 1990`, `1990?`), which reads as the date written:
/// a year is compared as a year.
fn without_date_decorations(text: &str) -> &str {
    let mut text = text.trim();
    if text.len() > 10
        && text.is_char_boundary(10)
        && matches!(text.as_bytes()[10], b'T' | b' ')
        && text[11..].trim_start().starts_with(|c: char| c.is_ascii_digit())
        && text[11..].contains(':')
    {
        text = &text[..10];
    }
    for mark in ["г.р.", "г. р.", "гг.", "г.", "г"] {
        if let Some(rest) = text.strip_suffix(mark) {
            text = rest.trim_end();
            break;
        }
    }
    // The year marks of the region's other languages, after a number only: Kazakh and Kyrgyz
    // *жыл* (`1990 ж.`, `1990 ж.т.`), Uzbek *yil* / *йил* (`1990 y.`), Turkmen *ýyl*, Tajik *сол*.
    for mark in YEAR_MARKS {
        let at = text.len().saturating_sub(mark.len());
        if text.len() > mark.len()
            && text.is_char_boundary(at)
            && text[at..].to_lowercase() == *mark
            && text[..at].trim_end().ends_with(|c: char| c.is_ascii_digit())
        {
            text = text[..at].trim_end();
            break;
        }
    }
    text = text.trim_end_matches('?').trim_end();
    let lower = text.to_lowercase();
    for mark in ["около", "ок.", "ок", "circa", "ca.", "c.", "approx.", "approx", "~"] {
        if lower.starts_with(mark) && text.is_char_boundary(mark.len()) {
            let rest = text[mark.len()..].trim_start();
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                text = rest;
            }
            break;
        }
    }
    text
}

/// A date of three numbers written with spaces or commas between them (`07 03 1990`,
/// `1990 03 07`, `07,03,1990`), or with its month in Roman numerals as Soviet-era certificates
/// write it (`07.III.1990`, `7 III 1990`), in the form [`PartialDate::parse`] reads:
/// `07.03.1990` or `1990-03-07`. `None` for anything else. [`PartialDate::parse_birth`] reads a
/// regrouped date month first where nothing else can be meant (`03 15 1990`), as it does the
/// date written with points or slashes.
fn regrouped(text: &str) -> Option<String> {
    const ROMAN: [&str; 12] = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"];
    let parts: Vec<&str> = text.split([' ', ',', '.', '/', '-']).filter(|p| !p.is_empty()).collect();
    let [first, middle, last] = parts.as_slice() else { return None };
    let digits = |part: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    };
    let month = if digits(middle, 1..=2) {
        middle.to_string()
    } else {
        let roman = ROMAN.iter().position(|r| r.eq_ignore_ascii_case(middle))?;
        (roman + 1).to_string()
    };
    if digits(first, 1..=2) && digits(last, 4..=4) {
        Some(format!("{first}.{month}.{last}"))
    } else if digits(first, 4..=4) && digits(last, 1..=2) {
        Some(format!("{first}-{month:0>2}-{last:0>2}"))
    } else {
        None
    }
}

/// A numeric date whose second number (after a four-digit year: its third) cannot be a month
/// but whose other can, written again day first (`03/15/1990` → `15.03.1990`, `1990-15-03` →
/// `15.03.1990`).
fn month_first(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split(['.', '/', '-']).collect();
    let number = |part: &str| -> Option<u16> {
        ((1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok())?
    };
    let (month, day, year) = match parts.as_slice() {
        [m, d, y] if y.len() == 4 => (number(m)?, number(d)?, y),
        [y, d, m] if y.len() == 4 => (number(m)?, number(d)?, y),
        _ => return None,
    };
    reads_month_first(month, day).then(|| format!("{day}.{month}.{year}"))
}

/// Arabic-Indic and Persian digits (`٠`–`٩`, `۰`–`۹`) as ASCII digits: Syrian and Iraqi papers
/// of children born there write their dates and numbers so (`١٢.٠٣.٢٠١٥`). Other text is
/// returned as it is.
pub fn western_digits(text: &str) -> std::borrow::Cow<'_, str> {
    let digit = |c: char| match c {
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        _ => None,
    };
    if !text.chars().any(|c| digit(c).is_some()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().map(|c| digit(c).unwrap_or(c)).collect())
}

/// Whether a date written `first`, `second` (then the year) can only be month first: the
/// second number cannot be a month and the first can.
fn reads_month_first(first: u16, second: u16) -> bool {
    (1..=12).contains(&first) && second > 12
}

impl PartialDate {
    /// Accepts `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, day-first `DD.MM.YYYY` and `MM.YYYY` (also with `/` or `-`,
    /// and one-digit day or month: `7.3.1990`, `1990-3-7`); empty text is `None`. Registers write an unknown
    /// day or month as `00` or `XX` (as in ICAO 9303): `00.00.1990`, `1990-05-00` and `XX.XX.1990`
    /// read as the year (and month) alone, and a day without its month is dropped. An all-zero
    /// date (`0000-00-00`, `00.00.0000`) is no date. A month written as its name is read too
    /// ([`MONTH_NAMES`]: `12 March 1990`, `12 марта 1990`, `March 1990`). Arabic-Indic digits
    /// are read as digits ([`western_digits`]: `١٢.٠٣.٢٠١٥`).
    pub fn parse(text: &str) -> Result<Option<PartialDate>, PersonError> {
        let text = western_digits(text);
        let text = text.trim();
        if text.is_empty() || means_unknown(text) {
            return Ok(None);
        }
        let text = without_date_decorations(text);
        if let Some(read) = hijri(text) {
            return read
                .map(Some)
                .map_err(|reason| PersonError::invalid("date_of_birth", format!("{text:?}: {reason}")));
        }
        let bad = || {
            PersonError::invalid(
                "date_of_birth",
                format!("{text:?} is not YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY, MM.YYYY or a day, month name and year"),
            )
        };
        if text.chars().any(char::is_alphabetic) && !text.bytes().all(|b| b.is_ascii_digit() || b"xX.-/".contains(&b)) {
            let (year, month, day) = parse_named_month(text).ok_or_else(bad)?;
            let date = PartialDate { year, month: Some(month), day };
            date.validate().map_err(|reason| PersonError::invalid("date_of_birth", format!("{text:?}: {reason}")))?;
            return Ok(Some(date));
        }
        // A part of `lens` digits, or `None` for an unknown part (all zeros or all X).
        let part = |part: &str, lens: std::ops::RangeInclusive<usize>| -> Result<Option<u16>, PersonError> {
            if !lens.contains(&part.len()) {
                return Err(bad());
            }
            if part.bytes().all(|b| b == b'x' || b == b'X') {
                return Ok(None);
            }
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let value = part.parse::<u16>().map_err(|_| bad())?;
            Ok((value != 0).then_some(value))
        };
        let parts: Vec<&str> = text.split(['.', '/', '-']).collect();
        let (year, month, day) = match parts.as_slice() {
            [y] => (part(y, 4..=4)?, None, None),
            [y, m] if y.len() == 4 => (part(y, 4..=4)?, part(m, 1..=2)?, None),
            [m, y] if y.len() == 4 => (part(y, 4..=4)?, part(m, 1..=2)?, None),
            [y, m, d] if y.len() == 4 => (part(y, 4..=4)?, part(m, 1..=2)?, part(d, 1..=2)?),
            [d, m, y] if y.len() == 4 => (part(y, 4..=4)?, part(m, 1..=2)?, part(d, 1..=2)?),
            _ => return Err(bad()),
        };
        let Some(year) = year else {
            if month.is_none() && day.is_none() {
                return Ok(None);
            }
            return Err(PersonError::invalid("date_of_birth", format!("{text:?}: a day or month without a year")));
        };
        // A day is only meaningful with its month.
        let day = if month.is_some() { day } else { None };
        let date = PartialDate { year, month: month.map(|m| m as u8), day: day.map(|d| d as u8) };
        date.validate().map_err(|reason| {
            // A year of the Islamic calendar written without its mark.
            let hint = if HIJRI_YEARS.contains(&year) {
                "; a date of the Islamic calendar? write هـ or AH after it"
            } else {
                ""
            };
            PersonError::invalid("date_of_birth", format!("{text:?}: {reason}{hint}"))
        })?;
        Ok(Some(date))
    }

    /// A birth date: as [`parse`](Self::parse), and also day-first with a two-digit year
    /// (`06.05.92`, `6/5/92`, `06-05-92`), as CIS forms and spreadsheets write birth dates, read
    /// in the century that puts the date on or before today (on 2026-11-29: `92` → 1992, `05` →
    /// 2005, `01.09.26` → 2026, `01.12.26` → 1926). A birth date lies in the past, so the
    /// century is never in doubt for anyone under a hundred; dates that may lie ahead (a planned
    /// service) keep four-digit years. A date that only reads with the month first
    /// (`03/15/1990`, as lists kept in English write it, or `1990-15-03`) is read so: no other
    /// reading exists, and a birth date refused costs the whole record; `03/04/1990` stays 3
    /// April. Eight digits are read year first (`19900307`) or day first (`07031990`),
    /// whichever puts a year between 1900 and today in its place.
    pub fn parse_birth(text: &str) -> Result<Option<PartialDate>, PersonError> {
        PartialDate::parse_birth_on(text, today())
    }

    /// [`parse_birth`](Self::parse_birth) with today's date (year, month, day) given.
    pub fn parse_birth_on(text: &str, today: (u16, u8, u8)) -> Result<Option<PartialDate>, PersonError> {
        let written = without_date_decorations(text.trim());
        let parts: Vec<&str> = written.split(['.', '/', '-']).collect();
        let digits = |part: &str, lens: std::ops::RangeInclusive<usize>| {
            lens.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
        };
        if let [d, m, y] = parts.as_slice()
            && digits(d, 1..=2)
            && digits(m, 1..=2)
            && digits(y, 2..=2)
        {
            let number = |part: &str| part.parse::<u16>().unwrap_or(0);
            // Month first where nothing else can be meant; an unknown day or month (`00`)
            // counts as the earliest.
            let (m, d) = if reads_month_first(number(d), number(m)) { (d, m) } else { (m, d) };
            let (month, day) = (number(m).clamp(1, 12) as u8, number(d).clamp(1, 31) as u8);
            let yy = number(y);
            let year = if (2000 + yy, month, day) <= today { 2000 + yy } else { 1900 + yy };
            let read = format!("{d}.{m}.{year}");
            return PartialDate::parse(&read).map_err(|error| {
                let PersonError::Invalid { field, reason } = error;
                let reason = reason.strip_prefix(&format!("{read:?}: ")).unwrap_or(&reason);
                PersonError::invalid(field, format!("{written:?} read as {read}: {reason}"))
            });
        }
        // Eight digits, as databases export dates: year first (`19900307`) or day first
        // (`07031990`). None reads both ways: a year of 19xx or 20xx in the second place
        // would be a month of 19 or 20 in the first reading.
        if written.len() == 8 && written.bytes().all(|b| b.is_ascii_digit()) {
            let plausible = |year: &str| year.parse::<u16>().is_ok_and(|y| (1900..=today.0).contains(&y));
            let read = if plausible(&written[..4]) {
                Some(format!("{}-{}-{}", &written[..4], &written[4..6], &written[6..]))
            } else if plausible(&written[4..]) {
                Some(format!("{}.{}.{}", &written[..2], &written[2..4], &written[4..]))
            } else {
                None
            };
            if let Some(read) = read {
                return PartialDate::parse(&read).map_err(|error| {
                    let PersonError::Invalid { field, reason } = error;
                    let reason = reason.strip_prefix(&format!("{read:?}: ")).unwrap_or(&reason);
                    PersonError::invalid(field, format!("{written:?} read as {read}: {reason}"))
                });
            }
        }
        let regrouped = || regrouped(written).map(|read| month_first(&read).unwrap_or(read));
        PartialDate::parse(text).or_else(|error| match month_first(written).or_else(regrouped) {
            Some(read) => PartialDate::parse(&read).map_err(|_| error),
            None => Err(error),
        })
    }

    fn validate(&self) -> Result<(), String> {
        if !(1850..=2200).contains(&self.year) {
            return Err(format!("year {} is out of range", self.year));
        }
        if let Some(month) = self.month {
            if !(1..=12).contains(&month) {
                return Err(format!("month {month} is out of range"));
            }
            if let Some(day) = self.day
                && (day < 1 || day > days_in_month(self.year, month))
            {
                return Err(format!("day {day} does not exist in {}-{month:02}", self.year));
            }
        } else if self.day.is_some() {
            return Err("a day without a month".into());
        }
        Ok(())
    }

    /// Whole years between this date and `today` (year, month, day), counting an unknown month
    /// or day as the earliest possible; `None` if the date is in the future.
    pub fn age_on(&self, today: (u16, u8, u8)) -> Option<u16> {
        let (y, m, d) = today;
        let mut age = y.checked_sub(self.year)?;
        let month = self.month.unwrap_or(1);
        let day = self.day.unwrap_or(1);
        if (m, d) < (month, day) {
            age = age.checked_sub(1)?;
        }
        Some(age)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

/// Today's civil date (UTC) as (year, month, day).
pub fn today() -> (u16, u8, u8) {
    let seconds =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    civil_from_days(seconds.div_euclid(86_400))
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's algorithm.
pub fn civil_from_days(days: i64) -> (u16, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((if m <= 2 { y + 1 } else { y }) as u16, m, d)
}

/// The marks written after a date of the Islamic (Hijri) calendar: Arabic *هـ* (with or without
/// its tail), *هجري*, *هجرية*, and *AH*.
const HIJRI_MARKS: &[&str] = &["هجرية", "هجري", "هـ", "ه", "a.h.", "a.h", "ah"];

/// The Islamic years [`hijri`] reads: 1300–1500 AH, 1882–2077 of the Gregorian calendar.
const HIJRI_YEARS: std::ops::RangeInclusive<u16> = 1300..=1500;

/// A date of the Islamic calendar, marked as such (`12/05/1436 هـ`, `1436-05-12 AH`, `١٤٣٦ هـ`),
/// as the Gregorian date it falls on: papers issued in the conflict zone to children born
/// there are dated so. `None` when `text` carries no mark. The conversion is the tabular
/// (arithmetical) calendar's, which a caseworker's converter uses too; the calendar as the
/// moon was sighted may differ from it by a day, which only the pair round's year and month
/// then see. A year alone is the Gregorian year its middle falls in (an Islamic year spans
/// two), a year and month the Gregorian month of the month's 15th.
fn hijri(text: &str) -> Option<Result<PartialDate, String>> {
    // Every mark ends in a letter or a dot; most dates end in a digit and stop here.
    if text.trim_end().ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let lower = text.trim().to_lowercase();
    let rest = HIJRI_MARKS.iter().find_map(|mark| lower.strip_suffix(mark))?;
    let rest = rest.trim_end_matches('\u{0640}').trim();
    let parts: Vec<&str> = rest.split(['.', '/', '-', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.is_empty() || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return Some(Err("an Islamic date reads as day, month and year in digits, or year, month and day".into()));
    }
    let number = |part: &str| part.parse::<u16>().unwrap_or(0);
    let (year, month, day) = match parts.as_slice() {
        [y] => (number(y), None, None),
        [y, m] if y.len() >= 3 => (number(y), Some(number(m)), None),
        [m, y] => (number(y), Some(number(m)), None),
        [y, m, d] if y.len() >= 3 => (number(y), Some(number(m)), Some(number(d))),
        [d, m, y] => (number(y), Some(number(m)), Some(number(d))),
        _ => return Some(Err("an Islamic date has at most a day, a month and a year".into())),
    };
    if !HIJRI_YEARS.contains(&year) {
        return Some(Err(format!(
            "Islamic year {year} is out of range ({}–{})",
            HIJRI_YEARS.start(),
            HIJRI_YEARS.end()
        )));
    }
    let month_length = |month: u16| match month {
        m if m % 2 == 1 => 30,
        12 if (14 + 11 * u32::from(year)) % 30 < 11 => 30,
        _ => 29,
    };
    if let Some(m) = month
        && !(1..=12).contains(&m)
    {
        return Some(Err(format!("Islamic month {m} is out of range")));
    }
    if let (Some(m), Some(d)) = (month, day)
        && !(1..=month_length(m)).contains(&d)
    {
        return Some(Err(format!("day {d} does not exist in Islamic month {m} of {year}")));
    }
    let (g_year, g_month, g_day) = gregorian_of_hijri(year, month.unwrap_or(6), day.unwrap_or(15));
    Some(Ok(match (month, day) {
        (Some(_), Some(_)) => PartialDate { year: g_year, month: Some(g_month), day: Some(g_day) },
        (Some(_), None) => PartialDate { year: g_year, month: Some(g_month), day: None },
        _ => PartialDate { year: g_year, month: None, day: None },
    }))
}

/// The Gregorian date of an Islamic date by the tabular calendar (civil epoch: 1 Muharram 1 AH
/// is 16 July 622, Julian), through the Julian day number. 1 Ramadan 1436 → 2015-06-18.
fn gregorian_of_hijri(year: u16, month: u16, day: u16) -> (u16, u8, u8) {
    let (y, m, d) = (i64::from(year), i64::from(month), i64::from(day));
    let jdn = d + (59 * (m - 1) + 1) / 2 + (y - 1) * 354 + (3 + 11 * y) / 30 + 1_948_439;
    // 1970-01-01 is Julian day 2,440,588.
    civil_from_days(jdn - 2_440_588)
}

pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IdentityDocument {
    /// Free text such as `passport`, `national_id`, `birth_certificate`.
    pub kind: String,
    pub number: String,
    /// ISO 3166 alpha-2 code of the issuing country, or empty when unknown.
    pub issuing_country: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ParentNames {
    pub given_name: String,
    pub family_name: String,
    pub patronymic: String,
    pub date_of_birth: Option<PartialDate>,
}

impl ParentNames {
    pub fn is_empty(&self) -> bool {
        self.given_name.is_empty()
            && self.family_name.is_empty()
            && self.patronymic.is_empty()
            && self.date_of_birth.is_none()
    }
}

/// One person as a node holds it. `record_id` is the agency's own id: the key for updates and
/// re-imports, never evidence of a match.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Person {
    pub record_id: String,
    pub given_name: String,
    pub family_name: String,
    pub patronymic: String,
    /// Other full names the person is known by, each as written ("given family" or any order).
    pub aliases: Vec<String>,
    pub sex: Sex,
    pub date_of_birth: Option<PartialDate>,
    pub place_of_birth: String,
    /// ISO 3166 alpha-2 codes.
    pub nationalities: Vec<String>,
    pub documents: Vec<IdentityDocument>,
    pub mother: ParentNames,
    pub father: ParentNames,
    pub locality: String,
}

impl Person {
    /// Trims every field and checks what a record must satisfy. Returns the first problem,
    /// naming its field.
    pub fn validated(mut self) -> Result<Person, PersonError> {
        fn clean(field: &'static str, value: &mut String) -> Result<(), PersonError> {
            let trimmed = value.trim();
            if trimmed.len() > MAX_FIELD_BYTES {
                return Err(PersonError::invalid(field, format!("longer than {MAX_FIELD_BYTES} bytes")));
            }
            if trimmed.chars().any(|c| c.is_control()) {
                return Err(PersonError::invalid(field, "contains control characters"));
            }
            // Bidirectional embeddings, overrides and isolates change how a value is shown
            // (U+202E turns the rest of a line around) and are no part of a name.
            if let Some(c) = trimmed.chars().find(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')) {
                return Err(PersonError::invalid(
                    field,
                    format!("contains the bidirectional control U+{:04X}, which changes how text is shown", c as u32),
                ));
            }
            // Zero-width characters alone look like an empty field and are no name.
            let invisible = |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}');
            if !trimmed.is_empty() && trimmed.chars().all(|c| invisible(c) || c.is_whitespace()) {
                return Err(PersonError::invalid(field, "holds only invisible characters"));
            }
            if trimmed.len() != value.len() {
                *value = trimmed.to_string();
            }
            Ok(())
        }
        clean("record_id", &mut self.record_id)?;
        if self.record_id.is_empty() {
            return Err(PersonError::invalid("record_id", "must not be empty"));
        }
        if self.record_id.len() > 128 {
            return Err(PersonError::invalid("record_id", "longer than 128 bytes"));
        }
        clean("given_name", &mut self.given_name)?;
        clean("family_name", &mut self.family_name)?;
        clean("patronymic", &mut self.patronymic)?;
        clean("place_of_birth", &mut self.place_of_birth)?;
        clean("locality", &mut self.locality)?;
        if self.aliases.len() > MAX_REPEATED {
            return Err(PersonError::invalid("aliases", format!("more than {MAX_REPEATED}")));
        }
        for alias in &mut self.aliases {
            clean("aliases", alias)?;
        }
        self.aliases.retain(|a| !a.is_empty());
        if self.nationalities.len() > MAX_REPEATED {
            return Err(PersonError::invalid("nationality", format!("more than {MAX_REPEATED}")));
        }
        let mut codes = Vec::new();
        for nationality in &self.nationalities {
            let read = crate::country::nationality_codes(nationality)
                .ok_or_else(|| PersonError::invalid("nationality", format!("unknown country {nationality:?}")))?;
            for code in read {
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
        if codes.len() > MAX_REPEATED {
            return Err(PersonError::invalid("nationality", format!("more than {MAX_REPEATED}")));
        }
        self.nationalities = codes.into_iter().map(str::to_string).collect();
        if self.documents.len() > MAX_REPEATED {
            return Err(PersonError::invalid("documents", format!("more than {MAX_REPEATED}")));
        }
        for document in &mut self.documents {
            clean("document_number", &mut document.number)?;
            clean("document_type", &mut document.kind)?;
            if !document.issuing_country.trim().is_empty() {
                let code = crate::country::parse(&document.issuing_country).ok_or_else(|| {
                    PersonError::invalid("issuing_country", format!("unknown country {:?}", document.issuing_country))
                })?;
                document.issuing_country = code.to_string();
            } else {
                document.issuing_country.clear();
            }
        }
        self.documents.retain(|d| !d.number.is_empty());
        // A record with no name at all is kept when a document identifies the person (a name
        // not transcribed, a child known by papers only); with neither it cannot be matched.
        if self.given_name.is_empty()
            && self.family_name.is_empty()
            && self.aliases.is_empty()
            && self.documents.is_empty()
        {
            return Err(PersonError::invalid(
                "given_name",
                "a person needs a given or family name or a document number",
            ));
        }
        // A birth after today is a typing error (2099 for 1999, 31.12.2030): refused, not
        // read as a newborn.
        let today = today();
        for (field, date) in [
            ("date_of_birth", self.date_of_birth),
            ("mother_date_of_birth", self.mother.date_of_birth),
            ("father_date_of_birth", self.father.date_of_birth),
        ] {
            if let Some(date) = date
                && (date.year, date.month.unwrap_or(1), date.day.unwrap_or(1)) > today
            {
                return Err(PersonError::invalid(field, format!("{date} is after today")));
            }
        }
        for (field, parent) in [("mother", &mut self.mother), ("father", &mut self.father)] {
            let _ = field;
            clean("parent_given_name", &mut parent.given_name)?;
            clean("parent_family_name", &mut parent.family_name)?;
            clean("parent_patronymic", &mut parent.patronymic)?;
        }
        Ok(self)
    }

    /// A person under 18 on `today`; unknown birth date counts as adult.
    pub fn is_minor_on(&self, today: (u16, u8, u8)) -> bool {
        self.date_of_birth.and_then(|d| d.age_on(today)).is_some_and(|age| age < 18)
    }

    /// "Given Patronymic Family" for display.
    pub fn display_name(&self) -> String {
        [&self.given_name, &self.patronymic, &self.family_name]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl PersonError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> PersonError {
        PersonError::Invalid { field, reason: reason.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dates of the Islamic calendar, marked, read as the Gregorian date by the tabular
    /// calendar (checked against published tables: 1 Ramadan 1436 = 18 June 2015, 1 Muharram
    /// 1436 = 25 October 2014, 1 Ramadan 1445 = 11 March 2024); unmarked, an Islamic year is
    /// refused with a hint.
    #[test]
    fn islamic_dates_read_as_gregorian() {
        let read = |text: &str| PartialDate::parse(text).map(|d| d.map(|d| d.to_string()).unwrap_or_default());
        assert_eq!(read("01/09/1436 هـ").unwrap(), "2015-06-18");
        assert_eq!(read("1436-01-01 AH").unwrap(), "2014-10-25");
        assert_eq!(read("1.9.1445 A.H.").unwrap(), "2024-03-11");
        assert_eq!(read("١٢/٠٥/١٤٣٦هـ").unwrap(), "2015-03-03");
        assert_eq!(read("12.05.1436 هجري").unwrap(), "2015-03-03");
        assert_eq!(read("05/1436 هـ").unwrap(), "2015-03");
        assert_eq!(read("1436 هـ").unwrap(), "2015");
        // Month 12 has a 30th day in the cycle's leap years only (1436 is one, 1435 is not).
        assert_eq!(read("30/12/1436 هـ").unwrap(), "2015-10-14");
        assert!(read("30/12/1435 هـ").is_err());
        assert!(read("31/01/1436 هـ").is_err());
        assert!(read("01/13/1436 هـ").is_err());
        assert!(read("1990 AH").is_err());
        assert!(read("abc هـ").is_err());
        let unmarked = read("12.05.1436").unwrap_err().to_string();
        assert!(unmarked.contains("Islamic calendar"), "{unmarked}");
        assert!(!read("1820").unwrap_err().to_string().contains("Islamic"));
        // As an import reads a birth date.
        let birth = PartialDate::parse_birth_on("01/09/1436 هـ", (2026, 11, 28)).unwrap().map(|d| d.to_string());
        assert_eq!(birth.as_deref(), Some("2015-06-18"));
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let check = |text: &str, expected: Option<&str>| {
            let got = PartialDate::parse(text).ok().map(|d| d.map(|d| d.to_string()).unwrap_or_default());
            assert_eq!(got.as_deref(), expected, "{text}");
        };
        check("1990-03-07", Some("1990-03-07"));
        check("1990-03", Some("1990-03"));
        check("1990", Some("1990"));
        check("07.03.1990", Some("1990-03-07"));
        check("", Some(""));
        check("1990-02-30", None);
        check("1990-13", None);
        check("90", None);
        check("7.3.1990", Some("1990-03-07"));
        check("07/03/1990", Some("1990-03-07"));
        check("07-03-1990", Some("1990-03-07"));
        check("1990/03/07", Some("1990-03-07"));
        check("03.1990", Some("1990-03"));
        // Decorations registers and spreadsheets add.
        check("1990-03-07T00:00:00", Some("1990-03-07"));
        check("1990-03-07 00:00:00", Some("1990-03-07"));
        check("1990-03-07T00:00:00Z", Some("1990-03-07"));
        check("1990 г.", Some("1990"));
        check("07.03.1990г.", Some("1990-03-07"));
        check("07.03.1990 г.р.", Some("1990-03-07"));
        // The year marks of Kazakh and Kyrgyz (жыл), Uzbek (yil), Turkmen (ýyl), Tajik (сол).
        check("1990 ж.", Some("1990"));
        check("07.03.1990 ж.т.", Some("1990-03-07"));
        check("1990 жылы", Some("1990"));
        check("1990 Y.", Some("1990"));
        check("07.03.1990 йил", Some("1990-03-07"));
        check("1990 ýyl", Some("1990"));
        check("1990 сол", Some("1990"));
        check("ж.", None);
        check("19x0 y.", None);
        check("ок. 1990", Some("1990"));
        check("около 1990", Some("1990"));
        check("~1990", Some("1990"));
        check("circa 1990", Some("1990"));
        check("1990?", Some("1990"));
        check("unknown", Some(""));
        check("неизвестно", Some(""));
        check("-", Some(""));
        check("nomaʼlum", Some(""));
        check("noma'lum", Some(""));
        check("белгисиз", Some(""));
        check("н/д", Some(""));
        check("…", Some(""));
        check("Not stated.", Some(""));
        check("1990-03-07 later", None);
        check("г.", None);
        check("ок.", None);
        check("circa", None);
        check("3/1990", Some("1990-03"));
        check("13.1990", None);
        check("03.90", None);
        // Unknown parts as registers write them.
        check("00.00.1990", Some("1990"));
        check("XX.XX.1990", Some("1990"));
        check("xx.05.1990", Some("1990-05"));
        check("1990-00-00", Some("1990"));
        check("1990-05-00", Some("1990-05"));
        check("1990-00", Some("1990"));
        check("15.00.1990", Some("1990"));
        check("0000-00-00", Some(""));
        check("00.00.0000", Some(""));
        check("00.05.0000", None);
        check("1990-5-7", Some("1990-05-07"));
        // Dates (of a service, say) are read one way only: month first is for birth dates.
        check("03/15/1990", None);
        check("2024-13-01", None);
        check("1990-123-07", None);
        check("07.03.90", None);
        check("7.3.1990.1", None);
        check("1990-03-07x", None);
        check("+7.3.1990", None);
        // The month as a word, in the languages of the region's lists.
        check("12 March 1990", Some("1990-03-12"));
        check("12-Mar-1990", Some("1990-03-12"));
        check("March 12, 1990", Some("1990-03-12"));
        check("Sept. 5, 1984", Some("1984-09-05"));
        check("12 марта 1990 г.", Some("1990-03-12"));
        check("12 МАЯ 1990", Some("1990-05-12"));
        check("3 Ноябрь 2015", Some("2015-11-03"));
        check("12 mart 1990", Some("1990-03-12"));
        // Turkish (papers issued in Turkey).
        check("15 Şubat 1990", Some("1990-02-15"));
        check("15 Ocak 1990", Some("1990-01-15"));
        check("9 Ağustos 2016", Some("2016-08-09"));
        check("12 Aralık 1990", Some("1990-12-12"));
        check("5 sentabr 2001", Some("2001-09-05"));
        check("12 наурыз 1990", Some("1990-03-12"));
        check("1 qyrkúiek 1979", Some("1979-09-01"));
        check("12 maý 1990", Some("1990-05-12"));
        check("12 iýun 1990", Some("1990-06-12"));
        check("March 1990", Some("1990-03"));
        check("март 1990 г.", Some("1990-03"));
        check("1990 March 12", Some("1990-03-12"));
        check("31 February 1990", None);
        check("12 Marchh 1990", None);
        check("12 March", None);
        check("March 90", None);
        check("12 March 1990 5", None);
        check("kyzy", None);
    }

    #[test]
    fn birth_dates_with_two_digit_years_take_the_century_that_puts_them_in_the_past() {
        let today = (2026, 11, 29);
        let birth = |text: &str, today: (u16, u8, u8)| {
            PartialDate::parse_birth_on(text, today).map(|d| d.map(|d| d.to_string()).unwrap_or_default())
        };
        for (text, today, read) in [
            ("06.05.92", today, "1992-05-06"),
            ("6/5/92", today, "1992-05-06"),
            ("06-05-92", today, "1992-05-06"),
            ("01.09.05", today, "2005-09-01"),
            ("01.09.26", today, "2026-09-01"),
            ("29.11.26", today, "2026-11-29"),
            ("30.11.26", today, "1926-11-30"),
            ("01.09.26", (2026, 3, 1), "1926-09-01"),
            ("00.00.26", (2026, 3, 1), "2026"),
            ("01.09.27", today, "1927-09-01"),
            ("01.09.27", (2027, 12, 31), "2027-09-01"),
            ("00.00.85", today, "1985"),
            ("07.03.90 г.р.", today, "1990-03-07"),
            // Month first where no other reading exists; day first where both can be meant.
            ("03/15/92", today, "1992-03-15"),
            ("03/15/26", today, "2026-03-15"),
            ("03/15/1990", today, "1990-03-15"),
            ("12-31-1980", today, "1980-12-31"),
            ("1990-15-03", today, "1990-03-15"),
            ("03/04/1990", today, "1990-04-03"),
            // Eight digits, year first or day first (never both: 19 and 20 are no month).
            ("19900307", today, "1990-03-07"),
            ("07031990", today, "1990-03-07"),
            ("20261129", today, "2026-11-29"),
            ("29112026", today, "2026-11-29"),
            ("20000101", today, "2000-01-01"),
            // Spaces or commas between the numbers; a month in Roman numerals.
            ("07 03 1990", today, "1990-03-07"),
            ("1990 03 07", today, "1990-03-07"),
            ("07,03,1990", today, "1990-03-07"),
            ("07.III.1990", today, "1990-03-07"),
            ("7 III 1990 г.", today, "1990-03-07"),
            ("1990.xii.7", today, "1990-12-07"),
            // Regrouped, month first where nothing else can be meant.
            ("03 15 1990", today, "1990-03-15"),
            ("07 13 1990", today, "1990-07-13"),
            ("1990 15 03", today, "1990-03-15"),
            // Four-digit years and the other forms read as before.
            ("07.03.1990", today, "1990-03-07"),
            ("1990", today, "1990"),
            ("", today, ""),
        ] {
            assert_eq!(birth(text, today).unwrap(), read, "{text} on {today:?}");
        }
        // A day that does not exist names the date as written and as read.
        let error = birth("31.02.92", today).unwrap_err().to_string();
        assert!(error.contains("\"31.02.92\" read as 31.02.1992") && error.contains("does not exist"), "{error}");
        for bad in [
            "92-05-06",
            "06.05.9",
            "06.05.992",
            "6.5.x2",
            "13.13.92",
            "06.05",
            "13/13/1990",
            "31/13/1990",
            "02/30/1990",
            "00/15/92",
            "00/15/1992",
            // Eight digits with no year of 1900 to today in either place, or no such day.
            "12345678",
            "00000000",
            "20271129",
            "19900230",
            "30021990",
            // Regrouped numbers still make a real date or none.
            "13 13 1990",
            "07 32 1990",
            "07.XIII.1990",
            "07 III",
            "7 3 1990 5",
            "1990 III",
        ] {
            assert!(birth(bad, today).is_err(), "{bad}");
        }
        // Dates that may lie ahead keep four-digit years.
        assert!(PartialDate::parse("06.05.92").is_err());
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_785), (2026, 11, 28));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn unknown_in_the_words_lists_use() {
        for text in
            ["unknown", "UNKNOWN", "n/a", "-", "?", "неизвестно", "Нет данных", "nomaʼlum", "номаълум", "näbelli"]
        {
            assert!(means_unknown(text), "{text}");
        }
        for text in ["", "  ", "NA", "UNK", "Uzbek", "1990", "m", "Nomad"] {
            assert!(!means_unknown(text), "{text}");
        }
    }

    #[test]
    fn sex_in_the_words_registers_use() {
        for text in [
            "M",
            "male",
            "1",
            "м",
            "Муж.",
            "Мужской",
            "erkak",
            "Эркек",
            "ер",
            "мард",
            "мальчик",
            "oʻgʻil",
            "boy",
            "E",
            "Erkek",
            "ذكر",
        ] {
            assert_eq!(Sex::parse(text).ok(), Some(Sex::Male), "{text}");
        }
        for text in [
            "F",
            "female",
            "W",
            "2",
            "ж",
            "жен.",
            "Женский",
            "ayol",
            "Аял",
            "әйел",
            "aýal",
            "зан",
            "девочка",
            "qiz",
            "Қыз",
            "K",
            "Kadın",
            "KIZ",
            "أنثى",
        ] {
            assert_eq!(Sex::parse(text).ok(), Some(Sex::Female), "{text}");
        }
        for text in [
            "",
            " ",
            "U",
            "0",
            "9",
            "unknown",
            "-",
            "?",
            "неизвестно",
            "nomaʼlum",
            "Белгісіз",
            "не указан",
            "—",
            "Bilinmiyor",
            "غير معروف",
            "маълум нест",
        ] {
            assert_eq!(Sex::parse(text).ok(), Some(Sex::Unknown), "{text:?}");
        }
        for text in ["mf", "3", "child", "..m"] {
            assert!(Sex::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn ages_count_partial_dates_as_earliest() {
        let d = PartialDate::parse("2010-06-15").unwrap().unwrap();
        assert_eq!(d.age_on((2026, 6, 14)), Some(15));
        assert_eq!(d.age_on((2026, 6, 15)), Some(16));
        let y = PartialDate::parse("2008").unwrap().unwrap();
        assert_eq!(y.age_on((2026, 1, 1)), Some(18));
    }

    #[test]
    fn validation_names_the_field() {
        let person = Person { record_id: "r1".into(), ..Default::default() };
        let err = person.validated().unwrap_err();
        assert!(err.to_string().starts_with("given_name:"), "{err}");
        let person = Person {
            record_id: "r1".into(),
            given_name: "Aziza".into(),
            nationalities: vec!["Atlantis".into()],
            ..Default::default()
        };
        assert!(person.validated().unwrap_err().to_string().starts_with("nationality:"));
    }

    #[test]
    fn a_bidirectional_override_or_an_invisible_name_is_refused() {
        let named = |given: &str| Person { record_id: "r1".into(), given_name: given.into(), ..Default::default() };
        let err = named("Aziza\u{202E}avokab").validated().unwrap_err().to_string();
        assert!(err.starts_with("given_name:") && err.contains("U+202E"), "{err}");
        let err = named("\u{200B}\u{200B}").validated().unwrap_err().to_string();
        assert!(err.contains("only invisible characters"), "{err}");
        // A zero-width non-joiner inside a name written in Arabic script is part of it.
        assert!(named("مهر\u{200C}انگیز").validated().is_ok());
    }

    #[test]
    fn a_birth_after_today_is_refused_and_today_or_this_year_is_not() {
        let (y, m, d) = today();
        let born = |date: &str| Person {
            record_id: "r1".into(),
            given_name: "Aziza".into(),
            date_of_birth: PartialDate::parse(date).unwrap(),
            ..Default::default()
        };
        let err = born("2099-01-01").validated().unwrap_err().to_string();
        assert!(err.starts_with("date_of_birth:") && err.contains("after today"), "{err}");
        assert!(born(&format!("{}", y + 1)).validated().is_err());
        assert!(born(&format!("{y:04}-{m:02}-{d:02}")).validated().is_ok());
        assert!(born(&format!("{y}")).validated().is_ok());
        let mut child = born("2015");
        child.mother.date_of_birth = PartialDate::parse("2099").unwrap();
        assert!(child.validated().unwrap_err().to_string().starts_with("mother_date_of_birth:"));
    }

    #[test]
    fn a_record_reads_its_nationalities_as_the_import_does() {
        let with = |nationalities: &[&str]| Person {
            record_id: "r1".into(),
            given_name: "Aziza".into(),
            nationalities: nationalities.iter().map(|n| n.to_string()).collect(),
            ..Default::default()
        };
        let read = |nationalities: &[&str]| with(nationalities).validated().map(|p| p.nationalities);
        assert_eq!(read(&["UZ/RU"]).unwrap(), ["UZ", "RU"]);
        assert_eq!(read(&["Uzbekistan, Russia", "UZ"]).unwrap(), ["UZ", "RU"]);
        assert_eq!(read(&["Korea, Republic of"]).unwrap(), ["KR"]);
        assert_eq!(read(&["USSR", "stateless"]).unwrap(), Vec::<String>::new());
        let err = read(&["UZ/Atlantis"]).unwrap_err().to_string();
        assert!(err.starts_with("nationality:") && err.contains("UZ/Atlantis"), "{err}");
        // Parts count against the limit as whole entries do.
        let many = ["UZ/RU/KZ/KG/TJ/TM/AF/SY/IQ/TR/DE/FR/GB/US/CN/IN/PK"];
        assert!(read(&many).unwrap_err().to_string().starts_with("nationality:"));
    }
}
