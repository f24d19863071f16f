//! `homeward demo` and `homeward synth`.
//!
//! The demo starts five nodes in this process on 127.0.0.1 ports (real gRPC, real mutual TLS
//! with certificates made on the fly, sled in a temporary directory), generates synthetic
//! returnees with the generator's own truth, imports them through the Registry API, waits
//! until the federation has converged, and prints what a person would want to see.

use crate::evaluate::{Prf, Side, family_pairs, resolve, truth_pairs};
use crate::output::table;
use crate::stats::Merged;
use anyhow::Context;
use clap::Args;
use homeward_core::synth::{SynthConfig, SynthOutput, generate};
use homeward_node::harness::{Federation, Options};
use homeward_proto::pb;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Synthetic persons per node.
    #[arg(long, default_value_t = 1000)]
    pub persons: usize,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// One JSON object instead of the readable summary.
    #[arg(long)]
    pub json: bool,
    /// Give up if the federation has not converged by then (seconds).
    #[arg(long, default_value_t = 300)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Output directory: persons_<CC>.csv per node, truth_persons.csv, truth_family.csv.
    #[arg(long, default_value = "synth")]
    pub out: PathBuf,
    /// Synthetic persons per node.
    #[arg(long, default_value_t = 2000)]
    pub persons: usize,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    #[arg(long, value_delimiter = ',', default_value = "KZ,KG,TJ,TM,UZ")]
    pub countries: Vec<String>,
}

pub fn synth(args: SynthArgs) -> anyhow::Result<()> {
    let mut config = SynthConfig::demo(args.persons);
    config.seed = args.seed;
    config.countries = args.countries.clone();
    let output = generate(&config);
    std::fs::create_dir_all(&args.out).with_context(|| format!("create {}", args.out.display()))?;
    for country in &args.countries {
        let path = args.out.join(format!("persons_{country}.csv"));
        std::fs::write(&path, output.to_csv(country)).with_context(|| format!("write {}", path.display()))?;
    }
    std::fs::write(args.out.join("truth_persons.csv"), output.truth_csv())?;
    std::fs::write(args.out.join("truth_family.csv"), output.family_truth_csv())?;
    println!(
        "wrote {} records for {} nodes and {} family pairs to {}",
        output.records.len(),
        args.countries.len(),
        output.family.len(),
        args.out.display()
    );
    Ok(())
}

/// Streams `persons` to a node's ImportPersons.
pub async fn import_records(
    federation: &Federation,
    country: &str,
    persons: Vec<homeward_core::Person>,
) -> anyhow::Result<pb::ImportReport> {
    let mut client = federation.registry(country).await?;
    let header: Vec<String> = homeward_core::import::csv_header().iter().map(|s| s.to_string()).collect();
    // Rows are made as the stream is read, not all at once before it starts.
    let rows = persons.into_iter().enumerate().map(move |(i, p)| pb::ImportRow {
        line: i as u64 + 2,
        header: header.clone(),
        values: homeward_core::import::person_to_fields(&p),
        client_error: String::new(),
    });
    Ok(client.import_persons(tokio_stream::iter(rows)).await?.into_inner())
}

pub const COUNTRIES: [&str; 5] = ["KZ", "KG", "TJ", "TM", "UZ"];

/// A deterministic pseudo-random number in [0, 1) for a record and a purpose.
fn draw(record_id: &str, purpose: &str) -> f64 {
    let hash = blake3::hash(format!("{purpose}\0{record_id}").as_bytes());
    let bytes: [u8; 8] = hash.as_bytes()[..8].try_into().unwrap_or([0; 8]);
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

/// Opens a case for every record through the Registry API and moves it along the lifecycle
/// (intake → … → closed) to a stage drawn per record, with services and assessments on the way,
/// so that the coordinator's tables have something to show. Consent to reporting is given for
/// about nine cases in ten.
pub async fn seed_cases(federation: &Federation, country: &str, record_ids: Vec<String>) -> anyhow::Result<u64> {
    use pb::CaseStatus as S;
    let client = federation.registry(country).await?;
    let mut tasks = tokio::task::JoinSet::new();
    let chunk = record_ids.len().div_ceil(8).max(1);
    for part in record_ids.chunks(chunk).map(|c| c.to_vec()) {
        let mut client = client.clone();
        tasks.spawn(async move {
            let mut calls = 0u64;
            for record_id in part {
                let r = |purpose: &str| draw(&record_id, purpose);
                let case = pb::Case {
                    record_id: record_id.clone(),
                    return_date: format!("{}-{:02}", 2019 + (r("year") * 6.0) as u32, 1 + (r("month") * 12.0) as u32),
                    returned_from: if r("from") < 0.7 { "SY".into() } else { "IQ".into() },
                    legal_situation: "no charges".into(),
                    agency: "social protection".into(),
                    caseworker: "demo".into(),
                    consent: Some(pb::Consent {
                        services: true,
                        sharing: r("sharing") < 0.8,
                        reporting: r("reporting") < 0.9,
                        tracing: r("tracing") < 0.7,
                    }),
                    legal_basis: pb::LegalBasis::Consent as i32,
                    ..Default::default()
                };
                let case = client.open_case(pb::OpenCaseRequest { case: Some(case) }).await?.into_inner();
                calls += 1;
                let stages = [S::Assessment, S::CasePlan, S::Services, S::Monitoring, S::Closed];
                let reached = (r("stage") * 6.0) as usize;
                for (i, to) in stages.iter().take(reached).enumerate() {
                    let closure_reason = if *to == S::Closed { pb::ClosureReason::SupportCompleted as i32 } else { 0 };
                    client
                        .transition_case(pb::TransitionCaseRequest {
                            case_id: case.case_id.clone(),
                            to: *to as i32,
                            closure_reason,
                            note: String::new(),
                        })
                        .await?;
                    calls += 1;
                    let base = 0.3 + 0.3 * r("score");
                    if *to == S::Assessment || *to == S::Monitoring {
                        let round = if *to == S::Assessment { 0 } else { 1 };
                        let gain = if round == 0 { 0.0 } else { 0.1 + 0.15 * r("gain") };
                        let score = |dimension: &str| (base + gain + 0.2 * (r(dimension) - 0.5)).clamp(0.0, 1.0);
                        client
                            .add_assessment(pb::AddAssessmentRequest {
                                case_id: case.case_id.clone(),
                                assessment: Some(pb::Assessment {
                                    date: "2025-06-01".into(),
                                    round,
                                    economic: score("economic"),
                                    social: score("social"),
                                    psychosocial: score("psychosocial"),
                                    risk_level: pb::RiskLevel::Medium as i32,
                                    ..Default::default()
                                }),
                            })
                            .await?;
                        calls += 1;
                    }
                    if *to == S::Services {
                        let services = 1 + (r("services") * 3.0) as usize;
                        for n in 0..services {
                            let pick =
                                |purpose: &str, count: usize| (r(&format!("{purpose}{n}")) * count as f64) as i32;
                            let started = i + 1 < reached || pick("started", 2) == 0;
                            let completed = i + 2 < reached;
                            let outcome = if completed {
                                if pick("outcome", 5) == 0 {
                                    pb::ServiceOutcome::PartiallyCompleted
                                } else {
                                    pb::ServiceOutcome::Completed
                                }
                            } else {
                                pb::ServiceOutcome::Pending
                            };
                            client
                                .add_service(pb::AddServiceRequest {
                                    case_id: case.case_id.clone(),
                                    service: Some(pb::Service {
                                        r#type: 1 + pick("type", 13),
                                        provider: "demo provider".into(),
                                        provider_kind: 1 + pick("provider", 3),
                                        referred_date: "2025-03-01".into(),
                                        started_date: if started { "2025-04-01".into() } else { String::new() },
                                        completed_date: if completed { "2025-09-01".into() } else { String::new() },
                                        outcome: outcome as i32,
                                        ..Default::default()
                                    }),
                                })
                                .await?;
                            calls += 1;
                        }
                    }
                }
            }
            anyhow::Ok(calls)
        });
    }
    let mut calls = 0;
    while let Some(result) = tasks.join_next().await {
        calls += result??;
    }
    Ok(calls)
}

pub struct Evaluation {
    pub same_auto: Prf,
    pub same_candidates: Prf,
    pub family_auto: Prf,
    pub family_candidates: Prf,
    pub pair_counts: BTreeMap<(String, String, &'static str), u64>,
    pub unresolved: u64,
}

/// Reads every node's links through the API and scores them against the generator's truth.
pub async fn evaluate(federation: &Federation, countries: &[&str], output: &SynthOutput) -> anyhow::Result<Evaluation> {
    let mut links = BTreeMap::new();
    for country in countries {
        links.insert(country.to_string(), federation.links_as(country, false, |l| Side::of(l, false)).await?);
    }
    let country_of: HashMap<String, String> = countries.iter().map(|c| (c.to_string(), c.to_string())).collect();
    let same = resolve(&links, &country_of, pb::LinkKind::SamePerson);
    let family = resolve(&links, &country_of, pb::LinkKind::Family);
    let truth_rows: Vec<(String, String, String)> =
        output.records.iter().map(|r| (r.person_id.clone(), r.node.clone(), r.person.record_id.clone())).collect();
    let truth = truth_pairs(&truth_rows);
    let family_rows: Vec<(String, String, String, String)> = output
        .family
        .iter()
        .map(|f| (f.child_node.clone(), f.child_record_id.clone(), f.mother_node.clone(), f.mother_record_id.clone()))
        .collect();
    let family_truth = family_pairs(&family_rows);
    let mut pair_counts = BTreeMap::new();
    for (set, kind) in [(&same.candidates, "same_person"), (&family.candidates, "family")] {
        for ((a, _), (b, _)) in set {
            let key = if a <= b { (a.clone(), b.clone(), kind) } else { (b.clone(), a.clone(), kind) };
            *pair_counts.entry(key).or_default() += 1;
        }
    }
    Ok(Evaluation {
        same_auto: Prf::of(&same.auto, &truth),
        same_candidates: Prf::of(&same.candidates, &truth),
        family_auto: Prf::of(&family.auto, &family_truth),
        family_candidates: Prf::of(&family.candidates, &family_truth),
        pair_counts,
        unresolved: same.unresolved + family.unresolved,
    })
}

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let countries = COUNTRIES;
    let mut config = SynthConfig::demo(args.persons);
    config.seed = args.seed;
    config.countries = countries.iter().map(|c| c.to_string()).collect();
    let output = generate(&config);
    if !args.json {
        eprintln!("starting {} nodes on 127.0.0.1 with mutual TLS…", countries.len());
    }
    let federation = Federation::start(&countries, Options::default()).await?;
    if !args.json {
        for node in &federation.nodes {
            eprintln!("  {} at {}", node.country, node.address());
        }
        eprintln!("importing {} synthetic records through the Registry API…", output.records.len());
    }
    let mut imports = Vec::new();
    for country in countries {
        let persons: Vec<homeward_core::Person> =
            output.records.iter().filter(|r| r.node == country).map(|r| r.person.clone()).collect();
        imports.push((country, import_records(&federation, country, persons)));
    }
    let mut persons_per_node = BTreeMap::new();
    for (country, import) in imports {
        let report = import.await.with_context(|| format!("import into {country}"))?;
        anyhow::ensure!(
            report.rejected.is_empty(),
            "{country} rejected {} rows: {:?}",
            report.rejected.len(),
            report.rejected.first()
        );
        persons_per_node.insert(country.to_string(), report.imported + report.updated + report.unchanged);
    }
    if !args.json {
        eprintln!("opening cases with services and assessments while the federation exchanges tokens…");
    }
    let mut seeding = Vec::new();
    for country in countries {
        let ids = output.records.iter().filter(|r| r.node == country).map(|r| r.person.record_id.clone()).collect();
        seeding.push(seed_cases(&federation, country, ids));
    }
    for seeded in seeding {
        seeded.await.context("open demo cases")?;
    }
    if !args.json {
        eprintln!("waiting for the federation to converge…");
    }
    federation.wait_converged(Duration::from_secs(args.timeout)).await?;
    let evaluation = evaluate(&federation, &countries, &output).await?;
    let mut merged = Merged::default();
    for country in countries {
        let mut client = federation.coordination(country).await?;
        merged.add(&client.get_aggregates(pb::GetAggregatesRequest {}).await?.into_inner());
    }
    if !args.json {
        eprintln!("following up one hit: review, disclosure, transfer…");
    }
    let followup = crate::demo_followup::run(&federation, countries[0]).await.context("demo follow-up")?;
    let mut node_links = BTreeMap::new();
    for node in &federation.nodes {
        node_links.insert(node.country.clone(), homeward_node::registry::node_status(&node.state)?.links);
    }
    let seconds = started.elapsed().as_secs_f64();
    federation.shutdown().await?;

    let total_persons: u64 = persons_per_node.values().sum();
    let total_links: u64 = evaluation.pair_counts.values().sum();
    if args.json {
        let value = serde_json::json!({
            "nodes": countries.iter().map(|c| serde_json::json!({
                "country": c, "persons": persons_per_node.get(*c), "links": node_links.get(*c),
            })).collect::<Vec<_>>(),
            "persons": total_persons,
            "links": total_links,
            "links_by_pair": evaluation.pair_counts.iter().map(|((a, b, kind), n)| serde_json::json!({"a": a, "b": b, "kind": kind, "links": n})).collect::<Vec<_>>(),
            "precision": evaluation.same_auto.precision,
            "recall": evaluation.same_auto.recall,
            "same_person": {"auto": evaluation.same_auto, "candidates": evaluation.same_candidates},
            "family": {"auto": evaluation.family_auto, "candidates": evaluation.family_candidates},
            "unresolved_links": evaluation.unresolved,
            "coordinator": merged.to_json(),
            "followup": followup,
            "seconds": seconds,
        });
        println!("{value}");
        return Ok(());
    }
    println!(
        "\nHomeward demo: {} countries, {} synthetic records, {} persons behind them\n",
        countries.len(),
        total_persons,
        distinct_persons(&output)
    );
    let rows: Vec<Vec<String>> = countries
        .iter()
        .map(|c| {
            vec![
                c.to_string(),
                persons_per_node.get(*c).copied().unwrap_or(0).to_string(),
                node_links.get(*c).copied().unwrap_or(0).to_string(),
            ]
        })
        .collect();
    print!("{}", table(&["NODE", "PERSONS", "LINKS HELD"], &rows));
    println!("\ncross-border links by country pair (each link counted once)");
    let rows: Vec<Vec<String>> = evaluation
        .pair_counts
        .iter()
        .map(|((a, b, kind), n)| vec![format!("{a}–{b}"), kind.to_string(), n.to_string()])
        .collect();
    print!("{}", table(&["PAIR", "KIND", "LINKS"], &rows));
    println!("\nlinks against the generator's truth (the nodes never exchanged a name)");
    let prf_row = |name: &str, p: &Prf| {
        vec![
            name.to_string(),
            format!("{:.4}", p.precision),
            format!("{:.4}", p.recall),
            format!("{:.4}", p.f1),
            format!("{}/{}/{}", p.true_positives, p.predicted, p.expected),
        ]
    };
    print!(
        "{}",
        table(
            &["LINKS", "PRECISION", "RECALL", "F1", "TRUE/FOUND/EXPECTED"],
            &[
                prf_row("same person, auto-confirmed", &evaluation.same_auto),
                prf_row("same person, all candidates", &evaluation.same_candidates),
                prf_row("family, auto-confirmed", &evaluation.family_auto),
                prf_row("family, all candidates", &evaluation.family_candidates),
            ]
        )
    );
    println!("\nafter a hit: two agencies follow it up (Registry API, messages through the outboxes)");
    for line in &followup {
        println!("  {line}");
    }
    println!("\nwhat a regional coordinator sees (each node withholds its cells of 1–9 and their complements):\n");
    print!("{}", merged.to_text());
    println!("elapsed {seconds:.1} s");
    Ok(())
}

fn distinct_persons(output: &SynthOutput) -> usize {
    output.records.iter().map(|r| r.person_id.as_str()).collect::<std::collections::HashSet<_>>().len()
}
