//! Who a caller is: [`Role`], [`Identity`], its URI form and how it is read from a certificate.

use std::fmt;
use std::str::FromStr;

use x509_parser::extensions::GeneralName;

use crate::PkiError;

/// Prefix of the SAN URI that carries a Homeward identity: `urn:homeward:<role>:<country>:<name>`.
pub const URI_PREFIX: &str = "urn:homeward:";

/// Longest accepted identity name, in bytes.
pub const NAME_MAX_LEN: usize = 64;

/// What a certificate holder may do. Authorisation decisions are taken on this alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A country's node, speaking to peers (Federation API); also its TLS server certificate.
    Node,
    /// An agency operator using the Registry API of their own country's node.
    Caseworker,
    /// A regional coordinator (Coordination API, aggregates only). May have no country.
    Coordinator,
    /// A node administrator of their own country's node.
    Admin,
}

impl Role {
    /// Every role, in declaration order.
    pub const ALL: [Role; 4] = [Role::Node, Role::Caseworker, Role::Coordinator, Role::Admin];

    /// The lowercase word used in URIs and in the certificate subject's OU.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Node => "node",
            Role::Caseworker => "caseworker",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    /// Whether an identity of this role must name a country (all but coordinators).
    pub fn requires_country(self) -> bool {
        !matches!(self, Role::Coordinator)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = PkiError;

    /// Exact, lowercase match only: no aliases, so one role has one spelling.
    fn from_str(s: &str) -> Result<Self, PkiError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| PkiError::InvalidIdentity(format!("unknown role {s:?}")))
    }
}

/// A certificate holder: role, country (ISO 3166 alpha-2, upper case) and name.
///
/// The constructors upper-case the country but do not validate; [`Identity::validate`],
/// [`Identity::from_uri`] and [`crate::Ca::issue`] do. Valid identities have exactly one
/// spelling, so two valid identities are the same caller exactly when they are `==`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity {
    /// What the holder may do.
    pub role: Role,
    /// ISO 3166-1 alpha-2, upper case; empty only for a coordinator without a country.
    pub country: String,
    /// Account name: caseworker user name, node name… ASCII letters, digits and `.-_@`,
    /// 1 to [`NAME_MAX_LEN`] bytes. It is an account name, not a person's display name.
    pub name: String,
}

impl Identity {
    /// A validated identity.
    pub fn new(role: Role, country: &str, name: &str) -> Result<Self, PkiError> {
        let id = Identity { role, country: country.to_string(), name: name.to_string() };
        id.validate()?;
        Ok(id)
    }

    /// The node of `country`, named `node-<cc>` (e.g. `node-kz`).
    pub fn node(country: &str) -> Self {
        let country = country.trim().to_ascii_uppercase();
        let name = format!("node-{}", country.to_ascii_lowercase());
        Identity { role: Role::Node, country, name }
    }

    /// Caseworker `name` of `country`'s node.
    pub fn caseworker(country: &str, name: &str) -> Self {
        Identity { role: Role::Caseworker, country: country.trim().to_ascii_uppercase(), name: name.to_string() }
    }

    /// Administrator `name` of `country`'s node.
    pub fn admin(country: &str, name: &str) -> Self {
        Identity { role: Role::Admin, country: country.trim().to_ascii_uppercase(), name: name.to_string() }
    }

    /// A regional coordinator, belonging to no country.
    pub fn coordinator(name: &str) -> Self {
        Identity { role: Role::Coordinator, country: String::new(), name: name.to_string() }
    }

    /// Checks country and name rules (see the field docs).
    pub fn validate(&self) -> Result<(), PkiError> {
        let country_ok = if self.country.is_empty() {
            !self.role.requires_country()
        } else {
            self.country.len() == 2 && self.country.bytes().all(|b| b.is_ascii_uppercase())
        };
        if !country_ok {
            return Err(PkiError::InvalidIdentity(format!(
                "country {:?} for role {}: expected an upper-case ISO 3166 alpha-2 code{}",
                self.country,
                self.role,
                if self.role.requires_country() { "" } else { " or nothing" }
            )));
        }
        let name_ok = !self.name.is_empty()
            && self.name.len() <= NAME_MAX_LEN
            && self.name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'@'));
        if !name_ok {
            return Err(PkiError::InvalidIdentity(format!(
                "name {:?}: expected 1..={NAME_MAX_LEN} ASCII letters, digits or . - _ @",
                self.name
            )));
        }
        Ok(())
    }

    /// `urn:homeward:<role>:<country>:<name>`; the country part is empty for a country-less
    /// coordinator. Does not validate.
    pub fn to_uri(&self) -> String {
        format!("{URI_PREFIX}{}:{}:{}", self.role, self.country, self.name)
    }

    /// Parses and validates the URI form. Strict: lower-case prefix and role, upper-case
    /// country, exactly three fields — one identity has one spelling.
    pub fn from_uri(uri: &str) -> Result<Self, PkiError> {
        let rest = uri
            .strip_prefix(URI_PREFIX)
            .ok_or_else(|| PkiError::InvalidIdentity(format!("{uri:?} is not {URI_PREFIX}…")))?;
        let parts: Vec<&str> = rest.split(':').collect();
        let [role, country, name] = parts[..] else {
            return Err(PkiError::InvalidIdentity(format!("{uri:?}: expected {URI_PREFIX}<role>:<country>:<name>")));
        };
        Identity::new(role.parse()?, country, name)
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_uri())
    }
}

fn is_homeward_uri(uri: &str) -> bool {
    // Case-insensitive here, strict in `from_uri`: a cert with `URN:HOMEWARD:…` next to a
    // well-formed URI counts as two identities and is refused rather than half-read.
    uri.get(..URI_PREFIX.len()).is_some_and(|p| p.eq_ignore_ascii_case(URI_PREFIX))
}

/// Reads the caller's identity from a DER certificate (the leaf of the TLS peer chain).
///
/// Requires exactly one `urn:homeward:` URI subject alternative name; the subject DN is for
/// humans and is ignored.
///
/// **This does not verify the certificate**: not its signature, issuer, validity period nor
/// key usage. Chain verification against the federation CA is rustls' job at the TLS layer
/// (`WebPkiClientVerifier` on servers, `WebPkiServerVerifier` on clients; see
/// [`crate::server_config`] and [`crate::client_config`]). Only call this on certificates a
/// TLS handshake has already verified — e.g. tonic's `Request::peer_certs()` — never on
/// certificates taken from a request body.
pub fn identity_from_cert_der(der: &[u8]) -> Result<Identity, PkiError> {
    let (rest, cert) = x509_parser::parse_x509_certificate(der).map_err(|e| PkiError::Certificate(e.to_string()))?;
    if !rest.is_empty() {
        return Err(PkiError::Certificate("trailing bytes after the certificate".into()));
    }
    let san =
        cert.subject_alternative_name().map_err(|e| PkiError::Certificate(format!("subject alternative name: {e}")))?;
    let uris: Vec<&str> = san
        .iter()
        .flat_map(|san| san.value.general_names.iter())
        .filter_map(|name| match name {
            GeneralName::URI(uri) if is_homeward_uri(uri) => Some(*uri),
            _ => None,
        })
        .collect();
    match uris[..] {
        [] => Err(PkiError::MissingIdentity),
        [uri] => Identity::from_uri(uri),
        _ => Err(PkiError::MultipleIdentities(uris.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_round_trip() {
        for id in [
            Identity::node("kz"),
            Identity::caseworker("UZ", "a.karimova"),
            Identity::admin("TJ", "admin"),
            Identity::coordinator("osce"),
            Identity::new(Role::Coordinator, "KG", "osce-bishkek").unwrap(),
        ] {
            id.validate().unwrap();
            assert_eq!(Identity::from_uri(&id.to_uri()).unwrap(), id);
        }
        assert_eq!(Identity::node("kz").to_uri(), "urn:homeward:node:KZ:node-kz");
        assert_eq!(Identity::coordinator("osce").to_uri(), "urn:homeward:coordinator::osce");
    }

    #[test]
    fn malformed_uris_are_refused() {
        for uri in [
            "",
            "urn:homeward:",
            "urn:homeward:node:KZ",
            "urn:homeward:node:KZ:n:extra",
            "URN:HOMEWARD:node:KZ:node-kz",
            "urn:homeward:Node:KZ:node-kz",
            "urn:homeward:root:KZ:node-kz",
            "urn:homeward:node:kz:node-kz",
            "urn:homeward:node:KAZ:node-kz",
            "urn:homeward:node::node-kz",
            "urn:homeward:caseworker::bob",
            "urn:homeward:caseworker:KZ:",
            "urn:homeward:caseworker:KZ:bob smith",
            "urn:homeward:caseworker:KZ:Бобур",
            "https://example.org/",
        ] {
            assert!(Identity::from_uri(uri).is_err(), "{uri:?} accepted");
        }
        let long = format!("urn:homeward:caseworker:KZ:{}", "a".repeat(NAME_MAX_LEN + 1));
        assert!(Identity::from_uri(&long).is_err());
    }
}
