//! A development PKI on disk: one CA and a certificate for every node, caseworker,
//! administrator and the coordinator of a local federation (`homeward pki init`, `demo`).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Ca, Identity, Pem, PkiError};

/// Name of the caseworker certificate issued per country.
pub const DEV_CASEWORKER: &str = "caseworker";
/// Name of the administrator certificate issued per country.
pub const DEV_ADMIN: &str = "admin";
/// Name of the coordinator certificate.
pub const DEV_COORDINATOR: &str = "osce";

/// Where a certificate and its key live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemPaths {
    /// The certificate, PEM.
    pub cert: PathBuf,
    /// The private key, PEM, mode 0600.
    pub key: PathBuf,
}

impl PemPaths {
    fn new(dir: &Path, stem: &str, key_ext: &str) -> Self {
        PemPaths { cert: dir.join(format!("{stem}.pem")), key: dir.join(format!("{stem}.{key_ext}")) }
    }

    /// Reads both files.
    pub fn read(&self) -> Result<Pem, PkiError> {
        let read = |p: &Path| fs::read_to_string(p).map_err(|e| PkiError::io(p, e));
        Ok(Pem { cert: read(&self.cert)?, key: read(&self.key)? })
    }
}

/// The certificates of one country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryPaths {
    /// `<CC>/node.pem`, `<CC>/node.key`: the node's server and client certificate.
    pub node: PemPaths,
    /// `<CC>/caseworker.pem`, `<CC>/caseworker.key`.
    pub caseworker: PemPaths,
    /// `<CC>/admin.pem`, `<CC>/admin.key`.
    pub admin: PemPaths,
}

/// The files of a development PKI under one directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkiLayout {
    /// The directory.
    pub dir: PathBuf,
    /// `ca.pem`, `ca.key`.
    pub ca: PemPaths,
    /// Per country (upper-case alpha-2): `<CC>/…`.
    pub countries: BTreeMap<String, CountryPaths>,
    /// `coordinator.pem`, `coordinator.key`.
    pub coordinator: PemPaths,
}

impl PkiLayout {
    /// The paths for `dir` and `countries`, without touching the disk.
    pub fn new(dir: &Path, countries: &[&str]) -> Self {
        let countries = countries
            .iter()
            .map(|cc| {
                let cc = cc.trim().to_ascii_uppercase();
                let cdir = dir.join(&cc);
                let paths = CountryPaths {
                    node: PemPaths::new(&cdir, "node", "key"),
                    caseworker: PemPaths::new(&cdir, "caseworker", "key"),
                    admin: PemPaths::new(&cdir, "admin", "key"),
                };
                (cc, paths)
            })
            .collect();
        PkiLayout {
            dir: dir.to_path_buf(),
            ca: PemPaths::new(dir, "ca", "key"),
            countries,
            coordinator: PemPaths::new(dir, "coordinator", "key"),
        }
    }

    /// The paths of one country (`"kz"` and `"KZ"` alike).
    pub fn country(&self, country: &str) -> Option<&CountryPaths> {
        self.countries.get(&country.trim().to_ascii_uppercase())
    }
}

/// What [`init_dev_pki_with`] does when `dir/ca.pem` or `dir/ca.key` already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExistingCa {
    /// Fail with [`PkiError::CaExists`]; nothing is written.
    Refuse,
    /// Load it and issue the other certificates with it (e.g. to add a country). Its
    /// federation name must match.
    Reuse,
    /// Generate a new CA and replace it; certificates issued by the old one stop working.
    Replace,
}

/// Creates a development PKI in `dir`, refusing to overwrite an existing CA; see
/// [`init_dev_pki_with`].
pub fn init_dev_pki(dir: &Path, federation: &str, countries: &[&str], hosts: &[&str]) -> Result<PkiLayout, PkiError> {
    init_dev_pki_with(dir, federation, countries, hosts, ExistingCa::Refuse)
}

/// Creates a development PKI in `dir`:
///
/// - `ca.pem`, `ca.key` — the federation CA;
/// - per country `<CC>/node.{pem,key}` (serverAuth + clientAuth, SANs `hosts`),
///   `<CC>/caseworker.{pem,key}` (name [`DEV_CASEWORKER`]), `<CC>/admin.{pem,key}`
///   (name [`DEV_ADMIN`]);
/// - `coordinator.{pem,key}` (name [`DEV_COORDINATOR`], no country).
///
/// Every file is written atomically (temporary file, then rename); private keys with mode
/// 0600 on Unix. All certificates are made in memory before anything is written, and the CA
/// is written last, so a failure never leaves a CA without its certificates. Existing leaf
/// files are overwritten.
pub fn init_dev_pki_with(
    dir: &Path,
    federation: &str,
    countries: &[&str],
    hosts: &[&str],
    existing: ExistingCa,
) -> Result<PkiLayout, PkiError> {
    let layout = PkiLayout::new(dir, countries);
    if layout.countries.len() != countries.len() {
        return Err(PkiError::InvalidIdentity(format!("duplicate country in {countries:?}")));
    }

    let ca_exists = layout.ca.cert.exists() || layout.ca.key.exists();
    let (ca, write_ca) = match (ca_exists, existing) {
        (true, ExistingCa::Refuse) => return Err(PkiError::CaExists(layout.ca.cert.clone())),
        (true, ExistingCa::Reuse) => {
            let pem = layout.ca.read()?;
            let ca = Ca::load(&pem.cert, &pem.key)?;
            if ca.federation() != federation.trim() {
                return Err(PkiError::InvalidIdentity(format!(
                    "existing CA serves federation {:?}, not {federation:?}",
                    ca.federation()
                )));
            }
            (ca, false)
        }
        _ => (Ca::generate(federation)?, true),
    };

    let mut files: Vec<(&PemPaths, Pem)> = Vec::new();
    for (cc, paths) in &layout.countries {
        files.push((&paths.node, ca.issue(&Identity::node(cc), hosts)?));
        files.push((&paths.caseworker, ca.issue(&Identity::caseworker(cc, DEV_CASEWORKER), &[])?));
        files.push((&paths.admin, ca.issue(&Identity::admin(cc, DEV_ADMIN), &[])?));
    }
    files.push((&layout.coordinator, ca.issue(&Identity::coordinator(DEV_COORDINATOR), &[])?));

    fs::create_dir_all(dir).map_err(|e| PkiError::io(dir, e))?;
    for (paths, pem) in &files {
        write_pem(paths, pem)?;
    }
    if write_ca {
        write_pem(&layout.ca, &Pem { cert: ca.cert_pem(), key: ca.key_pem() })?;
    }
    Ok(layout)
}

fn write_pem(paths: &PemPaths, pem: &Pem) -> Result<(), PkiError> {
    write_atomic(&paths.key, pem.key.as_bytes(), true)?;
    write_atomic(&paths.cert, pem.cert.as_bytes(), false)
}

/// Writes `path` through a fresh temporary file in the same directory, then renames it.
fn write_atomic(path: &Path, contents: &[u8], secret: bool) -> Result<(), PkiError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| PkiError::io(parent, e))?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = parent.join(format!(".{file_name}.tmp"));
    // create_new below must make the file, so that the mode is ours and not a stale file's.
    match fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(PkiError::io(&tmp, e)),
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if secret { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = secret;
    let result = options.open(&tmp).and_then(|mut f| {
        f.write_all(contents)?;
        f.sync_all()
    });
    if let Err(e) = result.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(PkiError::io(path, e));
    }
    Ok(())
}
