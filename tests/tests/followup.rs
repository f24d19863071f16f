//! What agencies do after a hit, between real nodes (mutual TLS on loopback, sled in temporary
//! directories): link review travelling both ways, a disclosure that moves exactly the approved
//! fields and a refusal that moves none, referrals (a transfer that opens a case at the
//! receiver and marks the sender's case transferred; a revocation that changes nothing there),
//! and nobody else — a coordinator, a third node — able to read any of it.

mod common;

use common::{DEADLINE, enrol, wait_for_links};
use homeward_node::harness::{Federation, Options};
use homeward_pki::Identity;
use homeward_proto::pb;
use homeward_proto::pb::registry_client::RegistryClient;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tonic::Code;
use tonic::transport::Channel;

/// Every Federation message, with the node and direction it was seen at ("KZ federation.request").
type Captured = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

fn tap() -> (Captured, homeward_node::state::WireTap) {
    let captured: Captured = Arc::default();
    let sink = captured.clone();
    let tap: homeward_node::state::WireTap = Arc::new(move |direction: &str, bytes: &[u8]| {
        sink.lock().unwrap().push((direction.to_string(), bytes.to_vec()));
    });
    (captured, tap)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Messages that carry `needle`, as (where seen) lines.
fn seen_with(captured: &Captured, needle: &str) -> Vec<String> {
    captured.lock().unwrap().iter().filter(|(_, bytes)| contains(bytes, needle)).map(|(at, _)| at.clone()).collect()
}

fn woman(record_id: &str, given: &str, family: &str, place: &str, document: &str, nationality: &str) -> pb::Person {
    let mut person = common::person(record_id, given, family, "1990-03-07", document, nationality);
    person.place_of_birth = place.into();
    person.locality = format!("{place} district");
    person
}

async fn client_as(federation: &Federation, country: &str, identity: Identity) -> RegistryClient<Channel> {
    RegistryClient::new(federation.channel_as(country, &identity).await.unwrap())
}

async fn open_case(
    client: &mut RegistryClient<Channel>,
    record_id: &str,
    sharing: bool,
    legal_basis: pb::LegalBasis,
) -> pb::Case {
    let case = pb::Case {
        record_id: record_id.into(),
        returned_from: "SY".into(),
        agency: "Agency".into(),
        caseworker: "caseworker".into(),
        consent: Some(pb::Consent { services: true, sharing, reporting: true, tracing: false }),
        legal_basis: legal_basis as i32,
        ..Default::default()
    };
    client.open_case(pb::OpenCaseRequest { case: Some(case) }).await.expect("open case").into_inner()
}

/// Polls `probe` until it returns `Some`, or fails the test at [`DEADLINE`].
async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(start.elapsed() < DEADLINE, "not within {DEADLINE:?}: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn disclosure(client: &mut RegistryClient<Channel>, id: &str) -> pb::Disclosure {
    client.get_disclosure(pb::GetDisclosureRequest { disclosure_id: id.into() }).await.expect("get").into_inner()
}

async fn referral(client: &mut RegistryClient<Channel>, id: &str) -> pb::Referral {
    client.get_referral(pb::GetReferralRequest { referral_id: id.into() }).await.expect("get").into_inner()
}

/// The link between `country`'s `record` and `peer`, once both sides hold it.
async fn linked(federation: &Federation, country: &str, record: &str, peer: &str, peer_record: &str) -> pb::Link {
    wait_for_links(federation, peer, |l| l.iter().any(|l| l.record_id == peer_record && l.peer_country == country))
        .await;
    let links =
        wait_for_links(federation, country, |l| l.iter().any(|l| l.record_id == record && l.peer_country == peer))
            .await;
    links.into_iter().find(|l| l.record_id == record && l.peer_country == peer).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disclosure_moves_exactly_the_approved_fields_and_a_refusal_moves_none() {
    let (captured, wire_tap) = tap();
    let federation = Federation::start(&["KZ", "UZ", "TJ"], Options { wire_tap: Some(wire_tap), ..Options::default() })
        .await
        .unwrap();
    enrol(&federation, "KZ", woman("KZ-1", "Хуршида", "Юсупова", "Шымкент", "", "KZ")).await;
    enrol(&federation, "UZ", woman("UZ-7", "Khurshida", "Yusupova", "Namangan", "AB1234567", "UZ")).await;
    enrol(&federation, "TJ", woman("TJ-3", "Малика", "Раҳимова", "Хуҷанд", "", "TJ")).await;
    let mut kz = federation.registry("KZ").await.unwrap();
    let mut uz = federation.registry("UZ").await.unwrap();
    // The holder's case records neither consent to share nor a legal basis.
    open_case(&mut uz, "UZ-7", false, pb::LegalBasis::Unspecified).await;
    let link = linked(&federation, "KZ", "KZ-1", "UZ", "UZ-7").await;

    // Bad requests change nothing.
    let bad = kz
        .request_disclosure(pb::RequestDisclosureRequest {
            link_id: link.link_id.clone(),
            fields: vec!["given_name".into(), "shoe_size".into()],
            purpose: "tracing".into(),
            legal_basis: "bilateral agreement".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument, "{bad:?}");
    assert!(bad.message().contains("shoe_size"), "{bad:?}");
    let bad = kz
        .request_disclosure(pb::RequestDisclosureRequest {
            link_id: link.link_id.clone(),
            fields: vec!["given_name".into()],
            purpose: "tracing".into(),
            legal_basis: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Code::InvalidArgument, "{bad:?}");
    let missing = kz
        .request_disclosure(pb::RequestDisclosureRequest {
            link_id: "no-such-link".into(),
            fields: vec!["given_name".into()],
            purpose: "tracing".into(),
            legal_basis: "agreement".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Code::NotFound);
    let listed = kz.list_disclosures(pb::ListDisclosuresRequest::default()).await.unwrap().into_inner();
    assert!(listed.disclosures.is_empty(), "refused requests left records: {listed:?}");

    // Step 2: four fields asked, two approved.
    let asked = kz
        .request_disclosure(pb::RequestDisclosureRequest {
            link_id: link.link_id.clone(),
            fields: vec!["given_name".into(), "family_name".into(), "date_of_birth".into(), "place_of_birth".into()],
            purpose: "family tracing for a child in care".into(),
            legal_basis: "bilateral agreement KZ-UZ 2024, art. 5".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(asked.state, pb::DisclosureState::Pending as i32);
    assert!(asked.disclosure_id.starts_with("KZ-D"), "{asked:?}");
    let id = asked.disclosure_id.clone();

    let waiting = eventually("the request reaches UZ", || {
        let mut uz = uz.clone();
        async move {
            let list = uz.list_disclosures(pb::ListDisclosuresRequest { waiting: true, ..Default::default() }).await;
            list.ok().map(|l| l.into_inner().disclosures).filter(|d| !d.is_empty())
        }
    })
    .await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].disclosure_id, id);
    assert_eq!(waiting[0].record_id, "UZ-7");
    assert_eq!(waiting[0].peer_country, "KZ");
    assert!(waiting[0].incoming);
    assert_eq!(waiting[0].purpose, "family tracing for a child in care");
    assert_eq!(waiting[0].requested_fields, asked.requested_fields);

    // The requester cannot answer its own request; the holder cannot approve what was not asked,
    // nor approve without consent, legal basis or an override.
    let own = kz
        .answer_disclosure(pb::AnswerDisclosureRequest {
            disclosure_id: id.clone(),
            approve: true,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(own.code(), Code::FailedPrecondition, "{own:?}");
    let unasked = uz
        .answer_disclosure(pb::AnswerDisclosureRequest {
            disclosure_id: id.clone(),
            approve: true,
            fields: vec!["given_name".into(), "document_number".into()],
            override_justification: "child protection".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(unasked.code(), Code::InvalidArgument, "{unasked:?}");
    let ungated = uz
        .answer_disclosure(pb::AnswerDisclosureRequest {
            disclosure_id: id.clone(),
            approve: true,
            fields: vec!["given_name".into(), "date_of_birth".into()],
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(ungated.code(), Code::FailedPrecondition, "{ungated:?}");
    assert!(ungated.message().contains("override"), "{ungated:?}");
    assert_eq!(disclosure(&mut uz, &id).await.state, pb::DisclosureState::Pending as i32);

    let approved = uz
        .answer_disclosure(pb::AnswerDisclosureRequest {
            disclosure_id: id.clone(),
            approve: true,
            fields: vec!["given_name".into(), "date_of_birth".into()],
            override_justification: "best interests of the child; supervisor approval 17/3".into(),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(approved.state, pb::DisclosureState::Approved as i32);
    let again = uz
        .answer_disclosure(pb::AnswerDisclosureRequest {
            disclosure_id: id.clone(),
            approve: false,
            refusal_reason: "changed my mind".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(again.code(), Code::FailedPrecondition, "an answered request was answered again");

    let delivered = eventually("the values reach KZ", || {
        let mut kz = kz.clone();
        let id = id.clone();
        async move {
            let d = disclosure(&mut kz, &id).await;
            (d.state == pb::DisclosureState::Delivered as i32).then_some(d)
        }
    })
    .await;
    let values: Vec<(String, String)> = delivered.delivered.iter().map(|f| (f.name.clone(), f.value.clone())).collect();
    assert_eq!(
        values,
        vec![
            ("given_name".to_string(), "Khurshida".to_string()),
            ("date_of_birth".to_string(), "1990-03-07".to_string())
        ]
    );
    assert_eq!(delivered.approved_fields, vec!["given_name", "date_of_birth"]);
    assert!(delivered.retain_until > delivered.update_time, "delivered values carry their retention");
    eventually("UZ learns of the delivery", || {
        let mut uz = uz.clone();
        let id = id.clone();
        async move { (disclosure(&mut uz, &id).await.state == pb::DisclosureState::Delivered as i32).then_some(()) }
    })
    .await;

    // A refusal moves nothing.
    let asked = kz
        .request_disclosure(pb::RequestDisclosureRequest {
            link_id: link.link_id.clone(),
            fields: vec!["document_number".into(), "locality".into()],
            purpose: "verify identity".into(),
            legal_basis: "bilateral agreement KZ-UZ 2024, art. 5".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let refused_id = asked.disclosure_id.clone();
    eventually("the second request reaches UZ", || {
        let mut uz = uz.clone();
        let id = refused_id.clone();
        async move { uz.get_disclosure(pb::GetDisclosureRequest { disclosure_id: id }).await.ok().map(|_| ()) }
    })
    .await;
    uz.answer_disclosure(pb::AnswerDisclosureRequest {
        disclosure_id: refused_id.clone(),
        approve: false,
        refusal_reason: "no legal basis for document data".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    let refused = eventually("the refusal reaches KZ", || {
        let mut kz = kz.clone();
        let id = refused_id.clone();
        async move {
            let d = disclosure(&mut kz, &id).await;
            (d.state == pb::DisclosureState::Refused as i32).then_some(d)
        }
    })
    .await;
    assert_eq!(refused.refusal_reason, "no legal basis for document data");
    assert!(refused.delivered.is_empty() && refused.approved_fields.is_empty(), "{refused:?}");
    federation.wait_converged(DEADLINE).await.unwrap();

    // On the wire: the approved values crossed, once, from UZ to KZ; nothing else of UZ-7 did.
    let khurshida = seen_with(&captured, "Khurshida");
    assert!(!khurshida.is_empty(), "the approved given name never crossed");
    assert!(khurshida.iter().all(|at| at.starts_with("UZ ") || at.starts_with("KZ ")), "{khurshida:?}");
    for private in ["Yusupova", "Namangan", "AB1234567"] {
        assert_eq!(seen_with(&captured, private), Vec::<String>::new(), "{private} crossed the border");
    }
    // The third node saw nothing of the request or its answers.
    for needle in [id.as_str(), refused_id.as_str(), "Khurshida", "family tracing", "no legal basis"] {
        let at_tj: Vec<String> = seen_with(&captured, needle).into_iter().filter(|at| at.starts_with("TJ ")).collect();
        assert!(at_tj.is_empty(), "{needle} reached TJ: {at_tj:?}");
    }
    let tj_store = federation.node("TJ").unwrap().state.store.dump_raw().unwrap();
    assert!(!tj_store.iter().any(|(k, v)| contains(k, "Khurshida") || contains(v, "Khurshida")));
    let mut tj = federation.registry("TJ").await.unwrap();
    let tj_list = tj.list_disclosures(pb::ListDisclosuresRequest::default()).await.unwrap().into_inner();
    assert!(tj_list.disclosures.is_empty(), "{tj_list:?}");

    // Nobody but KZ's caseworkers can read KZ's requests: not a coordinator, not a peer node,
    // not another country's caseworker.
    for identity in
        [Identity::coordinator("osce"), Identity::node("TJ"), Identity::node("UZ"), Identity::caseworker("TJ", "t")]
    {
        let mut client = client_as(&federation, "KZ", identity.clone()).await;
        let denied = client
            .get_disclosure(pb::GetDisclosureRequest { disclosure_id: id.clone() })
            .await
            .expect_err("an outsider read a disclosure");
        assert!(matches!(denied.code(), Code::PermissionDenied | Code::Unauthenticated), "{identity:?}: {denied:?}");
        let denied = client.list_disclosures(pb::ListDisclosuresRequest::default()).await.expect_err("listed");
        assert!(matches!(denied.code(), Code::PermissionDenied | Code::Unauthenticated), "{identity:?}: {denied:?}");
    }

    // Every step is on both audit logs.
    let actions = |country: &str| -> Vec<String> {
        let store = &federation.node(country).unwrap().state.store;
        store.audit_entries(0, usize::MAX).unwrap().into_iter().map(|e| e.action).collect()
    };
    let (kz_log, uz_log) = (actions("KZ"), actions("UZ"));
    for action in ["disclosure.request", "disclosure.delivered", "disclosure.refused", "disclosure.read"] {
        assert!(kz_log.iter().any(|a| a == action), "KZ log lacks {action}");
    }
    for action in ["disclosure.received", "disclosure.approve", "disclosure.receipt", "disclosure.refuse"] {
        assert!(uz_log.iter().any(|a| a == action), "UZ log lacks {action}");
    }
    let store = &federation.node("UZ").unwrap().state.store;
    let approval = store.audit_entries(0, usize::MAX).unwrap().into_iter().find(|e| e.action == "disclosure.approve");
    assert!(approval.unwrap().detail.contains("override="), "the override is on the record");

    // The holder erases its record: the values it disclosed are erased at the requester too,
    // and a request still pending there is refused rather than left to expire.
    let pending = kz
        .request_disclosure(pb::RequestDisclosureRequest {
            link_id: link.link_id.clone(),
            fields: vec!["place_of_birth".into()],
            purpose: "family tracing".into(),
            legal_basis: "bilateral agreement KZ-UZ 2024, art. 5".into(),
        })
        .await
        .unwrap()
        .into_inner()
        .disclosure_id;
    eventually("the second request waits at UZ", || {
        let mut uz = uz.clone();
        let pending = pending.clone();
        async move {
            let list = uz.list_disclosures(pb::ListDisclosuresRequest { waiting: true, ..Default::default() }).await;
            list.ok().filter(|l| l.get_ref().disclosures.iter().any(|d| d.disclosure_id == pending)).map(|_| ())
        }
    })
    .await;
    uz.erase_person(pb::ErasePersonRequest { record_id: "UZ-7".into() }).await.unwrap();
    let answered = eventually("KZ's pending request is refused", || {
        let mut kz = kz.clone();
        let pending = pending.clone();
        async move {
            let d = disclosure(&mut kz, &pending).await;
            (d.state == pb::DisclosureState::Refused as i32).then_some(d)
        }
    })
    .await;
    assert_eq!(answered.refusal_reason, "the record was erased");
    let withdrawn = eventually("KZ erases the values UZ disclosed", || {
        let mut kz = kz.clone();
        let id = id.clone();
        async move {
            let d = disclosure(&mut kz, &id).await;
            d.delivered.is_empty().then_some(d)
        }
    })
    .await;
    assert_eq!(withdrawn.approved_fields, vec!["given_name", "date_of_birth"], "what was given stays on the record");
    let kz_store = federation.node("KZ").unwrap().state.store.dump_raw().unwrap();
    assert!(!kz_store.iter().any(|(_, v)| contains(v, "Khurshida")), "a disclosed value outlived the erasure");
    assert!(actions("KZ").iter().any(|a| a == "disclosure.withdrawn"));
    assert!(actions("UZ").iter().any(|a| a == "disclosure.withdraw"));
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_decisions_travel_and_a_rejected_link_stays_rejected_until_reopened() {
    // With auto-confirmation off, every link waits for a caseworker.
    let mut options = Options::default();
    options.matching.auto_confirm_enabled = false;
    let federation = Federation::start(&["KZ", "UZ"], options).await.unwrap();
    enrol(&federation, "KZ", woman("KZ-1", "Хуршида", "Юсупова", "Шымкент", "", "KZ")).await;
    enrol(&federation, "UZ", woman("UZ-7", "Khurshida", "Yusupova", "Namangan", "", "UZ")).await;
    let link = linked(&federation, "KZ", "KZ-1", "UZ", "UZ-7").await;
    assert!(link.score >= 0.9, "a strong link: {link:?}");
    assert_eq!(link.status, pb::LinkStatus::NeedsReview as i32, "auto-confirmation is off");
    let mut kz = federation.registry("KZ").await.unwrap();
    let mut uz = federation.registry("UZ").await.unwrap();
    let waiting =
        kz.list_links(pb::ListLinksRequest { waiting: true, ..Default::default() }).await.unwrap().into_inner().links;
    assert_eq!(waiting.iter().map(|l| l.link_id.clone()).collect::<Vec<_>>(), vec![link.link_id.clone()]);

    let no_reason = kz
        .review_link(pb::ReviewLinkRequest {
            link_id: link.link_id.clone(),
            decision: pb::ReviewDecision::Reject as i32,
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(no_reason.code(), Code::InvalidArgument);

    let confirmed = kz
        .review_link(pb::ReviewLinkRequest {
            link_id: link.link_id.clone(),
            decision: pb::ReviewDecision::Confirm as i32,
            reason: "same passport photo on file".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(confirmed.status, pb::LinkStatus::Confirmed as i32);
    assert_eq!(confirmed.own_review.as_ref().unwrap().reason, "same passport photo on file");
    let waiting = kz.list_links(pb::ListLinksRequest { waiting: true, ..Default::default() }).await.unwrap();
    assert!(waiting.into_inner().links.is_empty(), "a reviewed link no longer waits");

    // UZ sees KZ's decision, then rejects; KZ sees that.
    let fed = &federation;
    let uz_link = eventually("KZ's confirmation reaches UZ", || async move {
        let links = fed.links("UZ", false).await.ok()?;
        links
            .into_iter()
            .find(|l| l.peer_review.as_ref().is_some_and(|r| r.decision == pb::ReviewDecision::Confirm as i32))
    })
    .await;
    assert_eq!(uz_link.peer_review.as_ref().unwrap().reason, "same passport photo on file");
    assert_eq!(uz_link.peer_review.as_ref().unwrap().actor, "", "the peer is not told who decided");
    assert_eq!(uz_link.status, pb::LinkStatus::NeedsReview as i32, "UZ has not decided yet");
    let rejected = uz
        .review_link(pb::ReviewLinkRequest {
            link_id: uz_link.link_id.clone(),
            decision: pb::ReviewDecision::Reject as i32,
            reason: "different mother's name in our file".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(rejected.status, pb::LinkStatus::Rejected as i32);
    let kz_link = eventually("UZ's rejection reaches KZ", || async move {
        let links = fed.links("KZ", false).await.ok()?;
        links
            .into_iter()
            .find(|l| l.peer_review.as_ref().is_some_and(|r| r.decision == pb::ReviewDecision::Reject as i32))
    })
    .await;
    assert_eq!(kz_link.status, pb::LinkStatus::Confirmed as i32, "both decisions are shown, each side's own");

    // KZ erases its record and enrols it again: the same tokens match again, the link comes back
    // and UZ still shows it rejected.
    kz.erase_person(pb::ErasePersonRequest { record_id: "KZ-1".into() }).await.unwrap();
    wait_for_links(&federation, "UZ", |l| l.is_empty()).await;
    enrol(&federation, "KZ", woman("KZ-1", "Хуршида", "Юсупова", "Шымкент", "", "KZ")).await;
    let back = wait_for_links(&federation, "UZ", |l| !l.is_empty()).await;
    assert_eq!(back[0].link_id, uz_link.link_id);
    assert_eq!(back[0].status, pb::LinkStatus::Rejected as i32, "a rejected link stays rejected");
    assert_eq!(back[0].own_review.as_ref().unwrap().reason, "different mother's name in our file");
    // KZ's erasure took its own decision with it.
    let kz_back = wait_for_links(&federation, "KZ", |l| !l.is_empty()).await;
    assert!(kz_back[0].own_review.is_none(), "{kz_back:?}");

    // Reopened, it is judged by its score again.
    let reopened = uz
        .review_link(pb::ReviewLinkRequest {
            link_id: uz_link.link_id.clone(),
            decision: pb::ReviewDecision::Reopen as i32,
            reason: "new documents".into(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(reopened.status, pb::LinkStatus::NeedsReview as i32);
    assert!(reopened.own_review.is_none());

    let uz_log: Vec<String> = federation
        .node("UZ")
        .unwrap()
        .state
        .store
        .audit_entries(0, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(uz_log.iter().filter(|a| *a == "link.review").count() >= 2);
    assert!(uz_log.iter().any(|a| a == "link.review.peer"));
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_referred_for_transfer_to_one_country_at_a_time() {
    let federation = Federation::start(&["KZ", "UZ", "TJ"], Options::default()).await.unwrap();
    enrol(&federation, "KZ", woman("KZ-1", "Хуршида", "Юсупова", "Шымкент", "N0012345", "KZ")).await;
    enrol(&federation, "UZ", woman("UZ-7", "Khurshida", "Yusupova", "Namangan", "N0012345", "KZ")).await;
    enrol(&federation, "TJ", woman("TJ-3", "Хуршида", "Юсупова", "Хуҷанд", "N0012345", "KZ")).await;
    let mut kz = federation.registry("KZ").await.unwrap();
    let to_uz = linked(&federation, "KZ", "KZ-1", "UZ", "UZ-7").await;
    let to_tj = linked(&federation, "KZ", "KZ-1", "TJ", "TJ-3").await;
    let case = open_case(&mut kz, "KZ-1", true, pb::LegalBasis::Consent).await;
    let transfer = |link: &pb::Link| pb::CreateReferralRequest {
        link_id: link.link_id.clone(),
        case_id: case.case_id.clone(),
        kind: pb::ReferralKind::Transfer as i32,
        note: String::new(),
        override_justification: String::new(),
    };
    let first = kz.create_referral(transfer(&to_uz)).await.unwrap().into_inner();
    let second = kz.create_referral(transfer(&to_tj)).await.unwrap_err();
    assert_eq!(second.code(), Code::FailedPrecondition, "{second:?}");
    assert!(second.message().contains(&first.referral_id), "{second:?}");
    // A service referral of the same case is not held back.
    let mut service = transfer(&to_tj);
    service.kind = pb::ReferralKind::Service as i32;
    kz.create_referral(service).await.expect("a service referral beside the transfer");
    // Once the first is revoked, the case may go elsewhere.
    kz.act_on_referral(pb::ActOnReferralRequest {
        referral_id: first.referral_id.clone(),
        action: pb::ReferralAction::Revoke as i32,
        reason: "the family went to Tajikistan".into(),
    })
    .await
    .unwrap();
    kz.create_referral(transfer(&to_tj)).await.expect("a transfer once the first is revoked");
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_opens_a_case_at_the_receiver_and_a_revoked_referral_changes_nothing_there() {
    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();
    enrol(&federation, "KZ", woman("KZ-1", "Хуршида", "Юсупова", "Шымкент", "", "KZ")).await;
    enrol(&federation, "UZ", woman("UZ-7", "Khurshida", "Yusupova", "Namangan", "", "UZ")).await;
    enrol(&federation, "KZ", woman("KZ-2", "Малика", "Каримова", "Тараз", "N0012345", "KZ")).await;
    enrol(&federation, "UZ", woman("UZ-8", "Malika", "Karimova", "Fergana", "N0012345", "KZ")).await;
    let mut kz = federation.registry("KZ").await.unwrap();
    let mut uz = federation.registry("UZ").await.unwrap();
    let first = linked(&federation, "KZ", "KZ-1", "UZ", "UZ-7").await;
    let second = linked(&federation, "KZ", "KZ-2", "UZ", "UZ-8").await;
    let case = open_case(&mut kz, "KZ-1", true, pb::LegalBasis::Consent).await;
    let ungated = open_case(&mut kz, "KZ-2", false, pb::LegalBasis::Unspecified).await;

    // Gated on consent or legal basis.
    let refused = kz
        .create_referral(pb::CreateReferralRequest {
            link_id: second.link_id.clone(),
            case_id: ungated.case_id.clone(),
            kind: pb::ReferralKind::Service as i32,
            note: "psychosocial support".into(),
            override_justification: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Code::FailedPrecondition, "{refused:?}");
    let wrong_case = kz
        .create_referral(pb::CreateReferralRequest {
            link_id: second.link_id.clone(),
            case_id: case.case_id.clone(),
            kind: pb::ReferralKind::Service as i32,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(wrong_case.code(), Code::InvalidArgument, "a case of another record: {wrong_case:?}");

    // A transfer of responsibility, accepted.
    let sent = kz
        .create_referral(pb::CreateReferralRequest {
            link_id: first.link_id.clone(),
            case_id: case.case_id.clone(),
            kind: pb::ReferralKind::Transfer as i32,
            note: "family moved to Namangan".into(),
            override_justification: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(sent.state, pb::ReferralState::InProgress as i32);
    let id = sent.referral_id.clone();
    let waiting = eventually("the referral reaches UZ", || {
        let mut uz = uz.clone();
        async move {
            let list = uz.list_referrals(pb::ListReferralsRequest { waiting: true, ..Default::default() }).await;
            list.ok().map(|l| l.into_inner().referrals).filter(|r| !r.is_empty())
        }
    })
    .await;
    assert_eq!(waiting[0].referral_id, id);
    assert_eq!(waiting[0].record_id, "UZ-7");
    assert_eq!(waiting[0].note, "family moved to Namangan");
    let revoke_theirs = uz
        .act_on_referral(pb::ActOnReferralRequest {
            referral_id: id.clone(),
            action: pb::ReferralAction::Revoke as i32,
            reason: "not ours".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(revoke_theirs.code(), Code::FailedPrecondition, "only the sender revokes");
    let accepted = uz
        .act_on_referral(pb::ActOnReferralRequest {
            referral_id: id.clone(),
            action: pb::ReferralAction::Accept as i32,
            reason: String::new(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(accepted.state, pb::ReferralState::Accepted as i32);
    assert!(!accepted.case_id.is_empty(), "accepting a transfer opens a case");
    let opened = uz.get_case(pb::GetCaseRequest { case_id: accepted.case_id.clone() }).await.unwrap().into_inner();
    assert_eq!(opened.record_id, "UZ-7");
    assert_eq!(opened.status, pb::CaseStatus::Intake as i32);
    let transferred = eventually("KZ's case is transferred", || {
        let mut kz = kz.clone();
        let case_id = case.case_id.clone();
        async move {
            let case = kz.get_case(pb::GetCaseRequest { case_id }).await.ok()?.into_inner();
            (case.status == pb::CaseStatus::Transferred as i32).then_some(case)
        }
    })
    .await;
    assert_eq!(transferred.record_id, "KZ-1");
    assert_eq!(referral(&mut kz, &id).await.state, pb::ReferralState::Accepted as i32);
    let late = kz
        .act_on_referral(pb::ActOnReferralRequest {
            referral_id: id.clone(),
            action: pb::ReferralAction::Revoke as i32,
            reason: "too late".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(late.code(), Code::FailedPrecondition, "an accepted transfer cannot be revoked");

    // A referral revoked before the receiver acts changes nothing there.
    let uz_cases_before = uz
        .list_cases(pb::ListCasesRequest { record_id: "UZ-8".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner()
        .cases;
    let sent = kz
        .create_referral(pb::CreateReferralRequest {
            link_id: second.link_id.clone(),
            case_id: ungated.case_id.clone(),
            kind: pb::ReferralKind::Transfer as i32,
            note: String::new(),
            override_justification: "court order 2026/114".into(),
        })
        .await
        .unwrap()
        .into_inner();
    let revoked_id = sent.referral_id.clone();
    kz.act_on_referral(pb::ActOnReferralRequest {
        referral_id: revoked_id.clone(),
        action: pb::ReferralAction::Revoke as i32,
        reason: "sent to the wrong country".into(),
    })
    .await
    .unwrap();
    let at_uz = eventually("the revocation reaches UZ", || {
        let mut uz = uz.clone();
        let id = revoked_id.clone();
        async move {
            let r = uz.get_referral(pb::GetReferralRequest { referral_id: id }).await.ok()?.into_inner();
            (r.state == pb::ReferralState::Revoked as i32).then_some(r)
        }
    })
    .await;
    assert_eq!(at_uz.reason, "sent to the wrong country");
    let accept_revoked = uz
        .act_on_referral(pb::ActOnReferralRequest {
            referral_id: revoked_id.clone(),
            action: pb::ReferralAction::Accept as i32,
            reason: String::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(accept_revoked.code(), Code::FailedPrecondition);
    let uz_cases_after = uz
        .list_cases(pb::ListCasesRequest { record_id: "UZ-8".into(), ..Default::default() })
        .await
        .unwrap()
        .into_inner()
        .cases;
    assert_eq!(uz_cases_before, uz_cases_after, "a revoked referral opened or changed a case");
    let kz_case = kz.get_case(pb::GetCaseRequest { case_id: ungated.case_id.clone() }).await.unwrap().into_inner();
    assert_eq!(kz_case.status, pb::CaseStatus::Intake as i32, "the sender's case is untouched");

    let actions = |country: &str| -> Vec<String> {
        let store = &federation.node(country).unwrap().state.store;
        store.audit_entries(0, usize::MAX).unwrap().into_iter().map(|e| e.action).collect()
    };
    let (kz_log, uz_log) = (actions("KZ"), actions("UZ"));
    for action in ["referral.create", "referral.accepted", "referral.revoke", "case.transition"] {
        assert!(kz_log.iter().any(|a| a == action), "KZ log lacks {action}: {kz_log:?}");
    }
    for action in ["referral.received", "referral.accept", "referral.revoked", "case.open"] {
        assert!(uz_log.iter().any(|a| a == action), "UZ log lacks {action}: {uz_log:?}");
    }
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unanswered_requests_expire_and_disclosed_values_are_erased_after_retention() {
    // Requests expire after 2 s here; values disclosed to a node are kept 3 s.
    let options = Options {
        followup: homeward_node::config::FollowUpConfig { request_expiry_secs: 2, disclosed_retention_secs: 3 }.into(),
        ..Options::default()
    };
    let federation = Federation::start(&["KZ", "UZ"], options).await.unwrap();
    enrol(&federation, "KZ", woman("KZ-1", "Хуршида", "Юсупова", "Шымкент", "", "KZ")).await;
    enrol(&federation, "UZ", woman("UZ-7", "Khurshida", "Yusupova", "Namangan", "", "UZ")).await;
    let mut kz = federation.registry("KZ").await.unwrap();
    let mut uz = federation.registry("UZ").await.unwrap();
    open_case(&mut uz, "UZ-7", true, pb::LegalBasis::Consent).await;
    let link = linked(&federation, "KZ", "KZ-1", "UZ", "UZ-7").await;
    let ask = |fields: &[&str]| pb::RequestDisclosureRequest {
        link_id: link.link_id.clone(),
        fields: fields.iter().map(|f| f.to_string()).collect(),
        purpose: "tracing".into(),
        legal_basis: "agreement".into(),
    };

    // One request answered at once (consent to share is recorded: no override needed).
    let answered = kz.request_disclosure(ask(&["place_of_birth"])).await.unwrap().into_inner();
    let answered_id = answered.disclosure_id.clone();
    eventually("the first request reaches UZ", || {
        let mut uz = uz.clone();
        let id = answered_id.clone();
        async move {
            let answer = uz.answer_disclosure(pb::AnswerDisclosureRequest {
                disclosure_id: id,
                approve: true,
                ..Default::default()
            });
            answer.await.ok().map(|_| ())
        }
    })
    .await;
    // One left unanswered.
    let unanswered = kz.request_disclosure(ask(&["given_name"])).await.unwrap().into_inner();
    let unanswered_id = unanswered.disclosure_id.clone();
    assert!(unanswered.expire_time <= unanswered.create_time + 2);

    let delivered = eventually("the values reach KZ", || {
        let mut kz = kz.clone();
        let id = answered_id.clone();
        async move {
            let d = disclosure(&mut kz, &id).await;
            (d.state == pb::DisclosureState::Delivered as i32).then_some(d)
        }
    })
    .await;
    assert_eq!(delivered.delivered[0].value, "Namangan");

    // Past expiry, both sides show the request expired, and the holder can no longer approve.
    for (client, side) in [(&mut kz, "KZ"), (&mut uz, "UZ")] {
        let id = unanswered_id.clone();
        let client = client.clone();
        eventually(&format!("{side} marks the request expired"), || {
            let mut client = client.clone();
            let id = id.clone();
            async move {
                let d = client.get_disclosure(pb::GetDisclosureRequest { disclosure_id: id }).await.ok()?.into_inner();
                (d.state == pb::DisclosureState::Expired as i32).then_some(())
            }
        })
        .await;
    }
    let late = uz
        .answer_disclosure(pb::AnswerDisclosureRequest {
            disclosure_id: unanswered_id.clone(),
            approve: true,
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(late.code(), Code::FailedPrecondition, "{late:?}");

    // Past retention, the delivered values are gone from KZ, from the API and from the store.
    let erased = eventually("the disclosed values are erased", || {
        let mut kz = kz.clone();
        let id = answered_id.clone();
        async move {
            let d = disclosure(&mut kz, &id).await;
            (d.delivered.is_empty()).then_some(d)
        }
    })
    .await;
    assert_eq!(erased.state, pb::DisclosureState::Delivered as i32, "the request itself stays on the record");
    assert_eq!(erased.retain_until, 0);
    let kz_store = federation.node("KZ").unwrap().state.store.dump_raw().unwrap();
    assert!(!kz_store.iter().any(|(_, v)| contains(v, "Namangan")), "the value is still in KZ's store");
    let log: Vec<String> = federation
        .node("KZ")
        .unwrap()
        .state
        .store
        .audit_entries(0, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(log.iter().any(|a| a == "disclosure.expired") && log.iter().any(|a| a == "disclosure.values_erased"));
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_referral_is_accepted_then_done_on_both_sides_and_a_rejection_carries_its_reason() {
    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();
    enrol(&federation, "KZ", woman("KZ-1", "Хуршида", "Юсупова", "Шымкент", "", "KZ")).await;
    enrol(&federation, "UZ", woman("UZ-7", "Khurshida", "Yusupova", "Namangan", "", "UZ")).await;
    let mut kz = federation.registry("KZ").await.unwrap();
    let mut uz = federation.registry("UZ").await.unwrap();
    let case = open_case(&mut kz, "KZ-1", false, pb::LegalBasis::BestInterestsOfChild).await;
    let link = linked(&federation, "KZ", "KZ-1", "UZ", "UZ-7").await;
    let send = |kind: pb::ReferralKind| pb::CreateReferralRequest {
        link_id: link.link_id.clone(),
        case_id: case.case_id.clone(),
        kind: kind as i32,
        note: "psychosocial support near the family".into(),
        override_justification: String::new(),
    };
    let service = kz.create_referral(send(pb::ReferralKind::Service)).await.unwrap().into_inner();
    let reunification = kz.create_referral(send(pb::ReferralKind::FamilyReunification)).await.unwrap().into_inner();
    let (service_id, reunification_id) = (service.referral_id.clone(), reunification.referral_id.clone());
    eventually("both referrals reach UZ", || {
        let mut uz = uz.clone();
        async move {
            let list =
                uz.list_referrals(pb::ListReferralsRequest { waiting: true, ..Default::default() }).await.ok()?;
            (list.into_inner().referrals.len() == 2).then_some(())
        }
    })
    .await;
    let act = |id: &str, action: pb::ReferralAction, reason: &str| pb::ActOnReferralRequest {
        referral_id: id.into(),
        action: action as i32,
        reason: reason.into(),
    };
    let accepted = uz.act_on_referral(act(&service_id, pb::ReferralAction::Accept, "")).await.unwrap().into_inner();
    assert!(accepted.case_id.is_empty(), "only a transfer opens a case");
    let no_reason = uz.act_on_referral(act(&reunification_id, pb::ReferralAction::Reject, "")).await.unwrap_err();
    assert_eq!(no_reason.code(), Code::InvalidArgument);
    uz.act_on_referral(act(&reunification_id, pb::ReferralAction::Reject, "the father's family declined"))
        .await
        .unwrap();
    uz.act_on_referral(act(&service_id, pb::ReferralAction::Done, "")).await.unwrap();

    let done = eventually("KZ sees the service referral done", || {
        let mut kz = kz.clone();
        let id = service_id.clone();
        async move {
            let r = referral(&mut kz, &id).await;
            (r.state == pb::ReferralState::Done as i32).then_some(r)
        }
    })
    .await;
    assert_eq!(done.case_id, case.case_id);
    let rejected = eventually("KZ sees the rejection", || {
        let mut kz = kz.clone();
        let id = reunification_id.clone();
        async move {
            let r = referral(&mut kz, &id).await;
            (r.state == pb::ReferralState::Rejected as i32).then_some(r)
        }
    })
    .await;
    assert_eq!(rejected.reason, "the father's family declined");
    let kz_case = kz.get_case(pb::GetCaseRequest { case_id: case.case_id.clone() }).await.unwrap().into_inner();
    assert_eq!(kz_case.status, pb::CaseStatus::Intake as i32, "a service referral does not move the case");
    let uz_cases = uz.list_cases(pb::ListCasesRequest::default()).await.unwrap().into_inner().cases;
    assert!(uz_cases.is_empty(), "{uz_cases:?}");
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_up_messages_a_peer_should_not_send_are_refused_or_dropped_and_change_nothing_else() {
    use homeward_proto::pb::federation_client::FederationClient;
    use homeward_store::followup::Table;
    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();
    enrol(&federation, "KZ", woman("KZ-1", "Хуршида", "Юсупова", "Шымкент", "", "KZ")).await;
    federation.wait_converged(DEADLINE).await.unwrap();
    let kz = &federation.node("KZ").unwrap().state;
    // UZ holds nothing, so its outbox to KZ is empty and this test speaks as UZ's node.
    let mut as_uz = FederationClient::new(federation.channel_as("KZ", &Identity::node("UZ")).await.unwrap());
    let batch = |first_seq: u64, body: Option<pb::follow_up::Body>| pb::ExchangeRequest {
        first_seq,
        ops: vec![pb::ExchangeOp { op: Some(pb::exchange_op::Op::FollowUp(pb::FollowUp { body })) }],
        declared_records: 1,
    };

    let empty = as_uz.exchange(batch(1, None)).await.unwrap_err();
    assert_eq!(empty.code(), Code::InvalidArgument, "{empty:?}");
    assert_eq!(kz.store.applied_seq("UZ").unwrap(), 0, "a refused batch moved the applied mark");

    use pb::follow_up::Body;
    let bodies = [
        // A review of a record UZ never sent tokens for.
        Body::Review(pb::PeerReview {
            sender_ref: vec![1; 16],
            receiver_ref: vec![2; 16],
            link_kind: 1,
            decision: pb::ReviewDecision::Reject as i32,
            reason: "x".into(),
            time: 0,
        }),
        // A request under KZ's own id space.
        Body::DisclosureRequest(pb::PeerDisclosureRequest {
            disclosure_id: "KZ-D000001".into(),
            sender_ref: vec![1; 16],
            receiver_ref: vec![2; 16],
            link_kind: 1,
            fields: vec!["given_name".into()],
            purpose: "p".into(),
            legal_basis: "b".into(),
            expire_time: i64::MAX,
        }),
        // A request about no link: refused automatically, nothing kept.
        Body::DisclosureRequest(pb::PeerDisclosureRequest {
            disclosure_id: "UZ-D000009".into(),
            sender_ref: vec![1; 16],
            receiver_ref: vec![2; 16],
            link_kind: 1,
            fields: vec!["given_name".into()],
            purpose: "p".into(),
            legal_basis: "b".into(),
            expire_time: i64::MAX,
        }),
        // Answers and updates to requests and referrals that do not exist.
        Body::DisclosureAnswer(pb::PeerDisclosureAnswer {
            disclosure_id: "KZ-D000404".into(),
            approved: true,
            fields: vec![pb::DisclosedField { name: "given_name".into(), value: "Injected".into() }],
            refusal_reason: String::new(),
        }),
        Body::DisclosureReceipt(pb::PeerDisclosureReceipt { disclosure_id: "KZ-D000404".into() }),
        Body::ReferralUpdate(pb::PeerReferralUpdate {
            referral_id: "KZ-R000404".into(),
            state: pb::ReferralState::Accepted as i32,
            reason: String::new(),
        }),
    ];
    let count = bodies.len() as u64;
    for (i, body) in bodies.into_iter().enumerate() {
        as_uz.exchange(batch(i as u64 + 1, Some(body))).await.unwrap();
    }
    eventually("KZ acts on every message", || async { kz.store.inbox(16).unwrap().is_empty().then_some(()) }).await;
    let before = kz.store.dump_raw().unwrap();
    // A replay of the whole run changes nothing.
    let replay = as_uz.exchange(batch(2, Some(pb::follow_up::Body::DisclosureReceipt(Default::default())))).await;
    assert_eq!(replay.unwrap().into_inner().applied_seq, count);
    // The replay was applied (skipped) before the answer came: nothing reached the inbox.
    assert!(kz.store.inbox(16).unwrap().is_empty(), "a replayed message reached the inbox");
    let after = kz.store.dump_raw().unwrap();
    let changed: Vec<_> =
        after.iter().filter(|kv| !before.contains(kv)).map(|(k, _)| String::from_utf8_lossy(k).into_owned()).collect();
    assert!(changed.iter().all(|k| k.starts_with('a') || k.starts_with('m')), "a replay wrote {changed:?}");

    assert!(kz.store.follow_up_list::<serde_json::Value>(Table::Review).unwrap().is_empty());
    assert!(kz.store.follow_up_list::<serde_json::Value>(Table::Disclosure).unwrap().is_empty());
    assert!(kz.store.follow_up_list::<serde_json::Value>(Table::Referral).unwrap().is_empty());
    assert!(!kz.store.dump_raw().unwrap().iter().any(|(_, v)| contains(v, "Injected")));
    let audit = kz.store.audit_entries(0, usize::MAX).unwrap();
    let dropped = audit.iter().filter(|e| e.action == "followup.dropped").count();
    assert_eq!(dropped, 5, "{audit:?}");
    assert!(audit.iter().any(|e| e.action == "disclosure.refuse" && e.detail.contains("UZ-D000009")));
    federation.shutdown().await.unwrap();
}
