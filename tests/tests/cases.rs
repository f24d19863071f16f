//! Case management through the real Registry API: the lifecycle table (every legal move works,
//! every illegal one is FailedPrecondition and changes nothing), services and assessments with
//! their validation, pagination that neither skips nor repeats under concurrent writes, and
//! retention.

use homeward_core::case::CaseStatus;
use homeward_node::harness::{Federation, Options};
use homeward_proto::case::status_to_pb;
use homeward_proto::pb;
use homeward_proto::pb::registry_client::RegistryClient;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::time::{Duration, Instant};
use tonic::Code;
use tonic::transport::Channel;

fn person(record_id: &str, given: &str, family: &str) -> pb::Person {
    pb::Person {
        record_id: record_id.into(),
        given_name: given.into(),
        family_name: family.into(),
        sex: pb::Sex::Female as i32,
        date_of_birth: "1990-03-07".into(),
        nationalities: vec!["KZ".into()],
        ..Default::default()
    }
}

async fn enrol(client: &mut RegistryClient<Channel>, p: pb::Person) {
    client.enrol_person(pb::EnrolPersonRequest { person: Some(p) }).await.expect("enrol");
}

async fn open(client: &mut RegistryClient<Channel>, record_id: &str) -> pb::Case {
    let case = pb::Case {
        record_id: record_id.into(),
        returned_from: "Syria".into(),
        return_date: "2023-05".into(),
        agency: "Akimat Almaty".into(),
        caseworker: "Aigerim".into(),
        consent: Some(pb::Consent { services: true, sharing: false, reporting: true, tracing: true }),
        legal_basis: pb::LegalBasis::Consent as i32,
        ..Default::default()
    };
    client.open_case(pb::OpenCaseRequest { case: Some(case) }).await.expect("open case").into_inner()
}

async fn move_to(
    client: &mut RegistryClient<Channel>,
    case_id: &str,
    to: CaseStatus,
) -> Result<pb::Case, tonic::Status> {
    let closure_reason =
        if to == CaseStatus::Closed { pb::ClosureReason::SupportCompleted } else { pb::ClosureReason::Unspecified };
    client
        .transition_case(pb::TransitionCaseRequest {
            case_id: case_id.into(),
            to: status_to_pb(to) as i32,
            closure_reason: closure_reason as i32,
            note: String::new(),
        })
        .await
        .map(|r| r.into_inner())
}

/// The shortest legal path from intake to every state, from the domain's table.
fn paths_from_intake() -> HashMap<CaseStatus, Vec<CaseStatus>> {
    let mut paths = HashMap::from([(CaseStatus::Intake, vec![])]);
    let mut queue = VecDeque::from([CaseStatus::Intake]);
    while let Some(state) = queue.pop_front() {
        for next in state.allowed_next() {
            if !paths.contains_key(next) {
                let mut path = paths[&state].clone();
                path.push(*next);
                paths.insert(*next, path);
                queue.push_back(*next);
            }
        }
    }
    paths
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_legal_transition_works_and_every_illegal_one_changes_nothing() {
    let federation = Federation::start(&["KZ"], Options::default()).await.unwrap();
    let mut client = federation.registry("KZ").await.unwrap();
    enrol(&mut client, person("KZ-1", "Aziza", "Karimova")).await;
    let paths = paths_from_intake();
    assert_eq!(paths.len(), CaseStatus::ALL.len(), "every state is reachable from intake");
    let (mut legal, mut illegal) = (0, 0);
    for from in CaseStatus::ALL {
        for to in CaseStatus::ALL {
            let case = open(&mut client, "KZ-1").await;
            for step in &paths[&from] {
                move_to(&mut client, &case.case_id, *step).await.expect("path step");
            }
            let before =
                client.get_case(pb::GetCaseRequest { case_id: case.case_id.clone() }).await.unwrap().into_inner();
            assert_eq!(before.status, status_to_pb(from) as i32);
            let result = move_to(&mut client, &case.case_id, to).await;
            let after =
                client.get_case(pb::GetCaseRequest { case_id: case.case_id.clone() }).await.unwrap().into_inner();
            if from.can_move_to(to) {
                let moved = result.unwrap_or_else(|e| panic!("{from:?} -> {to:?} refused: {e:?}"));
                assert_eq!(moved.status, status_to_pb(to) as i32);
                assert_eq!(after.status, status_to_pb(to) as i32);
                assert_eq!(after.history.len(), before.history.len() + 1);
                legal += 1;
            } else {
                let status = result.expect_err(&format!("{from:?} -> {to:?} must be refused"));
                assert_eq!(status.code(), Code::FailedPrecondition, "{from:?} -> {to:?}: {status:?}");
                assert_eq!(after, before, "{from:?} -> {to:?}: a refused transition changes nothing");
                illegal += 1;
            }
        }
    }
    assert!(legal > 15 && illegal > 30, "legal {legal}, illegal {illegal}");

    // Closing needs a reason (InvalidArgument naming the field, nothing changed); reopening
    // after closure works and clears the reason.
    let case = open(&mut client, "KZ-1").await;
    let refused = client
        .transition_case(pb::TransitionCaseRequest {
            case_id: case.case_id.clone(),
            to: pb::CaseStatus::Closed as i32,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert!(refused.message().starts_with("closure_reason:"), "{}", refused.message());
    let closed = move_to(&mut client, &case.case_id, CaseStatus::Closed).await.unwrap();
    assert_eq!(closed.closure_reason, pb::ClosureReason::SupportCompleted as i32);
    let reopened = move_to(&mut client, &case.case_id, CaseStatus::Reopened).await.unwrap();
    assert_eq!(reopened.closure_reason, pb::ClosureReason::Unspecified as i32);

    let missing = move_to(&mut client, "case-99999999", CaseStatus::Assessment).await.unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cases_services_and_assessments_validate_and_update() {
    let federation = Federation::start(&["KZ"], Options::default()).await.unwrap();
    let mut client = federation.registry("KZ").await.unwrap();

    let absent = client
        .open_case(pb::OpenCaseRequest { case: Some(pb::Case { record_id: "nobody".into(), ..Default::default() }) })
        .await
        .unwrap_err();
    assert_eq!(absent.code(), Code::NotFound);
    enrol(&mut client, person("KZ-2", "Dilnoza", "Yusupova")).await;
    let bad_country = client
        .open_case(pb::OpenCaseRequest {
            case: Some(pb::Case { record_id: "KZ-2".into(), returned_from: "Atlantis".into(), ..Default::default() }),
        })
        .await
        .unwrap_err();
    assert_eq!(bad_country.code(), Code::InvalidArgument);
    assert!(bad_country.message().starts_with("returned_from:"), "{}", bad_country.message());

    let case = open(&mut client, "KZ-2").await;
    assert_eq!(case.returned_from, "SY");
    assert_eq!(case.status, pb::CaseStatus::Intake as i32);

    // Update with a field mask changes only the named fields.
    let updated = client
        .update_case(pb::UpdateCaseRequest {
            case: Some(pb::Case {
                case_id: case.case_id.clone(),
                caseworker: "Madina".into(),
                agency: "ignored".into(),
                ..Default::default()
            }),
            update_mask: vec!["caseworker".into()],
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(updated.caseworker, "Madina");
    assert_eq!(updated.agency, "Akimat Almaty");
    assert_eq!(updated.returned_from, "SY");
    let bad_mask = client
        .update_case(pb::UpdateCaseRequest {
            case: Some(pb::Case { case_id: case.case_id.clone(), ..Default::default() }),
            update_mask: vec!["status".into()],
        })
        .await
        .unwrap_err();
    assert_eq!(bad_mask.code(), Code::InvalidArgument);
    assert!(bad_mask.message().starts_with("update_mask:"));

    // Services: type required, dates in order, updates by mask.
    let service = |r#type: pb::ServiceType, referred: &str, started: &str| pb::Service {
        r#type: r#type as i32,
        provider: "IOM".into(),
        provider_kind: pb::ProviderKind::InternationalOrganisation as i32,
        referred_date: referred.into(),
        started_date: started.into(),
        ..Default::default()
    };
    let add = |s: pb::Service| pb::AddServiceRequest { case_id: case.case_id.clone(), service: Some(s) };
    let err = client.add_service(add(service(pb::ServiceType::Unspecified, "", ""))).await.unwrap_err();
    assert!(err.message().starts_with("type:"), "{}", err.message());
    let err = client.add_service(add(service(pb::ServiceType::Housing, "2024-03-01", "2024-02-01"))).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().starts_with("started_date:"), "{}", err.message());
    let err = client.add_service(add(service(pb::ServiceType::Housing, "2024-13-01", ""))).await.unwrap_err();
    assert!(err.message().starts_with("referred_date:"), "{}", err.message());
    let housing =
        client.add_service(add(service(pb::ServiceType::Housing, "2024-01-10", ""))).await.unwrap().into_inner();
    let updated = client
        .update_service(pb::UpdateServiceRequest {
            service: Some(pb::Service {
                case_id: case.case_id.clone(),
                service_id: housing.service_id.clone(),
                completed_date: "2024-06-30".into(),
                outcome: pb::ServiceOutcome::Completed as i32,
                ..Default::default()
            }),
            update_mask: vec!["completed_date".into(), "outcome".into()],
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(updated.completed_date, "2024-06-30");
    assert_eq!(updated.provider, "IOM", "fields outside the mask are kept");
    assert_eq!(updated.r#type, pb::ServiceType::Housing as i32);

    // Assessments: scores in 0..1, one per round.
    let assessment = |round: u32, economic: f64| pb::AddAssessmentRequest {
        case_id: case.case_id.clone(),
        assessment: Some(pb::Assessment {
            date: "2024-02-01".into(),
            round,
            economic,
            social: 0.5,
            psychosocial: 0.4,
            risk_level: pb::RiskLevel::Medium as i32,
            ..Default::default()
        }),
    };
    let err = client.add_assessment(assessment(0, 1.5)).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().starts_with("economic:"), "{}", err.message());
    let mut future = assessment(0, 0.3);
    if let Some(a) = future.assessment.as_mut() {
        a.date = "2099-06-02".into();
    }
    let err = client.add_assessment(future).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().starts_with("date:") && err.message().contains("after today"), "{}", err.message());
    let baseline = client.add_assessment(assessment(0, 0.3)).await.unwrap().into_inner();
    assert!((baseline.composite.unwrap() - 0.4).abs() < 1e-9);
    let again = client.add_assessment(assessment(0, 0.3)).await.unwrap_err();
    assert_eq!(again.code(), Code::AlreadyExists);
    client.add_assessment(assessment(1, 0.6)).await.unwrap();
    let listed = client
        .list_assessments(pb::ListAssessmentsRequest { case_id: case.case_id.clone(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.assessments.iter().map(|a| a.round).collect::<Vec<_>>(), vec![0, 1]);

    // A closed case takes no more services, and neither its services nor its details change
    // until it is reopened.
    move_to(&mut client, &case.case_id, CaseStatus::Closed).await.unwrap();
    let err = client.add_service(add(service(pb::ServiceType::Medical, "", ""))).await.unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition);
    let outcome = |outcome: pb::ServiceOutcome| pb::UpdateServiceRequest {
        service: Some(pb::Service {
            case_id: case.case_id.clone(),
            service_id: housing.service_id.clone(),
            outcome: outcome as i32,
            ..Default::default()
        }),
        update_mask: vec!["outcome".into()],
    };
    let err = client.update_service(outcome(pb::ServiceOutcome::DroppedOut)).await.unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition);
    assert!(err.message().contains("reopen it"), "{}", err.message());
    let agency = pb::UpdateCaseRequest {
        case: Some(pb::Case { case_id: case.case_id.clone(), agency: "Other".into(), ..Default::default() }),
        update_mask: vec!["agency".into()],
    };
    let err = client.update_case(agency.clone()).await.unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition);
    let kept = client.get_case(pb::GetCaseRequest { case_id: case.case_id.clone() }).await.unwrap().into_inner();
    assert_ne!(kept.agency, "Other");
    move_to(&mut client, &case.case_id, CaseStatus::Reopened).await.unwrap();
    client.update_case(agency).await.expect("a reopened case changes");

    // Erasing the person removes its cases, services and assessments.
    client.erase_person(pb::ErasePersonRequest { record_id: "KZ-2".into() }).await.unwrap();
    let gone = client.get_case(pb::GetCaseRequest { case_id: case.case_id.clone() }).await.unwrap_err();
    assert_eq!(gone.code(), Code::NotFound);
    let services = client
        .list_services(pb::ListServicesRequest { record_id: "KZ-2".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner();
    assert!(services.services.is_empty());
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_pages_neither_skip_nor_repeat_under_concurrent_writes() {
    let federation = Federation::start(&["KZ"], Options::default()).await.unwrap();
    let mut client = federation.registry("KZ").await.unwrap();
    enrol(&mut client, person("KZ-3", "Malika", "Rahimova")).await;
    let mut initial = BTreeSet::new();
    for _ in 0..25 {
        initial.insert(open(&mut client, "KZ-3").await.case_id);
    }
    let mut writer = federation.registry("KZ").await.unwrap();
    let mut seen = Vec::new();
    let mut page_token = String::new();
    loop {
        // Another caseworker opens a case between every two pages.
        open(&mut writer, "KZ-3").await;
        let page = client
            .list_cases(pb::ListCasesRequest { page_size: 4, page_token, ..Default::default() })
            .await
            .unwrap()
            .into_inner();
        seen.extend(page.cases.into_iter().map(|c| c.case_id));
        if page.next_page_token.is_empty() {
            break;
        }
        page_token = page.next_page_token;
    }
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no case repeated: {seen:?}");
    assert!(initial.is_subset(&unique), "every case that existed before the listing is seen");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, seen, "stable id order");

    let filtered = client
        .list_cases(pb::ListCasesRequest {
            status: pb::CaseStatus::Closed as i32,
            record_id: "KZ-3".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(filtered.cases.is_empty());
    for token in ["not hex", "73666f6f" /* a services key, "sfoo" */] {
        let bad = client
            .list_cases(pb::ListCasesRequest { page_token: token.into(), ..Default::default() })
            .await
            .unwrap_err();
        assert_eq!(bad.code(), Code::InvalidArgument, "{token}");
        assert!(bad.message().starts_with("page_token:"));
    }
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_erases_persons_whose_cases_all_closed_longer_ago_than_the_period() {
    let options = Options { retention: Some(Duration::from_secs(2)), ..Options::default() };
    let federation = Federation::start(&["KZ"], options).await.unwrap();
    let mut client = federation.registry("KZ").await.unwrap();
    enrol(&mut client, person("KZ-OLD", "Zarina", "Nazarova")).await;
    enrol(&mut client, person("KZ-OPEN", "Gulnara", "Saidova")).await;
    enrol(&mut client, person("KZ-NOCASE", "Shahnoza", "Ergasheva")).await;
    let closed = open(&mut client, "KZ-OLD").await;
    move_to(&mut client, &closed.case_id, CaseStatus::Closed).await.unwrap();
    let still_open = open(&mut client, "KZ-OPEN").await;
    let other = open(&mut client, "KZ-OPEN").await;
    move_to(&mut client, &other.case_id, CaseStatus::Closed).await.unwrap();

    let start = Instant::now();
    loop {
        let gone = client.get_person(pb::GetPersonRequest { record_id: "KZ-OLD".into() }).await.is_err();
        if gone {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "retention did not erase KZ-OLD");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A person with an open case, and a person without cases, are kept.
    client.get_person(pb::GetPersonRequest { record_id: "KZ-OPEN".into() }).await.unwrap();
    client.get_person(pb::GetPersonRequest { record_id: "KZ-NOCASE".into() }).await.unwrap();
    client.get_case(pb::GetCaseRequest { case_id: still_open.case_id }).await.unwrap();
    let entries = federation.node("KZ").unwrap().state.store.audit_entries(0, 10_000).unwrap();
    assert!(
        entries.iter().any(|e| e.action == "person.erase"
            && e.actor == homeward_node::retention::ACTOR
            && e.record_id == "KZ-OLD"),
        "the erasure is audited with the policy as actor"
    );
    federation.shutdown().await.unwrap();
}
