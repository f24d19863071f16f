//! The pair round on real nodes: a same-person candidate is compared field by field through
//! double-blinded, pair-salted tokens, both sides reach the same score, and the round's state
//! goes with the link.

mod common;

use common::{DEADLINE, enrol, person};
use homeward_core::matching::{KeyKind, KeySet, pair};
use homeward_node::harness::{Federation, Options};
use homeward_proto::convert::person_from_pb;
use homeward_proto::pb;

fn kinds_of(link: &pb::Link) -> KeySet {
    KeySet(
        link.agreeing_keys
            .iter()
            .filter_map(|label| KeyKind::ALL.iter().find(|k| k.label() == label))
            .fold(0, |set, kind| set | (1u64 << (*kind as u8))),
    )
}

fn has(list: &[String], names: &[&str]) -> bool {
    names.iter().all(|name| list.iter().any(|n| n == name))
}

/// Keys of the pair-round tables (`y` tokens, `Y` waiting marks) in a node's store.
fn pair_keys(federation: &Federation, country: &str) -> usize {
    let store = &federation.node(country).unwrap().state.store;
    store.dump_raw().unwrap().iter().filter(|(k, _)| matches!(k.first(), Some(b'y' | b'Y'))).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pair_round_compares_fields_and_both_sides_reach_the_same_score() {
    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();

    // One woman: names agree, her birth day and month are mistyped on one side and her passport
    // number has two digits transposed. The global keys show only names + year + locality
    // (a candidate for review); the pair round sees the document and the year.
    let mut kz_record = person("KZ-0001", "Samantha", "Ryan", "1980-02-10", "AB2049144", "KZ");
    kz_record.locality = "Winthrop".into();
    let mut uz_record = person("UZ-0001", "Samantha", "Ryan", "1980-01-20", "AB2049414", "KZ");
    uz_record.locality = "Winthrop".into();
    // Another woman recorded identically on both sides, passport and all: her keys already make
    // the link certain, so no pair round is spent on it.
    let kz_certain = person("KZ-0002", "Dilnoza", "Rahimova", "1985-06-15", "N1234567", "UZ");
    let uz_certain = person("UZ-0002", "Dilnoza", "Rahimova", "1985-06-15", "N1234567", "UZ");
    for (country, record) in [("KZ", &kz_record), ("UZ", &uz_record), ("KZ", &kz_certain), ("UZ", &uz_certain)] {
        enrol(&federation, country, record.clone()).await;
    }
    federation.wait_converged(DEADLINE).await.unwrap();

    let kz = federation.links("KZ", true).await.unwrap();
    let uz = federation.links("UZ", true).await.unwrap();
    let kz_link = kz.iter().find(|l| l.record_id == "KZ-0001").expect("KZ link");
    let uz_link = uz.iter().find(|l| l.record_id == "UZ-0001").expect("UZ link");
    assert_eq!(kz_link.own_ref, uz_link.peer_ref);

    // Both sides compared the same fields and reached the same score.
    assert_eq!(
        (&kz_link.pair_agreeing, &kz_link.pair_close, &kz_link.pair_differing),
        (&uz_link.pair_agreeing, &uz_link.pair_close, &uz_link.pair_differing)
    );
    assert_eq!(kz_link.score, uz_link.score);
    assert!(
        has(&kz_link.pair_agreeing, &["given_name", "family_name", "birth_year", "locality", "nationality", "sex"]),
        "{kz_link:?}"
    );
    assert!(has(&kz_link.pair_close, &["document"]), "{kz_link:?}");
    assert!(has(&kz_link.pair_differing, &["birth_month", "birth_day"]), "{kz_link:?}");

    // The blinded round shows exactly what comparing the two records in the clear shows.
    let kinds = kinds_of(kz_link);
    let global = homeward_core::matching::score(homeward_core::matching::LinkKind::SamePerson, kinds);
    assert!(global < 0.9, "the global keys alone already auto-confirm ({global}): the test shows nothing");
    let plain = pair::plain_evidence(&person_from_pb(kz_record).unwrap(), &person_from_pb(uz_record).unwrap(), kinds);
    let expected = pair::score_same_person(kinds, Some(&plain));
    assert!((kz_link.score - expected).abs() < 1e-12, "node {} vs in the clear {expected}", kz_link.score);
    assert!(kz_link.score >= 0.9, "{kz_link:?}");
    assert_eq!(kz_link.status, pb::LinkStatus::AutoConfirmed as i32);

    // The certain link had no pair round.
    let certain = kz.iter().find(|l| l.record_id == "KZ-0002").expect("certain link");
    assert!(certain.pair_agreeing.is_empty() && certain.pair_differing.is_empty(), "{certain:?}");
    assert_eq!(certain.status, pb::LinkStatus::AutoConfirmed as i32);
    assert!(pair_keys(&federation, "KZ") > 0 && pair_keys(&federation, "UZ") > 0);

    // Erasing the record takes the round's tokens with the link, on both nodes.
    let mut client = federation.registry("KZ").await.unwrap();
    client.erase_person(pb::ErasePersonRequest { record_id: "KZ-0001".into() }).await.unwrap();
    federation.wait_converged(DEADLINE).await.unwrap();
    assert_eq!(pair_keys(&federation, "KZ"), 0);
    assert_eq!(pair_keys(&federation, "UZ"), 0);
    assert!(federation.links("UZ", true).await.unwrap().iter().all(|l| l.record_id != "UZ-0001"));
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_crossed_between_a_father_and_his_son_make_no_link() {
    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();
    // Yusuf, a son of Murat, and Murat, a son of Yusuf, born the same year: the keys meet on
    // both names as a set and the birth year (a candidate for review); the round shows each
    // record writing its family name in the family form, the names crossed between them.
    let mut son = person("KZ-0001", "Yusuf", "Muratov", "1985", "", "UZ");
    let mut father = person("UZ-0001", "Мурат", "Юсупов", "1985-04-02", "", "UZ");
    son.sex = pb::Sex::Male as i32;
    father.sex = pb::Sex::Male as i32;
    // One man recorded with his names the wrong way round on one side is still one man.
    let mut one = person("KZ-0002", "Bobur", "Karimov", "1990", "", "UZ");
    let mut swapped = person("UZ-0002", "Каримов", "Бобур", "1990-06-15", "", "UZ");
    one.sex = pb::Sex::Male as i32;
    swapped.sex = pb::Sex::Male as i32;
    for (country, record) in [("KZ", &son), ("UZ", &father), ("KZ", &one), ("UZ", &swapped)] {
        enrol(&federation, country, record.clone()).await;
    }
    federation.wait_converged(DEADLINE).await.unwrap();

    for country in ["KZ", "UZ"] {
        let shown = federation.links(country, false).await.unwrap();
        assert!(shown.iter().all(|l| !l.record_id.ends_with("0001")), "{country}: {shown:?}");
        assert!(shown.iter().any(|l| l.record_id.ends_with("0002")), "{country}: {shown:?}");
        // Below the review threshold, the link is kept with what the round showed.
        let all = federation.links(country, true).await.unwrap();
        let crossed = all.iter().find(|l| l.record_id.ends_with("0001")).expect("the candidate");
        assert!(has(&crossed.pair_differing, &["given_name", "family_name", "names_crossed"]), "{crossed:?}");
        let keys_alone =
            homeward_core::matching::score(homeward_core::matching::LinkKind::SamePerson, kinds_of(crossed));
        let review =
            homeward_core::matching::Thresholds::for_link(homeward_core::matching::LinkKind::SamePerson).review;
        assert!(
            keys_alone >= review,
            "the keys alone would not leave it for review ({keys_alone}): the test shows nothing"
        );
        assert!(crossed.score < keys_alone, "{crossed:?}");
        // Listed for information, it is not a link to review: said so, not "not found".
        let mut client = federation.registry(country).await.unwrap();
        let refused = client
            .review_link(pb::ReviewLinkRequest {
                link_id: crossed.link_id.clone(),
                decision: pb::ReviewDecision::Confirm as i32,
                reason: String::new(),
            })
            .await
            .unwrap_err();
        assert_eq!(refused.code(), tonic::Code::FailedPrecondition, "{refused:?}");
        assert!(refused.message().contains("below the review threshold"), "{refused:?}");
    }
    federation.shutdown().await.unwrap();
}

fn pair_op(sender_ref: Vec<u8>, receiver_ref: Vec<u8>, layout: Vec<u8>, tokens: Vec<Vec<u8>>) -> pb::ExchangeRequest {
    pb::ExchangeRequest {
        first_seq: 1,
        ops: vec![pb::ExchangeOp {
            op: Some(pb::exchange_op::Op::Pair(pb::PairFields { sender_ref, receiver_ref, layout, tokens })),
        }],
        declared_records: 1,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_or_unknown_pair_rounds_are_refused_or_skipped_and_change_nothing() {
    use homeward_pki::Identity;
    use homeward_proto::pb::federation_client::FederationClient;
    use tonic::Code;

    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();
    let kz = federation.node("KZ").unwrap().state.clone();
    // The test speaks as UZ's node.
    let mut client = FederationClient::new(federation.channel_as("KZ", &Identity::node("UZ")).await.unwrap());
    let token = common::valid_token(b"field");
    let mut one = vec![0u8; pair::GROUPS];
    one[0] = 1;
    let before = common::store_without_audit(&kz.store);

    // A layout of the wrong length, one that exceeds a group's maximum, and one that announces
    // more tokens than the operation carries.
    let status = client.exchange(pair_op(vec![1; 16], vec![2; 16], vec![1; 3], vec![token.clone()])).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let mut too_many = vec![0u8; pair::GROUPS];
    too_many[0] = 2;
    let status = client
        .exchange(pair_op(vec![1; 16], vec![2; 16], too_many, vec![token.clone(), token.clone()]))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let mut two = vec![0u8; pair::GROUPS];
    two[0] = 1;
    two[1] = 1;
    let status = client.exchange(pair_op(vec![1; 16], vec![2; 16], two, vec![token.clone()])).await.unwrap_err();
    assert!(status.message().contains("layout announces 2 tokens, got 1"), "{status:?}");
    // A token that is no point, and a short reference.
    let status =
        client.exchange(pair_op(vec![1; 16], vec![2; 16], one.clone(), vec![vec![0xff; 32]])).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    let status = client.exchange(pair_op(vec![1; 3], vec![2; 16], one.clone(), vec![token.clone()])).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert_eq!(common::store_without_audit(&kz.store), before, "a refused batch changed the store");

    // Well formed, but about references this node does not know: answered (re-blinding is
    // metered like any token) and skipped; no pair-round state is kept.
    let answer = client.exchange(pair_op(vec![1; 16], vec![2; 16], one, vec![token])).await.unwrap().into_inner();
    assert_eq!(answer.reblinded.len(), 1);
    assert_eq!(answer.applied_seq, 1);
    // A node of the round's first version sends a shorter layout (no mother's name group).
    let mut first = vec![0u8; pair::FIRST_GROUPS];
    first[0] = 1;
    let mut request = pair_op(vec![3; 16], vec![4; 16], first, vec![common::valid_token(b"other field")]);
    request.first_seq = 2;
    let answer = client.exchange(request).await.unwrap().into_inner();
    assert_eq!((answer.reblinded.len(), answer.applied_seq), (1, 2));
    // A later version's longer layout: the tokens of groups not known here are answered too.
    let mut later = vec![0u8; pair::GROUPS + 2];
    later[0] = 1;
    later[pair::GROUPS + 1] = 2;
    let tokens = vec![common::valid_token(b"a"), common::valid_token(b"b"), common::valid_token(b"c")];
    let mut request = pair_op(vec![5; 16], vec![6; 16], later, tokens);
    request.first_seq = 3;
    let answer = client.exchange(request).await.unwrap().into_inner();
    assert_eq!((answer.reblinded.len(), answer.applied_seq), (3, 3));
    assert_eq!(pair_keys(&federation, "KZ"), 0);
    let audit = kz.store.audit_entries(0, usize::MAX).unwrap();
    assert!(audit.iter().any(|e| e.action == "tokens.received" && e.detail.contains("notes_skipped=1")), "{audit:?}");
    federation.shutdown().await.unwrap();
}
