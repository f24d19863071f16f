//! `homeward eval`: the real pipeline scored against a truth file. One node per input on
//! loopback (as the demo runs them), each file imported through the Registry API, blinded
//! exchange, links read back through the API and joined on their opaque references.

use crate::demo::import_records;
use crate::evaluate::{
    Pair, Predicted, Prf, RecordAt, Side, family_pairs, family_rows_within_node, resolve, truth_pairs,
};
use crate::output::table;
use anyhow::{Context, bail};
use clap::Args;
use homeward_core::Person;
use homeward_core::import::ImportReader;
use homeward_node::harness::{Federation, Options};
use homeward_proto::pb;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Rejected rows printed per input (with the reason); the count covers the rest.
const SHOWN_REJECTIONS: u64 = 10;

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A node and its input: LABEL=FILE (person-import CSV). Repeat for every node.
    #[arg(long = "node", required = true)]
    pub nodes: Vec<String>,
    /// Truth: `person_id,node,record_id`; records with the same person_id are one person.
    #[arg(long)]
    pub truth: PathBuf,
    /// Family truth: `child_node,child_record_id,mother_node,mother_record_id`.
    #[arg(long)]
    pub family_truth: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
    /// List up to this many of each kind of error, with the records' names, dates and
    /// documents and what the link showed: false auto-confirmed links, false links for review,
    /// and true pairs not auto-confirmed.
    #[arg(long, value_name = "N")]
    pub errors: Option<usize>,
    /// Give up if the federation has not converged by then (seconds after the imports end;
    /// links form while records are imported, so this is slack for large inputs).
    #[arg(long, default_value_t = 1800)]
    pub timeout: u64,
}

/// Reads a small CSV with a known header into rows of `width` fields.
fn read_rows(path: &PathBuf, expected_header: &[&str]) -> anyhow::Result<Vec<Vec<String>>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("open {}", path.display()))?;
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("{}: header (is it UTF-8 CSV?)", path.display()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header != expected_header {
        bail!("{}: header must be {}, found {}", path.display(), expected_header.join(","), header.join(","));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{}: row {}", path.display(), i + 2))?;
        rows.push(record.iter().map(|f| f.trim().to_string()).collect());
    }
    Ok(rows)
}

/// The country code a node label runs under: the label itself when it is one, otherwise a code
/// from the user-assigned range (QA, QB, …).
fn country_codes(labels: &[String]) -> anyhow::Result<Vec<String>> {
    let mut spare = (b'A'..=b'Z').map(|c| format!("Q{}", c as char));
    labels
        .iter()
        .map(|label| {
            if homeward_node::config::valid_country(label) {
                Ok(label.clone())
            } else {
                spare.next().context("too many nodes")
            }
        })
        .collect()
}

pub async fn run(args: EvalArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut inputs = Vec::new();
    for spec in &args.nodes {
        let (label, file) = spec.split_once('=').with_context(|| format!("--node {spec:?}: expected LABEL=FILE"))?;
        // Checked before any node starts: a wrong path is an error, not a federation to stop.
        let file = PathBuf::from(file);
        std::fs::File::open(&file).with_context(|| format!("--node {label}: open {}", file.display()))?;
        inputs.push((label.to_string(), file));
    }
    let labels: Vec<String> = inputs.iter().map(|(l, _)| l.clone()).collect();
    let codes = country_codes(&labels)?;
    let truth_rows: Vec<(String, String, String)> = read_rows(&args.truth, &["person_id", "node", "record_id"])?
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect();
    let family_rows: Option<Vec<(String, String, String, String)>> = match &args.family_truth {
        Some(path) => Some(
            read_rows(path, &["child_node", "child_record_id", "mother_node", "mother_record_id"])?
                .into_iter()
                .map(|r| (r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone()))
                .collect(),
        ),
        None => None,
    };

    let code_refs: Vec<&str> = codes.iter().map(|s| s.as_str()).collect();
    let federation =
        Federation::start(&code_refs, Options { federation: "homeward-eval".into(), ..Options::default() }).await?;
    let mut rejected = BTreeMap::new();
    let mut imports = Vec::new();
    let mut briefs: HashMap<RecordAt, String> = HashMap::new();
    for ((label, file), code) in inputs.iter().zip(&codes) {
        let reader = std::fs::File::open(file).with_context(|| format!("open {}", file.display()))?;
        let mut reader =
            ImportReader::new(std::io::BufReader::new(reader)).with_context(|| format!("read {}", file.display()))?;
        let mut persons = Vec::new();
        let mut bad = 0u64;
        while let Some(row) = reader.next() {
            for warning in reader.take_new_warnings() {
                eprintln!("{label} ({}): {warning}", file.display());
            }
            match row {
                Ok(person) => {
                    if args.errors.is_some() {
                        briefs.insert((label.clone(), person.record_id.clone()), brief(&person));
                    }
                    persons.push(person)
                }
                Err(error) => {
                    bad += 1;
                    if bad <= SHOWN_REJECTIONS {
                        eprintln!("{label} ({}): rejected: {error}", file.display());
                    }
                }
            }
        }
        for warning in reader.take_new_warnings() {
            eprintln!("{label} ({}): {warning}", file.display());
        }
        if bad > SHOWN_REJECTIONS {
            eprintln!("{label} ({}): … and {} more rows rejected", file.display(), bad - SHOWN_REJECTIONS);
        }
        rejected.insert(label.clone(), bad);
        imports.push((label.clone(), import_records(&federation, code, persons)));
    }
    let mut imported = BTreeMap::new();
    for (label, import) in imports {
        let report = import.await.with_context(|| format!("import {label}"))?;
        for row in report.rejected.iter().take(SHOWN_REJECTIONS as usize) {
            eprintln!("{label}: line {}: record {:?} refused by the node: {}", row.line, row.record_id, row.reason);
        }
        *rejected.entry(label.clone()).or_default() += report.rejected.len() as u64;
        imported.insert(label, report.imported + report.updated + report.unchanged);
    }
    federation.wait_converged(Duration::from_secs(args.timeout)).await?;
    let mut links = BTreeMap::new();
    for (label, code) in labels.iter().zip(&codes) {
        let with_info = args.errors.is_some();
        links.insert(label.clone(), federation.links_as(code, false, |l| Side::of(l, with_info)).await?);
    }
    let seconds = started.elapsed().as_secs_f64();
    federation.shutdown().await?;

    let country_of: HashMap<String, String> = labels.iter().cloned().zip(codes.iter().cloned()).collect();
    let same = resolve(&links, &country_of, pb::LinkKind::SamePerson);
    let truth = truth_pairs(&truth_rows);
    let same_auto = Prf::of(&same.auto, &truth);
    let same_candidates = Prf::of(&same.candidates, &truth);
    // (resolved, expected) family pairs
    let family_resolved =
        family_rows.as_ref().map(|rows| (resolve(&links, &country_of, pb::LinkKind::Family), family_pairs(rows)));
    let family = family_resolved
        .as_ref()
        .map(|(family, expected)| (Prf::of(&family.auto, expected), Prf::of(&family.candidates, expected)));

    let family_within_node = family_rows.as_deref().map_or(0, family_rows_within_node);
    let errors = args.errors.map(|limit| {
        let mut lists = vec![("same person", errors(&same, &truth, &briefs, limit))];
        if let Some((family, expected)) = &family_resolved {
            lists.push(("family", errors(family, expected, &briefs, limit)));
        }
        lists
    });
    if args.json {
        let prf = |p: &Prf| serde_json::json!({"precision": p.precision, "recall": p.recall, "f1": p.f1, "true_positives": p.true_positives, "predicted": p.predicted, "expected": p.expected});
        let value = serde_json::json!({
            "same_person": {"auto": prf(&same_auto), "candidates": prf(&same_candidates)},
            "family": family.as_ref().map(|(a, c)| serde_json::json!({"auto": prf(a), "candidates": prf(c)})),
            "records": imported,
            "rejected": rejected,
            "unresolved_links": same.unresolved,
            "family_truth_rows_within_one_node": family_within_node,
            "seconds": seconds,
        });
        let mut value = value;
        if let Some(lists) = &errors {
            value["errors"] = lists.iter().map(|(kind, e)| (kind.to_string(), serde_json::json!(e))).collect();
        }
        println!("{value}");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = labels
        .iter()
        .zip(&codes)
        .map(|(l, c)| {
            vec![
                l.clone(),
                c.clone(),
                imported.get(l).copied().unwrap_or(0).to_string(),
                rejected.get(l).copied().unwrap_or(0).to_string(),
            ]
        })
        .collect();
    print!("{}", table(&["NODE", "RUNS AS", "RECORDS", "REJECTED ROWS"], &rows));
    println!();
    let prf_row = |name: &str, p: &Prf| {
        vec![
            name.to_string(),
            format!("{:.4}", p.precision),
            format!("{:.4}", p.recall),
            format!("{:.4}", p.f1),
            p.true_positives.to_string(),
            p.predicted.to_string(),
            p.expected.to_string(),
        ]
    };
    let mut rows = vec![
        prf_row("same person, auto-confirmed", &same_auto),
        prf_row("same person, all candidates", &same_candidates),
    ];
    if let Some((auto, candidates)) = &family {
        rows.push(prf_row("family, auto-confirmed", auto));
        rows.push(prf_row("family, all candidates", candidates));
    }
    print!("{}", table(&["LINKS", "PRECISION", "RECALL", "F1", "TRUE", "FOUND", "EXPECTED"], &rows));
    if same.unresolved > 0 {
        println!("{} links had no counterpart on the peer", same.unresolved);
    }
    if family_within_node > 0 {
        let rows = if family_within_node == 1 { "row" } else { "rows" };
        println!(
            "left out {family_within_node} family truth {rows} with the child and the mother on one node (links are made across nodes only)"
        );
    }
    if let Some(lists) = &errors {
        for (kind, e) in lists {
            for (title, list, total) in [
                ("false auto-confirmed links", &e.false_auto, e.false_auto_total),
                ("false links for review", &e.false_review, e.false_review_total),
                ("true pairs not auto-confirmed", &e.missed, e.missed_total),
            ] {
                println!();
                println!(
                    "{kind}: {title} ({total}{})",
                    if list.len() < total { format!(", {} shown", list.len()) } else { String::new() }
                );
                for item in list {
                    println!("  {} {}  ↔  {} {}", item.a, item.a_record, item.b, item.b_record);
                    println!("      {}", item.link);
                }
            }
        }
        let mut marked = lists.iter().flat_map(|(_, e)| [&e.false_auto, &e.false_review, &e.missed]).flatten();
        if marked.any(|item| item.link.contains("_name*")) {
            println!("\n{}", crate::person::RECORDED_DIFFERENTLY);
        }
    }
    println!("elapsed {seconds:.1} s");
    Ok(())
}

/// A record as a caseworker would recognise it in an error list.
fn brief(p: &Person) -> String {
    let mut parts: Vec<String> = [&p.family_name, &p.given_name, &p.patronymic]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect();
    if let Some(date) = p.date_of_birth {
        parts.push(date.to_string());
    }
    parts.extend(p.documents.iter().map(|d| format!("doc {}", d.number)));
    if !p.nationalities.is_empty() {
        parts.push(format!("nationality {}", p.nationalities.join("/")));
    }
    // The mother as the record names her, with what family keys use: her patronymic and date.
    let mother = &p.mother;
    let mut named: Vec<String> = [&mother.given_name, &mother.family_name, &mother.patronymic]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect();
    if !named.is_empty() {
        named.extend(mother.date_of_birth.map(|d| d.to_string()));
        parts.push(format!("mother {}", named.join(" ")));
    }
    if !p.locality.is_empty() {
        parts.push(p.locality.clone());
    }
    format!("({})", parts.join(", "))
}

/// One pair in an error list.
#[derive(Debug, serde::Serialize)]
struct ErrorPair {
    a: String,
    a_record: String,
    b: String,
    b_record: String,
    /// What the link showed, or that there was none.
    link: String,
}

#[derive(Debug, serde::Serialize)]
struct Errors {
    false_auto: Vec<ErrorPair>,
    false_auto_total: usize,
    false_review: Vec<ErrorPair>,
    false_review_total: usize,
    missed: Vec<ErrorPair>,
    missed_total: usize,
}

/// The errors of one link kind against the expected pairs, at most `limit` of each, in a
/// stable order.
fn errors(predicted: &Predicted, expected: &HashSet<Pair>, briefs: &HashMap<RecordAt, String>, limit: usize) -> Errors {
    let item = |pair: &Pair| {
        let ((la, ra), (lb, rb)) = pair;
        let describe =
            |label: &String, record: &String| briefs.get(&(label.clone(), record.clone())).cloned().unwrap_or_default();
        ErrorPair {
            a: format!("{la}:{ra}"),
            a_record: describe(la, ra),
            b: format!("{lb}:{rb}"),
            b_record: describe(lb, rb),
            link: predicted.info.get(pair).map_or_else(|| "no link".to_string(), |info| info.describe()),
        }
    };
    let sorted = |pairs: Vec<&Pair>| {
        let mut pairs = pairs;
        pairs.sort();
        let total = pairs.len();
        (pairs.into_iter().take(limit).map(item).collect::<Vec<_>>(), total)
    };
    let (false_auto, false_auto_total) = sorted(predicted.auto.iter().filter(|p| !expected.contains(*p)).collect());
    let (false_review, false_review_total) = sorted(
        predicted.candidates.iter().filter(|p| !expected.contains(*p) && !predicted.auto.contains(*p)).collect(),
    );
    let (missed, missed_total) = sorted(expected.iter().filter(|p| !predicted.auto.contains(*p)).collect());
    Errors { false_auto, false_auto_total, false_review, false_review_total, missed, missed_total }
}
