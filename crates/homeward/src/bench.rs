//! `homeward bench`: token crypto throughput against its floor, and a whole federation on this
//! machine (time to converge, precision and recall, memory, CPU, enrolment latency).
//!
//! These are benchmarks, not tests: build with `--release`.

use crate::demo::{COUNTRIES, evaluate, import_records};
use anyhow::Context;
use clap::{Args, Subcommand};
use homeward_core::matching::match_keys;
use homeward_core::synth::{SynthConfig, generate};
use homeward_core::token::{NodeSecret, peer_ref};
use homeward_node::crypto::{blind_persons, floor_seconds_per_token, reblind_all, today, worker_threads};
use homeward_node::harness::{Federation, Options};
use homeward_proto::pb;
use std::collections::HashMap;
use std::time::{Duration, Instant};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Derive-and-blind and re-blind throughput, beside the floor measured in the same run.
    Tokens(TokensArgs),
    /// A federation of in-process nodes on loopback: import, converge, score, measure.
    Federation(FederationArgs),
}

#[derive(Debug, Args)]
pub struct TokensArgs {
    /// Tokens per measured run.
    #[arg(long, default_value_t = 100_000)]
    pub count: usize,
    /// Measured runs; medians are reported.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FederationArgs {
    #[arg(long, default_value_t = 5)]
    pub nodes: usize,
    /// Synthetic records per node.
    #[arg(long, default_value_t = 10_000)]
    pub persons: usize,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Enrolment-latency trials on the idle federation after convergence (0 to skip).
    #[arg(long, default_value_t = 100)]
    pub latency_trials: usize,
    /// How often an idle outbox is polled, in milliseconds (wake-ups make it matter little).
    #[arg(long, default_value_t = 200)]
    pub sync_poll_ms: u64,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 900)]
    pub timeout: u64,
    #[arg(long)]
    pub json: bool,
    /// Also write every link each node holds (below the review threshold too) to this CSV, one
    /// row per node and link with both records' ids, sorted: two runs of the same data compare
    /// with `diff`. Written as evaluated, before the latency probe; the peak RSS is then read
    /// before the file is written (and so without the probe).
    #[arg(long)]
    pub links_out: Option<std::path::PathBuf>,
}

pub async fn run(command: BenchCommand) -> anyhow::Result<()> {
    match command {
        BenchCommand::Tokens(args) => tokio::task::spawn_blocking(move || tokens(args)).await?,
        BenchCommand::Federation(args) => federation(args).await,
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// Synthetic persons whose match keys add up to at least `count` tokens.
fn persons_for(count: usize) -> (Vec<homeward_core::Person>, usize) {
    let mut per_node = (count / 60).max(10);
    loop {
        let output = generate(&SynthConfig::demo(per_node));
        let mut persons = Vec::new();
        let mut tokens = 0;
        let day = today();
        for record in output.records {
            if tokens >= count {
                break;
            }
            tokens += match_keys(&record.person, day).len();
            persons.push(record.person);
        }
        if tokens >= count {
            return (persons, tokens);
        }
        per_node *= 2;
    }
}

fn tokens(args: TokensArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.count > 0 && args.runs > 0, "--count and --runs must be positive");
    let federation = "homeward-bench";
    let a = NodeSecret::generate()?;
    let b = NodeSecret::generate()?;
    let cores = worker_threads();
    let (persons, n) = persons_for(args.count);
    let day = today();
    // Warm up (page in, spin up the pool).
    let warm = blind_persons(federation, &a, &persons[..persons.len().min(200)], day);
    std::hint::black_box(warm);

    let mut blind_rates = Vec::new();
    let mut reblind_rates = Vec::new();
    let mut floor_rates = Vec::new();
    let mut distinct = 0;
    for _ in 0..args.runs {
        // The floor, single core, in the same run as what it is compared with.
        let floor_samples = (n / 10).clamp(2_000, 20_000);
        floor_rates.push(1.0 / floor_seconds_per_token(&a, floor_samples));

        let start = Instant::now();
        let blinded = blind_persons(federation, &a, &persons, day);
        blind_rates.push(n as f64 / start.elapsed().as_secs_f64());

        distinct = blinded.iter().flatten().map(|(_, t)| *t).collect::<std::collections::HashSet<_>>().len();
        let tokens_out: Vec<[u8; 32]> = blinded.into_iter().flatten().map(|(_, t)| t).collect();
        let refs: Vec<&[u8]> = tokens_out.iter().map(|t| t.as_slice()).collect();
        let start = Instant::now();
        let reblinded = reblind_all(&b, &refs).map_err(|(i, e)| anyhow::anyhow!("token {i}: {e}"))?;
        reblind_rates.push(refs.len() as f64 / start.elapsed().as_secs_f64());
        std::hint::black_box(reblinded);
    }
    let floor_per_core = median(&mut floor_rates);
    let floor = floor_per_core * cores as f64;
    let blind = median(&mut blind_rates);
    let reblind = median(&mut reblind_rates);
    let value = serde_json::json!({
        "tokens": n,
        "persons": persons.len(),
        "tokens_per_record": round3(n as f64 / persons.len().max(1) as f64),
        "distinct_tokens": distinct,
        "runs": args.runs,
        "cores": cores,
        "blind_per_s": blind.round(),
        "blind_per_s_per_core": (blind / cores as f64).round(),
        "reblind_per_s": reblind.round(),
        "reblind_per_s_per_core": (reblind / cores as f64).round(),
        "floor_per_s_per_core": floor_per_core.round(),
        "floor_per_s": floor.round(),
        "floor_ratio": round3(blind / floor),
        "reblind_floor_ratio": round3(reblind / floor),
    });
    if args.json {
        println!("{value}");
    } else {
        println!(
            "tokens per run     {n} ({} records, {:.1} per record, {distinct} distinct), {} runs, medians, {cores} cores",
            persons.len(),
            n as f64 / persons.len().max(1) as f64,
            args.runs
        );
        println!("derive-and-blind   {:>9.0} /s   {:>8.0} /s per core", blind, blind / cores as f64);
        println!("re-blind           {:>9.0} /s   {:>8.0} /s per core", reblind, reblind / cores as f64);
        println!(
            "floor              {:>9.0} /s   {:>8.0} /s per core (hash-to-group + scalar mult, single core × {cores})",
            floor, floor_per_core
        );
        println!("ratio to floor     blind {:.3}   re-blind {:.3}", blind / floor, reblind / floor);
    }
    Ok(())
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Peak resident set of this process in MiB (VmHWM, which the kernel gives in KiB), if the
/// kernel says. `peak_rss_mb` in `--json` is this figure; the text shows both units.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// User plus system CPU seconds of this process so far.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may contain spaces) start at state (field 3).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // USER_HZ is 100 on every Linux this runs on.
    Some((utime + stime) / 100.0)
}

const EXTRA_COUNTRIES: [&str; 10] = ["AM", "AZ", "GE", "MN", "AF", "TR", "RU", "BY", "MD", "UA"];

async fn federation(args: FederationArgs) -> anyhow::Result<()> {
    anyhow::ensure!((2..=COUNTRIES.len() + EXTRA_COUNTRIES.len()).contains(&args.nodes), "--nodes must be 2..=15");
    let countries: Vec<&str> = COUNTRIES.iter().chain(EXTRA_COUNTRIES.iter()).copied().take(args.nodes).collect();
    let mut config = SynthConfig::demo(args.persons);
    config.seed = args.seed;
    config.countries = countries.iter().map(|c| c.to_string()).collect();
    let output = generate(&config);
    let day = today();
    let own_tokens: u64 = output.records.iter().map(|r| match_keys(&r.person, day).len() as u64).sum();
    // Each record's match-key tokens are blinded once and re-blinded by every other node. The
    // pair rounds blind and re-blind more, counted as they happen (`crypto::operations`).
    let key_ops = own_tokens + own_tokens * (args.nodes as u64 - 1);
    let floor_per_core = {
        let secret = NodeSecret::generate()?;
        tokio::task::spawn_blocking(move || 1.0 / floor_seconds_per_token(&secret, 10_000)).await?
    };
    let cores = worker_threads();
    let floor_of = |ops: u64| ops as f64 / (floor_per_core * cores as f64);
    let key_floor_seconds = floor_of(key_ops);
    if !args.json {
        eprintln!(
            "{} nodes × {} records, {} match-key tokens to blind and {} to re-blind; their floor {:.1} s on {cores} cores",
            args.nodes,
            args.persons,
            own_tokens,
            own_tokens * (args.nodes as u64 - 1),
            key_floor_seconds
        );
    }
    let options = Options { sync_poll: Duration::from_millis(args.sync_poll_ms), ..Options::default() };
    let federation = Federation::start(&countries, options).await?;
    let cpu_start = cpu_seconds().unwrap_or(0.0);
    let ops_start = homeward_node::crypto::operations();
    let start = Instant::now();
    let mut imports = Vec::new();
    for country in &countries {
        let persons: Vec<homeward_core::Person> =
            output.records.iter().filter(|r| r.node == *country).map(|r| r.person.clone()).collect();
        imports.push((*country, import_records(&federation, country, persons)));
    }
    let mut import_seconds = 0.0;
    for (country, import) in imports {
        let report = import.await.with_context(|| format!("import into {country}"))?;
        anyhow::ensure!(report.rejected.is_empty(), "{country} rejected {} rows", report.rejected.len());
        import_seconds = start.elapsed().as_secs_f64();
    }
    if !args.json {
        eprintln!("imported in {import_seconds:.1} s; waiting for every link…");
    }
    federation.wait_converged(Duration::from_secs(args.timeout)).await?;
    let seconds = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().unwrap_or(0.0) - cpu_start;
    let ops_end = homeward_node::crypto::operations();
    let (blinded, reblinded) = (ops_end.0 - ops_start.0, ops_end.1 - ops_start.1);
    let floor_seconds = floor_of(blinded + reblinded);
    let evaluation = evaluate(&federation, &countries, &output).await?;
    let mut links = 0u64;
    for node in &federation.nodes {
        links += homeward_node::registry::node_status(&node.state)?.links;
    }
    // The links as the evaluation scored them, before the latency probe enrols its copies (which
    // would take records from their partners). Writing them takes memory of its own, so the
    // peak is then read before.
    let peak_before_file = peak_rss_mb();
    if let Some(path) = &args.links_out {
        write_links(&federation, &countries, path).await?;
    }
    let latency = if args.latency_trials > 0 {
        if !args.json {
            eprintln!("probing single-enrolment latency ({} trials)…", args.latency_trials);
        }
        Some(latency_probe(&federation, &countries, &output, args.latency_trials).await?)
    } else {
        None
    };
    let peak = if args.links_out.is_some() { peak_before_file } else { peak_rss_mb() }.unwrap_or(0.0);
    federation.shutdown().await?;
    let value = serde_json::json!({
        "nodes": args.nodes,
        "persons_per_node": args.persons,
        "seconds": round3(seconds),
        "import_seconds": round3(import_seconds),
        "precision": evaluation.same_auto.precision,
        "recall": evaluation.same_auto.recall,
        "same_person": {"auto": evaluation.same_auto, "candidates": evaluation.same_candidates},
        "family": {"auto": evaluation.family_auto, "candidates": evaluation.family_candidates},
        "links": links,
        "peak_rss_mb": round3(peak),
        "cpu_seconds": round3(cpu),
        "cores": cores,
        "tokens_blinded": blinded,
        "tokens_reblinded": reblinded,
        "key_tokens_blinded": own_tokens,
        "key_tokens_reblinded": own_tokens * (args.nodes as u64 - 1),
        "floor_seconds": round3(floor_seconds),
        "floor_ratio": round3(floor_seconds / seconds),
        "key_floor_seconds": round3(key_floor_seconds),
        "key_floor_ratio": round3(key_floor_seconds / seconds),
        "latency_ms": latency.as_ref().map(|l| serde_json::json!({
            "trials": l.len(), "p50": round3(percentile(l, 0.50)), "p99": round3(percentile(l, 0.99)),
            "max": round3(percentile(l, 1.0)),
        })),
    });
    if args.json {
        println!("{value}");
    } else {
        println!("nodes × records      {} × {}", args.nodes, args.persons);
        println!("converged            {seconds:.1} s (import {import_seconds:.1} s)");
        println!(
            "same person (auto)   precision {:.4}  recall {:.4}",
            evaluation.same_auto.precision, evaluation.same_auto.recall
        );
        println!(
            "family (auto)        precision {:.4}  recall {:.4}",
            evaluation.family_auto.precision, evaluation.family_auto.recall
        );
        println!("links held           {links}");
        println!("peak RSS             {peak:.0} MiB ({:.0} MB)", peak * 1.048_576);
        println!("CPU                  {cpu:.1} s on {cores} cores");
        println!(
            "tokens               {blinded} blinded, {reblinded} re-blinded ({} and {} for match keys, the rest for pair rounds)",
            own_tokens,
            own_tokens * (args.nodes as u64 - 1)
        );
        println!("floor                {floor_seconds:.1} s  (ratio {:.3})", floor_seconds / seconds);
        println!("floor, match keys    {key_floor_seconds:.1} s  (ratio {:.3})", key_floor_seconds / seconds);
        if let Some(l) = &latency {
            println!(
                "enrolment → link at peer: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} trials)",
                percentile(l, 0.5),
                percentile(l, 0.99),
                percentile(l, 1.0),
                l.len()
            );
        }
    }
    Ok(())
}

/// Writes every node's links, the peer's record named by its id (found through the peer's own
/// view of the link: its `own_ref` is our `peer_ref`; `?` when the peer holds no such link).
async fn write_links(federation: &Federation, countries: &[&str], path: &std::path::Path) -> anyhow::Result<()> {
    let mut all = Vec::new();
    for country in countries {
        all.push((country.to_string(), federation.links(country, true).await?));
    }
    let mut record_of: HashMap<(String, String, String), String> = HashMap::new();
    for (country, links) in &all {
        for link in links {
            let key = (country.clone(), link.peer_country.clone(), link.own_ref.clone());
            record_of.insert(key, link.record_id.clone());
        }
    }
    let mut rows = Vec::new();
    for (country, links) in &all {
        for link in links {
            let key = (link.peer_country.clone(), country.clone(), link.peer_ref.clone());
            let peer_record = record_of.get(&key).map_or("?", String::as_str);
            let kind = pb::LinkKind::try_from(link.kind).map_or("?", |k| k.as_str_name());
            let status = pb::LinkStatus::try_from(link.status).map_or("?", |s| s.as_str_name());
            rows.push(format!(
                "{country},{},{},{peer_record},{kind},{status},{:.4},{},{},{},{},{}",
                link.record_id,
                link.peer_country,
                link.score,
                link.agreeing_keys.join(" "),
                link.keys_differing.join(" "),
                link.pair_agreeing.join(" "),
                link.pair_close.join(" "),
                link.pair_differing.join(" ")
            ));
        }
    }
    rows.sort();
    let mut text = String::from(
        "node,record_id,peer,peer_record_id,kind,status,score,agreeing_keys,keys_differing,pair_agreeing,pair_close,pair_differing\n",
    );
    for row in rows {
        text.push_str(&row);
        text.push('\n');
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn percentile(sorted_ms: &[f64], q: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    let index = ((sorted_ms.len() as f64 * q).ceil() as usize).clamp(1, sorted_ms.len()) - 1;
    sorted_ms[index]
}

/// Enrols copies of a peer's records at the first node, one at a time on the idle federation,
/// and times each until the link is present at the peer. Returns sorted milliseconds.
async fn latency_probe(
    federation: &Federation,
    countries: &[&str],
    output: &homeward_core::synth::SynthOutput,
    trials: usize,
) -> anyhow::Result<Vec<f64>> {
    let (origin, peer) = (countries[0], countries[1]);
    let origin_node = federation.node(origin)?;
    let peer_node = federation.node(peer)?;
    let mut client = federation.registry(origin).await?;
    let sources: Vec<&homeward_core::Person> =
        output.records.iter().filter(|r| r.node == peer).map(|r| &r.person).take(trials).collect();
    let mut samples = Vec::new();
    for (i, source) in sources.into_iter().enumerate() {
        let mut person = source.clone();
        person.record_id = format!("probe-{i}");
        let reference = peer_ref(&origin_node.state.secrets.ref_key, peer, &person.record_id);
        let start = Instant::now();
        client
            .enrol_person(pb::EnrolPersonRequest { person: Some(homeward_proto::convert::person_to_pb(&person)) })
            .await?;
        let deadline = start + Duration::from_secs(30);
        loop {
            if peer_node.state.store.has_link_from(origin, &reference)? {
                break;
            }
            anyhow::ensure!(Instant::now() < deadline, "probe {i}: no link at {peer} after 30 s");
            tokio::time::sleep(Duration::from_micros(500)).await;
        }
        samples.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    Ok(samples)
}
