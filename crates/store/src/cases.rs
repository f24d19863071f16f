//! Cases, services and assessments: the case-management records of a person, stored under
//! their own key prefixes (`c`, `C`, `s`, `x`; see [`crate::keys`]).
//!
//! Services and assessments are keyed under their case, so a case's records are one prefix
//! scan and an erasure finds everything of a person through the `C` index. Ids are assigned
//! here from counters and zero-padded, so key order is creation order and keyset pagination
//! neither skips nor repeats under concurrent writes. Every read and write appends an audit
//! entry in the same batch or under the same lock.

use crate::keys;
use crate::store::{Store, corrupt, decode_json, encode_json, now};
use crate::txn::Txn;
use crate::{Result, StoreError};
use homeward_core::case::{Assessment, Case, CaseDetails, CaseError, Service, ServiceDetails};

/// A domain refusal (bad value, illegal transition) inside a successful store call: the store
/// itself worked, the change was refused and nothing was written.
pub type Checked<T> = std::result::Result<T, CaseError>;

/// Which cases a listing returns.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub record_id: Option<String>,
    pub status: Option<homeward_core::case::CaseStatus>,
    pub caseworker: Option<String>,
    pub agency: Option<String>,
}

impl CaseFilter {
    fn keeps(&self, case: &Case) -> bool {
        self.record_id.as_ref().is_none_or(|r| *r == case.record_id)
            && self.status.is_none_or(|s| s == case.status)
            && self.caseworker.as_ref().is_none_or(|c| *c == case.caseworker)
            && self.agency.as_ref().is_none_or(|a| *a == case.agency)
    }
}

/// One page of a listing and the key to continue after, if there may be more.
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Vec<u8>>,
}

fn next_id(txn: &mut Txn<'_>, counter: &str, prefix: &str) -> Result<String> {
    let n = Store::meta_u64(txn, counter)? + 1;
    Store::set_meta_u64(txn, counter, n);
    Ok(format!("{prefix}-{n:08}"))
}

/// The next case id (also used when a case is opened inside a follow-up change).
pub(crate) fn next_case_id(txn: &mut Txn<'_>) -> Result<String> {
    next_id(txn, "case.next", "case")
}

fn under_case(prefix: u8, case_id: &str, id: &str) -> Vec<u8> {
    keys::build(prefix, &[case_id.as_bytes(), &[0], id.as_bytes()])
}

fn case_prefix(prefix: u8, case_id: &str) -> Vec<u8> {
    keys::build(prefix, &[case_id.as_bytes(), &[0]])
}

/// The first key after every key that starts with `prefix`.
fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return end;
        }
    }
    vec![u8::MAX; prefix.len() + 1]
}

impl Store {
    /// Reads `[start, end)` strictly after `after` (if it lies in the range), keeping up to
    /// `limit` decoded items that pass `keep`.
    fn page_of<T: for<'de> serde::Deserialize<'de>>(
        &self,
        prefix: &[u8],
        after: Option<&[u8]>,
        limit: usize,
        mut keep: impl FnMut(&T) -> bool,
    ) -> Result<Page<T>> {
        let start = match after {
            Some(after) if after.starts_with(prefix) => {
                let mut k = after.to_vec();
                k.push(0);
                k
            }
            _ => prefix.to_vec(),
        };
        let mut items = Vec::new();
        let mut next = None;
        for item in self.kv.range(start..prefix_end(prefix)) {
            let (k, v) = item?;
            let value: T = decode_json(&k, &v)?;
            if keep(&value) {
                items.push(value);
                if items.len() >= limit {
                    next = Some(k.to_vec());
                    break;
                }
            }
        }
        Ok(Page { items, next })
    }

    fn read_case(txn: &Txn<'_>, case_id: &str) -> Result<Case> {
        let key = keys::case(case_id);
        let value = txn.get(&key)?.ok_or_else(|| StoreError::NotFound(format!("case {case_id}")))?;
        decode_json(&key, &value)
    }

    // ---- cases ------------------------------------------------------------------------------

    /// Opens a case at intake for an enrolled person.
    pub fn open_case(&self, record_id: &str, details: CaseDetails, actor: &str) -> Result<Case> {
        let _guard = self.lock();
        let mut txn = self.txn();
        if txn.get(&keys::person(record_id))?.is_none() {
            return Err(StoreError::NotFound(format!("person {record_id}")));
        }
        let case_id = next_case_id(&mut txn)?;
        let case = Case::open(case_id.clone(), record_id.to_string(), details, now());
        txn.insert(keys::case(&case_id), encode_json(&case));
        txn.insert(keys::case_by_person(record_id, &case_id), Vec::new());
        Self::append_audit(&mut txn, actor, "case.open", record_id, &format!("case={case_id}"))?;
        txn.commit()?;
        Ok(case)
    }

    /// One case, audited as a read.
    pub fn get_case(&self, case_id: &str, actor: &str) -> Result<Case> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let case = Self::read_case(&txn, case_id)?;
        Self::append_audit(&mut txn, actor, "case.read", &case.record_id, &format!("case={case_id}"))?;
        txn.commit()?;
        Ok(case)
    }

    /// Changes a case with `change` (a transition or an edit of its details) and audits it
    /// as `action`. A refusal by `change` writes nothing.
    pub fn change_case(
        &self,
        case_id: &str,
        action: &str,
        actor: &str,
        change: impl FnOnce(&mut Case) -> Checked<String>,
    ) -> Result<Checked<Case>> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let mut case = Self::read_case(&txn, case_id)?;
        let detail = match change(&mut case) {
            Ok(detail) => detail,
            Err(refusal) => return Ok(Err(refusal)),
        };
        case.update_time = now();
        txn.insert(keys::case(case_id), encode_json(&case));
        Self::append_audit(&mut txn, actor, action, &case.record_id, &format!("case={case_id} {detail}"))?;
        txn.commit()?;
        Ok(Ok(case))
    }

    /// Cases in case-id order (or, filtered by person, in the order of the person index),
    /// strictly after the cursor `after`; audited as one listing.
    pub fn list_cases(
        &self,
        filter: &CaseFilter,
        after: Option<&[u8]>,
        limit: usize,
        actor: &str,
    ) -> Result<Page<Case>> {
        let page = match &filter.record_id {
            Some(record_id) => {
                let prefix = keys::build(keys::CASE_BY_PERSON, &[record_id.as_bytes(), &[0]]);
                let start = match after {
                    Some(after) if after.starts_with(&prefix) => [after, &[0]].concat(),
                    _ => prefix.clone(),
                };
                let mut items = Vec::new();
                let mut next = None;
                for item in self.kv.range(start..prefix_end(&prefix)) {
                    let (k, _) = item?;
                    let case_id = std::str::from_utf8(&k[prefix.len()..]).map_err(|e| corrupt(&k, e))?;
                    let key = keys::case(case_id);
                    let Some(value) = self.kv.get(&key)? else { continue };
                    let case: Case = decode_json(&key, &value)?;
                    if filter.keeps(&case) {
                        items.push(case);
                        if items.len() >= limit {
                            next = Some(k.to_vec());
                            break;
                        }
                    }
                }
                Page { items, next }
            }
            None => self.page_of(&[keys::CASE], after, limit, |case: &Case| filter.keeps(case))?,
        };
        let record = filter.record_id.as_deref().unwrap_or("");
        self.audit(actor, "case.list", record, &format!("count={}", page.items.len()))?;
        Ok(page)
    }

    // ---- services ---------------------------------------------------------------------------

    /// Records a service on an open case. FailedPrecondition on a closed or transferred case.
    pub fn add_service(&self, case_id: &str, details: ServiceDetails, actor: &str) -> Result<Service> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let case = Self::read_case(&txn, case_id)?;
        if case.status.is_ended() {
            return Err(StoreError::FailedPrecondition(format!(
                "case {case_id} is {}: reopen it before recording services",
                case.status.label()
            )));
        }
        let service_id = next_id(&mut txn, "service.next", "svc")?;
        let time = now();
        let service = Service {
            service_id: service_id.clone(),
            case_id: case_id.to_string(),
            record_id: case.record_id.clone(),
            details,
            create_time: time,
            update_time: time,
        };
        txn.insert(under_case(keys::SERVICE, case_id, &service_id), encode_json(&service));
        let detail = format!("case={case_id} service={service_id} type={}", service.details.service_type.label());
        Self::append_audit(&mut txn, actor, "service.add", &case.record_id, &detail)?;
        txn.commit()?;
        Ok(service)
    }

    /// Replaces a service's details (the caller has merged its field mask already); refused on
    /// a closed or transferred case, as recording one is.
    pub fn update_service(
        &self,
        case_id: &str,
        service_id: &str,
        actor: &str,
        change: impl FnOnce(&ServiceDetails) -> Checked<ServiceDetails>,
    ) -> Result<Checked<Service>> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let key = under_case(keys::SERVICE, case_id, service_id);
        let value =
            txn.get(&key)?.ok_or_else(|| StoreError::NotFound(format!("service {service_id} of case {case_id}")))?;
        let mut service: Service = decode_json(&key, &value)?;
        let case = Self::read_case(&txn, case_id)?;
        if case.status.is_ended() {
            return Ok(Err(CaseError::Ended { status: case.status, what: "its services" }));
        }
        service.details = match change(&service.details) {
            Ok(details) => details,
            Err(refusal) => return Ok(Err(refusal)),
        };
        service.update_time = now();
        txn.insert(key, encode_json(&service));
        let detail = format!("case={case_id} service={service_id} outcome={}", service.details.outcome.label());
        Self::append_audit(&mut txn, actor, "service.update", &service.record_id, &detail)?;
        txn.commit()?;
        Ok(Ok(service))
    }

    /// Services of one case (or of every case when `case_id` is `None`), in key order, kept
    /// by `keep`; audited as one listing.
    pub fn list_services(
        &self,
        case_id: Option<&str>,
        after: Option<&[u8]>,
        limit: usize,
        actor: &str,
        keep: impl FnMut(&Service) -> bool,
    ) -> Result<Page<Service>> {
        let prefix = match case_id {
            Some(case_id) => {
                // Listing a case that does not exist is NotFound, not an empty page.
                Self::read_case(&self.txn(), case_id)?;
                case_prefix(keys::SERVICE, case_id)
            }
            None => vec![keys::SERVICE],
        };
        let page = self.page_of(&prefix, after, limit, keep)?;
        let record = page.items.first().map(|s| s.record_id.as_str()).filter(|_| case_id.is_some()).unwrap_or("");
        self.audit(
            actor,
            "service.list",
            record,
            &format!("case={} count={}", case_id.unwrap_or("*"), page.items.len()),
        )?;
        Ok(page)
    }

    // ---- assessments ------------------------------------------------------------------------

    /// Records an assessment on an open case; a round already assessed on this case is
    /// AlreadyExists.
    pub fn add_assessment(&self, case_id: &str, mut assessment: Assessment, actor: &str) -> Result<Assessment> {
        let _guard = self.lock();
        let mut txn = self.txn();
        let case = Self::read_case(&txn, case_id)?;
        if case.status.is_ended() {
            return Err(StoreError::FailedPrecondition(format!(
                "case {case_id} is {}: reopen it before recording assessments",
                case.status.label()
            )));
        }
        for (k, v) in txn.scan_prefix(&case_prefix(keys::ASSESSMENT, case_id))? {
            let existing: Assessment = decode_json(&k, &v)?;
            if existing.round == assessment.round {
                return Err(StoreError::AlreadyExists(format!(
                    "assessment {} of case {case_id} ({})",
                    existing.assessment_id,
                    existing.round.label()
                )));
            }
        }
        let assessment_id = next_id(&mut txn, "assessment.next", "asm")?;
        assessment.assessment_id = assessment_id.clone();
        assessment.case_id = case_id.to_string();
        assessment.record_id = case.record_id.clone();
        assessment.create_time = now();
        txn.insert(under_case(keys::ASSESSMENT, case_id, &assessment_id), encode_json(&assessment));
        let detail = format!("case={case_id} assessment={assessment_id} round={}", assessment.round.label());
        Self::append_audit(&mut txn, actor, "assessment.add", &case.record_id, &detail)?;
        txn.commit()?;
        Ok(assessment)
    }

    /// Assessments of one case (or all), in key order; audited as one listing.
    pub fn list_assessments(
        &self,
        case_id: Option<&str>,
        after: Option<&[u8]>,
        limit: usize,
        actor: &str,
        keep: impl FnMut(&Assessment) -> bool,
    ) -> Result<Page<Assessment>> {
        let prefix = match case_id {
            Some(case_id) => {
                Self::read_case(&self.txn(), case_id)?;
                case_prefix(keys::ASSESSMENT, case_id)
            }
            None => vec![keys::ASSESSMENT],
        };
        let page = self.page_of(&prefix, after, limit, keep)?;
        let record = page.items.first().map(|a| a.record_id.as_str()).filter(|_| case_id.is_some()).unwrap_or("");
        let detail = format!("case={} count={}", case_id.unwrap_or("*"), page.items.len());
        self.audit(actor, "assessment.list", record, &detail)?;
        Ok(page)
    }

    // ---- erasure and retention --------------------------------------------------------------

    /// Stages the removal of every case of `record_id` with its services and assessments.
    pub(crate) fn drop_cases_of(txn: &mut Txn<'_>, record_id: &str) -> Result<usize> {
        let prefix = keys::build(keys::CASE_BY_PERSON, &[record_id.as_bytes(), &[0]]);
        let mut n = 0;
        for (k, _) in txn.scan_prefix(&prefix)? {
            let case_id = String::from_utf8(k[prefix.len()..].to_vec()).map_err(|e| corrupt(&k, e))?;
            for sub in [keys::SERVICE, keys::ASSESSMENT] {
                for (key, _) in txn.scan_prefix(&case_prefix(sub, &case_id))? {
                    txn.remove(key);
                }
            }
            txn.remove(keys::case(&case_id));
            txn.remove(k);
            n += 1;
        }
        Ok(n)
    }

    /// Persons who have cases and whose every case ended (closed or transferred) at or before
    /// `ended_before` (seconds since the epoch): what a retention policy erases.
    pub fn persons_past_retention(&self, ended_before: i64) -> Result<Vec<String>> {
        let mut verdict: std::collections::BTreeMap<String, bool> = std::collections::BTreeMap::new();
        for item in self.kv.scan_prefix([keys::CASE]) {
            let (k, v) = item?;
            let case: Case = decode_json(&k, &v)?;
            let expired = case.status.is_ended() && case.status_time <= ended_before;
            let entry = verdict.entry(case.record_id).or_insert(true);
            *entry &= expired;
        }
        Ok(verdict.into_iter().filter(|(_, expired)| *expired).map(|(record, _)| record).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_core::case::{CaseStatus, ClosureReason};
    use homeward_core::person::Person;

    fn store_with_person() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let person = Person { record_id: "r1".into(), given_name: "Aziza".into(), ..Default::default() };
        store.put_person(person, crate::PutMode::Create, &[], &[], "t").unwrap();
        (dir, store)
    }

    #[test]
    fn erasing_a_person_removes_its_cases_services_and_assessments() {
        let (_dir, store) = store_with_person();
        let case = store.open_case("r1", CaseDetails::default(), "t").unwrap();
        let details = ServiceDetails {
            service_type: homeward_core::case::ServiceType::Housing,
            provider: "Akimat".into(),
            provider_kind: Default::default(),
            referred: None,
            started: None,
            completed: None,
            outcome: Default::default(),
            note: String::new(),
        };
        store.add_service(&case.case_id, details, "t").unwrap();
        assert!(store.erase_person("r1", &[], "t").unwrap());
        for (k, _) in store.dump_raw().unwrap() {
            assert!(![keys::CASE, keys::CASE_BY_PERSON, keys::SERVICE, keys::ASSESSMENT].contains(&k[0]), "{k:?}");
        }
        assert_eq!(store.verify_audit().unwrap(), crate::AuditVerdict::Intact { entries: 4 });
    }

    #[test]
    fn retention_picks_persons_whose_cases_all_ended() {
        let (_dir, store) = store_with_person();
        let a = store.open_case("r1", CaseDetails::default(), "t").unwrap();
        let b = store.open_case("r1", CaseDetails::default(), "t").unwrap();
        let close = |case: &mut Case| {
            case.transition(CaseStatus::Closed, Some(ClosureReason::MovedAway), "", "t", now()).map(|_| String::new())
        };
        store.change_case(&a.case_id, "case.transition", "t", close).unwrap().unwrap();
        assert!(store.persons_past_retention(now() + 10).unwrap().is_empty(), "one case still open");
        store.change_case(&b.case_id, "case.transition", "t", close).unwrap().unwrap();
        assert_eq!(store.persons_past_retention(now() + 10).unwrap(), vec!["r1".to_string()]);
        assert!(store.persons_past_retention(now() - 100).unwrap().is_empty(), "not yet past the period");
    }
}
