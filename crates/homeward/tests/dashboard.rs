//! The coordinators' dashboard in real headless Chromium: the page served by `homeward
//! dashboard --demo` must show exactly the figures that `homeward stats` prints for the same
//! nodes, mark suppressed cells, and render (a screenshot is kept as a test artefact in
//! `target/test-artefacts/dashboard.png`).
//!
//! `.ci/run` installs Debian's `chromium`. Elsewhere, without Chromium, the test says so and
//! passes; with `CI` set it fails instead.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

struct Dashboard(Child);

impl Drop for Dashboard {
    fn drop(&mut self) {
        // Ctrl-C lets the demo federation shut down and remove its temporary directories.
        let _ = Command::new("kill").args(["-INT", &self.0.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run_chromium(browser: &Path, profile: &Path, extra: &[&str], url: &str) -> String {
    let mut args = vec![
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=15000",
    ];
    let profile_arg = format!("--user-data-dir={}", profile.display());
    args.push(&profile_arg);
    args.extend_from_slice(extra);
    args.push(url);
    let output = Command::new(browser).args(&args).output().expect("run chromium");
    assert!(output.status.success(), "chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every `data-table/data-labels/data-value` triple in the page.
fn figures_in(dom: &str) -> BTreeMap<(String, String), String> {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].replace("&amp;", "&").replace("&lt;", "<"))
    };
    let mut out = BTreeMap::new();
    for piece in dom.split("<td").skip(1) {
        let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
        if let (Some(table), Some(labels), Some(value)) =
            (attribute(tag, "data-table"), attribute(tag, "data-labels"), attribute(tag, "data-value"))
        {
            out.insert((table, labels), value);
        }
    }
    out
}

#[test]
fn the_dashboard_shows_what_stats_prints() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "chromium is required in CI (.ci/run installs it)");
        eprintln!("SKIPPED: chromium is not installed here (.ci/run installs it)");
        return;
    };
    let bin = env!("CARGO_BIN_EXE_homeward");
    let mut child = Command::new(bin)
        .args(["dashboard", "--demo", "--persons", "120", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start homeward dashboard");
    let stdout = child.stdout.take().expect("stdout");
    let dashboard = Dashboard(child);
    let (mut url, mut roster, mut pki) = (None, None, None);
    let mut lines = BufReader::new(stdout).lines();
    while url.is_none() {
        let line = lines.next().expect("dashboard ended before printing its address").expect("read stdout");
        if let Some(rest) = line.strip_prefix("dashboard: ") {
            url = Some(rest.trim().to_string());
        } else if let Some(rest) = line.strip_prefix("demo roster: ") {
            roster = Some(PathBuf::from(rest.trim()));
        } else if let Some(rest) = line.strip_prefix("demo pki: ") {
            pki = Some(PathBuf::from(rest.trim()));
        }
    }
    let (url, roster, pki) = (url.unwrap(), roster.expect("roster path"), pki.expect("pki dir"));

    let stats = Command::new(bin)
        .args(["stats", "--json", "--roster"])
        .arg(&roster)
        .arg("--ca")
        .arg(pki.join("ca.pem"))
        .arg("--cert")
        .arg(pki.join("coordinator.pem"))
        .arg("--key")
        .arg(pki.join("coordinator.key"))
        .output()
        .expect("run homeward stats");
    assert!(stats.status.success(), "stats failed: {}", String::from_utf8_lossy(&stats.stderr));
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).expect("stats --json");
    assert_eq!(stats["partial"], false);

    let mut expected = BTreeMap::new();
    for (name, table) in stats["tables"].as_object().expect("tables") {
        for cell in table["cells"].as_array().expect("cells") {
            let labels: Vec<&str> = cell["labels"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
            let value = if cell["suppressed"] == true {
                "suppressed".to_string()
            } else if table["means"] == true {
                cell["mean"].to_string()
            } else {
                cell["value"].to_string()
            };
            expected.insert((name.clone(), labels.join("|")), value);
        }
    }
    assert!(expected.len() >= 10, "too few cells to compare: {expected:?}");
    assert!(expected.values().any(|v| v != "suppressed" && v != "0"), "no figure above k: {expected:?}");

    let profile = tempfile::tempdir().unwrap();
    let dom = run_chromium(&browser, profile.path(), &["--dump-dom"], &url);
    assert!(dom.contains("data-ready=\"true\""), "the page did not finish rendering:\n{dom}");
    assert!(dom.contains("All nodes answered"), "status line missing");
    let shown = figures_in(&dom);
    assert_eq!(shown.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "the page shows other cells");
    for (cell, value) in &expected {
        let on_page = &shown[cell];
        let same = match (value.parse::<f64>(), on_page.parse::<f64>()) {
            (Ok(a), Ok(b)) => (a - b).abs() < 1e-9,
            _ => value == on_page,
        };
        assert!(same, "{cell:?}: stats says {value}, the page shows {on_page}");
    }
    for table in ["persons_by_case_status", "services_by_type", "assessment_scores_by_round", "monthly_counts"] {
        assert!(dom.contains(&format!("data-table-name=\"{table}\"")), "no section for {table}");
    }

    let artefacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artefacts");
    std::fs::create_dir_all(&artefacts).unwrap();
    let shot = artefacts.join("dashboard.png");
    let _ = std::fs::remove_file(&shot);
    let profile = tempfile::tempdir().unwrap();
    let shot_arg = format!("--screenshot={}", shot.display());
    run_chromium(&browser, profile.path(), &[&shot_arg, "--window-size=1400,1600", "--hide-scrollbars"], &url);
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "screenshot missing or empty ({size} bytes)");
    drop(dashboard);
}
