//! The node's secret material, generated at first start and kept in its data directory with
//! owner-only permissions: the blinding scalar (`blinding.key`) and the key that derives
//! per-peer references (`ref.key`).

use anyhow::{Context, bail};
use homeward_core::token::{NodeSecret, ref_key};
use std::io::Write;
use std::path::Path;

pub struct Secrets {
    pub blinding: NodeSecret,
    pub ref_key: [u8; 32],
}

pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).with_context(|| format!("create {}", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

pub(crate) fn read_32(path: &Path) -> anyhow::Result<Option<[u8; 32]>> {
    match std::fs::read(path) {
        Ok(bytes) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(path)?.permissions().mode();
                if mode & 0o077 != 0 {
                    bail!("{} is readable by others (mode {:o}); make it 0600", path.display(), mode & 0o777);
                }
            }
            let array: [u8; 32] =
                bytes.try_into().map_err(|_| anyhow::anyhow!("{} is not 32 bytes", path.display()))?;
            Ok(Some(array))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("read {}", path.display())),
    }
}

impl Secrets {
    /// Loads the node's secrets; a missing one is made only when `create` (the first start,
    /// with no store yet), and is otherwise an error that says how to recover.
    pub fn load(data_dir: &Path, create: bool) -> anyhow::Result<Secrets> {
        std::fs::create_dir_all(data_dir).with_context(|| format!("create {}", data_dir.display()))?;
        let missing = |path: &Path| {
            anyhow::anyhow!(
                "{} is missing, but {} holds a store: restore the key from the backup taken with the store (a \
                 new key would no longer match the tokens the peers hold); to start afresh, move the data \
                 directory away",
                path.display(),
                data_dir.display()
            )
        };
        let blinding_path = data_dir.join("blinding.key");
        let blinding = match read_32(&blinding_path)? {
            Some(bytes) => NodeSecret::from_bytes(bytes)
                .ok_or_else(|| anyhow::anyhow!("{} holds no valid scalar", blinding_path.display()))?,
            None if !create => return Err(missing(&blinding_path)),
            None => {
                let secret = NodeSecret::generate()?;
                write_private(&blinding_path, &secret.to_bytes())?;
                secret
            }
        };
        let ref_path = data_dir.join("ref.key");
        let ref_material = match read_32(&ref_path)? {
            Some(bytes) => bytes,
            None if !create => return Err(missing(&ref_path)),
            None => {
                let mut bytes = [0u8; 32];
                getrandom_fill(&mut bytes)?;
                write_private(&ref_path, &bytes)?;
                bytes
            }
        };
        Ok(Secrets { blinding, ref_key: ref_key(&ref_material) })
    }
}

fn getrandom_fill(bytes: &mut [u8; 32]) -> anyhow::Result<()> {
    // A fresh scalar's bytes are uniformly random; reuse the domain's generator rather than
    // pulling in another randomness crate.
    let secret = NodeSecret::generate()?;
    *bytes = blake3::derive_key("homeward.v1.ref-key-material", &secret.to_bytes());
    Ok(())
}
