//! Sync hardening in one process: anti-entropy repair of a diverged peer, quotas against a
//! flooding peer, and notes with unknown references.

mod common;

use common::{enrol, person, valid_token};
use homeward_node::harness::{Federation, Options};
use homeward_pki::Identity;
use homeward_proto::pb;
use homeward_proto::pb::federation_client::FederationClient;
use std::time::{Duration, Instant};
use tonic::Code;

const DEADLINE: Duration = Duration::from_secs(60);

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "{what}: not within {DEADLINE:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn federation_as(
    federation: &Federation,
    country: &str,
    as_node: &str,
) -> FederationClient<tonic::transport::Channel> {
    FederationClient::new(federation.channel_as(country, &Identity::node(as_node)).await.unwrap())
}

fn add(reference: u8, tokens: Vec<Vec<u8>>) -> pb::ExchangeOp {
    pb::ExchangeOp { op: Some(pb::exchange_op::Op::Add(pb::TokenSet { r#ref: vec![reference; 16], tokens })) }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anti_entropy_repairs_tokens_lost_at_the_receiver() {
    let options = Options { anti_entropy: Duration::from_millis(300), ..Options::default() };
    let federation = Federation::start(&["KZ", "UZ"], options).await.unwrap();
    for i in 0..20 {
        let name = format!("Gulnora{i}");
        enrol(
            &federation,
            "KZ",
            person(&format!("kz-{i}"), &name, "Karimova", "1990-03-07", &format!("AB{i:05}"), "UZ"),
        )
        .await;
        enrol(
            &federation,
            "UZ",
            person(&format!("uz-{i}"), &name, "Karimova", "1990-03-07", &format!("AB{i:05}"), "UZ"),
        )
        .await;
    }
    federation.wait_converged(DEADLINE).await.unwrap();
    let kz = federation.node("KZ").unwrap().state.clone();
    let uz = federation.node("UZ").unwrap().state.clone();
    let links_before = kz.store.all_links().unwrap().len();
    assert!(links_before >= 20, "links before: {links_before}");
    let held_before = uz.store.peer_token_count("KZ").unwrap();

    // UZ silently loses the tokens of three KZ records (a lost write, a restored backup...).
    let lost: Vec<[u8; 16]> =
        (0..3).map(|i| homeward_core::token::peer_ref(&kz.secrets.ref_key, "UZ", &format!("kz-{i}"))).collect();
    for reference in &lost {
        assert!(uz.store.forget_peer_ref_for_test("KZ", reference).unwrap() > 0);
        assert!(!uz.store.has_link_from("KZ", reference).unwrap());
    }
    assert!(uz.store.peer_token_count("KZ").unwrap() < held_before);

    // The next anti-entropy round finds the diverging ranges and KZ re-sends those records.
    wait_until("repair at UZ", || {
        lost.iter().all(|r| uz.store.has_link_from("KZ", r).unwrap())
            && uz.store.peer_token_count("KZ").unwrap() == held_before
    })
    .await;
    federation.wait_converged(DEADLINE).await.unwrap();
    assert_eq!(uz.store.peer_token_count("KZ").unwrap(), held_before);
    assert_eq!(kz.store.all_links().unwrap().len(), links_before);
    let audit = uz.store.audit_entries(0, usize::MAX).unwrap();
    assert!(audit.iter().any(|e| e.action == "sync.digest.diverged"), "divergence not audited");
    assert!(federation.token_indexes_match().unwrap(), "token index out of step with the tables after repair");
    federation.shutdown().await.unwrap();
}

/// A peer that loses the same tokens again right after their repair (broken, or asking this
/// node to re-blind its records over and over) gets no second repair of that range within the
/// interval; a range it loses for the first time is still repaired at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_range_diverging_again_after_its_repair_is_not_repaired_again_at_once() {
    let options = Options { anti_entropy: Duration::from_millis(300), ..Options::default() };
    let federation = Federation::start(&["KZ", "UZ"], options).await.unwrap();
    for i in 0..24 {
        let name = format!("Dilnoza{i}");
        enrol(
            &federation,
            "KZ",
            person(&format!("kz-{i}"), &name, "Rahimova", "1991-05-17", &format!("AC{i:05}"), "KZ"),
        )
        .await;
    }
    federation.wait_converged(DEADLINE).await.unwrap();
    let kz = federation.node("KZ").unwrap().state.clone();
    let uz = federation.node("UZ").unwrap().state.clone();
    let reference = |i: usize| homeward_core::token::peer_ref(&kz.secrets.ref_key, "UZ", &format!("kz-{i}"));
    let held = || uz.store.peer_token_count("KZ").unwrap();
    let withheld =
        || kz.store.audit_entries(0, usize::MAX).unwrap().iter().filter(|e| e.action == "sync.repair.withheld").count();
    let held_before = held();

    // First loss of kz-0's tokens: repaired.
    let lost = uz.store.forget_peer_ref_for_test("KZ", &reference(0)).unwrap() as u64;
    assert!(lost > 0);
    wait_until("first repair", || held() == held_before).await;
    federation.wait_converged(DEADLINE).await.unwrap();
    assert_eq!(withheld(), 0);

    // The same tokens lost again, and a record of another range lost for the first time.
    let other = (1..24).find(|&i| reference(i)[0] != reference(0)[0]).expect("a record in another range");
    assert_eq!(uz.store.forget_peer_ref_for_test("KZ", &reference(0)).unwrap() as u64, lost);
    assert!(uz.store.forget_peer_ref_for_test("KZ", &reference(other)).unwrap() > 0);
    // The new loss is repaired; the repeated one is withheld, round after round.
    wait_until("new range repaired, repeated range withheld twice", || held() == held_before - lost && withheld() >= 2)
        .await;
    assert_eq!(held(), held_before - lost, "the range diverging again was repaired within the interval");
    let health = kz.health_of("UZ");
    assert!(health.reachable);
    assert!(health.last_error.contains("diverging again after their repair"), "{}", health.last_error);
    let entry = kz.store.audit_entries(0, usize::MAX).unwrap().into_iter().find(|e| e.action == "sync.repair.withheld");
    let entry = entry.expect("audited");
    assert_eq!(entry.actor, "node:UZ");
    assert!(entry.detail.contains(&format!("ranges={}", reference(0)[0])), "{}", entry.detail);
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_peer_is_cut_off_by_its_quota_and_others_are_served() {
    let mut options = Options::default();
    options.limits.tokens_per_hour = 1_000;
    options.limits.max_tokens_per_record = 10;
    options.limits.token_slack = 0;
    let federation = Federation::start(&["KZ", "UZ", "KG"], options).await.unwrap();
    let kz = federation.node("KZ").unwrap().state.clone();
    let mut flooder = federation_as(&federation, "KZ", "UZ").await;

    // Claims 10 records but sends 200 tokens: over what its declared size allows.
    let tokens: Vec<Vec<u8>> = (0..200u32).map(|i| valid_token(&i.to_le_bytes())).collect();
    let request = pb::ExchangeRequest { first_seq: 1, ops: vec![add(1, tokens.clone())], declared_records: 10 };
    let status = flooder.exchange(request).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(status.message().contains("declared"), "{}", status.message());

    // Within the declared size, batch after batch, until the hourly rate cuts it off.
    let mut seq = 1;
    let mut refused = None;
    for round in 0..10u8 {
        let request =
            pb::ExchangeRequest { first_seq: seq, ops: vec![add(round + 2, tokens.clone())], declared_records: 1_000 };
        match flooder.exchange(request).await {
            Ok(answer) => {
                assert_eq!(answer.into_inner().reblinded.len(), 200);
                seq += 1;
            }
            Err(status) => {
                refused = Some(status);
                break;
            }
        }
    }
    let status = refused.expect("the flood was never refused");
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(status.message().contains("per hour"), "{}", status.message());
    assert_eq!(seq, 6, "1000 tokens per hour allow five batches of 200");
    // The refusal changed nothing and is in the audit log.
    assert_eq!(kz.store.applied_seq("UZ").unwrap(), 5);
    assert_eq!(kz.store.tokens_held("UZ").unwrap(), 1_000);
    let audit = kz.store.audit_entries(0, usize::MAX).unwrap();
    assert!(audit.iter().any(|e| e.action == "quota.exceeded" && e.actor == "node:UZ"), "quota not audited");

    // Meanwhile KG is served as usual.
    let mut kg = federation_as(&federation, "KZ", "KG").await;
    let request = pb::ExchangeRequest { first_seq: 1, ops: vec![add(9, tokens[..50].to_vec())], declared_records: 10 };
    assert_eq!(kg.exchange(request).await.unwrap().into_inner().reblinded.len(), 50);
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_with_unknown_references_change_nothing_and_do_not_jam_the_sender() {
    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();
    let kz = federation.node("KZ").unwrap().state.clone();
    let mut client = federation_as(&federation, "KZ", "UZ").await;
    let note = |sender: u8, receiver: u8| pb::ExchangeOp {
        op: Some(pb::exchange_op::Op::Note(pb::LinkNote {
            sender_ref: vec![sender; 16],
            receiver_ref: vec![receiver; 16],
            family_role: pb::FamilyRole::Mother as i32,
        })),
    };
    // A note about a reference UZ never sent tokens for, and about a record that is not ours:
    // applied as no-ops (a note can race an erasure), so the sequence moves on.
    let request = pb::ExchangeRequest { first_seq: 1, ops: vec![note(1, 2)], declared_records: 1 };
    assert_eq!(client.exchange(request).await.unwrap().into_inner().applied_seq, 1);
    assert_eq!(kz.store.peer_role("UZ", &[1; 16], &[2; 16]).unwrap(), None);
    // Tokens for ref 3, then a note from ref 3 about a record KZ does not have: still nothing.
    let request = pb::ExchangeRequest {
        first_seq: 2,
        ops: vec![add(3, vec![valid_token(b"x")]), note(3, 4)],
        declared_records: 1,
    };
    assert_eq!(client.exchange(request).await.unwrap().into_inner().applied_seq, 3);
    assert_eq!(kz.store.peer_role("UZ", &[3; 16], &[4; 16]).unwrap(), None);
    // Out of order: refused, nothing changes.
    let request = pb::ExchangeRequest { first_seq: 7, ops: vec![note(3, 4)], declared_records: 1 };
    assert_eq!(client.exchange(request).await.unwrap_err().code(), Code::FailedPrecondition);
    assert_eq!(kz.store.applied_seq("UZ").unwrap(), 3);
    federation.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicated_and_reordered_batches_neither_double_nor_lose() {
    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();
    let kz = federation.node("KZ").unwrap().state.clone();
    let mut client = federation_as(&federation, "KZ", "UZ").await;
    let batch = |first_seq: u64, reference: u8| pb::ExchangeRequest {
        first_seq,
        ops: vec![add(reference, vec![valid_token(&[reference, 1]), valid_token(&[reference, 2])])],
        declared_records: 10,
    };
    let withdraw = |first_seq: u64, reference: u8| pb::ExchangeRequest {
        first_seq,
        ops: vec![pb::ExchangeOp {
            op: Some(pb::exchange_op::Op::Withdraw(pb::Withdrawal { r#ref: vec![reference; 16], replacement: 0 })),
        }],
        declared_records: 10,
    };
    let (b1, b2, b3, b4) = (batch(1, 1), batch(2, 2), batch(3, 3), withdraw(4, 2));
    // Reordered: 3 before 1 and 2 is refused and changes nothing.
    assert_eq!(client.exchange(b3.clone()).await.unwrap_err().code(), Code::FailedPrecondition);
    assert_eq!(kz.store.tokens_held("UZ").unwrap(), 0);
    let first = client.exchange(b1.clone()).await.unwrap().into_inner();
    // Duplicated: the same batch twice answers the same and adds nothing.
    assert_eq!(client.exchange(b1.clone()).await.unwrap().into_inner().reblinded, first.reblinded);
    assert_eq!(kz.store.tokens_held("UZ").unwrap(), 2);
    client.exchange(b2.clone()).await.unwrap();
    client.exchange(b3.clone()).await.unwrap();
    client.exchange(b4.clone()).await.unwrap();
    // A stale replay of an addition after its withdrawal must not bring it back.
    assert_eq!(client.exchange(b2).await.unwrap().into_inner().applied_seq, 4);
    // An overlapping batch (seq 3..4 again, then 5): only seq 5 is new.
    let overlapping = pb::ExchangeRequest {
        first_seq: 3,
        ops: [b3.ops.clone(), b4.ops.clone(), batch(5, 5).ops].concat(),
        declared_records: 10,
    };
    assert_eq!(client.exchange(overlapping).await.unwrap().into_inner().applied_seq, 5);
    assert_eq!(kz.store.tokens_held("UZ").unwrap(), 6, "refs 1, 3 and 5, two tokens each");
    assert_eq!(kz.store.peer_token_count("UZ").unwrap(), 6);
    assert_eq!(kz.store.peer_tokens_by_ref("UZ").unwrap().len(), 3);
    assert!(federation.token_indexes_match().unwrap(), "token index out of step with the tables");
    federation.shutdown().await.unwrap();
}

/// The links a node shows, as comparable text: record, peer, kind, status, score.
async fn link_summary(federation: &Federation, country: &str) -> Vec<String> {
    let mut links: Vec<String> = federation
        .links(country, false)
        .await
        .unwrap()
        .iter()
        .map(|l| format!("{} {} {} {} {:.3}", l.record_id, l.peer_country, l.kind, l.status, l.score))
        .collect();
    links.sort();
    links
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgrades_remake_stopped_midway_starts_over_and_ends_with_the_same_links() {
    use homeward_node::rotation::{KEYS_VERSION_META, remake_stale_tokens};
    use std::sync::atomic::Ordering;
    let federation = Federation::start(&["KZ", "UZ"], Options::default()).await.unwrap();
    // 300 records on KZ (and one more below), two chunks of the remake and part of a third; 40
    // of them on UZ too.
    let given = ["Aziz", "Bobur", "Dilshod", "Farrukh", "Jasur", "Kamol", "Laziz", "Murod", "Nodir", "Otabek"];
    let family = ["Karimov", "Yusupov", "Saidov", "Rahimov", "Nazarov", "Aliyev", "Tursunov", "Ergashev"];
    let record = |i: usize, node: &str| {
        let dob = format!("{}-{:02}-{:02}", 1960 + i % 40, 1 + i % 12, 1 + i % 28);
        let mut p = person(&format!("{node}-{i}"), given[i % 10], family[(i / 10) % 8], &dob, "", "UZ");
        p.sex = pb::Sex::Male as i32;
        p
    };
    for i in 0..300 {
        enrol(&federation, "KZ", record(i, "KZ")).await;
    }
    for i in 0..40 {
        enrol(&federation, "UZ", record(i, "UZ")).await;
    }
    // And one whose link only its pair round confirms (a letter changed in the given name), so
    // that the rounds must run again after the remake for the scores to come back.
    let mut typo = record(2, "UZ");
    typo.record_id = "UZ-typo".into();
    typo.given_name = "Dilhsod".into();
    typo.date_of_birth = "2001-07-19".into();
    let mut source = record(2, "KZ");
    source.record_id = "KZ-source".into();
    source.date_of_birth = "2001-07-19".into();
    enrol(&federation, "KZ", source).await;
    enrol(&federation, "UZ", typo).await;
    federation.wait_converged(Duration::from_secs(60)).await.unwrap();
    let before = (link_summary(&federation, "KZ").await, link_summary(&federation, "UZ").await);
    assert!(before.0.len() >= 41, "{before:?}");
    // (kind 1: same person; status 2: auto-confirmed.)
    let round_confirmed = |links: &[String]| links.iter().any(|l| l.starts_with("KZ-source UZ 1 2 "));
    assert!(round_confirmed(&before.0), "{:?}", before.0);

    // Enrolment kept each record's derivation fingerprint, as a remake does.
    let kz = federation.node("KZ").unwrap().state.clone();
    let source = kz.store.get_person("KZ-source").unwrap().unwrap().person;
    let made_today = homeward_core::matching::derivation_fingerprint(&source, homeward_node::crypto::today());
    assert_eq!(kz.store.fingerprint("KZ-source").unwrap(), Some(made_today));
    // KZ's tokens as an earlier version made them.
    kz.store.set_meta(KEYS_VERSION_META, b"0").unwrap();
    let remake = |stop: bool| {
        let kz = kz.clone();
        tokio::task::spawn_blocking(move || {
            let (_tx, stop) = tokio::sync::watch::channel(stop);
            kz.records_to_remake.store(301, Ordering::Relaxed);
            remake_stale_tokens(&kz, Some(0), &stop)
        })
    };
    let remade = |kz: &homeward_node::state::NodeState| {
        let entries = kz.store.audit_entries(0, usize::MAX).unwrap();
        entries.into_iter().filter(|e| e.action == "keys.remake").map(|e| e.detail).collect::<Vec<_>>()
    };
    // An upgrade that moves none of these records' derivations sends nothing.
    let sent_before = kz.store.outbox_last_seq("UZ").unwrap();
    remake(false).await.unwrap().unwrap();
    let details = remade(&kz);
    assert!(details.len() == 1 && details[0].contains("records=301 remade=0 unchanged=301"), "{details:?}");
    assert_eq!(kz.store.outbox_last_seq("UZ").unwrap(), sent_before);
    // Records enrolled before fingerprints were kept at enrolment: every one is sent.
    assert_eq!(kz.store.forget_fingerprints().unwrap(), 301);
    kz.store.set_meta(KEYS_VERSION_META, b"0").unwrap();
    // Stopped after its first chunk: the version is not recorded, so the next start begins again.
    remake(true).await.unwrap().unwrap();
    assert_eq!(kz.store.meta(KEYS_VERSION_META).unwrap(), Some(b"0".to_vec()));
    assert_eq!(kz.records_to_remake.load(Ordering::Relaxed), 301 - 256);
    assert_eq!(remade(&kz).len(), 1);
    // Run to its end while the node serves: recorded once, every record, and the links come
    // back as they were on both nodes; neither node shows fewer links meanwhile (each replaces
    // a record's links in one transaction), and UZ re-sends nothing (the key is unchanged).
    let received_from_uz = kz.store.tokens_received("UZ").unwrap();
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let watcher = {
        let (kz, uz) = (kz.clone(), federation.node("UZ").unwrap().state.clone());
        let watching = watching.clone();
        std::thread::spawn(move || {
            let shown = |state: &homeward_node::state::NodeState| {
                homeward_node::registry::visible_link_index(state, false).unwrap().len()
            };
            let mut fewest = (usize::MAX, usize::MAX);
            while watching.load(Ordering::Relaxed) {
                fewest = (fewest.0.min(shown(&kz)), fewest.1.min(shown(&uz)));
                std::thread::sleep(Duration::from_millis(2));
            }
            fewest
        })
    };
    remake(false).await.unwrap().unwrap();
    let version = homeward_core::matching::KEYS_VERSION.to_string().into_bytes();
    assert_eq!(kz.store.meta(KEYS_VERSION_META).unwrap(), Some(version));
    assert_eq!(kz.records_to_remake.load(Ordering::Relaxed), 0);
    let details = remade(&kz);
    // The first run's chunk went out with its derivation fingerprints: the same derivation
    // again is not sent again.
    assert!(details.len() == 2 && details[1].contains("records=301 remade=45 unchanged=256"), "{details:?}");
    federation.wait_converged(Duration::from_secs(60)).await.unwrap();
    watching.store(false, Ordering::Relaxed);
    let fewest = watcher.join().unwrap();
    let after = (link_summary(&federation, "KZ").await, link_summary(&federation, "UZ").await);
    assert_eq!(before, after);
    assert_eq!(fewest, (before.0.len(), before.1.len()), "links disappeared during the remake");
    assert_eq!(kz.store.tokens_received("UZ").unwrap(), received_from_uz, "UZ re-sent its tokens");
    assert!(federation.token_indexes_match().unwrap());

    // Another upgrade whose change touches none of these records: nothing is sent, not even
    // for a record a caseworker updated since (its update kept its new fingerprint).
    let mut updated = record(7, "KZ");
    updated.locality = "Shymkent".into();
    federation
        .registry("KZ")
        .await
        .unwrap()
        .update_person(pb::UpdatePersonRequest { person: Some(updated) })
        .await
        .unwrap();
    federation.wait_converged(Duration::from_secs(60)).await.unwrap();
    kz.store.set_meta(KEYS_VERSION_META, b"0").unwrap();
    let sent_before = kz.store.outbox_last_seq("UZ").unwrap();
    remake(false).await.unwrap().unwrap();
    let details = remade(&kz);
    assert!(details.len() == 3 && details[2].contains("records=301 remade=0 unchanged=301"), "{details:?}");
    assert_eq!(kz.store.outbox_last_seq("UZ").unwrap(), sent_before);
    federation.wait_converged(Duration::from_secs(60)).await.unwrap();
    assert_eq!(link_summary(&federation, "UZ").await, after.1);
    federation.shutdown().await.unwrap();
}
