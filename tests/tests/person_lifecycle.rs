//! A person's record over its life across two nodes: renaming it moves its links at the peer
//! (the old link withdrawn, the new one made), and erasing it removes its personal data from
//! the store — including the sled files on disk — and its links on the peer.

mod common;

use common::{person, wait_for_links};
use homeward_node::harness::{Federation, Options};
use homeward_proto::pb;
use std::path::Path;

fn records(links: &[pb::Link]) -> Vec<&str> {
    let mut records: Vec<&str> = links.iter().map(|l| l.record_id.as_str()).collect();
    records.sort();
    records.dedup();
    records
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renaming_a_person_withdraws_its_old_link_at_the_peer_and_makes_the_new_one() {
    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();
    let mut uz = federation.registry("UZ").await.unwrap();
    let mut kz = federation.registry("KZ").await.unwrap();
    for p in [
        person("UZ-1", "Xurshida", "Yusupova", "1990-03-07", "AA1111111", "UZ"),
        person("UZ-2", "Nodira", "Ergasheva", "1985-11-20", "AB2222222", "UZ"),
    ] {
        uz.enrol_person(pb::EnrolPersonRequest { person: Some(p) }).await.unwrap();
    }
    kz.enrol_person(pb::EnrolPersonRequest {
        person: Some(person("KZ-9", "Хуршида", "Юсупова", "1990-03-07", "AA1111111", "UZ")),
    })
    .await
    .unwrap();
    let links = wait_for_links(&federation, "UZ", |l| records(l) == ["UZ-1"]).await;
    let old_peer_ref = links[0].peer_ref.clone();

    // The KZ caseworker corrects the record: it was Nodira Ergasheva all along.
    kz.update_person(pb::UpdatePersonRequest {
        person: Some(person("KZ-9", "Nodira", "Ergasheva", "1985-11-20", "AB2222222", "UZ")),
    })
    .await
    .unwrap();
    let links = wait_for_links(&federation, "UZ", |l| records(l) == ["UZ-2"]).await;
    assert!(links.iter().all(|l| l.peer_country == "KZ"));
    assert_eq!(links[0].peer_ref, old_peer_ref, "the same KZ record, by the same opaque reference");
    let kz_links = wait_for_links(&federation, "KZ", |l| !l.is_empty()).await;
    assert_eq!(records(&kz_links), ["KZ-9"]);
    assert!(federation.token_indexes_match().unwrap(), "token index out of step with the tables");
    federation.shutdown().await.unwrap();
}

/// Every file under `dir` that contains `needle`.
fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        } else if let Ok(bytes) = std::fs::read(&path)
            && bytes.windows(needle.len()).any(|w| w == needle)
        {
            found.push(path.display().to_string());
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasure_removes_the_person_from_the_store_and_its_links_from_the_peer() {
    let root = tempfile::tempdir().unwrap();
    let options = Options { data_root: Some(root.path().to_path_buf()), ..Options::default() };
    let federation = Federation::start(&["KZ", "UZ"], options).await.unwrap();
    let mut uz = federation.registry("UZ").await.unwrap();
    let mut kz = federation.registry("KZ").await.unwrap();
    let name = "Zulfiyakhon";
    uz.enrol_person(pb::EnrolPersonRequest {
        person: Some(person("UZ-7", name, "Qodirova", "1979-06-01", "AC7777777", "UZ")),
    })
    .await
    .unwrap();
    kz.enrol_person(pb::EnrolPersonRequest {
        person: Some(person("KZ-7", name, "Qodirova", "1979-06-01", "AC7777777", "UZ")),
    })
    .await
    .unwrap();
    let case = kz
        .open_case(pb::OpenCaseRequest {
            case: Some(pb::Case {
                record_id: "KZ-7".into(),
                legal_situation: format!("{name} Qodirova: no charges"),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner();
    kz.add_service(pb::AddServiceRequest {
        case_id: case.case_id.clone(),
        service: Some(pb::Service {
            r#type: pb::ServiceType::Psychosocial as i32,
            note: format!("sessions with {name}"),
            ..Default::default()
        }),
    })
    .await
    .unwrap();
    wait_for_links(&federation, "UZ", |l| records(l) == ["UZ-7"]).await;
    wait_for_links(&federation, "KZ", |l| records(l) == ["KZ-7"]).await;

    let answer = kz.erase_person(pb::ErasePersonRequest { record_id: "KZ-7".into() }).await.unwrap().into_inner();
    assert_eq!(answer.peers_notified, 1);
    wait_for_links(&federation, "UZ", |l| l.is_empty()).await;
    assert!(federation.links("UZ", true).await.unwrap().is_empty(), "not even below-threshold links remain");
    assert!(federation.links("KZ", true).await.unwrap().is_empty());
    assert!(federation.token_indexes_match().unwrap(), "token index out of step with the tables");
    assert_eq!(
        kz.get_person(pb::GetPersonRequest { record_id: "KZ-7".into() }).await.unwrap_err().code(),
        tonic::Code::NotFound
    );

    // Nothing of the person is left in KZ's store: no key or value holds the name or the id,
    // except the audit entry of the erasure, which names the record by id only.
    let kz_state = federation.node("KZ").unwrap().state.clone();
    for (key, value) in kz_state.store.dump_raw().unwrap() {
        let both = [key.as_slice(), value.as_slice()].concat();
        assert!(!both.windows(name.len()).any(|w| w == name.as_bytes()), "the name survives under {key:?}");
        if key[0] != b'a' {
            assert!(
                !both.windows(4).any(|w| w == b"KZ-7"),
                "the record id survives under {:?}",
                String::from_utf8_lossy(&key)
            );
        }
    }
    let erase_entry = kz_state.store.audit_entries(0, 10_000).unwrap().into_iter().find(|e| e.action == "person.erase");
    assert_eq!(erase_entry.map(|e| e.record_id), Some("KZ-7".to_string()));
    drop(kz_state);
    drop(kz);
    drop(uz);
    federation.shutdown().await.unwrap();

    // And on disk. sled's log keeps removed values until its segments are rewritten, so the
    // node compacts its store when it next opens it after erasures; do what it does, then no
    // file of the node holds the name, while the peer's record is untouched.
    let store_path = root.path().join("KZ").join("store");
    assert!(homeward_store::compact::compact(&store_path, false).unwrap(), "erasures were pending");
    let leftovers = files_containing(&root.path().join("KZ"), name.as_bytes());
    assert!(leftovers.is_empty(), "the erased name is still on disk in {leftovers:?}");
    assert!(!homeward_store::compact::compact(&store_path, false).unwrap(), "nothing pending any more");
    let store = homeward_store::Store::open(&store_path).unwrap();
    assert!(matches!(store.verify_audit().unwrap(), homeward_store::AuditVerdict::Intact { .. }));
    assert!(store.get_person("KZ-7").unwrap().is_none());
    assert!(!files_containing(&root.path().join("UZ"), name.as_bytes()).is_empty(), "UZ keeps its own record");
}
