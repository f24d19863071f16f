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
        let source = crate::store::open_db(&sled::Config::new().path(path))?;
        let kv = source.open_tree("homeward")?;
        let pending = kv.get(keys::meta(PENDING))?.is_some_and(|v| v.iter().any(|b| *b != 0));
        if !pending && !force {
            return Ok(false);
        }
        if copy.exists() {
            std::fs::remove_dir_all(&copy).map_err(sled::Error::Io)?;
        }
        let target = crate::store::open_db(&sled::Config::new().path(&copy))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PutMode, Store};
    use homeward_core::person::Person;

    fn person(record_id: &str, given: &str) -> Person {
        Person { record_id: record_id.into(), given_name: given.into(), ..Default::default() }
    }

    fn on_disk(dir: &Path, needle: &[u8]) -> bool {
        let mut stack = vec![dir.to_path_buf()];
        while let Some(path) = stack.pop() {
            if path.is_dir() {
                stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if std::fs::read(&path).unwrap().windows(needle.len()).any(|w| w == needle) {
                return true;
            }
        }
        false
    }

    #[test]
    fn compaction_keeps_live_data_and_drops_erased_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        {
            let store = Store::open(&path).unwrap();
            store.put_person(person("r1", "Kept"), PutMode::Create, &[], &[], "t").unwrap();
            store.put_person(person("r2", "Qurbonoyxon"), PutMode::Create, &[], &[], "t").unwrap();
            store.erase_person("r2", &[], "t").unwrap();
            store.flush_blocking().unwrap();
        }
        assert!(compact(&path, false).unwrap());
        assert!(!on_disk(dir.path(), b"Qurbonoyxon"));
        let store = Store::open(&path).unwrap();
        assert_eq!(store.get_person("r1").unwrap().unwrap().person.given_name, "Kept");
        assert_eq!(store.verify_audit().unwrap(), crate::AuditVerdict::Intact { entries: 3 });
        drop(store);
        assert!(!compact(&path, false).unwrap(), "nothing pending");
    }

    #[test]
    fn an_interrupted_swap_is_finished_and_an_unfinished_copy_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        {
            let store = Store::open(&path).unwrap();
            store.put_person(person("r1", "Kept"), PutMode::Create, &[], &[], "t").unwrap();
            store.flush_blocking().unwrap();
        }
        // Crash after the copy was complete and the old store moved away.
        assert!(compact(&path, true).unwrap());
        let (copy, old) = (sibling(&path, ".compact"), sibling(&path, ".old"));
        std::fs::rename(&path, &copy).unwrap();
        std::fs::write(copy.join("complete"), b"").unwrap();
        std::fs::create_dir(&old).unwrap();
        recover(&path).unwrap();
        assert!(path.exists() && !copy.exists() && !old.exists() && !path.join("complete").exists());
        // Crash while copying: the copy has no marker and the store is intact.
        std::fs::create_dir(&copy).unwrap();
        recover(&path).unwrap();
        assert!(!copy.exists());
        let store = Store::open(&path).unwrap();
        assert!(store.get_person("r1").unwrap().is_some());
    }
}
