//! The federation certificate authority: generate or load it, and issue identity certificates.

use std::fmt;

use rcgen::string::Ia5String;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, DnValue, ExtendedKeyUsagePurpose, IsCa, Issuer,
    KeyPair, KeyUsagePurpose, PublicKeyData, SanType,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use time::{Duration, OffsetDateTime};

use crate::{Identity, PkiError, Role};

/// Validity of a generated CA certificate.
pub const CA_VALIDITY_DAYS: i64 = 10 * 365;
/// Validity of an issued identity certificate.
pub const LEAF_VALIDITY_DAYS: i64 = 825;
/// Certificates start this long before their issue time, to tolerate clock skew.
const BACKDATE: Duration = Duration::hours(1);

/// A certificate and its private key, both PEM (the key PKCS#8). `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct Pem {
    /// `-----BEGIN CERTIFICATE-----…`
    pub cert: String,
    /// `-----BEGIN PRIVATE KEY-----…` — secret.
    pub key: String,
}

impl fmt::Debug for Pem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pem").field("cert", &self.cert).field("key", &"[redacted]").finish()
    }
}

/// The federation CA: its certificate and the key that signs identity certificates.
/// `Debug` hides the key.
pub struct Ca {
    federation: String,
    cert_pem: String,
    key_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl fmt::Debug for Ca {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ca")
            .field("federation", &self.federation)
            .field("cert_pem", &self.cert_pem)
            .field("key_pem", &"[redacted]")
            .finish()
    }
}

impl Ca {
    /// A new self-signed CA (ECDSA P-256) for `federation`, with subject
    /// `CN=Homeward <federation> CA, O=<federation>`, path length 0 (no intermediates).
    pub fn generate(federation: &str) -> Result<Ca, PkiError> {
        let federation = federation.trim();
        if federation.is_empty() || federation.len() > 64 || federation.chars().any(|c| c.is_control()) {
            return Err(PkiError::InvalidIdentity(format!(
                "federation name {federation:?}: expected 1..=64 printable characters"
            )));
        }
        let now = OffsetDateTime::now_utc();
        let mut params = CertificateParams::default();
        params.not_before = now - BACKDATE;
        params.not_after = now + Duration::days(CA_VALIDITY_DAYS);
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, format!("Homeward {federation} CA"));
        dn.push(DnType::OrganizationName, federation);
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages =
            vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let key = KeyPair::generate()?;
        let cert = params.self_signed(&key)?;
        Ok(Ca {
            federation: federation.to_string(),
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            issuer: Issuer::new(params, key),
        })
    }

    /// Loads a CA from PEM. Checks that the certificate is a CA certificate and that the key
    /// belongs to it; the federation name is the subject's `O`, or empty if there is none.
    pub fn load(cert_pem: &str, key_pem: &str) -> Result<Ca, PkiError> {
        let der = CertificateDer::from_pem_slice(cert_pem.as_bytes())
            .map_err(|e| PkiError::Certificate(format!("CA certificate PEM: {e}")))?;
        let key = KeyPair::from_pem(key_pem).map_err(|e| PkiError::Certificate(format!("CA key PEM: {e}")))?;
        let federation = {
            let (_, cert) = x509_parser::parse_x509_certificate(&der)
                .map_err(|e| PkiError::Certificate(format!("CA certificate: {e}")))?;
            let is_ca = cert
                .basic_constraints()
                .map_err(|e| PkiError::Certificate(format!("CA basic constraints: {e}")))?
                .is_some_and(|bc| bc.value.ca);
            if !is_ca {
                return Err(PkiError::Certificate("not a CA certificate (basicConstraints CA is not set)".into()));
            }
            if cert.public_key().raw != key.subject_public_key_info().as_slice() {
                return Err(PkiError::Certificate("CA key does not match the CA certificate".into()));
            }
            cert.subject().iter_organization().next().and_then(|o| o.as_str().ok()).unwrap_or_default().to_string()
        };
        let issuer = Issuer::from_ca_cert_der(&der, key)?;
        Ok(Ca { federation, cert_pem: cert_pem.to_string(), key_pem: key_pem.to_string(), issuer })
    }

    /// The federation this CA serves.
    pub fn federation(&self) -> &str {
        &self.federation
    }

    /// The CA certificate, PEM: the trust anchor every node and client is given.
    pub fn cert_pem(&self) -> String {
        self.cert_pem.clone()
    }

    /// The CA private key, PEM (PKCS#8) — secret.
    pub fn key_pem(&self) -> String {
        self.key_pem.clone()
    }

    /// Issues a certificate and a fresh ECDSA P-256 key for `identity`.
    ///
    /// The identity goes into one SAN URI ([`Identity::to_uri`]) and, for humans, into the
    /// subject (`CN` = name, `OU` = role, `C` = country, `O` = federation). `dns_names` become
    /// further SANs — IP addresses (`"127.0.0.1"`) as IP SANs, the rest as DNS names
    /// (`"localhost"`); servers need them, clients don't. Node certificates get extended key
    /// usages serverAuth and clientAuth (a node serves and also calls its peers); all other
    /// roles clientAuth only.
    pub fn issue(&self, identity: &Identity, dns_names: &[&str]) -> Result<Pem, PkiError> {
        identity.validate()?;
        let now = OffsetDateTime::now_utc();
        let mut params = CertificateParams::default();
        params.not_before = now - BACKDATE;
        params.not_after = now + Duration::days(LEAF_VALIDITY_DAYS);

        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, identity.name.as_str());
        dn.push(DnType::OrganizationalUnitName, identity.role.as_str());
        if !self.federation.is_empty() {
            dn.push(DnType::OrganizationName, self.federation.as_str());
        }
        if !identity.country.is_empty() {
            dn.push(DnType::CountryName, DnValue::PrintableString(identity.country.as_str().try_into()?));
        }
        params.distinguished_name = dn;

        params.subject_alt_names = vec![SanType::URI(Ia5String::try_from(identity.to_uri())?)];
        for name in dns_names {
            let parsed = ServerName::try_from(name.trim())
                .map_err(|_| PkiError::InvalidIdentity(format!("{name:?} is neither a DNS name nor an IP")))?;
            params.subject_alt_names.push(match parsed {
                ServerName::IpAddress(ip) => SanType::IpAddress(std::net::IpAddr::from(ip)),
                ServerName::DnsName(dns) => SanType::DnsName(dns.as_ref().try_into()?),
                _ => {
                    return Err(PkiError::InvalidIdentity(format!("{name:?}: unsupported server name")));
                }
            });
        }

        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = match identity.role {
            Role::Node => vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth],
            Role::Caseworker | Role::Coordinator | Role::Admin => {
                vec![ExtendedKeyUsagePurpose::ClientAuth]
            }
        };
        params.use_authority_key_identifier_extension = true;

        let key = KeyPair::generate()?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Pem { cert: cert.pem(), key: key.serialize_pem() })
    }
}
