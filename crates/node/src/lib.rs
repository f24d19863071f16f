//! A Homeward node: the gRPC server (Registry for caseworkers, Federation for peer nodes,
//! Coordination for coordinators, plus health and reflection) over mutual TLS, the node's
//! secret material, and the background tasks that drain each peer's outbox.
//!
//! Entry point: [`server::serve`]. Everything that touches tonic lives in this crate, the
//! `homeward-proto` crate and the binary; the store and the domain know nothing of it.

pub mod ageing;
pub mod antientropy;
pub mod auth;
pub mod cases;
pub mod client;
pub mod config;
pub mod coordination;
pub mod crypto;
pub mod error;
pub mod federation;
pub mod followup;
pub mod harness;
pub mod pair;
pub mod quota;
pub mod registry;
pub mod retention;
pub mod rotation;
pub mod secrets;
pub mod server;
pub mod state;
pub mod sync;

pub use config::{NodeConfig, PeerConfig, Roster, TlsFiles};
pub use server::{RunningNode, serve, spawn};
