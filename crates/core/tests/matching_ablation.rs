//! What each same-person key kind is worth: the same-person figures on FEBRL4 and on two
//! synthetic federations (different seeds) with every key, and with each kind left out in
//! turn. A kind whose removal costs nothing is a token per record spent for nothing; the
//! figures are what `docs/matching.md` cites when it adds or drops a key.
//!
//! Run on demand (a few seconds in release):
//! `cargo test --release -p homeward-core --test matching_ablation -- --ignored --nocapture`

use std::collections::{HashMap, HashSet};
use std::path::Path;

use homeward_core::import::ImportReader;
use homeward_core::matching::{KeyKind, KeySet, LinkKind, MatchKey, Thresholds, match_keys, resolve_one_to_one, score};
use homeward_core::synth::{SynthConfig, generate};

const TODAY: (u16, u8, u8) = (2026, 11, 28);

/// Records per node with their keys, and the person id of each record (the truth).
struct Federation {
    name: String,
    nodes: Vec<Vec<(Vec<MatchKey>, String)>>,
}

fn read_csv(path: &Path) -> Vec<homeward_core::Person> {
    let bytes = std::fs::read(path).expect("read csv");
    ImportReader::new(bytes.as_slice()).expect("header").filter_map(Result::ok).collect()
}

fn febrl4() -> Option<Federation> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/febrl4");
    if !dir.join("persons_a.csv").exists() {
        return None;
    }
    let mut person_of: HashMap<(String, String), String> = HashMap::new();
    let mut reader = csv::Reader::from_path(dir.join("truth_persons.csv")).expect("truth");
    for row in reader.records() {
        let row = row.expect("truth row");
        person_of.insert((row[1].to_string(), row[2].to_string()), row[0].to_string());
    }
    let nodes = [("A", "persons_a.csv"), ("B", "persons_b.csv")]
        .iter()
        .map(|(label, file)| {
            read_csv(&dir.join(file))
                .into_iter()
                .map(|p| {
                    let id = person_of.get(&(label.to_string(), p.record_id.clone())).cloned();
                    (match_keys(&p, TODAY), id.unwrap_or_else(|| format!("{label}:{}", p.record_id)))
                })
                .collect()
        })
        .collect();
    Some(Federation { name: "FEBRL4".into(), nodes })
}

fn synthetic(seed: u64) -> Federation {
    let mut config = SynthConfig::demo(2000);
    config.seed = seed;
    let output = generate(&config);
    let person_of: HashMap<(String, String), String> =
        output.records.iter().map(|r| ((r.node.clone(), r.person.record_id.clone()), r.person_id.clone())).collect();
    let nodes = config
        .countries
        .iter()
        .map(|code| {
            let csv = output.to_csv(code);
            ImportReader::new(csv.as_bytes())
                .expect("header")
                .filter_map(Result::ok)
                .map(|p| {
                    let id = person_of.get(&(code.clone(), p.record_id.clone())).cloned();
                    (match_keys(&p, TODAY), id.unwrap_or_else(|| format!("{code}:{}", p.record_id)))
                })
                .collect()
        })
        .collect();
    Federation { name: format!("synth seed {seed}"), nodes }
}

#[derive(Default, Debug, Clone, Copy)]
struct Figures {
    truth: usize,
    auto_tp: usize,
    auto_n: usize,
    cand_tp: usize,
    cand_n: usize,
    tokens: usize,
    records: usize,
}

impl Figures {
    fn line(&self) -> String {
        let p = |tp: usize, n: usize| tp as f64 / n.max(1) as f64;
        format!(
            "auto P {:.4} R {:.4} ({:4} FP, {:4} FN) | cand P {:.4} R {:.4} | tokens/record {:.2}",
            p(self.auto_tp, self.auto_n),
            p(self.auto_tp, self.truth),
            self.auto_n - self.auto_tp,
            self.truth - self.auto_tp,
            p(self.cand_tp, self.cand_n),
            p(self.cand_tp, self.truth),
            self.tokens as f64 / self.records.max(1) as f64
        )
    }
}

/// Same-person figures with the kinds in `without` left out.
fn measure(federation: &Federation, without: KeySet) -> Figures {
    let thresholds = Thresholds::for_link(LinkKind::SamePerson);
    let keep = |k: &MatchKey| k.kind.link_kind() == LinkKind::SamePerson && !without.contains(k.kind);
    let mut figures = Figures::default();
    for node in &federation.nodes {
        figures.records += node.len();
        figures.tokens += node.iter().map(|(keys, _)| keys.iter().filter(|k| keep(k)).count()).sum::<usize>();
    }
    for a in 0..federation.nodes.len() {
        let mut index: HashMap<(&str, &[u8]), Vec<usize>> = HashMap::new();
        for (i, (keys, _)) in federation.nodes[a].iter().enumerate() {
            for key in keys.iter().filter(|k| keep(k)) {
                index.entry((key.kind.hash_domain(), &key.value)).or_default().push(i);
            }
        }
        for b in a + 1..federation.nodes.len() {
            let mut hits: HashMap<(usize, usize), KeySet> = HashMap::new();
            for (j, (keys, _)) in federation.nodes[b].iter().enumerate() {
                for key in keys.iter().filter(|k| keep(k)) {
                    for &i in index.get(&(key.kind.hash_domain(), key.value.as_slice())).into_iter().flatten() {
                        hits.entry((i, j)).or_default().insert(key.kind);
                    }
                }
            }
            let mut scored: Vec<(usize, usize, f64)> = hits
                .iter()
                .map(|(&(i, j), &kinds)| (i, j, score(LinkKind::SamePerson, kinds)))
                .filter(|t| t.2 >= thresholds.review)
                .collect();
            scored.sort_by_key(|t| (t.0, t.1));
            let same = |i: usize, j: usize| federation.nodes[a][i].1 == federation.nodes[b][j].1;
            for k in resolve_one_to_one(&scored) {
                let (i, j, s) = scored[k];
                figures.cand_n += 1;
                figures.cand_tp += same(i, j) as usize;
                if s >= thresholds.auto_confirm {
                    figures.auto_n += 1;
                    figures.auto_tp += same(i, j) as usize;
                }
            }
            let ids: HashSet<&str> = federation.nodes[a].iter().map(|(_, id)| id.as_str()).collect();
            figures.truth += federation.nodes[b].iter().filter(|(_, id)| ids.contains(id.as_str())).count();
        }
    }
    figures
}

#[test]
#[ignore = "analysis on demand; prints a table"]
fn what_each_key_kind_is_worth() {
    let mut federations: Vec<Federation> = febrl4().into_iter().collect();
    federations.push(synthetic(SynthConfig::demo(2000).seed));
    federations.push(synthetic(SynthConfig::demo(2000).seed ^ 0x5eed));
    for federation in &federations {
        let records: usize = federation.nodes.iter().map(Vec::len).sum();
        let tokens: usize = federation.nodes.iter().flatten().map(|(keys, _)| keys.len()).sum();
        println!(
            "== {} ({:.2} tokens per record with the family keys)",
            federation.name,
            tokens as f64 / records as f64
        );
        println!("  {:28} {}", "all kinds", measure(federation, KeySet::default()).line());
        for kind in KeyKind::ALL.iter().filter(|k| k.link_kind() == LinkKind::SamePerson) {
            let mut without = KeySet::default();
            without.insert(*kind);
            println!("  -{:27} {}", kind.label(), measure(federation, without).line());
        }
        // Sets of kinds left out together: `ABLATE=skeleton_dob,document_tail_dob;…`.
        for set in std::env::var("ABLATE").unwrap_or_default().split(';').filter(|s| !s.is_empty()) {
            let mut without = KeySet::default();
            for label in set.split(',') {
                KeyKind::ALL.iter().filter(|k| k.label() == label).for_each(|k| without.insert(*k));
            }
            println!("  -{set}\n  {:28} {}", "", measure(federation, without).line());
        }
    }
}
