//! The audit log: every read and write of personal data (persons, cases, services,
//! assessments) leaves an entry naming the caller from its certificate and the record by id,
//! never personal data; the BLAKE3 chain verifies, and tampering with one stored entry is found
//! at that entry.

use homeward_node::harness::{Federation, Options};
use homeward_proto::pb;
use homeward_store::{AuditEntry, AuditVerdict, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_access_is_audited_and_tampering_is_found_at_the_entry() {
    let root = tempfile::tempdir().unwrap();
    let options = Options { data_root: Some(root.path().to_path_buf()), ..Options::default() };
    let federation = Federation::start(&["KZ"], options).await.unwrap();
    let mut client = federation.registry("KZ").await.unwrap();
    let person = pb::Person {
        record_id: "KZ-A1".into(),
        given_name: "Гульнара".into(),
        family_name: "Исмаилова".into(),
        date_of_birth: "1988".into(),
        ..Default::default()
    };
    client.enrol_person(pb::EnrolPersonRequest { person: Some(person) }).await.unwrap();
    client.get_person(pb::GetPersonRequest { record_id: "KZ-A1".into() }).await.unwrap();
    let case = client
        .open_case(pb::OpenCaseRequest {
            case: Some(pb::Case {
                record_id: "KZ-A1".into(),
                legal_situation: "Гульнара: charges dropped".into(),
                ..Default::default()
            }),
        })
        .await
        .unwrap()
        .into_inner();
    client.get_case(pb::GetCaseRequest { case_id: case.case_id.clone() }).await.unwrap();
    client.list_cases(pb::ListCasesRequest::default()).await.unwrap();
    client
        .add_service(pb::AddServiceRequest {
            case_id: case.case_id.clone(),
            service: Some(pb::Service { r#type: pb::ServiceType::LegalAid as i32, ..Default::default() }),
        })
        .await
        .unwrap();
    client
        .list_services(pb::ListServicesRequest { case_id: case.case_id.clone(), ..Default::default() })
        .await
        .unwrap();
    client
        .add_assessment(pb::AddAssessmentRequest {
            case_id: case.case_id.clone(),
            assessment: Some(pb::Assessment {
                date: "2025-01-15".into(),
                economic: 0.2,
                social: 0.4,
                psychosocial: 0.6,
                ..Default::default()
            }),
        })
        .await
        .unwrap();
    client
        .list_assessments(pb::ListAssessmentsRequest { case_id: case.case_id.clone(), ..Default::default() })
        .await
        .unwrap();
    client
        .transition_case(pb::TransitionCaseRequest {
            case_id: case.case_id.clone(),
            to: pb::CaseStatus::Closed as i32,
            closure_reason: pb::ClosureReason::MovedAway as i32,
            note: String::new(),
        })
        .await
        .unwrap();
    // A refused transition is not a change, but the attempt is not audited as one either.
    client
        .transition_case(pb::TransitionCaseRequest {
            case_id: case.case_id.clone(),
            to: pb::CaseStatus::Services as i32,
            ..Default::default()
        })
        .await
        .unwrap_err();
    client.erase_person(pb::ErasePersonRequest { record_id: "KZ-A1".into() }).await.unwrap();
    drop(client);
    federation.shutdown().await.unwrap();

    // The node is stopped: open its store as `homeward audit verify` does.
    let store = Store::open(&root.path().join("KZ").join("store")).unwrap();
    let entries: Vec<AuditEntry> = store.audit_entries(0, 100_000).unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "person.enrol",
        "person.read",
        "case.open",
        "case.read",
        "case.list",
        "service.add",
        "service.list",
        "assessment.add",
        "assessment.list",
        "case.transition",
        "person.erase",
    ] {
        assert!(actions.contains(&expected), "no {expected} entry in {actions:?}");
    }
    assert_eq!(actions.iter().filter(|a| **a == "case.transition").count(), 1, "a refused move writes nothing");
    for entry in &entries {
        assert!(entry.time > 0);
        if entry.action != "tokens.acknowledged" && entry.action != "tokens.received" {
            assert_eq!(entry.actor, "caseworker:KZ:demo", "{entry:?}");
        }
        let text = serde_json::to_string(entry).unwrap();
        assert!(!text.contains("Гульнара") && !text.contains("Исмаилова"), "personal data in {text}");
    }
    let case_open = entries.iter().find(|e| e.action == "case.open").unwrap();
    assert_eq!(case_open.record_id, "KZ-A1");
    assert!(case_open.detail.contains(&case.case_id));

    let total = entries.len() as u64;
    assert_eq!(store.verify_audit().unwrap(), AuditVerdict::Intact { entries: total });

    // Tamper with one entry in the middle: change who did it, keep the stored hash.
    let target = entries.iter().find(|e| e.action == "case.read").unwrap().seq;
    let mut forged: AuditEntry = serde_json::from_slice(&store.raw_audit(target).unwrap().unwrap()).unwrap();
    forged.actor = "caseworker:KZ:someone-else".into();
    store.overwrite_raw_audit(target, &serde_json::to_vec(&forged).unwrap()).unwrap();
    match store.verify_audit().unwrap() {
        AuditVerdict::Broken { seq, reason } => {
            assert_eq!(seq, target, "the first broken entry is the forged one ({reason})");
        }
        intact => panic!("tampering not detected: {intact:?}"),
    }

    // Re-hashing the forged entry does not help: the next entry no longer chains to it.
    forged.hash = forged.compute_hash();
    store.overwrite_raw_audit(target, &serde_json::to_vec(&forged).unwrap()).unwrap();
    match store.verify_audit().unwrap() {
        AuditVerdict::Broken { seq, .. } => assert_eq!(seq, target + 1),
        intact => panic!("re-hashed forgery not detected: {intact:?}"),
    }
}
