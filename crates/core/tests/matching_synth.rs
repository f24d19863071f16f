//! In-process evaluation on the synthetic returnees (`synth::generate(&SynthConfig::demo(2000))`),
//! as `homeward eval` measures the real pipeline but without nodes: each node's CSV is read back
//! through [`ImportReader`], keys of every record are joined on equal `(hash_domain, value)`
//! across nodes (what blinded tokens allow), same-person hits are scored and resolved one-to-one
//! per node pair, family hits are kept only between a child-role side and a mother-role side.
//! Prints the figures and the tokens per record; `SYNTH_DEBUG=1` lists what true pairs that
//! miss auto-confirmation agree on, and the false auto-confirmed links.
//!
//! The assertions guard against regressions; the bars are checked through `homeward eval`.

use std::collections::{BTreeMap, HashMap, HashSet};

use homeward_core::Person;
use homeward_core::import::ImportReader;
use homeward_core::matching::{
    Decision, KeySet, LinkKind, Thresholds, family_roles_complement, match_keys, pair, resolve_one_to_one, score,
};
use homeward_core::synth::{SynthConfig, generate};

const TODAY: (u16, u8, u8) = (2026, 11, 28);

/// (child's (node, index), mother's (node, index)).
type FamilyPair = ((usize, usize), (usize, usize));

struct Node {
    code: String,
    persons: Vec<Person>,
}

/// A record's match keys, less the kinds named in `LEAVE_OUT=kind,kind` (to measure what a
/// kind is worth with the pair round in place).
fn keys_of(person: &Person) -> Vec<homeward_core::matching::MatchKey> {
    let leave_out = std::env::var("LEAVE_OUT").unwrap_or_default();
    let leave_out: Vec<&str> = leave_out.split(',').filter(|s| !s.is_empty()).collect();
    match_keys(person, TODAY).into_iter().filter(|k| !leave_out.contains(&k.kind.label())).collect()
}

/// Whether the pair round takes part (`PAIR_ROUND=0` leaves it out, to compare).
fn pair_round() -> bool {
    std::env::var("PAIR_ROUND").map(|v| v != "0").unwrap_or(true)
}

fn labels(kinds: KeySet) -> Vec<&'static str> {
    kinds.kinds().map(|k| k.label()).collect()
}

fn prf(tp: usize, selected: usize, truth: usize) -> (f64, f64) {
    (tp as f64 / selected.max(1) as f64, tp as f64 / truth.max(1) as f64)
}

#[test]
fn synthetic_returnees() {
    let persons_per_node: usize = std::env::var("SYNTH_PERSONS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let debug = std::env::var_os("SYNTH_DEBUG").is_some();
    let mut config = SynthConfig::demo(persons_per_node);
    if let Some(seed) = std::env::var("SYNTH_SEED").ok().and_then(|v| v.parse().ok()) {
        config.seed = seed;
    }
    let output = generate(&config);
    let codes: Vec<String> = config.countries.clone();
    let nodes: Vec<Node> = codes
        .iter()
        .map(|code| {
            let csv = output.to_csv(code);
            let persons: Vec<Person> =
                ImportReader::new(csv.as_bytes()).expect("header").filter_map(Result::ok).collect();
            Node { code: code.clone(), persons }
        })
        .collect();

    // Truth: person id per (node, record id); family pairs as ((node, rec), (node, rec)).
    let person_of: HashMap<(String, String), String> =
        output.records.iter().map(|r| ((r.node.clone(), r.person.record_id.clone()), r.person_id.clone())).collect();
    let family_truth: HashSet<FamilyPair> = {
        let index: HashMap<(&str, &str), (usize, usize)> = nodes
            .iter()
            .enumerate()
            .flat_map(|(n, node)| {
                node.persons.iter().enumerate().map(move |(i, p)| ((node.code.as_str(), p.record_id.as_str()), (n, i)))
            })
            .collect();
        output
            .family
            .iter()
            .filter_map(|f| {
                Some((
                    *index.get(&(f.child_node.as_str(), f.child_record_id.as_str()))?,
                    *index.get(&(f.mother_node.as_str(), f.mother_record_id.as_str()))?,
                ))
            })
            .collect()
    };

    // Keys per record.
    let keys: Vec<Vec<Vec<homeward_core::matching::MatchKey>>> =
        nodes.iter().map(|node| node.persons.iter().map(keys_of).collect()).collect();
    let total_records: usize = nodes.iter().map(|n| n.persons.len()).sum();
    let total_tokens: usize = keys.iter().flatten().map(Vec::len).sum();
    let mut per_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    for key in keys.iter().flatten().flatten() {
        *per_kind.entry(key.kind.label()).or_default() += 1;
    }
    println!(
        "records {total_records}, tokens {total_tokens} ({:.2} per record)",
        total_tokens as f64 / total_records as f64
    );
    if debug {
        for (kind, count) in &per_kind {
            println!("  {kind:40} {:.3}", *count as f64 / total_records as f64);
        }
    }

    // Index every node's keys; for each pair of nodes, the kinds each side sees agreeing.
    let same_t = Thresholds::for_link(LinkKind::SamePerson);
    let family_t = Thresholds::for_link(LinkKind::Family);
    let mut same_truth = 0usize;
    let mut same_auto = (0usize, 0usize);
    let mut same_cand = (0usize, 0usize);
    let mut same_any = 0usize;
    let mut family_auto = (0usize, 0usize);
    let mut family_cand = (0usize, 0usize);
    let mut family_found: HashMap<FamilyPair, (f64, KeySet)> = HashMap::new();
    let mut misses: BTreeMap<Vec<&'static str>, usize> = BTreeMap::new();
    let mut false_autos: BTreeMap<Vec<&'static str>, usize> = BTreeMap::new();
    let mut candidate_kinds: BTreeMap<Vec<&'static str>, (usize, usize)> = BTreeMap::new();
    let mut family_fp: BTreeMap<Vec<&'static str>, usize> = BTreeMap::new();
    let mut shown = 0;
    let mut shown_misses = 0;
    for a in 0..nodes.len() {
        let mut index: HashMap<(&'static str, &[u8]), Vec<usize>> = HashMap::new();
        for (i, record_keys) in keys[a].iter().enumerate() {
            for key in record_keys {
                index.entry((key.kind.hash_domain(), &key.value)).or_default().push(i);
            }
        }
        for b in a + 1..nodes.len() {
            // (i in a, j in b) → (kinds on a's side, kinds on b's side)
            let mut hits: HashMap<(usize, usize), (KeySet, KeySet)> = HashMap::new();
            for (j, record_keys) in keys[b].iter().enumerate() {
                for key in record_keys {
                    if let Some(list) = index.get(&(key.kind.hash_domain(), key.value.as_slice())) {
                        for &i in list {
                            let entry = hits.entry((i, j)).or_default();
                            entry.1.insert(key.kind);
                            // a's own kind with the same domain and value
                            for own in &keys[a][i] {
                                if own.kind.hash_domain() == key.kind.hash_domain() && own.value == key.value {
                                    entry.0.insert(own.kind);
                                }
                            }
                        }
                    }
                }
            }
            let is_same = |i: usize, j: usize| {
                let pa = person_of.get(&(nodes[a].code.clone(), nodes[a].persons[i].record_id.clone()));
                let pb = person_of.get(&(nodes[b].code.clone(), nodes[b].persons[j].record_id.clone()));
                pa.is_some() && pa == pb
            };
            // Same person.
            let split = |set: KeySet, link: LinkKind| {
                KeySet(set.kinds().filter(|k| k.link_kind() == link).fold(0, |acc, k| acc | (1u64 << k as u8)))
            };
            let mut scored: Vec<((usize, usize), f64, KeySet)> = Vec::new();
            // Pairs the node would auto-confirm: held evidence (twins, a relative's number) is
            // not confirmed whatever its score.
            let mut confirmed: HashSet<(usize, usize)> = HashSet::new();
            for (&(i, j), &(ka, _)) in &hits {
                let kinds = split(ka, LinkKind::SamePerson);
                if kinds.is_empty() {
                    continue;
                }
                let evidence = (pair_round() && pair::wants_round(kinds, &same_t))
                    .then(|| pair::plain_evidence(&nodes[a].persons[i], &nodes[b].persons[j], kinds));
                let assessment = pair::assess_same_person(kinds, evidence.as_ref());
                let s = assessment.score();
                if assessment.decide(&same_t) == Decision::AutoConfirm {
                    confirmed.insert((i, j));
                }
                if s >= same_t.review {
                    scored.push(((i, j), s, kinds));
                }
            }
            scored.sort_by_key(|x| x.0);
            let triples: Vec<(usize, usize, f64)> = scored.iter().map(|((i, j), s, _)| (*i, *j, *s)).collect();
            let kept: HashSet<usize> = resolve_one_to_one(&triples).into_iter().collect();
            let mut linked: HashMap<(usize, usize), f64> = HashMap::new();
            for (k, ((i, j), s, kinds)) in scored.iter().enumerate() {
                if !kept.contains(&k) {
                    continue;
                }
                let truth = is_same(*i, *j);
                let entry = candidate_kinds.entry(labels(*kinds)).or_default();
                if truth {
                    entry.0 += 1;
                } else {
                    entry.1 += 1;
                }
                same_cand.1 += 1;
                same_cand.0 += truth as usize;
                linked.insert((*i, *j), *s);
                if confirmed.contains(&(*i, *j)) {
                    same_auto.1 += 1;
                    same_auto.0 += truth as usize;
                    if !truth {
                        *false_autos.entry(labels(*kinds)).or_default() += 1;
                        if debug && shown < 25 {
                            shown += 1;
                            println!(
                                "FP {s:.3} {:?}\n  {}\n  {}",
                                labels(*kinds),
                                brief(&nodes[a].persons[*i]),
                                brief(&nodes[b].persons[*j])
                            );
                        }
                    }
                }
            }
            // True same-person pairs between a and b.
            let mut by_person: HashMap<&String, usize> = HashMap::new();
            for (i, p) in nodes[a].persons.iter().enumerate() {
                if let Some(id) = person_of.get(&(nodes[a].code.clone(), p.record_id.clone())) {
                    by_person.insert(id, i);
                }
            }
            for (j, p) in nodes[b].persons.iter().enumerate() {
                let Some(id) = person_of.get(&(nodes[b].code.clone(), p.record_id.clone())) else { continue };
                let Some(&i) = by_person.get(id) else { continue };
                same_truth += 1;
                let kinds = hits.get(&(i, j)).map(|h| split(h.0, LinkKind::SamePerson)).unwrap_or_default();
                if !kinds.is_empty() {
                    same_any += 1;
                }
                let auto = linked.contains_key(&(i, j)) && confirmed.contains(&(i, j));
                if !auto {
                    let group = labels(kinds);
                    let wanted = std::env::var("SYNTH_DEBUG_MISS").ok();
                    if wanted.is_some_and(|w| w == group.join(",")) && shown_misses < 40 {
                        shown_misses += 1;
                        println!(
                            "MISS {:?}\n  {}\n  {}",
                            group,
                            brief(&nodes[a].persons[i]),
                            brief(&nodes[b].persons[j])
                        );
                    }
                    if std::env::var_os("SYNTH_DEBUG_PAIR").is_some() && !kinds.is_empty() && shown_misses < 60 {
                        shown_misses += 1;
                        let evidence = pair::plain_evidence(&nodes[a].persons[i], &nodes[b].persons[j], kinds);
                        let (agree, close, differ) = pair::outcomes(&evidence);
                        println!(
                            "PAIR MISS {:.1} bits {:?} +{agree:?} ~{close:?} !{differ:?}\n  {}\n  {}",
                            pair::pair_bits(&evidence, kinds),
                            group,
                            brief(&nodes[a].persons[i]),
                            brief(&nodes[b].persons[j])
                        );
                    }
                    *misses.entry(group).or_default() += 1;
                }
            }

            // Family: one side child role, the other mother role.
            for (&(i, j), &(ka, kb)) in &hits {
                let (fa, fb) = (split(ka, LinkKind::Family), split(kb, LinkKind::Family));
                if fa.is_empty() || !family_roles_complement(fa, fb) {
                    continue;
                }
                let s = score(LinkKind::Family, fa);
                if s < family_t.review {
                    continue;
                }
                let a_is_child =
                    homeward_core::matching::family_role_of(fa) == Some(homeward_core::matching::FamilyRole::Child);
                let pair = if a_is_child { ((a, i), (b, j)) } else { ((b, j), (a, i)) };
                family_found.insert(pair, (s, fa));
            }
        }
    }
    for (pair, (s, kinds)) in &family_found {
        let truth = family_truth.contains(pair);
        family_cand.1 += 1;
        family_cand.0 += truth as usize;
        if *s >= family_t.auto_confirm {
            family_auto.1 += 1;
            family_auto.0 += truth as usize;
        }
        if !truth {
            let key =
                labels(*kinds).into_iter().map(|l| l.trim_end_matches(".child").trim_end_matches(".mother")).collect();
            *family_fp.entry(key).or_default() += 1;
        }
    }

    let (p, r) = prf(same_auto.0, same_auto.1, same_truth);
    println!("same person: truth {same_truth}, sharing a key {same_any}");
    println!("  auto       P {p:.4} R {r:.4} ({} true of {})", same_auto.0, same_auto.1);
    let (cp, cr) = prf(same_cand.0, same_cand.1, same_truth);
    println!("  candidates P {cp:.4} R {cr:.4} ({} true of {})", same_cand.0, same_cand.1);
    let (fp, fr) = prf(family_auto.0, family_auto.1, family_truth.len());
    println!("family: truth {}", family_truth.len());
    println!("  auto       P {fp:.4} R {fr:.4} ({} true of {})", family_auto.0, family_auto.1);
    let (fcp, fcr) = prf(family_cand.0, family_cand.1, family_truth.len());
    println!("  candidates P {fcp:.4} R {fcr:.4} ({} true of {})", family_cand.0, family_cand.1);

    if debug {
        let mut misses: Vec<_> = misses.into_iter().collect();
        misses.sort_by_key(|x| std::cmp::Reverse(x.1));
        println!("same-person true pairs not auto-confirmed, by agreeing kinds:");
        for (kinds, count) in misses.iter().take(40) {
            println!("  {count:5} {:.3} {kinds:?}", score_of(kinds));
        }
        println!("candidate links (true, false) by agreeing kinds, most false first:");
        let mut candidate_kinds: Vec<_> = candidate_kinds.into_iter().collect();
        candidate_kinds.sort_by_key(|x| std::cmp::Reverse(x.1.1));
        for (kinds, (t, f)) in candidate_kinds.iter().take(25) {
            println!("  {t:5} {f:5} {:.3} {kinds:?}", score_of(kinds));
        }
        println!("false auto-confirmed same-person links, by agreeing kinds:");
        for (kinds, count) in &false_autos {
            println!("  {count:5} {kinds:?}");
        }
        // Family misses.
        let mut family_miss: BTreeMap<String, usize> = BTreeMap::new();
        let mut shown = 0;
        for pair in &family_truth {
            let found = family_found.get(pair);
            if found.is_some_and(|(s, _)| *s >= family_t.auto_confirm) {
                continue;
            }
            let child = &nodes[pair.0.0].persons[pair.0.1];
            let mother = &nodes[pair.1.0].persons[pair.1.1];
            let what = format!(
                "{} g{} f{} p{} d{}",
                found.map(|(s, k)| format!("{s:.2} {:?}", labels(*k))).unwrap_or_else(|| "none".into()),
                !child.mother.given_name.is_empty() as u8,
                !child.mother.family_name.is_empty() as u8,
                !child.mother.patronymic.is_empty() as u8,
                child.mother.date_of_birth.is_some() as u8,
            );
            *family_miss.entry(what).or_default() += 1;
            let wanted = std::env::var("SYNTH_DEBUG_FAMILY").ok();
            let code = format!(
                "{}{}{}{}",
                !child.mother.given_name.is_empty() as u8,
                !child.mother.family_name.is_empty() as u8,
                !child.mother.patronymic.is_empty() as u8,
                child.mother.date_of_birth.is_some() as u8
            );
            if wanted.is_some_and(|w| w == code) && shown < 30 && found.is_none() {
                shown += 1;
                println!("FAMILY MISS\n  child  {child:?}\n  mother {mother:?}");
            }
        }
        let mut family_miss: Vec<_> = family_miss.into_iter().collect();
        family_miss.sort_by_key(|x| std::cmp::Reverse(x.1));
        println!(
            "family true pairs not auto-confirmed (g f p d: child record holds the mother's given, family, patronymic, date):"
        );
        for (what, count) in family_miss.iter().take(30) {
            println!("  {count:5} {what}");
        }
        println!("false family links (candidates), by agreeing kinds:");
        for (kinds, count) in &family_fp {
            println!("  {count:5} {kinds:?}");
        }
    }

    assert!(p >= 0.985, "same-person auto precision {p}");
    // Measured 0.9375 with the pair round, 0.906 without; the bar (0.95) is for homeward eval.
    let floor = if pair_round() { 0.93 } else { 0.895 };
    assert!(r >= floor, "same-person auto recall {r} (bar 0.95 through homeward eval)");
    assert!(cr >= 0.97, "same-person candidate recall {cr}");
    // Tokens are the federation's main cost (each is re-blinded by every peer): measured 17.98
    // (17.56 before `full_name_mother` gave children's records a key with their mother's given
    // name; 17.50 before Turkmen ä and ö after a consonant made their keys again with Russian я and ё;
    // 17.43 before names with Uzbek oʻ made their keys again with a plain o; 16.67 before
    // `mother_name_full_date`; 15.84 before `full_name_dob_near_year` came and
    // `full_name_year_month` went).
    let per_record = total_tokens as f64 / total_records as f64;
    assert!(per_record <= 18.0, "{per_record:.2} tokens per record");
    // Family links: measured auto-confirmed precision 0.951 (0.907 before
    // `mother_name_full_date` showed dates that differ); the bar (0.9) is for homeward eval.
    let (family_p, _) = prf(family_auto.0, family_auto.1, family_truth.len());
    assert!(family_p >= 0.93, "family auto precision {family_p}");
}

fn score_of(labels: &[&str]) -> f64 {
    let mut set = KeySet::default();
    for kind in homeward_core::matching::KeyKind::ALL {
        if labels.contains(&kind.label()) {
            set.insert(*kind);
        }
    }
    score(LinkKind::SamePerson, set)
}

/// One line per record for the debug listings: names, sex, date, place, document, locality.
fn brief(p: &Person) -> String {
    let date = p.date_of_birth.map(|d| format!("{d:?}")).unwrap_or_else(|| "-".into());
    let docs: Vec<&str> = p.documents.iter().map(|d| d.number.as_str()).collect();
    format!(
        "{} | {} / {} / {} | {:?} | {} | pob {} | {:?} | docs {:?} | loc {} | aliases {:?}",
        p.record_id,
        p.given_name,
        p.family_name,
        p.patronymic,
        p.sex,
        date.replace("PartialDate ", ""),
        p.place_of_birth,
        p.nationalities,
        docs,
        p.locality,
        p.aliases
    )
}
