//! After a hit, through the CLI as two caseworkers in two countries run it (the real `homeward`
//! binary against two in-process nodes with real mutual TLS): what waits for me, a review, a
//! disclosure asked, approved in part and delivered, a transfer referral accepted; `--json`
//! throughout, and errors that say what is wrong.

mod common;

use common::Cli;
use homeward_node::harness::{Federation, Options};
use serde_json::Value;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(30);

/// Runs `args` until `done` picks something out of its JSON, or fails at [`DEADLINE`].
async fn until(cli: &Cli, args: &[&str], done: impl Fn(&Value) -> Option<Value>) -> Value {
    let start = Instant::now();
    loop {
        let value = cli.json(args).await;
        if let Some(found) = done(&value) {
            return found;
        }
        assert!(start.elapsed() < DEADLINE, "{args:?}: condition not met within {DEADLINE:?}; last: {value}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn first(value: &Value, list: &str) -> Option<Value> {
    value[list].as_array().and_then(|a| a.first().cloned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_caseworkers_review_disclose_and_transfer_through_the_cli() {
    let root = tempfile::tempdir().unwrap();
    let mut options = Options::default();
    options.matching.auto_confirm_enabled = false;
    let federation = Federation::start(&["KZ", "UZ"], options).await.unwrap();
    let kz = Cli::caseworker(&federation, root.path(), "KZ", "aigerim");
    let uz = Cli::caseworker(&federation, root.path(), "UZ", "dilnoza");

    for (cli, record, given, family, place) in
        [(&kz, "KZ-1", "Хуршида", "Юсупова", "Шымкент"), (&uz, "UZ-7", "Khurshida", "Yusupova", "Namangan")]
    {
        cli.json(&[
            "person",
            "enrol",
            "--record-id",
            record,
            "--given-name",
            given,
            "--family-name",
            family,
            "--sex",
            "F",
            "--date-of-birth",
            "1990-03-07",
            "--place-of-birth",
            place,
            "--json",
        ])
        .await;
    }

    // The link waits for review on both sides.
    let link = until(&kz, &["waiting", "--json"], |v| first(v, "links")).await;
    assert_eq!(link["status"], "needs_review");
    let link_id = link["link_id"].as_str().unwrap().to_string();
    let error = kz.fails(&["review", &link_id, "--reject"]).await;
    assert!(error.contains("reason"), "{error}");
    let error = kz.fails(&["review", &link_id, "--confirm", "--reject", "--reason", "x"]).await;
    assert!(error.contains("cannot be used with"), "{error}");
    let reviewed = kz.json(&["review", &link_id, "--confirm", "--reason", "photo matches", "--json"]).await;
    assert_eq!(reviewed["status"], "confirmed");
    assert_eq!(reviewed["own_review"]["reason"], "photo matches");
    let at_uz =
        until(&uz, &["links", "--json"], |v| first(v, "links").filter(|l| l["peer_review"]["decision"] == "confirmed"))
            .await;
    assert_eq!(at_uz["status"], "needs_review");
    let uz_link_id = at_uz["link_id"].as_str().unwrap().to_string();
    uz.json(&["review", &uz_link_id, "--confirm", "--reason", "same person", "--json"]).await;

    // A disclosure: asked by KZ, approved in part by UZ (with an override: no consent is recorded).
    let error = kz
        .fails(&["disclosure", "request", &link_id, "--fields", "eye_colour", "--purpose", "p", "--legal-basis", "b"])
        .await;
    assert!(error.contains("eye_colour") && error.contains("InvalidArgument"), "{error}");
    let asked = kz
        .json(&[
            "disclosure",
            "request",
            &link_id,
            "--fields",
            "given_name,family_name,place_of_birth",
            "--purpose",
            "tracing a child's mother",
            "--legal-basis",
            "bilateral agreement, art. 5",
            "--json",
        ])
        .await;
    assert_eq!(asked["state"], "pending");
    assert_eq!(asked["direction"], "outgoing");
    let id = asked["disclosure_id"].as_str().unwrap().to_string();
    let waiting = until(&uz, &["waiting", "--json"], |v| first(v, "disclosures")).await;
    assert_eq!(waiting["disclosure_id"], id.as_str());
    assert_eq!(waiting["direction"], "incoming");
    let error = uz.fails(&["disclosure", "approve", &id, "--fields", "given_name"]).await;
    assert!(error.contains("override"), "{error}");
    let approved = uz
        .json(&[
            "disclosure",
            "approve",
            &id,
            "--fields",
            "given_name,place_of_birth",
            "--override",
            "child protection, supervisor's approval",
            "--json",
        ])
        .await;
    assert_eq!(approved["state"], "approved");
    let delivered =
        until(&kz, &["disclosure", "show", &id, "--json"], |v| (v["state"] == "delivered").then(|| v.clone())).await;
    assert_eq!(delivered["delivered"], serde_json::json!({"given_name": "Khurshida", "place_of_birth": "Namangan"}));
    assert_eq!(delivered["delivered_from"], "UZ");
    let text = kz.run(&["disclosure", "show", &id]).await;
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("delivered by UZ") && text.contains("Namangan"), "{text}");

    // A transfer referral, accepted: UZ opens a case, KZ's case is transferred.
    let case = kz
        .json(&["case", "open", "--record", "KZ-1", "--consent", "sharing", "--legal-basis", "consent", "--json"])
        .await;
    let case_id = case["case_id"].as_str().unwrap().to_string();
    let sent = kz
        .json(&["referral", "send", &link_id, "--case", &case_id, "--kind", "transfer", "--note", "moved", "--json"])
        .await;
    assert_eq!(sent["state"], "in_progress");
    let referral_id = sent["referral_id"].as_str().unwrap().to_string();
    let waiting = until(&uz, &["referral", "list", "--waiting", "--json"], |v| first(v, "referrals")).await;
    assert_eq!(waiting["kind"], "transfer");
    let error = uz.fails(&["referral", "reject", &referral_id]).await;
    assert!(error.contains("--reason"), "{error}");
    let accepted = uz.json(&["referral", "accept", &referral_id, "--json"]).await;
    assert_eq!(accepted["state"], "accepted");
    let opened = uz.json(&["case", "get", accepted["case_id"].as_str().unwrap(), "--json"]).await;
    assert_eq!(opened["record_id"], "UZ-7");
    until(&kz, &["case", "get", &case_id, "--json"], |v| (v["status"] == "transferred").then(|| v.clone())).await;
    let listed = kz.run(&["referral", "list"]).await;
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains(&referral_id) && listed.contains("accepted"), "{listed}");
    let nothing = uz.json(&["waiting", "--json"]).await;
    assert_eq!(nothing, serde_json::json!({"links": [], "disclosures": [], "referrals": []}));
    federation.shutdown().await.unwrap();
}
