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
    /// One CSV row per cell: table,labels,value,suppressed,at_least,withheld_by (labels joined
    /// with `/`, countries with a space; `at_least` is what the other nodes published of a
    /// withheld count).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
}

/// One merged cell: the sum of what the nodes published, the nodes that withheld it, and (tables
/// of means) the sum of mean × count over the published part, so that the merged mean is
/// weighted by each node's count.
///
/// A cell withheld by any node is withheld in the merge too: its total is unknown. What the other
/// nodes published for it is still a lower bound (`value`), and it tells the coordinator nothing
/// the nodes' own answers did not: a withheld cell is not "fewer than k" once merged (its
/// other nodes may hold hundreds), and even at its own node it may be a complement, withheld so
/// that a small count cannot be recovered from a total.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct MergedCell {
    pub value: u64,
    pub withheld_by: Vec<String>,
    pub weighted: f64,
}

impl MergedCell {
    pub fn mean(&self) -> f64 {
        if self.value == 0 { 0.0 } else { self.weighted / self.value as f64 }
    }

    /// Whether any node withheld the cell.
    pub fn suppressed(&self) -> bool {
        !self.withheld_by.is_empty()
    }

    /// The cell as `homeward stats` prints it: a count, a mean with its count, or, withheld, what
    /// the other nodes published and who withheld it.
    pub fn text(&self, means: bool) -> String {
        let by = self.withheld_by.join(" ");
        match (self.suppressed(), means) {
            (false, false) => self.value.to_string(),
            (false, true) => format!("{:.3} ({})", self.mean(), self.value),
            (true, _) if self.value == 0 => format!("withheld by {by}"),
            (true, false) => format!("≥{} (withheld by {by})", self.value),
            (true, true) => format!("withheld by {by}; others {:.3} ({})", self.mean(), self.value),
        }
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
                if cell.suppressed {
                    // A node sends a withheld cell without its value; should one send it
                    // anyway, it is not counted.
                    slot.withheld_by.push(aggregates.country.clone());
                } else {
                    slot.value += cell.value;
                    slot.weighted += cell.mean * cell.value as f64;
                }
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
                        let mean = (cell.mean() * 1000.0).round() / 1000.0;
                        match (cell.suppressed(), table.means) {
                            (true, true) => serde_json::json!({"labels": labels, "value": null, "suppressed": true,
                                "withheld_by": cell.withheld_by, "others": {"value": cell.value, "mean": mean}}),
                            (true, false) => serde_json::json!({"labels": labels, "value": null, "suppressed": true,
                                "withheld_by": cell.withheld_by, "at_least": cell.value}),
                            (false, true) => serde_json::json!({"labels": labels, "value": cell.value, "mean": mean,
                                "suppressed": false}),
                            (false, false) => {
                                serde_json::json!({"labels": labels, "value": cell.value, "suppressed": false})
                            }
                        }
                    })
                    .collect();
                (
                    name.clone(),
                    serde_json::json!({"dimensions": table.dimensions, "means": table.means, "cells": cells}),
                )
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
        let mut out = String::from("table,labels,value,suppressed,at_least,withheld_by\n");
        if !self.missing.is_empty() {
            let names: Vec<&str> = self.missing.iter().map(|(c, _)| c.as_str()).collect();
            out.push_str(&format!("# partial: no answer from {}\n", names.join(" ")));
        }
        for (name, table) in &self.tables {
            for (labels, cell) in &table.cells {
                let value = match (cell.suppressed(), table.means) {
                    (true, _) => String::new(),
                    (false, true) => format!("{:.3}", cell.mean()),
                    (false, false) => cell.value.to_string(),
                };
                // For a withheld count, what the other nodes published; nothing for a mean.
                let at_least = if cell.suppressed() && !table.means { cell.value.to_string() } else { String::new() };
                out.push_str(&format!(
                    "{name},{},{value},{},{at_least},{}\n",
                    labels.join("/"),
                    cell.suppressed(),
                    cell.withheld_by.join(" ")
                ));
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
                    row.push(cell.text(merged.means));
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
            Ok(Err(e)) => merged.missing.push((peer.country.clone(), homeward_node::registry::causes(&e))),
            Err(_) => merged.missing.push((peer.country.clone(), "timed out".into())),
        }
    }
    merged
}

pub async fn run(connect: &ConnectArgs, args: StatsArgs) -> anyhow::Result<()> {
    let roster = homeward_node::Roster::load(&args.roster)?;
    let merged = collect(&roster, &connect.credentials(As::Coordinator)?).await;
    if !roster.peers.is_empty() && merged.missing.len() == roster.peers.len() {
        let why: Vec<String> = merged.missing.iter().map(|(c, e)| format!("{c} ({e})")).collect();
        anyhow::bail!("no node of the roster answered: {}", why.join("; "));
    }
    if args.json {
        println!("{}", merged.to_json());
    } else if args.csv {
        print!("{}", merged.to_csv());
    } else {
        print!("{}", merged.to_text());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(labels: &[&str], value: u64, suppressed: bool, mean: f64) -> pb::Cell {
        pb::Cell { labels: labels.iter().map(|l| l.to_string()).collect(), value, suppressed, mean }
    }

    fn answer(country: &str, counts: Vec<pb::Cell>, means: Vec<pb::Cell>) -> pb::Aggregates {
        pb::Aggregates {
            country: country.into(),
            k: 10,
            tables: vec![
                pb::Table { name: "counts".into(), dimensions: vec!["sex".into()], cells: counts, means: false },
                pb::Table { name: "scores".into(), dimensions: vec!["round".into()], cells: means, means: true },
            ],
        }
    }

    /// A cell withheld by one node is withheld in the merge, and shows what the others published
    /// as a lower bound — never "fewer than k", which the merged total need not be.
    #[test]
    fn a_cell_withheld_by_one_node_shows_the_others_part_and_who_withheld_it() {
        let mut merged = Merged::default();
        merged.add(&answer(
            "KG",
            vec![cell(&["F"], 0, true, 0.0), cell(&["M"], 0, true, 0.0)],
            vec![cell(&["baseline"], 0, true, 0.0)],
        ));
        merged.add(&answer(
            "KZ",
            vec![cell(&["F"], 612, false, 0.0), cell(&["M"], 0, true, 0.0)],
            vec![cell(&["baseline"], 40, false, 0.5)],
        ));
        // A node that (wrongly) sends a withheld cell's value: not counted.
        merged.add(&answer("TJ", vec![cell(&["F"], 7, true, 0.0)], vec![cell(&["baseline"], 10, false, 0.25)]));

        let counts = &merged.tables["counts"].cells;
        let f = &counts[&vec!["F".to_string()]];
        assert_eq!((f.value, f.withheld_by.clone()), (612, vec!["KG".to_string(), "TJ".to_string()]));
        assert_eq!(f.text(false), "≥612 (withheld by KG TJ)");
        let m = &counts[&vec!["M".to_string()]];
        assert_eq!(m.text(false), "withheld by KG KZ");
        let baseline = &merged.tables["scores"].cells[&vec!["baseline".to_string()]];
        assert_eq!(baseline.text(true), "withheld by KG; others 0.450 (50)");

        let json = merged.to_json();
        let cells = json["tables"]["counts"]["cells"].as_array().unwrap();
        assert_eq!(cells[0]["suppressed"], true);
        assert_eq!(cells[0]["value"], serde_json::Value::Null);
        assert_eq!(cells[0]["at_least"], 612);
        assert_eq!(cells[0]["withheld_by"], serde_json::json!(["KG", "TJ"]));
        let scores = json["tables"]["scores"]["cells"].as_array().unwrap();
        assert_eq!(scores[0]["others"], serde_json::json!({"value": 50, "mean": 0.45}));

        let csv = merged.to_csv();
        assert!(csv.starts_with("table,labels,value,suppressed,at_least,withheld_by\n"), "{csv}");
        assert!(csv.contains("\ncounts,F,,true,612,KG TJ\n"), "{csv}");
        assert!(csv.contains("\nscores,baseline,,true,,KG\n"), "{csv}");
        let text = merged.to_text();
        assert!(!text.contains("<k"), "{text}");
        assert!(text.contains("≥612 (withheld by KG TJ)"), "{text}");
    }

    #[test]
    fn published_cells_sum_and_means_are_weighted_by_count() {
        let mut merged = Merged::default();
        merged.add(&answer("KG", vec![cell(&["F"], 30, false, 0.0)], vec![cell(&["baseline"], 30, false, 0.4)]));
        merged.add(&answer("KZ", vec![cell(&["F"], 12, false, 0.0)], vec![cell(&["baseline"], 10, false, 0.8)]));
        let f = &merged.tables["counts"].cells[&vec!["F".to_string()]];
        assert_eq!((f.text(false), f.suppressed()), ("42".to_string(), false));
        let baseline = &merged.tables["scores"].cells[&vec!["baseline".to_string()]];
        assert_eq!(baseline.text(true), "0.500 (40)");
    }
}
