//! What a regional coordinator gets, from real nodes: every Coordination response is searched for
//! the names (every script they were written in), birth dates, document numbers and record ids of
//! everyone enrolled — including values disclosed between two nodes — and holds none; small
//! cells are suppressed together with a complement, through the real service; and `homeward
//! stats` with one node stopped names it, says its figures are partial, and prints the rest.

use homeward_node::harness::{Federation, Options};
use homeward_pki::Identity;
use homeward_proto::pb;
use homeward_proto::pb::registry_client::RegistryClient;
use prost::Message;
use std::process::Command;
use std::time::{Duration, Instant};
use tonic::transport::Channel;

const K: u32 = 3;

struct Enrolled {
    record_id: &'static str,
    given: &'static str,
    family: &'static str,
    dob: &'static str,
    document: &'static str,
}

const KZ: &[Enrolled] = &[
    Enrolled {
        record_id: "KZ-101", given: "Хуршида", family: "Юсупова", dob: "1990-03-07", document: "N0411223"
    },
    Enrolled {
        record_id: "KZ-102", given: "Айгуль", family: "Сейтказиева", dob: "1985-11-21", document: "N0733112"
    },
    Enrolled {
        record_id: "KZ-103", given: "Мадина", family: "Жумабаева", dob: "1994-08-02", document: "N0912876"
    },
    Enrolled {
        record_id: "KZ-104",
        given: "Гульнара",
        family: "Абдрахманова",
        dob: "1979-01-30",
        document: "N0554433",
    },
    Enrolled {
        record_id: "KZ-105", given: "Сауле", family: "Нурланова", dob: "2001-06-15", document: "N0667788"
    },
];

const UZ: &[Enrolled] = &[
    Enrolled { record_id: "UZ-201", given: "Khurshida", family: "Yusupova", dob: "1990-03-07", document: "AA7788990" },
    Enrolled { record_id: "UZ-202", given: "Dilnoza", family: "Karimova", dob: "1992-04-18", document: "AA1122334" },
    Enrolled { record_id: "UZ-203", given: "Gulchehra", family: "Rasulova", dob: "1988-12-09", document: "AA5566778" },
];

const TJ: &[Enrolled] = &[
    Enrolled {
        record_id: "TJ-301", given: "Малика", family: "Раҳимова", dob: "1996-02-11", document: "T0099887"
    },
    Enrolled {
        record_id: "TJ-302", given: "Зарина", family: "Назарзода", dob: "1983-07-25", document: "T0011223"
    },
];

fn person(e: &Enrolled, nationality: &str) -> pb::Person {
    pb::Person {
        record_id: e.record_id.into(),
        given_name: e.given.into(),
        family_name: e.family.into(),
        sex: pb::Sex::Female as i32,
        date_of_birth: e.dob.into(),
        nationalities: vec![nationality.into()],
        documents: vec![pb::IdentityDocument {
            r#type: "passport".into(),
            number: e.document.into(),
            issuing_country: nationality.into(),
        }],
        place_of_birth: "Namangan".into(),
        ..Default::default()
    }
}

/// Everything personal a coordinator must never see, in the forms it could take.
fn needles(all: &[(&[Enrolled], &str)]) -> Vec<String> {
    let mut out = vec!["Namangan".to_string()];
    for (people, _) in all {
        for e in *people {
            out.extend([e.record_id.to_string(), e.given.to_string(), e.family.to_string(), e.document.to_string()]);
            out.push(e.dob.to_string());
            let (y, rest) = e.dob.split_at(4);
            let (m, d) = (&rest[1..3], &rest[4..6]);
            out.extend([format!("{d}.{m}.{y}"), format!("{y}{m}{d}"), format!("{d}/{m}/{y}")]);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

async fn enrol_with_case(client: &mut RegistryClient<Channel>, e: &Enrolled, nationality: &str, close: bool) {
    client.enrol_person(pb::EnrolPersonRequest { person: Some(person(e, nationality)) }).await.expect("enrol");
    let case = pb::Case {
        record_id: e.record_id.into(),
        consent: Some(pb::Consent { services: true, sharing: true, reporting: true, tracing: true }),
        legal_basis: pb::LegalBasis::Consent as i32,
        ..Default::default()
    };
    let case = client.open_case(pb::OpenCaseRequest { case: Some(case) }).await.expect("open case").into_inner();
    if close {
        client
            .transition_case(pb::TransitionCaseRequest {
                case_id: case.case_id,
                to: pb::CaseStatus::Closed as i32,
                closure_reason: pb::ClosureReason::SupportCompleted as i32,
                note: String::new(),
            })
            .await
            .expect("close");
    }
}

/// Every table of an answer keeps to the suppression rule: no published cell between 1 and
/// k−1, and never exactly one suppressed cell in a table of several cells (it could be recovered
/// from a total).
fn check_suppression(aggregates: &pb::Aggregates) {
    for table in &aggregates.tables {
        for cell in &table.cells {
            assert!(
                cell.suppressed || cell.value == 0 || cell.value >= u64::from(K),
                "{}: cell {:?} published with {}",
                table.name,
                cell.labels,
                cell.value
            );
        }
        let suppressed = table.cells.iter().filter(|c| c.suppressed).count();
        if table.cells.len() > 1 {
            assert_ne!(suppressed, 1, "{} holds one lone suppressed cell: {table:?}", table.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_see_no_personal_data_and_stats_names_a_stopped_node() {
    let root = tempfile::tempdir().unwrap();
    let options = Options { suppression_k: K, ..Options::default() };
    let mut federation = Federation::start(&["KZ", "UZ", "TJ"], options).await.unwrap();
    for (country, people, nationality) in [("KZ", KZ, "KZ"), ("UZ", UZ, "UZ"), ("TJ", TJ, "TJ")] {
        let mut client = federation.registry(country).await.unwrap();
        for (i, e) in people.iter().enumerate() {
            // One closed case at KZ: a small cell in the table of persons by case status.
            enrol_with_case(&mut client, e, nationality, country == "KZ" && i == 0).await;
        }
    }
    federation.wait_converged(Duration::from_secs(30)).await.unwrap();

    // A disclosure between KZ and UZ puts values of a person of UZ at KZ.
    let start = Instant::now();
    let link = loop {
        let links = federation.links("KZ", false).await.unwrap();
        if let Some(link) = links.into_iter().find(|l| l.record_id == "KZ-101" && l.peer_country == "UZ") {
            break link;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "KZ-101 and UZ-201 never linked");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let mut kz = federation.registry("KZ").await.unwrap();
    let mut uz = federation.registry("UZ").await.unwrap();
    let asked = kz
        .request_disclosure(pb::RequestDisclosureRequest {
            link_id: link.link_id,
            fields: vec!["document_number".into(), "given_name".into()],
            purpose: "verify identity".into(),
            legal_basis: "agreement".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let start = Instant::now();
    loop {
        let answer = uz
            .answer_disclosure(pb::AnswerDisclosureRequest {
                disclosure_id: asked.disclosure_id.clone(),
                approve: true,
                ..Default::default()
            })
            .await;
        if answer.is_ok() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "the request never reached UZ: {answer:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let start = Instant::now();
    while kz
        .get_disclosure(pb::GetDisclosureRequest { disclosure_id: asked.disclosure_id.clone() })
        .await
        .unwrap()
        .into_inner()
        .delivered
        .is_empty()
    {
        assert!(start.elapsed() < Duration::from_secs(30), "the values never reached KZ");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Every node's Coordination answer: nothing personal, suppression kept.
    let needles = needles(&[(KZ, "KZ"), (UZ, "UZ"), (TJ, "TJ")]);
    for country in ["KZ", "UZ", "TJ"] {
        let mut client = federation.coordination(country).await.unwrap();
        let aggregates = client.get_aggregates(pb::GetAggregatesRequest {}).await.unwrap().into_inner();
        let bytes = aggregates.encode_to_vec();
        for needle in &needles {
            assert!(!contains(&bytes, needle), "{country}'s coordinator answer contains {needle:?}");
        }
        assert!(!contains(&bytes, &asked.disclosure_id), "a disclosure id reached the coordinator");
        check_suppression(&aggregates);
        if country == "KZ" {
            let by_status = aggregates.tables.iter().find(|t| t.name == "persons_by_case_status").unwrap();
            let closed = by_status.cells.iter().find(|c| c.labels == ["closed"]).unwrap();
            assert!(closed.suppressed, "one closed case published: {by_status:?}");
            let others = by_status.cells.iter().filter(|c| c.suppressed && c.labels != ["closed"]).count();
            assert!(others >= 1, "the closed cell could be recovered from the total: {by_status:?}");
        }
    }

    // A caseworker or a node is not a coordinator.
    for identity in [Identity::caseworker("KZ", "aigerim"), Identity::node("UZ")] {
        let channel = federation.channel_as("KZ", &identity).await.unwrap();
        let mut client = pb::coordination_client::CoordinationClient::new(channel);
        let denied = client.get_aggregates(pb::GetAggregatesRequest {}).await.unwrap_err();
        assert_eq!(denied.code(), tonic::Code::PermissionDenied, "{identity:?}");
    }

    // `homeward stats` over the roster, with TJ stopped.
    let roster = root.path().join("roster.toml");
    let mut text = String::new();
    for node in &federation.nodes {
        text.push_str(&format!("[[peer]]\ncountry = \"{}\"\naddress = \"{}\"\n\n", node.country, node.address()));
    }
    std::fs::write(&roster, text).unwrap();
    let pem = federation.credentials(&Identity::coordinator("osce")).unwrap();
    let (ca, cert, key) = (root.path().join("ca.pem"), root.path().join("osce.pem"), root.path().join("osce.key"));
    std::fs::write(&ca, pem.ca).unwrap();
    std::fs::write(&cert, pem.cert).unwrap();
    std::fs::write(&key, pem.key).unwrap();
    let tj = federation.nodes.iter().position(|n| n.country == "TJ").unwrap();
    federation.nodes.remove(tj).shutdown().await.unwrap();

    let run_stats = |format: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_homeward"))
            .arg("stats")
            .args(format)
            .arg("--roster")
            .arg(&roster)
            .arg("--ca")
            .arg(&ca)
            .arg("--cert")
            .arg(&cert)
            .arg("--key")
            .arg(&key)
            .output()
            .expect("run homeward stats")
    };
    let stats = |format: &[&str]| {
        let output = run_stats(format);
        assert!(output.status.success(), "stats failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let text = stats(&[]);
    assert!(text.contains("PARTIAL FIGURES — no answer from: TJ"), "{text}");
    assert!(text.contains("persons_by_node") && text.contains("KZ") && text.contains("UZ"), "{text}");
    for needle in &needles {
        assert!(!text.contains(needle.as_str()), "stats printed {needle:?}");
    }
    let json: serde_json::Value = serde_json::from_str(stats(&["--json"]).trim()).unwrap();
    assert_eq!(json["partial"], true);
    assert_eq!(json["nodes_missing"][0]["country"], "TJ");
    let answered = json["nodes_answered"].to_string();
    assert!(answered.contains("KZ") && answered.contains("UZ") && !answered.contains("TJ"), "{json}");
    federation.shutdown().await.unwrap();

    // With no node answering there are no figures at all: an error, not empty tables.
    let output = run_stats(&[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "stats with every node stopped succeeded");
    assert!(stderr.contains("no node of the roster answered") && stderr.contains("TJ ("), "{stderr}");
    assert!(output.stdout.is_empty(), "{}", String::from_utf8_lossy(&output.stdout));
}
