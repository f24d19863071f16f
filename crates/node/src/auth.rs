//! Who is calling: the role and country come from the caller's mutual-TLS certificate, never
//! from a request field. Each service admits one role:
//!
//! | service      | admitted caller                                      |
//! |--------------|------------------------------------------------------|
//! | Registry     | caseworker certificate of this node's country        |
//! | Federation   | node certificate of a country in the roster (not us) |
//! | Coordination | coordinator certificate                              |
//!
//! No certificate → Unauthenticated; a certificate of the wrong role or country →
//! PermissionDenied. A request that names a country in the `homeward-country` header other
//! than its certificate's is refused too (a KZ node cannot speak as UZ).

use homeward_pki::{Identity, Role};
use std::collections::HashSet;
use std::sync::Arc;
use tonic::{Request, Status};

/// The authenticated caller, placed in the request's extensions by the interceptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub role: Role,
    pub country: String,
    pub name: String,
}

impl Caller {
    /// How the audit log names this caller.
    pub fn actor(&self) -> String {
        let role = match self.role {
            Role::Node => "node",
            Role::Caseworker => "caseworker",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        };
        format!("{role}:{}:{}", self.country, self.name)
    }
}

/// The header in which a caller may (redundantly) state its country.
pub const COUNTRY_HEADER: &str = "homeward-country";

fn caller_of<T>(request: &Request<T>) -> Result<Caller, Status> {
    let certs = request.peer_certs().ok_or_else(|| Status::unauthenticated("a client certificate is required"))?;
    let leaf = certs.first().ok_or_else(|| Status::unauthenticated("a client certificate is required"))?;
    let identity: Identity = homeward_pki::identity_from_cert_der(leaf.as_ref())
        .map_err(|e| Status::unauthenticated(format!("certificate carries no Homeward identity: {e}")))?;
    let caller = Caller { role: identity.role, country: identity.country, name: identity.name };
    if let Some(claimed) = request.metadata().get(COUNTRY_HEADER) {
        let claimed = claimed.to_str().unwrap_or("");
        if claimed != caller.country {
            return Err(Status::permission_denied(format!(
                "certificate is for {:?} but the request claims {claimed:?}",
                caller.country
            )));
        }
    }
    Ok(caller)
}

/// Which callers a service admits.
#[derive(Clone)]
pub enum Policy {
    Caseworker { country: String },
    Node { peers: Arc<HashSet<String>> },
    Coordinator,
}

impl Policy {
    pub fn check(&self, caller: &Caller) -> Result<(), Status> {
        match (self, caller.role) {
            (Policy::Caseworker { country }, Role::Caseworker) if &caller.country == country => Ok(()),
            (Policy::Caseworker { country }, Role::Caseworker) => Err(Status::permission_denied(format!(
                "a caseworker of {} cannot use the Registry of {country}",
                caller.country
            ))),
            (Policy::Node { peers }, Role::Node) if peers.contains(&caller.country) => Ok(()),
            (Policy::Node { .. }, Role::Node) => {
                Err(Status::permission_denied(format!("{} is not a peer of this node", caller.country)))
            }
            (Policy::Coordinator, Role::Coordinator) => Ok(()),
            (policy, _) => {
                let role = caller.actor().split(':').next().unwrap_or("?").to_string();
                let article = if role.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
                Err(Status::permission_denied(format!(
                    "{article} {role} certificate cannot use the {} service",
                    policy.service()
                )))
            }
        }
    }

    fn service(&self) -> &'static str {
        match self {
            Policy::Caseworker { .. } => "Registry",
            Policy::Node { .. } => "Federation",
            Policy::Coordinator => "Coordination",
        }
    }
}

/// A tonic interceptor that authenticates the caller, applies the policy and leaves the
/// [`Caller`] in the request's extensions.
pub fn interceptor(policy: Policy) -> impl FnMut(Request<()>) -> Result<Request<()>, Status> + Clone {
    move |mut request: Request<()>| {
        let caller = caller_of(&request)?;
        policy.check(&caller)?;
        request.extensions_mut().insert(caller);
        Ok(request)
    }
}

/// The caller of a request that went through [`interceptor`].
pub fn caller<T>(request: &Request<T>) -> Result<Caller, Status> {
    request.extensions().get::<Caller>().cloned().ok_or_else(|| Status::unauthenticated("no authenticated caller"))
}
