//! Helpers shared by the integration tests: records to enrol, and waiting on links with a
//! deadline (never a bare sleep).

#![allow(dead_code)] // each test file uses a subset

use homeward_node::harness::Federation;
use homeward_proto::pb;
use std::time::{Duration, Instant};

pub const DEADLINE: Duration = Duration::from_secs(30);

/// A woman's record; `document` empty means none.
pub fn person(record_id: &str, given: &str, family: &str, dob: &str, document: &str, nationality: &str) -> pb::Person {
    pb::Person {
        record_id: record_id.into(),
        given_name: given.into(),
        family_name: family.into(),
        sex: pb::Sex::Female as i32,
        date_of_birth: dob.into(),
        nationalities: vec![nationality.into()],
        documents: if document.is_empty() {
            vec![]
        } else {
            vec![pb::IdentityDocument {
                r#type: "passport".into(),
                number: document.into(),
                issuing_country: nationality.into(),
            }]
        },
        ..Default::default()
    }
}

/// A child's record `p` naming its mother by her given and family name only.
pub fn naming_mother(mut p: pb::Person, given: &str, family: &str) -> pb::Person {
    p.mother = Some(pb::ParentNames { given_name: given.into(), family_name: family.into(), ..Default::default() });
    p
}

pub async fn enrol(federation: &Federation, country: &str, p: pb::Person) {
    let mut client = federation.registry(country).await.expect("registry client");
    client.enrol_person(pb::EnrolPersonRequest { person: Some(p) }).await.expect("enrol");
}

/// Polls `country`'s links until `done` holds or [`DEADLINE`] passes.
pub async fn wait_for_links(
    federation: &Federation,
    country: &str,
    done: impl Fn(&[pb::Link]) -> bool,
) -> Vec<pb::Link> {
    let start = Instant::now();
    loop {
        let links = federation.links(country, false).await.expect("list links");
        if done(&links) {
            return links;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "{country}: condition on links not met within {DEADLINE:?}; links: {links:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A valid blinded token (a canonical ristretto255 point) derived from `seed`.
pub fn valid_token(seed: &[u8]) -> Vec<u8> {
    let secret = homeward_core::token::NodeSecret::generate().unwrap();
    secret.blind(&homeward_core::token::hash_to_point("test", "kind", seed)).to_vec()
}

/// What a refused batch must leave as it was: the whole store but the audit log (a refusal may
/// be logged there).
pub fn store_without_audit(store: &homeward_store::Store) -> Vec<(Vec<u8>, Vec<u8>)> {
    let audit_next = homeward_store::keys::meta("audit.next");
    let mut all = store.dump_raw().unwrap();
    all.retain(|(k, _)| k.first() != Some(&homeward_store::keys::AUDIT) && *k != audit_next);
    all
}
