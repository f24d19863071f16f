//! Physical erasure. sled is log-structured: removing a key appends a tombstone, and the old
//! value stays in its log segment until sled happens to reuse it, so an erased person's name
//! can outlive the erasure in the files on disk. Compaction rewrites the store from its live
//! data only, into a fresh directory, and swaps it in; afterwards nothing removed is on disk.
//!
//! It needs the store closed (sled admits one open handle), so the node runs it when it opens
//! its store and erasures happened since the last compaction (the `erasures.pending` counter
//! that [`crate::Store::erase_person`] raises). The swap survives a crash at any step: an
//! unfinished copy is discarded, a finished one is swapped in on the next open.

use crate::keys;
use std::path::{Path, PathBuf};

/// Erasures since the last compaction, as counted in the store's meta.
pub const PENDING: &str = "erasures.pending";

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Finishes or discards a compaction that a crash interrupted.
pub fn recover(path: &Path) -> crate::Result<()> {
    let (copy, old) = (sibling(path, ".compact"), sibling(path, ".old"));
    if !path.exists() && copy.join("complete").exists() {
        std::fs::rename(&copy, path).map_err(sled::Error::Io)?;
    }
    if path.exists() {
        let marker = path.join("complete");
        if marker.exists() {
            std::fs::remove_file(&marker).map_err(sled::Error::Io)?;
        }
        for leftover in [copy, old] {
            if leftover.exists() {
                std::fs::remove_dir_all(&leftover).map_err(sled::Error::Io)?;
            }
        }
    }
    Ok(())
}

/// Rewrites the (closed) store at `path` from its live data if erasures are pending, or if
/// `force`. Returns whether it did.
pub fn compact(path: &Path, force: bool) -> crate::Result<bool> {
    recover(path)?;
    if !path.exists() {
        return Ok(false);
    }
    let copy = sibling(path, ".compact");
    {
        let source = sled::Config::new().path(path).open()?;
        let kv = source.open_tree("homeward")?;
        let pending = kv.get(keys::meta(PENDING))?.is_some_and(|v| v.iter().any(|b| *b != 0));
        if !pending && !force {
            return Ok(false);
        }
        if copy.exists() {
            std::fs::remove_dir_all(&copy).map_err(sled::Error::Io)?;
        }
        let target = sled::Config::new().path(&copy).open()?;
        for name in source.tree_names() {
            let from = source.open_tree(&name)?;
            let to = target.open_tree(&name)?;
            let mut batch = sled::Batch::default();
            let mut n = 0;
            for item in from.iter() {
                let (k, v) = item?;
                batch.insert(k, v);
                n += 1;
                if n % 10_000 == 0 {
                    to.apply_batch(std::mem::take(&mut batch))?;
                }
            }
            to.apply_batch(batch)?;
        }
        target.open_tree("homeward")?.remove(keys::meta(PENDING))?;
        target.flush()?;
    }
    // The marker says the copy is whole; only then is it swapped in.
    std::fs::write(copy.join("complete"), b"").map_err(sled::Error::Io)?;
    let old = sibling(path, ".old");
    std::fs::rename(path, &old).map_err(sled::Error::Io)?;
    std::fs::rename(&copy, path).map_err(sled::Error::Io)?;
    std::fs::remove_file(path.join("complete")).map_err(sled::Error::Io)?;
    std::fs::remove_dir_all(&old).map_err(sled::Error::Io)?;
    Ok(true)
}
