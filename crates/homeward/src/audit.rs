//! `homeward audit verify|export`: the administrator's view of a node's audit log, read from the
//! node's store directly (`DATA_DIR/store`). sled admits one process at a time, so the node
//! must be stopped first; the error says so when the store is locked.

use anyhow::Context;
use clap::Subcommand;
use homeward_store::{AuditVerdict, Store};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain; names the first entry that does not fit. Exit status 1 if broken.
    Verify {
        /// The node's data directory (its `data_dir`); the node must be stopped.
        #[arg(long)]
        data_dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write every entry as one JSON object per line.
    Export {
        #[arg(long)]
        data_dir: PathBuf,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Start at this sequence number.
        #[arg(long, default_value_t = 0)]
        from: u64,
    },
}

fn open(data_dir: &Path) -> anyhow::Result<AuditStore> {
    let path = data_dir.join("store");
    anyhow::ensure!(
        path.join("db").is_file(),
        "{} holds no store (is --data-dir the node's data_dir?)",
        path.display()
    );
    // sled writes when it opens a store (it recovers its log and rewrites its snapshot), so the
    // log is read from a copy and the node's files are left as they are. The copy is taken
    // under the store's own file lock, which a running node holds.
    let lock = std::fs::File::open(path.join("db")).with_context(|| format!("open {}", path.join("db").display()))?;
    lock.try_lock().map_err(|_| {
        anyhow::anyhow!(
            "the store {} is in use by a running node: stop it first (only one process may hold the store)",
            path.display()
        )
    })?;
    let copy = tempfile::Builder::new().prefix("homeward-audit-").tempdir().context("make a directory for the copy")?;
    copy_dir(&path, copy.path()).with_context(|| format!("copy the store {}", path.display()))?;
    drop(lock);
    let store = Store::open(copy.path()).with_context(|| format!("open a copy of the store {}", path.display()))?;
    Ok(AuditStore { store, _copy: copy })
}

/// A store read from a copy, removed when dropped.
struct AuditStore {
    store: Store,
    _copy: tempfile::TempDir,
}

impl std::ops::Deref for AuditStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

pub fn run(command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify { data_dir, json } => {
            let store = open(&data_dir)?;
            match store.verify_audit().context("read the audit log")? {
                AuditVerdict::Intact { entries } => {
                    if json {
                        println!("{}", serde_json::json!({"intact": true, "entries": entries}));
                    } else {
                        println!("audit log intact: {entries} entries");
                    }
                    Ok(())
                }
                AuditVerdict::Broken { seq, reason } => {
                    if json {
                        println!("{}", serde_json::json!({"intact": false, "first_broken_seq": seq, "reason": reason}));
                    }
                    anyhow::bail!("audit log broken at entry {seq}: {reason}")
                }
            }
        }
        AuditCommand::Export { data_dir, out, from } => {
            let store = open(&data_dir)?;
            let mut sink: Box<dyn Write> = match &out {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(path).with_context(|| format!("create {}", path.display()))?,
                )),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let mut next = from;
            let mut written = 0u64;
            loop {
                let entries = store.audit_entries(next, 10_000).context("read the audit log")?;
                let Some(last) = entries.last() else { break };
                next = last.seq + 1;
                for entry in &entries {
                    serde_json::to_writer(&mut sink, entry).context("write entry")?;
                    sink.write_all(b"\n").context("write entry")?;
                    written += 1;
                }
            }
            sink.flush().context("flush output")?;
            if let Some(path) = out {
                eprintln!("exported {written} entries to {}", path.display());
            }
            Ok(())
        }
    }
}
