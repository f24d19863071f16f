//! Node configuration (TOML) and the roster of peers.

use anyhow::Context;
use homeward_core::matching::{LinkKind, Thresholds};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where a node finds its certificate, key and the federation's CA (PEM files).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// TLS material in memory (PEM), as loaded from [`TlsFiles`] or made on the fly by the demo.
#[derive(Debug, Clone)]
pub struct TlsPem {
    pub ca: String,
    pub cert: String,
    pub key: String,
}

impl TlsFiles {
    pub fn load(&self) -> anyhow::Result<TlsPem> {
        let read = |p: &Path| std::fs::read_to_string(p).with_context(|| format!("read {}", p.display()));
        // The node's TLS key is its identity to every peer: not readable by every user of the
        // host. A group may read it (a Kubernetes secret mounted 0440 for the pod's group).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&self.key)
                .with_context(|| format!("read {}", self.key.display()))?
                .permissions()
                .mode();
            anyhow::ensure!(
                mode & 0o004 == 0,
                "tls.key {} is readable by every user (mode {:o}); make it 0600, or 0640 for the node's group",
                self.key.display(),
                mode & 0o777
            );
        }
        Ok(TlsPem { ca: read(&self.ca)?, cert: read(&self.cert)?, key: read(&self.key)? })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerConfig {
    /// ISO 3166 alpha-2 code; must match the country in the peer's node certificate.
    pub country: String,
    /// `https://host:port`
    pub address: String,
}

/// The federation's members (every node, including this one, may be listed; a node skips
/// itself).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    #[serde(default, rename = "peer")]
    pub peers: Vec<PeerConfig>,
}

impl Roster {
    pub fn load(path: &Path) -> anyhow::Result<Roster> {
        let text = std::fs::read_to_string(path).with_context(|| format!("read roster {}", path.display()))?;
        let roster: Roster = toml::from_str(&text).with_context(|| format!("parse roster {}", path.display()))?;
        let mut seen = std::collections::HashSet::new();
        for peer in &roster.peers {
            anyhow::ensure!(
                valid_country(&peer.country),
                "roster {}: {:?} is not a two-letter country code",
                path.display(),
                peer.country
            );
            anyhow::ensure!(
                seen.insert(peer.country.as_str()),
                "roster {}: {} is listed more than once",
                path.display(),
                peer.country
            );
            let address = peer.address.parse::<tonic::codegen::http::Uri>().ok().filter(|uri| {
                uri.scheme_str() == Some("https")
                    && uri.host().is_some_and(|h| !h.is_empty())
                    && uri.port_u16().is_some()
            });
            anyhow::ensure!(
                address.is_some(),
                "roster {}: the address of {}, {:?}, is not https://host:port",
                path.display(),
                peer.country,
                peer.address
            );
        }
        Ok(roster)
    }
}

pub fn valid_country(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

/// Limits on what one peer may send.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest gRPC message accepted or sent, in bytes.
    pub max_message_bytes: usize,
    /// Most tokens in one Exchange batch.
    pub max_batch_tokens: usize,
    /// Most operations in one Exchange batch.
    pub max_batch_ops: usize,
    /// Tokens one peer may have re-blinded per hour (a bucket that refills continuously).
    #[serde(default = "default_tokens_per_hour")]
    pub tokens_per_hour: u64,
    /// Tokens a peer may hold here per record it declares (`declared_records`).
    #[serde(default = "default_tokens_per_record")]
    pub max_tokens_per_record: u64,
    /// Tokens a peer may hold beyond `declared_records × max_tokens_per_record`.
    #[serde(default = "default_token_slack")]
    pub token_slack: u64,
    /// Largest record count a peer may declare.
    #[serde(default = "default_max_declared")]
    pub max_declared_records: u64,
    /// Follow-up messages (reviews, disclosures, referrals and their answers) one peer may send
    /// per hour (a bucket that refills continuously). They cost no re-blinding, but each is
    /// stored, acted on and audited here.
    #[serde(default = "default_followups_per_hour")]
    pub followups_per_hour: u64,
}

fn default_tokens_per_hour() -> u64 {
    6_000_000
}
fn default_tokens_per_record() -> u64 {
    64
}
fn default_token_slack() -> u64 {
    10_000
}
fn default_max_declared() -> u64 {
    2_000_000
}
fn default_followups_per_hour() -> u64 {
    20_000
}

impl Limits {
    /// Refuses limits under which a batch could never pass: the sync task sends batches of up
    /// to half the limits, and a record's withdrawal and the addition that replaces it travel
    /// together (two operations, up to `max_tokens_per_record` tokens).
    pub fn validate(&self) -> anyhow::Result<()> {
        // A batch of half the token limit is 32 bytes a token and some framing; under that no
        // exchange could pass, nor an import of one record.
        let smallest = (64 * 1024).max(self.max_batch_tokens / 2 * 48);
        anyhow::ensure!(
            self.max_message_bytes >= smallest,
            "limits: max_message_bytes = {} must be at least {smallest} (a batch of half max_batch_tokens = {})",
            self.max_message_bytes,
            self.max_batch_tokens
        );
        anyhow::ensure!(
            self.max_batch_ops >= 4,
            "limits: max_batch_ops = {} must be at least 4 (a withdrawal and its addition travel together)",
            self.max_batch_ops
        );
        anyhow::ensure!(
            self.max_batch_tokens as u64 >= 2 * self.max_tokens_per_record,
            "limits: max_batch_tokens = {} must be at least twice max_tokens_per_record = {}",
            self.max_batch_tokens,
            self.max_tokens_per_record
        );
        anyhow::ensure!(
            self.followups_per_hour as usize >= self.max_batch_ops / 2,
            "limits: followups_per_hour = {} must be at least half max_batch_ops = {} (a batch the sender makes)",
            self.followups_per_hour,
            self.max_batch_ops
        );
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_bytes: 4 * 1024 * 1024,
            max_batch_tokens: 20_000,
            max_batch_ops: 2_000,
            tokens_per_hour: default_tokens_per_hour(),
            max_tokens_per_record: default_tokens_per_record(),
            token_slack: default_token_slack(),
            max_declared_records: default_max_declared(),
            followups_per_hour: default_followups_per_hour(),
        }
    }
}

/// The matching policy of this node.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchingConfig {
    pub auto_confirm: f64,
    pub review: f64,
    pub family_auto_confirm: f64,
    pub family_review: f64,
    /// Each source holds a person at most once (the brief's rule for nodes): of several
    /// same-person candidates sharing a record, keep only the best (greedy by score, ties
    /// broken the same way on both sides).
    #[serde(default = "yes")]
    pub one_to_one: bool,
    /// Links scored at or above `auto_confirm` count as confirmed without a caseworker. When
    /// false, they wait for review like every other candidate.
    #[serde(default = "yes")]
    pub auto_confirm_enabled: bool,
    /// Records per node the family weights were set on: a family pair loses a bit of evidence
    /// for each doubling of the mother's node beyond it (`score::family_size_bits`), so that
    /// precision holds as nodes grow. The mother's node size is its own count on that node and
    /// the count it declares in every Exchange on the child's. Members should agree on it, as
    /// on the thresholds; 0 turns the adjustment off.
    #[serde(default = "family_reference_records")]
    pub family_reference_records: u64,
}

impl MatchingConfig {
    /// Each link kind's thresholds are scores with `0 < review <= auto_confirm <= 1`.
    pub fn validate(&self) -> anyhow::Result<()> {
        for (kind, review, auto) in
            [("", self.review, self.auto_confirm), ("family_", self.family_review, self.family_auto_confirm)]
        {
            anyhow::ensure!(
                review.is_finite() && auto.is_finite() && 0.0 < review && review <= auto && auto <= 1.0,
                "matching: {kind}review = {review} and {kind}auto_confirm = {auto} must be scores with \
                 0 < {kind}review <= {kind}auto_confirm <= 1"
            );
        }
        Ok(())
    }
}

fn family_reference_records() -> u64 {
    homeward_core::matching::score::FAMILY_REFERENCE_RECORDS
}

fn yes() -> bool {
    true
}

impl Default for MatchingConfig {
    fn default() -> Self {
        let same = Thresholds::for_link(LinkKind::SamePerson);
        let family = Thresholds::for_link(LinkKind::Family);
        MatchingConfig {
            auto_confirm: same.auto_confirm,
            review: same.review,
            family_auto_confirm: family.auto_confirm,
            family_review: family.review,
            one_to_one: true,
            auto_confirm_enabled: true,
            family_reference_records: family_reference_records(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeConfig {
    /// This node's country (alpha-2); must match its certificate.
    pub country: String,
    /// The federation's name; part of every token hash, so all members must agree.
    pub federation: String,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub tls: TlsFiles,
    /// Path of the roster TOML; relative paths are relative to the config file.
    pub roster: PathBuf,
    #[serde(default)]
    pub matching: MatchingConfig,
    #[serde(default)]
    pub limits: Limits,
    /// Cells from 1 to k-1 are suppressed in coordinator tables.
    #[serde(default = "default_k")]
    pub suppression_k: u32,
    /// How often an idle outbox is checked, in milliseconds.
    #[serde(default = "default_poll_ms")]
    pub sync_poll_ms: u64,
    /// How often each peer is asked to compare digests of what it holds of ours (anti-entropy),
    /// in seconds.
    #[serde(default = "default_anti_entropy_secs")]
    pub anti_entropy_secs: u64,
    /// Retention: a person whose cases have all been closed (or transferred) for this many
    /// days is erased by the node. No retention when absent.
    #[serde(default)]
    pub retention_days: Option<u64>,
    /// The same in seconds, for drills and tests; takes precedence over `retention_days`.
    #[serde(default)]
    pub retention_secs: Option<u64>,
    #[serde(default)]
    pub followup: FollowUpConfig,
}

/// Disclosure requests: how long one waits for an answer, and how long the values delivered
/// to this node are kept.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpConfig {
    /// A request not answered within this many seconds expires (default 30 days).
    #[serde(default = "default_request_expiry")]
    pub request_expiry_secs: u64,
    /// Values disclosed to this node are erased this many seconds after delivery (default 365
    /// days).
    #[serde(default = "default_disclosed_retention")]
    pub disclosed_retention_secs: u64,
}

fn default_request_expiry() -> u64 {
    30 * 86_400
}

fn default_disclosed_retention() -> u64 {
    365 * 86_400
}

impl Default for FollowUpConfig {
    fn default() -> Self {
        FollowUpConfig {
            request_expiry_secs: default_request_expiry(),
            disclosed_retention_secs: default_disclosed_retention(),
        }
    }
}

/// [`FollowUpConfig`] as durations.
#[derive(Debug, Clone, Copy)]
pub struct FollowUpTimes {
    pub request_expiry: Duration,
    pub disclosed_retention: Duration,
}

impl From<FollowUpConfig> for FollowUpTimes {
    fn from(config: FollowUpConfig) -> Self {
        FollowUpTimes {
            request_expiry: Duration::from_secs(config.request_expiry_secs.max(1)),
            disclosed_retention: Duration::from_secs(config.disclosed_retention_secs.max(1)),
        }
    }
}

fn default_k() -> u32 {
    10
}

fn default_anti_entropy_secs() -> u64 {
    300
}

fn default_poll_ms() -> u64 {
    500
}

impl NodeConfig {
    pub fn load(path: &Path) -> anyhow::Result<NodeConfig> {
        let text = std::fs::read_to_string(path).with_context(|| format!("read config {}", path.display()))?;
        let mut config: NodeConfig =
            toml::from_str(&text).with_context(|| format!("parse config {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for p in
            [&mut config.data_dir, &mut config.roster, &mut config.tls.ca, &mut config.tls.cert, &mut config.tls.key]
        {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        anyhow::ensure!(
            valid_country(&config.country),
            "config: country {:?} is not a two-letter code",
            config.country
        );
        config.matching.validate().with_context(|| format!("config {}", path.display()))?;
        config.limits.validate().with_context(|| format!("config {}", path.display()))?;
        config.check_periods().with_context(|| format!("config {}", path.display()))?;
        Ok(config)
    }

    /// Periods beyond a century are refused by name: added to the time of day they would
    /// overflow (a request expiring before it was made, values erased at delivery).
    fn check_periods(&self) -> anyhow::Result<()> {
        const CENTURY_SECS: u64 = 100 * 366 * 86_400;
        let periods = [
            ("followup.request_expiry_secs", Some(self.followup.request_expiry_secs)),
            ("followup.disclosed_retention_secs", Some(self.followup.disclosed_retention_secs)),
            ("retention_secs", self.retention_secs),
            ("retention_days", self.retention_days.map(|days| days.saturating_mul(86_400))),
            ("anti_entropy_secs", Some(self.anti_entropy_secs)),
        ];
        for (name, secs) in periods {
            if let Some(secs) = secs {
                anyhow::ensure!(secs <= CENTURY_SECS, "{name} is more than a century ({secs} s)");
            }
        }
        Ok(())
    }

    pub fn sync_poll(&self) -> Duration {
        Duration::from_millis(self.sync_poll_ms.max(10))
    }

    pub fn retention(&self) -> Option<Duration> {
        self.retention_secs.or(self.retention_days.map(|days| days.saturating_mul(86_400))).map(Duration::from_secs)
    }
}

/// Everything a running node needs, resolved (PEM in memory, roster loaded).
#[derive(Debug, Clone)]
pub struct Resolved {
    pub country: String,
    pub federation: String,
    pub data_dir: PathBuf,
    pub tls: TlsPem,
    pub peers: Vec<PeerConfig>,
    pub matching: MatchingConfig,
    pub limits: Limits,
    pub suppression_k: u32,
    pub sync_poll: Duration,
    /// Interval of the anti-entropy check with each peer.
    pub anti_entropy: Duration,
    /// See [`NodeConfig::retention_days`].
    pub retention: Option<Duration>,
    pub followup: FollowUpTimes,
}

impl Resolved {
    /// The peers' country codes, in the roster's order.
    pub fn peer_countries(&self) -> Vec<String> {
        self.peers.iter().map(|p| p.country.clone()).collect()
    }

    pub fn from_config(config: &NodeConfig) -> anyhow::Result<Resolved> {
        let roster = Roster::load(&config.roster)?;
        Ok(Resolved {
            country: config.country.clone(),
            federation: config.federation.clone(),
            data_dir: config.data_dir.clone(),
            tls: config.tls.load()?,
            peers: roster.peers.into_iter().filter(|p| p.country != config.country).collect(),
            matching: config.matching,
            limits: config.limits,
            suppression_k: config.suppression_k,
            sync_poll: config.sync_poll(),
            anti_entropy: Duration::from_secs(config.anti_entropy_secs.max(1)),
            retention: config.retention(),
            followup: config.followup.into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_roster_with_a_country_twice_or_an_address_that_is_no_url_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let load = |text: &str| {
            let path = dir.path().join("roster.toml");
            std::fs::write(&path, text).unwrap();
            Roster::load(&path).map(|r| r.peers.len()).map_err(|e| e.to_string())
        };
        let peer =
            |country: &str, address: &str| format!("[[peer]]\ncountry = \"{country}\"\naddress = \"{address}\"\n");
        let good = peer("KZ", "https://127.0.0.1:7101") + &peer("KG", "https://kg.example.org:7101");
        assert_eq!(load(&good), Ok(2));
        let twice = peer("KZ", "https://127.0.0.1:7101") + &peer("KZ", "https://127.0.0.1:7102");
        assert!(load(&twice).unwrap_err().contains("KZ is listed more than once"));
        for bad in ["not a url", "", "https://127.0.0.1", "http://127.0.0.1:7101", "https://:7101", "https://h:99999"] {
            let error = load(&peer("KZ", bad)).unwrap_err();
            assert!(error.contains("is not https://host:port"), "{bad:?}: {error}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_tls_key_readable_by_every_user_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let files = TlsFiles {
            ca: dir.path().join("ca.pem"),
            cert: dir.path().join("node.pem"),
            key: dir.path().join("node.key"),
        };
        for path in [&files.ca, &files.cert, &files.key] {
            std::fs::write(path, "PEM").unwrap();
        }
        std::fs::set_permissions(&files.key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = files.load().unwrap_err().to_string();
        assert!(error.contains("readable by every user") && error.contains("644"), "{error}");
        std::fs::set_permissions(&files.key, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert!(files.load().is_ok());
    }

    #[test]
    fn a_message_limit_under_one_batch_is_refused() {
        let error = Limits { max_message_bytes: 0, ..Limits::default() }.validate().unwrap_err().to_string();
        assert!(error.contains("max_message_bytes = 0"), "{error}");
    }

    #[test]
    fn periods_beyond_a_century_are_refused_by_name() {
        let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy");
        let mut config = NodeConfig::load(&deploy.join("kz").join("node.toml")).unwrap();
        assert!(config.check_periods().is_ok());
        config.followup.request_expiry_secs = u64::MAX;
        let error = config.check_periods().unwrap_err().to_string();
        assert!(error.contains("followup.request_expiry_secs"), "{error}");
        config.followup.request_expiry_secs = 30 * 86_400;
        config.retention_days = Some(u64::MAX / 2);
        let error = config.check_periods().unwrap_err().to_string();
        assert!(error.contains("retention_days"), "{error}");
    }

    #[test]
    fn thresholds_out_of_order_or_range_are_refused_with_the_setting_named() {
        assert!(MatchingConfig::default().validate().is_ok());
        let with = |f: fn(&mut MatchingConfig)| {
            let mut config = MatchingConfig::default();
            f(&mut config);
            config.validate().map_err(|e| e.to_string())
        };
        assert!(with(|c| c.auto_confirm = 0.7).is_ok());
        let error = with(|c| c.review = 0.95).unwrap_err();
        assert!(error.contains("review = 0.95") && error.contains("auto_confirm = 0.9"), "{error}");
        let error = with(|c| c.family_auto_confirm = 1.5).unwrap_err();
        assert!(error.contains("family_auto_confirm = 1.5"), "{error}");
        assert!(with(|c| c.review = 0.0).is_err());
        assert!(with(|c| c.family_review = f64::NAN).is_err());
    }

    #[test]
    fn the_shipped_configs_load_and_an_unknown_setting_is_refused_by_name() {
        let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy");
        for country in ["kg", "kz", "tj", "tm", "uz"] {
            let config = NodeConfig::load(&deploy.join(country).join("node.toml")).unwrap();
            assert_eq!(config.country, country.to_uppercase());
        }
        assert_eq!(Roster::load(&deploy.join("roster.toml")).unwrap().peers.len(), 5);
        // A setting misspelt, or written under the wrong table, is named, not ignored.
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(deploy.join("kz/node.toml")).unwrap();
        let misplaced = text.replace("key = \"../pki/KZ/node.key\"", "key = \"../pki/KZ/node.key\"\nmax_batch_ops = 1");
        assert_ne!(misplaced, text);
        let path = dir.path().join("node.toml");
        std::fs::write(&path, misplaced).unwrap();
        let error = format!("{:#}", NodeConfig::load(&path).unwrap_err());
        assert!(error.contains("unknown field `max_batch_ops`"), "{error}");
    }

    #[test]
    fn batch_limits_too_small_for_a_record_sent_again_are_refused() {
        assert!(Limits::default().validate().is_ok());
        let error = Limits { max_batch_ops: 1, ..Limits::default() }.validate().unwrap_err().to_string();
        assert!(error.contains("max_batch_ops = 1"), "{error}");
        let error = Limits { max_batch_tokens: 100, ..Limits::default() }.validate().unwrap_err().to_string();
        assert!(error.contains("max_batch_tokens = 100") && error.contains("max_tokens_per_record = 64"), "{error}");
    }
}
