//! Region-specific folding tables, as data. Each row says what it folds and shows an example.
//! Add a row to add a letter, a spelling or a name; `normalise` applies the tables in this order:
//!
//! 1. [`LETTERS`]: one character (any script) to lower-case ASCII, Cyrillic and Latin alike.
//! 2. [`APOSTROPHES`] are unified to `'`, then [`APOSTROPHE_DIGRAPHS`] (Uzbek `oʻ gʻ`, Kazakh 2017
//!    `c' s'`) are read; any other apostrophe is dropped.
//! 3. [`DIGRAPHS`]: transliteration spellings of one sound to one letter (`kh`/`x` → `h`).
//! 4. Doubled letters collapse (`Hassan` → `hasan`); see `normalise::fold_token` for the few
//!    positional rules (initial `ye`, final `h`, final `j` after a vowel).
//! 5. [`NAME_VARIANTS`]: whole names that the letter rules cannot merge (`Magomed` = `Muhammad`).
//! 6. Family names lose [`FAMILY_SUFFIXES`] (gender and `-zoda`), patronymics lose
//!    [`PATRONYMIC_SUFFIXES`] and [`PATRONYMIC_WORDS`], leaving the root both forms share.

/// One character to its Latin skeleton letters. Letters that are plain ASCII are kept as they are;
/// Latin letters with diacritics not listed here lose their diacritics (NFD).
///
/// Choices that make scripts meet: `х`→`h` (as `kh`/`x` fold to `h`), `ж`→`j` (as `zh`, `dzh`),
/// `ц`→`c` (as `ts`), `й`/`ы`→`i` (as `y`), `ё`→`io` (as `yo`), `ю`→`iu`, `я`→`ia` (as `yu`, `ya`
/// once `y`→`i`), `ў`/Uzbek `oʻ`→`u` (Russian spelling writes `у`: *Ўткир / Oʻtkir / Уткир*).
pub const LETTERS: &[(char, &str)] = &[
    // Russian. Юсупов → iusupov; Хуршида → hurshida; Щукин → shukin.
    ('а', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('д', "d"),
    ('е', "e"),
    ('ё', "io"),
    ('ж', "j"),
    ('з', "z"),
    ('и', "i"),
    ('й', "i"),
    ('к', "k"),
    ('л', "l"),
    ('м', "m"),
    ('н', "n"),
    ('о', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('у', "u"),
    ('ф', "f"),
    ('х', "h"),
    ('ц', "c"),
    ('ч', "ch"),
    ('ш', "sh"),
    ('щ', "sh"),
    ('ъ', ""),
    ('ы', "i"),
    ('ь', ""),
    ('э', "e"),
    ('ю', "iu"),
    ('я', "ia"),
    // Kazakh Cyrillic. Әлия → alia; Ғалым → galim; Қайрат → kairat; Ұлан → ulan; Іңкәр → inkar.
    ('ә', "a"),
    ('ғ', "g"),
    ('қ', "k"),
    ('ң', "n"),
    ('ө', "o"),
    ('ұ', "u"),
    ('ү', "u"),
    ('һ', "h"),
    ('і', "i"),
    // Tajik Cyrillic. Ҷамшед → jamshed; Раҳмон → rahmon; Қурбонӣ → kurboni; Сӯҳроб → suhrob.
    ('ҷ', "j"),
    ('ҳ', "h"),
    ('ӣ', "i"),
    ('ӯ', "u"),
    // Uzbek Cyrillic. Ўткир → utkir.
    ('ў', "u"),
    // Turkmen Cyrillic (1940–1993) and Tatar җ = Latin j: Җемал = Jemal = Джемал.
    ('җ', "j"),
    // Ukrainian/Belarusian letters seen in Soviet-era records. Євген → ievgen; Ґ → g.
    ('є', "ie"),
    ('ї', "i"),
    ('ґ', "g"),
    // Turkmen Latin (1993). Çary → chari; Aýna → aina; Meňli → menli; Şatlyk → shatlik;
    // Žanna → janna; Gözel → gozel; Gülnara → gulnara; Ähmet → ahmet.
    ('ç', "ch"),
    ('ä', "a"),
    ('ž', "j"),
    ('ň', "n"),
    ('ö', "o"),
    ('ş', "sh"),
    ('ü', "u"),
    ('ý', "i"),
    // Kazakh Latin 2018 (acute) and 2021 (breve/diaeresis). Ǵalym → galim; Ańsar → ansar;
    // Ǵ/Ğ = ғ, Ń/Ñ = ң, Ū = ұ, I/ı = ы, Ú = ү. Kazakh 2018 `ý` is у, not Turkmen й: it reads as
    // u in a word that also has a letter Turkmen does not write (`normalise::fold`): Dáýren =
    // Дәурен, Qýanysh = Қуаныш, Sáýle = Сәуле.
    ('ǵ', "g"),
    ('ğ', "g"),
    ('ń', "n"),
    ('ñ', "n"),
    ('ū', "u"),
    ('ú', "u"),
    ('ı', "i"),
    ('á', "a"),
    ('ó', "o"),
    // Scholarly and ISO 9 transliteration of Cyrillic: Čolpon = Cholpon, Šuhrat = Shuhrat,
    // Ŝukin = Shukin (ž is above).
    ('č', "ch"),
    ('š', "sh"),
    ('ŝ', "sh"),
    // Azerbaijani/Turkish letters in transit records. Əliyev → aliev.
    ('ə', "a"),
    // German ß in European records.
    ('ß', "ss"),
];

/// Arabic-script letters read letter by letter (`arabic::to_latin`), for words that are not
/// whole names of [`ARABIC_NAMES`]. Alif, `و`, `ي`, the vowel marks, `ة`, `ى` and a final `ه`
/// are read by position there; `ع` and `ء` write no letter Latin spellings keep (*Ismoil* for
/// *إسماعيل*) and are left out. The readings are the ones Central Asian and Latin spellings of
/// the same names use: `ث` and `ص` as *s*, `ذ` `ض` `ظ` as *z* (*Ramazon* for *رمضان*), `ق` as *q*,
/// `غ` as *gh*. كازاخستان → kazakhstan; نورلان → nurlan.
pub const ARABIC_LETTERS: &[(char, &str)] = &[
    ('ب', "b"),
    ('ت', "t"),
    ('ث', "s"),
    ('ج', "j"),
    ('ح', "h"),
    ('خ', "kh"),
    ('د', "d"),
    ('ذ', "z"),
    ('ر', "r"),
    ('ز', "z"),
    ('س', "s"),
    ('ش', "sh"),
    ('ص', "s"),
    ('ض', "z"),
    ('ط', "t"),
    ('ظ', "z"),
    ('ع', ""),
    ('ء', ""),
    ('غ', "gh"),
    ('ف', "f"),
    ('ق', "q"),
    ('ك', "k"),
    ('ل', "l"),
    ('م', "m"),
    ('ن', "n"),
    ('ه', "h"),
    // Persian letters (Tajik names in Persian script): پروین → prvin, چنگیز → chngiz.
    ('پ', "p"),
    ('چ', "ch"),
    ('ژ', "zh"),
    ('گ', "g"),
    ('ک', "k"),
    // Kurdish letters of camp administrations' papers: ڤ v, ۆ o, ێ e, ە e, ڕ r, ڵ l, ھ h.
    ('ڤ', "v"),
    ('ۆ', "o"),
    ('ێ', "e"),
    ('ە', "e"),
    ('ڕ', "r"),
    ('ڵ', "l"),
    ('ھ', "h"),
];

/// Whole names in Arabic script, as written without vowel marks, in a Latin spelling the name
/// tables know: Arabic leaves short vowels out, so *محمد* read letter by letter would be *mhmd*.
/// Looked up after hamza carriers, `ة`/`ه`, `ى`/`ي` and Persian `ک`/`ی` are read as one letter
/// (`arabic::bare`), so *عائشة* and *عايشه* are one entry. The given names that camp-born
/// children and their mothers most often bear, the divine names that follow *عبد*, and the
/// particles.
pub const ARABIC_NAMES: &[(&str, &str)] = &[
    // Men.
    ("محمد", "muhammad"),
    ("أحمد", "ahmad"),
    ("محمود", "mahmud"),
    ("مصطفى", "mustafa"),
    ("عمر", "umar"),
    ("عثمان", "usman"),
    ("علي", "ali"),
    ("حسن", "hasan"),
    ("حسين", "husayn"),
    ("إبراهيم", "ibrahim"),
    ("إسماعيل", "ismail"),
    ("يوسف", "yusuf"),
    ("يعقوب", "yaqub"),
    ("إسحاق", "ishaq"),
    ("موسى", "musa"),
    ("عيسى", "isa"),
    ("يحيى", "yahya"),
    ("سليمان", "sulayman"),
    ("داود", "dawud"),
    ("هارون", "harun"),
    ("آدم", "adam"),
    ("نوح", "nuh"),
    ("خالد", "khalid"),
    ("حمزة", "hamza"),
    ("بلال", "bilal"),
    ("أنس", "anas"),
    ("سلمان", "salman"),
    ("طارق", "tariq"),
    ("زيد", "zayd"),
    ("جعفر", "jafar"),
    ("صالح", "salih"),
    ("سعيد", "said"),
    ("رشيد", "rashid"),
    ("أمين", "amin"),
    ("أيوب", "ayub"),
    ("إلياس", "ilyas"),
    ("إدريس", "idris"),
    ("زكريا", "zakariya"),
    ("يونس", "yunus"),
    ("منصور", "mansur"),
    ("ناصر", "nasir"),
    ("فاروق", "faruq"),
    ("عادل", "adil"),
    ("أسامة", "usama"),
    ("معاذ", "muadh"),
    ("عمار", "ammar"),
    ("ياسر", "yasir"),
    ("سيف", "sayf"),
    ("إسلام", "islam"),
    ("رستم", "rustam"),
    ("جمشيد", "jamshid"),
    ("فرهاد", "farhad"),
    ("نور", "nur"),
    ("معروف", "maruf"),
    ("رؤوف", "rauf"),
    // Women.
    ("فاطمة", "fatima"),
    ("عائشة", "aisha"),
    ("خديجة", "khadija"),
    ("مريم", "maryam"),
    ("زينب", "zaynab"),
    ("صفية", "safiya"),
    ("حفصة", "hafsa"),
    ("أسماء", "asma"),
    ("سمية", "sumayya"),
    ("رقية", "ruqayya"),
    ("آمنة", "amina"),
    ("حليمة", "halima"),
    ("سارة", "sara"),
    ("هاجر", "hajar"),
    ("جميلة", "jamila"),
    ("زهرة", "zuhra"),
    ("ليلى", "layla"),
    ("سلمى", "salma"),
    ("رحمة", "rahma"),
    ("نادية", "nadia"),
    ("إيمان", "iman"),
    ("مدينة", "madina"),
    // The names after عبد (عبد الرحمن, عبدالعزيز) and the name of God.
    ("الله", "allah"),
    ("رحمن", "rahman"),
    ("رحيم", "rahim"),
    ("عزيز", "aziz"),
    ("كريم", "karim"),
    ("ملك", "malik"),
    ("قادر", "qadir"),
    ("حميد", "hamid"),
    ("مجيد", "majid"),
    ("حكيم", "hakim"),
    ("لطيف", "latif"),
    ("ستار", "sattar"),
    ("جبار", "jabbar"),
    ("غفار", "ghaffar"),
    ("واحد", "wahid"),
    ("صمد", "samad"),
    ("رزاق", "razzaq"),
    ("سلام", "salam"),
    // Particles: son and daughter of, father and mother of, servant of.
    ("بن", "bin"),
    ("ابن", "ibn"),
    ("بنت", "bint"),
    ("أبو", "abu"),
    ("أم", "umm"),
    ("عبد", "abd"),
];

/// Endings that Arabic letters give a Central Asian or Russian-style surname, read back
/// (`arabic::to_latin`), the stem before them read as a whole name where it is one:
/// كاريموفا → karimova, كريموف → karimov, علييف → aliev, رحيم‌زاده → rahimzoda, and the Tajik
/// law's *-pur* and *-far* (Arabic writes p as ب): نابيبور → nabipur, كريمفر → karimfar,
/// نيلوفر → nilufar. Longest first.
pub const ARABIC_ENDINGS: &[(&str, &str)] = &[
    ("زاده", "zoda"),
    ("وفا", "ova"),
    ("وفه", "ova"),
    ("يفا", "eva"),
    ("يفه", "eva"),
    ("پور", "pur"),
    ("بور", "pur"),
    ("وف", "ov"),
    ("يف", "ev"),
    ("فر", "far"),
];

/// Apostrophe look-alikes, all read as one apostrophe: ' ʻ ʼ ` ’ ‘ ´ ʹ ′ ‛ ʽ.
/// *Oʻtkir*, *O'tkir*, *O`tkir*, *O’tkir* are one name.
pub const APOSTROPHES: &[char] = &[
    '\'', '\u{02BB}', '\u{02BC}', '`', '\u{2019}', '\u{2018}', '\u{00B4}', '\u{02B9}', '\u{2032}', '\u{201B}',
    '\u{02BD}',
];

/// Letter + apostrophe pairs with a meaning; every other apostrophe is dropped (*Ma'ruf* → marif).
pub const APOSTROPHE_DIGRAPHS: &[(&str, &str)] = &[
    // Uzbek Latin oʻ = Cyrillic ў, written у in Russian: Oʻtkir / Ўткир / Уткир → utkir.
    ("o'", "u"),
    // Uzbek Latin gʻ = ғ: Gʻulom / Ғулом → gulom.
    ("g'", "g"),
    // Kazakh Latin 2017 (apostrophe version): C'ingiz = Чингиз, S'alqar = Шалқар, and y' = у
    // (Uzbek writes no y'): Da'y'ren = Дәурен, Qy'anys' = Қуаныш. (Its o' = ө reads as Uzbek
    // oʻ = ў here: the two cannot be told apart in a word.)
    ("c'", "ch"),
    ("s'", "sh"),
    ("y'", "u"),
];

/// *ad-Din* written apart (`normalise::ad_din_joined`): the article, in the spellings of Arabic,
/// European and Russian texts (*Salah ad-Din*, *Nur al-Din*, *Siraj ud-Din*, *Салах ад-Дин*) …
pub const AD_DIN_ARTICLES: &[&str] = &["ad", "al", "ud", "ed", "el", "ul", "ад", "аль", "ал", "уд", "ед", "эд"];

/// … and the word *Din* after it.
pub const AD_DIN_WORDS: &[&str] = &["din", "deen", "dine", "diin", "дин"];

/// *ad-Din* as one word after the name (*Salah Eddine*, *Nour Eddine*, *Kamal Uddin*).
pub const AD_DIN_JOINED: &[&str] =
    &["eddin", "eddine", "uddin", "uddine", "addin", "aldin", "aldeen", "uddeen", "eddeen", "уддин", "еддин", "аддин"];

/// *Allah* at the end of a compound as Persian, Dari and Arabic spellings write it (*Nurollah*,
/// *Ruhollah*, *Nasrallah*, *Fadlallah*, Russian *Насралла*), read as the *-ullah* of the
/// region's spellings (*Nurullo*, *Рухулло*, *Nasrulloh*) after a stem of three letters or more
/// (`normalise::allah_joined`): *Alla* and *Atallah* stay. `(ending, replacement)`.
pub const ALLAH_ENDINGS: &[(&str, &str)] = &[
    ("allah", "ullah"),
    ("ollah", "ullah"),
    ("alla", "ulla"),
    ("olla", "ulla"),
    ("аллах", "уллах"),
    ("оллах", "уллах"),
    ("алла", "улла"),
    ("олла", "улла"),
];

/// Transliteration spellings of one sound, folded to one spelling, longest first. Applied left
/// to right on the lower-case ASCII string after [`LETTERS`].
pub const DIGRAPHS: &[(&str, &str)] = &[
    // щ in ICAO/older Russian: Shchukin / Schukin / Shukin / Щукин → shukin.
    ("shch", "sh"),
    ("sch", "sh"),
    // ч in French spelling: Tkatchenko / Tkachenko / Ткаченко, Tchoriev / Choriev. Russian тч
    // (Матчанов) reads so too, as every spelling of it does.
    ("tch", "ch"),
    // дж: Dzhamshid / Djamshid / Jamshid / Джамшид → jamshid.
    ("dzh", "j"),
    ("dj", "j"),
    // ж: Zhanna / Janna / Žanna / Жанна → jana.
    ("zh", "j"),
    // х: Khurshida / Hurshida / Xurshida / Хуршида → hurshida.
    ("kh", "h"),
    ("x", "h"),
    // Uzbek gʻ written gh: Ghulom / Gʻulom → gulom.
    ("gh", "g"),
    // ц: Tsoy / Tsoi / Coi / Цой → coi. (German tz = ц, as in Schultz / Шульц, is read in
    // `normalise::fold_token`: before a vowel it is a Tajik surname, Davlatzoda = Давлатзода.)
    ("ts", "c"),
    // Uzbek/Kazakh қ written q: Qodir / Kodir / Қодир → kodir.
    ("q", "k"),
    // Turkmen w = в: Yusupow / Yusupov → iusupov.
    ("w", "v"),
    // й/ы written y: Yusupov / Iusupov; Aygul / Aigul; Dmitriy / Dmitrii / Dmitry.
    ("y", "i"),
    // е after a vowel written ye: Atayev / Ataev / Атаев; Guliyeva is handled by doubling.
    ("aie", "ae"),
    ("oie", "oe"),
    ("uie", "ue"),
    ("eie", "ee"),
    // Uzbek and Tajik o + u before -ddin after a name in a vowel, where Uzbek also writes ov
    // and Russian ау: Bahouddin / Bahovuddin / Бахаутдин, Алоуддин / Alovuddin / Alauddin.
    ("oudd", "ovudd"),
    ("outd", "ovutd"),
    // French-style ou: Yousef / Yusef; Abdoulaye.
    ("ou", "u"),
    ("ph", "f"),
    ("ck", "k"),
];

/// Vowel folds that make Uzbek/Tajik spelling meet Russian spelling: Uzbek Latin and Tajik `o`
/// is Russian `а` in most names: Gulnora / Гульнара, Rahmon / Рахман, Abdullo / Абдулла, Nodira /
/// Надира. Applied after [`DIGRAPHS`]; costs a few distinct pairs (Lola / Lala).
pub const VOWELS: &[(char, char)] = &[('o', 'a')];

/// Whole names that letter rules cannot merge, mostly Arabic-origin names in their Russian,
/// Uzbek, Tajik, Turkmen, Kazakh and passport spellings. The first spelling is the canonical one;
/// every spelling (any script) is folded by the letter rules before lookup, so list only variants
/// the rules do not already merge. Applied to whole given names, to each token, and to the roots
/// of family names and patronymics (*Magomedov* = *Muhammadov*).
pub const NAME_VARIANTS: &[&[&str]] = &[
    &[
        "Muhammad",
        // Turkish: Mehmet / Mehmed.
        "Mehmet",
        "Mehmed",
        "Mukhammad",
        "Magomed",
        "Mohammed",
        "Mohammad",
        "Muhammed",
        "Mohamed",
        "Mukhamed",
        "Muhamed",
        "Magomet",
        "Mahammad",
        "Mahomed",
        "Mohamad",
        "Muhammet",
        "Mukhammed",
        "Mamed",
        // Azerbaijani and Turkmen forms: Məmməd, Mämmet (Мамедов / Mammadov / Mämmedow).
        "Mammad",
        "Mämmet",
        "Мухаммад",
        "Магомед",
        "Мухаммед",
        "Мохаммед",
        "Мамед",
    ],
    &["Abdulla", "Abdullo", "Abdullah", "Abdallah", "Abdalla", "Абдулло", "Абдулла"],
    // Uzbek Latin writes the Arabic ʼayn after s with an apostrophe (tutuq belgisi), which the
    // Kazakh 2017 rule s' = ш would read as sh: Masʼud / Масъуд / Масуд, Asʼad / Асад.
    // Kazakh қ written х in Russian spelling of a few names: Бақыт / Бахыт / Бакыт, Асқат /
    // Асхат.
    &["Bakyt", "Bakhyt", "Бақыт", "Бахыт", "Baqyt"],
    &["Askat", "Askhat", "Асқат", "Асхат", "Asqat"],
    &["Masud", "Mas'ud", "Масъуд", "Masood"],
    &["Masuda", "Mas'uda", "Масъуда"],
    &["Asad", "As'ad", "Асъад"],
    // Kazakh and Kyrgyz write initial ж for й/ю in Turkic forms of Arabic names: Жусуп / Жүсіп =
    // Yusuf, Жақып / Жакып = Yakub, Жұлдыз / Жылдыз = Yulduz.
    &[
        "Yusuf",
        "Yusup",
        "Iusuf",
        "Yusif",
        "Jusuf",
        "Yousef",
        "Yusef",
        "Yussuf",
        "Iusup",
        "Jusup",
        "Zhusup",
        "Zhusip",
        "Юсуф",
        "Юсуп",
        "Жусуп",
        "Жүсіп",
    ],
    &[
        "Khadija",
        "Hadicha",
        "Xadicha",
        "Khadizha",
        "Hadija",
        "Khadijah",
        "Hatice",
        "Khatija",
        "Hatija",
        "Хадижа",
        "Хадича",
        "Хадиджа",
        "Хатиджа",
        // Kazakh: Хадиша.
        "Khadisha",
        "Хадиша",
        // English: Khadeeja.
        "Khadeeja",
        "Khadeejah",
    ],
    &["Ibrahim", "Ibragim", "Ibrohim", "Ebrahim", "Ibraim", "Ибрагим", "Иброхим", "Ыбырайым", "Ybyraiym"],
    // Kazakh Шыңғыс and Kyrgyz Чыңгыз are Russian Чингиз.
    &[
        "Chingiz",
        "Shyngys",
        "Шыңғыс",
        "Шынгыс",
        "Чингиз",
        "Chyngyz",
        "Чыңгыз",
        "Cengiz",
        "Chingis",
        "Чингис",
        "Chinghiz",
    ],
    // Tajik Фарангис, written with the final z that Russian devoices (Фарангиз).
    &["Farangis", "Farangiz", "Фарангис", "Фарангиз"],
    // Kazakh Бауыржан, Russian Бауржан (also as a stem: Baurzhanovich).
    &["Bauyrzhan", "Baurzhan", "Бауыржан", "Бауржан", "Bauyr", "Baur"],
    // Uzbek Xoʻja / Хўжа is Russian Ходжа / Хожа (о, not у).
    &["Khoja", "Xo'ja", "Хўжа", "Ходжа", "Хожа", "Khodja", "Xoja", "Hoja"],
    &["Ismail", "Ismoil", "Ismayil", "Ismayl", "Исмоил", "Исмаил", "Ismael", "Esmail", "Ismaeel"],
    // Uzbek Gʻulom, Tajik Ғулом written Гулям in Russian (я for the Uzbek o after l).
    &["Gulom", "Gulyam", "Гулям", "Ghulam"],
    // Arabic Layla: Uzbek Laylo, Russian Лейла, Ляйля.
    &["Layla", "Laylo", "Leyla", "Leila", "Лейла", "Ляйля", "Ляйло"],
    // Persian firuza (turquoise): Tajik Фирӯза, Uzbek Feruza.
    &["Firuza", "Feruza", "Фирӯза", "Феруза", "Firoza", "Firuze"],
    &["Firuz", "Feruz", "Фирӯз", "Феруз", "Firoz"],
    &["Ahmad", "Ahmed", "Akhmed", "Ahmet", "Akhmad", "Ahmat", "Ахмад", "Ахмед", "Ахмет"],
    &["Mahmud", "Makhmud", "Mahmoud", "Mahmut", "Махмуд"],
    &["Fatima", "Fotima", "Fatimah", "Fatma", "Patima", "Фатима", "Фотима", "Патимат", "Fadime"],
    &["Zaynab", "Zeynab", "Zainab", "Zeinab", "Zaynap", "Zeynep", "Зайнаб", "Зейнаб", "Зайнап", "Зейнеп"],
    &["Maryam", "Mariam", "Mariyam", "Meryem", "Мариам", "Марьям", "Марям", "Мерьем"],
    &["Aisha", "Oysha", "Aysha", "Aishat", "Ayesha", "Ayşe", "Айша", "Ойша", "Аишат", "Aicha", "Aýşe", "Айше", "Ayse"],
    &["Umar", "Omar", "Umer", "Умар", "Омар", "Ömer", "Omer"],
    // Turkish Emir is Amir, which keeps its letters in the keys' skeleton (`TWIN_NAMES`).
    &["Amir", "Emir", "Амир", "Эмир"],
    &["Usman", "Osman", "Usmon", "Uthman", "Усман", "Осман", "Othman"],
    &[
        "Yakub",
        "Yaqub",
        "Yakup",
        "Iakub",
        "Yoqub",
        "Jakub",
        "Zhakyp",
        "Jakyp",
        "Якуб",
        "Ёкуб",
        "Жақып",
        "Жакып",
        "Yacoub",
        "Yaqoob",
        "Yakoob",
    ],
    &["Yulduz", "Iulduz", "Zhuldyz", "Zhyldyz", "Jyldyz", "Юлдуз", "Жұлдыз", "Жылдыз"],
    &["Ilyas", "Ilyos", "Ilias", "Ильяс", "Илёс"],
    &["Sulaiman", "Suleyman", "Sulaymon", "Suleiman", "Сулейман", "Сулаймон", "Soliman"],
    &[
        "Abdurahman",
        "Abdurakhmon",
        "Abdurahmon",
        "Abdurakhman",
        "Abdulrahman",
        "Abdurrahman",
        "Абдурахмон",
        "Абдурахман",
    ],
    &["Abubakr", "Abubakar", "Abu Bakr", "Abubakir", "Абубакр", "Абубакар", "Ebubekir", "Ebu Bekir"],
    // Hasan and Husayn in their Kazakh and Kyrgyz forms (Асан, Үсен), and Husayn in the Uzbek
    // and Tajik (Husan, Ҳусан) and Crimean Tatar (Usein) ones.
    &["Hasan", "Gasan", "Гасан", "Asan", "Асан"],
    &[
        "Husein",
        "Hussein",
        "Husayn",
        "Khusein",
        "Gusein",
        "Husain",
        "Хусейн",
        "Гусейн",
        "Хусайн",
        "Husan",
        "Хусан",
        "Usen",
        "Үсен",
        "Үсөн",
        "Usein",
        "Усеин",
        "Husen",
        "Хусен",
        // Persian: Hossein, Hosein (and the surname Hosseini).
        "Hossein",
        "Hosein",
    ],
    &["Yunus", "Younes", "Yunis", "Юнус"],
    &["Musa", "Moussa", "Муса"],
    &["Khalid", "Khaled", "Xolid", "Халид", "Холид"],
    &["Karim", "Kerim", "Kareem", "Карим", "Керим"],
    // Uzbek and Kazakh spellings of names Russian records spell otherwise: Temur / Темір = Тимур,
    // Rustem = Rustam, Iskender = Iskandar.
    &["Timur", "Temur", "Temir", "Teymur", "Тимур", "Темур", "Темір", "Теймур"],
    &["Rustam", "Rustem", "Rostam", "Рустам", "Рустем"],
    &["Iskandar", "Iskender", "Eskender", "Искандар", "Искендер"],
    &["Rahim", "Raheem", "Рахим"],
    // English spellings of Arabic names (camp lists, NGO and consular records) write long ī as
    // `ee` and ū as `oo`: Rasheed = Рашид, Mansoor = Мансур. No letter rule: `ee` and `oo` are
    // Kyrgyz long vowels (Мээрим, Жоомарт, whose Kazakh and Russian spellings have one letter)
    // and Russian `-eev` (Алексеев). Left out where the folded spelling is another name:
    // Mahmood (`mahmad`, Tajik Махмад = Muhammad), Ghafoor (Гафар), Shakoor (Шакар),
    // Manzoor (Манзар).
    &["Rashid", "Rasheed"],
    &["Rashida", "Rasheeda"],
    &["Farid", "Fareed"],
    &["Farida", "Fareeda"],
    &["Said", "Saeed", "Sayeed"],
    &["Saida", "Saeeda", "Sayeeda"],
    &["Jamil", "Jameel", "Cemil"],
    &["Jamila", "Jameela", "Cemile"],
    &["Nasim", "Naseem"],
    &["Nasima", "Naseema"],
    &["Vahid", "Waheed", "Vaheed"],
    &["Hamid", "Hameed"],
    &["Hamida", "Hameeda"],
    &["Majid", "Majeed"],
    &["Bashir", "Basheer"],
    &["Nazir", "Nazeer", "Nadhir"],
    &["Zahir", "Zaheer"],
    &["Munir", "Muneer"],
    &["Munira", "Muneera"],
    &["Sharif", "Shareef", "Şerif"],
    &["Latif", "Lateef"],
    &["Habib", "Habeeb"],
    &["Hakim", "Hakeem"],
    &["Karima", "Kareema"],
    &["Salim", "Saleem"],
    &["Amin", "Ameen"],
    &["Yasin", "Yaseen"],
    &["Aziz", "Azeez"],
    &["Aziza", "Azeeza"],
    &["Nafisa", "Nafeesa"],
    &["Shahida", "Shaheeda"],
    &["Rafik", "Rafiq", "Rafeeq"],
    &["Nur", "Noor"],
    &["Zarina", "Zareena"],
    &["Nura", "Noora"],
    &["Mansur", "Mansoor"],
    &["Maruf", "Maroof"],
    // Arabic spellings of Arabic names as Arab, French and English records write them (camp
    // administrations, Arabic-language papers): e and o for the short vowels, th for ث, ou for
    // u, ee and oo for the long ones: Mostafa = Мустафа, Othman = Усман, Daoud = Давуд,
    // Abdelkader = Абдукадыр, Aicha = Айша.
    &["Mustafa", "Mostafa", "Moustafa", "Mustapha", "Мустафа", "Мустафо"],
    &["Salih", "Saleh", "Солих", "Салих"],
    &["Davud", "Dawud", "Dawood", "Daoud", "Daud", "Dovud", "Давуд", "Довуд", "Дауд"],
    &["Idris", "Idrees", "Идрис"],
    &["Isa", "Eisa", "Eesa", "Issa", "Иса", "Исо"],
    &["Harun", "Haroun", "Haroon", "Horun", "Харун", "Хорун"],
    &["Tarik", "Tariq", "Tarek", "Tareq", "Toriq", "Тарик"],
    &["Valid", "Walid", "Waleed", "Валид"],
    &["Ayub", "Ayyub", "Ayoub", "Ayoob", "Аюб", "Аюп", "Eyüp", "Eyup", "Eyyub"],
    &["Jafar", "Jaafar", "Jafer", "Jaffar", "Джафар", "Жафар", "Cafer"],
    &["Hafiz", "Hafez", "Hofiz", "Хафиз", "Hafidh"],
    &["Malik", "Malek", "Малик"],
    &["Saif", "Seif", "Sayf", "Seyf", "Сайф", "Сейф"],
    // Kazakh ш where Uzbek, Kyrgyz and Turkmen write ч: Шолпан = Cholpon, Шынар = Чынара.
    &["Cholpon", "Sholpan", "Шолпан", "Çolpan"],
    &["Chinara", "Chynara", "Shynar", "Шынар", "Чынар"],
    &["Nilufar", "Nilufer", "Nilüfer", "Niloufar", "Нилуфар"],
    &["Nemat", "Nimat", "Neʼmat", "Ниъмат", "Nimet"],
    &["Ubaid", "Ubayd", "Obaid", "Obeid", "Убайд"],
    // Dari (Afghan) and Turkish e for i: Hekmatullah = Hikmatullo, Esmat = Ismat, Ehsan = Ихсан.
    &["Hikmat", "Hekmat", "Hikmet", "Ҳикмат"],
    &["Ismat", "Esmat", "Ismet", "Исмат"],
    &["Izzat", "Ezzat", "Ezat", "Izzet", "Иззат"],
    &["Ihsan", "Ehsan", "Ehson", "Ihson", "Эҳсон", "Ихсан"],
    // Arabic ض, ذ and ظ, which Arabic-style spellings (camp administrations, Arabic papers)
    // write d or dh and the region, Persian and Turkish z: Ramadan = Рамазан, Ridwan = Ризван,
    // Diya al-Din = Зиёвуддин, Fadl = Fazl (also inside ad-Din and -ullah compounds). Rows, not
    // a rule: d is z in these names only (Nadir is another name than Nazir).
    &["Ramazan", "Ramadan", "Ramadhan", "Ramzan", "Рамазан", "Рамзан"],
    &["Rizvan", "Ridwan", "Ridvan", "Ridhwan", "Rıdvan", "Ризван"],
    &["Fazil", "Fadil", "Fadhil", "Фазил"],
    &["Fazila", "Fadila", "Fadhila", "Фазила"],
    &["Fazl", "Fadl", "Фазл"],
    &["Murtaza", "Murtada", "Murtadha", "Муртаза"],
    &["Riza", "Rida", "Ridha", "Reza", "Rıza", "Ризо"],
    &["Raziya", "Radiya", "Radhiya", "Roziya", "Разия", "Розия"],
    &["Zakir", "Dhakir", "Закир"],
    &["Ziya", "Diya", "Dhiya", "Ziyo", "Зиё"],
    // Zabihullah with its h (ذبيح) or without it (Tajik Забиулло), Dari e for i.
    &["Zabih", "Zabi", "Zabeh", "Забеҳ"],
    &["Hidayat", "Hedayat", "Hidoyat", "Hidayet", "Ҳидоят", "Хидаят"],
    &["Zabihulla", "Zabiulla", "Zabehulla", "Забиулла"],
    // Turkish ü for the i of Arabic names after a syllable with u: Hüsnü = Husni.
    &["Husni", "Hüsnü", "Husnu", "Хусни"],
    &["Shukri", "Şükrü", "Shukru", "Шукри"],
    &["Lutfi", "Lütfü", "Lutfu", "Лутфи"],
    // Turkish e for a and c for дж, also inside ad-Din names (Şemsettin = Shamsiddin, Necmettin
    // = Najmiddin); Turkmen Rejep = Russian Реджеп.
    &["Kamal", "Kemal", "Камал", "Kemel", "Кемел"],
    &["Shams", "Şems", "Shems", "Шамс"],
    &["Najm", "Necm", "Наджм"],
    &["Rajab", "Recep", "Rejep", "Реджеп", "Ражаб"],
    &["Jalal", "Celal", "Джалал"],
    &["Juma", "Cuma", "Жума"],
    &["Jahan", "Cihan", "Джахон"],
    &["Javdat", "Cevdet", "Jevdet", "Жавдат"],
    &["Tayyib", "Tayyip", "Тайиб"],
    &["Janan", "Canan"],
    // The city's name as a woman's name: Turkish Medine, English and Bosnian Medina.
    &["Madina", "Medina", "Medine", "Мадина", "Медина"],
    // Gazelle: Turkmen Jeren, Azerbaijani Ceyran, Turkish Ceylan.
    &["Jeyran", "Jeren", "Ceylan", "Ceyran", "Джейран", "Джерен"],
    // Turkish and Azerbaijani forms (papers issued in Turkey, where many returnees passed, and
    // children born there): c = дж, e for a, -met for -mad.
    &["Jamal", "Cemal", "Джамал"],
    &["Hajar", "Hojar", "Hacer", "Хаджар", "Ҳожар"],
    &["Asma", "Asmo", "Esma", "Асма"],
    &["Abdulkadir", "Abdelkader", "Abdulqadir", "Abdulqodir", "Abdukadir", "Abduqodir", "Абдулкадир", "Абдукадыр"],
    &["Jamshid", "Jemshid", "Jamshed", "Jemşit", "Джамшид", "Ҷамшед"],
    &["Aleksandr", "Alexander", "Aleksander", "Alexandr", "Александр"],
    &["Aleksandra", "Alexandra", "Александра"],
    &["Maksim", "Maxim", "Максим"],
    &["Aleksei", "Alexei", "Alexey", "Aleksey", "Алексей"],
    // Russian ё after a consonant, which Russian spelling and ICAO passports write е and older
    // transliterations yo or io: Артём = Артем = Artem = Artyom.
    &["Artem", "Artyom", "Artiom", "Артём"],
    &["Fedor", "Fyodor", "Fiodor", "Фёдор"],
    &["Petr", "Pyotr", "Piotr", "Пётр"],
    &["Semen", "Semyon", "Semion", "Семён"],
    &["Alena", "Alyona", "Aliona", "Алёна"],
    &["Nurlan", "Nurlan", "Нурлан"],
    &["Zuhra", "Zukhra", "Zohra", "Zuhro", "Зухра", "Зухро", "Zehra", "Zöhre", "Zühre"],
    &["Zulaiho", "Zuleykha", "Zulaykho", "Zuleikha", "Zulayxo", "Зулайхо", "Зулейха"],
    // Caucasian -at forms and Turkic forms of Arabic women's names: Halimat = Halima,
    // Aminat = Amina, Hafza / Gafsa = Hafsa (and above: Meryem = Maryam, Hatija = Khadija).
    &["Halima", "Khalima", "Galima", "Halimat", "Haleema", "Халима", "Галима", "Халимат"],
    &["Amina", "Aminat", "Ameena", "Аминат", "Emine"],
    &["Hafsa", "Hafza", "Gafsa", "Хафза", "Гафса"],
    &["Rukiya", "Rukaya", "Rukayya", "Ruqayya", "Ruqiya", "Рукия", "Рукайя", "Rokaya", "Roqaya"],
    &[
        "Sumaiya",
        "Sumaya",
        "Sumayya",
        "Sumaia",
        "Сумайя",
        "Сумая",
        "Somaya",
        "Somayya",
        "Soumaya",
        "Sümeyye",
        "Sumeyye",
    ],
    &["Asiya", "Asie", "Osiyo", "Асие", "Осиё"],
    // Men: Hamzat / Gamza = Hamza; Yahyo / Yakhya = Yahya; Aliy = Ali.
    &["Hamza", "Hamzat", "Gamza", "Хамзат", "Гамза"],
    &["Yahya", "Yahyo", "Yakhya", "Iahia", "Яхья", "Яхё", "Яҳё", "Yehia", "Yehya", "Yahia"],
    &["Ali", "Aliy", "Алий"],
    &["Nabi", "Nabiy", "Набий", "Набӣ"],
    &["Vali", "Valiy", "Валий", "Валӣ"],
    // Turkmen writes ы and г for Russian у and к in some names: Myrat = Murat,
    // Gurban = Kurban (also in family names and patronymics: Myradowa = Muradova).
    &["Murad", "Murat", "Myrat", "Myrad", "Мырат", "Мурат"],
    &["Kurban", "Gurban", "Qurbon", "Курбан", "Гурбан", "Курбон"],
    // Turkmen guly = Russian кули (Kuliev = Guliýew, Azerbaijani Quliyev).
    &["Kuli", "Guli", "Quli", "Кули", "Гули"],
    // Uzbek Mahliyo with ё written е at the end, as ICAO writes it.
    &["Mahliyo", "Makhlie", "Mahlie", "Махлиё", "Махлие"],
    // Turkmen Latin spells Клыч as Gylyç (г for к, ы kept), before a vowel Gylyj-:
    // Gylyjowa = Клычева.
    &["Klych", "Gylych", "Gylyç", "Gylyj", "Kylych", "Клыч", "Гылыч", "Кылыч"],
];

/// Family-name endings stripped to the root that male, female and Tajik forms share, after the
/// letter rules (so `-ov` is matched as `-av`, `-zoda` as `-zada`). Longest first; the root must
/// keep at least two letters. `(ending, replacement)`.
pub const FAMILY_SUFFIXES: &[(&str, &str)] = &[
    // Tajik: Rahimzoda / Rahimzod / Rahimzade / Rahimov → rahim.
    ("zada", ""),
    ("zade", ""),
    ("zad", ""),
    // -skiy / -skaya / -sky / -ski: Kovalevskaya / Kovalevskiy → kavalevski.
    ("skaia", "ski"),
    ("ska", "ski"),
    // -ov/-ova/-ow/-owa: Karimova / Karimov / Karimow → karim.
    ("ava", ""),
    ("av", ""),
    // -ev/-eva/-ew/-ewa: Alieva / Aliyev / Aliew → ali.
    ("eva", ""),
    ("ev", ""),
    // -in/-ina: Pushkina / Pushkin → pushkin.
    ("ina", "in"),
    // Kazakh new-style and Kyrgyz surnames from a father's name: Nurlanuly, Nurlankyzy,
    // Asan uulu (as one word) → nurlan / asan.
    ("kizi", ""),
    ("gizi", ""),
    ("uli", ""),
    ("ulu", ""),
];

/// Persian adjective endings of Tajik surnames (*-ӣ*, *-i*), which the naming law put in place of
/// Russian *-ov* as it did *-zoda*: *Шарифи* / *Sharifi* = *Шарифов* = *Шарифзода*, *Раҳимӣ* =
/// *Rahimov*, and the Afghan and Iranian forms of the same names (*Hosseini* = *Husein*,
/// *Mohammadi* = *Muhammad*). Stripped from a family name's root after [`FAMILY_SUFFIXES`] only
/// after a consonant and when four letters or more remain, so that *Ali*, *Nabi*, *Mirzoi* and
/// Kazakh *Tursunbai* keep their letters; where Tajik `ӣ` (Tajik Latin `ī`) writes it, it goes
/// after a vowel too (*Мирзоӣ* = *Мирзоев*; normalise's `without_tajik_adjective_ending`).
/// Surnames of compounds with Ali lose its i too, in every spelling alike (*Nuraliev*,
/// *Нуралиева* → `nural`); *Jamaliev* and *Jamalov* then share a root, as *Jamoli* and
/// *Jamolov* must.
pub const FAMILY_ADJECTIVE_ENDINGS: &[&str] = &["i"];

/// The other Tajik surname endings that the naming law of 2016 lists beside *-zoda*, *-zod* and
/// *-ӣ* in place of Russian *-ov* (after the letter rules): *-far* (*Каримфар*, *Nazarfar*),
/// *-pur* (*Karimpur*, *Davlatpur*, Persian *Alipour*) and *-iyon* / *-yon* (*Шарифиён*,
/// *Sharifiyon*, *Гафуриён* → `…ian`). Each reads as *-ov* (*Каримфар* = *Karimpur* =
/// *Каримов*, *Шарифиён* = *Sharifov*; Armenian *-yan* too, which Russian papers wrote *-ov*:
/// *Petrosyan* = *Petrosov*), where four letters or more remain or what remains is a name of
/// the table (*Alipour*), and not in the names of [`NAMES_WITH_TAJIK_ENDINGS`].
pub const TAJIK_NAME_ENDINGS: &[&str] = &["far", "pur", "ian"];

/// Names that end like the surnames of [`TAJIK_NAME_ENDINGS`] and keep their letters: given names
/// (*Nilufar*, *Muzaffar*, *Shahpur*, *Kristian*, Russian *Емельян*) that a record may write in
/// the family field, or that a family name repeats.
pub const NAMES_WITH_TAJIK_ENDINGS: &[&str] = &[
    "Nilufar",
    "Nilofar",
    "Nilufer",
    "Нилуфар",
    "Muzaffar",
    "Muzafar",
    "Mozaffar",
    "Музаффар",
    "Abdulgaffar",
    "Abdulgafar",
    "Абдулгаффар",
    "Ghaffar",
    "Gaffar",
    "Гаффар",
    "Zafar",
    "Jafar",
    "Jaafar",
    "Safar",
    "Shapur",
    "Shahpur",
    "Шахпур",
    "Kristian",
    "Christian",
    "Sebastian",
    "Maximilian",
    "Valerian",
    "Emilian",
    "Емельян",
    "Yemelyan",
    "Emelyan",
    "Marian",
    "Damian",
    "Julian",
    "Adrian",
    "Lilian",
    "Vivian",
    "Dorian",
    "Florian",
    "Демьян",
    "Лукьян",
];

/// Russian-style patronymic endings (after the letter rules): Ahmadovich / Ahmadovna /
/// Alievich / Alievna / Ilich / Ilinichna → the father's name.
pub const PATRONYMIC_SUFFIXES: &[&str] = &["avich", "evich", "avna", "evna", "ichna", "ich"];

/// Tajik patronymic endings of the naming law of 2016, which writes *Ivanovich* as *Ivanzod*,
/// *Ivanzoda* or *Ivanfar* (after the letter rules): *Шарифзода*, *Sharifzod*, *Шариффар* =
/// *Шарифович* → `sharif`. Taken off when three letters or more remain (four for *-far*, or a
/// name of the table), and not from the given names that end so (*Sherzod*, *Muzaffar*: a
/// patronymic written as the father's bare name).
pub const TAJIK_PATRONYMIC_ENDINGS: &[&str] = &["zada", "zade", "zad", "far"];

/// Turkic patronymic words after (or glued to) the father's name, after the letter rules:
/// Ahmad oʻgʻli / ugli / ogly / oglu / uli / ulı / uulu (son), qizi / kizi / kyzy / qyzy / gyzy
/// (daughter) → ahmad.
pub const PATRONYMIC_WORDS: &[&str] = &["ugli", "agli", "aglu", "ugil", "uli", "ulu", "kizi", "gizi"];

/// Arabic patronymic words before the father's name, after the letter rules: *Maryam bint
/// Yusuf*, *Ahmad bin Abdulla*, *ibn Ahmad* (son, daughter of), as Arabic-language papers and camp
/// records write the names of children born in Syria and Iraq → the father's name.
pub const PATRONYMIC_PREFIXES: &[&str] = &["bin", "ibn", "bint", "binti"];

/// Given names whose folded form ends like a family name (*-ov*, *-ev*, *-ow*, *-ew* fold to
/// `-av` / `-ev`), so that a given-name field holding one of them is not read as a family name
/// and swapped: *Yakov Karimov* stays as written; *Andrew* and *Matthew* (folded `andrev`,
/// `matev`) are the English names of this kind seen in migration and benchmark records.
/// Names given to twins that spell alike: a pair of twins recorded on two nodes agrees on the
/// family name, the birth date, the mother and often the papers' series, so only the given name
/// tells them apart — and *Hasan* and *Husan* (Husayn; Kazakh *Асан* and *Үсен*) share a
/// consonant skeleton and most bigrams. Each row is one pair, canonical spellings of
/// [`NAME_VARIANTS`]; each name stands for its spellings there and for compounds of them with
/// [`TWIN_NAME_COMPOUNDS`] (*Hasanboy* / *Husanboy*, *Asanbek* / *Üsenbek*). As a given name, such
/// a name keeps its letters where other names are reduced to a skeleton (`normalise::name_skeleton`;
/// twins share their family name, so surnames built on it use the skeleton as others do), and a
/// compound's first part is spelt as its canonical name (*Husanboy* = *Huseinbai*), so that the
/// two names differ outright in the pair round and the twins stay apart: the round compares such
/// a name whole, not by its bigrams (`pair::all_pair_values`). The other rows are Arabic names
/// given in pairs that differ in a vowel or two only (*Jamil* / *Jamal*, *Kamil* / *Kamal*,
/// *Azim* / *Azam*, *Amir* / *Umar*, *Said* / *Saad*): with the skeleton of the keys and the
/// bigrams of the round, twins named so were one person, auto-confirmed at 0.969 (family name
/// and birth date agreeing, no papers).
pub const TWIN_NAMES: &[[&str; 2]] = &[
    ["Hasan", "Husein"],
    ["Jamil", "Jamal"],
    ["Kamil", "Kamal"],
    ["Azim", "Azam"],
    ["Amir", "Umar"],
    ["Said", "Saad"],
];

/// Arabic names that begin with ʿayn, which Kazakh, Tatar and Bashkir spelling writes as an
/// initial ғ / г (*Ғабдулла* / *Gabdulla* = *Abdulla*, *Ғали* = *Ali*, *Ғайша* = *Aisha*,
/// *Ғұсман* = *Usman*, *Ғалым* = *Alim*, *Ғаділ* = *Adil*) where the other languages of the
/// region write none (`normalise::canonical_variant`). Every *Abd-* name is one too. Only these:
/// an initial g before other names stays (*Galina* is not *Alina*, *Ғайрат* not *Айрат*).
pub const AYN_NAMES: &[&str] = &[
    "Ali", "Aliya", "Aziz", "Aziza", "Aisha", "Usman", "Umar", "Alim", "Alima", "Adil", "Adila", "Abid", "Abbas",
    "Isa", "Azim", "Arif", "Arifa", "Ubayd", "Ibodat", "Aziz", "Adl", "Asqar", "Aina", "Ayn",
];

/// Folded endings of Turkmen *-guly*, Russian *-кули*, Uzbek *-qul* ("servant of"), read as one
/// (`normalise::canonical_variant`): *Gurbanguly* = *Курбанкули* = *Qurbonqul*, *Annagulyýew*
/// = *Аннакулиев*. Not a bare *-gul*: that is "flower" (*Oygul*, *Bahorgul*).
pub const QULI_ENDINGS: &[&str] = &["guli", "gulu", "kuli", "kulu", "kul"];

/// Second parts of names compounded with a name of [`NAME_VARIANTS`], after the letter rules
/// (*-jon* / *-джан* → `jan`, *-xon* → `han`, *-bek*, *-boy* / *-бай* → `bai`, `ba` where a
/// family ending took the й of *-бай* (*-baev*, *-boyev*), *-ali*). The first part is read as
/// its row's canonical spelling, so the Russian spellings of the name meet the Uzbek and Tajik
/// ones inside a compound as they do alone: *Мухамеджанов* / *Muhammadjonov*, *Ахмедбеков* /
/// *Ahmadbekov*, *Магомедалиев* / *Muhammadaliyev*, *Асанбаев* / *Hasanboyev* (and *Husanboyev*
/// stays apart, as its row does). After a name ending in d, the d of *-djon* is gone (`dj` =
/// дж): *Ахмеджан* and *Ahmadjon* both read `ahmajan`.
pub const NAME_COMPOUND_ENDINGS: &[&str] = &["jan", "han", "bek", "bai", "ba", "ali"];

/// Second parts of compound given names built on [`TWIN_NAMES`], after the letter rules
/// (*-boy* → `bai`, *-bek*, *-ali*). Each is also one of [`NAME_COMPOUND_ENDINGS`], which reads
/// the twin name before it in its canonical spelling (*Usenbek* → `huseinbek`).
pub const TWIN_NAME_COMPOUNDS: &[&str] = &["bai", "bek", "ali"];

/// Uzbek and Tajik given names built with Persian *-zod* / *-zoda* ("born of") end like Tajik
/// surnames: *Sherzod*, *Behzod*, *Shahzoda* are given names, *Rahimzoda* a family name.
pub const GIVEN_NAMES_WITH_FAMILY_ENDINGS: &[&str] = &[
    "Yakov", "Iakov", "Jakov", "Яков", "Andrew", "Matthew", "Mathew", "Willow", "Thurlow", "Sherzod", "Behzod",
    "Bekzod", "Farzod", "Shahzod", "Shohzod", "Mirzod", "Shahzoda", "Shohzoda", "Mehrzod", "Parizod", "Parizoda",
];

/// Name parts that end compound names, in the spellings the letter rules leave apart, and the
/// part they stand for (both after the letter rules): Turkmen *Saparmyrat* = *Saparmurad*,
/// *Taçmyrat* = *Tachmurad*, *Nurmuhammet* = *Nurmukhammed* = *Nurmuhammad*. Applied to a
/// token that is not itself in [`NAME_VARIANTS`] when the part leaves a stem of two letters or
/// more (*Akmyrat* = *Akmurad*). `(ending, replacement)`.
pub const NAME_PART_ENDINGS: &[(&str, &str)] =
    &[("mirat", "murad"), ("mirad", "murad"), ("murat", "murad"), ("muhamet", "muhamad"), ("muhamed", "muhamad")];

/// Endearing and honorific endings of Uzbek and Tajik given names, which records add or drop,
/// after the letter rules (`jon`, `-джон`, `-джан` → `jan`; `xon`, `khon`, `хон` → `han`):
/// *Akbarjon* / *Акбарджон* / *Akbar*, *Ziyodakhon* / *Зиёдахон* / *Ziyoda*. Stripped from
/// given names and patronymic roots, never from family names (*Karakhanov*), and only when four
/// letters or more remain: *Rayhon*, *Gulzhan*, *Ayzhan*, *Nurjan*, *Marjon*, Turkmen *Agajan*
/// stay as they are. Read after the letter rules so that every spelling of one name loses the
/// same letters: Russian *Ахмаджон* cannot tell *Ahmad-jon* from *Ahma-jon*, so the d of
/// *Ahmadjon* comes back only for the names of [`NAMES_ENDING_IN_D`]. Kazakh
/// names in -жан lose it the same way (*Bakhytzhan* → `bahit`), on every record alike.
pub const NAME_ENDEARMENTS: &[&str] = &["jan", "han"];

/// Spellings of the -xon ending as records write it, taken off a given name before the letter
/// rules when four letters or more remain (folded). After the letter rules the ending's х would
/// join a final z, k or s of the name into one letter (`zh` = ж, `kh` = х, `sh` = ш), and the
/// name would lose a letter with it: *Azizxon* / *Азизхон* would read `azi` + `jan`, *Malikxon*
/// `mali`, *Gulnozxon* `gulna`. Taken off first, they meet *Aziz*, *Malik*, *Gulnoz*. Names
/// too short for it (*Райхон*, *Nurxon*) are read whole, as [`NAME_ENDEARMENTS`] reads them.
pub const XON_SPELLINGS: &[&str] = &["khon", "xon", "хон", "ҳон", "һон", "khan", "xan", "хан", "ҳан", "һан"];

/// Patronymic suffixes as written after a given name in -xon (*Azizxonovich*, *Азизхоновна*),
/// for [`XON_SPELLINGS`]: the suffix stays, the -xon before it goes.
pub const XON_PATRONYMIC_SUFFIXES: &[&str] = &["ovich", "ovna", "ович", "овна"];

/// Given names ending in d that take -jon (*Ahmadjon*, *Murodjon*, *Sherzodjon*), whose d the
/// letter rules join to the ending (`dj` = дж = j): with this list, *Ahmadjon* / *Ахмаджон*
/// folds to `ahmad` and meets a bare *Ahmad*. Only a stem that, with its d, is one of these
/// names or ends in one (*Nurmuhammadjon*) gets the d back; *Agajan*, *Bibijan* keep theirs.
pub const NAMES_ENDING_IN_D: &[&str] = &[
    "Ahmad",
    "Muhammad",
    "Murod",
    "Mahmud",
    "Farhod",
    "Dilshod",
    "Jamshid",
    "Zohid",
    "Obid",
    "Vohid",
    "Sayid",
    "Said",
    "Rashid",
    "Hamid",
    "Majid",
    "Sherzod",
    "Behzod",
    "Bekzod",
    "Shahzod",
    "Farzod",
    "Umid",
    "Xurshid",
    "Asad",
    "Masud",
    "Nurmuhammad",
    "Shohid",
    "Ubayd",
    "Valid",
    "Mavlud",
    "Mas'ud",
    "Fayzod",
    "Zoid",
];

/// Words that say what kind of place a place name is (city, village, camp) in the region's
/// languages, Russian, Turkish and English, dropped from places of birth and current
/// localities wherever they stand (`normalise::place`): *г. Караганда* = *Karaganda*,
/// *Al-Hol camp* = *Аль-Холь*, *Qarshi shahri* = *Карши*. Folded before use. What follows a
/// comma or a bracket (*Naryn, Kyrgyzstan*, *Hol camp (foreigners annex)*, *Al-Hawl camp,
/// phase 5*) is dropped too.
pub const PLACE_WORDS: &[&str] = &[
    "г",
    "гор",
    "город",
    "city",
    "town",
    "shahri",
    "shahar",
    "shaxri",
    "шаҳри",
    "шахри",
    "шаҳр",
    "шаары",
    "shaary",
    "қаласы",
    "qalasy",
    "kalasy",
    "şäheri",
    "шәһәри",
    "şehri",
    "village",
    "село",
    "с",
    "пос",
    "посёлок",
    "poselok",
    "qishloq",
    "кишлак",
    "ауыл",
    "aul",
    "camp",
    "лагерь",
    "kampı",
    "mukhayyam",
    "mukhayam",
];

/// Words of a region (*Tashkent oblast*, *Toshkent viloyati*), and with [`DISTRICT_WORDS`] of
/// a district: such a part of a place written in parts (*Tashkent oblast, Chirchiq*) is passed
/// over for the next part, as a country is; alone it is read as the region's or district's
/// name and its level, for a region is not its capital (`normalise::place`).
pub const REGION_WORDS: &[&str] = &[
    "obl",
    "обл",
    "область",
    "oblast",
    "oblysy",
    "облысы",
    "oblusu",
    "облусу",
    "viloyati",
    "вилояти",
    "вилоят",
    "viloyat",
    "welaýaty",
    "welayat",
    "велаят",
    "region",
    "province",
];

/// Words of a district (*Вахдатский район*, *Quvasoy tumani*, *ноҳияи*, *etrap*): *Кувасайский
/// район* and *Quvasoy tumani* are one district, neither the town nor the region of that name.
pub const DISTRICT_WORDS: &[&str] = &[
    "район",
    "rayon",
    "raion",
    "р-н",
    "району",
    "rayonu",
    "ауданы",
    "audany",
    "tumani",
    "тумани",
    "ноҳияи",
    "nohiyai",
    "district",
    "etraby",
    "etrap",
];

/// Endings of a Russian adjective made from a place's name (*Ташкентская*, *Согдийская*,
/// *Марыйский велаят*, *Tashkentskaya*), the *-ий-* forms first (*Согдийская* from *Согд*, and
/// *Навоийская* from *Навоий*: the table of places decides): a region named by one is read as
/// the place (`normalise::place`: *Ташкентская область* is *Tashkent region*).
pub const REGION_ADJECTIVE_ENDINGS: &[&str] = &[
    "ийская",
    "ийский",
    "ийской",
    "ская",
    "ский",
    "ской",
    "ское",
    "ского",
    "skaya",
    "skaia",
    "skiy",
    "skii",
    "skoy",
    "skoi",
    "sky",
];

/// Regions under their Soviet and other names, first the present one (spelt as
/// [`PLACE_VARIANTS`] spells it where it is there too): read only for a region written alone
/// (`normalise::place`), so *Ленинабадская область* is *Sughd region* while the city *Ленинабад*
/// stays *Khujand*. Oblasts merged into one (*Курган-Тюбинская*, *Кулябская* → *Khatlon*) and
/// regions renamed after another capital (*Чимкентская*, *Южно-Казахстанская* → *Turkestan*)
/// read as the region of today.
pub const REGION_VARIANTS: &[&[&str]] = &[
    &["Sughd", "Leninabad", "Ленинабад", "Leninobod"],
    &["Khatlon", "Kurgan-Tyube", "Курган-Тюбе", "Qurghonteppa", "Kulyab", "Куляб", "Kulob", "Кӯлоб"],
    &["Lebap", "Лебап", "Chardzhou", "Чарджоу", "Chardjou"],
    &["Balkan", "Балкан", "Krasnovodsk", "Красноводск"],
    &["Ahal", "Ахал", "Ashkhabad", "Ашхабад"],
    &[
        "Turkestan",
        "South Kazakhstan",
        "Южно-Казахстан",
        "Оңтүстік Қазақстан",
        "Ontustik Qazaqstan",
        "Chimkent",
        "Чимкент",
    ],
    &["East Kazakhstan", "Восточно-Казахстан", "Шығыс Қазақстан", "Shygys Qazaqstan", "Vostochno-Kazakhstan"],
    &["West Kazakhstan", "Западно-Казахстан", "Батыс Қазақстан", "Batys Qazaqstan", "Uralsk", "Уральск"],
    &["North Kazakhstan", "Северо-Казахстан", "Солтүстік Қазақстан", "Soltustik Qazaqstan"],
];

/// Places under their other names, first the canonical one: Soviet names (*Ленинабад* =
/// *Khujand*, *Фрунзе* = *Bishkek*, *Чарджоу* = *Turkmenabat*), Kazakh, Tajik, Turkmen and Uzbek
/// forms the letter rules do not merge with the Russian ones (*Қарағанды* = *Караганда*,
/// *Кӯлоб* = *Куляб*, *Qoʻqon* = *Коканд*), and the camps and towns of Syria and Iraq that
/// returnees' records name, in English, French, Arabic-style and Russian spellings. Each
/// spelling is read as [`PLACE_WORDS`] leaves it, so *г. Фрунзе* is *Frunze*.
pub const PLACE_VARIANTS: &[&[&str]] = &[
    // Kazakhstan.
    &["Almaty", "Alma-Ata", "Алма-Ата", "Алматы", "Verny"],
    &["Astana", "Nur-Sultan", "Нур-Султан", "Akmola", "Акмола", "Tselinograd", "Целиноград", "Akmolinsk"],
    &["Shymkent", "Chimkent", "Чимкент", "Шымкент"],
    &["Taraz", "Dzhambul", "Джамбул", "Zhambyl", "Жамбыл", "Aulie-Ata", "Аулие-Ата"],
    &["Oral", "Uralsk", "Уральск", "Орал"],
    &["Atyrau", "Guryev", "Гурьев", "Атырау"],
    &["Aktobe", "Aktyubinsk", "Актюбинск", "Ақтөбе", "Актобе", "Aqtobe"],
    &["Aktau", "Shevchenko", "Шевченко", "Ақтау", "Aqtau"],
    &["Semey", "Semipalatinsk", "Семипалатинск", "Семей"],
    &["Oskemen", "Ust-Kamenogorsk", "Усть-Каменогорск", "Өскемен"],
    &["Kyzylorda", "Kzyl-Orda", "Кзыл-Орда", "Қызылорда", "Qyzylorda"],
    &["Karaganda", "Karagandy", "Qaraghandy", "Қарағанды", "Караганда", "Qarağandy"],
    &["Turkestan", "Turkistan", "Түркістан", "Туркестан", "Türkistan"],
    &["Zhanaozen", "Janaozen", "Жанаөзен", "Жанаозен", "Novy Uzen", "Новый Узень"],
    &["Kokshetau", "Kokchetav", "Кокчетав", "Көкшетау"],
    &["Petropavl", "Petropavlovsk", "Петропавловск", "Петропавл"],
    &["Pavlodar", "Павлодар"],
    &["Kostanay", "Kustanai", "Кустанай", "Қостанай", "Qostanai"],
    &["Taldykorgan", "Талдыкорган", "Талдықорған", "Taldyqorgan"],
    // Kyrgyzstan.
    &["Bishkek", "Frunze", "Фрунзе", "Pishpek", "Пишпек", "Бишкек"],
    &["Karakol", "Przhevalsk", "Пржевальск", "Каракол"],
    &["Tokmok", "Tokmak", "Токмак", "Токмок"],
    &["Jalal-Abad", "Dzhalal-Abad", "Джалал-Абад", "Жалал-Абад", "Jalalabad", "Djalal-Abad", "Celalabad"],
    &["Uzgen", "Özgön", "Узген", "Өзгөн", "Ozgon"],
    // Not Uzbek Qorasuv across the border, nor the many Karasu of Kazakhstan.
    &["Kara-Suu", "Karasuu", "Кара-Суу"],
    // Tajikistan.
    &["Dushanbe", "Stalinabad", "Сталинабад", "Душанбе"],
    &["Khujand", "Leninabad", "Ленинабад", "Khodjent", "Khodzhent", "Ходжент", "Худжанд", "Хуҷанд", "Xoʻjand"],
    &["Istaravshan", "Ura-Tyube", "Ура-Тюбе", "Uroteppa", "Ўротеппа", "Истаравшан", "Ura-Tube"],
    &["Bokhtar", "Kurgan-Tyube", "Курган-Тюбе", "Qurghonteppa", "Қурғонтеппа", "Бохтар", "Bohtar", "Kurgan-Tube"],
    &["Vahdat", "Kofarnihon", "Кофарнихон", "Ordzhonikidzeabad", "Орджоникидзеабад", "Ваҳдат", "Вахдат"],
    &["Tursunzoda", "Regar", "Регар", "Tursunzade", "Турсунзаде", "Турсунзода"],
    &["Kulob", "Kulyab", "Куляб", "Кӯлоб", "Kulab"],
    &["Panjakent", "Penjikent", "Пенджикент", "Panjikent", "Pencikent", "Панҷакент"],
    // Turkmenistan.
    &["Ashgabat", "Ashkhabad", "Ашхабад", "Poltoratsk", "Aşgabat", "Ашгабат"],
    &["Turkmenabat", "Chardzhou", "Чарджоу", "Chardjou", "Чарджуй", "Türkmenabat", "Туркменабат", "Leninsk-Turkmensky"],
    &["Dashoguz", "Tashauz", "Ташауз", "Daşoguz", "Дашогуз", "Dashhowuz"],
    &["Turkmenbashi", "Krasnovodsk", "Красноводск", "Türkmenbaşy", "Туркменбаши"],
    &["Balkanabat", "Nebit-Dag", "Небит-Даг", "Балканабат"],
    &["Mary", "Мары", "Merv"],
    &["Tejen", "Tedzhen", "Теджен"],
    &["Bayramaly", "Bayram-Ali", "Байрам-Али", "Baýramaly", "Байрамали"],
    // Uzbekistan.
    &["Kokand", "Qoʻqon", "Қўқон", "Коканд", "Qoqon", "Hokand"],
    &["Margilan", "Margʻilon", "Маргилан", "Марғилон"],
    &["Karshi", "Qarshi", "Карши", "Қарши"],
    &["Termez", "Termiz", "Термез", "Термиз"],
    &["Bukhara", "Buxoro", "Бухара", "Бухоро", "Boukhara", "Buhara"],
    &["Samarkand", "Samarqand", "Самарканд", "Самарқанд", "Semerkant"],
    &["Andijan", "Andijon", "Андижан", "Андижон", "Andican"],
    &["Fergana", "Fargʻona", "Фергана", "Фарғона", "Ferghana", "Skobelev", "Скобелев"],
    &["Navoi", "Navoiy", "Навои", "Навоий", "Kermine", "Кермине"],
    &["Tashkent", "Toshkent", "Ташкент", "Тошкент", "Taşkent", "Tachkent"],
    // Regions not named after a town (their Russian adjectives too: *Согдийская*).
    &["Sughd", "Sugd", "Sogd", "Согд", "Суғд"],
    &["Khatlon", "Хатлон", "Xatlon"],
    &["Kashkadarya", "Qashqadaryo", "Кашкадарья", "Қашқадарё", "Kashkadaria"],
    &["Surkhandarya", "Surxondaryo", "Сурхандарья", "Сурхондарё", "Surkhandaria"],
    &["Syrdarya", "Sirdaryo", "Сырдарья", "Сирдарё", "Syrdaria"],
    &["Khorezm", "Xorazm", "Хорезм", "Хоразм", "Khwarazm", "Horezm"],
    &["Issyk-Kul", "Ysyk-Köl", "Иссык-Куль", "Ысык-Көл", "Issyk-Kol", "Yssyk-Kol"],
    &["Mangystau", "Mangistau", "Мангистау", "Маңғыстау", "Mangyshlak", "Мангышлак"],
    // Syria and Iraq: camps and towns, with their Arabic names.
    &["Al-Hol", "Al-Hawl", "Al Hol", "Hol", "Hawl", "Аль-Холь", "Аль-Хол", "Эль-Холь", "El-Hol", "Al-Hool", "الهول"],
    &["Roj", "Rozh", "Рож", "روج"],
    &["Raqqa", "Ar-Raqqah", "Ar-Raqqa", "Al-Raqqa", "Rakka", "Ракка", "Эр-Ракка", "الرقة"],
    &[
        "Deir ez-Zor",
        "Deir Ezzor",
        "Deir al-Zour",
        "Dayr az-Zawr",
        "Дейр-эз-Зор",
        "Deir Ez Zor",
        "Deir ez Zor",
        "دير الزور",
    ],
    &["Mosul", "Мосул", "Al-Mawsil", "Musul", "الموصل"],
    &["Baghuz", "Al-Baghuz", "Багуз", "Bağuz", "الباغوز"],
    &["Idlib", "Идлиб", "إدلب"],
    &["Hasakah", "Al-Hasakah", "Hasaka", "Хасака", "Эль-Хасака", "الحسكة"],
    &["Tal Afar", "Tel Afar", "Tall Afar", "Тель-Афар", "Телль-Афар", "تلعفر", "تل عفر"],
];
