//! Issuing, reading back and TLS-verifying Homeward identity certificates.

use std::sync::Arc;

use homeward_pki::{
    Ca, ExistingCa, Identity, Pem, PkiError, Role, certs_from_pem, client_config, identity_from_cert_der, init_dev_pki,
    init_dev_pki_with, install_crypto_provider, root_store, server_config,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::server::WebPkiClientVerifier;
use rustls::{ClientConnection, ServerConnection};
use x509_parser::extensions::GeneralName;

const HOSTS: &[&str] = &["localhost", "127.0.0.1"];

fn der(pem: &Pem) -> Vec<u8> {
    certs_from_pem(&pem.cert).unwrap().remove(0).to_vec()
}

fn ekus(der: &[u8]) -> (bool, bool) {
    let (_, cert) = x509_parser::parse_x509_certificate(der).unwrap();
    let eku = cert.extended_key_usage().unwrap().unwrap().value;
    (eku.server_auth, eku.client_auth)
}

#[test]
fn node_certificate_for_kz() {
    let ca = Ca::generate("central-asia").unwrap();
    let pem = ca.issue(&Identity::node("KZ"), HOSTS).unwrap();
    let der = der(&pem);
    let id = identity_from_cert_der(&der).unwrap();
    assert_eq!(id.role, Role::Node);
    assert_eq!(id.country, "KZ");
    assert_eq!(id, Identity::node("KZ"));
    assert_eq!(ekus(&der), (true, true));

    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    let subject = cert.subject();
    let first = |mut it: Box<dyn Iterator<Item = _> + '_>| {
        let attr: &x509_parser::x509::AttributeTypeAndValue = it.next().unwrap();
        attr.as_str().unwrap().to_string()
    };
    assert_eq!(first(Box::new(subject.iter_common_name())), "node-kz");
    assert_eq!(first(Box::new(subject.iter_organizational_unit())), "node");
    assert_eq!(first(Box::new(subject.iter_country())), "KZ");
    assert_eq!(first(Box::new(subject.iter_organization())), "central-asia");
    let san = cert.subject_alternative_name().unwrap().unwrap().value;
    assert!(san.general_names.contains(&GeneralName::DNSName("localhost")));
    assert!(san.general_names.contains(&GeneralName::IPAddress(&[127, 0, 0, 1])));
}

#[test]
fn caseworker_and_admin_certificates() {
    let ca = Ca::generate("central-asia").unwrap();
    for want in [Identity::caseworker("uz", "d.rahimova"), Identity::admin("TJ", "root-admin")] {
        let der = der(&ca.issue(&want, &[]).unwrap());
        let id = identity_from_cert_der(&der).unwrap();
        assert_eq!(id, want);
        assert_eq!(id.country, want.country.to_uppercase());
        assert_eq!(ekus(&der), (false, true), "{want}: clientAuth only");
    }
}

#[test]
fn coordinator_certificate_has_no_country() {
    let ca = Ca::generate("central-asia").unwrap();
    let der = der(&ca.issue(&Identity::coordinator("osce"), &[]).unwrap());
    let id = identity_from_cert_der(&der).unwrap();
    assert_eq!(id.role, Role::Coordinator);
    assert_eq!(id.country, "");
    assert_eq!(id.name, "osce");
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    assert_eq!(cert.subject().iter_country().count(), 0);
}

#[test]
fn invalid_identities_are_not_issued() {
    let ca = Ca::generate("central-asia").unwrap();
    for id in [
        Identity::node(""),
        Identity::node("KAZ"),
        Identity::caseworker("KZ", ""),
        Identity::caseworker("KZ", "a:b"),
        Identity::caseworker("", "bob"),
    ] {
        assert!(matches!(ca.issue(&id, &[]), Err(PkiError::InvalidIdentity(_))), "{id:?}");
    }
    assert!(ca.issue(&Identity::node("KZ"), &["not a host"]).is_err());
}

/// A certificate made outside `Ca::issue`, signed by `ca_key`/`ca_cert`, with the given SANs.
fn raw_cert(sans: Vec<rcgen::SanType>) -> Vec<u8> {
    let ca = Ca::generate("x").unwrap();
    let ca_key = rcgen::KeyPair::from_pem(&ca.key_pem()).unwrap();
    let issuer = rcgen::Issuer::from_ca_cert_pem(&ca.cert_pem(), ca_key).unwrap();
    let mut params = rcgen::CertificateParams::default();
    params.subject_alt_names = sans;
    let key = rcgen::KeyPair::generate().unwrap();
    params.signed_by(&key, &issuer).unwrap().der().to_vec()
}

fn uri(s: &str) -> rcgen::SanType {
    rcgen::SanType::URI(s.try_into().unwrap())
}

#[test]
fn certificate_without_homeward_uri_is_rejected() {
    let dns_only = raw_cert(vec![rcgen::SanType::DnsName("localhost".try_into().unwrap())]);
    assert!(matches!(identity_from_cert_der(&dns_only), Err(PkiError::MissingIdentity)));
    let other_uri = raw_cert(vec![uri("https://homeward.example/node/KZ")]);
    assert!(matches!(identity_from_cert_der(&other_uri), Err(PkiError::MissingIdentity)));
    let no_san = raw_cert(vec![]);
    assert!(matches!(identity_from_cert_der(&no_san), Err(PkiError::MissingIdentity)));
}

#[test]
fn two_homeward_uris_are_rejected() {
    let two = raw_cert(vec![uri("urn:homeward:node:KZ:node-kz"), uri("urn:homeward:node:UZ:node-uz")]);
    assert!(matches!(identity_from_cert_der(&two), Err(PkiError::MultipleIdentities(2))));
    // A differently-cased second URI still counts: no way to smuggle an alternative spelling.
    let cased = raw_cert(vec![uri("urn:homeward:caseworker:KZ:bob"), uri("URN:HOMEWARD:admin:KZ:bob")]);
    assert!(matches!(identity_from_cert_der(&cased), Err(PkiError::MultipleIdentities(2))));
    let malformed = raw_cert(vec![uri("urn:homeward:node:kz:node-kz")]);
    assert!(matches!(identity_from_cert_der(&malformed), Err(PkiError::InvalidIdentity(_))));
}

#[test]
fn garbage_is_rejected() {
    assert!(identity_from_cert_der(b"").is_err());
    assert!(identity_from_cert_der(b"not a certificate").is_err());
    let mut der = der(&Ca::generate("x").unwrap().issue(&Identity::node("KZ"), HOSTS).unwrap());
    der.push(0);
    assert!(identity_from_cert_der(&der).is_err());
}

/// `identity_from_cert_der` reads, it does not verify: a certificate from another CA parses
/// just the same. Rejecting it is the TLS layer's job (see `foreign_client_fails_handshake`).
#[test]
fn identity_from_cert_der_does_not_verify_the_issuer() {
    let ours = Ca::generate("central-asia").unwrap();
    let rogue = Ca::generate("central-asia").unwrap();
    let forged = rogue.issue(&Identity::node("UZ"), HOSTS).unwrap();
    assert_eq!(identity_from_cert_der(&der(&forged)).unwrap(), Identity::node("UZ"));
    let roots = Arc::new(root_store(&ours.cert_pem()).unwrap());
    let verifier = WebPkiClientVerifier::builder(roots).build().unwrap();
    let now = rustls::pki_types::UnixTime::now();
    let leaf = CertificateDer::from(der(&forged));
    assert!(verifier.verify_client_cert(&leaf, &[], now).is_err());
}

#[test]
fn ca_load_round_trip_and_checks() {
    let ca = Ca::generate("central-asia").unwrap();
    let loaded = Ca::load(&ca.cert_pem(), &ca.key_pem()).unwrap();
    assert_eq!(loaded.federation(), "central-asia");
    assert_eq!(loaded.cert_pem(), ca.cert_pem());
    // Certificates from the loaded CA verify against the original CA certificate.
    let pem = loaded.issue(&Identity::caseworker("KG", "bob"), &[]).unwrap();
    install_crypto_provider();
    let roots = Arc::new(root_store(&ca.cert_pem()).unwrap());
    let verifier = WebPkiClientVerifier::builder(roots).build().unwrap();
    let leaf = CertificateDer::from(der(&pem));
    verifier.verify_client_cert(&leaf, &[], rustls::pki_types::UnixTime::now()).unwrap();

    let other = Ca::generate("central-asia").unwrap();
    assert!(Ca::load(&ca.cert_pem(), &other.key_pem()).is_err(), "wrong key");
    let leaf = ca.issue(&Identity::node("KZ"), HOSTS).unwrap();
    assert!(Ca::load(&leaf.cert, &leaf.key).is_err(), "leaf is not a CA");
    assert!(Ca::load("", &ca.key_pem()).is_err());
    assert!(!format!("{ca:?}").contains(&ca.key_pem()));
    assert!(!format!("{leaf:?}").contains(&leaf.key));
}

#[test]
fn rustls_accepts_issued_certificates() {
    install_crypto_provider();
    let ca = Ca::generate("central-asia").unwrap();
    let roots = Arc::new(root_store(&ca.cert_pem()).unwrap());
    let verifier = WebPkiClientVerifier::builder(roots).build().unwrap();
    let now = rustls::pki_types::UnixTime::now();
    for id in [
        Identity::node("KZ"),
        Identity::caseworker("KZ", "bob"),
        Identity::admin("KZ", "admin"),
        Identity::coordinator("osce"),
    ] {
        let pem = ca.issue(&id, HOSTS).unwrap();
        let leaf = CertificateDer::from_pem_slice(pem.cert.as_bytes()).unwrap();
        PrivateKeyDer::from_pem_slice(pem.key.as_bytes()).unwrap();
        verifier.verify_client_cert(&leaf, &[], now).unwrap();
    }
    let node = ca.issue(&Identity::node("KZ"), HOSTS).unwrap();
    server_config(&ca.cert_pem(), &node).unwrap();
    client_config(&ca.cert_pem(), &node).unwrap();
}

/// Pumps TLS records between two in-memory connections until both finish the handshake.
fn handshake(client: &mut ClientConnection, server: &mut ServerConnection) -> Result<(), String> {
    for _ in 0..16 {
        let mut buf = Vec::new();
        while client.wants_write() {
            client.write_tls(&mut buf).unwrap();
        }
        let mut rd = &buf[..];
        while !rd.is_empty() {
            server.read_tls(&mut rd).unwrap();
            server.process_new_packets().map_err(|e| format!("server: {e}"))?;
        }
        let mut buf = Vec::new();
        while server.wants_write() {
            server.write_tls(&mut buf).unwrap();
        }
        let mut rd = &buf[..];
        while !rd.is_empty() {
            client.read_tls(&mut rd).unwrap();
            client.process_new_packets().map_err(|e| format!("client: {e}"))?;
        }
        if !client.is_handshaking() && !server.is_handshaking() && !client.wants_write() {
            return Ok(());
        }
    }
    Err("handshake did not finish".into())
}

fn connect(ca_pem: &str, server: &Pem, client: &Pem, host: &str) -> Result<ServerConnection, String> {
    let s = Arc::new(server_config(ca_pem, server).unwrap());
    let c = Arc::new(client_config(ca_pem, client).unwrap());
    let mut sc = ServerConnection::new(s).unwrap();
    let mut cc = ClientConnection::new(c, ServerName::try_from(host.to_string()).unwrap()).unwrap();
    handshake(&mut cc, &mut sc)?;
    Ok(sc)
}

#[test]
fn mutual_tls_handshake_yields_caller_identity() {
    let ca = Ca::generate("central-asia").unwrap();
    let kz = ca.issue(&Identity::node("KZ"), HOSTS).unwrap();
    let uz = ca.issue(&Identity::node("UZ"), HOSTS).unwrap();
    let caseworker = ca.issue(&Identity::caseworker("KZ", "bob"), &[]).unwrap();
    for (client, want, host) in
        [(&uz, Identity::node("UZ"), "localhost"), (&caseworker, Identity::caseworker("KZ", "bob"), "127.0.0.1")]
    {
        let server = connect(&ca.cert_pem(), &kz, client, host).unwrap();
        let peer = server.peer_certificates().unwrap();
        assert_eq!(identity_from_cert_der(&peer[0]).unwrap(), want);
    }
    // A caseworker certificate cannot serve (no serverAuth), even with the right names.
    let cw_server = ca.issue(&Identity::caseworker("KZ", "bob"), HOSTS).unwrap();
    let err = connect(&ca.cert_pem(), &cw_server, &uz, "localhost").unwrap_err();
    assert!(err.starts_with("client:") && err.contains("server authentication"), "{err}");
    // And the server's names must match.
    assert!(connect(&ca.cert_pem(), &kz, &uz, "node.example").is_err());
}

#[test]
fn foreign_client_fails_handshake() {
    let ours = Ca::generate("central-asia").unwrap();
    let rogue = Ca::generate("central-asia").unwrap();
    let server = ours.issue(&Identity::node("KZ"), HOSTS).unwrap();
    let forged = rogue.issue(&Identity::node("UZ"), HOSTS).unwrap();
    // The forged client trusts our CA (so it accepts the server) but the server rejects it.
    let s = Arc::new(server_config(&ours.cert_pem(), &server).unwrap());
    let c = Arc::new(client_config(&ours.cert_pem(), &forged).unwrap());
    let mut sc = ServerConnection::new(s).unwrap();
    let mut cc = ClientConnection::new(c, ServerName::try_from("localhost").unwrap()).unwrap();
    let err = handshake(&mut cc, &mut sc).unwrap_err();
    assert!(err.starts_with("server:"), "{err}");
}

#[test]
fn dev_pki_layout_permissions_and_refusal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pki");
    let layout = init_dev_pki(&dir, "central-asia", &["KZ", "uz"], HOSTS).unwrap();
    assert_eq!(layout.ca.cert, dir.join("ca.pem"));
    assert_eq!(layout.ca.key, dir.join("ca.key"));
    assert_eq!(layout.coordinator.cert, dir.join("coordinator.pem"));
    let uz = layout.country("UZ").unwrap();
    assert_eq!(uz.node.cert, dir.join("UZ/node.pem"));
    assert_eq!(uz.caseworker.key, dir.join("UZ/caseworker.key"));

    let ca_pem = std::fs::read_to_string(&layout.ca.cert).unwrap();
    let ca = layout.ca.read().unwrap();
    Ca::load(&ca.cert, &ca.key).unwrap();
    let mut all = vec![layout.ca.clone(), layout.coordinator.clone()];
    for c in layout.countries.values() {
        all.extend([c.node.clone(), c.caseworker.clone(), c.admin.clone()]);
    }
    assert_eq!(all.len(), 8);
    for paths in &all {
        paths.read().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&paths.key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", paths.key.display());
        }
    }
    let node = uz.node.read().unwrap();
    assert_eq!(identity_from_cert_der(&der(&node)).unwrap(), Identity::node("UZ"));
    let kz_cw = layout.country("kz").unwrap().caseworker.read().unwrap();
    assert_eq!(identity_from_cert_der(&der(&kz_cw)).unwrap(), Identity::caseworker("KZ", homeward_pki::DEV_CASEWORKER));
    connect(&ca_pem, &node, &kz_cw, "localhost").unwrap();

    // Refused by default; reusing keeps the CA; replacing changes it.
    assert!(matches!(init_dev_pki(&dir, "central-asia", &["KZ"], HOSTS), Err(PkiError::CaExists(_))));
    assert_eq!(std::fs::read_to_string(&layout.ca.cert).unwrap(), ca_pem);
    assert!(init_dev_pki_with(&dir, "other", &["TJ"], HOSTS, ExistingCa::Reuse).is_err(), "federation mismatch");
    let more = init_dev_pki_with(&dir, "central-asia", &["TJ"], HOSTS, ExistingCa::Reuse).unwrap();
    assert_eq!(std::fs::read_to_string(&more.ca.cert).unwrap(), ca_pem);
    let tj = more.country("TJ").unwrap().node.read().unwrap();
    connect(&ca_pem, &node, &tj, "localhost").unwrap();
    init_dev_pki_with(&dir, "central-asia", &["KZ"], HOSTS, ExistingCa::Replace).unwrap();
    assert_ne!(std::fs::read_to_string(&layout.ca.cert).unwrap(), ca_pem);

    assert!(init_dev_pki(&tmp.path().join("dup"), "f", &["KZ", "kz"], HOSTS).is_err());
    assert!(init_dev_pki(&tmp.path().join("bad"), "f", &["KAZ"], HOSTS).is_err());
    assert!(!tmp.path().join("bad").join("ca.pem").exists());
}
