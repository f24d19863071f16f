//! Faults with real processes of the `homeward` binary on loopback: a node killed with SIGKILL
//! in the middle of a five-node import and restarted ends with exactly the links of an
//! undisturbed run; a peer stopped while others keep enrolling catches up when it returns.
//! Every wait has a deadline; nothing sleeps for a fixed time to let things happen.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

const BIN: &str = env!("CARGO_BIN_EXE_homeward");
const DEADLINE: Duration = Duration::from_secs(240);

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

async fn run(args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).kill_on_drop(true).output().await.expect("run homeward")
}

async fn ok(args: &[&str]) -> String {
    let output = run(args).await;
    assert!(
        output.status.success(),
        "homeward {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Shared inputs: one development PKI and one synthetic data set.
struct Inputs {
    _dir: tempfile::TempDir,
    root: PathBuf,
    countries: Vec<String>,
}

impl Inputs {
    async fn new(countries: &[&str], persons: usize) -> Inputs {
        let dir = tempfile::Builder::new().prefix("homeward-faults-").tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let list = countries.join(",");
        let pki = root.join("pki");
        ok(&["pki", "init", "--dir", pki.to_str().unwrap(), "--countries", &list, "--federation", "faults"]).await;
        let synth = root.join("synth");
        let persons = persons.to_string();
        ok(&["synth", "--out", synth.to_str().unwrap(), "--persons", &persons, "--countries", &list]).await;
        Inputs { _dir: dir, root, countries: countries.iter().map(|c| c.to_string()).collect() }
    }

    fn csv(&self, country: &str) -> PathBuf {
        self.root.join("synth").join(format!("persons_{country}.csv"))
    }
}

/// One federation run: node configs in their own directory, one process per node.
struct Run<'a> {
    inputs: &'a Inputs,
    dir: PathBuf,
    endpoints: BTreeMap<String, String>,
    children: BTreeMap<String, Child>,
}

impl<'a> Run<'a> {
    fn new(inputs: &'a Inputs, name: &str) -> Run<'a> {
        let dir = inputs.root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let endpoints: BTreeMap<String, String> =
            inputs.countries.iter().map(|c| (c.clone(), format!("127.0.0.1:{}", free_port()))).collect();
        let mut roster = String::new();
        for (country, address) in &endpoints {
            roster.push_str(&format!("[[peer]]\ncountry = \"{country}\"\naddress = \"https://{address}\"\n\n"));
        }
        std::fs::write(dir.join("roster.toml"), roster).unwrap();
        let pki = inputs.root.join("pki");
        for (country, address) in &endpoints {
            let config = format!(
                "country = \"{country}\"\nfederation = \"faults\"\nlisten = \"{address}\"\ndata_dir = \"{data}\"\n\
                 roster = \"roster.toml\"\nsync_poll_ms = 100\n\n[tls]\nca = \"{ca}\"\ncert = \"{cert}\"\nkey = \"{key}\"\n",
                data = dir.join("data").join(country).display(),
                ca = pki.join("ca.pem").display(),
                cert = pki.join(country).join("node.pem").display(),
                key = pki.join(country).join("node.key").display(),
            );
            std::fs::write(dir.join(format!("{country}.toml")), config).unwrap();
        }
        Run { inputs, dir, endpoints, children: BTreeMap::new() }
    }

    /// Gives this run's nodes the secrets of `other`'s (the same nodes, fresh stores): link
    /// tie-breaks depend on the opaque references, so only runs of the same nodes compare.
    fn same_secrets_as(&self, other: &Run<'_>) {
        for country in &self.inputs.countries {
            let (from, to) = (other.dir.join("data").join(country), self.dir.join("data").join(country));
            std::fs::create_dir_all(&to).unwrap();
            for file in ["blinding.key", "ref.key"] {
                std::fs::copy(from.join(file), to.join(file)).unwrap();
            }
        }
    }

    fn start(&mut self, country: &str) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join(format!("{country}.log")))
            .unwrap();
        let child = Command::new(BIN)
            .args(["node", "--config"])
            .arg(self.dir.join(format!("{country}.toml")))
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("start node");
        self.children.insert(country.to_string(), child);
    }

    /// SIGKILL, no chance to flush or drain.
    async fn kill(&mut self, country: &str) {
        if let Some(mut child) = self.children.remove(country) {
            child.start_kill().unwrap();
            child.wait().await.unwrap();
        }
    }

    fn connect_args(&self, country: &str) -> Vec<String> {
        vec![
            "--endpoint".into(),
            format!("https://{}", self.endpoints[country]),
            "--pki".into(),
            self.inputs.root.join("pki").display().to_string(),
            "--country".into(),
            country.into(),
        ]
    }

    async fn cli(&self, country: &str, args: &[&str]) -> std::process::Output {
        let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        all.extend(self.connect_args(country));
        let refs: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
        run(&refs).await
    }

    async fn status(&self, country: &str) -> Option<serde_json::Value> {
        let output = self.cli(country, &["status", "--json"]).await;
        output.status.success().then(|| serde_json::from_slice(&output.stdout).ok()).flatten()
    }

    async fn wait_ready(&self, country: &str) {
        let start = Instant::now();
        while self.status(country).await.is_none() {
            assert!(start.elapsed() < DEADLINE, "{country} did not come up; see {}", self.dir.display());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn import(&self, country: &str) -> std::process::Output {
        self.import_child(country).wait_with_output().await.expect("import")
    }

    /// An import running as its own process.
    fn import_child(&self, country: &str) -> Child {
        Command::new(BIN)
            .arg("import")
            .arg(self.inputs.csv(country))
            .arg("--json")
            .args(self.connect_args(country))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start import")
    }

    /// Every node up, every outbox empty, and the counters unchanged over two readings.
    async fn wait_converged(&self) {
        let start = Instant::now();
        let mut last = None;
        loop {
            let mut reading = Vec::new();
            let mut settled = true;
            for country in self.endpoints.keys() {
                match self.status(country).await {
                    Some(status) => {
                        for peer in status["peers"].as_array().cloned().unwrap_or_default() {
                            settled &= peer["outbox_backlog"].as_u64() == Some(0);
                            reading.push(peer["tokens_received"].as_u64());
                        }
                        settled &= status["pair_rounds_waiting"].as_u64() == Some(0);
                        settled &= status["records_to_remake"].as_u64() == Some(0);
                        reading.push(status["links"].as_u64());
                        reading.push(status["persons"].as_u64());
                    }
                    None => settled = false,
                }
            }
            if settled && last.as_ref() == Some(&reading) {
                return;
            }
            last = settled.then_some(reading);
            assert!(start.elapsed() < DEADLINE, "no convergence within {DEADLINE:?}; see {}", self.dir.display());
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// Every node's links, keyed so that two runs with different secrets compare equal:
    /// (node, record, peer country, kind, agreeing keys, status, pair round) → count.
    async fn link_set(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for country in self.endpoints.keys() {
            let output = self.cli(country, &["links", "--json"]).await;
            assert!(output.status.success(), "links at {country}: {}", String::from_utf8_lossy(&output.stderr));
            let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            for link in value["links"].as_array().unwrap() {
                let key = format!(
                    "{country} {} {} {} {} {} {}",
                    link["record_id"],
                    link["peer_country"],
                    link["kind"],
                    link["agreeing_keys"],
                    link["status"],
                    link["pair_round"]
                );
                *out.entry(key).or_default() += 1;
            }
        }
        out
    }

    /// The links `country` holds with `peer`, candidates below the review threshold included:
    /// (record, kind, agreeing keys, status, pair round) → count.
    async fn held_links(&self, country: &str, peer: &str) -> BTreeMap<String, usize> {
        let output = self.cli(country, &["links", "--all", "--peer", peer, "--json"]).await;
        assert!(output.status.success(), "links at {country}: {}", String::from_utf8_lossy(&output.stderr));
        let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let mut out = BTreeMap::new();
        for link in value["links"].as_array().unwrap() {
            let key = format!(
                "{} {} {} {} {}",
                link["record_id"], link["kind"], link["agreeing_keys"], link["status"], link["pair_round"]
            );
            *out.entry(key).or_default() += 1;
        }
        out
    }

    /// Points `country`'s roster entry for `peer` at a port nobody listens on (`cut`), or back
    /// at the peer: `country` cannot send to `peer` meanwhile, while `peer` still reaches it.
    /// Takes effect at `country`'s next start.
    fn cut_off(&self, country: &str, peer: &str, cut: bool) {
        let config = self.dir.join(format!("{country}.toml"));
        let text = std::fs::read_to_string(&config).unwrap();
        let roster = format!("roster-{country}.toml");
        let text = if cut {
            let mut entries = String::new();
            for (c, address) in &self.endpoints {
                let address = if c == peer { format!("127.0.0.1:{}", free_port()) } else { address.clone() };
                entries.push_str(&format!("[[peer]]\ncountry = \"{c}\"\naddress = \"https://{address}\"\n\n"));
            }
            std::fs::write(self.dir.join(&roster), entries).unwrap();
            text.replace("roster = \"roster.toml\"", &format!("roster = \"{roster}\""))
        } else {
            text.replace(&format!("roster = \"{roster}\""), "roster = \"roster.toml\"")
        };
        std::fs::write(&config, text).unwrap();
    }

    /// Starts every node of the inputs and waits until each answers.
    async fn start_all(&mut self) {
        let countries = self.inputs.countries.clone();
        for c in &countries {
            self.start(c);
        }
        for c in &countries {
            self.wait_ready(c).await;
        }
    }

    /// Imports every node's records, one after the other, and waits for convergence.
    async fn import_all(&mut self) {
        for c in self.inputs.countries.clone() {
            let output = self.import(&c).await;
            assert!(output.status.success(), "import: {}", String::from_utf8_lossy(&output.stderr));
        }
        self.wait_converged().await;
    }

    async fn stop_all(&mut self) {
        let countries: Vec<String> = self.children.keys().cloned().collect();
        for country in countries {
            self.kill(&country).await;
        }
    }
}

fn assert_same(expected: &BTreeMap<String, usize>, actual: &BTreeMap<String, usize>, what: &str) {
    if expected != actual {
        let missing: Vec<_> = expected.iter().filter(|(k, v)| actual.get(*k) != Some(v)).take(5).collect();
        let extra: Vec<_> = actual.iter().filter(|(k, v)| expected.get(*k) != Some(v)).take(5).collect();
        panic!(
            "{what}: {} links expected, {} found; missing e.g. {missing:?}; extra e.g. {extra:?}",
            expected.values().sum::<usize>(),
            actual.values().sum::<usize>()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_mid_import_ends_with_the_links_of_an_undisturbed_run() {
    let countries = ["KZ", "KG", "TJ", "TM", "UZ"];
    let inputs = Inputs::new(&countries, 300).await;

    // The undisturbed run.
    let mut calm = Run::new(&inputs, "calm");
    calm.start_all().await;
    let imports: Vec<Child> = countries.iter().map(|c| calm.import_child(c)).collect();
    for child in imports {
        let output = child.wait_with_output().await.unwrap();
        assert!(output.status.success(), "import: {}", String::from_utf8_lossy(&output.stderr));
    }
    calm.wait_converged().await;
    let expected = calm.link_set().await;
    calm.stop_all().await;
    assert!(expected.values().sum::<usize>() > 100, "too few links to prove anything: {}", expected.len());

    // The same data; UZ is killed with SIGKILL while every node imports, then restarted.
    let mut rough = Run::new(&inputs, "rough");
    rough.same_secrets_as(&calm);
    rough.start_all().await;
    let others: Vec<Child> = countries.iter().filter(|c| **c != "UZ").map(|c| rough.import_child(c)).collect();
    let uz_import = rough.import_child("UZ");
    // Wait until UZ has stored part of its import (and so is exchanging), then kill it.
    let start = Instant::now();
    loop {
        if let Some(status) = rough.status("UZ").await
            && status["persons"].as_u64().unwrap_or(0) > 0
        {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "UZ never started importing");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    rough.kill("UZ").await;
    // UZ's import was cut off by the kill (or had just finished): either is fine.
    let _ = uz_import.wait_with_output().await;
    for child in others {
        let output = child.wait_with_output().await.unwrap();
        assert!(output.status.success(), "import: {}", String::from_utf8_lossy(&output.stderr));
    }
    rough.start("UZ");
    rough.wait_ready("UZ").await;
    // The operator re-runs UZ's import: rows already stored are unchanged, the rest added.
    let output = rough.import("UZ").await;
    assert!(output.status.success(), "re-import: {}", String::from_utf8_lossy(&output.stderr));
    rough.wait_converged().await;
    let actual = rough.link_set().await;
    rough.stop_all().await;
    assert_same(&expected, &actual, "after a SIGKILL mid-import");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_peer_catches_up_when_it_returns() {
    let countries = ["KZ", "KG", "UZ"];
    let inputs = Inputs::new(&countries, 200).await;

    let mut calm = Run::new(&inputs, "calm");
    calm.start_all().await;
    for c in countries {
        let output = calm.import(c).await;
        assert!(output.status.success(), "import: {}", String::from_utf8_lossy(&output.stderr));
    }
    calm.wait_converged().await;
    let expected = calm.link_set().await;
    calm.stop_all().await;

    // KG imports, then goes away; KZ and UZ keep importing while it is gone.
    let mut away = Run::new(&inputs, "away");
    away.same_secrets_as(&calm);
    away.start_all().await;
    let output = away.import("KG").await;
    assert!(output.status.success());
    away.kill("KG").await;
    for c in ["KZ", "UZ"] {
        let output = away.import(c).await;
        assert!(output.status.success(), "import: {}", String::from_utf8_lossy(&output.stderr));
    }
    // The others see KG as unreachable with a backlog.
    let status = away.status("KZ").await.expect("KZ status");
    let kg = status["peers"].as_array().unwrap().iter().find(|p| p["country"] == "KG").unwrap().clone();
    assert!(kg["outbox_backlog"].as_u64().unwrap() > 0, "{kg}");
    away.start("KG");
    away.wait_converged().await;
    let actual = away.link_set().await;
    away.stop_all().await;
    assert_same(&expected, &actual, "after a peer was away");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_survive_a_key_rotation() {
    let countries = ["KZ", "KG", "UZ"];
    let inputs = Inputs::new(&countries, 150).await;
    let mut run = Run::new(&inputs, "rotate");
    run.start_all().await;
    run.import_all().await;
    let expected = run.link_set().await;
    assert!(expected.values().sum::<usize>() > 50, "too few links: {}", expected.len());
    // Some links were decided by a pair round, whose evidence must survive the rotation too.
    assert!(expected.keys().any(|k| k.contains("\"agreeing\":[\"")), "no pair round in this run");

    let kz_held = run.held_links("KZ", "UZ").await;
    assert!(!kz_held.is_empty());
    let uz_held = run.held_links("UZ", "KZ").await;

    let key = run.dir.join("data").join("UZ").join("blinding.key");
    let old_key = std::fs::read(&key).unwrap();
    // Refused while the node runs (its store is locked).
    let config = run.dir.join("UZ.toml");
    let output = self::run(&["keys", "rotate", "--config", config.to_str().unwrap()]).await;
    assert!(!output.status.success(), "rotation of a running node must be refused");
    run.kill("UZ").await;
    let report = ok(&["keys", "rotate", "--config", config.to_str().unwrap(), "--json"]).await;
    let report: serde_json::Value = serde_json::from_str(report.trim()).unwrap();
    assert!(report["peer_tokens_rewritten"].as_u64().unwrap() > 0, "{report}");
    assert_eq!(report["records_requeued"].as_u64(), Some(150), "{report}");
    let new_key = std::fs::read(&key).unwrap();
    assert_eq!(new_key.len(), 32);
    assert_ne!(new_key, old_key, "the key did not change");
    assert!(!run.dir.join("data").join("UZ").join("blinding.key.next").exists());

    // KZ cannot send to UZ for a while, so it cannot re-send its tokens: what UZ sends (its
    // new answers to KZ's tokens, then its own tokens under the new key) must keep every link
    // KZ holds with UZ's records, as it was — its status and its pair round too, though the
    // links' new rounds cannot finish (KZ's offers cannot reach UZ).
    run.kill("KZ").await;
    run.cut_off("KZ", "UZ", true);
    run.start("KZ");
    run.start("UZ");
    run.wait_ready("KZ").await;
    run.wait_ready("UZ").await;
    // Until UZ has delivered everything to KZ, its re-formed links' new pair-round offers
    // included (queued once no round waits, answered once the backlog is empty again).
    let start = Instant::now();
    loop {
        let status = run.status("UZ").await.expect("UZ status");
        let kz = status["peers"].as_array().unwrap().iter().find(|p| p["country"] == "KZ").unwrap().clone();
        if kz["outbox_backlog"].as_u64() == Some(0) && status["pair_rounds_waiting"].as_u64() == Some(0) {
            break;
        }
        assert!(start.elapsed() < DEADLINE, "UZ did not deliver to KZ: {kz}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_same(&kz_held, &run.held_links("KZ", "UZ").await, "KZ's links with UZ while only UZ could send");
    // UZ made its links with KZ's records again when KZ answered its tokens; their rounds'
    // tokens, mapped to the new key, still compare with what UZ makes now.
    assert_same(&uz_held, &run.held_links("UZ", "KZ").await, "UZ's links with KZ while only UZ could send");

    run.kill("KZ").await;
    run.cut_off("KZ", "UZ", false);
    run.start("KZ");
    run.wait_ready("KZ").await;
    run.wait_converged().await;
    let actual = run.link_set().await;
    run.stop_all().await;
    assert_same(&expected, &actual, "after a key rotation");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_whose_tokens_an_earlier_version_made_remakes_them_when_it_starts() {
    let countries = ["KZ", "UZ"];
    let inputs = Inputs::new(&countries, 120).await;
    let mut run = Run::new(&inputs, "remake");
    run.start_all().await;
    run.import_all().await;
    let expected = run.link_set().await;
    assert!(expected.values().sum::<usize>() > 20, "too few links: {}", expected.len());

    // UZ's store as an earlier version left it: its tokens made by match keys of version 0.
    run.kill("UZ").await;
    let data = run.dir.join("data").join("UZ");
    let current = homeward_core::matching::KEYS_VERSION.to_string().into_bytes();
    {
        let store = homeward_store::Store::open(&data.join("store")).unwrap();
        assert_eq!(store.meta("keys.version").unwrap(), Some(current.clone()), "a new node records its version");
        store.set_meta("keys.version", b"0").unwrap();
        // Enrolment keeps each record's derivation fingerprint; an earlier version did not, so
        // the remake cannot tell which records it would change and sends them all.
        assert_eq!(store.forget_fingerprints().unwrap(), 120, "a fingerprint per enrolled record");
        store.flush_blocking().unwrap();
    }
    run.start("UZ");
    run.wait_ready("UZ").await;
    run.wait_converged().await;
    let actual = run.link_set().await;
    // `homeward status` tells each node's version and its peer's, as the peer last answered.
    let version = u64::from(homeward_core::matching::KEYS_VERSION);
    for country in countries {
        let status = run.status(country).await.expect("status");
        assert_eq!(status["keys_version"].as_u64(), Some(version), "{status}");
        assert_eq!(status["peers"][0]["keys_version"].as_u64(), Some(version), "{status}");
    }
    run.stop_all().await;
    assert_same(&expected, &actual, "after the tokens were made again");

    // Made again once, every record, and recorded; the next start changes nothing.
    let audit = ok(&["audit", "export", "--data-dir", data.to_str().unwrap()]).await;
    let remade: Vec<&str> = audit.lines().filter(|l| l.contains("keys.remake")).collect();
    assert_eq!(remade.len(), 1, "{audit}");
    assert!(remade[0].contains("records=120 remade=120 unchanged=0"), "{}", remade[0]);
    let store = homeward_store::Store::open(&data.join("store")).unwrap();
    assert_eq!(store.meta("keys.version").unwrap(), Some(current));
}
