//! The caseworker's and administrator's CLI, run as users run it: the real `homeward` binary
//! against an in-process node with real mutual TLS. A case from intake to closure, services and
//! assessments, errors that name the flag or field at fault, an import with a report, an import
//! killed mid-stream, and audit verify/export (with a tampered entry) on the stopped node.

mod common;

use common::Cli;
use homeward_node::harness::{Federation, Options};
use homeward_store::{AuditEntry, Store};

use std::process::Output;
use std::time::{Duration, Instant};

fn homeward(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_homeward")).args(args).output().expect("run homeward")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_from_intake_to_closure_through_the_cli_then_audit_verify_and_export() {
    let root = tempfile::tempdir().unwrap();
    let options = Options { data_root: Some(root.path().join("nodes")), ..Options::default() };
    let federation = Federation::start(&["KZ"], options).await.unwrap();
    let cli = Cli::new(&federation, root.path());

    cli.json(&[
        "person",
        "enrol",
        "--record-id",
        "KZ-100",
        "--given-name",
        "Мадина",
        "--family-name",
        "Жумабаева",
        "--sex",
        "F",
        "--date-of-birth",
        "1994-08",
        "--json",
    ])
    .await;
    let case = cli
        .json(&[
            "case",
            "open",
            "--record",
            "KZ-100",
            "--returned-from",
            "Syria",
            "--return-date",
            "2023-05-14",
            "--agency",
            "Akimat",
            "--caseworker",
            "Aigerim",
            "--consent",
            "services,tracing",
            "--legal-basis",
            "consent",
            "--json",
        ])
        .await;
    let case_id = case["case_id"].as_str().unwrap().to_string();
    assert_eq!(case["status"], "intake");
    assert_eq!(case["returned_from"], "SY");
    assert_eq!(case["consent"]["tracing"], true);

    // An illegal move is refused with the allowed ones named, and changes nothing.
    let error = cli.fails(&["case", "transition", &case_id, "--to", "monitoring"]).await;
    assert!(error.contains("FailedPrecondition") && error.contains("allowed: assessment"), "{error}");
    let error = cli.fails(&["case", "transition", &case_id, "--to", "nowhere"]).await;
    assert!(error.contains("--to"), "{error}");
    for to in ["assessment", "case_plan", "services"] {
        let moved = cli.json(&["case", "transition", &case_id, "--to", to, "--json"]).await;
        assert_eq!(moved["status"], to);
    }

    let service = cli
        .json(&[
            "service",
            "add",
            "--case",
            &case_id,
            "--type",
            "legal_aid",
            "--provider",
            "Legal Aid Centre",
            "--provider-kind",
            "ngo",
            "--referred",
            "2023-06-01",
            "--json",
        ])
        .await;
    let service_id = service["service_id"].as_str().unwrap().to_string();
    let error = cli.fails(&["service", "add", "--case", &case_id, "--type", "astrology"]).await;
    assert!(error.contains("--type"), "{error}");
    let error =
        cli.fails(&["service", "add", "--case", &case_id, "--type", "housing", "--started", "2023-02-30"]).await;
    assert!(error.contains("started_date"), "{error}");
    let updated = cli
        .json(&[
            "service",
            "update",
            "--case",
            &case_id,
            "--service",
            &service_id,
            "--completed",
            "2023-09-01",
            "--outcome",
            "completed",
            "--json",
        ])
        .await;
    assert_eq!(updated["outcome"], "completed");
    assert_eq!(updated["provider"], "Legal Aid Centre");

    let error = cli
        .fails(&[
            "assessment",
            "add",
            "--case",
            &case_id,
            "--round",
            "baseline",
            "--date",
            "2023-06-02",
            "--economic",
            "1.5",
            "--social",
            "0.5",
            "--psychosocial",
            "0.5",
        ])
        .await;
    assert!(error.contains("economic") && error.contains("InvalidArgument"), "{error}");
    let assessment = cli
        .json(&[
            "assessment",
            "add",
            "--case",
            &case_id,
            "--round",
            "baseline",
            "--date",
            "2023-06-02",
            "--economic",
            "0.3",
            "--social",
            "0.6",
            "--psychosocial",
            "0.9",
            "--risk",
            "medium",
            "--json",
        ])
        .await;
    assert_eq!(assessment["round"], "baseline");
    assert!((assessment["composite"].as_f64().unwrap() - 0.6).abs() < 1e-9);

    cli.json(&["case", "transition", &case_id, "--to", "monitoring", "--json"]).await;
    let error = cli.fails(&["case", "close", &case_id, "--reason", "bored"]).await;
    assert!(error.contains("--reason"), "{error}");
    let closed = cli.json(&["case", "close", &case_id, "--reason", "support_completed", "--json"]).await;
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["closure_reason"], "support_completed");
    assert_eq!(closed["history"].as_array().unwrap().len(), 5);

    // The readable table shows the case and its history.
    let output = cli.run(&["case", "get", &case_id]).await;
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(table.contains("CASE") && table.contains("closed") && table.contains("support_completed"), "{table}");
    assert!(table.contains("monitoring → closed"), "{table}");
    let listed = cli.json(&["case", "list", "--status", "closed", "--json"]).await;
    assert_eq!(listed["cases"].as_array().unwrap().len(), 1);
    let reopened = cli.json(&["case", "reopen", &case_id, "--json"]).await;
    assert_eq!(reopened["status"], "reopened");

    // Import with a report file.
    let csv = root.path().join("list.csv");
    std::fs::write(
        &csv,
        "record_id,given_name,family_name,sex,date_of_birth,nationality\nKZ-200,Aliya,Nurova,F,1990,KZ\nKZ-201,Bad,Date,F,1990-02-30,KZ\n",
    )
    .unwrap();
    let report_path = root.path().join("rejected.csv");
    let report =
        cli.json(&["import", csv.to_str().unwrap(), "--report", report_path.to_str().unwrap(), "--json"]).await;
    assert_eq!(report["imported"], 1);
    assert_eq!(report["rejected"][0]["line"], 3);
    let written = std::fs::read_to_string(&report_path).unwrap();
    assert!(written.starts_with("line,record_id,reason\n3,KZ-201,"), "{written}");

    // The administrator cannot read the audit log of a running node; says why.
    let data_dir = root.path().join("nodes").join("KZ");
    let output = homeward(&["audit", "verify", "--data-dir", data_dir.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("stop it first"), "{stderr}");

    federation.shutdown().await.unwrap();

    // Verifying reads a copy: the store's files are as they were (sled rewrites its snapshot
    // when it opens a store).
    let files = || {
        let mut files: Vec<(std::ffi::OsString, u64, std::time::SystemTime)> =
            std::fs::read_dir(data_dir.join("store"))
                .unwrap()
                .map(|e| e.unwrap())
                .map(|e| (e.file_name(), e.metadata().unwrap().len(), e.metadata().unwrap().modified().unwrap()))
                .collect();
        files.sort();
        files
    };
    let before = files();
    let output = homeward(&["audit", "verify", "--data-dir", data_dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("intact"), "{stdout}");
    assert_eq!(files(), before, "audit verify changed the store it read");
    let export = root.path().join("audit.jsonl");
    let output =
        homeward(&["audit", "export", "--data-dir", data_dir.to_str().unwrap(), "--out", export.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let entries: Vec<AuditEntry> =
        std::fs::read_to_string(&export).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(entries.iter().any(|e| e.action == "case.transition" && e.actor == "caseworker:KZ:aigerim"));
    assert!(entries.iter().any(|e| e.action == "assessment.add" && e.record_id == "KZ-100"));
    assert!(entries.iter().all(|e| !e.detail.contains("Мадина")));

    // Tamper with one entry; verify names it and fails.
    let target = entries.iter().find(|e| e.action == "service.update").unwrap().seq;
    {
        let store = Store::open(&data_dir.join("store")).unwrap();
        let mut forged = entries[target as usize].clone();
        forged.detail = "nothing happened".into();
        store.overwrite_raw_audit(target, &serde_json::to_vec(&forged).unwrap()).unwrap();
        store.flush_blocking().unwrap();
    }
    let output = homeward(&["audit", "verify", "--data-dir", data_dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains(&format!("broken at entry {target}")), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_import_client_mid_stream_leaves_only_whole_records() {
    let root = tempfile::tempdir().unwrap();
    let federation = Federation::start(&["KZ"], Options::default()).await.unwrap();
    let cli = Cli::new(&federation, root.path());
    let rows = 40_000;
    let mut text = String::from("record_id,given_name,family_name,sex,date_of_birth,nationality,document_number\n");
    for i in 0..rows {
        text.push_str(&format!("K-{i:06},Given{i},Family{},F,{}-01-15,KZ,N{i:08}\n", i % 97, 1950 + i % 60));
    }
    let csv = root.path().join("big.csv");
    std::fs::write(&csv, &text).unwrap();

    let mut child = cli.command(&["import", csv.to_str().unwrap()]).spawn().expect("start import");
    let state = federation.node("KZ").unwrap().state.clone();
    let start = Instant::now();
    while state.store.count_persons().unwrap() == 0 {
        assert!(start.elapsed() < Duration::from_secs(60), "the import wrote nothing");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().await.expect("kill the client");

    let mut last = u64::MAX;
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let count = state.store.count_persons().unwrap();
        if count == last {
            break;
        }
        last = count;
        assert!(start.elapsed() < Duration::from_secs(60));
    }
    assert!(last > 0 && last < rows as u64, "{last} of {rows} rows imported");
    state
        .store
        .for_each_person(|row| {
            let p = &row.person;
            let i: usize = p.record_id[2..].parse().unwrap();
            assert_eq!(p.given_name, format!("Given{i}"));
            assert_eq!(p.family_name, format!("Family{}", i % 97));
            assert_eq!(p.date_of_birth.map(|d| d.to_string()), Some(format!("{}-01-15", 1950 + i % 60)));
            assert_eq!(p.documents.len(), 1, "{p:?}");
            assert_eq!(p.nationalities, vec!["KZ".to_string()]);
        })
        .unwrap();
    eprintln!("client killed after {last} of {rows} rows were written; every stored record is whole");
    drop(state);
    federation.shutdown().await.unwrap();
}
