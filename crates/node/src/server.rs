//! Starting and stopping a node: `serve(config, listener, shutdown)` for the binary, `spawn`
//! for the demo and tests. Shutdown stops accepting, drains in-flight calls, stops the sync
//! tasks and flushes the store.

use crate::auth::{Policy, interceptor};
use crate::config::Resolved;
use crate::coordination::CoordinationService;
use crate::federation::FederationService;
use crate::registry::RegistryService;
use crate::secrets::Secrets;
use crate::state::{NodeState, WireTap};
use anyhow::Context;
use homeward_proto::pb;
use homeward_proto::pb::coordination_server::CoordinationServer;
use homeward_proto::pb::federation_server::FederationServer;
use homeward_proto::pb::registry_server::RegistryServer;
use homeward_store::Store;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use tokio::sync::{Notify, oneshot, watch};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Certificate, Identity, Server, ServerTlsConfig};

/// Opens the node's state: store, secrets, peer bookkeeping.
pub fn open_state(config: Resolved, wire_tap: Option<WireTap>) -> anyhow::Result<Arc<NodeState>> {
    homeward_pki::install_crypto_provider();
    check_own_certificate(&config)?;
    let store_path = config.data_dir.join("store");
    // Keys are made on first start only: beside a store that exists, a missing key would be
    // replaced by a new one that no longer matches what the peers hold.
    let secrets = Secrets::load(&config.data_dir, !store_path.join("db").exists())?;
    // Erasures since the last start are made physical: the store is rewritten from live data.
    if homeward_store::compact::compact(&store_path, false).context("compact store after erasures")? {
        tracing::info!(path = %store_path.display(), "store compacted: erased records are gone from disk");
    }
    let store = Store::open(&store_path).context("open store")?;
    anyhow::ensure!(
        store.meta(crate::rotation::PENDING)?.is_none(),
        "a key rotation of {} is unfinished; run `homeward keys rotate` again to finish it",
        config.data_dir.display()
    );
    // An upgrade that changed the match keys: the tokens are made again once the node serves.
    let remake_due = crate::rotation::stale_tokens(&store)?;
    let records_to_remake = if remake_due.is_some() { store.count_persons()? } else { 0 };
    let wake = config.peers.iter().map(|p| (p.country.clone(), Arc::new(Notify::new()))).collect();
    Ok(Arc::new(NodeState {
        config,
        store,
        secrets,
        wake,
        health: Mutex::new(HashMap::new()),
        wire_tap,
        followup_wake: Notify::new(),
        pair_wake: Notify::new(),
        links_view: Default::default(),
        remake_due: Mutex::new(remake_due),
        records_to_remake: AtomicU64::new(records_to_remake),
    }))
}

/// Refuses to start with a certificate that is not this country's node certificate: peers
/// would refuse every exchange (the role and country of a caller come from its certificate),
/// while the node itself looked healthy. The certificate is the node's own configured one,
/// read for this check only; trust still comes from the TLS handshake.
fn check_own_certificate(config: &Resolved) -> anyhow::Result<()> {
    let certs = homeward_pki::certs_from_pem(&config.tls.cert).context("tls.cert")?;
    let identity = homeward_pki::identity_from_cert_der(certs[0].as_ref())
        .context("tls.cert carries no Homeward identity (make it with `homeward pki init` or the federation CA)")?;
    anyhow::ensure!(
        identity.role == homeward_pki::Role::Node,
        "tls.cert is {} {} certificate{}; a node serves with its node certificate",
        if identity.role == homeward_pki::Role::Admin { "an" } else { "a" },
        identity.role,
        if identity.country.is_empty() { String::new() } else { format!(" of {}", identity.country) }
    );
    anyhow::ensure!(
        identity.country == config.country,
        "tls.cert is the node certificate of {}, but this node is configured as country = {:?}",
        identity.country,
        config.country
    );
    let own = homeward_pki::Pem { cert: config.tls.cert.clone(), key: config.tls.key.clone() };
    homeward_pki::check_own(&config.tls.ca, &own)
        .context("tls.cert, tls.key and tls.ca do not make a usable node identity")?;
    Ok(())
}

/// Serves the node on `listener` until `shutdown` resolves.
pub async fn serve(
    state: Arc<NodeState>,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> anyhow::Result<()> {
    let config = &state.config;
    let limits = config.limits;
    let tls = ServerTlsConfig::new()
        .identity(Identity::from_pem(&config.tls.cert, &config.tls.key))
        .client_ca_root(Certificate::from_pem(&config.tls.ca))
        // Callers without a certificate get through the handshake so that they can be told
        // "Unauthenticated" rather than see a broken connection; every service refuses them.
        .client_auth_optional(true);

    let peers: HashSet<String> = config.peers.iter().map(|p| p.country.clone()).collect();
    let registry = InterceptedService::new(
        RegistryServer::new(RegistryService { state: state.clone() })
            .max_decoding_message_size(limits.max_message_bytes)
            .max_encoding_message_size(limits.max_message_bytes),
        interceptor(Policy::Caseworker { country: config.country.clone() }),
    );
    let federation = InterceptedService::new(
        FederationServer::new(FederationService::new(state.clone()))
            .max_decoding_message_size(limits.max_message_bytes)
            .max_encoding_message_size(limits.max_message_bytes),
        interceptor(Policy::Node { peers: Arc::new(peers) }),
    );
    let coordination = InterceptedService::new(
        CoordinationServer::new(CoordinationService { state: state.clone() })
            .max_decoding_message_size(limits.max_message_bytes)
            .max_encoding_message_size(limits.max_message_bytes),
        interceptor(Policy::Coordinator),
    );
    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter.set_serving::<RegistryServer<RegistryService>>().await;
    health_reporter.set_serving::<FederationServer<FederationService>>().await;
    health_reporter.set_serving::<CoordinationServer<CoordinationService>>().await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .context("reflection service")?;

    crate::ageing::record_first_day(&state, crate::crypto::today())
        .context("recording the first coming-of-age check")?;

    // The background tasks stop as soon as the node is asked to stop, before the server drains
    // its calls: a sync task must not start an exchange with a peer that is stopping too.
    let (stop_sync, sync_stopped) = watch::channel(false);
    let stop_sync = Arc::new(stop_sync);
    let mut tasks = Vec::new();
    for peer in &config.peers {
        let wake = state.wake.get(&peer.country).cloned().unwrap_or_default();
        tasks.push(tokio::spawn(crate::sync::run_peer(
            state.clone(),
            peer.country.clone(),
            peer.address.clone(),
            wake,
            sync_stopped.clone(),
        )));
    }

    let remake = *state.remake_due.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(from) = remake {
        let (state, stop) = (state.clone(), sync_stopped.clone());
        tasks.push(tokio::task::spawn_blocking(move || {
            tracing::info!(
                records = state.records_to_remake.load(std::sync::atomic::Ordering::Relaxed),
                "tokens made by an earlier version of the match keys: making them again while serving"
            );
            if let Err(error) = crate::rotation::remake_stale_tokens(&state, from, &stop) {
                tracing::error!(
                    error = format!("{error:#}"),
                    "making the tokens again failed; it is retried at the next start"
                );
            }
            *state.remake_due.lock().unwrap_or_else(|p| p.into_inner()) = None;
            state.records_to_remake.store(0, std::sync::atomic::Ordering::Relaxed);
        }));
    }

    tasks.push(tokio::spawn(crate::followup::run(state.clone(), sync_stopped.clone())));
    tasks.push(tokio::spawn(crate::ageing::run(state.clone(), sync_stopped.clone())));
    tasks.push(tokio::spawn(crate::pair::run(state.clone(), sync_stopped.clone())));

    if let Some(period) = config.retention {
        tasks.push(tokio::spawn(crate::retention::run(state.clone(), period, sync_stopped.clone())));
    }

    let incoming = TcpIncoming::from(listener).with_nodelay(Some(true));
    let result = Server::builder()
        .tls_config(tls)
        .context("TLS configuration")?
        .add_service(registry)
        .add_service(federation)
        .add_service(coordination)
        .add_service(health)
        .add_service(reflection)
        .serve_with_incoming_shutdown(incoming, {
            let stop_sync = stop_sync.clone();
            async move {
                shutdown.await;
                let _ = stop_sync.send(true);
            }
        })
        .await;
    let _ = stop_sync.send(true);
    for task in tasks {
        let _ = task.await;
    }
    state.store.flush().await.context("flush store")?;
    result.context("gRPC server")
}

/// A node running in this process (demo, tests).
pub struct RunningNode {
    pub country: String,
    pub addr: SocketAddr,
    pub state: Arc<NodeState>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl RunningNode {
    pub fn address(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Asks the node to stop, without waiting (see [`RunningNode::shutdown`]).
    pub fn request_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Stops the node and waits for it to finish.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        self.request_stop();
        self.task.await.context("node task")?
    }
}

/// Starts a node on an already bound listener.
pub async fn spawn(
    config: Resolved,
    listener: tokio::net::TcpListener,
    wire_tap: Option<WireTap>,
) -> anyhow::Result<RunningNode> {
    let addr = listener.local_addr()?;
    let country = config.country.clone();
    let state = open_state(config, wire_tap)?;
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(state.clone(), listener, async move {
        let _ = stopped.await;
    }));
    Ok(RunningNode { country, addr, state, stop: Some(stop), task })
}
