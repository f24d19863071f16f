//! The `homeward` binary as a caseworker runs it, against in-process nodes with real mutual
//! TLS.

#![allow(dead_code)] // each test file uses a subset

use homeward_node::harness::Federation;
use homeward_pki::Identity;
use std::path::{Path, PathBuf};
use std::process::Output;

pub struct Cli {
    endpoint: String,
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

impl Cli {
    /// A caseworker of Kazakhstan's node.
    pub fn new(federation: &Federation, dir: &Path) -> Cli {
        Cli::caseworker(federation, dir, "KZ", "aigerim")
    }

    /// A caseworker of `country`'s node, with credentials written under `dir`.
    pub fn caseworker(federation: &Federation, dir: &Path, country: &str, name: &str) -> Cli {
        let pem = federation.credentials(&Identity::caseworker(country, name)).unwrap();
        let (ca, cert, key) =
            (dir.join("ca.pem"), dir.join(format!("{country}-{name}.pem")), dir.join(format!("{country}-{name}.key")));
        std::fs::write(&ca, pem.ca).unwrap();
        std::fs::write(&cert, pem.cert).unwrap();
        std::fs::write(&key, pem.key).unwrap();
        Cli { endpoint: federation.node(country).unwrap().address(), ca, cert, key }
    }

    pub fn command(&self, args: &[&str]) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_homeward"));
        command
            .args(args)
            .arg("--endpoint")
            .arg(&self.endpoint)
            .arg("--ca")
            .arg(&self.ca)
            .arg("--cert")
            .arg(&self.cert)
            .arg("--key")
            .arg(&self.key)
            .kill_on_drop(true);
        command
    }

    pub async fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().await.expect("run homeward")
    }

    /// Runs a command that must succeed and prints JSON; returns it.
    pub async fn json(&self, args: &[&str]) -> serde_json::Value {
        let output = self.run(args).await;
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{args:?} failed: {}\n{stdout}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"))
    }

    /// Runs a command that must fail; returns its stderr.
    pub async fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args).await;
        assert!(!output.status.success(), "{args:?} should fail: {}", String::from_utf8_lossy(&output.stdout));
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}
