//! Synthetic returnees for `homeward demo`, `homeward synth`, tests and benchmarks: one
//! person-import CSV (v1) per country node, plus the truth of who is who and whose mother is
//! whom. Deterministic for a seed; no IO (the CLI writes the files).
//!
//! # What it models
//!
//! **People.** Kazakh, Kyrgyz, Tajik, Turkmen and Uzbek given names (male and female) and family
//! names from data tables ([`names`]), each with a canonical Russian-Cyrillic spelling and its
//! national spelling (Нурлан / Нұрлан, Джураев / Ҷӯраев, Мурадов / Мырадов, Пулатов / Пўлатов).
//! Tables are drawn Zipf-like, so common names are common; more surnames are made from male
//! given names (Нурлан → Нурланов). A node's population is mostly its titular nation with the
//! real minorities (Uzbeks in KZ, KG, TJ; Tajiks in UZ …). Arabic-origin names (Мухаммад,
//! Абдулла, Юсуф, Хадича, Айша, Хафса …) are given to ≈45 % of the children (most of them born
//! in Syria or Iraq) and ≈12 % of adults, and carry their variant spellings (Muhammad / Mukhammad / Magomed, Abdullo /
//! Abdulla, Yusuf / Yusup, Khadija / Hadicha / Xadicha): a record shows a variant ≈35 % of the
//! time. Women's family names take the female form (-ova / -eva / -ina / -owa); about 60 % of
//! mothers carry the husband's surname, and their maiden name sometimes appears as an alias or
//! on the child's record. About 35 % of Tajiks have a surname of the Tajik naming law on the TJ
//! node (half of them everywhere) where other nodes still write -ov: -zoda for eight in ten
//! (of which one in ten the law's rarer -фар, -пур or -иён: *Каримфар*, *Назарпур*,
//! *Шарифиён*), -zod and the Persian adjective -ӣ (*Раҳимӣ*, *Мирзоӣ*) for one in ten each; a
//! few Kyrgyz men use "X уулу" as their surname, and ≈8 % of Kazakh adults with a surname of
//! their own bear the father's name with -ұлы / -қызы (*Серікқызы*, *Нұрланұлы*) instead. Half
//! of the TJ records of Tajik children born since 2016 that write a Russian-style patronymic in
//! Cyrillic write it as the law does, the father's name with -зода or -фар (*Шарифзода*,
//! *Шариффар*).
//!
//! **Units.** Persons come in units: a mother with 1–4 minor children (30 % of units), a single
//! man (27 %), a single woman (25 %), 1–4 children whose mother is named on their records but
//! not recorded anywhere (8 %), and namesakes (10 %: an existing adult's given and family name
//! with another birth date, half of them in the same year). Families have twins (same surname
//! and birth date, different given names) 8 % of the time; papers of one kind issued to twins
//! carry consecutive numbers. Children are born less than 17 years
//! before `today`, so they are minors on `today` and for a year after. The records come out as
//! ≈46 % minors, ≈36 % adult women and ≈18 % adult men.
//!
//! **Where.** Each person has a home node; ≈22 % are recorded on more nodes (≈17 % on two, ≈5 %
//! on three), and 30 % of the children of a recorded mother live on another node than her. Each node
//! holds exactly `persons_per_node` records and each person at most one record per node. The
//! renderings of one person on different nodes are independent draws.
//!
//! **Scripts, per node (shares of records).**
//!
//! | node | Russian Cyrillic | national Cyrillic | national Latin | passport Latin |
//! |---|---|---|---|---|
//! | KZ | 55 % | 20 % (ә ғ қ ң ө ұ ү һ і) | 6 % (Kazakh Latin 2021, 2018) | 19 % |
//! | KG | 62 % | 18 % (ң ө ү) | — | 20 % |
//! | TJ | 38 % | 42 % (ғ ӣ қ ӯ ҳ ҷ) | — | 20 % |
//! | TM | 14 % | — | 68 % Turkmen (ç ä ž ň ö ş ü ý, w, -ow/-owa) | 18 % |
//! | UZ | 14 % | 8 % (ў қ ғ ҳ) | 58 % Uzbek (oʻ gʻ with ʻ ' ’ ` ʼ, x, ch, sh, j) | 20 % |
//!
//! **Camp registers in Arabic script.** ≈10 % of the records of children born in Syria or Iraq
//! that a node writes in Cyrillic are copied from a camp register kept in Arabic script (≈1.3 %
//! of all records): names in Arabic letters as a clerk writes a foreign name by ear
//! ([`translit::to_arabic`]: long vowels as letters, so *о* and *у* are both `و` and *е* and *и*
//! both `ي`; short *а* between consonants left out on ≈30 % of them; Arabic-origin given names
//! in their standard Arabic spelling, [`names::ARABIC_SCRIPT`]), patronymics as the father's bare
//! name, the place of birth in Arabic (*الرقة*), and half of them with Arabic-Indic digits in
//! the CSV's dates (*١٢.٠٣.٢٠١٥*).
//!
//! National spellings are used for the node's own nation (and Tajiks on UZ); minorities are
//! written from the Russian spelling. Passport Latin ([`translit::Latin`]) is ICAO 2013 (kh, zh,
//! ts, iu, ia) 45 %, legacy (yu, ya, ye, y) 40 % or informal (h, j) 15 %, from the national
//! spelling for half of the country's own citizens, upper case half of the time. Patronymics:
//! Russian -ovich / -ovna (-owiç / -owna in Turkmen Latin) everywhere, or the national style —
//! Kazakh -ұлы / -қызы (≈30 %), Kyrgyz уулу / кызы (≈35 %), Uzbek ўғли / қизи (≈55 %), Turkmen
//! оглы / гызы (≈15 %) — and missing on 20–35 % of records.
//!
//! **Noise, per record.** One-letter typo (substitution, deletion, doubling, transposition)
//! ≈4 %; given and family name swapped ≈3 %; birth date: exact ≈80 %, day and month swapped
//! ≈4 % (when both ≤ 12), year only ≈5 %, year and month ≈2 %, 1 January for an unknown date
//! ≈3 %, missing ≈2 %, day off by one ≈2 %, year off by one ≈2 % (children's dates always stay
//! minor); sex missing ≈2 %; place of birth missing ≈50 % (children mostly born in Syria or
//! Iraq); locality missing ≈15 %; nationality missing ≈4 % and written as alpha-3, English or
//! Russian name ≈20 % in the CSV; dates written DD.MM.YYYY ≈12 % in the CSV; aliases ≈8 %
//! (other-script spelling, maiden name, kunya "Умм …" / "Абу …").
//!
//! **Unknown birthdays, per person.** ≈3 % of adults do not know their day and month of birth
//! (drawn from the person, not from the generator's stream): all their papers, and a child's
//! record of such a mother, say 1 January of the year, under the per-record noise above. The
//! per-record 1 January above is a registrar's default for a date that one paper lacked.
//!
//! **List conventions, per record** (drawn from the record id, not from the generator's
//! stream): the whole name in the family field, family name first, on ≈4 % of KZ and KG
//! records; the endearing -jon (men, after a consonant) or -xon (women) added to the given name
//! on ≈5 % of UZ and TJ records; an unknown day or month written 00 (`00.00.1990`) for ≈40 % of
//! partial dates outside TM, in the CSV; sex written М/Ж ≈3 % or in the node's language
//! (*erkak*/*ayol*, *ер*/*әйел*, *эркек*/*аял*, *мард*/*зан*, *erkek*/*aýal*) ≈2 %, in the CSV.
//!
//! **Documents.** Passports (and ID cards in KZ, KG, UZ) numbered in each country's format and
//! issued by the nationality's country; ≈30 % of adults hold a renewed passport as well, and a
//! node records one of them, so two nodes often hold different numbers. Children hold a birth
//! certificate (≈55 %), a passport (≈15 %) or nothing. A record leaves out a document the person
//! holds 12 % of the time, so ≈30 % of records carry none; ≈6 % of numbers are written with
//! spaces, dashes, lower case or a number sign before them (`№ `, `No. `). Nationality is the
//! person's citizenship, mostly the home node's country.
//!
//! **Children and mothers.** A minor's record names the mother (given name ≈95 %, family name
//! ≈85 %, patronymic ≈45 %, birth date ≈55 % with the same date noise), in the record's script and
//! with the same kinds of noise; sometimes the father. [`FamilyTruth`] holds one row for each
//! pair (record of a child that names its mother, record of that mother on a *different*
//! node): ≈0.24 rows per record. Same-node pairs are not listed: the federation only links
//! across nodes.
//!
//! Record ids are agency-like (`KZ-048213`): random, unique per node, never evidence.

pub mod forms;
pub mod names;
pub mod rng;
pub mod translit;

use crate::person::{IdentityDocument, ParentNames, PartialDate, Person, Sex};
use forms::PatronymicStyle;
use names::Nation;
use rng::Rng;
use std::borrow::Cow;
use std::collections::HashSet;
use translit::{Apostrophe, Latin};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    /// ISO 3166 alpha-2 code of each node; default KZ KG TJ TM UZ.
    pub countries: Vec<String>,
    /// Records per node (exactly).
    pub persons_per_node: usize,
    pub seed: u64,
    /// The date minors are counted from: (year, month, day).
    pub today: (u16, u8, u8),
}

impl SynthConfig {
    /// The five Central Asian nodes with a fixed seed and date.
    pub fn demo(persons_per_node: usize) -> Self {
        SynthConfig {
            countries: ["KZ", "KG", "TJ", "TM", "UZ"].iter().map(|c| c.to_string()).collect(),
            persons_per_node,
            seed: 0x484F_4D45_5741_5244,
            today: (2026, 11, 1),
        }
    }
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig::demo(2000)
    }
}

/// One record on one node, with the person it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthRecord {
    /// The node's country code.
    pub node: String,
    pub person: Person,
    /// The same for every record of one person (`P000123`).
    pub person_id: String,
}

/// A child's record and a record of its mother on another node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyTruth {
    pub child_node: String,
    pub child_record_id: String,
    pub mother_node: String,
    pub mother_record_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SynthOutput {
    /// Grouped by node in the configured order, shuffled within a node.
    pub records: Vec<SynthRecord>,
    pub family: Vec<FamilyTruth>,
}

/// The import CSV header this module writes (v1 columns, then the optional ones).
pub const CSV_HEADER: [&str; 17] = [
    "record_id",
    "given_name",
    "family_name",
    "patronymic",
    "sex",
    "date_of_birth",
    "place_of_birth",
    "nationality",
    "document_number",
    "mother_given_name",
    "mother_family_name",
    "locality",
    "aliases",
    "mother_patronymic",
    "mother_date_of_birth",
    "father_given_name",
    "father_family_name",
];

impl SynthOutput {
    /// The person-import CSV (v1) of one node, with the optional columns.
    pub fn to_csv(&self, node: &str) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(CSV_HEADER).expect("write to memory");
        for record in self.records.iter().filter(|r| r.node == node) {
            let p = &record.person;
            let style = rng::fnv1a(&p.record_id);
            let dotted = style % 100 < 12 && node != "TM";
            // Some lists write an unknown day or month as 00 (00.00.1990, 00.05.1990).
            let zeros = roll(&p.record_id, 32) < 40 && node != "TM";
            // Half the records copied from a camp register in Arabic script keep its
            // Arabic-Indic digits (١٢.٠٣.٢٠١٥).
            let arabic_digits =
                p.given_name.chars().any(crate::matching::arabic::is_arabic) && roll(&p.record_id, 56) < 50;
            let date = |d: &Option<PartialDate>| {
                let text = match d {
                    Some(d) if dotted && d.day.is_some() => {
                        format!("{:02}.{:02}.{:04}", d.day.unwrap_or(1), d.month.unwrap_or(1), d.year)
                    }
                    Some(d) if zeros && d.day.is_none() => {
                        format!("{:02}.{:02}.{:04}", 0, d.month.unwrap_or(0), d.year)
                    }
                    Some(d) => d.to_string(),
                    None => String::new(),
                };
                if arabic_digits { text.chars().map(arabic_indic).collect() } else { text }
            };
            // Sex as М/Ж, or in the node's language (Uzbek erkak/ayol, Kazakh ер/әйел …).
            let sex = match (roll(&p.record_id, 40), p.sex) {
                (_, Sex::Unknown) => "",
                (0..3, Sex::Male) => "М",
                (0..3, Sex::Female) => "Ж",
                (3..5, sex) => sex_word(node, sex),
                (_, sex) => sex.code(),
            };
            let nationality =
                p.nationalities.first().map(|code| nationality_text(code, (style >> 8) % 100)).unwrap_or_default();
            let document = p.documents.first().map(|d| d.number.clone()).unwrap_or_default();
            writer
                .write_record([
                    p.record_id.as_str(),
                    &p.given_name,
                    &p.family_name,
                    &p.patronymic,
                    sex,
                    &date(&p.date_of_birth),
                    &p.place_of_birth,
                    &nationality,
                    &document,
                    &p.mother.given_name,
                    &p.mother.family_name,
                    &p.locality,
                    &p.aliases.join(";"),
                    &p.mother.patronymic,
                    &date(&p.mother.date_of_birth),
                    &p.father.given_name,
                    &p.father.family_name,
                ])
                .expect("write to memory");
        }
        String::from_utf8(writer.into_inner().expect("flush to memory")).expect("UTF-8 in, UTF-8 out")
    }

    /// `person_id,node,record_id`: records with the same person id are one person.
    pub fn truth_csv(&self) -> String {
        let mut out = String::from("person_id,node,record_id\n");
        for r in &self.records {
            out.push_str(&format!("{},{},{}\n", r.person_id, r.node, r.person.record_id));
        }
        out
    }

    /// `child_node,child_record_id,mother_node,mother_record_id`.
    pub fn family_truth_csv(&self) -> String {
        let mut out = String::from("child_node,child_record_id,mother_node,mother_record_id\n");
        for f in &self.family {
            out.push_str(&format!("{},{},{},{}\n", f.child_node, f.child_record_id, f.mother_node, f.mother_record_id));
        }
        out
    }
}

/// The word for `sex` in the language of `node`'s lists.
fn sex_word(node: &str, sex: Sex) -> &'static str {
    let (male, female) = match node {
        "KZ" => ("ер", "әйел"),
        "KG" => ("эркек", "аял"),
        "TJ" => ("мард", "зан"),
        "TM" => ("erkek", "aýal"),
        _ => ("erkak", "ayol"),
    };
    if sex == Sex::Female { female } else { male }
}

/// A nationality as agencies write it: mostly alpha-2, sometimes alpha-3 or a name
/// (`roll` in 0..100 picks the form).
fn nationality_text(code: &str, roll: u64) -> String {
    const NAMES: &[(&str, &str, &str, &str)] = &[
        ("KZ", "KAZ", "Kazakhstan", "Казахстан"),
        ("KG", "KGZ", "Kyrgyzstan", "Кыргызстан"),
        ("TJ", "TJK", "Tajikistan", "Таджикистан"),
        ("TM", "TKM", "Turkmenistan", "Туркменистан"),
        ("UZ", "UZB", "Uzbekistan", "Узбекистан"),
        ("RU", "RUS", "Russia", "Россия"),
    ];
    let Some(&(_, alpha3, english, russian)) = NAMES.iter().find(|n| n.0 == code) else {
        return code.to_string();
    };
    match roll {
        0..7 => alpha3,
        7..14 => english,
        14..20 => russian,
        _ => code,
    }
    .to_string()
}

/// A name in Russian Cyrillic and in national Cyrillic.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Nm {
    ru: Cow<'static, str>,
    nat: Cow<'static, str>,
}

impl Nm {
    fn entry(entry: &'static str) -> Nm {
        let (ru, nat) = names::split(entry);
        Nm { ru: Cow::Borrowed(ru), nat: Cow::Borrowed(nat) }
    }

    fn map(&self, f: impl Fn(&str) -> String) -> Nm {
        let ru = f(&self.ru);
        let nat = if self.nat == self.ru { ru.clone() } else { f(&self.nat) };
        Nm { ru: Cow::Owned(ru), nat: Cow::Owned(nat) }
    }
}

/// A given name: a plain table entry or an Arabic-origin variant group.
#[derive(Debug, Clone, Copy)]
enum Given {
    Plain(&'static str),
    Arabic(&'static [&'static str]),
}

impl Given {
    fn canonical(self) -> Nm {
        match self {
            Given::Plain(e) => Nm::entry(e),
            Given::Arabic(group) => Nm::entry(group[0]),
        }
    }

    /// The spelling one record uses.
    fn as_recorded(self, rng: &mut Rng) -> Nm {
        match self {
            Given::Arabic(group) if rng.chance(0.35) => Nm::entry(group[1 + rng.below(group.len() - 1)]),
            other => other.canonical(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FamilyForm {
    /// The usual -ov / -ev surname (female -ova / -eva).
    Ov,
    /// Tajik -zoda (or -zod, or -ӣ) instead of -ov: on the TJ node, or everywhere.
    Zoda { everywhere: bool, ending: forms::TajikEnding },
    /// Kyrgyz "<father> уулу" / "<father> кызы" as the surname; `family` holds the father's name.
    Uulu,
    /// Kazakh "<father>ұлы" / "<father>қызы" written together as the surname (*Серікқызы*,
    /// *Нұрланұлы*); `family` holds the father's name.
    Uly,
}

/// The truth about one person.
#[derive(Debug, Clone)]
struct Truth {
    nation: Nation,
    sex: Sex,
    given: Given,
    /// Male form of the surname in use (or the father's given name for [`FamilyForm::Uulu`]).
    family: Nm,
    form: FamilyForm,
    /// Birth surname (male form) of a woman who took her husband's.
    maiden: Option<Nm>,
    father_given: Nm,
    dob: (u16, u8, u8),
    birth_place: &'static str,
    nationality: Option<String>,
    second_nationality: Option<String>,
    /// (kind, number); issued by `nationality`.
    documents: Vec<(&'static str, String)>,
    minor: bool,
    mother: Option<usize>,
    /// Whether the child's records name the father.
    names_father: bool,
    nodes: Vec<usize>,
}

/// How one record is written.
#[derive(Debug, Clone, Copy)]
enum Script {
    Russian,
    National,
    Latin(Latin),
}

#[derive(Debug, Clone, Copy)]
struct Style {
    script: Script,
    /// Whether this person's national spelling is the source (else the Russian one).
    national_source: bool,
    upper: bool,
}

impl Style {
    /// Whether the national spelling is written (or transliterated) rather than the Russian.
    fn uses_national(&self) -> bool {
        self.national_source && !matches!(self.script, Script::Russian)
    }

    fn render(&self, nm: &Nm) -> String {
        self.render_text(if self.uses_national() { &nm.nat } else { &nm.ru })
    }

    /// Renders Cyrillic text already in the right (Russian or national) spelling.
    fn render_text(&self, source: &str) -> String {
        let text = match self.script {
            Script::Russian | Script::National => source.to_string(),
            Script::Latin(scheme) => translit::to_latin(source, scheme),
        };
        if self.upper { text.to_uppercase() } else { text }
    }
}

struct Generator<'a> {
    config: &'a SynthConfig,
    rng: Rng,
    persons: Vec<Truth>,
    remaining: Vec<usize>,
}

/// Generates the records and truth for `config`.
pub fn generate(config: &SynthConfig) -> SynthOutput {
    let mut generator = Generator {
        config,
        rng: Rng::new(config.seed),
        // About 1.1 persons per record slot, unrecorded mothers included.
        persons: Vec::with_capacity(config.persons_per_node * config.countries.len() * 11 / 10),
        remaining: vec![config.persons_per_node; config.countries.len()],
    };
    generator.populate();
    generator.render_all()
}

fn days_in(year: u16, month: u8) -> u8 {
    crate::person::days_in_month(year, month)
}

/// Moves a date by whole years (may be negative), clamping 29 February.
/// A person's papers: kind and number.
type Papers = Vec<(&'static str, String)>;

/// The document number issued after `number`: its last run of digits plus one, at the same
/// width (`I-ЖТ 000999` → `I-ЖТ 001000`). A number without digits is returned as it is.
fn next_number(number: &str) -> String {
    let mut out: Vec<char> = number.chars().collect();
    let Some(end) = out.iter().rposition(|c| c.is_ascii_digit()) else {
        return number.to_string();
    };
    let mut i = end + 1;
    while i > 0 && out[i - 1].is_ascii_digit() {
        i -= 1;
        if out[i] == '9' {
            out[i] = '0';
        } else {
            out[i] = char::from(out[i] as u8 + 1);
            return out.into_iter().collect();
        }
    }
    // Every digit of the run was 9: it wraps at its width, as a number series does.
    out.into_iter().collect()
}

fn shift_years(date: (u16, u8, u8), years: i32) -> (u16, u8, u8) {
    let year = (date.0 as i32 + years) as u16;
    (year, date.1, date.2.min(days_in(year, date.1)))
}

impl<'a> Generator<'a> {
    fn country(&self, node: usize) -> &str {
        &self.config.countries[node]
    }

    fn random_date(&mut self, year_lo: u16, year_hi: u16) -> (u16, u8, u8) {
        let year = self.rng.range(year_lo as i64, year_hi as i64) as u16;
        let month = self.rng.range(1, 12) as u8;
        let day = self.rng.range(1, days_in(year, month) as i64) as u8;
        (year, month, day)
    }

    /// A date strictly between `from` and `to` (year granularity bounds checked by caller).
    fn date_between(&mut self, from: (u16, u8, u8), to: (u16, u8, u8)) -> (u16, u8, u8) {
        for _ in 0..64 {
            let d = self.random_date(from.0, to.0);
            if d > from && d < to {
                return d;
            }
        }
        to
    }

    fn populate(&mut self) {
        if self.config.countries.is_empty() || self.config.persons_per_node == 0 {
            return;
        }
        while self.remaining.iter().any(|&r| r > 0) {
            let weights: Vec<u32> = self.remaining.iter().map(|&r| r.min(u32::MAX as usize) as u32).collect();
            let home = self.rng.weighted(&weights);
            let mix = names::nation_mix(self.country(home));
            let nation = Nation::ALL[self.rng.weighted(&mix)];
            let roll = self.rng.unit();
            if roll < 0.30 {
                self.family_unit(home, nation, true);
            } else if roll < 0.57 {
                self.single(home, nation, Sex::Male);
            } else if roll < 0.82 {
                self.single(home, nation, Sex::Female);
            } else if roll < 0.90 {
                self.family_unit(home, nation, false);
            } else {
                self.namesake(home);
            }
        }
    }

    /// Chooses the nodes a person is recorded on, home first, and takes their slots.
    fn place(&mut self, home: usize) -> Vec<usize> {
        let n = self.config.countries.len();
        let mut nodes = vec![home];
        let roll = self.rng.unit();
        let extra = if roll < 0.05 {
            2
        } else if roll < 0.22 {
            1
        } else {
            0
        };
        for _ in 0..extra.min(n - 1) {
            loop {
                let other = self.rng.below(n);
                if !nodes.contains(&other) {
                    nodes.push(other);
                    break;
                }
            }
        }
        nodes.retain(|&node| self.remaining[node] > 0);
        if nodes.is_empty() {
            let open: Vec<usize> = (0..n).filter(|&node| self.remaining[node] > 0).collect();
            if open.is_empty() {
                return nodes;
            }
            nodes.push(*self.rng.pick(&open));
        }
        for &node in &nodes {
            self.remaining[node] -= 1;
        }
        nodes
    }

    fn given_name(&mut self, nation: Nation, sex: Sex, arabic_share: f64) -> Given {
        if self.rng.chance(arabic_share) {
            let groups = if sex == Sex::Female { names::ARABIC_FEMALE } else { names::ARABIC_MALE };
            return Given::Arabic(groups[self.rng.skewed(groups.len())]);
        }
        let table = if sex == Sex::Female { nation.tables().female } else { nation.tables().male };
        Given::Plain(table[self.rng.skewed(table.len())])
    }

    fn male_given(&mut self, nation: Nation) -> Nm {
        self.given_name(nation, Sex::Male, 0.12).canonical()
    }

    /// A surname (male form): from the table, or made from a male given name.
    fn surname(&mut self, nation: Nation) -> Nm {
        if self.rng.chance(0.65) {
            let table = nation.tables().family;
            Nm::entry(table[self.rng.skewed(table.len())])
        } else {
            self.male_given(nation).map(forms::surname_from_given)
        }
    }

    fn family_form(&mut self, nation: Nation) -> FamilyForm {
        if nation == Nation::Tajik && self.rng.chance(0.35) {
            let everywhere = self.rng.chance(0.5);
            let ending = match self.rng.unit() {
                u if u < 0.1 => forms::TajikEnding::Zod,
                u if u < 0.2 => forms::TajikEnding::I,
                _ => forms::TajikEnding::Zoda,
            };
            FamilyForm::Zoda { everywhere, ending }
        } else {
            FamilyForm::Ov
        }
    }

    fn birth_place(&mut self, nation: Nation, minor: bool) -> &'static str {
        if self.rng.chance(if minor { 0.75 } else { 0.05 }) {
            names::ABROAD[self.rng.below(names::ABROAD.len())]
        } else {
            let cities = nation.tables().cities;
            cities[self.rng.skewed(cities.len())]
        }
    }

    fn nationality(&mut self, home: usize, nation: Nation) -> Option<String> {
        let roll = self.rng.unit();
        if roll < 0.03 {
            None
        } else if roll < 0.10 && nation.country() != self.country(home) {
            Some(nation.country().to_string())
        } else {
            Some(self.country(home).to_string())
        }
    }

    fn document_number(&mut self, country: &str, kind: &str) -> String {
        let digits = |rng: &mut Rng, n: u32| format!("{:0width$}", rng.below(10usize.pow(n)), width = n as usize);
        match (country, kind) {
            (_, "birth_certificate") => {
                let series = match country {
                    "KZ" | "KG" | "TJ" => *self.rng.pick(&["I-ЖТ", "II-АЖ", "I-ОН", "III-ВС"]),
                    _ => *self.rng.pick(&["I-TN", "II-AS", "I-AM", "I-BX"]),
                };
                format!("{series} {}", digits(&mut self.rng, 6))
            }
            ("KZ", "passport") => format!("N{}", digits(&mut self.rng, 8)),
            ("KZ", _) => digits(&mut self.rng, 9),
            ("KG", "passport") => format!("AC{}", digits(&mut self.rng, 7)),
            ("KG", _) => format!("ID{}", digits(&mut self.rng, 7)),
            ("TJ", _) => format!("4{}", digits(&mut self.rng, 8)),
            ("TM", _) => format!("A{}", digits(&mut self.rng, 7)),
            ("UZ", "passport") => {
                format!("{}{}", self.rng.pick(&["AA", "AB", "AC", "FA"]), digits(&mut self.rng, 7))
            }
            ("UZ", _) => format!("AD{}", digits(&mut self.rng, 7)),
            _ => digits(&mut self.rng, 9),
        }
    }

    fn documents(&mut self, nationality: &Option<String>, minor: bool) -> Vec<(&'static str, String)> {
        let Some(country) = nationality.clone() else {
            return Vec::new();
        };
        let mut docs = Vec::new();
        if minor {
            let roll = self.rng.unit();
            if roll < 0.55 {
                docs.push(("birth_certificate", self.document_number(&country, "birth_certificate")));
            } else if roll < 0.70 {
                docs.push(("passport", self.document_number(&country, "passport")));
            }
            return docs;
        }
        if self.rng.chance(0.9) {
            docs.push(("passport", self.document_number(&country, "passport")));
            if self.rng.chance(0.3) {
                docs.push(("passport", self.document_number(&country, "passport")));
            }
        }
        if matches!(country.as_str(), "KZ" | "KG" | "UZ") && self.rng.chance(0.25) {
            docs.push(("national_id", self.document_number(&country, "national_id")));
        }
        docs
    }

    #[allow(clippy::too_many_arguments)]
    fn person(
        &mut self,
        home: usize,
        nation: Nation,
        sex: Sex,
        given: Given,
        family: Nm,
        form: FamilyForm,
        dob: (u16, u8, u8),
        minor: bool,
    ) -> Truth {
        let nationality = self.nationality(home, nation);
        let second_nationality = self.rng.chance(0.02).then(|| "RU".to_string());
        let documents = self.documents(&nationality, minor);
        let father_given = self.male_given(nation);
        let birth_place = self.birth_place(nation, minor);
        Truth {
            nation,
            sex,
            given,
            family,
            form,
            maiden: None,
            father_given,
            dob,
            birth_place,
            nationality,
            second_nationality,
            documents,
            minor,
            mother: None,
            names_father: false,
            nodes: Vec::new(),
        }
    }

    fn adult_dob(&mut self) -> (u16, u8, u8) {
        let today = self.config.today;
        // Mostly born 1975–2003: the age of those who travelled in 2013–2016.
        let (lo, hi) = if self.rng.chance(0.85) { (today.0 - 51, today.0 - 23) } else { (today.0 - 70, today.0 - 19) };
        self.random_date(lo, hi)
    }

    fn single(&mut self, home: usize, nation: Nation, sex: Sex) {
        let given = self.given_name(nation, sex, 0.12);
        let form = if nation == Nation::Kyrgyz && sex == Sex::Male && self.rng.chance(0.06) {
            FamilyForm::Uulu
        } else {
            self.family_form(nation)
        };
        let family = if form == FamilyForm::Uulu { self.male_given(nation) } else { self.surname(nation) };
        let dob = self.adult_dob();
        let mut truth = self.person(home, nation, sex, given, family, form, dob, false);
        if form == FamilyForm::Uulu {
            truth.father_given = truth.family.clone();
        }
        if sex == Sex::Female && self.rng.chance(0.5) {
            truth.maiden = Some(self.surname(nation));
        }
        truth.nodes = self.place(home);
        self.persons.push(truth);
    }

    /// A mother and 1–4 minor children; the mother is recorded only if `mother_recorded`.
    fn family_unit(&mut self, home: usize, nation: Nation, mother_recorded: bool) {
        let today = self.config.today;
        let father_family = self.surname(nation);
        let father_given = self.male_given(nation);
        let form = self.family_form(nation);
        let count = [1, 1, 1, 2, 2, 2, 3, 3, 4][self.rng.below(9)];
        // Children are born within the last 17 years, so they stay minors for a year after today.
        let earliest = shift_years(today, -17);
        let eldest = self.date_between(earliest, shift_years(today, -1));
        let mut dobs = vec![eldest];
        for _ in 1..count {
            let last = *dobs.last().unwrap_or(&eldest);
            let next = self.date_between(shift_years(last, 1), shift_years(last, 3));
            if next >= today {
                break;
            }
            dobs.push(next);
        }
        if self.rng.chance(0.08) {
            let twin = *self.rng.pick(&dobs);
            dobs.push(twin);
        }
        let age_at_first = self.rng.range(18, 36) as i32;
        let mother_dob = self.date_between(shift_years(eldest, -age_at_first - 1), shift_years(eldest, -age_at_first));

        let mother_given = self.given_name(nation, Sex::Female, 0.15);
        let took_husbands = self.rng.chance(0.6);
        let own = self.surname(nation);
        let (mother_family, maiden) = if took_husbands { (father_family.clone(), Some(own)) } else { (own, None) };
        let mother_form = if took_husbands { form } else { self.family_form(nation) };
        let mut mother =
            self.person(home, nation, Sex::Female, mother_given, mother_family, mother_form, mother_dob, false);
        mother.maiden = maiden;
        if mother_recorded {
            mother.nodes = self.place(home);
        }
        let mother_home = mother.nodes.first().copied().unwrap_or(home);
        let mother_index = self.persons.len();
        self.persons.push(mother);

        let n = self.config.countries.len();
        let mut siblings: Vec<&'static str> = Vec::new();
        // Papers issued to a child, by birth date: a twin's are issued with the next numbers.
        let mut issued: Vec<((u16, u8, u8), Papers)> = Vec::new();
        for dob in dobs {
            let sex = if self.rng.chance(0.5) { Sex::Male } else { Sex::Female };
            let mut given = self.given_name(nation, sex, 0.45);
            for _ in 0..8 {
                let name = given.canonical().ru;
                if !siblings.iter().any(|s| names::split(s).0 == name) {
                    break;
                }
                given = self.given_name(nation, sex, 0.45);
            }
            siblings.push(match given {
                Given::Plain(e) => e,
                Given::Arabic(g) => g[0],
            });
            let mut child = self.person(home, nation, sex, given, father_family.clone(), form, dob, true);
            child.father_given = father_given.clone();
            child.mother = Some(mother_index);
            child.names_father = self.rng.chance(0.45);
            let child_home = if mother_recorded && n > 1 && self.rng.chance(0.3) {
                let mut other = self.rng.below(n - 1);
                if other >= mother_home {
                    other += 1;
                }
                other
            } else {
                mother_home
            };
            child.nationality =
                if child.nationality.is_some() { Some(self.country(child_home).to_string()) } else { None };
            child.documents = self.documents(&child.nationality, true);
            if let Some((_, twins)) = issued.iter().find(|(d, _)| *d == dob) {
                for (kind, number) in child.documents.iter_mut() {
                    if let Some((_, theirs)) = twins.iter().find(|(k, _)| k == kind) {
                        *number = next_number(theirs);
                    }
                }
            }
            issued.push((dob, child.documents.clone()));
            child.nodes = self.place(child_home);
            self.persons.push(child);
        }
    }

    /// Same given and family name as someone already generated, another person.
    fn namesake(&mut self, home: usize) {
        let mut found = None;
        for _ in 0..64 {
            if self.persons.is_empty() {
                break;
            }
            let i = self.rng.below(self.persons.len());
            if !self.persons[i].minor && !self.persons[i].nodes.is_empty() {
                found = Some(i);
                break;
            }
        }
        let Some(original) = found else {
            let mix = names::nation_mix(self.country(home));
            let nation = Nation::ALL[self.rng.weighted(&mix)];
            self.single(home, nation, Sex::Male);
            return;
        };
        let original = self.persons[original].clone();
        let dob = if self.rng.chance(0.5) {
            loop {
                let d = self.random_date(original.dob.0, original.dob.0);
                if d != original.dob {
                    break d;
                }
            }
        } else {
            let shift = self.rng.range(1, 8) as i32 * if self.rng.chance(0.5) { 1 } else { -1 };
            shift_years(original.dob, shift)
        };
        let mut truth = self.person(
            home,
            original.nation,
            original.sex,
            original.given,
            original.family.clone(),
            original.form,
            dob,
            false,
        );
        if self.rng.chance(0.3) {
            truth.father_given = original.father_given.clone();
        }
        truth.nodes = self.place(home);
        self.persons.push(truth);
    }

    fn style(&mut self, node: usize, person: &Truth) -> Style {
        let country = self.country(node).to_string();
        let own_nation =
            Nation::of_country(&country) == Some(person.nation) || (country == "UZ" && person.nation == Nation::Tajik);
        let passport_scheme = |rng: &mut Rng| match rng.weighted(&[45, 40, 15]) {
            0 => Latin::Icao2013,
            1 => Latin::Legacy,
            _ => Latin::Informal,
        };
        // Weights: Russian Cyrillic, national Cyrillic, national Latin, passport Latin.
        let weights: [u32; 4] = match country.as_str() {
            "KZ" => [55, 20, 6, 19],
            "KG" => [62, 18, 0, 20],
            "TJ" => [38, 42, 0, 20],
            "TM" => [14, 0, 68, 18],
            "UZ" => [14, 8, 58, 20],
            _ => [60, 0, 0, 40],
        };
        let script = match self.rng.weighted(&weights) {
            0 => Script::Russian,
            1 => Script::National,
            2 => Script::Latin(match country.as_str() {
                "KZ" if self.rng.chance(0.35) => Latin::Kazakh2018,
                "KZ" => Latin::Kazakh2021,
                "TM" => Latin::Turkmen,
                _ => Latin::Uzbek(Apostrophe::ALL[self.rng.weighted(&[25, 45, 15, 8, 7])]),
            }),
            _ => Script::Latin(passport_scheme(&mut self.rng)),
        };
        let passport = matches!(script, Script::Latin(Latin::Icao2013 | Latin::Legacy | Latin::Informal));
        let national_source = if passport {
            person.nationality.as_deref() == Some(person.nation.country())
                && person.nation != Nation::Turkmen
                && self.rng.chance(0.5)
        } else {
            own_nation
        };
        let upper = self.rng.chance(if passport { 0.5 } else { 0.04 });
        Style { script, national_source, upper }
    }

    /// The surname as a node writes it for this person (Cyrillic, Russian and national).
    fn family_as_recorded(&self, person: &Truth, node: usize, maiden: bool) -> Nm {
        let female = person.sex == Sex::Female;
        if let (true, Some(m)) = (maiden, &person.maiden) {
            return if female { m.map(forms::female_family) } else { m.clone() };
        }
        match person.form {
            FamilyForm::Uulu => person.family.map(|f| format!("{f} {}", if female { "кызы" } else { "уулу" })),
            FamilyForm::Uly => Nm {
                ru: Cow::Owned(forms::patronymic(&person.family.ru, person.sex, PatronymicStyle::Kazakh, false)),
                nat: Cow::Owned(forms::patronymic(&person.family.nat, person.sex, PatronymicStyle::Kazakh, true)),
            },
            FamilyForm::Zoda { everywhere, ending } if everywhere || self.country(node) == "TJ" => {
                person.family.map(|f| forms::tajik(f, ending))
            }
            _ if female => person.family.map(forms::female_family),
            _ => person.family.clone(),
        }
    }

    fn patronymic_style(&mut self, nation: Nation) -> PatronymicStyle {
        let (style, share) = match nation {
            Nation::Kazakh => (PatronymicStyle::Kazakh, 0.30),
            Nation::Kyrgyz => (PatronymicStyle::Kyrgyz, 0.35),
            Nation::Uzbek => (PatronymicStyle::Uzbek, 0.55),
            Nation::Turkmen => (PatronymicStyle::Turkmen, 0.15),
            Nation::Tajik => (PatronymicStyle::Russian, 0.0),
        };
        if self.rng.chance(share) { style } else { PatronymicStyle::Russian }
    }

    fn patronymic(&mut self, person: &Truth, style: &Style) -> String {
        let p_style = self.patronymic_style(person.nation);
        let national = style.uses_national();
        let father = if national { &person.father_given.nat } else { &person.father_given.ru };
        style.render_text(&forms::patronymic(father, person.sex, p_style, national))
    }

    fn noisy_date(&mut self, date: (u16, u8, u8)) -> Option<PartialDate> {
        let (y, m, d) = date;
        let full = |y: u16, m: u8, d: u8| Some(PartialDate { year: y, month: Some(m), day: Some(d) });
        let roll = self.rng.unit();
        if roll < 0.80 {
            full(y, m, d)
        } else if roll < 0.84 {
            if d <= 12 && d != m { full(y, d, m) } else { full(y, m, d) }
        } else if roll < 0.89 {
            Some(PartialDate { year: y, month: None, day: None })
        } else if roll < 0.91 {
            Some(PartialDate { year: y, month: Some(m), day: None })
        } else if roll < 0.94 {
            full(y, 1, 1)
        } else if roll < 0.96 {
            None
        } else if roll < 0.98 {
            let day = if d > 1 && (d == days_in(y, m) || self.rng.chance(0.5)) { d - 1 } else { d + 1 };
            full(y, m, day)
        } else {
            let year = if self.rng.chance(0.5) { y + 1 } else { y - 1 };
            full(year, m, d.min(days_in(year, m)))
        }
    }

    fn typo(&mut self, text: &str) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        let letters: Vec<usize> = (0..chars.len()).filter(|&i| chars[i].is_alphabetic()).collect();
        if letters.len() < 4 {
            return text.to_string();
        }
        // Never the first letter: typos are rarely there.
        let i = letters[1 + self.rng.below(letters.len() - 1)];
        match self.rng.weighted(&[40, 25, 15, 20]) {
            0 => {
                let cyrillic = is_cyrillic(chars[i]);
                let pool: Vec<char> = if cyrillic {
                    "аеиоуыкнлрстмвдбгзпхчшж".chars().collect()
                } else {
                    "aeioukmnlrstdvbgzpyh".chars().collect()
                };
                let mut c = *self.rng.pick(&pool);
                if chars[i].is_uppercase() {
                    c = c.to_uppercase().next().unwrap_or(c);
                }
                if c == chars[i].to_lowercase().next().unwrap_or(c) && !chars[i].is_uppercase() {
                    c = if cyrillic { 'ы' } else { 'q' };
                }
                chars[i] = c;
            }
            1 => {
                chars.remove(i);
            }
            2 => {
                chars.insert(i, chars[i]);
            }
            _ => {
                if i + 1 < chars.len() && chars[i + 1].is_alphabetic() && chars[i + 1] != chars[i] {
                    chars.swap(i, i + 1);
                } else {
                    chars.swap(i - 1, i);
                }
            }
        }
        chars.into_iter().collect()
    }

    fn city(&mut self, node: usize, style: &Style) -> String {
        let country = self.country(node).to_string();
        let Some(nation) = Nation::of_country(&country) else {
            return String::new();
        };
        let cities = nation.tables().cities;
        let entry = cities[self.rng.skewed(cities.len())];
        let local = Style { national_source: !matches!(style.script, Script::Russian), ..*style };
        local.render(&Nm::entry(entry))
    }

    /// A number as clerks write it: ≈94 % as issued, else in lower case, with a space, with a
    /// dash, or after a number sign (`№ ` in a record in Cyrillic, `No. ` in one in Latin).
    fn format_document(&mut self, number: &str, cyrillic: bool) -> String {
        if !self.rng.chance(0.06) {
            return number.to_string();
        }
        match self.rng.below(4) {
            0 => number.to_lowercase(),
            3 if cyrillic => format!("№ {number}"),
            3 => format!("No. {number}"),
            1 => {
                let split = number.len().min(2);
                let (head, tail) = number.split_at(number.char_indices().nth(split).map_or(number.len(), |(i, _)| i));
                format!("{head} {tail}")
            }
            _ => {
                let cut = number.char_indices().nth(number.chars().count() / 2).map_or(number.len(), |(i, _)| i);
                format!("{}-{}", &number[..cut], &number[cut..])
            }
        }
    }

    /// One record of person `index` on `node`.
    fn record(&mut self, persons: &[Truth], index: usize, node: usize, record_id: String) -> (Person, bool) {
        let person = &persons[index];
        let country = self.country(node).to_string();
        let style = self.style(node, person);
        let today = self.config.today;

        let mut given = style.render(&person.given.as_recorded(&mut self.rng));
        let mut family = style.render(&self.family_as_recorded(person, node, false));
        let patronymic_share = match country.as_str() {
            "KZ" | "UZ" => 0.8,
            "KG" | "TM" => 0.7,
            "TJ" => 0.65,
            _ => 0.6,
        };
        let mut patronymic = if person.form != FamilyForm::Uulu && self.rng.chance(patronymic_share) {
            self.patronymic(person, &style)
        } else {
            String::new()
        };
        if self.rng.chance(0.04) {
            match self.rng.weighted(&[45, 45, 10]) {
                0 => given = self.typo(&given),
                1 => family = self.typo(&family),
                _ => patronymic = self.typo(&patronymic),
            }
        }
        if self.rng.chance(0.03) {
            std::mem::swap(&mut given, &mut family);
        }

        let mut aliases = Vec::new();
        if self.rng.chance(0.08) {
            match self.rng.weighted(&[45, 30, 25]) {
                0 => {
                    let other = Style {
                        script: Script::Latin(if self.rng.chance(0.5) { Latin::Legacy } else { Latin::Icao2013 }),
                        national_source: false,
                        upper: false,
                    };
                    let other = if matches!(style.script, Script::Latin(_)) {
                        Style { script: Script::Russian, ..other }
                    } else {
                        other
                    };
                    let g = other.render(&person.given.canonical());
                    let f = other.render(&self.family_as_recorded(person, node, false));
                    aliases.push(format!("{g} {f}"));
                }
                1 if person.maiden.is_some() => {
                    let g = style.render(&person.given.canonical());
                    let f = style.render(&self.family_as_recorded(person, node, true));
                    aliases.push(format!("{g} {f}"));
                }
                _ => {
                    let kunya = if person.sex == Sex::Female { names::KUNYA_FEMALE } else { names::KUNYA_MALE };
                    let group = *self.rng.pick(names::ARABIC_MALE);
                    let son = Nm::entry(group[0]);
                    aliases.push(format!("{} {}", style.render(&Nm::entry(kunya)), style.render(&son)));
                }
            }
        }

        let mut date_of_birth = self.noisy_date(person.dob);
        if person.minor {
            let next_year = (today.0 + 1, today.1, today.2);
            let minor_on = |d: Option<PartialDate>, day| d.and_then(|d| d.age_on(day)).is_some_and(|age| age < 18);
            let still_minor = minor_on(date_of_birth, today) && minor_on(date_of_birth, next_year);
            if !still_minor {
                date_of_birth =
                    Some(PartialDate { year: person.dob.0, month: Some(person.dob.1), day: Some(person.dob.2) });
            }
        }
        let sex = if self.rng.chance(0.02) { Sex::Unknown } else { person.sex };
        let place_of_birth = if self.rng.chance(0.5) {
            let place_style = Style { national_source: style.national_source && !person.minor, ..style };
            place_style.render(&Nm::entry(person.birth_place))
        } else {
            String::new()
        };
        let locality = if self.rng.chance(0.85) { self.city(node, &style) } else { String::new() };
        let mut nationalities = Vec::new();
        if let Some(n) = &person.nationality
            && !self.rng.chance(0.04)
        {
            nationalities.push(n.clone());
            nationalities.extend(person.second_nationality.clone());
        }
        let mut documents = Vec::new();
        if !person.documents.is_empty() && !self.rng.chance(0.12) {
            let (kind, number) = person.documents[self.rng.below(person.documents.len())].clone();
            documents.push(IdentityDocument {
                kind: kind.to_string(),
                number: self.format_document(&number, family.chars().any(is_cyrillic)),
                issuing_country: person.nationality.clone().unwrap_or_default(),
            });
        }

        let mut mother = ParentNames::default();
        let mut names_mother = false;
        if let Some(m) = person.mother {
            let mum = &persons[m];
            if self.rng.chance(0.95) {
                mother.given_name = style.render(&mum.given.as_recorded(&mut self.rng));
            }
            if self.rng.chance(0.85) {
                let maiden = self.rng.chance(0.15);
                mother.family_name = style.render(&self.family_as_recorded(mum, node, maiden));
            }
            if self.rng.chance(0.45) {
                mother.patronymic = self.patronymic(mum, &style);
            }
            if self.rng.chance(0.55) {
                mother.date_of_birth = self.noisy_date(mum.dob);
            }
            if self.rng.chance(0.03) {
                if self.rng.chance(0.5) {
                    mother.given_name = self.typo(&mother.given_name);
                } else {
                    mother.family_name = self.typo(&mother.family_name);
                }
            }
            names_mother = !mother.given_name.is_empty() || !mother.family_name.is_empty();
        }
        let mut father = ParentNames::default();
        if person.names_father {
            father.given_name = style.render(&person.father_given);
            let as_father = Truth { sex: Sex::Male, ..person.clone() };
            father.family_name = style.render(&self.family_as_recorded(&as_father, node, false));
        }

        let mut record = Person {
            record_id,
            given_name: given,
            family_name: family,
            // A Kazakh surname in -ұлы / -қызы is the patronymic: the record leaves the field
            // empty. Drawn as for any other record first, so that the generator's stream, and
            // with it every other record, stays as it was without such surnames.
            patronymic: if person.form == FamilyForm::Uly { String::new() } else { patronymic },
            aliases,
            sex,
            date_of_birth,
            place_of_birth,
            nationalities,
            documents,
            mother,
            father,
            locality,
        };
        if person.minor && matches!(style.script, Script::Russian | Script::National) {
            self.copied_from_camp_register(persons, index, node, &mut record);
        }
        (record, names_mother)
    }

    /// A child born in the conflict zone whose record a node copied from a camp register kept
    /// in Arabic script (≈10 % of such records written in Cyrillic; drawn from the record id,
    /// not from the generator's stream): the names of the child and its parents in Arabic
    /// letters ([`names::ARABIC_SCRIPT`] for Arabic-origin given names, else
    /// [`translit::to_arabic`], short vowels left out on ≈30 % of such records), a patronymic
    /// as the father's bare name, Arabic style, where the record had one, and the place of
    /// birth in Arabic. The record's other noise in the names is not kept.
    fn copied_from_camp_register(&self, persons: &[Truth], index: usize, node: usize, record: &mut Person) {
        let person = &persons[index];
        let Some((_, place)) = names::ABROAD_ARABIC.iter().find(|(ru, _)| *ru == person.birth_place) else {
            return;
        };
        if roll(&record.record_id, 48) >= 10 {
            return;
        }
        let unvoweled = roll(&record.record_id, 52) < 30;
        // An Arabic-origin name in its standard spelling, any other by ear.
        let arabic_name = |ru: &str| {
            names::ARABIC_SCRIPT
                .iter()
                .find(|(entry, _)| names::split(entry).0 == ru)
                .map_or_else(|| translit::to_arabic(ru, unvoweled), |(_, arabic)| arabic.to_string())
        };
        let given = |given: &Given| match given {
            Given::Arabic(group) => arabic_name(&Nm::entry(group[0]).ru),
            Given::Plain(entry) => translit::to_arabic(&Nm::entry(entry).ru, unvoweled),
        };
        let family = |p: &Truth| translit::to_arabic(&self.family_as_recorded(p, node, false).ru, unvoweled);
        record.given_name = given(&person.given);
        record.family_name = family(person);
        let father = |p: &Truth| arabic_name(&p.father_given.ru);
        if !record.patronymic.is_empty() {
            record.patronymic = father(person);
        }
        if !record.place_of_birth.is_empty() {
            record.place_of_birth = place.to_string();
        }
        if let Some(m) = person.mother {
            let mum = &persons[m];
            if !record.mother.given_name.is_empty() {
                record.mother.given_name = given(&mum.given);
            }
            if !record.mother.family_name.is_empty() {
                record.mother.family_name = family(mum);
            }
            if !record.mother.patronymic.is_empty() {
                record.mother.patronymic = father(mum);
            }
        }
        if !record.father.given_name.is_empty() {
            record.father.given_name = father(person);
            let as_father = Truth { sex: Sex::Male, ..person.clone() };
            record.father.family_name = family(&as_father);
        }
    }

    fn render_all(mut self) -> SynthOutput {
        let n = self.config.countries.len();
        let width = (self.config.persons_per_node.max(1) * 20).to_string().len().max(6);
        let space = 10usize.pow(width as u32);
        let mut used: Vec<HashSet<usize>> =
            (0..n).map(|_| HashSet::with_capacity(self.config.persons_per_node)).collect();
        let mut per_node: Vec<Vec<SynthRecord>> =
            (0..n).map(|_| Vec::with_capacity(self.config.persons_per_node)).collect();
        // (node, record id, names its mother) per person.
        let mut persons = std::mem::take(&mut self.persons);
        for (index, truth) in persons.iter_mut().enumerate() {
            if birthday_unknown(index, truth) {
                truth.dob = (truth.dob.0, 1, 1);
            }
            if let FamilyForm::Zoda { ending: ending @ forms::TajikEnding::Zoda, .. } = &mut truth.form {
                *ending = rarer_tajik_ending(index).unwrap_or(*ending);
            }
            if kazakh_patronymic_surname(index, truth) {
                truth.form = FamilyForm::Uly;
                truth.family = truth.father_given.clone();
            }
        }
        let mut placed: Vec<Vec<(usize, String, bool)>> = vec![Vec::new(); persons.len()];
        let mut next_person = 0usize;
        for (index, truth) in persons.iter().enumerate() {
            if truth.nodes.is_empty() {
                continue;
            }
            next_person += 1;
            let person_id = format!("P{next_person:06}");
            for &node in &truth.nodes {
                let number = loop {
                    let candidate = self.rng.below(space);
                    if used[node].insert(candidate) {
                        break candidate;
                    }
                };
                let record_id = format!("{}-{number:0width$}", self.country(node));
                let (mut person, names_mother) = self.record(&persons, index, node, record_id.clone());
                if truth.nation == Nation::Tajik && self.country(node) == "TJ" {
                    law_patronymic(&mut person);
                }
                placed[index].push((node, record_id, names_mother));
                per_node[node].push(SynthRecord {
                    node: self.country(node).to_string(),
                    person,
                    person_id: person_id.clone(),
                });
            }
        }
        let mut family = Vec::new();
        for (index, truth) in persons.iter().enumerate() {
            let Some(m) = truth.mother else { continue };
            for (child_node, child_record, names_mother) in &placed[index] {
                if !names_mother {
                    continue;
                }
                for (mother_node, mother_record, _) in &placed[m] {
                    if mother_node != child_node {
                        family.push(FamilyTruth {
                            child_node: self.config.countries[*child_node].clone(),
                            child_record_id: child_record.clone(),
                            mother_node: self.config.countries[*mother_node].clone(),
                            mother_record_id: mother_record.clone(),
                        });
                    }
                }
            }
        }
        let mut records = Vec::with_capacity(per_node.iter().map(Vec::len).sum());
        for mut node_records in per_node {
            self.rng.shuffle(&mut node_records);
            records.extend(node_records);
        }
        for record in &mut records {
            list_conventions(record);
        }
        SynthOutput { records, family }
    }
}

/// An ASCII digit as its Arabic-Indic form (`7` → `٧`); other characters as they are.
fn arabic_indic(c: char) -> char {
    c.to_digit(10).and_then(|d| char::from_u32(0x0660 + d)).unwrap_or(c)
}

/// Whether an adult's day and month of birth are unknown (≈3 %, drawn from the person's index,
/// not from the generator's stream): every paper then says 1 January of the year, as
/// registers of the region write it, and so does a child's record of her as its mother; the
/// record noise (year only, a missing date …) still applies. Children keep their dates: a
/// placeholder could make a minor of today an adult.
fn birthday_unknown(index: usize, truth: &Truth) -> bool {
    !truth.minor && roll(&format!("birthday unknown {index}"), 20) < 3
}

/// Whether a Kazakh adult bears the father's name with *-ұлы* / *-қызы* as the surname
/// (*Серікқызы*, *Нұрланұлы*), as Kazakhstan's registry lets them choose (≈8 % of Kazakh adults
/// with a surname of their own: not a wife who took her husband's; drawn from the person's
/// index, not from the generator's stream). Every paper then writes it so, and records leave
/// the patronymic out.
fn kazakh_patronymic_surname(index: usize, truth: &Truth) -> bool {
    truth.nation == Nation::Kazakh
        && !truth.minor
        && truth.form == FamilyForm::Ov
        && truth.maiden.is_none()
        && roll(&format!("kazakh surname {index}"), 25) < 8
}

/// The naming law's rarer endings in place of *-zoda* for ≈10 % of the families that took it
/// (drawn from the person's index, not from the generator's stream): *-фар*, *-пур*, *-иён*.
fn rarer_tajik_ending(index: usize) -> Option<forms::TajikEnding> {
    let key = format!("tajik ending {index}");
    (roll(&key, 24) < 10).then(|| match roll(&key, 36) % 3 {
        0 => forms::TajikEnding::Far,
        1 => forms::TajikEnding::Pur,
        _ => forms::TajikEnding::Iyon,
    })
}

/// A Tajik child's patronymic as the naming law writes it on the papers Tajikistan issues its
/// ethnic Tajiks since 2016: on ≈50 % of the TJ records of such children born since then whose
/// patronymic is written in Cyrillic with a Russian ending, the father's name with *-зода*
/// (≈70 %) or *-фар* (*Шарифович* → *Шарифзода*, *Шариффар*).
fn law_patronymic(p: &mut Person) {
    let born_since_the_law = p.date_of_birth.is_some_and(|d| d.year >= 2016);
    if !born_since_the_law || roll(&p.record_id, 28) >= 50 {
        return;
    }
    let Some(father) = ["ович", "евич", "овна", "евна", "ОВИЧ", "ЕВИЧ", "ОВНА", "ЕВНА"]
        .iter()
        .find_map(|ending| p.patronymic.strip_suffix(ending))
    else {
        return;
    };
    let upper = !p.patronymic.chars().any(char::is_lowercase);
    let ending = if roll(&p.record_id, 44) < 70 { "зода" } else { "фар" };
    let ending = if upper { ending.to_uppercase() } else { ending.to_string() };
    p.patronymic = format!("{father}{ending}");
}

/// A roll in 0..100 for one record and one phenomenon, from its id: list conventions draw
/// nothing from the generator's stream, so adding one leaves every other draw as it was.
fn roll(record_id: &str, salt: u32) -> u64 {
    (rng::fnv1a(record_id) >> salt) % 100
}

/// How some lists write names, applied to a record as its node would hold it:
/// - KZ and KG (lists with one name column in Russian style): ≈4 % hold the whole name, family
///   name first, in the family field (*Каримова Азиза Рустамовна*), given name and patronymic
///   empty;
/// - UZ and TJ: ≈5 % add the endearing ending to the given name, -jon for men (after a
///   consonant) and -xon for women, in the name's script (*Akbarjon*, *Зиёдахон*, *АКБАРҶОН*).
fn list_conventions(record: &mut SynthRecord) {
    let p = &mut record.person;
    let id = p.record_id.clone();
    match record.node.as_str() {
        "KZ" | "KG" if roll(&id, 16) < 4 && !p.given_name.is_empty() && !p.family_name.is_empty() => {
            let parts = [p.family_name.as_str(), p.given_name.as_str(), p.patronymic.as_str()];
            p.family_name = parts.iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
            p.given_name.clear();
            p.patronymic.clear();
        }
        "UZ" | "TJ" if roll(&id, 24) < 5 && !p.given_name.is_empty() && !p.given_name.contains(' ') => {
            let name = &p.given_name;
            let last = name.chars().last().unwrap_or('a').to_lowercase().next().unwrap_or('a');
            let after_consonant = !"aeiouyаеёиоуыэюяўӯӣ".contains(last);
            let cyrillic = name.chars().any(is_cyrillic);
            let upper = name.chars().all(|c| !c.is_lowercase());
            let ending = match (p.sex, cyrillic, record.node.as_str()) {
                (Sex::Male, _, _) if !after_consonant => return,
                (Sex::Male, true, "TJ") => "ҷон",
                (Sex::Male, true, _) => "жон",
                (Sex::Male, false, _) => "jon",
                (Sex::Female, true, _) => "хон",
                (Sex::Female, false, _) => "xon",
                (Sex::Unknown, _, _) => return,
            };
            let ending = if upper { ending.to_uppercase() } else { ending.to_string() };
            p.given_name.push_str(&ending);
        }
        _ => {}
    }
}

/// Whether a letter is Cyrillic (the Russian and national alphabets of the region).
fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

#[cfg(test)]
mod tests;
