//! Whole-store scans for aggregate tables. These read no personal field into any answer: the
//! node's Coordination service turns them into counts and means only, so they are not audited
//! per record (the Coordination call itself is audited).

use crate::keys;
use crate::store::{Store, decode_json};
use homeward_core::case::{Assessment, Case, Service};

impl Store {
    pub fn for_each_case(&self, mut f: impl FnMut(&Case)) -> crate::Result<()> {
        for item in self.kv.scan_prefix([keys::CASE]) {
            let (k, v) = item?;
            f(&decode_json(&k, &v)?);
        }
        Ok(())
    }

    pub fn for_each_service(&self, mut f: impl FnMut(&Service)) -> crate::Result<()> {
        for item in self.kv.scan_prefix([keys::SERVICE]) {
            let (k, v) = item?;
            f(&decode_json(&k, &v)?);
        }
        Ok(())
    }

    pub fn for_each_assessment(&self, mut f: impl FnMut(&Assessment)) -> crate::Result<()> {
        for item in self.kv.scan_prefix([keys::ASSESSMENT]) {
            let (k, v) = item?;
            f(&decode_json(&k, &v)?);
        }
        Ok(())
    }
}
