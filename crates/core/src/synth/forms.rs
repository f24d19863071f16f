//! Name forms derived by rule from the tables, on Cyrillic text (Russian or national):
//! female family names, surnames made from given names, patronymics in each national style, and
//! Tajik -zoda, -zod and -ӣ surnames.

use crate::person::Sex;

fn ends_with_vowel(text: &str) -> bool {
    text.chars().last().is_some_and(|c| "аеёиоуыэюяӣӯўәөұүі".contains(c))
}

/// The female form of a (male) family name: -ов → -ова, -ев → -ева, -ин → -ина, -ский → -ская;
/// forms without gender (-зода, уулу, Latin) are unchanged.
pub fn female_family(male: &str) -> String {
    if male.ends_with("ов")
        || male.ends_with("ев")
        || male.ends_with("ёв")
        || male.ends_with("ин")
        || male.ends_with("ын")
    {
        format!("{male}а")
    } else if let Some(stem) = male.strip_suffix("ий") {
        format!("{stem}ая")
    } else {
        male.to_string()
    }
}

/// A surname made from a male given name, as most were in the 1920s–30s: Нурлан → Нурланов,
/// Муса → Мусаев, Али → Алиев, Абдулло → Абдуллоев.
pub fn surname_from_given(given: &str) -> String {
    if let Some(stem) = given.strip_suffix('й').or_else(|| given.strip_suffix('ь')) {
        format!("{stem}ев")
    } else if ends_with_vowel(given) {
        format!("{given}ев")
    } else {
        format!("{given}ов")
    }
}

/// The ending Tajikistan's naming law puts in place of -ов / -ев.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TajikEnding {
    /// -зода: Раҳимзода.
    Zoda,
    /// -зод: Раҳимзод.
    Zod,
    /// The Persian adjective ending -ӣ: Раҳимӣ, Мирзоӣ.
    I,
    /// The law's rarer endings: -фар (Каримфар), -пур (Каримпур), -иён / -ён (Каримиён,
    /// Мирзоён).
    Far,
    Pur,
    Iyon,
}

/// The Tajik form of an -ov surname: Раҳимов → Раҳимзода, Раҳимзод or Раҳимӣ.
pub fn tajik(male: &str, ending: TajikEnding) -> String {
    let root =
        male.strip_suffix("ов").or_else(|| male.strip_suffix("ев")).or_else(|| male.strip_suffix("ёв")).unwrap_or(male);
    let after_vowel = root.chars().last().is_some_and(|c| "аеёиоуыэюяӯӣ".contains(c));
    let suffix = match ending {
        TajikEnding::Zoda => "зода",
        TajikEnding::Zod => "зод",
        TajikEnding::I => "ӣ",
        TajikEnding::Far => "фар",
        TajikEnding::Pur => "пур",
        TajikEnding::Iyon if after_vowel => "ён",
        TajikEnding::Iyon => "иён",
    };
    format!("{root}{suffix}")
}

/// How a patronymic is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatronymicStyle {
    /// -ович / -овна, -евич / -евна (Russian style, used in every country).
    Russian,
    /// Kazakh -ұлы / -қызы written together with the father's name.
    Kazakh,
    /// Kyrgyz "уулу" / "кызы" as a separate word.
    Kyrgyz,
    /// Uzbek "ўғли" / "қизи" as a separate word.
    Uzbek,
    /// Turkmen "оглы" / "гызы" as a separate word.
    Turkmen,
}

/// The patronymic from the father's given name, in Russian (`national == false`) or national
/// Cyrillic.
pub fn patronymic(father: &str, sex: Sex, style: PatronymicStyle, national: bool) -> String {
    let female = sex == Sex::Female;
    match style {
        PatronymicStyle::Russian => {
            let (stem, soft) = if let Some(stem) = father.strip_suffix('й').or_else(|| father.strip_suffix('ь')) {
                (stem, true)
            } else {
                (father, ends_with_vowel(father))
            };
            let suffix = match (soft, female) {
                (false, false) => "ович",
                (false, true) => "овна",
                (true, false) => "евич",
                (true, true) => "евна",
            };
            format!("{stem}{suffix}")
        }
        PatronymicStyle::Kazakh => match (female, national) {
            (false, true) => format!("{father}ұлы"),
            (true, true) => format!("{father}қызы"),
            (false, false) => format!("{father}улы"),
            (true, false) => format!("{father}кызы"),
        },
        PatronymicStyle::Kyrgyz => format!("{father} {}", if female { "кызы" } else { "уулу" }),
        PatronymicStyle::Uzbek => match (female, national) {
            (false, true) => format!("{father} ўғли"),
            (true, true) => format!("{father} қизи"),
            (false, false) => format!("{father} угли"),
            (true, false) => format!("{father} кизи"),
        },
        PatronymicStyle::Turkmen => format!("{father} {}", if female { "гызы" } else { "оглы" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_follow_the_rules() {
        assert_eq!(female_family("Юсупов"), "Юсупова");
        assert_eq!(female_family("Алиев"), "Алиева");
        assert_eq!(female_family("Раҳимзода"), "Раҳимзода");
        assert_eq!(surname_from_given("Нурлан"), "Нурланов");
        assert_eq!(surname_from_given("Муса"), "Мусаев");
        assert_eq!(tajik("Раҳимов", TajikEnding::Zoda), "Раҳимзода");
        assert_eq!(tajik("Набиев", TajikEnding::Zod), "Набизод");
        assert_eq!(tajik("Мирзоев", TajikEnding::I), "Мирзоӣ");
        assert_eq!(tajik("Каримов", TajikEnding::Far), "Каримфар");
        assert_eq!(tajik("Назаров", TajikEnding::Pur), "Назарпур");
        assert_eq!(tajik("Шарифов", TajikEnding::Iyon), "Шарифиён");
        assert_eq!(tajik("Мирзоев", TajikEnding::Iyon), "Мирзоён");
        assert_eq!(patronymic("Рустам", Sex::Male, PatronymicStyle::Russian, false), "Рустамович");
        assert_eq!(patronymic("Муса", Sex::Female, PatronymicStyle::Russian, false), "Мусаевна");
        assert_eq!(patronymic("Нұрлан", Sex::Male, PatronymicStyle::Kazakh, true), "Нұрланұлы");
        assert_eq!(patronymic("Акмал", Sex::Female, PatronymicStyle::Uzbek, true), "Акмал қизи");
        assert_eq!(patronymic("Бакыт", Sex::Male, PatronymicStyle::Kyrgyz, true), "Бакыт уулу");
    }
}
