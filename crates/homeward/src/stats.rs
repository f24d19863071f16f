//! `homeward stats`: asks every node of a roster for its aggregates with a coordinator
//! certificate and merges them. A node that does not answer is named, and the figures are
//! marked partial.

use crate::connect::{As, ConnectArgs};
use crate::output::table;
use clap::Args;
use homeward_node::config::TlsPem;
use homeward_proto::pb;
use homeward_proto::pb::coordination_client::CoordinationClient;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The roster (TOML with [[peer]] country/address entries).
    #[arg(long)]
    pub roster: PathBuf,
    #[arg(long)]
    pub json: bool,
    /// One CSV row per cell: table,labels,value,suppressed (labels joined with `/`).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
}

/// One merged cell: the summed count, whether any node suppressed it, and (tables of means)
/// the sum of mean × count, so that the merged mean is weighted by each node's count.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct MergedCell {
    pub value: u64,
    pub suppressed: bool,
    pub weighted: f64,
}

impl MergedCell {
    pub fn mean(&self) -> f64 {
        if self.value == 0 { 0.0 } else { self.weighted / self.value as f64 }
    }
}

/// One merged table: its dimensions, whether its cells are means, and its cells by labels.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct MergedTable {
    pub dimensions: Vec<String>,
    pub means: bool,
    pub cells: BTreeMap<Vec<String>, MergedCell>,
}

/// Tables merged across nodes.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Merged {
    pub tables: BTreeMap<String, MergedTable>,
    pub answered: Vec<String>,
    pub missing: Vec<(String, String)>,
}

impl Merged {
    pub fn add(&mut self, aggregates: &pb::Aggregates) {
        self.answered.push(aggregates.country.clone());
        for table in &aggregates.tables {
            let entry = self.tables.entry(table.name.clone()).or_insert_with(|| MergedTable {
                dimensions: table.dimensions.clone(),
                means: table.means,
                cells: BTreeMap::new(),
            });
            for cell in &table.cells {
                let slot = entry.cells.entry(cell.labels.clone()).or_default();
                slot.value += cell.value;
                slot.suppressed |= cell.suppressed;
                slot.weighted += cell.mean * cell.value as f64;
            }
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        let tables: serde_json::Map<String, serde_json::Value> = self
            .tables
            .iter()
            .map(|(name, table)| {
                let cells: Vec<serde_json::Value> = table
                    .cells
                    .iter()
                    .map(|(labels, cell)| {
                        if cell.suppressed {
                            serde_json::json!({"labels": labels, "value": null, "suppressed": true})
                        } else if table.means {
                            let mean = (cell.mean() * 1000.0).round() / 1000.0;
                            serde_json::json!({"labels": labels, "value": cell.value, "mean": mean, "suppressed": false})
                        } else {
                            serde_json::json!({"labels": labels, "value": cell.value, "suppressed": false})
                        }
                    })
                    .collect();
                (name.clone(), serde_json::json!({"dimensions": table.dimensions, "means": table.means, "cells": cells}))
            })
            .collect();
        serde_json::json!({
            "partial": !self.missing.is_empty(),
            "nodes_answered": self.answered,
            "nodes_missing": self.missing.iter().map(|(c, e)| serde_json::json!({"country": c, "error": e})).collect::<Vec<_>>(),
            "tables": tables,
        })
    }

    pub fn to_csv(&self) -> String {
        let mut out = String::from("table,labels,value,suppressed\n");
        if !self.missing.is_empty() {
            let names: Vec<&str> = self.missing.iter().map(|(c, _)| c.as_str()).collect();
            out.push_str(&format!("# partial: no answer from {}\n", names.join(" ")));
        }
        for (name, table) in &self.tables {
            for (labels, cell) in &table.cells {
                let value = match (cell.suppressed, table.means) {
                    (true, _) => String::new(),
                    (false, true) => format!("{:.3}", cell.mean()),
                    (false, false) => cell.value.to_string(),
                };
                out.push_str(&format!("{name},{},{value},{}\n", labels.join("/"), cell.suppressed));
            }
        }
        out
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if !self.missing.is_empty() {
            out.push_str("PARTIAL FIGURES — no answer from: ");
            out.push_str(&self.missing.iter().map(|(c, e)| format!("{c} ({e})")).collect::<Vec<_>>().join(", "));
            out.push_str("\n\n");
        }
        for (name, merged) in &self.tables {
            out.push_str(&format!("{name}\n"));
            let mut header: Vec<&str> = merged.dimensions.iter().map(|s| s.as_str()).collect();
            header.push(if merged.means { "mean (n)" } else { "value" });
            let rows: Vec<Vec<String>> = merged
                .cells
                .iter()
                .map(|(labels, cell)| {
                    let mut row = labels.clone();
                    row.push(match (cell.suppressed, merged.means) {
                        (true, _) => "<k (suppressed)".into(),
                        (false, true) => format!("{:.3} ({})", cell.mean(), cell.value),
                        (false, false) => cell.value.to_string(),
                    });
                    row
                })
                .collect();
            out.push_str(&table(&header, &rows));
            out.push('\n');
        }
        out
    }
}

/// Asks every node of the roster for its aggregates (10 s each at most) and merges them.
pub async fn collect(roster: &homeward_node::Roster, tls: &TlsPem) -> Merged {
    let mut merged = Merged::default();
    for peer in &roster.peers {
        let answer = async {
            let channel = homeward_node::client::connect(&peer.address, tls).await?;
            let mut client = CoordinationClient::new(channel);
            let aggregates = client.get_aggregates(pb::GetAggregatesRequest {}).await?.into_inner();
            anyhow::Ok(aggregates)
        };
        match tokio::time::timeout(std::time::Duration::from_secs(10), answer).await {
            Ok(Ok(aggregates)) => merged.add(&aggregates),
            Ok(Err(e)) => merged.missing.push((peer.country.clone(), format!("{e:#}"))),
            Err(_) => merged.missing.push((peer.country.clone(), "timed out".into())),
        }
    }
    merged
}

pub async fn run(connect: &ConnectArgs, args: StatsArgs) -> anyhow::Result<()> {
    let roster = homeward_node::Roster::load(&args.roster)?;
    let merged = collect(&roster, &connect.credentials(As::Coordinator)?).await;
    if args.json {
        println!("{}", merged.to_json());
    } else if args.csv {
        print!("{}", merged.to_csv());
    } else {
        print!("{}", merged.to_text());
    }
    Ok(())
}
