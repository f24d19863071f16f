//! A node refuses to start, with a message that says why, when its configuration or data
//! directory would make it look healthy while failing: a certificate of another country or
//! role, a TLS key of another certificate, a CA of another federation, a key missing beside an
//! existing store. (A damaged store: `homeward-store`'s
//! `a_damaged_store_is_refused_with_an_error_not_a_panic`.)

use homeward_node::harness::{Federation, Options};
use homeward_node::server::open_state;
use homeward_pki::Identity;
use homeward_proto::pb;

fn refusal(result: anyhow::Result<std::sync::Arc<homeward_node::state::NodeState>>) -> String {
    match result {
        Ok(_) => panic!("the node started"),
        Err(e) => format!("{e:#}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_refuses_another_countrys_certificate_or_role_and_a_key_missing_beside_its_store() {
    let root = tempfile::tempdir().unwrap();
    let options = Options { data_root: Some(root.path().to_path_buf()), ..Options::default() };
    let federation = Federation::start(&["KZ", "UZ"], options).await.unwrap();
    let mut client = federation.registry("KZ").await.unwrap();
    let person = pb::Person {
        record_id: "KZ-1".into(),
        given_name: "Гульнара".into(),
        family_name: "Исмаилова".into(),
        date_of_birth: "1988-04-02".into(),
        ..Default::default()
    };
    client.enrol_person(pb::EnrolPersonRequest { person: Some(person) }).await.unwrap();
    let config = federation.node("KZ").unwrap().state.config.clone();
    let uz_node = federation.ca.issue(&Identity::node("UZ"), &["localhost"]).unwrap();
    let kz_caseworker = federation.ca.issue(&Identity::caseworker("KZ", "aigerim"), &[]).unwrap();
    drop(client);
    federation.shutdown().await.unwrap();

    let mut other = config.clone();
    other.tls.cert = uz_node.cert;
    other.tls.key = uz_node.key;
    let error = refusal(open_state(other, None));
    assert!(error.contains("node certificate of UZ") && error.contains("\"KZ\""), "{error}");
    let kz_caseworker_key = kz_caseworker.key.clone();
    let mut caseworker = config.clone();
    caseworker.tls.cert = kz_caseworker.cert;
    caseworker.tls.key = kz_caseworker.key;
    let error = refusal(open_state(caseworker, None));
    assert!(error.contains("caseworker certificate of KZ"), "{error}");

    // A key of another certificate, and a CA of another federation.
    let mut mismatched = config.clone();
    mismatched.tls.key = kz_caseworker_key.clone();
    let error = refusal(open_state(mismatched, None));
    assert!(error.contains("usable node identity"), "{error}");
    let mut foreign = config.clone();
    foreign.tls.ca = homeward_pki::Ca::generate("elsewhere").unwrap().cert_pem();
    let error = refusal(open_state(foreign, None));
    assert!(error.contains("does not chain to the CA"), "{error}");

    // The right configuration opens (and closes again before the next step).
    drop(open_state(config.clone(), None).expect("the node's own configuration"));

    let key = config.data_dir.join("blinding.key");
    let saved = std::fs::read(&key).unwrap();
    std::fs::remove_file(&key).unwrap();
    let error = refusal(open_state(config.clone(), None));
    assert!(error.contains("blinding.key is missing") && error.contains("backup"), "{error}");
    assert!(!key.exists(), "no new key was made");
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&key).unwrap();
        file.write_all(&saved).unwrap();
    }
    drop(open_state(config.clone(), None).expect("the key restored"));
}
