//! State shared by the services and background tasks of one node.

use crate::config::{MatchingConfig, PeerConfig, Resolved};
use crate::secrets::Secrets;
use homeward_core::matching::{LinkKind, Thresholds};
use homeward_core::token::{PeerRef, peer_ref};
use homeward_store::Store;
use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// A hook that sees the encoded bytes of every Federation message this node sends or receives.
/// Tests use it to prove that no personal data crosses the border.
pub type WireTap = Arc<dyn Fn(&str, &[u8]) + Send + Sync>;

/// What the node knows of a peer right now (in memory; the durable part is in the store).
#[derive(Debug, Clone, Default)]
pub struct PeerHealth {
    pub reachable: bool,
    pub last_error: String,
    /// When `last_error` happened (seconds since the epoch; 0 if never).
    pub last_error_time: i64,
    /// The peer's version of normalisation and match keys, from its last answer (0: unknown).
    pub keys_version: u32,
}

pub struct NodeState {
    pub config: Resolved,
    pub store: Store,
    pub secrets: Secrets,
    /// Wakes each peer's sync task when its outbox grows.
    pub wake: HashMap<String, Arc<Notify>>,
    pub health: Mutex<HashMap<String, PeerHealth>>,
    pub wire_tap: Option<WireTap>,
    /// Wakes the follow-up task when an Exchange brings follow-up messages.
    pub followup_wake: Notify,
    /// Wakes the pair-round task when new same-person links may wait for it.
    pub pair_wake: Notify,
    /// The links last shown, while the store has not changed (see
    /// [`crate::registry::visible_link_index`]).
    pub links_view: Mutex<Option<LinksView>>,
    /// An upgrade's remake of the tokens, when one is due: the version that made them
    /// (`Some(None)`: none recorded). Taken by the task that does it
    /// ([`crate::rotation::remake_stale_tokens`]).
    pub remake_due: Mutex<Option<Option<u32>>>,
    /// Records whose tokens that remake has still to queue (0 when none is under way).
    pub records_to_remake: AtomicU64,
}

/// The links [`crate::registry::visible_links`] showed at one store version, without their
/// rendering.
pub struct LinksView {
    pub version: u64,
    pub include_below: bool,
    pub links: Arc<Vec<ShownLink>>,
}

/// A link as [`crate::registry::visible_links`] shows it, before rendering.
#[derive(Debug, Clone)]
pub struct ShownLink {
    pub stored: homeward_store::StoredLink,
    /// It waits for this node's review.
    pub waiting: bool,
    /// Never auto-confirmed: one-to-one resolution kept it over or beside an equally good
    /// candidate, or it is a document-only match between a child and its mother
    /// (`registry::parent_documents`).
    pub tied: bool,
}

impl NodeState {
    pub fn peers(&self) -> &[PeerConfig] {
        &self.config.peers
    }

    /// Our reference for `record_id` at every peer.
    pub fn refs_for(&self, record_id: &str) -> Vec<(String, PeerRef)> {
        self.peers()
            .iter()
            .map(|p| (p.country.clone(), peer_ref(&self.secrets.ref_key, &p.country, record_id)))
            .collect()
    }

    /// Runs `f` with the link policy the store needs (link kinds, family roles, our refs).
    pub fn with_policy<R>(&self, f: impl FnOnce(&homeward_store::LinkPolicy<'_>) -> R) -> R {
        with_link_policy(self.secrets.ref_key, f)
    }

    pub fn wake(&self, peer: &str) {
        if let Some(notify) = self.wake.get(peer) {
            notify.notify_one();
        }
    }

    pub fn wake_all(&self) {
        for notify in self.wake.values() {
            notify.notify_one();
        }
    }

    /// Whether an upgrade's remake of the tokens is under way (see
    /// [`crate::rotation::remake_stale_tokens`]): due from the start until its task ends.
    pub fn remaking(&self) -> bool {
        self.remake_due.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    }

    pub fn thresholds(&self, kind: LinkKind) -> Thresholds {
        let MatchingConfig { auto_confirm, review, family_auto_confirm, family_review, .. } = self.config.matching;
        match kind {
            LinkKind::SamePerson => Thresholds { auto_confirm, review },
            LinkKind::Family => Thresholds { auto_confirm: family_auto_confirm, review: family_review },
        }
    }

    pub fn set_health(&self, peer: &str, reachable: bool, error: Option<String>) {
        let mut health = self.health.lock().unwrap_or_else(|p| p.into_inner());
        let entry = health.entry(peer.to_string()).or_default();
        entry.reachable = reachable;
        if let Some(error) = error {
            entry.last_error = error;
            entry.last_error_time = crate::crypto::unix_now();
        }
    }

    /// Records the version of normalisation and match keys a peer answered with; a version
    /// other than ours is logged once per change (the two may make other tokens for a person).
    pub fn set_peer_keys_version(&self, peer: &str, version: u32) {
        let mut health = self.health.lock().unwrap_or_else(|p| p.into_inner());
        let entry = health.entry(peer.to_string()).or_default();
        if entry.keys_version != version && version != homeward_core::matching::KEYS_VERSION {
            tracing::warn!(
                peer,
                peer_version = version,
                own_version = homeward_core::matching::KEYS_VERSION,
                "peer makes its tokens with another version of the match keys: records whose keys the \
                 versions make differently do not meet until both nodes run one version"
            );
        }
        entry.keys_version = version;
    }

    pub fn health_of(&self, peer: &str) -> PeerHealth {
        self.health.lock().unwrap_or_else(|p| p.into_inner()).get(peer).cloned().unwrap_or_default()
    }

    pub fn tap(&self, direction: &str, bytes: &[u8]) {
        if let Some(tap) = &self.wire_tap {
            tap(direction, bytes);
        }
    }
}

/// Runs `f` with the link policy the store needs (link kinds, family roles, our refs made with
/// `ref_key`), for callers without a running node's state (key rotation, remaking tokens).
pub fn with_link_policy<R>(ref_key: [u8; 32], f: impl FnOnce(&homeward_store::LinkPolicy<'_>) -> R) -> R {
    let our_ref = move |peer: &str, record: &str| peer_ref(&ref_key, peer, record);
    let policy = homeward_store::LinkPolicy {
        link_kind_of: crate::crypto::link_kind_of,
        family_role_of: crate::crypto::family_role_of,
        is_mark: crate::crypto::is_mark,
        our_ref: &our_ref,
    };
    f(&policy)
}
