//! `homeward import FILE`: streams the rows of a person-import CSV to the node (client
//! streaming) and prints the node's report. Rows the client cannot even read (bad UTF-8, wrong
//! framing) are sent as errors so the report has every rejected line in one place.

use crate::connect::ConnectArgs;
use crate::person::status_error;
use anyhow::Context;
use clap::Args;
use homeward_core::import::ImportReader;
use homeward_proto::pb;
use std::io::IsTerminal;
use std::path::PathBuf;

/// The first line of `--report`: one row per rejected line follows.
const REPORT_HEADER: &str = "line,record_id,reason\n";

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file (person-import format v1).
    pub file: PathBuf,
    /// Also write the rejected rows to this file (CSV: line,record_id,reason).
    #[arg(long)]
    pub report: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub async fn run(connect: &ConnectArgs, args: ImportArgs) -> anyhow::Result<()> {
    let file = std::fs::File::open(&args.file).with_context(|| format!("open {}", args.file.display()))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut reader =
        ImportReader::new(std::io::BufReader::new(file)).with_context(|| format!("read {}", args.file.display()))?;
    for warning in reader.take_new_warnings() {
        eprintln!("warning: {warning}");
    }
    // The report's file is made before the import, so that a path that cannot be written is
    // refused before any row is committed.
    if let Some(path) = &args.report {
        std::fs::write(path, REPORT_HEADER).with_context(|| format!("--report: write {}", path.display()))?;
    }
    let mut client = connect.registry().await?;
    let progress = if std::io::stderr().is_terminal() && !args.json {
        let bar = indicatif::ProgressBar::new(size);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} [{bar:40}] {bytes}/{total_bytes} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let (sender, receiver) = tokio::sync::mpsc::channel::<pb::ImportRow>(512);
    let bar = progress.clone();
    let reading = tokio::task::spawn_blocking(move || {
        let mut rows = 0u64;
        // A record id on two rows: both are sent and the later one is what the node keeps.
        let mut first_line: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
        let mut repeated = 0u64;
        while let Some(next) = reader.next_fields() {
            let row = match next {
                Ok(row) => {
                    if let Some(id) = row.record_id()
                        && let Some(earlier) = first_line.insert(id.clone(), row.line)
                    {
                        repeated += 1;
                        if repeated <= 5 {
                            let text = format!(
                                "warning: line {}: record_id {id:?} is also on line {earlier}; the later row wins",
                                row.line
                            );
                            match &bar {
                                Some(bar) => bar.println(text),
                                None => eprintln!("{text}"),
                            }
                        }
                    }
                    let (header, values) = row.fields.into_iter().unzip();
                    pb::ImportRow { line: row.line, header, values, client_error: String::new() }
                }
                Err(error) => pb::ImportRow { line: error.line, client_error: error.reason, ..Default::default() },
            };
            rows += 1;
            // An encoding decided further down the file is warned about when the reading
            // gets there.
            for warning in reader.take_new_warnings() {
                match &bar {
                    Some(bar) => bar.println(format!("warning: {warning}")),
                    None => eprintln!("warning: {warning}"),
                }
            }
            if let Some(bar) = &bar {
                bar.set_position(reader.bytes_read());
                bar.set_message(format!("{rows} rows"));
            }
            if sender.blocking_send(row).is_err() {
                break;
            }
        }
        if repeated > 5 {
            eprintln!("warning: {} more rows repeat an earlier row's record_id", repeated - 5);
        }
        rows
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(receiver);
    let report = client.import_persons(stream).await.map_err(status_error)?.into_inner();
    let rows = reading.await.context("reading task")?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let mut rejected = report.rejected.clone();
    rejected.sort_by_key(|r| r.line);
    if let Some(path) = &args.report {
        let mut text = String::from(REPORT_HEADER);
        for r in &rejected {
            text.push_str(&format!("{},{},\"{}\"\n", r.line, r.record_id, r.reason.replace('"', "\"\"")));
        }
        std::fs::write(path, text).with_context(|| format!("write {}", path.display()))?;
    }
    if args.json {
        let value = serde_json::json!({
            "rows": rows, "imported": report.imported, "updated": report.updated, "unchanged": report.unchanged,
            "rejected": rejected.iter().map(|r| serde_json::json!({"line": r.line, "record_id": r.record_id, "reason": r.reason})).collect::<Vec<_>>(),
        });
        println!("{value}");
    } else {
        println!(
            "{rows} rows: {} imported, {} updated, {} unchanged, {} rejected",
            report.imported,
            report.updated,
            report.unchanged,
            rejected.len()
        );
        for r in &rejected {
            if r.record_id.is_empty() {
                println!("  line {}: {}", r.line, r.reason);
            } else {
                println!("  line {} ({}): {}", r.line, r.record_id, r.reason);
            }
        }
    }
    Ok(())
}
