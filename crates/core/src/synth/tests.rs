use super::*;
use std::collections::{HashMap, HashSet};

fn small() -> SynthConfig {
    SynthConfig::demo(600)
}

fn by_node_and_id(output: &SynthOutput) -> HashMap<(String, String), &SynthRecord> {
    output.records.iter().map(|r| ((r.node.clone(), r.person.record_id.clone()), r)).collect()
}

#[test]
fn deterministic_for_a_seed() {
    let a = generate(&small());
    let b = generate(&small());
    assert_eq!(a, b);
    let c = generate(&SynthConfig { seed: 7, ..small() });
    assert_ne!(a.records, c.records);
}

#[test]
fn every_node_is_full_and_holds_each_person_once() {
    let config = small();
    let output = generate(&config);
    for country in &config.countries {
        let records: Vec<&SynthRecord> = output.records.iter().filter(|r| &r.node == country).collect();
        assert_eq!(records.len(), config.persons_per_node, "{country}");
        let persons: HashSet<&str> = records.iter().map(|r| r.person_id.as_str()).collect();
        assert_eq!(persons.len(), records.len(), "a person twice on {country}");
        let ids: HashSet<&str> = records.iter().map(|r| r.person.record_id.as_str()).collect();
        assert_eq!(ids.len(), records.len(), "a record id twice on {country}");
        for id in ids {
            assert!(id.starts_with(&format!("{country}-")), "{id}");
            assert!(!id.contains('P'), "record id must not carry the person id: {id}");
        }
    }
}

#[test]
fn empty_configurations_give_empty_output() {
    assert_eq!(generate(&SynthConfig::demo(0)), SynthOutput::default());
    assert_eq!(generate(&SynthConfig { countries: vec![], ..small() }), SynthOutput::default());
    let one = generate(&SynthConfig { countries: vec!["KZ".into()], ..small() });
    assert_eq!(one.records.len(), 600);
    assert!(one.family.is_empty());
}

#[test]
fn every_record_is_valid_and_clean() {
    let output = generate(&small());
    for r in &output.records {
        let validated = r.person.clone().validated().unwrap_or_else(|e| panic!("{e}: {:?}", r.person));
        assert_eq!(validated, r.person, "validation changed the record");
        for alias in &r.person.aliases {
            assert!(!alias.contains(';'), "{alias}");
        }
    }
}

#[test]
fn truth_files_agree_with_the_records() {
    let output = generate(&small());
    let records = by_node_and_id(&output);
    let truth = output.truth_csv();
    let mut reader = csv::Reader::from_reader(truth.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["person_id", "node", "record_id"]);
    let mut rows = 0;
    for row in reader.records() {
        let row = row.unwrap();
        let record = records[&(row[1].to_string(), row[2].to_string())];
        assert_eq!(record.person_id, &row[0]);
        rows += 1;
    }
    assert_eq!(rows, output.records.len());

    let family = output.family_truth_csv();
    let mut reader = csv::Reader::from_reader(family.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["child_node", "child_record_id", "mother_node", "mother_record_id"]);
    assert_eq!(reader.records().count(), output.family.len());
}

#[test]
fn family_truth_links_a_minor_to_an_adult_woman_elsewhere() {
    let config = small();
    let output = generate(&config);
    let records = by_node_and_id(&output);
    assert!(output.family.len() > 50, "only {} family rows", output.family.len());
    let mut mothers_of: HashMap<&str, HashSet<&str>> = HashMap::new();
    for f in &output.family {
        assert_ne!(f.child_node, f.mother_node);
        let child = records[&(f.child_node.clone(), f.child_record_id.clone())];
        let mother = records[&(f.mother_node.clone(), f.mother_record_id.clone())];
        assert!(child.person.is_minor_on(config.today), "{:?}", child.person);
        assert!(!mother.person.is_minor_on(config.today), "{:?}", mother.person);
        assert_ne!(mother.person.sex, Sex::Male);
        assert!(!child.person.mother.given_name.is_empty() || !child.person.mother.family_name.is_empty());
        mothers_of.entry(child.person_id.as_str()).or_default().insert(mother.person_id.as_str());
    }
    // A child has one mother.
    assert!(mothers_of.values().all(|m| m.len() == 1));
}

#[test]
fn csv_parses_back_with_the_expected_header() {
    let config = small();
    let output = generate(&config);
    let records = by_node_and_id(&output);
    for country in &config.countries {
        let text = output.to_csv(country);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        assert_eq!(header, CSV_HEADER);
        let mut rows = 0;
        for row in reader.records() {
            let row = row.unwrap();
            assert_eq!(row.len(), CSV_HEADER.len());
            let record = &records[&(country.clone(), row[0].to_string())].person;
            assert_eq!(&row[1], record.given_name);
            assert_eq!(&row[2], record.family_name);
            assert_eq!(PartialDate::parse(&row[5]).unwrap(), record.date_of_birth);
            assert_eq!(PartialDate::parse(&row[14]).unwrap(), record.mother.date_of_birth);
            if !row[7].is_empty() {
                assert_eq!(crate::country::parse(&row[7]), record.nationalities.first().map(String::as_str));
            }
            rows += 1;
        }
        assert_eq!(rows, config.persons_per_node);
    }
}

/// Shares of the modelled phenomena, so that the module documentation stays true.
#[test]
fn phenomena_occur_in_the_documented_proportions() {
    let config = SynthConfig::demo(3000);
    let output = generate(&config);
    let total = output.records.len() as f64;
    let share = |pred: &dyn Fn(&SynthRecord) -> bool| output.records.iter().filter(|r| pred(r)).count() as f64 / total;

    let mut per_person: HashMap<&str, usize> = HashMap::new();
    for r in &output.records {
        *per_person.entry(&r.person_id).or_default() += 1;
    }
    let multi = per_person.values().filter(|&&n| n > 1).count() as f64 / per_person.len() as f64;
    assert!((0.12..0.30).contains(&multi), "multi-country persons {multi}");

    let minors = share(&|r| r.person.is_minor_on(config.today));
    assert!((0.2..0.5).contains(&minors), "minors {minors}");
    let cyrillic = |s: &str| s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
    let by_node = |node: &str, pred: &dyn Fn(&Person) -> bool| {
        let on: Vec<&SynthRecord> = output.records.iter().filter(|r| r.node == node).collect();
        on.iter().filter(|r| pred(&r.person)).count() as f64 / on.len() as f64
    };
    // A number sign before about 1.5 % of numbers, in the record's script.
    let numbers: Vec<(&str, &Person)> = output
        .records
        .iter()
        .flat_map(|r| r.person.documents.iter().map(move |d| (d.number.as_str(), &r.person)))
        .collect();
    let signed: Vec<&(&str, &Person)> =
        numbers.iter().filter(|(n, _)| n.starts_with("№ ") || n.starts_with("No. ")).collect();
    let signed_share = signed.len() as f64 / numbers.len() as f64;
    assert!((0.005..0.03).contains(&signed_share), "numbers after a number sign {signed_share}");
    // `No.` in a record in Latin letters, `№` in Cyrillic (and in Arabic copied from Cyrillic).
    let latin = |s: &str| s.chars().any(|c| c.is_alphabetic() && c < '\u{0370}');
    assert!(signed.iter().all(|(n, p)| n.starts_with("No. ") == latin(&p.family_name)), "number signs by script");
    assert!(signed.iter().any(|(n, _)| n.starts_with("No. ")) && signed.iter().any(|(n, _)| n.starts_with('№')));
    let kz_cyr = by_node("KZ", &|p| cyrillic(&p.given_name));
    assert!(kz_cyr > 0.65, "KZ Cyrillic {kz_cyr}");
    let tm_latin =
        by_node("TM", &|p| p.family_name.chars().any(|c| "çäžňöşüý".contains(c)) || p.family_name.ends_with("ow"));
    assert!(tm_latin > 0.3, "TM Turkmen Latin {tm_latin}");
    let uz_apostrophe = by_node("UZ", &|p| {
        [&p.given_name, &p.family_name, &p.patronymic].iter().any(|s| s.contains(['ʻ', '\'', '’', '`', 'ʼ']))
    });
    assert!(uz_apostrophe > 0.1, "UZ apostrophes {uz_apostrophe}");
    let tj_letters = by_node("TJ", &|p| p.family_name.chars().any(|c| "ҷӣӯҳғқ".contains(c)));
    assert!(tj_letters > 0.05, "TJ letters {tj_letters}");
    let zoda = by_node("TJ", &|p| {
        p.family_name.to_lowercase().contains("зод") || p.family_name.to_lowercase().contains("zod")
    });
    assert!(zoda > 0.05, "zoda {zoda}");
    // The Persian adjective ending of the naming law, in Tajik Cyrillic (ӣ) or Latin (i).
    let adjective = by_node("TJ", &|p| {
        let family = p.family_name.to_lowercase();
        family.ends_with('ӣ') || (family.ends_with('i') && !family.ends_with("ovi"))
    });
    assert!(adjective > 0.01, "Tajik -ӣ {adjective}");
    let kazakh_letters =
        by_node("KZ", &|p| p.given_name.chars().chain(p.family_name.chars()).any(|c| "әғқңөұүһі".contains(c)));
    assert!(kazakh_letters > 0.05, "KZ letters {kazakh_letters}");
    let year_only = share(&|r| r.person.date_of_birth.is_some_and(|d| d.month.is_none()));
    assert!((0.02..0.10).contains(&year_only), "year only {year_only}");
    let no_patronymic = share(&|r| r.person.patronymic.is_empty());
    assert!((0.15..0.45).contains(&no_patronymic), "no patronymic {no_patronymic}");
    let children_naming_mother = share(&|r| !r.person.mother.given_name.is_empty());
    assert!(children_naming_mother > 0.15, "children naming a mother {children_naming_mother}");
    let family_rows = output.family.len() as f64 / config.countries.len() as f64 / config.persons_per_node as f64;
    assert!((0.05..0.30).contains(&family_rows), "family rows per record {family_rows}");

    // List conventions: one name column (KZ, KG), -jon / -xon (UZ, TJ).
    let one_column = by_node("KZ", &|p| p.given_name.is_empty() && p.family_name.split(' ').count() >= 2);
    assert!((0.02..0.07).contains(&one_column), "KZ one name column {one_column}");
    let endearing = by_node("UZ", &|p| {
        let g = p.given_name.to_lowercase();
        ["jon", "xon", "жон", "хон"].iter().any(|e| g.ends_with(e))
    });
    assert!((0.03..0.12).contains(&endearing), "UZ -jon / -xon {endearing}");
    let csv = output.to_csv("UZ");
    let zeros = csv.lines().filter(|l| l.contains(",00.")).count() as f64 / config.persons_per_node as f64;
    assert!((0.01..0.08).contains(&zeros), "UZ dates with 00 {zeros}");
    let words = csv.lines().filter(|l| l.contains(",erkak,") || l.contains(",ayol,")).count() as f64
        / config.persons_per_node as f64;
    assert!((0.01..0.04).contains(&words), "UZ sex words {words}");

    // Camp registers in Arabic script: a few children's records, every name on them read back
    // into letters (none dropped), half their dates in Arabic-Indic digits in the CSV.
    let arabic = |s: &str| s.chars().any(crate::matching::arabic::is_arabic);
    let camp: Vec<&SynthRecord> = output.records.iter().filter(|r| arabic(&r.person.given_name)).collect();
    let camp_share = camp.len() as f64 / total;
    assert!((0.005..0.03).contains(&camp_share), "camp registers in Arabic script {camp_share}");
    for r in &camp {
        let p = &r.person;
        assert!(p.is_minor_on(config.today), "{p:?}");
        for name in [&p.given_name, &p.family_name, &p.patronymic, &p.mother.given_name, &p.mother.family_name] {
            assert!(name.is_empty() || !crate::matching::normalise::fold(name).is_empty(), "{name:?}");
        }
    }
    let all_csv: String = config.countries.iter().map(|c| output.to_csv(c)).collect();
    let indic = all_csv.lines().filter(|l| l.contains(['٠', '١', '٢'])).count() as f64 / camp.len() as f64;
    assert!((0.25..0.75).contains(&indic), "Arabic-Indic dates {indic}");

    // Namesakes and twins: same given and family name (as canonical), different persons.
    let mut names: HashMap<(String, String), HashSet<&str>> = HashMap::new();
    for r in output.records.iter().filter(|r| r.node == "KZ") {
        names
            .entry((r.person.given_name.to_lowercase(), r.person.family_name.to_lowercase()))
            .or_default()
            .insert(&r.person_id);
    }
    assert!(names.values().any(|p| p.len() > 1), "no namesakes");

    // Twins' papers carry consecutive numbers: records of one node, different persons, the
    // same birth date, one number the next of the other.
    let mut twins = 0;
    for country in &config.countries {
        let mut by_number: HashMap<String, (&str, Option<PartialDate>)> = HashMap::new();
        let on: Vec<&SynthRecord> = output.records.iter().filter(|r| &r.node == country).collect();
        for r in &on {
            for d in &r.person.documents {
                by_number.insert(d.number.clone(), (&r.person_id, r.person.date_of_birth));
            }
        }
        for r in &on {
            for d in &r.person.documents {
                if let Some((other, dob)) = by_number.get(&next_number(&d.number)) {
                    twins += usize::from(*other != r.person_id && *dob == r.person.date_of_birth);
                }
            }
        }
    }
    assert!(twins > 0, "no twins with consecutive papers");
}

#[test]
fn the_next_number_carries_and_keeps_its_width() {
    assert_eq!(next_number("I-ЖТ 748276"), "I-ЖТ 748277");
    assert_eq!(next_number("AC0000999"), "AC0001000");
    assert_eq!(next_number("N9"), "N0");
    assert_eq!(next_number("08 3303799"), "08 3303800");
    assert_eq!(next_number("ABC"), "ABC");
}

#[test]
#[ignore = "prints statistics; run with --ignored --nocapture"]
fn print_samples_and_timing() {
    for n in [1000, 10_000, 10_000] {
        let start = std::time::Instant::now();
        let output = generate(&SynthConfig::demo(n));
        eprintln!("5 x {n} in {:?}", start.elapsed());
        drop(output);
    }
    let start = std::time::Instant::now();
    let output = generate(&SynthConfig::demo(10_000));
    eprintln!("5 x 10000 in {:?}, {} family rows", start.elapsed(), output.family.len());
    let mut per_person: HashMap<&str, usize> = HashMap::new();
    for r in &output.records {
        *per_person.entry(&r.person_id).or_default() += 1;
    }
    let persons = per_person.len() as f64;
    for k in 1..=3 {
        eprintln!("persons on {k} nodes: {:.3}", per_person.values().filter(|&&n| n == k).count() as f64 / persons);
    }
    let total = output.records.len() as f64;
    let today = SynthConfig::demo(1).today;
    let share =
        |pred: &dyn Fn(&Person) -> bool| output.records.iter().filter(|r| pred(&r.person)).count() as f64 / total;
    eprintln!("minors {:.3}", share(&|p| p.is_minor_on(today)));
    eprintln!("women adults {:.3}", share(&|p| !p.is_minor_on(today) && p.sex == Sex::Female));
    eprintln!("minors naming mother {:.3}", share(&|p| p.is_minor_on(today) && !p.mother.is_empty()));
    eprintln!("no patronymic {:.3}", share(&|p| p.patronymic.is_empty()));
    eprintln!("no document {:.3}", share(&|p| p.documents.is_empty()));
    eprintln!("aliases {:.3}", share(&|p| !p.aliases.is_empty()));
    eprintln!("family rows / records {:.3}", output.family.len() as f64 / total);
    for country in ["KZ", "KG", "TJ", "TM", "UZ"] {
        let csv = output.to_csv(country);
        for line in csv.lines().take(12) {
            eprintln!("{line}");
        }
    }
}

#[test]
fn an_unknown_birthday_is_1_january_on_every_paper_of_the_person() {
    let output = generate(&SynthConfig::demo(3000));
    let mut by_person: HashMap<&str, Vec<&SynthRecord>> = HashMap::new();
    for r in &output.records {
        by_person.entry(r.person_id.as_str()).or_default().push(r);
    }
    let first_of_january =
        |r: &SynthRecord| r.person.date_of_birth.is_some_and(|d| d.month == Some(1) && d.day == Some(1));
    let day_precise = |r: &SynthRecord| r.person.date_of_birth.is_some_and(|d| d.day.is_some());
    // Persons on several nodes whose papers give a day on at least two of them.
    let (mut persons, mut all_placeholders) = (0, 0);
    for records in by_person.values() {
        let dated: Vec<&&SynthRecord> = records.iter().filter(|r| day_precise(r)).collect();
        if dated.len() < 2 {
            continue;
        }
        persons += 1;
        if dated.iter().all(|r| first_of_january(r)) {
            all_placeholders += 1;
        }
    }
    let share = all_placeholders as f64 / persons as f64;
    // ≈3 % of adults (most persons), and by chance the registrars' default on two papers.
    assert!((0.01..0.05).contains(&share), "{all_placeholders} of {persons}");
}

#[test]
fn the_tajik_naming_law_writes_its_rarer_endings_and_childrens_patronymics() {
    let output = generate(&SynthConfig::demo(3000));
    let tj: Vec<&SynthRecord> = output.records.iter().filter(|r| r.node == "TJ").collect();
    let law_ending = |name: &str| {
        let lower = name.to_lowercase();
        ["фар", "пур", "иён", "ён"].iter().any(|e| lower.ends_with(e))
            && !["нилуфар", "музаффар"].iter().any(|n| lower.ends_with(n))
    };
    let families = tj.iter().filter(|r| law_ending(&r.person.family_name)).count();
    assert!((10..300).contains(&families), "{families} TJ family names with -фар, -пур, -иён");
    let children: Vec<&&SynthRecord> = tj
        .iter()
        .filter(|r| r.person.date_of_birth.is_some_and(|d| d.year >= 2016))
        .filter(|r| r.person.patronymic.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)))
        .collect();
    let law = children
        .iter()
        .filter(|r| {
            let p = r.person.patronymic.to_lowercase();
            p.ends_with("зода") || p.ends_with("фар")
        })
        .count();
    let share = law as f64 / children.len() as f64;
    assert!((0.2..0.7).contains(&share), "{law} of {} children's Cyrillic patronymics", children.len());
    // Only on TJ.
    assert!(
        output.records.iter().filter(|r| r.node != "TJ").all(|r| !r.person.patronymic.to_lowercase().ends_with("фар")),
        "a law patronymic off the TJ node"
    );
}

#[test]
fn some_kazakh_adults_bear_the_fathers_name_with_uly_or_kyzy_as_surname() {
    let output = generate(&SynthConfig::demo(3000));
    let glued = |name: &str| {
        let lower = name.to_lowercase();
        // Turkmen given names end in -guly (Gurbanguly), and records swap names.
        !lower.contains(' ')
            && !lower.ends_with("guly")
            && !lower.ends_with("гулы")
            && ["ұлы", "қызы", "улы", "кызы", "uly", "kyzy", "ūly", "qyzy", "ulı", "qızı"]
                .iter()
                .any(|e| lower.strip_suffix(e).is_some_and(|stem| stem.chars().count() >= 3))
    };
    let records: Vec<&SynthRecord> = output.records.iter().filter(|r| glued(&r.person.family_name)).collect();
    // About 8 % of the Kazakh adults with a surname of their own: tens of records, not thousands.
    assert!((30..1000).contains(&records.len()), "{} records with a glued -uly / -kyzy surname", records.len());
    for r in &records {
        // The surname is the patronymic: records leave the patronymic out.
        assert!(r.person.patronymic.is_empty(), "{:?}", r.person);
    }
    // The other records of such a person write the surname so too, but for a typo.
    let persons: HashSet<&str> = records.iter().map(|r| r.person_id.as_str()).collect();
    let theirs: Vec<&SynthRecord> = output.records.iter().filter(|r| persons.contains(r.person_id.as_str())).collect();
    let written_so = theirs
        .iter()
        .filter(|r| {
            let written = format!("{} {} {}", r.person.given_name, r.person.family_name, r.person.patronymic);
            written.split(' ').any(glued)
        })
        .count();
    assert!(written_so * 10 >= theirs.len() * 9, "{written_so} of {} records", theirs.len());
}
