//! `homeward keys`: the node administrator's key operations.

use anyhow::Context;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Replace the node's secret blinding scalar (the node must be stopped). Tokens held for
    /// peers are moved to the new key in place; the node's own tokens are re-sent to every
    /// peer when it starts again; links come back unchanged. The old key is overwritten.
    Rotate {
        /// The node's configuration (TOML): data directory, federation, roster.
        #[arg(long)]
        config: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Rotate { config, json } => {
            let node = homeward_node::NodeConfig::load(&config)?;
            let resolved = homeward_node::config::Resolved::from_config(&node)?;
            let report = homeward_node::rotation::rotate(&resolved)
                .with_context(|| format!("rotate the key of {}", resolved.data_dir.display()))?;
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                println!(
                    "rotated: {} peer tokens moved to the new key (and their new answers queued for their nodes), \
                     {} records queued for every peer ({} operations)",
                    report.peer_tokens_rewritten, report.records_requeued, report.operations_queued
                );
            }
            Ok(())
        }
    }
}
